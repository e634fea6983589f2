/* jx-application.h — the AdwApplication: app actions, shortcuts, settings, command line. */
#pragma once

#include <adwaita.h>

#include "jx-colormap.h"

G_BEGIN_DECLS

#define JX_TYPE_APPLICATION (jx_application_get_type ())
G_DECLARE_FINAL_TYPE (JxApplication, jx_application, JX, APPLICATION, AdwApplication)

JxApplication *jx_application_new (void);

/* The app's settings, or NULL when the schema is neither installed nor in the build tree. */
GSettings *jx_application_dup_settings (void);
/* The `colormap` key of settings as a drawing-layer map (viridis when settings is NULL). */
JxColormap jx_application_get_colormap (GSettings *settings);
/* --test-mode: "jx-test: ..." lines on stdout (frame timings, jobs, toasts) for GUI tests. */
gboolean   jx_application_get_test_mode (void);
/* g_get_monotonic_time () at the start of main (time to first window). */
gint64     jx_application_get_start_time (void);
void       jx_application_set_start_time (gint64 t);

G_END_DECLS
