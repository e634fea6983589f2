/* Unit tests for jx-shower (docs/PHYSICS.md §7 items 1–4): the CS map and its inverse, transverse
 * vectors, conservation and masslessness, colour invariants after every emission, the
 * matrix-element correction, and the first-emission Sudakov against the quadrature table. */
#include <string.h>

#include "jx-rng.h"
#include "jx-shower.h"
#include "jx-test.h"

static JxP4
random_massless (JxRng *rng, double emax)
{
  double e = emax * (0.01 + jx_rng_uniform (rng));
  double c = 2 * jx_rng_uniform (rng) - 1, s = sqrt (1 - c * c);
  double phi = 2 * M_PI * jx_rng_uniform (rng);
  return jx_p4 (e, e * s * cos (phi), e * s * sin (phi), e * c);
}

static void
test_alpha_s (void)
{
  JxShowerParams par;
  JxShower sh;
  JxError err;
  jx_shower_params_default (&par);
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), 0);
  /* docs/PHYSICS.md §1.5 table (a hand derivation, §9.1). */
  JX_CHECK_CLOSE (sqrt (sh.lambda2), 0.2251, 0, 1e-4);
  JX_CHECK_CLOSE (jx_shower_alpha_s (&sh, 1), 0.550, 0, 1e-3);
  JX_CHECK_CLOSE (jx_shower_alpha_s (&sh, 0.25), 1.03, 0, 1e-2);
  JX_CHECK_CLOSE (jx_shower_alpha_s (&sh, 100), 0.216, 0, 1e-3);
  JX_CHECK_CLOSE (jx_shower_alpha_s (&sh, JX_SHOWER_MZ * JX_SHOWER_MZ), 0.1365, 1e-12, 0);
  par.alpha_s_mz = 0.11;
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), 0);
  JX_CHECK_CLOSE (sqrt (sh.lambda2), 0.0530, 0, 1e-4);
  JX_CHECK_CLOSE (jx_shower_alpha_s (&sh, 1), 0.279, 0, 1e-3);
  JX_CHECK_CLOSE (jx_shower_alpha_s (&sh, 0.25), 0.365, 0, 1e-3);
  JX_CHECK_CLOSE (jx_shower_alpha_s (&sh, 100), 0.156, 0, 1e-3);

  /* Refusals name the option to change. */
  jx_shower_params_default (&par);
  par.alpha_s_mz = 0.2;
  par.pt_min = 0.3;  /* Λ = 1.5 GeV */
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "--pt-min") != NULL);
  par.alpha_s_mz = 0.1365;
  par.pt_min = 0.24;  /* just above Λ: αs(t_c) ≈ 13 */
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "--alpha-s") != NULL);
  par.pt_min = 1;
  par.kernel[JX_KNOB_C_QQ] = 1;
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "--mec") != NULL);
  par.mec = false;
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), 0);
  par.kernel[JX_KNOB_F_GG] = -1;
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "--kernel") != NULL);
}

static void
test_kinematics (void)
{
  JxRng rng;
  jx_rng_seed (&rng, 11, 0);
  double worst_inv = 0, worst_sum = 0, worst_m = 0, worst_e = 0, worst_kt = 0;
  for (int n = 0; n < 20000; n++)
    {
      JxP4 P = random_massless (&rng, 500), K = random_massless (&rng, 500);
      double emax = fmax (P.E, K.E);
      JxP4 e1, e2;
      jx_shower_transverse (P, K, &e1, &e2);
      double ortho[] = { jx_p4_dot (e1, P) / emax, jx_p4_dot (e1, K) / emax,
                         jx_p4_dot (e2, P) / emax, jx_p4_dot (e2, K) / emax,
                         jx_p4_dot (e1, e2), jx_p4_m2 (e1) + 1, jx_p4_m2 (e2) + 1 };
      for (size_t a = 0; a < sizeof ortho / sizeof ortho[0]; a++)
        worst_e = fmax (worst_e, fabs (ortho[a]));

      double z = jx_rng_uniform (&rng), y = jx_rng_uniform (&rng);
      double phi = 2 * M_PI * jx_rng_uniform (&rng);
      JxP4 pi, pj, pk;
      jx_shower_map (P, K, z, y, phi, &pi, &pj, &pk);
      JxP4 d = jx_p4_sub (jx_p4_add (jx_p4_add (pi, pj), pk), jx_p4_add (P, K));
      worst_sum = fmax (worst_sum, (fabs (d.E) + fabs (d.px) + fabs (d.py) + fabs (d.pz)) / emax);
      JxP4 out[3] = { pi, pj, pk };
      for (int a = 0; a < 3; a++)
        if (out[a].E > 1e-6 * emax)
          worst_m = fmax (worst_m, fabs (jx_p4_m2 (out[a])) / (out[a].E * emax));
      double ij = jx_p4_dot (pi, pj), ik = jx_p4_dot (pi, pk), jk = jx_p4_dot (pj, pk);
      double y_back = ij / (ij + ik + jk), z_back = ik / (ik + jk);
      worst_inv = fmax (worst_inv, fmax (fabs (y_back - y), fabs (z_back - z)));
      /* The transverse momentum squared is the evolution variable. */
      double q2 = 2 * jx_p4_dot (P, K), t = z * (1 - z) * y * q2;
      JxP4 kperp = jx_p4_sub (jx_p4_sub (pi, jx_p4_scale (P, z)), jx_p4_scale (K, (1 - z) * y));
      worst_kt = fmax (worst_kt, fabs (-jx_p4_m2 (kperp) - t) / (1e-7 * t + 1e-9 * q2));
    }
  JX_CHECK_MSG (worst_e < 1e-9, "transverse vectors off by %g", worst_e);
  JX_CHECK_MSG (worst_sum < 1e-12, "momentum sum off by %g", worst_sum);
  JX_CHECK_MSG (worst_m < 1e-10, "p²/(E·E_max) up to %g", worst_m);
  JX_CHECK_MSG (worst_inv < 1e-9, "inverse map off by %g", worst_inv);
  JX_CHECK_MSG (worst_kt <= 1, "−k⊥² ≠ z(1−z)yQ²: %g × tolerance", worst_kt);
}

/* Colour invariants of the whole record: partners point back, kinds fit, no link crosses a
 * system. Counted into a failure tally so the hook stays cheap. */
typedef struct {
  long emissions, bad, g_to_qq, first_seen;
  double t_first;
  int max_emissions;
} ColourCheck;

static bool
colour_ok (const JxShowerEvent *ev)
{
  for (size_t i = 0; i < ev->n; i++)
    {
      const JxParton *p = &ev->partons[i];
      bool want_col = p->kind != JX_PARTON_ANTIQUARK, want_acol = p->kind != JX_PARTON_QUARK;
      if ((p->col >= 0) != want_col || (p->acol >= 0) != want_acol)
        return false;
      if (p->col >= 0 && (p->col >= (int) ev->n || ev->partons[p->col].acol != (int) i
                          || ev->partons[p->col].system != p->system))
        return false;
      if (p->acol >= 0 && (p->acol >= (int) ev->n || ev->partons[p->acol].col != (int) i))
        return false;
    }
  return true;
}

static void
colour_hook (void *user, const JxShowerEvent *ev, const JxShowerEmission *em)
{
  ColourCheck *cc = user;
  cc->emissions++;
  cc->g_to_qq += em->channel == JX_CHANNEL_G_QQ;
  if (!colour_ok (ev))
    cc->bad++;
  /* The emitted parton is fresh and the map's variables are in range. */
  if (em->emitted != (int) ev->n - 1 || !(em->z > 0 && em->z < 1 && em->y > 0 && em->y < 1))
    cc->bad++;
  if (fabs (em->t - em->z * (1 - em->z) * em->y * em->q2) > 1e-9 * em->t)
    cc->bad++;
}

/* Walk every chain from a quark along c(): returns the number of chains, or −1 if a chain
 * does not end on an antiquark or a parton is visited twice or never. */
static int
count_chains (const JxShowerEvent *ev)
{
  int chains = 0;
  size_t visited = 0;
  for (size_t i = 0; i < ev->n; i++)
    {
      if (ev->partons[i].kind != JX_PARTON_QUARK)
        continue;
      chains++;
      int cur = (int) i;
      for (size_t steps = 0;; steps++)
        {
          if (steps > ev->n)
            return -1;
          visited++;
          const JxParton *p = &ev->partons[cur];
          if (p->kind == JX_PARTON_ANTIQUARK)
            break;
          cur = p->col;
          if (cur < 0)
            return -1;
        }
    }
  return visited == ev->n ? chains : -1;
}

static void
run_showers (const JxShowerParams *par, int n_events, bool two_systems)
{
  JxShower sh;
  JxError err;
  JX_CHECK_INT (jx_shower_init (&sh, par, &err), 0);
  JxShowerEvent ev;
  jx_shower_event_init (&ev);
  ColourCheck cc = { 0 };
  long bad_sum = 0, bad_mass = 0, total_partons = 0;
  double worst_m = 0, worst_sum = 0;
  JxShowerCounts counts = { 0 };
  for (int n = 0; n < n_events; n++)
    {
      JxRng rng;
      jx_rng_seed (&rng, 5, (uint64_t) n);
      jx_shower_event_clear (&ev);
      /* Two back-to-back systems along different axes, or one 1 TeV q q̄. */
      int n_sys = two_systems ? 2 : 1;
      JxP4 total = { 0, 0, 0, 0 };
      for (int s = 0; s < n_sys; s++)
        {
          double e = two_systems ? 45.6 + 200 * s : 500;
          JxP4 q = random_massless (&rng, 1);
          q = jx_p4_scale (q, e / q.E);
          JxP4 qb = { q.E, -q.px, -q.py, -q.pz };
          int iq = jx_shower_event_add_pair (&ev, q, qb, 1 + s, s, &err);
          JX_CHECK (iq >= 0);
          total = jx_p4_add (total, jx_p4_add (q, qb));
          JX_CHECK_INT (jx_shower_system (&sh, &ev, (size_t) iq, &rng, 0, colour_hook, &cc,
                                          &counts, &err), 0);
        }
      JxP4 sum = { 0, 0, 0, 0 };
      for (size_t i = 0; i < ev.n; i++)
        {
          JxP4 p = ev.partons[i].p;
          sum = jx_p4_add (sum, p);
          double m = fabs (jx_p4_m2 (p)) / (p.E * p.E);
          worst_m = fmax (worst_m, m);
          bad_mass += !(p.E > 0) || m > 1e-7;
        }
      JxP4 d = jx_p4_sub (sum, total);
      double dev = fmax (fmax (fabs (d.E), fabs (d.px)), fmax (fabs (d.py), fabs (d.pz)));
      worst_sum = fmax (worst_sum, dev);
      bad_sum += dev > 1e-10;
      total_partons += (long) ev.n;
    }
  JX_CHECK_MSG (cc.bad == 0, "%ld of %ld emissions broke colour or kinematics", cc.bad,
                cc.emissions);
  JX_CHECK_MSG (bad_sum == 0, "%ld events violate Σp to 1e-10 GeV (worst %g)", bad_sum,
                worst_sum);
  JX_CHECK_MSG (bad_mass == 0, "%ld events with |p²|/E² > 1e-7 (worst %g)", bad_mass, worst_m);
  JX_CHECK_INT (counts.emissions, cc.emissions);
  JX_CHECK_INT (total_partons, 2L * (two_systems ? 2 : 1) * n_events + cc.emissions);
  JX_CHECK (counts.trials >= counts.emissions);
  jx_shower_event_free (&ev);
}

/* Chain count per event needs the per-event g → q q̄ count: a separate loop keeps it simple. */
static void
test_chains (const JxShowerParams *par, int n_events)
{
  JxShower sh;
  JxError err;
  JX_CHECK_INT (jx_shower_init (&sh, par, &err), 0);
  JxShowerEvent ev;
  jx_shower_event_init (&ev);
  long bad = 0, splittings = 0;
  for (int n = 0; n < n_events; n++)
    {
      JxRng rng;
      jx_rng_seed (&rng, 6, (uint64_t) n);
      jx_shower_event_clear (&ev);
      JxShowerCounts counts = { 0 };
      for (int s = 0; s < 2; s++)
        {
          JxP4 q = jx_p4 (250, 0, s ? 250 : 0, s ? 0 : 250);
          JxP4 qb = { q.E, -q.px, -q.py, -q.pz };
          int iq = jx_shower_event_add_pair (&ev, q, qb, 2, s, &err);
          JX_CHECK_INT (jx_shower_system (&sh, &ev, (size_t) iq, &rng, 0, NULL, NULL, &counts,
                                          &err), 0);
        }
      splittings += (long) counts.g_to_qq;
      bad += count_chains (&ev) != (int) (2 + counts.g_to_qq);
    }
  JX_CHECK_MSG (bad == 0, "%ld events with a wrong chain count", bad);
  JX_CHECK_MSG (splittings > 0, "no g → q q̄ splitting in %d events", n_events);
  jx_shower_event_free (&ev);
}

static double
cs_v (double z, double y)
{
  return 2 / (1 - z * (1 - y)) - (1 + z);
}

static void
test_mec (void)
{
  /* Independent route: build the 3 partons, read x_i and the two dipoles' (z, y) off the
   * momenta, and compare ME/(D1 + D2) with the shower's closed form. */
  JxP4 P = jx_p4 (500, 0, 0, 500), K = jx_p4 (500, 0, 0, -500);
  double lo = 2, hi = 0, worst = 0, worst_sym = 0;
  for (int a = 1; a < 200; a++)
    for (int b = 1; b < 200; b++)
      {
        double z = a / 200.0, y = b / 200.0;
        JxP4 pi, pj, pk;
        jx_shower_map (P, K, z, y, 0.3, &pi, &pj, &pk);
        double xi = 2 * pi.E / 1000, xk = 2 * pk.E / 1000;
        double me = (xi * xi + xk * xk) / ((1 - xi) * (1 - xk));
        double ij = jx_p4_dot (pi, pj), ik = jx_p4_dot (pi, pk), jk = jx_p4_dot (pj, pk);
        double y1 = ij / (ij + ik + jk), z1 = ik / (ik + jk);
        double y2 = jk / (ij + ik + jk), z2 = ik / (ik + ij);
        double want = me / (cs_v (z1, y1) / y1 + cs_v (z2, y2) / y2);
        double r = jx_shower_mec_ratio (z, y);
        worst = fmax (worst, fabs (r - want));
        worst_sym = fmax (worst_sym, fabs (r - jx_shower_mec_ratio (z2, y2)));
        lo = fmin (lo, r);
        hi = fmax (hi, r);
      }
  JX_CHECK_MSG (worst < 1e-9, "R_ME off the momentum-space value by %g", worst);
  JX_CHECK_MSG (worst_sym < 1e-9, "R_ME not symmetric under emitter ↔ spectator: %g", worst_sym);
  JX_CHECK_MSG (lo >= 0.5 - 1e-12 && hi <= 1 + 1e-12, "R_ME range [%g, %g]", lo, hi);
  JX_CHECK_MSG (lo < 0.52 && hi > 0.99, "R_ME range [%g, %g] should span ~[0.5, 1]", lo, hi);
  /* Soft and collinear limits → 1; the symmetric point x_i = x_k = ½ → ½ (z = 0, y = ½). */
  JX_CHECK_CLOSE (jx_shower_mec_ratio (0.5, 1e-7), 1, 0, 1e-5);
  JX_CHECK_CLOSE (jx_shower_mec_ratio (1 - 1e-7, 0.3), 1, 0, 1e-5);
  JX_CHECK_CLOSE (jx_shower_mec_ratio (1e-9, 0.5), 0.5, 0, 1e-6);
}

typedef struct {
  double t_first, x_q, x_qbar;
} FirstEmission;

static void
first_hook (void *user, const JxShowerEvent *ev, const JxShowerEmission *em)
{
  FirstEmission *fe = user;
  if (em->first)
    {
      JxP4 total = jx_p4_add (jx_p4_add (ev->partons[0].p, ev->partons[1].p), ev->partons[2].p);
      fe->t_first = em->t;
      fe->x_q = 2 * ev->partons[0].p.E / total.E;
      fe->x_qbar = 2 * ev->partons[1].p.E / total.E;
    }
}

/* First emission of a back-to-back q q̄ at Q = 1000 GeV, n_events events from stream seed. */
static void
first_emissions (bool mec, uint64_t seed, int n_events, void (*fn) (void *, const FirstEmission *),
                 void *user)
{
  JxShowerParams par;
  JxShower sh;
  JxError err;
  jx_shower_params_default (&par);
  par.mec = mec;
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), 0);
  JxShowerEvent ev;
  jx_shower_event_init (&ev);
  for (int n = 0; n < n_events; n++)
    {
      JxRng rng;
      jx_rng_seed (&rng, seed, (uint64_t) n);
      jx_shower_event_clear (&ev);
      int iq = jx_shower_event_add_pair (&ev, jx_p4 (500, 0, 0, 500), jx_p4 (500, 0, 0, -500),
                                         1, 0, &err);
      FirstEmission fe = { 0 };
      jx_shower_system (&sh, &ev, (size_t) iq, &rng, 1, first_hook, &fe, NULL, &err);
      fn (user, &fe);
    }
  jx_shower_event_free (&ev);
}

/* The radiator R(t) = 2 ∫_t^{Q²/4} (dt′/t′) αs(t′)/(2π) ∫_{z−}^{z+} dz C_F V(z,y)(1−y) [R_ME],
 * by Simpson's rule in ln t′ and in u = −ln(1−z) (which flattens the soft 1/(1−z)). */
static double
radiator (const JxShower *sh, double q2, double t, bool mec)
{
  const int nt = 400, nz = 2400;
  double a = log (t), b = log (q2 / 4), h = (b - a) / nt, sum = 0;
  for (int i = 0; i <= nt; i++)
    {
      double tt = exp (a + i * h), disc = sqrt (fmax (0, 1 - 4 * tt / q2));
      double ua = -log (1 - 0.5 * (1 - disc)), ub = -log (1 - 0.5 * (1 + disc));
      double hu = (ub - ua) / nz, inner = 0;
      for (int k = 0; k <= nz; k++)
        {
          double z = 1 - exp (-(ua + k * hu)), y = tt / (z * (1 - z) * q2);
          if (!(y < 1 && z > 0))
            continue;
          double f = (1 - z) * cs_v (z, y) * (1 - y);
          double r = mec ? jx_shower_mec_ratio (z, y) : 1;
          inner += (k == 0 || k == nz ? 1 : (k % 2 ? 4 : 2)) * f * (isfinite (r) ? r : 1);
        }
      inner *= hu / 3;
      sum += (i == 0 || i == nt ? 1 : (i % 2 ? 4 : 2)) * inner * jx_shower_alpha_s (sh, tt)
             / (2 * M_PI) * JX_SHOWER_CF;
    }
  return 2 * sum * h / 3;
}

enum { NT = 6 };
static const double t_values[NT] = { 4, 25, 100, 1e3, 1e4, 5e4 };

typedef struct {
  long below[NT];
} Cdf;

static void
cdf_add (void *user, const FirstEmission *fe)
{
  Cdf *c = user;
  for (int k = 0; k < NT; k++)
    c->below[k] += fe->t_first < t_values[k];
}

static void
test_sudakov (void)
{
  /* docs/PHYSICS.md §6.1 (quadrature, §9.1): P(t₁ < t) = exp(−R(t)) for Q = 1000 GeV, αs = 0.1365, MEC off. */
  static const double table[NT] = { 0.0035, 0.0410, 0.1335, 0.4467, 0.8155, 0.9673 };
  const int n_events = 200000;
  JxShowerParams par;
  JxShower sh;
  JxError err;
  jx_shower_params_default (&par);
  JX_CHECK_INT (jx_shower_init (&sh, &par, &err), 0);
  for (int mec = 0; mec < 2; mec++)
    {
      Cdf cdf = { { 0 } };
      first_emissions (mec, 1 + (uint64_t) mec, n_events, cdf_add, &cdf);
      for (int k = 0; k < NT; k++)
        {
          double q = exp (-radiator (&sh, 1e6, t_values[k], mec));
          if (!mec)  /* our quadrature against the table (rounded to 4 digits) */
            JX_CHECK_CLOSE (q, table[k], 0, 1.5e-4);
          double p = (double) cdf.below[k] / n_events, sigma = sqrt (q * (1 - q) / n_events);
          JX_CHECK_MSG (fabs (p - q) < 4 * sigma + 1e-4,
                        "MEC %s: P(t1 < %g) = %.5f, quadrature %.5f ± %.5f",
                        mec ? "on" : "off", t_values[k], p, q, sigma);
        }
    }
}

/* §7.4: in the hard region (t₁ > 5×10⁴ GeV², no-emission probability ≥ 0.967 either way) the
 * MEC-on first-emission density equals the MEC-off density reweighted by R_ME(x_q, x_q̄). */
enum { NX = 3 };
typedef struct {
  double h[NX];
  bool weight;
} HardHist;

static void
hard_add (void *user, const FirstEmission *fe)
{
  HardHist *hh = user;
  if (fe->t_first < 5e4)
    return;
  double x3 = 2 - fe->x_q - fe->x_qbar;
  int b = (int) ((x3 - 0.4) / 0.6 * NX);
  b = b < 0 ? 0 : (b >= NX ? NX - 1 : b);
  double y = 1 - fe->x_qbar, z = (fe->x_q - y) / (1 - y);
  hh->h[b] += hh->weight ? jx_shower_mec_ratio (z, y) : 1;
}

static void
test_mec_density (void)
{
  const int n_events = 150000;
  HardHist on = { { 0 }, false }, off = { { 0 }, true }, off_raw = { { 0 }, false };
  first_emissions (true, 3, n_events, hard_add, &on);
  first_emissions (false, 4, n_events, hard_add, &off);
  first_emissions (false, 4, n_events, hard_add, &off_raw);
  double tot_on = 0, tot_raw = 0;
  for (int b = 0; b < NX; b++)
    {
      /* R_ME ≤ 1, so the reweighted count's error is at most that of the raw count. */
      double ratio = on.h[b] / off.h[b];
      double err = ratio * sqrt (1 / fmax (on.h[b], 1) + 1 / fmax (off_raw.h[b], 1));
      /* 4σ plus up to 3.5 % from the different no-emission probabilities above t. */
      JX_CHECK_MSG (on.h[b] > 100 && fabs (ratio - 1) < 4 * err + 0.035,
                    "x3 bin %d: MEC on %g, off × R_ME %g (ratio %.3f ± %.3f)", b, on.h[b],
                    off.h[b], ratio, err);
      tot_on += on.h[b];
      tot_raw += off_raw.h[b];
    }
  /* And the correction does something: the hard region loses ≳ 10 %. */
  JX_CHECK_MSG (tot_on < 0.92 * tot_raw, "MEC on %g vs off %g hard first emissions", tot_on,
                tot_raw);
}

int
main (void)
{
  test_alpha_s ();
  test_kinematics ();
  test_mec ();

  JxShowerParams par;
  jx_shower_params_default (&par);
  run_showers (&par, 2000, false);
  run_showers (&par, 2000, true);
  test_chains (&par, 2000);
  /* Non-default knobs with many g → q q̄ splittings exercise the other colour update. */
  par.mec = false;
  par.kernel[JX_KNOB_F_GQ] = 4;
  par.kernel[JX_KNOB_C_GQ] = 2;
  par.kernel[JX_KNOB_C_QQ] = 1;
  par.kernel[JX_KNOB_C_GG] = 1;
  run_showers (&par, 1000, false);
  test_chains (&par, 1000);
  test_sudakov ();
  test_mec_density ();
  JX_TEST_MAIN_END ("shower");
}
