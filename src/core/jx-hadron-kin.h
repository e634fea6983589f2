/* jx-hadron-kin.h — the relativistic kinematics of hadronisation (docs/HADRONIZATION.md §2):
 * boosts to and from a rest frame, two-body decays, and putting a massless system on its
 * constituent mass shells at fixed total four-momentum.
 *
 * Every step conserves four-momentum exactly up to rounding: a two-body decay boosts
 * (M, 0⃗) back to the parent's P whatever rounding M carries, because the daughters' energies
 * sum to M and their momenta cancel by construction.
 */
#pragma once

#include <stddef.h>

#include "jx-momentum.h"
#include "jx-rng.h"

/* p given in the rest frame of P (mass M) → the frame where P is measured. */
JxP4 jx_boost_from_rest (JxP4 p, JxP4 P, double M);

/* p measured where P is → the rest frame of P (mass M). */
JxP4 jx_boost_to_rest (JxP4 p, JxP4 P, double M);

/* |p*| of a two-body decay M → m1 m2; 0 below threshold. */
double jx_two_body_pstar (double M, double m1, double m2);

/* Decay of P (mass M ≥ m1 + m2) into masses m1, m2 with daughter 1 along the unit 3-vector n
 * of P's rest frame (daughter 2 opposite); *p1, *p2 in P's frame. */
void jx_two_body_decay (JxP4 P, double M, double m1, double m2, const double n[3],
                        JxP4 *p1, JxP4 *p2);

/* A unit 3-vector uniform on the sphere (Marsaglia's method: no trigonometry, on average
 * 2.55 uniforms). */
void jx_isotropic_direction (JxRng *rng, double n[3]);

/* Put the momenta p[0..n) on the mass shells m[0..n) keeping their sum P: in P's rest frame
 * every 3-momentum is scaled by the common factor α with Σ √(α²|p*|² + m²) = √P², then
 * boosted back (docs/HADRONIZATION.md §2.1). Needs Σ m < √P² and at least two momenta;
 * returns α (> 0), or −1 when that is impossible. */
double jx_rescale_to_masses (JxP4 *p, const double *m, size_t n);
