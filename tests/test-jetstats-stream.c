/* test-jetstats-stream.c — the observables table of a file walked in chunks
 * (jx-jetstats-stream) against jx_jetstats_compute on the same file read whole: the whole
 * table and a sub-range bit for bit (values, NaN rows, statuses), the failures counted and the
 * first one's message naming the jet of the file, with chunks far smaller than the file and
 * bad jets in chunks past the first; the parts handed out tile the range in order, each within
 * one chunk; a part function's error stops the walk with it; a cancel fails; a range outside
 * the file is refused. The seeds of sampled showers: the same seeds and skips as
 * jx_jetstats_seeds on the file read whole. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-jetstats-stream.h"
#include "jx-test-jets.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

#define N_JETS 700
#define CHUNK_JETS 37
#define SOFT_JET 140   /* nothing above E_sub */
#define NAN_JET 451    /* a NaN momentum */

static void
make_dataset (JxDataset *ds)
{
  JxRng rng;
  JxP4 p[60];
  JxError err = { 0 };
  jx_rng_seed (&rng, 5, 0);
  jx_dataset_init (ds);
  for (size_t i = 0; i < N_JETS; i++)
    {
      size_t n = 1 + jx_rng_below (&rng, 60);
      jx_test_random_jet (&rng, n, p);
      if (i == SOFT_JET)
        for (size_t k = 0; k < n; k++)
          p[k] = jx_p4_scale (p[k], 0.1 / p[k].E);
      if (i == NAN_JET)
        p[0].px = NAN;
      JX_CHECK_INT (jx_dataset_append (ds, p, n, &err), 0);
    }
}

static void
check_same_table (const JxJetStats *whole, const JxJetStats *streamed)
{
  JX_CHECK_INT (streamed->first, whole->first);
  JX_CHECK_INT (streamed->n_jets, whole->n_jets);
  if (streamed->n_jets != whole->n_jets)
    return;
  JX_CHECK (memcmp (streamed->values, whole->values,
                    whole->n_jets * JX_N_OBSERVABLES * sizeof (double)) == 0);
  JX_CHECK (memcmp (streamed->status, whole->status, whole->n_jets * sizeof (int32_t)) == 0);
  JX_CHECK_INT (streamed->n_failed, whole->n_failed);
  JX_CHECK_INT (streamed->first_error.code, whole->first_error.code);
  JX_CHECK_MSG (strcmp (streamed->first_error.message, whole->first_error.message) == 0,
                "%s | %s", streamed->first_error.message, whole->first_error.message);
  JX_CHECK (jx_cluster_options_equal (&streamed->clustering, &whole->clustering));
}

typedef struct {
  size_t next, calls, stop_after, largest;
  bool out_of_order;
} Parts;

static int
see_part (void *user, const JxJetStats *part, JxError *err)
{
  Parts *p = user;
  p->out_of_order |= part->first != p->next;
  p->next = part->first + part->n_jets;
  if (part->n_jets > p->largest)
    p->largest = part->n_jets;
  if (++p->calls == p->stop_after)
    return jx_error_set (err, JX_ERR_IO, "the reader stopped");
  return 0;
}

int
main (void)
{
  jx_test_tmp_begin ("jetstats-stream");
  (void) write_text;   /* jx-test-tmp.h's helper, not needed here */
  JxError err;
  JxDataset ds;
  make_dataset (&ds);
  const char *path = tmp_path ("jets.h5");
  JX_CHECK_INT (jx_dataset_write (&ds, path, NULL, &err), 0);
  JxDataset full;
  JX_CHECK_INT (jx_dataset_read (&full, path, NULL, &err), 0);
  JxDatasetStreamOptions so = { .chunk_jets = CHUNK_JETS, .chunk_particles = 1000,
                                .cache_chunks = 2 };
  JxDatasetStream *s = jx_dataset_stream_open (path, &so, &err);
  JX_CHECK (s != NULL);
  JxClusterOptions c;
  jx_cluster_options_default (&c);
  c.esub = 1.0;

  /* the whole file, and a sub-range starting and ending inside chunks */
  size_t ranges[2][2] = { { 0, N_JETS }, { 100, 650 } };
  for (int k = 0; k < 2; k++)
    {
      JxJetStats whole, streamed;
      JX_CHECK_INT (jx_jetstats_compute (&whole, &full, ranges[k][0], ranges[k][1], &c, 2, NULL,
                                         &err), 0);
      /* the two made bad, and random jets with nothing above E_sub */
      JX_CHECK (whole.n_failed >= 2);
      JX_CHECK (whole.status[SOFT_JET - ranges[k][0]] != 0);
      JX_CHECK (whole.status[NAN_JET - ranges[k][0]] != 0);
      printf ("jets %zu..%zu: %zu failed, the first: %s\n", ranges[k][0], ranges[k][1],
              whole.n_failed, whole.first_error.message);
      int rc = jx_jetstats_compute_stream (&streamed, s, ranges[k][0], ranges[k][1], &c, 2, NULL,
                                           &err);
      JX_CHECK_MSG (rc == 0, "%s", err.message);
      check_same_table (&whole, &streamed);
      jx_jetstats_free (&whole);
      jx_jetstats_free (&streamed);
    }

  /* the parts: in order, tiling the range, none larger than a chunk */
  Parts parts = { .next = 100 };
  JX_CHECK_INT (jx_jetstats_stream (s, 100, 650, &c, 1, see_part, &parts, NULL, &err), 0);
  JX_CHECK (!parts.out_of_order);
  JX_CHECK_INT (parts.next, 650);
  JX_CHECK (parts.largest <= CHUNK_JETS);
  JX_CHECK (parts.calls >= (650 - 100) / CHUNK_JETS);
  /* a part function's error stops the walk */
  Parts stop = { .next = 0, .stop_after = 3 };
  JX_CHECK_INT (jx_jetstats_stream (s, 0, N_JETS, &c, 1, see_part, &stop, NULL, &err), JX_ERR_IO);
  JX_CHECK_INT (stop.calls, 3);
  JX_CHECK (strstr (err.message, "the reader stopped") != NULL);
  /* cancelled */
  JxProgress progress;
  jx_progress_init (&progress, NULL, NULL);
  jx_progress_cancel (&progress);
  JxJetStats none;
  JX_CHECK_INT (jx_jetstats_compute_stream (&none, s, 0, N_JETS, &c, 1, &progress, &err),
                JX_ERR_CANCELLED);
  JX_CHECK (none.values == NULL && none.n_jets == 0);
  /* outside the file */
  JX_CHECK_INT (jx_jetstats_compute_stream (&none, s, 10, N_JETS + 1, &c, 1, NULL, &err),
                JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "700 jets") != NULL);

  /* the seeds of sampled showers: the same seeds in the same order, the same skips */
  JxP4 *whole_seeds, *streamed_seeds;
  size_t n_whole, n_streamed;
  JxSeedSkips whole_skips, streamed_skips;
  JX_CHECK_INT (jx_jetstats_seeds (&full, &c, 2, &whole_seeds, &n_whole, &whole_skips, NULL,
                                   &err), 0);
  JX_CHECK_INT (jx_jetstats_seeds_stream (s, &c, 2, &streamed_seeds, &n_streamed,
                                          &streamed_skips, NULL, &err), 0);
  JX_CHECK_INT (n_streamed, n_whole);
  JX_CHECK (n_whole > N_JETS / 2 && n_whole < N_JETS);
  JX_CHECK (memcmp (streamed_seeds, whole_seeds, n_whole * sizeof (JxP4)) == 0);
  JX_CHECK (memcmp (&streamed_skips, &whole_skips, sizeof whole_skips) == 0);
  JX_CHECK (whole_skips.n_invalid >= 1 && whole_skips.n_no_subjets >= 1);
  free (whole_seeds);
  free (streamed_seeds);
  JX_CHECK_INT (jx_jetstats_seeds_stream (s, &c, 1, &streamed_seeds, &n_streamed,
                                          &streamed_skips, &progress, &err), JX_ERR_CANCELLED);
  JX_CHECK (streamed_seeds == NULL && n_streamed == 0);

  jx_dataset_stream_close (s);
  jx_dataset_free (&full);
  jx_dataset_free (&ds);
  unlink (path);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("jetstats-stream");
}
