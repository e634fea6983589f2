/* jx-train-stream.h — training on a dataset file streamed in chunks (jx-dataset-stream.h), for
 * files larger than memory: what jx_train does, except for the order the jets are seen in.
 *
 * Memory: one chunk's jets and trees, the trees of one batch, the model and its buffers, plus
 * one byte per jet of the file (its part in the split) and, while the split is drawn, the
 * indices of the scored jets (8 bytes each). The dataset is never held whole.
 *
 * Before the first epoch one walk over the file clusters every jet once: which jets are
 * scored (the others are skipped or refused, as jx_train does), the massless rates stored
 * with the model, the skip counts. The split is then drawn exactly as jx_train draws it (the
 * same seeded shuffle of the scored jets, the same count held out), so every jet's part is
 * fixed for the whole run. An epoch visits the file's chunks in an order shuffled by the
 * epoch's RNG (seed, epoch), and, continuing that RNG, each chunk's training jets (clustered
 * again, then shuffled); batches of the stage's size are cut from that sequence across chunk
 * boundaries, so an epoch has jx_train's number of batches. The validation loss is a walk in
 * file order scoring the held-out jets, the terms added in index order.
 *
 * When the file is one chunk, the chunk order draws nothing and the rest are jx_train's draws
 * on jx_train's lists: the model is jx_train's to the bit (the tests check it). With more
 * chunks the order differs; same seed, threads and chunking ⇒ bit-identical model. A checkpoint
 * records the chunking; a resume uses it (whatever the options say), so a resumed run equals an
 * uninterrupted one, and refuses a checkpoint of jx_train (and jx_train one of this).
 * Single process only (opt->comm must be NULL or one rank). Progress, cancel, NaN batches,
 * checkpoints and errors as jx_train (jx-train.h); the fingerprint is that of the file read
 * whole, computed in two more walks.
 */
#pragma once

#include "jx-train.h"

/* jx_train on the file path, streamed with chunks of opt->stream_chunk_jets jets and at most
 * opt->stream_chunk_particles particles (0: the stream's defaults). */
int jx_train_stream (JxModel **model, JxModelMeta *meta, const char *path,
                     const JxTrainOptions *opt, JxTrainStats *stats, JxProgress *progress,
                     JxError *err);

/* jx_train_and_save with jx_train_stream. */
int jx_train_and_save_stream (JxModel **model, JxModelMeta *meta, const JxModelConfig *cfg,
                              const char *path, const JxTrainOptions *opt, const char *output,
                              JxTrainStats *stats, JxProgress *progress, JxError *err);
