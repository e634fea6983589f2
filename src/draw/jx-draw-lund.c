/* jx-draw-lund.c — Lund-plane figures (see jx-draw-lund.h). */
#include "jx-draw-lund.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-colorbar.h"
#include "jx-draw-text.h"
#include "jx-heatmap.h"
#include "jx-point-labels.h"

#define X_LABEL "ln 1/<i>Δ</i>"
#define Y_LABEL "ln <i>k</i><sub>t</sub> / GeV"
#define LR_LABEL "log<sub>10</sub> <i>P</i><sub>A</sub>/<i>P</i><sub>B</sub>"

void
jx_lund_style_default (JxLundStyle *s)
{
  *s = (JxLundStyle) { 0 };
  s->lr_max = NAN;
  s->colormap = JX_CMAP_VIRIDIS;
  jx_lund_grid_default (&s->grid);
}

/* Text that fits width: as it is, else with its first break (" = " or "; ") made a new line,
 * else at a smaller size (down to 70 %). Writes the text to out, returns the size. */
static double
fit_text (cairo_t *cr, const char *markup, double size, double width, char *out, size_t cap,
          double *h)
{
  double w;
  snprintf (out, cap, "%s", markup);
  jx_text_size (cr, out, size, &w, h);
  if (w <= width)
    return size;
  const char *breaks[] = { " = ", "; " };
  for (int k = 0; k < 2; k++)
    {
      char *at = strstr (out, breaks[k]);
      if (at == NULL)
        continue;
      at[0] = '\n';   /* "a = b" → "a\n= b"; "a; b" → "a\nb" */
      if (k == 1)
        memmove (at + 1, at + 2, strlen (at + 2) + 1);
      jx_text_size (cr, out, size, &w, h);
      break;
    }
  if (w > width && width > 0)
    {
      size = fmax (0.7 * size, size * width / w);
      jx_text_size (cr, out, size, &w, h);
    }
  return size;
}

/* A symmetric diverging scale over ±m, m the largest |v| unless the style fixes it. */
static JxColorScale
lr_scale (double m, const JxLundStyle *s)
{
  if (isfinite (s->lr_max) && s->lr_max > 0)
    m = s->lr_max;
  if (!(m > 0))
    m = 1;
  return (JxColorScale) { JX_CMAP_DIVERGING, -m, m, 0 };
}

/* Axes over [xlo, xhi] × [ylo, yhi] in rect, a colour bar of cs (when given) on the right and
 * an optional title on top: the data rectangle, its axes set. Draws the frame and axes. */
static JxRect
panel (cairo_t *cr, JxRect rect, double xlo, double xhi, double ylo, double yhi,
       const JxColorScale *cs, const char *cbl, const char *title, JxAxis *x, JxAxis *y)
{
  const JxTheme *th = jx_theme ();
  double top = th->pad + 4;
  if (title)
    {
      double h;
      jx_text_size (cr, title, th->font_title, NULL, &h);
      top += h + 6;
    }
  *x = (JxAxis) { xlo, xhi, false, 0, 1 };
  *y = (JxAxis) { ylo, yhi, false, 1, 0 };
  double bottom = jx_axis_thickness (cr, x, JX_SIDE_BOTTOM, X_LABEL, true) + th->pad;
  double h = fmax (rect.h - top - bottom, 10);
  y->px0 = h, y->px1 = 0;
  double left = jx_axis_thickness (cr, y, JX_SIDE_LEFT, Y_LABEL, true) + th->pad;
  double right = th->pad + 4;
  if (cs)
    right += 14 + jx_colorbar_width (cr, cs, cbl, h);
  double w = fmax (rect.w - left - right, 10);
  JxRect data = jx_rect (round (rect.x + left) + 0.5, round (rect.y + top) + 0.5, round (w),
                         round (h));
  x->px0 = data.x, x->px1 = data.x + data.w;
  y->px0 = data.y + data.h, y->px1 = data.y;
  if (cs)
    jx_colorbar_draw (cr, jx_rect (data.x + data.w + 14, data.y, JX_COLORBAR_BAR_WIDTH, data.h),
                      cs, cbl);
  jx_set_rgb (cr, th->fg);
  if (title)
    jx_text_draw (cr, data.x + 0.5 * data.w, data.y - 6, title, th->font_title, 0.5, 1, 0);
  return data;
}

static void
frame_axes (cairo_t *cr, JxRect data, const JxAxis *x, const JxAxis *y)
{
  const JxTheme *th = jx_theme ();
  jx_set_rgb (cr, th->fg);
  cairo_set_line_width (cr, th->line_axis);
  cairo_rectangle (cr, data.x, data.y, data.w, data.h);
  cairo_stroke (cr);
  jx_axis_draw (cr, x, JX_SIDE_BOTTOM, data.y + data.h, X_LABEL, true);
  jx_axis_draw (cr, y, JX_SIDE_LEFT, data.x, Y_LABEL, true);
}

/* ---- one jet ------------------------------------------------------------------------- */

void
jx_lund_draw_jet (cairo_t *cr, JxRect rect, const JxLundEmission *e, size_t n,
                  const JxLundStyle *style, JxLundLayout *layout)
{
  JxLundStyle def;
  if (style == NULL)
    {
      jx_lund_style_default (&def);
      style = &def;
    }
  const JxTheme *th = jx_theme ();
  cairo_save (cr);
  jx_draw_background (cr, rect);

  /* The grid's range, grown (with a margin) to every finite point. */
  double xlo = style->grid.x_lo, xhi = style->grid.x_hi;
  double ylo = style->grid.y_lo, yhi = style->grid.y_hi, m = 0;
  bool any_lr = false;
  for (size_t i = 0; i < n; i++)
    {
      if (isfinite (e[i].x) && isfinite (e[i].y))
        {
          xlo = fmin (xlo, e[i].x - 0.2), xhi = fmax (xhi, e[i].x + 0.2);
          ylo = fmin (ylo, e[i].y - 0.3), yhi = fmax (yhi, e[i].y + 0.3);
        }
      if (isfinite (e[i].lr))
        {
          m = fmax (m, fabs (e[i].lr));
          any_lr = true;
        }
    }
  JxColorScale cs = lr_scale (m, style);
  const char *cbl = style->lr_label ? style->lr_label : LR_LABEL;
  JxAxis x, y;
  JxRect data = panel (cr, rect, xlo, xhi, ylo, yhi, any_lr ? &cs : NULL, cbl, style->title,
                       &x, &y);

  cairo_save (cr);
  cairo_rectangle (cr, data.x, data.y, data.w, data.h);
  cairo_clip (cr);
  jx_axis_draw_grid (cr, &x, JX_SIDE_BOTTOM, data.y, data.y + data.h);
  jx_axis_draw_grid (cr, &y, JX_SIDE_LEFT, data.x, data.x + data.w);
  /* Points: area grows with z (z ≤ ½), filled by r_t. */
  double rmin = 4, rmax = fmax (7, fmin (14, 0.03 * fmin (data.w, data.h)));
  for (size_t i = 0; i < n; i++)
    {
      double px = jx_axis_map (&x, e[i].x), py = jx_axis_map (&y, e[i].y);
      if (!isfinite (px) || !isfinite (py))
        continue;
      double f = isfinite (e[i].z) ? sqrt (fmin (fmax (e[i].z, 0) / 0.5, 1)) : 0;
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, rmin + (rmax - rmin) * f, 0, 2 * M_PI);
      JxRgb fill = isfinite (e[i].lr) ? jx_color_scale_eval (&cs, e[i].lr)
                                      : (JxRgb) { 0.65, 0.65, 0.65 };
      jx_set_rgb (cr, fill);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_set_line_width (cr, 1.2);
      cairo_stroke (cr);
    }
  /* Step labels, in step order, skipped where they would overlap one already placed. */
  JxPointLabels pl;
  int hidden = 0;
  if (jx_point_labels_init (&pl, data, n))
    {
      for (size_t i = 0; i < n; i++)
        {
          double px = jx_axis_map (&x, e[i].x), py = jx_axis_map (&y, e[i].y);
          if (!isfinite (px) || !isfinite (py))
            continue;
          char t[16];
          snprintf (t, sizeof t, "%d", e[i].step);
          jx_point_labels_draw (&pl, cr, px, py, rmax, t, th->fg);
        }
      hidden = pl.hidden;
      jx_point_labels_free (&pl);
    }
  cairo_restore (cr);
  frame_axes (cr, data, &x, &y);
  if (n == 0)
    jx_text_draw (cr, data.x + 0.5 * data.w, data.y + 0.5 * data.h,
                  "no primary emission (one particle)", th->font_label, 0.5, 0.5, 0);
  cairo_restore (cr);
  if (layout)
    *layout = (JxLundLayout) { .data = data, .x = x, .y = y, .lr = cs, .labels_hidden = hidden };
}

/* ---- a dataset's map ----------------------------------------------------------------- */

void
jx_lund_map_summary (const JxLundMap *map, char *out, size_t cap)
{
  double bins = 0;
  for (int i = 0; i < map->grid.nx * map->grid.ny; i++)
    bins += jx_lund_map_attribution (map, i);
  snprintf (out, cap, "bins %+.3f · %s %+.3f · %s %+.3f · %s %+.3f = mean log10 P_A/P_B %+.3f "
            "(%zu jets)", bins,
            jx_lund_cell_name (JX_LUND_SECONDARY),
            jx_lund_map_cell_attribution (map, JX_LUND_SECONDARY),
            jx_lund_cell_name (JX_LUND_END), jx_lund_map_cell_attribution (map, JX_LUND_END),
            jx_lund_cell_name (JX_LUND_OUTSIDE),
            jx_lund_map_cell_attribution (map, JX_LUND_OUTSIDE),
            jx_lund_map_attributed_mean (map), map->n_jets);
}

/* Bins without emissions show the light grey underneath: "nothing here" must not read as a
 * zero contribution, which is near-white on the diverging scale. */
static void
paint_bins (cairo_t *cr, JxRect data, const JxLundGrid *g, const double *values,
            const JxColorScale *cs)
{
  jx_set_rgb (cr, JX_LUND_EMPTY_BIN);
  cairo_rectangle (cr, data.x, data.y, data.w, data.h);
  cairo_fill (cr);
  jx_heatmap_paint (cr, data, (size_t) g->nx, (size_t) g->ny, values, cs, 0);
}

void
jx_lund_draw_map (cairo_t *cr, JxRect rect, const JxLundMap *map, const JxLundStyle *style,
                  JxLundLayout *layout)
{
  JxLundStyle def;
  if (style == NULL)
    {
      jx_lund_style_default (&def);
      style = &def;
    }
  const JxTheme *th = jx_theme ();
  const JxLundGrid *g = &map->grid;
  size_t nb = (size_t) g->nx * (size_t) g->ny;
  double *dens = malloc (nb * sizeof *dens), *attr = malloc (nb * sizeof *attr);
  if (dens == NULL || attr == NULL)
    {
      free (dens);
      free (attr);
      jx_draw_message (cr, rect, "out of memory");
      return;
    }
  double dmax = 0, amax = 0;
  for (size_t i = 0; i < nb; i++)
    {
      /* Empty bins stay empty (transparent), not "zero". */
      bool empty = map->count[i] == 0;
      dens[i] = empty ? NAN : jx_lund_map_density (map, (int) i);
      attr[i] = empty ? NAN : jx_lund_map_attribution (map, (int) i);
      if (!empty)
        {
          dmax = fmax (dmax, dens[i]);
          amax = fmax (amax, fabs (attr[i]));
        }
    }
  cairo_save (cr);
  jx_draw_background (cr, rect);

  double top = 0, avail = rect.w - 2 * th->pad;
  char text[1024];
  if (style->title)
    {
      double h, size = fit_text (cr, style->title, th->font_title, avail, text, sizeof text, &h);
      jx_set_rgb (cr, th->fg);
      jx_text_draw (cr, rect.x + 0.5 * rect.w, rect.y + th->pad, text, size, 0.5, 0, 0);
      top = th->pad + h;
    }
  char summary[256], line[300];
  jx_lund_map_summary (map, summary, sizeof summary);
  double lh, lsize = fit_text (cr, summary, th->font_label, avail, line, sizeof line, &lh);
  double bottom = lh + 2 * th->pad;
  JxRect body = jx_rect (rect.x, rect.y + top, rect.w, fmax (rect.h - top - bottom, 20));
  /* Side by side on a wide area, stacked on a tall one. */
  bool wide = body.w >= 1.3 * body.h;
  JxRect r1 = wide ? jx_rect (body.x, body.y, 0.5 * body.w, body.h)
                   : jx_rect (body.x, body.y, body.w, 0.5 * body.h);
  JxRect r2 = wide ? jx_rect (body.x + 0.5 * body.w, body.y, 0.5 * body.w, body.h)
                   : jx_rect (body.x, body.y + 0.5 * body.h, body.w, 0.5 * body.h);

  JxColorScale dcs = { style->colormap, 0, dmax > 0 ? dmax : 1, 0 };
  JxColorScale acs = lr_scale (amax, style);
  JxAxis dx, dy, ax, ay;
  JxRect dd = panel (cr, r1, g->x_lo, g->x_hi, g->y_lo, g->y_hi, &dcs,
                     "emissions / jet / unit area", "primary emission density", &dx, &dy);
  paint_bins (cr, dd, g, dens, &dcs);
  frame_axes (cr, dd, &dx, &dy);
  JxRect ad = panel (cr, r2, g->x_lo, g->x_hi, g->y_lo, g->y_hi, &acs,
                     style->lr_label ? style->lr_label : LR_LABEL " / jet",
                     "likelihood-ratio attribution", &ax, &ay);
  paint_bins (cr, ad, g, attr, &acs);
  frame_axes (cr, ad, &ax, &ay);

  jx_set_rgb (cr, th->fg);
  jx_text_draw (cr, rect.x + 0.5 * rect.w, rect.y + rect.h - th->pad, line, lsize, 0.5, 1, 0);
  cairo_restore (cr);
  free (dens);
  free (attr);
  if (layout)
    *layout = (JxLundLayout) { .data = ad, .density = dd, .x = ax, .y = ay, .lr = acs };
}
