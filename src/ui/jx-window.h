/* jx-window.h — the main window: library, jobs, jet browser and pages. */
#pragma once

#include <adwaita.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_WINDOW (jx_window_get_type ())
G_DECLARE_FINAL_TYPE (JxWindow, jx_window, JX, WINDOW, AdwApplicationWindow)

JxWindow  *jx_window_new (GtkApplication *application);
JxSession *jx_window_get_session (JxWindow *self);
/* Open a dataset or model file in a worker; the result lands in the library. */
void       jx_window_open_path (JxWindow *self, const char *path);
/* Built-in quark and Z samples and the shipped demo models. */
void       jx_window_load_demo (JxWindow *self);
/* Are any jobs running? */
gboolean   jx_window_is_busy (JxWindow *self);

G_END_DECLS
