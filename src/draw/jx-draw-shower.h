/* jx-draw-shower.h — one frame of a shower stepped emission by emission (paper Figs. 21,
 * 23): the tree after t emissions on the left, the t + 1 particles present at that point
 * in the plane ⟂ to the jet on the right, labelled by the step that created them.
 * Positions and axis ranges come from the whole jet, so frames t = 0..n−1 animate
 * without anything jumping.
 */
#pragma once

#include <cairo.h>

#include "jx-draw-image.h"
#include "jx-draw-tree.h"

typedef struct {
  JxTreeLayout tree;      /* free with jx_shower_layout_free */
  JxImageLayout image;
  int t;                  /* the step drawn (clamped to 0..n−1) */
} JxShowerLayout;

/* tree_style may be NULL (defaults; its max_step is replaced by t). layout may be NULL. */
int jx_shower_draw (cairo_t *cr, JxRect rect, const JxTree *tree, int t,
                    const JxTreeStyle *tree_style, JxShowerLayout *layout);
void jx_shower_layout_free (JxShowerLayout *layout);
