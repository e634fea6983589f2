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

/* What a job does. The numbers appear in the --test-mode log ("job-finished kind=3"):
 * append new kinds at the end. */
typedef enum {
  JX_JOB_KIND_LOAD,
  JX_JOB_KIND_GENERATE,
  JX_JOB_KIND_OBSERVABLES,
  JX_JOB_KIND_TRAIN,
  JX_JOB_KIND_EVAL,
  JX_JOB_KIND_SAMPLE,
  JX_JOB_KIND_REWEIGHT,
  JX_JOB_KIND_ANALYSIS,   /* the session's and the pages' own work: they take the results */
} JxJobKind;

/* Where the result goes besides the library (the demo puts its items in place). Flags: a
 * dataset may be both the browsed one and the background. */
typedef enum {
  JX_JOB_ROLE_NONE       = 0,
  JX_JOB_ROLE_SELECT     = 1 << 0,  /* a dataset that becomes the current one */
  JX_JOB_ROLE_MODEL_A    = 1 << 1,  /* a model that becomes model A (and stops being B) */
  JX_JOB_ROLE_MODEL_B    = 1 << 2,
  JX_JOB_ROLE_SIGNAL     = 1 << 3,  /* a dataset that becomes the signal sample */
  JX_JOB_ROLE_BACKGROUND = 1 << 4,  /* ... the background sample */
} JxJobRole;

/* The description of a job, fixed when it is made. Its inputs and results are the data
 * handed to jx_job_new (a JxGenerateData for JX_JOB_KIND_GENERATE, ... see jx-tasks.h). */
typedef struct {
  JxJobKind kind;
  JxJobRole role;         /* flags */
  gboolean demo;          /* part of the demo: no toast of its own, not a recent file */
  const char *item_title; /* the library title of the result; NULL: the file's name */
} JxJobSpec;

#define JX_TYPE_JOB (jx_job_get_type ())
G_DECLARE_FINAL_TYPE (JxJob, jx_job, JX, JOB, GObject)

/* Runs in the worker thread: do the work with data, report through progress, fill err and
 * return negative on failure (JX_ERR_CANCELLED when cancelled). Never touch widgets here. */
typedef int (*JxJobFunc) (JxJob *job, gpointer data, JxProgress *progress, JxError *err);

/* spec is copied. */
JxJob      *jx_job_new (const JxJobSpec *spec, const char *title, JxJobFunc func, gpointer data,
                        GDestroyNotify data_free);
void        jx_job_start (JxJob *self);
void        jx_job_cancel (JxJob *self);

const char *jx_job_get_title (JxJob *self);
const JxJobSpec *jx_job_get_spec (JxJob *self);
JxJobKind   jx_job_get_kind (JxJob *self);
JxJobState  jx_job_get_state (JxJob *self);
gboolean    jx_job_is_running (JxJob *self);
double      jx_job_get_fraction (JxJob *self);
const char *jx_job_get_message (JxJob *self);
const char *jx_job_get_eta (JxJob *self);       /* "ETA 12 s" or "" */
const char *jx_job_get_error (JxJob *self);     /* the error line after a failure, else "" */
gpointer    jx_job_get_data (JxJob *self);
double      jx_job_get_seconds (JxJob *self);   /* wall time of the run so far */

/* Either side: one line about what the job left out ("29 jets cannot seed a shower"); "" when
 * there is none. */
void        jx_job_set_note (JxJob *self, const char *note);
const char *jx_job_get_note (JxJob *self);
/* Main thread, after the job finished: what came out. The message of a finished job says both,
 * the summary then the note ("Done in 2.1 s · 2000 jets in x.h5 · 29 jets cannot seed a
 * shower"). */
void        jx_job_set_summary (JxJob *self, const char *summary);

/* Worker side: append an epoch record (training); the main loop gets notify::history. */
void        jx_job_push_epoch (JxJob *self, const JxEpochRecord *record);
/* Main thread: a copy of the epoch records so far (g_free *records). */
void        jx_job_dup_history (JxJob *self, JxEpochRecord **records, gsize *n);

G_END_DECLS
