/* jx-tasks.c — worker functions of the jobs. They run in a GTask thread: core calls only, no
 * widgets, no GObject notifications (except JxJob's own thread-safe push). */
#define G_LOG_DOMAIN "jx-tasks"

#include "config.h"

#include <math.h>
#include <string.h>

#include "jx-import.h"
#include "jx-model-pair.h"
#include "jx-observables.h"
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
  g_clear_pointer (&d->model, jx_model_free);
  jx_model_meta_free (&d->meta);
  g_clear_pointer (&d->model_b, jx_model_free);
  jx_model_meta_free (&d->meta_b);
  g_free (d->path);
  g_free (d);
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
    rc = jx_dataset_read (&d->ds, d->path, progress, err);
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

/* ---- observables columns of the jet browser ---- */

JxObservablesData *
jx_observables_data_new (JxDatasetItem *item, int threads)
{
  JxObservablesData *d = g_new0 (JxObservablesData, 1);
  d->item = g_object_ref (item);
  d->threads = threads;
  jx_cluster_options_default (&d->clustering);
  return d;
}

void
jx_observables_data_free (gpointer data)
{
  JxObservablesData *d = data;
  for (int i = 0; i < 4; i++)
    g_free (d->cols[i]);
  g_object_unref (d->item);
  g_free (d);
}

int
jx_task_observables (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxObservablesData *d = data;
  const JxDataset *ds = jx_dataset_item_get_dataset (d->item);
  gsize n_jets = ds->n_jets;
  JxClusterWork *work = jx_cluster_work_new ();
  JxTree tree = { 0 };
  JxObservables obs;
  JxError jet_err = { 0 };
  GArray *leaves = g_array_new (FALSE, FALSE, sizeof (JxP4));
  gint64 last = g_get_monotonic_time ();
  int rc = 0;

  for (int c = 0; c < 4; c++)
    d->cols[c] = g_new (double, MAX (n_jets, 1));
  /* One thread: the table is a background nicety and must not starve training jobs. */
  for (gsize i = 0; i < n_jets; i++)
    {
      double v[4] = { NAN, NAN, NAN, NAN };
      if (jx_tree_build (&tree, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i),
                         &d->clustering, work, &jet_err) == 0)
        {
          g_array_set_size (leaves, tree.n);
          for (size_t k = 0; k < tree.n; k++)
            g_array_index (leaves, JxP4, k) = tree.nodes[k].p;
          if (jx_observables_compute ((JxP4 *) leaves->data, tree.n, &obs, work, &jet_err) == 0)
            {
              v[0] = (double) obs.n;
              v[1] = obs.E;
              v[2] = obs.mass;
              v[3] = obs.tau21;
            }
          jx_tree_free (&tree);
        }
      for (int c = 0; c < 4; c++)
        d->cols[c][i] = v[c];
      if ((i & 255) == 0 && g_get_monotonic_time () - last > 50000)
        {
          last = g_get_monotonic_time ();
          jx_progress_report (progress, (double) i, (double) n_jets, "clustering jets");
          if (jx_progress_cancelled (progress))
            {
              rc = jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
              break;
            }
        }
    }
  g_array_unref (leaves);
  jx_cluster_work_free (work);
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

  d->job = job;
  d->opt.epoch_func = train_epoch;
  d->opt.epoch_user = d;
  d->opt.checkpoint = NULL;   /* a cancelled GUI job leaves nothing behind */
  d->meta.clustering = d->clustering;
  rc = jx_model_new (&d->cfg, d->opt.seed, &d->model, err);
  if (rc == 0)
    rc = jx_train (&d->model, &d->meta, jx_dataset_item_get_dataset (d->data), &d->opt, &stats,
                   progress, err);
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
  if (rc == 0 && d->output != NULL)
    rc = jx_model_save (d->model, &d->meta, d->output, NULL, NULL, err);
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
  rc = jx_evaluate (jx_model_item_get_model (d->model), jx_model_item_get_meta (d->model),
                    jx_dataset_item_get_dataset (d->data), &opt, &scores, progress, err);
  if (rc == 0 && d->output != NULL)
    rc = jx_scores_write (&scores, d->output, err);
  if (rc == 0)
    {
      d->log_p = g_new (double, MAX (scores.n_jets, 1));
      memcpy (d->log_p, scores.log_p, scores.n_jets * sizeof (double));
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

int
jx_task_sample (JxJob *job, gpointer data, JxProgress *progress, JxError *err)
{
  JxSampleData *d = data;
  JxSampleOptions opt;
  JxSampleSet set;
  g_autofree JxP4 *seeds = NULL;
  gsize n_seeds = 1;
  int rc;

  opt = d->opt;
  jx_sample_options_use_meta (&opt, jx_model_item_get_meta (d->model));
  opt.threads = d->threads;
  if (d->seeds != NULL && jx_dataset_item_get_n_jets (d->seeds) > 0)
    {
      /* Showers start from the momenta of real jets, as in the paper's comparisons. */
      const JxDataset *ds = jx_dataset_item_get_dataset (d->seeds);
      n_seeds = MIN (ds->n_jets, 100000);
      seeds = g_new0 (JxP4, n_seeds);
      for (gsize i = 0; i < n_seeds; i++)
        {
          const JxP4 *p = jx_dataset_jet (ds, i);
          for (size_t k = 0; k < jx_dataset_jet_size (ds, i); k++)
            seeds[i] = jx_p4_add (seeds[i], p[k]);
        }
    }
  else
    {
      seeds = g_new (JxP4, 1);
      seeds[0] = d->seed_p4;
    }
  rc = jx_sample_run (jx_model_item_get_model (d->model), seeds, n_seeds, d->n_jets, d->seed,
                      &opt, &set, progress, err);
  /* What the library and `junipr info` say of the file, as for `junipr sample`'s. */
  if (rc == 0)
    rc = jx_dataset_set_attr (&set.data, "generator", "junipr sample", err);
  if (rc == 0)
    rc = jx_dataset_set_attr (&set.data, "model", jx_model_item_get_path (d->model), err);
  if (rc == 0)
    rc = jx_dataset_set_attr (&set.data, "cell_sampling", jx_cell_sampling_name (opt.cell), err);
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
      d->ess = stats.ess;
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
