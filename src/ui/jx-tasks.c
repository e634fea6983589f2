/* jx-tasks.c — worker functions of the jobs. They run in a GTask thread: core calls only, no
 * widgets, no GObject notifications (except JxJob's own thread-safe push). */
#define G_LOG_DOMAIN "jx-tasks"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "jx-eval-stream.h"
#include "jx-import.h"
#include "jx-jetstats-stream.h"
#include "jx-model-pair.h"
#include "jx-reweight.h"
#include "jx-tasks.h"

/* ---- generate ---- */

JxGenerateData *
jx_generate_data_new (void)
{
  JxGenerateData *d = g_new0 (JxGenerateData, 1);
  jx_gen_config_default (&d->cfg);
  jx_dataset_init (&d->out);
  d->n_jets = 2000;
  return d;
}

void
jx_generate_data_free (gpointer data)
{
  JxGenerateData *d = data;
  jx_dataset_free (&d->out);
  g_free (d->output);
  g_free (d);
}

int
jx_task_generate (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxGenerateData *d = data;
  int rc = jx_generate (&d->cfg, d->n_jets, &d->out, NULL, progress, err);
  if (rc == 0 && d->output != NULL)
    rc = jx_dataset_write (&d->out, d->output, progress, err);
  return rc;
}

/* ---- load a file of any kind ---- */

JxLoadData *
jx_load_data_new (const char *path)
{
  JxLoadData *d = g_new0 (JxLoadData, 1);
  d->path = g_strdup (path);
  jx_dataset_init (&d->ds);
  jx_model_meta_init (&d->meta);
  jx_model_meta_init (&d->meta_b);
  return d;
}

void
jx_load_data_free (gpointer data)
{
  JxLoadData *d = data;
  jx_dataset_free (&d->ds);
  g_clear_pointer (&d->stream, jx_dataset_stream_close);
  g_clear_pointer (&d->model, jx_model_free);
  jx_model_meta_free (&d->meta);
  g_clear_pointer (&d->model_b, jx_model_free);
  jx_model_meta_free (&d->meta_b);
  g_free (d->path);
  g_free (d);
}

/* A dataset file: read whole, or opened as a stream when it is too large to hold (the item
 * then reads jets on demand). The stream's open checks what a probe checks; its first chunk
 * gives the source attributes. */
static int
load_dataset (JxLoadData *d, JxProgress *progress, JxError *err)
{
  JxDatasetInfo info;
  JxDatasetStreamOptions opt;
  int rc = jx_dataset_probe (d->path, &info, err);

  if (rc != 0)
    return rc;
  if (!jx_dataset_item_should_stream (&info))
    return jx_dataset_read (&d->ds, d->path, progress, err);
  jx_dataset_item_stream_options (&opt);
  d->stream = jx_dataset_stream_open (d->path, &opt, err);
  if (d->stream == NULL)
    return err->code;
  return jx_dataset_stream_read_attrs (d->stream, &d->ds, err);
}

int
jx_task_load (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxLoadData *d = data;
  char kind[64];
  int rc = jx_file_kind (d->path, kind, sizeof kind, err);

  /* Not a junipr file but jets another program wrote (JuniprJets JSON, top-tagging, JetNet,
   * EnergyFlow, HepMC, text): imported in memory, as `junipr import` would. */
  if (rc == JX_ERR_FORMAT && jx_import_recognizes (d->path))
    {
      rc = jx_import (&d->ds, d->path, NULL, NULL, progress, err);
      if (rc == 0)
        g_strlcpy (d->kind, "junipr-dataset", sizeof d->kind);
      return rc;
    }
  if (rc != 0)
    return rc;
  if (strcmp (kind, "junipr-dataset") == 0)
    rc = load_dataset (d, progress, err);
  else if (strcmp (kind, "junipr-model") == 0 && jx_model_pair_is (d->path))
    rc = jx_model_pair_load (d->path, &d->model, &d->meta, &d->model_b, &d->meta_b, NULL, NULL,
                             NULL, err);
  else if (strcmp (kind, "junipr-model") == 0)
    rc = jx_model_load (d->path, &d->model, &d->meta, NULL, NULL, err);
  else
    return jx_error_set (err, JX_ERR_FORMAT, "%s is a %s file: open a dataset or a model "
                         "(make one with 'junipr generate' or 'junipr train')", d->path, kind);
  if (rc == 0)
    g_strlcpy (d->kind, kind, sizeof d->kind);
  return rc;
}

/* ---- the observables table of a dataset ---- */

JxStatsData *
jx_stats_data_new (JxDatasetItem *item, const JxClusterOptions *clustering, int threads)
{
  JxStatsData *d = g_new0 (JxStatsData, 1);
  d->item = g_object_ref (item);
  d->threads = threads;
  d->clustering = *clustering;
  jx_jetstats_init (&d->out);
  return d;
}

void
jx_stats_data_free (gpointer data)
{
  JxStatsData *d = data;
  jx_jetstats_free (&d->out);
  g_object_unref (d->item);
  g_free (d);
}

/* "N jets cannot be clustered (…)" as a job note. */
static void
note_failed (JxJob *job, size_t n_failed, const char *why)
{
  g_autofree char *note = NULL;

  if (n_failed == 0)
    return;
  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu jet skipped: %s",
                                       "%zu jets skipped: %s", n_failed), n_failed, why);
  jx_job_set_note (job, note);
}

int
jx_task_stats (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxStatsData *d = data;
  const JxDataset *ds = jx_dataset_item_get_dataset (d->item);
  int rc;

  if (ds != NULL)
    rc = jx_jetstats_compute (&d->out, ds, 0, ds->n_jets, &d->clustering, d->threads, progress,
                              err);
  else
    {
      /* A streamed item: the file chunk by chunk through this worker's own stream (the
       * item's belongs to the main thread); memory is the table and the stream's cache. */
      JxDatasetStream *s = jx_dataset_item_open_stream (d->item, err);
      if (s == NULL)
        return err->code;
      jx_jetstats_free (&d->out);
      rc = jx_jetstats_compute_stream (&d->out, s, 0, jx_dataset_item_get_n_jets (d->item),
                                       &d->clustering, d->threads, progress, err);
      jx_dataset_stream_close (s);
    }
  if (rc == 0)
    note_failed (job, d->out.n_failed, _("no subjet above E_sub or bad momenta"));
  return rc;
}

/* ---- training ---- */

JxTrainData *
jx_train_data_new (JxDatasetItem *data)
{
  JxTrainData *d = g_new0 (JxTrainData, 1);
  d->data = g_object_ref (data);
  jx_model_config_default (&d->cfg);
  jx_cluster_options_default (&d->clustering);
  jx_train_options_default (&d->opt);
  jx_model_meta_init (&d->meta);
  return d;
}

void
jx_train_data_free (gpointer data)
{
  JxTrainData *d = data;
  g_clear_pointer (&d->model, jx_model_free);
  jx_model_meta_free (&d->meta);
  g_object_unref (d->data);
  g_free (d->output);
  g_free (d);
}

static void
train_epoch (void *user, const JxEpochRecord *record)
{
  JxTrainData *d = user;
  jx_job_push_epoch (d->job, record);
}

int
jx_task_train (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxTrainData *d = data;
  JxTrainStats stats;
  int rc;

  if (jx_dataset_item_check_in_memory (d->data, "training", "junipr train --stream", err) != 0)
    return err->code;

  d->job = job;
  d->opt.epoch_func = train_epoch;
  d->opt.epoch_user = d;
  d->opt.checkpoint = NULL;   /* a cancelled GUI job leaves nothing behind */
  d->meta.clustering = d->clustering;
  rc = jx_train_and_save (&d->model, &d->meta, &d->cfg, jx_dataset_item_get_dataset (d->data),
                          &d->opt, d->output, &stats, progress, err);
  if (rc == 0)
    note_failed (job, stats.n_skipped_bad + stats.n_skipped_long,
                 _("no subjet above E_sub, or more particles than the model's maximum"));
  return rc;
}

/* ---- evaluation: log P per jet ---- */

JxEvalData *
jx_eval_data_new (JxDatasetItem *data, JxModelItem *model, int which)
{
  JxEvalData *d = g_new0 (JxEvalData, 1);
  d->data = g_object_ref (data);
  d->model = g_object_ref (model);
  d->which = which;
  return d;
}

void
jx_eval_data_free (gpointer data)
{
  JxEvalData *d = data;
  g_object_unref (d->data);
  g_object_unref (d->model);
  g_free (d->output);
  g_free (d->log_p);
  g_free (d);
}

int
jx_task_eval (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxEvalData *d = data;
  JxEvalOptions opt;
  JxScores scores;
  int rc;

  jx_eval_options_default (&opt);
  opt.threads = d->threads;
  opt.per_step = d->per_step;
  opt.model_name = jx_model_item_get_path (d->model);
  opt.data_name = jx_dataset_item_get_path (d->data);
  jx_scores_init (&scores);
  if (jx_dataset_item_is_streamed (d->data))
    {
      /* Chunk by chunk through this worker's own stream: memory is the scores and one
       * chunk's trees (`junipr eval` on a large file does the same). */
      JxDatasetStream *s = jx_dataset_item_open_stream (d->data, err);
      if (s == NULL)
        return err->code;
      jx_scores_free (&scores);
      rc = jx_evaluate_stream (jx_model_item_get_model (d->model),
                               jx_model_item_get_meta (d->model), s, &opt, &scores, progress, err);
      jx_dataset_stream_close (s);
    }
  else
    rc = jx_evaluate (jx_model_item_get_model (d->model), jx_model_item_get_meta (d->model),
                      jx_dataset_item_get_dataset (d->data), &opt, &scores, progress, err);
  if (rc == 0 && d->output != NULL)
    rc = jx_scores_write (&scores, d->output, err);
  if (rc == 0)
    {
      size_t not_scored = 0;
      d->log_p = g_new (double, MAX (scores.n_jets, 1));
      memcpy (d->log_p, scores.log_p, scores.n_jets * sizeof (double));
      for (size_t i = 0; i < scores.n_jets; i++)
        not_scored += scores.status[i] != JX_JET_SCORED;
      note_failed (job, not_scored, _("the model cannot score them (no subjet above E_sub, or "
                                      "more particles than its maximum)"));
    }
  jx_scores_free (&scores);
  return rc;
}

/* ---- sampling ---- */

JxSampleData *
jx_sample_data_new (JxModelItem *model)
{
  JxSampleData *d = g_new0 (JxSampleData, 1);
  d->model = g_object_ref (model);
  d->seed_p4 = jx_sample_seed_along_z (500.0, 91.2);
  d->n_jets = 1000;
  d->seed = 1;
  jx_sample_options_default (&d->opt);
  jx_dataset_init (&d->out);
  return d;
}

void
jx_sample_data_free (gpointer data)
{
  JxSampleData *d = data;
  g_object_unref (d->model);
  g_clear_object (&d->seeds);
  jx_dataset_free (&d->out);
  g_free (d->output);
  g_free (d);
}

/* n_jets jets from model, each started from the momentum of a random jet of seeds (as the
 * model's clustering sees it; jets that cannot seed a shower are skipped and counted), or
 * from the momentum one when seeds is NULL (NULL: junipr sample's default jet). base holds the
 * sampler's choices (cell mode, longest jet, redraws; NULL: the defaults); the model sets the
 * rest. seed_stream, when not NULL, stands for seeds: a file too large to hold, walked chunk
 * by chunk (memory: the seeds' momenta and the stream's cache). */
static int
sample_jets (JxModelItem *model, const JxDataset *seeds, JxDatasetStream *seed_stream,
             const JxP4 *one,
             const JxSampleOptions *base, gsize n_jets, guint64 seed, int threads,
             JxSampleSet *set, JxSeedSkips *skips, JxProgress *progress, JxError *err)
{
  const JxModelMeta *meta = jx_model_item_get_meta (model);
  JxSampleOptions opt;
  JxP4 default_one = jx_sample_seed_along_z (500.0, 91.2);   /* a massless jet could not split */
  JxP4 first = one != NULL ? *one : default_one;
  JxP4 *momenta = &first;
  size_t n_seeds = 1;
  int rc = 0;

  jx_sample_set_init (set);
  memset (skips, 0, sizeof *skips);
  if (base != NULL)
    opt = *base;
  else
    jx_sample_options_default (&opt);
  jx_sample_options_use_meta (&opt, meta);
  opt.threads = threads;
  if (seeds != NULL || seed_stream != NULL)
    {
      /* Showers start from the momenta of real jets, as in the paper's comparisons. */
      if (seed_stream != NULL)
        rc = jx_jetstats_seeds_stream (seed_stream, &meta->clustering, threads, &momenta,
                                       &n_seeds, skips, progress, err);
      else
        rc = jx_jetstats_seeds (seeds, &meta->clustering, threads, &momenta, &n_seeds, skips,
                                progress, err);
      if (rc == 0 && n_seeds == 0)
        rc = jx_error_set (err, JX_ERR_INVALID,
                           "no jet of the seeds' dataset can start a shower: each has nothing "
                           "above the model's E_sub = %g GeV or no mass; choose other seeds",
                           meta->clustering.esub);
    }
  if (rc == 0)
    rc = jx_sample_run (jx_model_item_get_model (model), momenta, n_seeds, n_jets, seed, &opt,
                        set, progress, err);
  /* What the library and `junipr info` say of the file, as for `junipr sample`'s. */
  if (rc == 0)
    rc = jx_dataset_set_attr (&set->data, "generator", "junipr sample", err);
  if (rc == 0)
    rc = jx_dataset_set_attr (&set->data, "model", jx_model_item_get_path (model), err);
  if (rc == 0)
    rc = jx_dataset_set_attr (&set->data, "cell_sampling", jx_cell_sampling_name (opt.cell), err);
  if (momenta != &first)
    free (momenta);
  return rc;
}

static void
note_seed_skips (JxJob *job, const JxSeedSkips *skips)
{
  char line[256];

  jx_seed_skips_describe (skips, line, sizeof line);
  if (line[0] != '\0')
    jx_job_set_note (job, line);
}

int
jx_task_sample (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxSampleData *d = data;
  JxSampleSet set;
  JxSeedSkips skips;
  const JxDataset *seeds = d->seeds != NULL ? jx_dataset_item_get_dataset (d->seeds) : NULL;
  JxDatasetStream *seed_stream = NULL;
  int rc;

  /* A streamed seeds' file: its jets walked through this worker's own stream. */
  if (d->seeds != NULL && seeds == NULL)
    {
      seed_stream = jx_dataset_item_open_stream (d->seeds, err);
      if (seed_stream == NULL)
        return err->code;
    }
  rc = sample_jets (d->model, seeds, seed_stream, &d->seed_p4, &d->opt, d->n_jets, d->seed,
                    d->threads,
                        &set, &skips, progress, err);

  g_clear_pointer (&seed_stream, jx_dataset_stream_close);
  note_seed_skips (job, &skips);
  if (rc == 0 && d->output != NULL)
    rc = jx_sample_write (&set, d->output, progress, err);
  if (rc == 0)
    {
      d->out = set.data;
      jx_dataset_init (&set.data);
    }
  jx_sample_set_free (&set);
  return rc;
}

/* ---- reweighting ---- */

JxReweightData *
jx_reweight_data_new (JxDatasetItem *data, JxModelItem *target, JxModelItem *source)
{
  JxReweightData *d = g_new0 (JxReweightData, 1);
  d->data = g_object_ref (data);
  d->target = g_object_ref (target);
  d->source = g_object_ref (source);
  d->clip = JX_REWEIGHT_CLIP_DEFAULT;
  jx_dataset_init (&d->out);
  return d;
}

void
jx_reweight_data_free (gpointer data)
{
  JxReweightData *d = data;
  g_object_unref (d->data);
  g_object_unref (d->target);
  g_object_unref (d->source);
  jx_dataset_free (&d->out);
  g_free (d->output);
  g_free (d);
}

int
jx_task_reweight (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxReweightData *d = data;
  const JxDataset *ds = jx_dataset_item_get_dataset (d->data);
  JxModelItem *models[2] = { d->target, d->source };
  JxScores scores[2];
  JxEvalOptions opt;
  JxReweightStats stats;
  g_autofree double *log_lr = NULL;
  int rc = 0;

  if (jx_dataset_item_check_in_memory (d->data, "reweighting", "junipr reweight", err) != 0)
    return err->code;

  jx_eval_options_default (&opt);
  opt.threads = d->threads;
  jx_scores_init (&scores[0]);
  jx_scores_init (&scores[1]);
  for (int m = 0; m < 2 && rc == 0; m++)
    rc = jx_evaluate (jx_model_item_get_model (models[m]), jx_model_item_get_meta (models[m]),
                      ds, &opt, &scores[m], progress, err);
  if (rc == 0)
    {
      log_lr = g_new (double, MAX (ds->n_jets, 1));
      rc = jx_lr_from_scores (&scores[0], &scores[1], log_lr, NULL, err);
    }
  if (rc == 0)
    rc = jx_dataset_reserve (&d->out, ds->n_jets, jx_dataset_n_particles (ds), err);
  for (size_t i = 0; i < ds->n_jets && rc == 0; i++)
    rc = jx_dataset_append_labeled (&d->out, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i),
                                    ds->labels != NULL ? ds->labels[i] : 0, 1.0, err);
  if (rc == 0)
    {
      jx_reweight_weights (log_lr, ds->n_jets, d->clip, d->out.weights, &stats);
      d->n_clipped = stats.n_clipped;
      d->n_not_scored = stats.n_nan;
      d->ess = stats.ess;
      note_failed (job, stats.n_nan, _("a model cannot score them (weight 0)"));
      for (size_t a = 0; a < ds->n_attrs && rc == 0; a++)
        rc = jx_dataset_set_attr (&d->out, ds->attrs[a].key, ds->attrs[a].value, err);
      if (rc == 0)
        rc = jx_dataset_set_attr (&d->out, "reweighted_to", jx_model_item_get_title (d->target), err);
    }
  if (rc == 0 && d->output != NULL)
    rc = jx_dataset_write (&d->out, d->output, progress, err);
  jx_scores_free (&scores[0]);
  jx_scores_free (&scores[1]);
  return rc;
}

/* ---- the Plots page: samples from a model next to the data ---- */

JxPlotsSampleData *
jx_plots_sample_data_new (JxModelItem *model, JxDatasetItem *data, int label, int threads)
{
  JxPlotsSampleData *d = g_new0 (JxPlotsSampleData, 1);
  d->model = g_object_ref (model);
  d->data = g_object_ref (data);
  d->label = label;
  d->threads = threads;
  /* enough for smooth histograms in a few seconds of one core */
  d->n_jets = 2000;
  d->max_data_jets = 20000;
  jx_jetstats_init (&d->sampled);
  return d;
}

void
jx_plots_sample_data_free (gpointer data)
{
  JxPlotsSampleData *d = data;
  jx_jetstats_free (&d->sampled);
  g_free (d->data_z);
  g_free (d->data_theta);
  g_free (d->sampled_z);
  g_free (d->sampled_theta);
  g_object_unref (d->model);
  g_object_unref (d->data);
  g_free (d);
}

/* The jets of one label class of ds, copied (labels > 0 for label 1, ≤ 0 for label 0). */
static int
label_class (const JxDataset *ds, int label, JxDataset *out, JxError *err)
{
  int rc = 0;

  jx_dataset_init (out);
  for (size_t i = 0; i < ds->n_jets && rc == 0; i++)
    if (ds->labels != NULL && (ds->labels[i] > 0) == (label > 0))
      rc = jx_dataset_append (out, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), err);
  return rc;
}

int
jx_task_plots_sample (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxPlotsSampleData *d = data;
  const JxDataset *ds = jx_dataset_item_get_dataset (d->data);
  const JxClusterOptions *clustering = &jx_model_item_get_meta (d->model)->clustering;
  /* A sampled jet's particles are already the model's subjets: no second subjet step. */
  JxClusterOptions as_is = { .algorithm = clustering->algorithm, .esub = 0, .rsub = 0,
                             .metric = clustering->metric };
  JxDataset subset;
  JxSampleSet set;
  size_t failed = 0;
  double *z = NULL, *theta = NULL;
  int rc = 0;

  /* The data's jets seed the sampled showers: all of them. */
  if (jx_dataset_item_check_in_memory (d->data, "the sampled-versus-data plots",
                                       "junipr sample --seeds-from", err) != 0)
    return err->code;
  jx_dataset_init (&subset);
  jx_sample_set_init (&set);
  if (d->label >= 0)
    {
      rc = label_class (ds, d->label, &subset, err);
      ds = &subset;
    }
  if (rc == 0)
    rc = jx_jetstats_branchings (ds, 0, MIN (ds->n_jets, d->max_data_jets), clustering,
                                 d->threads, &z, &theta, &d->n_data_branchings, &failed, progress,
                                 err);
  /* core's malloc'd arrays become the g_free'd ones of the data struct */
  d->data_z = g_memdup2 (z, (d->n_data_branchings + 1) * sizeof (double));
  d->data_theta = g_memdup2 (theta, (d->n_data_branchings + 1) * sizeof (double));
  free (z);
  free (theta);
  if (rc == 0)
    {
      rc = sample_jets (d->model, ds, NULL, NULL, NULL, d->n_jets, 1, d->threads, &set, &d->skips,
                        progress, err);
      note_seed_skips (job, &d->skips);
    }
  if (rc == 0)
    rc = jx_jetstats_compute (&d->sampled, &set.data, 0, set.n_jets, &as_is, d->threads, progress,
                              err);
  if (rc == 0)
    {
      size_t n = set.step_offsets[set.n_jets];
      d->sampled_z = g_new (double, n + 1);
      d->sampled_theta = g_new (double, n + 1);
      for (size_t k = 0; k < n; k++)
        {
          d->sampled_z[k] = set.steps[k].x.z;
          d->sampled_theta[k] = set.steps[k].x.theta;
        }
      d->n_sampled_branchings = n;
    }
  jx_sample_set_free (&set);
  jx_dataset_free (&subset);
  return rc;
}

/* ---- the Plots page: JUNIPR vs the baselines ---- */

JxDiscriminateData *
jx_discriminate_data_new (JxDatasetItem *sig, JxDatasetItem *bkg)
{
  JxDatasetItem *item[2] = { sig, bkg };
  JxDiscriminateData *d;
  gboolean scored = TRUE;

  if (!jx_dataset_item_has_observables (sig) || !jx_dataset_item_has_observables (bkg))
    return NULL;
  d = g_new0 (JxDiscriminateData, 1);
  jx_discrimination_init (&d->disc);
  for (int s = 0; s < 2; s++)
    {
      d->item[s] = g_object_ref (item[s]);
      d->stats[s] = jx_dataset_item_ref_stats (item[s]);
      for (int m = 0; m < 2; m++)
        scored = scored && jx_dataset_item_get_scores (item[s], m) != NULL;
    }
  for (int s = 0; s < 2 && scored; s++)
    for (int m = 0; m < 2; m++)
      d->log_p[s][m] = jx_dataset_item_ref_scores (item[s], m);
  return d;
}

void
jx_discriminate_data_free (gpointer data)
{
  JxDiscriminateData *d = data;
  for (int s = 0; s < 2; s++)
    {
      g_object_unref (d->item[s]);
      jx_jet_stats_unref (d->stats[s]);
      for (int m = 0; m < 2; m++)
        g_clear_pointer (&d->log_p[s][m], g_bytes_unref);
    }
  jx_discrimination_free (&d->disc);
  g_free (d);
}

/* Jets of sample s: all of its dataset, or one label class when signal and background are
 * the same dataset (label > 0 signal, ≤ 0 background). */
static GArray *
sample_jets_of (JxDiscriminateData *d, int s)
{
  /* NULL for a streamed item, which is never split by label (jx_task_discriminate refuses). */
  const JxDataset *ds = jx_dataset_item_get_dataset (d->item[s]);
  gsize n = jx_dataset_item_get_n_jets (d->item[s]);
  gboolean by_label = d->item[0] == d->item[1];
  GArray *idx = g_array_sized_new (FALSE, FALSE, sizeof (size_t), (guint) n);

  for (size_t i = 0; i < n; i++)
    if (!by_label || (ds != NULL && ds->labels != NULL && (ds->labels[i] > 0) == (s == 0)))
      g_array_append_val (idx, i);
  return idx;
}

int
jx_task_discriminate (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxDiscriminateData *d = data;
  JxDiscriminateSample sample[2];
  GArray *idx[2];
  JxObservables *obs[2] = { NULL, NULL };
  double *lr[2] = { NULL, NULL };
  int rc;

  /* Splitting one file by its labels needs every label in memory. */
  if (d->item[0] == d->item[1]
      && jx_dataset_item_check_in_memory (d->item[0], "signal and background by label",
                                          "junipr discriminate", err) != 0)
    return err->code;
  idx[0] = sample_jets_of (d, 0);
  idx[1] = sample_jets_of (d, 1);

  for (int s = 0; s < 2; s++)
    {
      const double *a = d->log_p[s][0] ? g_bytes_get_data (d->log_p[s][0], NULL) : NULL;
      const double *b = d->log_p[s][1] ? g_bytes_get_data (d->log_p[s][1], NULL) : NULL;
      size_t n = idx[s]->len;

      obs[s] = g_new (JxObservables, n + 1);
      lr[s] = a != NULL && b != NULL ? g_new (double, n + 1) : NULL;
      for (size_t k = 0; k < n; k++)
        {
          size_t i = g_array_index (idx[s], size_t, k);
          jx_jetstats_observables (d->stats[s], i, &obs[s][k]);
          if (lr[s] != NULL)
            lr[s][k] = a[i] - b[i];
        }
      d->n[s] = n;
      sample[s] = (JxDiscriminateSample) { lr[s], obs[s], n };
    }
  if (lr[0] == NULL || lr[1] == NULL)
    sample[0].log_lr = sample[1].log_lr = NULL;
  rc = jx_discriminate (&sample[0], &sample[1], &d->disc, err);
  for (int s = 0; s < 2; s++)
    {
      g_array_unref (idx[s]);
      g_free (obs[s]);
      g_free (lr[s]);
    }
  return rc;
}

/* ---- the Image page: average images ---- */

JxImageAverageData *
jx_image_average_data_new (JxDatasetItem *item, int label, int npix, double R, gsize max_jets)
{
  JxImageAverageData *d = g_new0 (JxImageAverageData, 1);
  d->item = g_object_ref (item);
  d->label = label;
  d->max_jets = max_jets;
  jx_image_init (&d->image, npix, R, NULL);
  return d;
}

void
jx_image_average_data_free (gpointer data)
{
  JxImageAverageData *d = data;
  jx_image_free (&d->image);
  g_object_unref (d->item);
  g_free (d);
}

int
jx_task_image_average (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxImageAverageData *d = data;
  JxDataset head;
  const JxDataset *ds;
  JxImageOptions opt;
  size_t used = 0;
  int rc;

  /* The first max_jets jets only: of a streamed file just those are read. */
  jx_dataset_init (&head);
  ds = jx_dataset_item_head (d->item, d->max_jets, &head, progress, err);
  if (ds == NULL)
    {
      jx_dataset_free (&head);
      return err->code;
    }
  jx_image_options_default (&opt);
  rc = jx_image_average_dataset (&d->image, ds, 0, MIN (ds->n_jets, d->max_jets), d->label, &opt,
                                 &used, progress, err);
  d->n_used = used;
  jx_dataset_free (&head);
  return rc;
}
