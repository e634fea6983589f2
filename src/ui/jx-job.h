/* jx-job.h — one piece of long work (generate, train, evaluate, sample, load) run in a worker
 * thread. The worker reports through a JxProgress; the numbers are copied under a mutex and
 * handed to the main loop by one coalesced idle, which notifies "fraction", "message", "eta".
 * Properties and signals fire on the main thread only. */
#pragma once

#include <gio/gio.h>

#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-progress.h"

G_BEGIN_DECLS

typedef enum {
  JX_JOB_PENDING = 0,
  JX_JOB_RUNNING,
  JX_JOB_DONE,
  JX_JOB_FAILED,
  JX_JOB_CANCELLED,
} JxJobState;

#define JX_TYPE_JOB (jx_job_get_type ())
G_DECLARE_FINAL_TYPE (JxJob, jx_job, JX, JOB, GObject)

/* Runs in the worker thread: do the work with data, report through progress, fill err and
 * return negative on failure (JX_ERR_CANCELLED when cancelled). Never touch widgets here. */
typedef int (*JxJobFunc) (JxJob *job, gpointer data, JxProgress *progress, JxError *err);

JxJob      *jx_job_new (const char *title, JxJobFunc func, gpointer data, GDestroyNotify data_free);
void        jx_job_start (JxJob *self);
void        jx_job_cancel (JxJob *self);

const char *jx_job_get_title (JxJob *self);
JxJobState  jx_job_get_state (JxJob *self);
gboolean    jx_job_is_running (JxJob *self);
double      jx_job_get_fraction (JxJob *self);
const char *jx_job_get_message (JxJob *self);
const char *jx_job_get_eta (JxJob *self);       /* "ETA 12 s" or "" */
const char *jx_job_get_error (JxJob *self);     /* the error line after a failure, else "" */
gpointer    jx_job_get_data (JxJob *self);
double      jx_job_get_seconds (JxJob *self);   /* wall time of the run so far */

/* Either side: one line about what the job left out ("29 jets cannot seed a shower"), shown
 * after "Done" in the job's message and in the toast; "" when there is none. */
void        jx_job_set_note (JxJob *self, const char *note);
const char *jx_job_get_note (JxJob *self);

/* Worker side: append an epoch record (training); the main loop gets notify::history. */
void        jx_job_push_epoch (JxJob *self, const JxEpochRecord *record);
/* Main thread: a copy of the epoch records so far (g_free *records). */
void        jx_job_dup_history (JxJob *self, JxEpochRecord **records, gsize *n);

G_END_DECLS
