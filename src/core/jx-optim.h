/* jx-optim.h — gradient-descent optimizers over a model's flat parameter block.
 *
 * The model keeps all its weights in one contiguous float block (jx_model_params), so an
 * optimizer is a flat loop over n parameters; Adam keeps its first and second moments in
 * two blocks of the same length. Updates are plain sequential loops in a fixed order, so the
 * same gradient gives the same bits on every run.
 *
 *  SGD:  θ ← θ − lr·g
 *  Adam: m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  t ← t + 1,
 *        θ ← θ − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)      (Kingma & Ba 2015)
 * Arithmetic of one update is done in double and rounded to float once.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jx-error.h"

typedef enum {
  JX_OPTIM_SGD = 0,
  JX_OPTIM_ADAM = 1,
} JxOptimKind;

typedef struct {
  JxOptimKind kind;
  size_t n;             /* parameters */
  double beta1, beta2;  /* Adam: 0.9, 0.999 */
  double eps;           /* Adam: 1e-8 */
  uint64_t t;           /* updates made so far (Adam's bias correction uses it) */
  float *m, *v;         /* Adam moments [n]; NULL for SGD */
} JxOptim;

/* "sgd", "adam". */
const char *jx_optim_kind_name (JxOptimKind kind);
int jx_optim_kind_parse (const char *name, JxOptimKind *out, JxError *err);

/* Zeroed moments, t = 0, the defaults above. Free with jx_optim_free. */
int jx_optim_init (JxOptim *opt, JxOptimKind kind, size_t n, JxError *err);
void jx_optim_free (JxOptim *opt);

/* One update of params[n] from grad[n] (the gradient of the loss to minimise). */
void jx_optim_step (JxOptim *opt, float *params, const float *grad, double lr);
