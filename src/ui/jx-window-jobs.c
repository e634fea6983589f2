/* jx-window-jobs.c — starting jobs and taking their results on the main thread: opening files,
 * the demo, generation, training, evaluation, sampling, and the per-jet columns. */
#define G_LOG_DOMAIN "jx-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "jx-application.h"
#include "jx-demo-models.h"
#include "jx-window-private.h"
#ifdef HAVE_JX_PLOTS_PAGE
#include "jx-plots-page.h"
#endif

#define DEMO_JETS 2000
#define DEMO_VERSION 1

void
_jx_window_toast (JxWindow *self, const char *text, guint timeout)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  _jx_window_test_log (self, "toast %s", text);
}

int
_jx_window_get_threads (JxWindow *self)
{
  return self->settings != NULL ? g_settings_get_int (self->settings, "threads") : 0;
}

/* A fresh file name in the user's data directory: results never overwrite earlier ones. */
char *
_jx_window_output_path (JxWindow *self, const char *stem)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "junipr-explorer", NULL);

  g_mkdir_with_parents (dir, 0755);
  for (int i = 1;; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf ("%s.h5", stem)
                                     : g_strdup_printf ("%s-%d.h5", stem, i);
      char *path = g_build_filename (dir, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}

void
_jx_window_add_item (JxWindow *self, GObject *item)
{
  g_list_store_append (self->library, item);
  if (JX_IS_DATASET_ITEM (item))
    jx_session_offer_dataset (self->session, JX_DATASET_ITEM (item));
  else if (JX_IS_MODEL_ITEM (item))
    {
      if (jx_session_get_model_a (self->session) == NULL)
        jx_session_set_model_a (self->session, JX_MODEL_ITEM (item));
      else if (jx_session_get_model_b (self->session) == NULL)
        jx_session_set_model_b (self->session, JX_MODEL_ITEM (item));
    }
}

static void
add_recent (JxWindow *self, const char *path)
{
  g_auto (GStrv) old = NULL;
  g_autoptr (GStrvBuilder) b = NULL;
  g_auto (GStrv) recent = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;
  old = g_settings_get_strv (self->settings, "recent-files");
  b = g_strv_builder_new ();
  g_strv_builder_add (b, path);
  for (guint i = 0; old[i] != NULL && n < 10; i++)
    if (strcmp (old[i], path) != 0)
      {
        g_strv_builder_add (b, old[i]);
        n++;
      }
  recent = g_strv_builder_end (b);
  g_settings_set_strv (self->settings, "recent-files", (const char *const *) recent);
}

/* The shown datasets' tables and scores are the session's to keep current. */
void
_jx_window_update_scores (JxWindow *self)
{
  jx_session_update_jobs (self->session);
}

/* Jobs of the session and the pages: listed and started here, their results are theirs. */
gboolean
_jx_window_run_job (JxSession *session, JxJob *job, const char *what, JxWindow *self)
{
  JxJobKind kind = g_strcmp0 (what, "eval") == 0 ? JX_JOB_KIND_EVAL
                   : g_strcmp0 (what, "observables") == 0 ? JX_JOB_KIND_OBSERVABLES
                   : JX_JOB_KIND_ANALYSIS;

  _jx_window_add_job (self, job, kind);
  return TRUE;
}

static void
demo_step_done (JxWindow *self)
{
  if (self->demo_pending > 0 && --self->demo_pending == 0)
    {
      gtk_label_set_text (self->status_label, _("Demo ready: Z jets (signal) vs quark jets "
                                                 "(background), Z model A, quark model B"));
      _jx_window_test_log (self, "demo-ready");
    }
}

/* Demo items arrive in any order; their roles (space-separated) say where they go. */
static void
apply_role (JxWindow *self, JxJob *job, GObject *item)
{
  const char *roles = g_object_get_data (G_OBJECT (job), "jx-role");
  g_auto (GStrv) role = roles != NULL ? g_strsplit (roles, " ", -1) : NULL;

  for (guint i = 0; role != NULL && role[i] != NULL; i++)
    {
      if (strcmp (role[i], "select") == 0 && JX_IS_DATASET_ITEM (item))
        jx_session_set_dataset (self->session, JX_DATASET_ITEM (item));
      else if (strcmp (role[i], "signal") == 0 && JX_IS_DATASET_ITEM (item))
        jx_session_set_signal (self->session, JX_DATASET_ITEM (item));
      else if (strcmp (role[i], "background") == 0 && JX_IS_DATASET_ITEM (item))
        jx_session_set_background (self->session, JX_DATASET_ITEM (item));
      else if (strcmp (role[i], "a") == 0 && JX_IS_MODEL_ITEM (item))
        {
          if (jx_session_get_model_b (self->session) == JX_MODEL_ITEM (item))
            jx_session_set_model_b (self->session, NULL);
          jx_session_set_model_a (self->session, JX_MODEL_ITEM (item));
        }
      else if (strcmp (role[i], "b") == 0 && JX_IS_MODEL_ITEM (item))
        {
          if (jx_session_get_model_a (self->session) == JX_MODEL_ITEM (item))
            jx_session_set_model_a (self->session, NULL);
          jx_session_set_model_b (self->session, JX_MODEL_ITEM (item));
        }
    }
}

static void
take_results (JxWindow *self, JxJob *job, JxJobKind kind)
{
  gpointer data = jx_job_get_data (job);

  switch (kind)
    {
    case JX_JOB_KIND_LOAD:
      {
        JxLoadData *d = data;
        g_autoptr (GObject) item = NULL;
        if (strcmp (d->kind, "junipr-dataset") == 0)
          item = G_OBJECT (jx_dataset_item_new (&d->ds, d->path,
                                                g_object_get_data (G_OBJECT (job), "jx-title")));
        else
          {
            item = G_OBJECT (jx_model_item_new (d->model, &d->meta, d->path));
            d->model = NULL;
          }
        if (g_object_get_data (G_OBJECT (job), "jx-demo") == NULL)
          add_recent (self, d->path);
        _jx_window_add_item (self, item);
        apply_role (self, job, item);
        break;
      }
    case JX_JOB_KIND_GENERATE:
      {
        JxGenerateData *d = data;
        g_autoptr (JxDatasetItem) item =
          jx_dataset_item_new (&d->out, d->output, g_object_get_data (G_OBJECT (job), "jx-title"));
        _jx_window_add_item (self, G_OBJECT (item));
        apply_role (self, job, G_OBJECT (item));
        break;
      }
    case JX_JOB_KIND_OBSERVABLES:
    case JX_JOB_KIND_ANALYSIS:
      break;   /* taken by whoever started the job */
    case JX_JOB_KIND_TRAIN:
      {
        JxTrainData *d = data;
        g_autoptr (JxModelItem) item = jx_model_item_new (d->model, &d->meta, d->output);
        d->model = NULL;
        _jx_window_add_item (self, G_OBJECT (item));
        break;
      }
    case JX_JOB_KIND_EVAL:
      {
        JxEvalData *d = data;
        JxModelItem *now = d->which == 0 ? jx_session_get_model_a (self->session)
                                         : jx_session_get_model_b (self->session);
        /* The user may have picked another model meanwhile: keep only current scores. The
         * session takes those of the jobs it started itself (log_p is then gone). */
        if (now == d->model && d->log_p != NULL)
          jx_dataset_item_take_scores (d->data, d->which, g_steal_pointer (&d->log_p), d->model);
        break;
      }
    case JX_JOB_KIND_SAMPLE:
      {
        JxSampleData *d = data;
        g_autofree char *title = g_strdup_printf (_("Sampled from %s"),
                                                  jx_model_item_get_title (d->model));
        g_autoptr (JxDatasetItem) item = jx_dataset_item_new (&d->out, d->output, title);
        _jx_window_add_item (self, G_OBJECT (item));
        break;
      }
    case JX_JOB_KIND_REWEIGHT:
      {
        JxReweightData *d = data;
        g_autofree char *title = g_strdup_printf (_("%s reweighted to %s"),
                                                  jx_dataset_item_get_title (d->data),
                                                  jx_model_item_get_title (d->target));
        g_autoptr (JxDatasetItem) item = jx_dataset_item_new (&d->out, d->output, title);
        _jx_window_add_item (self, G_OBJECT (item));
        /* The Plots page shows it as the reweighted sample, with the job's weights. */
        jx_session_set_reweighted (self->session, item);
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

static int
compare_gap (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static void
on_job_finished (JxJob *job, JxWindow *self)
{
  JxJobKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (job), "jx-kind"));
  gboolean quiet = kind == JX_JOB_KIND_OBSERVABLES || kind == JX_JOB_KIND_EVAL
                   || kind == JX_JOB_KIND_ANALYSIS
                   || g_object_get_data (G_OBJECT (job), "jx-demo") != NULL;
  const char *note = jx_job_get_note (job);
  g_autofree char *text = NULL;

  switch (jx_job_get_state (job))
    {
    case JX_JOB_DONE:
      take_results (self, job, kind);
      if (!quiet)
        {
          /* What the job left out is part of its result. */
          text = note[0] != '\0' ? g_strdup_printf (_("%s: done; %s"), jx_job_get_title (job), note)
                                 : g_strdup_printf (_("%s: done"), jx_job_get_title (job));
          _jx_window_toast (self, text, note[0] != '\0' ? 10 : 5);
        }
      break;
    case JX_JOB_CANCELLED:
      text = g_strdup_printf (_("%s: cancelled"), jx_job_get_title (job));
      _jx_window_toast (self, text, 5);
      break;
    case JX_JOB_FAILED:
      text = g_strdup_printf (_("%s failed: %s"), jx_job_get_title (job), jx_job_get_error (job));
      _jx_window_toast (self, text, 15);
      break;
    case JX_JOB_PENDING:
    case JX_JOB_RUNNING:
    default:
      g_assert_not_reached ();
    }
  if (kind == JX_JOB_KIND_TRAIN)
    {
      /* Frame intervals: a blocked main loop shows as a long gap between frame-clock ticks. */
      guint n = self->gaps->len, over50 = 0;
      gint64 p99 = 0;
      if (n > 0)
        {
          g_array_sort (self->gaps, compare_gap);
          p99 = g_array_index (self->gaps, gint64, MIN (n - 1, (guint) (0.99 * n)));
          for (guint i = 0; i < n; i++)
            over50 += g_array_index (self->gaps, gint64, i) > 50000;
        }
      _jx_window_test_log (self, "stall job=train state=%d frames=%u max-gap-ms=%.1f "
                           "p99-gap-ms=%.1f gaps-over-50ms=%u seconds=%.1f",
                           jx_job_get_state (job), n, self->max_gap / 1000.0, p99 / 1000.0,
                           over50, jx_job_get_seconds (job));
    }
  if (g_object_get_data (G_OBJECT (job), "jx-demo") != NULL)
    demo_step_done (self);
  _jx_window_test_log (self, "job-finished kind=%d state=%d title=%s", kind,
                       jx_job_get_state (job), jx_job_get_title (job));
  if (kind != JX_JOB_KIND_EVAL)
    _jx_window_update_scores (self);
}

void
_jx_window_add_job (JxWindow *self, JxJob *job, JxJobKind kind)
{
  g_object_set_data (G_OBJECT (job), "jx-kind", GINT_TO_POINTER (kind));
  g_signal_connect (job, "finished", G_CALLBACK (on_job_finished), self);
  if (kind == JX_JOB_KIND_TRAIN)
    {
      g_set_object (&self->training_job, job);
#ifdef HAVE_JX_PLOTS_PAGE
      jx_plots_page_set_training_job (JX_PLOTS_PAGE (self->plots_page), job);
#endif
      self->max_gap = 0;
      self->n_frames = 0;
      g_array_set_size (self->gaps, 0);
    }
  g_list_store_insert (self->jobs, 0, job);
  jx_job_start (job);
  _jx_window_test_log (self, "job-started kind=%d title=%s", kind, jx_job_get_title (job));
}

void
jx_window_open_path (JxWindow *self, const char *path)
{
  g_autofree char *base = NULL;
  g_autofree char *title = NULL;
  g_autoptr (JxJob) job = NULL;

  g_return_if_fail (JX_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  base = g_path_get_basename (path);
  title = g_strdup_printf (_("Open %s"), base);
  job = jx_job_new (title, jx_task_load, jx_load_data_new (path), jx_load_data_free);
  _jx_window_add_job (self, job, JX_JOB_KIND_LOAD);
}

/* ---- the demo ---- */

static void
demo_sample (JxWindow *self, JxProcess process, const char *stem, const char *title,
             const char *role)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "junipr-explorer", NULL);
  g_autofree char *name = g_strdup_printf ("%s-v%d.h5", stem, DEMO_VERSION);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (JxJob) job = NULL;
  JxError err = { 0 };
  JxDatasetInfo info;

  g_mkdir_with_parents (dir, 0755);
  /* A cached sample that cannot be read is made again rather than reported. */
  if (jx_dataset_probe (path, &info, &err) == 0 && info.n_jets == DEMO_JETS)
    {
      g_autofree char *jt = g_strdup_printf (_("Open %s"), title);
      job = jx_job_new (jt, jx_task_load, jx_load_data_new (path), jx_load_data_free);
      g_object_set_data (G_OBJECT (job), "jx-demo", GINT_TO_POINTER (1));
      g_object_set_data_full (G_OBJECT (job), "jx-title", g_strdup (title), g_free);
      g_object_set_data (G_OBJECT (job), "jx-role", (gpointer) role);
      self->demo_pending++;
      _jx_window_add_job (self, job, JX_JOB_KIND_LOAD);
    }
  else
    {
      JxGenerateData *d = jx_generate_data_new ();
      g_autofree char *jt = g_strdup_printf (_("Generate %s"), title);
      d->cfg.process = process;
      d->cfg.seed = process == JX_PROCESS_QQ ? 2018 : 2019;
      d->cfg.threads = _jx_window_get_threads (self);
      d->n_jets = DEMO_JETS;
      d->output = g_strdup (path);
      job = jx_job_new (jt, jx_task_generate, d, jx_generate_data_free);
      g_object_set_data (G_OBJECT (job), "jx-demo", GINT_TO_POINTER (1));
      g_object_set_data_full (G_OBJECT (job), "jx-title", g_strdup (title), g_free);
      g_object_set_data (G_OBJECT (job), "jx-role", (gpointer) role);
      self->demo_pending++;
      _jx_window_add_job (self, job, JX_JOB_KIND_GENERATE);
    }
}

static void
demo_model (JxWindow *self, const char *dir, const char *file, const char *role)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *title = g_strdup_printf (_("Open %s"), file);
  g_autoptr (JxJob) job = jx_job_new (title, jx_task_load, jx_load_data_new (path),
                                      jx_load_data_free);

  g_object_set_data (G_OBJECT (job), "jx-demo", GINT_TO_POINTER (1));
  g_object_set_data (G_OBJECT (job), "jx-role", (gpointer) role);
  self->demo_pending++;
  _jx_window_add_job (self, job, JX_JOB_KIND_LOAD);
}

void
jx_window_load_demo (JxWindow *self)
{
  g_autofree char *models = NULL;

  g_return_if_fail (JX_IS_WINDOW (self));

  gtk_label_set_text (self->status_label, _("Preparing the demo…"));
  /* The paper's discrimination: Z jets are the signal, model A = P_Z, B = P_q. */
  demo_sample (self, JX_PROCESS_QQ, "demo-quarks", _("Quark jets (demo)"), "select background");
  demo_sample (self, JX_PROCESS_ZZ, "demo-z", _("Z jets (demo)"), "signal");
  models = jx_demo_models_dir ();
  if (models != NULL)
    {
      demo_model (self, models, "z-model.h5", "a");
      demo_model (self, models, "quark-model.h5", "b");
    }
  else
    _jx_window_toast (self, _("Demo models not found: set JUNIPR_EXPLORER_MODELS to the "
                              "data/models directory"), 10);
}
