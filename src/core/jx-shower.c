/* jx-shower.c — see jx-shower.h; the formulas are those of PHYSICS.md §1. */
#include "jx-shower.h"

#include <math.h>
#include <stdlib.h>

static const double default_kernel[JX_N_KNOBS] = { 1, 1, 0, 1, 1, 0, 1, 0 };

void
jx_shower_event_init (JxShowerEvent *ev)
{
  ev->partons = NULL;
  ev->trial = NULL;
  ev->q2 = NULL;
  ev->n = 0;
  ev->cap = 0;
}

void
jx_shower_event_free (JxShowerEvent *ev)
{
  free (ev->partons);
  free (ev->trial);
  free (ev->q2);
  jx_shower_event_init (ev);
}

int
jx_shower_event_reserve (JxShowerEvent *ev, size_t n, JxError *err)
{
  if (n <= ev->cap)
    return 0;
  size_t cap = ev->cap < 32 ? 32 : ev->cap;
  while (cap < n)
    cap *= 2;
  JxParton *partons = realloc (ev->partons, cap * sizeof *partons);
  if (partons == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "shower: out of memory for %zu partons", cap);
  ev->partons = partons;
  double *trial = realloc (ev->trial, 2 * cap * sizeof *trial);
  if (trial == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "shower: out of memory for %zu partons", cap);
  ev->trial = trial;
  double *q2 = realloc (ev->q2, 2 * cap * sizeof *q2);
  if (q2 == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "shower: out of memory for %zu partons", cap);
  ev->q2 = q2;
  ev->cap = cap;
  return 0;
}

int
jx_shower_event_add_pair (JxShowerEvent *ev, JxP4 q, JxP4 qbar, int flavour, int system,
                          JxError *err)
{
  int rc = jx_shower_event_reserve (ev, ev->n + 2, err);
  if (rc < 0)
    return rc;
  int iq = (int) ev->n;
  ev->partons[iq] = (JxParton) { .p = q, .col = iq + 1, .acol = -1,
                                 .kind = JX_PARTON_QUARK, .flavour = (int8_t) flavour,
                                 .system = (int16_t) system };
  ev->partons[iq + 1] = (JxParton) { .p = qbar, .col = -1, .acol = iq,
                                     .kind = JX_PARTON_ANTIQUARK, .flavour = (int8_t) flavour,
                                     .system = (int16_t) system };
  ev->n += 2;
  return iq;
}

void
jx_shower_params_default (JxShowerParams *params)
{
  params->alpha_s_mz = 0.1365;
  params->pt_min = 1.0;
  params->mec = true;
  for (int i = 0; i < JX_N_KNOBS; i++)
    params->kernel[i] = default_kernel[i];
}

int
jx_shower_init (JxShower *sh, const JxShowerParams *params, JxError *err)
{
  static const char *knob_names[JX_N_KNOBS] = {
    "D_qq", "F_qq", "C_qq", "D_gg", "F_gg", "C_gg", "F_gq", "C_gq"
  };
  const double *k = params->kernel;
  bool is_default = true;
  for (int i = 0; i < JX_N_KNOBS; i++)
    {
      if (!isfinite (k[i]) || k[i] < 0)
        return jx_error_set (err, JX_ERR_INVALID,
                             "--kernel: knob %s = %g must be a finite number ≥ 0",
                             knob_names[i], k[i]);
      is_default &= k[i] == default_kernel[i];
    }
  if (params->mec && !is_default)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--mec: the matrix-element correction applies only to the default "
                         "kernels (D=F=1, C=0); pass --no-mec when changing --kernel");
  if (!isfinite (params->alpha_s_mz) || params->alpha_s_mz <= 0)
    return jx_error_set (err, JX_ERR_INVALID, "--alpha-s: αs(m_Z) = %g must be positive",
                         params->alpha_s_mz);
  if (!isfinite (params->pt_min) || params->pt_min <= 0)
    return jx_error_set (err, JX_ERR_INVALID, "--pt-min: %g GeV must be positive",
                         params->pt_min);

  sh->params = *params;
  sh->b0 = (33.0 - 2.0 * JX_SHOWER_NF) / (12.0 * M_PI);
  sh->lambda2 = JX_SHOWER_MZ * JX_SHOWER_MZ * exp (-1.0 / (sh->b0 * params->alpha_s_mz));
  sh->t_c = params->pt_min * params->pt_min;
  if (sh->t_c <= sh->lambda2)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--pt-min: cutoff %g GeV is below Λ = %.4g GeV of αs(m_Z) = %g; "
                         "raise --pt-min or lower --alpha-s",
                         params->pt_min, sqrt (sh->lambda2), params->alpha_s_mz);
  double as_c = jx_shower_alpha_s (sh, sh->t_c);
  if (as_c > 2)
    return jx_error_set (err, JX_ERR_INVALID,
                         "--alpha-s: αs(pT_min²) = %.3g > 2 for αs(m_Z) = %g and pT_min = %g GeV; "
                         "raise --pt-min or lower --alpha-s",
                         as_c, params->alpha_s_mz, params->pt_min);

  sh->a_qq = fmax (2 * k[JX_KNOB_D_QQ], k[JX_KNOB_F_QQ] + k[JX_KNOB_C_QQ] / 4);
  sh->a_gg = fmax (2 * k[JX_KNOB_D_GG], (k[JX_KNOB_F_GG] + k[JX_KNOB_C_GG]) / 4);
  sh->a_gq = k[JX_KNOB_F_GQ] + k[JX_KNOB_C_GQ] / 4;
  sh->i_q = JX_SHOWER_CF * sh->a_qq;
  sh->i_gsoft = JX_SHOWER_CA / 2 * sh->a_gg;
  sh->i_gsplit = JX_SHOWER_NF * JX_SHOWER_TR / 2 * sh->a_gq;
  return 0;
}

double
jx_shower_alpha_s (const JxShower *sh, double t)
{
  return 1.0 / (sh->b0 * log (t / sh->lambda2));
}

void
jx_shower_transverse (JxP4 P, JxP4 K, JxP4 *e1, JxP4 *e2)
{
  double pk = jx_p4_dot (P, K);
  double pa[3] = { P.px, P.py, P.pz }, ka[3] = { K.px, K.py, K.pz };
  /* The spatial axis least aligned with the dipole gives the best-conditioned r⊥. */
  int best = 0;
  double best_n = -INFINITY;
  for (int a = 0; a < 3; a++)
    {
      double n = 1 + 2 * pa[a] * ka[a] / pk;
      if (n > best_n)
        {
          best_n = n;
          best = a;
        }
    }
  /* r·K = −K_a, r·P = −P_a for r the unit spatial vector along a. */
  double rk = -ka[best], rp = -pa[best];
  double cp = rk / pk, ck = rp / pk;
  JxP4 r = { 0, best == 0, best == 1, best == 2 };
  JxP4 rt = { r.E - cp * P.E - ck * K.E, r.px - cp * P.px - ck * K.px,
              r.py - cp * P.py - ck * K.py, r.pz - cp * P.pz - ck * K.pz };
  *e1 = jx_p4_scale (rt, 1.0 / sqrt (-jx_p4_m2 (rt)));

  /* e2^μ = ε^{μνρσ} P_ν K_ρ e1_σ from lower-index components. */
  double a[4] = { P.E, -P.px, -P.py, -P.pz };
  double b[4] = { K.E, -K.px, -K.py, -K.pz };
  double c[4] = { e1->E, -e1->px, -e1->py, -e1->pz };
#define DET3(i, j, k) (a[i] * (b[j] * c[k] - b[k] * c[j]) - a[j] * (b[i] * c[k] - b[k] * c[i]) \
                       + a[k] * (b[i] * c[j] - b[j] * c[i]))
  JxP4 v = { DET3 (1, 2, 3), -DET3 (0, 2, 3), DET3 (0, 1, 3), -DET3 (0, 1, 2) };
#undef DET3
  *e2 = jx_p4_scale (v, 1.0 / sqrt (-jx_p4_m2 (v)));
}

static inline void
map_with_kt (JxP4 P, JxP4 K, double z, double y, double kt, double phi,
             JxP4 *pi, JxP4 *pj, JxP4 *pk)
{
  JxP4 e1, e2;
  jx_shower_transverse (P, K, &e1, &e2);
  double c = kt * cos (phi), s = kt * sin (phi);
  JxP4 kp = { c * e1.E + s * e2.E, c * e1.px + s * e2.px,
              c * e1.py + s * e2.py, c * e1.pz + s * e2.pz };
  double a = (1 - z) * y, b = z * y;
  *pi = (JxP4) { z * P.E + a * K.E + kp.E, z * P.px + a * K.px + kp.px,
                 z * P.py + a * K.py + kp.py, z * P.pz + a * K.pz + kp.pz };
  *pj = (JxP4) { (1 - z) * P.E + b * K.E - kp.E, (1 - z) * P.px + b * K.px - kp.px,
                 (1 - z) * P.py + b * K.py - kp.py, (1 - z) * P.pz + b * K.pz - kp.pz };
  *pk = jx_p4_scale (K, 1 - y);
}

void
jx_shower_map (JxP4 P, JxP4 K, double z, double y, double phi, JxP4 *pi, JxP4 *pj, JxP4 *pk)
{
  double kt2 = z * (1 - z) * y * 2 * jx_p4_dot (P, K);
  map_with_kt (P, K, z, y, sqrt (fmax (kt2, 0)), phi, pi, pj, pk);
}

static inline double
cs_v (double z, double y)
{
  return 2 / (1 - z * (1 - y)) - (1 + z);
}

double
jx_shower_mec_ratio (double z, double y)
{
  double xi = y + z * (1 - y), xk = 1 - y;
  double me = (xi * xi + xk * xk) / ((1 - xi) * (1 - xk));
  double y2 = 1 - xi, z2 = (xi + xk - 1) / xi;
  return me / (cs_v (z, y) / y + cs_v (z2, y2) / y2);
}

/* The spectator of end e, or −1. */
static inline int
end_spectator (const JxShowerEvent *ev, size_t e)
{
  const JxParton *p = &ev->partons[e >> 1];
  return (e & 1) ? p->acol : p->col;
}

/* Total overestimate integral I of an end with dipole mass² q2 (0: the end cannot radiate). */
static inline double
end_integral (const JxShower *sh, int kind, double lc)
{
  return kind == JX_PARTON_GLUON ? sh->i_gsoft * lc + sh->i_gsplit : sh->i_q * lc;
}

/* Draw the trial of end e from scale ts (PHYSICS.md §1.6). */
static void
draw_trial (const JxShower *sh, JxShowerEvent *ev, size_t e, double ts, JxRng *rng)
{
  ev->trial[e] = 0;
  int k = end_spectator (ev, e);
  if (k < 0)
    return;
  const JxParton *pi = &ev->partons[e >> 1];
  double q2 = 2 * jx_p4_dot (pi->p, ev->partons[k].p);
  ev->q2[e] = q2;
  if (ts > q2 / 4)
    ts = q2 / 4;
  if (ts <= sh->t_c)
    return;
  double integral = end_integral (sh, pi->kind, log (q2 / sh->t_c));
  if (!(integral > 0))
    return;
  double r = jx_rng_uniform (rng);
  double t = sh->lambda2 * exp (log (ts / sh->lambda2)
                                * exp (2 * M_PI * sh->b0 * log (r) / integral));
  if (t >= sh->t_c)
    ev->trial[e] = t;
}

/* Acceptance weight without MEC (PHYSICS.md §1.6 step 5); the colour factors cancel. */
static inline double
accept_weight (const JxShower *sh, JxChannel ch, double z, double y)
{
  const double *k = sh->params.kernel;
  switch (ch)
    {
    case JX_CHANNEL_Q_QG:
      return (1 - y) * (1 - z) / sh->a_qq
             * (k[JX_KNOB_D_QQ] * 2 * z * (1 - y) / (1 - z * (1 - y))
                + k[JX_KNOB_F_QQ] * (1 - z) + k[JX_KNOB_C_QQ] * y * z * (1 - z));
    case JX_CHANNEL_G_GG:
      return (1 - y) * (1 - z) / sh->a_gg
             * (k[JX_KNOB_D_GG] * 2 * z * (1 - y) / (1 - z * (1 - y))
                + k[JX_KNOB_F_GG] * z * (1 - z) + k[JX_KNOB_C_GG] * y * z * (1 - z));
    case JX_CHANNEL_G_QQ:
    default:
      return (1 - y) / sh->a_gq
             * (k[JX_KNOB_F_GQ] * (z * z + (1 - z) * (1 - z)) + k[JX_KNOB_C_GQ] * y * z * (1 - z));
    }
}

/* Do the accepted branching of end e and update colours (§1.3, §1.7). Returns j. */
static int
branch (JxShowerEvent *ev, size_t e, JxChannel ch, double z, double y, double t, double phi,
        JxRng *rng)
{
  int i = (int) (e >> 1), k = end_spectator (ev, e), j = (int) ev->n;
  JxParton *P = ev->partons;
  JxP4 pi, pj, pk;
  map_with_kt (P[i].p, P[k].p, z, y, sqrt (t), phi, &pi, &pj, &pk);
  P[i].p = pi;
  P[k].p = pk;
  P[j] = (JxParton) { .p = pj, .col = -1, .acol = -1, .kind = JX_PARTON_GLUON,
                      .flavour = 0, .system = P[i].system };
  ev->n++;
  if (ch == JX_CHANNEL_G_QQ)
    {
      int b = P[i].acol;
      int flavour = 1 + (int) jx_rng_below (rng, JX_SHOWER_NF);
      P[i].kind = JX_PARTON_QUARK;
      P[i].flavour = (int8_t) flavour;
      P[i].acol = -1;
      P[j].kind = JX_PARTON_ANTIQUARK;
      P[j].flavour = (int8_t) flavour;
      P[j].acol = b;
      P[b].col = j;
    }
  else if ((e & 1) == 0)
    {
      P[i].col = j;
      P[j].acol = i;
      P[j].col = k;
      P[k].acol = j;
    }
  else
    {
      P[i].acol = j;
      P[j].col = i;
      P[j].acol = k;
      P[k].col = j;
    }
  return j;
}

static inline void
add_unique (size_t *list, int *n, size_t e)
{
  for (int m = 0; m < *n; m++)
    if (list[m] == e)
      return;
  list[(*n)++] = e;
}

int
jx_shower_system (const JxShower *sh, JxShowerEvent *ev, size_t first, JxRng *rng,
                  int max_emissions, JxShowerHook hook, void *hook_user,
                  JxShowerCounts *counts, JxError *err)
{
  uint64_t n_emissions = 0, n_trials = 0, n_gqq = 0;
  double t_c = sh->t_c;
  JxP4 sum = jx_p4_add (ev->partons[first].p, ev->partons[first + 1].p);
  double t_cur = jx_p4_m2 (sum) / 4;
  for (size_t e = 2 * first; e < 2 * ev->n; e++)
    draw_trial (sh, ev, e, t_cur, rng);
  bool first_emission = true;
  int rc = 0;

  for (;;)
    {
      size_t n_ends = 2 * ev->n, best = 0;
      double t = 0;
      for (size_t e = 2 * first; e < n_ends; e++)
        if (ev->trial[e] > t)
          {
            t = ev->trial[e];
            best = e;
          }
      if (t < t_c)
        break;
      n_trials++;

      const JxParton *emitter = &ev->partons[best >> 1];
      double q2 = ev->q2[best], lc = log (q2 / t_c);
      JxChannel ch = JX_CHANNEL_Q_QG;
      if (emitter->kind == JX_PARTON_GLUON)
        {
          double soft = sh->i_gsoft * lc;
          ch = jx_rng_uniform (rng) * (soft + sh->i_gsplit) < soft ? JX_CHANNEL_G_GG
                                                                    : JX_CHANNEL_G_QQ;
        }
      double r = jx_rng_uniform (rng);
      double z = ch == JX_CHANNEL_G_QQ ? r : 1 - exp (-r * lc);
      double y = t / (z * (1 - z) * q2);
      bool accept = false;
      if (y < 1)
        {
          double w = accept_weight (sh, ch, z, y);
          if (first_emission && sh->params.mec)
            w *= jx_shower_mec_ratio (z, y);
          accept = jx_rng_uniform (rng) < w;
        }
      if (!accept)
        {
          draw_trial (sh, ev, best, t, rng);
          continue;
        }

      rc = jx_shower_event_reserve (ev, ev->n + 1, err);
      if (rc < 0)
        break;
      double phi = 2 * M_PI * jx_rng_uniform (rng);
      int i = (int) (best >> 1), k = end_spectator (ev, best);
      int j = branch (ev, best, ch, z, y, t, phi, rng);
      n_emissions++;
      n_gqq += ch == JX_CHANNEL_G_QQ;
      if (hook != NULL)
        {
          JxShowerEmission em = { .emitter = i, .emitted = j, .spectator = k,
                                  .side = (int) (best & 1), .channel = ch, .t = t, .z = z,
                                  .y = y, .phi = phi, .q2 = q2, .first = first_emission };
          hook (hook_user, ev, &em);
        }
      first_emission = false;
      if (max_emissions > 0 && n_emissions >= (uint64_t) max_emissions)
        break;

      /* Only the ends whose emitter or spectator moved need a new trial; the others stay
       * valid because the no-emission probability has no memory. */
      size_t redraw[12];
      int n_redraw = 0;
      int moved[3] = { i, j, k };
      for (int m = 0; m < 3; m++)
        {
          const JxParton *p = &ev->partons[moved[m]];
          add_unique (redraw, &n_redraw, 2 * (size_t) moved[m]);
          add_unique (redraw, &n_redraw, 2 * (size_t) moved[m] + 1);
          if (p->acol >= 0)
            add_unique (redraw, &n_redraw, 2 * (size_t) p->acol);
          if (p->col >= 0)
            add_unique (redraw, &n_redraw, 2 * (size_t) p->col + 1);
        }
      t_cur = t;
      for (int m = 0; m < n_redraw; m++)
        draw_trial (sh, ev, redraw[m], t_cur, rng);
    }

  if (counts != NULL)
    {
      counts->emissions += n_emissions;
      counts->trials += n_trials;
      counts->g_to_qq += n_gqq;
    }
  return rc;
}
