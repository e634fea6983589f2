/* Unit tests for jx-observables: hand-computed values on constructed jets, conventions,
 * rotation invariance, and the C/A / N-subjettiness steps against naive references. */
#include <string.h>

#include "jx-cluster.h"
#include "jx-observables.h"
#include "jx-rng.h"
#include "jx-test.h"
#include "jx-tree.h"

/* A massless momentum of energy E at polar angle th from z, azimuth ph around z. */
static JxP4
massless (double E, double th, double ph)
{
  return jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
}

/* Reference angle, written independently of the library: atan2(|a×b|, a·b), since acos of
 * the cosine would be off by ~1e-8 for a subjet sitting on its axis. */
static double
ref_angle (JxP4 a, JxP4 b)
{
  double cx = a.py * b.pz - a.pz * b.py, cy = a.pz * b.px - a.px * b.pz;
  double cz = a.px * b.py - a.py * b.px;
  return atan2 (sqrt (cx * cx + cy * cy + cz * cz), a.px * b.px + a.py * b.py + a.pz * b.pz);
}

/* Σ E_i min_a θ_{i,a} / Σ E_i with the axes given. */
static double
ref_tau (const JxP4 *p, size_t n, const JxP4 *axes, size_t n_axes)
{
  double t = 0, e = 0;
  for (size_t i = 0; i < n; i++)
    {
      double best = INFINITY;
      for (size_t a = 0; a < n_axes; a++)
        best = fmin (best, ref_angle (p[i], axes[a]));
      t += p[i].E * best;
      e += p[i].E;
    }
  return t / e;
}

static JxObservables
compute (const JxP4 *p, size_t n, JxClusterWork *work)
{
  JxObservables o;
  JxError err = { 0 };
  int rc = jx_observables_compute (p, n, &o, work, &err);
  JX_CHECK_MSG (rc == 0, "compute failed: %s", err.message);
  return o;
}

static void
test_two_prong_symmetric (void)
{
  double a = 0.15, E = 100;
  JxP4 p[2] = { massless (E, a, 0), massless (E, a, M_PI) };
  JxObservables o = compute (p, 2, NULL);
  JX_CHECK_INT (o.n, 2);
  JX_CHECK_CLOSE (o.E, 2 * E, 1e-15, 0);
  JX_CHECK_CLOSE (o.mass, 2 * E * sin (a), 1e-12, 0);   /* m² = 2E²(1 − cos 2a) */
  JX_CHECK_CLOSE (o.tau1, a, 1e-12, 0);                  /* both prongs at angle a to ẑ */
  JX_CHECK_CLOSE (o.width, a, 1e-12, 0);
  JX_CHECK (o.tau2 == 0 && o.tau3 == 0);                 /* n ≤ N */
  JX_CHECK (o.tau21 == 0 && o.tau32 == 0);
  /* Ψ is a step at r = a: nothing inside 0.05, 0.1; everything inside 0.2, 0.3, 0.4. */
  double want[JX_N_PSI] = { 0, 0, 1, 1, 1 };
  for (int k = 0; k < JX_N_PSI; k++)
    JX_CHECK_CLOSE (o.psi[k], want[k], 0, 1e-15);
  JX_CHECK_CLOSE (o.z1, 0.5, 1e-15, 0);
  JX_CHECK_CLOSE (o.theta1, a, 1e-12, 0);
  JX_CHECK_CLOSE (o.delta1, a, 1e-12, 0);
}

static void
test_two_prong_asymmetric (void)
{
  /* 3 GeV at a, 1 GeV at −b on the other side with 3 sin a = sin b: the sum points along ẑ.
   * b = asin(3 sin 0.11) ≈ 0.336. */
  double a = 0.11, b = asin (3 * sin (0.11));
  JxP4 p[2] = { massless (1, b, M_PI), massless (3, a, 0) };
  JxObservables o = compute (p, 2, NULL);
  JX_CHECK_CLOSE (o.mass, sqrt (2 * 3 * 1 * (1 - cos (a + b))), 1e-12, 0);
  JX_CHECK_CLOSE (o.tau1, (3 * a + 1 * b) / 4, 1e-12, 0);
  JX_CHECK_CLOSE (o.z1, 0.25, 1e-14, 0);
  JX_CHECK_CLOSE (o.theta1, b, 1e-12, 0);  /* soft prong to the mother (= ẑ) */
  JX_CHECK_CLOSE (o.delta1, a, 1e-12, 0);  /* hard prong to the mother */
  /* Ψ: 3/4 for a < r < b, everything for r > b. */
  double want[JX_N_PSI] = { 0, 0, 0.75, 0.75, 1 };
  for (int k = 0; k < JX_N_PSI; k++)
    JX_CHECK_CLOSE (o.psi[k], want[k], 0, 1e-15);

  double z1, th1, d1;
  JxP4 soft, hard;
  JX_CHECK (jx_first_ca_splitting (p, 2, &z1, &th1, &d1, &soft, &hard) == 0);
  JX_CHECK_CLOSE (soft.E, 1, 0, 0);
  JX_CHECK_CLOSE (hard.E, 3, 0, 0);
}

static void
test_three_particles (void)
{
  /* p1, p2 (10 GeV) 0.05 apart; p3 (5 GeV) wide on the other side. Durham merges p1+p2 first
   * (2·100·(1−cos 0.05) ≈ 0.25 against ≥ 50(1−cos 0.8) ≈ 15), so the 2-jet axes are p1+p2
   * and p3, and τ2 = 10·0.025·2 / 25 = 0.02. τ3 = 0 (n = 3). */
  JxP4 p[3] = { massless (10, 0, 0), massless (10, 0.05, 0), massless (5, 0.8, M_PI) };
  JxObservables o = compute (p, 3, NULL);
  JX_CHECK_CLOSE (o.tau2, 0.02, 1e-10, 0);
  JX_CHECK (o.tau3 == 0 && o.tau32 == 0);
  /* All three lie in the xz-plane: the angle to the jet axis is |polar − polar_J|. */
  double jx = 10 * sin (0.05) - 5 * sin (0.8), jz = 10 + 10 * cos (0.05) + 5 * cos (0.8);
  double tj = atan2 (jx, jz);
  double t1 = (10 * fabs (0 - tj) + 10 * fabs (0.05 - tj) + 5 * fabs (-0.8 - tj)) / 25;
  JX_CHECK_CLOSE (o.tau1, t1, 1e-12, 0);
  JX_CHECK_CLOSE (o.width, t1, 1e-12, 0);
  JX_CHECK_CLOSE (o.tau21, 0.02 / t1, 1e-10, 0);
  JX_CHECK_CLOSE (jx_nsubjettiness (p, 3, 2, NULL), 0.02, 1e-10, 0);
  JX_CHECK_CLOSE (jx_nsubjettiness (p, 3, 1, NULL), t1, 1e-12, 0);
  JxP4 sum = jx_p4_add (jx_p4_add (p[0], p[1]), p[2]);
  JX_CHECK_CLOSE (o.mass, sqrt (sum.E * sum.E - jx * jx - jz * jz), 1e-12, 0);
  /* C/A: p1+p2 (0.05 apart) merge first; the root splits off p3. */
  JxP4 p12 = jx_p4_add (p[0], p[1]);
  JX_CHECK_CLOSE (o.z1, 5.0 / 25.0, 1e-14, 0);
  JX_CHECK_CLOSE (o.theta1, ref_angle (p[2], sum), 1e-10, 0);
  JX_CHECK_CLOSE (o.delta1, ref_angle (p12, sum), 1e-10, 0);
}

static void
test_four_particles_tau3 (void)
{
  /* p4 (1 GeV) sits 0.02 from p1: Durham to 3 jets merges it into p1. Then p14 is closer to
   * p2 (0.55) than to p3 (0.6), so the 2-jet axes are p1+p4+p2 and p3. */
  JxP4 p[4] = { massless (10, 0, 0), massless (10, 0.55, 0), massless (10, 0.6, M_PI),
                massless (1, 0.02, M_PI / 2) };
  JxP4 p14 = jx_p4_add (p[0], p[3]);
  JxP4 ax3[3] = { p14, p[1], p[2] };
  JxP4 ax2[2] = { jx_p4_add (p14, p[1]), p[2] };
  JxP4 ax1[1] = { jx_p4_add (ax2[0], ax2[1]) };
  JxObservables o = compute (p, 4, NULL);
  double t3 = ref_tau (p, 4, ax3, 3), t2 = ref_tau (p, 4, ax2, 2), t1 = ref_tau (p, 4, ax1, 1);
  /* p14 direction in the yz-plane: atan2(sin 0.02, 10 + cos 0.02); τ3 from p1 and p4 alone. */
  double tp = atan2 (sin (0.02), 10 + cos (0.02));
  JX_CHECK_CLOSE (t3, (10 * tp + 1 * (0.02 - tp)) / 31, 1e-9, 0);
  JX_CHECK_CLOSE (o.tau3, t3, 1e-10, 0);
  JX_CHECK_CLOSE (o.tau2, t2, 1e-10, 0);
  JX_CHECK_CLOSE (o.tau1, t1, 1e-10, 0);
  JX_CHECK_CLOSE (o.tau32, t3 / t2, 1e-9, 0);
  JX_CHECK_CLOSE (jx_nsubjettiness (p, 4, 3, NULL), t3, 1e-10, 0);
  JX_CHECK_CLOSE (jx_nsubjettiness (p, 4, 2, NULL), t2, 1e-10, 0);
  JX_CHECK (jx_nsubjettiness (p, 4, 4, NULL) == 0);
}

static void
test_ratio_conventions (void)
{
  JxP4 one = massless (50, 0.1, 1.0);
  JxObservables o = compute (&one, 1, NULL);
  JX_CHECK_INT (o.n, 1);
  JX_CHECK (o.tau1 == 0 && o.tau2 == 0 && o.tau3 == 0 && o.tau21 == 0 && o.tau32 == 0);
  JX_CHECK (o.z1 == 0 && o.theta1 == 0 && o.delta1 == 0);
  JX_CHECK_CLOSE (o.mass, 0, 0, 1e-6);
  for (int k = 0; k < JX_N_PSI; k++)
    JX_CHECK_CLOSE (o.psi[k], 1, 0, 1e-15);

  /* Collinear pair: τ1 = 0, so τ21 must be 0, not NaN. */
  JxP4 col[2] = { massless (3, 0.2, 0.3), massless (1, 0.2, 0.3) };
  o = compute (col, 2, NULL);
  JX_CHECK_CLOSE (o.tau1, 0, 0, 1e-12);
  JX_CHECK (o.tau21 == 0 && !isnan (o.tau21));

  /* n = 3: τ3 = 0 and τ32 = 0, while τ21 is a real ratio. */
  JxP4 three[3] = { massless (10, 0, 0), massless (5, 0.3, 0), massless (4, 0.3, 2.0) };
  o = compute (three, 3, NULL);
  JX_CHECK (o.tau3 == 0 && o.tau32 == 0);
  JX_CHECK (o.tau2 > 0 && o.tau21 > 0 && o.tau21 < 1);
}

static void
test_errors (void)
{
  JxObservables o;
  JxError err = { 0 };
  JX_CHECK_INT (jx_observables_compute (NULL, 0, &o, NULL, &err), JX_ERR_INVALID);
  JX_CHECK (err.message[0] != '\0');
  JxP4 bad[2] = { massless (1, 0.1, 0), jx_p4 (NAN, 0, 0, 1) };
  JX_CHECK_INT (jx_observables_compute (bad, 2, &o, NULL, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "subjet 1") != NULL);
  JX_CHECK_INT (jx_first_ca_splitting (bad, 2, NULL, NULL, NULL, NULL, NULL), JX_ERR_INVALID);
  bad[1] = jx_p4 (-1, 0, 0, 1);
  JX_CHECK_INT (jx_observables_compute (bad, 2, &o, NULL, &err), JX_ERR_INVALID);
}

static void
test_jet_shape (void)
{
  /* Energies 1, 2, 3, 4 at 0, 0.07, 0.12, 0.35 from the axis (various azimuths). */
  JxP4 p[4] = { massless (1, 0, 0), massless (2, 0.07, 1), massless (3, 0.12, 2),
                massless (4, 0.35, 4) };
  JxP4 axis = jx_p4 (1, 0, 0, 1);
  JX_CHECK_CLOSE (jx_jet_shape_integrated (p, 4, axis, 0.0), 0.0, 0, 0);  /* strict < */
  JX_CHECK_CLOSE (jx_jet_shape_integrated (p, 4, axis, 0.05), 0.1, 1e-15, 0);
  JX_CHECK_CLOSE (jx_jet_shape_integrated (p, 4, axis, 0.1), 0.3, 1e-15, 0);
  JX_CHECK_CLOSE (jx_jet_shape_integrated (p, 4, axis, 0.2), 0.6, 1e-15, 0);
  JX_CHECK_CLOSE (jx_jet_shape_integrated (p, 4, axis, 0.3), 0.6, 1e-15, 0);
  JX_CHECK_CLOSE (jx_jet_shape_integrated (p, 4, axis, 0.4), 1.0, 1e-15, 0);
  /* ρ(r) with Δ = 0.05 sees the 0.12 particle (energy fraction 0.3) for r in (0.095, 0.145]. */
  JX_CHECK_CLOSE (jx_jet_shape_differential (p, 4, axis, 0.125, 0.05), 0.3 / 0.05, 1e-12, 0);
  JX_CHECK_CLOSE (jx_jet_shape_differential (p, 4, axis, 0.2, 0.05), 0.0, 0, 1e-12);
  JX_CHECK_CLOSE (jx_jet_shape_differential (p, 4, axis, 0.34, 0.05), 0.4 / 0.05, 1e-12, 0);
  /* Integrating ρ over [0, 0.5] in Δ steps gives back Ψ(0.5) − Ψ(0)... = 1 here. */
  double integral = 0;
  for (int k = 0; k < 10; k++)
    integral += 0.05 * jx_jet_shape_differential (p, 4, axis, 0.025 + 0.05 * k, 0.05);
  JX_CHECK_CLOSE (integral, 1.0, 1e-12, 0);
}

/* ---- naive references for random jets -------------------------------------------------- */

/* O(n³) C/A: repeatedly merge the pair with the largest cos θ until two are left. */
static void
ref_ca_last_two (const JxP4 *in, size_t n, JxP4 *a, JxP4 *b)
{
  JxP4 q[512];
  memcpy (q, in, n * sizeof *in);
  while (n > 2)
    {
      size_t bi = 0, bj = 1;
      double best = -2;
      for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
          {
            double c = cos (ref_angle (q[i], q[j]));
            if (c > best)
              {
                best = c;
                bi = i;
                bj = j;
              }
          }
      q[bi] = jx_p4_add (q[bi], q[bj]);
      q[bj] = q[n - 1];
      n--;
    }
  *a = q[0];
  *b = q[1];
}

static size_t
random_jet (JxRng *rng, JxP4 *p, size_t nmax)
{
  size_t n = 2 + (size_t) (jx_rng_uniform (rng) * (double) (nmax - 1));
  if (n > nmax)
    n = nmax;
  for (size_t i = 0; i < n; i++)
    {
      double E = 1 + 100 * jx_rng_uniform (rng) * jx_rng_uniform (rng);
      double th = 0.6 * jx_rng_uniform (rng) * jx_rng_uniform (rng);
      double ph = 2 * M_PI * jx_rng_uniform (rng);
      p[i] = massless (E, th, ph);
      /* a little mass, as subjets have */
      p[i].E *= 1 + 0.01 * jx_rng_uniform (rng);
    }
  return n;
}

static void
rotate (const double R[3][3], const JxP4 *in, JxP4 *out, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      double v[3] = { in[i].px, in[i].py, in[i].pz }, w[3];
      for (int r = 0; r < 3; r++)
        w[r] = R[r][0] * v[0] + R[r][1] * v[1] + R[r][2] * v[2];
      out[i] = jx_p4 (in[i].E, w[0], w[1], w[2]);
    }
}

static void
random_rotation (JxRng *rng, double R[3][3])
{
  /* A uniformly random unit quaternion (Shoemake). */
  double u1 = jx_rng_uniform (rng), u2 = jx_rng_uniform (rng), u3 = jx_rng_uniform (rng);
  double a = sqrt (1 - u1) * sin (2 * M_PI * u2), b = sqrt (1 - u1) * cos (2 * M_PI * u2);
  double c = sqrt (u1) * sin (2 * M_PI * u3), d = sqrt (u1) * cos (2 * M_PI * u3);
  double w = a, x = b, y = c, z = d;
  R[0][0] = 1 - 2 * (y * y + z * z); R[0][1] = 2 * (x * y - z * w); R[0][2] = 2 * (x * z + y * w);
  R[1][0] = 2 * (x * y + z * w); R[1][1] = 1 - 2 * (x * x + z * z); R[1][2] = 2 * (y * z - x * w);
  R[2][0] = 2 * (x * z - y * w); R[2][1] = 2 * (y * z + x * w); R[2][2] = 1 - 2 * (x * x + y * y);
}

static void
test_rotation_invariance (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 20180425, 1);
  JxClusterWork *work = jx_cluster_work_new ();
  JX_CHECK (work != NULL);
  JxP4 p[40], q[40];
  for (int trial = 0; trial < 300; trial++)
    {
      size_t n = random_jet (&rng, p, 40);
      double R[3][3];
      random_rotation (&rng, R);
      rotate (R, p, q, n);
      JxObservables a = compute (p, n, work), b = compute (q, n, work);
      double ra[JX_N_OBSERVABLES], rb[JX_N_OBSERVABLES];
      jx_observables_row (&a, ra);
      jx_observables_row (&b, rb);
      for (int k = 0; k < JX_N_OBSERVABLES; k++)
        JX_CHECK_MSG (fabs (ra[k] - rb[k]) <= 1e-9 * fmax (1.0, fabs (ra[k])),
                      "trial %d n=%zu %s: %.17g vs %.17g", trial, n, jx_observable_names[k],
                      ra[k], rb[k]);
    }
  jx_cluster_work_free (work);
}

/* Random jets: the fast paths agree with the naive references, the heap path (n > 256)
 * with the stack path's logic, and z1/θ1/δ1 with the root branching of the C/A tree. */
static void
test_random_against_references (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 7, 2);
  JxClusterWork *work = jx_cluster_work_new ();
  static JxP4 p[300];
  for (int trial = 0; trial < 200; trial++)
    {
      size_t n = trial == 0 ? 300 : random_jet (&rng, p, 30);
      if (trial == 0)
        for (size_t i = 0; i < n; i++)
          p[i] = massless (1 + 10 * jx_rng_uniform (&rng), 0.5 * jx_rng_uniform (&rng),
                           2 * M_PI * jx_rng_uniform (&rng));
      JxObservables o = compute (p, n, work);

      JxP4 a, b;
      ref_ca_last_two (p, n, &a, &b);
      JxP4 hard = a.E >= b.E ? a : b, soft = a.E >= b.E ? b : a, mother = jx_p4_add (a, b);
      JX_CHECK_CLOSE (o.z1, soft.E / mother.E, 1e-12, 0);
      JX_CHECK_CLOSE (o.theta1, ref_angle (soft, mother), 1e-7, 1e-9);
      JX_CHECK_CLOSE (o.delta1, ref_angle (hard, mother), 1e-7, 1e-9);

      /* Durham axes straight from jx_durham_exclusive. */
      JxP4 ax[3];
      if (n > 2)
        {
          JX_CHECK (jx_durham_exclusive (p, n, 2, ax, NULL, work) == 0);
          JX_CHECK_CLOSE (o.tau2, ref_tau (p, n, ax, 2), 1e-9, 1e-12);
          JX_CHECK_CLOSE (o.tau2, jx_nsubjettiness (p, n, 2, work), 1e-12, 1e-15);
        }
      if (n > 3)
        {
          JX_CHECK (jx_durham_exclusive (p, n, 3, ax, NULL, work) == 0);
          JX_CHECK_CLOSE (o.tau3, ref_tau (p, n, ax, 3), 1e-9, 1e-12);
        }
      JxP4 jet = mother;  /* the sum of all subjets */
      JX_CHECK_CLOSE (o.tau1, ref_tau (p, n, &jet, 1), 1e-9, 1e-12);
      JX_CHECK_CLOSE (o.psi[2], jx_jet_shape_integrated (p, n, jet, 0.2), 1e-12, 0);

      /* The root branching of the library's C/A tree is the same splitting. */
      JxTree tree;
      JxError err = { 0 };
      if (jx_tree_build_from_particles (&tree, p, n, JX_ALGO_CA, work, &err) == 0)
        {
          JxBranching x = tree.steps[0].x;
          JX_CHECK_CLOSE (o.z1, x.z, 1e-9, 0);
          JX_CHECK_CLOSE (o.theta1, x.theta, 1e-7, 1e-9);
          JX_CHECK_CLOSE (o.delta1, x.delta, 1e-7, 1e-9);
        }
      else
        JX_CHECK_MSG (0, "tree build failed: %s", err.message);
      jx_tree_free (&tree);
    }
  jx_cluster_work_free (work);
}

static void
test_table (void)
{
  JX_CHECK_INT (JX_N_OBSERVABLES, 17);
  for (int k = 0; k < JX_N_OBSERVABLES; k++)
    {
      JX_CHECK (jx_observable_names[k] != NULL && jx_observable_descriptions[k] != NULL);
      JX_CHECK_INT (jx_observable_index (jx_observable_names[k]), k);
    }
  JX_CHECK_INT (jx_observable_index ("m"), 2);
  JX_CHECK_INT (jx_observable_index ("multiplicity"), 0);
  JX_CHECK_INT (jx_observable_index ("nope"), -1);
  JxP4 p[3] = { massless (10, 0, 0), massless (10, 0.05, 0), massless (5, 0.8, M_PI) };
  JxObservables o = compute (p, 3, NULL);
  double row[JX_N_OBSERVABLES];
  jx_observables_row (&o, row);
  JX_CHECK (row[jx_observable_index ("n")] == 3);
  JX_CHECK (row[jx_observable_index ("mass")] == o.mass);
  JX_CHECK (row[jx_observable_index ("tau21")] == o.tau21);
  JX_CHECK (row[jx_observable_index ("psi_0.3")] == o.psi[3]);
  JX_CHECK (row[jx_observable_index ("delta1")] == o.delta1);
}

int
main (void)
{
  test_two_prong_symmetric ();
  test_two_prong_asymmetric ();
  test_three_particles ();
  test_four_particles_tau3 ();
  test_ratio_conventions ();
  test_errors ();
  test_jet_shape ();
  test_rotation_invariance ();
  test_random_against_references ();
  test_table ();
  JX_TEST_MAIN_END ("observables");
}
