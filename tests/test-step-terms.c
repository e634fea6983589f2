/* test-step-terms.c — the per-step log10 terms: hand-worked scores, sums equal to
 * jx_model_log_prob's ln P_jet / ln 10 for toy models (one-particle jets included), LR terms
 * against two separate scorings, running sums, and the rounding bound of shown labels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-rng.h"
#include "jx-step-terms.h"
#include "jx-test-jets.h"
#include "jx-test-model.h"
#include "jx-test.h"

/* Three states by hand: P_end(0) = 0.9, P_mother = 1, P_branch = 0.01 at t = 1; P_end(0) = 0.8,
 * P_mother = 0.5, P_branch = 0.002 at t = 2; P_end(1) = 0.25 at t = 3. */
static void
test_hand_worked (void)
{
  JxStepScore s[3] = {
    { log (0.9), log (1.0), log (0.01), { 0 } },
    { log (0.8), log (0.5), log (0.002), { 0 } },
    { log (0.25), 0, 0, { 0 } },
  };
  double terms[3], running[3];
  double total = jx_step_terms_log10 (s, 3, terms);
  JX_CHECK_CLOSE (terms[0], log10 (0.9 * 0.01), 1e-14, 0);
  JX_CHECK_CLOSE (terms[1], log10 (0.8 * 0.5 * 0.002), 1e-14, 0);
  JX_CHECK_CLOSE (terms[2], log10 (0.25), 1e-14, 0);
  JX_CHECK_CLOSE (total, log10 (0.9 * 0.01 * 0.8 * 0.5 * 0.002 * 0.25), 1e-14, 0);

  jx_step_terms_running (terms, 3, running);
  JX_CHECK_CLOSE (running[0], terms[0], 0, 0);
  JX_CHECK_CLOSE (running[1], log10 (0.9 * 0.01 * 0.8 * 0.5 * 0.002), 1e-14, 0);
  JX_CHECK (running[2] == total);  /* summed in the same order: the same double */

  /* Model B differs only at the end: the LR terms are 0, 0, log10(0.25/0.5). */
  JxStepScore b[3] = { s[0], s[1], { log (0.5), 0, 0, { 0 } } };
  double lr[3];
  double lr_total = jx_step_terms_lr (s, b, 3, lr);
  JX_CHECK (lr[0] == 0 && lr[1] == 0);
  JX_CHECK_CLOSE (lr[2], log10 (0.5), 1e-14, 0);
  JX_CHECK_CLOSE (lr_total, log10 (0.5), 1e-14, 0);

  /* A one-particle jet: only the end term. */
  double one;
  JX_CHECK_CLOSE (jx_step_terms_log10 (&s[2], 1, &one), log10 (0.25), 1e-14, 0);
  JX_CHECK (one == jx_step_terms_log10 (&s[2], 1, &one));
}

/* Toy models on random jets: Σ terms = ln P_jet / ln 10 of jx_model_log_prob (its own sum),
 * and the LR total = the difference of the two models' ln P over ln 10. */
static void
test_against_model (void)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_JOINT, 40);
  JxModel *ma = jx_test_model_new (&cfg, 11, 2.0f);
  jx_test_model_config (&cfg, JX_BRANCH_FACTORIZED, 40);
  JxModel *mb = jx_test_model_new (&cfg, 12, 2.0f);
  JxRng rng;
  jx_rng_seed (&rng, 7, 0);
  size_t sizes[] = { 1, 2, 3, 9, 25, 40 };
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
    {
      size_t n = sizes[k];
      JxP4 p[40];
      JxTree tree = { 0 };
      JxError err = { 0 };
      jx_test_random_jet (&rng, n, p);
      JX_CHECK_INT (jx_tree_build_from_particles (&tree, p, n, JX_ALGO_CA, NULL, &err), 0);
      JxStepScore *sa = calloc (n, sizeof *sa), *sb = calloc (n, sizeof *sb);
      double *terms = malloc (n * sizeof *terms), *lr = malloc (n * sizeof *lr);
      double lpa = 0, lpb = 0;
      JX_CHECK_INT (jx_model_log_prob (ma, &tree, sa, &lpa, NULL, &err), 0);
      JX_CHECK_INT (jx_model_log_prob (mb, &tree, sb, &lpb, NULL, &err), 0);
      double total = jx_step_terms_log10 (sa, n, terms);
      JX_CHECK_CLOSE (total, lpa / M_LN10, 1e-12, 1e-12);
      /* The last term is the end term alone. */
      JX_CHECK_CLOSE (terms[n - 1], sa[n - 1].log_end / M_LN10, 1e-15, 0);
      double lr_total = jx_step_terms_lr (sa, sb, n, lr);
      JX_CHECK_CLOSE (lr_total, (lpa - lpb) / M_LN10, 1e-12, 1e-12);
      /* Swapping the models negates every term. */
      double *back = malloc (n * sizeof *back);
      JX_CHECK (jx_step_terms_lr (sb, sa, n, back) == -lr_total);
      for (size_t t = 0; t < n; t++)
        JX_CHECK (back[t] == -lr[t]);
      /* Shown with two decimals, the labels sum to the shown total within the bound. */
      double gap = jx_step_terms_label_gap (terms, n, total, 2);
      JX_CHECK_MSG (gap <= jx_step_terms_rounding_bound (n, 2) + 1e-12, "n = %zu: gap %g", n, gap);
      free (back);
      free (sa);
      free (sb);
      free (terms);
      free (lr);
      jx_tree_free (&tree);
    }
  jx_model_free (ma);
  jx_model_free (mb);
}

/* The rounding bound is reached and not exceeded: four terms of 0.125 show as 0.13 each
 * (0.52) while the total 0.5 shows as 0.50. */
static void
test_rounding (void)
{
  double t[4] = { 0.125, 0.125, 0.125, 0.125 };
  double gap = jx_step_terms_label_gap (t, 4, 0.5, 2);
  JX_CHECK_CLOSE (gap, 0.02, 1e-12, 1e-12);
  JX_CHECK (gap <= jx_step_terms_rounding_bound (4, 2));
  JX_CHECK_CLOSE (jx_step_terms_rounding_bound (4, 2), 0.025, 1e-12, 0);
  double exact[3] = { -1.25, -2.5, 0.75 };
  JX_CHECK_CLOSE (jx_step_terms_label_gap (exact, 3, -3.0, 2), 0, 0, 1e-12);
  /* A label list that does not add up is seen as such. */
  JX_CHECK (jx_step_terms_label_gap (exact, 3, -2.9, 2) > jx_step_terms_rounding_bound (3, 2));
}

/* The shared LR range: |terms| 0.01, 0.02, …, 1.00 (jet 0: 40 steps, jet 1: 60); a jet whose
 * two scorings have different lengths and an unscored jet are left out. */
static void
test_lr_quantile (void)
{
  JxScores a, b;
  JxError err = { 0 };
  jx_scores_init (&a);
  jx_scores_init (&b);
  JX_CHECK_INT (jx_scores_alloc (&a, 4, &err), 0);
  JX_CHECK_INT (jx_scores_alloc (&b, 4, &err), 0);
  uint64_t oa[5] = { 0, 40, 100, 103, 105 }, ob[5] = { 0, 40, 100, 102, 104 };
  a.step_offsets = malloc (sizeof oa);
  b.step_offsets = malloc (sizeof ob);
  memcpy (a.step_offsets, oa, sizeof oa);
  memcpy (b.step_offsets, ob, sizeof ob);
  JX_CHECK_INT (jx_scores_alloc_steps (&a, &err), 0);
  JX_CHECK_INT (jx_scores_alloc_steps (&b, &err), 0);
  for (int i = 0; i < 4; i++)
    a.log_p[i] = b.log_p[i] = -10;
  a.log_p[3] = NAN;
  for (int k = 0; k < 105; k++)
    a.log_end[k] = a.log_mother[k] = a.log_branch[k] = 0;
  for (int k = 0; k < 104; k++)
    b.log_end[k] = b.log_mother[k] = b.log_branch[k] = 0;
  /* Steps 0..99: LR term ±(k + 1)/100 in log10 (alternating sign), split over the parts. */
  for (int k = 0; k < 100; k++)
    {
      double v = (k % 2 ? -1 : 1) * (k + 1) / 100.0 * M_LN10;
      a.log_end[k] = 0.5 * v;
      a.log_branch[k] = 0.5 * v;
    }
  /* The skipped jets would dominate if they counted. */
  for (int k = 100; k < 105; k++)
    a.log_mother[k] = 50;
  double q99 = jx_step_terms_lr_quantile (&a, &b, 0.99);
  JX_CHECK_MSG (q99 >= 0.99 && q99 <= 0.99 * 1.012, "q99 = %g", q99);
  double q1 = jx_step_terms_lr_quantile (&a, &b, 1);
  JX_CHECK_MSG (q1 >= 1.0 && q1 <= 1.012, "max = %g", q1);
  double q50 = jx_step_terms_lr_quantile (&a, &b, 0.5);
  JX_CHECK_MSG (q50 >= 0.5 && q50 <= 0.5 * 1.012, "median = %g", q50);
  JX_CHECK (isnan (jx_step_terms_lr_quantile (&a, &b, 0)));
  JxScores none;
  jx_scores_init (&none);
  JX_CHECK (isnan (jx_step_terms_lr_quantile (&a, &none, 0.5)));
  jx_scores_free (&a);
  jx_scores_free (&b);
}

int
main (void)
{
  test_hand_worked ();
  test_against_model ();
  test_rounding ();
  test_lr_quantile ();
  JX_TEST_MAIN_END ("step-terms");
}
