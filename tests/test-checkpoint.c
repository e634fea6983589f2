/* Training checkpoints (jx-checkpoint.h): every field of the training state and the
 * optimizer (SGD and Adam, 64-bit values above 2^63, the schedule's text form) comes back
 * exactly with the model; a checkpoint is a model file that jx_model_load reads; a plain
 * model file and optimizer moments that do not match the model are refused naming the file;
 * a failed save leaves the previous checkpoint. The format's values are compared against
 * what was written, not against numbers from an earlier run. */
#include <string.h>

#include "jx-checkpoint.h"
#include "jx-test-model.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

static void
fill_state (JxCheckpointState *st, JxOptimKind kind)
{
  memset (st, 0, sizeof *st);
  st->epochs_done = 7;
  st->seed = 0xF00DFACE12345678ull;       /* above 2^63: stored as text */
  st->val_fraction = 0.1234567890123;
  st->optimizer = kind;
  jx_schedule_paper (&st->schedule);
  st->schedule.stages[1].learning_rate = 1.0 / 3.0;
  st->n_jets = 123456789012ull;
  st->fingerprint = 0x8000000000000001ull;
  st->skip_bad = true;
  st->skip_long = false;
  st->n_updates = 9876543210ull;
  st->n_bad_batches = 3;
}

static void
fill_optim (JxOptim *o, JxOptimKind kind, size_t n)
{
  JxError err = { 0 };
  memset (o, 0, sizeof *o);
  if (jx_optim_init (o, kind, n, &err) != 0)
    {
      fprintf (stderr, "optim: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
  o->t = 0xFFFFFFFFFFFFFFF0ull;
  o->beta1 = 0.875;
  o->beta2 = 0.9990000000001;
  o->eps = 3e-9;
  for (size_t i = 0; kind == JX_OPTIM_ADAM && i < n; i++)
    {
      o->m[i] = (float) i * 1e-3f - 0.5f;
      o->v[i] = (float) i * 1e-7f + 1e-42f;
    }
}

static void
check_same_state (const JxCheckpointState *a, const JxCheckpointState *b)
{
  JX_CHECK_INT (a->epochs_done, b->epochs_done);
  JX_CHECK (a->seed == b->seed);
  JX_CHECK (a->val_fraction == b->val_fraction);
  JX_CHECK_INT (a->optimizer, b->optimizer);
  JX_CHECK_INT (a->schedule.n_stages, b->schedule.n_stages);
  for (size_t s = 0; s < a->schedule.n_stages && s < b->schedule.n_stages; s++)
    {
      JX_CHECK_INT (a->schedule.stages[s].epochs, b->schedule.stages[s].epochs);
      JX_CHECK (a->schedule.stages[s].learning_rate == b->schedule.stages[s].learning_rate);
      JX_CHECK_INT (a->schedule.stages[s].batch_size, b->schedule.stages[s].batch_size);
    }
  JX_CHECK (a->n_jets == b->n_jets);
  JX_CHECK (a->fingerprint == b->fingerprint);
  JX_CHECK (a->skip_bad == b->skip_bad);
  JX_CHECK (a->skip_long == b->skip_long);
  JX_CHECK (a->n_updates == b->n_updates);
  JX_CHECK (a->n_bad_batches == b->n_bad_batches);
}

static void
test_round_trip (JxOptimKind kind)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_FACTORIZED, 10);
  JxModel *model = jx_test_model_new (&cfg, 5, 1.0f);
  size_t n = jx_model_n_params (model);
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  meta.seed = 42;
  JxCheckpointState st;
  JxOptim o;
  fill_state (&st, kind);
  fill_optim (&o, kind, n);
  const char *path = tmp_path (kind == JX_OPTIM_ADAM ? "adam.h5" : "sgd.h5");
  JxError err = { 0 };
  JX_CHECK_MSG (jx_checkpoint_save (model, &meta, path, &st, &o, &err) == 0, "%s", err.message);

  JxModel *back = NULL;
  JxModelMeta back_meta;
  JxCheckpointState back_st;
  JxOptim back_o;
  memset (&back_st, 0, sizeof back_st);
  memset (&back_o, 0, sizeof back_o);
  int rc = jx_checkpoint_load (path, &back, &back_meta, &back_st, &back_o, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  if (rc == 0)
    {
      check_same_state (&st, &back_st);
      JX_CHECK_INT (back_o.kind, kind);
      JX_CHECK_INT (back_o.n, n);
      JX_CHECK (back_o.t == o.t);
      JX_CHECK (back_o.beta1 == o.beta1 && back_o.beta2 == o.beta2 && back_o.eps == o.eps);
      if (kind == JX_OPTIM_ADAM)
        {
          JX_CHECK (memcmp (back_o.m, o.m, n * sizeof *o.m) == 0);
          JX_CHECK (memcmp (back_o.v, o.v, n * sizeof *o.v) == 0);
        }
      JX_CHECK_INT (jx_model_n_params (back), n);
      JX_CHECK (memcmp (jx_model_params (back), jx_model_params (model), n * sizeof (float)) == 0);
      JX_CHECK (back_meta.seed == 42);
    }
  jx_model_free (back);
  jx_model_meta_free (&back_meta);
  jx_optim_free (&back_o);

  /* A checkpoint is a model file: the plain loader reads it. */
  back = NULL;
  rc = jx_model_load (path, &back, &back_meta, NULL, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  jx_model_free (back);
  jx_model_meta_free (&back_meta);

  /* A save that cannot be done leaves the previous checkpoint as it was. */
  st.epochs_done = 99;
  JX_CHECK (jx_checkpoint_save (model, &meta, tmp_path ("no-such-dir/x.h5"), &st, &o, &err) != 0);
  memset (&back_o, 0, sizeof back_o);
  back = NULL;
  rc = jx_checkpoint_load (path, &back, &back_meta, &back_st, &back_o, &err);
  JX_CHECK_MSG (rc == 0 && back_st.epochs_done == 7, "rc %d, epochs_done %d", rc,
                back_st.epochs_done);
  jx_model_free (back);
  jx_model_meta_free (&back_meta);
  jx_optim_free (&back_o);

  jx_optim_free (&o);
  jx_model_meta_free (&meta);
  jx_model_free (model);
}

static void
test_refusals (void)
{
  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_JOINT, 10);
  JxModel *model = jx_test_model_new (&cfg, 6, 1.0f);
  JxError err = { 0 };
  JxModel *back = NULL;
  JxModelMeta meta;
  JxCheckpointState st;
  JxOptim o;

  /* A model file without the training groups. */
  const char *plain = tmp_path ("plain.h5");
  JX_CHECK (jx_model_save (model, NULL, plain, NULL, NULL, &err) == 0);
  memset (&o, 0, sizeof o);
  int rc = jx_checkpoint_load (plain, &back, &meta, &st, &o, &err);
  JX_CHECK_INT (rc, JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "not a training checkpoint") != NULL
                && strstr (err.message, "plain.h5") != NULL, "%s", err.message);
  jx_model_free (back);
  jx_model_meta_free (&meta);
  jx_optim_free (&o);

  /* Adam moments for fewer parameters than the model has. */
  const char *short_m = tmp_path ("short.h5");
  fill_state (&st, JX_OPTIM_ADAM);
  fill_optim (&o, JX_OPTIM_ADAM, jx_model_n_params (model) - 1);
  JX_CHECK (jx_checkpoint_save (model, NULL, short_m, &st, &o, &err) == 0);
  jx_optim_free (&o);
  memset (&o, 0, sizeof o);
  back = NULL;
  rc = jx_checkpoint_load (short_m, &back, &meta, &st, &o, &err);
  JX_CHECK_INT (rc, JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "optimizer state has") != NULL
                && strstr (err.message, "short.h5") != NULL, "%s", err.message);
  jx_model_free (back);
  jx_model_meta_free (&meta);
  jx_optim_free (&o);
  jx_model_free (model);
}

int
main (void)
{
  (void) write_text;   /* jx-test-tmp.h's, not needed here */
  jx_test_tmp_begin ("checkpoint");
  test_round_trip (JX_OPTIM_SGD);
  test_round_trip (JX_OPTIM_ADAM);
  test_refusals ();
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("checkpoint");
}
