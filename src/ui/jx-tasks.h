/* jx-tasks.h — the worker functions behind the jobs (JxJobFunc) and their data. Each data
 * struct is a copied config going in and the results coming out; the worker owns it while the
 * job runs, the main loop takes the results in the job's "finished" handler. */
#pragma once

#include <glib.h>

#include "jx-dataset-item.h"
#include "jx-discriminate.h"
#include "jx-eval.h"
#include "jx-generator.h"
#include "jx-image.h"
#include "jx-job.h"
#include "jx-model-item.h"
#include "jx-sample.h"
#include "jx-train.h"

G_BEGIN_DECLS

typedef struct {
  JxGenConfig cfg;
  gsize n_jets;
  char *output;           /* written atomically; NULL: keep in memory only */
  JxDataset out;
} JxGenerateData;

typedef struct {
  char *path;
  char kind[64];          /* "junipr-dataset" or "junipr-model" after a successful load */
  JxDataset ds;           /* every jet; only the attributes when stream is set */
  JxDatasetStream *stream;/* a dataset file too large to read whole (jx_dataset_item_should_stream) */
  JxModel *model;
  JxModelMeta meta;
  JxModel *model_b;       /* a JUNIPR-binary pair: model is its signal model, this the
                           * background model (they open as models A and B); else NULL */
  JxModelMeta meta_b;
} JxLoadData;

typedef struct {
  JxDatasetItem *item;    /* its dataset is immutable; read concurrently */
  JxClusterOptions clustering;
  int threads;
  JxJetStats out;         /* the item's observables table */
} JxStatsData;

typedef struct {
  JxDatasetItem *data;
  JxModelConfig cfg;
  JxClusterOptions clustering;
  JxTrainOptions opt;     /* epoch_func is set by jx_task_train */
  char *output;
  JxJob *job;             /* borrowed; for the live training curve */
  JxModel *model;         /* out */
  JxModelMeta meta;       /* out */
} JxTrainData;

typedef struct {
  JxDatasetItem *data;
  JxModelItem *model;
  int which;              /* 0 = model A, 1 = model B */
  int threads;
  char *output;           /* a scores file written atomically (junipr eval -o); NULL: none */
  gboolean per_step;      /* the file also gets the per-step terms */
  double *log_p;          /* out, [n_jets] */
} JxEvalData;

typedef struct {
  JxModelItem *model;
  JxDatasetItem *seeds;   /* jets whose momenta start the showers; NULL: seed_p4 */
  JxP4 seed_p4;           /* default 500 GeV, m = 91.2 GeV along z */
  gsize n_jets;
  guint64 seed;
  JxSampleOptions opt;    /* cell mode, max length, redraws (threads and rates set by the task) */
  int threads;
  char *output;
  JxDataset out;
} JxSampleData;

int jx_task_generate    (JxJob *job, gpointer data, JxProgress *progress, JxError *err);
int jx_task_load        (JxJob *job, gpointer data, JxProgress *progress, JxError *err);
int jx_task_stats       (JxJob *job, gpointer data, JxProgress *progress, JxError *err);
int jx_task_train       (JxJob *job, gpointer data, JxProgress *progress, JxError *err);
int jx_task_eval        (JxJob *job, gpointer data, JxProgress *progress, JxError *err);
int jx_task_sample      (JxJob *job, gpointer data, JxProgress *progress, JxError *err);

JxGenerateData    *jx_generate_data_new (void);
void               jx_generate_data_free (gpointer data);
JxLoadData        *jx_load_data_new (const char *path);
void               jx_load_data_free (gpointer data);
JxStatsData       *jx_stats_data_new (JxDatasetItem *item, const JxClusterOptions *clustering,
                                       int threads);
void               jx_stats_data_free (gpointer data);
JxTrainData       *jx_train_data_new (JxDatasetItem *data);
void               jx_train_data_free (gpointer data);
JxEvalData        *jx_eval_data_new (JxDatasetItem *data, JxModelItem *model, int which);
void               jx_eval_data_free (gpointer data);
JxSampleData      *jx_sample_data_new (JxModelItem *model);
void               jx_sample_data_free (gpointer data);

typedef struct {
  JxDatasetItem *data;
  JxModelItem *target;    /* weights w = P_target / P_source */
  JxModelItem *source;
  double clip;
  int threads;
  char *output;
  JxDataset out;          /* a copy of data with the weights column */
  size_t n_clipped, n_not_scored;
  double ess;
} JxReweightData;

JxReweightData *jx_reweight_data_new (JxDatasetItem *data, JxModelItem *target,
                                      JxModelItem *source);
void            jx_reweight_data_free (gpointer data);
int             jx_task_reweight (JxJob *job, gpointer data, JxProgress *progress, JxError *err);

/* ---- the Plots and Image pages' work ---- */

/* Jets sampled from a model for the Plots page (seeds: the data's jets), with their
 * observables, and the branchings of the data's and the samples' trees for the validation
 * plots. */
typedef struct {
  JxModelItem *model;
  JxDatasetItem *data;
  int label;              /* −1: all the data's jets; 1 (0): only those labelled > 0 (≤ 0) */
  gsize n_jets;           /* to sample */
  gsize max_data_jets;    /* data jets whose branchings are taken */
  int threads;
  /* out */
  JxJetStats sampled;     /* observables of the sampled jets (their particles are subjets) */
  double *data_z, *data_theta, *sampled_z, *sampled_theta;
  size_t n_data_branchings, n_sampled_branchings;
  JxSeedSkips skips;
} JxPlotsSampleData;

JxPlotsSampleData *jx_plots_sample_data_new (JxModelItem *model, JxDatasetItem *data, int label,
                                             int threads);
void               jx_plots_sample_data_free (gpointer data);
int                jx_task_plots_sample (JxJob *job, gpointer data, JxProgress *progress,
                                         JxError *err);

/* JUNIPR vs the baselines (jx_discriminate) on a signal and a background dataset, or on the
 * two label classes of one dataset (sig == bkg). Inputs are references taken on the main
 * thread: the items' tables and scores may be replaced meanwhile. */
typedef struct {
  JxDatasetItem *item[2];     /* signal, background */
  JxJetStats *stats[2];
  GBytes *log_p[2][2];        /* [sample][model A, B]; NULL: no JUNIPR curve */
  /* out */
  JxDiscrimination disc;
  size_t n[2];                /* jets of each class */
} JxDiscriminateData;

/* NULL when a table is missing. Scores are used only when both samples have both. */
JxDiscriminateData *jx_discriminate_data_new (JxDatasetItem *sig, JxDatasetItem *bkg);
void                jx_discriminate_data_free (gpointer data);
int                 jx_task_discriminate (JxJob *job, gpointer data, JxProgress *progress,
                                          JxError *err);

/* The average jet image of a dataset, of all jets (label −1) or one label class (0: label ≤ 0,
 * 1: label > 0). */
typedef struct {
  JxDatasetItem *item;
  int label;
  gsize max_jets;
  JxImage image;          /* out */
  gsize n_used;
} JxImageAverageData;

JxImageAverageData *jx_image_average_data_new (JxDatasetItem *item, int label, int npix,
                                               double R, gsize max_jets);
void                jx_image_average_data_free (gpointer data);
int                 jx_task_image_average (JxJob *job, gpointer data, JxProgress *progress,
                                           JxError *err);

G_END_DECLS
