/* Finite-difference checks of every parameter tensor of the JUNIPR network (joint,
 * factorized, and their local variants; the LSTM and GRU cells; heads of their own widths
 * and branch padding classes, as imported Keras models have) on tiny models (grid G = 4)
 * and trees of n = 1, 2, 5, 12.
 *
 * Parameters are float, so the check uses a 4-point central difference with a step of
 * 2^-7 (exactly representable, so x ± h is exact) on a loss computed in double. Its
 * noise is ~1e-5; the tolerance below is far tighter than any missing or extra term
 * (those change a gradient entry by O(its size)), and a corrupted entry is shown to be
 * caught. The heads' biases are small and random, so their ReLU units switch on and off
 * from step to step (checked below): a backward pass that applied another row's mask
 * would get the gradient wrong. Also: batched/chunked loss_grad equals the per-jet sums,
 * and accumulates. */
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

/* The derivative by differences where the loss is smooth: three successive step sizes
 * (h, h/2, h/4) must agree to half the tolerance, else a ReLU kink lies within ±2h and the
 * ladder moves down by a factor 2 (a kink is then likelier outside; the noise grows as 1/h,
 * ~1e-4 at 2^-10, still under the tolerance). False when no triple agrees. */
static bool
agree (double a, double b)
{
  return fabs (a - b) <= 0.5 * (TOL_ABS + TOL_REL * fmax (fabs (a), fabs (b)));
}

/* The ladder's first step size: 2^-7, except for the energy head (see test_config_variant). */
static int ladder_first = 7;

static bool
fd_smooth (JxModel *m, size_t i, const JxTree *const *trees, size_t n, JxModelWork *w,
           double *num)
{
  double a = fd_derivative (m, i, ldexpf (1.0f, -ladder_first), trees, n, w);
  double b = fd_derivative (m, i, ldexpf (1.0f, -ladder_first - 1), trees, n, w);
  for (float h = ldexpf (1.0f, -ladder_first - 2); h >= ldexpf (1.0f, -ladder_first - 3);
       h *= 0.5f)
    {
      double c = fd_derivative (m, i, h, trees, n, w);
      if (agree (a, b) && agree (b, c) && agree (a, c))
        {
          *num = b;
          return true;
        }
      a = b;
      b = c;
    }
  return false;
}

/* Compares analytic grad with finite differences for every parameter. Returns the number
 * of mismatching entries (printed when verbose); *worst gets the largest |a − n| and
 * *skipped the entries where the loss is not smooth at any step size (fd_smooth), which
 * cannot be checked by differences; checked[i] is set for the others. */
static int
check_all (JxModel *m, const float *grad, const JxTree *const *trees, size_t n, JxModelWork *w,
           bool verbose, double *worst, int *skipped, unsigned char *checked)
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
          double num;
          if (!fd_smooth (m, i, trees, n, w, &num))
            {
              (*skipped)++;
              continue;
            }
          checked[i] = 1;
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

/* Units of the ReLU layer `layer` (input h only: end_hidden, mother_hidden) that are on at
 * some states of the trees and off at others, recomputed here from h(t) of the one-state
 * API and the layer's parameters; *width gets the layer's number of units. */
static int
switching_units (const JxModel *m, const char *layer, const JxTree *trees, size_t n_trees,
                 int *width)
{
  char name[64];
  snprintf (name, sizeof name, "%s/kernel", layer);
  const JxTensorInfo *k = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, name));
  snprintf (name, sizeof name, "%s/bias", layer);
  const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, name));
  const float *P = jx_model_params_const (m);
  size_t H = k->rows, D = k->cols;
  int on[64] = { 0 }, off[64] = { 0 };
  float h[64], next[64];
  for (size_t i = 0; i < n_trees; i++)
    {
      const JxTree *tr = &trees[i];
      JxP4 jet = tr->nodes[tr->root].p;
      jx_model_state_init (m, jet, h);
      for (size_t t = 1; t <= tr->n; t++)
        {
          for (size_t d = 0; d < D; d++)
            {
              double a = P[b->offset + d];
              for (size_t j = 0; j < H; j++)
                a += (double) h[j] * P[k->offset + j * D + d];
              on[d] += a > 0;
              off[d] += a <= 0;
            }
          if (t == tr->n)
            break;
          const JxStep *s = &tr->steps[t - 1];
          jx_model_state_next (m, jet, tr->nodes[s->daughter[0]].p, tr->nodes[s->daughter[1]].p,
                               h, next);
          memcpy (h, next, (size_t) jx_model_state_size (m) * sizeof *h);
        }
    }
  int n = 0;
  for (size_t d = 0; d < D; d++)
    n += on[d] > 0 && off[d] > 0;
  *width = (int) D;
  return n;
}

static void
check_masks_switch (const JxModel *m, const JxTree *trees, size_t n_trees)
{
  const char *layers[2] = { "end_hidden", "mother_hidden" };
  for (int l = 0; l < 2; l++)
    {
      int D = 0, n = switching_units (m, layers[l], trees, n_trees, &D);
      JX_CHECK_MSG (2 * n >= D, "%s: only %d of %d ReLU units switch between states", layers[l],
                    n, D);
    }
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
  cfg.grid = 4;
  cfg.max_mult = 16;
  cfg.recurrent = var->recurrent;
  cfg.dense_end = var->dense_end;
  cfg.dense_mother = var->dense_mother;
  cfg.dense_branch = var->dense_branch;
  cfg.branch_padding = var->padding;
  /* Energy head: E at every proposal point of every row has its own ReLU kinks, each
   * bending the loss by ~p_s (1/S): with many of them within ±2h, differences at 2^-7..2^-9
   * agree with each other but average the slope over the kinks (seen: 0.3 % off, converging
   * to the analytic value from 2^-10 down). So few points (16) and the ladder from 2^-9 to
   * 2^-12, where they converge. */
  cfg.energy_samples = 16;
  ladder_first = kind == JX_BRANCH_ENERGY ? 9 : 7;
  char label[96];
  snprintf (label, sizeof label, "%s%s %s%s%s", jx_branch_kind_name (kind), local ? " local" : "",
            jx_recurrent_kind_name (var->recurrent), var->dense_end > 0 ? " head widths" : "",
            var->padding > 0 ? " padded" : "");
  JxModel *m = NULL;
  JxError err = { 0 };
  /* (energy: seeds 20 on, since seed 18 leaves 3 of the 4 mother units of 'energy local'
   * constant, which check_masks_switch refuses for the test's sake, not the head's) */
  uint64_t seed = 11 + kind * 2 + local + 7 * var->recurrent + (kind == JX_BRANCH_ENERGY) * 20;
  JX_CHECK_INT (jx_model_new (&cfg, seed, &m, &err), 0);
  /* Non-zero biases, so their gradients are exercised away from symmetric points. They are
   * small (|b| < 0.2, like the pre-activations' spread), so a ReLU unit is on for some steps
   * and off for others: both paths of every mask are used, row by row. (Large biases of
   * alternating sign would pin each unit on or off for every row: a wrong row's mask would
   * then go unnoticed.) */
  JxRng rng;
  jx_rng_seed (&rng, 5, 0);
  for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
    {
      const JxTensorInfo *t = jx_model_tensor (m, ti);
      if (strstr (t->name, "bias") == NULL)
        continue;
      for (size_t j = 0; j < t->rows * t->cols; j++)
        jx_model_params (m)[t->offset + j] = (float) (0.4 * (jx_rng_uniform (&rng) - 0.5));
    }
  check_masks_switch (m, trees_in, n_in);
  JxModelWork *w = jx_model_work_new (m);
  size_t np = jx_model_n_params (m);
  float *grad = calloc (np, sizeof *grad);
  unsigned char *checked = calloc (np, 1);
  const JxTree *trees[8];
  for (size_t i = 0; i < n_in; i++)
    trees[i] = &trees_in[i];

  /* All together (the lock-step batch with different lengths), then each tree alone, the
   * longest first. */
  bool corruption_tested[64] = { false };
  for (size_t k = 0; k <= n_in; k++)
    {
      size_t i = n_in - k;
      const JxTree *const *batch = i < n_in ? &trees[i] : trees;
      size_t nb = i < n_in ? 1 : n_in;
      memset (grad, 0, np * sizeof *grad);
      double loss = 0;
      JX_CHECK_INT (jx_model_loss_grad (m, batch, nb, &loss, grad, w, &err), 0);
      JX_CHECK (isfinite (loss) && loss > 0);
      double worst;
      int skipped;
      int bad = check_all (m, grad, batch, nb, w, true, &worst, &skipped, checked);
      JX_CHECK_MSG (bad == 0, "%s, batch %zu: %d gradient entries differ (worst %g)", label, i,
                    bad, worst);
      /* Units that switch between steps put a kink within ±2h of some entries for every h
       * the noise allows: up to ~25 % of them in the longest batches (mostly the recurrent
       * weights, which move every unit of every row); see the coverage check below. */
      JX_CHECK_MSG (skipped * 10 <= (int) np * 3, "%d of %zu entries not smooth enough to check",
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
        }
      /* The checker must catch a single wrong entry: corrupt one entry in each tensor by a
       * small amount (5 % of the tensor's mean |gradient| plus 3× the tolerance), in the
       * first batch where the tensor has a smooth entry with a gradient. */
      for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
        {
          const JxTensorInfo *t = jx_model_tensor (m, ti);
          size_t cnt = t->rows * t->cols, j = cnt / 2, q = 0;
          double numeric = 0;
          if (corruption_tested[ti])
            continue;
          for (; q < cnt; q++, j = (j + 1) % cnt)
            if (fabsf (grad[t->offset + j]) > TOL_ABS
                && fd_smooth (m, t->offset + j, batch, nb, w, &numeric))
              break;
          if (q == cnt)
            continue;
          corruption_tested[ti] = true;
          double mean = 0;
          for (q = 0; q < cnt; q++)
            mean += fabs (grad[t->offset + q]) / cnt;
          float *bad_grad = malloc (np * sizeof *bad_grad);
          memcpy (bad_grad, grad, np * sizeof *grad);
          double g0 = bad_grad[t->offset + j];
          bad_grad[t->offset + j] += (float) (0.05 * mean + 3 * (TOL_ABS + TOL_REL * fabs (g0)));
          JX_CHECK_MSG (close_enough (grad[t->offset + j], numeric)
                          && !close_enough (bad_grad[t->offset + j], numeric),
                        "corrupted %s[%zu] not detected", t->name, j);
          free (bad_grad);
        }
    }
  for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
    JX_CHECK_MSG (corruption_tested[ti], "%s: no smooth entry with a gradient to corrupt",
                  jx_model_tensor (m, ti)->name);

  /* Coverage: every tensor's entries were compared, nearly all of them in some batch (the
   * short trees have fewer kinks). */
  for (size_t ti = 0; ti < jx_model_n_tensors (m); ti++)
    {
      const JxTensorInfo *t = jx_model_tensor (m, ti);
      size_t cnt = t->rows * t->cols, done = 0;
      for (size_t j = 0; j < cnt; j++)
        done += checked[t->offset + j];
      JX_CHECK_MSG (done * 10 >= cnt * 9, "%s: %s: only %zu of %zu entries were smooth enough "
                    "to compare in any batch", label, t->name, done, cnt);
    }
  free (checked);

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
  const size_t sizes[4] = { 1, 2, 5, 12 };
  for (size_t i = 0; i < 4; i++)
    random_tree (&trees[i], sizes[i], 40 + i);
  test_config (JX_BRANCH_JOINT, false, trees, 4);
  test_config (JX_BRANCH_FACTORIZED, false, trees, 4);
  test_config (JX_BRANCH_JOINT, true, trees, 4);
  test_config (JX_BRANCH_FACTORIZED, true, trees, 4);
  test_config (JX_BRANCH_HIERARCHICAL, false, trees, 4);
  test_config (JX_BRANCH_HIERARCHICAL, true, trees, 4);
  const Variant lstm = { JX_RECURRENT_LSTM, 0, 0, 0, 0 }, gru = { JX_RECURRENT_GRU, 0, 0, 0, 0 };
  const Variant keras_like = { JX_RECURRENT_RNN, 3, 6, 2, 1 };
  const Variant lstm_padded = { JX_RECURRENT_LSTM, 2, 3, 5, 1 };
  test_config_variant (JX_BRANCH_JOINT, false, &lstm, trees, 4);
  test_config_variant (JX_BRANCH_FACTORIZED, false, &lstm_padded, trees, 4);
  test_config_variant (JX_BRANCH_FACTORIZED, false, &gru, trees, 4);
  test_config_variant (JX_BRANCH_JOINT, true, &gru, trees, 4);
  test_config_variant (JX_BRANCH_FACTORIZED, false, &keras_like, trees, 4);
  test_config_variant (JX_BRANCH_JOINT, false, &keras_like, trees, 4);
  test_config_variant (JX_BRANCH_HIERARCHICAL, false, &lstm, trees, 4);
  test_config (JX_BRANCH_ENERGY, false, trees, 4);
  test_config (JX_BRANCH_ENERGY, true, trees, 4);
  test_config_variant (JX_BRANCH_ENERGY, false, &gru, trees, 4);
  for (size_t i = 0; i < 4; i++)
    jx_tree_free (&trees[i]);
  test_batching (JX_BRANCH_JOINT, JX_RECURRENT_RNN);
  test_batching (JX_BRANCH_FACTORIZED, JX_RECURRENT_RNN);
  test_batching (JX_BRANCH_FACTORIZED, JX_RECURRENT_LSTM);
  test_batching (JX_BRANCH_JOINT, JX_RECURRENT_GRU);
  test_batching (JX_BRANCH_HIERARCHICAL, JX_RECURRENT_RNN);
  test_batching (JX_BRANCH_ENERGY, JX_RECURRENT_LSTM);
  JX_TEST_MAIN_END ("model-grad");
}
