/* jx-model-item.h — a loaded JUNIPR model in the library (the core model, its metadata and
 * file). The model is read-only once it is here: jobs that train make their own copy. */
#pragma once

#include <glib-object.h>

#include "jx-model-io.h"
#include "jx-model.h"

G_BEGIN_DECLS

#define JX_TYPE_MODEL_ITEM (jx_model_item_get_type ())
G_DECLARE_FINAL_TYPE (JxModelItem, jx_model_item, JX, MODEL_ITEM, GObject)

/* Takes ownership of model and *meta (meta is left empty). */
JxModelItem *jx_model_item_new (JxModel *model, JxModelMeta *meta, const char *path);

const char        *jx_model_item_get_path     (JxModelItem *self);
const char        *jx_model_item_get_title    (JxModelItem *self);
void               jx_model_item_set_title    (JxModelItem *self, const char *title);
char              *jx_model_item_dup_subtitle (JxModelItem *self);
const JxModel     *jx_model_item_get_model    (JxModelItem *self);
const JxModelMeta *jx_model_item_get_meta     (JxModelItem *self);

G_END_DECLS
