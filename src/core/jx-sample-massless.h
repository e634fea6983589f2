/* jx-sample-massless.h — the points of a branching cell where a daughter is massless.
 *
 * The final particles of clustered data are massless (single partons) or nearly so, and a
 * node's mass is what lets it split again: in the data a massless particle never splits,
 * and the network learns that. A point drawn uniformly inside a cell almost never gives a
 * massless daughter (the δ cells are a factor ~2 wide), so every sampled daughter looks like
 * a node that must split again and the shower never ends. These functions give, for a mother
 * and a soft energy fraction z, the angles at which one or both daughters come out massless:
 * the sampler's massless in-cell placement (jx-sample.c) puts a branching on the
 * both-massless point as often as the training data did when its cell holds it
 * (jx-massless-rates.h), on a single-massless point whenever its δ bin holds one, and keeps θ
 * below the both-massless angle, above which no δ gives two physical daughters.
 *
 * Angles as in jx-tree.h: θ of the soft daughter, δ of the hard one, both to the mother's
 * direction, on opposite sides (azimuths φ and φ + π).
 */
#pragma once

#include <stdbool.h>

#include "jx-massless-rates.h"
#include "jx-momentum.h"
#include "jx-scaling.h"
#include "jx-tree.h"

/* No mass beyond rounding (m² ≤ 1e-10 E²): a final particle, which can never split. */
bool jx_massless (JxP4 p);

/* δ at which the soft daughter (energy z·E) is massless for this θ; NaN when no such
 * δ ∈ (0, π − θ) exists. The hard daughter's mass² may still be negative there. */
double jx_massless_delta_soft (JxP4 mother, double z, double theta);

/* δ at which the hard daughter (energy (1−z)·E) is massless for this θ (the forward
 * solution); NaN when none. */
double jx_massless_delta_hard (JxP4 mother, double z, double theta);

/* (θ, δ) at which both daughters are massless: the mother's mass fixes the opening angle,
 * transverse balance fixes how it divides. False when the mother's mass cannot be made by two
 * massless daughters of these energies (too heavy) or the mother is massless. */
bool jx_massless_both (JxP4 mother, double z, double *theta, double *delta);

/* Measure the rates of jx-massless-rates.h on trees[0..n) (empty trees, n = 0, are skipped)
 * with the model's scaling and grid G. A bucket with fewer than 50 branchings whose cell
 * holds the point takes the rate pooled over all steps, and 0 when that too has fewer. */
void jx_massless_rates_measure (const JxScaling *sc, int G, const JxTree *trees, size_t n,
                                JxMasslessRates *r);

/* The same in two parts, for trees spread over the ranks of a job: the branchings counted
 * (successes and trials per bucket, whole numbers, so tallies of parts add up exactly), and
 * the rates from a tally. */
typedef struct {
  double hit[JX_MASSLESS_BUCKETS], try[JX_MASSLESS_BUCKETS];
} JxMasslessCount;
typedef struct {
  JxMasslessCount cell, theta;
} JxMasslessTally;
void jx_massless_tally (const JxScaling *sc, int G, const JxTree *trees, size_t n,
                        JxMasslessTally *t);
/* sum += t (another part's tally). */
void jx_massless_tally_add (JxMasslessTally *sum, const JxMasslessTally *t);
void jx_massless_rates_from_tally (const JxMasslessTally *t, JxMasslessRates *r);
