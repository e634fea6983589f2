/* The massless points of a branching (jx-sample-massless.h), checked by building the
 * daughters there with jx_sample_daughters:
 *  - at δ_soft(θ) the soft daughter, at δ_hard(θ) the hard one has zero mass (to rounding),
 *    and the other daughter is physical exactly when θ lies below the both-massless angle
 *    (massless daughters need the widest opening for the mother's mass);
 *  - at the both-massless (θ, δ) both daughters are massless and 4-momentum is conserved;
 *  - the physical δ of a given θ lie between δ_hard and δ_soft (masses change sign there);
 *  - a massless mother, or one too heavy for the energy split, has no both-massless point.
 * And in the sampler: the massless in-cell mode makes massless daughters (uniform points
 * never do), and with P_end ≈ 0 a jet ends exactly when none of its particles can split
 * (massless, or below 2 E_sub). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-model.h"
#include "jx-rng.h"
#include "jx-sample-massless.h"
#include "jx-sample.h"
#include "jx-test-model.h"
#include "jx-test.h"

static double
rel_m2 (JxP4 p)
{
  return jx_p4_m2 (p) / (p.E * p.E);
}

static JxP4
random_mother (JxRng *rng)
{
  double e = 20 + 480 * jx_rng_uniform (rng);
  double m = e * (0.01 + 0.3 * jx_rng_uniform (rng));
  double p = sqrt (e * e - m * m);
  double ct = 2 * jx_rng_uniform (rng) - 1, st = sqrt (1 - ct * ct);
  double ph = 2 * M_PI * jx_rng_uniform (rng);
  return jx_p4 (e, p * st * cos (ph), p * st * sin (ph), p * ct);
}

static void
test_geometry (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 3, 0);
  int n_both = 0, n_soft = 0, n_hard = 0;
  for (int i = 0; i < 2000; i++)
    {
      JxP4 mother = random_mother (&rng);
      double z = 0.002 + 0.498 * jx_rng_uniform (&rng);
      double phi = 2 * M_PI * jx_rng_uniform (&rng);
      JxP4 h, s;
      double th2, de2;
      if (jx_massless_both (mother, z, &th2, &de2))
        {
          n_both++;
          JxBranching x = { z, th2, phi, de2 };
          JX_CHECK (jx_sample_daughters (mother, &x, &h, &s));
          JX_CHECK (fabs (rel_m2 (h)) < 1e-9 && fabs (rel_m2 (s)) < 1e-9);
          JxP4 sum = jx_p4_add (h, s);
          JX_CHECK_CLOSE (sum.E, mother.E, 1e-12, 1e-9);
          JX_CHECK_CLOSE (sum.px, mother.px, 1e-9, 1e-9);
          JX_CHECK_CLOSE (sum.pz, mother.pz, 1e-9, 1e-9);
          /* below θ2 both single-massless points exist, with the other daughter massive */
          double th = th2 * (0.3 + 0.65 * jx_rng_uniform (&rng));
          double ds = jx_massless_delta_soft (mother, z, th);
          double dh = jx_massless_delta_hard (mother, z, th);
          if (isfinite (ds))
            {
              n_soft++;
              x = (JxBranching) { z, th, phi, ds };
              JX_CHECK (jx_sample_daughters (mother, &x, &h, &s));
              JX_CHECK (fabs (rel_m2 (s)) < 1e-9 && rel_m2 (h) > 1e-9);
            }
          if (isfinite (dh))
            {
              n_hard++;
              x = (JxBranching) { z, th, phi, dh };
              JX_CHECK (jx_sample_daughters (mother, &x, &h, &s));
              JX_CHECK (fabs (rel_m2 (h)) < 1e-9 && rel_m2 (s) > 1e-9);
            }
          if (isfinite (ds) && isfinite (dh))
            {
              JX_CHECK (dh < ds);
              /* inside the interval both are massive, outside one is spacelike */
              x = (JxBranching) { z, th, phi, 0.5 * (dh + ds) };
              JX_CHECK (jx_sample_daughters (mother, &x, &h, &s));
              JX_CHECK (rel_m2 (h) > 0 && rel_m2 (s) > 0);
              x.delta = ds * 1.01;
              JX_CHECK (!jx_sample_daughters (mother, &x, &h, &s));
              x.delta = dh * 0.99;
              JX_CHECK (!jx_sample_daughters (mother, &x, &h, &s));
            }
          /* above θ2 no δ gives two physical daughters */
          th = th2 * 1.1;
          ds = jx_massless_delta_soft (mother, z, th);
          if (isfinite (ds))
            {
              x = (JxBranching) { z, th, phi, ds };
              JX_CHECK (!jx_sample_daughters (mother, &x, &h, &s));
            }
        }
    }
  JX_CHECK (n_both > 1000 && n_soft > 900 && n_hard > 900);
  double th, de;
  JX_CHECK (!jx_massless_both (jx_p4 (100, 0, 60, 80), 0.3, &th, &de));  /* massless */
  JX_CHECK (!jx_massless_both (jx_p4 (100, 0, 0, 10), 0.01, &th, &de));  /* too heavy */
  JX_CHECK (isnan (jx_massless_delta_soft (jx_p4 (100, 0, 0, 0), 0.3, 0.2)));  /* at rest */
}

static JxModel *
tiny_model (JxBranchKind kind)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, kind, 40);
  return jx_test_model_new (&cfg, 17, 1.0f);
}

/* P_end(h) ≈ 0 for every h. */
static void
never_end (JxModel *m)
{
  float *P = jx_model_params (m);
  const JxTensorInfo *k = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "end_out/kernel"));
  const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "end_out/bias"));
  for (size_t i = 0; i < k->rows * k->cols; i++)
    P[k->offset + i] = 0;
  P[b->offset] = -30;
}

/* Leaves without mass; with min_e > 0, also those below min_e (too soft to split). */
static size_t
massless_leaves (const JxSampleSet *set, size_t i, double min_e)
{
  const JxP4 *p = jx_dataset_jet (&set->data, i);
  size_t n = jx_dataset_jet_size (&set->data, i), k = 0;
  for (size_t j = 0; j < n; j++)
    k += rel_m2 (p[j]) < 1e-10 || p[j].E < min_e;
  return k;
}

static void
test_sampler (JxBranchKind kind)
{
  JxModel *m = tiny_model (kind);
  never_end (m);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  JX_CHECK_INT (opt.cell, JX_CELL_MASSLESS);
  opt.threads = 1;
  JxP4 seed = jx_sample_seed_along_z (500, 60);
  JxSampleSet set;
  JxError err = { 0 };
  JX_CHECK_INT (jx_sample_run (m, &seed, 1, 300, 5, &opt, &set, NULL, &err), 0);
  size_t ended = 0, with_massless = 0;
  for (size_t i = 0; i < set.n_jets; i++)
    {
      size_t n = jx_dataset_jet_size (&set.data, i);
      with_massless += massless_leaves (&set, i, 0) > 0;
      if (set.status[i] == JX_SAMPLE_ENDED)
        {
          ended++;
          /* nothing left that could split: massless, or below 2 E_sub */
          JX_CHECK_INT (massless_leaves (&set, i, 2 * jx_model_config (m)->scaling.e_sub), n);
        }
    }
  JX_CHECK (ended > 30);
  JX_CHECK (with_massless > 150);
  jx_sample_set_free (&set);
  /* uniform points: no daughter comes out massless */
  opt.cell = JX_CELL_UNIFORM;
  JX_CHECK_INT (jx_sample_run (m, &seed, 1, 100, 5, &opt, &set, NULL, &err), 0);
  for (size_t i = 0; i < set.n_jets; i++)
    JX_CHECK_INT (massless_leaves (&set, i, 0), 0);
  jx_sample_set_free (&set);
  jx_model_free (m);
}

/* Branchings of the trees (at step t = 1 only, or all) whose θ and δ bins hold the point where
 * both daughters are massless, and those put there: the trials and successes of the terminal
 * rate, counted here from its definition (jx-massless-rates.h). */
static void
count_terminal (const JxModel *m, const JxTree *trees, size_t n, bool first_only, double *tries,
                double *hits)
{
  const JxModelConfig *cfg = jx_model_config (m);
  *tries = *hits = 0;
  for (size_t j = 0; j < n; j++)
    for (size_t t = 1; t < trees[j].n && (!first_only || t == 1); t++)
      {
        const JxStep *st = &trees[j].steps[t - 1];
        double th, de;
        if (!jx_massless_both (trees[j].nodes[st->mother].p, st->x.z, &th, &de))
          continue;
        int g = cfg->grid;
        const JxScaling *sc = &cfg->scaling;
        if (jx_scaling_bin (jx_scale_coord (sc, JX_COORD_THETA, th), g)
              != jx_scaling_bin (jx_scale_coord (sc, JX_COORD_THETA, st->x.theta), g)
            || jx_scaling_bin (jx_scale_coord (sc, JX_COORD_DELTA, de), g)
                 != jx_scaling_bin (jx_scale_coord (sc, JX_COORD_DELTA, st->x.delta), g))
          continue;
        *tries += 1;
        *hits += rel_m2 (trees[j].nodes[st->daughter[0]].p) < 1e-10
                 && rel_m2 (trees[j].nodes[st->daughter[1]].p) < 1e-10;
      }
}

/* Jets sampled with given terminal rates, measured again: the same rates (joint heads decide
 * on the whole cell, and the measurement asks the same question of the sampled trees), within
 * 4σ of the binomial error of the trials counted (~650 in 3000 jets: σ ≈ 0.019 at 0.35). */
static void
test_rates_honoured (void)
{
  JxModel *m = tiny_model (JX_BRANCH_JOINT);
  JxSampleOptions opt;
  jx_sample_options_default (&opt);
  JX_CHECK (!opt.massless.measured && opt.massless.terminal_cell[0] == 0);
  opt.threads = 2;
  JxP4 seed = jx_sample_seed_along_z (500, 60);
  JxError err = { 0 };
  const double want[2] = { 0.0, 0.35 };
  for (int k = 0; k < 2; k++)
    {
      for (int b = 0; b < JX_MASSLESS_BUCKETS; b++)
        opt.massless.terminal_cell[b] = opt.massless.terminal_theta[b] = want[k];
      JxSampleSet set;
      JX_CHECK_INT (jx_sample_run (m, &seed, 1, 3000, 9, &opt, &set, NULL, &err), 0);
      JxTree *trees = calloc (set.n_jets, sizeof *trees);
      for (size_t i = 0; i < set.n_jets; i++)
        JX_CHECK_INT (jx_sample_replay (set.seed[i], set.steps + set.step_offsets[i],
                                        set.step_offsets[i + 1] - set.step_offsets[i], &trees[i],
                                        &err), 0);
      JxMasslessRates r;
      const JxModelConfig *cfg = jx_model_config (m);
      jx_massless_rates_measure (&cfg->scaling, cfg->grid, trees, set.n_jets, &r);
      double tries, hits, tries1, hits1;
      count_terminal (m, trees, set.n_jets, false, &tries, &hits);
      count_terminal (m, trees, set.n_jets, true, &tries1, &hits1);
      double rate = hits / tries, sigma = sqrt (fmax (want[k] * (1 - want[k]), 1e-4) / tries);
      printf ("terminal rate asked %.2f, measured on the sampled trees %.3f ± %.3f (%.0f trials)\n",
              want[k], rate, sigma, tries);
      JX_CHECK_MSG (tries > 300, "only %g trials", tries);
      JX_CHECK_MSG (fabs (rate - want[k]) < 4 * sigma, "asked %g, measured %g ± %g", want[k], rate,
                    sigma);
      /* The library's measurement (step t = 1 has ≥ 50 trials here) counts the same. */
      JX_CHECK_MSG (tries1 >= 50 && r.terminal_cell[0] == hits1 / tries1,
                    "jx_massless_rates_measure %g, counted %g / %g", r.terminal_cell[0], hits1,
                    tries1);
      /* Tallies of two parts (as ranks hold them) added: the whole set's rates. */
      JxMasslessTally part_a, part_b;
      size_t half = set.n_jets / 3;
      jx_massless_tally (&cfg->scaling, cfg->grid, trees, half, &part_a);
      jx_massless_tally (&cfg->scaling, cfg->grid, trees + half, set.n_jets - half, &part_b);
      jx_massless_tally_add (&part_a, &part_b);
      JxMasslessRates from_parts;
      jx_massless_rates_from_tally (&part_a, &from_parts);
      JX_CHECK (memcmp (from_parts.terminal_cell, r.terminal_cell, sizeof r.terminal_cell) == 0);
      JX_CHECK (memcmp (from_parts.terminal_theta, r.terminal_theta, sizeof r.terminal_theta)
                == 0);
      for (size_t i = 0; i < set.n_jets; i++)
        jx_tree_free (&trees[i]);
      free (trees);
      jx_sample_set_free (&set);
    }
  jx_model_free (m);
}

int
main (void)
{
  test_geometry ();
  test_sampler (JX_BRANCH_JOINT);
  test_sampler (JX_BRANCH_FACTORIZED);
  test_rates_honoured ();
  JX_TEST_MAIN_END ("sample-massless");
}
