/* jx-cluster.c — see jx-cluster.h.
 *
 * One engine serves every algorithm: FastJet's "N2Plain" nearest-neighbour scheme for
 * e+e- distances, and for the pp metric the same scheme on FastJet's (y, φ) distances. Each live cluster keeps its geometric nearest neighbour (smallest
 * 2(1 − n̂_i·n̂_j)) and d_iJ = min(s_i, s_NN)·dist, where s = E^{2p}; the smallest d_iJ is
 * the smallest d_ij overall, so each merge costs one O(m) pass.
 *
 * Distances are evaluated with exactly FastJet's floating-point expressions
 * (n̂ = p⃗/√(px²+py²+pz²), 1 − x − y − z, times 2, s = pow(E², p); pp: PseudoJet's rapidity
 * and φ, Δφ folded into [0, π], Δφ² + Δy², s = pow(kt², p)) so that the merge
 * sequence is the same as FastJet's bit for bit, which the FastJet cross-check relies on.
 *
 * Live clusters sit in compact arrays (a removed one is replaced by the last). Each has a
 * "slot" = the lowest input index it contains, which breaks ties: a cluster's neighbour is
 * the lowest slot among equal distances, and among equal d the pair (i, j), i < j by slot,
 * with the smallest i, then j, merges first (a beam step of i counts as (i, ∞)). Every pair
 * with the minimal d is either stored at one of its ends or beaten by a stored pair in
 * this order, so the rule is exact, not only for C/A.
 *
 * At jet sizes (n ≲ 250) mispredicted branches cost more than the arithmetic, so the
 * running minima are branch-free (minsd + cmov) and rare events (exact ties, a neighbour
 * merged away) are the only branches taken in the O(m) loops.
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

const char *
jx_metric_name (JxMetric metric)
{
  return metric == JX_METRIC_PP ? "pp" : metric == JX_METRIC_EE ? "ee" : "unknown";
}

int
jx_metric_parse (const char *name, JxMetric *out, JxError *err)
{
  JxMetric m;
  if (name != NULL && strcasecmp (name, "ee") == 0)
    m = JX_METRIC_EE;
  else if (name != NULL && strcasecmp (name, "pp") == 0)
    m = JX_METRIC_PP;
  else
    return jx_error_set (err, JX_ERR_INVALID,
                         "unknown clustering metric '%s': use ee (e+e-: angles, energies) or pp "
                         "(rapidity-azimuth, transverse momenta)",
                         name != NULL ? name : "(null)");
  if (out != NULL)
    *out = m;
  return 0;
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
  n += 1;  /* room for one sentinel entry past the live ones */
  if (n <= w->cap)
    return 0;
  if (n > (size_t) INT_MAX / 4)
    return JX_ERR_RANGE;
  size_t cap = w->cap * 2 > n ? w->cap * 2 : n;
  if (cap < 64)
    cap = 64;
  cap = (cap + 7) & ~(size_t) 7;  /* whole vectors per array */
  /* 12 double arrays, 2 JxP4 arrays and the printer keys of cap; 11·cap ints. */
  size_t bytes = 12 * cap * sizeof (double) + 2 * cap * sizeof (JxP4)
                 + cap * sizeof (JxPrinterKey) + 11 * cap * sizeof (int);
  /* Zeroed: the vector loops may read one entry past the live ones (always finite). */
  char *block = calloc (1, bytes);
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
  w->row = d + 10 * cap;
  w->row2 = d + 11 * cap;
  w->p4 = (JxP4 *) (d + 12 * cap);
  w->sub = w->p4 + cap;
  w->keys = (JxPrinterKey *) (w->sub + cap);
  int *ip = (int *) (w->keys + cap);
  w->nn = ip;
  w->node = ip + cap;
  w->merge_a = ip + 2 * cap;  /* 2·cap each: merges, including beam steps */
  w->merge_b = ip + 4 * cap;
  w->parent = ip + 6 * cap;
  w->jet_of = ip + 8 * cap;
  w->slot = ip + 10 * cap;
  return 0;
}

/* ---- the engine -------------------------------------------------------------------- */

/* FastJet's scale of a cluster for genkt: pow(x, p) with x = E² (ee) or kt² (pp), and x
 * raised to 1e-300 for p ≤ 0 so that a zero does not divide. */
static double
genkt_scale (const JxEngineSpec *spec, double x)
{
  if (spec->durham)
    return x;
  double p = spec->p_exp;
  if (p <= 0 && x < 1e-300)
    x = 1e-300;
  if (p == 0)
    return 1.0;
  return p == 1 ? x : pow (x, p);
}

/* PseudoJet's rapidity and azimuth in [0, 2π), with the same operations. */
static void
pp_rap_phi (double E, double px, double py, double pz, double *rap, double *phi)
{
  double kt2 = px * px + py * py;
  /* (FastJet tests kt2 == 0; the same but where kt2 underflows for a tiny momentum) */
  double f = px == 0.0 && py == 0.0 ? 0.0 : atan2 (py, px);
  if (f < 0.0)
    f += 2 * M_PI;
  if (f >= 2 * M_PI)
    f -= 2 * M_PI;
  *phi = f;
  if (E == fabs (pz) && kt2 == 0)
    {
      /* On the beam: a large rapidity that still orders different pz. */
      double big = 1e5 + fabs (pz);
      *rap = pz >= 0.0 ? big : -big;
      return;
    }
  double m2 = (E + pz) * (E - pz) - kt2;
  double eff_m2 = m2 > 0.0 ? m2 : 0.0;
  double e_plus_pz = E + fabs (pz);
  double num = kt2 + eff_m2, den = e_plus_pz * e_plus_pz;
  if (den == 0.0 || num == 0.0)
    {
      /* Squares that underflow (a valid momentum of 1e-231 GeV) gave 0/0 and a NaN that no
       * distance compares with, so the tree had a step merging nothing. The rapidity does
       * not depend on the scale: compute it on the momentum divided by its largest
       * component; what is still 0 then is a (spacelike) momentum along the beam. */
      double scale = fmax (fmax (fabs (E), fabs (pz)), fmax (fabs (px), fabs (py)));
      double e = E / scale, x = px / scale, yy = py / scale, z = pz / scale;
      double k2 = x * x + yy * yy, mm2 = (e + z) * (e - z) - k2, epz = e + fabs (z);
      num = k2 + (mm2 > 0.0 ? mm2 : 0.0);
      den = epz * epz;
      if (num == 0.0 || den == 0.0)
        {
          double big = 1e5 + fabs (pz);
          *rap = pz >= 0.0 ? big : -big;
          return;
        }
    }
  double y = 0.5 * log (num / den);
  *rap = pz > 0 ? -y : y;
}

static void
set_info (JxClusterWork *w, const JxEngineSpec *spec, size_t i, double E, double px, double py,
          double pz, int node, int slot)
{
  w->E[i] = E;
  w->px[i] = px;
  w->py[i] = py;
  w->pz[i] = pz;
  w->node[i] = node;
  w->slot[i] = slot;
  if (spec->pp)
    {
      w->s[i] = genkt_scale (spec, px * px + py * py);
      pp_rap_phi (E, px, py, pz, &w->nx[i], &w->ny[i]);
      w->nz[i] = 0.0;
      return;
    }
  w->s[i] = genkt_scale (spec, E * E);
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

/* Distance rows are computed on 2-wide vectors (GCC/Clang vector extensions: SSE2 on
 * x86-64, which every x86-64 has). Element-wise IEEE operations in the same order as the
 * scalar expression give the same bits, so FastJet's decisions are kept. */
typedef double V2d __attribute__ ((vector_size (16)));

static inline V2d
vload (const double *p)
{
  V2d v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline void
vstore (double *p, V2d v)
{
  memcpy (p, &v, sizeof v);
}

typedef long long V2i __attribute__ ((vector_size (16)));

static inline V2d
vselect (V2i mask, V2d a, V2d b)
{
  return (V2d) ((mask & (V2i) a) | (~mask & (V2i) b));
}

/* out[j] = 2(1 − n̂·n̂_j) for j in [0, m): FastJet's distance, bit for bit. */
static void
dist_row_ee (const JxClusterWork *w, double x, double y, double z, size_t m, double *out)
{
  /* Whole vectors only: an odd m computes one more entry (out has room; the input entry
   * past the live ones is a stale or zeroed one, finite either way). */
  const double *nx = w->nx, *ny = w->ny, *nz = w->nz;
  const V2d one = { 1, 1 }, two = { 2, 2 };
  const V2d vx = { x, x }, vy = { y, y }, vz = { z, z };
  for (size_t j = 0; j < m; j += 2)
    {
      V2d d = one - vx * vload (nx + j) - vy * vload (ny + j) - vz * vload (nz + j);
      vstore (out + j, d * two);
    }
}

/* out[j] = Δφ² + Δy² for j in [0, m), Δφ = |φ − φ_j| folded to 2π − Δφ above π: FastJet's
 * pp distance, bit for bit (the same operations in the same order). */
static void
dist_row_pp (const JxClusterWork *w, double rap, double phi, size_t m, double *out)
{
  const double *ry = w->nx, *rphi = w->ny;
  const V2d vpi = { M_PI, M_PI }, vtwopi = { 2 * M_PI, 2 * M_PI };
  const V2d vr = { rap, rap }, vp = { phi, phi };
  const V2i sign = { (long long) 0x7fffffffffffffffLL, (long long) 0x7fffffffffffffffLL };
  for (size_t j = 0; j < m; j += 2)
    {
      V2d dphi = (V2d) ((V2i) (vp - vload (rphi + j)) & sign);   /* |Δφ| */
      dphi = vselect (dphi > vpi, vtwopi - dphi, dphi);
      V2d deta = vr - vload (ry + j);
      vstore (out + j, dphi * dphi + deta * deta);
    }
}

/* Distances of cluster i to the first m live ones in the metric of the current run. */
static inline void
dist_row (const JxClusterWork *w, size_t i, size_t m, double *out)
{
  if (w->pp)
    dist_row_pp (w, w->nx[i], w->ny[i], m, out);
  else
    dist_row_ee (w, w->nx[i], w->ny[i], w->nz[i], m, out);
}

/* Nearest neighbour of i among the m live clusters (a pair only if closer than R2); the
 * lowest slot wins ties. */
static void
nn_full (JxClusterWork *w, size_t m, size_t i, double R2)
{
  double *row = w->row2;
  dist_row (w, i, m, row);
  row[i] = INFINITY;
  /* Branch-free running minimum (minsd + cmov); exact ties take the rare branch. */
  double best = R2;
  int bj = -1;
  for (size_t j = 0; j < m; j++)
    {
      double d = row[j];
      if (d == best && d < R2)
        {
          if (w->slot[j] < w->slot[bj])
            bj = (int) j;
          continue;
        }
      bj = d < best ? (int) j : bj;
      best = d < best ? d : best;
    }
  w->nn[i] = bj;
  w->nndist[i] = best;
  w->dij[i] = diJ (w, i);
}

/* Move the cluster at position from to position to (from is then dead). */
static inline void
move_pos (JxClusterWork *w, size_t to, size_t from)
{
  w->px[to] = w->px[from];
  w->py[to] = w->py[from];
  w->pz[to] = w->pz[from];
  w->E[to] = w->E[from];
  w->nx[to] = w->nx[from];
  w->ny[to] = w->ny[from];
  w->nz[to] = w->nz[from];
  w->s[to] = w->s[from];
  w->nndist[to] = w->nndist[from];
  w->dij[to] = w->dij[from];
  w->nn[to] = w->nn[from];
  w->node[to] = w->node[from];
  w->slot[to] = w->slot[from];
}

/* The next step by the tie rule: smallest d, then lowest (lower slot, higher slot) with
 * a beam step of i counted as (slot_i, ∞). */
typedef struct {
  double d;
  int pos;  /* position holding the step (its neighbour is the partner; −1: beam) */
} Candidate;

static inline void
step_key (const JxClusterWork *w, int i, int *lo, int *hi)
{
  int j = w->nn[i], si = w->slot[i];
  *lo = si;
  *hi = INT_MAX;
  if (j >= 0)
    {
      int sj = w->slot[j];
      *lo = si < sj ? si : sj;
      *hi = si < sj ? sj : si;
    }
}

static inline void
offer (Candidate *c, const JxClusterWork *w, size_t i)
{
  double d = w->dij[i];
  if (d == c->d)
    {
      /* Rare but for the two ends of one pair (same key: keep the first). */
      int lo, hi, clo, chi;
      step_key (w, (int) i, &lo, &hi);
      if (c->pos < 0)
        c->pos = (int) i;
      else
        {
          step_key (w, c->pos, &clo, &chi);
          if (lo < clo || (lo == clo && hi < chi))
            c->pos = (int) i;
        }
      return;
    }
  c->pos = d < c->d ? (int) i : c->pos;
  c->d = d < c->d ? d : c->d;
}

/* Initial neighbours of the m clusters and the first candidate step. */
static Candidate
initial_neighbours (JxClusterWork *w, size_t m, double R2)
{
  /* Initial neighbours: each pair once, row i against the earlier ones, updating both
   * ends. Positions are slots here, and strict comparisons in increasing order keep the
   * lowest one among ties. */
  double *row = w->row, *col = w->row2;
  for (size_t i = 0; i < m; i++)
    {
      w->nndist[i] = R2;
      col[i] = -1.0;
    }
  for (size_t i = 1; i < m; i++)
    {
      dist_row (w, i, i, row);
      double best = R2;
      int bj = -1;
      for (size_t j = 0; j < i; j++)
        {
          double d = row[j];
          bj = d < best ? (int) j : bj;
          best = d < best ? d : best;
        }
      /* The earlier ones' neighbours, by blends; for odd i this also touches entry i,
       * which is set just below. */
      const V2d vi = { (double) i, (double) i };
      for (size_t j = 0; j < i; j += 2)
        {
          V2d d = vload (row + j), o = vload (w->nndist + j);
          V2i closer = d < o;
          vstore (w->nndist + j, vselect (closer, d, o));
          vstore (col + j, vselect (closer, vi, vload (col + j)));
        }
      w->nndist[i] = best;
      col[i] = (double) bj;
    }
  for (size_t i = 0; i < m; i++)
    w->nn[i] = (int) col[i];
  Candidate c = { INFINITY, -1 };
  for (size_t i = 0; i < m; i++)
    {
      w->dij[i] = diJ (w, i);
      offer (&c, w, i);
    }
  return c;
}

/* A beam step (exclusive clustering): the candidate's cluster becomes a final jet. */
static void
beam_step (JxClusterWork *w, Candidate *cand, size_t *m_io, size_t *steps_io, double R2)
{
  Candidate c = *cand;
  size_t m = *m_io, steps = *steps_io, last = m - 1;
  /* Beam step: r becomes final; the last cluster moves into its place. */
  size_t r = (size_t) c.pos;
  w->merge_a[steps] = w->node[r];
  w->merge_b[steps] = -1;
  w->jet_of[w->node[r]] = (int) w->n_final;
  w->p4[w->n_final++] = (JxP4) { w->E[r], w->px[r], w->py[r], w->pz[r] };
  steps++;
  if (r != last)
    move_pos (w, r, last);
  m--;
  c = (Candidate) { INFINITY, -1 };
  for (size_t i = 0; i < m; i++)
    {
      int j = w->nn[i];
      if (j == (int) r)
        nn_full (w, m, i, R2);
      else if (j == (int) last)
        w->nn[i] = (int) r;
      offer (&c, w, i);
    }
  *cand = c;
  *m_io = m;
  *steps_io = steps;
}

/* A pair step: the candidate and its neighbour merge. */
static void
pair_step (JxClusterWork *w, const JxEngineSpec *spec, size_t n, Candidate *cand, size_t *m_io,
           size_t *steps_io)
{
  const double R2 = spec->R2;
  double *row = w->row;
  Candidate c = *cand;
  size_t m = *m_io, steps = *steps_io, last = m - 1;
  int other = w->nn[c.pos];
  /* Pair step: the new cluster takes the lower position a, the last one fills b. */
  size_t a = (size_t) c.pos, b = (size_t) other;
  if (a > b)
    {
      size_t t = a;
      a = b;
      b = t;
    }
  int slot = w->slot[a] < w->slot[b] ? w->slot[a] : w->slot[b];
  int new_node = (int) (n + steps);
  w->merge_a[steps] = w->node[a];
  w->merge_b[steps] = w->node[b];
  steps++;
  double E = w->E[a] + w->E[b], px = w->px[a] + w->px[b];
  double py = w->py[a] + w->py[b], pz = w->pz[a] + w->pz[b];
  if (b != last)
    move_pos (w, b, last);
  m--;
  set_info (w, spec, a, E, px, py, pz, new_node, slot);

  /* The new cluster's distances to everyone (one vector pass) give its own
   * neighbour; then one pass repairs neighbours that pointed at a or b, offers the
   * new cluster to everyone else and finds the next step. */
  const int ia = (int) a, ib = (int) b, il = (int) last;
  dist_row (w, a, m, row);
  row[a] = INFINITY;
  double best_a = R2;
  int nn_a = -1;
  c = (Candidate) { INFINITY, -1 };
  /* Park a so that the loop body leaves it alone (no per-element test for it). */
  w->nn[a] = -2;
  w->dij[a] = INFINITY;
  for (size_t i = 0; i < m; i++)
    {
      double d = row[i];
      if (d == best_a && d < R2)
        {
          if (w->slot[i] < w->slot[nn_a])
            nn_a = (int) i;
        }
      else
        {
          nn_a = d < best_a ? (int) i : nn_a;
          best_a = d < best_a ? d : best_a;
        }
      int j = w->nn[i];
      if (j == ia || j == ib)
        {
          /* Every other cluster is at least the old distance away, so a new cluster
           * strictly closer than that is the neighbour; otherwise search. */
          if (d < w->nndist[i])
            {
              w->nndist[i] = d;
              w->nn[i] = ia;
              w->dij[i] = diJ (w, i);
            }
          else
            nn_full (w, m, i, R2);
        }
      else
        {
          j = j == il ? ib : j;
          w->nn[i] = j;
          if (d <= w->nndist[i])
            {
              if (d < w->nndist[i] || (j >= 0 && slot < w->slot[j]))
                {
                  w->nndist[i] = d;
                  w->nn[i] = ia;
                  w->dij[i] = diJ (w, i);
                }
            }
        }
      offer (&c, w, i);
    }
  w->nn[a] = nn_a;
  w->nndist[a] = best_a;
  w->dij[a] = diJ (w, a);
  offer (&c, w, a);
  *cand = c;
  *m_io = m;
  *steps_io = steps;
}

size_t
jx_cluster_engine_run (JxClusterWork *w, const JxEngineSpec *spec, const JxP4 *p, size_t n,
                       size_t *m_left)
{
  const double R2 = spec->R2;
  size_t m = n;
  w->n_final = 0;
  w->pp = spec->pp;
  for (size_t i = 0; i < n; i++)
    set_info (w, spec, i, p[i].E, p[i].px, p[i].py, p[i].pz, (int) i, (int) i);

  Candidate c = initial_neighbours (w, m, R2);

  size_t steps = 0;
  while (m > spec->stop && m > 0 && c.pos >= 0)
    {
      if (w->nn[c.pos] < 0)
        beam_step (w, &c, &m, &steps, R2);
      else
        pair_step (w, spec, n, &c, &m, &steps);
    }
  if (m_left != NULL)
    *m_left = m;
  return steps;
}

/* Finite and within JX_P4_MAX, so the distances' squares and products cannot overflow. */
static bool
all_finite (const JxP4 *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!jx_p4_in_range (p[i]))
      return false;
  return true;
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

/* Inclusive clustering with the engine (spec.stop = 0): jets in beam-step order. */
static int
inclusive (const JxEngineSpec *spec, const JxP4 *particles, size_t n, JxP4 *jets,
           size_t *n_jets, int *assign, JxClusterWork *work)
{
  *n_jets = 0;
  if (n == 0)
    return 0;
  if (!all_finite (particles, n))
    return JX_ERR_INVALID;
  JxClusterWork *w = work != NULL ? work : jx_cluster_work_new ();
  if (w == NULL)
    return JX_ERR_NOMEM;
  int rc = jx_cluster_work_reserve (w, n);
  if (rc == 0)
    {
      size_t steps = jx_cluster_engine_run (w, spec, particles, n, NULL);
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
jx_genkt_inclusive (const JxP4 *particles, size_t n, double p_exp, double R, JxP4 *jets,
                    size_t *n_jets, int *assign, JxClusterWork *work)
{
  JxEngineSpec spec = { .durham = false, .p_exp = p_exp, .R2 = genkt_R2 (R), .stop = 0 };
  return inclusive (&spec, particles, n, jets, n_jets, assign, work);
}

int
jx_pp_genkt_inclusive (const JxP4 *particles, size_t n, double p_exp, double R, JxP4 *jets,
                       size_t *n_jets, int *assign, JxClusterWork *work)
{
  JxEngineSpec spec = { .durham = false, .pp = true, .p_exp = p_exp, .R2 = R * R, .stop = 0 };
  return inclusive (&spec, particles, n, jets, n_jets, assign, work);
}

int
jx_durham_exclusive (const JxP4 *particles, size_t n, size_t n_jets, JxP4 *jets, int *assign,
                     JxClusterWork *work)
{
  if (!all_finite (particles, n))
    return JX_ERR_INVALID;
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
      /* Jets in the order of their lowest input index (insertion sort: m is small). */
      for (size_t i = 0; i < m; i++)
        {
          size_t k = i;
          int si = w->slot[i];
          while (k > 0 && w->slot[w->nn[k - 1]] > si)
            {
              w->nn[k] = w->nn[k - 1];
              k--;
            }
          w->nn[k] = (int) i;
        }
      for (size_t r = 0; r < m; r++)
        {
          size_t i = (size_t) w->nn[r];
          jets[r] = (JxP4) { w->E[i], w->px[i], w->py[i], w->pz[i] };
          w->jet_of[w->node[i]] = (int) r;
        }
      if (assign != NULL)
        propagate_assign (w, n, steps, assign);
    }
  if (work == NULL)
    jx_cluster_work_free (w);
  return rc;
}

int
jx_subjets_metric (const JxP4 *particles, size_t n, JxMetric metric, double rsub, double esub,
                   JxP4 *out, size_t *n_out, JxClusterWork *work)
{
  size_t k = 0;
  *n_out = 0;
  if (rsub > 0)
    {
      int rc = metric == JX_METRIC_PP
                 ? jx_pp_genkt_inclusive (particles, n, 0.0, rsub, out, &k, NULL, work)
                 : jx_genkt_inclusive (particles, n, 0.0, rsub, out, &k, NULL, work);
      if (rc < 0)
        return rc;
    }
  else
    {
      if (!all_finite (particles, n))
        return JX_ERR_INVALID;
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

int
jx_subjets (const JxP4 *particles, size_t n, double rsub, double esub, JxP4 *out,
            size_t *n_out, JxClusterWork *work)
{
  return jx_subjets_metric (particles, n, JX_METRIC_EE, rsub, esub, out, n_out, work);
}
