/* jx-optim.c — see jx-optim.h. */
#include "jx-optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *
jx_optim_kind_name (JxOptimKind kind)
{
  return kind == JX_OPTIM_ADAM ? "adam" : "sgd";
}

int
jx_optim_kind_parse (const char *name, JxOptimKind *out, JxError *err)
{
  if (name != NULL && strcmp (name, "sgd") == 0)
    *out = JX_OPTIM_SGD;
  else if (name != NULL && strcmp (name, "adam") == 0)
    *out = JX_OPTIM_ADAM;
  else
    return jx_error_set (err, JX_ERR_INVALID, "unknown optimizer '%s': use sgd or adam",
                         name != NULL ? name : "");
  return 0;
}

int
jx_optim_init (JxOptim *opt, JxOptimKind kind, size_t n, JxError *err)
{
  memset (opt, 0, sizeof *opt);
  opt->kind = kind;
  opt->n = n;
  opt->beta1 = 0.9;
  opt->beta2 = 0.999;
  opt->eps = 1e-8;
  if (kind == JX_OPTIM_ADAM)
    {
      opt->m = calloc (n > 0 ? n : 1, sizeof *opt->m);
      opt->v = calloc (n > 0 ? n : 1, sizeof *opt->v);
      if (opt->m == NULL || opt->v == NULL)
        {
          jx_optim_free (opt);
          return jx_error_set (err, JX_ERR_NOMEM, "out of memory for Adam moments (%zu parameters)", n);
        }
    }
  return 0;
}

void
jx_optim_free (JxOptim *opt)
{
  free (opt->m);
  free (opt->v);
  opt->m = opt->v = NULL;
}

static void
sgd_step (size_t n, float *params, const float *grad, double lr)
{
  for (size_t i = 0; i < n; i++)
    params[i] = (float) ((double) params[i] - lr * (double) grad[i]);
}

static void
adam_step (JxOptim *opt, float *params, const float *grad, double lr)
{
  opt->t++;
  const double b1 = opt->beta1, b2 = opt->beta2;
  const double c1 = 1.0 - pow (b1, (double) opt->t);
  const double c2 = 1.0 - pow (b2, (double) opt->t);
  float *m = opt->m, *v = opt->v;
  for (size_t i = 0; i < opt->n; i++)
    {
      double g = grad[i];
      double mi = b1 * m[i] + (1.0 - b1) * g;
      double vi = b2 * v[i] + (1.0 - b2) * g * g;
      m[i] = (float) mi;
      v[i] = (float) vi;
      params[i] = (float) ((double) params[i] - lr * (mi / c1) / (sqrt (vi / c2) + opt->eps));
    }
}

void
jx_optim_step (JxOptim *opt, float *params, const float *grad, double lr)
{
  if (opt->kind == JX_OPTIM_ADAM)
    adam_step (opt, params, grad, lr);
  else
    {
      opt->t++;
      sgd_step (opt->n, params, grad, lr);
    }
}
