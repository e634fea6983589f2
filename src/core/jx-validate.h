/* jx-validate.h — does a model describe the data it is meant for? The numbers of the
 * paper's Figs. 7–9 (arXiv:1804.09720): each curve compares the model's prediction,
 * averaged over the data's own intermediate states (h_t from the data tree), with how often
 * the data actually does it, bin by bin, with a χ²/ndf.
 *
 *   end_vs_length     P_end vs the intermediate-state length t (every state of every jet);
 *                     data: fraction of states at t that are final (t = n).
 *   end_vs_angle      P_end vs the largest angle of the state's momenta to the jet axis.
 *   mother_vs_index   P_mother vs candidate index at t = t_late (jets with n > t_late);
 *                     data: how often the mother is candidate j.
 *   mother_vs_angle   P_mother vs the candidate's angle to the jet axis, steps t ≥ 2; model:
 *                     Σ P_mother over the candidates in the bin; data: where the mother is.
 *   z_t1, theta_t1    P_branch marginals in z and θ at t = 1 and t = t_late (jets with
 *   z_tlate, theta_tlate  n > t), true mother; bins are the model's G bins (log-spaced edges
 *                     in physical units). Joint models are summed over the other
 *                     coordinates; factorized θ heads are conditioned on the jet's true z
 *                     (the expectation of a bin's frequency is the same either way).
 *
 * In every bin: model = mean predicted probability, data = observed frequency, and the
 * χ² term (data − model)² / var with var = Σ p(1 − p) / N² over the entries — the spread the
 * data frequency would have if the model were right. ndf = bins with entries and var > 0.
 * The arrays are meant for a plot renderer (x edges, two curves, error bars).
 */
#pragma once

#include <stddef.h>

#include "jx-error.h"
#include "jx-eval.h"
#include "jx-model.h"
#include "jx-progress.h"

enum {
  JX_VAL_END_VS_LENGTH = 0,
  JX_VAL_END_VS_ANGLE,
  JX_VAL_MOTHER_VS_INDEX,
  JX_VAL_MOTHER_VS_ANGLE,
  JX_VAL_Z_T1,
  JX_VAL_THETA_T1,
  JX_VAL_Z_TLATE,
  JX_VAL_THETA_TLATE,
  JX_N_VAL_CURVES
};

typedef struct {
  char name[32];       /* "end_vs_length", ... (as in the list above) */
  char title[96];      /* "P_end vs intermediate-state length t" */
  char x_label[48];    /* "t", "θ_max [rad]", ... */
  int n_bins;
  double *x_lo, *x_hi; /* [n_bins] bin edges in x_label's units */
  double *model;       /* mean predicted probability per bin */
  double *data;        /* observed frequency per bin */
  double *data_err;    /* √(f(1 − f)/N) for error bars */
  double *count;       /* entries N per bin */
  double chi2;
  int ndf;
} JxValidationCurve;

typedef struct {
  int t_late;          /* default 10 (the paper) */
  int angle_bins;      /* bins of the angle curves, default 20 */
  int max_length;      /* last t of end_vs_length, default 40 */
  int threads;         /* ≤ 0: all CPUs; sums are combined in thread order */
} JxValidationOptions;

void jx_validation_options_default (JxValidationOptions *opt);

typedef struct {
  JxValidationCurve curves[JX_N_VAL_CURVES];
  size_t n_jets;       /* trees used */
} JxValidation;

void jx_validation_free (JxValidation *v);

/* trees: the data clustered with the model's clustering (jx_tree_set_build); skipped jets are
 * ignored. v is initialized here (free it also on error). */
int jx_validate (const JxModel *model, const JxTreeSet *trees, const JxValidationOptions *opt,
                 JxValidation *v, JxProgress *progress, JxError *err);

/* CSV, one row per bin: curve,bin,x_lo,x_hi,model,data,data_err,count,chi2,ndf (the curve's
 * χ² and ndf repeated on each row). Atomic. */
int jx_validation_write_csv (const JxValidation *v, const char *path, JxError *err);
