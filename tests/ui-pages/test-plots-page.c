/* test-plots-page.c — the Plots page on a session's signal and background (one labelled
 * dataset split by label, models A = Z, B = quark as in the demo), with its jobs run by the
 * session (no window): observable histograms of data, of jets sampled from model A and of a
 * reweighting job's output with its weights; ROC
 * curves whose AUCs equal jx_discriminate's on the same jets computed here from scratch
 * (jx_evaluate + jx-jetstats); branchings; the training curve following a job through
 * "running" to "finished" and "cancelled"; messages when something is missing; a page narrow
 * enough for a 1024-pixel window; screenshots with something drawn. */
#include "config.h"

#include "jx-discriminate.h"
#include "jx-eval.h"
#include "jx-jetstats.h"
#include "jx-pages-test-util.h"
#include "jx-plots-page.h"

static JxDatasetItem *dataset;

static gboolean
not_busy (gpointer data)
{
  return !jx_plots_page_is_busy (JX_PLOTS_PAGE (data));
}

/* The AUCs junipr discriminate reports for the label-1 (signal) and label-0 jets of ds under
 * models a, b, computed without the app: scores, observables, test halves. */
static void
reference_aucs (const JxDataset *ds, JxModelItem *a, JxModelItem *b, double *auc)
{
  JxScores sc[2];
  JxJetStats st;
  JxEvalOptions eo;
  JxError err = { 0 };
  JxModelItem *m[2] = { a, b };
  double *lr[2] = { g_new (double, ds->n_jets), g_new (double, ds->n_jets) };
  JxObservables *obs[2] = { g_new (JxObservables, ds->n_jets), g_new (JxObservables, ds->n_jets) };
  size_t n[2] = { 0, 0 };
  JxDiscrimination d;

  jx_eval_options_default (&eo);
  for (int k = 0; k < 2; k++)
    g_assert_cmpint (jx_evaluate (jx_model_item_get_model (m[k]), jx_model_item_get_meta (m[k]), ds,
                                  &eo, &sc[k], NULL, &err), ==, 0);
  g_assert_cmpint (jx_jetstats_compute (&st, ds, 0, ds->n_jets, &jx_model_item_get_meta (a)->clustering,
                                        1, NULL, &err), ==, 0);
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      int s = ds->labels[i] > 0 ? 0 : 1;
      lr[s][n[s]] = sc[0].log_p[i] - sc[1].log_p[i];
      jx_jetstats_observables (&st, i, &obs[s][n[s]]);
      n[s]++;
    }
  JxDiscriminateSample sig = { lr[0], obs[0], n[0] }, bkg = { lr[1], obs[1], n[1] };
  g_assert_cmpint (jx_discriminate (&sig, &bkg, &d, &err), ==, 0);
  for (int k = 0; k < JX_N_DISCRIMINANTS; k++)
    auc[k] = d.roc[k].auc;
  jx_discrimination_free (&d);
  jx_jetstats_free (&st);
  for (int k = 0; k < 2; k++)
    {
      jx_scores_free (&sc[k]);
      g_free (lr[k]);
      g_free (obs[k]);
    }
}

/* A training job that reports three epochs, then (cancellable) waits to be cancelled. */
static int
fake_training (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxEpochRecord rec[3] = {
    { .epoch = 1, .train_loss = 30, .val_loss = 31 },
    { .epoch = 2, .train_loss = 25, .val_loss = 27 },
    { .epoch = 3, .train_loss = 22, .val_loss = 24.5 },
  };
  gboolean wait = GPOINTER_TO_INT (data);

  for (int e = 0; e < 3; e++)
    jx_job_push_epoch (job, &rec[e]);
  while (wait && !jx_progress_cancelled (progress))
    g_usleep (10000);
  return 0;
}

static gboolean
job_ended (gpointer data)
{
  JxJobState s = jx_job_get_state (JX_JOB (data));
  return s != JX_JOB_PENDING && s != JX_JOB_RUNNING;
}

static gboolean
status_has (gpointer data)
{
  gpointer *pd = data;
  return strstr (jx_plots_page_get_status_text (JX_PLOTS_PAGE (pd[0])), pd[1]) != NULL;
}

static void
test_training (JxPlotsPage *page)
{
  const JxJobSpec spec = { .kind = JX_JOB_KIND_TRAIN };
  g_autoptr (JxJob) done = jx_job_new (&spec, "train", fake_training, GINT_TO_POINTER (0), NULL);
  g_autoptr (JxJob) cancelled = jx_job_new (&spec, "train", fake_training, GINT_TO_POINTER (1),
                                            NULL);
  gpointer running[2] = { page, "training (running): 3 epochs" };

  jx_plots_page_set_plot (page, JX_PLOT_TRAINING);
  jx_plots_page_set_training_job (page, done);
  jx_job_start (done);
  g_assert_true (jx_pages_test_wait_for (job_ended, done));
  g_assert_cmpstr (jx_plots_page_get_status_text (page), ==,
                   "training (finished): 3 epochs, validation loss 24.5");
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) s4 = jx_pages_test_screenshot (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_WINDOW),
                                                        "plots-page-training");
  g_assert_cmpfloat (jx_pages_test_ink (s4), >, 0.01);

  /* The label follows the job: running, then cancelled. */
  jx_plots_page_set_training_job (page, cancelled);
  jx_job_start (cancelled);
  g_assert_true (jx_pages_test_wait_for (status_has, running));
  jx_job_cancel (cancelled);
  g_assert_true (jx_pages_test_wait_for (job_ended, cancelled));
  g_assert_true (g_str_has_prefix (jx_plots_page_get_status_text (page), "training (cancelled)"));
  jx_plots_page_set_training_job (page, NULL);
  g_assert_false (g_str_has_prefix (jx_plots_page_get_status_text (page), "training ("));
}

static void
test_plots (void)
{
  g_autoptr (JxSession) session = jx_session_new ();
  g_autoptr (JxModelItem) z = jx_pages_test_model ("z-model.h5");
  g_autoptr (JxModelItem) q = jx_pages_test_model ("quark-model.h5");
  JxPlotsPage *page = JX_PLOTS_PAGE (jx_plots_page_new ());
  GtkWindow *win;
  const char *st;
  double want[JX_N_DISCRIMINANTS];
  int min_w;

  /* The demo's roles: Z jets (label 1) are the signal, A = P_Z, B = P_q. */
  jx_session_offer_dataset (session, dataset);
  g_assert_true (jx_session_split_by_label (session));
  jx_session_set_model_a (session, z);
  jx_session_set_model_b (session, q);
  jx_plots_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 1000, 700);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  st = jx_plots_page_get_status_text (page);
  g_test_message ("observables: %s", st);
  g_assert_true (g_str_has_prefix (st, "signal 20 jets, background 20 jets, "));
  g_assert_nonnull (strstr (st, " sampled from A"));
  g_assert_null (strstr (st, " 0 sampled"));
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) s1 = jx_pages_test_screenshot (GTK_WIDGET (win), "plots-page-observable");
  g_assert_cmpfloat (jx_pages_test_ink (s1), >, 0.01);

  /* A reweighting job's output: its histogram carries the job's weights (1, 0, 1, 0, ...). */
  {
    const JxDataset *src = jx_dataset_item_get_dataset (dataset);
    JxDataset ds;
    g_autoptr (JxDatasetItem) rw = NULL;
    g_autofree char *want_status = NULL, *want_sum = NULL;
    double sum_w = 0;
    JxJetStats rst;
    JxError err = { 0 };

    jx_dataset_init (&ds);
    for (size_t i = 0; i < src->n_jets; i++)
      if (src->labels[i] == 0)
        g_assert_cmpint (jx_dataset_append_labeled (&ds, jx_dataset_jet (src, i), jx_dataset_jet_size (src, i),
                                                    0, ds.n_jets % 2 == 0 ? 1.0 : 0.0, &err), ==, 0);
    g_assert_cmpint (jx_dataset_set_attr (&ds, "reweighted_to", "z-model.h5", &err), ==, 0);
    g_assert_cmpint (jx_jetstats_compute (&rst, &ds, 0, ds.n_jets, &jx_model_item_get_meta (z)->clustering,
                                          1, NULL, &err), ==, 0);
    for (size_t i = 0; i < ds.n_jets; i++)
      if (isfinite (jx_jetstats_value (&rst, i, jx_observable_index ("mass"))))
        sum_w += ds.weights[i];
    jx_jetstats_free (&rst);
    rw = jx_dataset_item_new (&ds, NULL, "quarks reweighted");
    g_assert_cmpstr (jx_dataset_item_get_origin (rw), ==, "reweighted");
    jx_session_offer_dataset (session, rw);
    jx_session_set_reweighted (session, rw);
    g_assert_true (jx_pages_test_wait_for (not_busy, page));
    want_status = g_strdup_printf ("reweighted: quarks reweighted (effective sample size 10 of 20 jets)");
    g_assert_nonnull (strstr (jx_plots_page_get_status_text (page), want_status));
    jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
    want_sum = g_strdup_printf ("reweighted (job weights): quarks reweighted sum_w=%.6g", sum_w);
    g_test_message ("figure: %s", jx_plots_page_get_figure_summary (page));
    g_assert_nonnull (strstr (jx_plots_page_get_figure_summary (page), want_sum));
    g_assert_nonnull (strstr (jx_plots_page_get_figure_summary (page), "signal data: test jets, label 1 sum_w=20"));
  }

  /* The page's AUCs are discriminate's on the same jets. */
  jx_plots_page_set_plot (page, JX_PLOT_ROC);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  st = jx_plots_page_get_status_text (page);
  g_test_message ("roc: %s", st);
  g_assert_true (g_str_has_prefix (st, "10 signal, 10 background test jets (odd-numbered); JUNIPR"));
  reference_aucs (jx_dataset_item_get_dataset (dataset), z, q, want);
  for (int k = 0; k < JX_N_DISCRIMINANTS; k++)
    g_assert_cmpfloat (jx_plots_page_get_auc (page, k), ==, want[k]);
  g_assert_cmpfloat (want[0], >, 0.5);   /* A = Z model on Z signal */
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) s2 = jx_pages_test_screenshot (GTK_WIDGET (win), "plots-page-roc");
  g_assert_cmpfloat (jx_pages_test_ink (s2), >, 0.01);

  jx_plots_page_set_plot (page, JX_PLOT_VALIDATION);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  g_assert_nonnull (strstr (jx_plots_page_get_status_text (page), "branchings of the signal data"));
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) s3 = jx_pages_test_screenshot (GTK_WIDGET (win), "plots-page-validation");
  g_assert_cmpfloat (jx_pages_test_ink (s3), >, 0.01);

  test_training (page);

  /* Without model B: the baselines only, and the status says why. */
  jx_session_set_model_b (session, NULL);
  jx_plots_page_set_plot (page, JX_PLOT_ROC);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  g_assert_nonnull (strstr (jx_plots_page_get_status_text (page), "JUNIPR needs models A and B"));
  g_assert_true (isnan (jx_plots_page_get_auc (page, 0)));
  g_assert_cmpfloat (jx_plots_page_get_auc (page, 1), ==, want[1]);

  /* Narrow enough for a 1024-pixel window beside the library and the jet browser. */
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  g_test_message ("minimum width %d", min_w);
  g_assert_cmpint (min_w, <=, 360);

  gtk_window_destroy (win);
}

int
main (int argc, char **argv)
{
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  dataset = jx_pages_test_dataset (20);
  g_test_add_func ("/pages/plots/all", test_plots);
  rc = g_test_run ();
  g_object_unref (dataset);
  return rc;
}
