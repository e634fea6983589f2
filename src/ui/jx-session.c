/* jx-session.c — the shared state of the pages, with a one-jet cache of the tree and its
 * per-step scores (recomputed lazily on the main thread: one jet is cheap). The jobs that keep
 * the datasets' tables current are in jx-session-jobs.c. */
#define G_LOG_DOMAIN "jx-session"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-model-io.h"
#include "jx-session-private.h"

G_DEFINE_FINAL_TYPE (JxSession, jx_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATASET,
  PROP_JET_INDEX,
  PROP_MODEL_A,
  PROP_MODEL_B,
  PROP_HIGHLIGHT_NODE,
  PROP_SIGNAL,
  PROP_BACKGROUND,
  PROP_REWEIGHTED,
  PROP_THREADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SIGNAL_RUN_JOB, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
invalidate (JxSession *self)
{
  if (self->have_tree)
    jx_tree_free (&self->tree);
  self->have_tree = FALSE;
  self->cache_valid = FALSE;
  self->tree_error[0] = '\0';
}

static void
jx_session_dispose (GObject *object)
{
  JxSession *self = JX_SESSION (object);

  invalidate (self);
  _jx_session_jobs_dispose (self);
  g_clear_object (&self->dataset);
  g_clear_object (&self->signal);
  g_clear_object (&self->background);
  g_clear_object (&self->reweighted);
  g_clear_object (&self->model[0]);
  g_clear_object (&self->model[1]);
  g_clear_object (&self->datasets);

  G_OBJECT_CLASS (jx_session_parent_class)->dispose (object);
}

static void
jx_session_finalize (GObject *object)
{
  JxSession *self = JX_SESSION (object);

  g_clear_pointer (&self->work, jx_cluster_work_free);

  G_OBJECT_CLASS (jx_session_parent_class)->finalize (object);
}

static void
jx_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JxSession *self = JX_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_object (value, self->dataset);
      break;
    case PROP_JET_INDEX:
      g_value_set_int (value, self->jet_index);
      break;
    case PROP_MODEL_A:
      g_value_set_object (value, self->model[0]);
      break;
    case PROP_MODEL_B:
      g_value_set_object (value, self->model[1]);
      break;
    case PROP_HIGHLIGHT_NODE:
      g_value_set_int (value, self->highlight_node);
      break;
    case PROP_SIGNAL:
      g_value_set_object (value, self->signal);
      break;
    case PROP_BACKGROUND:
      g_value_set_object (value, self->background);
      break;
    case PROP_REWEIGHTED:
      g_value_set_object (value, self->reweighted);
      break;
    case PROP_THREADS:
      g_value_set_int (value, self->threads);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JxSession *self = JX_SESSION (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      jx_session_set_dataset (self, g_value_get_object (value));
      break;
    case PROP_JET_INDEX:
      jx_session_set_jet_index (self, g_value_get_int (value));
      break;
    case PROP_MODEL_A:
      jx_session_set_model_a (self, g_value_get_object (value));
      break;
    case PROP_MODEL_B:
      jx_session_set_model_b (self, g_value_get_object (value));
      break;
    case PROP_HIGHLIGHT_NODE:
      jx_session_set_highlight_node (self, g_value_get_int (value));
      break;
    case PROP_SIGNAL:
      jx_session_set_signal (self, g_value_get_object (value));
      break;
    case PROP_BACKGROUND:
      jx_session_set_background (self, g_value_get_object (value));
      break;
    case PROP_REWEIGHTED:
      jx_session_set_reweighted (self, g_value_get_object (value));
      break;
    case PROP_THREADS:
      jx_session_set_threads (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_session_class_init (JxSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jx_session_dispose;
  object_class->finalize = jx_session_finalize;
  object_class->get_property = jx_session_get_property;
  object_class->set_property = jx_session_set_property;

  properties[PROP_DATASET] =
    g_param_spec_object ("dataset", NULL, NULL, JX_TYPE_DATASET_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_JET_INDEX] =
    g_param_spec_int ("jet-index", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MODEL_A] =
    g_param_spec_object ("model-a", NULL, NULL, JX_TYPE_MODEL_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MODEL_B] =
    g_param_spec_object ("model-b", NULL, NULL, JX_TYPE_MODEL_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HIGHLIGHT_NODE] =
    g_param_spec_int ("highlight-node", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SIGNAL] =
    g_param_spec_object ("signal", NULL, NULL, JX_TYPE_DATASET_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BACKGROUND] =
    g_param_spec_object ("background", NULL, NULL, JX_TYPE_DATASET_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REWEIGHTED] =
    g_param_spec_object ("reweighted", NULL, NULL, JX_TYPE_DATASET_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_THREADS] =
    g_param_spec_int ("threads", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RUN_JOB] =
    g_signal_new ("run-job", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1, JX_TYPE_JOB);
}

static void
jx_session_init (JxSession *self)
{
  self->jet_index = -1;
  self->highlight_node = -1;
  jx_cluster_options_default (&self->default_clustering);
  self->datasets = g_list_store_new (JX_TYPE_DATASET_ITEM);
  _jx_session_jobs_init (self);
}

JxSession *
jx_session_new (void)
{
  return g_object_new (JX_TYPE_SESSION, NULL);
}

JxDatasetItem *
jx_session_get_dataset (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);
  return self->dataset;
}

void
jx_session_set_dataset (JxSession *self, JxDatasetItem *dataset)
{
  g_return_if_fail (JX_IS_SESSION (self));
  g_return_if_fail (dataset == NULL || JX_IS_DATASET_ITEM (dataset));

  if (self->dataset == dataset)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  invalidate (self);
  g_set_object (&self->dataset, dataset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
  /* An index of the old dataset means nothing in the new one. */
  jx_session_set_highlight_node (self, -1);
  jx_session_set_jet_index (self, dataset != NULL && jx_dataset_item_get_n_jets (dataset) > 0
                                  ? 0 : -1);
  g_object_thaw_notify (G_OBJECT (self));
  jx_session_update_jobs (self);
}

int
jx_session_get_jet_index (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), -1);
  return self->jet_index;
}

void
jx_session_set_jet_index (JxSession *self, int jet_index)
{
  g_return_if_fail (JX_IS_SESSION (self));

  if (self->dataset == NULL || jet_index < 0
      || (gsize) jet_index >= jx_dataset_item_get_n_jets (self->dataset))
    jet_index = -1;
  if (self->jet_index == jet_index)
    return;
  invalidate (self);
  self->jet_index = jet_index;
  jx_session_set_highlight_node (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JET_INDEX]);
}

static void
set_model (JxSession *self, int which, JxModelItem *model)
{
  g_return_if_fail (model == NULL || JX_IS_MODEL_ITEM (model));

  if (self->model[which] == model)
    return;
  /* The tree depends on model A's clustering. */
  if (which == 0)
    invalidate (self);
  g_set_object (&self->model[which], model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[which == 0 ? PROP_MODEL_A : PROP_MODEL_B]);
  jx_session_update_jobs (self);
}

JxModelItem *
jx_session_get_model_a (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);
  return self->model[0];
}

void
jx_session_set_model_a (JxSession *self, JxModelItem *model)
{
  g_return_if_fail (JX_IS_SESSION (self));
  set_model (self, 0, model);
}

JxModelItem *
jx_session_get_model_b (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);
  return self->model[1];
}

void
jx_session_set_model_b (JxSession *self, JxModelItem *model)
{
  g_return_if_fail (JX_IS_SESSION (self));
  set_model (self, 1, model);
}

int
jx_session_get_highlight_node (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), -1);
  return self->highlight_node;
}

void
jx_session_set_highlight_node (JxSession *self, int node)
{
  g_return_if_fail (JX_IS_SESSION (self));

  if (node < -1)
    node = -1;
  if (self->highlight_node == node)
    return;
  self->highlight_node = node;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHLIGHT_NODE]);
}

void
jx_session_set_default_clustering (JxSession *self, const JxClusterOptions *opt)
{
  g_return_if_fail (JX_IS_SESSION (self));
  g_return_if_fail (opt != NULL);

  self->default_clustering = *opt;
  if (self->model[0] == NULL && self->jet_index >= 0)
    {
      /* Pages redraw on jet-index; re-announce the same jet with the new tree. */
      int jet = self->jet_index;
      invalidate (self);
      self->jet_index = -1;
      jx_session_set_jet_index (self, jet);
    }
  jx_session_update_jobs (self);
}

const JxClusterOptions *
jx_session_get_clustering (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);

  return self->model[0] != NULL ? &jx_model_item_get_meta (self->model[0])->clustering
                                : &self->default_clustering;
}

static void
set_sample (JxSession *self, JxDatasetItem **slot, int prop, JxDatasetItem *dataset)
{
  g_return_if_fail (dataset == NULL || JX_IS_DATASET_ITEM (dataset));

  if (!g_set_object (slot, dataset))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  jx_session_update_jobs (self);
}

JxDatasetItem *
jx_session_get_signal (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);
  return self->signal;
}

void
jx_session_set_signal (JxSession *self, JxDatasetItem *dataset)
{
  g_return_if_fail (JX_IS_SESSION (self));
  set_sample (self, &self->signal, PROP_SIGNAL, dataset);
}

JxDatasetItem *
jx_session_get_background (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);
  return self->background;
}

void
jx_session_set_background (JxSession *self, JxDatasetItem *dataset)
{
  g_return_if_fail (JX_IS_SESSION (self));
  set_sample (self, &self->background, PROP_BACKGROUND, dataset);
}

JxDatasetItem *
jx_session_get_reweighted (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);
  return self->reweighted;
}

void
jx_session_set_reweighted (JxSession *self, JxDatasetItem *dataset)
{
  g_return_if_fail (JX_IS_SESSION (self));
  set_sample (self, &self->reweighted, PROP_REWEIGHTED, dataset);
}

gboolean
jx_session_split_by_label (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), FALSE);
  return self->signal != NULL && self->signal == self->background;
}

/* Both label classes present: the dataset can be signal and background at once. */
static gboolean
has_both_labels (JxDatasetItem *dataset)
{
  const JxDataset *ds = jx_dataset_item_get_dataset (dataset);
  gboolean sig = FALSE, bkg = FALSE;

  /* A streamed file's labels are not in memory: it is not split into signal and background
   * (its ROC and plots would need every label; `junipr discriminate` splits it). */
  for (size_t i = 0; ds != NULL && ds->labels != NULL && i < ds->n_jets && !(sig && bkg); i++)
    {
      sig = sig || ds->labels[i] > 0;
      bkg = bkg || ds->labels[i] <= 0;
    }
  return sig && bkg;
}

void
jx_session_offer_dataset (JxSession *self, JxDatasetItem *dataset)
{
  g_return_if_fail (JX_IS_SESSION (self));
  g_return_if_fail (JX_IS_DATASET_ITEM (dataset));

  g_list_store_append (self->datasets, dataset);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->dataset == NULL)
    jx_session_set_dataset (self, dataset);
  if (self->signal == NULL && has_both_labels (dataset))
    {
      jx_session_set_signal (self, dataset);
      jx_session_set_background (self, dataset);
    }
  else if (self->signal == NULL)
    jx_session_set_signal (self, dataset);
  else if (self->background == NULL)
    jx_session_set_background (self, dataset);
  g_object_thaw_notify (G_OBJECT (self));
}

GListModel *
jx_session_get_datasets (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->datasets);
}

void
jx_session_set_threads (JxSession *self, int threads)
{
  g_return_if_fail (JX_IS_SESSION (self));

  if (self->threads == threads)
    return;
  self->threads = threads;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREADS]);
}

int
jx_session_get_threads (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), 0);
  return self->threads;
}

void
jx_session_run_job (JxSession *self, JxJob *job)
{
  gboolean handled = FALSE;

  g_return_if_fail (JX_IS_SESSION (self));
  g_return_if_fail (JX_IS_JOB (job));

  g_signal_emit (self, signals[SIGNAL_RUN_JOB], 0, job, &handled);
  if (!handled)
    jx_job_start (job);
}

static void
ensure_tree (JxSession *self)
{
  const JxP4 *p;
  size_t n = 0;
  const JxClusterOptions *opt;
  JxError err = { 0 };

  if (self->cache_valid)
    return;
  self->cache_valid = TRUE;
  if (self->dataset == NULL || self->jet_index < 0)
    return;
  /* On demand for a streamed dataset: the chunk holding the jet is read (or found cached). */
  p = jx_dataset_item_get_jet (self->dataset, (gsize) self->jet_index, &n, &err);
  opt = jx_session_get_clustering (self);
  if (self->work == NULL)
    self->work = jx_cluster_work_new ();
  if (p != NULL && jx_tree_build (&self->tree, p, n, opt, self->work, &err) == 0)
    self->have_tree = TRUE;
  else
    g_strlcpy (self->tree_error, err.message, sizeof self->tree_error);
}

const JxTree *
jx_session_get_tree (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);

  ensure_tree (self);
  return self->have_tree ? &self->tree : NULL;
}

const char *
jx_session_get_tree_error (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), "");

  ensure_tree (self);
  return self->tree_error;
}
