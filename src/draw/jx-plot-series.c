/* jx-plot-series.c — painting of histogram, line, point and heatmap series. */
#include "jx-plot-private.h"

#include <math.h>
#include <stdlib.h>

#include "jx-heatmap.h"

void
jx_plot_draw_marker (cairo_t *cr, JxMarker m, double x, double y, double size)
{
  double r = 0.5 * size;
  switch (m)
    {
    case JX_MARKER_NONE:
      return;
    case JX_MARKER_SQUARE:
      cairo_rectangle (cr, x - 0.85 * r, y - 0.85 * r, 1.7 * r, 1.7 * r);
      break;
    case JX_MARKER_TRIANGLE:
      cairo_move_to (cr, x, y - 1.1 * r);
      cairo_line_to (cr, x + r, y + 0.7 * r);
      cairo_line_to (cr, x - r, y + 0.7 * r);
      cairo_close_path (cr);
      break;
    case JX_MARKER_DIAMOND:
      cairo_move_to (cr, x, y - 1.15 * r);
      cairo_line_to (cr, x + 0.85 * r, y);
      cairo_line_to (cr, x, y + 1.15 * r);
      cairo_line_to (cr, x - 0.85 * r, y);
      cairo_close_path (cr);
      break;
    case JX_MARKER_CIRCLE:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * M_PI);
      break;
    }
  cairo_fill (cr);
}

static void
set_line (cairo_t *cr, const JxSeries *s)
{
  jx_set_rgb (cr, s->color);
  cairo_set_line_width (cr, s->width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (s->dashed)
    {
      double d[2] = { 5 * s->width / 1.6, 3 * s->width / 1.6 };
      cairo_set_dash (cr, d, 2, 0);
    }
  else
    cairo_set_dash (cr, NULL, 0, 0);
}

/* Bottom of histogram bars: the axis minimum on log scales. */
static double
hist_base (const JxAxis *y)
{
  if (y->log)
    return y->px0;
  double b = jx_axis_map (y, 0);
  double top = fmin (y->px0, y->px1), bot = fmax (y->px0, y->px1);
  return fmin (fmax (b, top), bot);
}

static void
paint_hist (JxPlot *p, const JxSeries *s, cairo_t *cr, const JxAxis *x, const JxAxis *y)
{
  double base = hist_base (y);
  if (s->hist_style == JX_HIST_POINTS)
    {
      jx_set_rgb (cr, s->color);
      cairo_set_line_width (cr, 1.2);
      for (size_t i = 0; i < s->n; i++)
        {
          double v = s->y[i], e = s->err ? s->err[i] : 0;
          if (!isfinite (v))
            continue;
          double xa = jx_axis_map (x, s->x[i]), xb = jx_axis_map (x, s->x[i + 1]);
          double xc = jx_axis_map (x, x->log ? sqrt (s->x[i] * s->x[i + 1])
                                             : 0.5 * (s->x[i] + s->x[i + 1]));
          double yc = jx_axis_map (y, v);
          if (!isfinite (yc) || !isfinite (xc))
            continue;
          cairo_move_to (cr, xa, yc);
          cairo_line_to (cr, xb, yc);
          if (isfinite (e) && e > 0)
            {
              double ylo = jx_axis_map (y, v - e), yhi = jx_axis_map (y, v + e);
              if (!isfinite (ylo))
                ylo = y->px0;
              cairo_move_to (cr, xc, ylo);
              cairo_line_to (cr, xc, yhi);
            }
          cairo_stroke (cr);
          jx_plot_draw_marker (cr, s->marker ? s->marker : JX_MARKER_CIRCLE, xc, yc, 6);
        }
      return;
    }
  /* One outline path; gaps (non-finite or ≤ 0 on log) drop to the base. */
  cairo_new_path (cr);
  bool open = false;
  double last_x = 0;
  for (size_t i = 0; i < s->n; i++)
    {
      double xa = jx_axis_map (x, s->x[i]), xb = jx_axis_map (x, s->x[i + 1]);
      double yv = jx_axis_map (y, s->y[i]);
      if (!isfinite (xa) || !isfinite (xb))
        continue;
      if (!isfinite (yv))
        yv = base;
      if (!open)
        {
          cairo_move_to (cr, xa, base);
          open = true;
        }
      cairo_line_to (cr, xa, yv);
      cairo_line_to (cr, xb, yv);
      last_x = xb;
    }
  if (!open)
    return;
  cairo_line_to (cr, last_x, base);
  if (s->hist_style == JX_HIST_FILLED)
    {
      jx_set_rgba (cr, s->color, 0.35);
      cairo_fill_preserve (cr);
    }
  set_line (cr, s);
  cairo_stroke (cr);
  (void) p;
}

static void
paint_xy (JxPlot *p, const JxSeries *s, cairo_t *cr, const JxAxis *x, const JxAxis *y)
{
  set_line (cr, s);
  bool line = s->kind == JX_SERIES_LINE;
  if (line)
    {
      bool pen = false;
      for (size_t i = 0; i < s->n; i++)
        {
          double px = jx_axis_map (x, s->x[i]), py = jx_axis_map (y, s->y[i]);
          if (!isfinite (px) || !isfinite (py))
            {
              pen = false;  /* a gap, not a line through the missing point */
              continue;
            }
          if (pen)
            cairo_line_to (cr, px, py);
          else
            cairo_move_to (cr, px, py);
          pen = true;
        }
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
  JxMarker m = s->marker;
  if (m == JX_MARKER_NONE && (!line || s->n == 1))
    m = JX_MARKER_CIRCLE;  /* a single point must still show */
  cairo_set_line_width (cr, 1.2);
  for (size_t i = 0; i < s->n; i++)
    {
      double px = jx_axis_map (x, s->x[i]), py = jx_axis_map (y, s->y[i]);
      if (!isfinite (px) || !isfinite (py))
        continue;
      if (s->err && isfinite (s->err[i]) && s->err[i] > 0)
        {
          double ylo = jx_axis_map (y, s->y[i] - s->err[i]);
          double yhi = jx_axis_map (y, s->y[i] + s->err[i]);
          if (!isfinite (ylo))
            ylo = y->px0;
          cairo_move_to (cr, px, ylo);
          cairo_line_to (cr, px, yhi);
          cairo_stroke (cr);
        }
      jx_plot_draw_marker (cr, m, px, py, line ? 5.5 : 6.5);
    }
  (void) p;
}

void
jx_plot_paint_series (JxPlot *p, const JxSeries *s, cairo_t *cr, const JxAxis *x,
                      const JxAxis *y, JxRect data)
{
  cairo_save (cr);
  switch (s->kind)
    {
    case JX_SERIES_HIST:
      paint_hist (p, s, cr, x, y);
      break;
    case JX_SERIES_LINE:
    case JX_SERIES_POINTS:
      if (s->diagonal)
        {
          cairo_save (cr);
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_set_line_width (cr, 1);
          double d[2] = { 4, 3 };
          cairo_set_dash (cr, d, 2, 0);
          double a = fmax (x->lo, y->lo), b = fmin (x->hi, y->hi);
          cairo_move_to (cr, jx_axis_map (x, a), jx_axis_map (y, a));
          cairo_line_to (cr, jx_axis_map (x, b), jx_axis_map (y, b));
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      paint_xy (p, s, cr, x, y);
      break;
    case JX_SERIES_HEATMAP:
      {
        double xa = jx_axis_map (x, s->x0), xb = jx_axis_map (x, s->x1);
        double ya = jx_axis_map (y, s->y0), yb = jx_axis_map (y, s->y1);
        if (isfinite (xa) && isfinite (xb) && isfinite (ya) && isfinite (yb))
          jx_heatmap_paint (cr, jx_rect (fmin (xa, xb), fmin (ya, yb), fabs (xb - xa),
                                         fabs (yb - ya)), s->nx, s->ny, s->y, &s->scale, 0);
      }
      break;
    }
  cairo_restore (cr);
  (void) data;
}

void
jx_plot_paint_ratio (JxPlot *p, const JxSeries *s, const JxSeries *ref, cairo_t *cr,
                     const JxAxis *x, const JxAxis *y, bool is_ref)
{
  if (s->kind != JX_SERIES_HIST || ref->kind != JX_SERIES_HIST || s->n != ref->n)
    return;
  cairo_save (cr);
  if (is_ref)
    {
      /* The reference's own relative uncertainty as a grey band around 1. */
      cairo_set_source_rgba (cr, 0.55, 0.55, 0.55, 0.35);
      for (size_t i = 0; i < s->n; i++)
        {
          double r = ref->y[i], e = ref->err ? ref->err[i] : 0;
          if (!(r != 0) || !isfinite (r) || !(e > 0))
            continue;
          double xa = jx_axis_map (x, s->x[i]), xb = jx_axis_map (x, s->x[i + 1]);
          double ya = jx_axis_map (y, 1 - e / fabs (r)), yb = jx_axis_map (y, 1 + e / fabs (r));
          if (!isfinite (ya))
            ya = y->px0;
          cairo_rectangle (cr, xa, fmin (ya, yb), xb - xa, fabs (yb - ya));
        }
      cairo_fill (cr);
      cairo_restore (cr);
      return;
    }
  JxSeries q = *s;
  /* Ratio values and errors into a temporary series painted like the original. */
  double *vals = malloc (s->n * sizeof *vals), *errs = malloc (s->n * sizeof *errs);
  if (vals && errs)
    {
      for (size_t i = 0; i < s->n; i++)
        {
          double r = ref->y[i];
          if (!(r != 0) || !isfinite (r) || !isfinite (s->y[i]))
            {
              vals[i] = NAN;
              errs[i] = NAN;
              continue;
            }
          vals[i] = s->y[i] / r;
          errs[i] = s->err ? s->err[i] / fabs (r) : 0;
        }
      q.y = vals;
      q.err = errs;
      if (q.hist_style == JX_HIST_FILLED)
        q.hist_style = JX_HIST_STEP;
      if (q.hist_style == JX_HIST_POINTS)
        paint_hist (p, &q, cr, x, y);
      else
        {
          /* Steps without the drop to the base: a ratio has no baseline. */
          set_line (cr, &q);
          bool pen = false;
          for (size_t i = 0; i < q.n; i++)
            {
              double xa = jx_axis_map (x, q.x[i]), xb = jx_axis_map (x, q.x[i + 1]);
              double yv = jx_axis_map (y, q.y[i]);
              if (!isfinite (yv))
                {
                  pen = false;
                  continue;
                }
              if (pen)
                cairo_line_to (cr, xa, yv);
              else
                cairo_move_to (cr, xa, yv);
              cairo_line_to (cr, xb, yv);
              pen = true;
            }
          cairo_stroke (cr);
        }
    }
  free (vals);
  free (errs);
  cairo_restore (cr);
}
