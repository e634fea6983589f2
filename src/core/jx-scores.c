/* jx-scores.c — see jx-scores.h. */
#include "jx-scores.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-h5.h"

void
jx_scores_init (JxScores *s)
{
  memset (s, 0, sizeof *s);
}

void
jx_scores_free (JxScores *s)
{
  free (s->log_p);
  free (s->status);
  free (s->n);
  free (s->step_offsets);
  free (s->log_end);
  free (s->log_mother);
  free (s->log_branch);
  free (s->log_branch_parts);
  jx_attrs_free (s->attrs, s->n_attrs);
  jx_scores_init (s);
}

int
jx_scores_alloc (JxScores *s, size_t n_jets, JxError *err)
{
  size_t k = n_jets > 0 ? n_jets : 1;
  s->log_p = malloc (k * sizeof *s->log_p);
  s->status = calloc (k, sizeof *s->status);
  s->n = calloc (k, sizeof *s->n);
  if (s->log_p == NULL || s->status == NULL || s->n == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the scores of %zu jets", n_jets);
  for (size_t i = 0; i < n_jets; i++)
    s->log_p[i] = NAN;
  s->n_jets = n_jets;
  return 0;
}

int
jx_scores_alloc_steps (JxScores *s, JxError *err)
{
  if (s->step_offsets == NULL)
    return jx_error_set (err, JX_ERR_INTERNAL, "per-step scores without offsets");
  size_t k = (size_t) s->step_offsets[s->n_jets];
  size_t a = k > 0 ? k : 1;
  s->log_end = calloc (a, sizeof (double));
  s->log_mother = calloc (a, sizeof (double));
  s->log_branch = calloc (a, sizeof (double));
  s->log_branch_parts = calloc (a * 4, sizeof (double));
  if (s->log_end == NULL || s->log_mother == NULL || s->log_branch == NULL
      || s->log_branch_parts == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for %zu per-step scores", k);
  return 0;
}

int
jx_scores_set_attr (JxScores *s, const char *key, const char *value, JxError *err)
{
  if (jx_attrs_set (&s->attrs, &s->n_attrs, key, value) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for attribute %s", key);
  return 0;
}

const char *
jx_scores_get_attr (const JxScores *s, const char *key)
{
  return jx_attrs_get (s->attrs, s->n_attrs, key);
}

size_t
jx_scores_n_scored (const JxScores *s)
{
  size_t k = 0;
  for (size_t i = 0; i < s->n_jets; i++)
    k += s->status[i] == JX_JET_SCORED;
  return k;
}

static int
reserved_attr (const char *key)
{
  return strcmp (key, "format") == 0 || strcmp (key, "version") == 0
         || strcmp (key, "log_base") == 0;
}

static int
write_contents (const JxScores *s, hid_t file, JxError *err)
{
  int rc = jx_h5_write_string_attr (file, "format", JX_SCORES_FORMAT, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (file, "version", JX_SCORES_VERSION, err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (file, "log_base", "e", err);
  for (size_t i = 0; rc == 0 && i < s->n_attrs; i++)
    if (!reserved_attr (s->attrs[i].key))
      rc = jx_h5_write_string_attr (file, s->attrs[i].key, s->attrs[i].value, err);
  if (rc != 0)
    return rc;

  hsize_t n = s->n_jets;
  double *log10_p = malloc ((n > 0 ? n : 1) * sizeof *log10_p);
  if (log10_p == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory writing scores");
  for (size_t i = 0; i < s->n_jets; i++)
    log10_p[i] = s->log_p[i] / M_LN10;
  rc = jx_h5_write_array (file, "jets/log_p", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, s->log_p, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "jets/log10_p", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n,
                            log10_p, err);
  free (log10_p);
  if (rc == 0)
    rc = jx_h5_write_array (file, "jets/status", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, s->status, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "jets/n", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, s->n, err);
  if (rc != 0 || s->step_offsets == NULL)
    return rc;

  hsize_t n1 = n + 1, k[2] = { s->step_offsets[s->n_jets], 4 };
  rc = jx_h5_write_array (file, "steps/offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &n1,
                          s->step_offsets, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "steps/log_end", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, k,
                            s->log_end, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "steps/log_mother", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, k,
                            s->log_mother, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "steps/log_branch", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, k,
                            s->log_branch, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "steps/log_branch_parts", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2,
                            k, s->log_branch_parts, err);
  return rc;
}

int
jx_scores_write (const JxScores *s, const char *path, JxError *err)
{
  JxH5Quiet quiet;
  JxAtomicFile out;
  int rc = jx_atomic_begin (&out, path, err);
  if (rc != 0)
    return rc;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_create (out.tmp_path, err);
  if (file < 0)
    rc = (int) file;
  else
    {
      rc = write_contents (s, file, err);
      int rc2 = jx_h5_close (file, rc == 0 ? err : NULL);
      if (rc == 0)
        rc = rc2;
    }
  jx_h5_quiet_end (&quiet);
  if (rc == 0)
    return jx_atomic_commit (&out, err);
  jx_atomic_abort (&out);
  return jx_error_prefix (err, "%s: ", path);
}

static int
copy_attr (void *user, const char *name, const char *value)
{
  JxScores *s = user;
  if (reserved_attr (name))
    return 0;
  return jx_scores_set_attr (s, name, value, NULL) != 0 ? JX_ERR_NOMEM : 0;
}

/* The rows of a 1-D dataset. */
static int
count_rows (hid_t file, const char *name, size_t *rows, JxError *err)
{
  hid_t d = H5Dopen2 (file, name, H5P_DEFAULT);
  if (d < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "missing dataset /%s", name);
  int rank;
  hsize_t dims[2];
  int rc = jx_h5_shape (d, 2, &rank, dims, NULL, err);
  H5Dclose (d);
  if (rc == 0)
    *rows = (size_t) dims[0];
  return rc;
}

/* A 1-D dataset of exactly `want` rows. (No wildcard value: `want` often comes from the file
 * itself, and an offset of 2^64 - 1 once passed as "any length", fuzz-h5-scores.) */
static int
check_rows (hid_t file, const char *name, size_t want, JxError *err)
{
  size_t rows = 0;
  int rc = count_rows (file, name, &rows, err);
  if (rc == 0 && rows != want)
    rc = jx_error_set (err, JX_ERR_FORMAT, "/%s has %zu rows, expected %zu", name, rows, want);
  return rc;
}

int
jx_scores_check_weights (const double *w, size_t n, JxError *err)
{
  for (size_t i = 0; i < n; i++)
    if (!(w[i] >= 0 && isfinite (w[i])))
      return jx_error_set (err, JX_ERR_FORMAT, "/jets/weight of jet %zu is %g: weights are finite "
                           "and >= 0 (the file is damaged)", i, w[i]);
  return 0;
}

/* What the values must be: a status the program knows, a particle count, a finite ln P for a
 * scored jet, finite weights when the file holds them (written by reweight). */
static int
check_contents (const JxScores *s, hid_t file, JxError *err)
{
  for (size_t i = 0; i < s->n_jets; i++)
    {
      if (s->status[i] != JX_JET_SCORED && s->status[i] != JX_JET_BAD
          && s->status[i] != JX_JET_LONG)
        return jx_error_set (err, JX_ERR_FORMAT, "/jets/status of jet %zu is %d, not 0, 1 or 2",
                             i, (int) s->status[i]);
      if (s->n[i] < 0)
        return jx_error_set (err, JX_ERR_FORMAT, "/jets/n of jet %zu is %d", i, (int) s->n[i]);
      if (s->status[i] == JX_JET_SCORED && !isfinite (s->log_p[i]))
        return jx_error_set (err, JX_ERR_FORMAT, "/jets/log_p of jet %zu is %g although the jet "
                             "was scored (status 0)", i, s->log_p[i]);
    }
  if (!jx_h5_exists (file, "jets/weight"))
    return 0;
  int rc = check_rows (file, "jets/weight", s->n_jets, err);
  double *w = malloc ((s->n_jets + 1) * sizeof *w);
  if (rc == 0 && w == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory reading %zu weights", s->n_jets);
  if (rc == 0)
    rc = jx_h5_read_array (file, "jets/weight", H5T_NATIVE_DOUBLE, w, s->n_jets, err);
  if (rc == 0)
    rc = jx_scores_check_weights (w, s->n_jets, err);
  free (w);
  return rc;
}

static int
read_contents (JxScores *s, hid_t file, JxError *err)
{
  char *format = NULL;
  long long version = 0;
  int rc = jx_h5_read_string_attr (file, "format", &format, err);
  if (rc == 0 && strcmp (format, JX_SCORES_FORMAT) != 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "this is a '%s' file, not a scores file "
                       "(make one with 'junipr eval')", format);
  free (format);
  if (rc == 0)
    rc = jx_h5_read_int_attr (file, "version", &version, err);
  if (rc == 0 && version != JX_SCORES_VERSION)
    rc = jx_error_set (err, JX_ERR_FORMAT, "scores file version %lld, this program reads %d",
                       version, JX_SCORES_VERSION);
  size_t n = 0;
  if (rc == 0)
    rc = count_rows (file, "jets/log_p", &n, err);
  if (rc == 0)
    rc = check_rows (file, "jets/status", n, err);
  if (rc == 0)
    rc = check_rows (file, "jets/n", n, err);
  if (rc == 0)
    rc = jx_scores_alloc (s, n, err);
  if (rc == 0)
    rc = jx_h5_read_array (file, "jets/log_p", H5T_NATIVE_DOUBLE, s->log_p, n, err);
  if (rc == 0)
    rc = jx_h5_read_array (file, "jets/status", H5T_NATIVE_INT32, s->status, n, err);
  if (rc == 0)
    rc = jx_h5_read_array (file, "jets/n", H5T_NATIVE_INT32, s->n, n, err);
  if (rc == 0)
    rc = check_contents (s, file, err);
  if (rc == 0)
    rc = jx_h5_foreach_attr (file, copy_attr, s, err);
  if (rc != 0 || !jx_h5_exists (file, "steps/offsets"))
    return rc;

  rc = check_rows (file, "steps/offsets", n + 1, err);
  if (rc == 0)
    {
      s->step_offsets = malloc ((n + 1) * sizeof *s->step_offsets);
      if (s->step_offsets == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory reading step offsets");
      rc = jx_h5_read_array (file, "steps/offsets", H5T_NATIVE_UINT64, s->step_offsets, n + 1,
                             err);
    }
  if (rc != 0)
    return rc;
  if (s->step_offsets[0] != 0)
    return jx_error_set (err, JX_ERR_FORMAT, "/steps/offsets does not start at 0");
  for (size_t i = 0; i < n; i++)
    if (s->step_offsets[i + 1] < s->step_offsets[i])
      return jx_error_set (err, JX_ERR_FORMAT, "/steps/offsets decreases at jet %zu", i);
  size_t k = (size_t) s->step_offsets[n];
  static const char *names[] = { "steps/log_end", "steps/log_mother", "steps/log_branch",
                                 "steps/log_branch_parts" };
  for (int i = 0; rc == 0 && i < 4; i++)
    rc = check_rows (file, names[i], k, err);
  if (rc == 0)
    rc = jx_scores_alloc_steps (s, err);
  if (rc == 0)
    rc = jx_h5_read_array (file, names[0], H5T_NATIVE_DOUBLE, s->log_end, k, err);
  if (rc == 0)
    rc = jx_h5_read_array (file, names[1], H5T_NATIVE_DOUBLE, s->log_mother, k, err);
  if (rc == 0)
    rc = jx_h5_read_array (file, names[2], H5T_NATIVE_DOUBLE, s->log_branch, k, err);
  if (rc == 0)
    rc = jx_h5_read_array (file, names[3], H5T_NATIVE_DOUBLE, s->log_branch_parts, 4 * k, err);
  return rc;
}

int
jx_scores_read (JxScores *s, const char *path, JxError *err)
{
  jx_scores_init (s);
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (path, err);
  int rc;
  if (file < 0)
    rc = (int) file;
  else
    {
      rc = read_contents (s, file, err);
      H5Fclose (file);
      if (rc != 0)
        jx_error_prefix (err, "%s: ", path);
    }
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    jx_scores_free (s);
  return rc;
}
