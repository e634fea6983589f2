/* jx-model-item.c — a loaded model in the library. */
#define G_LOG_DOMAIN "jx-model-item"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-cluster.h"
#include "jx-model-item.h"

struct _JxModelItem
{
  GObject parent_instance;

  JxModel *model;
  JxModelMeta meta;
  char *path;
  char *title;
};

G_DEFINE_FINAL_TYPE (JxModelItem, jx_model_item, G_TYPE_OBJECT)

static void
jx_model_item_finalize (GObject *object)
{
  JxModelItem *self = JX_MODEL_ITEM (object);

  g_clear_pointer (&self->model, jx_model_free);
  jx_model_meta_free (&self->meta);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (jx_model_item_parent_class)->finalize (object);
}

static void
jx_model_item_class_init (JxModelItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jx_model_item_finalize;
}

static void
jx_model_item_init (JxModelItem *self)
{
  jx_model_meta_init (&self->meta);
}

JxModelItem *
jx_model_item_new (JxModel *model, JxModelMeta *meta, const char *path)
{
  JxModelItem *self;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (meta != NULL, NULL);

  self = g_object_new (JX_TYPE_MODEL_ITEM, NULL);
  self->model = model;
  self->meta = *meta;
  jx_model_meta_init (meta);
  self->path = g_strdup (path);
  self->title = path != NULL ? g_path_get_basename (path) : g_strdup (_("Untitled model"));
  return self;
}

const char *
jx_model_item_get_path (JxModelItem *self)
{
  g_return_val_if_fail (JX_IS_MODEL_ITEM (self), NULL);
  return self->path;
}

const char *
jx_model_item_get_title (JxModelItem *self)
{
  g_return_val_if_fail (JX_IS_MODEL_ITEM (self), NULL);
  return self->title;
}

/* For the two models of one file (a JUNIPR-binary pair), which the file name alone does not
 * tell apart. */
void
jx_model_item_set_title (JxModelItem *self, const char *title)
{
  g_return_if_fail (JX_IS_MODEL_ITEM (self));
  g_free (self->title);
  self->title = g_strdup (title);
}

char *
jx_model_item_dup_subtitle (JxModelItem *self)
{
  const JxModelConfig *cfg;
  g_autofree char *loss = NULL;

  g_return_val_if_fail (JX_IS_MODEL_ITEM (self), NULL);

  cfg = jx_model_config (self->model);
  if (self->meta.n_history > 0)
    loss = g_strdup_printf (_("loss\u00a0%.4g"),
                            self->meta.history[self->meta.n_history - 1].train_loss);
  else if (self->meta.imported_from[0] != '\0')
    loss = g_strdup (_("imported"));
  else
    loss = g_strdup (_("untrained"));
  /* TRANSLATORS: branch kind · clustering algorithm (and pp metric) · recurrent cell and
   * hidden size · training loss, e.g. "factorized · ca pp · lstm 100 · loss 27.3". The
   * no-break spaces keep each item on one line when the sidebar's row wraps. */
  return g_strdup_printf (_("%s · %s%s · %s\u00a0%d · %s"),
                          jx_branch_kind_name (cfg->branch),
                          jx_algorithm_name (self->meta.clustering.algorithm),
                          self->meta.clustering.metric == JX_METRIC_PP ? "\u00a0pp" : "",
                          jx_recurrent_kind_name (cfg->recurrent), cfg->hidden, loss);
}

const JxModel *
jx_model_item_get_model (JxModelItem *self)
{
  g_return_val_if_fail (JX_IS_MODEL_ITEM (self), NULL);
  return self->model;
}

const JxModelMeta *
jx_model_item_get_meta (JxModelItem *self)
{
  g_return_val_if_fail (JX_IS_MODEL_ITEM (self), NULL);
  return &self->meta;
}
