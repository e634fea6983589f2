/* jx-hadron-decay.c — hadrons of the cluster model: species, the meson of two flavours,
 * cluster → two hadrons, and the decays of π⁰ and K⁰ (docs/HADRONIZATION.md §2.5–2.6). */
#include <stdlib.h>

#include "jx-hadron-kin.h"
#include "jx-hadron-private.h"

/* PDG 2024 masses (GeV). */
#define M_PI_CHARGED 0.13957039
#define M_PI_ZERO 0.1349768
#define M_K_CHARGED 0.493677
#define M_K_ZERO 0.497611

/* K⁰_S → π⁺π⁻ against π⁰π⁰ (PDG: 69.20 % and 30.69 %; the rest, 0.1 %, is left out). */
#define KS_CHARGED_FRACTION (0.6920 / (0.6920 + 0.3069))

static const struct {
  double mass;
  int charge, pdg;
  const char *name;
} species_table[JX_N_HADRON_SPECIES] = {
  [JX_HADRON_GAMMA] = { 0, 0, 22, "gamma" },
  [JX_HADRON_PI_PLUS] = { M_PI_CHARGED, 1, 211, "pi+" },
  [JX_HADRON_PI_MINUS] = { M_PI_CHARGED, -1, -211, "pi-" },
  [JX_HADRON_PI_ZERO] = { M_PI_ZERO, 0, 111, "pi0" },
  [JX_HADRON_K_PLUS] = { M_K_CHARGED, 1, 321, "K+" },
  [JX_HADRON_K_MINUS] = { M_K_CHARGED, -1, -321, "K-" },
  [JX_HADRON_K_ZERO] = { M_K_ZERO, 0, 311, "K0" },
  [JX_HADRON_K_ZERO_BAR] = { M_K_ZERO, 0, -311, "K0bar" },
  [JX_HADRON_K_SHORT] = { M_K_ZERO, 0, 310, "K0_S" },
  [JX_HADRON_K_LONG] = { M_K_ZERO, 0, 130, "K0_L" },
};

static inline bool
valid_species (int s)
{
  return s >= 0 && s < JX_N_HADRON_SPECIES;
}

double
jx_hadron_mass (int species)
{
  return valid_species (species) ? species_table[species].mass : NAN;
}

int
jx_hadron_charge (int species)
{
  return valid_species (species) ? species_table[species].charge : 0;
}

int
jx_hadron_pdg_id (int species)
{
  return valid_species (species) ? species_table[species].pdg : 0;
}

const char *
jx_hadron_name (int species)
{
  return valid_species (species) ? species_table[species].name : "unknown";
}

int
jx_hadron_meson (int q, int qbar)
{
  /* [q][q̄] for d, u, s: d d̄ and u ū are the π⁰ (η and η' are not in the model). */
  static const int8_t table[3][3] = {
    { JX_HADRON_PI_ZERO, JX_HADRON_PI_MINUS, JX_HADRON_K_ZERO },
    { JX_HADRON_PI_PLUS, JX_HADRON_PI_ZERO, JX_HADRON_K_PLUS },
    { JX_HADRON_K_ZERO_BAR, JX_HADRON_K_MINUS, -1 },
  };
  if (q < 1 || q > 3 || qbar < 1 || qbar > 3)
    return -1;
  return table[q - 1][qbar - 1];
}

double
jx_cluster_threshold (int q, int qbar)
{
  double best = INFINITY;
  for (int f = JX_FLAVOUR_D; f <= JX_FLAVOUR_S; f++)
    {
      int h1 = jx_hadron_meson (q, f), h2 = jx_hadron_meson (f, qbar);
      if (h1 >= 0 && h2 >= 0)
        best = fmin (best, jx_hadron_mass (h1) + jx_hadron_mass (h2));
    }
  return best;
}

static inline double
vacuum_weight (const JxHadronParams *hp, int f)
{
  return f == JX_FLAVOUR_S ? hp->strange_weight : 1.0;
}

/* The probability that a q q̄ pair of these flavours is this meson: u ū and d d̄ are half π⁰
 * (the other half is η and η', which the model does not have), as Herwig's hadron selector
 * weighs mixed states; every other pair is its meson. */
static inline double
meson_weight (int species)
{
  return species == JX_HADRON_PI_ZERO ? 0.5 : 1.0;
}

int
jx_vacuum_flavour (const JxHadronParams *hp, int q, int qbar, JxRng *rng)
{
  bool strange_ok = q != JX_FLAVOUR_S && qbar != JX_FLAVOUR_S;
  double ws = strange_ok ? hp->strange_weight : 0;
  double r = jx_rng_uniform (rng) * (2 + ws);
  return r < 1 ? JX_FLAVOUR_D : r < 2 ? JX_FLAVOUR_U : JX_FLAVOUR_S;
}

static int
push (JxHadronEvent *out, int species, JxP4 p, int system, JxError *err)
{
  if (out->n == out->cap)
    {
      size_t cap = out->cap ? 2 * out->cap : 128;
      JxHadron *h = realloc (out->hadrons, cap * sizeof *h);
      if (h == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "hadronization: out of memory for %zu hadrons",
                             cap);
      out->hadrons = h;
      out->cap = cap;
    }
  out->hadrons[out->n++] = (JxHadron) { .p = p, .species = (int8_t) species,
                                        .system = (int16_t) system };
  return 0;
}

/* Isotropic two-body decay of an on-shell hadron into species a and b. */
static int
decay_two (const JxHadronParams *hp, int parent, JxP4 p, int a, int b, int system, JxRng *rng,
           JxHadronEvent *out, JxError *err)
{
  double n[3];
  jx_isotropic_direction (rng, n);
  JxP4 pa, pb;
  jx_two_body_decay (p, jx_hadron_mass (parent), jx_hadron_mass (a), jx_hadron_mass (b), n,
                     &pa, &pb);
  int rc = jx_hadron_emit (hp, a, pa, system, rng, out, err);
  return rc < 0 ? rc : jx_hadron_emit (hp, b, pb, system, rng, out, err);
}

int
jx_hadron_emit (const JxHadronParams *hp, int species, JxP4 p, int system, JxRng *rng,
                JxHadronEvent *out, JxError *err)
{
  if (!hp->decays)
    return push (out, species, p, system, err);
  switch (species)
    {
    case JX_HADRON_PI_ZERO:
      /* γγ: 98.8 %; the Dalitz decay e⁺e⁻γ is left out. */
      return decay_two (hp, species, p, JX_HADRON_GAMMA, JX_HADRON_GAMMA, system, rng, out,
                        err);
    case JX_HADRON_K_ZERO:
    case JX_HADRON_K_ZERO_BAR:
      return jx_hadron_emit (hp, jx_rng_uniform (rng) < 0.5 ? JX_HADRON_K_SHORT
                                                             : JX_HADRON_K_LONG,
                             p, system, rng, out, err);
    case JX_HADRON_K_SHORT:
      if (jx_rng_uniform (rng) < KS_CHARGED_FRACTION)
        return decay_two (hp, species, p, JX_HADRON_PI_PLUS, JX_HADRON_PI_MINUS, system, rng,
                          out, err);
      return decay_two (hp, species, p, JX_HADRON_PI_ZERO, JX_HADRON_PI_ZERO, system, rng, out,
                        err);
    default:
      return push (out, species, p, system, err);
    }
}

int
jx_cluster_decay (const JxHadronParams *hp, const JxCluster *c, JxRng *rng, JxHadronEvent *out,
                  JxError *err)
{
  double w[3] = { 0, 0, 0 }, sum = 0;
  for (int f = JX_FLAVOUR_D; f <= JX_FLAVOUR_S; f++)
    {
      int h1 = jx_hadron_meson (c->q, f), h2 = jx_hadron_meson (f, c->qbar);
      if (h1 < 0 || h2 < 0)
        continue;
      double k = jx_two_body_pstar (c->mass, jx_hadron_mass (h1), jx_hadron_mass (h2));
      w[f - 1] = vacuum_weight (hp, f) * meson_weight (h1) * meson_weight (h2) * k;
      sum += w[f - 1];
    }
  if (!(sum > 0))
    return jx_error_set (err, JX_ERR_INTERNAL,
                         "hadronization: a cluster of mass %g GeV below its two-hadron "
                         "threshold reached the two-body decay", c->mass);
  double r = jx_rng_uniform (rng) * sum;
  int f = JX_FLAVOUR_D;
  while (f < JX_FLAVOUR_S && (r -= w[f - 1]) >= 0)
    f++;
  while (w[f - 1] == 0)  /* r landed on a closed channel by rounding: take an open one */
    f = f == JX_FLAVOUR_D ? JX_FLAVOUR_S : f - 1;
  int h1 = jx_hadron_meson (c->q, f), h2 = jx_hadron_meson (f, c->qbar);
  double n[3];
  jx_isotropic_direction (rng, n);
  JxP4 p1, p2;
  jx_two_body_decay (c->p, c->mass, jx_hadron_mass (h1), jx_hadron_mass (h2), n, &p1, &p2);
  int rc = jx_hadron_emit (hp, h1, p1, c->system, rng, out, err);
  return rc < 0 ? rc : jx_hadron_emit (hp, h2, p2, c->system, rng, out, err);
}
