/* test-image-page.c — the Image page: a single jet with step labels, the Tree page's highlight
 * picking out a node's particles, the dataset average and the signal − background difference
 * of the session's signal and background (one labelled dataset split by label, or two
 * datasets) computed by jobs (waited for with a deadline), the message for unlabelled data, and
 * screenshots with something drawn. */
#include "config.h"

#include <glib/gstdio.h>

#include "jx-figure-canvas.h"
#include "jx-image-page.h"
#include "jx-pages-test-util.h"

static JxDatasetItem *dataset;

static gboolean
not_busy (gpointer data)
{
  return !jx_image_page_is_busy (JX_IMAGE_PAGE (data));
}

static void
test_jet (void)
{
  int jet = jx_pages_test_big_jet (dataset, 40, -1);
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jet, FALSE);
  JxImagePage *page = JX_IMAGE_PAGE (jx_image_page_new ());
  GtkWindow *win;
  const JxTree *tree;
  int d0;

  jx_image_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 900, 800);
  tree = jx_session_get_tree (session);
  g_assert_true (g_str_has_prefix (jx_image_page_get_status_text (page), "jet "));
  g_assert_cmpint (jx_image_page_get_n_highlighted (page), ==, 0);

  /* Highlighting the root's softer daughter marks exactly the leaves below it. */
  d0 = tree->nodes[tree->root].daughter[1];
  jx_session_set_highlight_node (session, d0);
  {
    int leaves = 0;
    for (size_t i = 0; i < tree->n; i++)
      for (int k = (int) i; k >= 0; k = tree->nodes[k].mother)
        if (k == d0)
          {
            leaves++;
            break;
          }
    g_assert_cmpint (jx_image_page_get_n_highlighted (page), ==, leaves);
    g_assert_cmpint (leaves, >, 0);
  }
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "image-page-jet");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.02);

  /* Export writes a vector file. */
  {
    g_autofree char *dir = g_dir_make_tmp ("jx-image-page-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "image.svg", NULL);
    g_autoptr (GError) error = NULL;

    g_assert_true (jx_image_page_export (page, path, &error));
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    g_unlink (path);
    g_rmdir (dir);
  }
  gtk_window_destroy (win);
}

static void
test_averages (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, 0, FALSE);
  JxImagePage *page = JX_IMAGE_PAGE (jx_image_page_new ());
  GtkWindow *win;
  char want[128];

  jx_image_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 900, 800);
  jx_image_page_set_mode (page, JX_IMAGE_MODE_AVERAGE);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  g_snprintf (want, sizeof want, "average of %zu jets", jx_dataset_item_get_n_jets (dataset));
  g_assert_cmpstr (jx_image_page_get_status_text (page), ==, want);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "image-page-average");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.02);

  /* One labelled dataset as signal and background: the difference of its label classes. */
  jx_session_offer_dataset (session, dataset);
  g_assert_true (jx_session_split_by_label (session));
  jx_image_page_set_mode (page, JX_IMAGE_MODE_DIFFERENCE);
  g_assert_true (jx_pages_test_wait_for (not_busy, page));
  g_test_message ("difference: %s", jx_image_page_get_status_text (page));
  g_assert_nonnull (strstr (jx_image_page_get_status_text (page), "label 1 (6 jets) − label 0 (6 jets)"));
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot2 = jx_pages_test_screenshot (GTK_WIDGET (win), "image-page-difference");
  g_assert_cmpfloat (jx_pages_test_ink (shot2), >, 0.02);

  /* Two datasets: the Z jets (label 1) as signal, the quark jets as background; and one
   * without labels as both cannot be split: the page says so. */
  {
    const JxDataset *src = jx_dataset_item_get_dataset (dataset);
    JxDataset part[3];
    g_autoptr (JxDatasetItem) z = NULL, q = NULL, unlabelled = NULL;

    for (int k = 0; k < 3; k++)
      jx_dataset_init (&part[k]);
    for (size_t i = 0; i < src->n_jets; i++)
      g_assert_cmpint (jx_dataset_append (&part[src->labels[i] > 0 ? 0 : 1], jx_dataset_jet (src, i),
                                          jx_dataset_jet_size (src, i), NULL), ==, 0);
    for (size_t i = 0; i < 4; i++)
      g_assert_cmpint (jx_dataset_append (&part[2], jx_dataset_jet (src, i), jx_dataset_jet_size (src, i), NULL), ==, 0);
    z = jx_dataset_item_new (&part[0], NULL, "Z part");
    q = jx_dataset_item_new (&part[1], NULL, "quark part");
    unlabelled = jx_dataset_item_new (&part[2], NULL, "unlabelled");
    jx_session_set_signal (session, z);
    jx_session_set_background (session, q);
    g_assert_true (jx_pages_test_wait_for (not_busy, page));
    g_assert_cmpstr (jx_image_page_get_status_text (page), ==,
                     "signal Z part (6 jets) − background quark part (6 jets)");
    jx_session_set_signal (session, unlabelled);
    jx_session_set_background (session, unlabelled);
    g_assert_true (jx_pages_test_wait_for (not_busy, page));
    g_assert_nonnull (strstr (jx_image_page_get_status_text (page), "no signal"));
  }
  gtk_window_destroy (win);
}

static void
set_settings (GtkWidget *page, GSettings *settings)
{
  jx_image_page_set_settings (JX_IMAGE_PAGE (page), settings);
}

static gboolean
export_page (GtkWidget *page, const char *path, GError **error)
{
  return jx_image_page_export (JX_IMAGE_PAGE (page), path, error);
}

/* The Preferences' colour map: energies (and image pixels) redraw in greys. */
static void
test_colormap (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 40, -1), FALSE);
  GtkWidget *page = jx_image_page_new ();

  jx_image_page_set_session (JX_IMAGE_PAGE (page), session);
  jx_pages_test_colormap (page, JX_TYPE_FIGURE_CANVAS, set_settings, export_page, "image-page-colormap");
}

int
main (int argc, char **argv)
{
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  dataset = jx_pages_test_dataset (6);
  g_test_add_func ("/pages/image/jet", test_jet);
  g_test_add_func ("/pages/image/averages", test_averages);
  g_test_add_func ("/pages/image/colormap", test_colormap);
  rc = g_test_run ();
  g_object_unref (dataset);
  return rc;
}
