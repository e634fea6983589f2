/* jx-model-io.c — see jx-model-io.h. */
#include "jx-model-io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jx-atomic.h"
#include "jx-h5.h"
#include "jx-model-check.h"
#include "jx-model-io-ext.h"

#define LOAD_HINT "model files are written by 'junipr train'"

void
jx_model_meta_init (JxModelMeta *meta)
{
  memset (meta, 0, sizeof *meta);
  jx_cluster_options_default (&meta->clustering);
  jx_massless_rates_default (&meta->massless);
}

void
jx_model_meta_free (JxModelMeta *meta)
{
  if (meta == NULL)
    return;
  free (meta->history);
  meta->history = NULL;
  meta->n_history = 0;
}

int
jx_model_meta_add_epoch (JxModelMeta *meta, const JxEpochRecord *record, JxError *err)
{
  JxEpochRecord *h = realloc (meta->history, (meta->n_history + 1) * sizeof *h);
  if (h == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory growing the training history");
  h[meta->n_history++] = *record;
  meta->history = h;
  return 0;
}

int
jx_model_meta_copy (JxModelMeta *dst, const JxModelMeta *src, JxError *err)
{
  *dst = *src;
  dst->history = NULL;
  if (src->n_history > 0)
    {
      dst->history = malloc (src->n_history * sizeof *dst->history);
      if (dst->history == NULL)
        {
          dst->n_history = 0;
          return jx_error_set (err, JX_ERR_NOMEM, "out of memory copying the training history");
        }
      memcpy (dst->history, src->history, src->n_history * sizeof *dst->history);
    }
  return 0;
}

/* A full-range uint64 seed does not fit the signed helpers of jx-h5. */
static int
write_u64_attr (hid_t obj, const char *name, uint64_t value, JxError *err)
{
  hid_t space = H5Screate (H5S_SCALAR);
  hid_t attr = space < 0 ? -1 : H5Acreate2 (obj, name, H5T_STD_U64LE, space, H5P_DEFAULT,
                                            H5P_DEFAULT);
  int rc = attr < 0 || H5Awrite (attr, H5T_NATIVE_UINT64, &value) < 0;
  if (attr >= 0 && H5Aclose (attr) < 0)
    rc = 1;
  if (space >= 0)
    H5Sclose (space);
  return rc ? jx_error_set (err, JX_ERR_IO, "cannot write attribute '%s'", name) : 0;
}

static int
read_u64_attr (hid_t obj, const char *name, uint64_t *value, JxError *err)
{
  hid_t attr = H5Aopen (obj, name, H5P_DEFAULT);
  int rc = attr < 0 || H5Aread (attr, H5T_NATIVE_UINT64, value) < 0;
  if (attr >= 0)
    H5Aclose (attr);
  return rc ? jx_error_set (err, JX_ERR_FORMAT, "cannot read attribute '%s'", name) : 0;
}

/* ---------------------------------------------------------------------------------------
 * save */

static int
write_attrs (hid_t f, const JxModel *model, const JxModelMeta *meta, JxError *err)
{
  const JxModelConfig *c = jx_model_config (model);
  char created[64];
  snprintf (created, sizeof created, "%s", meta->created);
  if (created[0] == '\0')
    {
      time_t now = time (NULL);
      struct tm tm;
      gmtime_r (&now, &tm);
      strftime (created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
  int rc = jx_h5_write_string_attr (f, "format", JX_MODEL_FORMAT, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "version", jx_model_io_ext_version (model, meta), err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (f, "branch", jx_branch_kind_name (c->branch), err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "local", c->local ? 1 : 0, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "hidden", c->hidden, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "dense", c->dense, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "grid", c->grid, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "max_mult", c->max_mult, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (f, "scaling_e_jet", c->scaling.e_jet, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (f, "scaling_e_sub", c->scaling.e_sub, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (f, "scaling_r_jet", c->scaling.r_jet, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (f, "scaling_r_sub", c->scaling.r_sub, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (f, "clustering_algorithm",
                                  jx_algorithm_name (meta->clustering.algorithm), err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (f, "clustering_esub", meta->clustering.esub, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (f, "clustering_rsub", meta->clustering.rsub, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (f, "dataset", meta->dataset, err);
  if (rc == 0)
    rc = write_u64_attr (f, "seed", meta->seed, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (f, "created", created, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "n_params", (long long) jx_model_n_params (model), err);
  return rc;
}

static int
write_history (hid_t f, const JxModelMeta *meta, JxError *err)
{
  size_t n = meta->n_history;
  hsize_t dims[1] = { n };
  int *ibuf = malloc ((n + 1) * sizeof *ibuf);
  double *dbuf = malloc ((n + 1) * sizeof *dbuf);
  int rc = 0;
  if (ibuf == NULL || dbuf == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory writing the training history");
#define WRITE_COL(name, field, buf, ftype, mtype)                                        \
  if (rc == 0)                                                                           \
    {                                                                                    \
      for (size_t i = 0; i < n; i++)                                                     \
        buf[i] = meta->history[i].field;                                                 \
      rc = jx_h5_write_array (f, "history/" name, ftype, mtype, 1, dims, buf, err);     \
    }
  WRITE_COL ("epoch", epoch, ibuf, H5T_STD_I32LE, H5T_NATIVE_INT)
  WRITE_COL ("train_loss", train_loss, dbuf, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)
  WRITE_COL ("val_loss", val_loss, dbuf, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)
  WRITE_COL ("learning_rate", learning_rate, dbuf, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)
  WRITE_COL ("batch_size", batch_size, ibuf, H5T_STD_I32LE, H5T_NATIVE_INT)
  WRITE_COL ("seconds", seconds, dbuf, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE)
#undef WRITE_COL
  free (ibuf);
  free (dbuf);
  return rc;
}

#define MASSLESS_PATH "sampling/massless"

#define MASSLESS_ROWS 2   /* terminal_cell, terminal_theta */

static int
write_massless (hid_t f, const JxModelMeta *meta, JxError *err)
{
  if (!meta->massless.measured)
    return 0;
  const JxMasslessRates *r = &meta->massless;
  double buf[MASSLESS_ROWS * JX_MASSLESS_BUCKETS];
  memcpy (buf, r->terminal_cell, sizeof r->terminal_cell);
  memcpy (buf + JX_MASSLESS_BUCKETS, r->terminal_theta, sizeof r->terminal_theta);
  hsize_t dims[2] = { MASSLESS_ROWS, JX_MASSLESS_BUCKETS };
  return jx_h5_write_array (f, MASSLESS_PATH, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims, buf, err);
}

/* Files written before the rates existed have none: the sampler's defaults then apply. */
static int
read_massless (hid_t f, JxModelMeta *meta, JxError *err)
{
  jx_massless_rates_default (&meta->massless);
  if (!jx_h5_exists (f, MASSLESS_PATH))
    return 0;
  hid_t d = H5Dopen2 (f, MASSLESS_PATH, H5P_DEFAULT);
  int rank = 0;
  hsize_t dims[2] = { 0, 0 };
  int rc = d < 0 ? JX_ERR_FORMAT : jx_h5_shape (d, 2, &rank, dims, NULL, err);
  if (d >= 0)
    H5Dclose (d);
  if (rc != 0 || rank != 2 || dims[0] != MASSLESS_ROWS || dims[1] != JX_MASSLESS_BUCKETS)
    return jx_error_set (err, JX_ERR_FORMAT, "/%s is not a %d×%d table", MASSLESS_PATH,
                         MASSLESS_ROWS, JX_MASSLESS_BUCKETS);
  double buf[MASSLESS_ROWS * JX_MASSLESS_BUCKETS];
  if ((rc = jx_h5_read_array (f, MASSLESS_PATH, H5T_NATIVE_DOUBLE, buf, MASSLESS_ROWS * JX_MASSLESS_BUCKETS,
                               err)) != 0)
    return rc;
  for (int i = 0; i < MASSLESS_ROWS * JX_MASSLESS_BUCKETS; i++)
    if (!(buf[i] >= 0 && buf[i] <= 1))
      return jx_error_set (err, JX_ERR_FORMAT, "/%s holds %g, not a rate in [0, 1]",
                           MASSLESS_PATH, buf[i]);
  memcpy (meta->massless.terminal_cell, buf, sizeof meta->massless.terminal_cell);
  memcpy (meta->massless.terminal_theta, buf + JX_MASSLESS_BUCKETS,
          sizeof meta->massless.terminal_theta);
  meta->massless.measured = true;
  return 0;
}

/* Biases are 1-D like Keras'; kernels (inputs, outputs). */
static int
tensor_rank (const JxTensorInfo *t)
{
  size_t len = strlen (t->name);
  return t->rows == 1 && len >= 5 && strcmp (t->name + len - 5, "/bias") == 0 ? 1 : 2;
}

static int
write_weights (hid_t f, const JxModel *model, JxError *err)
{
  const float *p = jx_model_params_const (model);
  for (size_t i = 0; i < jx_model_n_tensors (model); i++)
    {
      const JxTensorInfo *t = jx_model_tensor (model, i);
      char name[96];
      snprintf (name, sizeof name, "weights/%s", t->name);
      int rank = tensor_rank (t);
      hsize_t dims[2] = { rank == 1 ? t->cols : t->rows, t->cols };
      int rc = jx_h5_write_array (f, name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, rank, dims,
                                  p + t->offset, err);
      if (rc != 0)
        return rc;
    }
  return 0;
}

int
jx_model_save (const JxModel *model, const JxModelMeta *meta, const char *path,
               JxModelSaveExtra extra, void *extra_user, JxError *err)
{
  JxModelMeta defaults;
  if (meta == NULL)
    {
      jx_model_meta_init (&defaults);
      meta = &defaults;
    }
  JxAtomicFile af;
  int rc = jx_atomic_begin (&af, path, err);
  if (rc != 0)
    return rc;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_create (af.tmp_path, err);
  if (file < 0)
    rc = (int) file;
  else
    {
      rc = write_attrs (file, model, meta, err);
      if (rc == 0)
        rc = jx_model_io_ext_write (file, model, meta, err);
      if (rc == 0)
        rc = write_history (file, meta, err);
      if (rc == 0)
        rc = write_massless (file, meta, err);
      if (rc == 0)
        rc = write_weights (file, model, err);
      if (rc == 0 && extra != NULL)
        rc = extra ((int64_t) file, extra_user, err);
      if (rc == 0)
        rc = jx_h5_close (file, err);
      else
        H5Fclose (file);
    }
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    {
      jx_atomic_abort (&af);
      return jx_error_prefix (err, "%s: ", path);
    }
  return jx_atomic_commit (&af, err);
}

/* ---------------------------------------------------------------------------------------
 * load */

/* A bad value inside a file is a format problem of that file, not a bad argument. */
static int
as_format (int rc, JxError *err)
{
  if (rc == JX_ERR_INVALID)
    {
      if (err != NULL)
        err->code = JX_ERR_FORMAT;
      return JX_ERR_FORMAT;
    }
  return rc;
}

static int
read_int (hid_t f, const char *name, int lo, int hi, int *out, JxError *err)
{
  return jx_h5_read_int_attr_in (f, name, lo, hi, out, err);
}

static int
read_config (hid_t f, JxModelConfig *c, JxError *err)
{
  jx_model_config_default (c);
  char *branch = NULL;
  int local = 0;
  int rc = jx_h5_read_string_attr (f, "branch", &branch, err);
  if (rc == 0)
    rc = jx_branch_kind_parse (branch, &c->branch, err);
  free (branch);
  if (rc != 0)
    return as_format (rc, err);
  rc = read_int (f, "local", 0, 1, &local, err);
  c->local = local != 0;
  if (rc == 0)
    rc = read_int (f, "hidden", 1, 100000, &c->hidden, err);
  if (rc == 0)
    rc = read_int (f, "dense", 1, 100000, &c->dense, err);
  if (rc == 0)
    rc = read_int (f, "grid", 1, 64, &c->grid, err);
  if (rc == 0)
    rc = read_int (f, "max_mult", 1, 100000, &c->max_mult, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (f, "scaling_e_jet", &c->scaling.e_jet, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (f, "scaling_e_sub", &c->scaling.e_sub, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (f, "scaling_r_jet", &c->scaling.r_jet, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (f, "scaling_r_sub", &c->scaling.r_sub, err);
  if (rc == 0)
    rc = jx_model_io_ext_read_config (f, c, err);
  if (rc == 0)
    rc = as_format (jx_model_config_check (c, err), err);
  return rc;
}

static int
read_meta (hid_t f, JxModelMeta *meta, JxError *err)
{
  char *s = NULL;
  int rc = jx_h5_read_string_attr (f, "clustering_algorithm", &s, err);
  if (rc == 0)
    rc = as_format (jx_algorithm_parse (s, &meta->clustering.algorithm, err), err);
  free (s);
  if (rc == 0)
    rc = jx_h5_read_double_attr (f, "clustering_esub", &meta->clustering.esub, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (f, "clustering_rsub", &meta->clustering.rsub, err);
  if (rc == 0 && (rc = jx_h5_read_string_attr (f, "dataset", &s, err)) == 0)
    {
      snprintf (meta->dataset, sizeof meta->dataset, "%s", s);
      free (s);
    }
  if (rc == 0 && (rc = jx_h5_read_string_attr (f, "created", &s, err)) == 0)
    {
      snprintf (meta->created, sizeof meta->created, "%s", s);
      free (s);
    }
  if (rc == 0)
    rc = read_u64_attr (f, "seed", &meta->seed, err);
  if (rc != 0)
    return rc;

  hid_t d = H5Dopen2 (f, "history/epoch", H5P_DEFAULT);
  if (d < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "no /history/epoch dataset");
  int rank;
  hsize_t dims[1];
  rc = jx_h5_shape (d, 1, &rank, dims, NULL, err);
  H5Dclose (d);
  if (rc != 0)
    return rc;
  size_t n = dims[0];
  if ((rc = jx_model_check_history_length (n, err)) != 0)
    return rc;
  meta->history = calloc (n + 1, sizeof *meta->history);
  int *ibuf = malloc ((n + 1) * sizeof *ibuf);
  double *dbuf = malloc ((n + 1) * sizeof *dbuf);
  if (meta->history == NULL || ibuf == NULL || dbuf == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory reading the training history");
  meta->n_history = meta->history != NULL ? n : 0;
#define READ_COL(name, field, buf, mtype)                                                \
  if (rc == 0)                                                                           \
    {                                                                                    \
      hid_t ds = H5Dopen2 (f, "history/" name, H5P_DEFAULT);                             \
      hsize_t dn[1] = { 0 };                                                             \
      if (ds < 0 || jx_h5_shape (ds, 1, &rank, dn, NULL, err) != 0 || dn[0] != n)        \
        rc = jx_error_set (err, JX_ERR_FORMAT, "/history/%s missing or not of length %zu", \
                           name, n);                                                     \
      if (ds >= 0)                                                                       \
        H5Dclose (ds);                                                                   \
      if (rc == 0 && n > 0)                                                              \
        rc = jx_h5_read_array (f, "history/" name, mtype, buf, n, err);                  \
      for (size_t i = 0; rc == 0 && i < n; i++)                                          \
        meta->history[i].field = buf[i];                                                 \
    }
  READ_COL ("epoch", epoch, ibuf, H5T_NATIVE_INT)
  READ_COL ("train_loss", train_loss, dbuf, H5T_NATIVE_DOUBLE)
  READ_COL ("val_loss", val_loss, dbuf, H5T_NATIVE_DOUBLE)
  READ_COL ("learning_rate", learning_rate, dbuf, H5T_NATIVE_DOUBLE)
  READ_COL ("batch_size", batch_size, ibuf, H5T_NATIVE_INT)
  READ_COL ("seconds", seconds, dbuf, H5T_NATIVE_DOUBLE)
#undef READ_COL
  free (ibuf);
  free (dbuf);
  return rc;
}

static int
read_weights (hid_t f, JxModel *model, JxError *err)
{
  float *p = jx_model_params (model);
  for (size_t i = 0; i < jx_model_n_tensors (model); i++)
    {
      const JxTensorInfo *t = jx_model_tensor (model, i);
      char name[96];
      snprintf (name, sizeof name, "weights/%s", t->name);
      int want_rank = tensor_rank (t);
      hsize_t want[2] = { want_rank == 1 ? t->cols : t->rows, t->cols };
      if (!jx_h5_exists (f, name))
        return jx_error_set (err, JX_ERR_FORMAT, "weights '/%s' missing", name);
      hid_t d = H5Dopen2 (f, name, H5P_DEFAULT);
      if (d < 0)
        return jx_error_set (err, JX_ERR_FORMAT, "cannot open weights '/%s'", name);
      int rank;
      hsize_t dims[3];
      H5T_class_t cls;
      int rc = jx_h5_shape (d, 3, &rank, dims, &cls, err);
      H5Dclose (d);
      if (rc != 0)
        return rc;
      if (rank != want_rank || dims[0] != want[0] || (rank == 2 && dims[1] != want[1])
          || cls != H5T_FLOAT)
        return jx_error_set (err, JX_ERR_FORMAT,
                             "weights '/%s' have the wrong shape or type for the model's "
                             "hyper-parameters (expected %zu×%zu floats)", name, t->rows, t->cols);
      rc = jx_h5_read_array (f, name, H5T_NATIVE_FLOAT, p + t->offset, t->rows * t->cols, err);
      if (rc != 0)
        return rc;
    }
  return 0;
}

static int
load_contents (hid_t f, JxModel **model, JxModelMeta *meta, JxError *err)
{
  JxModelConfig cfg;
  int rc = read_config (f, &cfg, err);
  if (rc == 0)
    rc = jx_model_check_weights_stored (f, &cfg, err);
  if (rc == 0)
    rc = jx_model_new (&cfg, 0, model, err);
  if (rc == 0)
    rc = read_weights (f, *model, err);
  if (rc == 0)
    rc = jx_model_check_params_finite (*model, err);
  if (rc == 0 && meta != NULL)
    rc = read_meta (f, meta, err);
  if (rc == 0 && meta != NULL)
    rc = jx_model_check_meta (meta, err);
  if (rc == 0 && meta != NULL)
    rc = read_massless (f, meta, err);
  if (rc == 0 && meta != NULL)
    rc = jx_model_io_ext_read_meta (f, meta, err);
  return rc;
}

int
jx_model_load (const char *path, JxModel **model, JxModelMeta *meta,
               JxModelLoadExtra extra, void *extra_user, JxError *err)
{
  *model = NULL;
  if (meta != NULL)
    jx_model_meta_init (meta);
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t f = jx_h5_open_read (path, err);
  int rc = f < 0 ? (int) f : 0;
  bool prefixed = rc != 0;   /* open and check_kind messages already start with the path */
  if (rc == 0)
    {
      rc = jx_h5_check_kind (f, path, JX_MODEL_FORMAT, JX_MODEL_VERSION, LOAD_HINT, NULL, err);
      prefixed = rc != 0;
      if (rc == 0)
        rc = load_contents (f, model, meta, err);
      if (rc == 0 && extra != NULL)
        rc = extra ((int64_t) f, extra_user, err);
      H5Fclose (f);
    }
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    {
      jx_model_free (*model);
      *model = NULL;
      if (meta != NULL)
        jx_model_meta_free (meta);
      if (!prefixed)
        jx_error_prefix (err, "%s: ", path);
    }
  return rc;
}

/* ---------------------------------------------------------------------------------------
 * a model inside a group (files holding more than one model) */

int
jx_model_write_group (int64_t h5_file, const char *name, const JxModel *model,
                      const JxModelMeta *meta, JxError *err)
{
  JxModelMeta defaults;
  if (meta == NULL)
    {
      jx_model_meta_init (&defaults);
      meta = &defaults;
    }
  hid_t g = H5Gcreate2 ((hid_t) h5_file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_IO, "cannot create group '/%s'", name);
  int rc = write_attrs (g, model, meta, err);
  if (rc == 0)
    rc = jx_model_io_ext_write (g, model, meta, err);
  if (rc == 0)
    rc = write_history (g, meta, err);
  if (rc == 0)
    rc = write_massless (g, meta, err);
  if (rc == 0)
    rc = write_weights (g, model, err);
  H5Gclose (g);
  return rc != 0 ? jx_error_prefix (err, "group '/%s': ", name) : 0;
}

int
jx_model_read_group (int64_t h5_file, const char *name, JxModel **model,
                     JxModelMeta *meta, JxError *err)
{
  *model = NULL;
  if (meta != NULL)
    jx_model_meta_init (meta);
  if (!jx_h5_exists ((hid_t) h5_file, name))
    return jx_error_set (err, JX_ERR_FORMAT, "no model group '/%s'", name);
  hid_t g = H5Gopen2 ((hid_t) h5_file, name, H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "cannot open group '/%s'", name);
  char where[160];
  snprintf (where, sizeof where, "group '/%s'", name);
  int rc = jx_h5_check_kind (g, where, JX_MODEL_FORMAT, JX_MODEL_VERSION, LOAD_HINT, NULL, err);
  bool prefixed = rc != 0;   /* check_kind's messages start with `where` */
  if (rc == 0)
    rc = load_contents (g, model, meta, err);
  H5Gclose (g);
  if (rc != 0)
    {
      jx_model_free (*model);
      *model = NULL;
      if (meta != NULL)
        jx_model_meta_free (meta);
      if (!prefixed)
        jx_error_prefix (err, "group '/%s': ", name);
    }
  return rc;
}
