/* jx-checkpoint.c — see jx-checkpoint.h. */
#include "jx-checkpoint.h"

#include <stdio.h>
#include <stdlib.h>

#include "jx-h5.h"

/* What the model file's hooks (jx-model-io.h) carry. */
typedef struct {
  JxCheckpointState *state;
  JxOptim *optim;
  bool found;
} Hook;

static int
save_state (int64_t h5_file, void *user, JxError *err)
{
  const Hook *h = user;
  const JxCheckpointState *st = h->state;
  hid_t file = (hid_t) h5_file;
  char sched[JX_SCHEDULE_MAX_STAGES * 64];
  char num[32];
  jx_schedule_format (&st->schedule, sched, sizeof sched);
  hid_t g = H5Gcreate2 (file, "train_state", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_IO, "cannot create /train_state");
  int rc = jx_h5_write_int_attr (g, "epochs_done", st->epochs_done, err);
  /* For people reading the file: the stage of the next epoch and where its shuffle comes
   * from. Resuming needs neither (both follow from epochs_done, schedule and seed). */
  size_t stage = 0;
  jx_schedule_stage_at (&st->schedule, st->epochs_done, &stage);
  if (rc == 0)
    rc = jx_h5_write_int_attr (g, "next_stage", (long long) stage, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "rng", "xoshiro256**: split stream 0x7370, epoch e "
                                  "shuffle stream 0x65700000 + e, both from seed", err);
  /* 64-bit unsigned values as text: HDF5 integer attributes here are signed. */
  snprintf (num, sizeof num, "%llu", (unsigned long long) st->seed);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "seed", num, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (g, "val_fraction", st->val_fraction, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "optimizer", jx_optim_kind_name (st->optimizer), err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "schedule", sched, err);
  snprintf (num, sizeof num, "%llu", (unsigned long long) st->n_jets);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "n_jets", num, err);
  snprintf (num, sizeof num, "%016llx", (unsigned long long) st->fingerprint);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "data_fingerprint", num, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (g, "skip_bad", st->skip_bad, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (g, "skip_long", st->skip_long, err);
  snprintf (num, sizeof num, "%llu", (unsigned long long) st->n_updates);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "n_updates", num, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (g, "n_bad_batches", (long long) st->n_bad_batches, err);
  if (rc == 0 && st->stream_chunk_jets > 0)
    {
      snprintf (num, sizeof num, "%llu", (unsigned long long) st->stream_chunk_jets);
      rc = jx_h5_write_string_attr (g, "stream_chunk_jets", num, err);
      snprintf (num, sizeof num, "%llu", (unsigned long long) st->stream_chunk_particles);
      if (rc == 0)
        rc = jx_h5_write_string_attr (g, "stream_chunk_particles", num, err);
    }
  /* A close can be where a full disk shows (issue 15): checked like every write. */
  if (rc != 0)
    H5Gclose (g);
  else
    rc = jx_h5_close_object (g, "/train_state", err);
  if (rc != 0)
    return rc;

  const JxOptim *o = h->optim;
  g = H5Gcreate2 (file, "optimizer", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_IO, "cannot create /optimizer");
  rc = jx_h5_write_string_attr (g, "kind", jx_optim_kind_name (o->kind), err);
  snprintf (num, sizeof num, "%llu", (unsigned long long) o->t);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "t", num, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (g, "beta1", o->beta1, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (g, "beta2", o->beta2, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (g, "eps", o->eps, err);
  hsize_t n = o->n;
  if (rc == 0 && o->kind == JX_OPTIM_ADAM)
    rc = jx_h5_write_array (g, "m", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 1, &n, o->m, err);
  if (rc == 0 && o->kind == JX_OPTIM_ADAM)
    rc = jx_h5_write_array (g, "v", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 1, &n, o->v, err);
  if (rc != 0)
    {
      H5Gclose (g);
      return rc;
    }
  return jx_h5_close_object (g, "/optimizer", err);
}

static int
read_u64_text (hid_t obj, const char *name, uint64_t *out, int base, JxError *err)
{
  char *s = NULL;
  int rc = jx_h5_read_string_attr (obj, name, &s, err);
  if (rc != 0)
    return rc;
  char *end;
  *out = strtoull (s, &end, base);
  if (end == s || *end != '\0')
    rc = jx_error_set (err, JX_ERR_FORMAT, "attribute %s = '%s' is not a number", name, s);
  free (s);
  return rc;
}

/* /train_state: where training stands (epoch, seed, split, schedule, data, counts). */
static int
read_train_state (hid_t file, JxCheckpointState *st, JxError *err)
{
  hid_t g = H5Gopen2 (file, "train_state", H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "cannot open /train_state");
  long long v = 0;
  char *s = NULL;
  int rc = jx_h5_read_int_attr (g, "epochs_done", &v, err);
  st->epochs_done = (int) v;
  if (rc == 0)
    rc = read_u64_text (g, "seed", &st->seed, 10, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (g, "val_fraction", &st->val_fraction, err);
  if (rc == 0)
    rc = jx_h5_read_string_attr (g, "optimizer", &s, err);
  if (rc == 0)
    rc = jx_optim_kind_parse (s, &st->optimizer, err);
  free (s);
  s = NULL;
  if (rc == 0)
    rc = jx_h5_read_string_attr (g, "schedule", &s, err);
  if (rc == 0)
    rc = jx_schedule_parse (&st->schedule, s, "checkpoint schedule", err);
  free (s);
  if (rc == 0)
    rc = read_u64_text (g, "n_jets", &st->n_jets, 10, err);
  if (rc == 0)
    rc = read_u64_text (g, "data_fingerprint", &st->fingerprint, 16, err);
  if (rc == 0)
    rc = jx_h5_read_int_attr (g, "skip_bad", &v, err);
  st->skip_bad = v != 0;
  if (rc == 0)
    rc = jx_h5_read_int_attr (g, "skip_long", &v, err);
  st->skip_long = v != 0;
  if (rc == 0)
    rc = read_u64_text (g, "n_updates", &st->n_updates, 10, err);
  if (rc == 0)
    rc = jx_h5_read_int_attr (g, "n_bad_batches", &v, err);
  st->n_bad_batches = (uint64_t) v;
  st->stream_chunk_jets = st->stream_chunk_particles = 0;
  if (rc == 0 && jx_h5_has_attr (g, "stream_chunk_jets"))
    {
      rc = read_u64_text (g, "stream_chunk_jets", &st->stream_chunk_jets, 10, err);
      if (rc == 0)
        rc = read_u64_text (g, "stream_chunk_particles", &st->stream_chunk_particles, 10, err);
      if (rc == 0 && (st->stream_chunk_jets == 0 || st->stream_chunk_particles == 0))
        rc = jx_error_set (err, JX_ERR_FORMAT, "stream_chunk_jets/stream_chunk_particles "
                           "must be positive");
    }
  H5Gclose (g);
  return rc;
}

/* /optimizer: its kind, step count and constants, and Adam's moments. */
static int
read_optimizer (hid_t file, JxOptim *o, JxError *err)
{
  hid_t g = H5Gopen2 (file, "optimizer", H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "cannot open /optimizer");
  char *s = NULL;
  JxOptimKind kind = JX_OPTIM_SGD;
  int rc = jx_h5_read_string_attr (g, "kind", &s, err);
  if (rc == 0)
    rc = jx_optim_kind_parse (s, &kind, err);
  free (s);
  size_t n = 0;
  if (rc == 0 && kind == JX_OPTIM_ADAM)
    {
      hid_t d = H5Dopen2 (g, "m", H5P_DEFAULT);
      int rank;
      hsize_t dims[1];
      if (d < 0)
        rc = jx_error_set (err, JX_ERR_FORMAT, "missing /optimizer/m");
      else
        {
          rc = jx_h5_shape (d, 1, &rank, dims, NULL, err);
          H5Dclose (d);
          n = (size_t) dims[0];
        }
    }
  if (rc == 0)
    rc = jx_optim_init (o, kind, n, err);
  if (rc == 0)
    rc = read_u64_text (g, "t", &o->t, 10, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (g, "beta1", &o->beta1, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (g, "beta2", &o->beta2, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (g, "eps", &o->eps, err);
  if (rc == 0 && kind == JX_OPTIM_ADAM)
    rc = jx_h5_read_array (g, "m", H5T_NATIVE_FLOAT, o->m, n, err);
  if (rc == 0 && kind == JX_OPTIM_ADAM)
    rc = jx_h5_read_array (g, "v", H5T_NATIVE_FLOAT, o->v, n, err);
  H5Gclose (g);
  return rc;
}

static int
load_state (int64_t h5_file, void *user, JxError *err)
{
  Hook *h = user;
  hid_t file = (hid_t) h5_file;
  if (!jx_h5_exists (file, "train_state") || !jx_h5_exists (file, "optimizer"))
    return jx_error_set (err, JX_ERR_FORMAT, "a model but not a training checkpoint (no "
                         "/train_state): resume from the checkpoint file written during training");
  int rc = read_train_state (file, h->state, err);
  if (rc == 0)
    rc = read_optimizer (file, h->optim, err);
  if (rc == 0)
    h->found = true;
  return rc;
}

int
jx_checkpoint_save (const JxModel *model, const JxModelMeta *meta, const char *path,
                    const JxCheckpointState *state, const JxOptim *optim, JxError *err)
{
  Hook h = { .state = (JxCheckpointState *) state, .optim = (JxOptim *) optim };
  return jx_model_save (model, meta, path, save_state, &h, err);
}

int
jx_checkpoint_load (const char *path, JxModel **model, JxModelMeta *meta,
                    JxCheckpointState *state, JxOptim *optim, JxError *err)
{
  Hook h = { .state = state, .optim = optim };
  int rc = jx_model_load (path, model, meta, load_state, &h, err);
  if (rc == 0 && !h.found)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: not a training checkpoint", path);
  if (rc != 0)
    return rc;
  if (optim->kind == JX_OPTIM_ADAM && optim->n != jx_model_n_params (*model))
    return jx_error_set (err, JX_ERR_FORMAT, "%s: optimizer state has %zu entries but the model "
                         "%zu parameters", path, optim->n, jx_model_n_params (*model));
  optim->n = jx_model_n_params (*model);
  return 0;
}
