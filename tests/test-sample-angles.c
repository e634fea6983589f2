/* The sampled δ and φ of the first branching follow the model's own cell probabilities (χ²),
 * for joint and factorized heads and the uniform, linear and massless in-cell placements.
 * δ and φ are measured here from the sampled particles — the hard daughter's angle to the
 * seed, the soft daughter's azimuth around it in DESIGN.md §3's frame — not read back from
 * the sampler's record, and scaled with DESIGN.md §4's formulas. Expected counts: joint, the
 * marginal of P_branch over the other coordinates; factorized, Σ over the jets of the δ (φ)
 * head's probabilities given that jet's own earlier coordinates. With uniform points each
 * cell is also split into 4 sub-bins of equal expectation (the in-cell placement).
 * Controls that must fail: φ against the hard daughter's azimuth (φ + π, the other daughter),
 * δ against θ's probabilities. */
#include <string.h>

#include "jx-model.h"
#include "jx-sample.h"
#include "jx-test.h"

enum { G = 4, SUB = 4, N_JETS = 20000 };

static JxModel *
tiny_model (JxBranchKind kind)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = kind;
  cfg.hidden = 6;
  cfg.dense = 5;
  cfg.grid = G;
  cfg.max_mult = 12;
  /* z ≥ E_sub/E_jet = 0.2: every cell of the first branching of a heavy jet is physical, so
   * nothing is redrawn (a redraw would bias the sample away from the probabilities) */
  cfg.scaling.e_sub = 100;
  JxModel *m = NULL;
  JxError err = { 0 };
  if (jx_model_new (&cfg, 41, &m, &err) != 0)
    {
      fprintf (stderr, "model: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
  /* sharper than Glorot (×2): cells far from uniform, so the controls can fail, yet most
   * cells still expected to be hit (×3 leaves factorized δ almost all in one bin) */
  float *p = jx_model_params (m);
  for (size_t i = 0; i < jx_model_n_params (m); i++)
    p[i] *= 2.0f;
  /* P_end = 0.01 at every state: nearly every jet branches once (max_length 2 stops it) */
  const JxTensorInfo *k = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "end_out/kernel"));
  const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "end_out/bias"));
  memset (p + k->offset, 0, k->rows * k->cols * sizeof *p);
  p[b->offset] = (float) log (0.01 / 0.99);
  return m;
}

/* ---- geometry and scaling, from DESIGN.md §3–4 ------------------------------------------- */

static double
dot3 (const double a[3], const double b[3])
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static double
opening (JxP4 a, JxP4 b)
{
  double u[3] = { a.px, a.py, a.pz }, v[3] = { b.px, b.py, b.pz };
  return acos (dot3 (u, v) / sqrt (dot3 (u, u) * dot3 (v, v)));   /* angles ≥ 0.02 here */
}

/* φ of p around n: e_z = n̂, e_x = (0,1,0) × e_z = (z, 0, −x) normalized, e_y = e_z × e_x. */
static double
azimuth (JxP4 p, JxP4 n)
{
  double l = sqrt (n.px * n.px + n.py * n.py + n.pz * n.pz);
  double ez[3] = { n.px / l, n.py / l, n.pz / l };
  double lx = hypot (ez[2], ez[0]);
  double ex[3] = { ez[2] / lx, 0, -ez[0] / lx };
  double ey[3] = { ez[1] * ex[2] - ez[2] * ex[1], ez[2] * ex[0] - ez[0] * ex[2],
                   ez[0] * ex[1] - ez[1] * ex[0] };
  double v[3] = { p.px, p.py, p.pz };
  double f = atan2 (dot3 (v, ey), dot3 (v, ex));
  return f < 0 ? f + 2 * M_PI : f;
}

static double
lnc (double x)
{
  return log (fmin (fmax (x, 1e-8), 1e8));
}

typedef struct {
  double z, theta, delta, phi;   /* scaled */
} Scaled;

static Scaled
scaled_first_branching (const JxScaling *s, JxP4 seed, JxP4 hard, JxP4 soft)
{
  double lo_d = lnc (s->e_sub * s->r_sub / s->e_jet);
  Scaled x;
  x.z = (lnc (soft.E / seed.E) - lnc (s->e_sub / s->e_jet)) / (lnc (0.5) - lnc (s->e_sub / s->e_jet));
  x.theta = (lnc (opening (soft, seed)) - lnc (s->r_sub / 2)) / (lnc (s->r_jet) - lnc (s->r_sub / 2));
  x.delta = (lnc (opening (hard, seed)) - lo_d) / (lnc (s->r_jet / 2) - lo_d);
  x.phi = azimuth (soft, seed) / (2 * M_PI);
  return x;
}

static int
fine_bin (double x)
{
  int b = (int) floor (x * G * SUB);
  return b < 0 ? 0 : b >= G * SUB ? G * SUB - 1 : b;
}

/* ---- χ² -------------------------------------------------------------------------------- */

/* Σ (o − e)²/e; *ndf = bins − 1. Bins expecting fewer than 5 counts are pooled into the
 * bin expecting the most (χ² needs e ≳ 5 per bin: one count where 0.02 are expected is no
 * evidence against the model, but would add 48). */
static double
chi2 (const double *obs, const double *expct, int n, int *ndf)
{
  double o[G * SUB * 4], e[G * SUB * 4], po = 0, pe = 0;
  int k = 0, big = -1;
  for (int i = 0; i < n; i++)
    if (expct[i] < 5)
      {
        po += obs[i];
        pe += expct[i];
      }
    else
      {
        o[k] = obs[i];
        e[k] = expct[i];
        if (big < 0 || e[k] > e[big])
          big = k;
        k++;
      }
  if (big < 0)
    {
      *ndf = 0;
      return INFINITY;
    }
  o[big] += po;
  e[big] += pe;
  double c = 0;
  for (int i = 0; i < k; i++)
    c += (o[i] - e[i]) * (o[i] - e[i]) / e[i];
  *ndf = k - 1;
  return c;
}

/* A χ² that a correct sampler exceeds once in ~10⁹ runs: mean ndf, sd √(2 ndf), 6 sd. */
static double
chi2_limit (int ndf)
{
  return ndf + 6 * sqrt (2.0 * ndf);
}

static void
check_fits (const char *what, const double *obs, const double *expct, int n)
{
  int ndf;
  double c = chi2 (obs, expct, n, &ndf);
  printf ("  %-28s χ² = %7.1f for %2d dof (limit %.1f)\n", what, c, ndf, chi2_limit (ndf));
  JX_CHECK_MSG (c < chi2_limit (ndf), "%s: χ² = %g for %d dof", what, c, ndf);
}

static void
check_control_fails (const char *what, const double *obs, const double *expct, int n)
{
  int ndf;
  double c = chi2 (obs, expct, n, &ndf);
  printf ("  control %-20s χ² = %7.1f for %2d dof (must exceed %.1f)\n", what, c, ndf,
          10 * chi2_limit (ndf));
  JX_CHECK_MSG (c > 10 * chi2_limit (ndf), "control %s passes: χ² = %g for %d dof", what, c, ndf);
}

/* ---- the test ---------------------------------------------------------------------------- */

static void
test_angles (JxBranchKind kind, JxCellSampling cell)
{
  JxModel *m = tiny_model (kind);
  const JxScaling *sc = &jx_model_config (m)->scaling;
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  opt.max_length = 2;
  opt.threads = 2;
  opt.cell = cell;
  /* a heavy seed (E 500, m 499) along a direction that is no axis of the frame */
  double dir[3] = { 0.3, -0.6, 0.74 };
  double pp = sqrt (500.0 * 500.0 - 499.0 * 499.0) / sqrt (dot3 (dir, dir));
  JxP4 seed = jx_p4 (500, pp * dir[0], pp * dir[1], pp * dir[2]);
  JxSampleSet set;
  JxError err = { 0 };
  JX_CHECK_INT (jx_sample_run (m, &seed, 1, N_JETS, 13, &opt, &set, NULL, &err), 0);
  JX_CHECK_INT (set.total_redrawn, 0);

  float h[16];
  double probs[G * G * G * G];
  jx_model_state_init (m, seed, h);
  if (kind == JX_BRANCH_JOINT)
    JX_CHECK_INT (jx_model_branch_probs (m, h, seed, seed, 0, NULL, probs, NULL, &err), 0);

  /* observed and expected counts: δ, φ, θ-as-δ (control) per bin; δ, φ per sub-bin */
  double o_delta[G] = { 0 }, o_phi[G] = { 0 }, o_phi_hard[G] = { 0 };
  double e_delta[G] = { 0 }, e_phi[G] = { 0 }, e_theta[G] = { 0 };
  double o_fd[G * SUB] = { 0 }, o_fp[G * SUB] = { 0 }, e_fd[G * SUB] = { 0 }, e_fp[G * SUB] = { 0 };
  size_t n_branched = 0;
  int bad_rc = 0;
  for (size_t i = 0; i < set.n_jets; i++)
    {
      if (jx_dataset_jet_size (&set.data, i) != 2)
        continue;
      const JxP4 *q = jx_dataset_jet (&set.data, i);
      JxP4 hard = q[0].E >= q[1].E ? q[0] : q[1], soft = q[0].E >= q[1].E ? q[1] : q[0];
      Scaled x = scaled_first_branching (sc, seed, hard, soft);
      n_branched++;
      int bd = jx_scaling_bin (x.delta, G), bp = jx_scaling_bin (x.phi, G);
      o_delta[bd] += 1;
      o_phi[bp] += 1;
      o_phi_hard[(bp + G / 2) % G] += 1;   /* the hard daughter sits at φ + π */
      o_fd[fine_bin (x.delta)] += 1;
      o_fp[fine_bin (x.phi)] += 1;
      double pd[G], pphi[G], pth[G];
      if (kind == JX_BRANCH_JOINT)
        {
          memset (pd, 0, sizeof pd);
          memset (pphi, 0, sizeof pphi);
          memset (pth, 0, sizeof pth);
          for (int c = 0; c < G * G * G * G; c++)
            {
              pd[c % G] += probs[c];                 /* i_δ is the last index */
              pphi[(c / G) % G] += probs[c];
              pth[(c / (G * G)) % G] += probs[c];
            }
        }
      else
        {
          /* each head given this jet's earlier coordinates, in the order z, θ, δ, φ */
          double prev[4] = { x.z, x.theta, x.delta, 0 };
          bad_rc += jx_model_branch_probs (m, h, seed, seed, 1, prev, pth, NULL, &err) != 0;
          bad_rc += jx_model_branch_probs (m, h, seed, seed, 2, prev, pd, NULL, &err) != 0;
          bad_rc += jx_model_branch_probs (m, h, seed, seed, 3, prev, pphi, NULL, &err) != 0;
        }
      for (int b = 0; b < G; b++)
        {
          e_delta[b] += pd[b];
          e_phi[b] += pphi[b];
          e_theta[b] += pth[b];
          for (int s = 0; s < SUB; s++)
            {
              e_fd[b * SUB + s] += pd[b] / SUB;
              e_fp[b * SUB + s] += pphi[b] / SUB;
            }
        }
    }
  JX_CHECK_INT (bad_rc, 0);
  JX_CHECK_MSG (n_branched > N_JETS * 9 / 10, "%zu of %d jets branched", n_branched, N_JETS);
  printf ("%s, %s points: %zu first branchings\n", jx_branch_kind_name (kind),
          jx_cell_sampling_name (cell), n_branched);
  check_fits ("δ per cell", o_delta, e_delta, G);
  check_fits ("φ per cell", o_phi, e_phi, G);
  if (cell == JX_CELL_UNIFORM)
    {
      check_fits ("δ per quarter cell", o_fd, e_fd, G * SUB);
      check_fits ("φ per quarter cell", o_fp, e_fp, G * SUB);
    }
  check_control_fails ("φ of the hard one", o_phi_hard, e_phi, G);
  check_control_fails ("δ as θ", o_delta, e_theta, G);
  jx_sample_set_free (&set);
  jx_model_free (m);
}

int
main (void)
{
  const JxCellSampling cells[3] = { JX_CELL_UNIFORM, JX_CELL_LINEAR, JX_CELL_MASSLESS };
  for (int c = 0; c < 3; c++)
    {
      test_angles (JX_BRANCH_JOINT, cells[c]);
      test_angles (JX_BRANCH_FACTORIZED, cells[c]);
    }
  JX_TEST_MAIN_END ("sample-angles");
}
