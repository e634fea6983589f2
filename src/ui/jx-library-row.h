/* jx-library-row.h — a dataset or model in the library sidebar, with its size and kind; model
 * rows carry "A"/"B" toggles that pick the session's models. */
#pragma once

#include <gtk/gtk.h>

#include "jx-session.h"

G_BEGIN_DECLS

#define JX_TYPE_LIBRARY_ROW (jx_library_row_get_type ())
G_DECLARE_FINAL_TYPE (JxLibraryRow, jx_library_row, JX, LIBRARY_ROW, GtkBox)

/* item: a JxDatasetItem or a JxModelItem. */
GtkWidget *jx_library_row_new (GObject *item, JxSession *session);
GObject   *jx_library_row_get_item (JxLibraryRow *self);

G_END_DECLS
