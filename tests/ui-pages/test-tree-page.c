/* test-tree-page.c — the Tree page in a real window: labels per mode (accessible description
 * and the label list), placeholders without models, hover details, click → session highlight,
 * zoom, export to PNG/SVG/PDF, and a screenshot with something drawn. */
#include "config.h"

#include <glib/gstdio.h>

#include "jx-pages-test-util.h"
#include "jx-tree-canvas.h"
#include "jx-tree-page.h"

static JxDatasetItem *dataset;

static void
check_description (JxTreePage *page, JxSession *session, const char *mode, int *shown)
{
  JxTreeCanvas *canvas = JX_TREE_CANVAS (jx_tree_page_get_canvas (page));
  const JxTree *tree = jx_session_get_tree (session);
  const char *desc = jx_tree_canvas_get_description (canvas);
  g_autofree char *prefix = g_strdup_printf ("tree: jet %d, %zu nodes, labels=%s, shown=",
                                             jx_session_get_jet_index (session),
                                             2 * tree->n - 1, mode);
  char *err;

  g_assert_true (g_str_has_prefix (desc, prefix));
  *shown = atoi (desc + strlen (prefix));
  g_assert_cmpint (*shown, ==, jx_tree_canvas_get_labels_shown (canvas));
  /* What AT-SPI reads is what we keep. */
  err = gtk_test_accessible_check_property (GTK_ACCESSIBLE (canvas),
                                            GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc);
  g_assert_null (err);
}

static void
test_labels (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 60, -1), TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  GtkWindow *win;
  const JxTree *tree;
  const JxStepScore *a, *b;
  size_t na, nb;
  int shown;
  char buf[32];

  jx_tree_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 1200, 800);
  tree = jx_session_get_tree (session);
  g_assert_nonnull (tree);
  g_assert_cmpuint (tree->n, >, 3);

  /* log10 P_t under A: the first step's label is in the list, as the layout formats it. */
  jx_tree_page_set_mode (page, JX_TREE_MODE_LOGP);
  check_description (page, session, "logp", &shown);
  g_assert_cmpint (shown, >, 0);
  g_assert_true (jx_session_get_step_scores (session, 0, &a, &na));
  g_assert_true (g_str_has_prefix (jx_tree_page_get_labels_text (page), "labels: "));
  g_assert_null (strstr (jx_tree_page_get_labels_text (page), "none"));
  {
    JxTreeCanvas *canvas = JX_TREE_CANVAS (jx_tree_page_get_canvas (page));
    g_autofree char *list = jx_tree_canvas_dup_shown_labels (canvas, 1000);
    g_auto (GStrv) items = g_strsplit (list, ", ", -1);
    g_assert_cmpint ((int) g_strv_length (items), ==, shown);
  }
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-logp");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.01);

  /* LR A vs B: values differ from log P_A alone. */
  jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
  check_description (page, session, "lr", &shown);
  g_assert_cmpint (shown, >, 0);
  g_assert_true (jx_session_get_step_scores (session, 1, &b, &nb));
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot_lr = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-lr");
  g_assert_cmpfloat (jx_pages_test_ink (shot_lr), >, 0.01);

  /* z labels print the branching's z. */
  jx_tree_page_set_mode (page, JX_TREE_MODE_Z);
  check_description (page, session, "z", &shown);
  g_assert_cmpint (shown, >, 0);
  g_snprintf (buf, sizeof buf, "%.2g", tree->steps[0].x.z);
  g_test_message ("z labels: %s (z1 = %s)", jx_tree_page_get_labels_text (page), buf);

  /* Without model B the LR mode says why instead of labels. */
  jx_session_set_model_b (session, NULL);
  jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
  check_description (page, session, "lr", &shown);
  g_assert_cmpint (shown, ==, 0);
  g_assert_true (g_str_has_prefix (jx_tree_page_get_labels_text (page), "labels: none"));
  g_assert_nonnull (strstr (jx_tree_page_get_labels_text (page), "model B"));

  gtk_window_destroy (win);
}

static void
test_interaction (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 40, -1), TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  JxTreeCanvas *canvas;
  GtkWindow *win;
  const JxTree *tree;
  double x, y;
  int node, shown0, shown1;

  jx_tree_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 1000, 700);
  canvas = JX_TREE_CANVAS (jx_tree_page_get_canvas (page));
  tree = jx_session_get_tree (session);

  /* Hit test finds the root where it is drawn; a click there highlights it. */
  g_assert_true (jx_tree_canvas_node_position (canvas, tree->root, &x, &y));
  node = jx_tree_canvas_node_at (canvas, x, y);
  g_assert_cmpint (node, ==, tree->root);
  g_signal_emit_by_name (canvas, "node-clicked", node);
  g_assert_cmpint (jx_session_get_highlight_node (session), ==, tree->root);

  /* Hover details name the probabilities and the branching. */
  g_signal_emit_by_name (canvas, "hover-changed", tree->root);
  g_assert_nonnull (strstr (jx_tree_page_get_status_text (page), "P_end"));
  g_assert_nonnull (strstr (jx_tree_page_get_status_text (page), "θ"));

  /* Zooming in lays the tree out bigger: at least as many labels fit. */
  shown0 = jx_tree_canvas_get_labels_shown (canvas);
  jx_tree_canvas_zoom_by (canvas, 3.0);
  g_assert_cmpfloat (jx_tree_canvas_get_zoom (canvas), ==, 3.0);
  shown1 = jx_tree_canvas_get_labels_shown (canvas);
  g_assert_cmpint (shown1, >=, shown0);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-zoomed");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.005);
  jx_tree_canvas_reset_view (canvas);
  g_assert_cmpfloat (jx_tree_canvas_get_zoom (canvas), ==, 1.0);

  /* Another jet: the description follows. */
  {
    int other = jx_pages_test_big_jet (dataset, 1000, jx_session_get_jet_index (session));
    g_autofree char *want = g_strdup_printf ("tree: jet %d,", other);

    jx_session_set_jet_index (session, other);
    g_assert_true (g_str_has_prefix (jx_tree_canvas_get_description (canvas), want));
  }
  g_assert_cmpint (jx_session_get_highlight_node (session), ==, -1);

  gtk_window_destroy (win);
}

static void
test_export (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, 2, FALSE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  g_autofree char *dir = g_dir_make_tmp ("jx-tree-page-XXXXXX", NULL);
  const char *ext[] = { "png", "svg", "pdf" };
  GtkWindow *win;
  g_autoptr (GError) error = NULL;

  jx_tree_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 900, 600);
  /* Without model A, log P labels are a placeholder, the tree is still drawn. */
  g_assert_nonnull (strstr (jx_tree_page_get_labels_text (page), "model A"));
  for (size_t i = 0; i < G_N_ELEMENTS (ext); i++)
    {
      g_autofree char *name = g_strdup_printf ("tree.%s", ext[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (jx_tree_page_export (page, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_unlink (path);
    }
  /* An unknown extension is refused with a message that says what to do. */
  {
    g_autofree char *bad = g_build_filename (dir, "tree.bmp", NULL);
    g_assert_false (jx_tree_page_export (page, bad, &error));
    g_assert_nonnull (strstr (error->message, ".png"));
    g_clear_error (&error);
  }
  g_rmdir (dir);
  gtk_window_destroy (win);
}

static void
set_settings (GtkWidget *page, GSettings *settings)
{
  jx_tree_page_set_settings (JX_TREE_PAGE (page), settings);
}

static gboolean
export_page (GtkWidget *page, const char *path, GError **error)
{
  return jx_tree_page_export (JX_TREE_PAGE (page), path, error);
}

/* The Preferences' colour map: energies (and image pixels) redraw in greys. */
static void
test_colormap (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 40, -1), FALSE);
  GtkWidget *page = jx_tree_page_new ();

  jx_tree_page_set_session (JX_TREE_PAGE (page), session);
  jx_tree_page_set_mode (JX_TREE_PAGE (page), JX_TREE_MODE_NONE);
  jx_pages_test_colormap (page, JX_TYPE_TREE_CANVAS, set_settings, export_page, "tree-page-colormap");
}

int
main (int argc, char **argv)
{
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  dataset = jx_pages_test_dataset (6);
  g_test_add_func ("/pages/tree/labels", test_labels);
  g_test_add_func ("/pages/tree/interaction", test_interaction);
  g_test_add_func ("/pages/tree/export", test_export);
  g_test_add_func ("/pages/tree/colormap", test_colormap);
  rc = g_test_run ();
  g_object_unref (dataset);
  return rc;
}
