/* jx-jet-browser.h — the jet browser: a sortable, filterable GtkColumnView of the session's
 * dataset (index, n, E, mass, τ21, log P under model A, log LR A/B). Selecting a row sets the
 * session's jet. */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_JET_BROWSER (jx_jet_browser_get_type ())
G_DECLARE_FINAL_TYPE (JxJetBrowser, jx_jet_browser, JX, JET_BROWSER, GtkBox)

void jx_jet_browser_set_session (JxJetBrowser *self, JxSession *session);
void jx_jet_browser_step (JxJetBrowser *self, int delta);   /* next (+1) / previous (−1) row */
void jx_jet_browser_focus_filter (JxJetBrowser *self);

G_END_DECLS
