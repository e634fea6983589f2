/* jx-session-jobs.c — keeping the shown datasets' tables current: the observables table under
 * the session's clustering and the scores under models A and B of the browsed dataset, the
 * signal and the background, each made once by a job (jx-tasks.c) and handed to the dataset
 * item when it ends. A job whose inputs are no longer shown is cancelled. */
#define G_LOG_DOMAIN "jx-session"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-session-private.h"
#include "jx-tasks.h"

typedef enum { WORK_STATS, WORK_SCORES } WorkKind;

/* One job the session started, with what it makes. */
typedef struct {
  JxSession *session;           /* borrowed: the session outlives its jobs' handlers */
  JxJob *job;
  WorkKind kind;
  JxDatasetItem *item;          /* borrowed from the job's data */
  JxClusterOptions clustering;  /* WORK_STATS */
  JxModelItem *model;           /* WORK_SCORES, borrowed from the job's data */
  int which;
} SessionJob;

static void
session_job_free (gpointer data)
{
  SessionJob *sj = data;

  g_signal_handlers_disconnect_by_data (sj->job, sj);
  g_object_unref (sj->job);
  g_free (sj);
}

void
_jx_session_jobs_init (JxSession *self)
{
  self->pending = g_ptr_array_new_with_free_func (session_job_free);
}

void
_jx_session_jobs_dispose (JxSession *self)
{
  if (self->pending == NULL)
    return;
  for (guint i = 0; i < self->pending->len; i++)
    jx_job_cancel (((SessionJob *) g_ptr_array_index (self->pending, i))->job);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
}

/* Datasets whose scores are shown (the reweighted one only as histograms: observables). */
static gboolean
shown (JxSession *self, JxDatasetItem *item, WorkKind kind)
{
  return item != NULL
         && (item == self->dataset || item == self->signal || item == self->background
             || (kind == WORK_STATS && item == self->reweighted));
}

/* Still wanted: the item is shown and the clustering or the model is still the session's. */
static gboolean
current (JxSession *self, const SessionJob *sj)
{
  if (!shown (self, sj->item, sj->kind))
    return FALSE;
  if (sj->kind == WORK_STATS)
    return jx_cluster_options_equal (&sj->clustering, jx_session_get_clustering (self));
  return self->model[sj->which] == sj->model;
}

static void
on_job_finished (JxJob *job, SessionJob *sj)
{
  JxSession *self = sj->session;

  if (jx_job_get_state (job) == JX_JOB_DONE && current (self, sj))
    {
      if (sj->kind == WORK_STATS)
        {
          JxStatsData *d = jx_job_get_data (job);
          jx_dataset_item_take_stats (d->item, &d->out);
        }
      else
        {
          JxEvalData *d = jx_job_get_data (job);
          jx_dataset_item_take_scores (d->data, d->which, g_steal_pointer (&d->log_p), d->model);
        }
    }
  /* frees sj; a failed job is not retried until the inputs change */
  g_ptr_array_remove (self->pending, sj);
}

static void
start (JxSession *self, WorkKind kind, JxJob *job, JxDatasetItem *item, JxModelItem *model,
       int which)
{
  SessionJob *sj = g_new0 (SessionJob, 1);

  sj->session = self;
  sj->job = job;
  sj->kind = kind;
  sj->item = item;
  sj->clustering = *jx_session_get_clustering (self);
  sj->model = model;
  sj->which = which;
  g_ptr_array_add (self->pending, sj);
  g_signal_connect (job, "finished", G_CALLBACK (on_job_finished), sj);
  jx_session_run_job (self, job);
}

static gboolean
pending (JxSession *self, WorkKind kind, JxDatasetItem *item, int which)
{
  for (guint i = 0; i < self->pending->len; i++)
    {
      SessionJob *sj = g_ptr_array_index (self->pending, i);
      if (sj->kind == kind && sj->item == item && (kind == WORK_STATS || sj->which == which)
          && current (self, sj))
        return TRUE;
    }
  return FALSE;
}

static void
ensure_stats (JxSession *self, JxDatasetItem *item)
{
  const JxJetStats *st = jx_dataset_item_get_stats (item);
  const JxClusterOptions *cl = jx_session_get_clustering (self);
  JxJobSpec spec = { .kind = JX_JOB_KIND_OBSERVABLES };
  g_autofree char *title = NULL;

  if ((st != NULL && jx_cluster_options_equal (&st->clustering, cl)) || pending (self, WORK_STATS, item, 0))
    return;
  title = g_strdup_printf (_("Observables of %s"), jx_dataset_item_get_title (item));
  start (self, WORK_STATS,
         jx_job_new (&spec, title, jx_task_stats, jx_stats_data_new (item, cl, self->threads),
                     jx_stats_data_free),
         item, NULL, 0);
}

static void
ensure_scores (JxSession *self, JxDatasetItem *item, int which)
{
  JxModelItem *m = self->model[which];
  JxEvalData *d;
  JxJobSpec spec = { .kind = JX_JOB_KIND_EVAL };
  g_autofree char *title = NULL;

  if (m == NULL)
    {
      if (jx_dataset_item_get_scores (item, which) != NULL)
        jx_dataset_item_take_scores (item, which, NULL, NULL);
      return;
    }
  if (jx_dataset_item_get_scored_with (item, which) == m || pending (self, WORK_SCORES, item, which))
    return;
  d = jx_eval_data_new (item, m, which);
  d->threads = self->threads;
  title = g_strdup_printf (_("Score %s with %s"), jx_dataset_item_get_title (item),
                           jx_model_item_get_title (m));
  start (self, WORK_SCORES, jx_job_new (&spec, title, jx_task_eval, d, jx_eval_data_free), item, m,
         which);
}

void
jx_session_update_jobs (JxSession *self)
{
  JxDatasetItem *items[4];

  g_return_if_fail (JX_IS_SESSION (self));

  if (self->pending == NULL)
    return;   /* disposed */
  /* Work for inputs no longer shown only costs time. */
  for (guint i = 0; i < self->pending->len; i++)
    {
      SessionJob *sj = g_ptr_array_index (self->pending, i);
      if (!current (self, sj))
        jx_job_cancel (sj->job);
    }
  items[0] = self->dataset;
  items[1] = self->signal;
  items[2] = self->background;
  items[3] = self->reweighted;
  for (int k = 0; k < 4; k++)
    {
      gboolean seen = FALSE;
      for (int j = 0; j < k; j++)
        seen = seen || items[j] == items[k];
      if (items[k] == NULL || seen)
        continue;
      ensure_stats (self, items[k]);
      if (k < 3)
        {
          ensure_scores (self, items[k], 0);
          ensure_scores (self, items[k], 1);
        }
    }
}
