/* jx-tree-canvas.h — an interactive clustering tree (paper Figs. 11, 13): the layout is cached
 * (recomputed only when the tree, labels, size, zoom or text scale change), the picture is
 * cached as a render node, hover and click find nodes with jx_tree_layout_hit, Ctrl+scroll
 * zooms and a drag pans. Labels grow with the zoom (as its square root) and with the
 * presentation text scale; the colour bars stay put on the right while the tree is zoomed and
 * panned. Its accessible description states what it shows, for tests and screen readers:
 * "tree: jet J, N nodes, labels=MODE, hidden=H, label-size=S, extents=X,Y,W,H, root=X,Y,
 * shown=K" (extents: the drawn tree's box, root: the first branching, in widget pixels). */
#pragma once

#include <gtk/gtk.h>

#include "jx-tree-layout.h"

G_BEGIN_DECLS

#define JX_TYPE_TREE_CANVAS (jx_tree_canvas_get_type ())
G_DECLARE_FINAL_TYPE (JxTreeCanvas, jx_tree_canvas, JX, TREE_CANVAS, GtkWidget)

/* The node number hover-changed and node-clicked report for the end marker. */
#define JX_TREE_CANVAS_END (-2)

GtkWidget *jx_tree_canvas_new (void);

/* A copy of tree is kept; NULL shows message (markup) instead. */
void jx_tree_canvas_set_tree (JxTreeCanvas *self, const JxTree *tree, int jet_index,
                              const char *message);
/* Node labels: kind, values for JX_TREE_LABEL_VALUES (copied): n−1 for the branchings, or n
 * with the end term last (then the end marker is drawn and labelled); a diverging colouring
 * and its colour-bar title; the mode's short name for the accessible description ("logp",
 * "lr", "z", ...). */
void jx_tree_canvas_set_labels (JxTreeCanvas *self, JxTreeLabelKind kind, const double *values,
                                size_t n_values, gboolean diverging, const char *value_name,
                                const char *mode_name);
void jx_tree_canvas_set_highlight (JxTreeCanvas *self, int node);
/* Step t whose mother and daughters are ringed (t = n: the end marker); 0 none. */
void jx_tree_canvas_set_focus_step (JxTreeCanvas *self, int t);
/* The sequential map of the energy colours (lines, dots, colour bar); default viridis. */
void jx_tree_canvas_set_colormap (JxTreeCanvas *self, JxColormap map);
JxColormap jx_tree_canvas_get_colormap (JxTreeCanvas *self);
/* Fixed colour ranges (energy [GeV], half-range of the diverging values); NaN: the tree's own. */
void jx_tree_canvas_set_ranges (JxTreeCanvas *self, double energy_lo, double energy_hi,
                                double value_max);
/* Presentation text scale (1 = normal): labels and colour bars grow with it. */
void jx_tree_canvas_set_text_scale (JxTreeCanvas *self, double scale);
/* The font size of the node labels as drawn now [px]. */
double jx_tree_canvas_get_label_size (JxTreeCanvas *self);

void jx_tree_canvas_zoom_by (JxTreeCanvas *self, double factor);
void jx_tree_canvas_reset_view (JxTreeCanvas *self);
double jx_tree_canvas_get_zoom (JxTreeCanvas *self);

/* The node under widget point (x, y), JX_TREE_CANVAS_END on the end marker, −1 for none. */
int jx_tree_canvas_node_at (JxTreeCanvas *self, double x, double y);
/* Widget position of a node, or of the end marker for JX_TREE_CANVAS_END (FALSE when there is
 * no layout or it is hidden). */
gboolean jx_tree_canvas_node_position (JxTreeCanvas *self, int node, double *x, double *y);
/* The drawn tree's box in widget coordinates (FALSE without a layout). */
gboolean jx_tree_canvas_get_extents (JxTreeCanvas *self, JxRect *out);
int jx_tree_canvas_get_hover (JxTreeCanvas *self);
int jx_tree_canvas_get_labels_shown (JxTreeCanvas *self);
int jx_tree_canvas_get_labels_hidden (JxTreeCanvas *self);
/* The shown labels in step order, the end marker's last as "end V", at most max of them
 * ("" when none). g_free. */
char *jx_tree_canvas_dup_shown_labels (JxTreeCanvas *self, int max);

/* The accessible description currently set. */
const char *jx_tree_canvas_get_description (JxTreeCanvas *self);

/* The tree and the style it is drawn with now (labels, highlight, focus, ranges, text scale;
 * unzoomed), for exports; NULL / FALSE without a tree. The style points into the canvas. */
const JxTree *jx_tree_canvas_get_tree (JxTreeCanvas *self);
gboolean jx_tree_canvas_get_style (JxTreeCanvas *self, JxTreeStyle *out);

/* Render the tree at its current labels and highlight, unzoomed, into rect (export). FALSE
 * when there is no tree. */
gboolean jx_tree_canvas_render_to (JxTreeCanvas *self, cairo_t *cr, JxRect rect);

G_END_DECLS
