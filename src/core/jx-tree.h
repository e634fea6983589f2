/* jx-tree.h — a jet's JUNIPR clustering tree and its declustering sequence (DESIGN.md §3).
 *
 * The jet's particles (after the optional subjet step) are clustered into one binary tree
 * with C/A, kt, anti-kt (ee_genkt with a radius that merges everything; with the pp metric
 * genkt in (y, φ) without beam distance, which is FastJet's genkt_algorithm at R = 7 with
 * exclusive_jets(1) whenever that holds every particle — the JUNIPR authors' converter) or
 * the printer algorithm (its projection is the same for both metrics).
 * Read from the root, the tree is a sequence of 1→2 branchings t = 1..n−1 (3-D angles and
 * energies for both metrics):
 *  - the intermediate state at step t is the list of t momenta sorted by energy,
 *    descending (ties: lower node index first);
 *  - the mother index m_t is the mother's position (0-based) in that list;
 *  - daughters are ordered harder (higher E) first;
 *  - the branching is x_t = (z, θ, φ, δ): z = E_soft/E_mother, θ (δ) = opening angle of the
 *    soft (hard) daughter to the mother, φ = azimuth of the soft daughter around the
 *    mother (jx-momentum.h convention).
 * Step t declusters the merge made last-but-(t−1) by the clustering (reverse clustering
 * order), so step 1 splits the root.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-cluster.h"
#include "jx-error.h"
#include "jx-momentum.h"

typedef struct {
  JxAlgorithm algorithm;  /* tree algorithm; default C/A */
  double esub;            /* subjet energy cut [GeV]; default 1; 0 = off */
  double rsub;            /* subjet radius [rad]; default 0.1; 0 = off */
  JxMetric metric;        /* distances of the subjet step and the tree; default ee (last, so
                           * that positional initializers written before it keep ee) */
} JxClusterOptions;

void jx_cluster_options_default (JxClusterOptions *opt);

typedef struct {
  JxP4 p;
  int mother;        /* node this one was split from; −1 for the root */
  int daughter[2];   /* [0] harder, [1] softer; −1 for final particles */
  int step;          /* step t (1..n−1) at which this node splits; 0 for final particles */
  int born;          /* step at which this node appears: 0 for the root, t for daughters of t */
} JxNode;

typedef struct {
  double z, theta, phi, delta;
} JxBranching;

typedef struct {
  int mother_index;  /* m_t: 0-based position of the mother in the energy-ordered state */
  int mother;        /* node index of the mother */
  int daughter[2];   /* node indices, harder first */
  JxBranching x;
} JxStep;

typedef struct {
  size_t n;          /* final particles (leaves); n ≥ 1 */
  JxNode *nodes;     /* 2n−1 nodes; 0..n−1 are the final particles in input order */
  int root;          /* index of the root node (the jet) */
  JxStep *steps;     /* n−1 steps; step t is steps[t−1] */
} JxTree;

/* Subjet step (per opt) then clustering into one tree. Fails with JX_ERR_INVALID when no
 * particle survives the subjet step or an input is not finite. tree must be freed with
 * jx_tree_free (also after failure: it is left empty). work may be NULL. */
int jx_tree_build (JxTree *tree, const JxP4 *particles, size_t n,
                   const JxClusterOptions *opt, JxClusterWork *work, JxError *err);

/* Build a tree from final particles already chosen (no subjet step), e+e- metric. */
int jx_tree_build_from_particles (JxTree *tree, const JxP4 *particles, size_t n,
                                  JxAlgorithm algorithm, JxClusterWork *work, JxError *err);
/* The same with the given metric. */
int jx_tree_build_from_particles_metric (JxTree *tree, const JxP4 *particles, size_t n,
                                         JxAlgorithm algorithm, JxMetric metric,
                                         JxClusterWork *work, JxError *err);

/* Whether two clusterings are the same (algorithm, metric, E_sub, R_sub). */
bool jx_cluster_options_equal (const JxClusterOptions *a, const JxClusterOptions *b);

void jx_tree_free (JxTree *tree);

/* The node numbering every tree has, whoever builds it (the clustering here, a sampled
 * shower's replay in jx-sample.c): leaves 0..n−1, and the node split at step t (1..n−1) is
 * 2n−1−t, so the root is 2n−2; the map is its own inverse (node m splits at step 2n−1−m). */
static inline int
jx_tree_split_node (size_t n, int t)
{
  return (int) (2 * n - 1) - t;
}

/* tree->nodes (2n−1) and tree->steps (n−1) in the one block jx_tree_free releases; root
 * and n are set, the nodes and steps are the caller's to fill. JX_ERR_NOMEM (tree left
 * empty) when there is no memory. */
int jx_tree_alloc (JxTree *tree, size_t n, JxError *err);

/* Node indices of the intermediate state at step t (1..n; t = n is the final state),
 * energy-ordered as described above. out: capacity t. */
void jx_tree_state (const JxTree *tree, int t, int *out);

/* atan2 as used for the branchings: a few ulp from libm's, several times cheaper; the
 * relative precision of small angles is kept. Exposed for the tests. */
double jx_tree_atan2 (double y, double x);
