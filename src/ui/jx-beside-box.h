/* jx-beside-box.h — a main widget with a side widget beside it on the right when there is room
 * for the side at its natural width and the main at its minimum, else below it (scrolling in
 * the height it gets). The box asks only for the larger of the two minimum widths, so a page
 * with a step panel still fits a narrow window; what is beside or below changes only with the
 * box's width, never with the side's content. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JX_TYPE_BESIDE_BOX (jx_beside_box_get_type ())
G_DECLARE_FINAL_TYPE (JxBesideBox, jx_beside_box, JX, BESIDE_BOX, GtkWidget)

GtkWidget *jx_beside_box_new (void);
/* The children (set from a template as <child type="main"> and <child type="side">). */
void jx_beside_box_set_main (JxBesideBox *self, GtkWidget *child);
void jx_beside_box_set_side (JxBesideBox *self, GtkWidget *child);
/* Whether the side is beside the main (TRUE) or below it, as last allocated. */
gboolean jx_beside_box_get_beside (JxBesideBox *self);

G_END_DECLS
