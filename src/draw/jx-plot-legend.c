/* jx-plot-legend.c — the legend box: one entry per labelled series, in a corner of the
 * data rectangle (automatic: the corner covering the fewest data points). */
#include "jx-plot-private.h"

#include <math.h>

#include "jx-draw-text.h"

#define SAMPLE_W 26.0
#define ROW_GAP 3.0
#define BOX_PAD 7.0

static void
draw_sample (cairo_t *cr, const JxSeries *s, double x, double y, double h)
{
  double cy = y + 0.5 * h;
  cairo_save (cr);
  switch (s->kind)
    {
    case JX_SERIES_HIST:
      if (s->hist_style == JX_HIST_POINTS)
        {
          jx_set_rgb (cr, s->color);
          cairo_set_line_width (cr, 1.2);
          cairo_move_to (cr, x + 4, cy);
          cairo_line_to (cr, x + SAMPLE_W - 4, cy);
          cairo_move_to (cr, x + 0.5 * SAMPLE_W, cy - 0.4 * h);
          cairo_line_to (cr, x + 0.5 * SAMPLE_W, cy + 0.4 * h);
          cairo_stroke (cr);
          jx_plot_draw_marker (cr, s->marker ? s->marker : JX_MARKER_CIRCLE,
                               x + 0.5 * SAMPLE_W, cy, 6);
        }
      else
        {
          cairo_rectangle (cr, x + 2, cy - 0.32 * h, SAMPLE_W - 4, 0.64 * h);
          if (s->hist_style == JX_HIST_FILLED)
            {
              jx_set_rgba (cr, s->color, 0.35);
              cairo_fill_preserve (cr);
            }
          jx_set_rgb (cr, s->color);
          cairo_set_line_width (cr, fmin (s->width, 2));
          if (s->dashed)
            cairo_set_dash (cr, (double[]) { 4, 2 }, 2, 0);
          cairo_stroke (cr);
        }
      break;
    case JX_SERIES_LINE:
    case JX_SERIES_POINTS:
      jx_set_rgb (cr, s->color);
      cairo_set_line_width (cr, s->width);
      if (s->kind == JX_SERIES_LINE)
        {
          if (s->dashed)
            cairo_set_dash (cr, (double[]) { 5, 3 }, 2, 0);
          cairo_move_to (cr, x, cy);
          cairo_line_to (cr, x + SAMPLE_W, cy);
          cairo_stroke (cr);
        }
      if (s->marker != JX_MARKER_NONE || s->kind == JX_SERIES_POINTS)
        jx_plot_draw_marker (cr, s->marker ? s->marker : JX_MARKER_CIRCLE,
                             x + 0.5 * SAMPLE_W, cy, 6);
      break;
    case JX_SERIES_HEATMAP:
      break;
    }
  cairo_restore (cr);
}

/* How many data points of the plot fall inside box (device coordinates). */
static int
covered (const JxPlot *p, const JxAxis *x, const JxAxis *y, JxRect b)
{
  int c = 0;
  for (size_t k = 0; k < p->n_series; k++)
    {
      const JxSeries *s = &p->series[k];
      if (s->kind == JX_SERIES_HEATMAP)
        continue;
      for (size_t i = 0; i < s->n; i++)
        {
          double xv = s->kind == JX_SERIES_HIST ? 0.5 * (s->x[i] + s->x[i + 1]) : s->x[i];
          double px = jx_axis_map (x, xv), py = jx_axis_map (y, s->y[i]);
          if (!isfinite (px) || !isfinite (py))
            continue;
          /* A histogram bar covers everything below its top. */
          bool in_x = px >= b.x && px <= b.x + b.w;
          bool in_y = s->kind == JX_SERIES_HIST ? py <= b.y + b.h : (py >= b.y && py <= b.y + b.h);
          c += in_x && in_y;
        }
    }
  return c;
}

void
jx_plot_draw_legend (JxPlot *p, cairo_t *cr, const JxAxis *x, const JxAxis *y, JxRect data)
{
  if (p->legend == JX_LEGEND_NONE)
    return;
  const JxTheme *th = jx_theme ();
  double fs = th->font_label * 0.92;
  double tw = 0, th_row = 0;
  int rows = 0;
  for (size_t k = 0; k < p->n_series; k++)
    {
      const JxSeries *s = &p->series[k];
      if (s->label == NULL || s->label[0] == '\0' || s->kind == JX_SERIES_HEATMAP)
        continue;
      double w, h;
      jx_text_size (cr, s->label, fs, &w, &h);
      tw = fmax (tw, w);
      th_row = fmax (th_row, h);
      rows++;
    }
  if (rows == 0)
    return;
  double bw = 2 * BOX_PAD + SAMPLE_W + 6 + tw;
  double bh = 2 * BOX_PAD + rows * th_row + (rows - 1) * ROW_GAP;
  double m = 8;
  JxRect cand[4] = {
    { data.x + data.w - m - bw, data.y + m, bw, bh },          /* upper right */
    { data.x + m, data.y + m, bw, bh },                        /* upper left */
    { data.x + m, data.y + data.h - m - bh, bw, bh },          /* lower left */
    { data.x + data.w - m - bw, data.y + data.h - m - bh, bw, bh },
  };
  int pick = 0;
  if (p->legend == JX_LEGEND_AUTO)
    {
      int best = -1;
      for (int i = 0; i < 4; i++)
        {
          int c = covered (p, x, y, cand[i]);
          if (best < 0 || c < best)
            best = c, pick = i;
        }
    }
  else
    pick = (int) p->legend - 1;
  JxRect b = cand[pick];
  cairo_save (cr);
  double r = 3;
  cairo_new_sub_path (cr);
  cairo_arc (cr, b.x + b.w - r, b.y + r, r, -M_PI / 2, 0);
  cairo_arc (cr, b.x + b.w - r, b.y + b.h - r, r, 0, M_PI / 2);
  cairo_arc (cr, b.x + r, b.y + b.h - r, r, M_PI / 2, M_PI);
  cairo_arc (cr, b.x + r, b.y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.82, 0.82, 0.82);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  double yy = b.y + BOX_PAD;
  for (size_t k = 0; k < p->n_series; k++)
    {
      const JxSeries *s = &p->series[k];
      if (s->label == NULL || s->label[0] == '\0' || s->kind == JX_SERIES_HEATMAP)
        continue;
      draw_sample (cr, s, b.x + BOX_PAD, yy, th_row);
      jx_set_rgb (cr, th->fg);
      jx_text_draw (cr, b.x + BOX_PAD + SAMPLE_W + 6, yy + 0.5 * th_row, s->label, fs, 0, 0.5, 0);
      yy += th_row + ROW_GAP;
    }
  cairo_restore (cr);
}
