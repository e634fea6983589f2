/* jx-heatmap.c — value grids as images (see jx-heatmap.h). */
#include "jx-heatmap.h"

#include <math.h>
#include <stdint.h>

void
jx_heatmap_paint (cairo_t *cr, JxRect r, size_t nx, size_t ny, const double *values,
                  const JxColorScale *scale, int top_first)
{
  if (nx == 0 || ny == 0 || nx > 32768 || ny > 32768)
    return;
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) nx, (int) ny);
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (img);
      return;
    }
  cairo_surface_flush (img);
  unsigned char *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  for (size_t iy = 0; iy < ny; iy++)
    {
      /* Image row 0 is the top. */
      size_t out_row = top_first ? iy : ny - 1 - iy;
      uint32_t *row = (uint32_t *) (void *) (data + (size_t) stride * out_row);
      for (size_t ix = 0; ix < nx; ix++)
        {
          double v = values[iy * nx + ix];
          /* On a log scale zero (empty) cells are masked like NaN: "nothing here", not
           * "the lowest colour". */
          if (isnan (v) || (scale->log && !(v > 0)))
            {
              row[ix] = 0;
              continue;
            }
          unsigned char b[3];
          jx_rgb_to_bytes (jx_color_scale_eval (scale, v), b);
          row[ix] = 0xff000000u | ((uint32_t) b[0] << 16) | ((uint32_t) b[1] << 8) | b[2];
        }
    }
  cairo_surface_mark_dirty (img);
  cairo_save (cr);
  cairo_rectangle (cr, r.x, r.y, r.w, r.h);
  cairo_clip (cr);
  cairo_translate (cr, r.x, r.y);
  cairo_scale (cr, r.w / (double) nx, r.h / (double) ny);
  cairo_set_source_surface (cr, img, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

int
jx_heatmap_range (const double *values, size_t n, int positive_only, double *lo, double *hi)
{
  double a = INFINITY, b = -INFINITY;
  for (size_t i = 0; i < n; i++)
    {
      double v = values[i];
      if (!isfinite (v) || (positive_only && !(v > 0)))
        continue;
      a = fmin (a, v);
      b = fmax (b, v);
    }
  if (!(a <= b))
    return 0;
  *lo = a;
  *hi = b;
  return 1;
}
