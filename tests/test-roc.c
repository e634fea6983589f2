/* ROC curves, AUC and rejections against hand-computed small examples; histogram likelihood
 * ratios; two-model likelihood ratios from real evaluations: ln LR(A, B) = ln P_A − ln P_B of
 * the two models' separate evaluations (so a swap of the models fails), weights exp(ln LR),
 * a model against itself gives ln LR = 0 (weights 1), LR(A, B) = −LR(B, A), and the per-step
 * contributions sum to the jet's LR. */
#include <string.h>

#include "jx-baseline.h"
#include "jx-eval.h"
#include "jx-reweight.h"
#include "jx-roc.h"
#include "jx-sample.h"
#include "jx-test-model.h"
#include "jx-test.h"

static void
test_hand_roc (void)
{
  /* sorted: .9S .8S .7B .4S .3B .2B .1B → 11 of 12 (s, b) pairs ordered: AUC = 11/12 */
  double s[] = { 0.4, 0.9, 0.8 }, b[] = { 0.7, 0.1, 0.3, 0.2 };
  JxRoc roc;
  JxError err = { 0 };
  JX_CHECK_INT (jx_roc_compute (s, 3, b, 4, &roc, &err), 0);
  JX_CHECK_CLOSE (roc.auc, 11.0 / 12.0, 1e-15, 0);
  JX_CHECK_INT (roc.n_points, 8);
  JX_CHECK (roc.points[0].sig_eff == 0 && roc.points[0].bkg_eff == 0);
  JX_CHECK (roc.points[7].sig_eff == 1 && roc.points[7].bkg_eff == 1);
  JX_CHECK (roc.points[3].threshold == 0.7);
  JX_CHECK_CLOSE (roc.points[3].sig_eff, 2.0 / 3.0, 1e-15, 0);
  JX_CHECK_CLOSE (roc.points[3].bkg_eff, 0.25, 1e-15, 0);
  /* ε_S = 0.5 lies between (1/3, 0) and (2/3, 0): ε_B = 0 */
  JX_CHECK (jx_roc_bkg_eff_at (&roc, 0.5) == 0);
  JX_CHECK (isinf (jx_roc_rejection_at (&roc, 0.5)));
  /* ε_S = 0.7: between (2/3, 1/4) and (1, 1/4) */
  JX_CHECK_CLOSE (jx_roc_bkg_eff_at (&roc, 0.7), 0.25, 1e-15, 0);
  JX_CHECK_CLOSE (jx_roc_rejection_at (&roc, 0.7), 4, 1e-15, 0);
  jx_roc_free (&roc);

  /* a linear interpolation that is not trivial: s {3, 1}, b {2, 0} →
   * points (0,0) (.5,0) (.5,.5) (1,.5) (1,1); at ε_S = .75 → ε_B = .5; at ε_S = .3 → 0 */
  double s2[] = { 3, 1, NAN }, b2[] = { 2, 0 };
  JX_CHECK_INT (jx_roc_compute (s2, 3, b2, 2, &roc, &err), 0);
  JX_CHECK_INT (roc.n_sig_nan, 1);
  JX_CHECK_CLOSE (roc.auc, 0.75, 1e-15, 0);
  JX_CHECK_CLOSE (jx_roc_bkg_eff_at (&roc, 0.75), 0.5, 1e-15, 0);
  jx_roc_free (&roc);

  /* ties count ½; a perfectly inverted score gives 0 */
  double t1[] = { 1, 1 }, t2[] = { 1, 0 };
  JX_CHECK_INT (jx_roc_compute (t1, 2, t2, 2, &roc, &err), 0);
  JX_CHECK_CLOSE (roc.auc, 0.75, 1e-15, 0);   /* pairs: (1,1) ½ ×2, (1,0) 1 ×2 → 3/4 */
  jx_roc_free (&roc);
  JX_CHECK_INT (jx_roc_compute (t2 + 1, 1, t1, 1, &roc, &err), 0);
  JX_CHECK (roc.auc == 0);
  jx_roc_free (&roc);
  JX_CHECK_INT (jx_roc_compute (s, 0, b, 4, &roc, &err), JX_ERR_INVALID);
  jx_roc_free (&roc);

  /* thinning keeps the ends and at most max points */
  size_t N = 5000;
  double *a = malloc (N * sizeof *a), *c = malloc (N * sizeof *c);
  for (size_t i = 0; i < N; i++)
    {
      a[i] = (double) i;
      c[i] = (double) i - 1000.5;
    }
  JX_CHECK_INT (jx_roc_compute (a, N, c, N, &roc, &err), 0);
  size_t *idx = malloc (roc.n_points * sizeof *idx);
  size_t k = jx_roc_thin (&roc, 100, idx);
  JX_CHECK (k <= 100 && k > 20 && idx[0] == 0 && idx[k - 1] == roc.n_points - 1);
  /* AUC of shifted uniforms: P(a > c) = 1 − (N−1000)²/(2N²) … computed exactly by counting */
  double pairs = 0;
  for (size_t i = 0; i < N; i++)
    {
      double cnt = fmin (fmax (a[i] + 1000.5, 0), (double) N);   /* c_j < a_i */
      pairs += ceil (cnt);
    }
  JX_CHECK_CLOSE (roc.auc, pairs / ((double) N * N), 1e-12, 0);
  free (idx);
  free (a);
  free (c);
  jx_roc_free (&roc);
}

static void
test_hist_lr (void)
{
  /* signal on [0, 0.5), background on [0.5, 1): perfect separation by the 1-D ratio */
  double xs[100], xb[100];
  for (int i = 0; i < 100; i++)
    {
      xs[i] = 0.005 * i;
      xb[i] = 0.5 + 0.005 * i;
    }
  JxHistLR lr;
  JxError err = { 0 };
  JX_CHECK_INT (jx_hist_lr_build (&lr, 10, 0, 1, 1, 0, 1, xs, NULL, 100, xb, NULL, 100, &err), 0);
  /* bin 0: (20 + ½)/(100 + 5) vs (0 + ½)/(100 + 5) */
  JX_CHECK_CLOSE (jx_hist_lr_eval (&lr, 0.05, 0), log (20.5 / 0.5), 1e-12, 0);
  JX_CHECK_CLOSE (jx_hist_lr_eval (&lr, 0.95, 0), -log (20.5 / 0.5), 1e-12, 0);
  JX_CHECK_CLOSE (jx_hist_lr_eval (&lr, 7, 0), -log (20.5 / 0.5), 1e-12, 0);  /* edge bin */
  JX_CHECK (isnan (jx_hist_lr_eval (&lr, NAN, 0)));
  jx_hist_lr_free (&lr);

  /* baselines on constructed observables: multiplicity separates, τ21 does not */
  JxObservables s[400], b[400];
  memset (s, 0, sizeof s);
  memset (b, 0, sizeof b);
  for (int i = 0; i < 400; i++)
    {
      s[i].n = 5 + (size_t) (i % 5);
      b[i].n = 12 + (size_t) (i % 7);
      s[i].tau21 = b[i].tau21 = 0.1 + 0.8 * ((i * 37) % 100) / 100.0;
      s[i].mass = 90 + (i % 3);
      b[i].mass = 90 + (i % 3);
    }
  double ss[400], sb[400];
  JxRoc roc;
  double auc[JX_N_BASELINES];
  for (int k = 0; k < JX_N_BASELINES; k++)
    {
      JX_CHECK_INT (jx_baseline_scores ((JxBaselineKind) k, s, 400, b, 400, ss, sb, &err), 0);
      double ts[200], tb[200];
      for (int i = 0; i < 200; i++)
        {
          ts[i] = ss[2 * i + 1];
          tb[i] = sb[2 * i + 1];
        }
      JX_CHECK_INT (jx_roc_compute (ts, 200, tb, 200, &roc, &err), 0);
      auc[k] = roc.auc;
      jx_roc_free (&roc);
    }
  JX_CHECK (auc[JX_BASELINE_MULT] == 1.0);
  JX_CHECK (auc[JX_BASELINE_TAU21_MULT] == 1.0);
  /* τ21 and mass have the same values in signal and background: every score ties, AUC is ½
   * exactly (not merely within the ±0.12 of 4σ for 200 against 200 random scores). */
  JX_CHECK (auc[JX_BASELINE_TAU21] == 0.5);
  JX_CHECK (auc[JX_BASELINE_MASS] == 0.5);
  JX_CHECK (strcmp (jx_baseline_name (JX_BASELINE_TAU21_MULT), "tau21_mult") == 0);
}

static JxModel *
tiny (JxBranchKind kind, uint64_t seed)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, kind, 20);
  return jx_test_model_new (&cfg, seed, 2.0f);
}

static void
test_model_lr (void)
{
  JxModel *a = tiny (JX_BRANCH_JOINT, 1), *b = tiny (JX_BRANCH_FACTORIZED, 2);
  JxSampleOptions so;
  jx_sample_options_default (&so);
  so.threads = 2;
  JxP4 seed = jx_sample_seed_along_z (500, 200);
  JxSampleSet set;
  JxError err = { 0 };
  JX_CHECK_INT (jx_sample_run (a, &seed, 1, 60, 3, &so, &set, NULL, &err), 0);
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  meta.clustering.esub = 0;
  meta.clustering.rsub = 0;
  JxEvalOptions eo;
  jx_eval_options_default (&eo);
  eo.per_step = true;
  eo.threads = 2;
  JxScores sa, sb, sa2;
  JX_CHECK_INT (jx_evaluate (a, &meta, &set.data, &eo, &sa, NULL, &err), 0);
  JX_CHECK_INT (jx_evaluate (b, &meta, &set.data, &eo, &sb, NULL, &err), 0);
  JX_CHECK_INT (jx_evaluate (a, &meta, &set.data, &eo, &sa2, NULL, &err), 0);
  size_t N = set.n_jets, S = sa.step_offsets[N];
  double *lr = malloc (N * sizeof *lr), *rl = malloc (N * sizeof *rl), *self = malloc (N * sizeof *self);
  double *slr = malloc (S * sizeof *slr), *w = malloc (N * sizeof *w);
  JX_CHECK_INT (jx_lr_from_scores (&sa, &sb, lr, slr, &err), 0);
  JX_CHECK_INT (jx_lr_from_scores (&sb, &sa, rl, NULL, &err), 0);
  JX_CHECK_INT (jx_lr_from_scores (&sa, &sa2, self, NULL, &err), 0);
  JxReweightStats st;
  jx_reweight_weights (self, N, 100, w, &st);
  /* The direction: ln LR(A, B) is ln P_A − ln P_B of the two separate evaluations, and the
   * weights that turn B's sample into A's are exp of it. Swapping the models inverts every
   * weight, which the symmetric checks below (self = 0, antisymmetry) cannot see. */
  double *w_ab = malloc (N * sizeof *w_ab);
  JxReweightStats st_ab;
  jx_reweight_weights (lr, N, 0, w_ab, &st_ab);
  int scored = 0;
  for (size_t i = 0; i < N; i++)
    if (sa.status[i] == JX_JET_SCORED && sb.status[i] == JX_JET_SCORED)
      {
        scored++;
        JX_CHECK_CLOSE (lr[i], sa.log_p[i] - sb.log_p[i], 0, 0);
        JX_CHECK_CLOSE (w_ab[i], exp (sa.log_p[i] - sb.log_p[i]), 1e-15, 0);
      }
  JX_CHECK_INT (scored, (int) N);
  free (w_ab);
  int nonzero = 0;
  for (size_t i = 0; i < N; i++)
    {
      JX_CHECK (self[i] == 0);
      JX_CHECK (w[i] == 1);
      JX_CHECK (lr[i] == -rl[i]);
      nonzero += fabs (lr[i]) > 1e-3;
      double sum = 0;
      for (uint64_t k = sa.step_offsets[i]; k < sa.step_offsets[i + 1]; k++)
        sum += slr[k];
      JX_CHECK_CLOSE (sum, lr[i], 1e-9, 1e-9);
    }
  JX_CHECK (nonzero > (int) N / 2);
  JX_CHECK_CLOSE (st.ess, (double) N, 1e-12, 0);
  /* a set that is not per-step cannot give per-step LR */
  free (sb.step_offsets);
  sb.step_offsets = NULL;
  JX_CHECK_INT (jx_lr_from_scores (&sa, &sb, lr, slr, &err), JX_ERR_INVALID);
  free (lr);
  free (rl);
  free (self);
  free (slr);
  free (w);
  jx_scores_free (&sa);
  jx_scores_free (&sb);
  jx_scores_free (&sa2);
  jx_model_meta_free (&meta);
  jx_sample_set_free (&set);
  jx_model_free (a);
  jx_model_free (b);
}

/* Hand-made per-step scores: an unscored jet gets NaN steps; a jet with different trees is
 * refused. */
static void
fill_scores (JxScores *s, const int32_t *status, const uint64_t *offsets, size_t n)
{
  JxError err = { 0 };
  jx_scores_init (s);
  JX_CHECK_INT (jx_scores_alloc (s, n, &err), 0);
  s->step_offsets = malloc ((n + 1) * sizeof *s->step_offsets);
  memcpy (s->step_offsets, offsets, (n + 1) * sizeof *offsets);
  JX_CHECK_INT (jx_scores_alloc_steps (s, &err), 0);
  for (size_t i = 0; i < n; i++)
    {
      s->status[i] = status[i];
      s->log_p[i] = 0;
      for (uint64_t k = offsets[i]; k < offsets[i + 1]; k++)
        {
          s->log_end[k] = -0.1 * (double) (k + 1);
          s->log_mother[k] = -0.01 * (double) status[i];
          s->log_branch[k] = -1.0;
          s->log_p[i] += s->log_end[k] + s->log_mother[k] + s->log_branch[k];
        }
      if (status[i] != JX_JET_SCORED)
        s->log_p[i] = NAN;
    }
}

static void
test_step_layout (void)
{
  int32_t st_a[2] = { 0, 0 }, st_b[2] = { 0, 2 };
  uint64_t off_a[3] = { 0, 2, 3 }, off_b[3] = { 0, 2, 2 }, off_c[3] = { 0, 3, 4 };
  JxScores a, b, c;
  fill_scores (&a, st_a, off_a, 2);
  fill_scores (&b, st_b, off_b, 2);
  fill_scores (&c, st_a, off_c, 2);
  double lr[2], slr[3];
  JxError err = { 0 };
  JX_CHECK_INT (jx_lr_from_scores (&a, &b, lr, slr, &err), 0);
  JX_CHECK (lr[0] == 0 && isnan (lr[1]));
  JX_CHECK (slr[0] == 0 && slr[1] == 0 && isnan (slr[2]));
  JX_CHECK_INT (jx_lr_from_scores (&a, &c, lr, slr, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "jet 0") != NULL);
  jx_scores_free (&a);
  jx_scores_free (&b);
  jx_scores_free (&c);
}

int
main (void)
{
  test_step_layout ();
  test_hand_roc ();
  test_hist_lr ();
  test_model_lr ();
  JX_TEST_MAIN_END ("roc");
}
