/* Plots: histograms with a ratio panel, ROC curves, heatmaps, line plots, degenerate
 * inputs, in PNG, SVG and multi-page PDF. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw-check.h"
#include "jx-plot.h"
#include "jx-rng.h"
#include "jx-surface.h"
#include "jx-test.h"

#define W 800
#define H 600

static JxPlot *
hist_plot (JxHist *h)
{
  JxRng rng;
  jx_rng_seed (&rng, 42, 0);
  JxError err = { 0 };
  for (int k = 0; k < 3; k++)
    JX_CHECK_INT (jx_hist_init_uniform (&h[k], 30, 0, 150, &err), 0);
  for (int i = 0; i < 4000; i++)
    {
      double u1 = jx_rng_uniform (&rng), u2 = jx_rng_uniform (&rng);
      double g = sqrt (-2 * log (u1 + 1e-300)) * cos (2 * M_PI * u2);
      jx_hist_fill (&h[0], 91 + 12 * g, 1);
      jx_hist_fill (&h[1], 89 + 13 * g, 1.02);
      jx_hist_fill (&h[2], 60 + 25 * g, 0.5 + jx_rng_uniform (&rng));
    }
  JxPlot *p = jx_plot_new ();
  jx_plot_set_title (p, "Jet mass");
  jx_plot_set_x_axis (p, "jet mass <i>m</i> [GeV]", false);
  jx_plot_set_y_axis (p, "jets / bin", false);
  int s2 = jx_plot_add_hist (p, &h[2], JX_HIST_FILLED, "background (weighted)");
  int s1 = jx_plot_add_hist (p, &h[1], JX_HIST_STEP, "JUNIPR samples");
  int s0 = jx_plot_add_hist (p, &h[0], JX_HIST_POINTS, "generator data");
  JX_CHECK (s0 == 2 && s1 == 1 && s2 == 0);
  jx_plot_set_ratio (p, s0, "model / data", NAN, NAN);
  return p;
}

static void
test_hist_ratio (void)
{
  JxHist h[3];
  JxPlot *p = hist_plot (h);
  JxSurface *s;
  JxError err = { 0 };
  JxPlotLayout lay;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("hist.png"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  jx_plot_draw (p, jx_surface_cr (s), jx_rect (0, 0, W, H), &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (lay.has_ratio);
  JX_CHECK (lay.ratio.y >= lay.data.y + lay.data.h);
  JX_CHECK (lay.ratio.h > 0.15 * lay.data.h && lay.ratio.h < 0.6 * lay.data.h);
  JX_CHECK (lay.ratio_y.lo < 1 && lay.ratio_y.hi > 1);
  JX_CHECK (lay.data.x > 30 && lay.data.x + lay.data.w < W && lay.data.y > 20);
  JX_CHECK_CLOSE (lay.x.lo, 0, 0, 1e-12);
  JX_CHECK_CLOSE (lay.x.hi, 150, 0, 1e-12);
  JX_CHECK_CLOSE (lay.y.lo, 0, 0, 1e-12);
  cairo_surface_t *img = draw_check_png (draw_path ("hist.png"), W, H, 40, 5000);
  JX_CHECK (img != NULL);
  if (img)
    {
      /* Inside the filled histogram's tallest-bar region: its light fill over white. */
      size_t best = 0;
      for (size_t i = 0; i < h[2].nbins; i++)
        if (h[2].sumw[i] > h[2].sumw[best])
          best = i;
      double xv = h[2].edges[best] + 0.2 * (h[2].edges[best + 1] - h[2].edges[best]);
      double px = jx_axis_map (&lay.x, xv), py = jx_axis_map (&lay.y, 0.05 * h[2].sumw[best]);
      JxRgb fill = jx_rgb_lighten (jx_palette_color (0), 0.65);
      JX_CHECK_MSG (draw_pixel_near (img, px, py, 1, fill, 4), "filled histogram colour");
      cairo_surface_destroy (img);
    }
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("hist.svg"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  jx_plot_draw (p, jx_surface_cr (s), jx_rect (0, 0, W, H), NULL);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  const char *needles[] = { ">jet mass m [GeV]<", ">jets / bin<", ">model / data<",
                            ">generator data<", ">JUNIPR samples<", ">Jet mass<", NULL };
  JX_CHECK (draw_check_svg (draw_path ("hist.svg"), W, H, needles));
  jx_plot_free (p);
  for (int k = 0; k < 3; k++)
    jx_hist_free (&h[k]);
}

static JxPlot *
roc_plot (JxRocMode mode, int *series)
{
  double es[51], eb[51], eb2[51];
  for (int i = 0; i <= 50; i++)
    {
      es[i] = i / 50.0;
      eb[i] = pow (es[i], 3.0);     /* es = 0 gives eb = 0: infinite rejection, skipped */
      eb2[i] = pow (es[i], 1.8);
    }
  JxPlot *p = jx_plot_new ();
  jx_plot_set_grid (p, true);
  *series = jx_plot_add_roc (p, es, eb, 51, mode, "JUNIPR likelihood ratio");
  int b = jx_plot_add_roc (p, es, eb2, 51, mode, "<i>τ</i><sub>21</sub> + multiplicity");
  jx_plot_series_dashed (p, b, true);
  jx_plot_series_line_width (p, *series, 4);
  return p;
}

static void
test_roc (void)
{
  int s0;
  JxPlot *p = roc_plot (JX_ROC_REJECTION, &s0);
  JX_CHECK_INT (jx_plot_skipped (p), 2);  /* one zero-efficiency point per curve */
  JxSurface *s;
  JxError err = { 0 };
  JxPlotLayout lay;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("roc.png"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  jx_plot_draw (p, jx_surface_cr (s), jx_rect (0, 0, W, H), &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (lay.y.log && !lay.x.log);
  cairo_surface_t *img = draw_check_png (draw_path ("roc.png"), W, H, 20, 3000);
  JX_CHECK (img != NULL);
  if (img)
    {
      /* The thick curve passes through (0.5, 1/0.125) in its colour. */
      double px = jx_axis_map (&lay.x, 0.5), py = jx_axis_map (&lay.y, 8);
      JX_CHECK (draw_pixel_near (img, px, py, 1, jx_palette_color (0), 4));
      cairo_surface_destroy (img);
    }
  jx_plot_free (p);

  p = roc_plot (JX_ROC_EFFICIENCY, &s0);
  JX_CHECK_INT (jx_plot_skipped (p), 0);
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("roc.svg"), JX_FORMAT_AUTO, 500, 500, 1, &err), 0);
  jx_plot_draw (p, jx_surface_cr (s), jx_rect (0, 0, 500, 500), &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK_CLOSE (lay.x.hi, 1, 0, 0);
  JX_CHECK_CLOSE (lay.y.hi, 1, 0, 0);
  const char *needles[] = { ">background efficiency εB<", ">signal efficiency εS<",
                            ">τ21 + multiplicity<", NULL };
  JX_CHECK (draw_check_svg (draw_path ("roc.svg"), 500, 500, needles));
  jx_plot_free (p);
}

static void
test_heatmap_and_lines_pdf (void)
{
  JxSurface *s;
  JxError err = { 0 };
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("plots.pdf"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  cairo_t *cr = jx_surface_cr (s);

  /* Page 1: a heatmap (e.g. Fig. 16's 2D likelihood table). */
  double v[20 * 10];
  for (int iy = 0; iy < 10; iy++)
    for (int ix = 0; ix < 20; ix++)
      v[iy * 20 + ix] = ix + 2 * iy;
  v[0] = NAN;
  JxPlot *p = jx_plot_new ();
  jx_plot_set_x_axis (p, "multiplicity", false);
  jx_plot_set_y_axis (p, "<i>τ</i><sub>21</sub>", false);
  JxColorScale sc = { JX_CMAP_VIRIDIS, NAN, NAN, 0 };
  JX_CHECK (jx_plot_add_heatmap (p, 20, 10, 0, 40, 0, 1, v, sc, "log LR") >= 0);
  JxPlotLayout lay;
  jx_plot_draw (p, cr, jx_rect (0, 0, W, H), &lay);
  JX_CHECK_CLOSE (lay.x.lo, 0, 0, 0);
  JX_CHECK_CLOSE (lay.x.hi, 40, 0, 0);
  /* The same to PNG for a probe: cell (ix = 13, iy = 6) has value 25 of range 1..37. */
  JxSurface *ps;
  JX_CHECK_INT (jx_surface_open (&ps, draw_path ("heat.png"), JX_FORMAT_AUTO, W, H, 1, &err), 0);
  jx_plot_draw (p, jx_surface_cr (ps), jx_rect (0, 0, W, H), &lay);
  JX_CHECK_INT (jx_surface_close (ps, &err), 0);
  cairo_surface_t *img = draw_check_png (draw_path ("heat.png"), W, H, 100, 50000);
  JX_CHECK (img != NULL);
  if (img)
    {
      double px = jx_axis_map (&lay.x, 13.5 * 2), py = jx_axis_map (&lay.y, 6.5 / 10);
      JxRgb want = jx_colormap_eval (JX_CMAP_VIRIDIS, (25.0 - 1) / (37 - 1));
      JX_CHECK_MSG (draw_pixel_near (img, px, py, 0, want, 2), "heatmap cell colour");
      cairo_surface_destroy (img);
    }
  jx_plot_free (p);

  /* Page 2: training curves with markers; a NaN is skipped, counted and breaks the line. */
  JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
  double ep[30], tr[30], va[30];
  for (int i = 0; i < 30; i++)
    {
      ep[i] = i + 1;
      tr[i] = 40 + 30 * exp (-i / 6.0);
      va[i] = 41 + 30 * exp (-i / 6.5) + 0.3 * sin (i);
    }
  va[12] = NAN;
  p = jx_plot_new ();
  jx_plot_set_x_axis (p, "epoch", false);
  jx_plot_set_y_axis (p, "loss (−log <i>P</i><sub>jet</sub>)", false);
  jx_plot_add_line (p, ep, tr, 30, JX_MARKER_CIRCLE, "training");
  jx_plot_add_line (p, ep, va, 30, JX_MARKER_SQUARE, "validation");
  JX_CHECK_INT (jx_plot_skipped (p), 1);
  jx_plot_draw (p, cr, jx_rect (0, 0, W, H), NULL);
  jx_plot_free (p);

  /* Page 3: log-x points with errors, and the last: an empty plot. */
  JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
  double x[5] = { 1, 10, 100, 1000, -1 }, y[5] = { 1, 2, 3, 4, 5 }, e[5] = { 0.1, 0.2, 0.3, 0.4, 0.5 };
  p = jx_plot_new ();
  jx_plot_set_x_axis (p, "weight", true);
  jx_plot_add_points (p, x, y, e, 5, JX_MARKER_TRIANGLE, "points");
  jx_plot_draw (p, cr, jx_rect (0, 0, W, H), &lay);
  JX_CHECK (lay.x.lo > 0 && lay.x.lo <= 1 && lay.x.hi >= 1000);
  jx_plot_free (p);
  JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
  p = jx_plot_new ();
  jx_plot_draw (p, cr, jx_rect (0, 0, W, H), NULL);
  jx_plot_free (p);
  JX_CHECK_INT (jx_surface_page_count (s), 4);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (draw_check_pdf (draw_path ("plots.pdf"), W, H, 4));
}

static void
test_degenerate (void)
{
  JxSurface *s;
  JxError err = { 0 };
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("degenerate.png"), JX_FORMAT_AUTO, 400, 300, 1, &err), 0);
  cairo_t *cr = jx_surface_cr (s);
  JxRect r = jx_rect (0, 0, 400, 300);
  JxPlotLayout lay;

  /* An empty histogram (all zero), on linear and log axes. */
  JxHist h;
  JX_CHECK_INT (jx_hist_init_uniform (&h, 10, 0, 1, &err), 0);
  JxPlot *p = jx_plot_new ();
  jx_plot_add_hist (p, &h, JX_HIST_STEP, "empty");
  jx_plot_set_ratio (p, 0, NULL, NAN, NAN);
  jx_plot_draw (p, cr, r, &lay);
  JX_CHECK (lay.y.hi > lay.y.lo);
  jx_plot_set_y_axis (p, "log", true);
  jx_plot_draw (p, cr, r, &lay);
  JX_CHECK (lay.y.lo > 0 && lay.y.hi > lay.y.lo);
  jx_plot_free (p);
  jx_hist_free (&h);

  /* A single ROC point shows as a marker. */
  double es = 0.5, eb = 0.01;
  p = jx_plot_new ();
  jx_plot_add_roc (p, &es, &eb, 1, JX_ROC_REJECTION, "one cut");
  jx_plot_draw (p, cr, r, &lay);
  JX_CHECK (lay.y.lo < 100 && lay.y.hi > 100);
  jx_plot_free (p);

  /* All-NaN series, zero-length series, constant series, huge values. */
  double nx[3] = { NAN, NAN, NAN }, c[3] = { 2, 2, 2 }, big[3] = { 1e300, -1e300, 0 };
  p = jx_plot_new ();
  jx_plot_add_line (p, nx, nx, 3, JX_MARKER_NONE, "nan");
  jx_plot_add_line (p, c, c, 0, JX_MARKER_NONE, "none");
  jx_plot_add_line (p, c, c, 3, JX_MARKER_DIAMOND, "const");
  JX_CHECK_INT (jx_plot_skipped (p), 3);
  jx_plot_draw (p, cr, r, &lay);
  JX_CHECK (lay.x.hi > lay.x.lo && lay.y.hi > lay.y.lo);
  jx_plot_add_line (p, big, big, 3, JX_MARKER_NONE, "big");
  jx_plot_draw (p, cr, r, &lay);
  JX_CHECK (isfinite (lay.x.lo) && isfinite (lay.y.hi));
  /* A drawing area smaller than the axes. */
  jx_plot_draw (p, cr, jx_rect (0, 0, 30, 20), &lay);
  jx_plot_free (p);

  /* A heatmap of one constant value, and a diverging one of zeros. */
  double one = 3, zeros[4] = { 0, 0, 0, 0 };
  p = jx_plot_new ();
  jx_plot_add_heatmap (p, 1, 1, 0, 1, 0, 1, &one, (JxColorScale) { JX_CMAP_VIRIDIS, NAN, NAN, 1 }, "c");
  jx_plot_draw (p, cr, r, NULL);
  jx_plot_free (p);
  p = jx_plot_new ();
  jx_plot_add_heatmap (p, 2, 2, 0, 1, 0, 1, zeros, (JxColorScale) { JX_CMAP_DIVERGING, NAN, NAN, 0 }, "d");
  jx_plot_draw (p, cr, r, NULL);
  jx_plot_free (p);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  cairo_surface_t *img = draw_check_png (draw_path ("degenerate.png"), 400, 300, 5, 500);
  JX_CHECK (img != NULL);
  if (img)
    cairo_surface_destroy (img);
}

int
main (void)
{
  test_hist_ratio ();
  test_roc ();
  test_heatmap_and_lines_pdf ();
  test_degenerate ();
  draw_scratch_done ();
  JX_TEST_MAIN_END ("draw-plot");
}
