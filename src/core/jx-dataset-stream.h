/* jx-dataset-stream.h — a dataset file read on demand, for files larger than memory.
 *
 * Jets are read in chunks with jx_dataset_read_range and kept in a small cache of chunks
 * (least recently used goes first), so memory is bounded by the cache, not by the file:
 * at most cache_chunks chunks, each of at most chunk_jets jets and chunk_particles
 * particles (a single jet larger than chunk_particles makes a chunk of its own).
 *
 * Chunk boundaries depend only on the file and the options: jets are grouped in blocks of
 * chunk_jets, and a block whose particles exceed chunk_particles is cut into runs of jets
 * that fit. So the same jet always lands in the same chunk, and chunks tile the file. Every
 * cut falls on a multiple of align_jets (chunk_jets is rounded up to one): by default
 * JX_DATASET_STREAM_ALIGN, because evaluation scores jets in batches of JX_EVAL_CHUNK (32)
 * counted from a dataset's first jet, and GEMM rounding depends on a batch's other jets, so
 * only chunks that begin on a batch boundary of the file score each jet as the whole file
 * does, to the bit.
 *
 * Checks: opening checks what jx_dataset_probe checks (kind, version, columns and their
 * shapes, the first and last offsets); each chunk read checks its offsets as
 * jx_dataset_read_range does, with the same messages. A walk over every jet therefore
 * refuses exactly the files a full jx_dataset_read refuses (JX_ERR_FORMAT, naming the file
 * and the jet), only later: at the chunk that holds the damage.
 *
 * One stream per thread (HDF5 is built thread-safe; the stream's cache is not locked).
 */
#pragma once

#include <stddef.h>

#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-progress.h"

#define JX_DATASET_STREAM_ALIGN 32   /* a multiple of JX_EVAL_CHUNK (jx-eval-stream.c checks) */

typedef struct {
  size_t chunk_jets;       /* jets per block; 0 = 16384 */
  size_t chunk_particles;  /* particles per chunk at most (unless one aligned run has more);
                            * 0 = 2^20 */
  size_t cache_chunks;     /* chunks kept; 0 = 4 */
  size_t align_jets;       /* chunks cut at multiples of this many jets; 0 = JX_DATASET_STREAM_ALIGN
                            * (1: at any jet; a run of align_jets larger than chunk_particles
                            * makes a chunk of its own) */
} JxDatasetStreamOptions;

typedef struct JxDatasetStream JxDatasetStream;

/* Opens path (options may be NULL for the defaults). Returns NULL with err set on failure. */
JxDatasetStream *jx_dataset_stream_open (const char *path, const JxDatasetStreamOptions *options,
                                         JxError *err);
void jx_dataset_stream_close (JxDatasetStream *s);

const JxDatasetInfo *jx_dataset_stream_info (const JxDatasetStream *s);
const char *jx_dataset_stream_path (const JxDatasetStream *s);

/* The cached chunk holding jet i of the file (read it if needed): jet i is the chunk's jet
 * *row; the chunk's first_jet is its index in the file, its labels/weights/attrs are those of
 * the file's jets. Borrowed: valid until the next jx_dataset_stream_get on s. progress
 * (may be NULL) sees the chunk's read and can cancel it. NULL with err set on failure. */
const JxDataset *jx_dataset_stream_get (JxDatasetStream *s, size_t i, size_t *row,
                                        JxProgress *progress, JxError *err);

/* The file's source attributes into attrs (its jets untouched; attributes of the same key
 * replaced): every chunk carries them, so the first is read (or found in the cache; a file
 * of no jets: a read of none). */
int jx_dataset_stream_read_attrs (JxDatasetStream *s, JxDataset *attrs, JxError *err);

/* One chunk of a walk: rows [lo, hi) of chunk are the walk's jets chunk->first_jet + lo ...
 * of the file (lo > 0 only in the walk's first chunk, hi < chunk->n_jets only in its last).
 * progress is this chunk's part of the walk's progress (a JxProgressPart): hand it to the core
 * function that does the chunk's work, or report into it with done/total of the chunk's rows.
 * Return 0 to go on, or an error code with err set to stop the walk with it. */
typedef int (*JxDatasetChunkFunc) (void *user, const JxDataset *chunk, size_t lo, size_t hi,
                                   JxProgress *progress, JxError *err);

/* Jets [first, last) of s, chunk by chunk in file order, to func: every jet once, so a
 * walk's memory is the stream's cache plus what func keeps. progress (may be NULL) sees the
 * whole walk, ending with (last − first) of (last − first) and the message what; a cancel
 * through it stops the walk before the next chunk (JX_ERR_CANCELLED, "what cancelled") and
 * reaches func through its part. Fails with a chunk's read error (naming the file and the jet),
 * JX_ERR_INVALID for a range outside the file, or func's error. */
int jx_dataset_stream_walk (JxDatasetStream *s, size_t first, size_t last,
                            JxDatasetChunkFunc func, void *user, const char *what,
                            JxProgress *progress, JxError *err);

/* What the cache holds now, for tests of the bound and for the app's memory figures. */
size_t jx_dataset_stream_cached_chunks (const JxDatasetStream *s);
size_t jx_dataset_stream_cached_particles (const JxDatasetStream *s);
/* Chunks read from the file so far (a cache miss each). */
size_t jx_dataset_stream_reads (const JxDatasetStream *s);
