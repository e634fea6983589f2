/* jx-help-window.h — Help: "What is JUNIPR?" (the factorisation P_jet = Π P_end · P_mother ·
 * P_branch drawn on a small tree, what models A and B are) and a tour of the demo in five
 * steps, each with a button that shows the place it talks about in the main window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JX_TYPE_HELP_WINDOW (jx_help_window_get_type ())
G_DECLARE_FINAL_TYPE (JxHelpWindow, jx_help_window, JX, HELP_WINDOW, AdwWindow)

/* page: "junipr" or "tour". The tour's buttons act on parent (win.page, win.reveal-sidebar,
 * win.find). */
GtkWindow *jx_help_window_new (GtkWindow *parent, const char *page);

G_END_DECLS
