/* Lund-plane figures: one jet's primary emissions (each point filled by its LR term on the
 * diverging scale, at the position its coordinates map to) and a dataset map (bin colours of
 * the density and the attribution panels, empty bins left blank, the sum line in the file). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw-check.h"
#include "jx-draw-lund.h"
#include "jx-point-labels.h"
#include "jx-surface.h"
#include "jx-test.h"

static void
test_jet (void)
{
  JxTree tree = { 0 };
  JX_CHECK_INT (draw_fixture_tree (&tree, 14, 31, false), 0);
  double *lr = malloc (tree.n * sizeof *lr);
  for (size_t t = 0; t < tree.n; t++)
    lr[t] = t % 2 == 0 ? 1.0 : -1.0;   /* ±lr_max: the two ends of the diverging map */
  JxLundEmission e[16];
  size_t n = jx_lund_primary (&tree, lr, e, 16);
  JX_CHECK (n >= 2);

  JxLundStyle st;
  jx_lund_style_default (&st);
  st.lr_max = 1;
  st.title = "jet 3: primary Lund plane";
  JxSurface *s;
  JxError err = { 0 };
  JxLundLayout lay;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("lund-jet.png"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  jx_lund_draw_jet (jx_surface_cr (s), jx_rect (0, 0, 640, 520), e, n, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (lay.data.w > 300 && lay.data.h > 300);
  JX_CHECK_CLOSE (lay.lr.hi, 1, 0, 0);
  cairo_surface_t *img = draw_check_png (draw_path ("lund-jet.png"), 640, 520, 20, 5000);
  JX_CHECK (img != NULL);
  for (size_t i = 0; img && i < n; i++)
    {
      double x = jx_axis_map (&lay.x, e[i].x), y = jx_axis_map (&lay.y, e[i].y);
      JX_CHECK (x > lay.data.x && x < lay.data.x + lay.data.w);
      JX_CHECK (y > lay.data.y && y < lay.data.y + lay.data.h);
      /* A later point may sit on top of this one: check only the points nobody covers. */
      bool covered = false;
      for (size_t j = i + 1; j < n; j++)
        covered |= hypot (jx_axis_map (&lay.x, e[j].x) - x, jx_axis_map (&lay.y, e[j].y) - y) < 16;
      if (!covered)
        JX_CHECK_MSG (draw_pixel_near (img, x, y, 1, jx_colormap_eval (JX_CMAP_DIVERGING,
                                                                       e[i].lr > 0 ? 1 : 0), 3),
                      "emission %zu (step %d, r = %g) filled by its LR colour", i, e[i].step,
                      e[i].lr);
    }
  if (img)
    cairo_surface_destroy (img);

  /* SVG: the axis titles and the step labels are text. */
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("lund-jet.svg"), JX_FORMAT_AUTO, 640, 520, 1, &err), 0);
  jx_lund_draw_jet (jx_surface_cr (s), jx_rect (0, 0, 640, 520), e, n, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  char step1[16];
  snprintf (step1, sizeof step1, ">%d<", e[0].step);
  const char *needles[] = { ">ln 1/Δ<", ">ln kt / GeV<", ">jet 3: primary Lund plane<", step1, NULL };
  JX_CHECK (draw_check_svg (draw_path ("lund-jet.svg"), 640, 520, needles));

  /* No models (NaN terms): grey points, no colour bar; no emission at all: a note. */
  for (size_t i = 0; i < n; i++)
    e[i].lr = NAN;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("lund-empty.pdf"), JX_FORMAT_AUTO, 500, 400, 1, &err), 0);
  jx_lund_draw_jet (jx_surface_cr (s), jx_rect (0, 0, 500, 400), e, n, NULL, &lay);
  JX_CHECK_INT (jx_surface_new_page (s, &err), 0);
  jx_lund_draw_jet (jx_surface_cr (s), jx_rect (0, 0, 500, 400), NULL, 0, NULL, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (draw_check_pdf (draw_path ("lund-empty.pdf"), 500, 400, 2));
  free (lr);
  jx_tree_free (&tree);
}

static void
test_map (void)
{
  JxLundGrid g = { .nx = 10, .ny = 8, .x_lo = -1.5, .x_hi = 4.5, .y_lo = -3, .y_hi = 6 };
  JxLundMap map;
  JxError err = { 0 };
  JX_CHECK_INT (jx_lund_map_init (&map, &g, &err), 0);
  for (int k = 0; k < 20; k++)
    {
      JxTree tree = { 0 };
      JX_CHECK_INT (draw_fixture_tree (&tree, 3 + (size_t) k % 9, 100 + (uint64_t) k, false), 0);
      double *lr = malloc (tree.n * sizeof *lr);
      for (size_t t = 0; t < tree.n; t++)
        lr[t] = 0.1 * (double) ((k + (int) t) % 5 - 2);
      jx_lund_map_add (&map, &tree, lr, NAN);
      free (lr);
      jx_tree_free (&tree);
    }
  JxSurface *s;
  JxLundLayout lay;
  JxLundStyle st;
  jx_lund_style_default (&st);
  st.title = "20 test jets";
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("lund-map.png"), JX_FORMAT_AUTO, 1000, 480, 1, &err), 0);
  jx_lund_draw_map (jx_surface_cr (s), jx_rect (0, 0, 1000, 480), &map, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (lay.density.w > 200 && lay.data.w > 200);
  JX_CHECK (lay.density.x + lay.density.w < lay.data.x);   /* side by side on a wide figure */
  cairo_surface_t *img = draw_check_png (draw_path ("lund-map.png"), 1000, 480, 20, 5000);
  JX_CHECK (img != NULL);
  int checked = 0, blank = 0;
  double dmax = 0;
  for (int b = 0; b < g.nx * g.ny; b++)
    if (map.count[b] > 0)
      dmax = fmax (dmax, jx_lund_map_density (&map, b));
  for (int b = 0; img && b < g.nx * g.ny; b++)
    {
      int ix = b % g.nx, iy = b / g.nx;
      double cx = g.x_lo + (ix + 0.5) * (g.x_hi - g.x_lo) / g.nx;
      double cy = g.y_lo + (iy + 0.5) * (g.y_hi - g.y_lo) / g.ny;
      double ax = jx_axis_map (&lay.x, cx), ay = jx_axis_map (&lay.y, cy);
      /* The density panel has the same grid, shifted by the panels' offset. */
      double dx = ax - lay.data.x + lay.density.x, dy = ay - lay.data.y + lay.density.y;
      if (map.count[b] == 0)
        {
          blank += draw_pixel_near (img, ax, ay, 0, JX_LUND_EMPTY_BIN, 1)
                   && draw_pixel_near (img, dx, dy, 0, JX_LUND_EMPTY_BIN, 1);
          continue;
        }
      JX_CHECK (draw_pixel_near (img, ax, ay, 0,
                                 jx_color_scale_eval (&lay.lr, jx_lund_map_attribution (&map, b)), 3));
      JxColorScale dcs = { JX_CMAP_VIRIDIS, 0, dmax, 0 };
      JX_CHECK (draw_pixel_near (img, dx, dy, 0,
                                 jx_color_scale_eval (&dcs, jx_lund_map_density (&map, b)), 3));
      checked++;
    }
  JX_CHECK (checked >= 5);
  JX_CHECK (blank >= 5);   /* empty bins are grey, not a colour of the scales */
  if (img)
    cairo_surface_destroy (img);

  /* The sum line: its parts add up to its total (to its 3 decimals). */
  char line[256];
  jx_lund_map_summary (&map, line, sizeof line);
  double bins, sec, end, out, total;
  size_t jets;
  JX_CHECK_INT (sscanf (line, "bins %lf · secondary %lf · end %lf · outside %lf = mean log10 "
                        "P_A/P_B %lf (%zu jets)", &bins, &sec, &end, &out, &total, &jets), 6);
  JX_CHECK_INT (jets, 20);
  JX_CHECK_CLOSE (bins + sec + end + out, total, 0, 2.5e-3);
  JX_CHECK_CLOSE (total, jx_lund_map_mean_total (&map), 0, 5e-4);

  JX_CHECK_INT (jx_surface_open (&s, draw_path ("lund-map.svg"), JX_FORMAT_AUTO, 600, 900, 1, &err), 0);
  jx_lund_draw_map (jx_surface_cr (s), jx_rect (0, 0, 600, 900), &map, &st, &lay);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
  JX_CHECK (lay.density.y + lay.density.h < lay.data.y);   /* stacked on a tall figure */
  const char *needles[] = { ">likelihood-ratio attribution<", ">primary emission density<",
                            "= mean log10 P_A/P_B", NULL };
  JX_CHECK (draw_check_svg (draw_path ("lund-map.svg"), 600, 900, needles));
  jx_lund_map_free (&map);
}

/* Labels at one point take the four spots around it, then are left out; none leaves the
 * bounds. */
static void
test_point_labels (void)
{
  JxSurface *s;
  JxError err = { 0 };
  JxPointLabels pl;
  JX_CHECK_INT (jx_surface_open (&s, draw_path ("labels.png"), JX_FORMAT_AUTO, 200, 200, 1, &err), 0);
  JX_CHECK (jx_point_labels_init (&pl, jx_rect (20, 20, 160, 160), 8));
  for (int k = 0; k < 6; k++)
    JX_CHECK_INT (jx_point_labels_draw (&pl, jx_surface_cr (s), 100, 100, 6, "12", jx_theme ()->fg),
                  k < 4);
  JX_CHECK_INT (pl.hidden, 2);
  JX_CHECK_INT (pl.n, 4);
  /* In the corner only the spot inside the bounds is taken. */
  JX_CHECK (jx_point_labels_draw (&pl, jx_surface_cr (s), 176, 24, 3, "7", jx_theme ()->fg));
  JxRect b = pl.placed[pl.n - 1];
  JX_CHECK (b.x >= 20 && b.y >= 20 && b.x + b.w <= 180 && b.y + b.h <= 180);
  JX_CHECK (b.x + b.w <= 176);   /* left of the point */
  jx_point_labels_free (&pl);
  JX_CHECK_INT (jx_surface_close (s, &err), 0);
}

int
main (void)
{
  test_point_labels ();
  test_jet ();
  test_map ();
  draw_scratch_done ();
  JX_TEST_MAIN_END ("draw-lund");
}
