/* jx-jet-list.c — browser order of a dataset's jets, sorted and filtered in a worker. */
#define G_LOG_DOMAIN "jx-jet-list"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-jet-list.h"
#include "jx-jet-row.h"

#define MAX_FILTERS 8

struct _JxJetList
{
  GObject parent_instance;

  JxDatasetItem *dataset;
  guint32 *order;    /* [n_items] jet indices; NULL: identity over the whole dataset */
  guint n_items;

  int sort_column;
  gboolean descending;
  JxJetFilter filters[MAX_FILTERS];
  guint n_filters;

  guint generation;  /* results of older workers are dropped */
  guint busy;
};

static void jx_jet_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JxJetList, jx_jet_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, jx_jet_list_model_init))

enum { PROP_0, PROP_N_ITEMS, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static GType
jx_jet_list_get_item_type (GListModel *model)
{
  return JX_TYPE_JET_ROW;
}

static guint
jx_jet_list_get_n_items (GListModel *model)
{
  return JX_JET_LIST (model)->n_items;
}

static gpointer
jx_jet_list_get_item (GListModel *model, guint position)
{
  JxJetList *self = JX_JET_LIST (model);

  if (position >= self->n_items || self->dataset == NULL)
    return NULL;
  return jx_jet_row_new (self->dataset, self->order ? self->order[position] : position);
}

static void
jx_jet_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = jx_jet_list_get_item_type;
  iface->get_n_items = jx_jet_list_get_n_items;
  iface->get_item = jx_jet_list_get_item;
}

static void
jx_jet_list_dispose (GObject *object)
{
  JxJetList *self = JX_JET_LIST (object);

  g_clear_object (&self->dataset);
  g_clear_pointer (&self->order, g_free);
  G_OBJECT_CLASS (jx_jet_list_parent_class)->dispose (object);
}

static void
jx_jet_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JxJetList *self = JX_JET_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_jet_list_class_init (JxJetListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jx_jet_list_dispose;
  object_class->get_property = jx_jet_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jx_jet_list_init (JxJetList *self)
{
  self->sort_column = -1;
}

JxJetList *
jx_jet_list_new (void)
{
  return g_object_new (JX_TYPE_JET_LIST, NULL);
}

static void
replace_order (JxJetList *self, guint32 *order, guint n_items)
{
  guint old = self->n_items;

  g_free (self->order);
  self->order = order;
  self->n_items = n_items;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, n_items);
  if (old != n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ---- the worker ---- */

typedef struct {
  gsize n_jets;
  double *key;                      /* NULL: keep dataset order */
  gboolean descending;
  double *fcol[MAX_FILTERS];
  JxJetFilter filters[MAX_FILTERS];
  guint n_filters;
  guint generation;
  guint32 *order;                   /* out */
  guint n_out;
} OrderJob;

static void
order_job_free (gpointer data)
{
  OrderJob *j = data;
  g_free (j->key);
  for (guint i = 0; i < j->n_filters; i++)
    g_free (j->fcol[i]);
  g_free (j->order);
  g_free (j);
}

static gboolean
passes (double v, const JxJetFilter *f)
{
  if (isnan (v))
    return FALSE;
  switch (f->cmp)
    {
    case JX_CMP_LT: return v < f->value;
    case JX_CMP_LE: return v <= f->value;
    case JX_CMP_GT: return v > f->value;
    case JX_CMP_GE: return v >= f->value;
    case JX_CMP_EQ: return fabs (v - f->value) <= 1e-9 * MAX (1.0, fabs (f->value));
    default: return FALSE;
    }
}

static const double *sort_key;   /* qsort has no user pointer; set only inside the lock */
G_LOCK_DEFINE_STATIC (sort_key);

/* NaN (not scored) sorts last either way; ties keep dataset order. */
static int
compare_asc (const void *a, const void *b)
{
  guint32 i = *(const guint32 *) a, j = *(const guint32 *) b;
  double x = sort_key[i], y = sort_key[j];
  if (isnan (x) || isnan (y))
    return isnan (x) ? (isnan (y) ? (i > j) - (i < j) : 1) : -1;
  if (x != y)
    return x < y ? -1 : 1;
  return (i > j) - (i < j);
}

static int
compare_desc (const void *a, const void *b)
{
  guint32 i = *(const guint32 *) a, j = *(const guint32 *) b;
  double x = sort_key[i], y = sort_key[j];
  if (isnan (x) || isnan (y))
    return isnan (x) ? (isnan (y) ? (i > j) - (i < j) : 1) : -1;
  if (x != y)
    return x > y ? -1 : 1;
  return (i > j) - (i < j);
}

static void
order_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  OrderJob *j = data;
  guint n = 0;

  j->order = g_new (guint32, MAX (j->n_jets, 1));
  for (gsize i = 0; i < j->n_jets; i++)
    {
      gboolean keep = TRUE;
      for (guint f = 0; f < j->n_filters && keep; f++)
        keep = j->fcol[f] != NULL && passes (j->fcol[f][i], &j->filters[f]);
      if (keep)
        j->order[n++] = (guint32) i;
    }
  j->n_out = n;
  if (j->key != NULL)
    {
      G_LOCK (sort_key);
      sort_key = j->key;
      qsort (j->order, n, sizeof (guint32), j->descending ? compare_desc : compare_asc);
      sort_key = NULL;
      G_UNLOCK (sort_key);
    }
  g_task_return_boolean (task, TRUE);
}

static void
order_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  JxJetList *self = JX_JET_LIST (source);
  OrderJob *j = g_task_get_task_data (G_TASK (result));

  self->busy--;
  if (self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (j->generation != self->generation || self->dataset == NULL)
    return;
  replace_order (self, g_steal_pointer (&j->order), j->n_out);
}

static void
reorder (JxJetList *self)
{
  OrderJob *j;
  g_autoptr (GTask) task = NULL;

  self->generation++;
  if (self->dataset == NULL)
    {
      replace_order (self, NULL, 0);
      return;
    }
  if (self->sort_column <= JX_COL_INDEX && !self->descending && self->n_filters == 0)
    {
      replace_order (self, NULL, jx_dataset_item_get_n_jets (self->dataset));
      return;
    }
  j = g_new0 (OrderJob, 1);
  j->n_jets = jx_dataset_item_get_n_jets (self->dataset);
  j->generation = self->generation;
  j->descending = self->descending;
  if (self->sort_column >= 0)
    j->key = jx_dataset_item_dup_column (self->dataset, self->sort_column);
  j->n_filters = self->n_filters;
  for (guint i = 0; i < self->n_filters; i++)
    {
      j->filters[i] = self->filters[i];
      j->fcol[i] = jx_dataset_item_dup_column (self->dataset, self->filters[i].column);
    }
  task = g_task_new (self, NULL, order_done, NULL);
  g_task_set_task_data (task, j, order_job_free);
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_task_run_in_thread (task, order_thread);
}

void
jx_jet_list_set_dataset (JxJetList *self, JxDatasetItem *dataset)
{
  g_return_if_fail (JX_IS_JET_LIST (self));

  if (self->dataset == dataset)
    return;
  g_set_object (&self->dataset, dataset);
  /* Drop the old order at once: its indices may not exist in the new dataset. */
  self->generation++;
  replace_order (self, NULL, 0);
  reorder (self);
}

JxDatasetItem *
jx_jet_list_get_dataset (JxJetList *self)
{
  g_return_val_if_fail (JX_IS_JET_LIST (self), NULL);
  return self->dataset;
}

void
jx_jet_list_set_order (JxJetList *self, int column, gboolean descending)
{
  g_return_if_fail (JX_IS_JET_LIST (self));

  if (self->sort_column == column && self->descending == descending)
    return;
  self->sort_column = column;
  self->descending = descending;
  reorder (self);
}

gboolean
jx_jet_list_set_filter_text (JxJetList *self, const char *text)
{
  return jx_jet_list_set_filter (self, text, NULL);
}

gboolean
jx_jet_list_set_filter (JxJetList *self, const char *text, GError **error)
{
  g_auto (GStrv) words = NULL;
  JxJetFilter filters[MAX_FILTERS];
  guint n = 0;

  g_return_val_if_fail (JX_IS_JET_LIST (self), FALSE);

  words = g_strsplit_set (text != NULL ? text : "", " ,;", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i], *op;
      char *end;
      g_autofree char *name = NULL;
      int col;

      if (*w == '\0')
        continue;
      if (n == MAX_FILTERS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("At most %d conditions"), MAX_FILTERS);
          return FALSE;
        }
      op = strpbrk (w, "<>=");
      if (op == NULL || op == w)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       op == NULL ? _("“%s” has no comparison (<, <=, >, >=, =)")
                                  : _("“%s” needs a column before the comparison"), w);
          return FALSE;
        }
      name = g_strndup (w, op - w);
      if ((col = jx_jet_column_parse (name)) < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Unknown column “%s”"), name);
          return FALSE;
        }
      filters[n].column = col;
      if (g_str_has_prefix (op, "<="))
        filters[n].cmp = JX_CMP_LE, op += 2;
      else if (g_str_has_prefix (op, ">="))
        filters[n].cmp = JX_CMP_GE, op += 2;
      else if (*op == '<')
        filters[n].cmp = JX_CMP_LT, op += 1;
      else if (*op == '>')
        filters[n].cmp = JX_CMP_GT, op += 1;
      else
        filters[n].cmp = JX_CMP_EQ, op += (op[1] == '=') ? 2 : 1;
      filters[n].value = g_ascii_strtod (op, &end);
      if (end == op || *end != '\0' || !isfinite (filters[n].value))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” needs a number after the comparison"), w);
          return FALSE;
        }
      /* The browser shows log P and log LR in log10 and the user types what is shown; the
       * dataset keeps natural logs. */
      if (col == JX_COL_LOGP_A || col == JX_COL_LLR)
        filters[n].value *= G_LN10;
      n++;
    }
  if (n == self->n_filters && memcmp (filters, self->filters, n * sizeof filters[0]) == 0)
    return TRUE;
  memcpy (self->filters, filters, n * sizeof filters[0]);
  self->n_filters = n;
  reorder (self);
  return TRUE;
}

guint
jx_jet_list_find (JxJetList *self, guint jet)
{
  g_return_val_if_fail (JX_IS_JET_LIST (self), G_MAXUINT);

  if (self->order == NULL)
    return jet < self->n_items ? jet : G_MAXUINT;
  for (guint i = 0; i < self->n_items; i++)
    if (self->order[i] == jet)
      return i;
  return G_MAXUINT;
}

guint
jx_jet_list_get_jet (JxJetList *self, guint position)
{
  g_return_val_if_fail (JX_IS_JET_LIST (self), 0);
  g_return_val_if_fail (position < self->n_items, 0);
  return self->order != NULL ? self->order[position] : position;
}

void
jx_jet_list_refresh (JxJetList *self)
{
  g_return_if_fail (JX_IS_JET_LIST (self));

  /* New values may change the order too (sorted or filtered by a column that just arrived). */
  if (self->sort_column > JX_COL_INDEX || self->n_filters > 0)
    reorder (self);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), 0, self->n_items, self->n_items);
}

gboolean
jx_jet_list_is_busy (JxJetList *self)
{
  g_return_val_if_fail (JX_IS_JET_LIST (self), FALSE);
  return self->busy > 0;
}

const char *
jx_jet_list_filter_syntax (void)
{
  return _("Conditions separated by spaces, all of which a jet must meet: COLUMN OP NUMBER, "
           "OP one of < <= > >= =. Columns: n, E, mass (or m), tau21, logp and llr (or lr, "
           "in log10 as shown), index. Example: n>20 mass<40 llr>1");
}
