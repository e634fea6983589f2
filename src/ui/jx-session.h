/* jx-session.h — what the pages show: the current dataset, jet, models A/B and the highlighted
 * node. The window owns one and hands it to every page; pages listen to its notifies.
 * Main thread only. */
#pragma once

#include <glib-object.h>

#include "jx-dataset-item.h"
#include "jx-model-item.h"
#include "jx-model.h"
#include "jx-tree.h"

G_BEGIN_DECLS

#define JX_TYPE_SESSION (jx_session_get_type ())
G_DECLARE_FINAL_TYPE (JxSession, jx_session, JX, SESSION, GObject)

JxSession     *jx_session_new (void);

JxDatasetItem *jx_session_get_dataset (JxSession *self);
void           jx_session_set_dataset (JxSession *self, JxDatasetItem *dataset);
int            jx_session_get_jet_index (JxSession *self);
void           jx_session_set_jet_index (JxSession *self, int jet_index);
JxModelItem   *jx_session_get_model_a (JxSession *self);
void           jx_session_set_model_a (JxSession *self, JxModelItem *model);
JxModelItem   *jx_session_get_model_b (JxSession *self);
void           jx_session_set_model_b (JxSession *self, JxModelItem *model);
int            jx_session_get_highlight_node (JxSession *self);
void           jx_session_set_highlight_node (JxSession *self, int node);

/* Clustering used when no model A is set (from the preferences). */
void jx_session_set_default_clustering (JxSession *self, const JxClusterOptions *opt);
/* The clustering of the current tree: model A's, or the default one without A. */
const JxClusterOptions *jx_session_get_clustering (JxSession *self);

/* The current jet's tree under model A's clustering (or the default clustering when there is
 * no model A); NULL when no jet is selected or it cannot be clustered. Cached; valid until the
 * next notify of dataset, jet-index or model-a. */
const JxTree *jx_session_get_tree (JxSession *self);

/* Per-step scores of the current tree under model A (which = 0) or B (1); n = tree steps + 1
 * (the last entry is the end step). FALSE when there is no such model, no tree, the jet is
 * longer than the model's maximum multiplicity, or (which = 1) model B clusters differently
 * from model A. Cached like the tree. */
gboolean jx_session_get_step_scores (JxSession *self, int which, const JxStepScore **scores,
                                     size_t *n);

/* One line saying why jx_session_get_tree returned NULL ("" otherwise). */
const char *jx_session_get_tree_error (JxSession *self);

G_END_DECLS
