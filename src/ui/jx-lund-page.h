/* jx-lund-page.h — the Lund page: the primary Lund plane of the browser's jet (its C/A
 * emissions coloured by their log10 P_A,t/P_B,t) or of the current dataset (emission density
 * and the attribution of the mean log10 P_A/P_B to the plane, computed in a worker thread);
 * src/core/jx-lund.h, src/draw/jx-draw-lund.h.
 *
 * The canvas's accessible description, for tests: "lund jet: J; emissions=N; lr=yes|no" or
 * "lund map: jets=N; attributed=+X; mean=+Y; bins=+B; secondary=+S; end=+E; outside=+O"
 * (log10, full precision) or "lund: MESSAGE". */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_LUND_PAGE (jx_lund_page_get_type ())
G_DECLARE_FINAL_TYPE (JxLundPage, jx_lund_page, JX, LUND_PAGE, GtkBox)

typedef enum {
  JX_LUND_VIEW_JET,
  JX_LUND_VIEW_MAP,
} JxLundView;

GtkWidget *jx_lund_page_new (void);
void jx_lund_page_set_session (JxLundPage *self, JxSession *session);
/* The app's settings (may be NULL): the density follows their `colormap` key. */
void jx_lund_page_set_settings (JxLundPage *self, GSettings *settings);
void jx_lund_page_set_view (JxLundPage *self, JxLundView view);
/* The canvas's accessible description (see above). */
const char *jx_lund_page_get_description (JxLundPage *self);
/* TRUE while the dataset map is being computed. */
gboolean jx_lund_page_get_busy (JxLundPage *self);
/* Write the figure shown to path (.png, .svg, .pdf). */
gboolean jx_lund_page_export (JxLundPage *self, const char *path, GError **error);

G_END_DECLS
