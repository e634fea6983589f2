/* test-jet-list.c — the jet browser's model without a display: lazy rows, sorting and
 * filtering in a worker, NaN handling, and that old orders never leak into a new dataset. */
#include <glib.h>
#include <math.h>

#include "jx-dataset-item.h"
#include <string.h>

#include "jx-jet-list.h"
#include "jx-jet-row.h"

static void
wait_idle (JxJetList *list)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (jx_jet_list_is_busy (list) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (jx_jet_list_is_busy (list));
}

static JxDatasetItem *
make_item (size_t n_jets)
{
  JxDataset ds;
  jx_dataset_init (&ds);
  for (size_t i = 0; i < n_jets; i++)
    {
      JxP4 p = { .E = 10.0 + i, .px = 1, .py = 0, .pz = 0 };
      g_assert_cmpint (jx_dataset_append (&ds, &p, 1, NULL), ==, 0);
    }
  return jx_dataset_item_new (&ds, NULL, "test");
}

static void
test_order (void)
{
  g_autoptr (JxDatasetItem) item = make_item (6);
  g_autoptr (JxJetList) list = jx_jet_list_new ();
  double *logp = g_new (double, 6);
  double values[6] = { 3, NAN, -1, 7, 0.5, 2 };

  jx_jet_list_set_dataset (list, item);
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 6);
  {
    g_autoptr (JxJetRow) row = g_list_model_get_item (G_LIST_MODEL (list), 4);
    g_assert_cmpuint (jx_jet_row_get_index (row), ==, 4);
  }
  /* Stored as natural logs; the browser (and its filter) speak log10. */
  for (int i = 0; i < 6; i++)
    logp[i] = values[i] * G_LN10;
  jx_dataset_item_take_scores (item, 0, logp, item);

  /* Descending log P: 7, 3, 2, 0.5, −1, then the unscored jet last. */
  jx_jet_list_set_order (list, JX_COL_LOGP_A, TRUE);
  wait_idle (list);
  {
    guint expect[6] = { 3, 0, 5, 4, 2, 1 };
    for (guint i = 0; i < 6; i++)
      g_assert_cmpuint (jx_jet_list_get_jet (list, i), ==, expect[i]);
  }
  /* Filter on the same column; syntax errors change nothing. */
  g_assert_true (jx_jet_list_set_filter_text (list, "logp>=0.5 logp<7"));
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpuint (jx_jet_list_get_jet (list, 0), ==, 0);
  g_assert_cmpuint (jx_jet_list_find (list, 4), ==, 2);
  g_assert_cmpuint (jx_jet_list_find (list, 3), ==, G_MAXUINT);
  g_assert_false (jx_jet_list_set_filter_text (list, "mass<<3"));
  g_assert_false (jx_jet_list_set_filter_text (list, "colour>1"));
  {
    /* A wrong filter says what is wrong. */
    g_autoptr (GError) error = NULL;
    g_assert_false (jx_jet_list_set_filter (list, "n>2 colour>1", &error));
    g_assert_nonnull (strstr (error->message, "colour"));
    g_clear_error (&error);
    g_assert_false (jx_jet_list_set_filter (list, "mass<x", &error));
    g_assert_nonnull (strstr (error->message, "number"));
    g_clear_error (&error);
    g_assert_false (jx_jet_list_set_filter (list, "mass", &error));
    g_assert_nonnull (strstr (error->message, "comparison"));
    g_assert_nonnull (strstr (jx_jet_list_filter_syntax (), "log10"));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  /* In log10: 3 and 7 pass, not 2 (whose natural log, 4.6, would). */
  g_assert_true (jx_jet_list_set_filter_text (list, "logp>2.5"));
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  /* A new dataset starts empty of the old order, then shows all its jets. */
  {
    g_autoptr (JxDatasetItem) other = make_item (2);
    g_assert_true (jx_jet_list_set_filter_text (list, ""));
    jx_jet_list_set_order (list, -1, FALSE);
    jx_jet_list_set_dataset (list, other);
    wait_idle (list);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
    g_assert_cmpuint (jx_jet_list_get_jet (list, 1), ==, 1);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/jet-list/order", test_order);
  return g_test_run ();
}
