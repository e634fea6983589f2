/* jx-cluster.c — see jx-cluster.h.
 *
 * One engine serves every algorithm: FastJet's "N2Plain" nearest-neighbour scheme for
 * e+e- distances. Each live cluster keeps its geometric nearest neighbour (smallest
 * 2(1 − n̂_i·n̂_j)) and d_iJ = min(s_i, s_NN)·dist, where s = E^{2p}; the smallest d_iJ is
 * the smallest d_ij overall, so each merge costs one O(m) pass.
 *
 * Distances are evaluated with exactly FastJet's floating-point expressions
 * (n̂ = p⃗/√(px²+py²+pz²), 1 − x − y − z, times 2, s = pow(E², p)) so that the merge
 * sequence is the same as FastJet's bit for bit, which the FastJet cross-check relies on.
 *
 * Live clusters sit in compact arrays kept in increasing order of their "index" = the
 * lowest input index they contain (a merged cluster takes the lower slot, removal is an
 * order-preserving shift). Ties are then broken by position: a cluster's neighbour is the
 * lowest one among equal distances, and among equal d the pair (i, j), i < j, with the
 * smallest i, then j, merges first (a beam step of i counts as (i, ∞)). Every pair with the
 * minimal d is either stored at one of its ends or beaten by a stored pair in this order,
 * so the rule is exact, not only for C/A.
 */
#include "jx-cluster.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jx-cluster-private.h"

const char *
jx_algorithm_name (JxAlgorithm algorithm)
{
  switch (algorithm)
    {
    case JX_ALGO_CA:
      return "ca";
    case JX_ALGO_KT:
      return "kt";
    case JX_ALGO_ANTIKT:
      return "antikt";
    case JX_ALGO_PRINTER:
      return "printer";
    }
  return "unknown";
}

int
jx_algorithm_parse (const char *name, JxAlgorithm *out, JxError *err)
{
  static const struct {
    const char *name;
    JxAlgorithm algorithm;
  } names[] = {
    { "ca", JX_ALGO_CA },         { "cambridge", JX_ALGO_CA }, { "c/a", JX_ALGO_CA },
    { "kt", JX_ALGO_KT },         { "antikt", JX_ALGO_ANTIKT }, { "anti-kt", JX_ALGO_ANTIKT },
    { "anti_kt", JX_ALGO_ANTIKT }, { "printer", JX_ALGO_PRINTER },
  };
  if (name != NULL)
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      if (strcasecmp (name, names[i].name) == 0)
        {
          if (out != NULL)
            *out = names[i].algorithm;
          return 0;
        }
  return jx_error_set (err, JX_ERR_INVALID,
                       "unknown clustering algorithm '%s': use ca, kt, antikt or printer",
                       name != NULL ? name : "(null)");
}

/* ---- scratch memory ---------------------------------------------------------------- */

JxClusterWork *
jx_cluster_work_new (void)
{
  return calloc (1, sizeof (JxClusterWork));
}

void
jx_cluster_work_free (JxClusterWork *work)
{
  if (work == NULL)
    return;
  free (work->block);
  free (work);
}

int
jx_cluster_work_reserve (JxClusterWork *w, size_t n)
{
  if (n <= w->cap)
    return 0;
  if (n > (size_t) INT_MAX / 4)
    return JX_ERR_RANGE;
  size_t cap = w->cap * 2 > n ? w->cap * 2 : n;
  if (cap < 64)
    cap = 64;
  /* 10 double arrays, 2 JxP4 arrays and the printer keys of cap; 10·cap ints. */
  size_t bytes = 10 * cap * sizeof (double) + 2 * cap * sizeof (JxP4)
                 + cap * sizeof (JxPrinterKey) + 10 * cap * sizeof (int);
  char *block = malloc (bytes);
  if (block == NULL)
    return JX_ERR_NOMEM;
  free (w->block);
  w->block = block;
  w->cap = cap;
  double *d = (double *) block;
  w->px = d;
  w->py = d + cap;
  w->pz = d + 2 * cap;
  w->E = d + 3 * cap;
  w->nx = d + 4 * cap;
  w->ny = d + 5 * cap;
  w->nz = d + 6 * cap;
  w->s = d + 7 * cap;
  w->nndist = d + 8 * cap;
  w->dij = d + 9 * cap;
  w->p4 = (JxP4 *) (d + 10 * cap);
  w->sub = w->p4 + cap;
  w->keys = (JxPrinterKey *) (w->sub + cap);
  int *ip = (int *) (w->keys + cap);
  w->nn = ip;
  w->node = ip + cap;
  w->merge_a = ip + 2 * cap;  /* 2·cap each: merges, including beam steps */
  w->merge_b = ip + 4 * cap;
  w->parent = ip + 6 * cap;
  w->jet_of = ip + 8 * cap;
  return 0;
}

/* ---- the engine -------------------------------------------------------------------- */

static inline double
ee_dist (const JxClusterWork *w, size_t i, size_t j)
{
  /* FastJet's expression and evaluation order, for identical decisions. */
  double d = 1.0 - w->nx[i] * w->nx[j] - w->ny[i] * w->ny[j] - w->nz[i] * w->nz[j];
  return d * 2;
}

static void
set_info (JxClusterWork *w, const JxEngineSpec *spec, size_t i, double E, double px, double py,
          double pz, int node)
{
  w->E[i] = E;
  w->px[i] = px;
  w->py[i] = py;
  w->pz[i] = pz;
  w->node[i] = node;
  double scale = E * E;
  if (!spec->durham)
    {
      double p = spec->p_exp;
      if (p <= 0 && scale < 1e-300)
        scale = 1e-300;
      if (p == 0)
        scale = 1.0;
      else if (p != 1)
        scale = pow (scale, p);
    }
  w->s[i] = scale;
  double norm = (px * px + py * py) + pz * pz;
  if (norm > 0)
    {
      norm = 1.0 / sqrt (norm);
      w->nx[i] = norm * px;
      w->ny[i] = norm * py;
      w->nz[i] = norm * pz;
    }
  else
    {
      w->nx[i] = 0.0;
      w->ny[i] = 0.0;
      w->nz[i] = 1.0;
    }
}

static inline double
diJ (const JxClusterWork *w, size_t i)
{
  double s = w->s[i];
  int j = w->nn[i];
  if (j >= 0 && w->s[j] < s)
    s = w->s[j];
  return w->nndist[i] * s;
}

/* Nearest neighbour of i among all m live clusters; lowest position wins ties. */
static void
nn_full (JxClusterWork *w, size_t m, size_t i, double R2)
{
  double best = R2;
  int bj = -1;
  for (size_t j = 0; j < m; j++)
    {
      if (j == i)
        continue;
      double d = ee_dist (w, i, j);
      if (d < best)
        {
          best = d;
          bj = (int) j;
        }
    }
  w->nn[i] = bj;
  w->nndist[i] = best;
}

/* Remove position r from the live arrays, keeping the order. */
static void
remove_pos (JxClusterWork *w, size_t m, size_t r)
{
  size_t k = m - r - 1;
  if (k == 0)
    return;
  double *arrays[] = { w->px, w->py, w->pz, w->E, w->nx, w->ny, w->nz, w->s, w->nndist, w->dij };
  for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++)
    memmove (arrays[a] + r, arrays[a] + r + 1, k * sizeof (double));
  memmove (w->nn + r, w->nn + r + 1, k * sizeof (int));
  memmove (w->node + r, w->node + r + 1, k * sizeof (int));
}

size_t
jx_cluster_engine_run (JxClusterWork *w, const JxEngineSpec *spec, const JxP4 *p, size_t n, size_t *m_left)
{
  const double R2 = spec->R2;
  size_t m = n;
  w->n_final = 0;
  for (size_t i = 0; i < n; i++)
    set_info (w, spec, i, p[i].E, p[i].px, p[i].py, p[i].pz, (int) i);

  /* Initial neighbours: each pair once, both ends updated (lowest index wins ties). */
  for (size_t i = 0; i < m; i++)
    {
      w->nn[i] = -1;
      w->nndist[i] = R2;
    }
  for (size_t i = 1; i < m; i++)
    {
      double best = w->nndist[i];
      int bj = w->nn[i];
      const double xi = w->nx[i], yi = w->ny[i], zi = w->nz[i];
      for (size_t j = 0; j < i; j++)
        {
          double d = 2 * (1.0 - xi * w->nx[j] - yi * w->ny[j] - zi * w->nz[j]);
          if (d < best)
            {
              best = d;
              bj = (int) j;
            }
          if (d < w->nndist[j])
            {
              w->nndist[j] = d;
              w->nn[j] = (int) i;
            }
        }
      w->nn[i] = bj;
      w->nndist[i] = best;
    }
  for (size_t i = 0; i < m; i++)
    w->dij[i] = diJ (w, i);

  size_t steps = 0;
  while (m > spec->stop && m > 0)
    {
      /* Smallest d, then the tie rule (see top of file). */
      double dmin = w->dij[0];
      for (size_t i = 1; i < m; i++)
        if (w->dij[i] < dmin)
          dmin = w->dij[i];
      size_t lo = SIZE_MAX, hi = SIZE_MAX;
      for (size_t i = 0; i < m; i++)
        {
          if (w->dij[i] != dmin)
            continue;
          int j = w->nn[i];
          size_t a = i, b = SIZE_MAX;
          if (j >= 0)
            {
              a = i < (size_t) j ? i : (size_t) j;
              b = i < (size_t) j ? (size_t) j : i;
            }
          if (a < lo || (a == lo && b < hi))
            {
              lo = a;
              hi = b;
            }
        }

      int new_node = (int) (n + steps);
      if (hi == SIZE_MAX)
        {
          /* Beam step: lo becomes final. */
          w->merge_a[steps] = w->node[lo];
          w->merge_b[steps] = -1;
          w->jet_of[w->node[lo]] = (int) w->n_final;
          w->p4[w->n_final++] = (JxP4) { w->E[lo], w->px[lo], w->py[lo], w->pz[lo] };
          steps++;
          remove_pos (w, m, lo);
          m--;
          for (size_t i = 0; i < m; i++)
            {
              int j = w->nn[i];
              if (j == (int) lo)
                {
                  nn_full (w, m, i, R2);
                  w->dij[i] = diJ (w, i);
                }
              else if (j > (int) lo)
                w->nn[i] = j - 1;
            }
          continue;
        }

      size_t a = lo, b = hi;
      w->merge_a[steps] = w->node[a];
      w->merge_b[steps] = w->node[b];
      steps++;
      double E = w->E[a] + w->E[b], px = w->px[a] + w->px[b];
      double py = w->py[a] + w->py[b], pz = w->pz[a] + w->pz[b];
      remove_pos (w, m, b);
      m--;
      set_info (w, spec, a, E, px, py, pz, new_node);

      /* One pass: repair neighbours that pointed at a or b, offer the new cluster to
       * everyone else, and find the new cluster's own neighbour on the way. */
      double best_a = R2;
      int nn_a = -1;
      const int ia = (int) a, ib = (int) b;
      for (size_t i = 0; i < m; i++)
        {
          if (i == a)
            continue;
          int j = w->nn[i];
          double d = ee_dist (w, i, a);
          if (d < best_a)
            {
              best_a = d;
              nn_a = (int) i;
            }
          if (j == ia || j == ib)
            nn_full (w, m, i, R2);
          else
            {
              if (j > ib)
                j--;
              if (d < w->nndist[i] || (d == w->nndist[i] && j >= 0 && ia < j))
                {
                  w->nndist[i] = d;
                  j = ia;
                }
              w->nn[i] = j;
            }
          w->dij[i] = diJ (w, i);
        }
      w->nn[a] = nn_a;
      w->nndist[a] = best_a;
      w->dij[a] = diJ (w, a);
    }
  if (m_left != NULL)
    *m_left = m;
  return steps;
}

/* Final-jet index of every input; jet_of must hold the final nodes' jet indices. */
static void
propagate_assign (JxClusterWork *w, size_t n, size_t steps, int *assign)
{
  for (size_t node = 0; node < n + steps; node++)
    w->parent[node] = -1;
  for (size_t k = 0; k < steps; k++)
    if (w->merge_b[k] >= 0)
      {
        w->parent[w->merge_a[k]] = (int) (n + k);
        w->parent[w->merge_b[k]] = (int) (n + k);
      }
  /* Parents have higher ids than their daughters. */
  for (size_t node = n + steps; node-- > 0;)
    if (w->parent[node] >= 0)
      w->jet_of[node] = w->jet_of[w->parent[node]];
  for (size_t i = 0; i < n; i++)
    assign[i] = w->jet_of[i];
}

static double
genkt_R2 (double R)
{
  /* FastJet's choice: above π a value that lets back-to-back pairs merge. */
  return R > M_PI ? 2 * (3.0 + cos (R)) : 2 * (1.0 - cos (R));
}

int
jx_genkt_inclusive (const JxP4 *particles, size_t n, double p_exp, double R, JxP4 *jets,
                    size_t *n_jets, int *assign, JxClusterWork *work)
{
  *n_jets = 0;
  if (n == 0)
    return 0;
  JxClusterWork *w = work != NULL ? work : jx_cluster_work_new ();
  if (w == NULL)
    return JX_ERR_NOMEM;
  int rc = jx_cluster_work_reserve (w, n);
  if (rc == 0)
    {
      JxEngineSpec spec = { .durham = false, .p_exp = p_exp, .R2 = genkt_R2 (R), .stop = 0 };
      size_t steps = jx_cluster_engine_run (w, &spec, particles, n, NULL);
      memcpy (jets, w->p4, w->n_final * sizeof (JxP4));
      *n_jets = w->n_final;
      if (assign != NULL)
        propagate_assign (w, n, steps, assign);
    }
  if (work == NULL)
    jx_cluster_work_free (w);
  return rc;
}

int
jx_durham_exclusive (const JxP4 *particles, size_t n, size_t n_jets, JxP4 *jets, int *assign,
                     JxClusterWork *work)
{
  if (n <= n_jets)
    {
      memcpy (jets, particles, n * sizeof (JxP4));
      if (assign != NULL)
        for (size_t i = 0; i < n; i++)
          assign[i] = (int) i;
      return 0;
    }
  JxClusterWork *w = work != NULL ? work : jx_cluster_work_new ();
  if (w == NULL)
    return JX_ERR_NOMEM;
  int rc = jx_cluster_work_reserve (w, n);
  if (rc == 0)
    {
      JxEngineSpec spec = { .durham = true, .p_exp = 1, .R2 = INFINITY, .stop = n_jets };
      size_t m = 0;
      size_t steps = jx_cluster_engine_run (w, &spec, particles, n, &m);
      for (size_t i = 0; i < m; i++)
        {
          jets[i] = (JxP4) { w->E[i], w->px[i], w->py[i], w->pz[i] };
          w->jet_of[w->node[i]] = (int) i;
        }
      if (assign != NULL)
        propagate_assign (w, n, steps, assign);
    }
  if (work == NULL)
    jx_cluster_work_free (w);
  return rc;
}

int
jx_subjets (const JxP4 *particles, size_t n, double rsub, double esub, JxP4 *out,
            size_t *n_out, JxClusterWork *work)
{
  size_t k = 0;
  *n_out = 0;
  if (rsub > 0)
    {
      int rc = jx_genkt_inclusive (particles, n, 0.0, rsub, out, &k, NULL, work);
      if (rc < 0)
        return rc;
    }
  else
    {
      memcpy (out, particles, n * sizeof (JxP4));
      k = n;
    }
  if (esub > 0)
    {
      size_t kept = 0;
      for (size_t i = 0; i < k; i++)
        if (out[i].E >= esub)
          out[kept++] = out[i];
      k = kept;
    }
  *n_out = k;
  return 0;
}
