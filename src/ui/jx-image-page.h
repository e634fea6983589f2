/* jx-image-page.h — the Image page: the current jet's image with its particles labelled by
 * emission step (the Tree page's highlighted node picks out its particles), the dataset
 * average image, and the signal − background difference of the averages (paper Figs. 20, 21).
 * Averages are computed on a worker thread and cached per dataset. */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_IMAGE_PAGE (jx_image_page_get_type ())
G_DECLARE_FINAL_TYPE (JxImagePage, jx_image_page, JX, IMAGE_PAGE, GtkBox)

typedef enum {
  JX_IMAGE_MODE_JET,
  JX_IMAGE_MODE_AVERAGE,
  JX_IMAGE_MODE_DIFFERENCE,
} JxImageMode;

GtkWidget *jx_image_page_new (void);
void jx_image_page_set_session (JxImagePage *self, JxSession *session);
/* The app's settings (may be NULL): image pixels follow their `colormap` key as it changes
 * (signal − background differences stay diverging). */
void jx_image_page_set_settings (JxImagePage *self, GSettings *settings);
void jx_image_page_set_mode (JxImagePage *self, JxImageMode mode);

/* For tests: the status line ("jet 3: 17 particles", "average of 200 jets", why nothing is
 * shown, ...), the number of particles marked as the highlighted node's, and whether an
 * average is still being computed. */
const char *jx_image_page_get_status_text (JxImagePage *self);
int jx_image_page_get_n_highlighted (JxImagePage *self);
gboolean jx_image_page_is_busy (JxImagePage *self);
gboolean jx_image_page_export (JxImagePage *self, const char *path, GError **error);

G_END_DECLS
