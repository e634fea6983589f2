/* jx-step-panel.h — the Tree page's step panel: the numbers of one step of a jet under models A
 * and B — the state's t candidates and which one is the mother, the branching (z, θ, φ, δ), and
 * per model P_end, P_mother, the branching's cell, P_branch and the step's log10 term — then the
 * step's LR term and the running totals. Its size never changes with what it shows (every row
 * is one ellipsized line, the width is fixed), so the tree beside it never moves. Its accessible
 * description repeats the numbers at full precision for tests and screen readers:
 * "step=T/N kind=branching|end|particle|none a_end=… a_mother=… a_branch=… a_term=… b_…
 * lr=… run_a=… run_lr=…" (only the ones that exist). */
#pragma once

#include <gtk/gtk.h>

#include "jx-scored-jet.h"

G_BEGIN_DECLS

#define JX_TYPE_STEP_PANEL (jx_step_panel_get_type ())
G_DECLARE_FINAL_TYPE (JxStepPanel, jx_step_panel, JX, STEP_PANEL, GtkWidget)

GtkWidget *jx_step_panel_new (void);

/* Step t (1..n−1 a branching, n the end) of sj; hovered says it previews a hovered node. */
void jx_step_panel_show_step (JxStepPanel *self, const JxScoredJet *sj, int t, gboolean hovered);
/* A final particle (a leaf node) of sj's tree. */
void jx_step_panel_show_particle (JxStepPanel *self, const JxScoredJet *sj, int node);
/* No step: a title and a hint (how to step), numbers blank. */
void jx_step_panel_show_none (JxStepPanel *self, const char *title, const char *hint);

/* Text scale for a lecture: the panel's font and width grow with it (1 = normal). */
void jx_step_panel_set_text_scale (JxStepPanel *self, double scale);

const char *jx_step_panel_get_description (JxStepPanel *self);

G_END_DECLS
