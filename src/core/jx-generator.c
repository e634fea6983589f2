/* jx-generator.c — see jx-generator.h; the processes are PHYSICS.md §2. */
#include "jx-generator.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jx-cluster.h"
#include "jx-grow.h"
#include "jx-shower.h"

/* Events per work unit: small enough for frequent cancel checks (~5 ms), large enough that
 * the hand-over between threads costs nothing. */
#define BLOCK_EVENTS 256
#define CANCEL_EVERY 32
#define MAX_THREADS 256

void
jx_gen_config_default_level (JxGenConfig *cfg, JxLevel level)
{
  JxShowerParams sp;
  jx_shower_params_default (&sp);
  *cfg = (JxGenConfig) {
    .process = JX_PROCESS_QQ, .sqrt_s = 1000, .alpha_s = sp.alpha_s_mz, .pt_min = sp.pt_min,
    .mec = sp.mec, .f_long = 0,
    .e_window = true, .e_lo = 450, .e_hi = 550,
    .m_window = false, .m_lo = 90.7, .m_hi = 91.7,
    .rsub = 0.1, .esub = 1.0, .seed = 1, .threads = 0, .level = level,
    .max_dry_tries = JX_GEN_MAX_DRY_TRIES,
  };
  memcpy (cfg->kernel, sp.kernel, sizeof cfg->kernel);
  jx_hadron_params_default (&cfg->hadron);
}

void
jx_gen_config_default (JxGenConfig *cfg)
{
  jx_gen_config_default_level (cfg, JX_LEVEL_HADRON);
}

const char *
jx_level_name (JxLevel level)
{
  switch (level)
    {
    case JX_LEVEL_PARTON:
      return "parton";
    case JX_LEVEL_HADRON:
      return "hadron";
    default:
      return "unknown";
    }
}

int
jx_level_parse (const char *s, JxLevel *out, JxError *err)
{
  if (s != NULL && strcmp (s, "hadron") == 0)
    *out = JX_LEVEL_HADRON;
  else if (s != NULL && strcmp (s, "parton") == 0)
    *out = JX_LEVEL_PARTON;
  else
    return jx_error_set (err, JX_ERR_INVALID,
                         "--level: unknown level '%s' (use hadron for the cluster model's "
                         "hadrons or parton for the shower's partons)", s != NULL ? s : "(null)");
  return 0;
}

const char *
jx_process_name (JxProcess p)
{
  switch (p)
    {
    case JX_PROCESS_QQ:
      return "qq";
    case JX_PROCESS_ZZ:
      return "zz";
    default:
      return "unknown";
    }
}

int
jx_process_parse (const char *s, JxProcess *out, JxError *err)
{
  if (s != NULL && strcmp (s, "qq") == 0)
    *out = JX_PROCESS_QQ;
  else if (s != NULL && strcmp (s, "zz") == 0)
    *out = JX_PROCESS_ZZ;
  else
    return jx_error_set (err, JX_ERR_INVALID,
                         "--process: unknown process '%s' (use qq for e+e- → q q̄ or zz for "
                         "e+e- → ZZ → 4q)", s != NULL ? s : "(null)");
  return 0;
}

static void
shower_params (const JxGenConfig *cfg, JxShowerParams *sp)
{
  sp->alpha_s_mz = cfg->alpha_s;
  sp->pt_min = cfg->pt_min;
  sp->mec = cfg->mec;
  memcpy (sp->kernel, cfg->kernel, sizeof sp->kernel);
}

static bool
in_range (double x, double lo, double hi)
{
  return isfinite (x) && x >= lo && x <= hi;
}

static double
max_knob (const JxGenConfig *cfg)
{
  double k = 0;
  for (int i = 0; i < JX_N_KNOBS; i++)
    k = fmax (k, cfg->kernel[i]);
  return k;
}

/* Windows no jet can reach whatever the shower does: a hemisphere jet carries less than
 * the whole √s, and so does its mass and each of its subjets. (What the shower makes
 * unlikely rather than impossible is caught by the dry-run guard in merge_block.) */
static int
check_reachable (const JxGenConfig *cfg, JxError *err)
{
  if (cfg->e_window && cfg->e_lo >= cfg->sqrt_s)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--energy-window: %g–%g GeV cannot be reached at √s = %g GeV (a jet "
                         "carries less than √s); lower the window or raise --sqrt-s", cfg->e_lo,
                         cfg->e_hi, cfg->sqrt_s);
  if (cfg->m_window && cfg->m_lo >= cfg->sqrt_s)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--mass-window: %g–%g GeV cannot be reached at √s = %g GeV (a jet's "
                         "mass is below √s); lower the window or raise --sqrt-s", cfg->m_lo,
                         cfg->m_hi, cfg->sqrt_s);
  if (cfg->esub >= cfg->sqrt_s)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--esub: no subjet reaches %g GeV at √s = %g GeV, so no jet would be "
                         "kept; lower --esub (the paper's is 1 GeV)", cfg->esub, cfg->sqrt_s);
  return 0;
}

int
jx_gen_config_validate (const JxGenConfig *cfg, JxError *err)
{
  if (cfg->process != JX_PROCESS_QQ && cfg->process != JX_PROCESS_ZZ)
    return jx_error_set (err, JX_ERR_INVALID, "--process: unknown process %d (qq or zz)",
                         (int) cfg->process);
  if (!in_range (cfg->sqrt_s, 50, 1e4))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--sqrt-s: %g GeV is outside the allowed range 50 – 10000 GeV",
                         cfg->sqrt_s);
  double zz_threshold = 2 * (JX_Z_MASS + 10 * JX_Z_WIDTH);
  if (cfg->process == JX_PROCESS_ZZ && cfg->sqrt_s <= zz_threshold)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--sqrt-s: %g GeV is below the ZZ threshold of the Breit–Wigner range "
                         "(%.1f GeV); raise --sqrt-s for --process zz", cfg->sqrt_s,
                         zz_threshold);
  if (!in_range (cfg->alpha_s, 0.05, 0.20))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--alpha-s: αs(m_Z) = %g is outside the allowed range 0.05 – 0.20",
                         cfg->alpha_s);
  if (!in_range (cfg->pt_min, 0.3, 5))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--pt-min: %g GeV is outside the allowed range 0.3 – 5 GeV",
                         cfg->pt_min);
  JxShowerParams sp;
  JxShower sh;
  shower_params (cfg, &sp);
  int rc = jx_shower_init (&sh, &sp, err);
  if (rc < 0)
    return rc;
  /* Knobs 10× the standard kernels already make ~100 emissions and seconds per event; 1e6
   * made showers that never ended. */
  static const char *const knob_names[JX_N_KNOBS] = { "D_qq", "F_qq", "C_qq", "D_gg", "F_gg",
                                                      "C_gg", "F_gq", "C_gq" };
  for (int i = 0; i < JX_N_KNOBS; i++)
    if (cfg->kernel[i] > JX_GEN_MAX_KNOB)
      return jx_error_set (err, JX_ERR_INVALID,
                           "--kernel: knob %s = %g is above %g (the standard kernels are "
                           "1,1,0,1,1,0,1,0; much larger knobs make showers that do not end)",
                           knob_names[i], cfg->kernel[i], (double) JX_GEN_MAX_KNOB);
  if (!in_range (cfg->f_long, 0, 1))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--f-long: longitudinal Z fraction %g must be between 0 and 1",
                         cfg->f_long);
  if (cfg->e_window && !(isfinite (cfg->e_lo) && isfinite (cfg->e_hi) && cfg->e_lo < cfg->e_hi))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--energy-window: (%g, %g) GeV needs finite LO < HI", cfg->e_lo,
                         cfg->e_hi);
  if (cfg->m_window && !(isfinite (cfg->m_lo) && isfinite (cfg->m_hi) && cfg->m_lo < cfg->m_hi))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--mass-window: (%g, %g) GeV needs finite LO < HI", cfg->m_lo,
                         cfg->m_hi);
  if (!in_range (cfg->rsub, 0, M_PI))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--rsub: subjet radius %g must be between 0 (off) and π", cfg->rsub);
  if (!in_range (cfg->esub, 0, INFINITY))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--esub: subjet energy cut %g GeV must be ≥ 0 (0 = off)", cfg->esub);
  if (cfg->threads < 0 || cfg->threads > MAX_THREADS)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--threads: %d must be between 0 (all cores) and %d", cfg->threads,
                         MAX_THREADS);
  if (cfg->level != JX_LEVEL_PARTON && cfg->level != JX_LEVEL_HADRON)
    return jx_error_set (err, JX_ERR_INVALID, "--level: unknown level %d (hadron or parton)",
                         (int) cfg->level);
  if (cfg->level == JX_LEVEL_HADRON)
    return jx_hadron_params_validate (&cfg->hadron, err);
  return 0;
}

/* ---- one event ------------------------------------------------------------------------- */

struct JxGenWorker {
  JxGenConfig cfg;
  JxShower sh;
  JxShowerEvent ev;
  JxShowerCounts counts;   /* of the last event */
  JxHadronEvent had;       /* the last event's hadrons (hadron level) */
  JxClusterWork *cw;
  JxP4 *parts, *jet, *sub; /* [cap] event momenta, one hemisphere's constituents, its subjets */
  int *assign;             /* [cap] hemisphere of each parton */
  size_t cap;
  double rho_lo, rho_hi;   /* Breit–Wigner tangent-map range */
};

JxGenWorker *
jx_gen_worker_new (const JxGenConfig *cfg, JxError *err)
{
  if (jx_gen_config_validate (cfg, err) < 0)
    return NULL;
  JxGenWorker *w = calloc (1, sizeof *w);
  if (w == NULL)
    {
      jx_error_set (err, JX_ERR_NOMEM, "generator: out of memory");
      return NULL;
    }
  w->cfg = *cfg;
  JxShowerParams sp;
  shower_params (cfg, &sp);
  jx_shower_init (&w->sh, &sp, err);
  jx_shower_event_init (&w->ev);
  jx_hadron_event_init (&w->had);
  w->cw = jx_cluster_work_new ();
  double mz = JX_Z_MASS, gz = JX_Z_WIDTH;
  double mlo = mz - 10 * gz, mhi = mz + 10 * gz;
  w->rho_lo = atan ((mlo * mlo - mz * mz) / (mz * gz));
  w->rho_hi = atan ((mhi * mhi - mz * mz) / (mz * gz));
  if (w->cw == NULL || jx_shower_event_reserve (&w->ev, 128, err) < 0)
    {
      jx_gen_worker_free (w);
      jx_error_set (err, JX_ERR_NOMEM, "generator: out of memory");
      return NULL;
    }
  return w;
}

void
jx_gen_worker_free (JxGenWorker *w)
{
  if (w == NULL)
    return;
  jx_shower_event_free (&w->ev);
  jx_hadron_event_free (&w->had);
  jx_cluster_work_free (w->cw);
  free (w->parts);
  free (w->jet);
  free (w->sub);
  free (w->assign);
  free (w);
}

static int
worker_reserve (JxGenWorker *w, size_t n, JxError *err)
{
  if (n <= w->cap)
    return 0;
  size_t cap = jx_grow_cap (w->cap, 64, n);
  /* & (not &&): every array is grown, so a failure leaves each at least its old size */
  if (!(jx_grow_array (&w->parts, cap, sizeof *w->parts)
        & jx_grow_array (&w->jet, cap, sizeof *w->jet)
        & jx_grow_array (&w->sub, cap, sizeof *w->sub)
        & jx_grow_array (&w->assign, cap, sizeof *w->assign)))
    return jx_error_set (err, JX_ERR_NOMEM, "generator: out of memory for %zu partons", cap);
  w->cap = cap;
  return 0;
}

/* cos θ with density ∝ 1 + cos²θ (accept–reject: efficiency 2/3). */
static double
cos_1pc2 (JxRng *rng)
{
  for (;;)
    {
      double c = 2 * jx_rng_uniform (rng) - 1;
      if (2 * jx_rng_uniform (rng) < 1 + c * c)
        return c;
    }
}

/* cos θ with density ∝ sin²θ (efficiency 2/3). */
static double
cos_sin2 (JxRng *rng)
{
  for (;;)
    {
      double c = 2 * jx_rng_uniform (rng) - 1;
      if (jx_rng_uniform (rng) < 1 - c * c)
        return c;
    }
}

static void
unit_vector (double c, double phi, double out[3])
{
  double s = sqrt (fmax (0, 1 - c * c));
  out[0] = s * cos (phi);
  out[1] = s * sin (phi);
  out[2] = c;
}

/* Z → q q̄ in the Z rest frame (cos θ* from the flight direction), boosted to the lab. */
static void
decay_z (const JxGenWorker *w, JxP4 z, double m, JxRng *rng, JxP4 *q, JxP4 *qbar)
{
  double c = jx_rng_uniform (rng) < w->cfg.f_long ? cos_sin2 (rng) : cos_1pc2 (rng);
  double phi = 2 * M_PI * jx_rng_uniform (rng);
  JxFrame f;
  jx_frame_from_axis (&f, z);
  double s = sqrt (fmax (0, 1 - c * c)), d[3];
  for (int a = 0; a < 3; a++)
    d[a] = s * cos (phi) * f.ex[a] + s * sin (phi) * f.ey[a] + c * f.ez[a];
  double gamma = z.E / m, gb = jx_p4_p (z) / m, h = m / 2;
  for (int sign = 1; sign >= -1; sign -= 2)
    {
      double v[3] = { sign * h * d[0], sign * h * d[1], sign * h * d[2] };
      double par = v[0] * f.ez[0] + v[1] * f.ez[1] + v[2] * f.ez[2];
      double e = gamma * h + gb * par, dpar = gb * h + gamma * par - par;
      JxP4 out = { e, v[0] + dpar * f.ez[0], v[1] + dpar * f.ez[1], v[2] + dpar * f.ez[2] };
      *(sign > 0 ? q : qbar) = out;
    }
}

static double
breit_wigner_mass (const JxGenWorker *w, JxRng *rng)
{
  double rho = w->rho_lo + (w->rho_hi - w->rho_lo) * jx_rng_uniform (rng);
  return sqrt (JX_Z_MASS * JX_Z_MASS + JX_Z_MASS * JX_Z_WIDTH * tan (rho));
}

/* One colour singlet's shower, stopped with an error when it does not end: a normal event
 * has ~10 emissions, ~100 with the largest knobs allowed, so this many means settings that
 * never give a jet in useful time (each emission also costs more as partons accumulate). */
static int
shower_capped (JxGenWorker *w, JxShowerEvent *ev, size_t first, JxRng *rng,
               uint64_t event_index, JxError *err)
{
  uint64_t before = w->counts.emissions;
  int rc = jx_shower_system (&w->sh, ev, first, rng, JX_GEN_MAX_EMISSIONS, NULL, NULL,
                             &w->counts, err);
  if (rc == 0 && w->counts.emissions - before >= JX_GEN_MAX_EMISSIONS)
    rc = jx_error_set (err, JX_ERR_RANGE,
                       "generator: the shower of event %llu did not end after %d emissions "
                       "(--alpha-s %g, --pt-min %g, --kernel knobs up to %g): these settings "
                       "do not make jets in useful time; move them towards the defaults",
                       (unsigned long long) event_index, JX_GEN_MAX_EMISSIONS,
                       w->cfg.alpha_s, w->cfg.pt_min, max_knob (&w->cfg));
  return rc;
}

/* The event before (shower = false) or after the shower and, at hadron level, the
 * hadronisation; the random sequence of the hard process is the same either way, and that of
 * the shower the same at either level. */
static int
gen_event (JxGenWorker *w, uint64_t event_index, bool shower, const JxP4 **partons, size_t *n,
           JxError *err)
{
  JxRng rng;
  jx_rng_seed (&rng, w->cfg.seed, event_index);
  JxShowerEvent *ev = &w->ev;
  jx_shower_event_clear (ev);
  w->counts = (JxShowerCounts) { 0 };
  double rs = w->cfg.sqrt_s;
  int rc = 0;
  if (w->cfg.process == JX_PROCESS_QQ)
    {
      double dir[3], e = rs / 2;
      unit_vector (cos_1pc2 (&rng), 2 * M_PI * jx_rng_uniform (&rng), dir);
      int flavour = 1 + (int) jx_rng_below (&rng, JX_SHOWER_NF);
      JxP4 q = { e, e * dir[0], e * dir[1], e * dir[2] };
      JxP4 qb = { e, -q.px, -q.py, -q.pz };
      int iq = jx_shower_event_add_pair (ev, q, qb, flavour, 0, err);
      if (iq < 0)
        return iq;
      if (shower)
        rc = shower_capped (w, ev, (size_t) iq, &rng, event_index, err);
    }
  else
    {
      double m1 = breit_wigner_mass (w, &rng), m2 = breit_wigner_mass (w, &rng);
      double s = rs * rs, a = m1 * m1, b = m2 * m2;
      double lambda = (s - a - b) * (s - a - b) - 4 * a * b;
      double p = sqrt (fmax (lambda, 0)) / (2 * rs);
      double dir[3];
      unit_vector (2 * jx_rng_uniform (&rng) - 1, 2 * M_PI * jx_rng_uniform (&rng), dir);
      JxP4 z1 = { (s + a - b) / (2 * rs), p * dir[0], p * dir[1], p * dir[2] };
      JxP4 z2 = { (s + b - a) / (2 * rs), -z1.px, -z1.py, -z1.pz };
      JxP4 zs[2] = { z1, z2 };
      double ms[2] = { m1, m2 };
      /* Decay both before showering so the random sequence of the hard process does not
       * depend on the shower of the first Z. */
      JxP4 q[2], qb[2];
      int flavour[2];
      for (int k = 0; k < 2; k++)
        {
          decay_z (w, zs[k], ms[k], &rng, &q[k], &qb[k]);
          flavour[k] = 1 + (int) jx_rng_below (&rng, JX_SHOWER_NF);
        }
      for (int k = 0; k < 2 && rc == 0; k++)
        {
          int iq = jx_shower_event_add_pair (ev, q[k], qb[k], flavour[k], k, err);
          if (iq < 0)
            return iq;
          if (shower)
            rc = shower_capped (w, ev, (size_t) iq, &rng, event_index, err);
        }
    }
  if (rc < 0)
    return rc;
  if (shower && w->cfg.level == JX_LEVEL_HADRON)
    {
      rc = jx_hadronize (&w->cfg.hadron, ev, &rng, &w->had, err);
      if (rc == 0)
        rc = worker_reserve (w, w->had.n, err);
      if (rc < 0)
        return rc;
      for (size_t i = 0; i < w->had.n; i++)
        w->parts[i] = w->had.hadrons[i].p;
      *partons = w->parts;
      *n = w->had.n;
      return 0;
    }
  rc = worker_reserve (w, ev->n, err);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i < ev->n; i++)
    w->parts[i] = ev->partons[i].p;
  *partons = w->parts;
  *n = ev->n;
  return 0;
}

const JxShowerEvent *
jx_gen_worker_shower (const JxGenWorker *w)
{
  return &w->ev;
}

const JxHadronEvent *
jx_gen_worker_hadrons (const JxGenWorker *w)
{
  return w->cfg.level == JX_LEVEL_HADRON ? &w->had : NULL;
}

int
jx_gen_event (JxGenWorker *w, uint64_t event_index, const JxP4 **partons, size_t *n,
              JxError *err)
{
  return gen_event (w, event_index, true, partons, n, err);
}

int
jx_gen_hard_event (JxGenWorker *w, uint64_t event_index, const JxP4 **partons, size_t *n,
                   JxError *err)
{
  return gen_event (w, event_index, false, partons, n, err);
}

/* ---- blocks of events ---------------------------------------------------------------- */

typedef struct {
  uint32_t partons, particles, emissions, trials;
  uint8_t in_e, accepted;  /* hemisphere jets in the E window / passing all windows */
} EventTally;

typedef struct {
  uint64_t first_event;
  int n_events;
  EventTally tally[BLOCK_EVENTS];
  size_t n_jets, cap_jets;   /* accepted jets, in event order */
  size_t *jet_end;           /* [cap_jets] end of jet k in parts */
  JxP4 *parts;
  size_t n_parts, cap_parts;
  int rc;
  JxError err;
  bool ready;
} GenBlock;

static void
block_free (GenBlock *b)
{
  free (b->jet_end);
  free (b->parts);
}

static int
block_store_jet (GenBlock *b, const JxP4 *p, size_t n, JxError *err)
{
  if (b->n_jets == b->cap_jets)
    {
      size_t cap = b->cap_jets ? 2 * b->cap_jets : 2 * BLOCK_EVENTS;
      size_t *je = realloc (b->jet_end, cap * sizeof *je);
      if (je == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "generator: out of memory");
      b->jet_end = je;
      b->cap_jets = cap;
    }
  if (b->n_parts + n > b->cap_parts)
    {
      size_t cap = b->cap_parts ? b->cap_parts : 16 * BLOCK_EVENTS;
      while (cap < b->n_parts + n)
        cap *= 2;
      JxP4 *pp = realloc (b->parts, cap * sizeof *pp);
      if (pp == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "generator: out of memory");
      b->parts = pp;
      b->cap_parts = cap;
    }
  memcpy (b->parts + b->n_parts, p, n * sizeof *p);
  b->n_parts += n;
  b->jet_end[b->n_jets++] = b->n_parts;
  return 0;
}

/* Whether the windows' verdict on a hemisphere jet needs its subjets. Without a mass window it
 * does not when E_full is below E_hi and stays above E_lo after losing every particle softer
 * than E_sub: a dropped subjet holds only such particles, so E_full − E_soft ≤ E_J ≤ E_full.
 * The margin keeps the verdict that of the subjet sum despite a different rounding. */
static bool
needs_subjets (const JxGenConfig *cfg, const JxP4 *jet, size_t k, JxP4 full)
{
  if (cfg->m_window)
    return true;
  if (!cfg->e_window)
    return false;
  double soft = 0, margin = 1e-9 * full.E;
  if (cfg->esub > 0)
    for (size_t i = 0; i < k; i++)
      soft += jet[i].E < cfg->esub ? jet[i].E : 0;
  return !(full.E - soft > cfg->e_lo + margin && full.E < cfg->e_hi - margin);
}

/* Split one event into hemisphere jets, apply the windows (§2.4) and store the accepted ones. */
static int
event_jets (JxGenWorker *w, const JxP4 *parts, size_t n, GenBlock *b, EventTally *tally,
            JxError *err)
{
  const JxGenConfig *cfg = &w->cfg;
  JxP4 hemi[2];
  int rc = jx_durham_exclusive (parts, n, 2, hemi, w->assign, w->cw);
  if (rc < 0)
    return jx_error_set (err, rc, "generator: hemisphere clustering failed (%s)",
                         jx_status_name (rc));
  for (int h = 0; h < 2; h++)
    {
      size_t k = 0;
      JxP4 full = { 0, 0, 0, 0 };
      for (size_t i = 0; i < n; i++)
        if (w->assign[i] == h)
          {
            w->jet[k++] = parts[i];
            full = jx_p4_add (full, parts[i]);
          }
      /* E_J ≤ E_full and m_J ≤ m_full (the subjets are a subset of the partons), so these
       * jets fail without the subjet step. */
      if (cfg->e_window && !(full.E > cfg->e_lo))
        continue;
      if (cfg->m_window && !(jx_p4_mass (full) > cfg->m_lo))
        {
          tally->in_e += !cfg->e_window || full.E < cfg->e_hi;
          continue;
        }
      JxP4 pj = full;
      if (needs_subjets (cfg, w->jet, k, full))
        {
          size_t ns = 0;
          rc = jx_subjets (w->jet, k, cfg->rsub, cfg->esub, w->sub, &ns, w->cw);
          if (rc < 0)
            return jx_error_set (err, rc, "generator: subjet clustering failed (%s)",
                                 jx_status_name (rc));
          pj = (JxP4) { 0, 0, 0, 0 };
          for (size_t i = 0; i < ns; i++)
            pj = jx_p4_add (pj, w->sub[i]);
        }
      bool in_e = !cfg->e_window || (pj.E > cfg->e_lo && pj.E < cfg->e_hi);
      tally->in_e += in_e;
      if (!in_e)
        continue;
      double m = jx_p4_mass (pj);
      if (cfg->m_window && !(m > cfg->m_lo && m < cfg->m_hi))
        continue;
      tally->accepted++;
      rc = block_store_jet (b, w->jet, k, err);
      if (rc < 0)
        return rc;
    }
  return 0;
}

static void
run_block (JxGenWorker *w, uint64_t block_index, GenBlock *b, JxProgress *progress)
{
  b->first_event = block_index * BLOCK_EVENTS;
  b->n_events = 0;
  b->n_jets = 0;
  b->n_parts = 0;
  b->rc = 0;
  for (int e = 0; e < BLOCK_EVENTS; e++)
    {
      if (e % CANCEL_EVERY == 0 && jx_progress_cancelled (progress))
        {
          b->rc = jx_error_set (&b->err, JX_ERR_CANCELLED, "generation cancelled");
          return;
        }
      const JxP4 *parts;
      size_t n;
      EventTally *t = &b->tally[e];
      *t = (EventTally) { 0 };
      b->rc = jx_gen_event (w, b->first_event + (uint64_t) e, &parts, &n, &b->err);
      if (b->rc == 0)
        b->rc = event_jets (w, parts, n, b, t, &b->err);
      if (b->rc < 0)
        return;
      t->partons = (uint32_t) w->ev.n;
      t->particles = (uint32_t) n;
      t->emissions = (uint32_t) w->counts.emissions;
      t->trials = (uint32_t) w->counts.trials;
      b->n_events++;
    }
}

/* ---- merging and threads ------------------------------------------------------------- */

typedef struct {
  const JxGenConfig *cfg;
  size_t n_target;
  JxDataset *out;
  JxGenStats st;
  size_t merged_jets;
  uint64_t tried_at_last_accept;  /* st.jets_tried when the last jet was accepted */
  JxProgress *progress;
  double t_start, t_report;
} Merger;

static double
now_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void
format_window (char *buf, size_t cap, bool on, double lo, double hi)
{
  if (on)
    snprintf (buf, cap, "%g,%g GeV", lo, hi);
  else
    snprintf (buf, cap, "off");
}

/* The accept loop's guard: settings that no jet passes (a window the shower does not reach,
 * absurd kernel knobs) would otherwise generate forever. Counted in event order, so where it
 * stops does not depend on the threads. */
static int
check_dry_run (const Merger *m, JxError *err)
{
  const JxGenConfig *c = m->cfg;
  uint64_t dry = m->st.jets_tried - m->tried_at_last_accept;
  if (c->max_dry_tries == 0 || dry < c->max_dry_tries)
    return 0;
  char ew[64], mw[64];
  format_window (ew, sizeof ew, c->e_window, c->e_lo, c->e_hi);
  format_window (mw, sizeof mw, c->m_window, c->m_lo, c->m_hi);
  return jx_error_set (err, JX_ERR_RANGE,
                       "generator: no jet accepted in %llu tries in a row (%llu of %llu tried "
                       "in all accepted, %llu in the energy window), so the acceptance is "
                       "evidently zero: these settings (--process %s, --sqrt-s %g, "
                       "--energy-window %s, --mass-window %s, --esub %g) do not make such "
                       "jets; widen the windows or change the settings",
                       (unsigned long long) dry, (unsigned long long) m->st.jets_accepted,
                       (unsigned long long) m->st.jets_tried,
                       (unsigned long long) m->st.jets_in_e_window, jx_process_name (c->process),
                       c->sqrt_s, ew, mw, c->esub);
}

/* Append the block's jets in event order, stopping at exactly n_target; returns 1 when done. */
static int
merge_block (Merger *m, const GenBlock *b, JxError *err)
{
  size_t jet = 0;
  for (int e = 0; e < b->n_events && m->merged_jets < m->n_target; e++)
    {
      const EventTally *t = &b->tally[e];
      m->st.events++;
      m->st.jets_tried += 2;
      m->st.jets_in_e_window += t->in_e;
      m->st.partons += t->partons;
      m->st.particles += t->particles;
      m->st.emissions += t->emissions;
      m->st.trials += t->trials;
      for (int a = 0; a < t->accepted && m->merged_jets < m->n_target; a++, jet++)
        {
          size_t start = jet == 0 ? 0 : b->jet_end[jet - 1];
          int rc = jx_dataset_append (m->out, b->parts + start, b->jet_end[jet] - start, err);
          if (rc < 0)
            return rc;
          m->out->labels[m->out->n_jets - 1] = (int32_t) m->cfg->process;
          m->merged_jets++;
          m->st.jets_accepted++;
          m->tried_at_last_accept = m->st.jets_tried;
        }
      int rc = check_dry_run (m, err);
      if (rc < 0)
        return rc;
    }
  double t = now_seconds ();
  if (m->merged_jets >= m->n_target || t - m->t_report > 0.1)
    {
      char msg[96];
      m->t_report = t;
      snprintf (msg, sizeof msg, "generating jets: acceptance %.3g%% (%llu of %llu tried)",
                m->st.jets_tried > 0 ? 100.0 * (double) m->st.jets_accepted
                                       / (double) m->st.jets_tried : 0.0,
                (unsigned long long) m->st.jets_accepted, (unsigned long long) m->st.jets_tried);
      jx_progress_report (m->progress, (double) m->merged_jets, (double) m->n_target, msg);
    }
  return m->merged_jets >= m->n_target;
}

typedef struct {
  pthread_mutex_t mu;
  pthread_cond_t cv_ready, cv_space;
  GenBlock *slots;
  int n_slots;
  uint64_t next_block, merged_blocks;
  bool stop;
  JxProgress *progress;
} Pool;

typedef struct {
  Pool *pool;
  JxGenWorker *worker;
} ThreadArg;

static void *
thread_main (void *arg_)
{
  ThreadArg *arg = arg_;
  Pool *pool = arg->pool;
  pthread_mutex_lock (&pool->mu);
  for (;;)
    {
      while (!pool->stop && pool->next_block >= pool->merged_blocks + (uint64_t) pool->n_slots)
        pthread_cond_wait (&pool->cv_space, &pool->mu);
      if (pool->stop)
        break;
      uint64_t bi = pool->next_block++;
      GenBlock *b = &pool->slots[bi % (uint64_t) pool->n_slots];
      pthread_mutex_unlock (&pool->mu);
      run_block (arg->worker, bi, b, pool->progress);
      pthread_mutex_lock (&pool->mu);
      b->ready = true;
      pthread_cond_broadcast (&pool->cv_ready);
    }
  pthread_mutex_unlock (&pool->mu);
  return NULL;
}

/* The shortest form of v that reads back to the same double, into buf[32]. */
static void
shortest_double (char *buf, double v)
{
  for (int prec = 6; prec <= 17; prec++)
    {
      snprintf (buf, 32, "%.*g", prec, v);
      if (strtod (buf, NULL) == v)
        break;
    }
}

static int
set_attr_double (JxDataset *ds, const char *key, double v, JxError *err)
{
  char buf[32];
  shortest_double (buf, v);
  return jx_dataset_set_attr (ds, key, buf, err);
}

static int
set_source_attrs (const JxGenConfig *cfg, JxDataset *ds, JxError *err)
{
  char buf[256];
  int rc = jx_dataset_set_attr (ds, "generator", JX_GENERATOR_NAME, err);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "generator_version", JX_GENERATOR_VERSION, err);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "process", jx_process_name (cfg->process), err);
  if (rc == 0)
    rc = set_attr_double (ds, "sqrt_s", cfg->sqrt_s, err);
  if (rc == 0)
    rc = set_attr_double (ds, "alpha_s", cfg->alpha_s, err);
  if (rc == 0)
    rc = set_attr_double (ds, "pt_min", cfg->pt_min, err);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "mec", cfg->mec ? "on" : "off", err);
  if (rc == 0)
    {
      int len = 0;
      for (int k = 0; k < 8; k++)
        len += snprintf (buf + len, sizeof buf - (size_t) len, "%s%.17g", k ? "," : "",
                         cfg->kernel[k]);
      rc = jx_dataset_set_attr (ds, "kernel", buf, err);
    }
  if (rc == 0)
    rc = set_attr_double (ds, "f_long", cfg->f_long, err);
  if (rc == 0)
    {
      if (cfg->e_window)
        snprintf (buf, sizeof buf, "%.17g,%.17g", cfg->e_lo, cfg->e_hi);
      rc = jx_dataset_set_attr (ds, "energy_window", cfg->e_window ? buf : "off", err);
    }
  if (rc == 0)
    {
      if (cfg->m_window)
        snprintf (buf, sizeof buf, "%.17g,%.17g", cfg->m_lo, cfg->m_hi);
      rc = jx_dataset_set_attr (ds, "mass_window", cfg->m_window ? buf : "off", err);
    }
  if (rc == 0)
    rc = set_attr_double (ds, "rsub", cfg->rsub, err);
  if (rc == 0)
    rc = set_attr_double (ds, "esub", cfg->esub, err);
  if (rc == 0)
    {
      snprintf (buf, sizeof buf, "%llu", (unsigned long long) cfg->seed);
      rc = jx_dataset_set_attr (ds, "seed", buf, err);
    }
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "level", jx_level_name (cfg->level), err);
  if (rc == 0 && cfg->level == JX_LEVEL_HADRON)
    {
      /* As --cluster takes them; the fixed constants of docs/HADRONIZATION.md §3 in words. */
      const JxHadronParams *hp = &cfg->hadron;
      char v[7][32];
      double x[7] = { hp->cl_max, hp->cl_pow, hp->p_split, hp->gluon_mass, hp->quark_mass,
                      hp->strange_mass, hp->strange_weight };
      for (int k = 0; k < 7; k++)
        shortest_double (v[k], x[k]);
      snprintf (buf, sizeof buf, "%s,%s,%s", v[0], v[1], v[2]);
      rc = jx_dataset_set_attr (ds, "cluster", buf, err);
      if (rc == 0)
        {
          snprintf (buf, sizeof buf,
                    "cluster model: m_g %s, m_ud %s, m_s %s GeV, strange weight %s, decays %s",
                    v[3], v[4], v[5], v[6], hp->decays ? "pi0 K0_S" : "off");
          rc = jx_dataset_set_attr (ds, "hadronization", buf, err);
        }
    }
  return rc;
}

/* One thread: generate block after block and merge each at once, until the merger has its
 * jets (merge_block returns 1), a block fails or the run is cancelled. */
static int
generate_serial (Merger *m, JxGenWorker *worker, GenBlock *block, JxProgress *progress,
                 JxError *err)
{
  int rc = 0;
  for (uint64_t bi = 0; rc == 0; bi++)
    {
      run_block (worker, bi, block, progress);
      if (block->rc < 0)
        {
          if (err != NULL)
            *err = block->err;
          return block->rc;
        }
      rc = merge_block (m, block, err);
      if (rc == 1)
        return 0;
      if (rc == 0 && jx_progress_cancelled (progress))
        rc = jx_error_set (err, JX_ERR_CANCELLED, "generation cancelled");
    }
  return rc;
}

/* The main thread's side of the pool: take the blocks in their order as the workers fill
 * the slots, merge each and free its slot, until done, a failure or a cancel. */
static int
merge_in_order (Merger *m, Pool *pool, JxProgress *progress, JxError *err)
{
  int rc = 0;
  for (uint64_t bi = 0; rc == 0; bi++)
    {
      GenBlock *b = &pool->slots[bi % (uint64_t) pool->n_slots];
      pthread_mutex_lock (&pool->mu);
      while (!b->ready)
        pthread_cond_wait (&pool->cv_ready, &pool->mu);
      pthread_mutex_unlock (&pool->mu);
      if (b->rc < 0)
        {
          if (err != NULL)
            *err = b->err;
          return b->rc;
        }
      int done = merge_block (m, b, err);
      pthread_mutex_lock (&pool->mu);
      b->ready = false;
      pool->merged_blocks++;
      pthread_cond_broadcast (&pool->cv_space);
      pthread_mutex_unlock (&pool->mu);
      if (done != 0)
        return done < 0 ? done : 0;
      if (jx_progress_cancelled (progress))
        rc = jx_error_set (err, JX_ERR_CANCELLED, "generation cancelled");
    }
  return rc;
}

/* n_threads workers fill the pool's slots in parallel; the calling thread merges. */
static int
generate_threaded (Merger *m, JxGenWorker **workers, int n_threads, Pool *pool,
                   JxProgress *progress, JxError *err)
{
  int rc = 0;
  pthread_mutex_init (&pool->mu, NULL);
  pthread_cond_init (&pool->cv_ready, NULL);
  pthread_cond_init (&pool->cv_space, NULL);
  pthread_t *tids = calloc ((size_t) n_threads, sizeof *tids);
  ThreadArg *args = calloc ((size_t) n_threads, sizeof *args);
  int started = 0;
  if (tids == NULL || args == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "generator: out of memory");
  for (int t = 0; rc == 0 && t < n_threads; t++)
    {
      args[t] = (ThreadArg) { pool, workers[t] };
      if (pthread_create (&tids[t], NULL, thread_main, &args[t]) != 0)
        {
          rc = jx_error_set (err, JX_ERR_INTERNAL, "generator: cannot start thread %d", t);
          break;
        }
      started++;
    }
  if (rc == 0)
    rc = merge_in_order (m, pool, progress, err);
  pthread_mutex_lock (&pool->mu);
  pool->stop = true;
  pthread_cond_broadcast (&pool->cv_space);
  pthread_mutex_unlock (&pool->mu);
  for (int t = 0; t < started; t++)
    pthread_join (tids[t], NULL);
  free (tids);
  free (args);
  pthread_cond_destroy (&pool->cv_ready);
  pthread_cond_destroy (&pool->cv_space);
  pthread_mutex_destroy (&pool->mu);
  return rc;
}

static int
thread_count (const JxGenConfig *cfg)
{
  if (cfg->threads != 0)
    return cfg->threads;
  long nc = sysconf (_SC_NPROCESSORS_ONLN);
  return nc < 1 ? 1 : (nc > MAX_THREADS ? MAX_THREADS : (int) nc);
}

int
jx_generate (const JxGenConfig *cfg, size_t n_jets, JxDataset *out, JxGenStats *stats,
             JxProgress *progress, JxError *err)
{
  int rc = jx_gen_config_validate (cfg, err);
  if (rc == 0)
    rc = check_reachable (cfg, err);
  if (rc < 0)
    return rc;
  Merger m = { .cfg = cfg, .n_target = n_jets, .out = out, .progress = progress };
  m.t_start = m.t_report = now_seconds ();
  rc = jx_dataset_ensure_labels (out, err);
  if (rc == 0)
    rc = set_source_attrs (cfg, out, err);
  if (rc < 0)
    return rc;

  int n_threads = thread_count (cfg);
  JxGenWorker **workers = calloc ((size_t) n_threads, sizeof *workers);
  Pool pool = { .n_slots = 2 * n_threads + 1, .progress = progress };
  pool.slots = calloc ((size_t) pool.n_slots, sizeof *pool.slots);
  if (workers == NULL || pool.slots == NULL)
    {
      free (workers);
      free (pool.slots);
      return jx_error_set (err, JX_ERR_NOMEM, "generator: out of memory");
    }
  for (int t = 0; t < n_threads && rc == 0; t++)
    if ((workers[t] = jx_gen_worker_new (cfg, err)) == NULL)
      rc = err != NULL && err->code < 0 ? err->code : JX_ERR_NOMEM;

  if (rc == 0 && n_jets > 0 && n_threads == 1)
    rc = generate_serial (&m, workers[0], &pool.slots[0], progress, err);
  else if (rc == 0 && n_jets > 0)
    rc = generate_threaded (&m, workers, n_threads, &pool, progress, err);

  for (int t = 0; t < n_threads; t++)
    jx_gen_worker_free (workers[t]);
  free (workers);
  for (int s = 0; s < pool.n_slots; s++)
    block_free (&pool.slots[s]);
  free (pool.slots);
  m.st.seconds = now_seconds () - m.t_start;
  if (stats != NULL)
    *stats = m.st;
  return rc;
}
