/* jx-tree.c — see jx-tree.h.
 *
 * Nodes 0..n−1 are the particles, node n + k is the k-th merge of the clustering, so the
 * root is node 2n − 2 and step t declusters node 2n − 1 − t.
 */
#include "jx-tree.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cluster-private.h"

void
jx_cluster_options_default (JxClusterOptions *opt)
{
  opt->algorithm = JX_ALGO_CA;
  opt->metric = JX_METRIC_EE;
  opt->esub = 1.0;
  opt->rsub = 0.1;
}

bool
jx_cluster_options_equal (const JxClusterOptions *a, const JxClusterOptions *b)
{
  return a->algorithm == b->algorithm && a->metric == b->metric && a->esub == b->esub
         && a->rsub == b->rsub;
}

void
jx_tree_free (JxTree *tree)
{
  if (tree == NULL)
    return;
  free (tree->nodes);  /* steps live in the same block */
  tree->nodes = NULL;
  tree->steps = NULL;
  tree->n = 0;
  tree->root = -1;
}

int
jx_tree_alloc (JxTree *tree, size_t n, JxError *err)
{
  size_t n_nodes = 2 * n - 1;
  JxNode *nodes = malloc (n_nodes * sizeof (JxNode) + (n - 1) * sizeof (JxStep));
  tree->n = nodes != NULL ? n : 0;
  tree->nodes = nodes;
  tree->steps = nodes != NULL ? (JxStep *) (nodes + n_nodes) : NULL;
  tree->root = nodes != NULL ? jx_tree_split_node (n, 1) : -1;
  if (nodes == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for a tree of %zu particles", n);
  return 0;
}

/* Energy order of the states: higher E first, ties lower node index first. */
static inline int
before (const JxNode *nodes, int a, int b)
{
  double ea = nodes[a].p.E, eb = nodes[b].p.E;
  return ea > eb || (ea == eb && a < b);
}

static int
check_finite (const JxP4 *p, size_t n, JxError *err)
{
  for (size_t i = 0; i < n; i++)
    /* x − x is 0 for finite x and NaN otherwise: one test per particle. */
    if ((p[i].E - p[i].E) + (p[i].px - p[i].px) + (p[i].py - p[i].py) + (p[i].pz - p[i].pz) != 0)
      return jx_error_set (err, JX_ERR_INVALID,
                           "particle %zu has a non-finite momentum (E=%g, px=%g, py=%g, pz=%g): "
                           "remove or repair it before clustering",
                           i, p[i].E, p[i].px, p[i].py, p[i].pz);
  return 0;
}

static int
cmp_printer (const void *pa, const void *pb)
{
  const JxPrinterKey *a = pa, *b = pb;
  if (a->x != b->x)
    return a->x > b->x ? -1 : 1;  /* right to left */
  if (a->y != b->y)
    return a->y < b->y ? -1 : 1;  /* then bottom to top */
  return a->index < b->index ? -1 : (a->index > b->index);
}

/* The printer order (DESIGN §3) as a merge history: the first particle of the scan
 * starts the cluster and each next one is merged into it. */
static void
printer_history (JxClusterWork *w, const JxP4 *p, size_t n)
{
  JxP4 axis = { 0, 0, 0, 0 };
  for (size_t i = 0; i < n; i++)
    axis = jx_p4_add (axis, p[i]);
  JxFrame frame;
  if (!jx_frame_from_axis (&frame, axis))
    jx_frame_from_axis (&frame, jx_p4 (1, 0, 0, 1));  /* jet at rest: any fixed frame */
  for (size_t i = 0; i < n; i++)
    {
      /* (θ cos φ, θ sin φ) written as θ·(u, v)/|(u, v)| with (u, v) the transverse
       * components: the same numbers, but exact zeros and ties stay exact (a particle
       * straight "above" the axis has x = 0, not θ·cos(π/2) ≈ 6e-17·θ). */
      const double *ex = frame.ex, *ey = frame.ey, *ez = frame.ez;
      double u = p[i].px * ex[0] + p[i].py * ex[1] + p[i].pz * ex[2];
      double v = p[i].px * ey[0] + p[i].py * ey[1] + p[i].pz * ey[2];
      double z = p[i].px * ez[0] + p[i].py * ez[1] + p[i].pz * ez[2];
      double rho = sqrt (u * u + v * v);
      double x = 0, y = 0;
      if (rho > 0)
        {
          double theta = atan2 (rho, z);
          x = theta * (u / rho);
          y = theta * (v / rho);
        }
      w->keys[i] = (JxPrinterKey) { x, y, (int) i };
    }
  qsort (w->keys, n, sizeof w->keys[0], cmp_printer);
  int cluster = w->keys[0].index;
  for (size_t k = 0; k + 1 < n; k++)
    {
      w->merge_a[k] = cluster;
      w->merge_b[k] = w->keys[k + 1].index;
      cluster = (int) (n + k);
    }
}

/* atan2 for the branchings, about 3× cheaper than libm's and within a few ulp of it:
 * reduce to t = min/max ∈ [0, 1], then to u = (t − c)/(1 + t c) with c = k/8 the nearest
 * eighth (|u| ≤ 1/16), and sum the Taylor series of atan(u) to u^15 (truncation < 1e-20).
 * Small angles keep their relative precision (c = 0 gives u = t exactly). */
static const double atan_eighths[9] = {
  0, 0.12435499454676144, 0.24497866312686414, 0.35877067027057225, 0.46364760900080609,
  0.55859931534356244, 0.64350110879328437, 0.71882999962162453, 0.78539816339744828,
};

double
jx_tree_atan2 (double y, double x)
{
  double ax = fabs (x), ay = fabs (y);
  int swap = ay > ax;
  double num = swap ? ax : ay, den = swap ? ay : ax;
  if (!(den > 0) || !(den < INFINITY) || !(num == num))
    return atan2 (y, x);  /* zeros, infinities, NaN: libm's conventions */
  double t = num / den;
  int k = (int) (t * 8 + 0.5);
  double c = k * 0.125;
  double u = (t - c) / (1 + t * c);
  double u2 = u * u;
  double p = -1.0 / 15;
  p = p * u2 + 1.0 / 13;
  p = p * u2 - 1.0 / 11;
  p = p * u2 + 1.0 / 9;
  p = p * u2 - 1.0 / 7;
  p = p * u2 + 1.0 / 5;
  p = p * u2 - 1.0 / 3;
  double r = atan_eighths[k] + (u + u * u2 * p);
  if (swap)
    r = M_PI_2 - r;
  if (x < 0)
    r = M_PI - r;
  return y < 0 ? -r : r;
}

/* The branching x = (z, θ, φ, δ), inlined here because it runs for every step. θ and δ
 * use atan2(|a×b|, a·b) like jx_p4_angle (accurate at small angles), with the cross
 * product shared: |soft × mother| = |hard × mother| = |soft × hard|. */
static JxBranching
branching (JxP4 mother, JxP4 hard, JxP4 soft)
{
  JxBranching x;
  x.z = mother.E != 0 ? soft.E / mother.E : 0.0;
  double cx = soft.py * hard.pz - soft.pz * hard.py;
  double cy = soft.pz * hard.px - soft.px * hard.pz;
  double cz = soft.px * hard.py - soft.py * hard.px;
  double cross = sqrt (cx * cx + cy * cy + cz * cz);
  double ds = soft.px * mother.px + soft.py * mother.py + soft.pz * mother.pz;
  double dh = hard.px * mother.px + hard.py * mother.py + hard.pz * mother.pz;
  x.theta = cross == 0 && ds == 0 ? 0.0 : jx_tree_atan2 (cross, ds);
  x.delta = cross == 0 && dh == 0 ? 0.0 : jx_tree_atan2 (cross, dh);
  x.phi = 0.0;
  /* The frame of jx_frame_from_axis, written out (same operations, same bits):
   * e_z = m̂, e_x = normalize((0,1,0) × e_z) or (1,0,0) × e_z near ±y, e_y = e_z × e_x. */
  double nm = sqrt (mother.px * mother.px + mother.py * mother.py + mother.pz * mother.pz);
  if (nm > 0)
    {
      double ez[3] = { mother.px / nm, mother.py / nm, mother.pz / nm };
      double ex[3] = { ez[2], 0.0, -ez[0] };
      double len = sqrt (ex[0] * ex[0] + ex[1] * ex[1] + ex[2] * ex[2]);
      if (len < 1e-12)
        {
          ex[0] = 0.0;
          ex[1] = -ez[2];
          ex[2] = ez[1];
          len = sqrt (ex[0] * ex[0] + ex[1] * ex[1] + ex[2] * ex[2]);
        }
      ex[0] /= len;
      ex[1] /= len;
      ex[2] /= len;
      double ey[3] = { ez[1] * ex[2] - ez[2] * ex[1], ez[2] * ex[0] - ez[0] * ex[2],
                       ez[0] * ex[1] - ez[1] * ex[0] };
      double px = soft.px * ex[0] + soft.py * ex[1] + soft.pz * ex[2];
      double py = soft.px * ey[0] + soft.py * ey[1] + soft.pz * ey[2];
      double phi = jx_tree_atan2 (py, px);
      if (phi < 0)
        phi += 2 * M_PI;
      if (phi >= 2 * M_PI)
        phi = 0;
      x.phi = phi;
    }
  return x;
}

/* The intermediate state as an unordered set (energies, node ids, and each node's slot in
 * it): the mother's position in the energy order is a branch-free count of the members
 * that come before it, cheaper at these sizes than keeping the set sorted. */
typedef struct {
  double *E;
  double *id;  /* node ids as doubles, for same-width vector compares */
  int *where;  /* per node: its index in E/id while present */
  size_t len;
} State;

static inline int
state_rank (const State *st, double e, int node)
{
  /* Count the higher energies; equal energies (other than the mother's own) are rare
   * and then decided by node index in a second pass. */
  int c = 0, eq = 0;
  for (size_t k = 0; k < st->len; k++)
    {
      c += st->E[k] > e;
      eq += st->E[k] == e;
    }
  if (eq > 1)
    for (size_t k = 0; k < st->len; k++)
      c += st->E[k] == e && st->id[k] < node;
  return c;
}

static inline void
state_add (State *st, double e, int node)
{
  st->E[st->len] = e;
  st->id[st->len] = node;
  st->where[node] = (int) st->len;
  st->len++;
}

static inline void
state_remove (State *st, int node)
{
  size_t k = (size_t) st->where[node], last = st->len - 1;
  st->E[k] = st->E[last];
  st->id[k] = st->id[last];
  st->where[(int) st->id[k]] = (int) k;
  st->len--;
}

static int
build_with_work (JxTree *tree, const JxP4 *p, size_t n, JxAlgorithm algorithm, JxMetric metric,
                 JxClusterWork *w, JxError *err)
{
  if (n == 0)
    return jx_error_set (err, JX_ERR_INVALID, "cannot build a tree from an empty jet");
  int rc = check_finite (p, n, err);
  if (rc < 0)
    return rc;
  if (algorithm != JX_ALGO_CA && algorithm != JX_ALGO_KT && algorithm != JX_ALGO_ANTIKT
      && algorithm != JX_ALGO_PRINTER)
    return jx_error_set (err, JX_ERR_INVALID, "unknown tree algorithm %d", (int) algorithm);
  if (metric != JX_METRIC_EE && metric != JX_METRIC_PP)
    return jx_error_set (err, JX_ERR_INVALID, "unknown clustering metric %d", (int) metric);
  rc = jx_cluster_work_reserve (w, n);
  if (rc < 0)
    return jx_error_set (err, rc, "no memory to cluster a jet of %zu particles", n);

  size_t n_nodes = 2 * n - 1;
  JxTree built;
  rc = jx_tree_alloc (&built, n, err);
  if (rc != 0)
    return rc;
  JxNode *nodes = built.nodes;
  JxStep *steps = (JxStep *) (nodes + n_nodes);

  if (algorithm == JX_ALGO_PRINTER)
    printer_history (w, p, n);
  else if (n > 1)
    {
      static const double p_exp[] = { [JX_ALGO_CA] = 0, [JX_ALGO_KT] = 1, [JX_ALGO_ANTIKT] = -1 };
      /* No beam distance: everything merges into one tree (pp: the authors' R = 7 merges
       * everything closer than 7 in (y, φ); we go on merging beyond that). */
      JxEngineSpec spec = { .durham = false, .pp = metric == JX_METRIC_PP,
                            .p_exp = p_exp[algorithm], .R2 = INFINITY, .stop = 1 };
      size_t merged = jx_cluster_engine_run (w, &spec, p, n, NULL);
      /* Every step must merge two clusters: a distance that compares with nothing (NaN)
       * ends a cluster as a "beam" step instead, and its -1 would index the nodes. */
      for (size_t k = 0; k < merged; k++)
        if (w->merge_a[k] < 0 || w->merge_b[k] < 0)
          merged = 0;
      if (merged != n - 1)
        {
          free (nodes);
          return jx_error_set (err, JX_ERR_INTERNAL, "clustering %zu particles did not merge "
                               "them into one tree (a distance was not a number)", n);
        }
    }

  for (size_t i = 0; i < n; i++)
    nodes[i] = (JxNode) { .p = p[i], .mother = -1, .daughter = { -1, -1 }, .step = 0, .born = 0 };
  for (size_t k = 0; k + 1 < n; k++)
    {
      int a = w->merge_a[k], b = w->merge_b[k], id = (int) (n + k);
      if (before (nodes, b, a))
        {
          int t = a;
          a = b;
          b = t;
        }
      nodes[id] = (JxNode) { .p = jx_p4_add (nodes[a].p, nodes[b].p), .mother = -1,
                             .daughter = { a, b }, .step = jx_tree_split_node (n, id), .born = 0 };
      nodes[a].mother = id;
      nodes[b].mother = id;
    }

  /* Walk down from the root keeping the state (scratch of the work). */
  State st = { w->dij, w->row, w->parent, 0 };
  state_add (&st, nodes[n_nodes - 1].p.E, (int) n_nodes - 1);
  for (size_t t = 1; t < n; t++)
    {
      int m = jx_tree_split_node (n, (int) t);
      int pos = state_rank (&st, nodes[m].p.E, m);
      state_remove (&st, m);
      int d0 = nodes[m].daughter[0], d1 = nodes[m].daughter[1];
      nodes[d0].born = (int) t;
      nodes[d1].born = (int) t;
      state_add (&st, nodes[d0].p.E, d0);
      state_add (&st, nodes[d1].p.E, d1);
      steps[t - 1] = (JxStep) { .mother_index = pos, .mother = m, .daughter = { d0, d1 },
                                .x = branching (nodes[m].p, nodes[d0].p, nodes[d1].p) };
    }

  *tree = built;
  return 0;
}

static void
tree_init_empty (JxTree *tree)
{
  tree->n = 0;
  tree->nodes = NULL;
  tree->root = -1;
  tree->steps = NULL;
}

int
jx_tree_build_from_particles_metric (JxTree *tree, const JxP4 *particles, size_t n,
                                     JxAlgorithm algorithm, JxMetric metric,
                                     JxClusterWork *work, JxError *err)
{
  tree_init_empty (tree);
  JxClusterWork *w = work != NULL ? work : jx_cluster_work_new ();
  if (w == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for clustering scratch");
  int rc = build_with_work (tree, particles, n, algorithm, metric, w, err);
  if (work == NULL)
    jx_cluster_work_free (w);
  return rc;
}

int
jx_tree_build_from_particles (JxTree *tree, const JxP4 *particles, size_t n,
                              JxAlgorithm algorithm, JxClusterWork *work, JxError *err)
{
  return jx_tree_build_from_particles_metric (tree, particles, n, algorithm, JX_METRIC_EE,
                                              work, err);
}

int
jx_tree_build (JxTree *tree, const JxP4 *particles, size_t n, const JxClusterOptions *opt,
               JxClusterWork *work, JxError *err)
{
  tree_init_empty (tree);
  JxClusterOptions def;
  if (opt == NULL)
    {
      jx_cluster_options_default (&def);
      opt = &def;
    }
  int rc = check_finite (particles, n, err);
  if (rc < 0)
    return rc;
  if (!(opt->esub >= 0) || !(opt->rsub >= 0) || !isfinite (opt->esub) || !isfinite (opt->rsub))
    return jx_error_set (err, JX_ERR_INVALID,
                         "subjet parameters must be finite and ≥ 0 (E_sub = %g, R_sub = %g)",
                         opt->esub, opt->rsub);
  JxClusterWork *w = work != NULL ? work : jx_cluster_work_new ();
  if (w == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for clustering scratch");
  rc = jx_cluster_work_reserve (w, n > 0 ? n : 1);
  size_t k = 0;
  if (rc == 0)
    rc = jx_subjets_metric (particles, n, opt->metric, opt->rsub, opt->esub, w->sub, &k, w);
  if (rc < 0)
    rc = jx_error_set (err, rc, "no memory for the subjets of a jet of %zu particles", n);
  else if (k == 0)
    rc = jx_error_set (err, JX_ERR_INVALID,
                       "no particle survives the subjet step (%zu particles, E_sub = %g GeV, "
                       "R_sub = %g): lower E_sub or drop this jet",
                       n, opt->esub, opt->rsub);
  else
    rc = build_with_work (tree, w->sub, k, opt->algorithm, opt->metric, w, err);
  if (work == NULL)
    jx_cluster_work_free (w);
  return rc;
}

void
jx_tree_state (const JxTree *tree, int t, int *out)
{
  /* Present at step t: born before t and not yet split (a leaf, or split at t or later). */
  size_t len = 0;
  for (size_t i = 0; i < 2 * tree->n - 1; i++)
    {
      const JxNode *nd = &tree->nodes[i];
      if (nd->born < t && (nd->step == 0 || nd->step >= t))
        {
          size_t pos = len;
          while (pos > 0 && before (tree->nodes, (int) i, out[pos - 1]))
            {
              out[pos] = out[pos - 1];
              pos--;
            }
          out[pos] = (int) i;
          len++;
        }
    }
}
