/* jx-tree-page.h — the Tree page: the current jet's clustering tree with node labels
 * (log10 P_t under model A, per-node LR contribution A vs B, branching coordinates), hover
 * details, highlight on click, zoom/pan and export. */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_TREE_PAGE (jx_tree_page_get_type ())
G_DECLARE_FINAL_TYPE (JxTreePage, jx_tree_page, JX, TREE_PAGE, GtkBox)

/* The label modes, in the order of the "Node labels" drop-down. */
typedef enum {
  JX_TREE_MODE_LOGP,
  JX_TREE_MODE_LR,
  JX_TREE_MODE_Z,
  JX_TREE_MODE_THETA,
  JX_TREE_MODE_PHI,
  JX_TREE_MODE_DELTA,
  JX_TREE_MODE_STEP,
  JX_TREE_MODE_NONE,
} JxTreeMode;

GtkWidget *jx_tree_page_new (void);
void jx_tree_page_set_session (JxTreePage *self, JxSession *session);
/* The app's settings (may be NULL): the tree follows their `colormap` key as it changes. */
void jx_tree_page_set_settings (JxTreePage *self, GSettings *settings);
void jx_tree_page_set_mode (JxTreePage *self, JxTreeMode mode);

/* For tests: the canvas, the "labels: …" text under it and the hover/status line. */
GtkWidget  *jx_tree_page_get_canvas      (JxTreePage *self);
const char *jx_tree_page_get_labels_text (JxTreePage *self);
const char *jx_tree_page_get_status_text (JxTreePage *self);

/* Write the tree as shown (labels, highlight; unzoomed) to path; the format follows the
 * extension (.png, .svg, .pdf). */
gboolean jx_tree_page_export (JxTreePage *self, const char *path, GError **error);

G_END_DECLS
