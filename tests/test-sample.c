/* Sampling is consistent with evaluation (DESIGN.md §4):
 *  - daughters conserve the mother's 4-momentum and sit at the drawn angles; unphysical
 *    draws are refused;
 *  - a sampled jet's tree scored by jx_model_log_prob gives the sampler's own log P (the
 *    product of the step probabilities), and replaying the stored steps rebuilds the jet;
 *  - over many jets the first branching's cells follow P_branch at t = 1 (χ², joint model;
 *    the z head's marginal for a factorized one; uniform and linear in-cell points), and χ²
 *    against another model is large;
 *  - with a constant P_end the multiplicity is geometric, truncated at the maximum length;
 *  - jets reclustered with C/A reproduce the sampled tree when the emissions are
 *    angular-ordered (n = 2 always; n = 3 when the last pair is the closest);
 *  - the linearly interpolated in-cell density matches its analytic form (χ²), and sampled
 *    points sit inside their cells as the neighbouring cells' probabilities say;
 *  - threads do not change results; files round-trip; a massless seed ends at once; with no
 *    redraws allowed, each unphysical draw is one stuck jet. */
#include <string.h>
#include <unistd.h>

#include "jx-model.h"
#include "jx-observables.h"
#include "jx-sample.h"
#include "jx-scaling.h"
#include "jx-test.h"

static JxModel *
tiny_model (JxBranchKind kind, uint64_t seed, double sharpen)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = kind;
  cfg.hidden = 6;
  cfg.dense = 5;
  cfg.grid = 3;
  cfg.max_mult = 12;
  /* z ≥ E_sub/E_jet = 0.2: every cell of the first branching of a heavy jet is physical */
  cfg.scaling.e_sub = 100;
  JxModel *m = NULL;
  JxError err = { 0 };
  if (jx_model_new (&cfg, seed, &m, &err) != 0)
    {
      fprintf (stderr, "model: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
  float *p = jx_model_params (m);
  for (size_t i = 0; i < jx_model_n_params (m); i++)
    p[i] *= (float) sharpen;
  return m;
}

/* P_end(h) = σ(b) for every h: zero output kernel. */
static void
constant_end (JxModel *m, double p_end)
{
  float *P = jx_model_params (m);
  const JxTensorInfo *k = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "end_out/kernel"));
  const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "end_out/bias"));
  memset (P + k->offset, 0, k->rows * k->cols * sizeof *P);
  P[b->offset] = (float) log (p_end / (1 - p_end));
}

static double
chi2 (const double *obs, const double *expct, int n, int *ndf)
{
  double c = 0;
  *ndf = -1;
  for (int i = 0; i < n; i++)
    if (expct[i] > 0)
      {
        c += (obs[i] - expct[i]) * (obs[i] - expct[i]) / expct[i];
        (*ndf)++;
      }
  return c;
}

static void
test_daughters (void)
{
  JxP4 m = jx_p4 (300, 40, -70, 150);   /* |p| = 170 */
  JxBranching x = { 0.3, 0.2, 1.1, 0.05 };
  JxP4 h, s;
  JX_CHECK (jx_sample_daughters (m, &x, &h, &s));
  JxP4 sum = jx_p4_add (h, s);
  JX_CHECK_CLOSE (sum.E, m.E, 1e-14, 1e-12);
  JX_CHECK_CLOSE (sum.px, m.px, 1e-12, 1e-10);
  JX_CHECK_CLOSE (sum.py, m.py, 1e-12, 1e-10);
  JX_CHECK_CLOSE (sum.pz, m.pz, 1e-12, 1e-10);
  JX_CHECK_CLOSE (s.E / m.E, 0.3, 1e-14, 0);
  JX_CHECK_CLOSE (jx_p4_angle (s, m), 0.2, 1e-10, 0);
  JX_CHECK_CLOSE (jx_p4_angle (h, m), 0.05, 1e-10, 0);
  JX_CHECK (jx_p4_m2 (h) >= 0 && jx_p4_m2 (s) >= 0);
  JxFrame f;
  double th, ph;
  jx_frame_from_axis (&f, m);
  jx_frame_angles (&f, s, &th, &ph);
  JX_CHECK_CLOSE (ph, 1.1, 1e-10, 0);
  jx_frame_angles (&f, h, &th, &ph);
  JX_CHECK_CLOSE (ph, 1.1 + M_PI, 1e-10, 0);
  /* a massless mother cannot split into physical daughters */
  JxP4 ml = jx_p4 (100, 0, 60, 80);
  JX_CHECK (!jx_sample_daughters (ml, &x, &h, &s));
  x.theta = 2.5;
  x.delta = 1.0;
  JX_CHECK (!jx_sample_daughters (m, &x, &h, &s));
}

static void
test_replay_and_log_prob (JxBranchKind kind, JxCellSampling cell)
{
  JxModel *m = tiny_model (kind, 11, 2.0);
  constant_end (m, 0.15);
  JxModelWork *w = jx_model_work_new (m);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  opt.cell = cell;
  JxRng rng;
  jx_rng_seed (&rng, 5, 0);
  JxError err = { 0 };
  JxP4 seed = jx_sample_seed_along_z (500, 300);
  int multi = 0;
  for (int j = 0; j < 40; j++)
    {
      JxTree tree;
      JxSampleStep *steps = NULL;
      double lp = 0, ref = 0;
      JxSampleStatus st;
      int nr;
      JX_CHECK_INT (jx_sample_jet (m, seed, &opt, &rng, w, &tree, &steps, &lp, &st, &nr, &err), 0);
      multi += tree.n > 2;
      JX_CHECK_INT (jx_model_log_prob (m, &tree, NULL, &ref, w, &err), 0);
      JX_CHECK_CLOSE (lp, ref, 1e-5, 1e-5);
      double sum = 0;
      for (size_t t = 0; t + 1 < tree.n; t++)
        {
          sum += steps[t].log_prob;
          JX_CHECK_INT (steps[t].mother_index, tree.steps[t].mother_index);
          int bins[4];
          jx_branching_bins (&jx_model_config (m)->scaling, &tree.steps[t].x, 3, bins);
          JX_CHECK_INT (jx_branching_cell (bins, 3), steps[t].cell);
        }
      JX_CHECK (sum >= lp);   /* the end term ln P_end(1|h_n) is ≤ 0 */
      /* replay: same leaves, momentum sum = seed */
      JxTree again;
      JX_CHECK_INT (jx_sample_replay (seed, steps, tree.n - 1, &again, &err), 0);
      JX_CHECK_INT (again.n, tree.n);
      JxP4 tot = jx_p4 (0, 0, 0, 0);
      for (size_t k = 0; k < tree.n && k < again.n; k++)
        {
          JX_CHECK (memcmp (&again.nodes[k].p, &tree.nodes[k].p, sizeof (JxP4)) == 0);
          tot = jx_p4_add (tot, tree.nodes[k].p);
          JX_CHECK (k == 0 || tree.nodes[k].p.E <= tree.nodes[k - 1].p.E);
        }
      JX_CHECK_CLOSE (tot.E, seed.E, 1e-12, 1e-9);
      JX_CHECK_CLOSE (tot.pz, seed.pz, 1e-12, 1e-9);
      jx_tree_free (&again);
      jx_tree_free (&tree);
      free (steps);
    }
  JX_CHECK (multi > 10);   /* the check above saw real multi-step trees */
  jx_model_work_free (w);
  jx_model_free (m);
}

/* Expected probabilities of the first branching's joint cells (joint model) or of the z
 * head (factorized). */
static int
first_branch_probs (const JxModel *m, JxP4 seed, double *probs)
{
  const JxModelConfig *cfg = jx_model_config (m);
  float h[64];
  JxError err = { 0 };
  jx_model_state_init (m, seed, h);
  double prev[4] = { 0 };
  JX_CHECK_INT (jx_model_branch_probs (m, h, seed, seed, 0, prev, probs, NULL, &err), 0);
  return cfg->branch == JX_BRANCH_JOINT ? cfg->grid * cfg->grid * cfg->grid * cfg->grid
                                        : cfg->grid;
}

static void
test_first_branching (JxBranchKind kind, JxCellSampling cell)
{
  JxModel *m = tiny_model (kind, 21, 3.0);
  JxModel *other = tiny_model (kind, 99, 3.0);
  constant_end (m, 0.01);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  opt.max_length = 2;
  opt.threads = 2;
  opt.cell = cell;
  JxP4 seed = jx_sample_seed_along_z (500, 499);
  JxSampleSet set;
  JxError err = { 0 };
  size_t N = 20000;
  JX_CHECK_INT (jx_sample_run (m, &seed, 1, N, 7, &opt, &set, NULL, &err), 0);
  JX_CHECK_INT (set.total_redrawn, 0);
  double probs[81], alt[81], obs[81] = { 0 }, ex[81], ex_alt[81];
  int K = first_branch_probs (m, seed, probs);
  first_branch_probs (other, seed, alt);
  size_t n_first = 0;
  for (size_t i = 0; i < set.n_jets; i++)
    if (set.step_offsets[i + 1] > set.step_offsets[i])
      {
        const JxSampleStep *st = &set.steps[set.step_offsets[i]];
        int bins[4];
        jx_cell_bins (st->cell, 3, bins);
        obs[kind == JX_BRANCH_JOINT ? st->cell : bins[JX_COORD_Z]] += 1;
        n_first++;
      }
  JX_CHECK (n_first > N * 9 / 10);
  for (int c = 0; c < K; c++)
    {
      ex[c] = probs[c] * (double) n_first;
      ex_alt[c] = alt[c] * (double) n_first;
    }
  int ndf;
  double c2 = chi2 (obs, ex, K, &ndf);
  /* mean ndf, sd √(2 ndf): 6 sd is a false alarm once in 10⁹ */
  JX_CHECK_MSG (c2 < ndf + 6 * sqrt (2.0 * ndf), "χ² = %g for %d dof", c2, ndf);
  int ndf2;
  double c2_alt = chi2 (obs, ex_alt, K, &ndf2);
  JX_CHECK_MSG (c2_alt > 10 * (ndf2 + 6 * sqrt (2.0 * ndf2)), "χ² vs another model = %g", c2_alt);
  jx_sample_set_free (&set);
  jx_model_free (m);
  jx_model_free (other);
}

/* Mean in-cell position of the linear density with edge values el, er and centre mid. */
static double
lin_mean (double left, double mid, double right)
{
  double el = 0.5 * (left + mid), er = 0.5 * (mid + right);
  return (el / 8 + (mid - el) / 12 + 3 * mid / 8 + 5 * (er - mid) / 24) / ((el + 2 * mid + er) / 4);
}

/* Joint model, first branching: the in-cell positions follow the neighbours' probabilities
 * along each coordinate (linear) or are flat (uniform). */
static void
test_in_cell_positions (JxCellSampling cell)
{
  JxModel *m = tiny_model (JX_BRANCH_JOINT, 21, 3.0);   /* not uniform at t = 1 (see above) */
  constant_end (m, 0.01);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  opt.max_length = 2;
  opt.cell = cell;
  JxP4 seed = jx_sample_seed_along_z (500, 499);
  JxSampleSet set;
  JxError err = { 0 };
  size_t N = 20000;
  JX_CHECK_INT (jx_sample_run (m, &seed, 1, N, 17, &opt, &set, NULL, &err), 0);
  double probs[81];
  first_branch_probs (m, seed, probs);
  const JxScaling *sc = &jx_model_config (m)->scaling;
  int G = 3;
  double d_lin = 0, t = 0, s2 = 0, n = 0;
  for (size_t i = 0; i < set.n_jets; i++)
    {
      if (set.step_offsets[i + 1] == set.step_offsets[i])
        continue;
      const JxSampleStep *st = &set.steps[set.step_offsets[i]];
      double xs[4];
      int bins[4];
      jx_scale_branching (sc, &st->x, xs);
      jx_cell_bins (st->cell, G, bins);
      for (int k = 0; k < 4; k++)
        {
          int stride = k == 0 ? 27 : k == 1 ? 9 : k == 2 ? 3 : 1, b = bins[k];
          double mid = probs[st->cell], left = mid, right = mid;
          if (b > 0 || k == JX_COORD_PHI)
            left = probs[st->cell + ((b + G - 1) % G - b) * stride];
          if (b < G - 1 || k == JX_COORD_PHI)
            right = probs[st->cell + ((b + 1) % G - b) * stride];
          double u = G * xs[k] - b, e = lin_mean (left, mid, right);
          d_lin += u - e;
          t += (u - 0.5) * (e - 0.5);   /* ≈ Σ(E − ½)² when linear, ≈ 0 when uniform */
          s2 += (e - 0.5) * (e - 0.5);
          n += 1;
        }
    }
  /* u has variance ≤ 1/12 + a little for these near-flat shapes: bound it by 0.1 */
  double sd = sqrt (0.1 * n), sd_t = sqrt (0.1 * s2);
  JX_CHECK_MSG (s2 > 20 * sd_t, "the neighbours differ enough to tell: Σ(E − ½)² = %g", s2);
  if (cell == JX_CELL_LINEAR)
    {
      JX_CHECK_MSG (fabs (d_lin) < 6 * sd, "linear: Σ(u − E_lin u) = %g, sd %g", d_lin, sd);
      JX_CHECK_MSG (fabs (t - s2) < 6 * sd_t, "linear: T = %g, Σ(E − ½)² = %g, sd %g", t, s2, sd_t);
    }
  else
    JX_CHECK_MSG (fabs (t) < 6 * sd_t, "uniform: T = %g, sd %g (Σ(E − ½)² = %g)", t, sd_t, s2);
  jx_sample_set_free (&set);
  jx_model_free (m);
}

static void
test_multiplicity (void)
{
  JxModel *m = tiny_model (JX_BRANCH_JOINT, 31, 1.0);
  double pe = 0.3;
  constant_end (m, pe);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  /* uniform points never make a daughter massless, so no state runs out of splittable
   * particles and only P_end ends a jet */
  opt.cell = JX_CELL_UNIFORM;
  opt.max_length = 6;
  opt.threads = 2;
  JxP4 seed = jx_sample_seed_along_z (500, 400);
  JxSampleSet set;
  JxError err = { 0 };
  size_t N = 6000;
  JX_CHECK_INT (jx_sample_run (m, &seed, 1, N, 8, &opt, &set, NULL, &err), 0);
  JX_CHECK_INT (set.n_stuck, 0);
  double obs[7] = { 0 }, ex[7] = { 0 };
  size_t trunc = 0;
  for (size_t i = 0; i < N; i++)
    {
      size_t n = jx_dataset_jet_size (&set.data, i);
      JX_CHECK (n >= 1 && n <= 6);
      obs[n] += 1;
      trunc += set.status[i] == JX_SAMPLE_TRUNCATED;
      JX_CHECK ((set.status[i] == JX_SAMPLE_TRUNCATED) == (n == 6));
    }
  JX_CHECK_INT (trunc, set.n_truncated);
  for (int n = 1; n < 6; n++)
    ex[n] = N * pow (1 - pe, n - 1) * pe;
  ex[6] = N * pow (1 - pe, 5);
  int ndf;
  double c2 = chi2 (obs + 1, ex + 1, 6, &ndf);
  JX_CHECK_MSG (c2 < ndf + 6 * sqrt (2.0 * ndf), "multiplicity χ² = %g for %d dof", c2, ndf);
  /* and it can fail: against P_end = 0.35 */
  for (int n = 1; n < 6; n++)
    ex[n] = N * pow (0.65, n - 1) * 0.35;
  ex[6] = N * pow (0.65, 5);
  JX_CHECK (chi2 (obs + 1, ex + 1, 6, &ndf) > 50);
  jx_sample_set_free (&set);
  jx_model_free (m);
}

static void
test_recluster (void)
{
  JxModel *m = tiny_model (JX_BRANCH_JOINT, 41, 2.0);
  constant_end (m, 0.2);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  opt.max_length = 3;
  JxRng rng;
  jx_rng_seed (&rng, 9, 0);
  JxModelWork *w = jx_model_work_new (m);
  JxError err = { 0 };
  JxP4 seed = jx_sample_seed_along_z (500, 350);
  int n2 = 0, n3 = 0;
  for (int j = 0; j < 300; j++)
    {
      JxTree tree, re;
      JX_CHECK_INT (jx_sample_jet (m, seed, &opt, &rng, w, &tree, NULL, NULL, NULL, NULL, &err), 0);
      JxP4 p[3];
      for (size_t k = 0; k < tree.n; k++)
        p[k] = tree.nodes[k].p;
      bool check = tree.n == 2;
      if (tree.n == 3)
        {
          /* C/A merges the closest pair first: the second branching's daughters must be it */
          const JxStep *s2 = &tree.steps[1];
          int a = s2->daughter[0], b = s2->daughter[1], c = 3 - a - b;
          double ab = jx_p4_angle (p[a], p[b]);
          check = ab < jx_p4_angle (p[a], p[c]) && ab < jx_p4_angle (p[b], p[c]);
        }
      if (check)
        {
          JX_CHECK_INT (jx_tree_build_from_particles (&re, p, tree.n, JX_ALGO_CA, NULL, &err), 0);
          for (size_t t = 0; t + 1 < tree.n; t++)
            {
              JX_CHECK_INT (re.steps[t].mother_index, tree.steps[t].mother_index);
              JX_CHECK_CLOSE (re.steps[t].x.z, tree.steps[t].x.z, 1e-9, 0);
              JX_CHECK_CLOSE (re.steps[t].x.theta, tree.steps[t].x.theta, 1e-7, 0);
              JX_CHECK_CLOSE (re.steps[t].x.delta, tree.steps[t].x.delta, 1e-7, 1e-12);
              JX_CHECK_CLOSE (re.steps[t].x.phi, tree.steps[t].x.phi, 1e-7, 1e-9);
            }
          n2 += tree.n == 2;
          n3 += tree.n == 3;
          jx_tree_free (&re);
        }
      jx_tree_free (&tree);
    }
  JX_CHECK_MSG (n2 > 20 && n3 > 20, "reclustered %d jets of 2 and %d of 3", n2, n3);
  jx_model_work_free (w);
  jx_model_free (m);
}

/* ∫ of the piecewise-linear in-cell density over [a, b] (unnormalized). */
static double
lin_integral (double left, double mid, double right, double a, double b)
{
  double el = 0.5 * (left + mid), er = 0.5 * (mid + right);
  double s = 0;
  int steps = 2000;
  for (int i = 0; i < steps; i++)
    {
      double u = a + (b - a) * (i + 0.5) / steps;
      double f = u < 0.5 ? el + (mid - el) * 2 * u : mid + (er - mid) * (2 * u - 1);
      s += f * (b - a) / steps;
    }
  return s;
}

static void
test_linear_cell (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 3, 0);
  double l = 0.1, c = 1.0, r = 3.0;
  double obs[10] = { 0 }, ex[10], flat[10];
  int N = 100000;
  for (int i = 0; i < N; i++)
    {
      double u = jx_sample_in_cell_linear (&rng, l, c, r);
      JX_CHECK (u > 0 && u < 1);
      obs[(int) (u * 10)] += 1;
    }
  double tot = lin_integral (l, c, r, 0, 1);
  for (int k = 0; k < 10; k++)
    {
      ex[k] = N * lin_integral (l, c, r, k / 10.0, (k + 1) / 10.0) / tot;
      flat[k] = N / 10.0;
    }
  int ndf;
  double c2 = chi2 (obs, ex, 10, &ndf);
  JX_CHECK_MSG (c2 < ndf + 6 * sqrt (2.0 * ndf), "in-cell χ² = %g", c2);
  JX_CHECK (chi2 (obs, flat, 10, &ndf) > 1000);
  /* equal neighbours: flat */
  double o2[4] = { 0 }, e2[4] = { N / 4.0, N / 4.0, N / 4.0, N / 4.0 };
  for (int i = 0; i < N; i++)
    o2[(int) (jx_sample_in_cell_linear (&rng, 2, 2, 2) * 4)] += 1;
  c2 = chi2 (o2, e2, 4, &ndf);
  JX_CHECK_MSG (c2 < ndf + 6 * sqrt (2.0 * ndf), "flat χ² = %g", c2);
}

static void
test_threads_and_files (void)
{
  JxModel *m = tiny_model (JX_BRANCH_FACTORIZED, 51, 2.0);
  constant_end (m, 0.2);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  opt.cell = JX_CELL_LINEAR;
  JxP4 seeds[3] = { jx_sample_seed_along_z (500, 300), jx_sample_seed_along_z (450, 200),
                    jx_p4 (520, 100, 50, 380) };
  JxSampleSet a, b, c;
  JxError err = { 0 };
  opt.threads = 1;
  JX_CHECK_INT (jx_sample_run (m, seeds, 3, 50, 4, &opt, &a, NULL, &err), 0);
  opt.threads = 3;
  JX_CHECK_INT (jx_sample_run (m, seeds, 3, 50, 4, &opt, &b, NULL, &err), 0);
  JX_CHECK_INT (a.step_offsets[50], b.step_offsets[50]);
  JX_CHECK (jx_dataset_n_particles (&a.data) == jx_dataset_n_particles (&b.data)
            && memcmp (a.data.particles, b.data.particles,
                       jx_dataset_n_particles (&a.data) * sizeof (JxP4)) == 0);
  char path[] = "/tmp/jx-test-sample-XXXXXX";
  int fd = mkstemp (path);
  JX_CHECK (fd >= 0);
  close (fd);
  JX_CHECK_INT (jx_sample_write (&a, path, NULL, &err), 0);
  JX_CHECK_INT (jx_sample_read (&c, path, NULL, &err), 0);
  JX_CHECK_INT (c.n_jets, 50);
  if (c.n_jets == 50)
    {
      for (size_t k = 0; k < a.step_offsets[50]; k++)
        {
          const JxSampleStep *x = &a.steps[k], *y = &c.steps[k];
          JX_CHECK (x->mother_index == y->mother_index && x->cell == y->cell
                    && x->redrawn == y->redrawn && x->log_prob == y->log_prob
                    && memcmp (&x->x, &y->x, sizeof x->x) == 0);
        }
      JX_CHECK (memcmp (c.log_p, a.log_p, 50 * sizeof *a.log_p) == 0);
      JX_CHECK (memcmp (c.seed, a.seed, 50 * sizeof *a.seed) == 0);
      /* replay from the file gives the stored particles */
      JxTree t;
      JX_CHECK_INT (jx_sample_replay (c.seed[7], c.steps + c.step_offsets[7],
                                      c.step_offsets[8] - c.step_offsets[7], &t, &err), 0);
      for (size_t k = 0; k < t.n; k++)
        JX_CHECK (memcmp (&t.nodes[k].p, &jx_dataset_jet (&c.data, 7)[k], sizeof (JxP4)) == 0);
      jx_tree_free (&t);
    }
  /* a plain dataset is refused with a message */
  JX_CHECK_INT (jx_dataset_write (&a.data, path, NULL, &err), 0);
  jx_sample_set_free (&c);
  JX_CHECK_INT (jx_sample_read (&c, path, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK (strstr (err.message, "/sample") != NULL);
  unlink (path);
  jx_sample_set_free (&a);
  jx_sample_set_free (&b);
  jx_sample_set_free (&c);

  /* no jets: an empty, writable set */
  JX_CHECK_INT (jx_sample_run (m, seeds, 3, 0, 4, &opt, &a, NULL, &err), 0);
  JX_CHECK_INT (a.n_jets, 0);
  JX_CHECK_INT (jx_sample_write (&a, path, NULL, &err), 0);
  JX_CHECK_INT (jx_sample_read (&c, path, NULL, &err), 0);
  JX_CHECK_INT (c.n_jets, 0);
  jx_sample_set_free (&a);
  jx_sample_set_free (&c);
  unlink (path);

  /* a massless seed can never split: the jet ends at once, with nothing redrawn */
  JxP4 ml = jx_p4 (500, 0, 0, 500);
  JX_CHECK_INT (jx_sample_run (m, &ml, 1, 4, 1, &opt, &a, NULL, &err), 0);
  for (size_t i = 0; i < a.n_jets; i++)
    JX_CHECK (jx_dataset_jet_size (&a.data, i) == 1 && a.status[i] == JX_SAMPLE_ENDED);
  JX_CHECK_INT (a.total_redrawn, 0);
  jx_sample_set_free (&a);
  /* with no redraw allowed, the first unphysical draw stops a jet: every redraw counted is
   * a stuck jet (uniform points give light daughters that often cannot split) */
  opt.max_redraws = 0;
  opt.cell = JX_CELL_UNIFORM;
  JX_CHECK_INT (jx_sample_run (m, seeds, 3, 200, 1, &opt, &a, NULL, &err), 0);
  JX_CHECK (a.n_stuck >= 2);
  JX_CHECK_INT (a.total_redrawn, a.n_stuck);
  for (size_t i = 0; i < a.n_jets; i++)
    JX_CHECK ((a.status[i] == JX_SAMPLE_STUCK) == (a.n_redrawn[i] == 1));
  jx_sample_set_free (&a);
  /* bad seeds are refused */
  JX_CHECK_INT (jx_sample_run (m, &(JxP4) { 10, 0, 0, 20 }, 1, 1, 1, &opt, &a, NULL, &err),
                JX_ERR_INVALID);
  jx_sample_set_free (&a);
  jx_model_free (m);
}

int
main (void)
{
  test_daughters ();
  test_replay_and_log_prob (JX_BRANCH_JOINT, JX_CELL_UNIFORM);
  test_replay_and_log_prob (JX_BRANCH_FACTORIZED, JX_CELL_LINEAR);
  test_replay_and_log_prob (JX_BRANCH_JOINT, JX_CELL_LINEAR);
  test_replay_and_log_prob (JX_BRANCH_JOINT, JX_CELL_MASSLESS);
  test_replay_and_log_prob (JX_BRANCH_FACTORIZED, JX_CELL_MASSLESS);
  test_first_branching (JX_BRANCH_JOINT, JX_CELL_UNIFORM);
  test_first_branching (JX_BRANCH_JOINT, JX_CELL_LINEAR);
  test_first_branching (JX_BRANCH_FACTORIZED, JX_CELL_UNIFORM);
  test_first_branching (JX_BRANCH_FACTORIZED, JX_CELL_LINEAR);
  test_first_branching (JX_BRANCH_JOINT, JX_CELL_MASSLESS);
  test_first_branching (JX_BRANCH_FACTORIZED, JX_CELL_MASSLESS);
  test_in_cell_positions (JX_CELL_LINEAR);
  test_in_cell_positions (JX_CELL_UNIFORM);
  test_multiplicity ();
  test_recluster ();
  test_linear_cell ();
  test_threads_and_files ();
  JX_TEST_MAIN_END ("sample");
}
