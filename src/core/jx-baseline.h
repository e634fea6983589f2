/* jx-baseline.h — the paper's baseline discriminants (arXiv:1804.09720, Sect. 6): a
 * likelihood ratio estimated with histograms filled from training halves of the signal and
 * background samples, then evaluated on the other halves.
 *
 *  - "tau21_mult": 2-D histograms of (τ21, multiplicity) — the paper's baseline;
 *  - "mass", "multiplicity", "tau21": 1-D histograms of one observable (the likelihood
 *    ratio of one observable is the best cut on it, in whichever direction it separates).
 * Bins: τ21 20 bins on [0, 1]; multiplicity one bin per integer 1..max (training max, ≤ 200);
 * mass 40 bins between the training minimum and maximum. Values outside go to the edge bins.
 * Densities are (count + ½)/(N + ½·bins), so empty bins give a finite ratio.
 * The halves: jets with even index train, odd index test (deterministic, no seed).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-error.h"
#include "jx-observables.h"

typedef enum {
  JX_BASELINE_TAU21_MULT = 0,
  JX_BASELINE_MASS,
  JX_BASELINE_MULT,
  JX_BASELINE_TAU21,
  JX_N_BASELINES
} JxBaselineKind;

const char *jx_baseline_name (JxBaselineKind kind);   /* "tau21_mult", "mass", ... */

/* A histogram likelihood ratio on (x, y); 1-D when ny = 1. */
typedef struct {
  int nx, ny;
  double x_lo, x_hi, y_lo, y_hi;
  double *log_ratio;   /* [nx·ny] ln(p_S / p_B) */
} JxHistLR;

void jx_hist_lr_free (JxHistLR *lr);
/* ys/yb may be NULL when ny = 1. */
int jx_hist_lr_build (JxHistLR *lr, int nx, double x_lo, double x_hi, int ny, double y_lo,
                      double y_hi, const double *xs, const double *ys, size_t ns,
                      const double *xb, const double *yb, size_t nb, JxError *err);
double jx_hist_lr_eval (const JxHistLR *lr, double x, double y);

static inline bool
jx_baseline_is_train (size_t index)
{
  return index % 2 == 0;
}

/* Scores ln LR for every jet of both samples (training jets too; use the test ones for ROCs).
 * sig/bkg: observables of the jets (jx-observables.h). */
int jx_baseline_scores (JxBaselineKind kind, const JxObservables *sig, size_t n_sig,
                        const JxObservables *bkg, size_t n_bkg, double *score_sig,
                        double *score_bkg, JxError *err);
