/* Building blocks of the drawing layer: colour maps, axis ticks, histograms, surfaces. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "draw-check.h"
#include "jx-axis.h"
#include "jx-colormap.h"
#include "jx-draw-text.h"
#include "jx-hist.h"
#include "jx-surface.h"
#include "jx-test.h"

static void
test_colormaps (void)
{
  JxRgb a = jx_colormap_eval (JX_CMAP_VIRIDIS, 0), b = jx_colormap_eval (JX_CMAP_VIRIDIS, 1);
  JX_CHECK_CLOSE (a.r, 0.267004, 0, 1e-9);
  JX_CHECK_CLOSE (b.g, 0.906157, 0, 1e-9);
  /* Viridis gets lighter all the way (perceptually ordered). */
  double last = -1;
  for (int i = 0; i <= 50; i++)
    {
      JxRgb c = jx_colormap_eval (JX_CMAP_VIRIDIS, i / 50.0);
      double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
      JX_CHECK_MSG (lum > last, "luminance at %d", i);
      last = lum;
    }
  JxRgb mid = jx_colormap_eval (JX_CMAP_DIVERGING, 0.5);
  JX_CHECK (mid.r > 0.95 && mid.g > 0.95 && mid.b > 0.95);
  JxRgb neg = jx_colormap_eval (JX_CMAP_DIVERGING, 0), pos = jx_colormap_eval (JX_CMAP_DIVERGING, 1);
  JX_CHECK (neg.b > neg.r && pos.r > pos.b);
  JxRgb clamp = jx_colormap_eval (JX_CMAP_VIRIDIS, 7);
  JX_CHECK_CLOSE (clamp.r, b.r, 0, 1e-12);
  JxRgb nan = jx_colormap_eval (JX_CMAP_VIRIDIS, NAN);
  JX_CHECK (isfinite (nan.r));
  JX_CHECK_INT (jx_palette_size (), 8);
  JxRgb p0 = jx_palette_color (0), p8 = jx_palette_color (8);
  JX_CHECK (p0.r == p8.r && p0.g == p8.g && p0.b == p8.b);

  JxColorScale s = { JX_CMAP_VIRIDIS, 1, 1000, 1 };
  JX_CHECK_CLOSE (jx_color_scale_t (&s, 10), 1.0 / 3, 1e-12, 0);
  JX_CHECK_CLOSE (jx_color_scale_t (&s, 0), 0, 0, 0);
  JX_CHECK (isnan (jx_color_scale_t (&s, NAN)));
  JxColorScale flat = { JX_CMAP_VIRIDIS, 5, 5, 0 };
  JX_CHECK_CLOSE (jx_color_scale_t (&flat, 5), 0.5, 0, 0);
  unsigned char by[3];
  jx_rgb_to_bytes ((JxRgb) { 1, 0.5, -3 }, by);
  JX_CHECK (by[0] == 255 && by[1] == 128 && by[2] == 0);
}

/* The names the preference and `render --colormap` accept, and only those. */
static void
test_colormap_names (void)
{
  JX_CHECK_INT (jx_colormap_parse ("viridis"), JX_CMAP_VIRIDIS);
  JX_CHECK_INT (jx_colormap_parse ("greys"), JX_CMAP_GREYS);
  const char *bad[] = { "diverging", "Greys", "grey", "magma", "", NULL };
  for (int i = 0; bad[i] != NULL; i++)
    JX_CHECK_MSG (jx_colormap_parse (bad[i]) == -1, "'%s' is not a sequential map", bad[i]);
  JX_CHECK_INT (jx_colormap_parse (NULL), -1);
  JxColormap all[] = { JX_CMAP_VIRIDIS, JX_CMAP_DIVERGING, JX_CMAP_GREYS };
  for (int i = 0; i < 3; i++)
    JX_CHECK (jx_colormap_name (all[i])[0] != '\0');
  JX_CHECK (strcmp (jx_colormap_name (JX_CMAP_GREYS), "greys") == 0);
  JX_CHECK_INT (jx_colormap_parse (jx_colormap_name (JX_CMAP_VIRIDIS)), JX_CMAP_VIRIDIS);
  JX_CHECK (strcmp (jx_colormap_name ((JxColormap) 99), "") == 0);
}

static int
count_majors (const JxTick *t, int n, int labelled_only)
{
  int k = 0;
  for (int i = 0; i < n; i++)
    k += t[i].major && (!labelled_only || t[i].label[0]);
  return k;
}

static bool
has_label (const JxTick *t, int n, const char *s)
{
  for (int i = 0; i < n; i++)
    if (strcmp (t[i].label, s) == 0)
      return true;
  return false;
}

static void
test_axis_ticks (void)
{
  JxTick t[JX_TICKS_MAX];
  JxAxis a = { 0, 1, false, 100, 600 };
  int n = jx_axis_ticks (&a, 70, t, JX_TICKS_MAX);
  int m = count_majors (t, n, 1);
  JX_CHECK_MSG (m >= 4 && m <= 8, "%d major ticks on [0,1] over 500 px", m);
  JX_CHECK (has_label (t, n, "0.0") && has_label (t, n, "0.2") && has_label (t, n, "1.0"));
  JX_CHECK (n > m);  /* minor ticks */
  JX_CHECK_CLOSE (jx_axis_map (&a, 0.5), 350, 0, 1e-9);
  JX_CHECK_CLOSE (jx_axis_unmap (&a, 350), 0.5, 0, 1e-12);

  JxAxis neg = { -250, 1250, false, 0, 600 };
  n = jx_axis_ticks (&neg, 70, t, JX_TICKS_MAX);
  JX_CHECK (has_label (t, n, "0") && has_label (t, n, "1000"));
  JX_CHECK (has_label (t, n, "−200"));

  JxAxis lg = { 1, 1e4, true, 0, 400 };
  n = jx_axis_ticks (&lg, 45, t, JX_TICKS_MAX);
  JX_CHECK_INT (count_majors (t, n, 1), 5);
  JX_CHECK (has_label (t, n, "10<sup>0</sup>") && has_label (t, n, "10<sup>4</sup>"));
  JX_CHECK (n > 20);  /* 2..9 minors per decade */
  JX_CHECK_CLOSE (jx_axis_map (&lg, 100), 200, 0, 1e-9);
  JX_CHECK (isnan (jx_axis_map (&lg, 0)));
  JX_CHECK (isnan (jx_axis_map (&lg, -1)));

  /* Many decades in a short axis: labels thinned, never crowded. */
  JxAxis wide = { 1e-12, 1e12, true, 0, 200 };
  n = jx_axis_ticks (&wide, 45, t, JX_TICKS_MAX);
  int lab = count_majors (t, n, 1);
  JX_CHECK_MSG (lab >= 2 && lab <= 6, "%d labels for 24 decades in 200 px", lab);

  /* Less than a decade: still at least two labels. */
  JxAxis narrow = { 2, 8, true, 0, 300 };
  n = jx_axis_ticks (&narrow, 45, t, JX_TICKS_MAX);
  JX_CHECK (count_majors (t, n, 1) >= 2);
  JxAxis tiny = { 1.01, 1.02, true, 0, 300 };
  n = jx_axis_ticks (&tiny, 45, t, JX_TICKS_MAX);
  JX_CHECK (count_majors (t, n, 1) >= 2);

  /* Big and small numbers switch to ×10^k. */
  JxAxis big = { 0, 3e6, false, 0, 500 };
  n = jx_axis_ticks (&big, 70, t, JX_TICKS_MAX);
  JX_CHECK (has_label (t, n, "1.0×10<sup>6</sup>") || has_label (t, n, "1×10<sup>6</sup>"));

  double lo = 3, hi = 3;
  jx_axis_pad_range (&lo, &hi, false, 0.05);
  JX_CHECK (hi > lo && lo < 3 && hi > 3);
  lo = NAN, hi = INFINITY;
  jx_axis_pad_range (&lo, &hi, false, 0);
  JX_CHECK (isfinite (lo) && isfinite (hi) && hi > lo);
  lo = -5, hi = 0;
  jx_axis_pad_range (&lo, &hi, true, 0);
  JX_CHECK (lo > 0 && hi > lo);
}

static void
test_hist (void)
{
  JxHist h;
  JxError err = { 0 };
  JX_CHECK_INT (jx_hist_init_uniform (&h, 4, 0, 4, &err), 0);
  jx_hist_fill (&h, 0.5, 2);
  jx_hist_fill (&h, 0.7, 1);
  jx_hist_fill (&h, 4.0, 1);   /* the top edge is in the last bin */
  jx_hist_fill (&h, -1, 5);
  jx_hist_fill (&h, 9, 3);
  jx_hist_fill (&h, NAN, 1);
  jx_hist_fill (&h, 1, INFINITY);
  JX_CHECK_CLOSE (h.sumw[0], 3, 0, 0);
  JX_CHECK_CLOSE (jx_hist_error (&h, 0), sqrt (5), 1e-15, 0);
  JX_CHECK_CLOSE (h.sumw[3], 1, 0, 0);
  JX_CHECK_CLOSE (h.underflow, 5, 0, 0);
  JX_CHECK_CLOSE (h.overflow, 3, 0, 0);
  JX_CHECK_INT (h.skipped, 2);
  JX_CHECK_INT (h.entries, 3);
  jx_hist_normalize (&h);
  JX_CHECK_CLOSE (jx_hist_integral (&h), 1, 1e-14, 0);
  JX_CHECK_CLOSE (jx_hist_error (&h, 0), sqrt (5) / 4, 1e-14, 0);
  jx_hist_free (&h);

  double edges[] = { 0, 1, 10, 100 };
  JX_CHECK_INT (jx_hist_init_edges (&h, edges, 3, &err), 0);
  jx_hist_fill (&h, 50, 1);
  jx_hist_fill (&h, 1, 1);
  JX_CHECK_CLOSE (h.sumw[2], 1, 0, 0);
  JX_CHECK_CLOSE (h.sumw[1], 1, 0, 0);
  jx_hist_free (&h);
  double bad[] = { 0, 2, 1 };
  JX_CHECK_INT (jx_hist_init_edges (&h, bad, 2, &err), JX_ERR_INVALID);
  JX_CHECK_INT (jx_hist_init_uniform (&h, 3, 1, 1, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "lo < hi") != NULL);
  JX_CHECK_INT (jx_hist_init_uniform (&h, 0, 0, 1, &err), JX_ERR_INVALID);
  jx_hist_free (&h);
}

static void
test_surfaces (void)
{
  JxSurface *s;
  JxError err = { 0 };
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("x.jpeg"), JX_FORMAT_AUTO, 100, 100, 1, &err),
                JX_ERR_INVALID);
  JX_CHECK (s == NULL && strstr (err.message, ".png") != NULL);
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("x.png"), JX_FORMAT_AUTO, 0, 100, 1, &err),
                JX_ERR_INVALID);
  JX_CHECK_INT (jx_surface_open (&s, "/nonexistent-dir/x.pdf", JX_FORMAT_AUTO, 10, 10, 1, &err),
                JX_ERR_IO);

  /* PNG at scale 2 has twice the pixels; new pages need PDF. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("s.png"), JX_FORMAT_AUTO, 120, 80, 2, &err), 0);
  cairo_t *cr = jx_surface_cr (s);
  cairo_set_source_rgb (cr, 0, 0, 1);
  cairo_paint (cr);
  JX_CHECK_INT (jx_surface_new_page (s, &err), JX_ERR_INVALID);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  cairo_surface_t *img = draw_check_png (draw_path ("s.png"), 240, 160, 1, 100);
  JX_CHECK (img != NULL);
  if (img)
    {
      unsigned char c[3];
      draw_pixel (img, 239, 159, c);
      JX_CHECK (c[0] == 0 && c[1] == 0 && c[2] == 255);
      cairo_surface_destroy (img);
    }

  /* SVG carries drawn text as <text>, markup removed and XML-escaped. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("t.svg"), JX_FORMAT_AUTO, 300, 200, 1, &err), 0);
  cr = jx_surface_cr (s);
  jx_text_draw (cr, 150, 100, "log<sub>10</sub> <i>P</i> &amp; more", 12, 0.5, 0.5, 0);
  jx_text_draw (cr, 20, 100, "rotated", 12, 0.5, 1, M_PI / 2);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  const char *needles[] = { ">log10 P &amp; more<", ">rotated<", "rotate(-90.00)", NULL };
  JX_CHECK (draw_check_svg (draw_path ("t.svg"), 300, 200, needles));

  /* An aborted surface leaves nothing under the name. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("gone.pdf"), JX_FORMAT_AUTO, 50, 50, 1, &err), 0);
  jx_surface_abort (s);
  JX_CHECK (access (draw_path ("gone.pdf"), F_OK) != 0);

  /* Text size grows with the font size; escaping. */
  cairo_surface_t *is = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cr = cairo_create (is);
  double w1, h1, w2, h2;
  jx_text_size (cr, "Jet", 10, &w1, &h1);
  jx_text_size (cr, "Jet", 20, &w2, &h2);
  JX_CHECK (w1 > 5 && w2 > 1.6 * w1 && h2 > 1.6 * h1);
  char esc[32];
  JX_CHECK (strcmp (jx_text_escape ("a<b&c", esc, sizeof esc), "a&lt;b&amp;c") == 0);
  cairo_destroy (cr);
  cairo_surface_destroy (is);
}

int
main (void)
{
  test_colormaps ();
  test_colormap_names ();
  test_axis_ticks ();
  test_hist ();
  test_surfaces ();
  draw_scratch_done ();
  JX_TEST_MAIN_END ("draw-basics");
}
