/* jx-model-pair.h — JUNIPR-binary pair files: a signal and a background model fine-tuned
 * together (jx-binary.h), in one HDF5 file.
 *
 * Layout: the root is a complete model file (format "junipr-model", jx-model-io.h) holding
 * the SIGNAL model, so every reader of model files takes a pair file as its signal model;
 * the root attribute pair = "junipr-binary" marks it; the group /background holds the
 * background model in the same layout (attributes on the group, /background/weights/...);
 * /binary/history/{epoch, train_loss, val_loss, val_auc, seconds} (one row per epoch of the
 * fine-tuning) and the attributes of /binary: initial_val_loss, initial_val_auc (the unary
 * pair it started from, on the same validation jets), signal_data, background_data.
 * In h5py: f["background/weights/rnn/kernel"], f["binary/history/val_auc"][:].
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-model.h"

#define JX_PAIR_KIND "junipr-binary"

typedef struct {
  int epoch;             /* 1-based */
  double train_loss;     /* mean binary cross-entropy over the epoch's training jets */
  double val_loss;       /* the same on the validation jets after the epoch */
  double val_auc;        /* AUC of ln P_S − ln P_B on the validation jets after the epoch */
  double seconds;
} JxBinaryEpoch;

typedef struct {
  JxBinaryEpoch *history;   /* owned */
  size_t n_history;
  double initial_val_loss, initial_val_auc;   /* before fine-tuning (NaN if unknown) */
  char signal_data[1024], background_data[1024];
} JxPairInfo;

void jx_pair_info_init (JxPairInfo *info);
void jx_pair_info_free (JxPairInfo *info);
int jx_pair_info_add_epoch (JxPairInfo *info, const JxBinaryEpoch *e, JxError *err);
int jx_pair_info_copy (JxPairInfo *dst, const JxPairInfo *src, JxError *err);

/* Atomic, like jx_model_save; extra (optional) adds more groups (a checkpoint's optimizer
 * state) to the same write. */
int jx_model_pair_save (const char *path, const JxModel *sig, const JxModelMeta *sig_meta,
                        const JxModel *bkg, const JxModelMeta *bkg_meta, const JxPairInfo *info,
                        JxModelSaveExtra extra, void *extra_user, JxError *err);

/* Both models (free with jx_model_free) and their metadata (sig_meta, bkg_meta, info may be
 * NULL; initialized here, free them also after a failure). A model file that is not a pair
 * is refused with JX_ERR_FORMAT saying so. */
int jx_model_pair_load (const char *path, JxModel **sig, JxModelMeta *sig_meta, JxModel **bkg,
                        JxModelMeta *bkg_meta, JxPairInfo *info, JxModelLoadExtra extra,
                        void *extra_user, JxError *err);

/* Whether path is a readable HDF5 file marked as a pair (no error for anything else). */
bool jx_model_pair_is (const char *path);
