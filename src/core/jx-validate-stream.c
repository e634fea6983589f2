/* jx-validate-stream.c — see jx-validate-stream.h. */
#include "jx-validate-stream.h"

#include <string.h>

#include "jx-eval.h"
#include "jx-validate-private.h"

typedef struct {
  const JxModel *model;
  const JxClusterOptions *clustering;
  int threads;
  size_t first;           /* the walk's first jet: jet first + j is the validation's j */
  double a_max;           /* first walk */
  JxValidationSums *sums; /* second walk; NULL in the first */
  size_t n_bad, n_long;
} Walk;

static int
validate_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
                JxError *err)
{
  Walk *w = user;
  JxTreeSet set;
  /* the chunk's other rows (outside first..last) are clustered too, and ignored */
  int rc = jx_tree_set_build (&set, chunk, w->clustering, jx_model_config (w->model)->max_mult,
                              true, true, w->threads, NULL, err);
  if (rc != 0)
    return rc;
  if (w->sums == NULL)
    w->a_max = jx_validation_a_max (&set, lo, hi, w->a_max);
  else
    {
      rc = jx_validation_sums_add (w->sums, &set, lo, hi, chunk->first_jet + lo - w->first,
                                   progress, err);
      for (size_t r = lo; r < hi; r++)
        {
          w->n_bad += set.status[r] == JX_JET_BAD;
          w->n_long += set.status[r] == JX_JET_LONG;
        }
    }
  jx_tree_set_free (&set);
  return rc;
}

int
jx_validate_stream (const JxModel *model, const JxClusterOptions *clustering,
                    JxDatasetStream *data, size_t first, size_t last,
                    const JxValidationOptions *opt, JxValidation *v, size_t *n_bad,
                    size_t *n_long, JxProgress *progress, JxError *err)
{
  memset (v, 0, sizeof *v);
  *n_bad = *n_long = 0;
  JxValidationOptions def;
  int rc = jx_validation_check_options (&opt, &def, err);
  if (rc != 0)
    return rc;
  /* the two walks as the two halves of one progress */
  size_t n = last >= first ? last - first : 0;
  JxProgressPart part;
  jx_progress_part_init (&part, progress, 2.0 * (double) n);
  Walk w = { .model = model, .clustering = clustering, .threads = opt->threads, .first = first };
  rc = jx_dataset_stream_walk (data, first, last, validate_chunk, &w, "clustering",
                               &part.progress, err);
  JxValidationSums sums;
  memset (&sums, 0, sizeof sums);
  if (rc == 0)
    rc = jx_validation_sums_begin (&sums, model, opt, n, w.a_max, err);
  if (rc == 0)
    {
      w.sums = &sums;
      jx_progress_part_at (&part, (double) n);
      rc = jx_dataset_stream_walk (data, first, last, validate_chunk, &w, "validating",
                                   &part.progress, err);
    }
  if (rc == 0)
    {
      jx_validation_sums_end (&sums, v, NULL);
      *n_bad = w.n_bad;
      *n_long = w.n_long;
      jx_progress_report (progress, 2.0 * (double) n, 2.0 * (double) n, "validating");
    }
  jx_validation_sums_free (&sums);
  return rc;
}
