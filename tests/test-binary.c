/* JUNIPR-binary: the weighted gradient it is built on, its cross-entropy, the pair file and
 * the fine-tuning loop.
 *
 *  - jx_model_loss_grad_weighted against finite differences of Σ_i w_i·(−ln P_i) (weights of
 *    both signs, as the background model gets) for every tensor of tiny joint, factorized,
 *    hierarchical and LSTM models; with w = 1 it equals jx_model_loss_grad's gradient.
 *  - jx_binary_bce and its dBCE/dΔ against a hand formula and differences.
 *  - pair files: round trip of both models and the history; a single model is refused as a
 *    pair, while every model reader takes the pair's signal model.
 *  - jx_binary_train on generated quark vs Z jets (tiny models): a history per epoch, the
 *    same bits for the same seed, a loadable checkpoint, the epoch kept the one of highest
 *    validation AUC.
 */
#include <string.h>

#include "jx-binary.h"
#include "jx-eval.h"
#include "jx-generator.h"
#include "jx-model-io.h"
#include "jx-model-pair.h"
#include "jx-rng.h"
#include "jx-test-model.h"
#include "jx-test-tmp.h"
#include "jx-test.h"
#include "jx-tree.h"

#define N_TREES 4

static void
random_trees (JxTree *trees)
{
  static const size_t sizes[N_TREES] = { 1, 3, 6, 9 };
  for (int k = 0; k < N_TREES; k++)
    {
      JxRng rng;
      jx_rng_seed (&rng, 40 + (uint64_t) k, 1);
      JxP4 p[16];
      for (size_t i = 0; i < sizes[k]; i++)
        {
          double E = 3 + 60 * jx_rng_uniform (&rng);
          double th = 0.3 * jx_rng_uniform (&rng), ph = 2 * M_PI * jx_rng_uniform (&rng);
          p[i] = jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
        }
      JxError err = { 0 };
      memset (&trees[k], 0, sizeof trees[k]);
      if (jx_tree_build_from_particles (&trees[k], p, sizes[k], JX_ALGO_CA, NULL, &err) != 0)
        {
          fprintf (stderr, "tree: %s\n", err.message);
          exit (EXIT_FAILURE);
        }
    }
}

static double
weighted_loss (const JxModel *m, const JxTree *const *trees, const double *w, JxModelWork *work)
{
  double lp[N_TREES];
  JxError err = { 0 };
  if (jx_model_log_prob_many (m, trees, N_TREES, lp, work, &err) != 0)
    {
      fprintf (stderr, "log_prob_many: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
  double s = 0;
  for (int i = 0; i < N_TREES; i++)
    s -= w[i] * lp[i];
  return s;
}

static double
fd (JxModel *m, size_t i, float h, const JxTree *const *trees, const double *w, JxModelWork *work)
{
  float *p = jx_model_params (m);
  float x = p[i];
  const float steps[4] = { -2, -1, 1, 2 };
  double f[4];
  for (int k = 0; k < 4; k++)
    {
      p[i] = x + steps[k] * h;
      f[k] = weighted_loss (m, trees, w, work);
    }
  p[i] = x;
  return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12.0 * h);
}

static bool
close_to (double a, double b, double scale)
{
  return fabs (a - b) <= scale * (5e-4 + 2e-3 * fmax (fabs (a), fabs (b)));
}

/* The derivative where the loss is smooth: three successive step sizes (h, h/2, h/4 from
 * 2^-7 down to 2^-10) must agree to half the tolerance, else a ReLU kink lies within the
 * stencil (as test-model-grad does). False when no triple agrees: the entry is skipped. */
static bool
fd_smooth (JxModel *m, size_t i, const JxTree *const *trees, const double *w, JxModelWork *work,
           double *num)
{
  double a = fd (m, i, 0x1p-7f, trees, w, work), b = fd (m, i, 0x1p-8f, trees, w, work);
  for (float h = 0x1p-9f; h >= 0x1p-10f; h *= 0.5f)
    {
      double c = fd (m, i, h, trees, w, work);
      if (close_to (a, b, 0.5) && close_to (b, c, 0.5) && close_to (a, c, 0.5))
        {
          *num = b;
          return true;
        }
      a = b;
      b = c;
    }
  return false;
}

/* Every parameter: the analytic weighted gradient against differences; entries at kinks are
 * skipped and counted (at most 30 %, the bound of test-model-grad). */
static void
check_weighted (JxBranchKind kind, JxRecurrentKind cell)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, kind, 16);
  cfg.recurrent = cell;
  cfg.grid = kind == JX_BRANCH_HIERARCHICAL ? 2 : 4;
  JxModel *m = jx_test_model_new (&cfg, 9 + (uint64_t) kind, 1.5f);
  JxTree trees_store[N_TREES];
  random_trees (trees_store);
  const JxTree *trees[N_TREES];
  for (int k = 0; k < N_TREES; k++)
    trees[k] = &trees_store[k];
  const double w[N_TREES] = { 0.7, -0.4, 1.3, -0.25 };
  size_t np = jx_model_n_params (m);
  float *g = calloc (np, sizeof *g), *g1 = calloc (np, sizeof *g1), *gu = calloc (np, sizeof *gu);
  JxModelWork *work = jx_model_work_new (m);
  JxError err = { 0 };
  double lp[N_TREES], lp_many[N_TREES];
  JX_CHECK_INT (jx_model_loss_grad_weighted (m, trees, N_TREES, w, lp, g, work, &err), 0);
  JX_CHECK_INT (jx_model_log_prob_many (m, trees, N_TREES, lp_many, work, &err), 0);
  for (int i = 0; i < N_TREES; i++)
    JX_CHECK_CLOSE (lp[i], lp_many[i], 1e-12, 1e-12);

  int bad = 0, skipped = 0;
  for (size_t i = 0; i < np; i++)
    {
      double b;
      if (!fd_smooth (m, i, trees, w, work, &b))
        {
          skipped++;
          continue;
        }
      if (!close_to (g[i], b, 1.0))
        {
          if (bad++ < 5)
            fprintf (stderr, "  %s param %zu: analytic %.8g, numeric %.8g\n",
                     jx_branch_kind_name (kind), i, g[i], b);
        }
    }
  JX_CHECK_MSG (bad == 0, "%s %s: %d of %zu weighted-gradient entries differ from finite "
                "differences", jx_branch_kind_name (kind), jx_recurrent_kind_name (cell), bad, np);
  JX_CHECK_MSG (skipped * 10 <= (int) np * 3, "%s: %d of %zu entries not smooth enough to check",
                jx_branch_kind_name (kind), skipped, np);

  /* w = 1 is the plain loss: the same gradient (same operations, so to float rounding). */
  const double ones[N_TREES] = { 1, 1, 1, 1 };
  double loss;
  JX_CHECK_INT (jx_model_loss_grad_weighted (m, trees, N_TREES, ones, NULL, g1, work, &err), 0);
  JX_CHECK_INT (jx_model_loss_grad (m, trees, N_TREES, &loss, gu, work, &err), 0);
  int diff = 0;
  for (size_t i = 0; i < np; i++)
    diff += !(fabsf (g1[i] - gu[i]) <= 1e-5f * (1 + fabsf (gu[i])));
  JX_CHECK_MSG (diff == 0, "%s: weight 1 differs from jx_model_loss_grad in %d entries",
                jx_branch_kind_name (kind), diff);

  for (int k = 0; k < N_TREES; k++)
    jx_tree_free (&trees_store[k]);
  jx_model_work_free (work);
  free (g);
  free (g1);
  free (gu);
  jx_model_free (m);
}

static void
test_bce (void)
{
  const double delta[3] = { 2.0, -1.0, 0.3 };
  const int y[3] = { 1, 1, 0 };
  double d[3];
  double bce = jx_binary_bce (delta, y, 3, d);
  /* Hand formula: −ln σ(2) − ln σ(−1) − ln(1 − σ(0.3)), over 3. */
  double s2 = 1 / (1 + exp (-2.0)), sm1 = 1 / (1 + exp (1.0)), s03 = 1 / (1 + exp (-0.3));
  JX_CHECK_CLOSE (bce, -(log (s2) + log (sm1) + log (1 - s03)) / 3, 1e-14, 0);
  for (int i = 0; i < 3; i++)
    {
      double dp[3], dm[3];
      memcpy (dp, delta, sizeof dp);
      memcpy (dm, delta, sizeof dm);
      dp[i] += 1e-6;
      dm[i] -= 1e-6;
      double num = 3 * (jx_binary_bce (dp, y, 3, NULL) - jx_binary_bce (dm, y, 3, NULL)) / 2e-6;
      JX_CHECK_CLOSE (d[i], num, 1e-7, 1e-9);
    }
  /* Far out in the tails: finite (softplus), not log(0). */
  const double big[2] = { 800, -800 };
  const int yy[2] = { 0, 1 };
  JX_CHECK_CLOSE (jx_binary_bce (big, yy, 2, NULL), 800, 1e-12, 0);
}

static void
test_pair_file (void)
{
  JxModelConfig cs, cb;
  jx_test_model_config (&cs, JX_BRANCH_JOINT, 20);
  jx_test_model_config (&cb, JX_BRANCH_FACTORIZED, 30);
  cb.recurrent = JX_RECURRENT_GRU;
  JxModel *s = jx_test_model_new (&cs, 1, 1), *b = jx_test_model_new (&cb, 2, 1);
  JxModelMeta ms, mb;
  jx_model_meta_init (&ms);
  jx_model_meta_init (&mb);
  snprintf (ms.dataset, sizeof ms.dataset, "z.h5");
  snprintf (mb.dataset, sizeof mb.dataset, "q.h5");
  mb.clustering.algorithm = JX_ALGO_KT;
  JxPairInfo info;
  jx_pair_info_init (&info);
  info.initial_val_loss = 0.61;
  info.initial_val_auc = 0.83;
  snprintf (info.signal_data, sizeof info.signal_data, "zsig.h5");
  JxError err = { 0 };
  for (int e = 1; e <= 3; e++)
    {
      JxBinaryEpoch rec = { e, 0.6 - 0.01 * e, 0.59 - 0.01 * e, 0.84 + 0.001 * e, 1.5 * e };
      JX_CHECK_INT (jx_pair_info_add_epoch (&info, &rec, &err), 0);
    }
  const char *path = tmp_path ("pair.h5");
  JX_CHECK_INT (jx_model_pair_save (path, s, &ms, b, &mb, &info, NULL, NULL, &err), 0);
  JX_CHECK (jx_model_pair_is (path));

  JxModel *s2 = NULL, *b2 = NULL;
  JxModelMeta ms2, mb2;
  JxPairInfo info2;
  JX_CHECK_INT (jx_model_pair_load (path, &s2, &ms2, &b2, &mb2, &info2, NULL, NULL, &err), 0);
  if (s2 != NULL && b2 != NULL)
    {
      JX_CHECK_INT (jx_model_n_params (s2), jx_model_n_params (s));
      JX_CHECK_INT (jx_model_n_params (b2), jx_model_n_params (b));
      JX_CHECK (memcmp (jx_model_params (s2), jx_model_params (s),
                        jx_model_n_params (s) * sizeof (float)) == 0);
      JX_CHECK (memcmp (jx_model_params (b2), jx_model_params (b),
                        jx_model_n_params (b) * sizeof (float)) == 0);
      JX_CHECK_INT (jx_model_config (b2)->recurrent, JX_RECURRENT_GRU);
      JX_CHECK_INT (jx_model_config (b2)->max_mult, 30);
      JX_CHECK_INT (mb2.clustering.algorithm, JX_ALGO_KT);
      JX_CHECK (strcmp (mb2.dataset, "q.h5") == 0 && strcmp (ms2.dataset, "z.h5") == 0);
      JX_CHECK_INT (info2.n_history, 3);
      JX_CHECK_CLOSE (info2.history[2].val_auc, 0.843, 0, 0);
      JX_CHECK_CLOSE (info2.initial_val_auc, 0.83, 0, 0);
      JX_CHECK (strcmp (info2.signal_data, "zsig.h5") == 0);
    }
  jx_model_free (s2);
  jx_model_free (b2);
  jx_model_meta_free (&ms2);
  jx_model_meta_free (&mb2);
  jx_pair_info_free (&info2);

  /* Any model reader takes the pair's signal model. */
  JX_CHECK_INT (jx_model_load (path, &s2, &ms2, NULL, NULL, &err), 0);
  JX_CHECK (s2 != NULL && jx_model_config (s2)->max_mult == 20);
  jx_model_free (s2);
  jx_model_meta_free (&ms2);

  /* A single model is not a pair. */
  const char *single = tmp_path ("single.h5");
  JX_CHECK_INT (jx_model_save (s, &ms, single, NULL, NULL, &err), 0);
  JX_CHECK (!jx_model_pair_is (single));
  int rc = jx_model_pair_load (single, &s2, &ms2, &b2, &mb2, NULL, NULL, NULL, &err);
  JX_CHECK_INT (rc, JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "single.h5") != NULL
                && strstr (err.message, "not a JUNIPR-binary pair") != NULL, "%s", err.message);
  JX_CHECK (s2 == NULL && b2 == NULL);
  jx_model_meta_free (&ms2);
  jx_model_meta_free (&mb2);
  remove (single);
  remove (path);
  jx_pair_info_free (&info);
  jx_model_free (s);
  jx_model_free (b);
}

static void
generate (JxProcess process, size_t n, uint64_t seed, JxDataset *ds)
{
  JxGenConfig g;
  jx_gen_config_default (&g);
  g.threads = 1;
  g.process = process;
  g.seed = seed;
  jx_dataset_init (ds);
  JxError err = { 0 };
  if (jx_generate (&g, n, ds, NULL, NULL, &err) != 0)
    {
      fprintf (stderr, "generate: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
}

static JxModel *
tiny (uint64_t seed)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_FACTORIZED, 100);
  cfg.grid = 5;
  return jx_test_model_new (&cfg, seed, 1);
}

static void
test_train (void)
{
  JxDataset sig, bkg;
  generate (JX_PROCESS_ZZ, 120, 7, &sig);
  generate (JX_PROCESS_QQ, 120, 8, &bkg);
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  JxBinaryOptions opt;
  jx_binary_options_default (&opt);
  opt.epochs = 3;
  opt.batch_size = 20;
  opt.learning_rate = 3e-3;
  opt.threads = 2;
  opt.val_fraction = 0.25;
  opt.checkpoint = tmp_path ("ckpt.h5");
  JxModel *s[2], *b[2];
  JxPairInfo info[2];
  JxBinaryStats st;
  JxError err = { 0 };
  for (int run = 0; run < 2; run++)
    {
      s[run] = tiny (1);
      b[run] = tiny (2);
      jx_pair_info_init (&info[run]);
      JX_CHECK_INT (jx_binary_train (s[run], &meta, b[run], &meta, &sig, &bkg, &opt, &info[run],
                                     &st, NULL, &err), 0);
    }
  JX_CHECK_INT (info[0].n_history, 3);
  JX_CHECK_INT (st.n_val[0], 30);
  JX_CHECK_INT (st.n_train[1], 90);
  JX_CHECK (isfinite (info[0].initial_val_auc) && info[0].initial_val_auc > 0
            && info[0].initial_val_auc < 1);
  for (size_t e = 0; e < info[0].n_history; e++)
    {
      JX_CHECK (isfinite (info[0].history[e].train_loss) && isfinite (info[0].history[e].val_loss));
      JX_CHECK (info[0].history[e].val_auc == info[1].history[e].val_auc);
    }
  JX_CHECK (memcmp (jx_model_params (s[0]), jx_model_params (s[1]),
                    jx_model_n_params (s[0]) * sizeof (float)) == 0);
  JX_CHECK (memcmp (jx_model_params (b[0]), jx_model_params (b[1]),
                    jx_model_n_params (b[0]) * sizeof (float)) == 0);

  /* keep_best: the returned pair is the best epoch's (or the start's): its validation AUC
   * (recorded) is the maximum over the start and all epochs. */
  double best = info[0].initial_val_auc;
  for (size_t e = 0; e < info[0].n_history; e++)
    best = fmax (best, info[0].history[e].val_auc);
  double kept = st.best_epoch == 0 ? info[0].initial_val_auc
                                   : info[0].history[st.best_epoch - 1].val_auc;
  JX_CHECK_CLOSE (kept, best, 0, 0);
  /* The training loss falls over the epochs at this learning rate (the models start far
   * from separating the classes). */
  JX_CHECK_MSG (info[0].history[2].train_loss < info[0].history[0].train_loss,
                "train loss %g then %g", info[0].history[0].train_loss,
                info[0].history[2].train_loss);

  /* The checkpoint is a pair with the optimizer states. */
  JxModel *cs = NULL, *cb = NULL;
  JxModelMeta cms, cmb;
  JxPairInfo ci;
  JX_CHECK_INT (jx_model_pair_load (opt.checkpoint, &cs, &cms, &cb, &cmb, &ci, NULL, NULL, &err),
                0);
  JX_CHECK_INT (ci.n_history, 3);
  jx_model_free (cs);
  jx_model_free (cb);
  jx_model_meta_free (&cms);
  jx_model_meta_free (&cmb);
  jx_pair_info_free (&ci);
  remove (opt.checkpoint);

  for (int run = 0; run < 2; run++)
    {
      jx_model_free (s[run]);
      jx_model_free (b[run]);
      jx_pair_info_free (&info[run]);
    }
  jx_model_meta_free (&meta);
  jx_dataset_free (&sig);
  jx_dataset_free (&bkg);
}

int
main (void)
{
  jx_test_tmp_begin ("binary");
  check_weighted (JX_BRANCH_JOINT, JX_RECURRENT_RNN);
  check_weighted (JX_BRANCH_FACTORIZED, JX_RECURRENT_RNN);
  check_weighted (JX_BRANCH_HIERARCHICAL, JX_RECURRENT_RNN);
  check_weighted (JX_BRANCH_JOINT, JX_RECURRENT_LSTM);
  test_bce ();
  test_pair_file ();
  test_train ();
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("binary");
}
