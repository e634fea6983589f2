/* jx-apps-h5.c — see jx-apps-h5.h. */
#include "jx-apps-h5.h"

#include "jx-atomic.h"
#include "jx-h5.h"

#include <stdio.h>
#include <string.h>

/* base names the temporary in its messages; the user knows the output's name. */
static void
name_output (JxError *err, const JxAtomicFile *out)
{
  size_t len = strlen (out->tmp_path);
  if (err == NULL || strncmp (err->message, out->tmp_path, len) != 0)
    return;
  char rest[JX_ERROR_MESSAGE_MAX];
  snprintf (rest, sizeof rest, "%s", err->message + len);
  jx_error_set (err, err->code, "%s%s", out->path, rest);
}

int
jx_apps_write_extended (const char *path, JxAppsWriteBase base, JxAppsAppend append,
                        void *user, JxError *err)
{
  JxAtomicFile out;
  int rc = jx_atomic_begin (&out, path, err);
  if (rc != 0)
    return rc;
  rc = base (user, out.tmp_path, err);
  if (rc != 0)
    name_output (err, &out);
  else
    {
      /* base wrote tmp_path atomically itself, i.e. renamed a new file over ours. */
      jx_atomic_relock (&out);
      JxH5Quiet quiet;
      jx_h5_quiet_begin (&quiet);
      hid_t file = jx_h5_open_update (out.tmp_path, err);
      if (file < 0)
        rc = (int) file;
      else
        {
          rc = append (user, file, err);
          if (rc == 0)
            rc = jx_h5_close (file, err);
          else
            H5Fclose (file);
        }
      jx_h5_quiet_end (&quiet);
      if (rc != 0)
        jx_error_prefix (err, "%s: ", path);
    }
  if (rc == 0)
    return jx_atomic_commit (&out, err);
  jx_atomic_abort (&out);
  return rc;
}

int
jx_apps_h5_check_rows (hid_t file, const char *name, size_t rows, size_t cols, JxError *err)
{
  if (!jx_h5_exists (file, name))
    return jx_error_set (err, JX_ERR_FORMAT, "missing /%s", name);
  hid_t d = H5Dopen2 (file, name, H5P_DEFAULT);
  if (d < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "cannot open /%s", name);
  int rank = 0;
  hsize_t dims[3] = { 0, 0, 0 };
  int rc = jx_h5_shape (d, 3, &rank, dims, NULL, err);
  H5Dclose (d);
  if (rc != 0)
    return rc;
  if (rank != (cols > 0 ? 2 : 1) || dims[0] != rows || (cols > 0 && dims[1] != cols))
    return jx_error_set (err, JX_ERR_FORMAT,
                         "/%s has rank %d and %llu rows, expected %zu rows of %zu value(s)",
                         name, rank, (unsigned long long) dims[0], rows, cols > 0 ? cols : 1);
  return 0;
}
