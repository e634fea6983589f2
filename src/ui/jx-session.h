/* jx-session.h — what the pages show: the current dataset, jet, models A/B and the highlighted
 * node, and the signal and background samples the discrimination pages compare (two datasets,
 * or one labelled dataset whose label > 0 jets are the signal). The window owns one and hands
 * it to every page; pages listen to its notifies. Main thread only.
 *
 * The session keeps the per-jet tables of the datasets it shows current: the observables
 * table under its clustering (model A's, else the default) and the scores under models A and
 * B, made by jobs it hands out through "run-job" (the window shows them in its job list; with
 * nobody handling the signal the session starts them itself). Pages that need other work
 * (samples, ROC curves, average images) run their jobs the same way (jx_session_run_job). */
#pragma once

#include <glib-object.h>

#include "jx-dataset-item.h"
#include "jx-job.h"
#include "jx-model-item.h"
#include "jx-model.h"
#include "jx-tree.h"

G_BEGIN_DECLS

#define JX_TYPE_SESSION (jx_session_get_type ())
G_DECLARE_FINAL_TYPE (JxSession, jx_session, JX, SESSION, GObject)

JxSession     *jx_session_new (void);

JxDatasetItem *jx_session_get_dataset (JxSession *self);
void           jx_session_set_dataset (JxSession *self, JxDatasetItem *dataset);
int            jx_session_get_jet_index (JxSession *self);
void           jx_session_set_jet_index (JxSession *self, int jet_index);
JxModelItem   *jx_session_get_model_a (JxSession *self);
void           jx_session_set_model_a (JxSession *self, JxModelItem *model);
JxModelItem   *jx_session_get_model_b (JxSession *self);
void           jx_session_set_model_b (JxSession *self, JxModelItem *model);
int            jx_session_get_highlight_node (JxSession *self);
void           jx_session_set_highlight_node (JxSession *self, int node);

JxDatasetItem *jx_session_get_signal (JxSession *self);
void           jx_session_set_signal (JxSession *self, JxDatasetItem *dataset);
JxDatasetItem *jx_session_get_background (JxSession *self);
void           jx_session_set_background (JxSession *self, JxDatasetItem *dataset);
/* The dataset made by the last reweighting job (its weights are the job's), or NULL. */
JxDatasetItem *jx_session_get_reweighted (JxSession *self);
void           jx_session_set_reweighted (JxSession *self, JxDatasetItem *dataset);

/* A dataset new in the library: listed in jx_session_get_datasets, and taken as the browsed
 * dataset, the signal or the background where none is chosen yet (a dataset with both label
 * classes becomes signal and background at once). */
void        jx_session_offer_dataset (JxSession *self, JxDatasetItem *dataset);
GListModel *jx_session_get_datasets (JxSession *self);   /* of JxDatasetItem, borrowed */

/* TRUE when signal and background are one dataset split by its labels. */
gboolean jx_session_split_by_label (JxSession *self);

/* Clustering used when no model A is set (from the preferences). */
void jx_session_set_default_clustering (JxSession *self, const JxClusterOptions *opt);
/* Model A's clustering, else the default one: what the tables and trees use. */
const JxClusterOptions *jx_session_get_clustering (JxSession *self);

/* Worker threads for the jobs the session and the pages start (≤ 0: all CPUs). */
void jx_session_set_threads (JxSession *self, int threads);
int  jx_session_get_threads (JxSession *self);

/* Hand a job out: emits "run-job" (gboolean handler (JxSession *, JxJob *, gpointer): TRUE
 * when the handler started it); starts it here when no handler did. The job's kind says what
 * it makes (JX_JOB_KIND_OBSERVABLES, JX_JOB_KIND_EVAL, JX_JOB_KIND_ANALYSIS for anything
 * else). The caller keeps its reference and takes the results on the job's "finished". */
void jx_session_run_job (JxSession *self, JxJob *job);

/* Start the jobs that the shown datasets' tables and scores need (none when they are current
 * or being made) and cancel those made for inputs no longer shown. Called on every change of
 * the inputs; callable any time. */
void jx_session_update_jobs (JxSession *self);

/* The current jet's tree under model A's clustering (or the default clustering when there is
 * no model A); NULL when no jet is selected or it cannot be clustered. Cached; valid until the
 * next notify of dataset, jet-index or model-a. */
const JxTree *jx_session_get_tree (JxSession *self);

/* One line saying why jx_session_get_tree returned NULL ("" otherwise). */
const char *jx_session_get_tree_error (JxSession *self);

G_END_DECLS
