/* Unit tests for jx-cluster: algorithm names, inclusive ee_genkt (C/A, kt, anti-kt),
 * exclusive Durham, the subjet step, tie breaking and scratch reuse, on small
 * configurations whose distances are worked out by hand in the comments. */
#include <string.h>

#include "jx-cluster.h"
#include "jx-rng.h"
#include "jx-test-jets.h"
#include "jx-test.h"
#include "jx-tree.h"

/* Massless momentum of energy E at polar angle th from +z, azimuth ph. */
static JxP4
at (double E, double th, double ph)
{
  return jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
}

static int
p4_equal (JxP4 a, JxP4 b, double tol)
{
  double s = fmax (fabs (a.E), fabs (b.E)) * tol;
  return fabs (a.E - b.E) <= s && fabs (a.px - b.px) <= s && fabs (a.py - b.py) <= s
         && fabs (a.pz - b.pz) <= s;
}

static void
test_names (void)
{
  JxAlgorithm a = JX_ALGO_KT;
  JxError err = { 0 };
  JX_CHECK (strcmp (jx_algorithm_name (JX_ALGO_CA), "ca") == 0);
  JX_CHECK (strcmp (jx_algorithm_name (JX_ALGO_KT), "kt") == 0);
  JX_CHECK (strcmp (jx_algorithm_name (JX_ALGO_ANTIKT), "antikt") == 0);
  JX_CHECK (strcmp (jx_algorithm_name (JX_ALGO_PRINTER), "printer") == 0);
  JX_CHECK (jx_algorithm_parse ("ca", &a, &err) == 0 && a == JX_ALGO_CA);
  JX_CHECK (jx_algorithm_parse ("cambridge", &a, &err) == 0 && a == JX_ALGO_CA);
  JX_CHECK (jx_algorithm_parse ("anti-kt", &a, &err) == 0 && a == JX_ALGO_ANTIKT);
  JX_CHECK (jx_algorithm_parse ("antikt", &a, &err) == 0 && a == JX_ALGO_ANTIKT);
  JX_CHECK (jx_algorithm_parse ("kt", &a, &err) == 0 && a == JX_ALGO_KT);
  JX_CHECK (jx_algorithm_parse ("printer", &a, &err) == 0 && a == JX_ALGO_PRINTER);
  for (int k = 0; k < 4; k++)
    {
      JxAlgorithm b;
      JX_CHECK (jx_algorithm_parse (jx_algorithm_name (k), &b, NULL) == 0 && (int) b == k);
    }
  a = JX_ALGO_KT;
  JX_CHECK (jx_algorithm_parse ("durham", &a, &err) == JX_ERR_INVALID);
  JX_CHECK (a == JX_ALGO_KT);
  JX_CHECK (strstr (err.message, "durham") != NULL);
  JX_CHECK (jx_algorithm_parse (NULL, &a, &err) == JX_ERR_INVALID);
}

static void
test_metric_names (void)
{
  JxMetric m = JX_METRIC_PP;
  JxError err = { 0 };
  JX_CHECK (strcmp (jx_metric_name (JX_METRIC_EE), "ee") == 0);
  JX_CHECK (strcmp (jx_metric_name (JX_METRIC_PP), "pp") == 0);
  JX_CHECK (jx_metric_parse ("ee", &m, &err) == 0 && m == JX_METRIC_EE);
  JX_CHECK (jx_metric_parse ("PP", &m, &err) == 0 && m == JX_METRIC_PP);
  JX_CHECK (jx_metric_parse ("hadron", &m, &err) == JX_ERR_INVALID && m == JX_METRIC_PP);
  JX_CHECK (strstr (err.message, "hadron") != NULL);
  JX_CHECK (jx_metric_parse (NULL, &m, &err) == JX_ERR_INVALID);
}

/* Massless momentum of transverse momentum pt at rapidity y and azimuth phi. */
static JxP4
ypt (double pt, double y, double phi)
{
  return jx_p4 (pt * cosh (y), pt * cos (phi), pt * sin (phi), pt * sinh (y));
}

/* pp: ΔR² = Δy² + Δφ² with Δφ folded across 2π; d_iB = kt^{2p}. Worked out by hand:
 * q0 (pt 10, y 0, φ 0.05), q1 (pt 5, y 0.1, φ 2π − 0.05): ΔR² = 0.1² + 0.1² = 0.02;
 * q2 (pt 2, y 0.3, φ 0.05): ΔR²(q0, q2) = 0.09, ΔR²(q1, q2) = 0.04 + 0.01 = 0.05. */
static void
test_pp (JxClusterWork *work)
{
  JxP4 q[3] = { ypt (10, 0, 0.05), ypt (5, 0.1, 2 * M_PI - 0.05), ypt (2, 0.3, 0.05) };
  JxP4 jets[3];
  int assign[3];
  size_t nj = 0;
  /* R = 0.2 (R² = 0.04): C/A merges q0 + q1 (0.02); the sum sits at y ≈ 0.033, φ ≈ 0.017,
   * ΔR² to q2 ≈ 0.071 + 0.001 > 0.04: two jets. At R = 0.3 (0.09) all three merge. */
  JX_CHECK (jx_pp_genkt_inclusive (q, 3, 0.0, 0.2, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);
  JX_CHECK (assign[0] == 0 && assign[1] == 0 && assign[2] == 1);
  JX_CHECK (p4_equal (jets[0], jx_p4_add (q[0], q[1]), 1e-15));
  JX_CHECK (jx_pp_genkt_inclusive (q, 3, 0.0, 0.3, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 1);
  /* R = 0.1 < ΔR_01 = 0.141: nothing merges. */
  JX_CHECK (jx_pp_genkt_inclusive (q, 3, 0.0, 0.1, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 3);

  /* kt (p = 1), R = 1: d_01 = min(100, 25)·0.02 = 0.5, d_12 = min(25, 4)·0.05 = 0.2,
   * d_02 = 4·0.09 = 0.36, beams 100, 25, 4: q1 + q2 merge first. */
  JxTree t;
  JxError err;
  JX_CHECK (jx_tree_build_from_particles_metric (&t, q, 3, JX_ALGO_KT, JX_METRIC_PP, work, &err)
            == 0);
  JX_CHECK (t.n == 3 && t.nodes[3].daughter[0] == 1 && t.nodes[3].daughter[1] == 2);
  jx_tree_free (&t);
  /* anti-kt (p = −1): d_01 = 0.02/100 = 2e-4, d_02 = 0.09/100 = 9e-4, d_12 = 0.05/25 = 2e-3:
   * q0 + q1 first. */
  JX_CHECK (jx_tree_build_from_particles_metric (&t, q, 3, JX_ALGO_ANTIKT, JX_METRIC_PP, work,
                                                 &err) == 0);
  JX_CHECK (t.n == 3 && t.nodes[3].daughter[0] == 0 && t.nodes[3].daughter[1] == 1);
  jx_tree_free (&t);

  /* The subjet step with the pp metric: C/A at R = 0.2, then E ≥ 3 GeV drops q2's jet. */
  JxClusterOptions opt = { .algorithm = JX_ALGO_CA, .metric = JX_METRIC_PP, .esub = 3,
                           .rsub = 0.2 };
  JX_CHECK (jx_subjets_metric (q, 3, JX_METRIC_PP, 0.2, 3.0, jets, &nj, work) == 0);
  JX_CHECK_INT (nj, 1);
  JX_CHECK (jx_tree_build (&t, q, 3, &opt, work, &err) == 0 && t.n == 1);
  jx_tree_free (&t);
  JxClusterOptions ee = opt;
  ee.metric = JX_METRIC_EE;
  JX_CHECK (jx_cluster_options_equal (&opt, &opt) && !jx_cluster_options_equal (&opt, &ee));
}

/* p0 = 10 GeV on the z axis, p1 = 5 GeV at 0.05 rad, p2 = 3 GeV at 0.3 rad (other side). */
static void
three (JxP4 p[3])
{
  p[0] = at (10, 0, 0);
  p[1] = at (5, 0.05, 0);
  p[2] = at (3, 0.3, M_PI);
}

static void
test_inclusive_ca (JxClusterWork *work)
{
  JxP4 p[3], jets[3];
  int assign[3];
  size_t nj = 99;
  three (p);
  /* R = 0.1: only θ01 = 0.05 < R merges; p2 is ≥ 0.3 from both. d_iB = 1 for all, so
   * both beam steps tie and go by lowest index: jet 0 = p0 + p1, jet 1 = p2. */
  JX_CHECK (jx_genkt_inclusive (p, 3, 0.0, 0.1, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);
  JX_CHECK (p4_equal (jets[0], jx_p4_add (p[0], p[1]), 1e-15));
  JX_CHECK (p4_equal (jets[1], p[2], 0));
  JX_CHECK (assign[0] == 0 && assign[1] == 0 && assign[2] == 1);

  /* R = 0.4: (p0 + p1) and p2 are ≈ 0.32 apart < R: one jet, the sum. */
  JX_CHECK (jx_genkt_inclusive (p, 3, 0.0, 0.4, jets, &nj, assign, NULL) == 0);
  JX_CHECK_INT (nj, 1);
  JX_CHECK (p4_equal (jets[0], jx_p4_add (jx_p4_add (p[0], p[1]), p[2]), 1e-15));
  JX_CHECK (assign[0] == 0 && assign[1] == 0 && assign[2] == 0);

  /* R = 0.04: nothing merges; three beam steps, lowest index first. */
  JX_CHECK (jx_genkt_inclusive (p, 3, 0.0, 0.04, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 3);
  for (int i = 0; i < 3; i++)
    JX_CHECK (assign[i] == i && p4_equal (jets[i], p[i], 0));

  /* R > π: FastJet's d_ij normalization 2(3 + cos R) lets back-to-back particles merge
   * (their 2(1 − cos θ) = 4 < 2(3 + cos 4) = 4.69); at R = π exactly it is 2(1 − cos π) =
   * 4, and 4 < 4 fails: two jets. */
  JxP4 b2b[2] = { jx_p4 (10, 0, 0, 10), jx_p4 (5, 0, 0, -5) };
  JX_CHECK (jx_genkt_inclusive (b2b, 2, 0.0, 4.0, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 1);
  JX_CHECK (jx_genkt_inclusive (b2b, 2, 0.0, M_PI, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);

  /* Non-finite input is refused, not clustered into garbage. */
  JxP4 bad[3] = { p[0], p[1], p[2] };
  bad[1].pz = NAN;
  JX_CHECK (jx_genkt_inclusive (bad, 3, 0.0, 0.4, jets, &nj, assign, work) == JX_ERR_INVALID);
  JX_CHECK (jx_durham_exclusive (bad, 3, 2, jets, assign, work) == JX_ERR_INVALID);
  bad[1].pz = INFINITY;
  JX_CHECK (jx_subjets (bad, 3, 0.0, 1.0, jets, &nj, work) == JX_ERR_INVALID);
  JX_CHECK (jx_subjets (bad, 3, 0.1, 1.0, jets, &nj, work) == JX_ERR_INVALID);

  /* Empty input. */
  JX_CHECK (jx_genkt_inclusive (p, 0, 0.0, 0.4, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 0);
}

static void
test_inclusive_kt_antikt (JxClusterWork *work)
{
  JxP4 p[3], jets[3];
  int assign[3];
  size_t nj;
  three (p);
  /* kt, R = 0.1: d01 = min(100, 25)(1 − cos 0.05)/(1 − cos 0.1) = 25 · 0.2498 = 6.25
   * < d_2B = 9 < d_0B: merge (0,1) first; then beam steps by d_iB = E²: p2 (9) before
   * p0 + p1 (225). The order of the jets is the order of the beam steps. */
  JX_CHECK (jx_genkt_inclusive (p, 3, 1.0, 0.1, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);
  JX_CHECK (p4_equal (jets[0], p[2], 0));
  JX_CHECK (p4_equal (jets[1], jx_p4_add (p[0], p[1]), 1e-15));
  JX_CHECK (assign[0] == 1 && assign[1] == 1 && assign[2] == 0);

  /* anti-kt: d01 = (1/100) · 0.2498 < d_iB = 1/E²; then (p0 + p1) has d = 1/225 and goes
   * out before p2 (1/9). */
  JX_CHECK (jx_genkt_inclusive (p, 3, -1.0, 0.1, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);
  JX_CHECK (p4_equal (jets[0], jx_p4_add (p[0], p[1]), 1e-15));
  JX_CHECK (p4_equal (jets[1], p[2], 0));
  JX_CHECK (assign[0] == 0 && assign[1] == 0 && assign[2] == 1);

  /* A soft particle between two hard ones: p0 = 100 GeV on z, p1 = 0.5 GeV at 0.06,
   * p2 = 100 GeV at 0.1 (same side): θ01 = 0.06, θ12 = 0.04, θ02 = 0.1. C/A, R = 0.08
   * merges (1,2); kt: d12 = 0.25·(1 − cos .04)/(1 − cos .08) = 0.0625 < d01 = 0.14 <
   * d_1B = 0.25, also (1,2). Then (p1 + p2) is ≈ 0.1 > R from p0: 2 jets. */
  JxP4 q[3] = { at (100, 0, 0), at (0.5, 0.06, 0), at (100, 0.1, 0) };
  JX_CHECK (jx_genkt_inclusive (q, 3, 0.0, 0.08, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);
  JX_CHECK (assign[0] != assign[1] && assign[1] == assign[2]);
  JX_CHECK (jx_genkt_inclusive (q, 3, 1.0, 0.08, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);
  JX_CHECK (assign[1] == assign[2] && assign[0] != assign[1]);
}

static void
test_durham (JxClusterWork *work)
{
  /* Two back-to-back pairs: d01 = 2·25(1 − cos .2) = 0.997, d23 = 2·16(1 − cos .3) = 1.43,
   * cross pairs ≥ 2·16(1 − cos(π − .5)) ≈ 60: (0,1) then (2,3). Jets by lowest index. */
  JxP4 p[4] = { at (10, 0, 0), at (5, 0.2, 1.0), at (8, M_PI, 0), at (4, M_PI - 0.3, 2.0) };
  JxP4 jets[4];
  int assign[4];
  JX_CHECK (jx_durham_exclusive (p, 4, 2, jets, assign, work) == 0);
  JX_CHECK (assign[0] == 0 && assign[1] == 0 && assign[2] == 1 && assign[3] == 1);
  JX_CHECK (p4_equal (jets[0], jx_p4_add (p[0], p[1]), 1e-15));
  JX_CHECK (p4_equal (jets[1], jx_p4_add (p[2], p[3]), 1e-15));
  /* Three jets: only (0,1) merges. */
  JX_CHECK (jx_durham_exclusive (p, 4, 3, jets, assign, NULL) == 0);
  JX_CHECK (assign[0] == 0 && assign[1] == 0 && assign[2] == 1 && assign[3] == 2);

  /* Durham is not C/A: a soft wide-angle particle goes first. p0, p1 = 100 GeV, 0.3 apart;
   * p2 = 0.5 GeV at 1 rad from p0 on the far side. d02 = 2·0.25(1 − cos 1) = 0.23,
   * d12 = 2·0.25(1 − cos 1.3) = 0.37, d01 = 2·10⁴(1 − cos .3) = 893: (0,2) merges. */
  JxP4 q[3] = { at (100, 0, 0), at (100, 0.3, 0), at (0.5, 1.0, M_PI) };
  JX_CHECK (jx_durham_exclusive (q, 3, 2, jets, assign, work) == 0);
  JX_CHECK (assign[0] == 0 && assign[2] == 0 && assign[1] == 1);
  JX_CHECK (p4_equal (jets[0], jx_p4_add (q[0], q[2]), 1e-15));
  JX_CHECK (p4_equal (jets[1], q[1], 0));

  /* n ≤ n_jets: the inputs as they are. */
  JX_CHECK (jx_durham_exclusive (q, 2, 2, jets, assign, work) == 0);
  JX_CHECK (p4_equal (jets[0], q[0], 0) && p4_equal (jets[1], q[1], 0));
  JX_CHECK (assign[0] == 0 && assign[1] == 1);
}

static void
test_ties (JxClusterWork *work)
{
  /* p0 on the axis, p1 and p2 at exactly the same angle on either side: the two pair
   * distances are bit-identical (0·s = ±0). The pair with the lower indices, (0,1),
   * merges first; listing the same particles in another order follows the indices. */
  double s = 0.1, c = sqrt (1 - s * s);
  JxP4 p[3] = { jx_p4 (10, 0, 0, 10), jx_p4 (4, 4 * s, 0, 4 * c), jx_p4 (4, -4 * s, 0, 4 * c) };
  JxP4 jets[3];
  int assign[3];
  size_t nj;
  /* C/A at R just above θ = asin 0.1: after (0,1) merges, the sum is ≈ 0.13 from p2,
   * so p2 stays alone and the assignment shows which pair went first. */
  JX_CHECK (jx_genkt_inclusive (p, 3, 0.0, 0.1003, jets, &nj, assign, work) == 0);
  JX_CHECK_INT (nj, 2);
  JX_CHECK (assign[0] == assign[1] && assign[2] != assign[0]);
  JxP4 r[3] = { p[2], p[0], p[1] };  /* now the tied pairs are (0,1) = old (2,0) and (1,2) */
  JX_CHECK (jx_genkt_inclusive (r, 3, 0.0, 0.1003, jets, &nj, assign, work) == 0);
  JX_CHECK (assign[0] == assign[1] && assign[2] != assign[0]);
  /* Durham, same: d01 = d02 exactly (equal energies of p1, p2). */
  JX_CHECK (jx_durham_exclusive (p, 3, 2, jets, assign, work) == 0);
  JX_CHECK (assign[0] == assign[1] && assign[2] != assign[0]);
  JX_CHECK (jx_durham_exclusive (r, 3, 2, jets, assign, work) == 0);
  JX_CHECK (assign[0] == assign[1] && assign[2] != assign[0]);
}

static void
test_subjets (JxClusterWork *work)
{
  JxP4 p[3], out[3];
  size_t k = 99;
  three (p);
  /* Both off: the particles unchanged. */
  JX_CHECK (jx_subjets (p, 3, 0, 0, out, &k, work) == 0);
  JX_CHECK_INT (k, 3);
  for (int i = 0; i < 3; i++)
    JX_CHECK (p4_equal (out[i], p[i], 0));
  /* Clustering only: (p0 + p1), p2. */
  JX_CHECK (jx_subjets (p, 3, 0.1, 0, out, &k, work) == 0);
  JX_CHECK_INT (k, 2);
  JX_CHECK (p4_equal (out[0], jx_p4_add (p[0], p[1]), 1e-15) && p4_equal (out[1], p[2], 0));
  /* Cut only, at exactly p1's energy: E ≥ E_sub keeps p1, drops p2. */
  JX_CHECK (jx_subjets (p, 3, 0, 5.0, out, &k, work) == 0);
  JX_CHECK_INT (k, 2);
  JX_CHECK (p4_equal (out[0], p[0], 0) && p4_equal (out[1], p[1], 0));
  /* Both: the 15 GeV subjet survives a 4 GeV cut, p2 (3 GeV) does not. */
  JX_CHECK (jx_subjets (p, 3, 0.1, 4.0, out, &k, work) == 0);
  JX_CHECK_INT (k, 1);
  JX_CHECK (p4_equal (out[0], jx_p4_add (p[0], p[1]), 1e-15));
  /* Nothing survives: 0 subjets, not an error. */
  JX_CHECK (jx_subjets (p, 3, 0.1, 100.0, out, &k, work) == 0);
  JX_CHECK_INT (k, 0);
  /* Energy is conserved by the clustering (no cut). */
  JxRng rng;
  jx_rng_seed (&rng, 11, 0);
  JxP4 q[150], sq[150];
  jx_test_random_jet (&rng, 150, q);
  JX_CHECK (jx_subjets (q, 150, 0.1, 0, sq, &k, work) == 0);
  JX_CHECK (k >= 1 && k < 150);
  JxP4 a = { 0, 0, 0, 0 }, b = { 0, 0, 0, 0 };
  for (int i = 0; i < 150; i++)
    a = jx_p4_add (a, q[i]);
  for (size_t i = 0; i < k; i++)
    b = jx_p4_add (b, sq[i]);
  JX_CHECK (p4_equal (a, b, 1e-12));
  /* Subjets are more than R_sub apart (C/A stops at θ ≥ R). */
  int close = 0;
  for (size_t i = 0; i < k; i++)
    for (size_t j = i + 1; j < k; j++)
      close += jx_p4_angle (sq[i], sq[j]) < 0.1 * (1 - 1e-9);
  JX_CHECK_INT (close, 0);
}

/* The same answers with a fresh scratch, a reused one that grew, and none. */
static void
test_work_reuse (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 5, 1);
  JxP4 big[300], small[12], j1[300], j2[300], j3[300];
  int a1[300], a2[300], a3[300];
  jx_test_random_jet (&rng, 300, big);
  jx_test_random_jet (&rng, 12, small);
  JxClusterWork *w = jx_cluster_work_new ();
  size_t n1, n2, n3;
  JX_CHECK (jx_genkt_inclusive (small, 12, 0, 0.2, j1, &n1, a1, w) == 0);
  JX_CHECK (jx_genkt_inclusive (big, 300, 0, 0.2, j2, &n2, a2, w) == 0);  /* grows */
  JX_CHECK (jx_genkt_inclusive (small, 12, 0, 0.2, j3, &n3, a3, w) == 0);
  JX_CHECK (n1 == n3 && memcmp (j1, j3, n1 * sizeof (JxP4)) == 0);
  JX_CHECK (memcmp (a1, a3, 12 * sizeof (int)) == 0);
  JX_CHECK (jx_genkt_inclusive (big, 300, 0, 0.2, j3, &n3, a3, NULL) == 0);
  JX_CHECK (n2 == n3 && memcmp (j2, j3, n2 * sizeof (JxP4)) == 0);
  JX_CHECK (memcmp (a2, a3, 300 * sizeof (int)) == 0);
  JX_CHECK (jx_durham_exclusive (big, 300, 2, j1, a1, w) == 0);
  JX_CHECK (jx_durham_exclusive (big, 300, 2, j3, a3, NULL) == 0);
  JX_CHECK (memcmp (j1, j3, 2 * sizeof (JxP4)) == 0 && memcmp (a1, a3, 300 * sizeof (int)) == 0);
  /* Durham jets partition the inputs and conserve momentum. */
  JxP4 s[2] = { { 0, 0, 0, 0 }, { 0, 0, 0, 0 } };
  for (int i = 0; i < 300; i++)
    {
      JX_CHECK (a1[i] == 0 || a1[i] == 1);
      s[a1[i]] = jx_p4_add (s[a1[i]], big[i]);
    }
  JX_CHECK (p4_equal (s[0], j1[0], 1e-12) && p4_equal (s[1], j1[1], 1e-12));
  jx_cluster_work_free (w);
  jx_cluster_work_free (NULL);
}

int
main (void)
{
  JxClusterWork *work = jx_cluster_work_new ();
  test_names ();
  test_metric_names ();
  test_pp (work);
  test_inclusive_ca (work);
  test_inclusive_kt_antikt (work);
  test_durham (work);
  test_ties (work);
  test_subjets (work);
  test_work_reuse ();
  jx_cluster_work_free (work);
  JX_TEST_MAIN_END ("cluster");
}
