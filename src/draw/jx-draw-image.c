/* jx-draw-image.c — jet images with particles (see jx-draw-image.h). */
#include "jx-draw-image.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "jx-colorbar.h"
#include "jx-draw-text.h"
#include "jx-heatmap.h"
#include "jx-point-labels.h"

void
jx_image_style_default (JxImageStyle *s)
{
  *s = (JxImageStyle) { 0 };
  s->scale = JX_IMAGE_LOG;
  s->colormap = JX_CMAP_VIRIDIS;
  s->lo = s->hi = NAN;
  s->colorbar = true;
  s->view_R = NAN;
}

static JxColorScale
image_scale (const JxImageView *img, const JxImageStyle *s)
{
  JxColorScale c = { s->colormap, 0, 1, 0 };
  size_t n = img ? img->npix * img->npix : 0;
  double lo = 0, hi = 1;
  switch (s->scale)
    {
    case JX_IMAGE_LOG:
      c.log = 1;
      if (!(n && jx_heatmap_range (img->pixels, n, 1, &lo, &hi)))
        lo = 0.1, hi = 1;
      if (hi / lo > 1e6)
        lo = hi * 1e-6;  /* a few stray tiny pixels must not wash out the picture */
      break;
    case JX_IMAGE_LINEAR:
      if (!(n && jx_heatmap_range (img->pixels, n, 0, &lo, &hi)))
        lo = 0, hi = 1;
      lo = fmin (lo, 0);
      break;
    case JX_IMAGE_DIFFERENCE:
      c.map = JX_CMAP_DIVERGING;
      if (!(n && jx_heatmap_range (img->pixels, n, 0, &lo, &hi)))
        lo = -1, hi = 1;
      {
        double m = fmax (fabs (lo), fabs (hi));
        m = m > 0 ? m : 1;
        lo = -m, hi = m;
      }
      break;
    }
  if (isfinite (s->lo))
    lo = s->lo;
  if (isfinite (s->hi))
    hi = s->hi;
  if (!(hi > lo))
    hi = lo + (c.log ? lo : 1);
  if (c.log && !(lo > 0))
    lo = hi * 1e-6;
  c.lo = lo, c.hi = hi;
  return c;
}

/* The half-width shown: the style's, else the image's, else the particles' reach. */
static double
view_radius (const JxImageView *img, bool have_img, const JxImageParticle *parts, size_t np,
             const JxImageStyle *style)
{
  double R = style->view_R;
  if (!(R > 0))
    {
      if (have_img)
        R = img->R;
      else
        {
          R = 0;
          for (size_t i = 0; i < np; i++)
            if (isfinite (parts[i].x) && isfinite (parts[i].y))
              R = fmax (R, fmax (fabs (parts[i].x), fabs (parts[i].y)));
          R = R > 0 ? 1.1 * R : 1;
        }
    }
  return R;
}

/* Particles as discs (area ∝ energy, hardest drawn last) and their step labels; returns how
 * many labels were left out for overlapping. */
static int
draw_particles (cairo_t *cr, const JxAxis *xa, const JxAxis *ya, JxRect data, double side,
                const JxImageParticle *parts, size_t np, bool have_img,
                const JxImageStyle *style)
{
  const JxTheme *th = jx_theme ();
  JxAxis x = *xa, y = *ya;
  double emax = 0;
  for (size_t i = 0; i < np; i++)
    if (isfinite (parts[i].E))
      emax = fmax (emax, parts[i].E);
  double rmin = 2.0, rmax = fmax (4, fmin (14, 0.035 * side));
  size_t *ord = malloc ((np ? np : 1) * sizeof *ord);
  int hidden = 0;
  if (ord)
    {
      for (size_t i = 0; i < np; i++)
        ord[i] = i;
      for (size_t i = 1; i < np; i++)  /* insertion sort: n is small (≤ 100 particles) */
        {
          size_t k = ord[i], j = i;
          while (j > 0 && parts[ord[j - 1]].E > parts[k].E)
            {
              ord[j] = ord[j - 1];
              j--;
            }
          ord[j] = k;
        }
      JxRgb mc = have_img && style->scale != JX_IMAGE_DIFFERENCE ? (JxRgb) { 1, 0.45, 0.2 }
                                                                  : jx_palette_color (3);
      for (size_t k = 0; k < np; k++)
        {
          const JxImageParticle *pp = &parts[ord[k]];
          double px = jx_axis_map (&x, pp->x), py = jx_axis_map (&y, pp->y);
          if (!isfinite (px) || !isfinite (py))
            continue;
          double f = emax > 0 && pp->E > 0 ? sqrt (pp->E / emax) : 0;
          double r = rmin + (rmax - rmin) * f;
          cairo_new_sub_path (cr);
          cairo_arc (cr, px, py, r, 0, 2 * M_PI);
          if (style->marker_scale)
            {
              jx_set_rgba (cr, jx_color_scale_eval (style->marker_scale, pp->E), 0.9);
              cairo_fill_preserve (cr);
              cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
            }
          else
            {
              /* A ring keeps the pixel under the particle visible. */
              cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
              cairo_set_line_width (cr, 2.6);
              cairo_stroke_preserve (cr);
              jx_set_rgb (cr, mc);
              cairo_set_line_width (cr, 1.2);
              cairo_stroke (cr);
            }
        }
      /* Step labels in particle order, skipped when they would overlap. */
      JxPointLabels pl;
      if (style->label_steps && jx_point_labels_init (&pl, data, np))
        {
          for (size_t i = 0; i < np; i++)
            {
              const JxImageParticle *pp = &parts[i];
              double px = jx_axis_map (&x, pp->x), py = jx_axis_map (&y, pp->y);
              if (pp->step <= 0 || !isfinite (px) || !isfinite (py))
                continue;
              char t[16];
              snprintf (t, sizeof t, "%d", pp->step);
              double f = emax > 0 && pp->E > 0 ? sqrt (pp->E / emax) : 0;
              jx_point_labels_draw (&pl, cr, px, py, rmin + (rmax - rmin) * f, t, th->fg);
            }
          hidden = pl.hidden;
          jx_point_labels_free (&pl);
        }
    }
  free (ord);
  return hidden;
}

void
jx_image_draw (cairo_t *cr, JxRect rect, const JxImageView *img,
               const JxImageParticle *parts, size_t np, const JxImageStyle *style,
               JxImageLayout *layout)
{
  JxImageStyle def;
  if (style == NULL)
    {
      jx_image_style_default (&def);
      style = &def;
    }
  const JxTheme *th = jx_theme ();
  bool have_img = img && img->pixels && img->npix > 0 && img->R > 0;
  cairo_save (cr);
  jx_draw_background (cr, rect);

  double R = view_radius (img, have_img, parts, np, style);
  JxColorScale cs = image_scale (have_img ? img : NULL, style);
  const char *cbl = style->cbar_label ? style->cbar_label
                    : style->scale == JX_IMAGE_DIFFERENCE ? "difference" : "pixel energy [GeV]";

  double top = th->pad + 4;
  if (style->title)
    {
      double h;
      jx_text_size (cr, style->title, th->font_title, NULL, &h);
      top += h + 6;
    }
  JxAxis x = { -R, R, false, 0, 1 }, y = { -R, R, false, 1, 0 };
  const char *xl = "<i>θ</i> cos <i>φ</i>", *yl = "<i>θ</i> sin <i>φ</i>";
  double bottom = jx_axis_thickness (cr, &x, JX_SIDE_BOTTOM, xl, true) + th->pad;
  double side_h = fmax (rect.h - top - bottom, 10);
  y.px0 = side_h, y.px1 = 0;
  double left = jx_axis_thickness (cr, &y, JX_SIDE_LEFT, yl, true) + th->pad;
  double right = th->pad + 4;
  bool cbar = style->colorbar && have_img;
  if (cbar)
    right += 14 + jx_colorbar_width (cr, &cs, cbl, side_h);
  double side = fmax (fmin (rect.w - left - right, side_h), 10);
  /* Centre the square horizontally in what is left. */
  double x0 = rect.x + left + 0.5 * fmax (rect.w - left - right - side, 0);
  JxRect data = jx_rect (round (x0) + 0.5, round (rect.y + top) + 0.5, round (side),
                         round (side));
  x.px0 = data.x, x.px1 = data.x + data.w;
  y.px0 = data.y + data.h, y.px1 = data.y;

  cairo_save (cr);
  cairo_rectangle (cr, data.x, data.y, data.w, data.h);
  cairo_clip (cr);
  if (have_img)
    {
      double xa = jx_axis_map (&x, -img->R), xb = jx_axis_map (&x, img->R);
      double ya = jx_axis_map (&y, img->R), yb = jx_axis_map (&y, -img->R);
      jx_heatmap_paint (cr, jx_rect (xa, ya, xb - xa, yb - ya), img->npix, img->npix,
                        img->pixels, &cs, 1);
    }
  else
    {
      jx_axis_draw_grid (cr, &x, JX_SIDE_BOTTOM, data.y, data.y + data.h);
      jx_axis_draw_grid (cr, &y, JX_SIDE_LEFT, data.x, data.x + data.w);
    }
  int hidden = draw_particles (cr, &x, &y, data, side, parts, np, have_img, style);
  cairo_restore (cr);

  jx_set_rgb (cr, th->fg);
  cairo_set_line_width (cr, th->line_axis);
  cairo_rectangle (cr, data.x, data.y, data.w, data.h);
  cairo_stroke (cr);
  jx_axis_draw (cr, &x, JX_SIDE_BOTTOM, data.y + data.h, xl, true);
  jx_axis_draw (cr, &y, JX_SIDE_LEFT, data.x, yl, true);
  JxRect cb = { 0 };
  if (cbar)
    {
      cb = jx_rect (data.x + data.w + 14, data.y, JX_COLORBAR_BAR_WIDTH, data.h);
      jx_colorbar_draw (cr, cb, &cs, cbl);
    }
  if (style->title)
    {
      jx_set_rgb (cr, th->fg);
      jx_text_draw (cr, data.x + 0.5 * data.w, data.y - 6, style->title, th->font_title, 0.5,
                    1, 0);
    }
  cairo_restore (cr);
  if (layout)
    {
      layout->data = data;
      layout->x = x;
      layout->y = y;
      layout->colorbar = cb;
      layout->labels_hidden = hidden;
    }
}

int
jx_image_emission_step (const JxTree *tree, int node)
{
  /* Up through the harder daughters: they carry on their mother's line. */
  int m;
  while ((m = tree->nodes[node].mother) >= 0 && tree->nodes[m].daughter[0] == node)
    node = m;
  return m >= 0 ? tree->nodes[node].born : 0;
}

size_t
jx_image_particles_from_tree (const JxTree *tree, int max_step, JxImageParticle *out,
                              size_t cap)
{
  if (tree == NULL || tree->n == 0 || tree->root < 0)
    return 0;
  int max = max_step < 0 ? (int) tree->n - 1 : max_step;
  JxP4 axis = tree->nodes[tree->root].p;
  size_t k = 0, nn = 2 * tree->n - 1;
  for (size_t i = 0; i < nn && k < cap; i++)
    {
      const JxNode *nd = &tree->nodes[i];
      if (nd->born > max || (nd->step > 0 && nd->step <= max))
        continue;
      JxRelative r = jx_relative_to (nd->p, axis);
      out[k].x = r.theta * cos (r.phi);
      out[k].y = r.theta * sin (r.phi);
      out[k].E = nd->p.E;
      out[k].step = jx_image_emission_step (tree, (int) i);
      k++;
    }
  return k;
}

void
jx_image_average (double *out, const double *const *images, size_t count, size_t npix)
{
  size_t n = npix * npix;
  for (size_t i = 0; i < n; i++)
    out[i] = 0;
  if (count == 0)
    return;
  for (size_t k = 0; k < count; k++)
    for (size_t i = 0; i < n; i++)
      out[i] += images[k][i];
  for (size_t i = 0; i < n; i++)
    out[i] /= (double) count;
}

void
jx_image_difference (double *out, const double *a, const double *b, size_t npix)
{
  size_t n = npix * npix;
  for (size_t i = 0; i < n; i++)
    out[i] = a[i] - b[i];
}
