/* jx-apps-h5.c — see jx-apps-h5.h. */
#include "jx-apps-h5.h"

#include "jx-atomic.h"
#include "jx-h5.h"

int
jx_apps_write_extended (const char *path, JxAppsWriteBase base, JxAppsAppend append,
                        void *user, JxError *err)
{
  JxAtomicFile out;
  int rc = jx_atomic_begin (&out, path, err);
  if (rc != 0)
    return rc;
  rc = base (user, out.tmp_path, err);
  if (rc == 0)
    {
      JxH5Quiet quiet;
      jx_h5_quiet_begin (&quiet);
      hid_t file = H5Fopen (out.tmp_path, H5F_ACC_RDWR, H5P_DEFAULT);
      if (file < 0)
        {
          char msg[256];
          jx_h5_last_error (msg, sizeof msg);
          rc = jx_error_set (err, JX_ERR_IO, "cannot reopen the temporary file to add groups (%s)",
                             msg);
        }
      else
        {
          rc = append (user, file, err);
          if (H5Fclose (file) < 0 && rc == 0)
            rc = jx_error_set (err, JX_ERR_IO, "closing the file failed (disk full?)");
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
