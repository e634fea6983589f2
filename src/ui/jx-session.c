/* jx-session.c — the shared state of the pages, with a one-jet cache of the tree and its
 * per-step scores (recomputed lazily on the main thread: one jet is cheap). */
#define G_LOG_DOMAIN "jx-session"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-model-io.h"
#include "jx-session.h"

struct _JxSession
{
  GObject parent_instance;

  /* Owned References */
  JxDatasetItem *dataset;
  JxModelItem *model[2];
  int jet_index;
  int highlight_node;
  JxClusterOptions default_clustering;

  /* Cache of the current jet (valid while cache_valid) */
  gboolean cache_valid;
  gboolean have_tree;
  JxTree tree;
  JxClusterWork *work;
  char tree_error[JX_ERROR_MESSAGE_MAX];
  gboolean scores_valid[2];
  gboolean have_scores[2];
  JxStepScore *scores[2];
  size_t n_scores[2];
};

G_DEFINE_FINAL_TYPE (JxSession, jx_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATASET,
  PROP_JET_INDEX,
  PROP_MODEL_A,
  PROP_MODEL_B,
  PROP_HIGHLIGHT_NODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
invalidate_scores (JxSession *self, int which)
{
  self->scores_valid[which] = FALSE;
  self->have_scores[which] = FALSE;
  g_clear_pointer (&self->scores[which], g_free);
  self->n_scores[which] = 0;
}

static void
invalidate (JxSession *self)
{
  if (self->have_tree)
    jx_tree_free (&self->tree);
  self->have_tree = FALSE;
  self->cache_valid = FALSE;
  self->tree_error[0] = '\0';
  invalidate_scores (self, 0);
  invalidate_scores (self, 1);
}

static void
jx_session_dispose (GObject *object)
{
  JxSession *self = JX_SESSION (object);

  invalidate (self);
  g_clear_object (&self->dataset);
  g_clear_object (&self->model[0]);
  g_clear_object (&self->model[1]);

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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jx_session_init (JxSession *self)
{
  self->jet_index = -1;
  self->highlight_node = -1;
  jx_cluster_options_default (&self->default_clustering);
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
  /* The tree depends on model A's clustering; both scores on their model. */
  if (which == 0)
    invalidate (self);
  else
    invalidate_scores (self, 1);
  g_set_object (&self->model[which], model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[which == 0 ? PROP_MODEL_A : PROP_MODEL_B]);
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
}

const JxClusterOptions *
jx_session_get_clustering (JxSession *self)
{
  g_return_val_if_fail (JX_IS_SESSION (self), NULL);

  return self->model[0] != NULL ? &jx_model_item_get_meta (self->model[0])->clustering
                                : &self->default_clustering;
}

static void
ensure_tree (JxSession *self)
{
  const JxDataset *ds;
  const JxClusterOptions *opt;
  JxError err = { 0 };

  if (self->cache_valid)
    return;
  self->cache_valid = TRUE;
  if (self->dataset == NULL || self->jet_index < 0)
    return;
  ds = jx_dataset_item_get_dataset (self->dataset);
  opt = jx_session_get_clustering (self);
  if (self->work == NULL)
    self->work = jx_cluster_work_new ();
  if (jx_tree_build (&self->tree, jx_dataset_jet (ds, self->jet_index),
                     jx_dataset_jet_size (ds, self->jet_index), opt, self->work, &err) == 0)
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

/* Per-step scores of model B on model A's tree only mean something if B clusters the same way. */
static gboolean
same_clustering (JxSession *self, int which)
{
  const JxClusterOptions *a, *b;

  if (which == 0 || self->model[0] == NULL)
    return TRUE;
  a = &jx_model_item_get_meta (self->model[0])->clustering;
  b = &jx_model_item_get_meta (self->model[1])->clustering;
  return jx_cluster_options_equal (a, b);
}

gboolean
jx_session_get_step_scores (JxSession *self, int which, const JxStepScore **scores, size_t *n)
{
  const JxTree *tree;

  g_return_val_if_fail (JX_IS_SESSION (self), FALSE);
  g_return_val_if_fail (which == 0 || which == 1, FALSE);

  tree = jx_session_get_tree (self);
  if (!self->scores_valid[which])
    {
      self->scores_valid[which] = TRUE;
      if (tree != NULL && self->model[which] != NULL && same_clustering (self, which))
        {
          const JxModel *model = jx_model_item_get_model (self->model[which]);
          double log_p;
          JxError err = { 0 };

          self->scores[which] = g_new0 (JxStepScore, tree->n);
          if ((int) tree->n <= jx_model_config (model)->max_mult
              && jx_model_log_prob (model, tree, self->scores[which], &log_p, NULL, &err) == 0)
            {
              self->have_scores[which] = TRUE;
              self->n_scores[which] = tree->n;
            }
          else
            g_clear_pointer (&self->scores[which], g_free);
        }
    }
  if (!self->have_scores[which])
    return FALSE;
  if (scores != NULL)
    *scores = self->scores[which];
  if (n != NULL)
    *n = self->n_scores[which];
  return TRUE;
}
