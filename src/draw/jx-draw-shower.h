/* jx-draw-shower.h — one frame of a shower stepped emission by emission (paper Figs. 20, 21,
 * 23): the tree after t emissions and the t + 1 particles present at that point in the
 * plane ⟂ to the jet. On a wide area they stand side by side, on a tall one the tree is above
 * the image; each takes the largest part of the area its shape can use.
 *
 * Every emission has one label, its step t: in the tree on the branching point of step t, in
 * the image on the particle emitted there (the softer daughter of step t; the harder daughter
 * carries on its mother's label, so the leading particle from the jet has none). The newest
 * emission, step t, stands out in both: its two lines in the tree and the emitted particle in
 * the image are ringed in vermilion.
 *
 * Positions and axis ranges come from the whole jet, so frames t = 0..n−1 animate without
 * anything jumping.
 */
#pragma once

#include <cairo.h>

#include "jx-draw-image.h"
#include "jx-draw-tree.h"

typedef struct {
  JxTreeLayout tree;      /* free with jx_shower_layout_free */
  JxImageLayout image;
  JxRect tree_area;       /* the part of the area given to the tree, and to the image */
  JxRect image_area;
  int t;                  /* the step drawn (clamped to 0..n−1) */
  int newest;             /* node of the particle emitted at step t (−1 at t = 0) */
} JxShowerLayout;

/* tree_style may be NULL (defaults; its max_step is replaced by t). title (markup, may be
 * NULL) goes before "after t = … of … emissions". layout may be NULL. */
int jx_shower_draw_titled (cairo_t *cr, JxRect rect, const JxTree *tree, int t,
                           const JxTreeStyle *tree_style, const char *title,
                           JxShowerLayout *layout);
/* The same without a title of its own. */
int jx_shower_draw (cairo_t *cr, JxRect rect, const JxTree *tree, int t,
                    const JxTreeStyle *tree_style, JxShowerLayout *layout);
void jx_shower_layout_free (JxShowerLayout *layout);

/* Tree style of a shower frame: branching points labelled by step, and angles scaled per
 * axis (up to 2 : 1) so the tree uses the height of its area. */
void jx_shower_tree_style (JxTreeStyle *style);
