/* test-train-ranks.c — training over the ranks of a job (jx-train.h with opt->comm), the
 * ranks being threads of this process (jx-test-comm.h), each reading only its share of the
 * dataset file:
 *  - 2 and 3 ranks give the one-process model within 1e-6 (relative to the largest weight)
 *    after more than 100 steps, for joint/SGD and factorized/Adam, with the same batches in
 *    the same order, the same split, initial validation loss and massless rates to the bit;
 *  - the same ranks give the same model to the bit, run after run;
 *  - a bad jet on one rank, an unwritable checkpoint on rank 0 and a cancel on one rank end
 *    every rank with the error one process gives;
 *  - a checkpoint written with one number of ranks resumes with another.
 * The model equality is against the one-process trainer, whose correctness test-train and
 * test-model-grad establish. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "jx-dataset.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-test-comm.h"
#include "jx-test-jets.h"
#include "jx-test-tmp.h"
#include "jx-test.h"
#include "jx-train.h"

#define N_JETS 250   /* 225 training jets: 23 batches of 10 per epoch, 115 steps in 5 epochs */
#define BAD_JET 201  /* in the last rank's share for 2 and 3 ranks */

typedef struct {
  /* the run */
  const char *data;
  const char *schedule;
  JxBranchKind branch;
  JxOptimKind optimizer;
  int threads, epochs;
  const char *checkpoint, *resume;
  int cancel_rank;            /* −1: none */
  /* per rank */
  JxModel *model[JX_TEST_MAX_RANKS];
  JxModelMeta meta[JX_TEST_MAX_RANKS];
  int rc[JX_TEST_MAX_RANKS];
  JxError err[JX_TEST_MAX_RANKS];
  JxTrainStats stats[JX_TEST_MAX_RANKS];
  uint64_t order_hash;        /* of the batches rank 0 saw, in order */
  size_t n_batches;
} Run;

static void
run_init (Run *run, const char *data, const char *schedule, JxBranchKind branch,
          JxOptimKind optimizer)
{
  memset (run, 0, sizeof *run);
  run->data = data;
  run->schedule = schedule;
  run->branch = branch;
  run->optimizer = optimizer;
  run->threads = 2;
  run->cancel_rank = -1;
}

static void
run_free (Run *run, int size)
{
  for (int r = 0; r < size; r++)
    {
      jx_model_free (run->model[r]);
      jx_model_meta_free (&run->meta[r]);
    }
}

static void
hash_batch (void *user, int epoch, size_t batch, const size_t *jets, size_t n_jets,
            double *loss_sum, float *grad, size_t n_params)
{
  Run *run = user;
  for (size_t i = 0; i < n_jets; i++)
    run->order_hash = (run->order_hash ^ jets[i]) * 0x100000001b3ull;
  run->n_batches++;
  (void) epoch, (void) batch, (void) loss_sum, (void) grad, (void) n_params;
}

static void
rank_main (const JxComm *c, void *user)
{
  Run *run = user;
  int me = c->rank;
  JxError *err = &run->err[me];
  JxDatasetInfo info;
  int rc = jx_dataset_probe (run->data, &info, err);
  size_t first = 0, count = 0;
  jx_comm_share (info.n_jets, c->size, me, &first, &count);
  JxDataset ds;
  if (rc == 0)
    rc = jx_dataset_read_range (&ds, run->data, first, count, NULL, err);
  else
    jx_dataset_init (&ds);
  JxModelMeta *meta = &run->meta[me];
  jx_model_meta_init (meta);
  meta->clustering.esub = 0;   /* keep every particle: jets stay tiny and known */
  meta->clustering.rsub = 0;
  if (rc == 0 && run->resume == NULL)
    {
      JxModelConfig cfg;
      jx_model_config_default (&cfg);
      cfg.branch = run->branch;
      cfg.hidden = 12;
      cfg.dense = 12;
      cfg.grid = run->branch == JX_BRANCH_JOINT ? 4 : 10;
      cfg.max_mult = 16;
      cfg.scaling.e_jet = 500;
      rc = jx_model_new (&cfg, 7, &run->model[me], err);
    }
  JxTrainOptions o;
  jx_train_options_default (&o);
  if (rc == 0)
    rc = jx_schedule_parse (&o.schedule, run->schedule, "test", err);
  o.optimizer = run->optimizer;
  o.threads = run->threads;
  o.epochs = run->epochs;
  o.seed = 11;
  o.checkpoint = run->checkpoint;
  o.resume = run->resume;
  o.comm = c;
  if (me == 0)
    {
      o.batch_hook = hash_batch;
      o.hook_user = run;
    }
  JxProgress progress;
  jx_progress_init (&progress, NULL, NULL);
  if (me == run->cancel_rank)
    jx_progress_cancel (&progress);
  /* jx_train is collective: every rank enters it or none does. */
  rc = jx_comm_agree (c, rc, err);
  if (rc == 0)
    rc = jx_train (&run->model[me], meta, &ds, &o, &run->stats[me], &progress, err);
  run->rc[me] = rc;
  jx_dataset_free (&ds);
}

static void
train (Run *run, int size)
{
  run->order_hash = 0xcbf29ce484222325ull;
  jx_test_world_run (size, rank_main, run);
}

/* max |a − b| / max |a| over all weights. */
static double
rel_diff (const JxModel *a, const JxModel *b)
{
  size_t n = jx_model_n_params (a);
  const float *x = jx_model_params_const (a), *y = jx_model_params_const (b);
  double d = 0, m = 0;
  for (size_t i = 0; i < n; i++)
    {
      d = fmax (d, fabs ((double) x[i] - (double) y[i]));
      m = fmax (m, fabs ((double) x[i]));
    }
  return d / m;
}

static bool
same_bits (const JxModel *a, const JxModel *b)
{
  size_t n = jx_model_n_params (a);
  return n == jx_model_n_params (b)
         && memcmp (jx_model_params_const (a), jx_model_params_const (b), n * sizeof (float)) == 0;
}

/* Every rank came back with rc 0 and the same model as rank 0. */
static void
check_ranks_agree (const Run *run, int size, const char *what)
{
  for (int r = 0; r < size; r++)
    {
      JX_CHECK_MSG (run->rc[r] == 0, "%s, rank %d: %s", what, r, run->err[r].message);
      if (run->rc[r] == 0 && r > 0)
        JX_CHECK_MSG (same_bits (run->model[r], run->model[0]), "%s: rank %d's model differs",
                      what, r);
    }
}

static void
check_against_one (const char *data, const char *schedule, JxBranchKind branch,
                   JxOptimKind optimizer, const char *what)
{
  static Run one, many, again;
  run_init (&one, data, schedule, branch, optimizer);
  train (&one, 1);
  check_ranks_agree (&one, 1, what);
  JX_CHECK_MSG (one.n_batches > 100, "%s: %zu steps", what, one.n_batches);
  for (int size = 2; size <= 3; size++)
    {
      run_init (&many, data, schedule, branch, optimizer);
      train (&many, size);
      check_ranks_agree (&many, size, what);
      if (one.rc[0] != 0 || many.rc[0] != 0)
        continue;
      double d = rel_diff (one.model[0], many.model[0]);
      printf ("%s, %d ranks: max |Δw| / max |w| = %.3g after %zu steps\n", what, size, d,
              many.n_batches);
      JX_CHECK_MSG (d <= 1e-6, "%s, %d ranks: %.3g", what, size, d);
      JX_CHECK_MSG (many.order_hash == one.order_hash && many.n_batches == one.n_batches,
                    "%s, %d ranks: other batches than one process", what, size);
      const JxTrainStats *a = &one.stats[0], *b = &many.stats[0];
      JX_CHECK_INT (b->n_train, a->n_train);
      JX_CHECK_INT (b->n_val, a->n_val);
      JX_CHECK_INT (b->ranks, size);
      /* The same initial model on the same validation jets, added in the same order. */
      JX_CHECK_MSG (memcmp (&a->initial_val_loss, &b->initial_val_loss, sizeof (double)) == 0,
                    "%s, %d ranks: initial validation loss %.17g vs %.17g", what, size,
                    b->initial_val_loss, a->initial_val_loss);
      JX_CHECK_CLOSE (b->val_loss, a->val_loss, 1e-6, 0);
      JX_CHECK (memcmp (&one.meta[0].massless, &many.meta[0].massless,
                        sizeof one.meta[0].massless) == 0);
      JX_CHECK_INT (many.meta[0].n_history, one.meta[0].n_history);

      /* Determinism: the same ranks again, the same bits. */
      run_init (&again, data, schedule, branch, optimizer);
      train (&again, size);
      if (again.rc[0] == 0)
        JX_CHECK_MSG (same_bits (again.model[0], many.model[0]),
                      "%s, %d ranks: a second run differs", what, size);
      run_free (&again, size);
      run_free (&many, size);
    }
  run_free (&one, 1);
}

static void
write_data (const char *path, bool with_bad_jet)
{
  JxRng rng;
  jx_rng_seed (&rng, 2024, 0);
  JxDataset ds;
  jx_dataset_init (&ds);
  JxP4 p[16];
  for (size_t i = 0; i < N_JETS; i++)
    {
      size_t n = 3 + jx_rng_below (&rng, 8);
      jx_test_random_jet (&rng, n, p);
      if (with_bad_jet && i == BAD_JET)
        p[1].E = NAN;
      jx_dataset_append (&ds, p, n, NULL);
    }
  JxError err;
  JX_CHECK_MSG (jx_dataset_write (&ds, path, NULL, &err) == 0, "%s", err.message);
  jx_dataset_free (&ds);
}

/* Every rank fails with one process's error. */
static void
check_errors (const char *good, const char *bad)
{
  static Run one, many;
  const char *sched = "1 0.01 10";
  run_init (&one, bad, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_SGD);
  train (&one, 1);
  JX_CHECK_INT (one.rc[0], JX_ERR_INVALID);
  JX_CHECK_MSG (strstr (one.err[0].message, "jet 201") != NULL, "%s", one.err[0].message);
  for (int size = 2; size <= 3; size++)
    {
      run_init (&many, bad, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_SGD);
      train (&many, size);
      for (int r = 0; r < size; r++)
        JX_CHECK_MSG (many.rc[r] == one.rc[0]
                      && strcmp (many.err[r].message, one.err[0].message) == 0,
                      "bad jet, %d ranks, rank %d: %d '%s'", size, r, many.rc[r],
                      many.err[r].message);
      run_free (&many, size);
    }
  run_free (&one, 1);

  /* Rank 0 cannot write the checkpoint: every rank stops after epoch 1 with its error. */
  run_init (&one, good, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_SGD);
  one.checkpoint = tmp_path ("no-such-dir/ckpt.h5");
  train (&one, 1);
  JX_CHECK_INT (one.rc[0], JX_ERR_IO);
  run_init (&many, good, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_SGD);
  many.checkpoint = one.checkpoint;
  train (&many, 2);
  for (int r = 0; r < 2; r++)
    JX_CHECK_MSG (many.rc[r] == one.rc[0] && strcmp (many.err[r].message, one.err[0].message) == 0
                  && strstr (many.err[r].message, "writing checkpoint after epoch 1") != NULL,
                  "checkpoint, rank %d: '%s' vs '%s'", r, many.err[r].message,
                  one.err[0].message);
  run_free (&many, 2);
  run_free (&one, 1);

  /* Ctrl-C reaches one rank only: all stop. */
  run_init (&many, good, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_SGD);
  many.cancel_rank = 1;
  train (&many, 2);
  for (int r = 0; r < 2; r++)
    JX_CHECK_MSG (many.rc[r] == JX_ERR_CANCELLED, "cancel, rank %d: %d '%s'", r, many.rc[r],
                  many.err[r].message);
  run_free (&many, 2);
}

/* 2 epochs in one run of one process, against epoch 1 on `first` ranks, then a resume from
 * its checkpoint on `second` ranks. */
static void
check_resume (const char *data, int first, int second)
{
  static Run whole, a, b;
  const char *sched = "2 0.01 10";
  run_init (&whole, data, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_ADAM);
  train (&whole, 1);
  run_init (&a, data, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_ADAM);
  a.epochs = 1;
  a.checkpoint = tmp_path ("resume.h5");
  train (&a, first);
  check_ranks_agree (&a, first, "resume, first part");
  run_init (&b, data, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_ADAM);
  b.resume = a.checkpoint;
  train (&b, second);
  check_ranks_agree (&b, second, "resume, second part");
  if (whole.rc[0] == 0 && b.rc[0] == 0)
    {
      double d = rel_diff (whole.model[0], b.model[0]);
      printf ("resume: 1 epoch on %d rank(s), then 1 on %d: max |Δw| / max |w| = %.3g\n", first,
              second, d);
      JX_CHECK_MSG (d <= 1e-6, "resume %d → %d ranks: %.3g", first, second, d);
      JX_CHECK_INT (b.stats[0].first_epoch, 1);
      JX_CHECK_INT (b.stats[0].epochs_done, 2);
      JX_CHECK_INT (b.meta[0].n_history, 2);
    }
  if (first == second && b.rc[0] == 0)
    {
      /* A resume on the same ranks continues exactly. */
      static Run c;
      run_init (&c, data, sched, JX_BRANCH_FACTORIZED, JX_OPTIM_ADAM);
      train (&c, first);
      JX_CHECK (c.rc[0] == 0 && same_bits (c.model[0], b.model[0]));
      run_free (&c, first);
    }
  run_free (&whole, 1);
  run_free (&a, first);
  run_free (&b, second);
  unlink (a.checkpoint);
}

int
main (void)
{
  /* The ranks are threads of one process here, but OpenBLAS's thread count is process-wide:
   * fix it at 1 so the ranks' jx_blas_single_begin/end cannot interleave into anything else. */
  openblas_set_num_threads (1);
  jx_test_tmp_begin ("train-ranks");
  const char *good = tmp_path ("jets.h5"), *bad = tmp_path ("bad.h5");
  write_data (good, false);
  write_data (bad, true);
  check_against_one (good, "5 0.01 10", JX_BRANCH_JOINT, JX_OPTIM_SGD, "joint, SGD");
  check_against_one (good, "5 0.003 10", JX_BRANCH_FACTORIZED, JX_OPTIM_ADAM, "factorized, Adam");
  check_errors (good, bad);
  check_resume (good, 2, 3);
  check_resume (good, 1, 2);
  check_resume (good, 2, 2);
  unlink (good);
  unlink (bad);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("train-ranks");
}
