/* jx-hadron.h — cluster hadronisation of the dipole shower's partons (docs/HADRONIZATION.md):
 * Webber's cluster model as in HERWIG/Herwig, on the shower's colour connections.
 *
 *   1. Each colour-singlet system is put on its constituent mass shells (gluons m_g, quarks
 *      m_q) by a common rescaling of 3-momenta in its rest frame.
 *   2. Every gluon splits isotropically in its rest frame into a u ū or d d̄ pair.
 *   3. Every colour line (a q or the q of a split gluon, and the q̄ its colour joins) is a
 *      cluster.
 *   4. Heavy clusters, M^P ≥ Cl_max^P + (m1 + m2)^P, fission into two clusters along the
 *      direction of their quark, with a q' q̄' pair from the vacuum, until none is heavy.
 *   5. Clusters below the two-hadron threshold become one hadron, exchanging momentum with the
 *      nearest cluster of the same system; the others decay isotropically into two hadrons.
 *   6. π⁰ → γγ and K⁰_S → ππ decay (K⁰, K̄⁰ are K⁰_S or K⁰_L with probability ½); π±, K±,
 *      K⁰_L and γ are the final state, as in Pythia 8's default and LEP's n_ch.
 *
 * Flavours: only u, d and s quarks hadronise; the shower's quark flavours are taken as u-type
 * (u, c) or d-type (d, s, b) light quarks, and strangeness comes from the vacuum pairs.
 * Hadrons are π⁰, π±, K±, K⁰, K̄⁰ with their PDG masses; no s s̄ cluster is ever formed.
 *
 * Hot path: no heap allocation once the scratch arrays have grown; one JxHadronEvent per
 * thread. The RNG is the event's own stream, continued after the shower.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-error.h"
#include "jx-momentum.h"
#include "jx-rng.h"
#include "jx-shower.h"

/* Final-state and intermediate species. */
typedef enum {
  JX_HADRON_GAMMA = 0,
  JX_HADRON_PI_PLUS,
  JX_HADRON_PI_MINUS,
  JX_HADRON_PI_ZERO,
  JX_HADRON_K_PLUS,
  JX_HADRON_K_MINUS,
  JX_HADRON_K_ZERO,
  JX_HADRON_K_ZERO_BAR,
  JX_HADRON_K_SHORT,
  JX_HADRON_K_LONG,
  JX_N_HADRON_SPECIES
} JxHadronSpecies;

double jx_hadron_mass (int species);     /* GeV, PDG */
int jx_hadron_charge (int species);      /* in units of e */
int jx_hadron_pdg_id (int species);      /* PDG Monte Carlo number */
const char *jx_hadron_name (int species);

/* Light quark flavours of the cluster model (PDG numbering). */
enum { JX_FLAVOUR_D = 1, JX_FLAVOUR_U = 2, JX_FLAVOUR_S = 3 };

typedef struct {
  double gluon_mass;    /* m_g, constituent gluon mass (> 2 m_ud) */
  double quark_mass;    /* m_u = m_d, constituent light-quark mass */
  double strange_mass;  /* m_s, constituent mass of vacuum s quarks */
  double cl_max;        /* Cl_max, fission threshold scale (GeV) */
  double cl_pow;        /* Cl_pow, fission threshold exponent */
  double p_split;       /* P_split, exponent of the fission mass distribution */
  double strange_weight;/* weight of s against u, d (1 each) for vacuum pairs */
  bool decays;          /* π⁰ → γγ, K⁰ → K⁰_S/K⁰_L, K⁰_S → ππ; off: π⁰, K⁰, K̄⁰ stay */
} JxHadronParams;

/* The defaults of docs/HADRONIZATION.md §3 (the tune). */
void jx_hadron_params_default (JxHadronParams *hp);

/* Refuses values outside the ranges of docs/HADRONIZATION.md §3; the message names --cluster
 * for cl_max, cl_pow, p_split and the field otherwise. */
int jx_hadron_params_validate (const JxHadronParams *hp, JxError *err);

/* One final-state particle. */
typedef struct {
  JxP4 p;
  int8_t species;   /* JxHadronSpecies */
  int16_t system;   /* the shower's colour-singlet system it came from */
} JxHadron;

/* A cluster as it ends: decayed into two hadrons, turned into one, or (fission) not final. */
typedef struct {
  JxP4 p;           /* four-momentum (after any reshuffling) */
  double mass;      /* its mass as drawn or formed, M */
  JxP4 pq;          /* the quark's momentum: the fission axis */
  int8_t q, qbar;   /* quark and antiquark flavours (JX_FLAVOUR_*) */
  int8_t fate;      /* JxClusterFate */
  int16_t system;
} JxCluster;

typedef enum {
  JX_CLUSTER_TWO_HADRONS = 0,  /* decayed isotropically into two hadrons */
  JX_CLUSTER_ONE_HADRON = 1,   /* below the two-hadron threshold: one hadron, reshuffled */
  JX_CLUSTER_FISSION_HADRON = 2,  /* a fission product drawn below threshold: one hadron */
} JxClusterFate;

typedef struct {
  uint32_t partons, primary_clusters, fissions, one_hadron, final_particles;
} JxHadronCounts;

/* The output record of one event plus scratch; grows as needed, never shrinks. */
typedef struct {
  JxHadron *hadrons;        /* the final state of the last event */
  size_t n, cap;
  JxCluster *clusters;      /* every final cluster of the last event (fate set) */
  size_t n_clusters, cap_clusters;
  JxCluster *stack;         /* clusters waiting for fission */
  size_t cap_stack;
  JxP4 *pc, *pa;            /* [cap_partons] colour / anticolour end of each parton */
  double *mass;             /* [cap_partons] constituent masses */
  int8_t *fc, *fa;          /* [cap_partons] flavours of those ends */
  size_t cap_partons;
  JxHadronCounts counts;    /* of the last event */
} JxHadronEvent;

void jx_hadron_event_init (JxHadronEvent *ev);
void jx_hadron_event_free (JxHadronEvent *ev);

/* Hadronise the showered partons of shower (all its systems) into out->hadrons. The record
 * must hold complete colour chains q … q̄ per system. Returns 0, JX_ERR_NOMEM, or
 * JX_ERR_INTERNAL with a message for a system that cannot carry its constituent masses
 * (√s far below any allowed --sqrt-s). */
int jx_hadronize (const JxHadronParams *hp, const JxShowerEvent *shower, JxRng *rng,
                  JxHadronEvent *out, JxError *err);

/* Building blocks, exposed for the tests. */

/* The meson of quark flavour q and antiquark flavour qbar (JX_FLAVOUR_*), −1 for s s̄. */
int jx_hadron_meson (int q, int qbar);

/* The fission condition of step 4 for a cluster of mass M and constituent masses m1, m2. */
bool jx_cluster_is_heavy (const JxHadronParams *hp, double M, double m1, double m2);

/* The lightest two-hadron mass a cluster (q, q̄bar) can decay into (vacuum pairs u, d and s,
 * never forming s s̄). */
double jx_cluster_threshold (int q, int qbar);
