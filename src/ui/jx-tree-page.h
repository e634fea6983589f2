/* jx-tree-page.h — the Tree page: the current jet's clustering tree as an instrument. Every
 * term is on it (log10 P_t at each branching and the end term at an end marker, or the LR
 * terms), with the totals above (log10 P_A, log10 P_B, log10 P_A/P_B, naming A and B); a step
 * control walks the branchings in the model's order and a fixed step panel beside the tree
 * shows each step's numbers (hover shows a node's in the same panel: nothing moves); labels
 * grow with zoom and the presentation text scale (Ctrl+= / Ctrl+− / Ctrl+0, the `text-scale`
 * setting); "Compare" pins the tree above so another jet, dataset or pair of models can be put
 * below it on shared colour scales, and "Same scale" uses the whole dataset's ranges. Exports
 * are titled with dataset, jet, clustering and models. */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"
#include "jx-tree-labels.h"

G_BEGIN_DECLS

#define JX_TYPE_TREE_PAGE (jx_tree_page_get_type ())
G_DECLARE_FINAL_TYPE (JxTreePage, jx_tree_page, JX, TREE_PAGE, GtkBox)


GtkWidget *jx_tree_page_new (void);
void jx_tree_page_set_session (JxTreePage *self, JxSession *session);
/* The app's settings (may be NULL): the tree follows their `colormap` and `text-scale` keys. */
void jx_tree_page_set_settings (JxTreePage *self, GSettings *settings);
void jx_tree_page_set_mode (JxTreePage *self, JxTreeMode mode);

/* Step t (1..n−1 a branching, n the jet's end; 0 none), as the step buttons and keys set it. */
void jx_tree_page_set_step (JxTreePage *self, int t);
int  jx_tree_page_get_step (JxTreePage *self);
/* Compare: pin the current tree above (TRUE) or drop the pinned one. */
void jx_tree_page_set_compare (JxTreePage *self, gboolean compare);
/* Presentation text scale (1 = normal; kept in the settings when there are some). */
void jx_tree_page_set_text_scale (JxTreePage *self, double scale);
double jx_tree_page_get_text_scale (JxTreePage *self);

/* For tests: the widgets and texts a person reads. */
GtkWidget  *jx_tree_page_get_canvas        (JxTreePage *self);
GtkWidget  *jx_tree_page_get_pinned_canvas (JxTreePage *self);
GtkWidget  *jx_tree_page_get_step_panel    (JxTreePage *self);
const char *jx_tree_page_get_labels_text   (JxTreePage *self);
const char *jx_tree_page_get_status_text   (JxTreePage *self);
const char *jx_tree_page_get_title_text    (JxTreePage *self);
const char *jx_tree_page_get_total_text    (JxTreePage *self);
/* The terms behind the current labels (log10 P_t or LR terms, end term last; n = tree
 * particles), or NULL in other modes. */
const double *jx_tree_page_get_terms       (JxTreePage *self, size_t *n);

/* Write the tree(s) as shown (labels, highlight, step, scales; unzoomed) under their captions
 * to path; the format follows the extension (.png, .svg, .pdf). */
gboolean jx_tree_page_export (JxTreePage *self, const char *path, GError **error);

G_END_DECLS
