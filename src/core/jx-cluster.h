/* jx-cluster.h — sequential recombination (DESIGN.md §3, PHYSICS.md §2.3, §3).
 *
 * Generalized kt for e+e- ("ee_genkt" in FastJet):
 *   d_ij = min(E_i^{2p}, E_j^{2p}) (1 − cos θ_ij) / (1 − cos R),   d_iB = E_i^{2p},
 * p = 0 C/A, 1 kt, −1 anti-kt; E-scheme recombination (4-vectors add).
 * Durham ("ee_kt", exclusive): d_ij = 2 min(E_i², E_j²)(1 − cos θ_ij), no beam distance.
 * Longitudinally invariant generalized kt ("genkt" in FastJet, the pp metric):
 *   d_ij = min(kt_i^{2p}, kt_j^{2p}) ΔR_ij² / R²,  ΔR² = Δy² + Δφ²,  d_iB = kt_i^{2p},
 * with kt² = px² + py², y the rapidity and φ the azimuth around the z (beam) axis, computed
 * as FastJet's PseudoJet does (y = ±(10⁵ + |pz|) for kt = 0 and E = |pz|).
 * Ties (equal distances) are broken deterministically: lower index first. A cluster's
 * index is the lowest input index it contains; among equal d the pair (i, j), i < j,
 * with the smallest i, then j, goes first, and a beam step of i counts as (i, ∞).
 * Distances are evaluated with FastJet's floating-point expressions, so without exact
 * ties the merge sequence is FastJet's, bit for bit (tests/fastjet checks this).
 *
 * These are the low-level steps used by the generator (hemisphere jets, subjets) and by
 * the observables (τ_N axes); jx-tree.h builds the JUNIPR binary tree on top of them.
 * All functions are O(n²) in time per merge at worst and allocate nothing when given a
 * JxClusterWork (reuse one per thread on hot paths; NULL allocates temporarily).
 */
#pragma once

#include <stddef.h>

#include "jx-error.h"
#include "jx-momentum.h"

typedef enum {
  JX_ALGO_CA = 0,      /* Cambridge/Aachen, p = 0 */
  JX_ALGO_KT = 1,      /* kt, p = 1 */
  JX_ALGO_ANTIKT = 2,  /* anti-kt, p = −1 */
  JX_ALGO_PRINTER = 3, /* the paper's "printer" order (Sect. 5.2), trees only */
} JxAlgorithm;

/* The distance measure of the clustering: e+e- (3-D angles, energies) or pp (rapidity and
 * azimuth, transverse momenta). */
typedef enum {
  JX_METRIC_EE = 0,    /* ee_genkt: default */
  JX_METRIC_PP = 1,    /* genkt (longitudinally invariant) */
} JxMetric;

/* "ee", "pp". */
const char *jx_metric_name (JxMetric metric);
/* Parses the names above; returns 0 or JX_ERR_INVALID. */
int jx_metric_parse (const char *name, JxMetric *out, JxError *err);

/* "ca", "kt", "antikt", "printer". */
const char *jx_algorithm_name (JxAlgorithm algorithm);
/* Parses the names above (also "cambridge", "anti-kt"); returns 0 or JX_ERR_INVALID. */
int jx_algorithm_parse (const char *name, JxAlgorithm *out, JxError *err);

/* Reusable scratch memory for clustering; grows as needed. Not thread-safe: one per thread. */
typedef struct JxClusterWork JxClusterWork;
JxClusterWork *jx_cluster_work_new (void);
void jx_cluster_work_free (JxClusterWork *work);

/* Inclusive ee_genkt with exponent p_exp and radius R (R < π for inclusive use).
 * jets: caller array of capacity n, receives the inclusive jets in the order they were
 *   declared final (FastJet's history order); *n_jets their count.
 * assign (optional, length n): for each input, the index in jets of the jet holding it.
 * Returns 0, or a negative JxStatus (JX_ERR_NOMEM; JX_ERR_INVALID for a non-finite input,
 * also in the two functions below). */
int jx_genkt_inclusive (const JxP4 *particles, size_t n, double p_exp, double R,
                        JxP4 *jets, size_t *n_jets, int *assign, JxClusterWork *work);

/* Inclusive longitudinally invariant genkt (FastJet genkt_algorithm, E scheme) with exponent
 * p_exp and radius R; arguments and results as jx_genkt_inclusive. */
int jx_pp_genkt_inclusive (const JxP4 *particles, size_t n, double p_exp, double R,
                           JxP4 *jets, size_t *n_jets, int *assign, JxClusterWork *work);

/* Exclusive Durham clustering down to n_jets (FastJet ee_kt_algorithm, exclusive_jets(n_jets)).
 * If n ≤ n_jets the inputs are returned as they are. jets: capacity n_jets; assign optional.
 * The jets come in the order of their lowest input index. */
int jx_durham_exclusive (const JxP4 *particles, size_t n, size_t n_jets,
                         JxP4 *jets, int *assign, JxClusterWork *work);

/* The subjet step of the paper (Sect. 3.1): inclusive C/A at radius rsub, then keep the
 * subjets with E ≥ esub. rsub = 0 skips the clustering, esub = 0 skips the cut.
 * out: capacity n; receives the kept subjets; *n_out their count (may be 0). */
int jx_subjets (const JxP4 *particles, size_t n, double rsub, double esub,
                JxP4 *out, size_t *n_out, JxClusterWork *work);
/* The same with the given metric: for JX_METRIC_PP the C/A step is genkt (p = 0) in (y, φ)
 * at radius rsub; the cut stays on the energy, E ≥ esub. */
int jx_subjets_metric (const JxP4 *particles, size_t n, JxMetric metric, double rsub,
                       double esub, JxP4 *out, size_t *n_out, JxClusterWork *work);
