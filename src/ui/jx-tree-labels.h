/* jx-tree-labels.h — what the Tree page's label modes put on a tree, the captions that say what
 * a tree shows, and the exported figure of one or two trees under their captions: the modes (log10 P_t under A, LR terms, z, θ, φ, δ, step, none), their
 * values for a scored jet (end term included for log10 P_t and LR), why a mode has no values
 * (no model, a model clustering otherwise, too many particles), and the caption of a jet
 * (dataset, jet, particles, clustering, A and B, totals) as jx-tree-figure prints it. */
#pragma once

#include "jx-scored-jet.h"
#include "jx-tree-canvas.h"
#include "jx-tree-figure.h"

G_BEGIN_DECLS

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
  JX_TREE_N_MODES
} JxTreeMode;

/* "logp", "lr", "z", "theta", "phi", "delta", "step", "none" (the accessible description). */
const char *jx_tree_mode_name (JxTreeMode mode);

/* Set canvas's labels for sj in mode. Returns the values shown (log10 P_t or LR terms, owned by
 * sj; NULL in the other modes) and in *reason why the mode shows nothing (NULL when it does). */
const double *jx_tree_labels_apply (JxTreeCanvas *canvas, const JxScoredJet *sj, JxTreeMode mode,
                                    const char **reason);

/* Why model `which` (0 = A, 1 = B) gives no terms on sj's shown tree: no model, a model that
 * clusters otherwise, or one that could not score the jet; NULL when it gives them. */
const char *jx_tree_labels_no_terms (const JxScoredJet *sj, int which);

/* The caption of sj with its totals; labels says what mode's labels are on it (NONE: not said).
 * The caption points into sj. */
void jx_tree_labels_caption (const JxScoredJet *sj, JxTreeMode labels, JxTreeCaption *c);

/* Write the trees of jets[] (those with a tree, top to bottom) as drawn on their canvases
 * (labels, highlight, step, colour ranges; unzoomed) under their captions into path (.png,
 * .svg, .pdf), each panel width × panel_height. */
gboolean jx_tree_labels_export (const char *path, const JxScoredJet *const *jets,
                                JxTreeCanvas *const *canvases, size_t n, JxTreeMode mode,
                                int width, int panel_height, GError **error);

G_END_DECLS
