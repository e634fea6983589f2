/* jx-binary.h — JUNIPR-binary (Andreassen, Feige, Frye, Schwartz, arXiv:1906.10137):
 * fine-tuning a signal and a background model together as one classifier.
 *
 * A jet's score is Δ = ln P_S(jet) − ln P_B(jet) (each model clusters the jet its own way)
 * and its probability of being signal σ(Δ); the loss is the mean binary cross-entropy over
 * labelled jets, BCE = −[y ln σ(Δ) + (1 − y) ln(1 − σ(Δ))]. Its gradient reaches each model
 * through that model's ln P only: ∂BCE/∂θ_S = (y − σ)·∂(−ln P_S)/∂θ_S and the opposite sign for
 * θ_B, so a batch is a forward pass of both models (for Δ) and one weighted backward pass
 * each (jx_model_loss_grad_weighted). Adam on each model's parameters.
 *
 * A seeded split holds out val_fraction of each class; the validation loss and the AUC of Δ
 * are computed before the first epoch (the unary pair's) and after every epoch. With
 * keep_best the models returned are those of the epoch of highest validation AUC (the
 * starting pair when no epoch improves on it). A checkpoint (a pair file with /optimizer_s,
 * /optimizer_b) is written after every epoch when asked. Batches split into equal contiguous
 * shares per thread, gradients summed in thread order: same seed + same threads ⇒ same bits.
 * Progress: "binary: epoch 2/5, batch 30/80, loss 0.52" and "validation: ...".
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-model-pair.h"
#include "jx-progress.h"

typedef struct {
  int epochs;               /* 5 */
  double learning_rate;     /* Adam's step, 1e-4 */
  int batch_size;           /* jets per update, 100 */
  double val_fraction;      /* of each class, 0.2 */
  int threads;              /* ≤ 0: all CPUs */
  uint64_t seed;            /* split and shuffles, 1 */
  bool skip_bad, skip_long; /* as for training: skip such jets instead of failing */
  bool keep_best;           /* return the epoch of highest validation AUC (true) */
  const char *checkpoint;   /* pair file written after every epoch; NULL: none */
} JxBinaryOptions;

void jx_binary_options_default (JxBinaryOptions *opt);

typedef struct {
  size_t n_train[2], n_val[2];   /* [0] signal, [1] background jets */
  size_t n_skipped[2];           /* unusable under either model (bad or too long) */
  size_t n_bad_batches;          /* skipped for a non-finite loss or gradient */
  int best_epoch;                /* 0 = the starting pair */
  double seconds;
} JxBinaryStats;

/* sig, bkg: the unary models, fine-tuned in place (their metas say how each clusters).
 * info: initialized by the caller; gets initial_val_loss/auc and one record per epoch.
 * stats may be NULL. Cancel through progress: JX_ERR_CANCELLED, models as at the last epoch. */
int jx_binary_train (JxModel *sig, const JxModelMeta *sig_meta, JxModel *bkg,
                     const JxModelMeta *bkg_meta, const JxDataset *sig_data,
                     const JxDataset *bkg_data, const JxBinaryOptions *opt, JxPairInfo *info,
                     JxBinaryStats *stats, JxProgress *progress, JxError *err);

/* Mean binary cross-entropy of scores delta[i] (ln P_S − ln P_B) with labels y[i] ∈ {0, 1},
 * and the per-jet weight dBCE/dΔ_i = σ(Δ_i) − y_i into dloss (optional). */
double jx_binary_bce (const double *delta, const int *y, size_t n, double *dloss);
