/* jx-jet-row.c — a lightweight row object (a reference and an index). */
#define G_LOG_DOMAIN "jx-jet-row"

#include "config.h"

#include "jx-jet-row.h"

struct _JxJetRow
{
  GObject parent_instance;
  JxDatasetItem *dataset;
  guint index;
};

G_DEFINE_FINAL_TYPE (JxJetRow, jx_jet_row, G_TYPE_OBJECT)

static void
jx_jet_row_dispose (GObject *object)
{
  g_clear_object (&JX_JET_ROW (object)->dataset);
  G_OBJECT_CLASS (jx_jet_row_parent_class)->dispose (object);
}

static void
jx_jet_row_class_init (JxJetRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = jx_jet_row_dispose;
}

static void
jx_jet_row_init (JxJetRow *self)
{
}

JxJetRow *
jx_jet_row_new (JxDatasetItem *dataset, guint index)
{
  JxJetRow *self = g_object_new (JX_TYPE_JET_ROW, NULL);
  self->dataset = g_object_ref (dataset);
  self->index = index;
  return self;
}

JxDatasetItem *
jx_jet_row_get_dataset (JxJetRow *self)
{
  g_return_val_if_fail (JX_IS_JET_ROW (self), NULL);
  return self->dataset;
}

guint
jx_jet_row_get_index (JxJetRow *self)
{
  g_return_val_if_fail (JX_IS_JET_ROW (self), 0);
  return self->index;
}
