/* jx-jetstats-stream.c — see jx-jetstats-stream.h. */
#include "jx-jetstats-stream.h"

#include <stdlib.h>
#include <string.h>

int
jx_jetstats_stream (JxDatasetStream *s, size_t first, size_t last,
                    const JxClusterOptions *clustering, int threads, JxJetStatsPartFunc func,
                    void *user, JxProgress *progress, JxError *err)
{
  size_t n_jets = jx_dataset_stream_info (s)->n_jets;
  if (first > last || last > n_jets)
    return jx_error_set (err, JX_ERR_INVALID, "jets %zu..%zu are not in a dataset of %zu jets",
                         first, last, n_jets);
  JxProgressPart part;
  jx_progress_part_init (&part, progress, (double) (last - first));
  int rc = 0;
  for (size_t i = first; rc == 0 && i < last;)
    {
      size_t row;
      const JxDataset *chunk = jx_dataset_stream_get (s, i, &row, NULL, err);
      if (chunk == NULL)
        return err != NULL && err->code != 0 ? err->code : JX_ERR_IO;
      /* from jet i to the end of its chunk or of the range */
      size_t end = chunk->n_jets - row < last - i ? chunk->n_jets : row + (last - i);
      JxJetStats table;
      jx_progress_part_at (&part, (double) (i - first));
      rc = jx_jetstats_compute (&table, chunk, row, end, clustering, threads, &part.progress,
                                err);
      table.first += chunk->first_jet;   /* rows named by their jets in the file */
      if (rc == 0)
        rc = func (user, &table, err);
      i += end - row;
      jx_jetstats_free (&table);
    }
  if (rc == 0)
    jx_progress_report (progress, (double) (last - first), (double) (last - first), "observables");
  return rc;
}

/* ---- the whole table ----------------------------------------------------------------- */

static int
gather (void *user, const JxJetStats *part, JxError *err)
{
  (void) err;
  JxJetStats *st = user;
  size_t r = part->first - st->first;
  memcpy (st->values + r * JX_N_OBSERVABLES, part->values,
          part->n_jets * JX_N_OBSERVABLES * sizeof *st->values);
  memcpy (st->status + r, part->status, part->n_jets * sizeof *st->status);
  if (part->n_failed > 0 && st->n_failed == 0)
    st->first_error = part->first_error;   /* parts come in order: the lowest-numbered */
  st->n_failed += part->n_failed;
  return 0;
}

int
jx_jetstats_compute_stream (JxJetStats *st, JxDatasetStream *s, size_t first, size_t last,
                            const JxClusterOptions *clustering, int threads,
                            JxProgress *progress, JxError *err)
{
  jx_jetstats_init (st);
  size_t n_jets = jx_dataset_stream_info (s)->n_jets;
  if (first > last || last > n_jets)
    return jx_error_set (err, JX_ERR_INVALID, "jets %zu..%zu are not in a dataset of %zu jets",
                         first, last, n_jets);
  if (clustering != NULL)
    st->clustering = *clustering;
  st->first = first;
  st->n_jets = last - first;
  st->values = malloc ((st->n_jets * JX_N_OBSERVABLES + 1) * sizeof *st->values);
  st->status = malloc ((st->n_jets + 1) * sizeof *st->status);
  if (st->values == NULL || st->status == NULL)
    {
      jx_jetstats_free (st);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for the observables of %zu jets",
                           last - first);
    }
  int rc = jx_jetstats_stream (s, first, last, &st->clustering, threads, gather, st, progress,
                               err);
  if (rc != 0)
    {
      JxClusterOptions keep = st->clustering;
      jx_jetstats_free (st);
      st->clustering = keep;
    }
  return rc;
}

/* ---- seeds --------------------------------------------------------------------------- */

int
jx_jetstats_seeds_stream (JxDatasetStream *s, const JxClusterOptions *clustering, int threads,
                          JxP4 **seeds, size_t *n_seeds, JxSeedSkips *skips,
                          JxProgress *progress, JxError *err)
{
  size_t n = jx_dataset_stream_info (s)->n_jets;
  *seeds = malloc ((n + 1) * sizeof **seeds);
  *n_seeds = 0;
  memset (skips, 0, sizeof *skips);
  if (*seeds == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for the momenta of %zu jets", n);
  JxProgressPart part;
  jx_progress_part_init (&part, progress, (double) n);
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n;)
    {
      size_t row;
      const JxDataset *chunk = jx_dataset_stream_get (s, i, &row, NULL, err);
      if (chunk == NULL)
        {
          rc = err != NULL && err->code != 0 ? err->code : JX_ERR_IO;
          break;
        }
      if (row != 0)   /* chunks tile the file: a walk starts each */
        {
          rc = jx_error_set (err, JX_ERR_INTERNAL, "jet %zu is row %zu of its chunk", i, row);
          break;
        }
      JxP4 *some;
      size_t n_some;
      JxSeedSkips some_skips;
      jx_progress_part_at (&part, (double) i);
      rc = jx_jetstats_seeds (chunk, clustering, threads, &some, &n_some, &some_skips,
                              &part.progress, err);
      if (rc == 0)
        {
          memcpy (*seeds + *n_seeds, some, n_some * sizeof *some);
          *n_seeds += n_some;
          skips->n_invalid += some_skips.n_invalid;
          skips->n_no_subjets += some_skips.n_no_subjets;
          skips->n_massless += some_skips.n_massless;
          skips->n_spacelike += some_skips.n_spacelike;
          free (some);
        }
      i += chunk->n_jets;
    }
  if (rc != 0)
    {
      free (*seeds);
      *seeds = NULL;
      *n_seeds = 0;
      memset (skips, 0, sizeof *skips);
      return rc;
    }
  jx_progress_report (progress, (double) n, (double) n, "jet momenta");
  return 0;
}
