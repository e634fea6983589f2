/* jx-wrap-box.h — a container laying out its children left to right at their natural width,
 * starting a new line when the next one does not fit (a toolbar that wraps instead of widening
 * the window). Unlike GtkFlowBox it keeps no columns or selection, and its children stay what
 * they are to accessibility. Children are added with <child> in .ui files or
 * jx_wrap_box_append. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JX_TYPE_WRAP_BOX (jx_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (JxWrapBox, jx_wrap_box, JX, WRAP_BOX, GtkWidget)

GtkWidget *jx_wrap_box_new (void);
void       jx_wrap_box_append (JxWrapBox *self, GtkWidget *child);
/* Space between children on a line and between lines, in pixels (default 6 and 4). */
void       jx_wrap_box_set_spacing (JxWrapBox *self, int column_spacing, int row_spacing);

G_END_DECLS
