/* jx-figure-canvas.h — a widget showing one src/draw figure. The figure is rendered into a
 * cached render node outside the draw callback (an idle before the next frame, after a size
 * change or jx_figure_canvas_invalidate), so frames only replay it. The same draw function
 * serves file export. */
#pragma once

#include <gtk/gtk.h>

#include "jx-draw-theme.h"

G_BEGIN_DECLS

#define JX_TYPE_FIGURE_CANVAS (jx_figure_canvas_get_type ())
G_DECLARE_FINAL_TYPE (JxFigureCanvas, jx_figure_canvas, JX, FIGURE_CANVAS, GtkWidget)

/* Draws the figure into rect of cr (device units). */
typedef void (*JxFigureDrawFunc) (cairo_t *cr, JxRect rect, gpointer user_data);

GtkWidget *jx_figure_canvas_new (void);
void jx_figure_canvas_set_draw_func (JxFigureCanvas *self, JxFigureDrawFunc func,
                                     gpointer user_data, GDestroyNotify destroy);
/* The figure changed: render again before the next frame. */
void jx_figure_canvas_invalidate (JxFigureCanvas *self);
/* Render now if a render is pending (tests and exports that need the picture up to date). */
void jx_figure_canvas_flush (JxFigureCanvas *self);
/* Draw the figure with the canvas's function into any cairo_t (export). */
void jx_figure_canvas_draw_to (JxFigureCanvas *self, cairo_t *cr, JxRect rect);

/* Write the figure (at least 800×520) to path; the format follows the extension. */
gboolean jx_figure_canvas_export (JxFigureCanvas *self, const char *path, GError **error);
/* Ask for a file (GtkFileChooserNative) and export; the outcome goes to status (may be NULL). */
void jx_figure_canvas_export_dialog (JxFigureCanvas *self, const char *default_name,
                                     GtkLabel *status);

G_END_DECLS
