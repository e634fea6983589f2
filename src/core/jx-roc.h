/* jx-roc.h — ROC curves of a discriminant: signal efficiency vs background efficiency as the
 * threshold on a score (higher = more signal-like) is lowered, the area under it, and the
 * background rejection 1/ε_B at given signal efficiencies.
 *
 * Jets with equal scores enter together, so a tie between a signal and a background jet is
 * a diagonal segment and counts ½ in the AUC (the Mann–Whitney convention). NaN scores are
 * left out and counted.
 */
#pragma once

#include <stddef.h>

#include "jx-error.h"

typedef struct {
  double threshold;   /* jets with score ≥ threshold are selected; +∞ for the first point */
  double sig_eff, bkg_eff;
} JxRocPoint;

typedef struct {
  JxRocPoint *points;   /* from (0, 0) to (1, 1), one per distinct score, thresholds descending */
  size_t n_points;
  double auc;
  size_t n_sig, n_bkg;          /* finite scores used */
  size_t n_sig_nan, n_bkg_nan;  /* left out */
} JxRoc;

void jx_roc_init (JxRoc *roc);
void jx_roc_free (JxRoc *roc);

/* Fails (JX_ERR_INVALID) when either class has no finite score. roc is initialized here. */
int jx_roc_compute (const double *sig, size_t n_sig, const double *bkg, size_t n_bkg, JxRoc *roc,
                    JxError *err);

/* ε_B at signal efficiency eff ∈ [0, 1], linear between the curve's points. */
double jx_roc_bkg_eff_at (const JxRoc *roc, double eff);
/* 1/ε_B at eff (+∞ when ε_B = 0). */
double jx_roc_rejection_at (const JxRoc *roc, double eff);

/* Indices of at most max_points points (≥ 2) spread along the curve, first and last
 * included, for writing curves of 10⁶ jets; returns how many were written to idx. */
size_t jx_roc_thin (const JxRoc *roc, size_t max_points, size_t *idx);
