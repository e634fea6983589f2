/* jx-hadron-private.h — what jx-hadron.c (clusters) and jx-hadron-decay.c (hadrons) share. */
#pragma once

#include "jx-hadron.h"

/* Constituent mass of a light flavour. */
static inline double
jx_flavour_mass (const JxHadronParams *hp, int f)
{
  return f == JX_FLAVOUR_S ? hp->strange_mass : hp->quark_mass;
}

/* Flavour of a q' q̄' pair from the vacuum for a cluster (q, q̄bar): u : d : s = 1 : 1 : w_s,
 * without s when the cluster holds an s or s̄ (that would make an s s̄ meson). */
int jx_vacuum_flavour (const JxHadronParams *hp, int q, int qbar, JxRng *rng);

/* Append a hadron to the final state, decaying π⁰ and K⁰/K̄⁰ (then K⁰_S) when hp->decays. */
int jx_hadron_emit (const JxHadronParams *hp, int species, JxP4 p, int system, JxRng *rng,
                    JxHadronEvent *out, JxError *err);

/* Decay a cluster at or above its two-hadron threshold isotropically into two hadrons:
 * q' is chosen with weight w_q' · w_h1 · w_h2 · p*(M; m_h1, m_h2), w_h = ½ for π⁰ (the π⁰ share
 * of u ū and d d̄), 1 otherwise. */
int jx_cluster_decay (const JxHadronParams *hp, const JxCluster *c, JxRng *rng,
                      JxHadronEvent *out, JxError *err);
