/* test-tree-page.c — the Tree page in a real window: the labels compared BY VALUE with step
 * scores computed here independently (jx_tree_build under each model's own clustering, then
 * jx_model_log_prob), the end term and totals, the step panel's numbers, a model B that
 * clusters otherwise, a one-particle jet, hover that moves nothing, the step control, text
 * scale and zoom, comparing two trees, titled exports, the colour map. */
#include "config.h"

#include <glib/gstdio.h>

#include "jx-pages-test-util.h"
#include "jx-beside-box.h"
#include "jx-step-panel.h"
#include "jx-tree-canvas.h"
#include "jx-tree-page.h"

static JxDatasetItem *dataset;

/* log10 P_t of every state (branchings, then the end) of jet under model, on the tree its own
 * clustering gives: the reference the page must show. Returns the total; terms g_free. */
static double
reference_terms (JxModelItem *model, int jet, double **terms, size_t *n)
{
  const JxDataset *ds = jx_dataset_item_get_dataset (dataset);
  JxTree tree = { 0 };
  JxError err = { 0 };
  double log_p = 0, sum = 0;

  g_assert_cmpint (jx_tree_build (&tree, jx_dataset_jet (ds, jet), jx_dataset_jet_size (ds, jet),
                                  &jx_model_item_get_meta (model)->clustering, NULL, &err), ==, 0);
  g_autofree JxStepScore *s = g_new0 (JxStepScore, tree.n);
  g_assert_cmpint (jx_model_log_prob (jx_model_item_get_model (model), &tree, s, &log_p, NULL, &err),
                   ==, 0);
  *n = tree.n;
  *terms = g_new (double, tree.n);
  for (size_t t = 0; t < tree.n; t++)
    {
      (*terms)[t] = (s[t].log_end + s[t].log_mother + s[t].log_branch) / G_LN10;
      sum += (*terms)[t];
    }
  /* The per-step terms add up to the model's own ln P_jet. */
  g_assert_cmpfloat_with_epsilon (sum, log_p / G_LN10, 1e-9);
  jx_tree_free (&tree);
  return log_p / G_LN10;
}

static double
parse_number (const char *s)
{
  g_autofree char *ascii = g_strdup (s);
  char *minus;

  while ((minus = strstr (ascii, "−")) != NULL)
    memmove (minus + 1, minus + 3, strlen (minus + 3) + 1), *minus = '-';
  return g_ascii_strtod (ascii, NULL);
}

/* "… KEY = V …" of a caption → V. */
static double
caption_value (const char *text, const char *key)
{
  const char *p = strstr (text, key);

  g_assert_nonnull (p);
  return parse_number (p + strlen (key));
}

/* The page's shown labels, step order, "end V" last: every one equals its reference term
 * rounded to two decimals, and all of them are shown. */
static void
check_labels (JxTreePage *page, const double *ref, size_t n)
{
  JxTreeCanvas *canvas = JX_TREE_CANVAS (jx_tree_page_get_canvas (page));
  g_autofree char *list = jx_tree_canvas_dup_shown_labels (canvas, 1000);
  g_auto (GStrv) items = g_strsplit (list, ", ", -1);
  size_t shown_n = 0;
  const double *terms = jx_tree_page_get_terms (page, &shown_n);

  g_assert_cmpint (jx_tree_canvas_get_labels_hidden (canvas), ==, 0);
  g_assert_cmpuint (g_strv_length (items), ==, n);
  g_assert_nonnull (terms);
  g_assert_cmpuint (shown_n, ==, n);
  for (size_t t = 0; t < n; t++)
    {
      const char *item = items[t];
      gboolean end = g_str_has_prefix (item, "end ");

      g_assert_true (end == (t == n - 1));
      g_assert_cmpfloat (fabs (parse_number (end ? item + 4 : item) - ref[t]), <=, 0.005 + 1e-9);
      /* The unrounded values behind them are the reference's. */
      g_assert_cmpfloat_with_epsilon (terms[t], ref[t], 1e-9);
    }
}

/* The step panel at every step: its numbers (description, full precision) are the terms. */
static void
check_panel (JxTreePage *page, const double *a, const double *b, size_t n)
{
  JxStepPanel *panel = JX_STEP_PANEL (jx_tree_page_get_step_panel (page));
  double run_lr = 0;

  for (size_t t = 1; t <= n; t++)
    {
      const char *d;
      char key[32];

      jx_tree_page_set_step (page, (int) t);
      d = jx_step_panel_get_description (panel);
      g_snprintf (key, sizeof key, "step=%zu/%zu", t, n);
      g_assert_true (g_str_has_prefix (d, key));
      g_assert_nonnull (strstr (d, t == n ? "kind=end" : "kind=branching"));
      g_assert_cmpfloat_with_epsilon (caption_value (d, "a_term="), a[t - 1], 1e-7);
      g_assert_cmpfloat_with_epsilon (caption_value (d, "b_term="), b[t - 1], 1e-7);
      g_assert_cmpfloat_with_epsilon (caption_value (d, " lr="), a[t - 1] - b[t - 1], 1e-7);
      run_lr += a[t - 1] - b[t - 1];
      g_assert_cmpfloat_with_epsilon (caption_value (d, "run_lr="), run_lr, 1e-7);
      if (t < n)
        {
          /* P_end · P_mother · P_branch of the panel give the term back. */
          double p = caption_value (d, "a_end=") * caption_value (d, "a_mother=")
                     * caption_value (d, "a_branch=");
          g_assert_cmpfloat_with_epsilon (log10 (p), a[t - 1], 1e-6);
        }
    }
}

static void
test_labels_by_value (void)
{
  int jet = jx_pages_test_big_jet (dataset, 9, -1);
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jet, TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  g_autofree double *a = NULL, *b = NULL;
  size_t na, nb;
  double pa, pb;
  GtkWindow *win;

  jx_tree_page_set_session (page, session);
  win = jx_pages_test_window (GTK_WIDGET (page), 1400, 900);
  pa = reference_terms (jx_session_get_model_a (session), jet, &a, &na);
  pb = reference_terms (jx_session_get_model_b (session), jet, &b, &nb);
  g_assert_cmpuint (na, ==, nb);  /* both models cluster alike (C/A) */
  g_assert_cmpuint (na, >, 3);

  /* log10 P_t under A: labels and the total line. */
  jx_tree_page_set_mode (page, JX_TREE_MODE_LOGP);
  check_labels (page, a, na);
  g_test_message ("total line: %s", jx_tree_page_get_total_text (page));
  g_assert_cmpfloat (fabs (caption_value (jx_tree_page_get_total_text (page), "log₁₀ P_A = ") - pa), <=, 0.005 + 1e-9);
  g_assert_cmpfloat (fabs (caption_value (jx_tree_page_get_total_text (page), "log₁₀ P_B = ") - pb), <=, 0.005 + 1e-9);
  g_assert_cmpfloat (fabs (caption_value (jx_tree_page_get_total_text (page), "log₁₀ P_A/P_B = ") - (pa - pb)),
                     <=, 0.005 + 1e-9);
  g_assert_nonnull (strstr (jx_tree_page_get_title_text (page), "A = quark-model.h5"));
  g_assert_nonnull (strstr (jx_tree_page_get_title_text (page), "B = z-model.h5"));
  g_assert_nonnull (strstr (jx_tree_page_get_title_text (page), "C/A"));
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-logp");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.01);

  /* LR terms: A − B per step, the end term too. */
  {
    g_autofree double *lr = g_new (double, na);
    for (size_t t = 0; t < na; t++)
      lr[t] = a[t] - b[t];
    jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
    check_labels (page, lr, na);
    g_assert_nonnull (strstr (jx_tree_canvas_get_description (
                                JX_TREE_CANVAS (jx_tree_page_get_canvas (page))), "labels=lr"));
  }
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot_lr = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-lr");
  g_assert_cmpfloat (jx_pages_test_ink (shot_lr), >, 0.01);

  check_panel (page, a, b, na);

  /* Without model B the LR mode says why instead of labels; the step panel says why too. */
  jx_session_set_model_b (session, NULL);
  jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
  g_assert_cmpint (jx_tree_canvas_get_labels_shown (JX_TREE_CANVAS (jx_tree_page_get_canvas (page))), ==, 0);
  g_assert_true (g_str_has_prefix (jx_tree_page_get_labels_text (page), "labels: none"));
  g_assert_nonnull (strstr (jx_tree_page_get_labels_text (page), "model B"));
  g_assert_null (strstr (jx_tree_page_get_total_text (page), "P_B"));
  gtk_window_destroy (win);
}

/* A model B that clusters with kt while A uses C/A: B is scored on its own kt tree (its total
 * equals jx_model_log_prob there), there is no per-node LR, and the LR total is A − B. */
static void
test_own_clustering (void)
{
  int jet = jx_pages_test_big_jet (dataset, 12, -1);
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jet, TRUE);
  g_autofree char *path = jx_pages_test_source_path ("data/models/z-model.h5");
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };
  g_autofree double *a = NULL, *b = NULL;
  size_t na, nb;

  g_assert_cmpint (jx_model_load (path, &model, &meta, NULL, NULL, &err), ==, 0);
  meta.clustering.algorithm = JX_ALGO_KT;
  g_autoptr (JxModelItem) kt = jx_model_item_new (model, &meta, path);
  jx_session_set_model_b (session, kt);

  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  jx_tree_page_set_session (page, session);
  GtkWindow *win = jx_pages_test_window (GTK_WIDGET (page), 1200, 800);
  double pa = reference_terms (jx_session_get_model_a (session), jet, &a, &na);
  double pb = reference_terms (kt, jet, &b, &nb);
  const char *total = jx_tree_page_get_total_text (page);

  g_test_message ("A on C/A, B on kt: %s", total);
  g_assert_cmpfloat (fabs (caption_value (total, "log₁₀ P_B = ") - pb), <=, 0.005 + 1e-9);
  g_assert_cmpfloat (fabs (caption_value (total, "log₁₀ P_A/P_B = ") - (pa - pb)), <=, 0.005 + 1e-9);
  jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
  g_assert_nonnull (strstr (jx_tree_page_get_labels_text (page), "clusters otherwise"));
  jx_tree_page_set_mode (page, JX_TREE_MODE_LOGP);
  check_labels (page, a, na);
  gtk_window_destroy (win);
}

/* A jet of one particle: no branching, and still its end term and total. */
static void
test_one_particle (void)
{
  JxDataset ds;
  JxError err = { 0 };
  /* A massive subjet, as left when every particle merged within R_sub (demo quark jet 11). */
  JxP4 p = jx_p4 (488.6, 3.0, -2.0, sqrt (488.6 * 488.6 - 14.83 * 14.83 - 13.0));

  jx_dataset_init (&ds);
  g_assert_cmpint (jx_dataset_append (&ds, &p, 1, &err), ==, 0);
  g_autoptr (JxDatasetItem) one = jx_dataset_item_new (&ds, NULL, "one particle");
  g_autoptr (JxSession) session = jx_pages_test_session (one, 0, TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  jx_tree_page_set_session (page, session);
  jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
  GtkWindow *win = jx_pages_test_window (GTK_WIDGET (page), 1000, 700);
  JxTreeCanvas *canvas = JX_TREE_CANVAS (jx_tree_page_get_canvas (page));
  g_autofree char *list = jx_tree_canvas_dup_shown_labels (canvas, 10);
  double lr = caption_value (jx_tree_page_get_total_text (page), "log₁₀ P_A/P_B = ");

  g_test_message ("one particle: %s | %s", list, jx_tree_page_get_total_text (page));
  g_assert_true (g_str_has_prefix (list, "end "));
  g_assert_cmpfloat (fabs (parse_number (list + 4) - lr), <=, 0.005 + 1e-9);
  g_assert_cmpint (jx_tree_canvas_get_labels_shown (canvas), ==, 1);
  jx_tree_page_set_step (page, 5);
  g_assert_cmpint (jx_tree_page_get_step (page), ==, 1);
  g_assert_nonnull (strstr (jx_step_panel_get_description (
                              JX_STEP_PANEL (jx_tree_page_get_step_panel (page))), "kind=end"));
  g_assert_cmpfloat (fabs (lr), >, 0.01);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-one");
  gtk_window_destroy (win);
}

static void
allocation (GtkWidget *w, graphene_rect_t *out)
{
  g_assert_true (gtk_widget_compute_bounds (w, gtk_widget_get_root (w) ? GTK_WIDGET (gtk_widget_get_root (w)) : w, out));
}

static void
test_interaction (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 40, -1), TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  JxTreeCanvas *canvas;
  GtkWindow *win;
  const JxTree *tree;
  graphene_rect_t before, after;
  JxRect e0, e1;
  double x, y;
  int node;

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
  g_assert_cmpint (jx_tree_page_get_step (page), ==, 1);

  /* Hover: the numbers go to the step panel; the canvas and the tree do not move. */
  allocation (GTK_WIDGET (canvas), &before);
  g_assert_true (jx_tree_canvas_get_extents (canvas, &e0));
  g_signal_emit_by_name (canvas, "hover-changed", tree->root);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 2);
  allocation (GTK_WIDGET (canvas), &after);
  g_assert_true (jx_tree_canvas_get_extents (canvas, &e1));
  g_assert_true (graphene_rect_equal (&before, &after));
  g_assert_true (e0.x == e1.x && e0.y == e1.y && e0.w == e1.w && e0.h == e1.h);
  g_assert_nonnull (strstr (jx_step_panel_get_description (
                              JX_STEP_PANEL (jx_tree_page_get_step_panel (page))), "step=1/"));
  g_assert_nonnull (strstr (jx_step_panel_get_description (
                              JX_STEP_PANEL (jx_tree_page_get_step_panel (page))), "a_mother="));
  /* A final particle, then the end marker. */
  g_signal_emit_by_name (canvas, "hover-changed", 0);
  g_assert_nonnull (strstr (jx_step_panel_get_description (
                              JX_STEP_PANEL (jx_tree_page_get_step_panel (page))), "kind=particle"));
  g_assert_true (jx_tree_canvas_node_position (canvas, JX_TREE_CANVAS_END, &x, &y));
  g_assert_cmpint (jx_tree_canvas_node_at (canvas, x, y), ==, JX_TREE_CANVAS_END);
  g_signal_emit_by_name (canvas, "hover-changed", -1);

  /* Steps walk the branchings and stop at the end. */
  jx_tree_page_set_step (page, 0);
  for (size_t t = 1; t <= tree->n + 2; t++)
    jx_tree_page_set_step (page, jx_tree_page_get_step (page) + 1);
  g_assert_cmpint (jx_tree_page_get_step (page), ==, (int) tree->n);
  allocation (GTK_WIDGET (canvas), &after);
  g_assert_true (graphene_rect_equal (&before, &after));

  /* Text scale and zoom both make labels bigger; the colour bars stay where they were. */
  double s0 = jx_tree_canvas_get_label_size (canvas);
  jx_tree_page_set_text_scale (page, 2.0);
  g_assert_cmpfloat_with_epsilon (jx_tree_canvas_get_label_size (canvas), 2 * s0, 1e-9);
  jx_tree_page_set_text_scale (page, 1.0);
  jx_tree_canvas_zoom_by (canvas, 4.0);
  g_assert_cmpfloat_with_epsilon (jx_tree_canvas_get_label_size (canvas), 2 * s0, 1e-9);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-zoomed");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.005);
  jx_tree_canvas_reset_view (canvas);
  g_assert_cmpfloat (jx_tree_canvas_get_zoom (canvas), ==, 1.0);

  /* Another jet: the description follows, the step starts over. */
  {
    int other = jx_pages_test_big_jet (dataset, 1000, jx_session_get_jet_index (session));
    g_autofree char *want = g_strdup_printf ("tree: jet %d,", other);

    jx_session_set_jet_index (session, other);
    g_assert_true (g_str_has_prefix (jx_tree_canvas_get_description (canvas), want));
    g_assert_cmpint (jx_tree_page_get_step (page), ==, 0);
  }
  g_assert_cmpint (jx_session_get_highlight_node (session), ==, -1);
  gtk_window_destroy (win);
}

/* Compare: the pinned tree stays while the session moves on; both share the colour ranges;
 * the export names both jets and the models. */
static void
test_compare_and_export (void)
{
  int j1 = jx_pages_test_big_jet (dataset, 10, -1);
  int j2 = jx_pages_test_big_jet (dataset, 40, j1);
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, j1, TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  g_autofree char *dir = g_dir_make_tmp ("jx-tree-page-XXXXXX", NULL);
  const char *ext[] = { "png", "svg", "pdf" };
  g_autoptr (GError) error = NULL;

  jx_tree_page_set_session (page, session);
  jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
  GtkWindow *win = jx_pages_test_window (GTK_WIDGET (page), 1200, 900);
  jx_tree_page_set_compare (page, TRUE);
  jx_session_set_jet_index (session, j2);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 2);
  JxTreeCanvas *pinned = JX_TREE_CANVAS (jx_tree_page_get_pinned_canvas (page));
  JxTreeCanvas *canvas = JX_TREE_CANVAS (jx_tree_page_get_canvas (page));
  g_autofree char *want1 = g_strdup_printf ("tree: jet %d,", j1);
  g_autofree char *want2 = g_strdup_printf ("tree: jet %d,", j2);
  g_assert_true (g_str_has_prefix (jx_tree_canvas_get_description (pinned), want1));
  g_assert_true (g_str_has_prefix (jx_tree_canvas_get_description (canvas), want2));
  JxTreeStyle s1, s2;
  g_assert_true (jx_tree_canvas_get_style (pinned, &s1));
  g_assert_true (jx_tree_canvas_get_style (canvas, &s2));
  g_assert_true (s1.energy_lo == s2.energy_lo && s1.energy_hi == s2.energy_hi && s1.value_max == s2.value_max);
  g_assert_true (s1.energy_lo > 0 && s1.value_max > 0);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-compare");

  for (size_t i = 0; i < G_N_ELEMENTS (ext); i++)
    {
      g_autofree char *name = g_strdup_printf ("trees.%s", ext[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (jx_tree_page_export (page, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      if (g_str_equal (ext[i], "svg"))
        {
          g_autofree char *t1 = g_strdup_printf ("jet %d of test jets", j1);
          g_autofree char *t2 = g_strdup_printf ("jet %d of test jets", j2);
          g_assert_nonnull (strstr (contents, t1));
          g_assert_nonnull (strstr (contents, t2));
          g_assert_nonnull (strstr (contents, "A = quark-model.h5"));
          g_assert_nonnull (strstr (contents, "B = z-model.h5"));
          g_assert_nonnull (strstr (contents, "C/A"));
        }
      g_unlink (path);
    }
  /* An unknown extension is refused with a message that says what to do. */
  {
    g_autofree char *bad = g_build_filename (dir, "tree.bmp", NULL);
    g_assert_false (jx_tree_page_export (page, bad, &error));
    g_assert_nonnull (strstr (error->message, ".png"));
    g_clear_error (&error);
  }
  jx_tree_page_set_compare (page, FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pinned)) && gtk_widget_get_mapped (GTK_WIDGET (pinned)));
  g_rmdir (dir);
  gtk_window_destroy (win);
}

/* A narrow page (a 1024-pixel window with the browser beside it): the page asks for little
 * width, the step panel goes below the tree instead of beside it, nothing is cut. */
static void
test_narrow (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 20, -1), TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  int min_w = 0, min_h = 0;

  jx_tree_page_set_session (page, session);
  jx_tree_page_set_mode (page, JX_TREE_MODE_LR);
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_VERTICAL, 420, &min_h, NULL, NULL, NULL);
  g_test_message ("the page's minimum: %d px wide, %d px high at 420 px wide", min_w, min_h);
  g_assert_cmpint (min_w, <=, 340);  /* PAGE_MIN_WIDTH of tests/gui/scenario_tree.py */
  g_assert_cmpint (min_h, <=, 560);
  GtkWindow *win = jx_pages_test_window (GTK_WIDGET (page), 420, 560);
  GtkWidget *body = jx_pages_test_find (GTK_WIDGET (page), JX_TYPE_BESIDE_BOX);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (win)), <=, 420);
  g_assert_false (jx_beside_box_get_beside (JX_BESIDE_BOX (body)));
  jx_tree_page_set_step (page, 2);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "tree-page-narrow");
  gtk_window_set_default_size (win, 1300, 800);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 3);
  g_assert_true (jx_beside_box_get_beside (JX_BESIDE_BOX (body)));
  gtk_window_destroy (win);
}

/* The label showing text, under root. */
static GtkWidget *
find_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Where a widget sits in the panel. */
static graphene_point_t
in_panel (GtkWidget *panel, GtkWidget *w)
{
  graphene_point_t p;
  g_assert_true (gtk_widget_compute_point (w, panel, &GRAPHENE_POINT_INIT (0, 0), &p));
  return p;
}

/* Below the tree, where the panel costs height, the models' numbers stand beside the step's
 * when the page is wide enough: the A/B table starts right of the step block, level with it,
 * and the panel is at most 3/4 of its one-column height. Beside the tree (and on a page too
 * narrow for two columns) it is one column: the table under the step block. */
static void
test_panel_columns (void)
{
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jx_pages_test_big_jet (dataset, 20, -1), TRUE);
  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  jx_tree_page_set_session (page, session);
  GtkWindow *win = jx_pages_test_window (GTK_WIDGET (page), 760, 700);
  GtkWidget *body = jx_pages_test_find (GTK_WIDGET (page), JX_TYPE_BESIDE_BOX);
  GtkWidget *panel = jx_tree_page_get_step_panel (page);
  jx_tree_page_set_step (page, 2);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 3);
  g_assert_false (jx_beside_box_get_beside (JX_BESIDE_BOX (body)));

  GtkWidget *cand = find_label (panel, "Candidates"), *end = find_label (panel, "P_end(0|h_t)");
  g_assert_nonnull (cand);
  g_assert_nonnull (end);
  int one_w, one_h, h = gtk_widget_get_height (panel);
  gtk_widget_measure (panel, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &one_w, NULL, NULL);
  gtk_widget_measure (panel, GTK_ORIENTATION_VERTICAL, one_w, NULL, &one_h, NULL, NULL);
  graphene_point_t c = in_panel (panel, cand), e = in_panel (panel, end);
  g_test_message ("below: panel %d x %d (one column: %d x %d); Candidates at %.0f,%.0f, "
                  "P_end at %.0f,%.0f", gtk_widget_get_width (panel), h, one_w, one_h, c.x, c.y,
                  e.x, e.y);
  g_assert_cmpfloat (e.x, >, c.x + gtk_widget_get_width (cand));
  g_assert_cmpfloat (fabs (e.y - c.y), <, 2.5 * gtk_widget_get_height (cand));
  g_assert_cmpint (4 * h, <=, 3 * one_h);

  /* Wide enough for the tree to keep 480 px beside it: one column beside the tree. */
  gtk_window_set_default_size (win, 1400, 800);
  jx_pages_test_wait_frames (GTK_WIDGET (page), 3);
  g_assert_true (jx_beside_box_get_beside (JX_BESIDE_BOX (body)));
  c = in_panel (panel, cand), e = in_panel (panel, end);
  g_assert_cmpfloat (fabs (e.x - c.x), <, 1);
  g_assert_cmpfloat (e.y, >, c.y + 3 * gtk_widget_get_height (cand));
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

/* An energy-head model as A (issue #12: every head works in the app): the labels are its own
 * terms by value, and the step panel's P_end · P_mother · P_branch gives each term back, with
 * P_branch said to be a density. */
static void
test_energy_model (void)
{
  int jet = jx_pages_test_big_jet (dataset, 9, -1);
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jet, TRUE);
  JxModelConfig cfg;
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };

  jx_model_config_default (&cfg);
  cfg.branch = JX_BRANCH_ENERGY;
  cfg.hidden = 8;
  cfg.dense = 8;
  cfg.energy_samples = 256;
  g_assert_cmpint (jx_model_new (&cfg, 5, &model, &err), ==, 0);
  jx_model_meta_init (&meta);
  g_autoptr (JxModelItem) energy = jx_model_item_new (model, &meta, "energy-model.h5");
  jx_session_set_model_a (session, energy);

  JxTreePage *page = JX_TREE_PAGE (jx_tree_page_new ());
  jx_tree_page_set_session (page, session);
  GtkWindow *win = jx_pages_test_window (GTK_WIDGET (page), 1400, 900);
  g_autofree double *a = NULL;
  size_t na;
  reference_terms (energy, jet, &a, &na);
  g_assert_cmpuint (na, >, 3);
  jx_tree_page_set_mode (page, JX_TREE_MODE_LOGP);
  check_labels (page, a, na);

  JxStepPanel *panel = JX_STEP_PANEL (jx_tree_page_get_step_panel (page));
  for (size_t t = 1; t < na; t++)
    {
      jx_tree_page_set_step (page, (int) t);
      const char *d = jx_step_panel_get_description (panel);
      double p = caption_value (d, "a_end=") * caption_value (d, "a_mother=")
                 * caption_value (d, "a_branch=");
      g_assert_cmpfloat_with_epsilon (log10 (p), a[t - 1], 1e-6);
      g_assert_nonnull (strstr (d, "(density)"));
    }
  gtk_window_destroy (win);
}

int
main (int argc, char **argv)
{
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  dataset = jx_pages_test_dataset (6);
  g_test_add_func ("/pages/tree/labels-by-value", test_labels_by_value);
  g_test_add_func ("/pages/tree/own-clustering", test_own_clustering);
  g_test_add_func ("/pages/tree/one-particle", test_one_particle);
  g_test_add_func ("/pages/tree/interaction", test_interaction);
  g_test_add_func ("/pages/tree/compare-export", test_compare_and_export);
  g_test_add_func ("/pages/tree/narrow", test_narrow);
  g_test_add_func ("/pages/tree/panel-columns", test_panel_columns);
  g_test_add_func ("/pages/tree/colormap", test_colormap);
  g_test_add_func ("/pages/tree/energy-model", test_energy_model);
  rc = g_test_run ();
  g_object_unref (dataset);
  return rc;
}
