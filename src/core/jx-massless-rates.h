/* jx-massless-rates.h — how often clustered data split into two massless daughters when a
 * branching cell holds the point where that happens, by step t (t = 1, 2, 3, ≥ 4). Measured
 * on a model's training trees and stored with the model; the sampler's massless in-cell
 * placement (jx-sample-massless.h) puts a split there at this rate, because the network's
 * cell probabilities cannot say where inside a cell the data lie. Such splits are rare early
 * in a jet and common late (quark jets: ~7 % at t = 1, ~57 % at t ≥ 4):
 *   terminal_cell   among branchings whose (θ, δ) bins hold the both-massless point (joint
 *                   branch heads decide here, with the whole cell drawn)
 *   terminal_theta  among those whose θ bin holds the both-massless angle (factorized heads
 *                   decide before δ is drawn)
 * The single-massless points (only the soft, or only the hard, daughter massless) are always
 * taken when the δ bin holds one: sampling at the data's rates there (63–74 % for the soft
 * point) leaves more daughters massive, each placed uniformly between the two massless points
 * — heavier than the data's — and lengthens the showers (measured: quark multiplicity KS
 * 0.09 → 0.21). */
#pragma once

#include <stdbool.h>

#define JX_MASSLESS_BUCKETS 4

typedef struct {
  double terminal_cell[JX_MASSLESS_BUCKETS];
  double terminal_theta[JX_MASSLESS_BUCKETS];
  bool measured;   /* false: the defaults below (no measurement stored with the model) */
} JxMasslessRates;

/* Unmeasured: never both massless. */
void jx_massless_rates_default (JxMasslessRates *r);

/* Bucket of step t ≥ 1. */
static inline int
jx_massless_bucket (int t)
{
  return t < JX_MASSLESS_BUCKETS ? t - 1 : JX_MASSLESS_BUCKETS - 1;
}
