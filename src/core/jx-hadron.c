/* jx-hadron.c — the cluster model's steps 1–5 (see jx-hadron.h and docs/HADRONIZATION.md §2);
 * the hadrons themselves are jx-hadron-decay.c. */
#include "jx-hadron.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-grow.h"
#include "jx-hadron-kin.h"
#include "jx-hadron-private.h"

/* Attempts at drawing two daughter masses that fit into a heavy cluster; the draw fails only
 * for clusters barely above the fission threshold, which then decay as they are. */
#define FISSION_TRIES 20

void
jx_hadron_params_default (JxHadronParams *hp)
{
  *hp = (JxHadronParams) {
    .gluon_mass = 0.95, .quark_mass = 0.325, .strange_mass = 0.45,
    .cl_max = 1.43, .cl_pow = 2.0, .p_split = 1.5, .strange_weight = 0.37, .decays = true,
  };
}

static bool
in_range (double x, double lo, double hi)
{
  return isfinite (x) && x >= lo && x <= hi;
}

int
jx_hadron_params_validate (const JxHadronParams *hp, JxError *err)
{
  if (!in_range (hp->cl_max, 0.5, 20))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--cluster: Cl_max = %g GeV is outside the allowed range 0.5 – 20 GeV",
                         hp->cl_max);
  if (!in_range (hp->cl_pow, 0.1, 10))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--cluster: Cl_pow = %g is outside the allowed range 0.1 – 10",
                         hp->cl_pow);
  if (!in_range (hp->p_split, 0.1, 10))
    return jx_error_set (err, JX_ERR_INVALID,
                         "--cluster: P_split = %g is outside the allowed range 0.1 – 10",
                         hp->p_split);
  if (!in_range (hp->quark_mass, 0.05, 1) || !in_range (hp->strange_mass, 0.05, 1))
    return jx_error_set (err, JX_ERR_INVALID,
                         "hadronization: constituent quark masses %g (u, d) and %g (s) GeV must "
                         "be between 0.05 and 1 GeV", hp->quark_mass, hp->strange_mass);
  if (!in_range (hp->gluon_mass, 2 * hp->quark_mass * (1 + 1e-9), 3))
    return jx_error_set (err, JX_ERR_INVALID,
                         "hadronization: gluon mass %g GeV must exceed twice the light quark "
                         "mass (%g GeV) and be at most 3 GeV", hp->gluon_mass, hp->quark_mass);
  if (!in_range (hp->strange_weight, 0, 1))
    return jx_error_set (err, JX_ERR_INVALID,
                         "hadronization: strange weight %g must be between 0 and 1",
                         hp->strange_weight);
  return 0;
}

void
jx_hadron_event_init (JxHadronEvent *ev)
{
  memset (ev, 0, sizeof *ev);
}

void
jx_hadron_event_free (JxHadronEvent *ev)
{
  free (ev->hadrons);
  free (ev->clusters);
  free (ev->stack);
  free (ev->pc);
  free (ev->pa);
  free (ev->mass);
  free (ev->fc);
  free (ev->fa);
  jx_hadron_event_init (ev);
}

static int
reserve_partons (JxHadronEvent *ev, size_t n, JxError *err)
{
  if (n <= ev->cap_partons)
    return 0;
  size_t cap = jx_grow_cap (ev->cap_partons, 64, n);
  /* & (not &&): every array is grown, so a failure leaves each at least its old size */
  if (!(jx_grow_array (&ev->pc, cap, sizeof *ev->pc)
        & jx_grow_array (&ev->pa, cap, sizeof *ev->pa)
        & jx_grow_array (&ev->mass, cap, sizeof *ev->mass)
        & jx_grow_array (&ev->fc, cap, sizeof *ev->fc)
        & jx_grow_array (&ev->fa, cap, sizeof *ev->fa)))
    return jx_error_set (err, JX_ERR_NOMEM, "hadronization: out of memory for %zu partons", cap);
  ev->cap_partons = cap;
  return 0;
}

static int
grow_clusters (JxCluster **list, size_t *cap, size_t need, JxError *err)
{
  if (need <= *cap)
    return 0;
  size_t c = jx_grow_cap (2 * *cap, 64, need);
  if (!jx_grow_array (list, c, sizeof **list))
    return jx_error_set (err, JX_ERR_NOMEM, "hadronization: out of memory for %zu clusters", c);
  *cap = c;
  return 0;
}

static int
add_final (JxHadronEvent *ev, const JxCluster *c, JxError *err)
{
  int rc = grow_clusters (&ev->clusters, &ev->cap_clusters, ev->n_clusters + 1, err);
  if (rc == 0)
    ev->clusters[ev->n_clusters++] = *c;
  return rc;
}

/* The shower's flavour labels 1..5 = d u s c b as the light quark of the same charge. */
static inline int8_t
light_flavour (int flavour)
{
  return flavour == 2 || flavour == 4 ? JX_FLAVOUR_U : JX_FLAVOUR_D;
}

/* Step 1: every colour-singlet system on its constituent mass shells, into ev->pc (the
 * system's momenta; pa is scratch here). */
static int
constituent_masses (const JxHadronParams *hp, const JxShowerEvent *sh, JxHadronEvent *ev,
                    JxError *err)
{
  int max_system = -1;
  for (size_t i = 0; i < sh->n; i++)
    if (sh->partons[i].system > max_system)
      max_system = sh->partons[i].system;
  for (int s = 0; s <= max_system; s++)
    {
      size_t k = 0;
      for (size_t i = 0; i < sh->n; i++)
        if (sh->partons[i].system == s)
          {
            ev->pa[k] = sh->partons[i].p;
            ev->mass[k++] = sh->partons[i].kind == JX_PARTON_GLUON ? hp->gluon_mass
                                                                   : hp->quark_mass;
          }
      if (k == 0)
        continue;
      if (jx_rescale_to_masses (ev->pa, ev->mass, k) < 0)
        return jx_error_set (err, JX_ERR_INTERNAL,
                             "hadronization: colour-singlet system %d (%zu partons) is too light "
                             "for its constituent masses", s, k);
      k = 0;
      for (size_t i = 0; i < sh->n; i++)
        if (sh->partons[i].system == s)
          ev->pc[i] = ev->pa[k++];
    }
  return 0;
}

/* Step 2: quarks keep their momenta; each gluon (mass m_g) decays isotropically into u ū or
 * d d̄, the quark carrying its colour and the antiquark its anticolour. */
static void
split_gluons (const JxHadronParams *hp, const JxShowerEvent *sh, JxRng *rng, JxHadronEvent *ev)
{
  for (size_t i = 0; i < sh->n; i++)
    {
      const JxParton *p = &sh->partons[i];
      JxP4 P = ev->pc[i];
      if (p->kind == JX_PARTON_QUARK)
        ev->fc[i] = light_flavour (p->flavour);
      else if (p->kind == JX_PARTON_ANTIQUARK)
        {
          ev->pa[i] = P;
          ev->fa[i] = light_flavour (p->flavour);
        }
      else
        {
          /* u and d have the same mass, so the same phase space: equal odds. */
          int8_t f = jx_rng_uniform (rng) < 0.5 ? JX_FLAVOUR_D : JX_FLAVOUR_U;
          double n[3];
          jx_isotropic_direction (rng, n);
          jx_two_body_decay (P, hp->gluon_mass, hp->quark_mass, hp->quark_mass, n, &ev->pc[i],
                             &ev->pa[i]);
          ev->fc[i] = ev->fa[i] = f;
        }
    }
}

static double
cluster_mass (JxP4 p, double m1, double m2)
{
  /* Never below the constituents' sum, which rounding could give nearly collinear pairs. */
  double m2sum = (m1 + m2) * (m1 + m2), M2 = jx_p4_m2 (p);
  return sqrt (M2 > m2sum ? M2 : m2sum);
}

/* x^p and x^(1/p), without libm's pow for the exponents of HERWIG's and our defaults
 * (1, 3/2, 2): pow was a third of the hadronisation's time. */
static inline double
power (double x, double p)
{
  return p == 2 ? x * x : p == 1.5 ? x * sqrt (x) : p == 1 ? x : pow (x, p);
}

static inline double
root (double x, double p)
{
  return p == 2 ? sqrt (x) : p == 1.5 ? cbrt (x * x) : p == 1 ? x : pow (x, 1 / p);
}

bool
jx_cluster_is_heavy (const JxHadronParams *hp, double M, double m1, double m2)
{
  double P = hp->cl_pow;
  return power (M, P) >= power (hp->cl_max, P) + power (m1 + m2, P);
}

/* A daughter mass M_i = m_i + x with x^P uniform between m^P and (M − m1 − m2 − m)^P, the
 * power-like spectrum of Herwig's ClusterFissioner (HERWIG's m_i + (M − m1 − m2) r^{1/P} with
 * the lower bound m built in). */
static double
daughter_mass (const JxHadronParams *hp, double M, double mi, double mj, double m, JxRng *rng)
{
  double P = hp->p_split, lo = power (m, P), hi = power (M - mi - mj - m, P);
  return mi + root (lo + (hi - lo) * jx_rng_uniform (rng), P);
}

/* Momentum of the constituent of mass ma moving along +u in the rest frame of a daughter
 * cluster (P_d, mass Md, constituents ma and mb), where P_d is given in the parent's rest frame
 * and moves along ±u: the daughters and their constituents stay collinear with u there. */
static JxP4
constituent_along (JxP4 Pd, double Md, double ma, double mb, const double u[3])
{
  double k = jx_two_body_pstar (Md, ma, mb), e = (Md * Md + ma * ma - mb * mb) / (2 * Md);
  return jx_boost_from_rest ((JxP4) { e, k * u[0], k * u[1], k * u[2] }, Pd, Md);
}

/* Step 4 for one heavy cluster: C(q q̄) → C1(q q̄') + C2(q' q̄) along the quark's direction in
 * C's rest frame. A daughter drawn below its two-hadron threshold is the one meson of its
 * flavours. Returns 1 when split (d[0], d[1] filled), 0 when no masses fit. */
static int
fission (const JxHadronParams *hp, const JxCluster *c, JxRng *rng, JxCluster d[2])
{
  double m1 = jx_flavour_mass (hp, c->q), m2 = jx_flavour_mass (hp, c->qbar), M = c->mass;
  int f = jx_vacuum_flavour (hp, c->q, c->qbar, rng);
  double m = jx_flavour_mass (hp, f);
  if (M <= m1 + m2 + 2 * m)
    return 0;
  int8_t qs[2] = { c->q, (int8_t) f }, qbars[2] = { (int8_t) f, c->qbar };
  double mq[2] = { m1, m }, mqbar[2] = { m, m2 }, Md[2] = { 0, 0 };
  bool hadron[2] = { false, false };
  int tries = 0;
  for (; tries < FISSION_TRIES; tries++)
    {
      Md[0] = daughter_mass (hp, M, m1, m2, m, rng);
      Md[1] = daughter_mass (hp, M, m2, m1, m, rng);
      if (Md[0] + Md[1] >= M)
        continue;
      for (int k = 0; k < 2; k++)
        {
          hadron[k] = Md[k] < jx_cluster_threshold (qs[k], qbars[k]);
          if (hadron[k])
            Md[k] = jx_hadron_mass (jx_hadron_meson (qs[k], qbars[k]));
        }
      break;
    }
  if (tries == FISSION_TRIES)
    return 0;

  JxP4 q_rest = jx_boost_to_rest (c->pq, c->p, M);
  double len = jx_p4_p (q_rest), u[3] = { 0, 0, 1 };
  if (len > 0)
    {
      u[0] = q_rest.px / len;
      u[1] = q_rest.py / len;
      u[2] = q_rest.pz / len;
    }
  double k = jx_two_body_pstar (M, Md[0], Md[1]);
  double e1 = (M * M + Md[0] * Md[0] - Md[1] * Md[1]) / (2 * M);
  double e2 = (M * M + Md[1] * Md[1] - Md[0] * Md[0]) / (2 * M);
  JxP4 rest[2] = { { e1, k * u[0], k * u[1], k * u[2] }, { e2, -k * u[0], -k * u[1], -k * u[2] } };
  for (int i = 0; i < 2; i++)
    {
      /* The quark of each daughter moves along +u: the original q outermost in C1, the new q'
       * innermost in C2 (the string picture behind Herwig's choice). */
      JxP4 q = hadron[i] ? rest[i] : constituent_along (rest[i], Md[i], mq[i], mqbar[i], u);
      d[i] = (JxCluster) { .p = jx_boost_from_rest (rest[i], c->p, M), .mass = Md[i],
                           .pq = jx_boost_from_rest (q, c->p, M), .q = qs[i], .qbar = qbars[i],
                           .fate = hadron[i] ? JX_CLUSTER_FISSION_HADRON : JX_CLUSTER_TWO_HADRONS,
                           .system = c->system };
    }
  return 1;
}

/* Steps 3–4: the primary clusters (one per colour line), then fission until none is heavy;
 * the final clusters go to ev->clusters. */
static int
form_clusters (const JxHadronParams *hp, const JxShowerEvent *sh, JxRng *rng, JxHadronEvent *ev,
               JxError *err)
{
  size_t n_stack = 0;
  int rc = 0;
  for (size_t i = 0; i < sh->n && rc == 0; i++)
    {
      int k = sh->partons[i].col;
      if (k < 0)
        continue;
      rc = grow_clusters (&ev->stack, &ev->cap_stack, n_stack + 1, err);
      if (rc < 0)
        return rc;
      JxP4 p = jx_p4_add (ev->pc[i], ev->pa[k]);
      ev->stack[n_stack++] = (JxCluster) {
        .p = p, .pq = ev->pc[i], .q = ev->fc[i], .qbar = ev->fa[k],
        .mass = cluster_mass (p, hp->quark_mass, hp->quark_mass),
        .fate = JX_CLUSTER_TWO_HADRONS, .system = sh->partons[i].system,
      };
      ev->counts.primary_clusters++;
    }
  while (n_stack > 0 && rc == 0)
    {
      JxCluster c = ev->stack[--n_stack], d[2];
      double m1 = jx_flavour_mass (hp, c.q), m2 = jx_flavour_mass (hp, c.qbar);
      if (!jx_cluster_is_heavy (hp, c.mass, m1, m2) || !fission (hp, &c, rng, d))
        {
          rc = add_final (ev, &c, err);
          continue;
        }
      ev->counts.fissions++;
      rc = grow_clusters (&ev->stack, &ev->cap_stack, n_stack + 2, err);
      /* C2 first, so that C1 (the original quark's side) is split next: a depth-first walk
       * along the colour line, the same for every thread count. */
      for (int k = 1; k >= 0 && rc == 0; k--)
        {
          if (d[k].fate == JX_CLUSTER_FISSION_HADRON)
            rc = add_final (ev, &d[k], err);
          else
            ev->stack[n_stack++] = d[k];
        }
    }
  return rc;
}

/* Step 5a: a cluster below its two-hadron threshold becomes its meson; the momentum it gives
 * up or needs goes to the partner in its system with the smallest (P_A + P_B)² − (M_A + M_B)²
 * (Herwig takes the nearest in space-time, which we do not track), in the pair's rest frame
 * along the light cluster's direction. */
static int
light_clusters (JxHadronEvent *ev, JxError *err)
{
  for (size_t a = 0; a < ev->n_clusters; a++)
    {
      JxCluster *A = &ev->clusters[a];
      if (A->fate != JX_CLUSTER_TWO_HADRONS || A->mass >= jx_cluster_threshold (A->q, A->qbar))
        continue;
      double mh = jx_hadron_mass (jx_hadron_meson (A->q, A->qbar)), best = INFINITY;
      size_t partner = a;
      for (size_t b = 0; b < ev->n_clusters; b++)
        {
          const JxCluster *B = &ev->clusters[b];
          if (b == a || B->system != A->system)
            continue;
          double msum = A->mass + B->mass;
          double d = jx_p4_m2 (jx_p4_add (A->p, B->p)) - msum * msum;
          if (d < best)
            {
              best = d;
              partner = b;
            }
        }
      if (partner == a)
        return jx_error_set (err, JX_ERR_INTERNAL,
                             "hadronization: a light cluster (%g GeV) has no partner in its "
                             "system to exchange momentum with", A->mass);
      JxCluster *B = &ev->clusters[partner];
      JxP4 Q = jx_p4_add (A->p, B->p);
      double MQ = sqrt (fmax (jx_p4_m2 (Q), 0));
      if (!(MQ > mh + B->mass))
        return jx_error_set (err, JX_ERR_INTERNAL,
                             "hadronization: no room to reshuffle a light cluster (pair mass "
                             "%g GeV)", MQ);
      JxP4 a_rest = jx_boost_to_rest (A->p, Q, MQ);
      double len = jx_p4_p (a_rest), n[3] = { 0, 0, 1 };
      if (len > 0)
        {
          n[0] = a_rest.px / len;
          n[1] = a_rest.py / len;
          n[2] = a_rest.pz / len;
        }
      jx_two_body_decay (Q, MQ, mh, B->mass, n, &A->p, &B->p);
      A->mass = mh;
      A->fate = JX_CLUSTER_ONE_HADRON;
      ev->counts.one_hadron++;
    }
  return 0;
}

int
jx_hadronize (const JxHadronParams *hp, const JxShowerEvent *shower, JxRng *rng,
              JxHadronEvent *out, JxError *err)
{
  out->n = 0;
  out->n_clusters = 0;
  out->counts = (JxHadronCounts) { .partons = (uint32_t) shower->n };
  int rc = reserve_partons (out, shower->n, err);
  if (rc == 0)
    rc = constituent_masses (hp, shower, out, err);
  if (rc < 0)
    return rc;
  split_gluons (hp, shower, rng, out);
  rc = form_clusters (hp, shower, rng, out, err);
  if (rc == 0)
    rc = light_clusters (out, err);
  /* Step 5b and the particle decays. */
  for (size_t i = 0; i < out->n_clusters && rc == 0; i++)
    {
      const JxCluster *c = &out->clusters[i];
      if (c->fate == JX_CLUSTER_TWO_HADRONS)
        rc = jx_cluster_decay (hp, c, rng, out, err);
      else
        rc = jx_hadron_emit (hp, jx_hadron_meson (c->q, c->qbar), c->p, c->system, rng, out, err);
    }
  out->counts.final_particles = (uint32_t) out->n;
  return rc;
}
