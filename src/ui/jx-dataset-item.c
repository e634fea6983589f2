/* jx-dataset-item.c — a loaded dataset and its per-jet columns. */
#define G_LOG_DOMAIN "jx-dataset-item"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-dataset-item.h"
#include "jx-observables.h"

struct _JxDatasetItem
{
  GObject parent_instance;

  JxDataset ds;
  char *path;
  char *title;

  /* Owned columns, [n_jets] each; NULL until a worker hands them over. */
  double *cols[JX_N_COLS];
  double *log_p[2];
  gconstpointer scored_with[2];

  /* Scratch for computing one jet's observables before the table is ready. */
  JxClusterWork *work;
  JxClusterOptions clustering;
};

G_DEFINE_FINAL_TYPE (JxDatasetItem, jx_dataset_item, G_TYPE_OBJECT)

enum { SIGNAL_OBSERVABLES_READY, SIGNAL_SCORES_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const column_names[JX_N_COLS] = {
  "index", "n", "E", "mass", "tau21", "logp", "llr",
};

const char *
jx_jet_column_name (JxJetColumn col)
{
  g_return_val_if_fail (col < JX_N_COLS, "");
  return column_names[col];
}

int
jx_jet_column_parse (const char *name)
{
  for (int i = 0; i < JX_N_COLS; i++)
    if (g_ascii_strcasecmp (name, column_names[i]) == 0)
      return i;
  if (g_ascii_strcasecmp (name, "m") == 0)
    return JX_COL_MASS;
  if (g_ascii_strcasecmp (name, "lr") == 0)
    return JX_COL_LLR;
  return -1;
}

static void
jx_dataset_item_finalize (GObject *object)
{
  JxDatasetItem *self = JX_DATASET_ITEM (object);

  jx_dataset_free (&self->ds);
  for (int i = 0; i < JX_N_COLS; i++)
    g_clear_pointer (&self->cols[i], g_free);
  g_clear_pointer (&self->log_p[0], g_free);
  g_clear_pointer (&self->log_p[1], g_free);
  g_clear_pointer (&self->work, jx_cluster_work_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (jx_dataset_item_parent_class)->finalize (object);
}

static void
jx_dataset_item_class_init (JxDatasetItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_dataset_item_finalize;

  signals[SIGNAL_OBSERVABLES_READY] =
    g_signal_new ("observables-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SCORES_CHANGED] =
    g_signal_new ("scores-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
jx_dataset_item_init (JxDatasetItem *self)
{
  jx_dataset_init (&self->ds);
  jx_cluster_options_default (&self->clustering);
}

JxDatasetItem *
jx_dataset_item_new (JxDataset *ds, const char *path, const char *title)
{
  JxDatasetItem *self;

  g_return_val_if_fail (ds != NULL, NULL);

  self = g_object_new (JX_TYPE_DATASET_ITEM, NULL);
  self->ds = *ds;
  jx_dataset_init (ds);
  self->path = g_strdup (path);
  if (title != NULL)
    self->title = g_strdup (title);
  else if (path != NULL)
    self->title = g_path_get_basename (path);
  else
    self->title = g_strdup (_("Untitled sample"));
  return self;
}

const char *
jx_dataset_item_get_path (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  return self->path;
}

const char *
jx_dataset_item_get_title (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  return self->title;
}

char *
jx_dataset_item_dup_subtitle (JxDatasetItem *self)
{
  const char *gen, *process, *algo;
  g_autofree char *jets = NULL;

  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);

  /* The generator stores its process; imports say where they came from. */
  jets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu jet", "%zu jets", self->ds.n_jets),
                          self->ds.n_jets);
  gen = jx_dataset_get_attr (&self->ds, "generator");
  process = jx_dataset_get_attr (&self->ds, "process");
  algo = jx_dataset_get_attr (&self->ds, "algorithm");
  if (process != NULL)
    return g_strdup_printf (_("%s · %s jets · %s"), jets,
                            strcmp (process, "zz") == 0 ? "Z" : _("quark"),
                            algo != NULL ? algo : "C/A");
  if (gen != NULL)
    return g_strdup_printf ("%s · %s", jets, gen);
  return g_strdup_printf (_("%s · imported"), jets);
}

const JxDataset *
jx_dataset_item_get_dataset (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  return &self->ds;
}

gsize
jx_dataset_item_get_n_jets (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), 0);
  return self->ds.n_jets;
}

void
jx_dataset_item_take_observables (JxDatasetItem *self, double *n, double *e, double *mass,
                                  double *tau21)
{
  g_return_if_fail (JX_IS_DATASET_ITEM (self));

  g_free (self->cols[JX_COL_N]);
  g_free (self->cols[JX_COL_E]);
  g_free (self->cols[JX_COL_MASS]);
  g_free (self->cols[JX_COL_TAU21]);
  self->cols[JX_COL_N] = n;
  self->cols[JX_COL_E] = e;
  self->cols[JX_COL_MASS] = mass;
  self->cols[JX_COL_TAU21] = tau21;
  g_signal_emit (self, signals[SIGNAL_OBSERVABLES_READY], 0);
}

gboolean
jx_dataset_item_has_observables (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), FALSE);
  return self->cols[JX_COL_N] != NULL;
}

void
jx_dataset_item_take_scores (JxDatasetItem *self, int which, double *log_p, gconstpointer model)
{
  g_return_if_fail (JX_IS_DATASET_ITEM (self));
  g_return_if_fail (which == 0 || which == 1);

  g_free (self->log_p[which]);
  self->log_p[which] = log_p;
  self->scored_with[which] = log_p != NULL ? model : NULL;
  g_signal_emit (self, signals[SIGNAL_SCORES_CHANGED], 0, which);
}

gconstpointer
jx_dataset_item_get_scored_with (JxDatasetItem *self, int which)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  g_return_val_if_fail (which == 0 || which == 1, NULL);
  return self->scored_with[which];
}

const double *
jx_dataset_item_get_scores (JxDatasetItem *self, int which)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  g_return_val_if_fail (which == 0 || which == 1, NULL);
  return self->log_p[which];
}

/* One jet's observables on the main thread: only for the few visible rows before the worker's
 * table arrives. The subjet step is the default one, as in the worker. */
static void
compute_one (JxDatasetItem *self, gsize jet, double out[4])
{
  JxTree tree = { 0 };
  JxObservables obs;
  JxError err = { 0 };
  const JxP4 *p = jx_dataset_jet (&self->ds, jet);
  size_t n = jx_dataset_jet_size (&self->ds, jet);

  out[0] = out[1] = out[2] = out[3] = NAN;
  if (self->work == NULL)
    self->work = jx_cluster_work_new ();
  if (jx_tree_build (&tree, p, n, &self->clustering, self->work, &err) != 0)
    return;
  {
    g_autofree JxP4 *leaves = g_new (JxP4, tree.n);
    for (size_t i = 0; i < tree.n; i++)
      leaves[i] = tree.nodes[i].p;
    if (jx_observables_compute (leaves, tree.n, &obs, self->work, &err) == 0)
      {
        out[0] = (double) obs.n;
        out[1] = obs.E;
        out[2] = obs.mass;
        out[3] = obs.tau21;
      }
  }
  jx_tree_free (&tree);
}

double
jx_dataset_item_get_value (JxDatasetItem *self, gsize jet, JxJetColumn col)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NAN);
  g_return_val_if_fail (jet < self->ds.n_jets, NAN);

  switch (col)
    {
    case JX_COL_INDEX:
      return (double) jet;
    case JX_COL_N:
    case JX_COL_E:
    case JX_COL_MASS:
    case JX_COL_TAU21:
      if (self->cols[col] != NULL)
        return self->cols[col][jet];
      {
        double v[4];
        compute_one (self, jet, v);
        return v[col - JX_COL_N];
      }
    case JX_COL_LOGP_A:
      return self->log_p[0] != NULL ? self->log_p[0][jet] : NAN;
    case JX_COL_LLR:
      return self->log_p[0] != NULL && self->log_p[1] != NULL
             ? self->log_p[0][jet] - self->log_p[1][jet] : NAN;
    case JX_N_COLS:
    default:
      g_return_val_if_reached (NAN);
    }
}

double *
jx_dataset_item_dup_column (JxDatasetItem *self, JxJetColumn col)
{
  gsize n;
  double *out;

  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);

  n = self->ds.n_jets;
  if (col == JX_COL_INDEX)
    {
      out = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        out[i] = (double) i;
      return out;
    }
  if (col >= JX_COL_N && col <= JX_COL_TAU21)
    return self->cols[col] != NULL ? g_memdup2 (self->cols[col], MAX (n, 1) * sizeof (double)) : NULL;
  if (col == JX_COL_LOGP_A)
    return self->log_p[0] != NULL ? g_memdup2 (self->log_p[0], MAX (n, 1) * sizeof (double)) : NULL;
  if (col == JX_COL_LLR && self->log_p[0] != NULL && self->log_p[1] != NULL)
    {
      out = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        out[i] = self->log_p[0][i] - self->log_p[1][i];
      return out;
    }
  return NULL;
}
