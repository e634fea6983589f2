/* jx-colorbar.c — colour bars (see jx-colorbar.h). */
#include "jx-colorbar.h"

#include <math.h>

static JxAxis
bar_axis (const JxColorScale *s, JxRect r)
{
  JxAxis a = { s->lo, s->hi, s->log != 0, r.y + r.h, r.y };
  if (!(a.hi > a.lo))
    jx_axis_pad_range (&a.lo, &a.hi, a.log, 0);
  return a;
}

double
jx_colorbar_width (cairo_t *cr, const JxColorScale *scale, const char *label, double height)
{
  JxAxis a = bar_axis (scale, jx_rect (0, 0, JX_COLORBAR_BAR_WIDTH, height));
  return JX_COLORBAR_BAR_WIDTH + jx_axis_thickness (cr, &a, JX_SIDE_RIGHT, label, true);
}

void
jx_colorbar_draw (cairo_t *cr, JxRect r, const JxColorScale *scale, const char *label)
{
  const JxTheme *th = jx_theme ();
  JxRect bar = jx_rect (r.x, r.y, JX_COLORBAR_BAR_WIDTH, r.h);
  cairo_save (cr);
  cairo_pattern_t *g = cairo_pattern_create_linear (0, bar.y + bar.h, 0, bar.y);
  for (int i = 0; i <= 32; i++)
    {
      JxRgb c = jx_colormap_eval (scale->map, i / 32.0);
      cairo_pattern_add_color_stop_rgb (g, i / 32.0, c.r, c.g, c.b);
    }
  cairo_set_source (cr, g);
  cairo_rectangle (cr, bar.x, bar.y, bar.w, bar.h);
  cairo_fill (cr);
  cairo_pattern_destroy (g);
  jx_set_rgb (cr, th->fg);
  cairo_set_line_width (cr, th->line_axis * 0.8);
  cairo_rectangle (cr, round (bar.x) + 0.5, round (bar.y) + 0.5, round (bar.w), round (bar.h) - 1);
  cairo_stroke (cr);
  JxAxis a = bar_axis (scale, bar);
  jx_axis_draw (cr, &a, JX_SIDE_RIGHT, bar.x + bar.w, label, true);
  cairo_restore (cr);
}
