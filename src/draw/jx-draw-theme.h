/* jx-draw-theme.h — the one visual theme shared by every renderer (sizes in points/pixels
 * at scale 1, so a 800×600 surface looks like a matplotlib figure at 100 dpi). */
#pragma once

#include <cairo.h>

#include "jx-colormap.h"

typedef struct {
  const char *font;          /* Pango family */
  double font_tick;          /* tick labels */
  double font_label;         /* axis labels, legend */
  double font_title;
  double font_node;          /* tree node labels */
  double line_axis;          /* frame and ticks */
  double line_data;          /* curves */
  double tick_major, tick_minor;
  double pad;                /* outer padding */
  JxRgb fg;                  /* text and axes */
  JxRgb grid;
  JxRgb bg;
} JxTheme;

const JxTheme *jx_theme (void);

static inline void
jx_set_rgb (cairo_t *cr, JxRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static inline void
jx_set_rgba (cairo_t *cr, JxRgb c, double a)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, a);
}

/* A rectangle in device (surface) units. */
typedef struct {
  double x, y, w, h;
} JxRect;

static inline JxRect
jx_rect (double x, double y, double w, double h)
{
  return (JxRect) { x, y, w, h };
}

/* Fill the rectangle with the theme background. */
void jx_draw_background (cairo_t *cr, JxRect r);

/* Background plus a centred grey message (markup), for inputs with nothing to draw. */
void jx_draw_message (cairo_t *cr, JxRect r, const char *message);
