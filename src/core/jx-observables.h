/* jx-observables.h — jet observables from a jet's retained subjets (PHYSICS.md §4).
 *
 * Everything is computed from the subjets, the particles of the JUNIPR tree; the jet is their
 * sum P_J (E-scheme), E_J = P_J⁰, m_J = √(P_J²). Angles are 3D opening angles in radians.
 *  - N-subjettiness (β = 1, e+e- form): τ_N = Σ_i E_i min_a θ_{i,a} / Σ_i E_i, the axes being
 *    the 3-directions of the N exclusive Durham jets (E-scheme) of the subjets; τ_N = 0 when
 *    n ≤ N. τ1's axis is P̂_J, so the width (girth) ≡ τ1.
 *  - Ratios τ21 = τ2/τ1, τ32 = τ3/τ2, set to 0 when the denominator is 0.
 *  - Integrated jet shape Ψ(r) = Σ_{θ_{i,J} < r} E_i / E_J at the radii jx_psi_radii.
 *  - First C/A splitting (the root branching of the C/A tree): of the two objects left before
 *    the last merge, z1 = E_soft/(E_soft + E_hard), θ1 = ∠(soft, mother), δ1 = ∠(hard, mother),
 *    mother = soft + hard. All 0 when n < 2.
 *
 * jx_observables_compute is on hot paths (generator statistics, millions of jets): with a
 * JxClusterWork it does not touch the heap for n ≤ JX_OBSERVABLES_STACK_MAX subjets.
 */
#pragma once

#include <stddef.h>

#include "jx-cluster.h"
#include "jx-error.h"
#include "jx-momentum.h"

#define JX_N_PSI 5   /* jet shape Ψ(r) at r = 0.05, 0.1, 0.2, 0.3, 0.4 */
extern const double jx_psi_radii[JX_N_PSI];

/* Above this many subjets the scratch space comes from the heap instead of the stack. */
#define JX_OBSERVABLES_STACK_MAX 256

typedef struct {
  size_t n;                  /* multiplicity (number of subjets) */
  double E, mass;            /* E_J, m_J of the subjet sum */
  double tau1, tau2, tau3;   /* N-subjettiness β=1, e+e- form, exclusive Durham axes */
  double tau21, tau32;       /* ratios, 0 when the denominator is 0 */
  double width;              /* ≡ τ1 (energy-weighted angle to the jet axis) */
  double psi[JX_N_PSI];      /* integrated jet shape at jx_psi_radii */
  double z1, theta1, delta1; /* first C/A splitting (root branching); 0 when n < 2 */
} JxObservables;

/* From a jet's retained subjets (the particles of the JUNIPR tree). work may be NULL.
 * Fails with JX_ERR_INVALID for n = 0 or a non-finite / negative-energy input (out is then
 * zeroed), JX_ERR_NOMEM if scratch space cannot be had. */
int jx_observables_compute (const JxP4 *subjets, size_t n, JxObservables *out,
                            JxClusterWork *work, JxError *err);

/* Ψ(r) = Σ_{i: θ(p_i, axis) < r} E_i / Σ_i E_i (0 when Σ E_i = 0). Normalised by the summed
 * energy of p, which is E_J when p are the subjets and axis is their sum. */
double jx_jet_shape_integrated (const JxP4 *p, size_t n, JxP4 axis, double r);

/* ρ(r) = [Ψ(r + Δ/2) − Ψ(r − Δ/2)] / Δ with Δ = delta (PHYSICS.md uses Δ = 0.05). */
double jx_jet_shape_differential (const JxP4 *p, size_t n, JxP4 axis, double r, double delta);

/* τ_N for any N ≥ 1 with the conventions above (0 if n ≤ N). work may be NULL. Returns the
 * value, or a negative number if the Durham step fails (out of memory). */
double jx_nsubjettiness (const JxP4 *subjets, size_t n, size_t N, JxClusterWork *work);

/* The first C/A splitting alone. Fills z1, theta1, delta1 (all 0 when n < 2), and when
 * soft/hard are non-NULL, the two objects. Returns 0, JX_ERR_INVALID for a non-finite
 * input, or JX_ERR_NOMEM. */
int jx_first_ca_splitting (const JxP4 *subjets, size_t n, double *z1, double *theta1,
                           double *delta1, JxP4 *soft, JxP4 *hard);

/* Flat table view for CSV output and histograms, in this column order:
 *   n E mass tau1 tau2 tau3 tau21 tau32 width psi_0.05 psi_0.1 psi_0.2 psi_0.3 psi_0.4
 *   z1 theta1 delta1 */
#define JX_N_OBSERVABLES (9 + JX_N_PSI + 3)
extern const char *const jx_observable_names[JX_N_OBSERVABLES];
/* One-line human descriptions with units, same order (for plot axis labels, --help). */
extern const char *const jx_observable_descriptions[JX_N_OBSERVABLES];

/* Writes the JX_N_OBSERVABLES values of obs to row, in the order of jx_observable_names. */
void jx_observables_row (const JxObservables *obs, double row[JX_N_OBSERVABLES]);

/* Column index of a name in jx_observable_names (exact match), or −1. Also accepts the
 * aliases "m" (mass), "mult"/"multiplicity" (n). */
int jx_observable_index (const char *name);
