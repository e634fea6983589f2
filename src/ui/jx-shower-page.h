/* jx-shower-page.h — the Shower page: a data jet or a jet sampled from model A, stepped
 * emission by emission (slider, previous/next, play/pause) under the C/A, printer or
 * anti-kt ordering (paper Figs. 21, 23). */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_SHOWER_PAGE (jx_shower_page_get_type ())
G_DECLARE_FINAL_TYPE (JxShowerPage, jx_shower_page, JX, SHOWER_PAGE, GtkBox)

GtkWidget *jx_shower_page_new (void);
void jx_shower_page_set_session (JxShowerPage *self, JxSession *session);
/* The app's settings (may be NULL): energy colours follow their `colormap` key as it
 * changes. */
void jx_shower_page_set_settings (JxShowerPage *self, GSettings *settings);

/* The step shown (0..N) and N, the number of emissions of the shown jet (0 without one). */
int jx_shower_page_get_step (JxShowerPage *self);
int jx_shower_page_get_n_steps (JxShowerPage *self);
void jx_shower_page_set_step (JxShowerPage *self, int step);
/* The "step t of N" text. */
const char *jx_shower_page_get_step_text (JxShowerPage *self);
gboolean jx_shower_page_get_playing (JxShowerPage *self);
void jx_shower_page_set_playing (JxShowerPage *self, gboolean playing);
/* Write the frame shown to path (.png, .svg, .pdf). */
gboolean jx_shower_page_export (JxShowerPage *self, const char *path, GError **error);

G_END_DECLS
