/* jx-window-jobs.c — starting jobs and taking their results on the main thread: opening files,
 * the demo, generation, training, evaluation, sampling, and the per-jet columns. */
#define G_LOG_DOMAIN "jx-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "jx-application.h"
#include "jx-demo-models.h"
#include "jx-plots-page.h"
#include "jx-window-private.h"

#define DEMO_JETS 2000
/* Part of the cached samples' file names: 2 = hadron level (issue #14), so the parton-level
 * samples cached by earlier versions are made again rather than reused. */
#define DEMO_VERSION 2

void
_jx_window_toast (JxWindow *self, const char *text, guint timeout)
{
  _jx_window_toast_full (self, text, timeout, ADW_TOAST_PRIORITY_NORMAL);
}

/* A warning the user must see now (ADW_TOAST_PRIORITY_HIGH) goes before the queued "done"
 * toasts, which otherwise hold it back by their timeouts (longer still while the window is
 * not focused). */
void
_jx_window_toast_full (JxWindow *self, const char *text, guint timeout, AdwToastPriority priority)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_priority (toast, priority);
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
_jx_window_run_job (JxSession *session, JxJob *job, JxWindow *self)
{
  _jx_window_add_job (self, job);
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

/* Items arrive in any order; their job's roles say where they go. */
static void
apply_role (JxWindow *self, JxJob *job, GObject *item)
{
  JxJobRole role = jx_job_get_spec (job)->role;

  if ((role & JX_JOB_ROLE_SELECT) && JX_IS_DATASET_ITEM (item))
    jx_session_set_dataset (self->session, JX_DATASET_ITEM (item));
  if ((role & JX_JOB_ROLE_SIGNAL) && JX_IS_DATASET_ITEM (item))
    jx_session_set_signal (self->session, JX_DATASET_ITEM (item));
  if ((role & JX_JOB_ROLE_BACKGROUND) && JX_IS_DATASET_ITEM (item))
    jx_session_set_background (self->session, JX_DATASET_ITEM (item));
  if ((role & JX_JOB_ROLE_MODEL_A) && JX_IS_MODEL_ITEM (item))
    {
      if (jx_session_get_model_b (self->session) == JX_MODEL_ITEM (item))
        jx_session_set_model_b (self->session, NULL);
      jx_session_set_model_a (self->session, JX_MODEL_ITEM (item));
    }
  else if ((role & JX_JOB_ROLE_MODEL_B) && JX_IS_MODEL_ITEM (item))
    {
      if (jx_session_get_model_a (self->session) == JX_MODEL_ITEM (item))
        jx_session_set_model_a (self->session, NULL);
      jx_session_set_model_b (self->session, JX_MODEL_ITEM (item));
    }
}

/* A JUNIPR-binary pair opens as its two models, signal as A and background as B, so the
 * per-node likelihood-ratio view shows the fine-tuned pair. */
static void
open_pair (JxWindow *self, JxModelItem *signal, JxLoadData *d)
{
  g_autofree char *base = g_path_get_basename (d->path);
  g_autofree char *title_s = g_strdup_printf (_("%s (signal)"), base);
  g_autofree char *title_b = g_strdup_printf (_("%s (background)"), base);
  g_autoptr (JxModelItem) background = jx_model_item_new (d->model_b, &d->meta_b, d->path);
  d->model_b = NULL;
  jx_model_item_set_title (signal, title_s);
  jx_model_item_set_title (background, title_b);
  _jx_window_add_item (self, G_OBJECT (signal));
  _jx_window_add_item (self, G_OBJECT (background));
  jx_session_set_model_a (self->session, signal);
  jx_session_set_model_b (self->session, background);
}

static void
take_results (JxWindow *self, JxJob *job)
{
  const JxJobSpec *spec = jx_job_get_spec (job);
  gpointer data = jx_job_get_data (job);

  switch (spec->kind)
    {
    case JX_JOB_KIND_LOAD:
      {
        JxLoadData *d = data;
        g_autoptr (GObject) item = NULL;
        if (strcmp (d->kind, "junipr-dataset") == 0 && d->stream != NULL)
          item = G_OBJECT (jx_dataset_item_new_streamed (g_steal_pointer (&d->stream), &d->ds,
                                                         spec->item_title));
        else if (strcmp (d->kind, "junipr-dataset") == 0)
          item = G_OBJECT (jx_dataset_item_new (&d->ds, d->path, spec->item_title));
        else
          {
            item = G_OBJECT (jx_model_item_new (d->model, &d->meta, d->path));
            d->model = NULL;
          }
        if (!spec->demo)
          add_recent (self, d->path);
        if (d->model_b != NULL)
          {
            open_pair (self, JX_MODEL_ITEM (item), d);
            break;
          }
        _jx_window_add_item (self, item);
        apply_role (self, job, item);
        break;
      }
    case JX_JOB_KIND_GENERATE:
      {
        JxGenerateData *d = data;
        g_autoptr (JxDatasetItem) item = jx_dataset_item_new (&d->out, d->output, spec->item_title);
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
        if (d->output != NULL && spec->role != JX_JOB_ROLE_NONE)
          {
            /* Asked for in the dialog: the scores first, so the model's arrival as A or B
             * finds them and does not score again. */
            jx_dataset_item_take_scores (d->data, d->which, g_steal_pointer (&d->log_p), d->model);
            apply_role (self, job, G_OBJECT (d->model));
          }
        /* The session takes the scores of the jobs it started itself (log_p is then gone);
         * the user may have picked another model meanwhile: keep only current scores. */
        else if (d->output == NULL && now == d->model && d->log_p != NULL)
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

/* Jobs the window, the session and the pages start on their own (the browser's columns, the
 * tables, the pages' plots, the demo) finish without a toast. */
static gboolean
is_background (JxJob *job)
{
  const JxJobSpec *spec = jx_job_get_spec (job);

  if (spec->kind == JX_JOB_KIND_EVAL)
    return ((JxEvalData *) jx_job_get_data (job))->output == NULL;
  return spec->kind == JX_JOB_KIND_OBSERVABLES || spec->kind == JX_JOB_KIND_ANALYSIS || spec->demo;
}

/* What a finished job made, for its row (file with its folder) or its toast (file name only);
 * NULL when its title says it all. */
static char *
result_summary (JxJob *job, gboolean full_path)
{
  gpointer data = jx_job_get_data (job);
  const char *output = NULL;
  g_autofree char *what = NULL;
  g_autofree char *file = NULL;

  switch (jx_job_get_kind (job))
    {
    case JX_JOB_KIND_GENERATE:
      output = ((JxGenerateData *) data)->output;
      what = g_strdup_printf (_("%zu jets"), ((JxGenerateData *) data)->out.n_jets);
      break;
    case JX_JOB_KIND_TRAIN:
      output = ((JxTrainData *) data)->output;
      what = g_strdup (_("model"));
      break;
    case JX_JOB_KIND_EVAL:
      output = ((JxEvalData *) data)->output;
      what = g_strdup (_("scores"));
      break;
    case JX_JOB_KIND_SAMPLE:
      output = ((JxSampleData *) data)->output;
      what = g_strdup_printf (_("%zu jets"), ((JxSampleData *) data)->out.n_jets);
      break;
    case JX_JOB_KIND_REWEIGHT:
      {
        JxReweightData *d = data;
        output = d->output;
        what = g_strdup_printf (_("effective sample size %.0f of %zu jets, %zu weights above the "
                                  "clip discarded;"), d->ess, d->out.n_jets, d->n_clipped);
        break;
      }
    case JX_JOB_KIND_LOAD:
    case JX_JOB_KIND_OBSERVABLES:
    case JX_JOB_KIND_ANALYSIS:
    default:
      return NULL;
    }
  file = full_path ? g_strdup (output) : g_path_get_basename (output);
  return g_strdup_printf (_("%s in %s"), what, file);
}

static void
on_job_finished (JxJob *job, JxWindow *self)
{
  const JxJobSpec *spec = jx_job_get_spec (job);
  gboolean quiet = is_background (job);
  const char *note = jx_job_get_note (job);
  g_autofree char *text = NULL;

  switch (jx_job_get_state (job))
    {
    case JX_JOB_DONE:
      {
        g_autofree char *summary = quiet ? NULL : result_summary (job, TRUE);
        g_autofree char *brief = quiet ? NULL : result_summary (job, FALSE);
        g_autoptr (GString) toast = g_string_new (NULL);

        if (summary != NULL)
          jx_job_set_summary (job, summary);
        take_results (self, job);
        if (!quiet)
          {
            /* What the job made and what it left out are both part of its result. */
            g_string_printf (toast, _("%s: done"), jx_job_get_title (job));
            if (brief != NULL)
              g_string_append_printf (toast, " — %s", brief);
            if (note[0] != '\0')
              g_string_append_printf (toast, "; %s", note);
            _jx_window_toast (self, toast->str, note[0] != '\0' ? 10 : 8);
          }
        break;
      }
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
  /* The Plots page keeps the curve of the last training job with how it ended. */
  if (spec->kind == JX_JOB_KIND_TRAIN && job == self->training_job)
    g_clear_object (&self->training_job);
  if (spec->demo)
    demo_step_done (self);
  _jx_window_test_job_finished (self, job);
  if (spec->kind != JX_JOB_KIND_EVAL)
    _jx_window_update_scores (self);
}

void
_jx_window_add_job (JxWindow *self, JxJob *job)
{
  g_signal_connect (job, "finished", G_CALLBACK (on_job_finished), self);
  if (jx_job_get_kind (job) == JX_JOB_KIND_TRAIN)
    {
      g_set_object (&self->training_job, job);
      jx_plots_page_set_training_job (JX_PLOTS_PAGE (self->plots_page), job);
    }
  g_list_store_insert (self->jobs, 0, job);
  jx_job_start (job);
  _jx_window_test_job_started (self, job);
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
  /* A dataset the user opens is the one they want to see: it becomes the browsed dataset (its
   * observables and scores follow as the session's jobs). */
  job = jx_job_new (&(JxJobSpec) { .kind = JX_JOB_KIND_LOAD, .role = JX_JOB_ROLE_SELECT }, title,
                    jx_task_load, jx_load_data_new (path), jx_load_data_free);
  _jx_window_add_job (self, job);
}

/* ---- the demo ---- */

static void
demo_sample (JxWindow *self, JxProcess process, const char *stem, const char *title,
             JxJobRole role)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "junipr-explorer", NULL);
  g_autofree char *name = g_strdup_printf ("%s-v%d.h5", stem, DEMO_VERSION);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (JxJob) job = NULL;
  JxError err = { 0 };
  JxDatasetInfo info;
  JxJobSpec spec = { .role = role, .demo = TRUE, .item_title = title };

  g_mkdir_with_parents (dir, 0755);
  /* A cached sample that cannot be read is made again rather than reported. */
  if (jx_dataset_probe (path, &info, &err) == 0 && info.n_jets == DEMO_JETS)
    {
      g_autofree char *jt = g_strdup_printf (_("Open %s"), title);
      spec.kind = JX_JOB_KIND_LOAD;
      job = jx_job_new (&spec, jt, jx_task_load, jx_load_data_new (path), jx_load_data_free);
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
      spec.kind = JX_JOB_KIND_GENERATE;
      job = jx_job_new (&spec, jt, jx_task_generate, d, jx_generate_data_free);
    }
  self->demo_pending++;
  _jx_window_add_job (self, job);
}

static void
demo_model (JxWindow *self, const char *dir, const char *file, JxJobRole role)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *title = g_strdup_printf (_("Open %s"), file);
  JxJobSpec spec = { .kind = JX_JOB_KIND_LOAD, .role = role, .demo = TRUE };
  g_autoptr (JxJob) job = jx_job_new (&spec, title, jx_task_load, jx_load_data_new (path),
                                      jx_load_data_free);

  self->demo_pending++;
  _jx_window_add_job (self, job);
}

void
jx_window_load_demo (JxWindow *self)
{
  g_autofree char *models = NULL;

  g_return_if_fail (JX_IS_WINDOW (self));

  gtk_label_set_text (self->status_label, _("Preparing the demo…"));
  /* The paper's discrimination: Z jets are the signal, model A = P_Z, B = P_q. */
  demo_sample (self, JX_PROCESS_QQ, "demo-quarks", _("Quark jets (demo)"),
               JX_JOB_ROLE_SELECT | JX_JOB_ROLE_BACKGROUND);
  demo_sample (self, JX_PROCESS_ZZ, "demo-z", _("Z jets (demo)"), JX_JOB_ROLE_SIGNAL);
  models = jx_demo_models_dir ();
  if (models != NULL)
    {
      demo_model (self, models, "z-model.h5", JX_JOB_ROLE_MODEL_A);
      demo_model (self, models, "quark-model.h5", JX_JOB_ROLE_MODEL_B);
    }
  else
    _jx_window_toast (self, _("Demo models not found: set JUNIPR_EXPLORER_MODELS to the "
                              "data/models directory"), 10);
}
