/* jx-preferences-window.h — threads, default clustering, scaling constants, colour map, all
 * bound to GSettings. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JX_TYPE_PREFERENCES_WINDOW (jx_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (JxPreferencesWindow, jx_preferences_window, JX, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWindow *jx_preferences_window_new (GtkWindow *parent);

G_END_DECLS
