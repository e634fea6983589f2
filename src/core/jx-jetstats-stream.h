/* jx-jetstats-stream.h — the observables table (jx-jetstats) of a dataset file larger than
 * memory: the file is walked chunk by chunk through a jx-dataset-stream and each chunk's
 * rows are computed with jx_jetstats_compute (threaded). Every row depends on its jet only,
 * so the rows equal those of jx_jetstats_compute on the file read whole, and messages name
 * jets by their index in the file.
 *
 * jx_jetstats_stream hands each chunk's table to a function and frees it (memory: the stream's
 * cache and one chunk's table; `junipr observables` writes its CSV this way).
 * jx_jetstats_compute_stream gathers the whole table (memory: the table, 17 doubles and a
 * status per jet; e.g. for the app's browser, whose dataset need not be in memory).
 * jx_jetstats_seeds_stream gathers the seeds of sampled showers (`junipr sample --seeds-from`).
 */
#pragma once

#include "jx-dataset-stream.h"
#include "jx-jetstats.h"

/* part: the table of a run of jets, part->first being the index in the file of its row 0.
 * Return 0 to go on, or an error (with err set) to stop the walk with it. */
typedef int (*JxJetStatsPartFunc) (void *user, const JxJetStats *part, JxError *err);

/* Jets [first, last) of s, one chunk's table at a time, in order, to func. progress sees the
 * whole walk. Fails as jx_jetstats_compute fails, for a chunk that cannot be read (the
 * stream's message, naming the file and the jet) or with func's error. */
int jx_jetstats_stream (JxDatasetStream *s, size_t first, size_t last,
                        const JxClusterOptions *clustering, int threads, JxJetStatsPartFunc func,
                        void *user, JxProgress *progress, JxError *err);

/* The whole table of jets [first, last) of s (st initialized here; free it also after an
 * error): the same table jx_jetstats_compute gives on the file read whole. */
int jx_jetstats_compute_stream (JxJetStats *st, JxDatasetStream *s, size_t first, size_t last,
                                const JxClusterOptions *clustering, int threads,
                                JxProgress *progress, JxError *err);

/* The seeds of sampled showers (jx_jetstats_seeds) from every jet of s, chunk by chunk: the
 * same seeds in the same order and the same skips as jx_jetstats_seeds on the file read whole.
 * Memory: the seeds (32 bytes per jet that can seed) and the stream's cache. */
int jx_jetstats_seeds_stream (JxDatasetStream *s, const JxClusterOptions *clustering,
                              int threads, JxP4 **seeds, size_t *n_seeds, JxSeedSkips *skips,
                              JxProgress *progress, JxError *err);
