/* test-lund-page.c — the Lund page: the browser's jet shows as many primary emissions as
 * its C/A tree has (counted here along the harder branch), coloured when models A and B are
 * C/A models; the dataset map, made in a worker, says (accessible description) a mean log10
 * P_A/P_B that its bins and cells sum to and that equals the jets' own, computed here from
 * each jet's log P; without model B it says why there is no map; screenshots show it. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-lund-page.h"
#include "jx-pages-test-util.h"

static JxDatasetItem *dataset;

/* The value after "key=" in the canvas's description. */
static double
described (GtkWidget *page, const char *key)
{
  const char *desc = jx_lund_page_get_description (JX_LUND_PAGE (page));
  g_autofree char *needle = g_strdup_printf ("%s=", key);
  const char *at = desc ? strstr (desc, needle) : NULL;

  return at ? g_ascii_strtod (at + strlen (needle), NULL) : NAN;
}

static gboolean
map_ready (gpointer data)
{
  return !jx_lund_page_get_busy (JX_LUND_PAGE (data));
}

/* Σ over the jets of log10 P_A/P_B from each jet's log P, and how many could be scored. */
static double
mean_log10_lr (JxSession *session, size_t *n_ok)
{
  const JxDataset *ds = jx_dataset_item_get_dataset (dataset);
  JxModelItem *items[2] = { jx_session_get_model_a (session), jx_session_get_model_b (session) };
  JxClusterOptions co = jx_model_item_get_meta (items[0])->clustering;
  double sum = 0;

  *n_ok = 0;
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      JxTree tree = { 0 };
      JxError err = { 0 };
      double lp[2];
      if (jx_tree_build (&tree, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), &co, NULL,
                         &err) == 0
          && jx_model_log_prob (jx_model_item_get_model (items[0]), &tree, NULL, &lp[0], NULL, &err) == 0
          && jx_model_log_prob (jx_model_item_get_model (items[1]), &tree, NULL, &lp[1], NULL, &err) == 0)
        {
          sum += (lp[0] - lp[1]) / G_LN10;
          (*n_ok)++;
        }
      jx_tree_free (&tree);
    }
  return sum / (double) *n_ok;
}

static void
test_jet_and_map (void)
{
  int jet = jx_pages_test_big_jet (dataset, 40, -1);
  g_autoptr (JxSession) session = jx_pages_test_session (dataset, jet, TRUE);
  GtkWidget *page = jx_lund_page_new ();
  GtkWindow *win;
  const JxTree *tree;
  size_t primary = 0, n_ok;
  double mean;

  jx_lund_page_set_session (JX_LUND_PAGE (page), session);
  win = jx_pages_test_window (page, 1100, 700);

  /* The session's tree is model A's: C/A with its subjet step, the page's tree too. */
  tree = jx_session_get_tree (session);
  for (int i = tree->root; tree->nodes[i].step > 0; i = tree->nodes[i].daughter[0])
    primary++;
  g_assert_cmpfloat (described (page, "emissions"), ==, (double) primary);
  g_assert_nonnull (strstr (jx_lund_page_get_description (JX_LUND_PAGE (page)), "lr=yes"));
  jx_pages_test_wait_frames (page, 1);
  g_autoptr (GdkTexture) shot = jx_pages_test_screenshot (GTK_WIDGET (win), "lund-page-jet");
  g_assert_cmpfloat (jx_pages_test_ink (shot), >, 0.01);

  jx_lund_page_set_view (JX_LUND_PAGE (page), JX_LUND_VIEW_MAP);
  g_assert_true (jx_pages_test_wait_for (map_ready, page));
  mean = mean_log10_lr (session, &n_ok);
  g_assert_cmpfloat (described (page, "jets"), ==, (double) n_ok);
  g_assert_cmpfloat_with_epsilon (described (page, "attributed"), mean, 1e-9 * fmax (1, fabs (mean)));
  g_assert_cmpfloat_with_epsilon (described (page, "bins") + described (page, "secondary")
                                  + described (page, "end") + described (page, "outside"),
                                  mean, 1e-9 * fmax (1, fabs (mean)));
  jx_pages_test_wait_frames (page, 1);
  g_autoptr (GdkTexture) map = jx_pages_test_screenshot (GTK_WIDGET (win), "lund-page-map");
  g_assert_cmpfloat (jx_pages_test_ink (map), >, 0.05);

  /* Without model B there is no likelihood ratio to map. */
  jx_session_set_model_b (session, NULL);
  g_assert_nonnull (strstr (jx_lund_page_get_description (JX_LUND_PAGE (page)), "No map"));
  gtk_window_destroy (win);
}

int
main (int argc, char **argv)
{
  int rc;

  gtk_test_init (&argc, &argv, NULL);
  dataset = jx_pages_test_dataset (6);
  g_test_add_func ("/pages/lund/jet-and-map", test_jet_and_map);
  rc = g_test_run ();
  g_object_unref (dataset);
  return rc;
}
