/* jx-wrap-layout.h — a layout manager that puts its widget's children left to right at their
 * natural widths and starts a new line when the next one does not fit (a toolbar that wraps
 * in a narrow window instead of widening it). The widget asks for the widest child's minimum
 * width; its height follows from how many lines the width gives. GTK 4.8 has no wrap box. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JX_TYPE_WRAP_LAYOUT (jx_wrap_layout_get_type ())
G_DECLARE_FINAL_TYPE (JxWrapLayout, jx_wrap_layout, JX, WRAP_LAYOUT, GtkLayoutManager)

GtkLayoutManager *jx_wrap_layout_new (int spacing, int line_spacing);

G_END_DECLS
