/* jx-tree-canvas.h — an interactive clustering tree (paper Figs. 11, 13): the layout is cached
 * (recomputed only when the tree, labels, size or zoom change), the picture is cached as a
 * render node, hover and click find nodes with jx_tree_layout_hit, Ctrl+scroll zooms and a
 * drag pans. Its accessible description states what it shows, for tests and screen readers:
 * "tree: jet J, N nodes, labels=MODE, shown=K". */
#pragma once

#include <gtk/gtk.h>

#include "jx-tree-layout.h"

G_BEGIN_DECLS

#define JX_TYPE_TREE_CANVAS (jx_tree_canvas_get_type ())
G_DECLARE_FINAL_TYPE (JxTreeCanvas, jx_tree_canvas, JX, TREE_CANVAS, GtkWidget)

GtkWidget *jx_tree_canvas_new (void);

/* A copy of tree is kept; NULL shows message (markup) instead. */
void jx_tree_canvas_set_tree (JxTreeCanvas *self, const JxTree *tree, int jet_index,
                              const char *message);
/* Node labels: kind, values[t−1] for JX_TREE_LABEL_VALUES (copied, n−1 of them; NULL for
 * other kinds), a diverging colouring and its colour-bar title, and the mode's short name
 * for the accessible description ("logp", "lr", "z", ...). */
void jx_tree_canvas_set_labels (JxTreeCanvas *self, JxTreeLabelKind kind, const double *values,
                                size_t n_values, gboolean diverging, const char *value_name,
                                const char *mode_name);
void jx_tree_canvas_set_highlight (JxTreeCanvas *self, int node);
/* The sequential map of the energy colours (lines, dots, colour bar); default viridis. */
void jx_tree_canvas_set_colormap (JxTreeCanvas *self, JxColormap map);
JxColormap jx_tree_canvas_get_colormap (JxTreeCanvas *self);

void jx_tree_canvas_zoom_by (JxTreeCanvas *self, double factor);
void jx_tree_canvas_reset_view (JxTreeCanvas *self);
double jx_tree_canvas_get_zoom (JxTreeCanvas *self);

/* The node under widget point (x, y), −1 for none. */
int jx_tree_canvas_node_at (JxTreeCanvas *self, double x, double y);
/* Widget position of a node (FALSE when there is no layout or it is hidden). */
gboolean jx_tree_canvas_node_position (JxTreeCanvas *self, int node, double *x, double *y);
int jx_tree_canvas_get_hover (JxTreeCanvas *self);
int jx_tree_canvas_get_labels_shown (JxTreeCanvas *self);
/* The shown labels in step order, at most max of them ("" when none). g_free. */
char *jx_tree_canvas_dup_shown_labels (JxTreeCanvas *self, int max);

/* The accessible description currently set ("tree: jet J, N nodes, labels=MODE, shown=K"). */
const char *jx_tree_canvas_get_description (JxTreeCanvas *self);

/* Render the tree at its current labels and highlight, unzoomed, into rect (export). FALSE
 * when there is no tree. */
gboolean jx_tree_canvas_render_to (JxTreeCanvas *self, cairo_t *cr, JxRect rect);

G_END_DECLS
