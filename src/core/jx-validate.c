/* jx-validate.c — see jx-validate.h. */
#include "jx-validate.h"
#include "jx-validate-private.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-model-step.h"
#include "jx-parallel.h"
#include "jx-scaling.h"

void
jx_validation_options_default (JxValidationOptions *opt)
{
  opt->t_late = 10;
  opt->angle_bins = 20;
  opt->max_length = 40;
  opt->threads = 0;
}

static void
curve_free (JxValidationCurve *c)
{
  free (c->x_lo);
  memset (c, 0, sizeof *c);
}

void
jx_validation_free (JxValidation *v)
{
  for (int k = 0; k < JX_N_VAL_CURVES; k++)
    curve_free (&v->curves[k]);
  v->n_jets = 0;
}

/* One allocation per curve: x_lo, x_hi, model, data, data_err, count and three accumulators
 * (Σp, Σ observed, Σ p(1−p)) reusing model/data/data_err until finish(). */
static int
curve_alloc (JxValidationCurve *c, const char *name, const char *title, const char *x_label,
             int n_bins)
{
  memset (c, 0, sizeof *c);
  snprintf (c->name, sizeof c->name, "%s", name);
  snprintf (c->title, sizeof c->title, "%s", title);
  snprintf (c->x_label, sizeof c->x_label, "%s", x_label);
  c->n_bins = n_bins;
  double *b = calloc (6 * (size_t) n_bins + 1, sizeof *b);
  if (b == NULL)
    return -1;
  c->x_lo = b;
  c->x_hi = b + n_bins;
  c->model = b + 2 * n_bins;
  c->data = b + 3 * n_bins;
  c->data_err = b + 4 * n_bins;
  c->count = b + 5 * n_bins;
  return 0;
}

static inline void
fill (JxValidationCurve *c, int bin, double p, double observed)
{
  if (bin < 0 || bin >= c->n_bins)
    return;
  c->model[bin] += p;
  c->data[bin] += observed;
  c->data_err[bin] += p * (1 - p);
  c->count[bin] += 1;
}

static void
finish (JxValidationCurve *c)
{
  c->chi2 = 0;
  c->ndf = 0;
  for (int k = 0; k < c->n_bins; k++)
    {
      double n = c->count[k];
      if (n <= 0)
        {
          c->model[k] = c->data[k] = c->data_err[k] = NAN;
          continue;
        }
      double var = c->data_err[k] / (n * n);
      c->model[k] /= n;
      c->data[k] /= n;
      double f = c->data[k];
      c->data_err[k] = sqrt (f * (1 - f) / n);
      if (var > 0)
        {
          c->chi2 += (f - c->model[k]) * (f - c->model[k]) / var;
          c->ndf++;
        }
    }
}

static int
angle_bin (double a, double a_max, int n)
{
  int b = (int) (a / a_max * n);
  return b < 0 ? 0 : b >= n ? n - 1 : b;
}

/* Bins of the z and θ marginals: the model's G, or for the energy head (a continuous density)
 * ENERGY_MARGINAL_BINS, Fig. 10's high resolution, each from ENERGY_MARGINAL_POINTS points
 * (jx_model_energy_marginal). */
#define ENERGY_MARGINAL_BINS 50
#define ENERGY_MARGINAL_POINTS 256

static int
marginal_bins (const JxModelConfig *cfg)
{
  return cfg->branch == JX_BRANCH_ENERGY ? ENERGY_MARGINAL_BINS : cfg->grid;
}

typedef struct {
  const JxModel *model;
  const JxValidationOptions *opt;
  JxValidation *v;
  double a_max;
  float *h, *h2;
  double *probs, *marg;
  int *ids;
  JxModelStep *step;
} Walk;

/* Marginal of the branch distribution in coordinate coord, given the step's true branching. */
static int
branch_marginal (Walk *w, const JxTree *tree, const JxStep *st, int coord, JxError *err)
{
  const JxModelConfig *cfg = jx_model_config (w->model);
  int G = cfg->grid, rc;
  JxP4 jet = tree->nodes[tree->root].p, mother = tree->nodes[st->mother].p;
  if (cfg->branch == JX_BRANCH_ENERGY)
    return jx_model_energy_marginal (w->model, w->h, mother, jet, coord, ENERGY_MARGINAL_BINS,
                                     ENERGY_MARGINAL_POINTS, w->marg, err);
  for (int k = 0; k < G; k++)
    w->marg[k] = 0;
  /* joint: the G⁴ cells; hierarchical: its coarse G⁴ cells, exact at that resolution (the
   * sub-cell marginal would need the fine head for every coarse cell) */
  if (jx_model_branch_head_coord (w->model, 0) < 0)
    {
      if ((rc = jx_model_step_branch (w->step, w->h, mother, jet, 0, NULL, w->probs, err)))
        return rc;
      int bins[4];
      for (int c = 0; c < G * G * G * G; c++)
        {
          jx_cell_bins (c, G, bins);
          w->marg[bins[coord]] += w->probs[c];
        }
      return 0;
    }
  double xs[4], prev[4] = { 0, 0, 0, 0 };
  jx_scale_branching (&cfg->scaling, &st->x, xs);
  for (int head = 0; head < 4; head++)
    {
      int hc = jx_model_branch_head_coord (w->model, head);
      if (hc == coord)
        return jx_model_step_branch (w->step, w->h, mother, jet, head, prev, w->marg, err);
      prev[head] = xs[hc];
    }
  return jx_error_set (err, JX_ERR_INTERNAL, "no branch head predicts coordinate %d", coord);
}

static int
walk_tree (Walk *w, const JxTree *tree, JxError *err)
{
  const JxModelConfig *cfg = jx_model_config (w->model);
  JxValidationCurve *C = w->v->curves;
  int n = (int) tree->n, T = w->opt->t_late, G = marginal_bins (cfg), NA = w->opt->angle_bins;
  int rc;
  JxP4 jet = tree->nodes[tree->root].p;
  jx_model_state_init (w->model, jet, w->h);
  for (int t = 1; t <= n; t++)
    {
      jx_tree_state (tree, t, w->ids);
      double amax = 0;
      for (int j = 0; j < t; j++)
        amax = fmax (amax, jx_p4_angle (tree->nodes[w->ids[j]].p, jet));
      double pe = jx_model_step_end (w->step, w->h);
      fill (&C[JX_VAL_END_VS_LENGTH], t - 1, pe, t == n);
      fill (&C[JX_VAL_END_VS_ANGLE], angle_bin (amax, w->a_max, NA), pe, t == n);
      if (t == n)
        break;
      const JxStep *st = &tree->steps[t - 1];
      if (t >= 2 || t == T)
        {
          if ((rc = jx_model_step_mother (w->step, w->h, t, w->probs, err)))
            return rc;
          if (t == T)
            for (int j = 0; j < t; j++)
              fill (&C[JX_VAL_MOTHER_VS_INDEX], j, w->probs[j], j == st->mother_index);
          if (t >= 2)
            {
              double q[256];
              int nb = NA < 256 ? NA : 256;
              for (int b = 0; b < nb; b++)
                q[b] = 0;
              for (int j = 0; j < t; j++)
                q[angle_bin (jx_p4_angle (tree->nodes[w->ids[j]].p, jet), w->a_max, nb)] += w->probs[j];
              int mb = angle_bin (jx_p4_angle (tree->nodes[st->mother].p, jet), w->a_max, nb);
              for (int b = 0; b < nb; b++)
                fill (&C[JX_VAL_MOTHER_VS_ANGLE], b, q[b], b == mb);
            }
        }
      if (t == 1 || t == T)
        {
          int bins[4];
          jx_branching_bins (&cfg->scaling, &st->x, G, bins);
          for (int k = 0; k < 2; k++)
            {
              int coord = k == 0 ? JX_COORD_Z : JX_COORD_THETA;
              int curve = t == 1 ? (k == 0 ? JX_VAL_Z_T1 : JX_VAL_THETA_T1)
                                 : (k == 0 ? JX_VAL_Z_TLATE : JX_VAL_THETA_TLATE);
              if ((rc = branch_marginal (w, tree, st, coord, err)))
                return rc;
              for (int b = 0; b < G; b++)
                fill (&C[curve], b, w->marg[b], b == bins[coord]);
            }
        }
      jx_model_state_next (w->model, jet, tree->nodes[st->daughter[0]].p,
                           tree->nodes[st->daughter[1]].p, w->h, w->h2);
      float *tmp = w->h;
      w->h = w->h2;
      w->h2 = tmp;
    }
  return 0;
}

/* The curves of one accumulator set, with their bin edges. */
static int
setup_curves (JxValidation *v, const JxModelConfig *cfg, const JxValidationOptions *opt,
              double a_max)
{
  const JxScaling *sc = &cfg->scaling;
  int G = marginal_bins (cfg), T = opt->t_late, NA = opt->angle_bins, L = opt->max_length;
  char buf[96];
  JxValidationCurve *C = v->curves;
  int bad = 0;
  bad |= curve_alloc (&C[JX_VAL_END_VS_LENGTH], "end_vs_length",
                      "P_end vs intermediate-state length t", "t", L);
  bad |= curve_alloc (&C[JX_VAL_END_VS_ANGLE], "end_vs_angle",
                      "P_end vs largest angle to the jet axis", "θ_max [rad]", NA);
  snprintf (buf, sizeof buf, "P_mother vs candidate index at t = %d", T);
  bad |= curve_alloc (&C[JX_VAL_MOTHER_VS_INDEX], "mother_vs_index", buf, "candidate index", T);
  bad |= curve_alloc (&C[JX_VAL_MOTHER_VS_ANGLE], "mother_vs_angle",
                      "P_mother vs candidate angle to the jet axis (t ≥ 2)", "θ [rad]", NA);
  bad |= curve_alloc (&C[JX_VAL_Z_T1], "z_t1", "P_branch marginal in z at t = 1", "z", G);
  bad |= curve_alloc (&C[JX_VAL_THETA_T1], "theta_t1", "P_branch marginal in θ at t = 1",
                      "θ [rad]", G);
  snprintf (buf, sizeof buf, "P_branch marginal in z at t = %d", T);
  bad |= curve_alloc (&C[JX_VAL_Z_TLATE], "z_tlate", buf, "z", G);
  snprintf (buf, sizeof buf, "P_branch marginal in θ at t = %d", T);
  bad |= curve_alloc (&C[JX_VAL_THETA_TLATE], "theta_tlate", buf, "θ [rad]", G);
  if (bad)
    return -1;
  for (int b = 0; b < L; b++)
    C[JX_VAL_END_VS_LENGTH].x_lo[b] = b + 0.5, C[JX_VAL_END_VS_LENGTH].x_hi[b] = b + 1.5;
  for (int b = 0; b < T; b++)
    C[JX_VAL_MOTHER_VS_INDEX].x_lo[b] = b - 0.5, C[JX_VAL_MOTHER_VS_INDEX].x_hi[b] = b + 0.5;
  for (int b = 0; b < NA; b++)
    for (int k = JX_VAL_END_VS_ANGLE; k <= JX_VAL_MOTHER_VS_ANGLE; k += 2)
      C[k].x_lo[b] = a_max * b / NA, C[k].x_hi[b] = a_max * (b + 1) / NA;
  for (int b = 0; b < G; b++)
    for (int k = JX_VAL_Z_T1; k <= JX_VAL_THETA_TLATE; k++)
      {
        int coord = (k == JX_VAL_Z_T1 || k == JX_VAL_Z_TLATE) ? JX_COORD_Z : JX_COORD_THETA;
        C[k].x_lo[b] = jx_unscale_coord (sc, coord, (double) b / G);
        C[k].x_hi[b] = jx_unscale_coord (sc, coord, (double) (b + 1) / G);
      }
  return 0;
}

typedef struct {
  const JxModel *model;
  const JxTreeSet *trees;
  size_t lo, hi;         /* trees->trees[lo..hi) are used ... */
  size_t base;           /* ... trees->trees[lo] being jet base of the validation's jets */
  const JxValidationOptions *opt;
  JxValidation *parts;   /* one accumulator set per thread */
  double a_max;
  JxProgress *progress;
  int *rc;
  JxError *errs;
  atomic_int stop;
} Ctx;

/* Thread k walks jets k, k + n, k + 2n ... of the validation (those of trees) into parts[k]:
 * each part sums its jets in order, whether the trees come at once or in runs. */
static void
run_thread (void *user, int thread, int n_threads)
{
  Ctx *c = user;
  const JxModelConfig *cfg = jx_model_config (c->model);
  int G = cfg->grid, M = cfg->max_mult, np = G * G * G * G > M ? G * G * G * G : M;
  JxError *err = &c->errs[thread];
  Walk w = { .model = c->model, .opt = c->opt, .v = &c->parts[thread], .a_max = c->a_max };
  w.h = malloc ((size_t) jx_model_state_size (c->model) * sizeof *w.h);
  w.h2 = malloc ((size_t) jx_model_state_size (c->model) * sizeof *w.h2);
  w.probs = malloc ((size_t) np * sizeof *w.probs);
  w.marg = malloc ((size_t) marginal_bins (cfg) * sizeof *w.marg);
  w.ids = malloc ((size_t) (M + 1) * sizeof *w.ids);
  w.step = jx_model_step_new (c->model);
  int rc = 0;
  if (!w.h || !w.h2 || !w.probs || !w.marg || !w.ids || !w.step)
    rc = jx_error_set (err, JX_ERR_NOMEM, "no memory for validation");
  size_t count = 0, k = (size_t) thread, T = (size_t) n_threads;
  for (size_t i = c->lo + (k + T - c->base % T) % T; rc == 0 && i < c->hi; i += T)
    {
      const JxTree *tr = &c->trees->trees[i];
      if (c->trees->status[i] != JX_JET_SCORED || tr->n == 0 || tr->n > (size_t) M)
        continue;
      if ((rc = walk_tree (&w, tr, err)) != 0)
        jx_error_prefix (err, "jet %zu: ", c->trees->first_jet + i);
      w.v->n_jets++;
      if ((++count & 63) == 0)
        {
          if (atomic_load (&c->stop) || jx_progress_cancelled (c->progress))
            rc = jx_error_set (err, JX_ERR_CANCELLED, "validation cancelled");
          if (thread == 0)
            jx_progress_report (c->progress, (double) (i - c->lo), (double) (c->hi - c->lo),
                                "validating");
        }
    }
  if (rc != 0)
    atomic_store (&c->stop, 1);
  c->rc[thread] = rc;
  free (w.h);
  free (w.h2);
  free (w.probs);
  free (w.marg);
  free (w.ids);
  jx_model_step_free (w.step);
}

static int check_options (const JxValidationOptions *opt, JxError *err);

int
jx_validation_check_options (const JxValidationOptions **opt, JxValidationOptions *def,
                             JxError *err)
{
  if (*opt == NULL)
    {
      jx_validation_options_default (def);
      *opt = def;
    }
  return check_options (*opt, err);
}

static int
check_options (const JxValidationOptions *opt, JxError *err)
{
  if (opt->t_late < 2 || opt->angle_bins < 1 || opt->angle_bins > 256 || opt->max_length < 1)
    return jx_error_set (err, JX_ERR_INVALID,
                         "validation options: t_late must be ≥ 2, angle bins 1..256 and the "
                         "maximum length ≥ 1 (have %d, %d, %d)", opt->t_late, opt->angle_bins,
                         opt->max_length);
  return 0;
}

double
jx_validation_a_max (const JxTreeSet *trees, size_t lo, size_t hi, double a_max)
{
  for (size_t i = lo; i < hi; i++)
    {
      const JxTree *tr = &trees->trees[i];
      if (trees->status[i] != JX_JET_SCORED || tr->n == 0)
        continue;
      for (size_t k = 0; k < 2 * tr->n - 1; k++)
        a_max = fmax (a_max, jx_p4_angle (tr->nodes[k].p, tr->nodes[tr->root].p));
    }
  return a_max;
}

int
jx_validation_sums_begin (JxValidationSums *s, const JxModel *model,
                          const JxValidationOptions *opt, size_t n_jets, double a_max,
                          JxError *err)
{
  memset (s, 0, sizeof *s);
  s->model = model;
  s->opt = opt;
  s->n_jets = n_jets;
  s->a_max = a_max > 0 ? a_max : 1;
  int threads = jx_parallel_threads (opt->threads);
  if ((size_t) threads > n_jets / 64 + 1)
    threads = (int) (n_jets / 64 + 1);
  s->threads = threads;
  s->parts = calloc ((size_t) threads, sizeof *s->parts);
  if (s->parts == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for validation histograms");
  for (int k = 0; k < threads; k++)
    if (setup_curves (&s->parts[k], jx_model_config (model), s->opt, s->a_max) != 0)
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for validation histograms");
  return 0;
}

int
jx_validation_sums_add (JxValidationSums *s, const JxTreeSet *trees, size_t lo, size_t hi,
                        size_t base, JxProgress *progress, JxError *err)
{
  int threads = s->threads;
  int *rcs = calloc ((size_t) threads, sizeof *rcs);
  JxError *errs = calloc ((size_t) threads, sizeof *errs);
  int rc = 0;
  if (rcs == NULL || errs == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "no memory for validation histograms");
  if (rc == 0)
    {
      Ctx c = { .model = s->model, .trees = trees, .lo = lo, .hi = hi, .base = base,
                .opt = s->opt, .parts = s->parts, .a_max = s->a_max, .progress = progress,
                .rc = rcs, .errs = errs };
      atomic_init (&c.stop, 0);
      int blas = jx_blas_single_begin ();
      jx_parallel_run (threads, run_thread, &c);
      jx_blas_single_end (blas);
      /* a real failure before a cancel it caused in the other threads */
      for (int k = 0; k < threads && rc == 0; k++)
        if (rcs[k] != 0 && rcs[k] != JX_ERR_CANCELLED)
          {
            rc = rcs[k];
            if (err != NULL)
              *err = errs[k];
          }
      for (int k = 0; k < threads && rc == 0; k++)
        if (rcs[k] != 0)
          {
            rc = rcs[k];
            if (err != NULL)
              *err = errs[k];
          }
    }
  free (rcs);
  free (errs);
  return rc;
}

void
jx_validation_sums_end (JxValidationSums *s, JxValidation *v, JxProgress *progress)
{
  /* sums in thread order: the same thread count gives the same bits */
  *v = s->parts[0];
  memset (&s->parts[0], 0, sizeof s->parts[0]);
  for (int k = 1; k < s->threads; k++)
    {
      v->n_jets += s->parts[k].n_jets;
      for (int c = 0; c < JX_N_VAL_CURVES; c++)
        {
          JxValidationCurve *a = &v->curves[c];
          const JxValidationCurve *b = &s->parts[k].curves[c];
          for (int i = 0; i < a->n_bins; i++)
            {
              a->model[i] += b->model[i];
              a->data[i] += b->data[i];
              a->data_err[i] += b->data_err[i];
              a->count[i] += b->count[i];
            }
        }
    }
  for (int c = 0; c < JX_N_VAL_CURVES; c++)
    finish (&v->curves[c]);
  jx_progress_report (progress, (double) s->n_jets, (double) s->n_jets, "validating");
}

void
jx_validation_sums_free (JxValidationSums *s)
{
  for (int k = 0; s->parts != NULL && k < s->threads; k++)
    jx_validation_free (&s->parts[k]);
  free (s->parts);
  s->parts = NULL;
}

int
jx_validate (const JxModel *model, const JxTreeSet *trees, const JxValidationOptions *opt,
             JxValidation *v, JxProgress *progress, JxError *err)
{
  memset (v, 0, sizeof *v);
  JxValidationOptions def;
  int rc = jx_validation_check_options (&opt, &def, err);
  if (rc != 0)
    return rc;
  JxValidationSums s;
  double a_max = jx_validation_a_max (trees, 0, trees->n_jets, 0);
  rc = jx_validation_sums_begin (&s, model, opt, trees->n_jets, a_max, err);
  if (rc == 0)
    rc = jx_validation_sums_add (&s, trees, 0, trees->n_jets, 0, progress, err);
  if (rc == 0)
    jx_validation_sums_end (&s, v, progress);
  jx_validation_sums_free (&s);
  return rc;
}

int
jx_validation_write_csv (const JxValidation *v, const char *path, JxError *err)
{
  JxAtomicFile out;
  int rc = jx_atomic_begin (&out, path, err);
  if (rc != 0)
    return rc;
  FILE *f = fopen (out.tmp_path, "w");
  if (f == NULL)
    {
      jx_atomic_abort (&out);
      return jx_error_set (err, JX_ERR_IO, "%s: cannot write", path);
    }
  fprintf (f, "curve,bin,x_lo,x_hi,model,data,data_err,count,chi2,ndf\n");
  for (int k = 0; k < JX_N_VAL_CURVES; k++)
    {
      const JxValidationCurve *c = &v->curves[k];
      for (int b = 0; b < c->n_bins; b++)
        fprintf (f, "%s,%d,%.10g,%.10g,%.10g,%.10g,%.10g,%.0f,%.10g,%d\n", c->name, b, c->x_lo[b],
                 c->x_hi[b], c->model[b], c->data[b], c->data_err[b], c->count[b], c->chi2, c->ndf);
    }
  return jx_atomic_commit_stream (&out, f, err);
}
