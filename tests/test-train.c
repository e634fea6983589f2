/* Tests for the trainer and the evaluator (jx-train, jx-eval, jx-scores) on small random jets
 * and tiny models: the validation loss drops clearly, runs are bit-identical for the same seed
 * and thread count, resume continues exactly, cancel leaves the last checkpoint and no partial
 * files, NaN batches are reported and skipped, bad/long jets are refused or skipped, and the
 * scores (per jet and per step) are consistent and survive a file round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-eval.h"
#include "jx-generator.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-scores.h"
#include "jx-test-tmp.h"
#include "jx-test-train.h"
#include "jx-test.h"
#include "jx-train.h"

static JxModel *
tiny_model (JxBranchKind branch, const JxDataset *ds, uint64_t seed)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = branch;
  cfg.hidden = 12;
  cfg.dense = 12;
  cfg.grid = branch == JX_BRANCH_JOINT ? 4 : 10;
  cfg.max_mult = 16;
  cfg.scaling.e_jet = jx_test_mean_energy (ds);
  JxModel *m = NULL;
  JxError err;
  int rc = jx_model_new (&cfg, seed, &m, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  return m;
}

static void
init_meta (JxModelMeta *meta)
{
  jx_model_meta_init (meta);
  meta->clustering.algorithm = JX_ALGO_CA;
  meta->clustering.esub = 0;   /* keep every particle: jets stay tiny and known */
  meta->clustering.rsub = 0;
}

static void
base_options (JxTrainOptions *o, const char *schedule, JxOptimKind kind, int threads)
{
  jx_train_options_default (o);
  JX_CHECK_INT (jx_schedule_parse (&o->schedule, schedule, "test", NULL), 0);
  o->optimizer = kind;
  o->threads = threads;
  o->seed = 7;
  o->val_fraction = 0.2;
}

/* ---- learning -------------------------------------------------------------------------- */

static void
test_learns (const JxDataset *ds)
{
  JxBranchKind kinds[2] = { JX_BRANCH_FACTORIZED, JX_BRANCH_JOINT };
  for (int k = 0; k < 2; k++)
    {
      JxModel *m = tiny_model (kinds[k], ds, 3);
      JxModelMeta meta;
      init_meta (&meta);
      JxTrainOptions o;
      base_options (&o, "3 1e-2 10\n", JX_OPTIM_ADAM, 2);
      o.dataset_name = "random jets";
      JxTrainStats st;
      JxError err;
      int rc = jx_train (&m, &meta, ds, &o, &st, NULL, &err);
      JX_CHECK_MSG (rc == 0, "%s", err.message);
      JX_CHECK_INT (st.epochs_done, 3);
      JX_CHECK_INT (st.n_val, 60);
      JX_CHECK_INT (st.n_train, 240);
      JX_CHECK_INT (st.n_updates, 3 * 24);
      JX_CHECK_INT (st.n_bad_batches, 0);
      JX_CHECK_INT (meta.n_history, 3);
      JX_CHECK (strcmp (meta.dataset, "random jets") == 0);
      JX_CHECK (meta.seed == 7);
      /* Per jet of ~7 particles the untrained −ln P is ~ 6·(ln 2 + ln t + 4 ln 10) ≈ 70; a few
       * epochs learn at least the mother and branching marginals. */
      printf ("%s: initial val loss %.3f, after 3 epochs %.3f (train %.3f)\n",
              jx_branch_kind_name (kinds[k]), st.initial_val_loss, st.val_loss, st.train_loss);
      JX_CHECK (isfinite (st.initial_val_loss) && isfinite (st.val_loss));
      JX_CHECK_MSG (st.val_loss < st.initial_val_loss - 0.1 * fabs (st.initial_val_loss),
                    "val loss %g vs initial %g", st.val_loss, st.initial_val_loss);
      JX_CHECK (meta.history[2].val_loss == st.val_loss);
      JX_CHECK (meta.history[0].epoch == 1 && meta.history[2].epoch == 3);
      JX_CHECK (meta.history[0].learning_rate == 1e-2 && meta.history[0].batch_size == 10);
      JX_CHECK (meta.history[2].val_loss < meta.history[0].val_loss + 1.0);
      JX_CHECK (meta.history[0].seconds > 0);
      jx_model_free (m);
      jx_model_meta_free (&meta);
    }
}

/* Mean held-out −ln P of a model over a set of trees (single thread). */
static double
held_out_loss (const JxModel *m, const JxTreeSet *set)
{
  size_t *idx = malloc (set->n_jets * sizeof *idx);
  size_t n = 0;
  for (size_t i = 0; i < set->n_jets; i++)
    if (set->trees[i].n > 0)
      idx[n++] = i;
  JxModelWork *work = jx_model_work_new (m);
  double sum = NAN;
  JxError err;
  int rc = jx_eval_sum_log_prob (m, set, idx, n, 1, &work, NULL, &sum, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  jx_model_work_free (work);
  free (idx);
  return -sum / (double) n;
}

/* Zero a tensor: with the end and mother output kernels at zero, P_end and P_mother depend
 * only on their biases, so the model no longer reads h anywhere (with a local branch head). */
static void
zero_tensor (JxModel *m, const char *name)
{
  int k = jx_model_find_tensor (m, name);
  JX_CHECK_MSG (k >= 0, "no tensor %s", name);
  if (k < 0)
    return;
  const JxTensorInfo *t = jx_model_tensor (m, (size_t) k);
  memset (jx_model_params (m) + t->offset, 0, t->rows * t->cols * sizeof (float));
}

/* Issue: on built-in quark jets a trained model has a clearly lower held-out −ln P than at
 * initialization and than a model that ignores h (local branch head, end and mother heads
 * that see no h — trained the same way, then their h-dependence removed). */
static void
test_learns_quark_jets (void)
{
  JxGenConfig g;
  /* Parton level: the massless statistics' bounds and the 40-particle model below were set
   * on its jets (hadron-level quark jets reach ~50 subjets). */
  jx_gen_config_default_level (&g, JX_LEVEL_PARTON);
  g.threads = 1;
  JxDataset train, test;
  jx_dataset_init (&train);
  jx_dataset_init (&test);
  JxError err;
  g.seed = 101;
  JX_CHECK_INT (jx_generate (&g, 1500, &train, NULL, NULL, &err), 0);
  g.seed = 202;
  JX_CHECK_INT (jx_generate (&g, 500, &test, NULL, NULL, &err), 0);

  JxModel *models[2];
  for (int local = 0; local < 2; local++)
    {
      JxModelConfig cfg;
      jx_model_config_default (&cfg);
      cfg.branch = JX_BRANCH_FACTORIZED;
      cfg.local = local;
      cfg.hidden = 16;
      cfg.dense = 16;
      cfg.max_mult = 40;
      JX_CHECK_INT (jx_model_new (&cfg, 5, &models[local], &err), 0);
      JxModelMeta meta;
      jx_model_meta_init (&meta);
      jx_cluster_options_default (&meta.clustering);
      JxTrainOptions o;
      base_options (&o, "2 3e-3 10\n", JX_OPTIM_ADAM, 2);
      o.val_fraction = 0.1;
      JxTrainStats st;
      int rc = jx_train (&models[local], &meta, &train, &o, &st, NULL, &err);
      JX_CHECK_MSG (rc == 0, "%s", err.message);
      /* the training data's massless statistics come with the model: splits into two
       * massless daughters are rare at the first step and common late (jx-massless-rates.h) */
      const JxMasslessRates *r = &meta.massless;
      JX_CHECK (r->measured);
      JX_CHECK_MSG (r->terminal_cell[0] < 0.2 && r->terminal_cell[3] > 0.35
                    && r->terminal_cell[3] < 0.8, "terminal rates %g .. %g",
                    r->terminal_cell[0], r->terminal_cell[3]);
      JX_CHECK (r->terminal_theta[0] < r->terminal_theta[1] && r->terminal_theta[1] < r->terminal_theta[3]);
      jx_model_meta_free (&meta);
    }
  zero_tensor (models[1], "end_out/kernel");
  zero_tensor (models[1], "mother_out/kernel");

  JxModel *untrained = NULL;
  JX_CHECK_INT (jx_model_new (jx_model_config (models[0]), 5, &untrained, &err), 0);
  JxClusterOptions clustering;
  jx_cluster_options_default (&clustering);
  JxTreeSet set;
  JX_CHECK_INT (jx_tree_set_build (&set, &test, &clustering, 40, true, true, 1, NULL, &err), 0);
  double l_trained = held_out_loss (models[0], &set);
  double l_init = held_out_loss (untrained, &set);
  double l_blind = held_out_loss (models[1], &set);
  printf ("quark jets, held-out -ln P per jet: initial %.3f, h-blind %.3f, trained %.3f\n",
          l_init, l_blind, l_trained);
  JX_CHECK_MSG (l_trained < l_init - 5.0, "trained %g vs initial %g", l_trained, l_init);
  JX_CHECK_MSG (l_trained < l_blind - 0.5, "trained %g vs h-blind %g", l_trained, l_blind);
  jx_tree_set_free (&set);
  jx_model_free (untrained);
  jx_model_free (models[0]);
  jx_model_free (models[1]);
  jx_dataset_free (&train);
  jx_dataset_free (&test);
}

/* ---- determinism and resume ------------------------------------------------------------ */

static JxModel *
train_run (const JxDataset *ds, JxOptimKind kind, int threads, int epochs, const char *ckpt,
           const char *resume, JxTrainStats *st)
{
  JxModel *m = resume != NULL ? NULL : tiny_model (JX_BRANCH_FACTORIZED, ds, 11);
  JxModelMeta meta;
  init_meta (&meta);
  JxTrainOptions o;
  base_options (&o, "1 3e-3 10\n1 1e-3 25\n", kind, threads);
  o.epochs = epochs;
  o.checkpoint = ckpt;
  o.resume = resume;
  JxError err;
  int rc = jx_train (&m, &meta, ds, &o, st, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  jx_model_meta_free (&meta);
  return m;
}

/* The energy head learns, and its proposal doubles while the validation branchings' mean ε
 * exceeds 2 % (paper Eqs. 3.10–3.11): from 16 points it must grow (ε at 16 points is
 * σ/(Ẑ·4), above 2 % as soon as e^E varies by 8 % over the box), by powers of two. */
static void
test_energy_proposal (const JxDataset *ds)
{
  JxModel *m = tiny_model (JX_BRANCH_ENERGY, ds, 5);
  jx_model_set_energy_samples (m, 16);
  JxModelMeta meta;
  init_meta (&meta);
  JxTrainOptions o;
  base_options (&o, "3 1e-2 10\n", JX_OPTIM_ADAM, 2);
  JxTrainStats st;
  JxError err;
  JX_CHECK_INT (jx_train (&m, &meta, ds, &o, &st, NULL, &err), 0);
  int S = jx_model_config (m)->energy_samples;
  printf ("energy: initial val loss %.3f, after 3 epochs %.3f; proposal 16 → %d points\n",
          st.initial_val_loss, st.val_loss, S);
  JX_CHECK_MSG (S > 16 && S <= 16 * 8 && (S & (S - 1)) == 0, "proposal %d after 3 epochs", S);
  JX_CHECK (st.val_loss < st.initial_val_loss);
  jx_model_meta_free (&meta);
  jx_model_free (m);
}

static void
test_determinism (const JxDataset *ds)
{
  JxTrainStats st;
  JxModel *a = train_run (ds, JX_OPTIM_SGD, 2, 2, NULL, NULL, &st);
  JxModel *b = train_run (ds, JX_OPTIM_SGD, 2, 2, NULL, NULL, &st);
  JX_CHECK (jx_test_same_params (a, b));
  JxModel *c = train_run (ds, JX_OPTIM_SGD, 1, 2, NULL, NULL, &st);
  JxModel *d = train_run (ds, JX_OPTIM_SGD, 1, 2, NULL, NULL, &st);
  JX_CHECK (jx_test_same_params (c, d));
  /* A trained model differs from its initialization. */
  JxModel *init = tiny_model (JX_BRANCH_FACTORIZED, ds, 11);
  JX_CHECK (!jx_test_same_params (a, init));
  jx_model_free (a);
  jx_model_free (b);
  jx_model_free (c);
  jx_model_free (d);
  jx_model_free (init);
}

static void
test_resume (const JxDataset *ds)
{
  char ck1[512], ck2[512];
  snprintf (ck1, sizeof ck1, "%s/straight.h5", tmpdir);
  snprintf (ck2, sizeof ck2, "%s/split.h5", tmpdir);
  JxOptimKind kinds[2] = { JX_OPTIM_ADAM, JX_OPTIM_SGD };
  for (int k = 0; k < 2; k++)
    {
      JxTrainStats st;
      JxModel *straight = train_run (ds, kinds[k], 2, 2, ck1, NULL, &st);
      JX_CHECK_INT (st.epochs_done, 2);
      JxModel *half = train_run (ds, kinds[k], 2, 1, ck2, NULL, &st);
      JX_CHECK_INT (st.epochs_done, 1);
      JX_CHECK (!jx_test_same_params (straight, half));
      JxModel *resumed = train_run (ds, kinds[k], 2, 2, ck2, ck2, &st);
      JX_CHECK_INT (st.first_epoch, 1);
      JX_CHECK_INT (st.epochs_done, 2);
      JX_CHECK_MSG (jx_test_same_params (straight, resumed), "%s: resumed run differs from straight run",
                    jx_optim_kind_name (kinds[k]));
      /* The straight run's checkpoint equals its final model too. */
      JxModel *loaded = NULL;
      JxModelMeta meta;
      jx_model_meta_init (&meta);
      JxError err;
      JX_CHECK_INT (jx_model_load (ck1, &loaded, &meta, NULL, NULL, &err), 0);
      JX_CHECK (loaded != NULL && jx_test_same_params (straight, loaded));
      JX_CHECK_INT (meta.n_history, 2);
      jx_model_free (loaded);
      jx_model_meta_free (&meta);
      jx_model_free (straight);
      jx_model_free (half);
      jx_model_free (resumed);
    }

  /* Resume on other data is refused. */
  JxDataset other;
  jx_test_train_jets (&other, 300, 99, JX_TEST_NO_LONG_JET);
  JxModel *m = NULL;
  JxModelMeta meta;
  init_meta (&meta);
  JxTrainOptions o;
  base_options (&o, "1 1e-3 10\n", JX_OPTIM_SGD, 1);
  o.resume = ck2;
  JxError err;
  JX_CHECK_INT (jx_train (&m, &meta, &other, &o, NULL, NULL, &err), JX_ERR_INVALID);
  JX_CHECK_MSG (strstr (err.message, "other data") != NULL, "%s", err.message);
  jx_model_free (m);
  jx_model_meta_free (&meta);
  jx_dataset_free (&other);
  unlink (ck1);
  unlink (ck2);
}

/* ---- cancel ------------------------------------------------------------------------------ */

typedef struct {
  JxProgress progress;
  int reports;
  bool cancel_in_epoch2;
} CancelCtx;

static void
cancel_cb (void *user, double done, double total, const char *message)
{
  (void) done;
  (void) total;
  CancelCtx *c = user;
  c->reports++;
  /* Cancel right after epoch 1 (and its checkpoint) is complete: the next check is at the
   * first batch of epoch 2. */
  if (c->cancel_in_epoch2 && strstr (message, "epoch 1 done") != NULL)
    jx_progress_cancel (&c->progress);
}

static void
test_cancel (const JxDataset *ds)
{
  char ck[512];
  snprintf (ck, sizeof ck, "%s/cancel.h5", tmpdir);
  JxModel *m = tiny_model (JX_BRANCH_FACTORIZED, ds, 5);
  JxModelMeta meta;
  init_meta (&meta);
  JxTrainOptions o;
  base_options (&o, "4 1e-3 2\n", JX_OPTIM_ADAM, 2);
  o.checkpoint = ck;
  CancelCtx c = { .cancel_in_epoch2 = true };
  jx_progress_init (&c.progress, cancel_cb, &c);
  JxTrainStats st;
  JxError err;
  int rc = jx_train (&m, &meta, ds, &o, &st, &c.progress, &err);
  JX_CHECK_INT (rc, JX_ERR_CANCELLED);
  JX_CHECK_INT (st.epochs_done, 1);
  JX_CHECK (c.reports > 0);
  JX_CHECK_INT (jx_test_tmp_partials (), 0);
  JxModel *loaded = NULL;
  JxModelMeta lm;
  jx_model_meta_init (&lm);
  JX_CHECK_INT (jx_model_load (ck, &loaded, &lm, NULL, NULL, &err), 0);
  JX_CHECK_INT (lm.n_history, 1);
  jx_model_free (loaded);
  jx_model_meta_free (&lm);

  /* The checkpoint resumes. */
  jx_model_meta_free (&meta);
  init_meta (&meta);
  o.resume = ck;
  o.epochs = 2;
  rc = jx_train (&m, &meta, ds, &o, &st, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (st.epochs_done, 2);
  JX_CHECK_INT (meta.n_history, 2);

  /* Cancelled before the first epoch ends: no checkpoint at all. */
  unlink (ck);
  JxProgress pre;
  jx_progress_init (&pre, NULL, NULL);
  jx_progress_cancel (&pre);
  jx_model_meta_free (&meta);
  init_meta (&meta);
  o.resume = NULL;
  rc = jx_train (&m, &meta, ds, &o, &st, &pre, &err);
  JX_CHECK_INT (rc, JX_ERR_CANCELLED);
  JX_CHECK (access (ck, F_OK) != 0);
  JX_CHECK_INT (jx_test_tmp_partials (), 0);
  jx_model_free (m);
  jx_model_meta_free (&meta);
}

/* ---- new → train → cancel → save (jx_train_and_save) ----------------------------------- */

static void
cancel_when_done (void *user, double done, double total, const char *message)
{
  (void) done;
  (void) total;
  /* After the last epoch's report no check follows: only the routine's own check sees it. */
  if (strstr (message, "epoch 1 done") != NULL)
    jx_progress_cancel (user);
}

static void
test_train_and_save (const JxDataset *ds)
{
  char out[512];
  snprintf (out, sizeof out, "%s/trained.h5", tmpdir);
  JxModel *ref = tiny_model (JX_BRANCH_FACTORIZED, ds, 7);
  JxModelConfig cfg = *jx_model_config (ref);
  JxTrainOptions o;
  base_options (&o, "1 1e-3 10\n", JX_OPTIM_SGD, 1);
  JxError err = { 0 };
  JxModelMeta meta, ref_meta;
  init_meta (&meta);
  init_meta (&ref_meta);

  /* The same as jx_model_new (seed 7) then jx_train, and the file holds that model. */
  JxModel *m = NULL;
  int rc = jx_train_and_save (&m, &meta, &cfg, ds, &o, out, NULL, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (jx_train (&ref, &ref_meta, ds, &o, NULL, NULL, &err), 0);
  JX_CHECK (m != NULL && jx_test_same_params (m, ref));
  JxModel *loaded = NULL;
  JxModelMeta lm;
  JX_CHECK_INT (jx_model_load (out, &loaded, &lm, NULL, NULL, &err), 0);
  JX_CHECK (loaded != NULL && m != NULL && jx_test_same_params (loaded, m));
  JX_CHECK_INT (lm.n_history, 1);
  jx_model_free (loaded);
  jx_model_meta_free (&lm);
  jx_model_free (m);
  jx_model_meta_free (&meta);

  /* Cancelled after training's last check: cancelled, and the earlier file is untouched. */
  FILE *f = fopen (out, "w");
  fputs ("before", f);
  fclose (f);
  JxProgress late;
  jx_progress_init (&late, cancel_when_done, &late);
  init_meta (&meta);
  m = NULL;
  rc = jx_train_and_save (&m, &meta, &cfg, ds, &o, out, NULL, &late, &err);
  JX_CHECK_INT (rc, JX_ERR_CANCELLED);
  char buf[16] = { 0 };
  f = fopen (out, "r");
  JX_CHECK (f != NULL && fread (buf, 1, sizeof buf - 1, f) == 6 && strcmp (buf, "before") == 0);
  if (f != NULL)
    fclose (f);
  JX_CHECK_INT (jx_test_tmp_partials (), 0);
  unlink (out);
  jx_model_free (m);
  jx_model_meta_free (&meta);
  jx_model_free (ref);
  jx_model_meta_free (&ref_meta);
}

/* ---- NaN batches --------------------------------------------------------------------------- */

typedef struct {
  int calls;
  char messages[2048];
} NanCtx;

static void
poison (void *user, int epoch, size_t batch, const size_t *jets, size_t n, double *loss, float *grad,
        size_t n_params)
{
  NanCtx *c = user;
  (void) jets;
  (void) n;
  c->calls++;
  if (epoch == 0 && batch == 2)
    *loss = NAN;
  if (epoch == 0 && batch == 4)
    grad[n_params / 2] = INFINITY;
  if (epoch == 1 && batch == 0)
    grad[0] = 1e30f;   /* finite, but the step (lr 1e10) overflows a weight to −Inf */
}

static void
collect (void *user, double done, double total, const char *message)
{
  (void) done;
  (void) total;
  NanCtx *c = user;
  if (strstr (message, "skipped") != NULL)
    {
      size_t len = strlen (c->messages);
      snprintf (c->messages + len, sizeof c->messages - len, "%s\n", message);
    }
}

static void
test_nan (const JxDataset *ds)
{
  JxModel *m = tiny_model (JX_BRANCH_FACTORIZED, ds, 5);
  JxModelMeta meta;
  init_meta (&meta);
  JxTrainOptions o;
  /* Epoch 2 is one batch of all 240 training jets at an absurd learning rate: with the 1e30
   * gradient entry planted there, the SGD step overflows a weight to −Inf. */
  base_options (&o, "1 1e-3 10\n1 1e10 1000\n", JX_OPTIM_SGD, 2);
  NanCtx c = { 0 };
  o.batch_hook = poison;
  o.hook_user = &c;
  JxProgress progress;
  jx_progress_init (&progress, collect, &c);
  JxTrainStats st;
  JxError err;
  int rc = jx_train (&m, &meta, ds, &o, &st, &progress, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (c.calls, 25);
  JX_CHECK_INT (st.n_bad_batches, 3);
  JX_CHECK_INT (st.n_updates, 22);
  JX_CHECK_MSG (strstr (st.bad_batches, "epoch 1 batch 3 (non-finite loss") != NULL, "%s", st.bad_batches);
  JX_CHECK_MSG (strstr (st.bad_batches, "epoch 1 batch 5 (non-finite gradient") != NULL, "%s",
                st.bad_batches);
  JX_CHECK_MSG (strstr (st.bad_batches, "epoch 2 batch 1 (update would give non-finite") != NULL,
                "%s", st.bad_batches);
  JX_CHECK_MSG (strstr (c.messages, "skipped batch 3 of epoch 1") != NULL, "%s", c.messages);
  const float *p = jx_model_params (m);
  size_t bad = 0;
  for (size_t i = 0; i < jx_model_n_params (m); i++)
    bad += !isfinite (p[i]);
  JX_CHECK_INT (bad, 0);
  JX_CHECK (isfinite (meta.history[0].train_loss));
  jx_model_free (m);
  jx_model_meta_free (&meta);
}

/* ---- bad and long jets ------------------------------------------------------------------- */

static void
test_skips (const JxDataset *base)
{
  JxDataset ds;
  jx_dataset_init (&ds);
  for (size_t i = 0; i < 40; i++)
    jx_dataset_append (&ds, jx_dataset_jet (base, i), jx_dataset_jet_size (base, i), NULL);
  JxRng rng;
  jx_rng_seed (&rng, 3, 3);
  JxP4 big[20];
  jx_test_random_jet (&rng, 20, big);
  jx_dataset_append (&ds, big, 20, NULL);             /* jet 40: longer than M = 16 */
  JxP4 soft[3] = { { 0.001, 0, 0, 0.001 }, { 0.002, 0.002, 0, 0 }, { 0.001, 0, 0.001, 0 } };
  jx_dataset_append (&ds, soft, 3, NULL);             /* jet 41: nothing above E_sub */

  JxModel *m = tiny_model (JX_BRANCH_FACTORIZED, base, 5);
  JxModelMeta meta;
  init_meta (&meta);
  meta.clustering.esub = 0.05;   /* the random jets have E ≥ 0.1 */
  JxTrainOptions o;
  base_options (&o, "1 1e-3 10\n", JX_OPTIM_SGD, 2);
  JxError err;
  int rc = jx_train (&m, &meta, &ds, &o, NULL, NULL, &err);
  JX_CHECK_INT (rc, JX_ERR_RANGE);
  JX_CHECK_MSG (strstr (err.message, "jet 40") != NULL && strstr (err.message, "--skip-long") != NULL,
                "%s", err.message);
  o.skip_long = true;
  rc = jx_train (&m, &meta, &ds, &o, NULL, NULL, &err);
  JX_CHECK_INT (rc, JX_ERR_INVALID);
  JX_CHECK_MSG (strstr (err.message, "jet 41") != NULL && strstr (err.message, "--skip-bad") != NULL,
                "%s", err.message);
  o.skip_bad = true;
  JxTrainStats st;
  rc = jx_train (&m, &meta, &ds, &o, &st, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (st.n_skipped_long, 1);
  JX_CHECK_INT (st.n_skipped_bad, 1);
  JX_CHECK_INT (st.n_train + st.n_val, 40);

  /* Evaluation marks them instead of failing, and its scores are self-consistent. */
  JxEvalOptions eo;
  jx_eval_options_default (&eo);
  eo.per_step = true;
  eo.threads = 2;
  eo.model_name = "tiny.h5";
  eo.data_name = "skips.h5";
  JxScores s1, s2, back;
  rc = jx_evaluate (m, &meta, &ds, &eo, &s1, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (s1.n_jets, 42);
  JX_CHECK_INT (s1.status[40], JX_JET_LONG);
  JX_CHECK_INT (s1.status[41], JX_JET_BAD);
  JX_CHECK (isnan (s1.log_p[40]) && isnan (s1.log_p[41]));
  JX_CHECK_INT (jx_scores_n_scored (&s1), 40);
  size_t mismatches = 0;
  for (size_t i = 0; i < 40; i++)
    {
      JX_CHECK_INT (s1.status[i], JX_JET_SCORED);
      JX_CHECK_INT (s1.n[i], (int) jx_dataset_jet_size (&ds, i));
      JX_CHECK_INT (s1.step_offsets[i + 1] - s1.step_offsets[i], s1.n[i]);
      double sum = 0;
      for (uint64_t r = s1.step_offsets[i]; r < s1.step_offsets[i + 1]; r++)
        sum += s1.log_end[r] + s1.log_mother[r] + s1.log_branch[r];
      mismatches += !(fabs (sum - s1.log_p[i]) <= 1e-6 * fabs (s1.log_p[i]) + 1e-9);
      mismatches += !(s1.log_p[i] < 0);
    }
  JX_CHECK_INT (mismatches, 0);
  JX_CHECK_INT (s1.step_offsets[42], s1.step_offsets[40]);
  /* Same numbers on one thread. */
  eo.threads = 1;
  rc = jx_evaluate (m, &meta, &ds, &eo, &s2, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK (memcmp (s1.log_p, s2.log_p, 40 * sizeof (double)) == 0);
  JX_CHECK (memcmp (s1.log_branch, s2.log_branch, s1.step_offsets[42] * sizeof (double)) == 0);

  /* File round trip. */
  char path[512];
  snprintf (path, sizeof path, "%s/scores.h5", tmpdir);
  rc = jx_scores_write (&s1, path, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  rc = jx_scores_read (&back, path, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (back.n_jets, 42);
  JX_CHECK (memcmp (back.log_p, s1.log_p, 40 * sizeof (double)) == 0 && isnan (back.log_p[41]));
  JX_CHECK (memcmp (back.status, s1.status, 42 * sizeof (int32_t)) == 0);
  JX_CHECK (memcmp (back.step_offsets, s1.step_offsets, 43 * sizeof (uint64_t)) == 0);
  JX_CHECK (memcmp (back.log_mother, s1.log_mother, s1.step_offsets[42] * sizeof (double)) == 0);
  JX_CHECK (memcmp (back.log_branch_parts, s1.log_branch_parts, 4 * s1.step_offsets[42] * sizeof (double)) == 0);
  const char *a = jx_scores_get_attr (&back, "model");
  JX_CHECK (a != NULL && strcmp (a, "tiny.h5") == 0);
  a = jx_scores_get_attr (&back, "algorithm");
  JX_CHECK (a != NULL && strcmp (a, "ca") == 0);
  JX_CHECK_INT (jx_test_tmp_partials (), 0);
  jx_scores_free (&back);
  /* A dataset file is not a scores file. */
  JX_CHECK_INT (jx_dataset_write (&ds, path, NULL, &err), 0);
  JX_CHECK_INT (jx_scores_read (&back, path, &err), JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "junipr-dataset") != NULL, "%s", err.message);
  unlink (path);

  jx_scores_free (&s1);
  jx_scores_free (&s2);
  jx_model_free (m);
  jx_model_meta_free (&meta);
  jx_dataset_free (&ds);
}

/* ---- model/data mismatch warnings --------------------------------------------------------- */

typedef struct {
  int n;
  char last[512];
} Warns;

static void
on_warn (void *user, const char *message)
{
  Warns *w = user;
  w->n++;
  snprintf (w->last, sizeof w->last, "%s", message);
}

static void
test_warnings (const JxDataset *base)
{
  JxModel *m = tiny_model (JX_BRANCH_FACTORIZED, base, 5);
  JxModelMeta meta;
  init_meta (&meta);
  Warns w = { 0 };
  JX_CHECK_INT (jx_eval_check_compat (m, &meta, base, NULL, on_warn, &w), 0);
  /* Jets 100× softer than the model's E_jet. */
  JxDataset soft;
  jx_dataset_init (&soft);
  for (size_t i = 0; i < 20; i++)
    {
      JxP4 p[16];
      size_t n = jx_dataset_jet_size (base, i);
      for (size_t k = 0; k < n; k++)
        p[k] = jx_p4_scale (jx_dataset_jet (base, i)[k], 0.01);
      jx_dataset_append (&soft, p, n, NULL);
    }
  JX_CHECK_INT (jx_eval_check_compat (m, &meta, &soft, NULL, on_warn, &w), 1);
  JX_CHECK_MSG (strstr (w.last, "E_jet") != NULL, "%s", w.last);
  /* Another clustering than the model's, named both ways. */
  JxClusterOptions kt = meta.clustering;
  kt.algorithm = JX_ALGO_KT;
  w.n = 0;
  JX_CHECK_INT (jx_eval_check_compat (m, &meta, base, &kt, on_warn, &w), 1);
  JX_CHECK_MSG (strstr (w.last, "kt") != NULL && strstr (w.last, "ca") != NULL, "%s", w.last);
  /* A dataset that says it was made with another E_sub. */
  jx_dataset_set_attr (&soft, "esub", "2", NULL);
  w.n = 0;
  JX_CHECK_INT (jx_eval_check_compat (m, &meta, &soft, NULL, on_warn, &w), 2);
  JX_CHECK_MSG (strstr (w.last, "E_sub = 2") != NULL && strstr (w.last, "E_sub = 0") != NULL,
                "%s", w.last);
  /* jx_evaluate passes them on. */
  JxEvalOptions eo;
  jx_eval_options_default (&eo);
  eo.warn = on_warn;
  eo.warn_user = &w;
  eo.threads = 1;
  w.n = 0;
  JxScores s;
  JxError err;
  JX_CHECK_INT (jx_evaluate (m, &meta, &soft, &eo, &s, NULL, &err), 0);
  JX_CHECK_INT (w.n, 2);
  JX_CHECK (s.step_offsets == NULL && s.log_end == NULL);
  jx_scores_free (&s);
  jx_dataset_free (&soft);
  jx_model_free (m);
  jx_model_meta_free (&meta);
}

int
main (void)
{
  jx_test_tmp_begin ("train");
  JxDataset ds;
  jx_test_train_jets (&ds, 300, 1, JX_TEST_NO_LONG_JET);
  test_learns (&ds);
  test_learns_quark_jets ();
  test_determinism (&ds);
  test_energy_proposal (&ds);
  test_resume (&ds);
  test_cancel (&ds);
  test_train_and_save (&ds);
  test_nan (&ds);
  test_skips (&ds);
  test_warnings (&ds);
  jx_dataset_free (&ds);
  JX_CHECK_INT (jx_test_tmp_partials (), 0);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("train");
}
