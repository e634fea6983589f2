/* jx-job-row.h — a job in the jobs panel: title, progress bar, message and ETA, cancel. */
#pragma once

#include <gtk/gtk.h>

#include "jx-job.h"

G_BEGIN_DECLS

#define JX_TYPE_JOB_ROW (jx_job_row_get_type ())
G_DECLARE_FINAL_TYPE (JxJobRow, jx_job_row, JX, JOB_ROW, GtkBox)

GtkWidget *jx_job_row_new (JxJob *job);
JxJob     *jx_job_row_get_job (JxJobRow *self);

G_END_DECLS
