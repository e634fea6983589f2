/* Jet images (heatmap + particles), average/difference images, shower frames. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw-check.h"
#include "jx-draw-image.h"
#include "jx-draw-shower.h"
#include "jx-surface.h"
#include "jx-test.h"

#define N 64
#define R 0.5

/* Pixel centre (col, row) → device point through the layout. */
static void
pixel_point (const JxImageLayout *l, int col, int row, double *x, double *y)
{
  double dx = -R + (col + 0.5) * 2 * R / N, dy = R - (row + 0.5) * 2 * R / N;
  *x = jx_axis_map (&l->x, dx);
  *y = jx_axis_map (&l->y, dy);
}

static void
make_image (double *pix)
{
  for (int row = 0; row < N; row++)
    for (int col = 0; col < N; col++)
      {
        double x = -R + (col + 0.5) * 2 * R / N, y = R - (row + 0.5) * 2 * R / N;
        pix[row * N + col] = 10 * exp (-(x * x + (y - 0.1) * (y - 0.1)) / 0.004)
                             + 2 * exp (-((x - 0.2) * (x - 0.2) + (y + 0.15) * (y + 0.15)) / 0.002);
        if (pix[row * N + col] < 1e-6)
          pix[row * N + col] = 0;
      }
  pix[5 * N + 50] = 0.1;  /* a lone soft pixel, top right: log10 0.1 is mid-scale below */
}

static void
test_image_png_svg (void)
{
  double *pix = malloc (N * N * sizeof *pix);
  make_image (pix);
  JxImageView view = { N, R, pix };
  JxImageStyle st;
  jx_image_style_default (&st);
  st.lo = 1e-3;
  st.hi = 10;
  st.title = "Average <i>Z</i> jet";
  JxImageParticle parts[3] = { { 0.0, 0.1, 200, 1 }, { 0.2, -0.15, 40, 2 }, { -0.3, -0.3, 1, 3 } };
  JxSurface *s;
  JxError err = { 0 };
  JxImageLayout lay;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("image.png"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  st.label_steps = true;
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 640, 520), &view, parts, 3, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK_CLOSE (lay.data.w, lay.data.h, 0, 0.5);  /* square pixels */
  JX_CHECK (lay.colorbar.w > 0);
  JX_CHECK_INT (lay.labels_hidden, 0);
  cairo_surface_t *img = draw_check_png (draw_path ("image.png"), 640, 520, 50, 50000);
  JX_CHECK (img != NULL);
  if (img)
    {
      double x, y;
      pixel_point (&lay, 50, 5, &x, &y);
      JX_CHECK_MSG (draw_pixel_near (img, x, y, 0, jx_colormap_eval (JX_CMAP_VIRIDIS, 0.5), 2),
                    "pixel 0.1 on a 1e-3..10 log scale is viridis(0.5)");
      pixel_point (&lay, 2, 60, &x, &y);  /* an empty corner is masked: background */
      JX_CHECK (draw_pixel_near (img, x, y, 0, (JxRgb) { 1, 1, 1 }, 1));
      pixel_point (&lay, 32, 40, &x, &y);  /* a tiny but positive pixel: the scale bottom */
      JX_CHECK_MSG (pix[40 * N + 32] > 0 && pix[40 * N + 32] < 1e-3, "fixture pixel %g",
                    pix[40 * N + 32]);
      JX_CHECK (draw_pixel_near (img, x, y, 0, jx_colormap_eval (JX_CMAP_VIRIDIS, 0), 2));
      /* The centre of the brightest blob: hi = 10 → top colour... under a particle marker
       * (white, 55% opaque), so check the column next to the marker instead. */
      int row = (int) floor ((R - 0.1) / (2 * R) * N), col = N / 2 + 6;
      double v = pix[row * N + col];
      pixel_point (&lay, col, row, &x, &y);
      JxColorScale cs = { JX_CMAP_VIRIDIS, 1e-3, 10, 1 };
      JX_CHECK (draw_pixel_near (img, x, y, 0, jx_color_scale_eval (&cs, v), 2));
      cairo_surface_destroy (img);
    }
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("image.svg"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 640, 520), &view, parts, 3, &st, NULL);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  const char *needles[] = { ">θ cos φ<", ">θ sin φ<", ">pixel energy [GeV]<", ">Average Z jet<",
                            ">3<", NULL };
  JX_CHECK (draw_check_svg (draw_path ("image.svg"), 640, 520, needles));

  /* Difference of two images: zero pixels are the neutral middle of the diverging map. */
  double *a = malloc (N * N * sizeof *a), *d = malloc (N * N * sizeof *d);
  for (int i = 0; i < N * N; i++)
    a[i] = pix[i] * 0.5;
  a[0] = 3;
  const double *both[2] = { pix, a };
  double *avg = malloc (N * N * sizeof *avg);
  jx_image_average (avg, both, 2, N);
  JX_CHECK_CLOSE (avg[0], 0.5 * (pix[0] + 3), 1e-14, 0);
  jx_image_difference (d, pix, a, N);
  JX_CHECK_CLOSE (d[0], pix[0] - 3, 1e-14, 0);
  jx_image_style_default (&st);
  st.scale = JX_IMAGE_DIFFERENCE;
  st.title = "signal − background";
  view.pixels = d;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("diff.png"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 640, 520), &view, NULL, 0, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  img = draw_check_png (draw_path ("diff.png"), 640, 520, 30, 20000);
  JX_CHECK (img != NULL);
  if (img)
    {
      double x, y;
      pixel_point (&lay, 3, 60, &x, &y);
      JX_CHECK (draw_pixel_near (img, x, y, 0, jx_colormap_eval (JX_CMAP_DIVERGING, 0.5), 2));
      /* d = −3 on the symmetric scale ±max|d|. */
      double m = 0;
      for (int i = 0; i < N * N; i++)
        m = fmax (m, fabs (d[i]));
      JxColorScale cs = { JX_CMAP_DIVERGING, -m, m, 0 };
      pixel_point (&lay, 0, 0, &x, &y);
      JX_CHECK (draw_pixel_near (img, x + 1, y + 1, 0, jx_color_scale_eval (&cs, -3), 2));
      JX_CHECK (jx_color_scale_t (&cs, -3) < 0.45);
      cairo_surface_destroy (img);
    }
  /* Both as a two-page PDF. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("images.pdf"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  view.pixels = pix;
  jx_image_style_default (&st);
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 640, 520), &view, parts, 3, &st, NULL);
  JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
  view.pixels = d;
  st.scale = JX_IMAGE_DIFFERENCE;
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 640, 520), &view, NULL, 0, &st, NULL);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (draw_check_pdf (draw_path ("images.pdf"), 640, 520, 2));
  free (a), free (d), free (avg), free (pix);
}

/* style.colormap = greys: image pixels are greys, not viridis; difference images stay
 * diverging; a shower's energy scale (tree and markers) follows its tree style's map. */
static void
test_greys (void)
{
  double *pix = malloc (N * N * sizeof *pix);
  make_image (pix);
  JxImageView view = { N, R, pix };
  JxImageStyle st;
  jx_image_style_default (&st);
  JX_CHECK_INT (st.colormap, JX_CMAP_VIRIDIS);
  st.colormap = JX_CMAP_GREYS;
  st.lo = 1e-3;
  st.hi = 10;
  JxSurface *s;
  JxError err = { 0 };
  JxImageLayout lay;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("image-greys.png"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 640, 520), &view, NULL, 0, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  cairo_surface_t *img = draw_check_png (draw_path ("image-greys.png"), 640, 520, 20, 20000);
  JX_CHECK (img != NULL);
  if (img)
    {
      double x, y;
      /* The lone 0.1 pixel is mid-scale: greys(0.5), not viridis(0.5). */
      pixel_point (&lay, 50, 5, &x, &y);
      JX_CHECK_MSG (draw_pixel_near (img, x, y, 0, jx_colormap_eval (JX_CMAP_GREYS, 0.5), 2),
                    "pixel 0.1 on a 1e-3..10 log scale is greys(0.5)");
      JX_CHECK (!draw_pixel_near (img, x, y, 0, jx_colormap_eval (JX_CMAP_VIRIDIS, 0.5), 20));
      int row = (int) floor ((R - 0.1) / (2 * R) * N), col = N / 2;
      JxColorScale cs = { JX_CMAP_GREYS, 1e-3, 10, 1 };
      pixel_point (&lay, col, row, &x, &y);
      JX_CHECK (draw_pixel_near (img, x, y, 0, jx_color_scale_eval (&cs, pix[row * N + col]), 2));
      cairo_surface_destroy (img);
    }

  /* A difference with greys asked for is still diverging (blue for −3). */
  double *d = malloc (N * N * sizeof *d);
  for (int i = 0; i < N * N; i++)
    d[i] = pix[i] * 0.5;
  d[0] = -3;
  view.pixels = d;
  st.scale = JX_IMAGE_DIFFERENCE;
  st.lo = st.hi = NAN;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("diff-greys.png"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 640, 520), &view, NULL, 0, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  img = draw_check_png (draw_path ("diff-greys.png"), 640, 520, 10, 1000);
  JX_CHECK (img != NULL);
  if (img)
    {
      double x, y, m = 0;
      for (int i = 0; i < N * N; i++)
        m = fmax (m, fabs (d[i]));
      JxColorScale cs = { JX_CMAP_DIVERGING, -m, m, 0 };
      pixel_point (&lay, 0, 0, &x, &y);
      JX_CHECK (draw_pixel_near (img, x + 1, y + 1, 0, jx_color_scale_eval (&cs, -3), 2));
      cairo_surface_destroy (img);
    }

  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 10, 21, false), 0);
  JxTreeStyle ts;
  jx_tree_style_default (&ts);
  ts.colormap = JX_CMAP_GREYS;
  JxShowerLayout sl;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("shower-greys.png"), JX_FORMAT_AUTO, 1000, 460, 1, &err), 0);
  JX_CHECK_INT (jx_shower_draw (jx_surface_cr (s), jx_rect (0, 0, 1000, 460), &tree, 9, &ts, &sl), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK_INT (sl.tree.energy.map, JX_CMAP_GREYS);
  img = draw_check_png (draw_path ("shower-greys.png"), 1000, 460, 10, 3000);
  JX_CHECK (img != NULL);
  if (img)
    {
      const JxTreeNodeLayout *r = &sl.tree.nodes[tree.root];
      JX_CHECK (draw_pixel_near (img, 0.5 * (r->px + r->x), r->y, 0,
                                 jx_colormap_eval (JX_CMAP_GREYS, 1), 3));
      cairo_surface_destroy (img);
    }
  jx_shower_layout_free (&sl);
  jx_tree_free (&tree);
  free (d);
  free (pix);
}

static void
test_particles_and_shower (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 10, 21, false), 0);
  JxImageParticle parts[10];
  for (int t = 0; t < (int) tree.n; t++)
    JX_CHECK_INT (jx_image_particles_from_tree (&tree, t, parts, 10), t + 1);
  size_t np = jx_image_particles_from_tree (&tree, -1, parts, 10);
  JX_CHECK_INT (np, 10);
  double esum = 0;
  int max_step = 0;
  for (size_t i = 0; i < np; i++)
    {
      esum += parts[i].E;
      max_step = parts[i].step > max_step ? parts[i].step : max_step;
      JX_CHECK (hypot (parts[i].x, parts[i].y) < 1.0);
    }
  JX_CHECK_CLOSE (esum, tree.nodes[tree.root].p.E, 1e-9, 0);
  JX_CHECK_INT (max_step, 9);
  JX_CHECK_INT (jx_image_particles_from_tree (&tree, -1, parts, 4), 4);  /* capacity */

  JxSurface *s;
  JxError err = { 0 };
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("shower.pdf"), JX_FORMAT_AUTO, 1000, 460, 1, &err), 0);
  for (int t = 0; t < (int) tree.n; t++)
    {
      if (t > 0)
        JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
      JxShowerLayout sl;
      JX_CHECK_INT (jx_shower_draw (jx_surface_cr (s), jx_rect (0, 0, 1000, 460), &tree, t, NULL, &sl), 0);
      JX_CHECK_INT (sl.t, t);
      int vis = 0;
      for (size_t i = 0; i < sl.tree.n_nodes; i++)
        vis += sl.tree.nodes[i].visible;
      JX_CHECK_INT (vis, 1 + 2 * t);
      /* Frames share positions: the root never moves. */
      static double root_x;
      if (t == 0)
        root_x = sl.tree.nodes[tree.root].x;
      JX_CHECK_CLOSE (sl.tree.nodes[tree.root].x, root_x, 0, 1e-9);
      jx_shower_layout_free (&sl);
    }
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (draw_check_pdf (draw_path ("shower.pdf"), 1000, 460, (int) tree.n));

  JX_CHECK_INT (jx_surface_open (&s, draw_path ("shower.svg"), JX_FORMAT_AUTO, 1000, 460, 1, &err), 0);
  JxTreeStyle ts;
  jx_tree_style_default (&ts);
  ts.labels = JX_TREE_LABEL_STEP;
  JxShowerLayout sl;
  JX_CHECK_INT (jx_shower_draw (jx_surface_cr (s), jx_rect (0, 0, 1000, 460), &tree, 999, &ts, &sl), 0);
  JX_CHECK_INT (sl.t, 9);
  jx_shower_layout_free (&sl);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  const char *needles[] = { ">after t = 9 of 9 emissions<", ">θ cos φ<", ">E [GeV]<", NULL };
  JX_CHECK (draw_check_svg (draw_path ("shower.svg"), 1000, 460, needles));

  JX_CHECK_INT (jx_surface_open (&s, draw_path ("shower.png"), JX_FORMAT_AUTO, 1000, 460, 1, &err), 0);
  JX_CHECK_INT (jx_shower_draw (jx_surface_cr (s), jx_rect (0, 0, 1000, 460), &tree, 4, &ts, NULL), 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  cairo_surface_t *img = draw_check_png (draw_path ("shower.png"), 1000, 460, 20, 3000);
  JX_CHECK (img != NULL);
  if (img)
    cairo_surface_destroy (img);
  jx_tree_free (&tree);
}

static void
test_degenerate (void)
{
  JxSurface *s;
  JxError err = { 0 };
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("deg.png"), JX_FORMAT_AUTO, 300, 300, 1, &err), 0);
  cairo_t *cr = jx_surface_cr (s);
  JxRect r = jx_rect (0, 0, 300, 300);
  JxImageLayout lay;
  /* All-zero image on a log scale; a 1×1 image; no image and no particles. */
  double zero[4] = { 0, 0, 0, 0 }, one = 5;
  JxImageView v = { 2, 0.4, zero };
  jx_image_draw (cr, r, &v, NULL, 0, NULL, &lay);
  JX_CHECK (lay.data.w > 50);
  JxImageView v1 = { 1, 0.4, &one };
  jx_image_draw (cr, r, &v1, NULL, 0, NULL, &lay);
  jx_image_draw (cr, r, NULL, NULL, 0, NULL, &lay);
  JX_CHECK (lay.x.hi > lay.x.lo);
  /* Particles only, one with NaN coordinates and one with zero energy. */
  JxImageParticle p[3] = { { 0.1, 0.1, 10, 1 }, { NAN, 0, 5, 2 }, { -0.1, 0, 0, 3 } };
  jx_image_draw (cr, r, NULL, p, 3, NULL, &lay);
  JX_CHECK (lay.x.hi >= 0.1);
  /* A one-particle jet's shower: t = 0 is all there is. */
  JxTree one_tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&one_tree, 1, 4, false), 0);
  JxShowerLayout sl;
  JX_CHECK_INT (jx_shower_draw (cr, r, &one_tree, 3, NULL, &sl), 0);
  JX_CHECK_INT (sl.t, 0);
  jx_shower_layout_free (&sl);
  jx_tree_free (&one_tree);
  JxTree empty = { 0 };
  JX_CHECK (jx_shower_draw (cr, r, &empty, 0, NULL, NULL) < 0);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  cairo_surface_t *img = draw_check_png (draw_path ("deg.png"), 300, 300, 5, 100);
  JX_CHECK (img != NULL);
  if (img)
    cairo_surface_destroy (img);
}

int
main (void)
{
  test_image_png_svg ();
  test_greys ();
  test_particles_and_shower ();
  test_degenerate ();
  draw_scratch_done ();
  JX_TEST_MAIN_END ("draw-image");
}
