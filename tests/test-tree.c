/* Unit tests for jx-tree: invariants of the JUNIPR declustering on random jets for every
 * algorithm, branchings against direct recomputation, hand-built printer and C/A / kt /
 * anti-kt configurations whose order is known, edge cases and errors. */
#include <string.h>

#include "jx-rng.h"
#include "jx-test-jets.h"
#include "jx-test.h"
#include "jx-tree.h"

static JxP4
at (double E, double th, double ph)
{
  return jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
}

/* Energy order of the states: higher E first, ties lower node index first. */
static int
comes_before (const JxTree *t, int a, int b)
{
  double ea = t->nodes[a].p.E, eb = t->nodes[b].p.E;
  return ea > eb || (ea == eb && a < b);
}

static double
phi_diff (double a, double b)
{
  double d = fabs (a - b);
  return fmin (d, 2 * M_PI - d);
}

/* Every invariant of DESIGN §3 that can be checked from the tree alone. */
static int
check_tree (const JxTree *t, const JxP4 *leaves, int *state, int *next)
{
  int bad = 0;
  size_t n = t->n, nn = 2 * n - 1;
  bad += t->root != (int) nn - 1;
  bad += t->nodes[t->root].mother != -1 || t->nodes[t->root].born != 0;
  for (size_t i = 0; i < n; i++)
    {
      const JxNode *d = &t->nodes[i];
      bad += memcmp (&d->p, &leaves[i], sizeof (JxP4)) != 0;
      bad += d->daughter[0] != -1 || d->daughter[1] != -1 || d->step != 0;
    }
  for (size_t k = n; k < nn; k++)
    {
      const JxNode *d = &t->nodes[k];
      const JxNode *h = &t->nodes[d->daughter[0]], *s = &t->nodes[d->daughter[1]];
      /* Energy and momentum conservation at the node, harder daughter first. */
      double sc = 1e-12 * fmax (d->p.E, 1.0);
      bad += fabs (h->p.E + s->p.E - d->p.E) > sc || fabs (h->p.px + s->p.px - d->p.px) > sc
             || fabs (h->p.py + s->p.py - d->p.py) > sc || fabs (h->p.pz + s->p.pz - d->p.pz) > sc;
      bad += !comes_before (t, d->daughter[0], d->daughter[1]);
      bad += h->mother != (int) k || s->mother != (int) k;
      bad += d->step != (int) (2 * n - 1 - k);
      bad += h->born != d->step || s->born != d->step;
    }
  /* Walk the steps: state t = energy-ordered; mother at mother_index; next state. */
  for (size_t step = 1; step < n; step++)
    {
      const JxStep *st = &t->steps[step - 1];
      jx_tree_state (t, (int) step, state);
      for (size_t k = 0; k + 1 < step; k++)
        bad += !comes_before (t, state[k], state[k + 1]);
      bad += st->mother_index < 0 || st->mother_index >= (int) step;
      bad += st->mother != (int) (2 * n - 1 - step);
      bad += state[st->mother_index] != st->mother;
      bad += st->daughter[0] != t->nodes[st->mother].daughter[0]
             || st->daughter[1] != t->nodes[st->mother].daughter[1];
      jx_tree_state (t, (int) step + 1, next);
      int seen = 0;
      for (size_t k = 0; k <= step; k++)
        {
          seen += next[k] == st->daughter[0] || next[k] == st->daughter[1];
          bad += next[k] == st->mother;
        }
      bad += seen != 2;
      /* Branching against a direct recomputation with jx-momentum. */
      JxP4 m = t->nodes[st->mother].p, h = t->nodes[st->daughter[0]].p,
           s = t->nodes[st->daughter[1]].p;
      bad += !(st->x.z > 0 && st->x.z <= 0.5);
      bad += fabs (st->x.z - s.E / m.E) > 1e-15;
      double th = jx_p4_angle (s, m), de = jx_p4_angle (h, m);
      bad += fabs (st->x.theta - th) > 1e-9 * th + 1e-15;
      bad += fabs (st->x.delta - de) > 1e-9 * de + 1e-15;
      JxRelative r = jx_relative_to (s, m);
      bad += th > 1e-6 && phi_diff (st->x.phi, r.phi) > 1e-9;
      bad += !(st->x.phi >= 0 && st->x.phi < 2 * M_PI);
    }
  /* The final state holds exactly the n particles. */
  jx_tree_state (t, (int) n, state);
  int leaves_ok = 1;
  for (size_t k = 0; k < n; k++)
    leaves_ok &= state[k] >= 0 && state[k] < (int) n;
  bad += !leaves_ok;
  return bad;
}

static void
test_defaults (void)
{
  JxClusterOptions o;
  memset (&o, 0xff, sizeof o);
  jx_cluster_options_default (&o);
  JX_CHECK (o.algorithm == JX_ALGO_CA && o.esub == 1.0 && o.rsub == 0.1);
}

static void
test_random_invariants (void)
{
  static const JxAlgorithm algos[] = { JX_ALGO_CA, JX_ALGO_KT, JX_ALGO_ANTIKT, JX_ALGO_PRINTER };
  JxRng rng;
  jx_rng_seed (&rng, 2018, 4);
  JxClusterWork *work = jx_cluster_work_new ();
  static JxP4 p[160];
  static int state[320], next[320];
  int bad_jets = 0, trees = 0;
  for (int jet = 0; jet < 60; jet++)
    {
      size_t n = 1 + jx_rng_below (&rng, 150);
      jx_test_random_jet (&rng, n, p);
      for (int a = 0; a < 4; a++)
        {
          JxTree t;
          JxError err;
          int rc = jx_tree_build_from_particles (&t, p, n, algos[a], work, &err);
          JX_CHECK_MSG (rc == 0, "%s", err.message);
          if (rc != 0)
            continue;
          JX_CHECK_INT (t.n, n);
          int bad = check_tree (&t, p, state, next);
          JX_CHECK_MSG (bad == 0, "jet %d (n=%zu) %s: %d violations", jet, n,
                        jx_algorithm_name (algos[a]), bad);
          bad_jets += bad != 0;
          trees++;
          jx_tree_free (&t);
          /* Through the subjet step: the leaves are jx_subjets' output. */
          JxClusterOptions opt = { algos[a], 1.0, 0.1, JX_METRIC_EE };
          JxP4 sub[160];
          size_t k;
          JX_CHECK (jx_subjets (p, n, 0.1, 1.0, sub, &k, NULL) == 0);
          rc = jx_tree_build (&t, p, n, &opt, work, &err);
          if (k == 0)
            JX_CHECK (rc == JX_ERR_INVALID && t.nodes == NULL);
          else
            {
              JX_CHECK_MSG (rc == 0, "%s", err.message);
              JX_CHECK_INT (t.n, k);
              JX_CHECK (rc == 0 && check_tree (&t, sub, state, next) == 0);
            }
          jx_tree_free (&t);
        }
    }
  JX_CHECK_INT (bad_jets, 0);
  JX_CHECK (trees == 240);
  jx_cluster_work_free (work);
}

/* Printer order on a hand-built jet around +z whose transverse momenta cancel exactly
 * (so the axis is exactly z and x = θ cos φ, y = θ sin φ are the plain projections):
 * core (0,0) 50 GeV; P1 (+θ, 0), P2 (−θ, 0), P3 (0, +θ'), P4 (0, −θ'), 1 GeV each.
 * Scan x descending, ties y ascending: P1, P4, core, P3, P2. */
static void
test_printer (void)
{
  double a = 0.1, b = 0.04;
  JxP4 p[5] = {
    jx_p4 (50, 0, 0, 50),                           /* 0 core */
    jx_p4 (1, a, 0, sqrt (1 - a * a)),              /* 1 P1: right */
    jx_p4 (1, -a, 0, sqrt (1 - a * a)),             /* 2 P2: left */
    jx_p4 (1, 0, b, sqrt (1 - b * b)),              /* 3 P3: top */
    jx_p4 (1, 0, -b, sqrt (1 - b * b)),             /* 4 P4: bottom */
  };
  JxTree t;
  JxError err;
  JX_CHECK (jx_tree_build_from_particles (&t, p, 5, JX_ALGO_PRINTER, NULL, &err) == 0);
  /* Merges: P1+P4 → 5, 5+core → 6, 6+P3 → 7, 7+P2 → 8 (root). */
  JX_CHECK (t.nodes[5].daughter[0] == 1 && t.nodes[5].daughter[1] == 4);  /* equal E: index */
  JX_CHECK (t.nodes[6].daughter[0] == 0 && t.nodes[6].daughter[1] == 5);
  JX_CHECK (t.nodes[7].daughter[0] == 6 && t.nodes[7].daughter[1] == 3);
  JX_CHECK (t.nodes[8].daughter[0] == 7 && t.nodes[8].daughter[1] == 2);
  /* Reverse: emissions left (P2), then top (P3), then the rest of the column. */
  JX_CHECK (t.steps[0].daughter[1] == 2 && t.steps[1].daughter[1] == 3);
  JX_CHECK (t.steps[2].daughter[1] == 5 && t.steps[3].daughter[1] == 4);
  /* States: {8}, {7, P2}, {6, P2, P3}, {core, 5, P2, P3}: the last mother (5) is second. */
  static const int mother_index[4] = { 0, 0, 0, 1 };
  for (int s = 0; s < 4; s++)
    JX_CHECK_INT (t.steps[s].mother_index, mother_index[s]);
  /* The root is exactly on z, so P2 sits at φ = π around it; P3 at ≈ π/2 around node 7
   * (which leans 0.1/53 towards +x). */
  JX_CHECK (phi_diff (t.steps[0].x.phi, M_PI) < 1e-12);
  JX_CHECK (phi_diff (t.steps[1].x.phi, M_PI / 2) < 0.06);
  static int state[16], next[16];
  JX_CHECK (check_tree (&t, p, state, next) == 0);
  jx_tree_free (&t);

  /* Another order of the same particles gives the same tree shape on the same momenta. */
  JxP4 q[5] = { p[3], p[2], p[0], p[4], p[1] };
  JX_CHECK (jx_tree_build_from_particles (&t, q, 5, JX_ALGO_PRINTER, NULL, &err) == 0);
  JX_CHECK (t.steps[0].daughter[1] == 1 && t.steps[1].daughter[1] == 0);  /* P2, P3 */
  jx_tree_free (&t);
}

/* Which pair merges first distinguishes C/A, kt and anti-kt. p0 = 100 GeV on z,
 * p2 = 20 GeV at 0.3, p1 = 1 GeV at 0.4 (same azimuth): θ12 = 0.1 < θ02 = 0.3 < θ01 = 0.4.
 * C/A: (1,2). kt: d12 = 1·(1 − cos .1) = 0.005 ≪ d02 = 400·0.045: (1,2).
 * anti-kt: d02 = 10⁻⁴(1 − cos .3) = 4.5e-6 < d01 = 10⁻⁴(1 − cos .4) = 7.9e-6 <
 * d12 = (1/400)(1 − cos .1) = 1.2e-5: (0,2). */
static void
test_algorithms_differ (void)
{
  JxP4 p[3] = { at (100, 0, 0), at (1, 0.4, 0.5), at (20, 0.3, 0.5) };
  JxTree t;
  JxError err;
  JX_CHECK (jx_tree_build_from_particles (&t, p, 3, JX_ALGO_CA, NULL, &err) == 0);
  JX_CHECK (t.nodes[3].daughter[0] == 2 && t.nodes[3].daughter[1] == 1);
  jx_tree_free (&t);
  JX_CHECK (jx_tree_build_from_particles (&t, p, 3, JX_ALGO_KT, NULL, &err) == 0);
  JX_CHECK (t.nodes[3].daughter[0] == 2 && t.nodes[3].daughter[1] == 1);
  jx_tree_free (&t);
  JX_CHECK (jx_tree_build_from_particles (&t, p, 3, JX_ALGO_ANTIKT, NULL, &err) == 0);
  JX_CHECK (t.nodes[3].daughter[0] == 0 && t.nodes[3].daughter[1] == 2);
  /* Step 1 splits the root into (p0 + p2) and p1; step 2 splits p0 + p2, which is the
   * first (hardest) of the state {p0 + p2, p1}. */
  JX_CHECK (t.steps[0].daughter[0] == 3 && t.steps[0].daughter[1] == 1);
  JX_CHECK (t.steps[1].mother == 3 && t.steps[1].mother_index == 0);
  jx_tree_free (&t);

  /* Mother index ≠ 0: C/A on p0 = 50 GeV on z, p1 = 45 GeV at 0.5, p2 = 10 GeV at 0.52
   * (θ12 ≈ 0.02): root → (p0, p1 + p2); state 2 = {p1 + p2 (55), p0 (50)}... then p1 + p2
   * is first. With p2 = 2 GeV, p1 + p2 = 47 < 50: the mother of step 2 is second. */
  JxP4 q[3] = { at (50, 0, 0), at (45, 0.5, 0), at (2, 0.52, 0) };
  JX_CHECK (jx_tree_build_from_particles (&t, q, 3, JX_ALGO_CA, NULL, &err) == 0);
  JX_CHECK (t.steps[0].daughter[0] == 0 && t.steps[0].daughter[1] == 3);
  JX_CHECK (t.steps[1].mother == 3 && t.steps[1].mother_index == 1);
  JX_CHECK (t.steps[1].daughter[0] == 1 && t.steps[1].daughter[1] == 2);
  JX_CHECK_CLOSE (t.steps[0].x.z, 47.0 / 97.0, 1e-15, 0);
  JX_CHECK_CLOSE (t.steps[1].x.z, 2.0 / 47.0, 1e-15, 0);
  jx_tree_free (&t);
}

static void
test_edge_cases (void)
{
  JxTree t;
  JxError err;
  int state[8];
  /* One particle: the root is the particle, no steps. */
  JxP4 one = at (30, 0.2, 0.3);
  for (int a = 0; a < 4; a++)
    {
      JX_CHECK (jx_tree_build_from_particles (&t, &one, 1, a, NULL, &err) == 0);
      JX_CHECK (t.n == 1 && t.root == 0 && t.nodes[0].mother == -1 && t.nodes[0].step == 0);
      jx_tree_state (&t, 1, state);
      JX_CHECK_INT (state[0], 0);
      jx_tree_free (&t);
    }
  /* Two particles: one step, z = E_soft/E, θ + δ = opening angle, φ of the soft one. */
  JxP4 two[2] = { at (20, 0.1, 0), at (60, 0.15, M_PI / 2) };
  JX_CHECK (jx_tree_build_from_particles (&t, two, 2, JX_ALGO_CA, NULL, &err) == 0);
  JX_CHECK (t.n == 2 && t.root == 2);
  JX_CHECK (t.steps[0].mother_index == 0 && t.steps[0].daughter[0] == 1
            && t.steps[0].daughter[1] == 0);
  JX_CHECK_CLOSE (t.steps[0].x.z, 0.25, 1e-15, 0);
  JX_CHECK_CLOSE (t.steps[0].x.theta + t.steps[0].x.delta, jx_p4_angle (two[0], two[1]), 1e-12, 0);
  /* Momentum balance transverse to the mother: E_s sin θ = E_h sin δ (massless). */
  JX_CHECK_CLOSE (20 * sin (t.steps[0].x.theta), 60 * sin (t.steps[0].x.delta), 1e-12, 0);
  JX_CHECK (phi_diff (t.steps[0].x.phi, jx_relative_to (two[0], t.nodes[2].p).phi) < 1e-12);
  jx_tree_free (&t);
  /* A collinear pair: θ = δ = 0 exactly. */
  JxP4 col[2] = { jx_p4 (3, 0.6, 0.8, 2.8), jx_p4 (6, 1.2, 1.6, 5.6) };
  JX_CHECK (jx_tree_build_from_particles (&t, col, 2, JX_ALGO_CA, NULL, &err) == 0);
  JX_CHECK (t.steps[0].x.theta == 0 && t.steps[0].x.delta == 0);
  JX_CHECK_CLOSE (t.steps[0].x.z, 1.0 / 3.0, 1e-15, 0);
  JX_CHECK (t.steps[0].x.phi >= 0 && t.steps[0].x.phi < 2 * M_PI);
  jx_tree_free (&t);
  /* Equal energies: daughters and states fall back to node indices; z = 1/2. */
  JxP4 eq[4] = { at (10, 0.01, 0), at (10, 0.02, 1), at (10, 0.2, 2), at (10, 0.25, 3) };
  JX_CHECK (jx_tree_build_from_particles (&t, eq, 4, JX_ALGO_CA, NULL, &err) == 0);
  static int st[16], nx[16];
  JX_CHECK (check_tree (&t, eq, st, nx) == 0);
  JX_CHECK (t.nodes[4].daughter[0] == 0 && t.nodes[4].daughter[1] == 1);
  JX_CHECK_CLOSE (t.steps[2].x.z, 0.5, 1e-15, 0);
  jx_tree_state (&t, 4, st);
  JX_CHECK (st[0] == 0 && st[1] == 1 && st[2] == 2 && st[3] == 3);
  jx_tree_free (&t);
  /* A mother tied in energy with another member of the state: p0 + p1 = 20 GeV exactly
   * = p2. The root's daughters tie; p2 (node 2) counts as harder than node 3, so at
   * step 2 the mother (node 3) is second in the state. */
  JxP4 tie[3] = { at (10, 0.01, 0), at (10, 0.02, 0), at (20, 0.5, 0) };
  JX_CHECK (jx_tree_build_from_particles (&t, tie, 3, JX_ALGO_CA, NULL, &err) == 0);
  JX_CHECK (t.steps[0].daughter[0] == 2 && t.steps[0].daughter[1] == 3);
  JX_CHECK_CLOSE (t.steps[0].x.z, 0.5, 1e-15, 0);
  JX_CHECK (t.steps[1].mother == 3 && t.steps[1].mother_index == 1);
  JX_CHECK (check_tree (&t, tie, st, nx) == 0);
  jx_tree_free (&t);
}

/* Momenta so small that their squares underflow (still valid: finite, within 1e30 GeV).
 * 0/0 in the pp rapidity gave NaN distances and a step merging nothing, whose -1 indexed the
 * nodes (fuzz-jet-arith, regressions/jet-arith/pp-rapidity-underflow-*). Every algorithm
 * must give a valid tree; C/A's distances are rapidities and angles only, scale-free, so
 * the jet scaled by 1e-230 has the same tree as the jet. (kt and anti-kt weigh by kt^±2,
 * which underflows to 0 at this scale: their order becomes ties, valid but not the same.) */
static void
test_tiny_momenta_pp (void)
{
  JxP4 jet[5] = { at (40, 1.2, 0.3), at (25, 1.3, 0.5), at (8, 0.9, 2.0), jx_p4 (3, 0, 0, 0),
                  at (1, 1.25, 0.35) };
  JxP4 tiny[5];
  for (int i = 0; i < 5; i++)
    tiny[i] = jx_p4_scale (jet[i], 1e-230);
  for (int a = JX_ALGO_CA; a <= JX_ALGO_ANTIKT; a++)
    {
      JxTree t, u;
      JxError err;
      JX_CHECK (jx_tree_build_from_particles_metric (&t, jet, 5, a, JX_METRIC_PP, NULL, &err) == 0);
      JX_CHECK (jx_tree_build_from_particles_metric (&u, tiny, 5, a, JX_METRIC_PP, NULL, &err) == 0);
      static int st[16], nx[16];
      JX_CHECK (check_tree (&u, tiny, st, nx) == 0);
      for (int k = 0; k < 4; k++)
        {
          JX_CHECK (a != JX_ALGO_CA || (t.steps[k].daughter[0] == u.steps[k].daughter[0]
                                        && t.steps[k].daughter[1] == u.steps[k].daughter[1]));
          JX_CHECK (isfinite (u.steps[k].x.z) && isfinite (u.steps[k].x.theta)
                    && isfinite (u.steps[k].x.phi) && isfinite (u.steps[k].x.delta));
        }
      jx_tree_free (&t);
      jx_tree_free (&u);
    }
}

static void
test_errors (void)
{
  JxTree t;
  JxError err = { 0 };
  JxP4 p[3] = { at (10, 0, 0), at (5, 0.1, 0), at (3, 0.2, 1) };
  p[1].py = NAN;
  JX_CHECK (jx_tree_build_from_particles (&t, p, 3, JX_ALGO_CA, NULL, &err) == JX_ERR_INVALID);
  JX_CHECK (t.nodes == NULL && t.steps == NULL && t.n == 0);
  JX_CHECK (strstr (err.message, "particle 1") != NULL);
  jx_tree_free (&t);
  JxClusterOptions opt;
  jx_cluster_options_default (&opt);
  err.message[0] = '\0';
  JX_CHECK (jx_tree_build (&t, p, 3, &opt, NULL, &err) == JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "non-finite") != NULL);
  p[1].py = INFINITY;
  JX_CHECK (jx_tree_build (&t, p, 3, &opt, NULL, &err) == JX_ERR_INVALID);
  p[1] = at (0.5, 0.1, 0);
  /* Nothing above E_sub. */
  JxP4 soft[2] = { at (0.5, 0, 0), at (0.7, 0.5, 0) };
  err.message[0] = '\0';
  JX_CHECK (jx_tree_build (&t, soft, 2, &opt, NULL, &err) == JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "no particle survives") != NULL);
  JX_CHECK (t.nodes == NULL);
  jx_tree_free (&t);
  JX_CHECK (jx_tree_build (&t, soft, 0, &opt, NULL, &err) == JX_ERR_INVALID);
  JX_CHECK (jx_tree_build_from_particles (&t, soft, 0, JX_ALGO_CA, NULL, &err) == JX_ERR_INVALID);
  opt.esub = -1;
  JX_CHECK (jx_tree_build (&t, soft, 2, &opt, NULL, &err) == JX_ERR_INVALID);
  /* E_sub and R_sub off: every particle is a leaf. */
  opt.esub = 0;
  opt.rsub = 0;
  JX_CHECK (jx_tree_build (&t, soft, 2, &opt, NULL, &err) == 0 && t.n == 2);
  jx_tree_free (&t);
  /* NULL options mean the defaults. */
  JX_CHECK (jx_tree_build (&t, p, 3, NULL, NULL, &err) == 0 && t.n == 2);
  jx_tree_free (&t);
}

/* The branchings' atan2 against libm: a few ulp everywhere, all quadrants, tiny ratios. */
/* The numbering helpers against the rule written out (leaves 0..n−1, step t splits 2n−1−t;
 * check_tree holds every built tree to the same rule). */
static void
test_numbering (void)
{
  JX_CHECK_INT (jx_tree_split_node (1, 0), 1);
  JX_CHECK_INT (jx_tree_split_node (5, 1), 8);
  JX_CHECK_INT (jx_tree_split_node (5, 4), 5);
  for (int m = 5; m < 9; m++)
    JX_CHECK_INT (jx_tree_split_node (5, jx_tree_split_node (5, m)), m);
  JxTree t;
  JxError err = { 0 };
  JX_CHECK_INT (jx_tree_alloc (&t, 4, &err), 0);
  JX_CHECK (t.n == 4 && t.root == 6 && t.nodes != NULL);
  JX_CHECK (t.steps == (JxStep *) (t.nodes + 7));
  jx_tree_free (&t);
  JX_CHECK (t.nodes == NULL && t.root == -1);
}

static void
test_atan2 (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 99, 0);
  double worst = 0;
  for (int i = 0; i < 200000; i++)
    {
      double y = (jx_rng_uniform (&rng) - 0.5) * exp (40 * (jx_rng_uniform (&rng) - 0.5));
      double x = (jx_rng_uniform (&rng) - 0.5) * exp (40 * (jx_rng_uniform (&rng) - 0.5));
      double a = jx_tree_atan2 (y, x), b = atan2 (y, x);
      double rel = fabs (a - b) / fabs (b);
      if (rel > worst)
        worst = rel;
    }
  JX_CHECK_MSG (worst < 1e-15, "worst relative error %g", worst);
  JX_CHECK (jx_tree_atan2 (0, 1) == 0 && jx_tree_atan2 (0, -1) == M_PI);
  JX_CHECK (jx_tree_atan2 (1e-300, 1) == 1e-300);
  JX_CHECK_CLOSE (jx_tree_atan2 (1, 1), M_PI / 4, 4e-16, 0);
  JX_CHECK_CLOSE (jx_tree_atan2 (-1, -1), -3 * M_PI / 4, 4e-16, 0);
}

int
main (void)
{
  test_defaults ();
  test_random_invariants ();
  test_printer ();
  test_algorithms_differ ();
  test_edge_cases ();
  test_tiny_momenta_pp ();
  test_errors ();
  test_numbering ();
  test_atan2 ();
  JX_TEST_MAIN_END ("tree");
}
