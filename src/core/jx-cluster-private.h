/* jx-cluster-private.h — the clustering engine shared by jx-cluster.c and jx-tree.c.
 * Not installed; not part of the library's API. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-cluster.h"

/* Sort key of the printer algorithm: projected position and input index. */
typedef struct {
  double x, y;
  int index;
} JxPrinterKey;

struct JxClusterWork {
  size_t cap;   /* particles the arrays below can hold */
  char *block;  /* one allocation holding every array */
  /* Live clusters, by position: momentum, unit direction (pp: rapidity in nx, azimuth in
   * [0, 2π) in ny), scale s = E^{2p} (pp: kt^{2p}), nearest neighbour (position or −1 =
   * beam), its geometric distance, d_iJ, node id, slot (lowest input index inside, for ties). */
  double *px, *py, *pz, *E, *nx, *ny, *nz, *s, *nndist, *dij;
  int *nn, *node, *slot;
  double *row, *row2;  /* distance rows */
  /* History, 2·cap each: step k merged nodes merge_a[k] and merge_b[k] (−1: beam step)
   * into node n + k. parent and jet_of are per node. */
  int *merge_a, *merge_b, *parent, *jet_of;
  JxP4 *p4;            /* cap: final jets of beam steps, in order */
  JxP4 *sub;           /* cap: the subjets of jx_tree_build */
  JxPrinterKey *keys;  /* cap: printer order */
  size_t n_final;  /* beam steps of the last run */
  bool pp;         /* metric of the current run (JxEngineSpec.pp) */
};

typedef struct {
  bool durham;   /* s = E² (ee_kt), no exponent */
  bool pp;       /* longitudinally invariant: s = kt^{2p}, distance Δy² + Δφ² */
  double p_exp;  /* genkt exponent */
  double R2;     /* geometric beam threshold 2(1 − cos R) (pp: R²); INFINITY: never a beam step */
  size_t stop;   /* stop when this many clusters are left (0: until all are final) */
} JxEngineSpec;

/* Grows w to hold n particles. 0, JX_ERR_NOMEM or JX_ERR_RANGE. */
int jx_cluster_work_reserve (JxClusterWork *w, size_t n);

/* Clusters p[0..n) (n ≤ w->cap) and records every step k in merge_a[k], merge_b[k].
 * Leaves are nodes 0..n−1 and step k creates node n + k. Returns the number of steps;
 * the clusters left when stopping early are the first *m_left live positions (any order;
 * w->slot tells their lowest input index). */
size_t jx_cluster_engine_run (JxClusterWork *w, const JxEngineSpec *spec, const JxP4 *p,
                              size_t n, size_t *m_left);
