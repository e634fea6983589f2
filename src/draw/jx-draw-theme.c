/* jx-draw-theme.c — the shared theme values. */
#include "jx-draw-theme.h"

#include "jx-draw-text.h"

static const JxTheme theme = {
  .font = "Sans",
  .font_tick = 11,
  .font_label = 13,
  .font_title = 14,
  .font_node = 10,
  .line_axis = 1.0,
  .line_data = 1.6,
  .tick_major = 5,
  .tick_minor = 3,
  .pad = 8,
  .fg = { 0.13, 0.13, 0.13 },
  .grid = { 0.88, 0.88, 0.88 },
  .bg = { 1, 1, 1 },
};

const JxTheme *
jx_theme (void)
{
  return &theme;
}

void
jx_draw_background (cairo_t *cr, JxRect r)
{
  cairo_save (cr);
  jx_set_rgb (cr, theme.bg);
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
jx_draw_message (cairo_t *cr, JxRect r, const char *message)
{
  jx_draw_background (cr, r);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  jx_text_draw (cr, r.x + 0.5 * r.w, r.y + 0.5 * r.h, message, theme.font_label, 0.5, 0.5, 0);
  cairo_restore (cr);
}
