/* jx-job.c — worker-thread jobs with coalesced progress (the Sysprof loader pattern). */
#define G_LOG_DOMAIN "jx-job"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jx-job.h"

struct _JxJob
{
  GObject parent_instance;

  char *title;
  JxJobSpec spec;         /* spec.item_title owned */
  JxJobFunc func;
  gpointer data;
  GDestroyNotify data_free;

  /* Main-thread copies, what the properties return */
  JxJobState state;
  double fraction;
  char *message;
  char *eta;
  char *error;
  char *summary;          /* what a finished job made, NULL: not said */
  gint64 started;
  gint64 ended;
  gsize n_history_seen;

  /* Written by the worker under mutex */
  GMutex mutex;
  double w_done, w_total;
  char *w_message;
  char *w_note;
  GArray *w_history;
  guint idle_id;

  /* Touched by both threads through atomics only */
  JxProgress progress;
  JxError err;
};

G_DEFINE_FINAL_TYPE (JxJob, jx_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_STATE,
  PROP_FRACTION,
  PROP_MESSAGE,
  PROP_ETA,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
format_eta (double seconds)
{
  if (!isfinite (seconds) || seconds < 0)
    return g_strdup ("");
  if (seconds < 60)
    return g_strdup_printf (_("ETA %.0f s"), ceil (seconds));
  if (seconds < 3600)
    return g_strdup_printf (_("ETA %d min %02d s"), (int) seconds / 60, (int) seconds % 60);
  return g_strdup_printf (_("ETA %d h %02d min"), (int) seconds / 3600, ((int) seconds / 60) % 60);
}

/* Main thread: copy what the worker left and notify. */
static gboolean
progress_idle (gpointer user_data)
{
  JxJob *self = user_data;
  double done, total;
  char *message;
  gsize n_history;

  g_mutex_lock (&self->mutex);
  done = self->w_done;
  total = self->w_total;
  message = g_steal_pointer (&self->w_message);
  n_history = self->w_history->len;
  self->idle_id = 0;
  g_mutex_unlock (&self->mutex);

  if (self->state != JX_JOB_RUNNING)
    {
      g_free (message);
      return G_SOURCE_REMOVE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (total > 0)
    {
      double f = CLAMP (done / total, 0.0, 1.0);
      double elapsed = (g_get_monotonic_time () - self->started) / 1e6;
      if (f != self->fraction)
        {
          self->fraction = f;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
        }
      /* An ETA from the first percent is noise; wait for some evidence. */
      g_free (self->eta);
      self->eta = f > 0.02 && elapsed > 0.5 ? format_eta (elapsed * (1 - f) / f) : g_strdup ("");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
    }
  if (message != NULL)
    {
      g_free (self->message);
      self->message = message;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  if (n_history != self->n_history_seen)
    {
      self->n_history_seen = n_history;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

/* Caller holds the mutex. One idle at a time, however often the worker reports. */
static void
schedule_idle_locked (JxJob *self)
{
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, progress_idle,
                                     g_object_ref (self), g_object_unref);
}

/* Worker thread. */
static void
progress_func (void *user, double done, double total, const char *message)
{
  JxJob *self = user;

  g_mutex_lock (&self->mutex);
  self->w_done = done;
  self->w_total = total;
  if (message != NULL)
    {
      g_free (self->w_message);
      self->w_message = g_strdup (message);
    }
  schedule_idle_locked (self);
  g_mutex_unlock (&self->mutex);
}

void
jx_job_push_epoch (JxJob *self, const JxEpochRecord *record)
{
  g_mutex_lock (&self->mutex);
  g_array_append_val (self->w_history, *record);
  schedule_idle_locked (self);
  g_mutex_unlock (&self->mutex);
}

void
jx_job_dup_history (JxJob *self, JxEpochRecord **records, gsize *n)
{
  g_return_if_fail (JX_IS_JOB (self));

  g_mutex_lock (&self->mutex);
  *n = self->w_history->len;
  *records = *n > 0 ? g_memdup2 (self->w_history->data, *n * sizeof (JxEpochRecord)) : NULL;
  g_mutex_unlock (&self->mutex);
}

static void
run_in_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  JxJob *self = task_data;
  int rc;

  /* Jobs yield the CPU to the main loop: a lower priority for this thread, which the core's own
   * worker threads inherit when they are created from it (Linux: nice is per thread). */
#ifdef SYS_gettid
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif
  rc = self->func (self, self->data, &self->progress, &self->err);
  if (rc == 0 && jx_progress_cancelled (&self->progress))
    rc = jx_error_set (&self->err, JX_ERR_CANCELLED, "cancelled");
  g_task_return_int (task, rc);
}

/* Main thread: the one message of a finished job, with what it made and what it left out. */
static void
set_done_message (JxJob *self)
{
  GString *message = g_string_new (NULL);
  const char *note = jx_job_get_note (self);

  g_string_printf (message, _("Done in %.1f s"), jx_job_get_seconds (self));
  if (self->summary != NULL)
    g_string_append_printf (message, " · %s", self->summary);
  if (note[0] != '\0')
    g_string_append_printf (message, " · %s", note);
  g_free (self->message);
  self->message = g_string_free (message, FALSE);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  JxJob *self = user_data;
  int rc = (int) g_task_propagate_int (G_TASK (result), NULL);

  progress_idle (g_object_ref (self));
  g_object_unref (self);
  self->ended = g_get_monotonic_time ();
  if (rc == 0)
    {
      self->state = JX_JOB_DONE;
      self->fraction = 1.0;
      set_done_message (self);
    }
  else if (rc == JX_ERR_CANCELLED)
    {
      self->state = JX_JOB_CANCELLED;
      g_free (self->message);
      self->message = g_strdup (_("Cancelled"));
    }
  else
    {
      self->state = JX_JOB_FAILED;
      self->error = g_strdup (self->err.message[0] ? self->err.message : jx_status_name (rc));
      g_free (self->message);
      self->message = g_strdup (self->error);
    }
  g_free (self->eta);
  self->eta = g_strdup ("");
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
  g_object_unref (self);
}

static void
jx_job_finalize (GObject *object)
{
  JxJob *self = JX_JOB (object);

  if (self->data_free != NULL && self->data != NULL)
    self->data_free (self->data);
  g_clear_pointer (&self->title, g_free);
  g_free ((char *) self->spec.item_title);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->eta, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->w_message, g_free);
  g_clear_pointer (&self->w_note, g_free);
  g_clear_pointer (&self->w_history, g_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (jx_job_parent_class)->finalize (object);
}

static void
jx_job_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JxJob *self = JX_JOB (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_ETA:
      g_value_set_string (value, self->eta);
      break;
    case PROP_HISTORY:
      g_value_set_uint (value, (guint) self->n_history_seen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jx_job_class_init (JxJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jx_job_finalize;
  object_class->get_property = jx_job_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, JX_JOB_PENDING, JX_JOB_CANCELLED, JX_JOB_PENDING,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ETA] =
    g_param_spec_string ("eta", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HISTORY] =
    g_param_spec_uint ("history", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
jx_job_init (JxJob *self)
{
  g_mutex_init (&self->mutex);
  self->w_history = g_array_new (FALSE, FALSE, sizeof (JxEpochRecord));
  self->message = g_strdup (_("Waiting"));
  self->eta = g_strdup ("");
  jx_progress_init (&self->progress, progress_func, self);
}

JxJob *
jx_job_new (const JxJobSpec *spec, const char *title, JxJobFunc func, gpointer data,
            GDestroyNotify data_free)
{
  JxJob *self;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (JX_TYPE_JOB, NULL);
  self->title = g_strdup (title);
  self->spec = *spec;
  self->spec.item_title = g_strdup (spec->item_title);
  self->func = func;
  self->data = data;
  self->data_free = data_free;
  return self;
}

void
jx_job_start (JxJob *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (JX_IS_JOB (self));
  g_return_if_fail (self->state == JX_JOB_PENDING);

  self->state = JX_JOB_RUNNING;
  self->started = g_get_monotonic_time ();
  g_free (self->message);
  self->message = g_strdup (_("Starting"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);

  /* The task data ref keeps the job alive in the worker; the callback's ref until the end. */
  task = g_task_new (NULL, NULL, run_done, g_object_ref (self));
  g_task_set_source_tag (task, jx_job_start);
  g_task_set_task_data (task, g_object_ref (self), g_object_unref);
  g_task_run_in_thread (task, run_in_thread);
}

void
jx_job_cancel (JxJob *self)
{
  g_return_if_fail (JX_IS_JOB (self));

  if (self->state == JX_JOB_RUNNING)
    {
      jx_progress_cancel (&self->progress);
      g_free (self->message);
      self->message = g_strdup (_("Cancelling…"));
      g_free (self->eta);
      self->eta = g_strdup ("");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETA]);
    }
}

void
jx_job_set_summary (JxJob *self, const char *summary)
{
  g_return_if_fail (JX_IS_JOB (self));
  g_return_if_fail (self->state == JX_JOB_DONE);

  g_free (self->summary);
  self->summary = g_strdup (summary);
  set_done_message (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

const char *
jx_job_get_title (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), NULL);
  return self->title;
}

const JxJobSpec *
jx_job_get_spec (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), NULL);
  return &self->spec;
}

JxJobKind
jx_job_get_kind (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), JX_JOB_KIND_LOAD);
  return self->spec.kind;
}

JxJobState
jx_job_get_state (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), JX_JOB_PENDING);
  return self->state;
}

gboolean
jx_job_is_running (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), FALSE);
  return self->state == JX_JOB_RUNNING;
}

double
jx_job_get_fraction (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), 0);
  return self->fraction;
}

const char *
jx_job_get_message (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), NULL);
  return self->message;
}

const char *
jx_job_get_eta (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), NULL);
  return self->eta;
}

const char *
jx_job_get_error (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), NULL);
  return self->error != NULL ? self->error : "";
}

gpointer
jx_job_get_data (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), NULL);
  return self->data;
}

double
jx_job_get_seconds (JxJob *self)
{
  g_return_val_if_fail (JX_IS_JOB (self), 0);
  if (self->started == 0)
    return 0;
  return ((self->ended ? self->ended : g_get_monotonic_time ()) - self->started) / 1e6;
}

void
jx_job_set_note (JxJob *self, const char *note)
{
  g_return_if_fail (JX_IS_JOB (self));

  g_mutex_lock (&self->mutex);
  g_free (self->w_note);
  self->w_note = g_strdup (note);
  g_mutex_unlock (&self->mutex);
}

const char *
jx_job_get_note (JxJob *self)
{
  const char *note;

  g_return_val_if_fail (JX_IS_JOB (self), "");

  /* Written by the worker before it returns, read on the main thread after: the lock orders
   * the two, and the string stays until the next set_note. */
  g_mutex_lock (&self->mutex);
  note = self->w_note != NULL ? self->w_note : "";
  g_mutex_unlock (&self->mutex);
  return note;
}
