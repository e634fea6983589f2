/* jx-train.h — training a JUNIPR model on a dataset (DESIGN.md §4).
 *
 * Minimises the mean of −ln P_jet over mini-batches with SGD or Adam along a schedule of
 * (epochs, learning rate, batch size) stages. The jets are clustered into trees once, up
 * front; a seeded split holds out a validation set whose mean −ln P_jet is computed after
 * every epoch. Each epoch visits the training jets in a seeded shuffled order (derived from
 * the seed and the epoch number alone, so a resumed run sees the same order).
 *
 * Each batch is split into equal contiguous shares, one per thread; every thread has its
 * own model work space and gradient buffer, and the gradients are summed thread 0, 1, ...,
 * N−1 in that order. Same seed + same thread count ⇒ bit-identical model.
 *
 * Ranks (opt->comm, an MPI job: jx-comm.h, jx-tree-share.h): every rank passes its own
 * contiguous share of the dataset (jx_dataset_read_range) and clusters only that. The split,
 * the shuffles and the batches are those of one process; each batch is cut into one piece
 * per rank with about equal RNN steps (trees another rank holds are sent over for a window
 * of batches at a time), each rank's threads work on its piece as above, and the pieces'
 * gradients and losses are added in rank order. Same seed + same ranks + same threads ⇒
 * bit-identical model; other rank counts give the one-process model up to the rounding of
 * the sums (~1e-7 relative after 100 steps). The validation loss is computed by the ranks
 * holding the jets and added up in index order. Only rank 0 writes checkpoints; every error,
 * on any rank, comes back from every rank as the same JxError. A checkpoint resumes with any
 * number of ranks.
 *
 * A batch whose loss or gradient is NaN/Inf, or whose update would leave a non-finite weight,
 * is skipped (weights and optimizer state unchanged), counted and described in the stats and
 * the progress message. After every epoch a checkpoint (the model file plus /optimizer and
 * /train_state groups) is written atomically; jx_train with opt->resume continues from one
 * exactly. Cancel through JxProgress at any time: JX_ERR_CANCELLED, and the last checkpoint
 * stays as it was. The trained model is not saved here: the caller saves it (jx_model_save).
 *
 * Progress: done/total count jets while clustering ("clustering: i of n jets") and during the
 * validation passes ("validation: ..."), and batches (of all epochs) while training:
 * "training: epoch 3/30, batch 120/900, loss 45.2, 830 jets/s, ETA 12m05s" (loss = mean
 * −ln P_jet of the last batch), with "; epoch 3 done: train ..., validation ..." or
 * "; skipped batch ..." appended when that happens.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-comm.h"
#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-optim.h"
#include "jx-progress.h"
#include "jx-schedule.h"

/* Test hook: sees the reduced batch loss (sum over the batch) and mean gradient before the
 * finite check and the update, and may change them. jets: dataset indices of the batch. */
typedef void (*JxTrainBatchHook) (void *user, int epoch, size_t batch, const size_t *jets,
                                  size_t n_jets, double *loss_sum, float *grad, size_t n_params);

/* Called after every epoch with its history record (e.g. for live training curves). */
typedef void (*JxTrainEpochFunc) (void *user, const JxEpochRecord *record);

typedef struct {
  JxSchedule schedule;       /* n_stages = 0: "paper" (on resume: the checkpoint's) */
  int epochs;                /* > 0: cut or lengthen the schedule to this many epochs in all */
  JxOptimKind optimizer;     /* on resume the checkpoint's optimizer is used */
  double val_fraction;       /* held-out fraction, default 0.1 (on resume: the checkpoint's) */
  int threads;               /* ≤ 0: all online CPUs */
  uint64_t seed;             /* split and shuffles (on resume: the checkpoint's) */
  bool skip_bad;             /* skip jets with nothing left after the subjet step */
  bool skip_long;            /* skip jets with more particles than the model's M */
  const char *checkpoint;    /* written after every epoch; NULL: none */
  const char *resume;        /* checkpoint to continue from; NULL: start fresh */
  const char *dataset_name;  /* provenance stored in the model's metadata */
  JxTrainEpochFunc epoch_func;
  void *epoch_user;
  JxTrainBatchHook batch_hook;
  void *hook_user;
  const JxComm *comm;        /* NULL: one process; else every rank of the job calls jx_train
                              * with the same options and its own share of the dataset */
  size_t stream_chunk_jets;  /* jx_train_stream: jets and particles per chunk (0: the stream's
                              * defaults); on resume the checkpoint's */
  size_t stream_chunk_particles;
} JxTrainOptions;

void jx_train_options_default (JxTrainOptions *opt);

#define JX_TRAIN_BAD_LOG 512

typedef struct {
  size_t n_jets;              /* in the dataset */
  size_t n_train, n_val;
  size_t n_skipped_bad, n_skipped_long;
  int first_epoch;            /* 0-based epoch this run started at (> 0 after a resume) */
  int epochs_done;            /* epochs completed in all, including earlier runs */
  int checkpoint_epochs;      /* epochs in the last checkpoint this run wrote (0: none) */
  int total_epochs;           /* of the schedule */
  uint64_t n_updates;         /* in all */
  size_t n_bad_batches;       /* skipped for NaN/Inf (in all) */
  char bad_batches[JX_TRAIN_BAD_LOG];  /* "epoch 2 batch 17 (jets 5, 88, ...); ..." (this run) */
  double initial_val_loss;    /* before the first epoch of a fresh run; NaN otherwise */
  double train_loss, val_loss;/* of the last epoch (NaN when no validation jets) */
  double seconds;             /* of this run */
  int threads;                /* per rank */
  int ranks;
  /* time of this rank in the exchanges between ranks (0 with one process): */
  double sync_seconds;        /* agreeing on each batch's loss: mostly waiting for the slowest */
  double reduce_seconds;      /* adding up the gradients (jx_comm_sum_floats) */
  double fetch_seconds;       /* sending trees to the ranks that train on them */
} JxTrainStats;

/* model: in: the model to train (fresh, e.g. from jx_model_new); ignored and replaced when
 * opt->resume is set (*model may then be NULL). meta: in: meta->clustering says how to
 * cluster the data (on resume it is replaced by the checkpoint's). History records are
 * appended for every epoch. stats may be NULL. */
int jx_train (JxModel **model, JxModelMeta *meta, const JxDataset *data, const JxTrainOptions *opt,
              JxTrainStats *stats, JxProgress *progress, JxError *err);

/* New → train → cancel → save, the one way `junipr train` and the app's Train job make a
 * model: a new model of cfg with seed opt->seed (unless opt->resume names a checkpoint, whose
 * model is trained on), jx_train, a progress cancelled after the last check fails with
 * JX_ERR_CANCELLED like one cancelled during training, and then output (when not NULL) is
 * written (jx_model_save: atomic) by rank 0 of opt->comm; every rank returns the agreed
 * outcome. A failure or a cancel writes no output (the checkpoint, if any, stays). *model is
 * the caller's to free, also after failure; meta as for jx_train. */
int jx_train_and_save (JxModel **model, JxModelMeta *meta, const JxModelConfig *cfg,
                       const JxDataset *data, const JxTrainOptions *opt, const char *output,
                       JxTrainStats *stats, JxProgress *progress, JxError *err);

/* A 64-bit fingerprint of a dataset's jets (offsets and momenta), stored in checkpoints so a
 * resume on other data is refused. */
uint64_t jx_train_data_fingerprint (const JxDataset *data);
