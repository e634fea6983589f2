/* test-eval-stream.c — jx_evaluate_stream (a file walked in chunks) against jx_evaluate on
 * the same file read whole: per-jet and per-step scores bit for bit, the same provenance and
 * the same warnings (given once), on chunks far smaller than the file, with a jet too long
 * for the model and a jet with nothing above E_sub among them; progress runs through the
 * whole walk once; a cancel stops it; an empty file gives empty scores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-eval-stream.h"
#include "jx-model.h"
#include "jx-test-jets.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

#define N_JETS 500
#define LONG_JET 250   /* more particles than the model's M */
#define SOFT_JET 251   /* nothing above E_sub */

static void
make_data (JxDataset *ds)
{
  JxRng rng;
  jx_rng_seed (&rng, 11, 0);
  jx_dataset_init (ds);
  JxP4 p[20];
  JxError err;
  for (size_t i = 0; i < N_JETS; i++)
    {
      size_t n = i == LONG_JET ? 20 : 3 + jx_rng_below (&rng, 8);
      jx_test_random_jet (&rng, n, p);
      if (i == SOFT_JET)
        for (size_t k = 0; k < n; k++)
          p[k] = jx_p4 (0.001, 0, 0, 0.001);
      JX_CHECK_INT (jx_dataset_append (ds, p, n, &err), 0);
    }
  /* coarser than the model's subjet step: one warning, from the file's attributes */
  JX_CHECK_INT (jx_dataset_set_attr (ds, "esub", "5", &err), 0);
}

typedef struct {
  char lines[8][512];
  int n;
} Warnings;

static void
keep_warning (void *user, const char *message)
{
  Warnings *w = user;
  if (w->n < 8)
    snprintf (w->lines[w->n], sizeof w->lines[0], "%s", message);
  w->n++;
}

typedef struct {
  double last_done, total;
  int calls, backwards;
} Seen;

static void
seen_report (void *user, double done, double total, const char *message)
{
  (void) message;
  Seen *s = user;
  s->backwards += done < s->last_done;
  s->last_done = done;
  s->total = total;
  s->calls++;
}

static void
check_same_scores (const JxScores *a, const JxScores *b, bool per_step)
{
  JX_CHECK_INT (a->n_jets, b->n_jets);
  if (a->n_jets != b->n_jets)
    return;
  size_t n = a->n_jets;
  JX_CHECK (memcmp (a->log_p, b->log_p, n * sizeof (double)) == 0);
  JX_CHECK (memcmp (a->status, b->status, n * sizeof (int32_t)) == 0);
  JX_CHECK (memcmp (a->n, b->n, n * sizeof (int32_t)) == 0);
  JX_CHECK_INT (a->n_attrs, b->n_attrs);
  for (size_t k = 0; k < a->n_attrs && k < b->n_attrs; k++)
    JX_CHECK_MSG (strcmp (a->attrs[k].key, b->attrs[k].key) == 0
                  && strcmp (a->attrs[k].value, b->attrs[k].value) == 0,
                  "attr %s=%s vs %s=%s", a->attrs[k].key, a->attrs[k].value, b->attrs[k].key,
                  b->attrs[k].value);
  if (!per_step)
    {
      JX_CHECK (b->step_offsets == NULL);
      return;
    }
  JX_CHECK (memcmp (a->step_offsets, b->step_offsets, (n + 1) * sizeof (uint64_t)) == 0);
  size_t rows = (size_t) a->step_offsets[n];
  JX_CHECK (rows > N_JETS);
  JX_CHECK (memcmp (a->log_end, b->log_end, rows * sizeof (double)) == 0);
  JX_CHECK (memcmp (a->log_mother, b->log_mother, rows * sizeof (double)) == 0);
  JX_CHECK (memcmp (a->log_branch, b->log_branch, rows * sizeof (double)) == 0);
  JX_CHECK (memcmp (a->log_branch_parts, b->log_branch_parts, 4 * rows * sizeof (double)) == 0);
}

int
main (void)
{
  jx_test_tmp_begin ("eval-stream");
  (void) write_text;   /* jx-test-tmp.h's helper, not needed here */
  JxError err;
  JxDataset ds;
  make_data (&ds);
  const char *path = tmp_path ("jets.h5");
  JX_CHECK_INT (jx_dataset_write (&ds, path, NULL, &err), 0);

  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = JX_BRANCH_FACTORIZED;
  cfg.hidden = 8;
  cfg.dense = 8;
  cfg.max_mult = 16;
  cfg.scaling.e_jet = 100;
  JxModel *m = NULL;
  JX_CHECK_INT (jx_model_new (&cfg, 3, &m, &err), 0);
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  meta.clustering.algorithm = JX_ALGO_CA;
  meta.clustering.esub = 0.05;
  meta.clustering.rsub = 0;

  /* the peer: the whole file in memory */
  JxDataset full;
  JX_CHECK_INT (jx_dataset_read (&full, path, NULL, &err), 0);
  for (int per_step = 0; per_step <= 1; per_step++)
    {
      Warnings w_full = { 0 }, w_stream = { 0 };
      JxEvalOptions eo;
      jx_eval_options_default (&eo);
      eo.per_step = per_step;
      eo.threads = 2;
      eo.model_name = "m.h5";
      eo.data_name = "jets.h5";
      eo.warn = keep_warning;
      eo.warn_user = &w_full;
      JxScores whole, streamed;
      JX_CHECK_INT (jx_evaluate (m, &meta, &full, &eo, &whole, NULL, &err), 0);
      JX_CHECK_INT (whole.status[LONG_JET], JX_JET_LONG);
      JX_CHECK_INT (whole.status[SOFT_JET], JX_JET_BAD);
      JX_CHECK_INT (jx_scores_n_scored (&whole), N_JETS - 2);

      JxDatasetStreamOptions so = { .chunk_jets = 37, .chunk_particles = 120, .cache_chunks = 2 };
      JxDatasetStream *s = jx_dataset_stream_open (path, &so, &err);
      JX_CHECK (s != NULL);
      eo.warn_user = &w_stream;
      Seen seen = { 0 };
      JxProgress progress;
      jx_progress_init (&progress, seen_report, &seen);
      int rc = jx_evaluate_stream (m, &meta, s, &eo, &streamed, &progress, &err);
      JX_CHECK_MSG (rc == 0, "%s", err.message);
      JX_CHECK (jx_dataset_stream_reads (s) > N_JETS / 37);   /* it really went in chunks */
      check_same_scores (&whole, &streamed, per_step);
      JX_CHECK (w_full.n >= 1);   /* the E_sub attribute */
      JX_CHECK_INT (w_stream.n, w_full.n);
      for (int k = 0; k < w_full.n && k < w_stream.n && k < 8; k++)
        JX_CHECK_MSG (strcmp (w_full.lines[k], w_stream.lines[k]) == 0, "%s | %s",
                      w_full.lines[k], w_stream.lines[k]);
      JX_CHECK_INT (seen.backwards, 0);
      JX_CHECK (seen.calls > 0 && seen.last_done == N_JETS && seen.total == N_JETS);
      jx_scores_free (&whole);
      jx_scores_free (&streamed);

      /* cancelled before it starts: stops at the first chunk, no scores */
      jx_progress_cancel (&progress);
      rc = jx_evaluate_stream (m, &meta, s, &eo, &streamed, &progress, &err);
      JX_CHECK_INT (rc, JX_ERR_CANCELLED);
      JX_CHECK_INT (streamed.n_jets, 0);
      jx_dataset_stream_close (s);
    }

  /* an empty file: empty scores with their provenance */
  JxDataset empty;
  jx_dataset_init (&empty);
  const char *empty_path = tmp_path ("empty.h5");
  JX_CHECK_INT (jx_dataset_write (&empty, empty_path, NULL, &err), 0);
  JxDatasetStream *s = jx_dataset_stream_open (empty_path, NULL, &err);
  JX_CHECK (s != NULL);
  JxScores none;
  JX_CHECK_INT (jx_evaluate_stream (m, &meta, s, NULL, &none, NULL, &err), 0);
  JX_CHECK_INT (none.n_jets, 0);
  jx_scores_free (&none);
  jx_dataset_stream_close (s);
  unlink (empty_path);

  jx_dataset_free (&full);
  jx_dataset_free (&ds);
  jx_model_free (m);
  jx_model_meta_free (&meta);
  unlink (path);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("eval-stream");
}
