/* draw-examples — renders the README's example pictures from generated jets.
 * Usage: draw-examples OUTDIR   (writes tree.png, image.png, image-diff.png, hist.png,
 * roc.png, shower.png). Built with the tests, never run as one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-dataset.h"
#include "jx-draw-image.h"
#include "jx-draw-shower.h"
#include "jx-draw-text.h"
#include "jx-draw-tree.h"
#include "jx-generator.h"
#include "jx-image.h"
#include "jx-observables.h"
#include "jx-plot.h"
#include "jx-surface.h"

#define NJ 3000

typedef struct {
  double mass[NJ], mult[NJ], tau21[NJ];
  size_t n;
} Obs;

static const char *outdir;

static int
fail (const JxError *err)
{
  fprintf (stderr, "draw-examples: %s\n", err->message);
  return 1;
}

static const char *
out (const char *name)
{
  static char buf[4096];
  snprintf (buf, sizeof buf, "%s/%s", outdir, name);
  return buf;
}

static int
generate (JxProcess proc, double alpha_s, uint64_t seed, JxDataset *ds, JxError *err)
{
  JxGenConfig cfg;
  jx_gen_config_default (&cfg);
  cfg.process = proc;
  cfg.alpha_s = alpha_s;
  cfg.seed = seed;
  cfg.threads = 1;
  jx_dataset_init (ds);
  return jx_generate (&cfg, NJ, ds, NULL, NULL, err);
}

static int
observe (const JxDataset *ds, Obs *o, JxError *err)
{
  JxClusterOptions copt;
  jx_cluster_options_default (&copt);
  o->n = 0;
  for (size_t j = 0; j < ds->n_jets && o->n < NJ; j++)
    {
      JxTree t = { 0 };
      if (jx_tree_build (&t, jx_dataset_jet (ds, j), jx_dataset_jet_size (ds, j), &copt, NULL, err) < 0)
        {
          jx_tree_free (&t);
          continue;
        }
      JxP4 *sub = malloc (t.n * sizeof *sub);
      for (size_t i = 0; i < t.n; i++)
        sub[i] = t.nodes[i].p;
      JxObservables ob;
      if (jx_observables_compute (sub, t.n, &ob, NULL, err) == 0)
        {
          o->mass[o->n] = ob.mass;
          o->mult[o->n] = (double) ob.n;
          o->tau21[o->n] = ob.tau21;
          o->n++;
        }
      free (sub);
      jx_tree_free (&t);
    }
  return 0;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* ROC of a score (larger = more signal-like): efficiencies at the signal's quantiles. */
static size_t
roc (const double *sig, size_t ns, const double *bkg, size_t nb, double *es, double *eb, size_t np)
{
  double *s = malloc (ns * sizeof *s), *b = malloc (nb * sizeof *b);
  memcpy (s, sig, ns * sizeof *s);
  memcpy (b, bkg, nb * sizeof *b);
  qsort (s, ns, sizeof *s, cmp_double);
  qsort (b, nb, sizeof *b, cmp_double);
  size_t k = 0;
  for (size_t i = 0; i < np; i++)
    {
      double cut = s[(size_t) ((double) (ns - 1) * (double) i / (double) (np - 1))];
      size_t cs = 0, cb = 0;
      while (cs < ns && s[cs] < cut)
        cs++;
      while (cb < nb && b[cb] < cut)
        cb++;
      es[k] = (double) (ns - cs) / (double) ns;
      eb[k] = (double) (nb - cb) / (double) nb;
      k++;
    }
  free (s);
  free (b);
  return k;
}

static int
save_open (JxSurface **s, const char *name, double w, double h, JxError *err)
{
  return jx_surface_open (s, out (name), JX_FORMAT_AUTO, w, h, 1, err);
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: draw-examples OUTDIR\n");
      return 2;
    }
  outdir = argv[1];
  JxError err = { 0 };
  JxDataset q1, q2, z;
  if (generate (JX_PROCESS_QQ, 0.1365, 1, &q1, &err) < 0
      || generate (JX_PROCESS_QQ, 0.11, 2, &q2, &err) < 0
      || generate (JX_PROCESS_ZZ, 0.1365, 3, &z, &err) < 0)
    return fail (&err);
  static Obs oq1, oq2, oz;
  observe (&q1, &oq1, &err);
  observe (&q2, &oq2, &err);
  observe (&z, &oz, &err);
  JxSurface *s;

  /* Histogram with a ratio panel: jet mass of quark jets at two αs. */
  JxHist h[3];
  jx_hist_init_uniform (&h[0], 40, 0, 200, &err);
  jx_hist_init_uniform (&h[1], 40, 0, 200, &err);
  jx_hist_init_uniform (&h[2], 40, 0, 200, &err);
  jx_hist_fill_n (&h[0], oq1.mass, NULL, oq1.n);
  jx_hist_fill_n (&h[1], oq2.mass, NULL, oq2.n);
  jx_hist_fill_n (&h[2], oz.mass, NULL, oz.n);
  for (int k = 0; k < 3; k++)
    jx_hist_normalize (&h[k]);
  JxPlot *p = jx_plot_new ();
  jx_plot_set_x_axis (p, "jet mass <i>m</i> [GeV]", false);
  jx_plot_set_y_axis (p, "1/<i>N</i> d<i>N</i>/d<i>m</i> [GeV<sup>−1</sup>]", false);
  jx_plot_set_title (p, "Hemisphere jets, √<i>s</i> = 1 TeV");
  int ref = jx_plot_add_hist (p, &h[0], JX_HIST_POINTS, "quark jets, <i>α</i><sub>s</sub> = 0.1365");
  jx_plot_add_hist (p, &h[1], JX_HIST_STEP, "quark jets, <i>α</i><sub>s</sub> = 0.11");
  int zs = jx_plot_add_hist (p, &h[2], JX_HIST_FILLED, "boosted <i>Z</i> jets");
  (void) zs;
  jx_plot_set_ratio (p, ref, "ratio", 0.4, 1.6);
  if (save_open (&s, "hist.png", 800, 600, &err) < 0)
    return fail (&err);
  jx_plot_draw (p, jx_surface_cr (s), jx_rect (0, 0, 800, 600), NULL);
  if (jx_surface_close (s, &err) < 0)
    return fail (&err);
  jx_plot_free (p);
  for (int k = 0; k < 3; k++)
    jx_hist_free (&h[k]);

  /* ROC: Z (signal) against quark jets with simple observables. */
  double sm[NJ], bm[NJ], st[NJ], bt[NJ], sn[NJ], bn[NJ];
  for (size_t i = 0; i < oz.n; i++)
    sm[i] = -fabs (oz.mass[i] - 91.2), st[i] = -oz.tau21[i], sn[i] = oz.mult[i];
  for (size_t i = 0; i < oq1.n; i++)
    bm[i] = -fabs (oq1.mass[i] - 91.2), bt[i] = -oq1.tau21[i], bn[i] = oq1.mult[i];
  double es[200], eb[200];
  p = jx_plot_new ();
  jx_plot_set_grid (p, true);
  jx_plot_set_title (p, "<i>Z</i> vs quark jets");
  size_t k = roc (sm, oz.n, bm, oq1.n, es, eb, 200);
  jx_plot_add_roc (p, es, eb, k, JX_ROC_REJECTION, "|<i>m</i> − <i>m</i><sub>Z</sub>|");
  k = roc (st, oz.n, bt, oq1.n, es, eb, 200);
  int s2 = jx_plot_add_roc (p, es, eb, k, JX_ROC_REJECTION, "<i>τ</i><sub>21</sub>");
  jx_plot_series_dashed (p, s2, true);
  k = roc (sn, oz.n, bn, oq1.n, es, eb, 200);
  jx_plot_add_roc (p, es, eb, k, JX_ROC_REJECTION, "multiplicity");
  if (save_open (&s, "roc.png", 800, 600, &err) < 0)
    return fail (&err);
  jx_plot_draw (p, jx_surface_cr (s), jx_rect (0, 0, 800, 600), NULL);
  if (jx_surface_close (s, &err) < 0)
    return fail (&err);
  jx_plot_free (p);

  /* A Z jet's tree, image and shower. */
  JxClusterOptions copt;
  jx_cluster_options_default (&copt);
  JxTree t = { 0 };
  /* The Z jet with a parton multiplicity nearest 24, all partons (no subjet step): big
   * enough to show structure. */
  copt.esub = 0;
  copt.rsub = 0;
  size_t pick = 0;
  double best = INFINITY;
  for (size_t j = 0; j < z.n_jets; j++)
    if (fabs ((double) jx_dataset_jet_size (&z, j) - 24) < best)
      best = fabs ((double) jx_dataset_jet_size (&z, j) - 24), pick = j;
  if (jx_tree_build (&t, jx_dataset_jet (&z, pick), jx_dataset_jet_size (&z, pick), &copt, NULL,
                     &err) < 0)
    return fail (&err);
  JxTreeStyle ts;
  jx_tree_style_default (&ts);
  ts.labels = JX_TREE_LABEL_Z;
  if (save_open (&s, "tree.png", 1000, 560, &err) < 0)
    return fail (&err);
  jx_tree_render (jx_surface_cr (s), &t, &ts, jx_rect (0, 0, 1000, 560), NULL);
  if (jx_surface_close (s, &err) < 0)
    return fail (&err);

  JxImageOptions iopt;
  jx_image_options_default (&iopt);
  iopt.normalize = false;
  JxImage img;
  JxImageTransform tr;
  jx_image_init (&img, 33, 0.5, &err);
  JxP4 *sub = malloc (t.n * sizeof *sub);
  for (size_t i = 0; i < t.n; i++)
    sub[i] = t.nodes[i].p;
  if (jx_image_fill (&img, sub, t.n, &iopt, NULL, NULL, &tr, &err) < 0)
    return fail (&err);
  JxImageParticle parts[128];
  size_t np = 0;
  for (size_t i = 0; i < t.n && np < 128; i++, np++)
    {
      jx_image_transform_apply (&tr, t.nodes[i].p, &parts[np].x, &parts[np].y);
      parts[np].E = t.nodes[i].p.E;
      parts[np].step = t.nodes[i].born;
    }
  JxImageView view = { (size_t) img.npix, img.R, img.pix };
  JxImageStyle is;
  jx_image_style_default (&is);
  is.label_steps = true;
  is.title = "A boosted <i>Z</i> jet, particles labelled by emission step";
  if (save_open (&s, "image.png", 700, 600, &err) < 0)
    return fail (&err);
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 700, 600), &view, parts, np, &is, NULL);
  if (jx_surface_close (s, &err) < 0)
    return fail (&err);
  free (sub);

  /* Average Z − average quark image. */
  JxImage az, aq, one;
  jx_image_init (&az, 33, 0.5, &err);
  jx_image_init (&aq, 33, 0.5, &err);
  jx_image_init (&one, 33, 0.5, &err);
  jx_image_options_default (&iopt);
  for (int w = 0; w < 2; w++)
    {
      JxDataset *ds = w == 0 ? &z : &q1;
      JxImage *acc = w == 0 ? &az : &aq;
      size_t used = 0;
      for (size_t j = 0; j < ds->n_jets; j++)
        {
          JxTree tj = { 0 };
          if (jx_tree_build (&tj, jx_dataset_jet (ds, j), jx_dataset_jet_size (ds, j), &copt, NULL, &err) == 0)
            {
              JxP4 *sj = malloc (tj.n * sizeof *sj);
              for (size_t i = 0; i < tj.n; i++)
                sj[i] = tj.nodes[i].p;
              if (jx_image_fill (&one, sj, tj.n, &iopt, NULL, NULL, NULL, &err) == 0)
                {
                  jx_image_accumulate (acc, &one, 1, &err);
                  used++;
                }
              free (sj);
            }
          jx_tree_free (&tj);
        }
      if (used)
        jx_image_scale (acc, 1.0 / (double) used);
    }
  jx_image_subtract (&one, &az, &aq, &err);
  view = (JxImageView) { (size_t) one.npix, one.R, one.pix };
  jx_image_style_default (&is);
  is.scale = JX_IMAGE_DIFFERENCE;
  is.cbar_label = "⟨<i>Z</i>⟩ − ⟨quark⟩ energy fraction";
  is.title = "Average image difference, <i>Z</i> − quark jets";
  if (save_open (&s, "image-diff.png", 700, 600, &err) < 0)
    return fail (&err);
  jx_image_draw (jx_surface_cr (s), jx_rect (0, 0, 700, 600), &view, NULL, 0, &is, NULL);
  if (jx_surface_close (s, &err) < 0)
    return fail (&err);
  jx_image_free (&az);
  jx_image_free (&aq);
  jx_image_free (&one);
  jx_image_free (&img);

  jx_tree_style_default (&ts);
  ts.labels = JX_TREE_LABEL_STEP;
  if (save_open (&s, "shower.png", 1100, 480, &err) < 0)
    return fail (&err);
  jx_shower_draw (jx_surface_cr (s), jx_rect (0, 0, 1100, 480), &t, 6, &ts, NULL);
  if (jx_surface_close (s, &err) < 0)
    return fail (&err);

  double mean = 0;
  for (size_t j = 0; j < oz.n; j++)
    mean += oz.mult[j] / (double) oz.n;
  printf ("draw-examples: mean Z multiplicity %.1f; jet %zu (%zu particles) drawn; "
          "%zu/%zu/%zu jets observed; files in %s\n", mean, pick, t.n, oq1.n, oq2.n, oz.n,
          outdir);
  jx_tree_free (&t);
  jx_dataset_free (&q1);
  jx_dataset_free (&q2);
  jx_dataset_free (&z);
  jx_text_shutdown ();
  return 0;
}
