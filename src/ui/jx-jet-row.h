/* jx-jet-row.h — one row of the jet browser: a jet index into a dataset item. Made on demand by
 * JxJetList, so only the rows on screen exist. */
#pragma once

#include <glib-object.h>

#include "jx-dataset-item.h"

G_BEGIN_DECLS

#define JX_TYPE_JET_ROW (jx_jet_row_get_type ())
G_DECLARE_FINAL_TYPE (JxJetRow, jx_jet_row, JX, JET_ROW, GObject)

JxJetRow      *jx_jet_row_new (JxDatasetItem *dataset, guint index);
JxDatasetItem *jx_jet_row_get_dataset (JxJetRow *self);
guint          jx_jet_row_get_index (JxJetRow *self);

G_END_DECLS
