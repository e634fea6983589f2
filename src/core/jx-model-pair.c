/* jx-model-pair.c — see jx-model-pair.h. The signal model is written by jx_model_save
 * itself; the background model and the fine-tuning record ride in its save hook, so the
 * pair is one atomic write. */
#include "jx-model-pair.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-h5.h"

#define BKG_GROUP "background"

void
jx_pair_info_init (JxPairInfo *info)
{
  memset (info, 0, sizeof *info);
  info->initial_val_loss = NAN;
  info->initial_val_auc = NAN;
}

void
jx_pair_info_free (JxPairInfo *info)
{
  if (info == NULL)
    return;
  free (info->history);
  info->history = NULL;
  info->n_history = 0;
}

int
jx_pair_info_add_epoch (JxPairInfo *info, const JxBinaryEpoch *e, JxError *err)
{
  JxBinaryEpoch *h = realloc (info->history, (info->n_history + 1) * sizeof *h);
  if (h == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory growing the fine-tuning history");
  h[info->n_history++] = *e;
  info->history = h;
  return 0;
}

int
jx_pair_info_copy (JxPairInfo *dst, const JxPairInfo *src, JxError *err)
{
  *dst = *src;
  dst->history = NULL;
  dst->n_history = 0;
  for (size_t i = 0; i < src->n_history; i++)
    if (jx_pair_info_add_epoch (dst, &src->history[i], err) != 0)
      return err != NULL ? err->code : JX_ERR_NOMEM;
  return 0;
}

/* ---------------------------------------------------------------------------------------
 * save */

typedef struct {
  const JxModel *bkg;
  const JxModelMeta *bkg_meta;
  const JxPairInfo *info;
  JxModelSaveExtra extra;
  void *extra_user;
} SaveCtx;

static int
write_info (hid_t f, const JxPairInfo *info, JxError *err)
{
  hid_t g = H5Gcreate2 (f, "binary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_IO, "cannot create group '/binary'");
  int rc = jx_h5_write_double_attr (g, "initial_val_loss", info->initial_val_loss, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (g, "initial_val_auc", info->initial_val_auc, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "signal_data", info->signal_data, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "background_data", info->background_data, err);
  size_t n = info->n_history;
  hsize_t dims[1] = { n };
  int *ibuf = malloc ((n + 1) * sizeof *ibuf);
  double *dbuf = malloc ((n + 1) * sizeof *dbuf);
  if (rc == 0 && (ibuf == NULL || dbuf == NULL))
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory writing the fine-tuning history");
  for (size_t i = 0; rc == 0 && i < n; i++)
    ibuf[i] = info->history[i].epoch;
  if (rc == 0)
    rc = jx_h5_write_array (g, "history/epoch", H5T_STD_I32LE, H5T_NATIVE_INT, 1, dims, ibuf, err);
#define WRITE_COL(name, field)                                                           \
  for (size_t i = 0; rc == 0 && i < n; i++)                                              \
    dbuf[i] = info->history[i].field;                                                    \
  if (rc == 0)                                                                           \
    rc = jx_h5_write_array (g, "history/" name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims, \
                            dbuf, err);
  WRITE_COL ("train_loss", train_loss)
  WRITE_COL ("val_loss", val_loss)
  WRITE_COL ("val_auc", val_auc)
  WRITE_COL ("seconds", seconds)
#undef WRITE_COL
  free (ibuf);
  free (dbuf);
  /* The close can be where a full disk shows (issue 15): checked like every write. */
  if (rc != 0)
    {
      H5Gclose (g);
      return rc;
    }
  return jx_h5_close_object (g, "/binary", err);
}

static int
save_hook (int64_t h5_file, void *user, JxError *err)
{
  SaveCtx *c = user;
  hid_t f = (hid_t) h5_file;
  int rc = jx_h5_write_string_attr (f, "pair", JX_PAIR_KIND, err);
  if (rc == 0)
    rc = jx_model_write_group (h5_file, BKG_GROUP, c->bkg, c->bkg_meta, err);
  if (rc == 0)
    rc = write_info (f, c->info, err);
  if (rc == 0 && c->extra != NULL)
    rc = c->extra (h5_file, c->extra_user, err);
  return rc;
}

int
jx_model_pair_save (const char *path, const JxModel *sig, const JxModelMeta *sig_meta,
                    const JxModel *bkg, const JxModelMeta *bkg_meta, const JxPairInfo *info,
                    JxModelSaveExtra extra, void *extra_user, JxError *err)
{
  JxPairInfo empty;
  jx_pair_info_init (&empty);
  SaveCtx c = { bkg, bkg_meta, info != NULL ? info : &empty, extra, extra_user };
  return jx_model_save (sig, sig_meta, path, save_hook, &c, err);
}

/* ---------------------------------------------------------------------------------------
 * load */

typedef struct {
  JxModel **bkg;
  JxModelMeta *bkg_meta;
  JxPairInfo *info;
  JxModelLoadExtra extra;
  void *extra_user;
} LoadCtx;

static bool
has_pair_mark (hid_t f)
{
  if (!jx_h5_has_attr (f, "pair"))
    return false;
  char *kind = NULL;
  bool yes = jx_h5_read_string_attr (f, "pair", &kind, NULL) == 0
             && strcmp (kind, JX_PAIR_KIND) == 0;
  free (kind);
  return yes;
}

static int
read_info (hid_t f, JxPairInfo *info, JxError *err)
{
  if (!jx_h5_exists (f, "binary/history/epoch"))
    return jx_error_set (err, JX_ERR_FORMAT, "no /binary/history/epoch");
  hid_t g = H5Gopen2 (f, "binary", H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "cannot open group '/binary'");
  char *s = NULL;
  int rc = jx_h5_read_double_attr (g, "initial_val_loss", &info->initial_val_loss, err);
  if (rc == 0)
    rc = jx_h5_read_double_attr (g, "initial_val_auc", &info->initial_val_auc, err);
  if (rc == 0 && (rc = jx_h5_read_string_attr (g, "signal_data", &s, err)) == 0)
    snprintf (info->signal_data, sizeof info->signal_data, "%s", s);
  free (s);
  s = NULL;
  if (rc == 0 && (rc = jx_h5_read_string_attr (g, "background_data", &s, err)) == 0)
    snprintf (info->background_data, sizeof info->background_data, "%s", s);
  free (s);
  hsize_t n = 0;
  if (rc == 0)
    {
      hid_t d = H5Dopen2 (g, "history/epoch", H5P_DEFAULT);
      int rank = 0;
      rc = d < 0 ? jx_error_set (err, JX_ERR_FORMAT, "cannot open /binary/history/epoch")
                 : jx_h5_shape (d, 1, &rank, &n, NULL, err);
      if (d >= 0)
        H5Dclose (d);
    }
  int *ibuf = rc == 0 ? malloc ((n + 1) * sizeof *ibuf) : NULL;
  double *cols = rc == 0 ? malloc ((4 * n + 1) * sizeof *cols) : NULL;
  if (rc == 0 && (ibuf == NULL || cols == NULL))
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory reading the fine-tuning history");
  static const char *const names[4] = { "history/train_loss", "history/val_loss",
                                        "history/val_auc", "history/seconds" };
  if (rc == 0 && n > 0)
    rc = jx_h5_read_array (g, "history/epoch", H5T_NATIVE_INT, ibuf, n, err);
  for (int k = 0; rc == 0 && k < 4; k++)
    {
      /* Every column must have the epoch column's length: the read below trusts it. */
      hid_t d = H5Dopen2 (g, names[k], H5P_DEFAULT);
      hsize_t nk = 0;
      int rank = 0;
      if (d < 0 || jx_h5_shape (d, 1, &rank, &nk, NULL, err) != 0 || nk != n)
        rc = jx_error_set (err, JX_ERR_FORMAT, "/binary/%s missing or not of length %llu",
                           names[k], (unsigned long long) n);
      if (d >= 0)
        H5Dclose (d);
      if (rc == 0 && n > 0)
        rc = jx_h5_read_array (g, names[k], H5T_NATIVE_DOUBLE, cols + k * n, n, err);
    }
  for (hsize_t i = 0; rc == 0 && i < n; i++)
    {
      JxBinaryEpoch e = { ibuf[i], cols[i], cols[n + i], cols[2 * n + i], cols[3 * n + i] };
      rc = jx_pair_info_add_epoch (info, &e, err);
    }
  free (ibuf);
  free (cols);
  H5Gclose (g);
  return rc;
}

static int
load_hook (int64_t h5_file, void *user, JxError *err)
{
  LoadCtx *c = user;
  hid_t f = (hid_t) h5_file;
  if (!has_pair_mark (f))
    return jx_error_set (err, JX_ERR_FORMAT, "a single model, not a JUNIPR-binary pair "
                         "(pairs are written by 'junipr train-binary')");
  int rc = jx_model_read_group (h5_file, BKG_GROUP, c->bkg, c->bkg_meta, err);
  if (rc == 0 && c->info != NULL)
    rc = read_info (f, c->info, err);
  if (rc == 0 && c->extra != NULL)
    rc = c->extra (h5_file, c->extra_user, err);
  return rc;
}

int
jx_model_pair_load (const char *path, JxModel **sig, JxModelMeta *sig_meta, JxModel **bkg,
                    JxModelMeta *bkg_meta, JxPairInfo *info, JxModelLoadExtra extra,
                    void *extra_user, JxError *err)
{
  *bkg = NULL;
  if (bkg_meta != NULL)
    jx_model_meta_init (bkg_meta);
  if (info != NULL)
    jx_pair_info_init (info);
  LoadCtx c = { bkg, bkg_meta, info, extra, extra_user };
  int rc = jx_model_load (path, sig, sig_meta, load_hook, &c, err);
  if (rc != 0)
    {
      jx_model_free (*bkg);
      *bkg = NULL;
    }
  return rc;
}

bool
jx_model_pair_is (const char *path)
{
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t f = jx_h5_open_read (path, NULL);
  bool yes = f >= 0 && has_pair_mark (f);
  if (f >= 0)
    H5Fclose (f);
  jx_h5_quiet_end (&quiet);
  return yes;
}
