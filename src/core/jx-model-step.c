/* jx-model-step.c — see jx-model-step.h. */
#include "jx-model-step.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-layers.h"
#include "jx-scaling.h"

typedef struct {
  const JxTensorInfo *w, *b;
} Dense;

struct JxModelStep {
  const JxModel *model;
  int H, M, n_heads, local, padding;
  int hier_grid;      /* hierarchical: G of the coarse cells (0 for the other kinds) */
  bool energy;        /* energy head: branch probabilities from jx_model_branch_probs */
  JxModelWork *work;  /* its work space */
  Dense end[2], mother[2], branch[4][2];
  float *a, *l, *u;   /* hidden activations [widest head], logits [max out], head input [H + 8] */
};

static int
find_dense (const JxModel *m, const char *layer, Dense *d)
{
  char name[64];
  snprintf (name, sizeof name, "%s/kernel", layer);
  int iw = jx_model_find_tensor (m, name);
  snprintf (name, sizeof name, "%s/bias", layer);
  int ib = jx_model_find_tensor (m, name);
  if (iw < 0 || ib < 0)
    return -1;
  d->w = jx_model_tensor (m, (size_t) iw);
  d->b = jx_model_tensor (m, (size_t) ib);
  return d->b->rows * d->b->cols == d->w->cols ? 0 : -1;
}

void
jx_model_step_free (JxModelStep *s)
{
  if (s == NULL)
    return;
  free (s->a);
  free (s->l);
  free (s->u);
  jx_model_work_free (s->work);
  free (s);
}

JxModelStep *
jx_model_step_new (const JxModel *model)
{
  static const char *const coord_name[4] = { "z", "theta", "phi", "delta" };
  const JxModelConfig *cfg = jx_model_config (model);
  JxModelStep *s = calloc (1, sizeof *s);
  if (s == NULL)
    return NULL;
  s->model = model;
  s->H = cfg->hidden;
  s->M = cfg->max_mult;
  s->local = cfg->local;
  s->padding = cfg->branch_padding;
  int de, dm, db;
  jx_model_config_head_widths (cfg, &de, &dm, &db);
  int d_max = de > dm ? de : dm;
  d_max = d_max > db ? d_max : db;
  s->n_heads = jx_model_n_branch_heads (model);
  s->hier_grid = cfg->branch == JX_BRANCH_HIERARCHICAL ? cfg->grid : 0;
  /* The energy head's cell view is G⁴ evaluations of E (jx_model_branch_probs), not a
   * matrix–vector product: it is passed through. */
  s->energy = cfg->branch == JX_BRANCH_ENERGY;
  if (s->energy)
    s->work = jx_model_work_new (model);
  int bad = find_dense (model, "end_hidden", &s->end[0]) | find_dense (model, "end_out", &s->end[1])
            | find_dense (model, "mother_hidden", &s->mother[0])
            | find_dense (model, "mother_out", &s->mother[1]);
  size_t max_out = (size_t) s->M;
  for (int k = 0; k < s->n_heads && !bad && !s->energy; k++)
    {
      char layer[32];
      const char *nm = s->n_heads == 1  ? ""
                       : s->hier_grid ? (k == 0 ? "coarse" : "fine")
                                      : coord_name[jx_model_branch_head_coord (model, k)];
      snprintf (layer, sizeof layer, s->n_heads == 1 ? "branch_hidden%s" : "branch_%s_hidden", nm);
      bad |= find_dense (model, layer, &s->branch[k][0]);
      snprintf (layer, sizeof layer, s->n_heads == 1 ? "branch_out%s" : "branch_%s_out", nm);
      bad |= find_dense (model, layer, &s->branch[k][1]);
      /* inputs: [h;] k_m' and the earlier coordinates (factorized) or the coarse centre */
      int extra = s->n_heads == 1 ? 0 : s->hier_grid ? 4 * k : k;
      if (!bad && s->branch[k][0].w->rows != (size_t) ((s->local ? 0 : s->H) + 4 + extra))
        bad = 1;
      if (!bad && s->branch[k][1].w->cols > max_out)
        max_out = s->branch[k][1].w->cols;
    }
  s->a = malloc ((size_t) d_max * sizeof *s->a);
  s->l = malloc (max_out * sizeof *s->l);
  s->u = malloc ((size_t) (s->H + 8) * sizeof *s->u);
  if (bad || s->a == NULL || s->l == NULL || s->u == NULL || (s->energy && s->work == NULL))
    {
      jx_model_step_free (s);
      return NULL;
    }
  return s;
}

/* out[OC] = x[C] · W (C, OC) + b, as a matrix–vector product. */
static void
dense (const JxModel *m, const Dense *d, const float *x, float *out)
{
  const float *P = jx_model_params_const (m);
  int C = (int) d->w->rows, OC = (int) d->w->cols;
  memcpy (out, P + d->b->offset, (size_t) OC * sizeof *out);
  cblas_sgemv (CblasRowMajor, CblasTrans, C, OC, 1.0f, P + d->w->offset, OC, x, 1, 1.0f, out, 1);
}

static void
relu (float *x, int n)
{
  for (int i = 0; i < n; i++)
    x[i] = x[i] > 0 ? x[i] : 0;
}

/* Width of a dense layer's output. */
static int
width (const Dense *d)
{
  return (int) d->w->cols;
}

double
jx_model_step_end (JxModelStep *s, const float *h)
{
  dense (s->model, &s->end[0], h, s->a);
  relu (s->a, width (&s->end[0]));
  dense (s->model, &s->end[1], s->a, s->l);
  return 1.0 / (1.0 + exp (-(double) s->l[0]));
}

int
jx_model_step_mother (JxModelStep *s, const float *h, int t, double *probs, JxError *err)
{
  if (t < 1 || t > s->M)
    return jx_error_set (err, JX_ERR_RANGE, "step %d outside the model's 1..M = %d", t, s->M);
  dense (s->model, &s->mother[0], h, s->a);
  relu (s->a, width (&s->mother[0]));
  /* only the first t logits are needed: a narrower product over the kernel's first t columns */
  const float *P = jx_model_params_const (s->model);
  const Dense *d = &s->mother[1];
  int C = (int) d->w->rows, OC = (int) d->w->cols;
  memcpy (s->l, P + d->b->offset, (size_t) t * sizeof *s->l);
  cblas_sgemv (CblasRowMajor, CblasTrans, C, t, 1.0f, P + d->w->offset, OC, s->a, 1, 1.0f, s->l, 1);
  jx_softmax_double (probs, s->l, t, t);
  return 0;
}

int
jx_model_step_branch (JxModelStep *s, const float *h, JxP4 mother, JxP4 jet, int head,
                      const double *prev, double *probs, JxError *err)
{
  if (head < 0 || head >= s->n_heads)
    return jx_error_set (err, JX_ERR_INVALID, "branch head %d does not exist (the model has %d)",
                         head, s->n_heads);
  if (s->energy)
    return jx_model_branch_probs (s->model, h, mother, jet, head, prev, probs, s->work, err);
  float *u = s->u;
  if (!s->local)
    {
      memcpy (u, h, (size_t) s->H * sizeof *u);
      u += s->H;
    }
  jx_model_scale_input (s->model, mother, jet, u);
  if (s->hier_grid > 0 && head == 1)
    {
      int G = s->hier_grid, bins[4];
      if (!(prev[0] >= 0 && prev[0] < (double) G * G * G * G))
        return jx_error_set (err, JX_ERR_INVALID, "coarse cell %g outside 0..%d", prev[0],
                             G * G * G * G - 1);
      jx_cell_bins ((int) prev[0], G, bins);
      for (int k = 0; k < 4; k++)
        u[4 + k] = (float) ((bins[k] + 0.5) / G);
    }
  else
    for (int k = 0; k < head; k++)
      u[4 + k] = (float) prev[k];
  dense (s->model, &s->branch[head][0], s->u, s->a);
  relu (s->a, width (&s->branch[head][0]));
  dense (s->model, &s->branch[head][1], s->a, s->l);
  int K = width (&s->branch[head][1]);
  jx_softmax_double (probs, s->l, K, K - s->padding);
  return 0;
}
