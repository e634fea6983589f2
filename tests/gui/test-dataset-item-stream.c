/* test-dataset-item-stream.c — a dataset file opened the streamed way (jets read on demand)
 * against the same file read whole, without a display: the Open job's worker, the browser's
 * rows before and after the streaming observables job, the Tree page's scored jet, the Lund
 * and image pages' first-jets reads, eval and seeded sampling through the stream, and the refusal of a job that
 * needs every jet in memory. JUNIPR_STREAM_PARTICLES=0 streams any file and
 * JUNIPR_STREAM_CHUNK_JETS makes this small file span several chunks. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "jx-dataset-item.h"
#include "jx-generator.h"
#include "jx-model-io.h"
#include "jx-scored-jet.h"
#include "jx-session.h"
#include "jx-tasks.h"

#ifndef JX_SOURCE_ROOT
#define JX_SOURCE_ROOT "."
#endif

#define N_EACH 60   /* quark then Z jets: 120 jets, 7 chunks of 17 (the last one shorter) */

static char *dir, *path;
static JxDatasetItem *whole, *streamed;

static JxJob *
job_for (JxJobKind kind)
{
  JxJobSpec spec = { .kind = kind };
  /* Never started: the tasks below run here and only leave notes on it. */
  return jx_job_new (&spec, "test", jx_task_stats, NULL, NULL);
}

static JxModelItem *
demo_model (const char *name)
{
  g_autofree char *file = g_build_filename (JX_SOURCE_ROOT, "data", "models", name, NULL);
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };

  if (jx_model_load (file, &model, &meta, NULL, NULL, &err) != 0)
    g_error ("%s", err.message);
  return jx_model_item_new (model, &meta, file);
}

/* The Open job's worker on the file, and the item the window would make of it. */
static JxDatasetItem *
open_like_the_app (void)
{
  JxLoadData *d = jx_load_data_new (path);
  JxError err = { 0 };
  JxDatasetItem *item;

  g_assert_cmpint (jx_task_load (NULL, d, NULL, &err), ==, 0);
  g_assert_cmpstr (d->kind, ==, "junipr-dataset");
  g_assert_nonnull (d->stream);
  g_assert_cmpuint (d->ds.n_jets, ==, 0);   /* no jet was read whole */
  item = jx_dataset_item_new_streamed (g_steal_pointer (&d->stream), &d->ds, NULL);
  jx_load_data_free (d);
  return item;
}

static void
setup (void)
{
  JxDataset ds;
  JxGenConfig cfg;
  JxError err = { 0 };

  dir = g_dir_make_tmp ("jx-item-stream-XXXXXX", NULL);
  path = g_build_filename (dir, "jets.h5", NULL);
  jx_dataset_init (&ds);
  for (int p = 0; p < 2; p++)
    {
      jx_gen_config_default (&cfg);
      cfg.process = p == 0 ? JX_PROCESS_QQ : JX_PROCESS_ZZ;
      cfg.seed = 5 + p;
      cfg.threads = 1;
      g_assert_cmpint (jx_generate (&cfg, N_EACH, &ds, NULL, NULL, &err), ==, 0);
    }
  g_assert_cmpint (jx_dataset_write (&ds, path, NULL, &err), ==, 0);
  jx_dataset_free (&ds);
  g_assert_cmpint (jx_dataset_read (&ds, path, NULL, &err), ==, 0);
  whole = jx_dataset_item_new (&ds, path, NULL);
  streamed = open_like_the_app ();
}

/* Name, size, subtitle and every jet's particles, through the one-jet accessor. */
static void
test_jets (void)
{
  g_autofree char *sub_w = jx_dataset_item_dup_subtitle (whole);
  g_autofree char *sub_s = jx_dataset_item_dup_subtitle (streamed);

  g_assert_true (jx_dataset_item_is_streamed (streamed));
  g_assert_false (jx_dataset_item_is_streamed (whole));
  g_assert_null (jx_dataset_item_get_dataset (streamed));
  g_assert_cmpuint (jx_dataset_item_get_n_jets (streamed), ==, 2 * N_EACH);
  g_assert_cmpstr (sub_s, ==, sub_w);
  g_assert_nonnull (jx_dataset_item_get_attr (streamed, "generator"));
  g_assert_cmpstr (jx_dataset_item_get_attr (streamed, "process"), ==,
                   jx_dataset_item_get_attr (whole, "process"));
  /* Backwards, so chunks are evicted and read again. */
  for (gsize i = 2 * N_EACH; i-- > 0;)
    {
      const JxDataset *ds = jx_dataset_item_get_dataset (whole);
      size_t n = 0;
      JxError err = { 0 };
      const JxP4 *p = jx_dataset_item_get_jet (streamed, i, &n, &err);
      g_assert_nonnull (p);
      g_assert_cmpuint (n, ==, jx_dataset_jet_size (ds, i));
      g_assert_cmpmem (p, n * sizeof *p, jx_dataset_jet (ds, i), n * sizeof *p);
    }
}

/* The browser's columns: one jet at a time before the observables job, then the job's table
 * (through this worker's own stream) — both equal to the whole file's, bit for bit. */
static void
test_browser_rows (void)
{
  static const JxJetColumn cols[] = { JX_COL_N, JX_COL_E, JX_COL_MASS, JX_COL_TAU21 };
  g_autoptr (JxJob) job = job_for (JX_JOB_KIND_OBSERVABLES);
  JxClusterOptions co;
  JxError err = { 0 };
  JxStatsData *ds_w, *ds_s;

  for (gsize i = 0; i < 2 * N_EACH; i += 7)
    for (size_t c = 0; c < G_N_ELEMENTS (cols); c++)
      {
        double a = jx_dataset_item_get_value (whole, i, cols[c]);
        double b = jx_dataset_item_get_value (streamed, i, cols[c]);
        g_assert_true (a == b || (isnan (a) && isnan (b)));
      }

  jx_cluster_options_default (&co);
  ds_w = jx_stats_data_new (whole, &co, 1);
  ds_s = jx_stats_data_new (streamed, &co, 2);
  g_assert_cmpint (jx_task_stats (job, ds_w, NULL, &err), ==, 0);
  g_assert_cmpint (jx_task_stats (job, ds_s, NULL, &err), ==, 0);
  jx_dataset_item_take_stats (whole, &ds_w->out);
  jx_dataset_item_take_stats (streamed, &ds_s->out);
  jx_stats_data_free (ds_w);
  jx_stats_data_free (ds_s);
  for (size_t c = 0; c < G_N_ELEMENTS (cols); c++)
    {
      g_autofree double *a = jx_dataset_item_dup_column (whole, cols[c]);
      g_autofree double *b = jx_dataset_item_dup_column (streamed, cols[c]);
      g_assert_nonnull (b);
      for (gsize i = 0; i < 2 * N_EACH; i++)
        g_assert_true (a[i] == b[i] || (isnan (a[i]) && isnan (b[i])));
    }
}

/* The Tree page's jet: the same tree and the same scores under both models, and the session's
 * tree (the Image and Shower pages' jet) the same too. */
static void
test_tree_jet (void)
{
  g_autoptr (JxModelItem) a = demo_model ("quark-model.h5");
  g_autoptr (JxModelItem) b = demo_model ("z-model.h5");
  JxClusterOptions co = jx_model_item_get_meta (a)->clustering;

  for (int jet = 3; jet < 2 * N_EACH; jet += 40)
    {
      g_autoptr (JxScoredJet) w = jx_scored_jet_new (whole, jet, &co, a, b);
      g_autoptr (JxScoredJet) s = jx_scored_jet_new (streamed, jet, &co, a, b);
      g_autoptr (JxSession) sw = jx_session_new ();
      g_autoptr (JxSession) ss = jx_session_new ();

      g_assert_true (jx_scored_jet_has_tree (w));
      g_assert_cmpuint (s->tree.n, ==, w->tree.n);
      for (size_t k = 0; k + 1 < 2 * w->tree.n; k++)
        {
          const JxNode *x = &s->tree.nodes[k], *y = &w->tree.nodes[k];
          g_assert_cmpmem (&x->p, sizeof x->p, &y->p, sizeof y->p);
          g_assert_cmpint (x->mother, ==, y->mother);
          g_assert_cmpint (x->daughter[0], ==, y->daughter[0]);
          g_assert_cmpint (x->step, ==, y->step);
        }
      for (int m = 0; m < 2; m++)
        g_assert_cmpfloat (s->m[m].total, ==, w->m[m].total);
      g_assert_cmpfloat (s->lr_total, ==, w->lr_total);

      jx_session_set_dataset (sw, whole);
      jx_session_set_dataset (ss, streamed);
      jx_session_set_jet_index (sw, jet);
      jx_session_set_jet_index (ss, jet);
      g_assert_nonnull (jx_session_get_tree (ss));
      g_assert_cmpuint (jx_session_get_tree (ss)->n, ==, jx_session_get_tree (sw)->n);
    }
}

/* Eval streams the file; the average image reads the first jets only: both as on the whole. */
static void
test_streaming_jobs (void)
{
  g_autoptr (JxModelItem) a = demo_model ("quark-model.h5");
  g_autoptr (JxJob) job = job_for (JX_JOB_KIND_EVAL);
  JxEvalData *ew = jx_eval_data_new (whole, a, 0), *es = jx_eval_data_new (streamed, a, 0);
  JxImageAverageData *iw = jx_image_average_data_new (whole, 1, 16, 0.8, 50);
  JxImageAverageData *is = jx_image_average_data_new (streamed, 1, 16, 0.8, 50);
  JxError err = { 0 };

  ew->threads = es->threads = 2;
  g_assert_cmpint (jx_task_eval (job, ew, NULL, &err), ==, 0);
  g_assert_cmpint (jx_task_eval (job, es, NULL, &err), ==, 0);
  /* Not bit for bit: with chunks of 17 jets two of these 120 jets differ in the 9th digit (a few 1e-9 relative)
   * (the walk batches jets per chunk, so the matrix products sum in another order). */
  for (gsize i = 0; i < 2 * N_EACH; i++)
    if (isnan (ew->log_p[i]))
      g_assert_true (isnan (es->log_p[i]));
    else
      g_assert_cmpfloat_with_epsilon (es->log_p[i], ew->log_p[i], 1e-7 * fabs (ew->log_p[i]));
  jx_eval_data_free (ew);
  jx_eval_data_free (es);

  g_assert_cmpint (jx_task_image_average (job, iw, NULL, &err), ==, 0);
  g_assert_cmpint (jx_task_image_average (job, is, NULL, &err), ==, 0);
  g_assert_cmpuint (is->n_used, ==, iw->n_used);
  g_assert_cmpmem (is->image.pix, 16 * 16 * sizeof (double), iw->image.pix, 16 * 16 * sizeof (double));
  jx_image_average_data_free (iw);
  jx_image_average_data_free (is);
}

/* Showers seeded by the jets of a streamed file: the same seeds, so the same sampled jets. */
static void
test_sample_seeds (void)
{
  g_autoptr (JxModelItem) a = demo_model ("quark-model.h5");
  g_autoptr (JxJob) job = job_for (JX_JOB_KIND_SAMPLE);
  JxSampleData *d[2] = { jx_sample_data_new (a), jx_sample_data_new (a) };
  JxDatasetItem *seeds[2] = { whole, streamed };
  JxError err = { 0 };

  for (int k = 0; k < 2; k++)
    {
      d[k]->seeds = g_object_ref (seeds[k]);
      d[k]->n_jets = 25;
      d[k]->seed = 3;
      d[k]->threads = 1;
      g_assert_cmpint (jx_task_sample (job, d[k], NULL, &err), ==, 0);
    }
  g_assert_cmpuint (d[1]->out.n_jets, ==, 25);
  g_assert_cmpuint (jx_dataset_n_particles (&d[1]->out), ==, jx_dataset_n_particles (&d[0]->out));
  g_assert_cmpmem (d[1]->out.particles, jx_dataset_n_particles (&d[1]->out) * sizeof (JxP4),
                   d[0]->out.particles, jx_dataset_n_particles (&d[0]->out) * sizeof (JxP4));
  jx_sample_data_free (d[0]);
  jx_sample_data_free (d[1]);
}

/* Training needs every jet in memory: one clear line naming the file and the CLI command, not
 * an attempt to read it whole. The in-memory item is not refused. */
static void
test_refusal (void)
{
  JxTrainData *d = jx_train_data_new (streamed);
  JxError err = { 0 };

  g_assert_cmpint (jx_task_train (NULL, d, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err.message, path));
  g_assert_nonnull (strstr (err.message, "'junipr train --stream'"));
  g_assert_null (strchr (err.message, '\n'));
  jx_train_data_free (d);
  g_assert_cmpint (jx_dataset_item_check_in_memory (whole, "training", "junipr train", &err), ==, 0);
}

int
main (int argc, char **argv)
{
  int rc;

  g_setenv ("JUNIPR_STREAM_PARTICLES", "0", TRUE);
  g_setenv ("JUNIPR_STREAM_CHUNK_JETS", "17", TRUE);
  g_test_init (&argc, &argv, NULL);
  setup ();
  g_test_add_func ("/dataset-item-stream/jets", test_jets);
  g_test_add_func ("/dataset-item-stream/browser-rows", test_browser_rows);
  g_test_add_func ("/dataset-item-stream/tree-jet", test_tree_jet);
  g_test_add_func ("/dataset-item-stream/streaming-jobs", test_streaming_jobs);
  g_test_add_func ("/dataset-item-stream/sample-seeds", test_sample_seeds);
  g_test_add_func ("/dataset-item-stream/refusal", test_refusal);
  rc = g_test_run ();
  g_object_unref (whole);
  g_object_unref (streamed);
  g_unlink (path);
  g_rmdir (dir);
  return rc;
}
