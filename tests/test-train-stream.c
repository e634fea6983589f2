/* Tests for training on a file streamed in chunks (jx-train-stream.h), against jx_train on the
 * same file read whole (jx-train.h, itself tested in test-train.c):
 *  - one chunk: the model, the losses, the massless rates, the counts and the checkpoint's
 *    fingerprint are jx_train's, to the bit (SGD and Adam, skipped jets, the energy head);
 *  - many chunks: every training jet once per epoch and the validation jets never, batches
 *    of the stage's size, chunks visited whole in an order that is not the file's; same seed
 *    and chunking ⇒ the same bits;
 *  - resume after epoch 1 equals the uninterrupted run (with other chunk options given: the
 *    checkpoint's chunking is used); checkpoints of one mode are refused by the other;
 *  - cancel: the last checkpoint stays, no partial or temporary files, no output;
 *  - quark jets: the streamed validation loss is within 3 % of jx_train's;
 *  - a bad jet is refused naming the jet, as jx_train does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-checkpoint.h"
#include "jx-generator.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-test-train.h"
#include "jx-test-tmp.h"
#include "jx-test.h"
#include "jx-train-stream.h"
#include "jx-train.h"

static JxModelConfig
tiny_config (JxBranchKind branch, const JxDataset *ds, int max_mult)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = branch;
  cfg.hidden = 12;
  cfg.dense = 12;
  cfg.max_mult = max_mult;
  cfg.scaling.e_jet = jx_test_mean_energy (ds);
  return cfg;
}

static void
init_meta (JxModelMeta *meta, bool raw)
{
  jx_model_meta_init (meta);
  if (raw)
    {
      meta->clustering.esub = 0;   /* keep every particle of the random jets */
      meta->clustering.rsub = 0;
    }
  else
    jx_cluster_options_default (&meta->clustering);
}

static void
base_options (JxTrainOptions *o, const char *schedule, JxOptimKind kind)
{
  jx_train_options_default (o);
  JX_CHECK_INT (jx_schedule_parse (&o->schedule, schedule, "test", NULL), 0);
  o->optimizer = kind;
  o->threads = 2;
  o->seed = 7;
  o->val_fraction = 0.2;
  o->skip_long = true;
}

/* One run: in memory (path NULL: ds) or streamed from path. */
typedef struct {
  JxModel *model;
  JxModelMeta meta;
  JxTrainStats stats;
  int rc;
  JxError err;
} Run;

static void
run_train (Run *r, const JxModelConfig *cfg, const JxDataset *ds, const char *path,
           const JxTrainOptions *o, bool raw)
{
  memset (r, 0, sizeof *r);
  init_meta (&r->meta, raw);
  if (o->resume == NULL)
    JX_CHECK_INT (jx_model_new (cfg, o->seed, &r->model, &r->err), 0);
  r->rc = path != NULL ? jx_train_stream (&r->model, &r->meta, path, o, &r->stats, NULL, &r->err)
                       : jx_train (&r->model, &r->meta, ds, o, &r->stats, NULL, &r->err);
}

static void
run_free (Run *r)
{
  jx_model_free (r->model);
  jx_model_meta_free (&r->meta);
}

static bool
same_history (const JxModelMeta *a, const JxModelMeta *b)
{
  if (a->n_history != b->n_history || a->n_history == 0)
    return false;
  for (size_t i = 0; i < a->n_history; i++)
    if (memcmp (&a->history[i].train_loss, &b->history[i].train_loss, sizeof (double)) != 0
        || memcmp (&a->history[i].val_loss, &b->history[i].val_loss, sizeof (double)) != 0)
      return false;
  return true;
}

static uint64_t
checkpoint_fingerprint (const char *path, uint64_t *chunk_jets)
{
  JxModel *m = NULL;
  JxModelMeta meta;
  JxCheckpointState st;
  JxOptim optim;
  memset (&st, 0, sizeof st);
  memset (&optim, 0, sizeof optim);
  JxError err;
  JX_CHECK_INT (jx_checkpoint_load (path, &m, &meta, &st, &optim, &err), 0);
  jx_model_free (m);
  jx_model_meta_free (&meta);
  jx_optim_free (&optim);
  *chunk_jets = st.stream_chunk_jets;
  return st.fingerprint;
}

/* ---- one chunk: jx_train's model ------------------------------------------------------- */

static void
test_one_chunk (const JxDataset *ds, const char *path)
{
  struct {
    JxBranchKind branch;
    JxOptimKind optim;
    const char *schedule;
  } cases[] = {
    { JX_BRANCH_FACTORIZED, JX_OPTIM_SGD, "1 3e-3 10\n1 1e-3 25\n" },
    { JX_BRANCH_FACTORIZED, JX_OPTIM_ADAM, "1 3e-3 10\n1 1e-3 25\n" },
    { JX_BRANCH_ENERGY, JX_OPTIM_ADAM, "2 1e-2 10\n" },   /* its proposal adapts on validation */
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    {
      JxModelConfig cfg = tiny_config (cases[c].branch, ds, 16);
      JxTrainOptions o;
      base_options (&o, cases[c].schedule, cases[c].optim);
      o.checkpoint = tmp_path ("mem-ckpt.h5");
      Run mem, str;
      run_train (&mem, &cfg, ds, NULL, &o, true);
      o.checkpoint = tmp_path ("str-ckpt.h5");
      run_train (&str, &cfg, NULL, path, &o, true);   /* default chunks: 16384 jets > 300 */
      JX_CHECK_MSG (mem.rc == 0 && str.rc == 0, "%s / %s", mem.err.message, str.err.message);
      JX_CHECK_MSG (jx_test_same_params (mem.model, str.model), "case %zu: one chunk differs from "
                    "jx_train", c);
      JX_CHECK (same_history (&mem.meta, &str.meta));
      JX_CHECK (memcmp (&mem.stats.initial_val_loss, &str.stats.initial_val_loss,
                        sizeof (double)) == 0);
      JX_CHECK (memcmp (&mem.meta.massless, &str.meta.massless, sizeof mem.meta.massless) == 0);
      JX_CHECK (mem.meta.massless.measured);
      JX_CHECK_INT (str.stats.n_train, mem.stats.n_train);
      JX_CHECK_INT (str.stats.n_val, mem.stats.n_val);
      JX_CHECK_INT (str.stats.n_skipped_long, 1);
      JX_CHECK_INT (mem.stats.n_skipped_long, 1);
      JX_CHECK_INT ((long long) str.stats.n_updates, (long long) mem.stats.n_updates);
      if (cases[c].branch == JX_BRANCH_ENERGY)
        JX_CHECK_INT (jx_model_config (str.model)->energy_samples,
                      jx_model_config (mem.model)->energy_samples);
      uint64_t cj_mem, cj_str;
      JX_CHECK (checkpoint_fingerprint (tmp_path ("mem-ckpt.h5"), &cj_mem)
                == checkpoint_fingerprint (tmp_path ("str-ckpt.h5"), &cj_str));
      JX_CHECK (cj_mem == 0 && cj_str == 16384);
      printf ("one chunk, case %zu: val loss %.6f in memory and streamed, bit-identical model\n",
              c, mem.stats.val_loss);
      run_free (&mem);
      run_free (&str);
    }
  unlink (tmp_path ("mem-ckpt.h5"));
  unlink (tmp_path ("str-ckpt.h5"));
}

/* ---- many chunks: what every epoch visits --------------------------------------------- */

#define N_JETS 300

typedef struct {
  int seen[2][N_JETS];      /* per epoch */
  size_t batches[2], small[2];
  size_t changes[2], last_chunk[2];
  bool in_file_order[2];
  size_t chunk_jets;
} Visit;

static void
record (void *user, int epoch, size_t batch, const size_t *jets, size_t n, double *loss,
        float *grad, size_t n_params)
{
  (void) batch;
  (void) loss;
  (void) grad;
  (void) n_params;
  Visit *v = user;
  if (epoch > 1)
    return;
  v->batches[epoch]++;
  v->small[epoch] += n != 10;
  for (size_t i = 0; i < n; i++)
    {
      v->seen[epoch][jets[i]]++;
      size_t chunk = jets[i] / v->chunk_jets;
      if (chunk != v->last_chunk[epoch])
        {
          if (chunk < v->last_chunk[epoch])
            v->in_file_order[epoch] = false;
          v->changes[epoch]++;
          v->last_chunk[epoch] = chunk;
        }
    }
}

static void
test_many_chunks (const JxDataset *ds, const char *path)
{
  JxModelConfig cfg = tiny_config (JX_BRANCH_FACTORIZED, ds, 16);
  JxTrainOptions o;
  base_options (&o, "2 3e-3 10\n", JX_OPTIM_ADAM);
  Visit mem_v, str_v;
  memset (&mem_v, 0, sizeof mem_v);
  memset (&str_v, 0, sizeof str_v);
  mem_v.chunk_jets = str_v.chunk_jets = 32;
  for (int e = 0; e < 2; e++)
    str_v.in_file_order[e] = true;
  o.batch_hook = record;
  o.hook_user = &mem_v;
  Run mem, a, b;
  run_train (&mem, &cfg, ds, NULL, &o, true);
  o.hook_user = &str_v;
  o.stream_chunk_jets = 32;   /* 10 chunks (the stream aligns chunks on 32 jets) */
  run_train (&a, &cfg, NULL, path, &o, true);
  o.hook_user = NULL;
  o.batch_hook = NULL;
  run_train (&b, &cfg, NULL, path, &o, true);
  JX_CHECK_MSG (mem.rc == 0 && a.rc == 0 && b.rc == 0, "%s %s", a.err.message, b.err.message);
  JX_CHECK_MSG (jx_test_same_params (a.model, b.model), "same seed and chunks, different models");
  JX_CHECK (same_history (&a.meta, &b.meta));
  JX_CHECK_MSG (!jx_test_same_params (a.model, mem.model), "10 chunks gave jx_train's order");
  /* the split is jx_train's: the same jets trained on, each once per epoch, none held out */
  size_t n_train = mem.stats.n_train;
  for (int e = 0; e < 2; e++)
    {
      size_t once = 0, same = 0;
      for (size_t i = 0; i < N_JETS; i++)
        {
          once += str_v.seen[e][i] == 1;
          same += str_v.seen[e][i] == mem_v.seen[e][i];
        }
      JX_CHECK_MSG (once == n_train && same == N_JETS, "epoch %d: %zu of %zu once, %zu as "
                    "jx_train", e, once, n_train, same);
      /* batches of 10 cut across chunks, as many as jx_train's; only the last may be short */
      JX_CHECK_INT (str_v.batches[e], mem_v.batches[e]);
      JX_CHECK (str_v.small[e] <= 1);
      /* chunks visited whole, one after another (10 chunks: 9 changes between them, and one
       * more from the count's start at chunk 0 unless chunk 0 comes first), not in file order */
      JX_CHECK_MSG (str_v.changes[e] >= 9 && str_v.changes[e] <= 10, "epoch %d: %zu changes",
                    e, str_v.changes[e]);
      JX_CHECK (!str_v.in_file_order[e]);
      JX_CHECK (mem_v.changes[e] > 50);   /* jx_train's order jumps between them all along */
    }
  /* within a few % of jx_train on these random jets too */
  double rel = (a.stats.val_loss - mem.stats.val_loss) / mem.stats.val_loss;
  printf ("10 chunks: val loss %.5f (jx_train %.5f, %+.2f %%)\n", a.stats.val_loss,
          mem.stats.val_loss, 100 * rel);
  JX_CHECK (rel < 0.05 && rel > -0.05);
  run_free (&mem);
  run_free (&a);
  run_free (&b);
}

/* ---- resume ------------------------------------------------------------------------------ */

static void
test_resume (const JxDataset *ds, const char *path)
{
  JxModelConfig cfg = tiny_config (JX_BRANCH_FACTORIZED, ds, 16);
  JxOptimKind kinds[2] = { JX_OPTIM_ADAM, JX_OPTIM_SGD };
  for (int k = 0; k < 2; k++)
    {
      JxTrainOptions o;
      base_options (&o, "1 3e-3 10\n1 1e-3 25\n", kinds[k]);
      o.stream_chunk_jets = 37;   /* rounded up to 64: 5 chunks */
      Run straight, half, resumed;
      run_train (&straight, &cfg, NULL, path, &o, true);
      o.epochs = 1;
      o.checkpoint = tmp_path ("half.h5");
      run_train (&half, &cfg, NULL, path, &o, true);
      JX_CHECK_MSG (straight.rc == 0 && half.rc == 0, "%s", half.err.message);
      JX_CHECK (!jx_test_same_params (straight.model, half.model));
      uint64_t cj;
      checkpoint_fingerprint (tmp_path ("half.h5"), &cj);
      JX_CHECK_INT ((long long) cj, 64);
      o.epochs = 2;
      o.resume = tmp_path ("half.h5");
      o.checkpoint = tmp_path ("half.h5");
      o.stream_chunk_jets = 0;   /* ignored: the checkpoint's 64 */
      run_train (&resumed, &cfg, NULL, path, &o, true);
      JX_CHECK_MSG (resumed.rc == 0, "%s", resumed.err.message);
      JX_CHECK_INT (resumed.stats.first_epoch, 1);
      JX_CHECK_INT (resumed.stats.epochs_done, 2);
      JX_CHECK_MSG (jx_test_same_params (straight.model, resumed.model), "%s: resumed streamed run "
                    "differs from the straight one", jx_optim_kind_name (kinds[k]));
      JX_CHECK (memcmp (&straight.meta.history[1].val_loss, &resumed.meta.history[1].val_loss,
                        sizeof (double)) == 0);

      /* jx_train does not resume it, nor this one jx_train's */
      Run wrong;
      run_train (&wrong, &cfg, ds, NULL, &o, true);
      JX_CHECK_INT (wrong.rc, JX_ERR_INVALID);
      JX_CHECK_MSG (strstr (wrong.err.message, "resume with --stream") != NULL, "%s",
                    wrong.err.message);
      run_free (&wrong);
      o.resume = NULL;
      o.epochs = 1;
      o.checkpoint = tmp_path ("mem.h5");
      run_train (&wrong, &cfg, ds, NULL, &o, true);
      run_free (&wrong);
      o.resume = tmp_path ("mem.h5");
      o.checkpoint = NULL;
      run_train (&wrong, &cfg, NULL, path, &o, true);
      JX_CHECK_INT (wrong.rc, JX_ERR_INVALID);
      JX_CHECK_MSG (strstr (wrong.err.message, "without --stream") != NULL, "%s",
                    wrong.err.message);
      run_free (&wrong);
      run_free (&straight);
      run_free (&half);
      run_free (&resumed);
    }
  unlink (tmp_path ("half.h5"));
  unlink (tmp_path ("mem.h5"));
}

/* ---- cancel ----------------------------------------------------------------------------- */

typedef struct {
  JxProgress progress;
  bool in_batches;   /* else right after epoch 1 (and its checkpoint) */
} CancelCtx;

static void
cancel_cb (void *user, double done, double total, const char *message)
{
  (void) done;
  (void) total;
  CancelCtx *c = user;
  if (!c->in_batches && strstr (message, "epoch 1 done") != NULL)
    jx_progress_cancel (&c->progress);
}

/* in the middle of epoch 2, a few chunks in */
static void
cancel_hook (void *user, int epoch, size_t batch, const size_t *jets, size_t n, double *loss,
             float *grad, size_t n_params)
{
  (void) jets;
  (void) n;
  (void) loss;
  (void) grad;
  (void) n_params;
  CancelCtx *c = user;
  if (c->in_batches && epoch == 1 && batch == 30)
    jx_progress_cancel (&c->progress);
}

static void
test_cancel (const JxDataset *ds, const char *path)
{
  JxModelConfig cfg = tiny_config (JX_BRANCH_FACTORIZED, ds, 16);
  JxTrainOptions o;
  base_options (&o, "4 1e-3 2\n", JX_OPTIM_ADAM);
  o.stream_chunk_jets = 32;
  o.checkpoint = tmp_path ("cancel-ckpt.h5");
  for (int w = 0; w < 2; w++)
    {
      CancelCtx c = { .in_batches = w == 1 };
      jx_progress_init (&c.progress, cancel_cb, &c);
      o.batch_hook = cancel_hook;
      o.hook_user = &c;
      JxModel *m = NULL;
      JxModelMeta meta;
      init_meta (&meta, true);
      JxTrainStats st;
      JxError err;
      int rc = jx_train_and_save_stream (&m, &meta, &cfg, path, &o, tmp_path ("out.h5"), &st,
                                         &c.progress, &err);
      JX_CHECK_INT (rc, JX_ERR_CANCELLED);
      JX_CHECK_INT (st.epochs_done, 1);
      JX_CHECK (access (tmp_path ("out.h5"), F_OK) != 0);
      JX_CHECK_INT (jx_test_tmp_partials (), 0);
      JxModel *loaded = NULL;
      JxModelMeta lm;
      JX_CHECK_INT (jx_model_load (o.checkpoint, &loaded, &lm, NULL, NULL, &err), 0);
      JX_CHECK_INT (lm.n_history, 1);
      jx_model_free (loaded);
      jx_model_meta_free (&lm);
      jx_model_free (m);
      jx_model_meta_free (&meta);
    }
  /* cancelled before it starts: nothing at all */
  o.batch_hook = NULL;
  unlink (o.checkpoint);
  JxProgress pre;
  jx_progress_init (&pre, NULL, NULL);
  jx_progress_cancel (&pre);
  JxModel *m = NULL;
  JxModelMeta meta;
  init_meta (&meta, true);
  JxError err;
  JX_CHECK_INT (jx_train_and_save_stream (&m, &meta, &cfg, path, &o, tmp_path ("out.h5"), NULL,
                                          &pre, &err), JX_ERR_CANCELLED);
  JX_CHECK (access (o.checkpoint, F_OK) != 0 && access (tmp_path ("out.h5"), F_OK) != 0);
  JX_CHECK_INT (jx_test_tmp_partials (), 0);
  jx_model_free (m);
  jx_model_meta_free (&meta);
}

/* ---- quark jets: close to jx_train ----------------------------------------------------- */

static void
test_quark_jets (void)
{
  JxGenConfig g;
  jx_gen_config_default_level (&g, JX_LEVEL_PARTON);
  g.threads = 1;
  g.seed = 101;
  JxDataset ds;
  jx_dataset_init (&ds);
  JxError err;
  JX_CHECK_INT (jx_generate (&g, 2000, &ds, NULL, NULL, &err), 0);
  JX_CHECK_INT (jx_dataset_write (&ds, tmp_path ("quarks.h5"), NULL, &err), 0);
  JxModelConfig cfg = tiny_config (JX_BRANCH_FACTORIZED, &ds, 40);
  cfg.hidden = cfg.dense = 16;
  JxTrainOptions o;
  base_options (&o, "3 3e-3 10\n", JX_OPTIM_ADAM);
  o.val_fraction = 0.1;
  o.stream_chunk_jets = 128;   /* 16 chunks */
  Run mem, str;
  run_train (&mem, &cfg, &ds, NULL, &o, false);
  run_train (&str, &cfg, NULL, tmp_path ("quarks.h5"), &o, false);
  JX_CHECK_MSG (mem.rc == 0 && str.rc == 0, "%s %s", mem.err.message, str.err.message);
  double rel = (str.stats.val_loss - mem.stats.val_loss) / mem.stats.val_loss;
  printf ("quark jets, 3 epochs: val loss %.4f streamed (16 chunks), %.4f in memory (%+.2f %%); "
          "initial %.4f\n", str.stats.val_loss, mem.stats.val_loss, 100 * rel,
          mem.stats.initial_val_loss);
  /* the same model and jets: the same initial loss up to the rounding of other scoring groups
   * (the chunks cut the validation list elsewhere than JX_EVAL_CHUNK's multiples) */
  JX_CHECK (fabs (str.stats.initial_val_loss - mem.stats.initial_val_loss)
            <= 1e-9 * fabs (mem.stats.initial_val_loss));
  JX_CHECK (rel < 0.03 && rel > -0.03);
  JX_CHECK (str.stats.val_loss < mem.stats.initial_val_loss - 1.0);   /* it learned */
  run_free (&mem);
  run_free (&str);
  jx_dataset_free (&ds);
  unlink (tmp_path ("quarks.h5"));
}

/* ---- errors ---------------------------------------------------------------------------- */

static void
test_bad_jet (const JxDataset *ds, const char *path)
{
  JxModelConfig cfg = tiny_config (JX_BRANCH_FACTORIZED, ds, 16);
  JxTrainOptions o;
  base_options (&o, "1 1e-3 10\n", JX_OPTIM_SGD);
  o.skip_long = false;
  o.stream_chunk_jets = 32;
  Run mem, str;
  run_train (&mem, &cfg, ds, NULL, &o, true);
  run_train (&str, &cfg, NULL, path, &o, true);
  JX_CHECK_INT (str.rc, mem.rc);
  JX_CHECK_MSG (strcmp (str.err.message, mem.err.message) == 0
                && strstr (str.err.message, "jet 150") != NULL, "%s / %s", str.err.message,
                mem.err.message);
  run_free (&mem);
  run_free (&str);
  Run none;
  run_train (&none, &cfg, NULL, tmp_path ("missing.h5"), &o, true);
  JX_CHECK (none.rc != 0 && strstr (none.err.message, "missing.h5") != NULL);
  run_free (&none);
}

int
main (void)
{
  jx_test_tmp_begin ("train-stream");
  JxDataset ds;
  jx_test_train_jets (&ds, N_JETS, 1, 150);   /* jet 150 skipped with skip_long */
  JxError err;
  char path[512];   /* tmp_path's buffers are reused */
  snprintf (path, sizeof path, "%s", tmp_path ("jets.h5"));
  JX_CHECK_INT (jx_dataset_write (&ds, path, NULL, &err), 0);
  test_one_chunk (&ds, path);
  test_many_chunks (&ds, path);
  test_resume (&ds, path);
  test_cancel (&ds, path);
  test_quark_jets ();
  test_bad_jet (&ds, path);
  unlink (path);
  jx_dataset_free (&ds);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("train-stream");
}
