/* jx-checkpoint.h — the training checkpoint format: a model file (jx-model-io.h) with two
 * more groups written in the same atomic save, so a checkpoint is also a model that every
 * command reads:
 *  - /train_state attributes: epochs_done, next_stage (for people reading the file), rng
 *    (a description of the streams), seed, val_fraction, optimizer, schedule (its text
 *    form), n_jets, data_fingerprint (hex), skip_bad, skip_long, n_updates, n_bad_batches;
 *    64-bit unsigned values are stored as text (HDF5 integer attributes here are signed);
 *    a streamed training's also stream_chunk_jets, stream_chunk_particles (text);
 *  - /optimizer attributes kind, t, beta1, beta2, eps and, for Adam, float32 datasets m and v
 *    (one entry per model parameter).
 * The trainer (jx-train.c) decides what the values mean; this module owns how they are
 * stored, and refuses files that do not hold them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-optim.h"
#include "jx-schedule.h"

typedef struct {
  int epochs_done;
  uint64_t seed;
  double val_fraction;
  JxOptimKind optimizer;
  JxSchedule schedule;
  uint64_t n_jets, fingerprint;   /* the dataset trained on (jx_train_data_fingerprint) */
  bool skip_bad, skip_long;
  uint64_t n_updates, n_bad_batches;
  /* streamed training (jx-train-stream.h): the chunking its epochs' order follows; 0 for
   * training on the dataset read whole (then not written, so those checkpoints stay as
   * they were) */
  uint64_t stream_chunk_jets, stream_chunk_particles;
} JxCheckpointState;

/* Writes model, meta, state and optim to path atomically (jx-atomic.h): a failure leaves
 * what was there before. */
int jx_checkpoint_save (const JxModel *model, const JxModelMeta *meta, const char *path,
                        const JxCheckpointState *state, const JxOptim *optim, JxError *err);

/* Reads a checkpoint: *model as jx_model_load gives it, meta (initialized here, free with
 * jx_model_meta_free also after failure), state, and optim (zeroed by the caller, filled
 * here; free with jx_optim_free also after failure). A model file without the training groups, or optimizer
 * moments that do not match the model's parameters, fail with JX_ERR_FORMAT naming path. */
int jx_checkpoint_load (const char *path, JxModel **model, JxModelMeta *meta,
                        JxCheckpointState *state, JxOptim *optim, JxError *err);
