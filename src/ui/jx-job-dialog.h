/* jx-job-dialog.h — a dialog with the CLI's options for one kind of job ("generate", "train",
 * "evaluate", "sample", "reweight"); Start hands a job to the window. */
#pragma once

#include <adwaita.h>

#include "jx-window.h"

G_BEGIN_DECLS

#define JX_TYPE_JOB_DIALOG (jx_job_dialog_get_type ())
G_DECLARE_FINAL_TYPE (JxJobDialog, jx_job_dialog, JX, JOB_DIALOG, AdwWindow)

/* NULL (and a toast) when the job needs something the library does not have yet. */
GtkWindow *jx_job_dialog_new (JxWindow *window, const char *kind);

G_END_DECLS
