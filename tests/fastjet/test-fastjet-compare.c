/* Cross-check of jx-cluster / jx-tree against FastJet 3.4 (through jx-fastjet-shim.h):
 * inclusive ee_genkt and genkt (pp), exclusive Durham, the subjet step and the JUNIPR
 * declustering sequence for C/A, kt and anti-kt with both metrics on random realistic jets,
 * on jets of the built-in generator (quark and Z samples) and on edge cases. Mother
 * sequences and merge histories must be identical and the branchings equal to 1e-9
 * relative (φ to the precision its θ allows). pp trees are compared with FastJet's
 * genkt_algorithm at R = 7 (the JUNIPR authors' converter); where FastJet's R = 7 history
 * is not one tree (particles more than 7 apart in (y, φ)), with R = 1000, since ours keeps
 * merging (counted and printed). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cluster.h"
#include "jx-fastjet-shim.h"
#include "jx-generator.h"
#include "jx-rng.h"
#include "jx-test-jets.h"
#include "jx-test.h"
#include "jx-tree.h"

#define MAX_N 300

static int n_trees_compared, n_pp_trees_compared, n_pp_beyond_r7;

static void
to_rows (const JxP4 *p, size_t n, double *rows)
{
  for (size_t i = 0; i < n; i++)
    {
      rows[4 * i] = p[i].E;
      rows[4 * i + 1] = p[i].px;
      rows[4 * i + 2] = p[i].py;
      rows[4 * i + 3] = p[i].pz;
    }
}

static bool
p4_close (JxP4 a, const double *row, double tol)
{
  double s = fmax (fabs (a.E), fabs (row[0]));
  return fabs (a.E - row[0]) <= tol * s && fabs (a.px - row[1]) <= tol * s
         && fabs (a.py - row[2]) <= tol * s && fabs (a.pz - row[3]) <= tol * s;
}

/* One jet, one algorithm, one subjet setting: our tree against FastJet's history. */
static void
compare_tree_metric (const JxP4 *p, size_t n, JxAlgorithm algo, JxMetric metric, double rsub,
                     double esub, JxClusterWork *work, const char *what, int jet)
{
  static double rows[4 * MAX_N], subs[4 * MAX_N], branch[4 * MAX_N];
  static int mother[MAX_N], merges[2 * MAX_N];
  to_rows (p, n, rows);
  int k;
  if (metric == JX_METRIC_PP)
    {
      k = jxfj_junipr_pp (rows, (int) n, (int) algo, rsub, esub, 7.0, subs, mother, branch,
                          merges);
      if (k < 0)
        {
          n_pp_beyond_r7++;
          k = jxfj_junipr_pp (rows, (int) n, (int) algo, rsub, esub, 1000.0, subs, mother, branch,
                              merges);
        }
    }
  else
    k = jxfj_junipr (rows, (int) n, (int) algo, rsub, esub, subs, mother, branch, merges);
  JX_CHECK_MSG (k >= 0, "%s jet %d: FastJet failed", what, jet);
  if (k < 0)
    return;

  JxClusterOptions opt = { .algorithm = algo, .metric = metric, .esub = esub, .rsub = rsub };
  JxTree tree;
  JxError err;
  int rc = jx_tree_build (&tree, p, n, &opt, work, &err);
  if (k == 0)
    {
      JX_CHECK_MSG (rc == JX_ERR_INVALID, "%s jet %d: no subjet survives, rc %d", what, jet, rc);
      jx_tree_free (&tree);
      return;
    }
  JX_CHECK_MSG (rc == 0, "%s jet %d: %s", what, jet, err.message);
  if (rc != 0)
    return;
  JX_CHECK_INT (tree.n, k);
  if (tree.n != (size_t) k)
    {
      jx_tree_free (&tree);
      return;
    }
  n_trees_compared++;
  n_pp_trees_compared += metric == JX_METRIC_PP;
  int bad = 0;
  for (int i = 0; i < k; i++)
    if (!p4_close (tree.nodes[i].p, subs + 4 * i, 1e-13))
      bad++;
  JX_CHECK_MSG (bad == 0, "%s jet %d: %d subjets differ", what, jet, bad);
  for (int t = 1; t < k && bad == 0; t++)
    {
      const JxStep *s = &tree.steps[t - 1];
      const double *x = branch + 4 * (t - 1);
      if (s->mother_index != mother[t - 1] || s->daughter[0] != merges[2 * (t - 1)]
          || s->daughter[1] != merges[2 * (t - 1) + 1])
        {
          JX_CHECK_MSG (false, "%s jet %d (n=%d) step %d: mother %d/%d daughters %d,%d / %d,%d",
                        what, jet, k, t, s->mother_index, mother[t - 1], s->daughter[0],
                        s->daughter[1], merges[2 * (t - 1)], merges[2 * (t - 1) + 1]);
          bad++;
          break;
        }
      double dphi = fabs (s->x.phi - x[2]);
      dphi = fmin (dphi, 2 * M_PI - dphi);
      /* φ around the mother is known to ~1e-16/θ only; undefined for θ → 0. */
      double phi_tol = 1e-9 + 1e-14 / fmax (x[1], 1e-300);
      bool ok = fabs (s->x.z - x[0]) <= 1e-9 * fabs (x[0]) + 1e-300
                && fabs (s->x.theta - x[1]) <= 1e-9 * fabs (x[1]) + 1e-15
                && fabs (s->x.delta - x[3]) <= 1e-9 * fabs (x[3]) + 1e-15
                && (dphi <= phi_tol);
      if (!ok)
        {
          JX_CHECK_MSG (false,
                        "%s jet %d step %d: (z,θ,φ,δ) ours (%.17g, %.17g, %.17g, %.17g) "
                        "FastJet (%.17g, %.17g, %.17g, %.17g)",
                        what, jet, t, s->x.z, s->x.theta, s->x.phi, s->x.delta, x[0], x[1], x[2],
                        x[3]);
          bad++;
        }
    }
  JX_CHECK (bad == 0);
  jx_tree_free (&tree);
}

static void
compare_tree (const JxP4 *p, size_t n, JxAlgorithm algo, double rsub, double esub,
              JxClusterWork *work, const char *what, int jet)
{
  compare_tree_metric (p, n, algo, JX_METRIC_EE, rsub, esub, work, what, jet);
}

static void
compare_all_trees (const JxP4 *p, size_t n, JxClusterWork *work, const char *what, int jet)
{
  static const JxAlgorithm algos[] = { JX_ALGO_CA, JX_ALGO_KT, JX_ALGO_ANTIKT };
  for (int a = 0; a < 3; a++)
    for (int metric = JX_METRIC_EE; metric <= JX_METRIC_PP; metric++)
      {
        compare_tree_metric (p, n, algos[a], metric, 0, 0, work, what, jet);
        compare_tree_metric (p, n, algos[a], metric, 0.1, 1.0, work, what, jet);
      }
}

static void
compare_inclusive_metric (const JxP4 *p, size_t n, JxMetric metric, double p_exp, double R,
                          JxClusterWork *work, int jet)
{
  static double rows[4 * MAX_N], fj[4 * MAX_N];
  static int fj_assign[MAX_N], assign[MAX_N];
  static JxP4 jets[MAX_N];
  to_rows (p, n, rows);
  bool pp = metric == JX_METRIC_PP;
  int nf = pp ? jxfj_pp_genkt_inclusive (rows, (int) n, p_exp, R, fj, fj_assign)
              : jxfj_genkt_inclusive (rows, (int) n, p_exp, R, fj, fj_assign);
  size_t nj = 0;
  JX_CHECK ((pp ? jx_pp_genkt_inclusive (p, n, p_exp, R, jets, &nj, assign, work)
                : jx_genkt_inclusive (p, n, p_exp, R, jets, &nj, assign, work)) == 0);
  JX_CHECK_MSG ((int) nj == nf, "%s genkt p=%g R=%g jet %d: %zu jets, FastJet %d",
                jx_metric_name (metric), p_exp, R, jet, nj, nf);
  if ((int) nj != nf)
    return;
  int bad = 0;
  for (size_t i = 0; i < nj; i++)
    bad += !p4_close (jets[i], fj + 4 * i, 1e-13);
  for (size_t i = 0; i < n; i++)
    bad += assign[i] != fj_assign[i];
  JX_CHECK_MSG (bad == 0, "%s genkt p=%g R=%g jet %d: %d differences", jx_metric_name (metric),
                p_exp, R, jet, bad);
}

static void
compare_inclusive (const JxP4 *p, size_t n, double p_exp, double R, JxClusterWork *work, int jet)
{
  compare_inclusive_metric (p, n, JX_METRIC_EE, p_exp, R, work, jet);
  compare_inclusive_metric (p, n, JX_METRIC_PP, p_exp, R, work, jet);
}

static void
compare_durham (const JxP4 *p, size_t n, size_t njets, JxClusterWork *work, int jet)
{
  static double rows[4 * MAX_N], fj[4 * MAX_N];
  static int fj_assign[MAX_N], assign[MAX_N];
  static JxP4 jets[MAX_N];
  if (n <= njets)
    return;  /* FastJet refuses; ours returns the inputs (test-cluster checks that) */
  to_rows (p, n, rows);
  int nf = jxfj_durham_exclusive (rows, (int) n, (int) njets, fj, fj_assign);
  JX_CHECK (jx_durham_exclusive (p, n, njets, jets, assign, work) == 0);
  JX_CHECK_INT (nf, njets);
  int bad = 0;
  for (size_t i = 0; i < njets; i++)
    bad += !p4_close (jets[i], fj + 4 * i, 1e-13);
  for (size_t i = 0; i < n; i++)
    bad += assign[i] != fj_assign[i];
  JX_CHECK_MSG (bad == 0, "Durham %zu jets, jet %d: %d differences", njets, jet, bad);
}

static void
test_random_jets (JxClusterWork *work)
{
  JxRng rng;
  jx_rng_seed (&rng, 20180425, 3);
  static JxP4 p[MAX_N];
  for (int jet = 0; jet < 240; jet++)
    {
      size_t n = 2 + jx_rng_below (&rng, jet < 200 ? 120 : 250);
      jx_test_random_jet (&rng, n, p);
      compare_all_trees (p, n, work, "random", jet);
      compare_inclusive (p, n, 0.0, 0.1, work, jet);
      compare_inclusive (p, n, 1.0, 0.4, work, jet);
      compare_inclusive (p, n, -1.0, 0.4, work, jet);
      compare_durham (p, n, 2, work, jet);
      compare_durham (p, n, 3, work, jet);
    }
}

/* Hemisphere jets of the built-in generator (parton level, before the subjet step). */
static void
test_generated_jets (JxClusterWork *work)
{
  for (int process = 0; process < 2; process++)
    {
      JxGenConfig cfg;
      jx_gen_config_default (&cfg);
      cfg.process = process == 0 ? JX_PROCESS_QQ : JX_PROCESS_ZZ;
      cfg.seed = 1804 + process;
      cfg.threads = 1;
      JxDataset ds;
      jx_dataset_init (&ds);
      JxError err;
      int rc = jx_generate (&cfg, 150, &ds, NULL, NULL, &err);
      JX_CHECK_MSG (rc == 0, "generator: %s", err.message);
      for (size_t j = 0; rc == 0 && j < ds.n_jets; j++)
        {
          size_t n = jx_dataset_jet_size (&ds, j);
          if (n > MAX_N)
            continue;
          const JxP4 *p = jx_dataset_jet (&ds, j);
          compare_all_trees (p, n, work, process == 0 ? "quark" : "Z", (int) j);
          compare_inclusive (p, n, 0.0, 0.1, work, (int) j);
          compare_durham (p, n, 2, work, (int) j);
        }
      jx_dataset_free (&ds);
    }
}

static void
test_edge_cases (JxClusterWork *work)
{
  /* Two particles. */
  JxP4 two[2] = { jx_p4 (50, 0, 30, 40), jx_p4 (20, 12, 0, 16) };
  compare_all_trees (two, 2, work, "two", 0);

  /* A collinear pair (one direction, different energies) next to a third particle. */
  double u[3] = { 0.36, 0.48, 0.8 };
  JxP4 col[3] = { jx_p4 (40, 40 * u[0], 40 * u[1], 40 * u[2]),
                  jx_p4 (10, 10 * u[0], 10 * u[1], 10 * u[2]), jx_p4 (20, 0, 12, 16) };
  compare_all_trees (col, 3, work, "collinear", 0);

  /* Equal energies everywhere: the energy order falls back to node indices. */
  JxP4 eq[5];
  for (int i = 0; i < 5; i++)
    {
      double th = 0.05 * (i + 1) * (i + 1), ph = 1.3 * i;
      eq[i] = jx_p4 (10, 10 * sin (th) * cos (ph), 10 * sin (th) * sin (ph), 10 * cos (th));
    }
  compare_all_trees (eq, 5, work, "equal-E", 0);

  /* Everything under E_sub: no tree (FastJet and we agree there is nothing left). */
  JxP4 soft[2] = { jx_p4 (0.5, 0, 0, 0.5), jx_p4 (0.4, 0, 0.4, 0) };
  compare_tree (soft, 2, JX_ALGO_CA, 0.1, 1.0, work, "all-soft", 0);
  compare_tree_metric (soft, 2, JX_ALGO_CA, JX_METRIC_PP, 0.1, 1.0, work, "all-soft pp", 0);

  /* pp: Δφ across the 0/2π seam (0.05 and 2π − 0.05 are 0.1 apart); a particle on the beam
   * (kt = 0, FastJet's rapidity 10⁵ + |pz|: its own inclusive jet); two groups 10 apart in
   * rapidity (FastJet's R = 7 leaves two jets; ours merges them last). */
  JxP4 seam[4] = { jx_p4 (20, 20 * cos (0.05), 20 * sin (0.05), 3),
                   jx_p4 (10, 10 * cos (-0.05), 10 * sin (-0.05), 2),
                   jx_p4 (5, 5 * cos (0.4), 5 * sin (0.4), 0.5), jx_p4 (7, 0, 0, 7) };
  for (int a = 0; a < 3; a++)
    compare_tree_metric (seam, 3, (JxAlgorithm) a, JX_METRIC_PP, 0, 0, work, "seam pp", 0);
  compare_inclusive_metric (seam, 4, JX_METRIC_PP, 0.0, 0.2, work, 0);
  compare_inclusive_metric (seam, 4, JX_METRIC_PP, 1.0, 0.4, work, 0);
  compare_inclusive_metric (seam, 4, JX_METRIC_PP, -1.0, 0.4, work, 0);
  JxP4 far[4] = { jx_p4 (50 * cosh (4.0), 50, 0, 50 * sinh (4.0)),
                  jx_p4 (20 * cosh (4.1), 0, 20, 20 * sinh (4.1)),
                  jx_p4 (30 * cosh (-6.0), -30, 0, 30 * sinh (-6.0)),
                  jx_p4 (10 * cosh (-5.8), 0, -10, 10 * sinh (-5.8)) };
  int before = n_pp_beyond_r7;
  for (int a = 0; a < 3; a++)
    compare_tree_metric (far, 4, (JxAlgorithm) a, JX_METRIC_PP, 0, 0, work, "far pp", 0);
  JX_CHECK_INT (n_pp_beyond_r7 - before, 3);
}

int
main (void)
{
  JxClusterWork *work = jx_cluster_work_new ();
  test_edge_cases (work);
  test_random_jets (work);
  test_generated_jets (work);
  jx_cluster_work_free (work);
  printf ("fastjet-compare: %d trees compared (%d pp, %d of them where FastJet's R = 7 history "
          "is not one tree)\n", n_trees_compared, n_pp_trees_compared, n_pp_beyond_r7);
  JX_CHECK (n_trees_compared >= 5800);
  JX_CHECK (n_pp_trees_compared >= 2900);
  JX_TEST_MAIN_END ("fastjet-compare");
}
