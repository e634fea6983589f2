/* jx-reweight.h — likelihood ratios of two models and reweighting one sample into another.
 *
 * For two models scored on the same jets (jx-eval.h), ln LR = ln P_A − ln P_B per jet and,
 * when both models cluster the jets the same way, per step (the per-step contributions sum
 * to the jet's ln LR). A jet either model could not score has ln LR = NaN.
 *
 * Reweighting (paper Sect. 5.4): w = P_target/P_source. Weights above the clip (default 100)
 * come from jets the source model finds much less likely than the target: they are discarded
 * (weight 0) and counted, as are NaN weights. The effective sample size
 * ESS = (Σw)² / Σw² says how many unweighted jets the weighted sample is worth.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-error.h"
#include "jx-scores.h"

#define JX_REWEIGHT_CLIP_DEFAULT 100.0

/* ln LR per jet into lr[a->n_jets]; step_lr (optional, [a->step_offsets[n]], a's layout) per
 * step, NaN for jets either model did not score. Needs per-step scores of both and the same
 * number of states for every jet both scored (else JX_ERR_INVALID naming the jet). */
int jx_lr_from_scores (const JxScores *a, const JxScores *b, double *lr, double *step_lr,
                       JxError *err);

typedef struct {
  size_t n_jets;       /* weights computed */
  size_t n_clipped;    /* above the clip, set to 0 */
  size_t n_nan;        /* not scored by a model (NaN LR), set to 0 */
  double sum_w, sum_w2;
  double ess;          /* (Σw)² / Σw² of the kept weights, 0 when none */
  double max_kept;     /* largest kept weight */
} JxReweightStats;

/* w[i] = exp(log_lr[i]) if ≤ clip (clip ≤ 0: no clip), else 0; NaN → 0. */
void jx_reweight_weights (const double *log_lr, size_t n, double clip, double *w,
                          JxReweightStats *stats);

double jx_effective_sample_size (const double *w, size_t n);

/* A weighted histogram of values in n_bins uniform bins on [lo, hi); values outside or NaN are
 * not counted. sum_w and sum_w2 get Σw and Σw² per bin (the bin's error is √Σw²); count
 * (optional) the unweighted entries. Arrays are overwritten. w NULL means 1. */
void jx_weighted_histogram (const double *values, const double *w, size_t n, int n_bins, double lo,
                            double hi, double *sum_w, double *sum_w2, double *count);

/* The per-jet weights "jets/weight" of a file written by `junipr reweight` (a junipr-scores
 * file), checked to hold expected_n entries (the dataset the weights belong to). *w is
 * malloc'ed; the caller frees it. Messages name the file and what is wrong. */
int jx_reweight_read_weights (const char *path, size_t expected_n, double **w, JxError *err);
