/* jx-tree-layout.h — where every node of a JUNIPR clustering tree goes on screen, kept
 * apart from painting so the GUI can cache it and hit-test mouse positions.
 *
 * The paper's picture (Figs. 11, 13): the jet enters from the left and each branching at
 * step t splits the mother's direction into two: the soft daughter turns by A(θ) and the
 * hard one by A(δ) to the other side (soft outwards, or up when sin φ ≥ 0), A ∝ the
 * physical angle (optionally sqrt- or log-compressed so tiny angles stay visible). Lines
 * have a fixed length per generation, or a length ∝ the number of steps between the
 * mother's and the daughter's splittings. Internal nodes get labels placed without
 * overlap, off every line and marker; labels that find no free spot are hidden and counted.
 * With end_term, the jet's last state (P_end(1|h_n), which has no node) gets an end marker
 * right of the tree, labelled like a node, so the labels add up to the jet's total.
 *
 * For zoom and pan, either compute the layout for a larger rect (labels re-placed, line
 * widths unchanged), or draw under a cairo transform and hit-test with the mouse point
 * mapped back through its inverse (everything scales, like a picture).
 */
#pragma once

#include <stdbool.h>
#include <cairo.h>

#include "jx-colormap.h"
#include "jx-draw-theme.h"
#include "jx-tree.h"

typedef enum {
  JX_TREE_ANGLE_LINEAR,  /* drawn angle ∝ θ (the paper) */
  JX_TREE_ANGLE_SQRT,
  JX_TREE_ANGLE_LOG,
} JxTreeAngleScale;

typedef enum {
  JX_TREE_LENGTH_GENERATION,  /* every line the same length */
  JX_TREE_LENGTH_STEP,        /* line length ∝ steps from mother's split to daughter's */
} JxTreeLength;

typedef enum {
  JX_TREE_SIDE_BALANCED,  /* soft daughter turns outwards, hard one back to the axis */
  JX_TREE_SIDE_PHI,       /* soft daughter up when sin φ ≥ 0 (a projection of the jet) */
} JxTreeSide;

typedef enum {
  JX_TREE_LABEL_NONE,
  JX_TREE_LABEL_VALUES,   /* style.values[t−1] at the node split at step t (e.g. log10 P_t) */
  JX_TREE_LABEL_Z,
  JX_TREE_LABEL_THETA,
  JX_TREE_LABEL_STEP,     /* the step number t */
} JxTreeLabelKind;

typedef struct {
  JxTreeAngleScale angle_scale;
  double max_angle;         /* drawn angle of the widest branching [rad]; 0 (default):
                             * chosen so the tree fills the area's shape */
  JxTreeLength length;
  JxTreeSide side;
  bool preserve_angles;     /* true: one scale for x and y, so drawn angles are exact */
  JxTreeLabelKind labels;
  const double *values;     /* n−1 values for JX_TREE_LABEL_VALUES (NaN: no label); n with
                             * end_term, values[n−1] for the end marker */
  bool end_term;            /* draw the end marker and label it with values[n−1] */
  const char *value_format; /* printf format of values; default "%.2f" (z, θ: "%.2g") */
  bool diverging;           /* colour internal nodes by values, symmetric diverging scale */
  double value_max;         /* half-range of that scale; NaN (default): the largest |value| */
  const char *value_name;   /* title of the diverging colour bar (markup) */
  int highlight;            /* node whose subtree stands out; −1 none */
  int focus_step;           /* step t whose mother and daughters are ringed (t = n: the end
                             * marker); 0 none */
  double label_scale;       /* node labels at this multiple of the theme's size (zoom,
                             * presentation); default 1 */
  double stretch_max;       /* without preserve_angles: how much more the vertical scale may
                             * be than the horizontal one, to use the area's height; default 2 */
  int max_step;             /* draw the tree after this many emissions; −1 all */
  bool colorbar;            /* energy colour bar (and the value bar when diverging) */
  double energy_lo, energy_hi;  /* energy colour range [GeV]; NaN: from the tree */
  JxColormap colormap;      /* sequential map of the energy colours (default viridis); the
                             * diverging node colours keep the diverging map */
} JxTreeStyle;

/* Defaults: linear angles, automatic angle factor, generation lengths, angles preserved, no labels,
 * no end marker, no highlight or focus, all steps, labels at the theme size, colour bar on,
 * viridis energies. */
void jx_tree_style_default (JxTreeStyle *style);

typedef struct {
  double x, y;           /* device position of the node (the end of its incoming line) */
  double px, py;         /* device position where its incoming line starts */
  bool visible;          /* exists after style.max_step emissions */
  bool label_shown;
  JxRect label;          /* label box when shown */
  char label_text[32];
  int label_index;       /* in the layout's text cache; −1 none */
} JxTreeNodeLayout;

typedef struct {
  size_t n_nodes;
  JxTreeNodeLayout *nodes;   /* indexed like tree->nodes */
  JxTreeNodeLayout end;      /* the end marker (visible only with style.end_term) */
  JxRect rect;               /* the whole area given */
  JxRect tree_area;          /* where nodes may go */
  JxRect energy_bar, value_bar;  /* w = 0 when absent */
  JxColorScale energy;       /* log10 energy → style.colormap */
  JxColorScale value;        /* values → diverging, symmetric */
  int labels_shown, labels_hidden;  /* the end marker's label included */
  double label_size;         /* font size of the node labels [device units] */
  JxRect extents;            /* bounding box of the visible nodes' positions and the end marker */
  double line_min, line_max; /* line widths for the lowest and highest energy */
  double leaf_radius;
  double max_angle;          /* the drawn angle of the widest branching used [rad] */
  struct JxTextCache *labels;  /* shaped label strings (owned) */
} JxTreeLayout;

/* Compute positions for tree in rect. cr is used to measure label text only. Returns 0,
 * or JX_ERR_NOMEM / JX_ERR_INVALID (empty tree). Free with jx_tree_layout_free. */
int jx_tree_layout_compute (JxTreeLayout *layout, cairo_t *cr, const JxTree *tree,
                            const JxTreeStyle *style, JxRect rect);
void jx_tree_layout_free (JxTreeLayout *layout);

/* The visible node at device point (x, y): the nearest node within tolerance pixels
 * (at least its marker size), else the node whose incoming line passes within
 * tolerance/2; −1 when nothing is near. */
int jx_tree_layout_hit (const JxTreeLayout *layout, const JxTree *tree, double x, double y,
                        double tolerance);
/* Whether (x, y) is on the end marker (within tolerance pixels). */
bool jx_tree_layout_hit_end (const JxTreeLayout *layout, double x, double y, double tolerance);

/* Only the colour scales a layout of tree under style would have (energy, value), into
 * layout->energy and layout->value: what jx_tree_colorbars_width needs before a rect is known. */
void jx_tree_layout_scales (JxTreeLayout *layout, const JxTree *tree, const JxTreeStyle *style);

/* The colour bars of a layout (energy; and the value bar when style.diverging) stacked in a
 * column of the given height: the width they need, and drawing them into rect. A layout
 * computed with style.colorbar = false has its scales but no bars: a caller that draws the
 * tree zoomed draws the bars itself, fixed, with these. */
double jx_tree_colorbars_width (cairo_t *cr, const JxTreeLayout *layout,
                                const JxTreeStyle *style, double height);
void jx_tree_colorbars_draw (cairo_t *cr, JxRect rect, const JxTreeLayout *layout,
                             const JxTreeStyle *style);

/* Radius of the end marker [device units]. */
#define JX_TREE_END_RADIUS 6.0

/* Energies are drawn in this many colour/width levels (of the log-energy scale): lines
 * of one level are stroked together, which keeps a 100-particle tree a few ms to draw,
 * and the steps (1/63 of the scale) are below what the eye separates. */
#define JX_TREE_ENERGY_LEVELS 64

/* The level (0..JX_TREE_ENERGY_LEVELS−1), colour and line width drawn for energy E. */
int jx_tree_layout_energy_level (const JxTreeLayout *layout, double E);
JxRgb jx_tree_layout_energy_color (const JxTreeLayout *layout, double E);
double jx_tree_layout_line_width (const JxTreeLayout *layout, double E);

/* The label text for the node split at step t (t = n: the end marker, with end_term), as the
 * style asks ("" for none). */
void jx_tree_label_text (const JxTree *tree, const JxTreeStyle *style, int t, char *out,
                         size_t cap);
