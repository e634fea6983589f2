/* jx-draw-tree.h — paint a clustering tree laid out by jx-tree-layout (paper Figs. 11, 13):
 * lines coloured (and thickened) by log energy with a colour bar, final particles as
 * dots, internal-node labels, optional diverging node colours (per-node LR
 * contributions) and a highlighted subtree.
 */
#pragma once

#include <stddef.h>
#include <cairo.h>

#include "jx-tree-layout.h"

/* Paint with a layout computed for the same tree and style. */
void jx_tree_draw (cairo_t *cr, const JxTree *tree, const JxTreeStyle *style,
                   const JxTreeLayout *layout);

/* A one-line description of a node for hover tooltips and the CLI, e.g.
 * "node 41: E = 212.4 GeV, m = 3.1 GeV; born at t = 2; splits at t = 5: z = 0.21,
 * θ = 0.052, φ = 1.57, δ = 0.011" (final particles say "final particle"). Plain UTF-8. */
void jx_tree_node_summary (const JxTree *tree, int node, char *out, size_t cap);

/* Layout + paint in one call. layout (may be NULL) receives the layout, to be freed by
 * the caller with jx_tree_layout_free. Returns 0 or a negative JxStatus. */
int jx_tree_render (cairo_t *cr, const JxTree *tree, const JxTreeStyle *style, JxRect rect,
                    JxTreeLayout *layout);
