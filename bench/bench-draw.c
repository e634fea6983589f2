/* bench-draw — milliseconds per draw onto an image surface for the renderers the GUI
 * redraws most: a 100-particle tree with labels (layout, paint, both), a 64×64 jet image
 * with particles, a histogram plot with a ratio panel.
 * Usage: bench-draw [REPEATS]   (default 200). Times are CPU milliseconds per draw.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "jx-draw-image.h"
#include "jx-draw-tree.h"
#include "jx-plot.h"
#include "jx-rng.h"

/* CPU time of this process: on a shared machine wall time measures the neighbours too. */
static double
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return 1e3 * (double) ts.tv_sec + 1e-6 * (double) ts.tv_nsec;
}

static int
make_tree (JxTree *tree, size_t n)
{
  JxRng rng;
  jx_rng_seed (&rng, 3, 1);
  JxP4 *p = malloc (n * sizeof *p);
  for (size_t i = 0; i < n; i++)
    {
      double u = jx_rng_uniform (&rng);
      double E = 2.0 + 300.0 * u * u * u * u;
      double th = 0.4 * jx_rng_uniform (&rng) * jx_rng_uniform (&rng) + 0.002 * (double) i;
      double ph = 2 * M_PI * jx_rng_uniform (&rng);
      p[i] = jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
    }
  JxError err = { 0 };
  int rc = jx_tree_build_from_particles (tree, p, n, JX_ALGO_CA, NULL, &err);
  if (rc < 0)
    fprintf (stderr, "bench-draw: %s\n", err.message);
  free (p);
  return rc;
}

/* Layout, paint, and both, for one tree with a label at every branching. */
static void
bench_tree (cairo_t *cr, JxRect r, const JxTree *tree, int reps)
{
  double *vals = malloc (tree->n * sizeof *vals);
  for (size_t t = 1; t < tree->n; t++)
    vals[t - 1] = -1.0 - 0.3 * (double) t;
  JxTreeStyle st;
  jx_tree_style_default (&st);
  st.labels = JX_TREE_LABEL_VALUES;
  st.values = vals;
  JxTreeLayout lay;
  jx_tree_render (cr, tree, &st, r, &lay);  /* warm-up: fonts, caches */
  jx_tree_layout_free (&lay);

  double t0 = now_ms ();
  for (int i = 0; i < reps; i++)
    {
      jx_tree_layout_compute (&lay, cr, tree, &st, r);
      jx_tree_layout_free (&lay);
    }
  double t_layout = (now_ms () - t0) / reps;
  jx_tree_layout_compute (&lay, cr, tree, &st, r);
  t0 = now_ms ();
  for (int i = 0; i < reps; i++)
    jx_tree_draw (cr, tree, &st, &lay);
  cairo_surface_flush (cairo_get_target (cr));
  double t_paint = (now_ms () - t0) / reps;
  int shown = lay.labels_shown, hidden = lay.labels_hidden;
  jx_tree_layout_free (&lay);
  st.labels = JX_TREE_LABEL_NONE;
  jx_tree_layout_compute (&lay, cr, tree, &st, r);
  t0 = now_ms ();
  for (int i = 0; i < reps; i++)
    jx_tree_draw (cr, tree, &st, &lay);
  cairo_surface_flush (cairo_get_target (cr));
  double t_plain = (now_ms () - t0) / reps;
  jx_tree_layout_free (&lay);
  printf ("tree, %zu particles (%zu nodes; %d labels shown, %d hidden), %gx%g:\n", tree->n,
          2 * tree->n - 1, shown, hidden, r.w, r.h);
  printf ("  layout %.2f ms   paint %.2f ms   (paint without labels %.2f ms) per draw\n",
          t_layout, t_paint, t_plain);
  free (vals);
}

int
main (int argc, char **argv)
{
  int reps = argc > 1 ? atoi (argv[1]) : 200;
  if (reps < 1)
    reps = 1;
  const int W = 900, H = 560;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);
  JxRect r = jx_rect (0, 0, W, H);

  JxTree tree = { 0 };
  static const size_t sizes[] = { 50, 100 };
  for (int k = 0; k < 2; k++)
    {
      jx_tree_free (&tree);
      if (make_tree (&tree, sizes[k]) < 0)
        return 1;
      bench_tree (cr, r, &tree, reps);
    }
  (void) W, (void) H;

  /* 64×64 jet image with the 100 particles labelled by step. */
  enum { N = 64 };
  double *pix = malloc (N * N * sizeof *pix);
  for (int i = 0; i < N * N; i++)
    {
      int row = i / N, col = i % N;
      double x = (col - 32) / 10.0, y = (row - 30) / 10.0;
      pix[i] = 100 * exp (-(x * x + y * y));
    }
  JxImageParticle parts[100];
  size_t np = jx_image_particles_from_tree (&tree, -1, parts, 100);
  JxImageView view = { N, 0.5, pix };
  JxImageStyle is;
  jx_image_style_default (&is);
  is.label_steps = true;
  jx_image_draw (cr, r, &view, parts, np, &is, NULL);
  double t0 = now_ms ();
  for (int i = 0; i < reps; i++)
    jx_image_draw (cr, r, &view, NULL, 0, &is, NULL);
  cairo_surface_flush (s);
  double t_img = (now_ms () - t0) / reps;
  t0 = now_ms ();
  for (int i = 0; i < reps; i++)
    jx_image_draw (cr, r, &view, parts, np, &is, NULL);
  cairo_surface_flush (s);
  double t_img_p = (now_ms () - t0) / reps;
  printf ("jet image 64x64, %dx%d: %.3f ms per draw; with %zu labelled particles %.3f ms\n", W, H,
          t_img, np, t_img_p);

  /* A histogram plot with three series and a ratio panel. */
  JxHist h[3];
  JxRng rng;
  jx_rng_seed (&rng, 5, 0);
  JxPlot *p = jx_plot_new ();
  for (int k = 0; k < 3; k++)
    {
      jx_hist_init_uniform (&h[k], 50, 0, 1, NULL);
      for (int i = 0; i < 10000; i++)
        jx_hist_fill (&h[k], pow (jx_rng_uniform (&rng), 1 + 0.2 * k), 1);
      jx_plot_add_hist (p, &h[k], k == 0 ? JX_HIST_POINTS : JX_HIST_STEP, "series");
    }
  jx_plot_set_ratio (p, 0, "ratio", NAN, NAN);
  jx_plot_set_x_axis (p, "<i>τ</i><sub>21</sub>", false);
  jx_plot_set_y_axis (p, "jets", false);
  jx_plot_draw (p, cr, r, NULL);
  t0 = now_ms ();
  for (int i = 0; i < reps; i++)
    jx_plot_draw (p, cr, r, NULL);
  cairo_surface_flush (s);
  double t_plot = (now_ms () - t0) / reps;
  printf ("histogram plot, 3 x 50 bins + ratio, %dx%d: %.3f ms per draw\n", W, H, t_plot);

  jx_plot_free (p);
  for (int k = 0; k < 3; k++)
    jx_hist_free (&h[k]);
  free (pix);
  jx_tree_free (&tree);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return 0;
}
