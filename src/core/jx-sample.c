/* jx-sample.c — see jx-sample.h. */
#include "jx-sample.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "jx-model-step.h"
#include "jx-parallel.h"
#include "jx-sample-massless.h"
#include "jx-scaling.h"

const char *
jx_cell_sampling_name (JxCellSampling mode)
{
  switch (mode)
    {
    case JX_CELL_LINEAR:
      return "linear";
    case JX_CELL_MASSLESS:
      return "massless";
    default:
      return "uniform";
    }
}

int
jx_cell_sampling_parse (const char *name, JxCellSampling *out, JxError *err)
{
  if (name != NULL && strcmp (name, "uniform") == 0)
    *out = JX_CELL_UNIFORM;
  else if (name != NULL && strcmp (name, "linear") == 0)
    *out = JX_CELL_LINEAR;
  else if (name != NULL && strcmp (name, "massless") == 0)
    *out = JX_CELL_MASSLESS;
  else
    return jx_error_set (err, JX_ERR_INVALID,
                         "unknown in-cell sampling '%s': use massless, uniform or linear",
                         name != NULL ? name : "(null)");
  return 0;
}

void
jx_sample_options_default (JxSampleOptions *opt)
{
  opt->cell = JX_CELL_MASSLESS;
  jx_massless_rates_default (&opt->massless);
  opt->max_length = 0;
  opt->max_redraws = 1000;
  opt->threads = 0;
}

void
jx_sample_options_use_meta (JxSampleOptions *opt, const JxModelMeta *meta)
{
  if (meta != NULL && meta->massless.measured)
    opt->massless = meta->massless;
}

void
jx_sample_set_init (JxSampleSet *set)
{
  memset (set, 0, sizeof *set);
  jx_dataset_init (&set->data);
}

void
jx_sample_set_free (JxSampleSet *set)
{
  jx_dataset_free (&set->data);
  free (set->seed);
  free (set->log_p);
  free (set->status);
  free (set->n_redrawn);
  free (set->step_offsets);
  free (set->steps);
  memset (set, 0, sizeof *set);
  jx_dataset_init (&set->data);
}

JxP4
jx_sample_seed_along_z (double energy, double mass)
{
  double p2 = energy * energy - mass * mass;
  return jx_p4 (energy, 0, 0, p2 > 0 ? sqrt (p2) : 0.0);
}

bool
jx_sample_daughters (JxP4 mother, const JxBranching *x, JxP4 *hard, JxP4 *soft)
{
  double s = sin (x->theta + x->delta);
  if (!(x->theta + x->delta < M_PI) || !(s > 0) || !(x->z >= 0 && x->z <= 1))
    return false;
  double pm = jx_p4_p (mother);
  double ps = pm * sin (x->delta) / s, ph = pm * sin (x->theta) / s;
  double es = x->z * mother.E, eh = (1 - x->z) * mother.E;
  /* a massless daughter placed by jx-sample-massless.c may come out a rounding error
   * below zero mass²; only a real deficit is unphysical */
  if (es * es - ps * ps < -1e-12 * es * es || eh * eh - ph * ph < -1e-12 * eh * eh)
    return false;
  JxFrame f;
  if (!jx_frame_from_axis (&f, mother))
    jx_frame_from_axis (&f, jx_p4 (1, 0, 0, 1));  /* at rest: any axis (both |p| are 0) */
  double ds[3], dh[3];
  jx_frame_direction (&f, x->theta, x->phi, ds);
  jx_frame_direction (&f, x->delta, x->phi + M_PI, dh);
  *soft = jx_p4 (es, ps * ds[0], ps * ds[1], ps * ds[2]);
  *hard = jx_p4 (eh, ph * dh[0], ph * dh[1], ph * dh[2]);
  return true;
}

/* A point in (0, 1) of the density on [0, 1] that is linear from v0 to v1 (v0 + v1 > 0),
 * by inverting its CDF in a form without cancellation. */
static double
linear_draw (double v0, double v1, double u)
{
  double a = v0 * v0 + (v1 * v1 - v0 * v0) * u;
  return u * (v0 + v1) / (v0 + sqrt (a > 0 ? a : 0));
}

double
jx_sample_in_cell_linear (JxRng *rng, double left, double mid, double right)
{
  double el = 0.5 * (left + mid), er = 0.5 * (mid + right);
  double al = el + mid, ar = mid + er;   /* areas of the halves (×4) */
  double u;
  if (!(al + ar > 0))
    u = jx_rng_uniform (rng);
  else if (jx_rng_uniform (rng) * (al + ar) < al)
    u = 0.5 * linear_draw (el, mid, jx_rng_uniform (rng));
  else
    u = 0.5 + 0.5 * linear_draw (mid, er, jx_rng_uniform (rng));
  return fmin (fmax (u, 1e-12), 1 - 1e-12);
}

/* Index drawn from unnormalized weights p[0..n). */
static int
draw_index (JxRng *rng, const double *p, int n)
{
  double total = 0;
  for (int i = 0; i < n; i++)
    total += p[i];
  double u = jx_rng_uniform (rng) * total, c = 0;
  int last = 0;
  for (int i = 0; i < n; i++)
    {
      if (p[i] > 0)
        last = i;
      c += p[i];
      if (u < c && p[i] > 0)
        return i;
    }
  return last;
}

/* Insert creation id `id` into the energy-ordered state (E descending, ties lower id first). */
static void
state_insert (int *state, int *len, const JxP4 *p, int id)
{
  int pos = *len;
  while (pos > 0 && (p[id].E > p[state[pos - 1]].E
                     || (p[id].E == p[state[pos - 1]].E && id < state[pos - 1])))
    {
      state[pos] = state[pos - 1];
      pos--;
    }
  state[pos] = id;
  (*len)++;
}

static void
state_remove (int *state, int *len, int pos)
{
  memmove (state + pos, state + pos + 1, (size_t) (*len - pos - 1) * sizeof *state);
  (*len)--;
}

/* A shower grown in creation order: particle c (0 = the seed, then each step's hard and soft
 * daughter) with its momentum, the step that split it (0 = never), its mother, its daughters,
 * the step it was born at; state holds the candidates in energy order. */
typedef struct {
  JxP4 *p;
  int *ints;                                  /* one block for the five int arrays */
  int *split, *parent, *dau, *born, *state;   /* dau: two per particle */
  int len;                                    /* candidates in state */
} Replay;

static int
replay_init (Replay *r, size_t n_nodes, JxP4 seed)
{
  r->p = malloc (n_nodes * sizeof *r->p);
  r->ints = malloc (6 * n_nodes * sizeof *r->ints);
  if (r->p == NULL || r->ints == NULL)
    return -1;
  r->split = r->ints;
  r->parent = r->ints + n_nodes;
  r->dau = r->ints + 2 * n_nodes;
  r->born = r->ints + 4 * n_nodes;
  r->state = r->ints + 5 * n_nodes;
  r->p[0] = seed;
  r->split[0] = 0;
  r->parent[0] = -1;
  r->born[0] = 0;
  r->state[0] = 0;
  r->len = 1;
  return 0;
}

static void
replay_free (Replay *r)
{
  free (r->p);
  free (r->ints);
}

/* Applies the steps in order; an out-of-range mother or an unphysical branching stops it. */
static int
replay_grow (Replay *r, const JxSampleStep *steps, size_t n_steps, JxError *err)
{
  int count = 1;
  for (size_t t = 1; t <= n_steps; t++)
    {
      const JxSampleStep *st = &steps[t - 1];
      if (st->mother_index < 0 || st->mother_index >= r->len)
        return jx_error_set (err, JX_ERR_INVALID,
                             "step %zu: mother index %d outside the %d candidates", t,
                             st->mother_index, r->len);
      int c = r->state[st->mother_index];
      JxP4 hard, soft;
      if (!(st->x.z > 0 && st->x.z <= 0.5) || !jx_sample_daughters (r->p[c], &st->x, &hard, &soft))
        return jx_error_set (err, JX_ERR_INVALID,
                             "step %zu: branching (z=%g, θ=%g, φ=%g, δ=%g) is unphysical for "
                             "its mother", t, st->x.z, st->x.theta, st->x.phi, st->x.delta);
      state_remove (r->state, &r->len, st->mother_index);
      int a = count++, b = count++;
      r->p[a] = hard;
      r->p[b] = soft;
      r->split[c] = (int) t;
      r->dau[2 * c] = a;
      r->dau[2 * c + 1] = b;
      r->split[a] = r->split[b] = 0;
      r->parent[a] = r->parent[b] = c;
      r->born[a] = r->born[b] = (int) t;
      state_insert (r->state, &r->len, r->p, a);
      state_insert (r->state, &r->len, r->p, b);
    }
  return 0;
}

/* The grown shower in jx-tree.h's numbering (leaves 0..n−1, here in final energy order; the
 * node split at step t is jx_tree_split_node) written into built, allocated for n. */
static void
replay_number (const Replay *r, const JxSampleStep *steps, size_t n, int *map, JxTree *built)
{
  size_t n_nodes = 2 * n - 1;
  for (int i = 0; i < r->len; i++)
    map[r->state[i]] = i;
  for (size_t c = 0; c < n_nodes; c++)
    if (r->split[c] > 0)
      map[c] = jx_tree_split_node (n, r->split[c]);
  for (size_t c = 0; c < n_nodes; c++)
    {
      JxNode *nd = &built->nodes[map[c]];
      int t = r->split[c];
      nd->p = r->p[c];
      nd->mother = r->parent[c] < 0 ? -1 : map[r->parent[c]];
      nd->daughter[0] = t > 0 ? map[r->dau[2 * c]] : -1;
      nd->daughter[1] = t > 0 ? map[r->dau[2 * c + 1]] : -1;
      nd->step = t;
      nd->born = r->born[c];
      if (t > 0)
        {
          JxStep *ts = &built->steps[t - 1];
          ts->mother_index = steps[t - 1].mother_index;
          ts->mother = map[c];
          ts->daughter[0] = nd->daughter[0];
          ts->daughter[1] = nd->daughter[1];
          ts->x = steps[t - 1].x;
        }
    }
  built->root = map[0];
}

int
jx_sample_replay (const JxP4 seed, const JxSampleStep *steps, size_t n_steps, JxTree *tree,
                  JxError *err)
{
  size_t n = n_steps + 1, n_nodes = 2 * n - 1;
  *tree = (JxTree) { .root = -1 };
  JxTree built = { 0 };
  Replay r = { 0 };
  int *map = malloc (n_nodes * sizeof *map);
  jx_tree_alloc (&built, n, NULL);
  int rc = 0;
  if (replay_init (&r, n_nodes, seed) != 0 || map == NULL || built.nodes == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "no memory to replay a shower of %zu steps", n_steps);
  else
    rc = replay_grow (&r, steps, n_steps, err);
  if (rc == 0)
    {
      replay_number (&r, steps, n, map, &built);
      *tree = built;
      if (n_steps == 0)
        tree->steps = NULL;
    }
  else
    free (built.nodes);
  free (map);
  replay_free (&r);
  return rc;
}

/* ---------------------------------------------------------------------------------------
 * sampling one jet */

typedef struct {
  int H, G, M, n_heads, n_cells;   /* G: branching cells per coordinate (G1·G2 hierarchical) */
  int G1, G2;       /* hierarchical: coarse cells and sub-cells per coordinate; else 0 */
  bool energy;      /* energy head: the point by importance resampling (draw_branching) */
  float *h, *h2;
  double *probs;    /* branch distribution; joint, hierarchical coarse: of mother
                     * cached_mother (creation id) */
  double *fprobs;   /* hierarchical: the sub-cells of the drawn coarse cell */
  double *mprobs;   /* mother distribution of the current state */
  double *mdraw;    /* the same without the candidates that cannot split */
  double min_mother_e;
  int cached_mother;
  JxModelStep *step;
  JxP4 *p;          /* creation order, [2M] */
  int *state;       /* creation ids, energy-ordered, [M + 1] */
  JxSampleStep *steps;
} Sampler;

static void
sampler_free (Sampler *s)
{
  free (s->h);
  free (s->h2);
  free (s->probs);
  free (s->fprobs);
  free (s->mprobs);
  free (s->mdraw);
  jx_model_step_free (s->step);
  free (s->p);
  free (s->state);
  free (s->steps);
}

static int
sampler_init (Sampler *s, const JxModel *model, JxCellSampling cell, JxError *err)
{
  const JxModelConfig *cfg = jx_model_config (model);
  memset (s, 0, sizeof *s);
  s->H = cfg->hidden;
  s->G = jx_model_branch_grid (model);
  s->M = cfg->max_mult;
  s->n_heads = jx_model_n_branch_heads (model);
  s->n_cells = cfg->grid * cfg->grid * cfg->grid * cfg->grid;   /* joint or coarse cells */
  s->energy = cfg->branch == JX_BRANCH_ENERGY;
  if (cfg->branch == JX_BRANCH_HIERARCHICAL)
    {
      s->G1 = cfg->grid;
      s->G2 = cfg->grid_fine;
      s->fprobs = malloc ((size_t) s->G2 * s->G2 * s->G2 * s->G2 * sizeof *s->fprobs);
    }
  int np = s->n_cells > s->M ? s->n_cells : s->M;
  s->h = malloc ((size_t) jx_model_state_size (model) * sizeof *s->h);
  s->h2 = malloc ((size_t) jx_model_state_size (model) * sizeof *s->h2);
  s->probs = malloc ((size_t) np * sizeof *s->probs);
  s->mprobs = malloc ((size_t) (s->M + 1) * sizeof *s->mprobs);
  s->mdraw = malloc ((size_t) (s->M + 1) * sizeof *s->mdraw);
  s->cached_mother = -1;
  s->min_mother_e = cell == JX_CELL_MASSLESS ? 2 * cfg->scaling.e_sub : 0;
  s->step = jx_model_step_new (model);
  s->p = malloc ((size_t) (2 * s->M + 1) * sizeof *s->p);
  s->state = malloc ((size_t) (s->M + 1) * sizeof *s->state);
  s->steps = malloc ((size_t) (s->M + 1) * sizeof *s->steps);
  if (!s->h || !s->h2 || !s->probs || !s->mprobs || !s->mdraw || !s->step || !s->p || !s->state
      || !s->steps || (s->G2 > 0 && !s->fprobs))
    {
      sampler_free (s);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for the sampler");
    }
  return 0;
}

/* The in-cell offset of bin b of a 1-D distribution p[0..G) along coordinate coord. */
static double
in_cell (JxRng *rng, JxCellSampling mode, const double *p, int stride, int b, int G, int coord)
{
  if (mode != JX_CELL_LINEAR)
    return jx_rng_uniform (rng);
  double mid = p[b * stride];
  double left = mid, right = mid;
  if (b > 0)
    left = p[(b - 1) * stride];
  else if (coord == JX_COORD_PHI)
    left = p[(G - 1) * stride];
  if (b < G - 1)
    right = p[(b + 1) * stride];
  else if (coord == JX_COORD_PHI)
    right = p[0];
  return jx_sample_in_cell_linear (rng, left, mid, right);
}

/* A particle without mass (beyond rounding) can never split; with massless placement,
 * neither can one below 2 E_sub, whose daughters could not both pass the E_sub cut that
 * clustered data have. */
static bool
can_split (const Sampler *s, JxP4 q)
{
  return !jx_massless (q) && q.E >= s->min_mother_e;
}

/* The scaled value of coordinate k at `value` when that lies in bin b, else NaN. */
static double
scaled_in_bin (const JxScaling *sc, int k, double value, int b, int G)
{
  if (!isfinite (value))
    return NAN;
  double v = jx_scale_coord (sc, k, value);
  return jx_scaling_bin (v, G) == b ? v : NAN;
}

/* Massless placement, step 0: the data have no daughter below E_sub (the subjet step drops
 * them), so the in-cell z is moved into the part of its bin where the soft daughter keeps
 * E ≥ E_sub, keeping its relative position; a bin wholly below is left as it is. */
static void
massless_z (const JxScaling *sc, JxP4 mother, double xs[4], int b_z, int G)
{
  double lo = jx_scaling_bin_low (b_z, G), hi = jx_scaling_bin_low (b_z + 1, G);
  double zmin = jx_scale_coord (sc, JX_COORD_Z, sc->e_sub / mother.E);
  if (zmin > lo && zmin < hi)
    xs[JX_COORD_Z] = zmin + (xs[JX_COORD_Z] - lo) / (hi - lo) * (hi - zmin);
}

/* Massless placement, step 1: the split into two massless daughters (for the z drawn), as
 * scaled (θ, δ); NaN for a coordinate outside its bin (b_delta < 0: δ's bin is not drawn yet,
 * so only θ is checked). */
static void
massless_both_scaled (const JxScaling *sc, JxP4 mother, const double xs[4], int b_theta,
                      int b_delta, int G, double *theta_s, double *delta_s)
{
  double z = jx_unscale_coord (sc, JX_COORD_Z, xs[JX_COORD_Z]), th, de;
  *theta_s = *delta_s = NAN;
  if (!jx_massless_both (mother, z, &th, &de))
    return;
  *theta_s = scaled_in_bin (sc, JX_COORD_THETA, th, b_theta, G);
  *delta_s = b_delta < 0 ? jx_scale_coord (sc, JX_COORD_DELTA, de)
                         : scaled_in_bin (sc, JX_COORD_DELTA, de, b_delta, G);
}

/* Massless placement, step 2 (when the split is not put on the both-massless point): two
 * massless daughters need the widest opening for the mother's mass, so θ above that angle
 * is unphysical; a θ bin holding it keeps its in-cell point, scaled the same way, below. */
static void
massless_theta (const JxScaling *sc, JxP4 mother, double xs[4], int b_theta, int G)
{
  double th, de;
  massless_both_scaled (sc, mother, xs, b_theta, -1, G, &th, &de);
  if (isnan (th))
    return;
  double lo = jx_scaling_bin_low (b_theta, G), top = jx_scaling_bin_low (b_theta + 1, G);
  xs[JX_COORD_THETA] = lo + (xs[JX_COORD_THETA] - lo) / (top - lo) * (th - lo);
}

/* Massless placement, step 3: δ where the soft daughter, or else the hard one, is massless
 * for the z and θ placed, when its bin holds that point; otherwise both daughters keep a
 * mass, and δ is drawn between the two massless points (outside them one daughter would be
 * spacelike) where they overlap the bin. */
static void
massless_delta (const JxScaling *sc, JxP4 mother, double xs[4], int b_delta, int G, JxRng *rng)
{
  double z = jx_unscale_coord (sc, JX_COORD_Z, xs[JX_COORD_Z]);
  double th = jx_unscale_coord (sc, JX_COORD_THETA, xs[JX_COORD_THETA]);
  double ds = jx_massless_delta_soft (mother, z, th), dh = jx_massless_delta_hard (mother, z, th);
  double v = scaled_in_bin (sc, JX_COORD_DELTA, ds, b_delta, G);
  if (isnan (v))
    v = scaled_in_bin (sc, JX_COORD_DELTA, dh, b_delta, G);
  if (!isnan (v))
    {
      xs[JX_COORD_DELTA] = v;
      return;
    }
  if (!isfinite (ds) || !isfinite (dh))
    return;
  double lo = fmax (jx_scaling_bin_low (b_delta, G), jx_scale_coord (sc, JX_COORD_DELTA, dh));
  double hi = fmin (jx_scaling_bin_low (b_delta + 1, G), jx_scale_coord (sc, JX_COORD_DELTA, ds));
  if (lo < hi)
    xs[JX_COORD_DELTA] = lo + (hi - lo) * jx_rng_uniform (rng);
}

/* Joint head: the whole cell is drawn, so the both-massless point is taken (at the data's
 * rate) only when it lies in the cell. */
static void
massless_place_cell (const JxScaling *sc, JxP4 mother, double xs[4], const int bins[4], int G,
                     const JxMasslessRates *rates, int bucket, JxRng *rng)
{
  massless_z (sc, mother, xs, bins[JX_COORD_Z], G);
  double th, de;
  massless_both_scaled (sc, mother, xs, bins[JX_COORD_THETA], bins[JX_COORD_DELTA], G, &th, &de);
  if (!isnan (th) && !isnan (de) && jx_rng_uniform (rng) < rates->terminal_cell[bucket])
    {
      xs[JX_COORD_THETA] = th;
      xs[JX_COORD_DELTA] = de;
      return;
    }
  massless_theta (sc, mother, xs, bins[JX_COORD_THETA], G);
  massless_delta (sc, mother, xs, bins[JX_COORD_DELTA], G, rng);
}

/* Hierarchical head: a coarse cell, then a sub-cell inside it; the cell drawn is the fine
 * one (resolution G1·G2). Linear in-cell placement interpolates between neighbouring
 * sub-cells of the same coarse cell (flat at its border: the neighbouring coarse cell's
 * sub-cells would need another pass of the fine head). */
static int
draw_hierarchical (Sampler *s, const JxSampleOptions *opt, JxRng *rng, JxP4 mother, int mother_id,
                   JxP4 jet, const JxScaling *sc, int bucket, double xs[4], int *cell,
                   double *logp, JxError *err)
{
  int G1 = s->G1, G2 = s->G2, rc, coarse[4], sub[4], bins[4];
  if (s->cached_mother != mother_id)
    {
      s->cached_mother = -1;
      if ((rc = jx_model_step_branch (s->step, s->h, mother, jet, 0, NULL, s->probs, err)))
        return rc;
      s->cached_mother = mother_id;
    }
  int c = draw_index (rng, s->probs, s->n_cells);
  double prev[4] = { c, 0, 0, 0 };
  if ((rc = jx_model_step_branch (s->step, s->h, mother, jet, 1, prev, s->fprobs, err)))
    return rc;
  int f = draw_index (rng, s->fprobs, G2 * G2 * G2 * G2);
  *logp = log (s->probs[c]) + log (s->fprobs[f]);
  jx_cell_bins (c, G1, coarse);
  jx_cell_bins (f, G2, sub);
  for (int k = 0; k < 4; k++)
    {
      int stride = 1;
      for (int j = k + 1; j < 4; j++)
        stride *= G2;
      const double *line = s->fprobs + (f - sub[k] * stride);
      bins[k] = coarse[k] * G2 + sub[k];
      /* coord −1: no periodic neighbour for φ inside a coarse cell */
      xs[k] = (bins[k] + in_cell (rng, opt->cell, line, stride, sub[k], G2, -1)) / s->G;
    }
  if (opt->cell == JX_CELL_MASSLESS)
    massless_place_cell (sc, mother, xs, bins, s->G, &opt->massless, bucket, rng);
  *cell = jx_branching_cell (bins, s->G);
  return 0;
}

/* Uniform points per energy-head draw (importance resampling: the draw's distribution tends
 * to P_branch as this grows; its relative error is the model's ε at this size). */
#define ENERGY_DRAW_POINTS 1024

/* Draws a branching cell and point for the mother (creation id c). */
static int
draw_branching (const JxModel *model, Sampler *s, const JxSampleOptions *opt, JxRng *rng,
                JxModelWork *work, int t, int mother_id, JxP4 jet, double xs[4], int *cell,
                double *logp, JxError *err)
{
  int bucket = jx_massless_bucket (t);
  int G = s->G, rc;
  int bins[4];
  JxP4 mother = s->p[mother_id];
  const JxScaling *sc = &jx_model_config (model)->scaling;
  *logp = 0;
  if (s->G2 > 0)
    return draw_hierarchical (s, opt, rng, mother, mother_id, jet, sc, bucket, xs, cell, logp,
                              err);
  if (s->energy)
    {
      /* the continuous density: a point by importance resampling (*logp is its ln density);
       * massless placement then moves it within its G-cell as for the discrete heads */
      if ((rc = jx_model_energy_draw (model, s->h, mother, jet, ENERGY_DRAW_POINTS, rng, xs,
                                      logp, work, err)))
        return rc;
      for (int k = 0; k < 4; k++)
        bins[k] = jx_scaling_bin (xs[k], G);
      if (opt->cell == JX_CELL_MASSLESS)
        massless_place_cell (sc, mother, xs, bins, G, &opt->massless, bucket, rng);
      *cell = jx_branching_cell (bins, G);
      return 0;
    }
  if (s->n_heads == 1)
    {
      /* a redraw for the same mother in the same state sees the same distribution */
      if (s->cached_mother != mother_id)
        {
          s->cached_mother = -1;
          if ((rc = jx_model_step_branch (s->step, s->h, mother, jet, 0, NULL, s->probs, err)))
            return rc;
          s->cached_mother = mother_id;
        }
      *cell = draw_index (rng, s->probs, s->n_cells);
      *logp = log (s->probs[*cell]);
      jx_cell_bins (*cell, G, bins);
      /* neighbours along coordinate k: the cell index moves by G^(3−k) */
      for (int k = 0; k < 4; k++)
        {
          int stride = 1;
          for (int j = k + 1; j < 4; j++)
            stride *= G;
          const double *line = s->probs + (*cell - bins[k] * stride);
          xs[k] = (bins[k] + in_cell (rng, opt->cell, line, stride, bins[k], G, k)) / G;
        }
      if (opt->cell == JX_CELL_MASSLESS)
        massless_place_cell (sc, mother, xs, bins, G, &opt->massless, bucket, rng);
      return 0;
    }
  double prev[4] = { 0, 0, 0, 0 }, th_both = NAN, de_both = NAN;
  for (int head = 0; head < s->n_heads; head++)
    {
      int coord = jx_model_branch_head_coord (model, head);
      if ((rc = jx_model_step_branch (s->step, s->h, mother, jet, head, prev, s->probs, err)))
        return rc;
      int b = draw_index (rng, s->probs, G);
      *logp += log (s->probs[b]);
      bins[coord] = b;
      xs[coord] = (b + in_cell (rng, opt->cell, s->probs, 1, b, G, coord)) / G;
      /* z, θ, δ come in this order, so each placement sees the coordinates it needs; the
       * both-massless angle is taken (at the data's rate) when the θ bin holds it, and the
       * δ head is then asked with θ there */
      if (opt->cell == JX_CELL_MASSLESS && coord == JX_COORD_Z)
        massless_z (sc, mother, xs, b, G);
      else if (opt->cell == JX_CELL_MASSLESS && coord == JX_COORD_THETA)
        {
          massless_both_scaled (sc, mother, xs, b, -1, G, &th_both, &de_both);
          if (!isnan (th_both) && jx_rng_uniform (rng) < opt->massless.terminal_theta[bucket])
            xs[coord] = th_both;
          else
            {
              de_both = NAN;
              massless_theta (sc, mother, xs, b, G);
            }
        }
      else if (opt->cell == JX_CELL_MASSLESS && coord == JX_COORD_DELTA)
        {
          if (!isnan (de_both) && jx_scaling_bin (de_both, G) == b)
            xs[coord] = de_both;
          else
            massless_delta (sc, mother, xs, b, G, rng);
        }
      prev[head] = xs[coord];
    }
  *cell = jx_branching_cell (bins, G);
  return 0;
}

/* Whether the state holds a particle that can split (can_split); with `out`, the mother
 * weights p with those of the others set to 0. */
static bool
splittable_weights (const Sampler *s, int len, const double *p, double *out)
{
  bool any = false;
  for (int i = 0; i < len; i++)
    {
      JxP4 q = s->p[s->state[i]];
      bool massive = can_split (s, q);
      any = any || massive;
      if (out != NULL)
        out[i] = massive ? p[i] : 0.0;
    }
  return any;
}

static int
sample_one (const JxModel *model, Sampler *s, JxP4 jet, const JxSampleOptions *opt, JxRng *rng,
            JxModelWork *work, size_t *n_steps, double *log_p, JxSampleStatus *status,
            int *n_redrawn, JxError *err)
{
  const JxScaling *sc = &jx_model_config (model)->scaling;
  int L = opt->max_length > 0 && opt->max_length < s->M ? opt->max_length : s->M;
  int len = 1, count = 1, rc;
  double lp = 0;
  s->p[0] = jet;
  s->state[0] = 0;
  *n_redrawn = 0;
  *status = JX_SAMPLE_ENDED;
  jx_model_state_init (model, jet, s->h);
  size_t t = 1;
  double pe = jx_model_step_end (s->step, s->h);
  for (;; t++)
    {
      if ((int) t >= L)
        {
          *status = JX_SAMPLE_TRUNCATED;
          break;
        }
      /* a particle without mass cannot split into physical daughters: no branching of the
       * state is allowed when none has one, so the shower ends here whatever P_end says */
      if (jx_rng_uniform (rng) < pe || !splittable_weights (s, len, s->mprobs, NULL))
        break;
      JxSampleStep *st = &s->steps[t - 1];
      st->redrawn = 0;
      bool ok = false;
      JxP4 hard, soft;
      int m = 0;
      double lb = 0, lm = 0;
      s->cached_mother = -1;
      if ((rc = jx_model_step_mother (s->step, s->h, (int) t, s->mprobs, err)))
        return rc;
      /* massless candidates would be rejected with every branching; leaving them out of
       * the draw changes no accepted outcome's probability, only wasted draws */
      splittable_weights (s, len, s->mprobs, s->mdraw);
      for (int r = 0; r <= opt->max_redraws && !ok; r++)
        {
          m = draw_index (rng, s->mdraw, (int) t);
          lm = log (s->mprobs[m]);
          double xs[4];
          if ((rc = draw_branching (model, s, opt, rng, work, (int) t, s->state[m], jet, xs,
                                    &st->cell, &lb, err)))
            return rc;
          jx_unscale_branching (sc, xs, &st->x);
          ok = jx_sample_daughters (s->p[s->state[m]], &st->x, &hard, &soft);
          if (!ok)
            st->redrawn++;
        }
      *n_redrawn += st->redrawn;
      if (!ok)
        {
          *status = JX_SAMPLE_STUCK;
          break;
        }
      st->mother_index = m;
      st->log_prob = log1p (-pe) + lm + lb;
      lp += st->log_prob;
      state_remove (s->state, &len, m);
      s->p[count] = hard;
      s->p[count + 1] = soft;
      state_insert (s->state, &len, s->p, count);
      state_insert (s->state, &len, s->p, count + 1);
      count += 2;
      jx_model_state_next (model, jet, hard, soft, s->h, s->h2);
      float *tmp = s->h;
      s->h = s->h2;
      s->h2 = tmp;
      pe = jx_model_step_end (s->step, s->h);
    }
  *log_p = lp + log (pe);
  *n_steps = t - 1;
  return 0;
}

int
jx_sample_jet (const JxModel *model, JxP4 seed, const JxSampleOptions *opt, JxRng *rng,
               JxModelWork *work, JxTree *tree, JxSampleStep **steps, double *log_p,
               JxSampleStatus *status, int *n_redrawn, JxError *err)
{
  JxSampleOptions def;
  if (opt == NULL)
    {
      jx_sample_options_default (&def);
      opt = &def;
    }
  if (tree != NULL)
    {
      memset (tree, 0, sizeof *tree);
      tree->root = -1;
    }
  if (steps != NULL)
    *steps = NULL;
  /* A massless seed whose m² rounded a little below 0 is still massless (a jet of one
   * particle); only a clearly spacelike one is an error. */
  if (!isfinite (seed.E) || !isfinite (seed.px) || !isfinite (seed.py) || !isfinite (seed.pz)
      || !(seed.E > 0) || jx_p4_m2_rounded (seed) < 0)
    return jx_error_set (err, JX_ERR_INVALID,
                         "seed momentum (E=%g, px=%g, py=%g, pz=%g) must be finite, E > 0 and "
                         "not spacelike (m² = %g GeV²)", seed.E, seed.px, seed.py, seed.pz,
                         jx_p4_m2 (seed));
  Sampler s;
  int rc = sampler_init (&s, model, opt->cell, err);
  if (rc != 0)
    return rc;
  JxModelWork *own = work == NULL ? (work = jx_model_work_new (model)) : NULL;
  if (work == NULL)
    {
      sampler_free (&s);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for network work space");
    }
  size_t n_steps = 0;
  double lp;
  JxSampleStatus stt;
  int nr;
  rc = sample_one (model, &s, seed, opt, rng, work, &n_steps, &lp, &stt, &nr, err);
  if (rc == 0 && tree != NULL)
    rc = jx_sample_replay (seed, s.steps, n_steps, tree, err);
  if (rc == 0 && steps != NULL)
    {
      *steps = malloc ((n_steps + 1) * sizeof **steps);
      if (*steps == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "no memory for sampled steps");
      else
        memcpy (*steps, s.steps, n_steps * sizeof **steps);
    }
  if (rc == 0)
    {
      if (log_p)
        *log_p = lp;
      if (status)
        *status = stt;
      if (n_redrawn)
        *n_redrawn = nr;
    }
  else if (tree != NULL)
    jx_tree_free (tree);
  jx_model_work_free (own);
  sampler_free (&s);
  return rc;
}

/* ---------------------------------------------------------------------------------------
 * many jets on several threads */

typedef struct {
  JxTree tree;
  JxSampleStep *steps;
  JxP4 seed;
  double log_p;
  JxSampleStatus status;
  int n_redrawn;
} JetOut;

typedef struct {
  const JxModel *model;
  const JxP4 *seeds;
  size_t n_seeds, first, n_jets;   /* jets first .. first + n_jets − 1 of the run */
  uint64_t seed;
  const JxSampleOptions *opt;
  JetOut *out;
  JxProgress *progress;
  atomic_size_t done;
  atomic_int stop;
  int *rc;           /* per thread */
  size_t *fail_jet;  /* per thread */
  JxError *errs;     /* per thread */
} RunCtx;

static void
run_thread (void *user, int thread, int n_threads)
{
  RunCtx *c = user;
  JxModelWork *work = jx_model_work_new (c->model);
  if (work == NULL)
    {
      c->rc[thread] = jx_error_set (&c->errs[thread], JX_ERR_NOMEM, "no memory for a sampler");
      atomic_store (&c->stop, 1);
      return;
    }
  double last = jx_parallel_now ();
  for (size_t i = (size_t) thread; i < c->n_jets; i += (size_t) n_threads)
    {
      if (atomic_load (&c->stop) || jx_progress_cancelled (c->progress))
        break;
      JxRng rng;
      jx_rng_seed (&rng, c->seed, c->first + i);   /* the jet's own stream: any split */
      JetOut *o = &c->out[i];
      o->seed = c->n_seeds == 1 ? c->seeds[0] : c->seeds[jx_rng_below (&rng, (uint32_t) c->n_seeds)];
      int rc = jx_sample_jet (c->model, o->seed, c->opt, &rng, work, &o->tree, &o->steps, &o->log_p,
                              &o->status, &o->n_redrawn, &c->errs[thread]);
      if (rc != 0)
        {
          c->rc[thread] = rc;
          c->fail_jet[thread] = i;
          atomic_store (&c->stop, 1);
          break;
        }
      size_t done = atomic_fetch_add (&c->done, 1) + 1;
      if (thread == 0 && jx_parallel_now () - last > 0.05)
        {
          last = jx_parallel_now ();
          jx_progress_report (c->progress, (double) done, (double) c->n_jets, "sampling jets");
        }
    }
  jx_model_work_free (work);
}

static int
assemble (JxSampleSet *set, JetOut *out, size_t n_jets, JxError *err)
{
  size_t n_steps = 0, n_part = 0;
  for (size_t i = 0; i < n_jets; i++)
    {
      n_steps += out[i].tree.n - 1;
      n_part += out[i].tree.n;
    }
  set->n_jets = n_jets;
  set->seed = malloc ((n_jets + 1) * sizeof *set->seed);
  set->log_p = malloc ((n_jets + 1) * sizeof *set->log_p);
  set->status = malloc ((n_jets + 1) * sizeof *set->status);
  set->n_redrawn = malloc ((n_jets + 1) * sizeof *set->n_redrawn);
  set->step_offsets = malloc ((n_jets + 1) * sizeof *set->step_offsets);
  set->steps = malloc ((n_steps + 1) * sizeof *set->steps);
  if (!set->seed || !set->log_p || !set->status || !set->n_redrawn || !set->step_offsets
      || !set->steps)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for %zu sampled jets", n_jets);
  int rc = jx_dataset_reserve (&set->data, n_jets, n_part, err);
  if (rc != 0)
    return rc;
  set->step_offsets[0] = 0;
  for (size_t i = 0; i < n_jets; i++)
    {
      JetOut *o = &out[i];
      size_t n = o->tree.n;
      /* leaves 0..n−1 are already in final energy order */
      JxP4 *lp = malloc (n * sizeof *lp);
      if (lp == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "no memory for sampled jets");
      for (size_t k = 0; k < n; k++)
        lp[k] = o->tree.nodes[k].p;
      rc = jx_dataset_append (&set->data, lp, n, err);
      free (lp);
      if (rc != 0)
        return rc;
      set->seed[i] = o->seed;
      set->log_p[i] = o->log_p;
      set->status[i] = (int32_t) o->status;
      set->n_redrawn[i] = o->n_redrawn;
      memcpy (set->steps + set->step_offsets[i], o->steps, (n - 1) * sizeof *o->steps);
      set->step_offsets[i + 1] = set->step_offsets[i] + (n - 1);
      set->total_redrawn += (size_t) o->n_redrawn;
      set->n_truncated += o->status == JX_SAMPLE_TRUNCATED;
      set->n_stuck += o->status == JX_SAMPLE_STUCK;
    }
  return 0;
}

int
jx_sample_run (const JxModel *model, const JxP4 *seeds, size_t n_seeds, size_t n_jets,
               uint64_t seed, const JxSampleOptions *opt, JxSampleSet *set,
               JxProgress *progress, JxError *err)
{
  return jx_sample_run_part (model, seeds, n_seeds, 0, n_jets, seed, opt, set, progress, err);
}

int
jx_sample_run_part (const JxModel *model, const JxP4 *seeds, size_t n_seeds, size_t first,
                    size_t n_jets, uint64_t seed, const JxSampleOptions *opt, JxSampleSet *set,
                    JxProgress *progress, JxError *err)
{
  jx_sample_set_init (set);
  JxSampleOptions def;
  if (opt == NULL)
    {
      jx_sample_options_default (&def);
      opt = &def;
    }
  if (n_seeds == 0 || seeds == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "no seed momentum to start the showers from");
  if (n_seeds > UINT32_MAX)
    return jx_error_set (err, JX_ERR_RANGE, "too many seed momenta (%zu)", n_seeds);
  int threads = jx_parallel_threads (opt->threads);
  if ((size_t) threads > n_jets)
    threads = n_jets > 0 ? (int) n_jets : 1;
  JetOut *out = calloc (n_jets + 1, sizeof *out);
  int *rcs = calloc ((size_t) threads, sizeof *rcs);
  size_t *fails = calloc ((size_t) threads, sizeof *fails);
  JxError *errs = calloc ((size_t) threads, sizeof *errs);
  int rc = 0;
  if (out == NULL || rcs == NULL || fails == NULL || errs == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "no memory to sample %zu jets", n_jets);
  if (rc == 0)
    {
      RunCtx c = { .model = model, .seeds = seeds, .n_seeds = n_seeds, .first = first,
                   .n_jets = n_jets,
                   .seed = seed, .opt = opt, .out = out, .progress = progress,
                   .rc = rcs, .fail_jet = fails, .errs = errs };
      atomic_init (&c.done, 0);
      atomic_init (&c.stop, 0);
      int blas = jx_blas_single_begin ();
      jx_parallel_run (threads, run_thread, &c);
      jx_blas_single_end (blas);
      size_t first_fail = SIZE_MAX;
      for (int k = 0; k < threads; k++)
        if (rcs[k] != 0 && fails[k] < first_fail)
          {
            first_fail = fails[k];
            rc = rcs[k];
            if (err != NULL)
              *err = errs[k];
            jx_error_prefix (err, "sampled jet %zu: ", first + fails[k]);
          }
      if (rc == 0 && jx_progress_cancelled (progress))
        rc = jx_error_set (err, JX_ERR_CANCELLED, "sampling cancelled");
      if (rc == 0)
        {
          jx_progress_report (progress, (double) n_jets, (double) n_jets, "sampling jets");
          rc = assemble (set, out, n_jets, err);
        }
    }
  if (out != NULL)
    for (size_t i = 0; i < n_jets; i++)
      {
        jx_tree_free (&out[i].tree);
        free (out[i].steps);
      }
  free (out);
  free (rcs);
  free (fails);
  free (errs);
  if (rc != 0)
    jx_sample_set_free (set);
  return rc;
}
