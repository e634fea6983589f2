/* jx-eval-stream.h — jx_evaluate over a dataset file larger than memory.
 *
 * The file is walked chunk by chunk through a jx-dataset-stream; each chunk is scored with
 * jx_evaluate and its scores appended to the file's. Jets are scored in batches of
 * JX_EVAL_CHUNK, and a stream's chunks begin on batch boundaries of the file (its align_jets,
 * by default JX_DATASET_STREAM_ALIGN), so the scores equal jx_evaluate's on the whole file read
 * at once (the tests check bit for bit; a stream opened with another alignment may differ in
 * the last bits).
 * Memory: the stream's cache, one chunk's trees, and the scores themselves (20 bytes per jet;
 * with per_step also 56 bytes per step, which for millions of jets is gigabytes: the caller
 * decides).
 *
 * The model/data warnings (jx_eval_check_compat_mean) are given once, after the walk, with
 * the mean jet energy of the whole file and the file's attributes; the chunks give none.
 */
#pragma once

#include "jx-dataset-stream.h"
#include "jx-eval.h"

/* scores: initialized by this call (free with jx_scores_free, also after an error). progress
 * sees the whole walk. Errors: those of jx_evaluate and of the stream's chunk reads (a
 * damaged file is refused as jx_dataset_read refuses it, naming the jet). */
int jx_evaluate_stream (const JxModel *model, const JxModelMeta *meta, JxDatasetStream *data,
                        const JxEvalOptions *opt, JxScores *scores, JxProgress *progress,
                        JxError *err);
