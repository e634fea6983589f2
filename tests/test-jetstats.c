/* The per-jet analysis of a dataset (jx-jetstats):
 *  - with the subjet step reduced to an energy cut (R_sub = 0), the multiplicity, energy, mass
 *    and width of every row against sums written out here (independent of jx-observables);
 *  - jets that cannot be clustered (nothing above E_sub, a NaN, an empty jet) are NaN rows,
 *    counted, and the first one's message names it;
 *  - the table is bit-identical for 1, 2, 3 and 7 threads, a sub-range equals the rows of the
 *    full table, each row equals the one-jet function, a cancel fails the table;
 *  - the clustering a table records, the row ↔ JxObservables conversion;
 *  - seeds: the subjet sums of the jets that can split; one particle (m² within rounding of
 *    0, either sign, as in the demo's quark jets), nothing above E_sub, spacelike and bad jets
 *    are skipped and counted by reason; the sampler accepts a seed with m² = −3e-11 (rounding)
 *    and rejects a clearly spacelike one;
 *  - branchings: every tree's (z, θ) in jet order, the same for 1 and 3 threads, counting the
 *    jets that cannot be clustered; z ≤ ½ and θ ≥ 0 as the tree's definition says. */
#include <string.h>

#include "jx-jetstats.h"
#include "jx-rng.h"
#include "jx-sample.h"
#include "jx-test-jets.h"
#include "jx-test-model.h"
#include "jx-test.h"

#define N_JETS 300
#define ECUT 2.0

static int COL_N, COL_E, COL_MASS, COL_WIDTH;

/* Random jets, then three that cannot be clustered at E_sub = ECUT: all soft (jet 40), a NaN
 * particle (jet 41), empty (jet 42). */
static void
make_dataset (JxDataset *ds)
{
  JxRng rng;
  JxP4 p[120];
  JxError err = { 0 };
  jx_rng_seed (&rng, 99, 0);
  jx_dataset_init (ds);
  for (size_t i = 0; i < N_JETS; i++)
    {
      size_t n = 1 + jx_rng_below (&rng, 100);
      jx_test_random_jet (&rng, n, p);
      if (i == 40)
        for (size_t k = 0; k < n; k++)
          p[k] = jx_p4_scale (p[k], 0.4 * ECUT / p[k].E);   /* all at 0.8 GeV, below both cuts */
      if (i == 41)
        p[0].px = NAN;
      if (jx_dataset_append (ds, p, i == 42 ? 0 : n, &err) != 0)
        abort ();
    }
}

/* The row of jet i written out from its particles: with R_sub = 0 the subjets are the
 * particles with E ≥ ECUT. */
static int
reference_row (const JxDataset *ds, size_t i, double *n, double *E, double *mass, double *width)
{
  const JxP4 *p = jx_dataset_jet (ds, i);
  size_t len = jx_dataset_jet_size (ds, i);
  double s[4] = { 0, 0, 0, 0 };
  size_t kept = 0;
  for (size_t k = 0; k < len; k++)
    if (p[k].E >= ECUT)
      {
        s[0] += p[k].E, s[1] += p[k].px, s[2] += p[k].py, s[3] += p[k].pz;
        kept++;
      }
  if (kept == 0)
    return -1;
  double m2 = s[0] * s[0] - s[1] * s[1] - s[2] * s[2] - s[3] * s[3];
  double pabs = sqrt (s[1] * s[1] + s[2] * s[2] + s[3] * s[3]), wsum = 0;
  for (size_t k = 0; k < len; k++)
    if (p[k].E >= ECUT)
      {
        double pk = sqrt (p[k].px * p[k].px + p[k].py * p[k].py + p[k].pz * p[k].pz);
        double c = (p[k].px * s[1] + p[k].py * s[2] + p[k].pz * s[3]) / (pk * pabs);
        wsum += p[k].E * acos (fmax (-1.0, fmin (1.0, c)));
      }
  *n = (double) kept;
  *E = s[0];
  *mass = m2 > 0 ? sqrt (m2) : 0;
  *width = wsum / s[0];
  return 0;
}

static void
test_against_sums (const JxDataset *ds)
{
  JxClusterOptions cl = { .algorithm = JX_ALGO_CA, .esub = ECUT, .rsub = 0 };
  JxJetStats st;
  JxError err = { 0 };
  JX_CHECK_INT (jx_jetstats_compute (&st, ds, 0, ds->n_jets, &cl, 3, NULL, &err), 0);
  JX_CHECK_INT (st.n_jets, ds->n_jets);
  size_t failed = 0;
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      double n, E, mass, width;
      if (reference_row (ds, i, &n, &E, &mass, &width) != 0 || i == 41)
        {
          failed++;
          JX_CHECK_MSG (st.status[i] == JX_ERR_INVALID, "jet %zu status %d", i, st.status[i]);
          for (int k = 0; k < JX_N_OBSERVABLES; k++)
            JX_CHECK_MSG (isnan (jx_jetstats_value (&st, i, k)), "jet %zu column %d", i, k);
          continue;
        }
      JX_CHECK_INT (st.status[i], 0);
      JX_CHECK (jx_jetstats_value (&st, i, COL_N) == n);
      JX_CHECK_CLOSE (jx_jetstats_value (&st, i, COL_E), E, 1e-12, 0);
      /* m from E² − p² of a sum of ~100 momenta of 300 GeV: absolute rounding ~1e-5 GeV */
      JX_CHECK_CLOSE (jx_jetstats_value (&st, i, COL_MASS), mass, 1e-9, 1e-4);
      JX_CHECK_CLOSE (jx_jetstats_value (&st, i, COL_WIDTH), width, 1e-9, 1e-9);
    }
  /* jets 40–42, and random ones of a few soft particles */
  JX_CHECK (failed >= 3 && st.status[40] != 0 && st.status[41] != 0 && st.status[42] != 0);
  JX_CHECK_INT (st.n_failed, failed);
  size_t lowest = 0;
  while (st.status[lowest] == 0)
    lowest++;
  char name[32];
  snprintf (name, sizeof name, "jet %zu:", lowest);
  JX_CHECK_INT (st.first_error.code, JX_ERR_INVALID);
  JX_CHECK_MSG (strstr (st.first_error.message, name) != NULL
                && strstr (st.first_error.message, "E_sub") != NULL, "%s", st.first_error.message);
  JX_CHECK (jx_cluster_options_equal (&st.clustering, &cl));
  jx_jetstats_free (&st);
}

static void
test_threads_ranges_and_one_jet (const JxDataset *ds)
{
  JxClusterOptions cl;
  jx_cluster_options_default (&cl);
  JxJetStats one, many;
  JxError err = { 0 };
  JX_CHECK_INT (jx_jetstats_compute (&one, ds, 0, ds->n_jets, &cl, 1, NULL, &err), 0);
  size_t bytes = ds->n_jets * JX_N_OBSERVABLES * sizeof (double);
  const int threads[] = { 2, 3, 7 };
  for (int t = 0; t < 3; t++)
    {
      JX_CHECK_INT (jx_jetstats_compute (&many, ds, 0, ds->n_jets, &cl, threads[t], NULL, &err), 0);
      JX_CHECK_MSG (memcmp (one.values, many.values, bytes) == 0, "%d threads", threads[t]);
      JX_CHECK (memcmp (one.status, many.status, ds->n_jets * sizeof (int32_t)) == 0);
      JX_CHECK_INT (many.n_failed, one.n_failed);
      jx_jetstats_free (&many);
    }
  /* a range is the same rows */
  JX_CHECK_INT (jx_jetstats_compute (&many, ds, 37, 45, &cl, 2, NULL, &err), 0);
  JX_CHECK_INT (many.first, 37);
  JX_CHECK_INT (many.n_jets, 8);
  JX_CHECK (memcmp (many.values, jx_jetstats_row (&one, 37), 8 * JX_N_OBSERVABLES * sizeof (double)) == 0);
  size_t lowest = 37;
  while (lowest < 45 && one.status[lowest] == 0)
    lowest++;
  JX_CHECK (lowest < 45);   /* jet 41 (NaN) at least */
  char name[32];
  snprintf (name, sizeof name, "jet %zu", lowest);
  JX_CHECK_MSG (strstr (many.first_error.message, name) != NULL, "%s", many.first_error.message);
  jx_jetstats_free (&many);
  JX_CHECK_INT (jx_jetstats_compute (&many, ds, 5, ds->n_jets + 1, &cl, 2, NULL, &err), JX_ERR_INVALID);
  jx_jetstats_free (&many);

  /* every row is the one-jet function's, and converts back to the same JxObservables */
  JxP4 scratch[120];
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      JxObservables o, back;
      double row[JX_N_OBSERVABLES];
      JxError jerr = { 0 };
      int rc = jx_jetstats_jet (jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), i, &cl,
                                scratch, NULL, &o, &jerr);
      JX_CHECK_INT (rc, one.status[i]);
      jx_jetstats_observables (&one, i, &back);
      if (rc != 0)
        {
          JX_CHECK (back.n == 0 && isnan (back.mass) && isnan (back.tau21));
          continue;
        }
      jx_observables_row (&o, row);
      JX_CHECK (memcmp (row, jx_jetstats_row (&one, i), sizeof row) == 0);
      JX_CHECK (back.n == o.n && back.mass == o.mass && back.tau21 == o.tau21 && back.z1 == o.z1
                && back.psi[JX_N_PSI - 1] == o.psi[JX_N_PSI - 1] && back.delta1 == o.delta1);
    }
  jx_jetstats_free (&one);

  /* a cancelled table is an error and leaves nothing */
  JxProgress progress;
  jx_progress_init (&progress, NULL, NULL);
  jx_progress_cancel (&progress);
  JX_CHECK_INT (jx_jetstats_compute (&many, ds, 0, ds->n_jets, &cl, 2, &progress, &err),
                JX_ERR_CANCELLED);
  JX_CHECK (many.values == NULL && many.n_jets == 0);
  jx_jetstats_free (&many);
}

/* A massless momentum whose E² − p² rounds to the given sign (E moved by a few ulp). */
static JxP4
massless_with_m2_sign (double px, double py, double pz, int sign)
{
  JxP4 p = jx_p4 (sqrt (px * px + py * py + pz * pz), px, py, pz);
  while (sign < 0 ? jx_p4_m2 (p) >= 0 : jx_p4_m2 (p) <= 0)
    p.E = nextafter (p.E, sign < 0 ? 0 : INFINITY);
  return p;
}

static void
test_seeds (void)
{
  JxDataset ds;
  JxError err = { 0 };
  jx_dataset_init (&ds);
  /* 0: two hard particles 0.5 rad apart → their sum */
  JxP4 two[2] = { jx_p4 (200, 200, 0, 0), jx_p4 (100, 100 * cos (0.5), 100 * sin (0.5), 0) };
  /* 1: one massless particle whose m² comes back a few ulp below 0 (as the demo's quark jet
   * 281, m² = −5.8e-11 GeV²); 2: the same a few ulp above 0 (jet 258) */
  JxP4 one_neg = massless_with_m2_sign (448.89386677, 105.49762918, -190.75988226, -1);
  JxP4 one_pos = massless_with_m2_sign (-364.24343761, 182.71864005, 286.21911617, +1);
  /* 3: nothing above E_sub = 1 GeV */
  JxP4 soft[2] = { jx_p4 (0.5, 0.5, 0, 0), jx_p4 (0.4, 0, 0.4, 0) };
  /* 4: E below |p| by 1e-7 (jx_jet_validate lets 1e-6 through): m² = −2e-7 E² */
  JxP4 space = jx_p4 (100, 100 * (1 + 1e-7), 0, 0);
  /* 5: a NaN */
  JxP4 bad = jx_p4 (NAN, 0, 0, 1);
  JX_CHECK_INT (jx_dataset_append (&ds, two, 2, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, &one_neg, 1, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, &one_pos, 1, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, soft, 2, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, &space, 1, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, &bad, 1, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, two, 2, &err), 0);
  JX_CHECK (jx_p4_m2 (one_neg) < 0 && jx_p4_m2 (one_pos) > 0);
  JX_CHECK (jx_p4_m2_rounded (one_neg) == 0 && jx_p4_m2_rounded (one_pos) == 0);
  JX_CHECK (jx_p4_m2_rounded (space) < 0);

  JxClusterOptions cl;
  jx_cluster_options_default (&cl);
  JxP4 *seeds = NULL;
  size_t n_seeds = 0;
  JxSeedSkips skips;
  JX_CHECK_INT (jx_jetstats_seeds (&ds, &cl, 2, &seeds, &n_seeds, &skips, NULL, &err), 0);
  JX_CHECK_INT (n_seeds, 2);
  JX_CHECK_INT (skips.n_massless, 2);
  JX_CHECK_INT (skips.n_no_subjets, 1);
  JX_CHECK_INT (skips.n_spacelike, 1);
  JX_CHECK_INT (skips.n_invalid, 1);
  JX_CHECK_INT (jx_seed_skips_total (&skips), 5);
  JxP4 sum = jx_p4_add (two[0], two[1]);
  for (size_t k = 0; k < n_seeds; k++)
    JX_CHECK (seeds[k].E == sum.E && seeds[k].px == sum.px && seeds[k].py == sum.py);
  char line[256];
  jx_seed_skips_describe (&skips, line, sizeof line);
  JX_CHECK_MSG (strstr (line, "5 jets cannot seed") != NULL && strstr (line, "2 massless") != NULL
                && strstr (line, "1 nothing above E_sub") != NULL, "%s", line);
  JxSeedSkips none = { 0 };
  jx_seed_skips_describe (&none, line, sizeof line);
  JX_CHECK (line[0] == '\0');

  /* The sampler takes the rounding seed as massless (a jet of one particle) and still refuses
   * a clearly spacelike one. */
  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_FACTORIZED, 20);
  JxModel *model = jx_test_model_new (&cfg, 3, 1.0f);
  JxRng rng;
  JxTree tree;
  double log_p;
  JxSampleStatus status;
  int redrawn;
  jx_rng_seed (&rng, 1, 0);
  JX_CHECK_INT (jx_sample_jet (model, one_neg, NULL, &rng, NULL, &tree, NULL, &log_p, &status,
                               &redrawn, &err), 0);
  JX_CHECK_INT (tree.n, 1);
  jx_tree_free (&tree);
  JX_CHECK_INT (jx_sample_jet (model, space, NULL, &rng, NULL, &tree, NULL, &log_p, &status,
                               &redrawn, &err), JX_ERR_INVALID);
  JxSampleSet set;
  JX_CHECK_INT (jx_sample_run (model, seeds, n_seeds, 20, 5, NULL, &set, NULL, &err), 0);
  jx_sample_set_free (&set);
  jx_model_free (model);
  free (seeds);
  jx_dataset_free (&ds);
}

static void
test_branchings (const JxDataset *ds)
{
  JxClusterOptions cl;
  jx_cluster_options_default (&cl);
  double *z1 = NULL, *t1 = NULL, *z3 = NULL, *t3 = NULL;
  size_t n1 = 0, n3 = 0, f1 = 0, f3 = 0;
  JxError err = { 0 };
  JX_CHECK_INT (jx_jetstats_branchings (ds, 10, 60, &cl, 1, &z1, &t1, &n1, &f1, NULL, &err), 0);
  JX_CHECK_INT (jx_jetstats_branchings (ds, 10, 60, &cl, 3, &z3, &t3, &n3, &f3, NULL, &err), 0);
  JX_CHECK_INT (n1, n3);
  JX_CHECK_INT (f1, f3);
  JX_CHECK (n1 > 0 && memcmp (z1, z3, n1 * sizeof (double)) == 0
            && memcmp (t1, t3, n1 * sizeof (double)) == 0);
  size_t at = 0, failed = 0;
  for (size_t i = 10; i < 60; i++)
    {
      JxTree tree;
      if (jx_tree_build (&tree, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), &cl, NULL,
                         NULL) != 0)
        failed++;
      for (size_t t = 0; t + 1 < tree.n && at < n1; t++, at++)
        JX_CHECK (z1[at] == tree.steps[t].x.z && t1[at] == tree.steps[t].x.theta
                  && z1[at] <= 0.5 && t1[at] >= 0);
      jx_tree_free (&tree);
    }
  JX_CHECK_INT (at, n1);
  JX_CHECK_INT (failed, f1);
  JX_CHECK (f1 >= 1);   /* jet 41 */
  free (z1), free (t1), free (z3), free (t3);
}

int
main (void)
{
  COL_N = jx_observable_index ("n");
  COL_E = jx_observable_index ("E");
  COL_MASS = jx_observable_index ("mass");
  COL_WIDTH = jx_observable_index ("width");
  JxDataset ds;
  make_dataset (&ds);
  test_against_sums (&ds);
  test_threads_ranges_and_one_jet (&ds);
  test_seeds ();
  test_branchings (&ds);
  jx_dataset_free (&ds);
  JX_TEST_MAIN_END ("jetstats");
}
