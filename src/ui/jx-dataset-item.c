/* jx-dataset-item.c — a loaded dataset and its per-jet columns. */
#define G_LOG_DOMAIN "jx-dataset-item"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "jx-dataset-item.h"

struct _JxDatasetItem
{
  GObject parent_instance;

  JxDataset ds;                /* every jet; for a streamed item only the attributes */
  JxDatasetStream *stream;     /* a streamed item's jets (main thread), else NULL */
  gsize n_jets;
  char *path;
  char *title;

  /* Owned results of workers; NULL until one hands them over. Reference-counted so a later
   * worker can read them while the main thread swaps in new ones. */
  JxJetStats *stats;           /* g_atomic_rc_box */
  GBytes *log_p[2];            /* [n_jets] doubles */
  gconstpointer scored_with[2];
  guint revision;

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
  g_clear_pointer (&self->stream, jx_dataset_stream_close);
  g_clear_pointer (&self->stats, jx_jet_stats_unref);
  g_clear_pointer (&self->log_p[0], g_bytes_unref);
  g_clear_pointer (&self->log_p[1], g_bytes_unref);
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
  self->n_jets = self->ds.n_jets;
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
  jets = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu jet", "%zu jets", self->n_jets),
                          self->n_jets);
  gen = jx_dataset_get_attr (&self->ds, "generator");
  process = jx_dataset_get_attr (&self->ds, "process");
  algo = jx_dataset_get_attr (&self->ds, "algorithm");
  /* Derived samples first: a reweighted copy keeps its source's generator attributes. */
  if (g_strcmp0 (jx_dataset_item_get_origin (self), "reweighted") == 0)
    {
      g_autofree char *to = g_path_get_basename (jx_dataset_get_attr (&self->ds, "reweighted_to"));
      return g_strdup_printf (_("%s · reweighted to %s"), jets, to);
    }
  if (g_strcmp0 (jx_dataset_item_get_origin (self), "sampled") == 0)
    {
      const char *model = jx_dataset_get_attr (&self->ds, "model");
      g_autofree char *from = g_path_get_basename (model != NULL ? model : _("a model"));
      return g_strdup_printf (_("%s · sampled from %s"), jets, from);
    }
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
  return self->stream == NULL ? &self->ds : NULL;
}

gsize
jx_dataset_item_get_n_jets (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), 0);
  return self->n_jets;
}

JxDatasetItem *
jx_dataset_item_new_streamed (JxDatasetStream *stream, JxDataset *attrs, const char *title)
{
  JxDatasetItem *self;

  g_return_val_if_fail (stream != NULL && attrs != NULL && attrs->n_jets == 0, NULL);

  self = g_object_new (JX_TYPE_DATASET_ITEM, NULL);
  self->stream = stream;
  jx_dataset_free (&self->ds);
  self->ds = *attrs;
  jx_dataset_init (attrs);
  self->n_jets = jx_dataset_stream_info (stream)->n_jets;
  self->path = g_strdup (jx_dataset_stream_path (stream));
  self->title = title != NULL ? g_strdup (title) : g_path_get_basename (self->path);
  return self;
}

gboolean
jx_dataset_item_is_streamed (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), FALSE);
  return self->stream != NULL;
}

gboolean
jx_dataset_item_should_stream (const JxDatasetInfo *info)
{
  const char *env = g_getenv ("JUNIPR_STREAM_PARTICLES");
  guint64 limit = (guint64) 1 << 24;

  if (env != NULL && env[0] != '\0')
    limit = g_ascii_strtoull (env, NULL, 10);
  return info->n_jets > 0 && info->n_particles > limit;
}

void
jx_dataset_item_stream_options (JxDatasetStreamOptions *opt)
{
  const char *env = g_getenv ("JUNIPR_STREAM_CHUNK_JETS");

  memset (opt, 0, sizeof *opt);
  if (env != NULL && env[0] != '\0')
    opt->chunk_jets = g_ascii_strtoull (env, NULL, 10);
}

const char *
jx_dataset_item_get_attr (JxDatasetItem *self, const char *key)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  return jx_dataset_get_attr (&self->ds, key);
}

const JxP4 *
jx_dataset_item_get_jet (JxDatasetItem *self, gsize i, size_t *n, JxError *err)
{
  const JxDataset *chunk;
  size_t row;

  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  g_return_val_if_fail (i < self->n_jets, NULL);

  if (self->stream == NULL)
    {
      *n = jx_dataset_jet_size (&self->ds, i);
      return jx_dataset_jet (&self->ds, i);
    }
  chunk = jx_dataset_stream_get (self->stream, i, &row, NULL, err);
  if (chunk == NULL)
    return NULL;
  *n = jx_dataset_jet_size (chunk, row);
  return jx_dataset_jet (chunk, row);
}

JxDatasetStream *
jx_dataset_item_open_stream (JxDatasetItem *self, JxError *err)
{
  JxDatasetStreamOptions opt;

  g_return_val_if_fail (JX_IS_DATASET_ITEM (self) && self->path != NULL, NULL);
  jx_dataset_item_stream_options (&opt);
  return jx_dataset_stream_open (self->path, &opt, err);
}

const JxDataset *
jx_dataset_item_head (JxDatasetItem *self, size_t count, JxDataset *head, JxProgress *progress,
                      JxError *err)
{
  if (self->stream == NULL)
    return &self->ds;
  if (jx_dataset_read_range (head, self->path, 0, MIN (count, self->n_jets), progress, err) != 0)
    return NULL;
  return head;
}

int
jx_dataset_item_check_in_memory (JxDatasetItem *self, const char *what, const char *cli,
                                 JxError *err)
{
  if (self->stream == NULL)
    return 0;
  /* Never a silent out-of-memory: the file is too large for this job to hold, and the CLI
   * command that does it chunk by chunk, or on a subset, is named. */
  return jx_error_set (err, JX_ERR_INVALID,
                       "%s has %zu jets, too many to hold in memory for %s: the app reads it on "
                       "demand; use '%s' on the file instead", self->path, self->n_jets, what, cli);
}

void
jx_jet_stats_unref (JxJetStats *stats)
{
  g_atomic_rc_box_release_full (stats, (GDestroyNotify) jx_jetstats_free);
}

void
jx_dataset_item_take_stats (JxDatasetItem *self, JxJetStats *stats)
{
  g_return_if_fail (JX_IS_DATASET_ITEM (self));
  g_return_if_fail (stats != NULL && stats->n_jets == self->n_jets && stats->first == 0);

  g_clear_pointer (&self->stats, jx_jet_stats_unref);
  self->stats = g_atomic_rc_box_dup (sizeof *stats, stats);
  jx_jetstats_init (stats);
  self->revision++;
  g_signal_emit (self, signals[SIGNAL_OBSERVABLES_READY], 0);
}

gboolean
jx_dataset_item_has_observables (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), FALSE);
  return self->stats != NULL;
}

const JxJetStats *
jx_dataset_item_get_stats (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  return self->stats;
}

JxJetStats *
jx_dataset_item_ref_stats (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  return self->stats != NULL ? g_atomic_rc_box_acquire (self->stats) : NULL;
}

void
jx_dataset_item_take_scores (JxDatasetItem *self, int which, double *log_p, gconstpointer model)
{
  g_return_if_fail (JX_IS_DATASET_ITEM (self));
  g_return_if_fail (which == 0 || which == 1);

  g_clear_pointer (&self->log_p[which], g_bytes_unref);
  if (log_p != NULL)
    self->log_p[which] = g_bytes_new_take (log_p, MAX (self->n_jets, 1) * sizeof (double));
  self->scored_with[which] = log_p != NULL ? model : NULL;
  self->revision++;
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
  return self->log_p[which] != NULL ? g_bytes_get_data (self->log_p[which], NULL) : NULL;
}

GBytes *
jx_dataset_item_ref_scores (JxDatasetItem *self, int which)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  g_return_val_if_fail (which == 0 || which == 1, NULL);
  return self->log_p[which] != NULL ? g_bytes_ref (self->log_p[which]) : NULL;
}

guint
jx_dataset_item_get_revision (JxDatasetItem *self)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), 0);
  return self->revision;
}

const char *
jx_dataset_item_get_origin (JxDatasetItem *self)
{
  const char *gen;

  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);
  if (jx_dataset_get_attr (&self->ds, "reweighted_to") != NULL)
    return "reweighted";
  gen = jx_dataset_get_attr (&self->ds, "generator");
  if (gen != NULL && strcmp (gen, "junipr sample") == 0)
    return "sampled";
  return NULL;
}

/* One jet's observables on the main thread: only for the few visible rows before the worker's
 * table arrives, with the default subjet step. */
static void
compute_one (JxDatasetItem *self, gsize jet, double out[JX_N_OBSERVABLES])
{
  size_t n = 0;
  JxError err = { 0 };
  const JxP4 *p = jx_dataset_item_get_jet (self, jet, &n, &err);
  g_autofree JxP4 *scratch = g_new (JxP4, MAX (n, 1));
  JxObservables obs;

  if (self->work == NULL)
    self->work = jx_cluster_work_new ();
  if (p != NULL && jx_jetstats_jet (p, n, jet, &self->clustering, scratch,
                                    self->work, &obs, &err) == 0)
    jx_observables_row (&obs, out);
  else
    for (int k = 0; k < JX_N_OBSERVABLES; k++)
      out[k] = NAN;
}

/* The table column of a browser column. */
static int
stats_column (JxJetColumn col)
{
  switch (col)
    {
    case JX_COL_N: return jx_observable_index ("n");
    case JX_COL_E: return jx_observable_index ("E");
    case JX_COL_MASS: return jx_observable_index ("mass");
    case JX_COL_TAU21: return jx_observable_index ("tau21");
    default: return -1;
    }
}

double
jx_dataset_item_get_value (JxDatasetItem *self, gsize jet, JxJetColumn col)
{
  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NAN);
  g_return_val_if_fail (jet < self->n_jets, NAN);

  switch (col)
    {
    case JX_COL_INDEX:
      return (double) jet;
    case JX_COL_N:
    case JX_COL_E:
    case JX_COL_MASS:
    case JX_COL_TAU21:
      if (self->stats != NULL)
        return jx_jetstats_value (self->stats, jet, stats_column (col));
      {
        double v[JX_N_OBSERVABLES];
        compute_one (self, jet, v);
        return v[stats_column (col)];
      }
    case JX_COL_LOGP_A:
      return self->log_p[0] != NULL ? jx_dataset_item_get_scores (self, 0)[jet] : NAN;
    case JX_COL_LLR:
      return self->log_p[0] != NULL && self->log_p[1] != NULL
             ? jx_dataset_item_get_scores (self, 0)[jet] - jx_dataset_item_get_scores (self, 1)[jet]
             : NAN;
    case JX_N_COLS:
    default:
      g_return_val_if_reached (NAN);
    }
}

double *
jx_dataset_item_dup_column (JxDatasetItem *self, JxJetColumn col)
{
  const double *a, *b;
  gsize n;
  double *out;

  g_return_val_if_fail (JX_IS_DATASET_ITEM (self), NULL);

  n = self->n_jets;
  a = jx_dataset_item_get_scores (self, 0);
  b = jx_dataset_item_get_scores (self, 1);
  if (col == JX_COL_INDEX)
    {
      out = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        out[i] = (double) i;
      return out;
    }
  if (col >= JX_COL_N && col <= JX_COL_TAU21)
    {
      if (self->stats == NULL)
        return NULL;
      out = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        out[i] = jx_jetstats_value (self->stats, i, stats_column (col));
      return out;
    }
  if (col == JX_COL_LOGP_A)
    return a != NULL ? g_memdup2 (a, MAX (n, 1) * sizeof (double)) : NULL;
  if (col == JX_COL_LLR && a != NULL && b != NULL)
    {
      out = g_new (double, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        out[i] = a[i] - b[i];
      return out;
    }
  return NULL;
}
