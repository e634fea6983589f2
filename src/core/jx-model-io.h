/* jx-model-io.h — JUNIPR model files (DESIGN.md §5).
 *
 * HDF5, "/" attributes format = "junipr-model", version = 1, then:
 *  - hyper-parameters: branch ("joint"/"factorized"), local (0/1), hidden, dense, grid,
 *    max_mult; scaling constants scaling_e_jet, scaling_e_sub, scaling_r_jet, scaling_r_sub;
 *  - the clustering the model was trained on: clustering_algorithm ("ca", ...),
 *    clustering_esub, clustering_rsub;
 *  - provenance: dataset, seed (uint64), created (ISO 8601 UTC), n_params;
 *  - /history/{epoch, train_loss, val_loss, learning_rate, batch_size, seconds}, one row per epoch;
 *  - optional /sampling/massless float64 [2, 4]: rows terminal_cell, terminal_theta of
 *    jx-massless-rates.h, columns steps t = 1, 2, 3, ≥ 4 (measured on the training trees);
 *  - weights under /weights/<layer>/{kernel, bias, recurrent_kernel} float32, kernels
 *    (inputs, outputs), biases 1-D (a GRU's 2 × 3H) — the tensor names of jx_model_tensor;
 *  - the fields added later (clustering metric, recurrent cell, head widths, branch padding,
 *    import provenance) and the version rule: jx-model-io-ext.h.
 * Written atomically (jx-atomic.h); an optional hook adds more groups (an optimizer state)
 * to the same file before it is committed.
 */
#pragma once

#include <stdint.h>

#include "jx-error.h"
#include "jx-massless-rates.h"
#include "jx-model.h"
#include "jx-tree.h"

#define JX_MODEL_FORMAT "junipr-model"
#define JX_MODEL_VERSION 2   /* the newest version read; files are written as 1 or 2 */

typedef struct {
  int epoch;
  double train_loss, val_loss, learning_rate;
  int batch_size;
  double seconds;
} JxEpochRecord;

typedef struct {
  JxClusterOptions clustering;   /* what the model was trained on (jx-tree.h) */
  JxEpochRecord *history;        /* owned; freed by jx_model_meta_free */
  size_t n_history;
  char dataset[1024];            /* provenance: training dataset path */
  uint64_t seed;
  char created[64];              /* ISO date; filled with the current time on save when empty */
  JxMasslessRates massless;      /* for sampling; .measured false when the file has none */
  char imported_from[1024];      /* converted from this file (junipr import-model); "" if not */
  char imported_detail[256];     /* what that file was, e.g. "Keras 2.2.4-tf model JUNIPR" */
} JxModelMeta;

void jx_model_meta_init (JxModelMeta *meta);
void jx_model_meta_free (JxModelMeta *meta);
/* Append one epoch to meta->history. */
int jx_model_meta_add_epoch (JxModelMeta *meta, const JxEpochRecord *record, JxError *err);
/* Deep copy (dst is overwritten, not freed first). */
int jx_model_meta_copy (JxModelMeta *dst, const JxModelMeta *src, JxError *err);

/* extra: optional hook called with the open HDF5 file id (hid_t) before closing, so the
 * trainer can add /optimizer/... and /train_state/... to a checkpoint in the same atomic
 * write. A failing hook aborts the save: nothing is written under path. */
typedef int (*JxModelSaveExtra) (int64_t h5_file, void *user, JxError *err);
/* meta may be NULL (defaults). Atomic (jx-atomic.h). */
int jx_model_save (const JxModel *model, const JxModelMeta *meta, const char *path,
                   JxModelSaveExtra extra, void *extra_user, JxError *err);

typedef int (*JxModelLoadExtra) (int64_t h5_file, void *user, JxError *err);
/* *model receives a new model (free with jx_model_free); meta (may be NULL) is initialized
 * and filled (free with jx_model_meta_free, also after failure). Refuses files that are not
 * HDF5, other junipr kinds and newer versions with JX_ERR_FORMAT and a message naming path. */
int jx_model_load (const char *path, JxModel **model, JxModelMeta *meta,
                   JxModelLoadExtra extra, void *extra_user, JxError *err);

/* A model's whole layout (the root attributes, /history, /sampling, /weights) inside group
 * `name` of an open HDF5 file, for files holding more than one model (a JUNIPR-binary pair,
 * jx-model-pair.h); call from a save hook. */
int jx_model_write_group (int64_t h5_file, const char *name, const JxModel *model,
                          const JxModelMeta *meta, JxError *err);
/* Reads what jx_model_write_group wrote; call from a load hook (messages name the group,
 * jx_model_load adds the file). Same checks and ownership as jx_model_load. */
int jx_model_read_group (int64_t h5_file, const char *name, JxModel **model,
                         JxModelMeta *meta, JxError *err);
