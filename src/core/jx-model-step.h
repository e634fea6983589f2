/* jx-model-step.h — the JUNIPR heads for one state at a time, fast: the numbers of
 * jx_model_end_prob / jx_model_mother_probs / jx_model_branch_probs (jx-model.h; tested
 * against them), computed with matrix–vector products. A one-row GEMM packs the whole weight
 * matrix on every call: for the joint model's 100 × 10⁴ output layer that is ~8× slower than
 * cblas_sgemv, and it dominated sampling (70% of the time in sgemm copy/kernel).
 *
 * Reads the model's public tensors (jx_model_find_tensor / jx_model_params_const) with the
 * layout jx-model.h documents: kernels (inputs, outputs) row-major; branch head inputs
 * [h (unless local); k_m'; earlier scaled coordinates]. One JxModelStep per thread; it
 * reads the parameters at call time, so it stays valid while the model is alive.
 */
#pragma once

#include "jx-error.h"
#include "jx-model.h"

typedef struct JxModelStep JxModelStep;

/* NULL when out of memory or the model's tensors are not laid out as expected. */
JxModelStep *jx_model_step_new (const JxModel *model);
void jx_model_step_free (JxModelStep *step);

/* P_end(1|h). */
double jx_model_step_end (JxModelStep *step, const float *h);
/* P_mother over the first t candidates into probs[t]. */
int jx_model_step_mother (JxModelStep *step, const float *h, int t, double *probs, JxError *err);
/* As jx_model_branch_probs. */
int jx_model_step_branch (JxModelStep *step, const float *h, JxP4 mother, JxP4 jet, int head,
                          const double *prev, double *probs, JxError *err);
