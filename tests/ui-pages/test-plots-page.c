/* test-plots-page.c — the Plots page: histograms of data, samples from model A and data
 * reweighted to B (worker, waited for with a deadline), ROC curves with the JUNIPR ratio,
 * validation histograms, the training curve (model A's history, then a live one), messages
 * when something is missing, and screenshots with something drawn. */
#include "config.h"

#include "jx-pages-test-util.h"
#include "jx-plots-page.h"

static JxDatasetItem *dataset;

static gboolean
not_busy (gpointer data)
{
  return !jx_plots_page_is_busy (JX_PLOTS_PAGE (data));
}

static void
test_plots (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, 0, TRUE);
  JxPlotsPage *page = JX_PLOTS_PAGE (jx_plots_page_new ());
  GtkWindow *win;
  const char *st;

  jx_plots_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 1000, 700);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  st = jx_plots_page_get_status_text (page);
  g_test_message ("observables: %s", st);
  g_assert_true (g_str_has_prefix (st, "40 data jets, "));
  g_assert_null (strstr (st, "needs models"));
  g_assert_null (strstr (st, " 0 sampled"));
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) s1 = jx_pages_test_screenshot (GTK_WIDGET (win), "plots-page-observable");
  g_assert_cmpfloat (jx_pages_test_ink (s1), >, 0.01);

  jx_plots_page_set_plot (page, JX_PLOT_ROC);
  st = jx_plots_page_get_status_text (page);
  g_assert_cmpstr (st, ==, "20 signal, 20 background jets; JUNIPR: ln P_A/P_B");
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) s2 = jx_pages_test_screenshot (GTK_WIDGET (win), "plots-page-roc");
  g_assert_cmpfloat (jx_pages_test_ink (s2), >, 0.01);

  jx_plots_page_set_plot (page, JX_PLOT_VALIDATION);
  g_assert_true (strstr (jx_plots_page_get_status_text (page), "data branchings") != NULL);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) s3 = jx_pages_test_screenshot (GTK_WIDGET (win), "plots-page-validation");
  g_assert_cmpfloat (jx_pages_test_ink (s3), >, 0.01);

  /* Live training history replaces model A's and goes away again. */
  jx_plots_page_set_plot (page, JX_PLOT_TRAINING);
  {
    JxEpochRecord rec[3] = {
      { .epoch = 1, .train_loss = 30, .val_loss = 31 },
      { .epoch = 2, .train_loss = 25, .val_loss = 27 },
      { .epoch = 3, .train_loss = 22, .val_loss = 24.5 },
    };

    jx_plots_page_set_training_history (page, rec, 3);
    g_assert_cmpstr (jx_plots_page_get_status_text (page), ==,
                     "training: 3 epochs so far, validation loss 24.5");
    jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
    g_autoptr (GdkTexture) s4 = jx_pages_test_screenshot (GTK_WIDGET (win), "plots-page-training");
    g_assert_cmpfloat (jx_pages_test_ink (s4), >, 0.01);
    jx_plots_page_set_training_history (page, NULL, 0);
    g_assert_false (g_str_has_prefix (jx_plots_page_get_status_text (page), "training:"));
  }

  /* Without model B: no reweighting, no JUNIPR ROC, and the status says so. */
  jx_session_set_model_b (session, NULL);
  jx_plots_page_set_plot (page, JX_PLOT_OBSERVABLES);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  g_assert_nonnull (strstr (jx_plots_page_get_status_text (page), "needs models A and B"));

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
