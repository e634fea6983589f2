/* jx-tree-ranges.c — dataset-wide colour ranges of the Tree page, computed in a worker. */
#define G_LOG_DOMAIN "jx-tree-ranges"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-eval.h"
#include "jx-scored-jet.h"
#include "jx-step-terms.h"
#include "jx-tree-ranges.h"

typedef struct {
  JxDatasetItem *dataset;
  JxModelItem *model[2];
  int threads;
  JxProgress progress;
  JxTreeRanges out;
} Work;

static void
work_free (gpointer data)
{
  Work *w = data;

  g_clear_object (&w->dataset);
  g_clear_object (&w->model[0]);
  g_clear_object (&w->model[1]);
  g_free (w);
}

void
jx_tree_ranges_energy (const JxDataset *ds, double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (size_t i = 0; ds != NULL && i < ds->n_jets; i++)
    {
      const JxP4 *p = jx_dataset_jet (ds, i);
      size_t n = jx_dataset_jet_size (ds, i);
      double sum = 0;
      for (size_t k = 0; k < n; k++)
        {
          if (isfinite (p[k].E) && p[k].E > 0)
            *lo = fmin (*lo, p[k].E);
          sum += isfinite (p[k].E) ? p[k].E : 0;
        }
      *hi = fmax (*hi, sum);
    }
  if (!(*lo < *hi))
    *lo = *hi = NAN;
}

void
jx_tree_ranges_union (JxTreeRanges *a, const JxTreeRanges *b)
{
  a->energy_lo = isnan (a->energy_lo) ? b->energy_lo : fmin (a->energy_lo, b->energy_lo);
  a->energy_hi = isnan (a->energy_hi) ? b->energy_hi : fmax (a->energy_hi, b->energy_hi);
  a->lr_max = isnan (a->lr_max) ? b->lr_max : isnan (b->lr_max) ? a->lr_max : fmax (a->lr_max, b->lr_max);
}

static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  jx_progress_cancel (data);
}

static void
compute (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Work *w = data;
  const JxDataset *ds = jx_dataset_item_get_dataset (w->dataset);
  JxScores scores[2];
  JxError err = { 0 };
  gulong id = 0;
  int rc = 0;

  w->out.lr_max = NAN;
  jx_tree_ranges_energy (ds, &w->out.energy_lo, &w->out.energy_hi);
  /* A streamed dataset has no whole-dataset ranges (they would mean reading and scoring every
   * jet for a colour scale): NaN, so each tree uses its own. */
  if (ds == NULL
      || w->model[0] == NULL || w->model[1] == NULL
      || !jx_cluster_options_equal (&jx_model_item_get_meta (w->model[0])->clustering,
                               &jx_model_item_get_meta (w->model[1])->clustering))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (cancellable != NULL)
    id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), &w->progress, NULL);
  jx_scores_init (&scores[0]);
  jx_scores_init (&scores[1]);
  for (int k = 0; k < 2 && rc == 0; k++)
    {
      JxEvalOptions opt;
      jx_eval_options_default (&opt);
      opt.per_step = true;
      opt.threads = w->threads;
      rc = jx_evaluate (jx_model_item_get_model (w->model[k]), jx_model_item_get_meta (w->model[k]),
                        ds, &opt, &scores[k], &w->progress, &err);
    }
  if (rc == 0)
    w->out.lr_max = jx_step_terms_lr_quantile (&scores[0], &scores[1], JX_TREE_RANGES_LR_QUANTILE);
  jx_scores_free (&scores[0]);
  jx_scores_free (&scores[1]);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, id);
  if (rc != 0)
    g_task_return_new_error (task, G_IO_ERROR,
                             rc == JX_ERR_CANCELLED ? G_IO_ERROR_CANCELLED : G_IO_ERROR_FAILED,
                             "%s", err.message);
  else
    g_task_return_boolean (task, TRUE);
}

void
jx_tree_ranges_compute_async (JxDatasetItem *dataset, JxModelItem *a, JxModelItem *b,
                              int threads, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Work *w = g_new0 (Work, 1);

  w->dataset = g_object_ref (dataset);
  w->model[0] = a != NULL ? g_object_ref (a) : NULL;
  w->model[1] = b != NULL ? g_object_ref (b) : NULL;
  w->threads = threads;
  jx_progress_init (&w->progress, NULL, NULL);
  g_task_set_task_data (task, w, work_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, compute);
}

gboolean
jx_tree_ranges_compute_finish (GAsyncResult *result, JxTreeRanges *out, GError **error)
{
  Work *w = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *out = w->out;
  return TRUE;
}

void
jx_tree_ranges_of_tree (const JxTree *tree, const double *values, size_t n, JxTreeRanges *r)
{
  r->energy_lo = r->energy_hi = r->lr_max = NAN;
  for (size_t i = 0; tree != NULL && tree->n > 0 && i < 2 * tree->n - 1; i++)
    {
      double E = tree->nodes[i].p.E;
      if (isfinite (E) && E > 0)
        {
          r->energy_lo = isnan (r->energy_lo) ? E : fmin (r->energy_lo, E);
          r->energy_hi = isnan (r->energy_hi) ? E : fmax (r->energy_hi, E);
        }
    }
  for (size_t t = 0; values != NULL && t < n; t++)
    if (isfinite (values[t]))
      r->lr_max = isnan (r->lr_max) ? fabs (values[t]) : fmax (r->lr_max, fabs (values[t]));
}

/* ---- the cache --------------------------------------------------------------------------- */

typedef struct {
  JxDatasetItem *dataset;     /* the key (held) */
  JxModelItem *model[2];
  GCancellable *cancellable;  /* while computing */
  gboolean done;
  JxTreeRanges ranges;
  char *error;
} Entry;

struct _JxTreeRangesCache
{
  JxTreeRangesReady ready;    /* NULL once the owner is gone */
  gpointer user_data;
  Entry entries[2];
};

static void
entry_clear (Entry *e)
{
  if (e->cancellable != NULL)
    g_cancellable_cancel (e->cancellable);
  g_clear_object (&e->cancellable);
  g_clear_object (&e->dataset);
  g_clear_object (&e->model[0]);
  g_clear_object (&e->model[1]);
  g_free (e->error);
  *e = (Entry) { 0 };
}

static void
cache_release (gpointer data)
{
  JxTreeRangesCache *cache = data;

  for (int i = 0; i < 2; i++)
    entry_clear (&cache->entries[i]);
}

JxTreeRangesCache *
jx_tree_ranges_cache_new (JxTreeRangesReady ready, gpointer user_data)
{
  JxTreeRangesCache *cache = g_rc_box_new0 (JxTreeRangesCache);

  cache->ready = ready;
  cache->user_data = user_data;
  return cache;
}

void
jx_tree_ranges_cache_free (JxTreeRangesCache *cache)
{
  if (cache == NULL)
    return;
  cache->ready = NULL;
  for (int i = 0; i < 2; i++)
    if (cache->entries[i].cancellable != NULL)
      g_cancellable_cancel (cache->entries[i].cancellable);
  g_rc_box_release_full (cache, cache_release);
}

static Entry *
find_entry (JxTreeRangesCache *cache, JxDatasetItem *ds, JxModelItem *a, JxModelItem *b)
{
  for (int i = 0; i < 2; i++)
    {
      Entry *e = &cache->entries[i];
      if (e->dataset != NULL && e->dataset == ds && e->model[0] == a && e->model[1] == b)
        return e;
    }
  return NULL;
}

typedef struct {
  JxTreeRangesCache *cache;   /* a reference */
  GCancellable *cancellable;  /* names the entry it computes */
} Call;

static void
on_computed (GObject *source, GAsyncResult *result, gpointer data)
{
  Call *call = data;
  JxTreeRangesCache *cache = call->cache;
  JxTreeRanges r;
  g_autoptr (GError) error = NULL;
  gboolean ok = jx_tree_ranges_compute_finish (result, &r, &error);

  for (int i = 0; i < 2 && cache->ready != NULL; i++)
    {
      Entry *e = &cache->entries[i];
      if (e->cancellable != call->cancellable || g_cancellable_is_cancelled (e->cancellable))
        continue;
      g_clear_object (&e->cancellable);
      e->done = TRUE;
      if (ok)
        e->ranges = r;
      else
        {
          jx_tree_ranges_energy (jx_dataset_item_get_dataset (e->dataset), &e->ranges.energy_lo,
                                 &e->ranges.energy_hi);
          e->ranges.lr_max = NAN;
          e->error = g_strdup (error->message);
        }
      cache->ready (cache->user_data);
    }
  g_object_unref (call->cancellable);
  g_rc_box_release_full (cache, cache_release);
  g_free (call);
}

gboolean
jx_tree_ranges_cache_lookup (JxTreeRangesCache *cache, JxDatasetItem *dataset, JxModelItem *a,
                             JxModelItem *b, int threads, JxDatasetItem *keep_dataset,
                             JxModelItem *keep_a, JxModelItem *keep_b, JxTreeRanges *out,
                             const char **error)
{
  Entry *e = find_entry (cache, dataset, a, b);
  Call *call;

  if (error != NULL)
    *error = NULL;
  if (e != NULL && e->done)
    {
      *out = e->ranges;
      if (error != NULL)
        *error = e->error;
      return TRUE;
    }
  if (e != NULL)
    return FALSE;
  e = &cache->entries[0];
  if (keep_dataset != NULL && find_entry (cache, keep_dataset, keep_a, keep_b) == e)
    e = &cache->entries[1];
  entry_clear (e);
  e->dataset = g_object_ref (dataset);
  e->model[0] = a != NULL ? g_object_ref (a) : NULL;
  e->model[1] = b != NULL ? g_object_ref (b) : NULL;
  e->cancellable = g_cancellable_new ();
  call = g_new0 (Call, 1);
  call->cache = g_rc_box_acquire (cache);
  call->cancellable = g_object_ref (e->cancellable);
  jx_tree_ranges_compute_async (dataset, a, b, threads, e->cancellable, on_computed, call);
  return FALSE;
}
