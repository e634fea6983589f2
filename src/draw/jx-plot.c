/* jx-plot.c — JxPlot: data, ranges, layout of panels and axes (see jx-plot.h). */
#include "jx-plot-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-colorbar.h"
#include "jx-draw-text.h"
#include "jx-heatmap.h"

JxPlot *
jx_plot_new (void)
{
  JxPlot *p = calloc (1, sizeof *p);
  if (p == NULL)
    return NULL;
  p->xlo = p->xhi = p->ylo = p->yhi = NAN;
  p->rlo = p->rhi = NAN;
  p->ratio_ref = -1;
  p->legend = JX_LEGEND_AUTO;
  return p;
}

static void
series_free (JxSeries *s)
{
  free (s->label);
  free (s->x);
  free (s->y);
  free (s->err);
}

void
jx_plot_free (JxPlot *p)
{
  if (p == NULL)
    return;
  for (size_t i = 0; i < p->n_series; i++)
    series_free (&p->series[i]);
  free (p->series);
  free (p->title);
  free (p->xlabel);
  free (p->ylabel);
  free (p->ratio_label);
  free (p);
}

static void
set_str (char **dst, const char *src)
{
  free (*dst);
  *dst = src ? strdup (src) : NULL;
}

void
jx_plot_set_title (JxPlot *p, const char *title)
{
  set_str (&p->title, title);
}

void
jx_plot_set_x_axis (JxPlot *p, const char *label, bool log)
{
  set_str (&p->xlabel, label);
  p->xlog = log;
  p->x_set = true;
}

void
jx_plot_set_y_axis (JxPlot *p, const char *label, bool log)
{
  set_str (&p->ylabel, label);
  p->ylog = log;
  p->y_set = true;
}

void
jx_plot_set_x_range (JxPlot *p, double lo, double hi)
{
  p->xlo = lo;
  p->xhi = hi;
}

void
jx_plot_set_y_range (JxPlot *p, double lo, double hi)
{
  p->ylo = lo;
  p->yhi = hi;
}

void
jx_plot_set_grid (JxPlot *p, bool grid)
{
  p->grid = grid;
}

void
jx_plot_set_legend (JxPlot *p, JxLegendPos pos)
{
  p->legend = pos;
}

void
jx_plot_set_ratio (JxPlot *p, int reference, const char *label, double lo, double hi)
{
  p->ratio_ref = reference;
  set_str (&p->ratio_label, label);
  p->rlo = lo;
  p->rhi = hi;
}

size_t
jx_plot_skipped (const JxPlot *p)
{
  return p->skipped;
}

static JxSeries *
new_series (JxPlot *p, JxSeriesKind kind, const char *label)
{
  if (p->n_series == p->cap_series)
    {
      size_t nc = p->cap_series ? 2 * p->cap_series : 8;
      JxSeries *s = realloc (p->series, nc * sizeof *s);
      if (s == NULL)
        return NULL;
      p->series = s;
      p->cap_series = nc;
    }
  JxSeries *s = &p->series[p->n_series];
  *s = (JxSeries) { 0 };
  s->kind = kind;
  s->label = label ? strdup (label) : NULL;
  size_t drawn = 0;
  for (size_t i = 0; i < p->n_series; i++)
    drawn += p->series[i].kind != JX_SERIES_HEATMAP;
  s->color = jx_palette_color (drawn);
  s->width = jx_theme ()->line_data;
  return s;
}

static double *
dup_array (const double *a, size_t n)
{
  if (a == NULL || n == 0)
    return NULL;
  double *d = malloc (n * sizeof *d);
  if (d)
    memcpy (d, a, n * sizeof *d);
  return d;
}

static int
commit (JxPlot *p, JxSeries *s, bool ok)
{
  if (!ok)
    {
      series_free (s);
      return -1;
    }
  return (int) p->n_series++;
}

int
jx_plot_add_hist_values (JxPlot *p, const double *edges, const double *values,
                         const double *errors, size_t n, JxHistStyle style, const char *label)
{
  JxSeries *s = new_series (p, JX_SERIES_HIST, label);
  if (s == NULL)
    return -1;
  s->hist_style = style;
  s->n = n;
  s->x = dup_array (edges, n + 1);
  s->y = dup_array (values, n);
  s->err = dup_array (errors, n);
  for (size_t i = 0; i < n; i++)
    if (!isfinite (values[i]))
      p->skipped++;
  return commit (p, s, n > 0 && s->x && s->y && (errors == NULL || s->err));
}

int
jx_plot_add_hist (JxPlot *p, const JxHist *h, JxHistStyle style, const char *label)
{
  double *err = malloc ((h->nbins ? h->nbins : 1) * sizeof *err);
  if (err == NULL)
    return -1;
  for (size_t i = 0; i < h->nbins; i++)
    err[i] = jx_hist_error (h, i);
  int r = jx_plot_add_hist_values (p, h->edges, h->sumw, err, h->nbins, style, label);
  free (err);
  return r;
}

static int
add_xy (JxPlot *p, JxSeriesKind kind, const double *x, const double *y, const double *yerr,
        size_t n, JxMarker marker, const char *label)
{
  JxSeries *s = new_series (p, kind, label);
  if (s == NULL)
    return -1;
  s->marker = marker;
  s->n = n;
  s->x = dup_array (x, n);
  s->y = dup_array (y, n);
  s->err = dup_array (yerr, n);
  for (size_t i = 0; i < n; i++)
    if (!isfinite (x[i]) || !isfinite (y[i]))
      p->skipped++;
  return commit (p, s, n == 0 || (s->x && s->y && (yerr == NULL || s->err)));
}

int
jx_plot_add_line (JxPlot *p, const double *x, const double *y, size_t n, JxMarker marker,
                  const char *label)
{
  return add_xy (p, JX_SERIES_LINE, x, y, NULL, n, marker, label);
}

int
jx_plot_add_points (JxPlot *p, const double *x, const double *y, const double *yerr, size_t n,
                    JxMarker marker, const char *label)
{
  return add_xy (p, JX_SERIES_POINTS, x, y, yerr, n, marker ? marker : JX_MARKER_CIRCLE, label);
}

int
jx_plot_add_roc (JxPlot *p, const double *eff_sig, const double *eff_bkg, size_t n,
                 JxRocMode mode, const char *label)
{
  double *x = malloc ((n ? n : 1) * sizeof *x), *y = malloc ((n ? n : 1) * sizeof *y);
  if (x == NULL || y == NULL)
    {
      free (x);
      free (y);
      return -1;
    }
  for (size_t i = 0; i < n; i++)
    {
      if (mode == JX_ROC_REJECTION)
        {
          x[i] = eff_sig[i];
          /* Zero background efficiency has no finite rejection: skipped (and counted). */
          y[i] = eff_bkg[i] > 0 ? 1.0 / eff_bkg[i] : NAN;
        }
      else
        {
          x[i] = eff_bkg[i];
          y[i] = eff_sig[i];
        }
    }
  if (!p->x_set && !p->y_set)
    {
      if (mode == JX_ROC_REJECTION)
        {
          jx_plot_set_x_axis (p, "signal efficiency <i>ε</i><sub>S</sub>", false);
          jx_plot_set_y_axis (p, "background rejection 1/<i>ε</i><sub>B</sub>", true);
          jx_plot_set_x_range (p, 0, 1);
        }
      else
        {
          jx_plot_set_x_axis (p, "background efficiency <i>ε</i><sub>B</sub>", false);
          jx_plot_set_y_axis (p, "signal efficiency <i>ε</i><sub>S</sub>", false);
          jx_plot_set_x_range (p, 0, 1);
          jx_plot_set_y_range (p, 0, 1);
        }
    }
  int r = add_xy (p, JX_SERIES_LINE, x, y, NULL, n, JX_MARKER_NONE, label);
  if (r >= 0 && mode == JX_ROC_EFFICIENCY)
    p->series[r].diagonal = true;
  free (x);
  free (y);
  return r;
}

int
jx_plot_add_heatmap (JxPlot *p, size_t nx, size_t ny, double x0, double x1, double y0,
                     double y1, const double *values, JxColorScale scale, const char *cbar_label)
{
  JxSeries *s = new_series (p, JX_SERIES_HEATMAP, cbar_label);
  if (s == NULL)
    return -1;
  s->nx = nx;
  s->ny = ny;
  s->n = nx * ny;
  s->x0 = x0, s->x1 = x1, s->y0 = y0, s->y1 = y1;
  s->y = dup_array (values, nx * ny);
  if (isnan (scale.lo) || isnan (scale.hi))
    {
      double lo, hi;
      if (jx_heatmap_range (values, nx * ny, scale.log, &lo, &hi))
        {
          if (isnan (scale.lo))
            scale.lo = lo;
          if (isnan (scale.hi))
            scale.hi = hi;
        }
      else
        scale.lo = scale.log ? 0.1 : 0, scale.hi = 1;
      if (scale.map == JX_CMAP_DIVERGING)
        {
          double m = fmax (fabs (scale.lo), fabs (scale.hi));
          scale.lo = -m, scale.hi = m;
        }
    }
  s->scale = scale;
  return commit (p, s, s->n > 0 && s->y && isfinite (x0) && isfinite (x1) && isfinite (y0)
                       && isfinite (y1));
}

static JxSeries *
series_at (JxPlot *p, int i)
{
  return i >= 0 && (size_t) i < p->n_series ? &p->series[i] : NULL;
}

void
jx_plot_series_color (JxPlot *p, int series, JxRgb color)
{
  JxSeries *s = series_at (p, series);
  if (s)
    s->color = color;
}

void
jx_plot_series_dashed (JxPlot *p, int series, bool dashed)
{
  JxSeries *s = series_at (p, series);
  if (s)
    s->dashed = dashed;
}

void
jx_plot_series_line_width (JxPlot *p, int series, double width)
{
  JxSeries *s = series_at (p, series);
  if (s && width > 0)
    s->width = width;
}

/* Data ranges over all series: x over edges/points, y over values ± errors. */
static void
data_range (const JxPlot *p, double *xlo, double *xhi, double *ylo, double *yhi,
            bool *has_hist, bool *exact_x, bool *exact_y)
{
  double a = INFINITY, b = -INFINITY, c = INFINITY, d = -INFINITY;
  *has_hist = false;
  *exact_x = false;
  *exact_y = false;
  for (size_t k = 0; k < p->n_series; k++)
    {
      const JxSeries *s = &p->series[k];
      if (s->kind == JX_SERIES_HEATMAP)
        {
          a = fmin (a, fmin (s->x0, s->x1)), b = fmax (b, fmax (s->x0, s->x1));
          c = fmin (c, fmin (s->y0, s->y1)), d = fmax (d, fmax (s->y0, s->y1));
          *exact_x = true;
          *exact_y = true;
          continue;
        }
      bool hist = s->kind == JX_SERIES_HIST;
      *has_hist |= hist;
      *exact_x |= hist;
      size_t nx = hist ? s->n + 1 : s->n;
      for (size_t i = 0; i < nx; i++)
        if (isfinite (s->x[i]) && (!p->xlog || s->x[i] > 0) && (hist || isfinite (s->y[i])))
          a = fmin (a, s->x[i]), b = fmax (b, s->x[i]);
      for (size_t i = 0; i < s->n; i++)
        {
          double v = s->y[i], e = s->err && isfinite (s->err[i]) ? s->err[i] : 0;
          if (!isfinite (v) || (!hist && !isfinite (s->x[i])))
            continue;
          double lo = v - e, hi = v + e;
          if (p->ylog)
            {
              if (v > 0)
                c = fmin (c, lo > 0 ? lo : v), d = fmax (d, hi);
            }
          else
            c = fmin (c, lo), d = fmax (d, hi);
        }
    }
  *xlo = a, *xhi = b, *ylo = c, *yhi = d;
}

static void
compute_axes (JxPlot *p, JxAxis *x, JxAxis *y)
{
  double xlo, xhi, ylo, yhi;
  bool has_hist, exact_x, exact_y;
  data_range (p, &xlo, &xhi, &ylo, &yhi, &has_hist, &exact_x, &exact_y);
  if (!(xlo <= xhi))
    xlo = p->xlog ? 1 : 0, xhi = p->xlog ? 10 : 1;
  if (!(ylo <= yhi))
    ylo = p->ylog ? 1 : 0, yhi = p->ylog ? 10 : 1;
  if (exact_x && xhi > xlo)
    ;  /* histograms and heatmaps fill the x range exactly */
  else
    jx_axis_pad_range (&xlo, &xhi, p->xlog, 0.04);
  if (exact_y && !has_hist && yhi > ylo)
    ;  /* a heatmap fills its y range */
  else if (has_hist && !p->ylog)
    {
      ylo = fmin (ylo, 0);
      if (yhi <= ylo)
        yhi = ylo + 1;
      yhi += 0.12 * (yhi - ylo);  /* headroom for the legend */
    }
  else
    jx_axis_pad_range (&ylo, &yhi, p->ylog, has_hist ? 0.12 : 0.05);
  if (isfinite (p->xlo))
    xlo = p->xlo;
  if (isfinite (p->xhi))
    xhi = p->xhi;
  if (isfinite (p->ylo))
    ylo = p->ylo;
  if (isfinite (p->yhi))
    yhi = p->yhi;
  if (!(xhi > xlo) || (p->xlog && !(xlo > 0)))
    jx_axis_pad_range (&xlo, &xhi, p->xlog, 0);
  if (!(yhi > ylo) || (p->ylog && !(ylo > 0)))
    jx_axis_pad_range (&ylo, &yhi, p->ylog, 0);
  *x = (JxAxis) { xlo, xhi, p->xlog, 0, 1 };
  *y = (JxAxis) { ylo, yhi, p->ylog, 1, 0 };
}

static void
ratio_range (JxPlot *p, double *lo, double *hi)
{
  if (isfinite (p->rlo) && isfinite (p->rhi) && p->rhi > p->rlo)
    {
      *lo = p->rlo, *hi = p->rhi;
      return;
    }
  const JxSeries *ref = series_at (p, p->ratio_ref);
  double dev = 0.1;
  for (size_t k = 0; ref && k < p->n_series; k++)
    {
      const JxSeries *s = &p->series[k];
      if (s->kind != JX_SERIES_HIST || s->n != ref->n)
        continue;
      for (size_t i = 0; i < s->n; i++)
        {
          double r = ref->y[i];
          if (!(r != 0) || !isfinite (r) || !isfinite (s->y[i]))
            continue;
          double e = s->err && isfinite (s->err[i]) ? s->err[i] / fabs (r) : 0;
          dev = fmax (dev, fabs (s->y[i] / r - 1) + e);
        }
    }
  dev = fmin (dev * 1.1, 1.0);
  /* Round up to a tick-friendly half-width. */
  static const double nice[] = { 0.1, 0.2, 0.25, 0.5, 1.0 };
  for (int i = 0; i < 5; i++)
    if (nice[i] >= dev)
      {
        dev = nice[i];
        break;
      }
  *lo = 1 - dev;
  *hi = 1 + dev;
}

static void
draw_frame (cairo_t *cr, JxRect r)
{
  const JxTheme *th = jx_theme ();
  cairo_save (cr);
  jx_set_rgb (cr, th->fg);
  cairo_set_line_width (cr, th->line_axis);
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The ratio panel under the main one: each series over the reference, a dashed line at 1. */
static void
draw_ratio_panel (JxPlot *p, cairo_t *cr, const JxSeries *ref, const JxAxis *x,
                  const JxAxis *ry, JxRect rdata)
{
  if (p->grid)
    jx_axis_draw_grid (cr, x, JX_SIDE_BOTTOM, rdata.y, rdata.y + rdata.h);
  cairo_save (cr);
  cairo_rectangle (cr, rdata.x, rdata.y, rdata.w, rdata.h);
  cairo_clip (cr);
  jx_plot_paint_ratio (p, ref, ref, cr, x, ry, true);
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  cairo_set_line_width (cr, 0.9);
  cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  double one = jx_axis_map (ry, 1);
  cairo_move_to (cr, rdata.x, one);
  cairo_line_to (cr, rdata.x + rdata.w, one);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (size_t k = 0; k < p->n_series; k++)
    if (&p->series[k] != ref)
      jx_plot_paint_ratio (p, &p->series[k], ref, cr, x, ry, false);
  cairo_restore (cr);
  draw_frame (cr, rdata);
  jx_axis_draw (cr, x, JX_SIDE_BOTTOM, rdata.y + rdata.h, p->xlabel, true);
  jx_axis_draw (cr, ry, JX_SIDE_LEFT, rdata.x, p->ratio_label ? p->ratio_label : "ratio",
                true);
}

void
jx_plot_draw (JxPlot *p, cairo_t *cr, JxRect rect, JxPlotLayout *layout)
{
  const JxTheme *th = jx_theme ();
  cairo_save (cr);
  jx_draw_background (cr, rect);
  JxAxis x, y;
  compute_axes (p, &x, &y);
  const JxSeries *ref = series_at (p, p->ratio_ref);
  bool ratio = ref != NULL && ref->kind == JX_SERIES_HIST;
  const JxSeries *heat = NULL;
  for (size_t k = 0; k < p->n_series; k++)
    if (p->series[k].kind == JX_SERIES_HEATMAP)
      heat = &p->series[k];

  /* Margins from what the axes need at this size. */
  double top = th->pad + 4, right = th->pad + 6;
  if (p->title && p->title[0])
    {
      double h;
      jx_text_size (cr, p->title, th->font_title, NULL, &h);
      top += h + 4;
    }
  double avail_h = rect.h - top - th->pad;
  x.px0 = rect.x, x.px1 = rect.x + rect.w;
  double bottom = jx_axis_thickness (cr, &x, JX_SIDE_BOTTOM, p->xlabel, true) + th->pad;
  double plot_h = fmax (avail_h - bottom + th->pad, 10);
  double ratio_h = ratio ? fmax (0.28 * plot_h, 30) : 0, gap = ratio ? 6 : 0;
  double main_h = fmax (plot_h - ratio_h - gap, 10);
  y.px0 = rect.y + top + main_h, y.px1 = rect.y + top;
  double left = jx_axis_thickness (cr, &y, JX_SIDE_LEFT, p->ylabel, true);
  JxAxis ry = { 0.5, 1.5, false, 0, 1 };
  if (ratio)
    {
      ratio_range (p, &ry.lo, &ry.hi);
      ry.px0 = y.px0 + gap + ratio_h, ry.px1 = y.px0 + gap;
      left = fmax (left, jx_axis_thickness (cr, &ry, JX_SIDE_LEFT, p->ratio_label, true));
    }
  left += th->pad;
  if (heat)
    right += 12 + jx_colorbar_width (cr, &heat->scale, heat->label, main_h);
  JxRect data = jx_rect (round (rect.x + left) + 0.5, round (rect.y + top) + 0.5,
                         round (fmax (rect.w - left - right, 10)), round (main_h));
  x.px0 = data.x, x.px1 = data.x + data.w;
  y.px0 = data.y + data.h, y.px1 = data.y;
  JxRect rdata = jx_rect (data.x, data.y + data.h + gap, data.w, round (ratio_h));
  ry.px0 = rdata.y + rdata.h, ry.px1 = rdata.y;

  if (p->grid)
    {
      jx_axis_draw_grid (cr, &x, JX_SIDE_BOTTOM, data.y, data.y + data.h);
      jx_axis_draw_grid (cr, &y, JX_SIDE_LEFT, data.x, data.x + data.w);
    }
  cairo_save (cr);
  cairo_rectangle (cr, data.x, data.y, data.w, data.h);
  cairo_clip (cr);
  int drawn = 0;
  /* Heatmaps first, so curves stay on top. */
  for (int pass = 0; pass < 2; pass++)
    for (size_t k = 0; k < p->n_series; k++)
      if ((p->series[k].kind == JX_SERIES_HEATMAP) == (pass == 0))
        {
          jx_plot_paint_series (p, &p->series[k], cr, &x, &y, data);
          drawn++;
        }
  cairo_restore (cr);
  draw_frame (cr, data);
  jx_axis_draw (cr, &x, JX_SIDE_BOTTOM, data.y + data.h, ratio ? NULL : p->xlabel, !ratio);
  jx_axis_draw (cr, &y, JX_SIDE_LEFT, data.x, p->ylabel, true);
  jx_plot_draw_legend (p, cr, &x, &y, data);

  if (ratio)
    draw_ratio_panel (p, cr, ref, &x, &ry, rdata);
  if (heat)
    jx_colorbar_draw (cr, jx_rect (data.x + data.w + 12, data.y, 0, data.h), &heat->scale,
                      heat->label);
  if (p->title && p->title[0])
    {
      jx_set_rgb (cr, th->fg);
      jx_text_draw (cr, data.x + 0.5 * data.w, data.y - 6, p->title, th->font_title, 0.5, 1, 0);
    }
  cairo_restore (cr);
  if (layout)
    {
      layout->data = data;
      layout->x = x;
      layout->y = y;
      layout->has_ratio = ratio;
      layout->ratio = rdata;
      layout->ratio_y = ry;
      layout->series_drawn = drawn;
    }
}
