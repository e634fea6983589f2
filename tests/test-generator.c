/* Tests for jx-generator: configuration checks, per-event conservation, determinism across
 * thread counts, and the statistics of docs/PHYSICS.md §6 at 4σ of the sample sizes; each
 * statistical check is labelled PHYSICS (an independent reference: docs/PHYSICS.md §9 says
 * where each number comes from) or REGRESSION PIN (our own generator's earlier output).
 * docs/PHYSICS.md's numbers are parton level, so every configuration here asks for it
 * (jx_gen_config_default_level); the hadron level is tests/test-hadron.c.
 *
 *   test-generator          the default suite (a few seconds)
 *   test-generator --long   heavier statistics (10⁵+ jets, the quark mass-window acceptance)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-cluster.h"
#include "jx-dataset.h"
#include "jx-generator.h"
#include "jx-test.h"

/* ---- configuration ------------------------------------------------------------------- */

static void
expect_refusal (const JxGenConfig *cfg, const char *option)
{
  JxError err = { 0 };
  int rc = jx_gen_config_validate (cfg, &err);
  JX_CHECK_MSG (rc == JX_ERR_INVALID && strstr (err.message, option) != NULL,
                "expected a refusal naming %s, got %d '%s'", option, rc, err.message);
}

static void
test_config (void)
{
  JxGenConfig def, c;
  JxError err = { 0 };
  jx_gen_config_default (&def);
  JX_CHECK (def.level == JX_LEVEL_HADRON);
  jx_gen_config_default_level (&def, JX_LEVEL_PARTON);
  JX_CHECK_INT (jx_gen_config_validate (&def, &err), 0);
  JX_CHECK (def.process == JX_PROCESS_QQ && def.sqrt_s == 1000 && def.alpha_s == 0.1365);
  JX_CHECK (def.pt_min == 1 && def.mec && def.e_window && !def.m_window && def.seed == 1);
  JX_CHECK (def.kernel[0] == 1 && def.kernel[2] == 0 && def.kernel[6] == 1 && def.kernel[7] == 0);

  c = def; c.process = (JxProcess) 7; expect_refusal (&c, "--process");
  c = def; c.sqrt_s = 20; expect_refusal (&c, "--sqrt-s");
  c = def; c.sqrt_s = 2e4; expect_refusal (&c, "--sqrt-s");
  c = def; c.process = JX_PROCESS_ZZ; c.sqrt_s = 200; expect_refusal (&c, "--sqrt-s");
  c = def; c.alpha_s = 0.3; expect_refusal (&c, "--alpha-s");
  c = def; c.alpha_s = NAN; expect_refusal (&c, "--alpha-s");
  c = def; c.pt_min = 0.1; expect_refusal (&c, "--pt-min");
  c = def; c.alpha_s = 0.2; c.pt_min = 0.3; expect_refusal (&c, "--pt-min");   /* t_c ≤ Λ² */
  c = def; c.alpha_s = 0.2; c.pt_min = 1.6; expect_refusal (&c, "--alpha-s");  /* αs(t_c) > 2 */
  c = def; c.kernel[3] = -1; c.mec = false; expect_refusal (&c, "--kernel");
  c = def; c.kernel[2] = 0.5; expect_refusal (&c, "--mec");
  c = def; c.f_long = 1.5; expect_refusal (&c, "--f-long");
  c = def; c.e_lo = 600; expect_refusal (&c, "--energy-window");
  c = def; c.m_window = true; c.m_hi = 80; expect_refusal (&c, "--mass-window");
  c = def; c.rsub = -0.1; expect_refusal (&c, "--rsub");
  c = def; c.esub = -1; expect_refusal (&c, "--esub");
  c = def; c.threads = -2; expect_refusal (&c, "--threads");
  c = def; c.level = (JxLevel) 5; expect_refusal (&c, "--level");
  c = def; c.level = JX_LEVEL_HADRON; c.hadron.cl_pow = 0; expect_refusal (&c, "--cluster");
  c = def; c.hadron.cl_pow = 0; JX_CHECK_INT (jx_gen_config_validate (&c, &err), 0);
  c = def; c.kernel[2] = 0.5; c.mec = false;
  JX_CHECK_INT (jx_gen_config_validate (&c, &err), 0);

  JxDataset ds;
  jx_dataset_init (&ds);
  c = def; c.alpha_s = 0.3;
  JX_CHECK_INT (jx_generate (&c, 10, &ds, NULL, NULL, &err), JX_ERR_INVALID);
  JX_CHECK_INT (ds.n_jets, 0);
  jx_dataset_free (&ds);

  JxProcess p;
  JX_CHECK_INT (jx_process_parse ("zz", &p, &err), 0);
  JX_CHECK (p == JX_PROCESS_ZZ);
  JX_CHECK_INT (jx_process_parse ("qq", &p, &err), 0);
  JX_CHECK (p == JX_PROCESS_QQ);
  JX_CHECK_INT (jx_process_parse ("ww", &p, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "--process") != NULL);
  JX_CHECK (strcmp (jx_process_name (JX_PROCESS_ZZ), "zz") == 0);
}

/* ---- single events ------------------------------------------------------------------- */

static void
test_events (JxProcess process, double f_long, int n_events)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  jx_gen_config_default_level (&cfg, JX_LEVEL_PARTON);
  cfg.process = process;
  cfg.f_long = f_long;
  JxGenWorker *w = jx_gen_worker_new (&cfg, &err);
  JX_CHECK (w != NULL);
  if (w == NULL)
    return;
  long bad_sum = 0, bad_mass = 0;
  double worst = 0, partons = 0, partons2 = 0;
  for (int e = 0; e < n_events; e++)
    {
      const JxP4 *p;
      size_t n;
      JX_CHECK_INT (jx_gen_event (w, (uint64_t) e, &p, &n, &err), 0);
      JxP4 sum = { 0, 0, 0, 0 };
      for (size_t i = 0; i < n; i++)
        {
          sum = jx_p4_add (sum, p[i]);
          bad_mass += !(p[i].E > 0) || fabs (jx_p4_m2 (p[i])) > 1e-7 * p[i].E * p[i].E;
        }
      double dev = fmax (fmax (fabs (sum.E - cfg.sqrt_s), fabs (sum.px)),
                         fmax (fabs (sum.py), fabs (sum.pz)));
      worst = fmax (worst, dev);
      bad_sum += dev > 1e-10;
      partons += (double) n;
      partons2 += (double) n * (double) n;
    }
  JX_CHECK_MSG (bad_sum == 0, "%s: %ld events with Σp ≠ (√s, 0) beyond 1e-10 GeV (worst %g)",
                jx_process_name (process), bad_sum, worst);
  JX_CHECK_MSG (bad_mass == 0, "%s: %ld partons not massless", jx_process_name (process),
                bad_mass);
  /* Physics (numpy reference, docs/PHYSICS.md §5): 14.6 partons per qq event, 11.9 per zz
   * event, quoted to ±0.05; σ of the mean from this sample (~0.13 at 2000 events). */
  double mean = partons / n_events;
  double sigma = sqrt ((partons2 / n_events - mean * mean) / (n_events - 1));
  double ref = process == JX_PROCESS_QQ ? 14.6 : 11.9;
  printf ("%s f_L %.1f: %.3f ± %.3f partons per event (reference at f_L = 0: %.1f)\n",
          jx_process_name (process), f_long, mean, sigma, ref);
  if (f_long == 0)
    JX_CHECK_MSG (fabs (mean - ref) < 4 * sigma + 0.05, "%s: %.3f ± %.3f partons per event, "
                  "reference %.1f", jx_process_name (process), mean, sigma, ref);
  /* Same index, same event. */
  const JxP4 *p1, *p2;
  size_t n1, n2;
  jx_gen_event (w, 12345, &p1, &n1, &err);
  JxP4 first = p1[0];
  jx_gen_event (w, 1, &p2, &n2, &err);
  jx_gen_event (w, 12345, &p2, &n2, &err);
  JX_CHECK (n1 == n2 && memcmp (&first, &p2[0], sizeof first) == 0);
  jx_gen_worker_free (w);
}

/* The hard processes of docs/PHYSICS.md §2.1–2.2 before the shower, against hand
 * derivations (PHYSICS, docs/PHYSICS.md §9.1): ⟨cos²θ⟩ = 0.4 for 1 + cos²θ; the fraction of
 * the Breit–Wigner in m² inside 90.7–91.7 GeV (ratio of arctangents, 0.2508); the decay's
 * z = E_soft/E_Z = (1 − β|cos θ*|)/2, so ⟨z⟩ = (1 − β⟨|cos θ*|⟩)/2 with ⟨|cos θ*|⟩ = 9/16
 * (transverse) or 3/8 (longitudinal), β of each Z (≈ 0.224 + 0.092 f_L at m_Z). */
static double
bw_atan (double m)
{
  return atan ((m * m - JX_Z_MASS * JX_Z_MASS) / (JX_Z_MASS * JX_Z_WIDTH));
}

static void
test_hard (void)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  jx_gen_config_default_level (&cfg, JX_LEVEL_PARTON);
  JxGenWorker *w = jx_gen_worker_new (&cfg, &err);
  const JxP4 *p;
  size_t n;
  const int n_events = 20000;
  /* qq: back to back at √s/2, ⟨cos²θ⟩ = 0.4 for 1 + cos²θ (σ = 0.3/√N). */
  double c2 = 0;
  for (int e = 0; e < n_events; e++)
    {
      jx_gen_hard_event (w, (uint64_t) e, &p, &n, &err);
      JX_CHECK (n == 2);
      c2 += p[0].pz * p[0].pz / jx_p4_p2 (p[0]);
    }
  JX_CHECK_CLOSE (c2 / n_events, 0.4, 0, 4 * 0.298 / sqrt (n_events));
  JX_CHECK_CLOSE (p[0].E, 500, 1e-14, 0);
  JX_CHECK_CLOSE (p[0].px + p[1].px, 0, 0, 1e-12);
  jx_gen_worker_free (w);

  /* zz: Breit–Wigner masses in ±10 Γ, the window's share and the decay's ⟨z⟩ as derived above. */
  double lo = JX_Z_MASS - 10 * JX_Z_WIDTH, hi = JX_Z_MASS + 10 * JX_Z_WIDTH;
  double share = (bw_atan (91.7) - bw_atan (90.7)) / (bw_atan (hi) - bw_atan (lo));
  for (int pol = 0; pol < 2; pol++)
    {
      cfg.process = JX_PROCESS_ZZ;
      cfg.f_long = pol;
      w = jx_gen_worker_new (&cfg, &err);
      long in_window = 0, outside = 0;
      double zsum = 0, z2sum = 0, zlo = 0, abs_cos = pol ? 3.0 / 8.0 : 9.0 / 16.0;
      for (int e = 0; e < n_events; e++)
        {
          jx_gen_hard_event (w, (uint64_t) e, &p, &n, &err);
          JX_CHECK (n == 4);
          for (int k = 0; k < 2; k++)
            {
              JxP4 zb = jx_p4_add (p[2 * k], p[2 * k + 1]);
              double m = jx_p4_mass (zb), z = fmin (p[2 * k].E, p[2 * k + 1].E) / zb.E;
              in_window += m > 90.7 && m < 91.7;
              outside += fabs (m - JX_Z_MASS) > 10 * JX_Z_WIDTH + 1e-9;
              zsum += z;
              z2sum += z * z;
              zlo += 0.5 * (1 - jx_p4_p (zb) / zb.E * abs_cos);
            }
        }
      double nz = 2.0 * n_events, zmean = zsum / nz;
      double zerr = sqrt ((z2sum / nz - zmean * zmean) / nz);   /* ~0.0007 */
      JX_CHECK_INT (outside, 0);
      /* σ = √(p(1 − p)/N) ≈ 0.0022 for 4×10⁴ Zs */
      JX_CHECK_CLOSE ((double) in_window / nz, share, 0, 4 * sqrt (share * (1 - share) / nz));
      JX_CHECK_MSG (fabs (zmean - zlo / nz) < 4 * zerr, "f_L = %d: <z> = %.4f ± %.4f, LO %.4f",
                    pol, zmean, zerr, zlo / nz);
      jx_gen_worker_free (w);
    }
}

/* Thrust T = max_n Σ|p·n| / Σ|p|: the optimal axis is the sum of the momenta on one side of a
 * plane spanned by two of them, so trying every pair (and the signs of the pair) is exact. */
static double
thrust (const JxP4 *p, size_t n)
{
  if (n <= 2)
    return 1;
  double sum_p = 0, best = 0;
  for (size_t i = 0; i < n; i++)
    sum_p += jx_p4_p (p[i]);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      {
        double ax[3] = { p[i].py * p[j].pz - p[i].pz * p[j].py,
                         p[i].pz * p[j].px - p[i].px * p[j].pz,
                         p[i].px * p[j].py - p[i].py * p[j].px };
        double base[3] = { 0, 0, 0 };
        for (size_t k = 0; k < n; k++)
          if (k != i && k != j)
            {
              double s = p[k].px * ax[0] + p[k].py * ax[1] + p[k].pz * ax[2] >= 0 ? 1 : -1;
              base[0] += s * p[k].px;
              base[1] += s * p[k].py;
              base[2] += s * p[k].pz;
            }
        for (int si = -1; si <= 1; si += 2)
          for (int sj = -1; sj <= 1; sj += 2)
            {
              double v[3] = { base[0] + si * p[i].px + sj * p[j].px,
                              base[1] + si * p[i].py + sj * p[j].py,
                              base[2] + si * p[i].pz + sj * p[j].pz };
              best = fmax (best, sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
            }
      }
  return best / sum_p;
}

/* The hadronisation correction to ⟨1−T⟩ at √s = 91.19 GeV, event by event: the hadron level
 * continues each event's random stream after the same shower, so the worker's partons and its
 * hadrons are one event before and after. PHYSICS (docs/PHYSICS.md §6.1, from LEP analyses):
 * hadronisation adds about +0.01 at m_Z. The bound, +0.005 to +0.02, is that factor-2 band
 * (the shift is a power correction ~ 1 GeV/√s whose size depends on the model); the shift's
 * statistical error at 2000 events is ~0.0004 (docs/HADRONIZATION.md §4: +0.011). */
static void
test_hadron_thrust (int n_events)
{
  JxGenConfig cfg;
  JxError e = { 0 };
  jx_gen_config_default_level (&cfg, JX_LEVEL_HADRON);
  cfg.sqrt_s = 91.19;
  JxGenWorker *w = jx_gen_worker_new (&cfg, &e);
  JX_CHECK_MSG (w != NULL, "%s", e.message);
  if (w == NULL)
    return;
  JxP4 *partons = NULL;
  size_t cap = 0;
  double s = 0, s2 = 0, tp = 0, th = 0;
  for (int ev = 0; ev < n_events; ev++)
    {
      const JxP4 *p;
      size_t n;
      JX_CHECK (jx_gen_event (w, (uint64_t) ev, &p, &n, &e) == 0);
      const JxShowerEvent *sh = jx_gen_worker_shower (w);
      if (sh->n > cap)
        {
          cap = 2 * sh->n;
          partons = realloc (partons, cap * sizeof *partons);
        }
      for (size_t i = 0; i < sh->n; i++)
        partons[i] = sh->partons[i].p;
      double t_parton = 1 - thrust (partons, sh->n), t_hadron = 1 - thrust (p, n);
      double d = t_hadron - t_parton;
      s += d;
      s2 += d * d;
      tp += t_parton;
      th += t_hadron;
    }
  free (partons);
  jx_gen_worker_free (w);
  double mean = s / n_events, err = sqrt ((s2 / n_events - mean * mean) / n_events);
  JX_CHECK_MSG (mean > 0.005 && mean < 0.02, "hadronisation shift of <1-T> at m_Z = %.4f ± "
                "%.4f, expected +0.005..+0.02", mean, err);
  printf ("hadronisation at m_Z: <1-T> parton %.4f, hadron %.4f, shift %+.4f ± %.4f\n",
          tp / n_events, th / n_events, mean, err);
}

/* LEP sanity at √s = 91.19 GeV (docs/PHYSICS.md §6.1, §9). PHYSICS (numpy reference):
 * ⟨1−T⟩ = 0.064 without MEC; MEC lowers it. REGRESSION PIN: 0.0624 ± 0.0004 with MEC (our
 * shower; the reference's 0.060 is a documented difference, jx-generator.h). PHYSICS with the
 * documented excess of the C shower: ⟨n_partons⟩ = 5.9 (ours 6.02 ± 0.015, +2 %). The
 * published LEP hadron-level ⟨1−T⟩ ≈ 0.067 is not compared: no hadronisation here. */
static void
test_lep (int n_events)
{
  double mean[2], err[2], partons[2], partons_err[2];
  for (int mec = 0; mec < 2; mec++)
    {
      JxGenConfig cfg;
      JxError e = { 0 };
      jx_gen_config_default_level (&cfg, JX_LEVEL_PARTON);
      cfg.sqrt_s = 91.19;
      cfg.mec = mec;
      JxGenWorker *w = jx_gen_worker_new (&cfg, &e);
      double s = 0, s2 = 0, np = 0, np2 = 0;
      for (int ev = 0; ev < n_events; ev++)
        {
          const JxP4 *p;
          size_t n;
          jx_gen_event (w, (uint64_t) ev, &p, &n, &e);
          double t = 1 - thrust (p, n);
          s += t;
          s2 += t * t;
          np += (double) n;
          np2 += (double) n * (double) n;
        }
      mean[mec] = s / n_events;
      err[mec] = sqrt ((s2 / n_events - mean[mec] * mean[mec]) / n_events);
      partons[mec] = np / n_events;
      partons_err[mec] = sqrt ((np2 / n_events - partons[mec] * partons[mec]) / n_events);
      jx_gen_worker_free (w);
    }
  /* References quoted to 2–3 digits: allow their rounding (5e-4, 0.05) on top of 4σ; σ from
   * this sample (~0.0005 for ⟨1−T⟩, ~0.015 for ⟨n_partons⟩ at 2×10⁴ events). */
  JX_CHECK_MSG (fabs (mean[0] - 0.064) < 4 * err[0] + 5e-4, "MEC off <1-T> = %.4f ± %.4f",
                mean[0], err[0]);
  JX_CHECK_MSG (fabs (mean[1] - 0.0624) < 4 * hypot (err[1], 0.0004),
                "MEC on <1-T> = %.4f ± %.4f, pin 0.0624 ± 0.0004", mean[1], err[1]);
  JX_CHECK_MSG (mean[1] < mean[0], "MEC lowers <1-T>: %.4f vs %.4f", mean[1], mean[0]);
  printf ("LEP: <1-T> MEC off %.4f ± %.4f, on %.4f ± %.4f; <n_partons> %.3f ± %.3f\n",
          mean[0], err[0], mean[1], err[1], partons[1], partons_err[1]);
  JX_CHECK_MSG (fabs (partons[1] - 5.9) < 4 * partons_err[1] + 0.05 + 0.02 * 5.9,
                "<n_partons> = %.3f ± %.3f at m_Z, reference 5.9 (+2 %% documented)", partons[1],
                partons_err[1]);
  JX_CHECK_MSG (fabs (partons[1] - 6.019) < 4 * hypot (partons_err[1], 0.015),
                "<n_partons> = %.3f ± %.3f at m_Z, pin 6.019 ± 0.015", partons[1], partons_err[1]);
}

/* ---- determinism --------------------------------------------------------------------- */

static bool
same_dataset (const JxDataset *a, const JxDataset *b)
{
  if (a->n_jets != b->n_jets)
    return false;
  size_t np = a->offsets[a->n_jets];
  return memcmp (a->offsets, b->offsets, (a->n_jets + 1) * sizeof *a->offsets) == 0
         && np == b->offsets[b->n_jets]
         && memcmp (a->particles, b->particles, np * sizeof *a->particles) == 0
         && a->labels != NULL && b->labels != NULL
         && memcmp (a->labels, b->labels, a->n_jets * sizeof *a->labels) == 0;
}

static bool
same_stats (const JxGenStats *a, const JxGenStats *b)
{
  return a->events == b->events && a->jets_tried == b->jets_tried
         && a->jets_in_e_window == b->jets_in_e_window && a->jets_accepted == b->jets_accepted
         && a->partons == b->partons && a->emissions == b->emissions && a->trials == b->trials;
}

static void
test_determinism (JxProcess process, bool m_window, size_t n_jets)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  jx_gen_config_default_level (&cfg, JX_LEVEL_PARTON);
  cfg.process = process;
  cfg.m_window = m_window;
  cfg.seed = 99;
  JxDataset ds[3];
  JxGenStats st[3];
  int threads[3] = { 1, 2, 3 };
  for (int k = 0; k < 3; k++)
    {
      cfg.threads = threads[k];
      jx_dataset_init (&ds[k]);
      JX_CHECK_INT (jx_generate (&cfg, n_jets, &ds[k], &st[k], NULL, &err), 0);
      JX_CHECK_INT (ds[k].n_jets, n_jets);
      JX_CHECK_INT (st[k].jets_accepted, n_jets);
    }
  for (int k = 1; k < 3; k++)
    {
      JX_CHECK_MSG (same_dataset (&ds[0], &ds[k]), "%s: 1 and %d threads differ",
                    jx_process_name (process), threads[k]);
      JX_CHECK_MSG (same_stats (&st[0], &st[k]), "%s: stats for 1 and %d threads differ",
                    jx_process_name (process), threads[k]);
    }
  bool labels_ok = ds[0].labels != NULL;
  for (size_t i = 0; labels_ok && i < ds[0].n_jets; i++)
    labels_ok = ds[0].labels[i] == (int32_t) process;
  JX_CHECK (labels_ok);
  const char *seed = jx_dataset_get_attr (&ds[0], "seed");
  const char *proc = jx_dataset_get_attr (&ds[0], "process");
  const char *as = jx_dataset_get_attr (&ds[0], "alpha_s");
  JX_CHECK (seed != NULL && strcmp (seed, "99") == 0);
  JX_CHECK (proc != NULL && strcmp (proc, jx_process_name (process)) == 0);
  JX_CHECK (as != NULL && strtod (as, NULL) == 0.1365);
  JX_CHECK (jx_dataset_get_attr (&ds[0], "generator") != NULL);
  JX_CHECK (jx_dataset_get_attr (&ds[0], "mass_window") != NULL);

  /* The files written from both runs read back to the same jets. (Byte-identical files need
   * the writer to switch off HDF5's object timestamps, H5Pset_obj_track_times.) */
  char dir[] = "/tmp/jx-test-generator-XXXXXX";
  if (mkdtemp (dir) != NULL)
    {
      char pa[128], pb[128];
      snprintf (pa, sizeof pa, "%s/a.h5", dir);
      snprintf (pb, sizeof pb, "%s/b.h5", dir);
      JxDataset ra, rb;
      JX_CHECK_INT (jx_dataset_write (&ds[0], pa, NULL, &err), 0);
      JX_CHECK_INT (jx_dataset_write (&ds[1], pb, NULL, &err), 0);
      JX_CHECK_INT (jx_dataset_read (&ra, pa, NULL, &err), 0);
      JX_CHECK_INT (jx_dataset_read (&rb, pb, NULL, &err), 0);
      JX_CHECK (same_dataset (&ra, &ds[0]) && same_dataset (&rb, &ds[0]));
      const char *sa = jx_dataset_get_attr (&ra, "seed"), *sb = jx_dataset_get_attr (&rb, "seed");
      JX_CHECK (sa != NULL && sb != NULL && strcmp (sa, sb) == 0 && ra.n_attrs == rb.n_attrs);
      jx_dataset_free (&ra);
      jx_dataset_free (&rb);
      remove (pa);
      remove (pb);
      rmdir (dir);
    }

  /* Another seed gives other jets. */
  JxDataset other;
  jx_dataset_init (&other);
  cfg.seed = 100;
  cfg.threads = 2;
  JX_CHECK_INT (jx_generate (&cfg, n_jets, &other, NULL, NULL, &err), 0);
  JX_CHECK (!same_dataset (&ds[0], &other));
  jx_dataset_free (&other);
  for (int k = 0; k < 3; k++)
    jx_dataset_free (&ds[k]);
}

/* ---- progress and cancel ------------------------------------------------------------- */

typedef struct {
  int calls;
  double last_done, last_total;
  JxProgress *self;
  int cancel_after;
} ProgressLog;

static void
progress_cb (void *user, double done, double total, const char *message)
{
  ProgressLog *log = user;
  log->calls++;
  log->last_done = done;
  log->last_total = total;
  if (log->cancel_after > 0 && log->calls >= log->cancel_after)
    jx_progress_cancel (log->self);
}

static void
test_progress (void)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  jx_gen_config_default_level (&cfg, JX_LEVEL_PARTON);
  cfg.threads = 2;
  JxDataset ds;
  JxProgress progress;
  ProgressLog log = { 0 };
  jx_progress_init (&progress, progress_cb, &log);
  log.self = &progress;
  jx_dataset_init (&ds);
  JX_CHECK_INT (jx_generate (&cfg, 2000, &ds, NULL, &progress, &err), 0);
  JX_CHECK (log.calls >= 1 && log.last_done == 2000 && log.last_total == 2000);
  jx_dataset_free (&ds);

  /* Cancelled before the start, and from the callback in the middle of a long run. */
  jx_progress_init (&progress, progress_cb, &log);
  jx_progress_cancel (&progress);
  jx_dataset_init (&ds);
  JX_CHECK_INT (jx_generate (&cfg, 1000, &ds, NULL, &progress, &err), JX_ERR_CANCELLED);
  jx_dataset_free (&ds);
  for (int threads = 1; threads <= 2; threads++)
    {
      cfg.threads = threads;
      cfg.m_window = true;  /* ~1 jet in 200: would take a while */
      log = (ProgressLog) { .self = &progress, .cancel_after = 1 };
      jx_progress_init (&progress, progress_cb, &log);
      jx_dataset_init (&ds);
      JxGenStats st;
      JX_CHECK_INT (jx_generate (&cfg, 100000, &ds, &st, &progress, &err), JX_ERR_CANCELLED);
      JX_CHECK (st.seconds < 5);
      JX_CHECK (ds.n_jets < 100000);
      jx_dataset_free (&ds);
    }
}

/* ---- statistics ---------------------------------------------------------------------- */

/* τ_N (β = 1) with exclusive-Durham axes, 0 if n ≤ N (docs/PHYSICS.md §4), computed here rather
 * than through jx-observables so the test stays an independent check. */
static double
tau_n (const JxP4 *s, size_t n, size_t N, JxClusterWork *cw)
{
  if (n <= N)
    return 0;
  JxP4 axes[3];
  jx_durham_exclusive (s, n, N, axes, NULL, cw);
  double num = 0, den = 0;
  for (size_t i = 0; i < n; i++)
    {
      double best = INFINITY;
      for (size_t a = 0; a < N; a++)
        best = fmin (best, jx_p4_angle (s[i], axes[a]));
      num += s[i].E * best;
      den += s[i].E;
    }
  return num / den;
}

/* z of the root branching of a full C/A reclustering. */
static double
first_ca_z (const JxP4 *s, size_t n)
{
  if (n < 2)
    return 0;
  JxP4 o[512];
  size_t m = n < 512 ? n : 512;
  memcpy (o, s, m * sizeof *o);
  while (m > 2)
    {
      double best = INFINITY;
      size_t bi = 0, bj = 1;
      for (size_t i = 0; i < m; i++)
        for (size_t j = i + 1; j < m; j++)
          {
            double d = 1 - jx_p4_cos_angle (o[i], o[j]);
            if (d < best)
              {
                best = d;
                bi = i;
                bj = j;
              }
          }
      o[bi] = jx_p4_add (o[bi], o[bj]);
      o[bj] = o[m - 1];
      m--;
    }
  return fmin (o[0].E, o[1].E) / (o[0].E + o[1].E);
}

typedef struct {
  size_t jets;
  double n, n_err, m, m_err, z1, z1_err, tau21_median, tau21_median_err;
  double acc_e, acc_m;           /* E acceptance per hemisphere jet; m given E */
  uint64_t in_e, tried;
} Sample;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
sample (JxProcess process, double alpha_s, bool m_window, uint64_t seed, size_t n_jets,
        Sample *out)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  jx_gen_config_default_level (&cfg, JX_LEVEL_PARTON);
  cfg.process = process;
  cfg.alpha_s = alpha_s;
  cfg.m_window = m_window;
  cfg.seed = seed;
  cfg.threads = 2;
  JxDataset ds;
  JxGenStats st;
  jx_dataset_init (&ds);
  memset (out, 0, sizeof *out);
  JX_CHECK_INT (jx_generate (&cfg, n_jets, &ds, &st, NULL, &err), 0);
  JxClusterWork *cw = jx_cluster_work_new ();
  double *tau21 = calloc (ds.n_jets + 1, sizeof *tau21);
  JxP4 *sub = NULL;
  size_t cap = 0;
  double sn = 0, sn2 = 0, sm = 0, sm2 = 0, sz = 0, sz2 = 0;
  for (size_t i = 0; i < ds.n_jets; i++)
    {
      size_t n = jx_dataset_jet_size (&ds, i), ns = 0;
      if (n > cap)
        {
          cap = 2 * n;
          sub = realloc (sub, cap * sizeof *sub);
        }
      jx_subjets (jx_dataset_jet (&ds, i), n, cfg.rsub, cfg.esub, sub, &ns, cw);
      JxP4 pj = { 0, 0, 0, 0 };
      for (size_t k = 0; k < ns; k++)
        pj = jx_p4_add (pj, sub[k]);
      double m = jx_p4_mass (pj), z1 = first_ca_z (sub, ns);
      double t1 = tau_n (sub, ns, 1, cw), t2 = tau_n (sub, ns, 2, cw);
      tau21[i] = t1 > 0 ? t2 / t1 : 0;
      sn += (double) ns;
      sn2 += (double) ns * (double) ns;
      sm += m;
      sm2 += m * m;
      sz += z1;
      sz2 += z1 * z1;
    }
  double n = (double) ds.n_jets;
  out->jets = ds.n_jets;
  out->n = sn / n;
  out->n_err = sqrt ((sn2 / n - out->n * out->n) / (n - 1));
  out->m = sm / n;
  out->m_err = sqrt ((sm2 / n - out->m * out->m) / (n - 1));
  out->z1 = sz / n;
  out->z1_err = sqrt ((sz2 / n - out->z1 * out->z1) / (n - 1));
  qsort (tau21, ds.n_jets, sizeof *tau21, cmp_double);
  out->tau21_median = tau21[ds.n_jets / 2];
  /* σ of a median: √(p(1−p)/N) / f at p = ½, the density f from the 45–55 % quantiles. */
  out->tau21_median_err = 0.5 * (tau21[ds.n_jets * 55 / 100] - tau21[ds.n_jets * 45 / 100])
                          / (0.1 * sqrt (n));
  out->acc_e = (double) st.jets_in_e_window / (double) st.jets_tried;
  out->acc_m = (double) st.jets_accepted / (double) st.jets_in_e_window;
  out->in_e = st.jets_in_e_window;
  out->tried = st.jets_tried;
  free (tau21);
  free (sub);
  jx_cluster_work_free (cw);
  jx_dataset_free (&ds);
}

/* |ours − ref| within 4 combined standard errors plus a relative allowance `syst`. */
static void
check_mean (const char *what, double ours, double ours_err, double ref, double ref_err,
            double syst)
{
  double tol = 4 * sqrt (ours_err * ours_err + ref_err * ref_err) + syst * fabs (ref);
  JX_CHECK_MSG (fabs (ours - ref) <= tol, "%s = %.4f ± %.4f, reference %.4f ± %.4f (tol %.4f)",
                what, ours, ours_err, ref, ref_err, tol);
}

static void
check_binomial (const char *what, double p, double trials, double ref, double ref_err)
{
  double err = sqrt (ref * (1 - ref) / trials);
  check_mean (what, p, err, ref, ref_err, 0);
}

/* Two kinds of check below, labelled at each:
 *  PHYSICS: against an independent reference — the numpy reference implementation's numbers
 *    and the hand-derived or published ones of docs/PHYSICS.md (whose §9 says where each comes
 *    from) — within 4σ of the combined statistical errors. Where our C shower is known to
 *    differ from the numpy reference (docs/PHYSICS.md §9.3: +1–3 % in ⟨n⟩, ⟨m⟩ of E-window
 *    quark jets), the stated systematic allowance is that measured difference, not more.
 *  REGRESSION PIN: our own generator's output (2×10⁵ quark jets, seed 1, when the pin was
 *    taken), within 4σ: catches a change of the generator, proves nothing about physics. */
static void
test_statistics (bool long_run)
{
  size_t nq = long_run ? 200000 : 30000;

  Sample q, q11;
  sample (JX_PROCESS_QQ, 0.1365, false, 2, nq, &q);
  /* REGRESSION PIN (our generator, 2×10⁵ jets): ⟨n⟩, ⟨m⟩, E acceptance of E-window quark jets. */
  check_mean ("quark <n> (pin)", q.n, q.n_err, 5.1968, 0.0067, 0);
  check_mean ("quark <m> (pin)", q.m, q.m_err, 95.635, 0.168, 0);
  check_binomial ("quark E acceptance (pin)", q.acc_e, (double) q.tried, 0.9112, 0.0006);
  /* PHYSICS (numpy reference): the same means, with the documented excess of radiation of
   * the C shower with MEC on (measured +1.3 % in ⟨n⟩, +2.3 % in ⟨m⟩, −0.005 in acceptance). */
  check_mean ("quark <n> vs numpy reference", q.n, q.n_err, 5.13, 0.009, 0.015);
  check_mean ("quark <m> vs numpy reference", q.m, q.m_err, 93.5, 0.2, 0.025);
  check_mean ("quark E acceptance vs numpy reference", q.acc_e,
              sqrt (q.acc_e * (1 - q.acc_e) / (double) q.tried), 0.9157, 0.0006, 0.006);
  /* PHYSICS (numpy reference): the first C/A splitting; no known difference. */
  check_mean ("quark <z1>", q.z1, q.z1_err, 0.054, 0.001, 0);

  sample (JX_PROCESS_QQ, 0.11, false, 3, nq, &q11);
  /* REGRESSION PIN (our generator, 2×10⁵ jets) and PHYSICS (numpy reference, with the
   * documented +1.5 % in ⟨n⟩ and +3.0 % in ⟨m⟩) at αs = 0.11. */
  check_mean ("quark 0.11 <n> (pin)", q11.n, q11.n_err, 3.6855, 0.0049, 0);
  check_mean ("quark 0.11 <m> (pin)", q11.m, q11.m_err, 79.93, 0.165, 0);
  check_mean ("quark 0.11 <n> vs numpy reference", q11.n, q11.n_err, 3.63, 0.007, 0.02);
  check_mean ("quark 0.11 <m> vs numpy reference", q11.m, q11.m_err, 77.6, 0.2, 0.035);
  /* PHYSICS (numpy reference): multiplicity and mass fall with αs, multiplicity by more:
   * 1 − ⟨n⟩₀.₁₁/⟨n⟩ = 0.292 ± 0.002, 1 − ⟨m⟩₀.₁₁/⟨m⟩ = 0.170 ± 0.003 (errors propagated from
   * the reference's). σ of ours from this sample: ~0.003 (n), ~0.005 (m) at 3×10⁴ jets. */
  JX_CHECK_MSG (q.n - q11.n > 4 * hypot (q.n_err, q11.n_err)
                && q.m - q11.m > 4 * hypot (q.m_err, q11.m_err),
                "αs 0.1365 → 0.11: <n> %.3f → %.3f, <m> %.1f → %.1f", q.n, q11.n, q.m, q11.m);
  double rn = q11.n / q.n, rm = q11.m / q.m;
  double dn_err = rn * hypot (q11.n_err / q11.n, q.n_err / q.n);
  double dm_err = rm * hypot (q11.m_err / q11.m, q.m_err / q.m);
  check_mean ("relative drop of <n>", 1 - rn, dn_err, 1 - 3.63 / 5.13,
              (3.63 / 5.13) * hypot (0.007 / 3.63, 0.009 / 5.13), 0);
  check_mean ("relative drop of <m>", 1 - rm, dm_err, 1 - 77.6 / 93.5,
              (77.6 / 93.5) * hypot (0.2 / 77.6, 0.2 / 93.5), 0);
  JX_CHECK_MSG (1 - rn > 1 - rm + 4 * hypot (dn_err, dm_err),
                "<n> falls by more than <m>: %.3f vs %.3f", 1 - rn, 1 - rm);

  /* PHYSICS (numpy reference, docs/PHYSICS.md §6.1): Z jets in the mass window. */
  Sample z;
  size_t nz = long_run ? 20000 : 3000;
  sample (JX_PROCESS_ZZ, 0.1365, true, 4, nz, &z);
  check_binomial ("Z window acceptance", z.acc_m, (double) z.in_e, 0.2229, 0.0019);
  check_mean ("Z <n>", z.n, z.n_err, 4.17, 0.013, 0);
  check_mean ("Z <z1>", z.z1, z.z1_err, 0.179, 0.0015, 0);
  JX_CHECK_MSG (z.acc_e > 0.999, "Z E acceptance %.4f", z.acc_e);
  /* The reference's median error at its 13372 jets: ~0.002 (same estimate as ours). */
  check_mean ("Z median τ21", z.tau21_median, z.tau21_median_err, 0.153, 0.002, 0);
  /* PHYSICS (shape): an energy-balanced first splitting for Z (≈ 0.18) against a soft one for
   * quarks (≈ 0.04–0.05). */
  JX_CHECK_MSG (z.z1 > 2.5 * q.z1, "<z1> Z %.3f vs quark %.3f", z.z1, q.z1);

  /* PHYSICS (numpy reference): quark jets in the mass window; two-pronged Z jets have the
   * smaller τ21 (medians 0.153 and 0.374). The acceptance's σ at ~5×10⁴ E-window jets
   * (250 accepted) is 0.0003. */
  Sample qw;
  size_t nw = long_run ? 1500 : 250;
  sample (JX_PROCESS_QQ, 0.1365, true, 5, nw, &qw);
  JX_CHECK_MSG (z.tau21_median < qw.tau21_median - 4 * hypot (z.tau21_median_err,
                                                                qw.tau21_median_err),
                "median τ21 in the window: Z %.3f ± %.3f, quark %.3f ± %.3f", z.tau21_median,
                z.tau21_median_err, qw.tau21_median, qw.tau21_median_err);
  check_mean ("quark window <n>", qw.n, qw.n_err, 5.65, 0.04, 0);
  check_mean ("quark window <z1>", qw.z1, qw.z1_err, 0.039, 0.001, 0);
  /* (the reference's median error at its 1550 jets: ~0.009) */
  check_mean ("quark window median τ21", qw.tau21_median, qw.tau21_median_err, 0.374, 0.009, 0);
  check_binomial ("quark window acceptance", qw.acc_m, (double) qw.in_e, 0.00470, 0.00012);
  printf ("quark: n %.3f±%.3f m %.2f±%.2f z1 %.4f Eacc %.4f | 0.11: n %.3f m %.2f | "
          "Z: acc %.4f n %.3f z1 %.3f τ21 median %.3f±%.3f | quark window: acc %.5f n %.2f τ21 "
          "median %.3f±%.3f z1 %.3f\n", q.n, q.n_err, q.m, q.m_err, q.z1, q.acc_e, q11.n, q11.m,
          z.acc_m, z.n, z.z1, z.tau21_median, z.tau21_median_err, qw.acc_m, qw.n,
          qw.tau21_median, qw.tau21_median_err, qw.z1);
}

int
main (int argc, char **argv)
{
  bool long_run = argc > 1 && strcmp (argv[1], "--long") == 0;
  test_config ();
  test_hard ();
  test_events (JX_PROCESS_QQ, 0, 2000);
  test_events (JX_PROCESS_ZZ, 0, 2000);
  test_events (JX_PROCESS_ZZ, 0.5, 500);
  test_determinism (JX_PROCESS_QQ, false, 3000);
  test_determinism (JX_PROCESS_ZZ, true, 300);
  test_progress ();
  test_lep (long_run ? 100000 : 20000);
  test_hadron_thrust (long_run ? 10000 : 2000);
  test_statistics (long_run);
  JX_TEST_MAIN_END (long_run ? "generator-long" : "generator");
}
