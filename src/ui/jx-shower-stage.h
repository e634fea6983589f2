/* jx-shower-stage.h — one shower on the Shower page: the tree and the jet image after t
 * emissions in one figure (src/draw/jx-draw-shower.h) above a step panel of fixed size with
 * the numbers of step t — where the mother was among the t candidates, the branching
 * (z, θ, φ, δ), log10 P_t under the model behind the shower with its end, mother and branch
 * factors, and the running total (the jet's log10 P at the last step).
 *
 * The figure's accessible description says what is drawn, for tests: "shower: step t of N;
 * newest=K; labels=1,2,…; hidden=H; tree=WxH+X+Y; image=WxH+X+Y; source=TITLE" (areas in
 * the canvas's coordinates; the image is its data square; TITLE says where the shower comes
 * from). */
#pragma once

#include <gtk/gtk.h>

#include "jx-colormap.h"
#include "jx-model.h"
#include "jx-tree.h"

G_BEGIN_DECLS

#define JX_TYPE_SHOWER_STAGE (jx_shower_stage_get_type ())
G_DECLARE_FINAL_TYPE (JxShowerStage, jx_shower_stage, JX, SHOWER_STAGE, GtkBox)

GtkWidget *jx_shower_stage_new (void);

/* Show tree (taken over: the stage frees it), with the per-step scores of the model behind it
 * (tree->n entries, copied; NULL when none scores it — no_scores says why, may be NULL) and a
 * title (markup) saying where the shower comes from. The step stays where it was (clamped). */
void jx_shower_stage_set_shower (JxShowerStage *self, JxTree *tree, const JxStepScore *scores,
                                 const char *title, const char *no_scores);
/* Nothing to show: the figure says message. */
void jx_shower_stage_set_message (JxShowerStage *self, const char *message);
void jx_shower_stage_set_colormap (JxShowerStage *self, JxColormap colormap);
/* The figure's accessible name ("Shower", "Second shower"). */
void jx_shower_stage_set_name (JxShowerStage *self, const char *name);

/* Emissions of the shown jet (0 without one), and the step shown, clamped to 0..N. */
int jx_shower_stage_get_n_steps (JxShowerStage *self);
void jx_shower_stage_set_step (JxShowerStage *self, int step);
int jx_shower_stage_get_step (JxShowerStage *self);
/* log10 P of the whole jet under the model (NaN without scores). */
double jx_shower_stage_get_log10_p (JxShowerStage *self);

/* Write the figure shown to path (.png, .svg, .pdf). */
gboolean jx_shower_stage_export (JxShowerStage *self, const char *path, GError **error);
/* Two stages side by side in one file, each at least 640 × 520. */
gboolean jx_shower_stage_export_pair (JxShowerStage *left, JxShowerStage *right,
                                      const char *path, GError **error);

G_END_DECLS
