/* jx-plots-page.h — the Plots page, on the session's signal and background samples (two
 * datasets, or one labelled dataset split by label):
 *  - observable histograms of the signal data, the background data, jets sampled from model
 *    A (seeded with the signal's jet momenta) and the last reweighting job's output (with its
 *    weights), with a ratio panel to the signal data;
 *  - ROC curves of JUNIPR's ln P_A/P_B against the paper's baselines on the test halves, the
 *    numbers of `junipr discriminate` (jx-discriminate);
 *  - the branchings (z, θ) of the signal data's trees and of the samples;
 *  - the training curve of the last training job (with its state), else model A's history.
 * The page only draws: the tables come from the session (dataset items), samples and ROC
 * curves from jobs (jx-tasks.c) it hands out through the session. */
#pragma once

#include <gtk/gtk.h>

#include "jx-job.h"
#include "jx-model-io.h"
#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_PLOTS_PAGE (jx_plots_page_get_type ())
G_DECLARE_FINAL_TYPE (JxPlotsPage, jx_plots_page, JX, PLOTS_PAGE, GtkBox)

typedef enum {
  JX_PLOT_OBSERVABLES,
  JX_PLOT_ROC,
  JX_PLOT_VALIDATION,
  JX_PLOT_TRAINING,
} JxPlotKind;

GtkWidget *jx_plots_page_new (void);
void jx_plots_page_set_session (JxPlotsPage *self, JxSession *session);
void jx_plots_page_set_plot (JxPlotsPage *self, JxPlotKind kind);
/* Column of jx_observable_names to histogram. */
void jx_plots_page_set_observable (JxPlotsPage *self, int observable);

/* The training job whose curve the page shows (its epochs as they come, then whether it
 * finished, was cancelled or failed); NULL shows model A's history. Main thread. */
void jx_plots_page_set_training_job (JxPlotsPage *self, JxJob *job);

/* For tests: the status line (what is shown, or why not), whether a computation the current
 * plot waits for runs, and the AUC of curve k (jx_discriminant_name order; NaN if none). */
const char *jx_plots_page_get_status_text (JxPlotsPage *self);
gboolean jx_plots_page_is_busy (JxPlotsPage *self);
double jx_plots_page_get_auc (JxPlotsPage *self, int k);
/* What the last observables figure drew: "observables mass; <series> sum_w=<Σw>; ...". */
const char *jx_plots_page_get_figure_summary (JxPlotsPage *self);
gboolean jx_plots_page_export (JxPlotsPage *self, const char *path, GError **error);

G_END_DECLS
