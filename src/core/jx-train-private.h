/* jx-train-private.h — the trainer's state and the steps the in-memory epochs (jx-train.c)
 * and the streamed ones (jx-train-stream.c) share: a batch on the threads (and ranks), the
 * progress line, the split's size, the shuffle, the end of an epoch. Not an API. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-checkpoint.h"
#include "jx-dataset-stream.h"
#include "jx-eval.h"
#include "jx-rng.h"
#include "jx-sample-massless.h"
#include "jx-train.h"
#include "jx-tree-share.h"

/* RNG streams derived from the user's seed (jx-rng.h): one for the split, one per epoch. */
#define JX_TRAIN_STREAM_SPLIT 0x7370u
#define JX_TRAIN_STREAM_EPOCH 0x65700000u

typedef struct {
  int threads;
  size_t n_params;
  JxModelWork **works;
  float **grads;
  float *backup, *backup_m, *backup_v;
  double *losses;
  int *codes;
  JxError *errors;
  size_t *train, *val, *perm;
  /* the ranks' pieces of the batches of a window */
  size_t *cut;              /* [ranks + 1] of one batch */
  int *dest;                /* [n_jets] rank of every jet of the window */
  size_t *piece;            /* [n_jets] this rank's jets in every batch of the window */
  /* with ranks > 1 */
  float *scratch;           /* [n_params] for the reduction over ranks */
  double *val_terms;        /* [n_jets] ln P of this rank's validation jets, all on rank 0 */
  size_t *rank_bytes;       /* [ranks] */
  JxMasslessTally *tallies; /* [ranks] */
} JxTrainBuffers;

typedef struct JxTrainStream JxTrainStream;   /* jx-train-stream.c */

typedef struct {
  JxModel *model;
  JxModelMeta *meta;
  const JxTrainOptions *opt;
  JxTrainStats *stats;
  JxProgress *progress;
  const JxComm *comm;       /* never NULL: jx_comm_solo for one process */
  size_t n_jets;            /* in the whole dataset (all ranks' shares) */
  JxCheckpointState state;
  JxOptim optim;
  JxTreeSet set;            /* this rank's trees */
  JxTreeShare share;        /* every jet's size and which rank holds it */
  JxTreeWindow val_trees;   /* this rank's validation jets, positions val_first.. (ranks > 1) */
  size_t val_first;
  JxTrainBuffers buf;
  size_t n_train, n_val;
  double t_start, last_report;
  size_t batches_total, batches_done;
  size_t jets_this_run, batches_run;
  size_t cur_nb;            /* batches in the current epoch */
  const char *stream_path;  /* streamed training (jx-train-stream.h): the file; else NULL */
  JxTrainStream *stream;    /* its chunks and every jet's part in the split */
} JxTrainer;

/* The trainer's buffers; n_jets: the most jets a list of them holds. */
int jx_train_buffers_alloc (JxTrainBuffers *b, const JxModel *model, int threads, size_t n_jets,
                            int ranks, bool adam, JxError *err);
void jx_train_buffers_free (JxTrainBuffers *b);

/* Fisher–Yates with jx_rng_below, from the end: n − 1 draws (none for n ≤ 1). */
void jx_train_shuffle (size_t *a, size_t n, JxRng *rng);

size_t jx_train_n_batches (size_t n, int batch);

/* The batches of the run's `total` epochs (its schedule's batch sizes) into batches_total,
 * those of the epochs already done into batches_done: the progress bar's scale. */
void jx_train_count_batches (JxTrainer *tr, int total);

/* How many of n_ok jets the split holds out (val_fraction f, at least one when f > 0 and
 * there are two); an error when none is left to train on. */
int jx_train_split_size (size_t n_ok, double f, size_t n_jets, size_t *n_val, JxError *err);

/* The progress line (at most every 0.2 s unless force). */
void jx_train_report (JxTrainer *tr, int epoch, size_t b, size_t nb, double loss, bool force,
                      const char *extra);

/* One batch: jets[0..n) its dataset indices, mine[0..n_mine) the trees of this rank's piece;
 * gradients, checks, update (or skip). */
int jx_train_batch (JxTrainer *tr, int epoch, size_t b, const size_t *jets, size_t n,
                    const JxTree **mine, size_t n_mine, double lr, double *loss_out,
                    bool *skipped, JxError *err);

/* After an epoch's batches: the validation loss, the energy head's proposal, the record. */
int jx_train_finish_epoch (JxTrainer *tr, int epoch, const JxStage *stage, double loss_sum,
                           size_t loss_jets, double t0, JxEpochRecord *rec, JxError *err);

/* ---- fingerprints (jx-train-fingerprint.c) ---- */

/* Collective: the fingerprint of the dataset whose shares the ranks hold. */
uint64_t jx_train_fingerprint_ranks (const JxComm *c, const JxDataset *data);
/* The fingerprint of a streamed file's jets (two walks over it). */
int jx_train_fingerprint_stream (JxDatasetStream *s, uint64_t *print, JxProgress *progress,
                                 JxError *err);

/* ---- the streamed epochs (jx-train-stream.c) ---- */

/* Opens the file in the run's chunks (on resume the checkpoint's) and takes its fingerprint
 * (as jx_train_data_fingerprint of it read whole). */
int jx_train_stream_fingerprint (JxTrainer *tr, uint64_t *print, JxError *err);
/* Chunks, every jet's part in the split, the massless rates, the buffers, the batch counts. */
int jx_train_stream_prepare (JxTrainer *tr, int threads, int total, JxError *err);
/* One epoch's batches: adds the batches' loss sums and jets. */
int jx_train_stream_epoch (JxTrainer *tr, int epoch, const JxStage *stage, double *loss_sum,
                           size_t *loss_jets, JxError *err);
/* Σ ln P over the validation jets, in index order. */
int jx_train_stream_val_sum (JxTrainer *tr, double *sum, JxError *err);
void jx_train_stream_free (JxTrainer *tr);

/* jx_train / jx_train_and_save over data (in memory) or, data NULL, over the file path
 * streamed. */
int jx_train_run (JxModel **model, JxModelMeta *meta, const JxDataset *data, const char *path,
                  const JxTrainOptions *opt, JxTrainStats *stats, JxProgress *progress,
                  JxError *err);
int jx_train_run_and_save (JxModel **model, JxModelMeta *meta, const JxModelConfig *cfg,
                           const JxDataset *data, const char *path, const JxTrainOptions *opt,
                           const char *output, JxTrainStats *stats, JxProgress *progress,
                           JxError *err);
