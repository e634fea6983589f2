/* test-energy-head.c — the continuous branching function (--branch energy, paper Sect. 3.4):
 * Ẑ converges to Z on networks whose Z is known in closed form, its error estimate ε is
 * honest and falls as 1/√S, the batched ln P_branch is E(x) − ln Ẑ, and the G⁴ cell view
 * holds the density's integrals over the cells. (Gradients: test-model-grad.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-energy-head.h"
#include "jx-model.h"
#include "jx-rng.h"
#include "jx-test.h"
#include "jx-tree.h"

/* E(x) = 1 + a·x + c·ReLU(z − 1/2), x = (z, θ', φ', δ'): unit 0 is 1 + a·x (its bias 1 and
 * |a_i| < 1 keep it on over the box), unit 1 is ReLU(z − 1/2), w2 = (1, c, 0, ...). The
 * kernel's h and k_m rows are 0, so E does not depend on the state. */
static const double A[4] = { 0.7, -0.9, 0.3, 0.5 };
static const double C = 2.5;

static double
energy_exact (const double x[4])
{
  double e = 1.0 + C * fmax (0.0, x[0] - 0.5);
  for (int i = 0; i < 4; i++)
    e += A[i] * x[i];
  return e;
}

/* ∫₀¹ e^{a t} dt and ∫_lo^hi e^{a t} dt */
static double
int_exp (double a, double lo, double hi)
{
  return fabs (a) < 1e-12 ? hi - lo : (exp (a * hi) - exp (a * lo)) / a;
}

/* ∫ over [lo0, hi0] of e^{A0 z + C ReLU(z − 1/2)} dz */
static double
int_z (double lo, double hi)
{
  double s = 0.0;
  if (lo < 0.5)
    s += int_exp (A[0], lo, fmin (hi, 0.5));
  if (hi > 0.5)
    s += exp (-C * 0.5) * int_exp (A[0] + C, fmax (lo, 0.5), hi);
  return s;
}

/* ∫ of e^E over the box [lo, hi] (per coordinate). */
static double
box_integral (const double lo[4], const double hi[4])
{
  double z = exp (1.0) * int_z (lo[0], hi[0]);
  for (int i = 1; i < 4; i++)
    z *= int_exp (A[i], lo[i], hi[i]);
  return z;
}

static JxModel *
known_model (int grid)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = JX_BRANCH_ENERGY;
  cfg.hidden = 3;
  cfg.dense = 4;
  cfg.grid = grid;
  cfg.max_mult = 20;
  JxModel *m = NULL;
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_new (&cfg, 1, &m, &err), 0);
  float *p = jx_model_params (m);
  const JxTensorInfo *k = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "branch_hidden/kernel"));
  const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "branch_hidden/bias"));
  const JxTensorInfo *o = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "branch_out/kernel"));
  JX_CHECK (k->rows == 3 + 4 + 4 && k->cols == 4 && o->rows == 4 && o->cols == 1);
  memset (p + k->offset, 0, k->rows * k->cols * sizeof *p);
  memset (p + b->offset, 0, b->cols * sizeof *p);
  memset (p + o->offset, 0, o->rows * sizeof *p);
  size_t xrow = k->rows - 4;   /* W_x: the last 4 rows, x in (z, θ, φ, δ) order */
  for (int i = 0; i < 4; i++)
    p[k->offset + (xrow + i) * 4 + 0] = (float) A[i];
  p[b->offset + 0] = 1.0f;
  p[k->offset + (xrow + 0) * 4 + 1] = 1.0f;
  p[b->offset + 1] = -0.5f;
  p[o->offset + 0] = 1.0f;
  p[o->offset + 1] = (float) C;
  return m;
}

static void
test_z_converges (void)
{
  JxModel *m = known_model (10);
  double lo[4] = { 0, 0, 0, 0 }, hi[4] = { 1, 1, 1, 1 };
  double log_z = log (box_integral (lo, hi));
  float h[3] = { 0.1f, -0.2f, 0.3f };
  JxP4 jet = jx_p4 (100, 0, 0, 99), mother = jx_p4 (40, 3, 1, 39.5);
  JxError err = { 0 };
  double prev_eps = 0;
  int within = 0, n_s = 0;
  for (int S = 64; S <= 262144; S *= 4, n_s++)
    {
      double lz, eps;
      JX_CHECK_INT (jx_model_energy_log_z (m, h, mother, jet, S, &lz, &eps, &err), 0);
      double dev = fabs (lz - log_z);
      printf ("S = %6d: ln Ẑ − ln Z = %+.5f, ε = %.5f\n", S, lz - log_z, eps);
      /* ε is the relative error of Ẑ, ≈ the error of ln Ẑ: within 3ε nearly always */
      within += dev <= 3 * eps;
      if (prev_eps > 0)   /* 4× the points halve ε */
        JX_CHECK_MSG (fabs (eps / prev_eps - 0.5) < 0.1, "ε %g after %g at 4× the points", eps,
                      prev_eps);
      prev_eps = eps;
      if (S == 262144)
        JX_CHECK_MSG (dev < 2e-3, "ln Ẑ off by %g with %d points", dev, S);
    }
  JX_CHECK_MSG (within >= n_s - 1, "ln Ẑ within 3ε of ln Z for only %d of %d sizes", within,
                n_s);
  /* Control: the estimate sees the network — without the ReLU unit, Z changes by far more
   * than ε. */
  double lz, eps;
  float *p = jx_model_params (m);
  const JxTensorInfo *o = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "branch_out/kernel"));
  p[o->offset + 1] = 0.0f;
  JX_CHECK_INT (jx_model_energy_log_z (m, h, mother, jet, 4096, &lz, &eps, &err), 0);
  JX_CHECK_MSG (fabs (lz - log_z) > 10 * eps, "Z without the ReLU unit %g vs %g", lz, log_z);
  jx_model_free (m);
}

/* A jet's per-step ln P_branch (the batched path) is E(x_t) − ln Ẑ with the model's S. */
static void
test_batched_log_branch (void)
{
  JxModel *m = known_model (10);
  jx_model_set_energy_samples (m, JX_ENERGY_MAX_SAMPLES);
  double lo[4] = { 0, 0, 0, 0 }, hi[4] = { 1, 1, 1, 1 };
  double log_z = log (box_integral (lo, hi));
  JxP4 p[5] = { jx_p4 (50, 1, 0.5, 49.9), jx_p4 (20, -0.8, 1.0, 19.9), jx_p4 (8, 0.5, -0.9, 7.9),
                jx_p4 (5, 0.2, 0.3, 4.98), jx_p4 (3, -0.3, 0.1, 2.97) };
  JxTree tree;
  JxError err = { 0 };
  JX_CHECK_INT (jx_tree_build_from_particles (&tree, p, 5, JX_ALGO_CA, NULL, &err), 0);
  JxStepScore steps[5];
  double lp;
  JX_CHECK_INT (jx_model_log_prob (m, &tree, steps, &lp, NULL, &err), 0);
  const JxScaling *sc = &jx_model_config (m)->scaling;
  for (size_t t = 0; t + 1 < tree.n; t++)
    {
      double x[4];
      jx_scale_branching (sc, &tree.steps[t].x, x);
      for (int i = 0; i < 4; i++)
        x[i] = fmin (1.0, fmax (0.0, x[i]));
      double expect = energy_exact (x) - log_z;
      JX_CHECK_MSG (fabs (steps[t].log_branch - expect) < 5e-3,
                    "step %zu: ln P_branch %g, E(x) − ln Z %g", t + 1, steps[t].log_branch, expect);
    }
  jx_tree_free (&tree);
  jx_model_free (m);
}

/* The G⁴ cell view: each cell's probability against ∫_cell e^E / Z (midpoint rule: O(1/G²)). */
static void
test_cell_view (void)
{
  const int G = 10;
  JxModel *m = known_model (G);
  float h[3] = { 0, 0, 0 };
  JxP4 jet = jx_p4 (100, 0, 0, 99), mother = jx_p4 (40, 3, 1, 39.5);
  double *probs = malloc (sizeof (double) * G * G * G * G);
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_branch_probs (m, h, mother, jet, 0, NULL, probs, NULL, &err), 0);
  double lo[4] = { 0, 0, 0, 0 }, hi[4] = { 1, 1, 1, 1 }, z = box_integral (lo, hi);
  double sum = 0, worst = 0;
  for (int c = 0; c < G * G * G * G; c++)
    {
      int bins[4];
      jx_cell_bins (c, G, bins);
      for (int i = 0; i < 4; i++)
        {
          lo[i] = (double) bins[i] / G;
          hi[i] = (double) (bins[i] + 1) / G;
        }
      double exact = box_integral (lo, hi) / z;
      worst = fmax (worst, fabs (probs[c] / exact - 1));
      sum += probs[c];
    }
  printf ("cell view (G = %d): Σ P = %.9f, worst |P/exact − 1| = %.4f\n", G, sum, worst);
  JX_CHECK_CLOSE (sum, 1.0, 1e-9, 0);
  /* midpoint rule on e^{≈ (a + c) t} over width 0.1: ~ (0.1·3.2)²/24 ≈ 0.4 %; the cell holding
   * the kink at z = 1/2 is on its edge (cells end at 0.5), so no cell straddles it */
  JX_CHECK_MSG (worst < 0.01, "cell probabilities off by up to %g", worst);
  free (probs);
  jx_model_free (m);
}

/* The z and θ' marginals (Fig. 10's curve) against the exact integrals of the known network. */
static void
test_marginals (void)
{
  JxModel *m = known_model (10);
  float h[3] = { 0, 0, 0 };
  JxP4 jet = jx_p4 (100, 0, 0, 99), mother = jx_p4 (40, 3, 1, 39.5);
  enum { NB = 40 };
  double probs[NB];
  JxError err = { 0 };
  for (int coord = 0; coord < 2; coord++)
    {
      JX_CHECK_INT (jx_model_energy_marginal (m, h, mother, jet, coord, NB, 2048, probs, &err), 0);
      double sum = 0, worst = 0;
      for (int b = 0; b < NB; b++)
        {
          double lo = (double) b / NB, hi = (double) (b + 1) / NB;
          double exact = coord == 0 ? int_z (lo, hi) / int_z (0, 1)
                                    : int_exp (A[1], lo, hi) / int_exp (A[1], 0, 1);
          worst = fmax (worst, fabs (probs[b] / exact - 1));
          sum += probs[b];
        }
      printf ("marginal in coordinate %d (%d bins): worst |P/exact − 1| = %.4f\n", coord, NB,
              worst);
      JX_CHECK_CLOSE (sum, 1.0, 1e-12, 0);
      /* E is separable here, and every bin uses the same points in the other coordinates,
       * so their integral is a common factor that cancels: what remains is the bins' own
       * sampling along coord (2048 points, the exponential's curvature within 1/40) */
      JX_CHECK_MSG (worst < 2e-3, "marginal %d off by up to %g", coord, worst);
    }
  /* Control: a model that is not energy is refused. */
  jx_model_free (m);
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.hidden = 3;
  cfg.dense = 4;
  cfg.grid = 4;
  JX_CHECK_INT (jx_model_new (&cfg, 1, &m, &err), 0);
  JX_CHECK_INT (jx_model_energy_marginal (m, h, mother, jet, 0, NB, 16, probs, &err),
                JX_ERR_INVALID);
  jx_model_free (m);
}

/* Importance resampling draws from the density: the z histogram of many draws against the
 * exact bin probabilities (χ²), and the uniform proposal itself fails the same test. */
static void
test_draws (void)
{
  JxModel *m = known_model (10);
  float h[3] = { 0, 0, 0 };
  JxP4 jet = jx_p4 (100, 0, 0, 99), mother = jx_p4 (40, 3, 1, 39.5);
  enum { NB = 10, N = 20000 };
  int count[NB] = { 0 }, ucount[NB] = { 0 };
  JxRng rng;
  jx_rng_seed (&rng, 99, 0);
  JxModelWork *w = jx_model_work_new (m);
  JxError err = { 0 };
  for (int i = 0; i < N; i++)
    {
      double x[4], ld;
      if (jx_model_energy_draw (m, h, mother, jet, 512, &rng, x, &ld, w, &err) != 0)
        {
          JX_CHECK_MSG (0, "draw failed: %s", err.message);
          break;
        }
      count[jx_scaling_bin (x[0], NB)]++;
      ucount[jx_scaling_bin (jx_rng_uniform (&rng), NB)]++;
      if (i == 0)   /* its density: E(x) − ln Ẑ, near E(x) − ln Z */
        {
          double lo[4] = { 0, 0, 0, 0 }, hi[4] = { 1, 1, 1, 1 };
          JX_CHECK_MSG (fabs (ld - (energy_exact (x) - log (box_integral (lo, hi)))) < 0.2,
                        "draw's ln density %g", ld);
        }
    }
  double chi2 = 0, uchi2 = 0;
  for (int b = 0; b < NB; b++)
    {
      double p = int_z ((double) b / NB, (double) (b + 1) / NB) / int_z (0, 1), e = N * p;
      chi2 += (count[b] - e) * (count[b] - e) / e;
      uchi2 += (ucount[b] - e) * (ucount[b] - e) / e;
    }
  printf ("importance resampling, %d draws of 512 points: z histogram χ²/ndf = %.2f "
          "(the uniform proposal itself: %.0f)\n", N, chi2 / (NB - 1), uchi2 / (NB - 1));
  JX_CHECK_MSG (chi2 / (NB - 1) < 2.5, "draws' z histogram χ²/ndf %g", chi2 / (NB - 1));
  JX_CHECK_MSG (uchi2 / (NB - 1) > 50, "control: uniform draws χ²/ndf only %g", uchi2 / (NB - 1));
  jx_model_work_free (w);
  jx_model_free (m);
}

int
main (void)
{
  test_z_converges ();
  test_batched_log_branch ();
  test_cell_view ();
  test_marginals ();
  test_draws ();
  JX_TEST_MAIN_END ("energy-head");
}
