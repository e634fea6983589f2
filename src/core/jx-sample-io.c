/* jx-sample-io.c — sampled-jet files (jx_sample_write / jx_sample_read in jx-sample.h). */
#include <stdlib.h>
#include <string.h>

#include "jx-apps-h5.h"
#include "jx-h5.h"
#include "jx-sample.h"

typedef struct {
  const JxSampleSet *set;
  JxProgress *progress;
} WriteCtx;

static int
write_base (void *user, const char *tmp_path, JxError *err)
{
  WriteCtx *c = user;
  return jx_dataset_write (&c->set->data, tmp_path, c->progress, err);
}

static int
append_sample (void *user, hid_t file, JxError *err)
{
  const JxSampleSet *s = ((WriteCtx *) user)->set;
  size_t N = s->n_jets, S = s->step_offsets != NULL ? (size_t) s->step_offsets[N] : 0;
  hsize_t n = N, n4[2] = { N, 4 }, n1 = N + 1, sdim = S, s4[2] = { S, 4 };
  double *seed = malloc ((4 * N + 1) * sizeof *seed);
  double *br = malloc ((4 * S + 1) * sizeof *br);
  double *slp = malloc ((S + 1) * sizeof *slp);
  int32_t *mi = malloc ((S + 1) * sizeof *mi), *cell = malloc ((S + 1) * sizeof *cell);
  int32_t *red = malloc ((S + 1) * sizeof *red);
  uint64_t zero = 0;
  int rc = 0;
  if (!seed || !br || !slp || !mi || !cell || !red)
    rc = jx_error_set (err, JX_ERR_NOMEM, "no memory to write %zu sampled steps", S);
  for (size_t i = 0; rc == 0 && i < N; i++)
    {
      seed[4 * i] = s->seed[i].E;
      seed[4 * i + 1] = s->seed[i].px;
      seed[4 * i + 2] = s->seed[i].py;
      seed[4 * i + 3] = s->seed[i].pz;
    }
  for (size_t k = 0; rc == 0 && k < S; k++)
    {
      const JxSampleStep *st = &s->steps[k];
      br[4 * k] = st->x.z;
      br[4 * k + 1] = st->x.theta;
      br[4 * k + 2] = st->x.phi;
      br[4 * k + 3] = st->x.delta;
      slp[k] = st->log_prob;
      mi[k] = st->mother_index;
      cell[k] = st->cell;
      red[k] = st->redrawn;
    }
#define W(name, ft, mt, rank, dims, buf)                                               \
  if (rc == 0)                                                                         \
    rc = jx_h5_write_array (file, "sample/" name, ft, mt, rank, dims, buf, err)
  W ("seed", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, n4, seed);
  W ("log_p", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, s->log_p);
  W ("status", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, s->status);
  W ("n_redrawn", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, s->n_redrawn);
  W ("step_offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &n1,
     s->step_offsets != NULL ? s->step_offsets : &zero);
  W ("mother_index", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &sdim, mi);
  W ("branching", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, s4, br);
  W ("cell", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &sdim, cell);
  W ("step_log_prob", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &sdim, slp);
  W ("step_redrawn", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &sdim, red);
#undef W
  if (rc == 0)
    {
      hid_t g = H5Gopen2 (file, "sample", H5P_DEFAULT);
      if (g < 0)
        rc = jx_error_set (err, JX_ERR_IO, "cannot open /sample");
      else
        {
          rc = jx_h5_write_int_attr (g, "total_redrawn", (long long) s->total_redrawn, err);
          if (rc == 0)
            rc = jx_h5_write_int_attr (g, "n_truncated", (long long) s->n_truncated, err);
          if (rc == 0)
            rc = jx_h5_write_int_attr (g, "n_stuck", (long long) s->n_stuck, err);
          if (rc != 0)
            H5Gclose (g);
          else
            rc = jx_h5_close_object (g, "/sample", err);
        }
    }
  free (seed);
  free (br);
  free (slp);
  free (mi);
  free (cell);
  free (red);
  return rc;
}

int
jx_sample_write (const JxSampleSet *set, const char *path, JxProgress *progress, JxError *err)
{
  if (set->data.n_jets != set->n_jets)
    return jx_error_set (err, JX_ERR_INTERNAL, "sample set with %zu jets but %zu in its dataset",
                         set->n_jets, set->data.n_jets);
  WriteCtx c = { set, progress };
  return jx_apps_write_extended (path, write_base, append_sample, &c, err);
}

static int
read_sample (JxSampleSet *s, hid_t file, JxError *err)
{
  size_t N = s->data.n_jets;
  s->n_jets = N;
  int rc = jx_apps_h5_check_rows (file, "sample/step_offsets", N + 1, 0, err);
  s->step_offsets = malloc ((N + 1) * sizeof *s->step_offsets);
  s->seed = malloc ((N + 1) * sizeof *s->seed);
  s->log_p = malloc ((N + 1) * sizeof *s->log_p);
  s->status = malloc ((N + 1) * sizeof *s->status);
  s->n_redrawn = malloc ((N + 1) * sizeof *s->n_redrawn);
  if (rc == 0 && (!s->step_offsets || !s->seed || !s->log_p || !s->status || !s->n_redrawn))
    rc = jx_error_set (err, JX_ERR_NOMEM, "no memory for %zu sampled jets", N);
  if (rc == 0)
    rc = jx_h5_read_array (file, "sample/step_offsets", H5T_NATIVE_UINT64, s->step_offsets,
                           N + 1, err);
  size_t S = 0;
  if (rc == 0)
    {
      S = (size_t) s->step_offsets[N];
      for (size_t i = 0; i < N && rc == 0; i++)
        if (s->step_offsets[i + 1] < s->step_offsets[i]
            || s->step_offsets[i + 1] - s->step_offsets[i] + 1 != jx_dataset_jet_size (&s->data, i))
          rc = jx_error_set (err, JX_ERR_FORMAT,
                             "/sample/step_offsets disagree with jet %zu's %zu particles", i,
                             jx_dataset_jet_size (&s->data, i));
    }
  struct { const char *name; size_t rows, cols; } shapes[] = {
    { "sample/seed", N, 4 }, { "sample/log_p", N, 0 }, { "sample/status", N, 0 },
    { "sample/n_redrawn", N, 0 }, { "sample/mother_index", S, 0 }, { "sample/branching", S, 4 },
    { "sample/cell", S, 0 }, { "sample/step_log_prob", S, 0 }, { "sample/step_redrawn", S, 0 },
  };
  for (size_t k = 0; rc == 0 && k < sizeof shapes / sizeof shapes[0]; k++)
    rc = jx_apps_h5_check_rows (file, shapes[k].name, shapes[k].rows, shapes[k].cols, err);
  /* Only once every extent agrees: S is then the dataset's own step count, not a number a
   * damaged /sample/step_offsets made up (a fuzzed file asked for 3 GB here). */
  double *seed = NULL, *br = NULL, *slp = NULL;
  int32_t *mi = NULL, *cell = NULL, *red = NULL;
  if (rc == 0)
    {
      seed = malloc ((4 * N + 1) * sizeof *seed);
      br = malloc ((4 * S + 1) * sizeof *br);
      slp = malloc ((S + 1) * sizeof *slp);
      mi = malloc ((S + 1) * sizeof *mi);
      cell = malloc ((S + 1) * sizeof *cell);
      red = malloc ((S + 1) * sizeof *red);
      s->steps = malloc ((S + 1) * sizeof *s->steps);
      if (!seed || !br || !slp || !mi || !cell || !red || !s->steps)
        rc = jx_error_set (err, JX_ERR_NOMEM, "no memory for %zu sampled steps", S);
    }
#define R(name, mt, buf, count)                                                         \
  if (rc == 0)                                                                          \
    rc = jx_h5_read_array (file, "sample/" name, mt, buf, count, err)
  R ("seed", H5T_NATIVE_DOUBLE, seed, 4 * N);
  R ("log_p", H5T_NATIVE_DOUBLE, s->log_p, N);
  R ("status", H5T_NATIVE_INT32, s->status, N);
  R ("n_redrawn", H5T_NATIVE_INT32, s->n_redrawn, N);
  R ("mother_index", H5T_NATIVE_INT32, mi, S);
  R ("branching", H5T_NATIVE_DOUBLE, br, 4 * S);
  R ("cell", H5T_NATIVE_INT32, cell, S);
  R ("step_log_prob", H5T_NATIVE_DOUBLE, slp, S);
  R ("step_redrawn", H5T_NATIVE_INT32, red, S);
#undef R
  for (size_t i = 0; rc == 0 && i < N; i++)
    {
      s->seed[i] = jx_p4 (seed[4 * i], seed[4 * i + 1], seed[4 * i + 2], seed[4 * i + 3]);
      s->total_redrawn += (size_t) s->n_redrawn[i];
      s->n_truncated += s->status[i] == JX_SAMPLE_TRUNCATED;
      s->n_stuck += s->status[i] == JX_SAMPLE_STUCK;
    }
  for (size_t k = 0; rc == 0 && k < S; k++)
    s->steps[k] = (JxSampleStep) { .mother_index = mi[k],
                                   .x = { br[4 * k], br[4 * k + 1], br[4 * k + 2], br[4 * k + 3] },
                                   .cell = cell[k], .log_prob = slp[k], .redrawn = red[k] };
  free (seed);
  free (br);
  free (slp);
  free (mi);
  free (cell);
  free (red);
  return rc;
}

int
jx_sample_read (JxSampleSet *set, const char *path, JxProgress *progress, JxError *err)
{
  jx_sample_set_init (set);
  int rc = jx_dataset_read (&set->data, path, progress, err);
  if (rc != 0)
    return rc;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (path, err);
  if (file < 0)
    rc = (int) file;
  else
    {
      if (!jx_h5_exists (file, "sample"))
        rc = jx_error_set (err, JX_ERR_FORMAT,
                           "%s: no /sample group: a plain dataset, not written by junipr sample",
                           path);
      else if ((rc = read_sample (set, file, err)) != 0)
        jx_error_prefix (err, "%s: ", path);
      H5Fclose (file);
    }
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    jx_sample_set_free (set);
  return rc;
}
