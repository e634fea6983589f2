/* Unit tests for jx-optim: SGD and Adam steps on a quadratic against hand-computed updates,
 * convergence to the minimum, and name parsing. */
#include <string.h>

#include "jx-optim.h"
#include "jx-test.h"

/* f(θ) = ½ Σ a_i (θ_i − c_i)², ∇f = a (θ − c). */
static const double A[3] = { 1.0, 4.0, 0.25 };
static const double C[3] = { 0.5, -1.0, 2.0 };

static void
quad_grad (const float *theta, float *g)
{
  for (int i = 0; i < 3; i++)
    g[i] = (float) (A[i] * (theta[i] - C[i]));
}

static void
test_sgd (void)
{
  JxOptim opt;
  JX_CHECK_INT (jx_optim_init (&opt, JX_OPTIM_SGD, 3, NULL), 0);
  float theta[3] = { 0, 0, 0 }, g[3];
  quad_grad (theta, g);
  /* g = (−0.5, 4, −0.5); θ ← θ − 0.1 g = (0.05, −0.4, 0.05). */
  jx_optim_step (&opt, theta, g, 0.1);
  JX_CHECK_CLOSE (theta[0], 0.05, 1e-6, 0);
  JX_CHECK_CLOSE (theta[1], -0.4, 1e-6, 0);
  JX_CHECK_CLOSE (theta[2], 0.05, 1e-6, 0);
  /* Second step: g = (−0.45, 2.4, −0.4875); θ = (0.095, −0.64, 0.09875). */
  quad_grad (theta, g);
  jx_optim_step (&opt, theta, g, 0.1);
  JX_CHECK_CLOSE (theta[0], 0.095, 1e-6, 0);
  JX_CHECK_CLOSE (theta[1], -0.64, 1e-6, 0);
  JX_CHECK_CLOSE (theta[2], 0.09875, 1e-6, 0);
  JX_CHECK (opt.m == NULL && opt.v == NULL);
  JX_CHECK_INT (opt.t, 2);
  for (int s = 0; s < 500; s++)
    {
      quad_grad (theta, g);
      jx_optim_step (&opt, theta, g, 0.2);
    }
  for (int i = 0; i < 3; i++)
    JX_CHECK_CLOSE (theta[i], C[i], 0, 1e-4);
  jx_optim_free (&opt);
}

static void
test_adam (void)
{
  JxOptim opt;
  JX_CHECK_INT (jx_optim_init (&opt, JX_OPTIM_ADAM, 3, NULL), 0);
  JX_CHECK (opt.beta1 == 0.9 && opt.beta2 == 0.999 && opt.eps == 1e-8);
  float theta[3] = { 0, 0, 0 }, g[3];
  const double lr = 0.01;
  /* Step 1: m̂ = g, v̂ = g², so every coordinate moves by lr·g/(|g| + ε) ≈ lr·sign(g). */
  quad_grad (theta, g);
  jx_optim_step (&opt, theta, g, lr);
  JX_CHECK_CLOSE (theta[0], 0.01 * 0.5 / (0.5 + 1e-8), 1e-6, 0);
  JX_CHECK_CLOSE (theta[1], -0.01 * 4 / (4 + 1e-8), 1e-6, 0);
  JX_CHECK_CLOSE (theta[2], 0.01, 1e-6, 0);
  JX_CHECK_CLOSE (opt.m[1], 0.1 * 4, 1e-6, 0);
  JX_CHECK_CLOSE (opt.v[1], 0.001 * 16, 1e-6, 0);
  /* Step 2 on coordinate 1, by hand: θ = −0.01, g2 = 4·(−0.01 + 1) = 3.96,
   * m = 0.9·0.4 + 0.1·3.96 = 0.756, v = 0.999·0.016 + 0.001·15.6816 = 0.0316656,
   * m̂ = 0.756/0.19 = 3.978947..., v̂ = 0.0316656/0.001999 = 15.84072...,
   * θ = −0.01 − 0.01·3.978947/(3.980040 + 1e-8) = −0.019997253... */
  quad_grad (theta, g);
  JX_CHECK_CLOSE (g[1], 3.96, 1e-6, 0);
  jx_optim_step (&opt, theta, g, lr);
  JX_CHECK_CLOSE (opt.m[1], 0.756, 1e-6, 0);
  JX_CHECK_CLOSE (opt.v[1], 0.0316656, 1e-6, 0);
  double mh = 0.756 / (1 - 0.81), vh = 0.0316656 / (1 - 0.999 * 0.999);
  JX_CHECK_CLOSE (theta[1], -0.01 - lr * mh / (sqrt (vh) + 1e-8), 1e-6, 0);
  JX_CHECK_CLOSE (theta[1], -0.0199972, 1e-5, 0);
  JX_CHECK_INT (opt.t, 2);
  /* Converges to the minimum (and stays there). */
  for (int s = 0; s < 5000; s++)
    {
      quad_grad (theta, g);
      jx_optim_step (&opt, theta, g, s < 3000 ? 0.05 : 0.005);
    }
  for (int i = 0; i < 3; i++)
    JX_CHECK_CLOSE (theta[i], C[i], 0, 2e-3);
  jx_optim_free (&opt);
  jx_optim_free (&opt);  /* twice is harmless */
}

static void
test_names (void)
{
  JxOptimKind k = JX_OPTIM_SGD;
  JxError err;
  JX_CHECK_INT (jx_optim_kind_parse ("adam", &k, NULL), 0);
  JX_CHECK_INT (k, JX_OPTIM_ADAM);
  JX_CHECK_INT (jx_optim_kind_parse ("sgd", &k, NULL), 0);
  JX_CHECK_INT (k, JX_OPTIM_SGD);
  JX_CHECK_INT (jx_optim_kind_parse ("rmsprop", &k, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "rmsprop") != NULL && strstr (err.message, "adam") != NULL);
  JX_CHECK (strcmp (jx_optim_kind_name (JX_OPTIM_ADAM), "adam") == 0);
  JX_CHECK (strcmp (jx_optim_kind_name (JX_OPTIM_SGD), "sgd") == 0);
}

int
main (void)
{
  test_sgd ();
  test_adam ();
  test_names ();
  JX_TEST_MAIN_END ("optim");
}
