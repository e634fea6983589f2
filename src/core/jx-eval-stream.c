/* jx-eval-stream.c — see jx-eval-stream.h. */
#include "jx-eval-stream.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A stream's chunks begin on batch boundaries of the file (jx-dataset-stream.h), so each
 * chunk's jx_evaluate batches its jets as the whole file's does. */
_Static_assert (JX_DATASET_STREAM_ALIGN % JX_EVAL_CHUNK == 0,
                "stream chunks must begin on evaluation batch boundaries");

/* Appends the per-step rows of chunk (jets of the file from first) to whole, whose offsets
 * up to first are set; *cap is the rows allocated in whole's step arrays. */
static int
append_steps (JxScores *whole, size_t first, const JxScores *chunk, size_t *cap, JxError *err)
{
  size_t base = (size_t) whole->step_offsets[first];
  size_t rows = (size_t) chunk->step_offsets[chunk->n_jets];
  if (base + rows > *cap)
    {
      size_t want = 2 * (base + rows) + 1024;
      double *e = realloc (whole->log_end, want * sizeof *e);
      if (e != NULL)
        whole->log_end = e;
      double *m = realloc (whole->log_mother, want * sizeof *m);
      if (m != NULL)
        whole->log_mother = m;
      double *b = realloc (whole->log_branch, want * sizeof *b);
      if (b != NULL)
        whole->log_branch = b;
      double *parts = realloc (whole->log_branch_parts, 4 * want * sizeof *parts);
      if (parts != NULL)
        whole->log_branch_parts = parts;
      if (e == NULL || m == NULL || b == NULL || parts == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the per-step scores of "
                             "%zu steps", base + rows);
      *cap = want;
    }
  memcpy (whole->log_end + base, chunk->log_end, rows * sizeof (double));
  memcpy (whole->log_mother + base, chunk->log_mother, rows * sizeof (double));
  memcpy (whole->log_branch + base, chunk->log_branch, rows * sizeof (double));
  memcpy (whole->log_branch_parts + 4 * base, chunk->log_branch_parts, 4 * rows * sizeof (double));
  for (size_t i = 0; i < chunk->n_jets; i++)
    whole->step_offsets[first + i + 1] = (uint64_t) base + chunk->step_offsets[i + 1];
  return 0;
}

/* The chunk's per-jet scores into whole at jet first; its provenance once. */
static int
append_chunk (JxScores *whole, size_t first, const JxScores *chunk, bool per_step, size_t *cap,
              JxError *err)
{
  memcpy (whole->log_p + first, chunk->log_p, chunk->n_jets * sizeof *whole->log_p);
  memcpy (whole->status + first, chunk->status, chunk->n_jets * sizeof *whole->status);
  memcpy (whole->n + first, chunk->n, chunk->n_jets * sizeof *whole->n);
  int rc = 0;
  if (whole->n_attrs == 0)
    for (size_t k = 0; rc == 0 && k < chunk->n_attrs; k++)
      rc = jx_scores_set_attr (whole, chunk->attrs[k].key, chunk->attrs[k].value, err);
  if (rc == 0 && per_step)
    rc = append_steps (whole, first, chunk, cap, err);
  return rc;
}

typedef struct {
  const JxModel *model;
  const JxModelMeta *meta;
  const JxEvalOptions *quiet;   /* no warnings: given once, for the whole file */
  JxScores *scores;
  bool per_step;
  size_t cap;                   /* rows allocated in scores' step arrays */
  double energy_sum;
} Walk;

/* A chunk of the walk (always whole: the walk covers the file) scored and appended. */
static int
eval_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
            JxError *err)
{
  Walk *w = user;
  (void) hi;
  size_t first = chunk->first_jet + lo;
  w->energy_sum += jx_eval_energy_sum (chunk);
  JxScores part_scores;
  int rc = jx_evaluate (w->model, w->meta, chunk, w->quiet, &part_scores, progress, err);
  if (rc == 0)
    rc = append_chunk (w->scores, first, &part_scores, w->per_step, &w->cap, err);
  jx_scores_free (&part_scores);
  return rc;
}

static void
warn_compat (const JxModel *model, const JxModelMeta *meta, JxDatasetStream *data,
             double energy_sum, const JxEvalOptions *opt)
{
  size_t n = jx_dataset_stream_info (data)->n_jets;
  JxError ignore = { 0 };
  JxDataset attrs;
  jx_dataset_init (&attrs);
  if (jx_dataset_stream_read_attrs (data, &attrs, &ignore) == 0)
    jx_eval_check_compat_mean (model, meta, &attrs, energy_sum / (double) n, opt->clustering,
                               opt->warn, opt->warn_user);
  jx_dataset_free (&attrs);
}

int
jx_evaluate_stream (const JxModel *model, const JxModelMeta *meta, JxDatasetStream *data,
                    const JxEvalOptions *opt, JxScores *scores, JxProgress *progress,
                    JxError *err)
{
  JxEvalOptions options;
  if (opt == NULL)
    jx_eval_options_default (&options);
  else
    options = *opt;
  size_t n = jx_dataset_stream_info (data)->n_jets;
  if (n == 0)
    {
      /* nothing to walk: an empty dataset gives the empty scores and their provenance */
      JxDataset empty;
      jx_dataset_init (&empty);
      return jx_evaluate (model, meta, &empty, &options, scores, progress, err);
    }

  JxEvalOptions quiet = options;
  quiet.warn = NULL;   /* warnings once, for the whole file, below */
  jx_scores_init (scores);
  int rc = jx_scores_alloc (scores, n, err);
  size_t cap = 0;
  if (rc == 0 && options.per_step)
    {
      cap = 1024;   /* never NULL, as jx_scores_alloc_steps leaves them, even with no steps */
      scores->step_offsets = calloc (n + 1, sizeof *scores->step_offsets);
      scores->log_end = calloc (cap, sizeof (double));
      scores->log_mother = calloc (cap, sizeof (double));
      scores->log_branch = calloc (cap, sizeof (double));
      scores->log_branch_parts = calloc (4 * cap, sizeof (double));
      if (scores->step_offsets == NULL || scores->log_end == NULL || scores->log_mother == NULL
          || scores->log_branch == NULL || scores->log_branch_parts == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory for the per-step scores");
    }
  Walk w = { model, meta, &quiet, scores, options.per_step, cap, 0 };
  if (rc == 0)
    rc = jx_dataset_stream_walk (data, 0, n, eval_chunk, &w, "evaluating", progress, err);
  if (rc == 0)
    warn_compat (model, meta, data, w.energy_sum, &options);
  else
    jx_scores_free (scores);
  return rc;
}
