/* jx-jetstats-stream.c — see jx-jetstats-stream.h. */
#include "jx-jetstats-stream.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const JxClusterOptions *clustering;
  int threads;
  JxJetStatsPartFunc func;
  void *user;
} TableWalk;

static int
table_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
             JxError *err)
{
  TableWalk *w = user;
  JxJetStats table;
  int rc = jx_jetstats_compute (&table, chunk, lo, hi, w->clustering, w->threads, progress, err);
  table.first += chunk->first_jet;   /* rows named by their jets in the file */
  if (rc == 0)
    rc = w->func (w->user, &table, err);
  jx_jetstats_free (&table);
  return rc;
}

int
jx_jetstats_stream (JxDatasetStream *s, size_t first, size_t last,
                    const JxClusterOptions *clustering, int threads, JxJetStatsPartFunc func,
                    void *user, JxProgress *progress, JxError *err)
{
  size_t n_jets = jx_dataset_stream_info (s)->n_jets;
  if (first > last || last > n_jets)
    return jx_error_set (err, JX_ERR_INVALID, "jets %zu..%zu are not in a dataset of %zu jets",
                         first, last, n_jets);
  TableWalk w = { clustering, threads, func, user };
  return jx_dataset_stream_walk (s, first, last, table_chunk, &w, "observables", progress, err);
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

typedef struct {
  const JxClusterOptions *clustering;
  int threads;
  JxP4 *seeds;
  size_t *n_seeds;
  JxSeedSkips *skips;
} SeedWalk;

/* A whole chunk's seeds (the walk covers the file) after the ones before. */
static int
seeds_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
             JxError *err)
{
  SeedWalk *w = user;
  (void) lo, (void) hi;
  JxP4 *some;
  size_t n_some;
  JxSeedSkips sk;
  int rc = jx_jetstats_seeds (chunk, w->clustering, w->threads, &some, &n_some, &sk, progress,
                              err);
  if (rc != 0)
    return rc;
  memcpy (w->seeds + *w->n_seeds, some, n_some * sizeof *some);
  *w->n_seeds += n_some;
  w->skips->n_invalid += sk.n_invalid;
  w->skips->n_no_subjets += sk.n_no_subjets;
  w->skips->n_massless += sk.n_massless;
  w->skips->n_spacelike += sk.n_spacelike;
  free (some);
  return 0;
}

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
  SeedWalk w = { clustering, threads, *seeds, n_seeds, skips };
  int rc = jx_dataset_stream_walk (s, 0, n, seeds_chunk, &w, "jet momenta", progress, err);
  if (rc != 0)
    {
      free (*seeds);
      *seeds = NULL;
      *n_seeds = 0;
      memset (skips, 0, sizeof *skips);
      return rc;
    }
  return 0;
}
