/* test-shower-page.c — the Shower page: stepping with the buttons and the slider, "step t of
 * N", play runs to the end and stops when unmapped, sampled showers from model A and the
 * demo models (C/A, printer, anti-kt, local), a second shower under the first, the data jet
 * in three orderings, and screenshots that show a drawn frame. */
#include "config.h"

#include "jx-figure-canvas.h"
#include "jx-pages-test-util.h"
#include "jx-shower-page.h"

static JxDatasetItem *dataset;

static gboolean
reached_end (gpointer data)
{
  JxShowerPage *page = data;

  return jx_shower_page_get_step (page) == jx_shower_page_get_n_steps (page)
         && !jx_shower_page_get_playing (page);
}

static void
test_stepping (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 40, -1), TRUE);
  JxShowerPage *page = JX_SHOWER_PAGE (jx_shower_page_new ());
  GtkWindow *win;
  int n;
  char want[64];

  jx_shower_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 1200, 700);
  n = jx_shower_page_get_n_steps (page);
  g_assert_cmpint (n, ==, (int) jx_session_get_tree (session)->n - 1);
  g_assert_cmpint (jx_shower_page_get_step (page), ==, n);

  jx_shower_page_set_step (page, 2);
  g_snprintf (want, sizeof want, "step 2 of %d", n);
  g_assert_cmpstr (jx_shower_page_get_step_text (page), ==, want);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "shower-page-step2");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.01);

  /* Clamped at both ends. */
  jx_shower_page_set_step (page, -5);
  g_assert_cmpint (jx_shower_page_get_step (page), ==, 0);
  jx_shower_page_set_step (page, n + 7);
  g_assert_cmpint (jx_shower_page_get_step (page), ==, n);

  /* Play from the end starts over... */
  jx_shower_page_set_playing (page, TRUE);
  g_assert_true (jx_shower_page_get_playing (page));
  g_assert_cmpint (jx_shower_page_get_step (page), ==, 0);
  jx_shower_page_set_playing (page, FALSE);
  g_assert_false (jx_shower_page_get_playing (page));
  /* ...and runs to the last step, then stops by itself. */
  jx_shower_page_set_step (page, n - 2);
  jx_shower_page_set_playing (page, TRUE);
  g_assert_true (jx_pages_test_wait_for (reached_end, page));

  /* Playing stops when the page is hidden. */
  jx_shower_page_set_step (page, 0);
  jx_shower_page_set_playing (page, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (page), FALSE);
  g_assert_false (jx_shower_page_get_playing (page));
  gtk_widget_set_visible (GTK_WIDGET (page), TRUE);

  gtk_window_destroy (win);
}

static void
test_sampled (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, 0, TRUE);
  JxShowerPage *page = JX_SHOWER_PAGE (jx_shower_page_new ());
  GtkWindow *win;
  int n;

  jx_shower_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 1200, 700);
  jx_shower_page_set_source (page, JX_SHOWER_SOURCE_SAMPLED);
  g_assert_cmpint (jx_shower_page_get_n_steps (page), >, 0);
  jx_shower_page_set_step (page, jx_shower_page_get_n_steps (page) / 2);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "shower-page-sampled");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.01);

  /* Every demo model (C/A, printer, anti-kt, local) samples a shower. */
  for (int m = JX_SHOWER_MODEL_DEMO_CA; m < JX_SHOWER_N_MODELS; m++)
    {
      jx_shower_page_set_model (page, (JxShowerModel) m);
      g_assert_cmpint (jx_shower_page_get_n_steps (page), >, 0);
    }
  /* A second shower: the page steps through the longer of the two. */
  jx_shower_page_set_model (page, JX_SHOWER_MODEL_DEMO_CA);
  n = jx_shower_page_get_n_steps (page);
  jx_shower_page_set_beside (page, JX_SHOWER_MODEL_DEMO_LOCAL);
  g_assert_cmpint (jx_shower_page_get_n_steps (page), >=, n);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 3);
  g_autoptr (GdkTexture) pair = jx_pages_test_screenshot (GTK_WIDGET (win), "shower-page-beside");
  g_assert_cmpfloat (jx_pages_test_ink (pair), >, 0.01);
  jx_shower_page_set_beside (page, JX_SHOWER_MODEL_NONE);
  g_assert_cmpint (jx_shower_page_get_n_steps (page), ==, n);

  /* The data jet in the three orderings: the same particles, so the same number of
   * emissions. */
  jx_shower_page_set_source (page, JX_SHOWER_SOURCE_DATA);
  n = jx_shower_page_get_n_steps (page);
  g_assert_cmpint (n, >, 0);
  for (int m = JX_SHOWER_MODEL_DEMO_PRINTER; m <= JX_SHOWER_MODEL_DEMO_ANTIKT; m++)
    {
      jx_shower_page_set_model (page, (JxShowerModel) m);
      g_assert_cmpint (jx_shower_page_get_n_steps (page), ==, n);
    }

  /* Narrow enough for a 1024-pixel window beside the jet browser, in every mode: the page's
   * widths do not follow the text of a selection (sampled mode used to widen every page). */
  {
    int min_w;
    gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
    g_test_message ("shower page: minimum width %d px", min_w);
    g_assert_cmpint (min_w, <=, 380);
    jx_shower_page_set_beside (page, JX_SHOWER_MODEL_DEMO_LOCAL);
    int with_beside;
    gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &with_beside, NULL, NULL,
                        NULL);
    g_assert_cmpint (with_beside, ==, min_w);
    jx_shower_page_set_beside (page, JX_SHOWER_MODEL_NONE);
  }

  /* Without model A the sampled source says what to do. */
  jx_shower_page_set_model (page, JX_SHOWER_MODEL_A);
  jx_shower_page_set_source (page, JX_SHOWER_SOURCE_SAMPLED);
  jx_session_set_model_a (session, NULL);
  g_assert_cmpint (jx_shower_page_get_n_steps (page), ==, 0);
  g_assert_cmpstr (jx_shower_page_get_step_text (page), ==, "step 0 of 0");

  gtk_window_destroy (win);
}

static void
set_settings (GtkWidget *page, GSettings *settings)
{
  jx_shower_page_set_settings (JX_SHOWER_PAGE (page), settings);
}

static gboolean
export_page (GtkWidget *page, const char *path, GError **error)
{
  return jx_shower_page_export (JX_SHOWER_PAGE (page), path, error);
}

/* The Preferences' colour map: energies (and image pixels) redraw in greys. */
static void
test_colormap (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 40, -1), FALSE);
  GtkWidget *page = jx_shower_page_new ();

  jx_shower_page_set_session (JX_SHOWER_PAGE (page), session);
  jx_pages_test_colormap (page, JX_TYPE_FIGURE_CANVAS, set_settings, export_page, "shower-page-colormap");
}

int
main (int argc, char **argv)
{
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  dataset = jx_pages_test_dataset (6);
  g_test_add_func ("/pages/shower/stepping", test_stepping);
  g_test_add_func ("/pages/shower/sampled", test_sampled);
  g_test_add_func ("/pages/shower/colormap", test_colormap);
  rc = g_test_run ();
  g_object_unref (dataset);
  return rc;
}
