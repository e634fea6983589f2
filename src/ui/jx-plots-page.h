/* jx-plots-page.h — the Plots page: observable histograms of the dataset, of jets sampled from
 * model A and of the data reweighted to model B (P_B/P_A), with a ratio panel; ROC curves of
 * the JUNIPR likelihood ratio A/B against baseline observables; validation histograms of all
 * branchings (z, θ) in data and samples; and the training curve (live while a job runs, else
 * model A's history). The per-jet numbers are computed on a worker and cached per
 * (dataset, model A, model B). */
#pragma once

#include <gtk/gtk.h>

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

/* The running training job's history so far (copied); n = 0 (or NULL) ends the live view and
 * shows model A's history again. Main thread. */
void jx_plots_page_set_training_history (JxPlotsPage *self, const JxEpochRecord *records,
                                         size_t n);

/* For tests: the status line (what is shown, or why not) and whether a computation runs. */
const char *jx_plots_page_get_status_text (JxPlotsPage *self);
gboolean jx_plots_page_is_busy (JxPlotsPage *self);
gboolean jx_plots_page_export (JxPlotsPage *self, const char *path, GError **error);

G_END_DECLS
