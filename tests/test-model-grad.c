/* Finite-difference checks of every parameter tensor of the JUNIPR network (joint,
 * factorized, and their local variants; the LSTM and GRU cells; heads of their own widths
 * and branch padding classes, as imported Keras models have) on tiny models and trees of
 * n = 1, 2, 5, 8.
 *
 * Parameters are float, so the check uses a 4-point central difference with a step of
 * 2^-7 (exactly representable, so x ± h is exact) on a loss computed in double. Its
 * noise is ~1e-5; the tolerance below is far tighter than any missing or extra term
 * (those change a gradient entry by O(its size)), and a corrupted entry is shown to be
 * caught. Also: batched/chunked loss_grad equals the per-jet sums, and accumulates. */
#include <string.h>

#include "jx-model.h"
#include "jx-rng.h"
#include "jx-test-model.h"
#include "jx-test.h"
#include "jx-tree.h"

#define TOL_ABS 5e-4
#define TOL_REL 2e-3

/* A random jet of n particles around a random axis, clustered with C/A. */
static void
random_tree (JxTree *tree, size_t n, uint64_t seed)
{
  JxRng rng;
  jx_rng_seed (&rng, seed, 1);
  JxP4 p[64];
  double ax = jx_rng_uniform (&rng) - 0.5, ay = jx_rng_uniform (&rng) - 0.5, az = 0.8;
  JxP4 axis = jx_p4 (1, ax, ay, az);
  JxFrame f;
  jx_frame_from_axis (&f, axis);
  for (size_t i = 0; i < n; i++)
    {
      double E = 2 + 100 * jx_rng_uniform (&rng) * jx_rng_uniform (&rng);
      double th = 0.4 * jx_rng_uniform (&rng), ph = 2 * M_PI * jx_rng_uniform (&rng);
      double d[3];
      jx_frame_direction (&f, th, ph, d);
      double m = 0.2 * jx_rng_uniform (&rng);
      double pp = sqrt (E * E - m * m);
      p[i] = jx_p4 (E, pp * d[0], pp * d[1], pp * d[2]);
    }
  JxError err = { 0 };
  int rc = jx_tree_build_from_particles (tree, p, n, JX_ALGO_CA, NULL, &err);
  if (rc != 0)
    {
      fprintf (stderr, "tree build failed: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
}

static double
loss_of (const JxModel *m, const JxTree *const *trees, size_t n, JxModelWork *w)
{
  double loss = 0;
  JxError err = { 0 };
  int rc = jx_model_loss_grad (m, trees, n, &loss, NULL, w, &err);
  if (rc != 0)
    {
      fprintf (stderr, "loss failed: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
  return loss;
}

static double
fd_derivative (JxModel *m, size_t i, float h, const JxTree *const *trees, size_t n, JxModelWork *w)
{
  float *p = jx_model_params (m);
  float x = p[i];
  double f[4];
  const float steps[4] = { -2, -1, 1, 2 };
  for (int k = 0; k < 4; k++)
    {
      p[i] = x + steps[k] * h;
      f[k] = loss_of (m, trees, n, w);
    }
  p[i] = x;
  return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12.0 * h);
}

static bool
close_enough (double a, double n)
{
  return fabs (a - n) <= TOL_ABS + TOL_REL * fmax (fabs (a), fabs (n));
}

/* Compares analytic grad with finite differences for every parameter. Returns the number
 * of mismatching entries (printed when verbose); *worst gets the largest |a − n| and
 * *skipped the entries where the loss is not smooth within ±2h (a ReLU kink: the two step
 * sizes disagree with each other), which cannot be checked by differences. */
static int
check_all (JxModel *m, const float *grad, const JxTree *const *trees, size_t n, JxModelWork *w,
           bool verbose, double *worst, int *skipped)
{
  int bad = 0;
  *worst = 0;
  *skipped = 0;
  for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
    {
      const JxTensorInfo *t = jx_model_tensor (m, ti);
      for (size_t j = 0; j < t->rows * t->cols; j++)
        {
          size_t i = t->offset + j;
          double num = fd_derivative (m, i, 0x1p-7f, trees, n, w);
          double num2 = fd_derivative (m, i, 0x1p-8f, trees, n, w);
          if (!close_enough (num, num2))
            {
              (*skipped)++;
              continue;
            }
          *worst = fmax (*worst, fabs (grad[i] - num));
          if (!close_enough (grad[i], num))
            {
              bad++;
              if (verbose)
                fprintf (stderr, "  %s[%zu]: analytic %.8g, numeric %.8g\n", t->name, j,
                         grad[i], num);
            }
        }
    }
  return bad;
}

/* What a test_config varies beyond branch kind and locality. */
typedef struct {
  JxRecurrentKind recurrent;
  int dense_end, dense_mother, dense_branch, padding;
} Variant;

static const Variant plain = { JX_RECURRENT_RNN, 0, 0, 0, 0 };

static void
test_config_variant (JxBranchKind kind, bool local, const Variant *var, JxTree *trees_in,
                     size_t n_in)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = kind;
  cfg.local = local;
  cfg.hidden = 5;
  cfg.dense = 4;
  cfg.grid = 3;
  cfg.max_mult = 8;
  cfg.recurrent = var->recurrent;
  cfg.dense_end = var->dense_end;
  cfg.dense_mother = var->dense_mother;
  cfg.dense_branch = var->dense_branch;
  cfg.branch_padding = var->padding;
  char label[96];
  snprintf (label, sizeof label, "%s%s %s%s%s", jx_branch_kind_name (kind), local ? " local" : "",
            jx_recurrent_kind_name (var->recurrent), var->dense_end > 0 ? " head widths" : "",
            var->padding > 0 ? " padded" : "");
  JxModel *m = NULL;
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_new (&cfg, 11 + kind * 2 + local + 7 * var->recurrent, &m, &err), 0);
  /* Non-zero biases, so their gradients are exercised away from symmetric points. ReLU
   * layers get alternating ±1.5 so most units are clearly on or clearly off (both paths of
   * the mask are used) and few sit near a kink, where differences are meaningless. */
  JxRng rng;
  jx_rng_seed (&rng, 5, 0);
  for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
    {
      const JxTensorInfo *t = jx_model_tensor (m, ti);
      if (strstr (t->name, "bias") == NULL)
        continue;
      for (size_t j = 0; j < t->rows * t->cols; j++)
        {
          float v = (float) (0.4 * (jx_rng_uniform (&rng) - 0.5));
          if (strstr (t->name, "_hidden/") != NULL)
            v += j % 2 == 0 ? 1.5f : -1.5f;
          jx_model_params (m)[t->offset + j] = v;
        }
    }
  JxModelWork *w = jx_model_work_new (m);
  size_t np = jx_model_n_params (m);
  float *grad = calloc (np, sizeof *grad);
  const JxTree *trees[8];
  for (size_t i = 0; i < n_in; i++)
    trees[i] = &trees_in[i];

  /* Each tree alone, then all together (the lock-step batch with different lengths). */
  for (size_t i = 0; i <= n_in; i++)
    {
      const JxTree *const *batch = i < n_in ? &trees[i] : trees;
      size_t nb = i < n_in ? 1 : n_in;
      memset (grad, 0, np * sizeof *grad);
      double loss = 0;
      JX_CHECK_INT (jx_model_loss_grad (m, batch, nb, &loss, grad, w, &err), 0);
      JX_CHECK (isfinite (loss) && loss > 0);
      double worst;
      int skipped;
      int bad = check_all (m, grad, batch, nb, w, true, &worst, &skipped);
      JX_CHECK_MSG (bad == 0, "%s, batch %zu: %d gradient entries differ (worst %g)", label, i,
                    bad, worst);
      JX_CHECK_MSG (skipped * 50 <= (int) np, "%d of %zu entries not smooth enough to check",
                    skipped, np);
      if (i == n_in)
        {
          printf ("%s: %zu parameters checked (%d at kinks skipped), "
                  "worst |analytic − numeric| = %.2e\n", label, np, skipped, worst);
          /* Every tensor must receive some gradient, or the check above proves nothing. */
          for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
            {
              const JxTensorInfo *t = jx_model_tensor (m, ti);
              double s = 0;
              for (size_t j = 0; j < t->rows * t->cols; j++)
                s += fabs (grad[t->offset + j]);
              JX_CHECK_MSG (s > 1e-4, "tensor %s has no gradient", t->name);
            }
          /* The checker must catch a single wrong entry: corrupt one entry in each tensor by
           * a small amount (5 % of the tensor's mean |gradient| plus 3× the tolerance). */
          for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
            {
              const JxTensorInfo *t = jx_model_tensor (m, ti);
              size_t cnt = t->rows * t->cols, j = cnt / 2;
              /* An entry where the loss is smooth (see check_all). */
              for (size_t q = 0; q < cnt; q++, j = (j + 1) % cnt)
                if (close_enough (fd_derivative (m, t->offset + j, 0x1p-7f, batch, nb, w),
                                  fd_derivative (m, t->offset + j, 0x1p-8f, batch, nb, w)))
                  break;
              double mean = 0;
              for (size_t q = 0; q < cnt; q++)
                mean += fabs (grad[t->offset + q]) / cnt;
              float *bad_grad = malloc (np * sizeof *bad_grad);
              memcpy (bad_grad, grad, np * sizeof *grad);
              double g0 = bad_grad[t->offset + j];
              bad_grad[t->offset + j] += (float) (0.05 * mean + 3 * (TOL_ABS + TOL_REL * fabs (g0)));
              double numeric = fd_derivative (m, t->offset + j, 0x1p-7f, batch, nb, w);
              JX_CHECK_MSG (close_enough (grad[t->offset + j], numeric)
                              && !close_enough (bad_grad[t->offset + j], numeric),
                            "corrupted %s[%zu] not detected", t->name, j);
              free (bad_grad);
            }
        }
    }

  /* Accumulation: a second call adds the same gradient again. */
  float *g2 = calloc (np, sizeof *g2);
  double l1 = 0, l2 = 0;
  JX_CHECK_INT (jx_model_loss_grad (m, trees, n_in, &l1, g2, w, &err), 0);
  memcpy (grad, g2, np * sizeof *grad);
  JX_CHECK_INT (jx_model_loss_grad (m, trees, n_in, &l2, g2, w, &err), 0);
  JX_CHECK_CLOSE (l1, l2, 0, 0);
  int acc_bad = 0;
  for (size_t i = 0; i < np; i++)
    acc_bad += fabsf (g2[i] - 2 * grad[i]) > 1e-5f * (1 + fabsf (grad[i]));
  JX_CHECK_INT (acc_bad, 0);
  free (g2);
  free (grad);
  jx_model_work_free (w);
  jx_model_free (m);
}

static void
test_config (JxBranchKind kind, bool local, JxTree *trees_in, size_t n_in)
{
  test_config_variant (kind, local, &plain, trees_in, n_in);
}

/* Many jets of mixed length: more than one chunk. Loss and gradient must equal the sums of
 * single-jet calls (the batching is an implementation detail). */
static void
test_batching (JxBranchKind kind, JxRecurrentKind recurrent)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, kind, 30);
  cfg.recurrent = recurrent;
  JxModel *m = jx_test_model_new (&cfg, 3, 1.0f);
  JxError err = { 0 };
  enum { NT = 40 };
  JxTree trees[NT];
  const JxTree *ptr[NT];
  for (size_t i = 0; i < NT; i++)
    {
      random_tree (&trees[i], 1 + (i * 7) % 30, 100 + i);
      ptr[i] = &trees[i];
    }
  size_t np = jx_model_n_params (m);
  float *g_batch = calloc (np, sizeof (float)), *g_single = calloc (np, sizeof (float));
  JxModelWork *w = jx_model_work_new (m);
  double loss = 0, sum = 0, many[NT];
  JX_CHECK_INT (jx_model_loss_grad (m, ptr, NT, &loss, g_batch, w, &err), 0);
  JX_CHECK_INT (jx_model_log_prob_many (m, ptr, NT, many, w, &err), 0);
  for (size_t i = 0; i < NT; i++)
    {
      double l = 0, lp = 0;
      JX_CHECK_INT (jx_model_loss_grad (m, &ptr[i], 1, &l, g_single, w, &err), 0);
      JX_CHECK_INT (jx_model_log_prob (m, ptr[i], NULL, &lp, w, &err), 0);
      JX_CHECK_CLOSE (l, -lp, 1e-12, 0);
      JX_CHECK_CLOSE (many[i], lp, 1e-5, 0);
      sum += l;
    }
  JX_CHECK_CLOSE (loss, sum, 1e-5, 0);
  double gmax = 0, dmax = 0;
  for (size_t i = 0; i < np; i++)
    {
      gmax = fmax (gmax, fabs (g_single[i]));
      dmax = fmax (dmax, fabs (g_batch[i] - g_single[i]));
    }
  JX_CHECK_MSG (dmax <= 1e-4 * gmax, "batched vs single gradient differ by %g (max %g)", dmax, gmax);
  for (size_t i = 0; i < NT; i++)
    jx_tree_free (&trees[i]);
  free (g_batch);
  free (g_single);
  jx_model_work_free (w);
  jx_model_free (m);
}

int
main (void)
{
  JxTree trees[4];
  const size_t sizes[4] = { 1, 2, 5, 8 };
  for (size_t i = 0; i < 4; i++)
    random_tree (&trees[i], sizes[i], 40 + i);
  test_config (JX_BRANCH_JOINT, false, trees, 4);
  test_config (JX_BRANCH_FACTORIZED, false, trees, 4);
  test_config (JX_BRANCH_JOINT, true, trees, 4);
  test_config (JX_BRANCH_FACTORIZED, true, trees, 4);
  const Variant lstm = { JX_RECURRENT_LSTM, 0, 0, 0, 0 }, gru = { JX_RECURRENT_GRU, 0, 0, 0, 0 };
  const Variant keras_like = { JX_RECURRENT_RNN, 3, 6, 2, 1 };
  const Variant lstm_padded = { JX_RECURRENT_LSTM, 2, 3, 5, 1 };
  test_config_variant (JX_BRANCH_JOINT, false, &lstm, trees, 4);
  test_config_variant (JX_BRANCH_FACTORIZED, false, &lstm_padded, trees, 4);
  test_config_variant (JX_BRANCH_FACTORIZED, false, &gru, trees, 4);
  test_config_variant (JX_BRANCH_JOINT, true, &gru, trees, 4);
  test_config_variant (JX_BRANCH_FACTORIZED, false, &keras_like, trees, 4);
  test_config_variant (JX_BRANCH_JOINT, false, &keras_like, trees, 4);
  for (size_t i = 0; i < 4; i++)
    jx_tree_free (&trees[i]);
  test_batching (JX_BRANCH_JOINT, JX_RECURRENT_RNN);
  test_batching (JX_BRANCH_FACTORIZED, JX_RECURRENT_RNN);
  test_batching (JX_BRANCH_FACTORIZED, JX_RECURRENT_LSTM);
  test_batching (JX_BRANCH_JOINT, JX_RECURRENT_GRU);
  JX_TEST_MAIN_END ("model-grad");
}
