/* test-lund.c — Lund planes of JUNIPR trees and the attribution of a likelihood ratio:
 *  - the Lund coordinates of a four-particle jet against a hand derivation (the C/A tree of
 *    three well-separated angles, Δ and k_t from the particles' directions by other formulas);
 *  - the primary chain follows the harder daughter; the other steps are secondary;
 *  - a dataset map's bins and cells sum to the jets' mean total log10 LR, computed here
 *    independently from each jet's log P under the two models, within 1e-9 relative — with
 *    a one-particle jet, a jet left out, and a grid too small for some emissions;
 *  - the map does not depend on the thread count; a cancel, non-C/A trees and the pp metric are
 *    refused. */
#include <string.h>

#include "jx-generator.h"
#include "jx-lund.h"
#include "jx-test-model.h"
#include "jx-test.h"

/* A massless particle of energy E at polar angle th from +z and azimuth ph. */
static JxP4
massless (double E, double th, double ph)
{
  return jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
}

/* Hand derivation. p1 = 100 GeV along z; p2 = 20 GeV and p3 = 5 GeV in the x–z plane at
 * 0.30 and 0.35 rad; p4 = 2 GeV in the y–z plane at 1.0 rad. C/A merges the closest pair
 * first: p2+p3 (0.05 rad), then p1 with p23 (≈ 0.31 rad), then p4 (≈ 1 rad). Declustered
 * from the root: step 1 splits off p4 from p123 (primary), step 2 splits p123 into p1 (hard)
 * and p23 (primary), step 3 splits p23 into p2 and p3 (secondary: p23 is a softer
 * daughter). */
static void
test_hand_derivation (void)
{
  JxP4 p[4] = { massless (100, 0, 0), massless (20, 0.30, 0), massless (5, 0.35, 0),
                massless (2, 1.0, M_PI / 2) };
  JxTree tree = { 0 };
  JxError err = { 0 };
  JX_CHECK_INT (jx_tree_build_from_particles (&tree, p, 4, JX_ALGO_CA, NULL, &err), 0);

  /* p23 = (px, 0, pz): it lies in the x–z plane, so its angle to p1 (along z) is atan(px/pz). */
  double px23 = 20 * sin (0.30) + 5 * sin (0.35), pz23 = 20 * cos (0.30) + 5 * cos (0.35);
  double delta2 = atan (px23 / pz23);
  double kt2 = 25 * sin (delta2);
  /* p4 is ⟂ to x, p123 = (px23, 0, 100 + pz23): cos Δ = (100 + pz23) cos 1 / |p123|. */
  double delta1 = acos ((100 + pz23) * cos (1.0) / hypot (px23, 100 + pz23));
  double kt1 = 2 * sin (delta1);

  JxLundEmission e[3];
  size_t n = jx_lund_primary (&tree, NULL, e, 3);
  JX_CHECK_INT (n, 2);
  JX_CHECK_INT (e[0].step, 1);
  JX_CHECK_INT (e[1].step, 2);
  JX_CHECK_CLOSE (e[0].delta, delta1, 1e-12, 0);
  JX_CHECK_CLOSE (e[0].kt, kt1, 1e-12, 0);
  JX_CHECK_CLOSE (e[0].x, -log (delta1), 1e-12, 0);
  JX_CHECK_CLOSE (e[0].y, log (kt1), 1e-12, 1e-15);
  JX_CHECK_CLOSE (e[0].z, 2.0 / 127.0, 1e-12, 0);
  JX_CHECK_CLOSE (e[1].delta, delta2, 1e-12, 0);
  JX_CHECK_CLOSE (e[1].kt, kt2, 1e-12, 0);
  JX_CHECK_CLOSE (e[1].x, -log (delta2), 1e-12, 0);
  JX_CHECK_CLOSE (e[1].y, log (kt2), 1e-12, 0);
  JX_CHECK_CLOSE (e[1].z, 25.0 / 125.0, 1e-12, 0);
  /* The emissions are p4 and p23; p1 is the end of the chain. */
  JX_CHECK_CLOSE (tree.nodes[e[0].emission].p.E, 2, 1e-12, 0);
  JX_CHECK_CLOSE (tree.nodes[e[1].emission].p.E, 25, 1e-12, 0);
  /* The same numbers worked out apart (python3 math): Δ1 = 1.0012139 rad, Δ2 = 0.3099980 rad. */
  JX_CHECK (fabs (e[0].delta - 1.0012139) < 1e-7 && fabs (e[1].delta - 0.3099980) < 1e-7);

  /* The LR terms of three steps and the end: 1, 2 primary (bins), 3 secondary, end. */
  double lr[4] = { 0.5, -0.25, 0.125, 2.0 };
  n = jx_lund_primary (&tree, lr, e, 3);
  JX_CHECK_CLOSE (e[0].lr, 0.5, 0, 0);
  JX_CHECK_CLOSE (e[1].lr, -0.25, 0, 0);
  JxLundGrid g;
  jx_lund_grid_default (&g);
  JxLundMap map;
  JX_CHECK_INT (jx_lund_map_init (&map, &g, &err), 0);
  jx_lund_map_add (&map, &tree, lr, NAN);
  int b1 = jx_lund_grid_bin (&g, e[0].x, e[0].y), b2 = jx_lund_grid_bin (&g, e[1].x, e[1].y);
  JX_CHECK (b1 >= 0 && b2 >= 0 && b1 != b2);
  JX_CHECK_CLOSE (jx_lund_map_attribution (&map, b1), 0.5, 0, 0);
  JX_CHECK_CLOSE (jx_lund_map_attribution (&map, b2), -0.25, 0, 0);
  JX_CHECK_CLOSE (jx_lund_map_cell_attribution (&map, JX_LUND_SECONDARY), 0.125, 0, 0);
  JX_CHECK_CLOSE (jx_lund_map_cell_attribution (&map, JX_LUND_END), 2.0, 0, 0);
  JX_CHECK_CLOSE (jx_lund_map_attributed_mean (&map), 2.375, 0, 0);
  JX_CHECK_CLOSE (jx_lund_map_mean_total (&map), 2.375, 0, 0);
  JX_CHECK_INT (map.count[b1], 1);
  JX_CHECK_CLOSE (jx_lund_map_mean_term (&map, b2), -0.25, 0, 0);
  /* Bin 0 (Δ ≈ 3 rad, k_t ≈ 0.05 GeV) is empty: no mean term. */
  JX_CHECK_INT (map.count[0], 0);
  JX_CHECK (isnan (jx_lund_map_mean_term (&map, 0)));
  JX_CHECK (strcmp (jx_lund_cell_name (JX_LUND_SECONDARY), "secondary") == 0);
  JX_CHECK_CLOSE (jx_lund_map_density (&map, b1), 1 / jx_lund_grid_bin_area (&g), 1e-15, 0);
  /* A non-finite term leaves the jet out. */
  lr[2] = NAN;
  jx_lund_map_add (&map, &tree, lr, NAN);
  JX_CHECK_INT (map.n_jets, 1);
  JX_CHECK_INT (map.n_unscored, 1);
  jx_lund_map_free (&map);
  jx_tree_free (&tree);
}

static void
test_grid (void)
{
  JxLundGrid g = { .nx = 4, .ny = 2, .x_lo = 0, .x_hi = 4, .y_lo = -1, .y_hi = 1 };
  JxError err = { 0 };
  JX_CHECK_INT (jx_lund_grid_check (&g, &err), 0);
  JX_CHECK_INT (jx_lund_grid_bin (&g, 0.5, -0.5), 0);
  JX_CHECK_INT (jx_lund_grid_bin (&g, 3.5, 0.5), 7);
  JX_CHECK_INT (jx_lund_grid_bin (&g, 4.0, 1.0), 7);   /* upper edges: the last bins */
  JX_CHECK_INT (jx_lund_grid_bin (&g, 4.01, 0), -1);
  JX_CHECK_INT (jx_lund_grid_bin (&g, NAN, 0), -1);
  JX_CHECK_INT (jx_lund_grid_bin (&g, 1, -INFINITY), -1);
  JX_CHECK_CLOSE (jx_lund_grid_bin_area (&g), 1.0, 1e-15, 0);
  g.nx = 0;
  JX_CHECK_INT (jx_lund_grid_check (&g, &err), JX_ERR_INVALID);
  g.nx = 4;
  g.y_hi = -2;
  JX_CHECK_INT (jx_lund_grid_check (&g, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "y range") != NULL);
}

/* Quark jets, a one-particle jet and a jet with nothing above E_sub. */
static void
make_dataset (JxDataset *ds)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  jx_dataset_init (ds);
  jx_gen_config_default (&cfg);
  cfg.seed = 5;
  cfg.threads = 1;
  JX_CHECK_INT (jx_generate (&cfg, 60, ds, NULL, NULL, &err), 0);
  JxP4 one = jx_p4 (500, 0, 0, sqrt (500.0 * 500.0 - 10.0 * 10.0));
  JX_CHECK_INT (jx_dataset_append (ds, &one, 1, &err), 0);
  JxP4 soft[2] = { massless (0.4, 0.1, 0), massless (0.3, 0.2, 1) };
  JX_CHECK_INT (jx_dataset_append (ds, soft, 2, &err), 0);
}

/* Σ over the jets of log10 P_A/P_B from each jet's total log P (no per-step terms), the
 * number of jets scored and Σ |log10 LR|. */
static double
independent_total (const JxModel *a, const JxModel *b, const JxDataset *ds,
                   const JxClusterOptions *co, size_t *n_ok, double *abs_sum)
{
  double total = 0;
  *n_ok = 0;
  *abs_sum = 0;
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      JxTree tree = { 0 };
      JxError err = { 0 };
      double la, lb;
      if (jx_tree_build (&tree, jx_dataset_jet (ds, i), jx_dataset_jet_size (ds, i), co, NULL,
                         &err) == 0
          && jx_model_log_prob (a, &tree, NULL, &la, NULL, &err) == 0
          && jx_model_log_prob (b, &tree, NULL, &lb, NULL, &err) == 0)
        {
          double r = (la - lb) / M_LN10;
          total += r;
          *abs_sum += fabs (r);
          (*n_ok)++;
        }
      jx_tree_free (&tree);
    }
  return total;
}

static uint64_t
map_terms (const JxLundMap *m)
{
  uint64_t s = 0;
  for (int i = 0; i < m->grid.nx * m->grid.ny; i++)
    s += m->count[i];
  for (int c = 0; c < JX_LUND_N_CELLS; c++)
    s += m->cell_count[c];
  return s;
}

static void
test_attribution (void)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_JOINT, 100);
  JxModel *a = jx_test_model_new (&cfg, 1, 2.0f);
  JxModel *b = jx_test_model_new (&cfg, 2, 2.0f);
  JxDataset ds;
  make_dataset (&ds);
  JxClusterOptions co;
  jx_cluster_options_default (&co);
  JxError err = { 0 };
  size_t n_ok;
  double abs_sum;
  double total = independent_total (a, b, &ds, &co, &n_ok, &abs_sum);
  JX_CHECK_INT (n_ok, ds.n_jets - 1);   /* the soft jet has no subjet */

  JxLundOptions opt;
  jx_lund_options_default (&opt);
  opt.threads = 2;
  JxLundMap map;
  JX_CHECK_INT (jx_lund_map_build (&map, a, b, &ds, &co, &opt, NULL, &err), 0);
  JX_CHECK_INT (map.n_jets, n_ok);
  JX_CHECK_INT (map.n_bad, 1);
  JX_CHECK_INT (map.cell_count[JX_LUND_END], n_ok);
  /* Relative to the natural scale of the sum, Σ |log10 LR| / N (the mean itself may be near 0). */
  double mean = total / (double) n_ok, scale = abs_sum / (double) n_ok;
  JX_CHECK_CLOSE (jx_lund_map_attributed_mean (&map), mean, 0, 1e-9 * scale);
  JX_CHECK_CLOSE (jx_lund_map_mean_total (&map), mean, 0, 1e-9 * scale);
  /* Every step of every jet and every end is one term somewhere. */
  uint64_t steps = 0;
  for (size_t i = 0; i < ds.n_jets; i++)
    {
      JxTree t = { 0 };
      if (jx_tree_build (&t, jx_dataset_jet (&ds, i), jx_dataset_jet_size (&ds, i), &co, NULL,
                         &err) == 0)
        steps += t.n;   /* n − 1 steps and the end */
      jx_tree_free (&t);
    }
  JX_CHECK_INT (map_terms (&map), steps);
  /* The cells carry part of the sum: the bins alone do not make it. */
  double bins = 0;
  for (int i = 0; i < map.grid.nx * map.grid.ny; i++)
    bins += jx_lund_map_attribution (&map, i);
  JX_CHECK (map.cell_count[JX_LUND_SECONDARY] > 0);
  JX_CHECK (fabs (bins - mean) > 1e-3 * scale);

  /* One thread gives the same map, bit for bit. */
  JxLundMap one;
  opt.threads = 1;
  JX_CHECK_INT (jx_lund_map_build (&one, a, b, &ds, &co, &opt, NULL, &err), 0);
  JX_CHECK (memcmp (one.lr, map.lr, sizeof *map.lr * (size_t) (map.grid.nx * map.grid.ny)) == 0);
  JX_CHECK (memcmp (one.cell_lr, map.cell_lr, sizeof map.cell_lr) == 0);
  jx_lund_map_free (&one);

  /* A grid that misses most emissions: they go to the outside cell, the sum still holds. */
  JxLundOptions small = opt;
  small.grid = (JxLundGrid) { .nx = 3, .ny = 3, .x_lo = 0, .x_hi = 1, .y_lo = 0, .y_hi = 2 };
  JX_CHECK_INT (jx_lund_map_build (&one, a, b, &ds, &co, &small, NULL, &err), 0);
  JX_CHECK (one.cell_count[JX_LUND_OUTSIDE] > 0);
  JX_CHECK_CLOSE (jx_lund_map_attributed_mean (&one), mean, 0, 1e-9 * scale);
  jx_lund_map_free (&one);

  /* Only the one-particle jet: its whole LR is the end cell. */
  small.first = 60;
  small.last = 61;
  JX_CHECK_INT (jx_lund_map_build (&one, a, b, &ds, &co, &small, NULL, &err), 0);
  JX_CHECK_INT (one.n_jets, 1);
  JX_CHECK_INT (map_terms (&one), 1);
  JX_CHECK (fabs (jx_lund_map_cell_attribution (&one, JX_LUND_END)) > 0);
  JX_CHECK_CLOSE (jx_lund_map_cell_attribution (&one, JX_LUND_END), jx_lund_map_mean_total (&one),
                  1e-12, 0);
  jx_lund_map_free (&one);

  /* Merging two halves is the whole. */
  JxLundMap lo, hi;
  JxLundOptions half = opt;
  half.last = 30;
  JX_CHECK_INT (jx_lund_map_build (&lo, a, b, &ds, &co, &half, NULL, &err), 0);
  half.first = 30;
  half.last = 0;
  JX_CHECK_INT (jx_lund_map_build (&hi, a, b, &ds, &co, &half, NULL, &err), 0);
  JX_CHECK_INT (jx_lund_map_merge (&lo, &hi, &err), 0);
  JX_CHECK_INT (lo.n_jets, map.n_jets);
  JX_CHECK_CLOSE (jx_lund_map_attributed_mean (&lo), mean, 0, 1e-9 * scale);
  jx_lund_map_free (&lo);
  jx_lund_map_free (&hi);

  /* Cancelled before it starts; printer trees refused. */
  JxProgress prog;
  jx_progress_init (&prog, NULL, NULL);
  jx_progress_cancel (&prog);
  JX_CHECK_INT (jx_lund_map_build (&one, a, b, &ds, &co, &opt, &prog, &err), JX_ERR_CANCELLED);
  jx_lund_map_free (&one);
  co.algorithm = JX_ALGO_PRINTER;
  JX_CHECK_INT (jx_lund_map_build (&one, a, b, &ds, &co, &opt, NULL, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "printer") != NULL);
  jx_lund_map_free (&one);
  co.algorithm = JX_ALGO_CA;
  co.metric = JX_METRIC_PP;
  JX_CHECK_INT (jx_lund_map_build (&one, a, b, &ds, &co, &opt, NULL, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "pp metric") != NULL);
  jx_lund_map_free (&one);

  jx_lund_map_free (&map);
  jx_dataset_free (&ds);
  jx_model_free (a);
  jx_model_free (b);
}

int
main (void)
{
  test_hand_derivation ();
  test_grid ();
  test_attribution ();
  JX_TEST_MAIN_END ("lund");
}
