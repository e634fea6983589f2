/* DESIGN §4 feature scaling and binning on hand values, the ln clipping, bin clipping and
 * inverse round trips. */
#include "jx-scaling.h"
#include "jx-rng.h"
#include "jx-test.h"

static void
test_momentum (const JxScaling *s)
{
  double v[4];
  JxRelative r = { 500, M_PI / 2, M_PI, 1 };
  jx_scale_momentum (s, &r, v);
  JX_CHECK_CLOSE (v[0], 1, 0, 1e-15);
  JX_CHECK_CLOSE (v[1], 1, 0, 1e-15);
  JX_CHECK_CLOSE (v[2], 0.5, 0, 1e-15);
  JX_CHECK_CLOSE (v[3], 0, 0, 1e-15);
  /* E = √500 is half way in log; θ = E_sub R_sub / E_jet = 2e-4 is the bottom. */
  r = (JxRelative) { sqrt (500), 2e-4, 0, 500 };
  jx_scale_momentum (s, &r, v);
  JX_CHECK_CLOSE (v[0], 0.5, 0, 1e-15);
  JX_CHECK_CLOSE (v[1], 0, 0, 1e-14);
  JX_CHECK_CLOSE (v[2], 0, 0, 0);
  JX_CHECK_CLOSE (v[3], 1, 0, 1e-15);
  /* θ = 0.01: (ln 0.01 − ln 2e-4)/(ln π/2 − ln 2e-4) = ln 50 / ln(7853.98...) */
  r = (JxRelative) { 10, 0.01, M_PI / 2, 3 };
  jx_scale_momentum (s, &r, v);
  JX_CHECK_CLOSE (v[0], log (10) / log (500), 1e-14, 0);
  JX_CHECK_CLOSE (v[1], log (50) / log (M_PI / 2 / 2e-4), 1e-14, 0);
  JX_CHECK_CLOSE (v[2], 0.25, 1e-15, 0);
  JX_CHECK_CLOSE (v[3], log (3) / log (500), 1e-14, 0);
}

static void
test_branching (const JxScaling *s)
{
  double v[4];
  JxBranching x = { 0.5, M_PI / 2, M_PI / 2, M_PI / 4 };
  jx_scale_branching (s, &x, v);
  JX_CHECK_CLOSE (v[0], 1, 0, 1e-15);
  JX_CHECK_CLOSE (v[1], 1, 0, 1e-15);
  JX_CHECK_CLOSE (v[2], 0.25, 0, 1e-15);
  JX_CHECK_CLOSE (v[3], 1, 0, 1e-15);
  x = (JxBranching) { 1.0 / 500, 0.05, 0, 2e-4 };
  jx_scale_branching (s, &x, v);
  JX_CHECK_CLOSE (v[0], 0, 0, 1e-14);
  JX_CHECK_CLOSE (v[1], 0, 0, 1e-14);
  JX_CHECK_CLOSE (v[3], 0, 0, 1e-14);
  /* z = 0.1: ln 50 / ln 250; θ = 0.2: ln 4 / ln(10π); δ = 0.02: ln 100 / ln(π/4 / 2e-4). */
  x = (JxBranching) { 0.1, 0.2, 1.5 * M_PI, 0.02 };
  jx_scale_branching (s, &x, v);
  JX_CHECK_CLOSE (v[0], log (50) / log (250), 1e-14, 0);
  JX_CHECK_CLOSE (v[0], 0.708512, 1e-6, 0);
  JX_CHECK_CLOSE (v[1], log (4) / log (10 * M_PI), 1e-14, 0);
  JX_CHECK_CLOSE (v[2], 0.75, 1e-15, 0);
  JX_CHECK_CLOSE (v[3], log (100) / log (M_PI / 4 / 2e-4), 1e-14, 0);
  int bins[4];
  jx_branching_bins (s, &x, 10, bins);
  JX_CHECK_INT (bins[0], 7);
  JX_CHECK_INT (bins[1], (int) floor (10 * log (4) / log (10 * M_PI)));
  JX_CHECK_INT (bins[2], 7);
  JX_CHECK_INT (bins[3], (int) floor (10 * log (100) / log (M_PI / 4 / 2e-4)));
}

static void
test_clipping (const JxScaling *s)
{
  /* Arguments of ln are clipped to [1e-8, 1e8]: massless, negative and NaN inputs give the
   * floor, huge ones the ceiling. */
  double v[4], w[4];
  double floor_e = log (1e-8) / log (500);
  JxRelative r = { 1e-12, 0, 0, 0 };
  jx_scale_momentum (s, &r, v);
  JX_CHECK_CLOSE (v[0], floor_e, 1e-14, 0);
  JX_CHECK_CLOSE (v[3], floor_e, 1e-14, 0);
  JX_CHECK_CLOSE (v[1], (log (1e-8) - log (2e-4)) / (log (M_PI / 2) - log (2e-4)), 1e-14, 0);
  r = (JxRelative) { 1e20, 0, 0, -5 };
  jx_scale_momentum (s, &r, v);
  JX_CHECK_CLOSE (v[0], log (1e8) / log (500), 1e-14, 0);
  JX_CHECK_CLOSE (v[3], floor_e, 1e-14, 0);
  r = (JxRelative) { NAN, 0, 0, 1e-8 };
  jx_scale_momentum (s, &r, w);
  JX_CHECK (isfinite (w[0]));
  JX_CHECK_CLOSE (w[0], floor_e, 1e-14, 0);
  JX_CHECK_CLOSE (w[3], floor_e, 1e-14, 0);
  JxBranching x = { 0, 0, 0, 0 };
  jx_scale_branching (s, &x, v);
  JX_CHECK_CLOSE (v[0], (log (1e-8) - log (1.0 / 500)) / (log (0.5) - log (1.0 / 500)), 1e-14, 0);
  for (int k = 0; k < 4; k++)
    JX_CHECK (isfinite (v[k]));
}

static void
test_bins (void)
{
  JX_CHECK_INT (jx_scaling_bin (-0.3, 10), 0);
  JX_CHECK_INT (jx_scaling_bin (-1e300, 10), 0);
  JX_CHECK_INT (jx_scaling_bin (0, 10), 0);
  JX_CHECK_INT (jx_scaling_bin (0.0999, 10), 0);
  JX_CHECK_INT (jx_scaling_bin (0.1, 10), 1);
  JX_CHECK_INT (jx_scaling_bin (0.55, 10), 5);
  JX_CHECK_INT (jx_scaling_bin (0.999, 10), 9);
  JX_CHECK_INT (jx_scaling_bin (1.0, 10), 9);
  JX_CHECK_INT (jx_scaling_bin (7.3, 10), 9);
  JX_CHECK_INT (jx_scaling_bin (1e300, 10), 9);
  JX_CHECK_INT (jx_scaling_bin (NAN, 10), 0);
  JX_CHECK_INT (jx_scaling_bin (0.5, 1), 0);
  JX_CHECK_INT (jx_scaling_bin (0.5, 3), 1);
  int b[4] = { 1, 2, 0, 1 }, back[4];
  JX_CHECK_INT (jx_branching_cell (b, 3), ((1 * 3 + 2) * 3 + 0) * 3 + 1);
  for (int c = 0; c < 10000; c++)
    {
      jx_cell_bins (c, 10, back);
      JX_CHECK_INT (jx_branching_cell (back, 10), c);
    }
  jx_cell_bins (4321, 10, back);
  JX_CHECK (back[0] == 4 && back[1] == 3 && back[2] == 2 && back[3] == 1);
}

static void
test_roundtrip (const JxScaling *s)
{
  JxRng rng;
  jx_rng_seed (&rng, 3, 0);
  int bad = 0;
  for (int i = 0; i < 2000; i++)
    {
      JxBranching x = { 0.5 * jx_rng_uniform (&rng), M_PI * jx_rng_uniform (&rng),
                        2 * M_PI * jx_rng_uniform (&rng), M_PI * jx_rng_uniform (&rng) }, y;
      double v[4], u[4];
      jx_scale_branching (s, &x, v);
      jx_unscale_branching (s, v, &y);
      bad += fabs (y.z - x.z) > 1e-12 * x.z || fabs (y.theta - x.theta) > 1e-12 * x.theta
             || fabs (y.phi - x.phi) > 1e-12 || fabs (y.delta - x.delta) > 1e-12 * x.delta;
      /* and scaled → raw → scaled, including values outside [0, 1] inside the clip range */
      for (int k = 0; k < 4; k++)
        v[k] = 1.6 * jx_rng_uniform (&rng) - 0.3;
      jx_unscale_branching (s, v, &y);
      jx_scale_branching (s, &y, u);
      for (int k = 0; k < 4; k++)
        bad += fabs (u[k] - v[k]) > 1e-12;
      JxRelative r = { 1 + 400 * jx_rng_uniform (&rng), 0.01 + jx_rng_uniform (&rng),
                       6 * jx_rng_uniform (&rng), 0.1 + 10 * jx_rng_uniform (&rng) }, q;
      jx_scale_momentum (s, &r, v);
      jx_unscale_momentum (s, v, &q);
      bad += fabs (q.E - r.E) > 1e-12 * r.E || fabs (q.theta - r.theta) > 1e-12 * r.theta
             || fabs (q.phi - r.phi) > 1e-12 || fabs (q.m - r.m) > 1e-12 * r.m;
    }
  JX_CHECK_INT (bad, 0);
  /* The centre of a bin maps back into that bin. */
  for (int k = 0; k < 4; k++)
    for (int i = 0; i < 10; i++)
      {
        double raw = jx_unscale_coord (s, k, (i + 0.5) / 10);
        JX_CHECK_INT (jx_scaling_bin (jx_scale_coord (s, k, raw), 10), i);
      }
}

static void
test_check (void)
{
  JxScaling s;
  JxError err = { 0 };
  jx_scaling_default (&s);
  JX_CHECK_INT (jx_scaling_check (&s, &err), 0);
  s.e_sub = 0;
  JX_CHECK_INT (jx_scaling_check (&s, &err), JX_ERR_INVALID);
  jx_scaling_default (&s);
  s.e_jet = 1.5;   /* ln ½ − ln(E_sub/E_jet) < 0 */
  JX_CHECK_INT (jx_scaling_check (&s, &err), JX_ERR_INVALID);
  jx_scaling_default (&s);
  s.r_jet = NAN;
  JX_CHECK_INT (jx_scaling_check (&s, &err), JX_ERR_INVALID);
}

int
main (void)
{
  JxScaling s;
  jx_scaling_default (&s);
  JX_CHECK (s.e_jet == 500 && s.e_sub == 1 && s.r_jet == M_PI / 2 && s.r_sub == 0.1);
  test_momentum (&s);
  test_branching (&s);
  test_clipping (&s);
  test_bins ();
  test_roundtrip (&s);
  test_check ();
  JX_TEST_MAIN_END ("scaling");
}
