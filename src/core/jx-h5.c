/* jx-h5.c — see jx-h5.h. */
#include "jx-h5.h"
#include "jx-h5-driver.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
skip_atexit (void)
{
  H5dont_atexit ();
}

void
jx_h5_quiet_begin (JxH5Quiet *quiet)
{
  /* HDF5 1.10 leaks an internal reference when opening a file whose root object header fails
   * its checksum, and its atexit handler then prints "infinite loop closing library" to
   * stderr. Every file is closed explicitly here, so the handler is not needed. (Only
   * effective before HDF5's first use in the process; harmless otherwise.) */
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once (&once, skip_atexit);
  quiet->func = NULL;
  quiet->data = NULL;
  H5Eget_auto2 (H5E_DEFAULT, &quiet->func, &quiet->data);
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
}

void
jx_h5_quiet_end (const JxH5Quiet *quiet)
{
  H5Eset_auto2 (H5E_DEFAULT, quiet->func, quiet->data);
}

typedef struct {
  char *buf;
  size_t cap;
} LastError;

static herr_t
last_error_walk (unsigned n, const H5E_error2_t *e, void *data)
{
  LastError *le = data;
  if (n == 0 && e->desc != NULL)
    snprintf (le->buf, le->cap, "%s", e->desc);
  return 0;
}

void
jx_h5_last_error (char *buf, size_t cap)
{
  if (cap == 0)
    return;
  buf[0] = '\0';
  LastError le = { buf, cap };
  /* Upward starts at the innermost (most specific) entry. */
  H5Ewalk2 (H5E_DEFAULT, H5E_WALK_UPWARD, last_error_walk, &le);
  /* System-call failures come as a multi-line dump (time, fd, buffer address, ...); keep the
   * head and the system's reason: "file write failed: File too large". */
  const char *reason = strstr (buf, "error message = '");
  char *colon = strchr (buf, ':');
  if (reason != NULL && colon != NULL && colon < reason)
    {
      char tidy[256];
      reason += strlen ("error message = '");
      size_t rlen = strcspn (reason, "'");
      snprintf (tidy, sizeof tidy, "%.*s: %.*s", (int) (colon - buf), buf, (int) rlen, reason);
      snprintf (buf, cap, "%s", tidy);
    }
  for (char *c = buf; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r' || *c == '\t')
      *c = ' ';
}

static int
h5_fail_detail (JxError *err, int code, const char *detail, const char *what, const char *name)
{
  if (detail[0] != '\0')
    return jx_error_set (err, code, "%s '%s' (HDF5: %s)", what, name, detail);
  return jx_error_set (err, code, "%s '%s'", what, name);
}

/* err with the innermost HDF5 message appended in parentheses. Any HDF5 call (even a
 * close) clears the error stack, so this must come right after the failing call. */
static int
h5_fail (JxError *err, int code, const char *what, const char *name)
{
  char detail[256];
  jx_h5_last_error (detail, sizeof detail);
  return h5_fail_detail (err, code, detail, what, name);
}

hid_t
jx_h5_open_read (const char *path, JxError *err)
{
  struct stat st;
  if (stat (path, &st) != 0 || access (path, R_OK) != 0)
    return jx_error_set (err, JX_ERR_IO, "%s: cannot open: %s", path, strerror (errno));
  if (S_ISDIR (st.st_mode))
    return jx_error_set (err, JX_ERR_IO, "%s: is a directory, expected a file", path);
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    return jx_error_set (err, JX_ERR_IO, "%s: cannot open: %s", path, strerror (errno));
  fclose (f);
  hid_t file = jx_h5_open_untrusted (path);
  char detail[256];
  jx_h5_last_error (detail, sizeof detail);
  if (file >= 0)
    return file;
  /* H5Fis_hdf5 only looks for the signature, so it tells "never HDF5" from "damaged HDF5". */
  htri_t is_h5 = H5Fis_hdf5 (path);
  if (is_h5 == 0)
    return jx_error_set (err, JX_ERR_FORMAT,
                         "%s: not an HDF5 file (expected a junipr .h5 file; text event files "
                         "are imported with `junipr import`)", path);
  return jx_error_set (err, JX_ERR_FORMAT,
                       "%s: HDF5 file is damaged or truncated%s%s%s (copy or write it again)",
                       path, detail[0] ? " (HDF5: " : "", detail, detail[0] ? ")" : "");
}

/* Access to a file we are writing: strong close, and no HDF5 file lock. The file is a
 * temporary of jx-atomic, whose writer already holds its own lock on it; HDF5's flock()
 * would collide with that on NFS, where both become the same kind of lock. */
static hid_t
writer_fapl (void)
{
  hid_t fapl = H5Pcreate (H5P_FILE_ACCESS);
  if (fapl < 0)
    return fapl;
  H5Pset_fclose_degree (fapl, H5F_CLOSE_STRONG);
  H5Pset_file_locking (fapl, 0, 1);
  return fapl;
}

hid_t
jx_h5_open_update (const char *path, JxError *err)
{
  hid_t fapl = writer_fapl ();
  if (fapl < 0)
    return h5_fail (err, JX_ERR_IO, "cannot open file", path);
  hid_t file = H5Fopen (path, H5F_ACC_RDWR, fapl);
  if (file < 0)
    h5_fail (err, JX_ERR_IO, "cannot open for writing", path);
  H5Pclose (fapl);
  return file < 0 ? JX_ERR_IO : file;
}

hid_t
jx_h5_create (const char *path, JxError *err)
{
  hid_t fapl = writer_fapl ();
  if (fapl < 0)
    return h5_fail (err, JX_ERR_IO, "cannot create file", path);
  H5Pset_libver_bounds (fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
  /* No object timestamps: the same content (same seed) must give the same bytes. */
  hid_t fcpl = H5Pcreate (H5P_FILE_CREATE);
  if (fcpl >= 0)
    H5Pset_obj_track_times (fcpl, 0);
  hid_t file = H5Fcreate (path, H5F_ACC_TRUNC, fcpl >= 0 ? fcpl : H5P_DEFAULT, fapl);
  if (file < 0)
    h5_fail (err, JX_ERR_IO, "cannot create HDF5 file", path);
  if (fcpl >= 0)
    H5Pclose (fcpl);
  H5Pclose (fapl);
  return file < 0 ? JX_ERR_IO : file;
}

/* HDF5 keeps chunks and metadata in caches and writes them when an object or the file is
 * closed: a full disk shows up there (or only as a short file), not in H5Dwrite. Hence the
 * checked flush and close, then a fresh read-only open of the file, which compares the end of
 * file recorded in the superblock with the real size ("truncated file"). */
int
jx_h5_close (hid_t file, JxError *err)
{
  char path[JX_H5_PATH_MAX] = "";
  ssize_t len = H5Fget_name (file, path, sizeof path);
  if (H5Fflush (file, H5F_SCOPE_GLOBAL) < 0)
    {
      h5_fail (err, JX_ERR_IO, "cannot write the end of", "file");
      H5Fclose (file);
      return JX_ERR_IO;
    }
  if (H5Fclose (file) < 0)
    return h5_fail (err, JX_ERR_IO, "cannot finish writing", "file");
  if (len <= 0 || (size_t) len >= sizeof path)
    return 0;  /* no name to check (an in-memory file) */
  hid_t fapl = writer_fapl ();
  hid_t again = fapl >= 0 ? H5Fopen (path, H5F_ACC_RDONLY, fapl) : H5I_INVALID_HID;
  int rc = 0;
  if (again < 0 || H5Fclose (again) < 0)
    rc = h5_fail (err, JX_ERR_IO, "the written file does not read back (disk full?):", "file");
  if (fapl >= 0)
    H5Pclose (fapl);
  return rc;
}

int
jx_h5_close_object (hid_t obj, const char *name, JxError *err)
{
  if (H5Oclose (obj) < 0)
    return h5_fail (err, JX_ERR_IO, "cannot finish writing", name);
  return 0;
}

int
jx_h5_lookup (hid_t loc, const char *path)
{
  /* H5Lexists fails (rather than saying no) when an intermediate group is missing, so each
   * prefix is checked in turn; a failure on an existing prefix means damaged metadata. */
  char buf[1024];
  size_t len = strlen (path);
  if (len == 0 || len >= sizeof buf)
    return 0;
  memcpy (buf, path, len + 1);
  for (size_t i = 1; i <= len; i++)
    if (buf[i] == '/' || buf[i] == '\0')
      {
        char c = buf[i];
        buf[i] = '\0';
        htri_t e = H5Lexists (loc, buf, H5P_DEFAULT);
        if (e <= 0)
          return e < 0 ? -1 : 0;
        buf[i] = c;
      }
  return 1;
}

bool
jx_h5_exists (hid_t loc, const char *path)
{
  return jx_h5_lookup (loc, path) > 0;
}

bool
jx_h5_has_attr (hid_t obj, const char *name)
{
  return H5Aexists (obj, name) > 0;
}

static int
write_attr (hid_t obj, const char *name, hid_t file_type, hid_t mem_type, const void *value,
            JxError *err)
{
  if (H5Aexists (obj, name) > 0 && H5Adelete (obj, name) < 0)
    return h5_fail (err, JX_ERR_IO, "cannot replace attribute", name);
  hid_t space = H5Screate (H5S_SCALAR);
  hid_t attr = space >= 0 ? H5Acreate2 (obj, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT)
                          : H5I_INVALID_HID;
  int rc = 0;
  if (attr < 0 || H5Awrite (attr, mem_type, value) < 0)
    rc = h5_fail (err, JX_ERR_IO, "cannot write attribute", name);
  /* Closing writes the object header that holds the attribute. */
  if (attr >= 0 && H5Aclose (attr) < 0 && rc == 0)
    rc = h5_fail (err, JX_ERR_IO, "cannot write attribute", name);
  if (space >= 0)
    H5Sclose (space);
  return rc;
}

int
jx_h5_write_string_attr (hid_t obj, const char *name, const char *value, JxError *err)
{
  /* Fixed length, stored in the (checksummed) object header. Variable-length strings live in
   * the global heap, which has no checksum: a damaged heap made HDF5 1.10 loop forever in
   * H5Aread (found by flipping bytes of a dataset file), so they are avoided. */
  hid_t t = H5Tcopy (H5T_C_S1);
  if (t < 0 || H5Tset_size (t, strlen (value) + 1) < 0 || H5Tset_cset (t, H5T_CSET_UTF8) < 0
      || H5Tset_strpad (t, H5T_STR_NULLTERM) < 0)
    {
      if (t >= 0)
        H5Tclose (t);
      return h5_fail (err, JX_ERR_INTERNAL, "cannot make a string type for", name);
    }
  int rc = write_attr (obj, name, t, t, value, err);
  H5Tclose (t);
  return rc;
}

int
jx_h5_write_int_attr (hid_t obj, const char *name, long long value, JxError *err)
{
  return write_attr (obj, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, &value, err);
}

int
jx_h5_write_double_attr (hid_t obj, const char *name, double value, JxError *err)
{
  return write_attr (obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, err);
}

/* Opens attribute name and checks it holds one element; fills class. */
static hid_t
open_scalar_attr (hid_t obj, const char *name, H5T_class_t *cls, hid_t *type, JxError *err)
{
  if (H5Aexists (obj, name) <= 0)
    return jx_error_set (err, JX_ERR_FORMAT, "missing attribute '%s'", name);
  hid_t attr = H5Aopen (obj, name, H5P_DEFAULT);
  if (attr < 0)
    return h5_fail (err, JX_ERR_FORMAT, "cannot open attribute", name);
  hid_t space = H5Aget_space (attr);
  hssize_t npoints = space >= 0 ? H5Sget_simple_extent_npoints (space) : -1;
  if (space >= 0)
    H5Sclose (space);
  if (npoints != 1)
    {
      H5Aclose (attr);
      return jx_error_set (err, JX_ERR_FORMAT, "attribute '%s' is not a single value", name);
    }
  *type = H5Aget_type (attr);
  *cls = *type >= 0 ? H5Tget_class (*type) : H5T_NO_CLASS;
  return attr;
}

int
jx_h5_read_string_attr (hid_t obj, const char *name, char **value, JxError *err)
{
  *value = NULL;
  H5T_class_t cls;
  hid_t type;
  hid_t attr = open_scalar_attr (obj, name, &cls, &type, err);
  if (attr < 0)
    return (int) attr;
  int rc = 0;
  if (cls != H5T_STRING)
    rc = jx_error_set (err, JX_ERR_FORMAT, "attribute '%s' is not a string", name);
  else if (H5Tis_variable_str (type) > 0)
    {
      hid_t mem = H5Tcopy (H5T_C_S1);
      H5Tset_size (mem, H5T_VARIABLE);
      H5Tset_cset (mem, H5Tget_cset (type));
      char *s = NULL;
      if (H5Aread (attr, mem, &s) < 0)
        rc = h5_fail (err, JX_ERR_FORMAT, "cannot read attribute", name);
      else
        {
          size_t n = s != NULL ? strlen (s) : 0;
          *value = malloc (n + 1);
          if (*value == NULL)
            rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory reading attribute '%s'", name);
          else
            {
              if (n > 0)
                memcpy (*value, s, n);
              (*value)[n] = '\0';
            }
          if (s != NULL)
            H5free_memory (s);
        }
      H5Tclose (mem);
    }
  else
    {
      size_t n = H5Tget_size (type);
      hid_t mem = H5Tcopy (type);
      char *s = calloc (n + 1, 1);
      if (s == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory reading attribute '%s'", name);
      else if (H5Aread (attr, mem, s) < 0)
        {
          rc = h5_fail (err, JX_ERR_FORMAT, "cannot read attribute", name);
          free (s);
        }
      else
        *value = s;  /* NUL-padded, or space-padded by Fortran writers */
      if (*value != NULL && H5Tget_strpad (type) == H5T_STR_SPACEPAD)
        for (size_t i = n; i > 0 && s[i - 1] == ' '; i--)
          s[i - 1] = '\0';
      H5Tclose (mem);
    }
  H5Tclose (type);
  H5Aclose (attr);
  return rc;
}

int
jx_h5_read_double_attr (hid_t obj, const char *name, double *value, JxError *err)
{
  H5T_class_t cls;
  hid_t type;
  hid_t attr = open_scalar_attr (obj, name, &cls, &type, err);
  if (attr < 0)
    return (int) attr;
  int rc = 0;
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    rc = jx_error_set (err, JX_ERR_FORMAT, "attribute '%s' is not a number", name);
  else if (H5Aread (attr, H5T_NATIVE_DOUBLE, value) < 0)
    rc = h5_fail (err, JX_ERR_FORMAT, "cannot read attribute", name);
  H5Tclose (type);
  H5Aclose (attr);
  return rc;
}

int
jx_h5_read_int_attr (hid_t obj, const char *name, long long *value, JxError *err)
{
  H5T_class_t cls;
  hid_t type;
  hid_t attr = open_scalar_attr (obj, name, &cls, &type, err);
  if (attr < 0)
    return (int) attr;
  int rc = 0;
  if (cls == H5T_INTEGER)
    {
      if (H5Aread (attr, H5T_NATIVE_LLONG, value) < 0)
        rc = h5_fail (err, JX_ERR_FORMAT, "cannot read attribute", name);
    }
  else if (cls == H5T_FLOAT)
    {
      double d;
      if (H5Aread (attr, H5T_NATIVE_DOUBLE, &d) < 0)
        rc = h5_fail (err, JX_ERR_FORMAT, "cannot read attribute", name);
      else if (!(d >= -9e18 && d <= 9e18) || d != (double) (long long) d)
        rc = jx_error_set (err, JX_ERR_FORMAT, "attribute '%s' = %g is not an integer", name, d);
      else
        *value = (long long) d;
    }
  else
    rc = jx_error_set (err, JX_ERR_FORMAT, "attribute '%s' is not an integer", name);
  H5Tclose (type);
  H5Aclose (attr);
  return rc;
}

int
jx_h5_read_int_attr_in (hid_t obj, const char *name, int lo, int hi, int *value, JxError *err)
{
  long long v;
  int rc = jx_h5_read_int_attr (obj, name, &v, err);
  if (rc != 0)
    return rc;
  if (v < lo || v > hi)
    return jx_error_set (err, JX_ERR_FORMAT, "attribute '%s' = %lld outside [%d, %d]", name, v,
                         lo, hi);
  *value = (int) v;
  return 0;
}

typedef struct {
  JxH5AttrFunc func;
  void *user;
  int stop;
  JxError *err;
} AttrWalk;

static herr_t
attr_walk (hid_t obj, const char *name, const H5A_info_t *info, void *data)
{
  AttrWalk *w = data;
  H5T_class_t cls;
  hid_t type;
  JxError ignored;
  hid_t attr = open_scalar_attr (obj, name, &cls, &type, &ignored);
  if (attr < 0)
    return 0;  /* arrays and other shapes are not part of the text view */
  H5Tclose (type);
  H5Aclose (attr);
  char text[64];
  char *str = NULL;
  const char *value = NULL;
  if (cls == H5T_STRING)
    {
      if (jx_h5_read_string_attr (obj, name, &str, &ignored) == 0)
        value = str;
    }
  else if (cls == H5T_INTEGER)
    {
      long long v;
      if (jx_h5_read_int_attr (obj, name, &v, &ignored) == 0)
        {
          snprintf (text, sizeof text, "%lld", v);
          value = text;
        }
    }
  else if (cls == H5T_FLOAT)
    {
      double v;
      if (jx_h5_read_double_attr (obj, name, &v, &ignored) == 0)
        {
          snprintf (text, sizeof text, "%.17g", v);
          value = text;
        }
    }
  if (value != NULL)
    w->stop = w->func (w->user, name, value);
  free (str);
  return w->stop != 0 ? 1 : 0;
}

int
jx_h5_foreach_attr (hid_t obj, JxH5AttrFunc func, void *user, JxError *err)
{
  AttrWalk w = { func, user, 0, err };
  hsize_t idx = 0;
  if (H5Aiterate2 (obj, H5_INDEX_NAME, H5_ITER_INC, &idx, attr_walk, &w) < 0 && w.stop == 0)
    return h5_fail (err, JX_ERR_FORMAT, "cannot list attributes of", "object");
  return w.stop;
}

hsize_t
jx_h5_chunk_rows (size_t row_bytes)
{
  size_t rows = (512u << 10) / (row_bytes > 0 ? row_bytes : 1);
  return rows > 0 ? (hsize_t) rows : 1;
}

/* Create the missing groups on the way to name ("a/b/c" → a, a/b) without timestamps;
 * HDF5's own intermediate-group creation would stamp them with the current time. A failure
 * is only reported by the dataset creation that follows, which then finds no parent. */
static void
create_parent_groups (hid_t loc, const char *name)
{
  char prefix[1024];
  hid_t gcpl = H5Pcreate (H5P_GROUP_CREATE);
  if (gcpl < 0)
    return;
  H5Pset_obj_track_times (gcpl, 0);
  for (const char *slash = strchr (name, '/'); slash != NULL; slash = strchr (slash + 1, '/'))
    {
      size_t len = (size_t) (slash - name);
      if (len == 0 || len >= sizeof prefix)
        continue;
      memcpy (prefix, name, len);
      prefix[len] = '\0';
      if (H5Lexists (loc, prefix, H5P_DEFAULT) > 0)
        continue;
      hid_t g = H5Gcreate2 (loc, prefix, H5P_DEFAULT, gcpl, H5P_DEFAULT);
      if (g < 0 || H5Gclose (g) < 0)
        break;
    }
  H5Pclose (gcpl);
}

/* grow: the first dimension may grow (jx_h5_append_rows), so the dataset is chunked even when
 * empty and its chunks do not shrink to a small first extent. */
static hid_t
create_dataset (hid_t loc, const char *name, hid_t file_type, int rank, const hsize_t *dims,
                bool compress, bool grow, JxError *err)
{
  if (rank < 1 || rank > 3)
    return jx_error_set (err, JX_ERR_INTERNAL, "dataset '%s': unsupported rank %d", name, rank);
  hsize_t max[3];
  for (int d = 0; d < rank; d++)
    max[d] = d == 0 && grow ? H5S_UNLIMITED : dims[d];
  hid_t space = H5Screate_simple (rank, dims, max);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
  hid_t dset = H5I_INVALID_HID;
  if (space < 0 || lcpl < 0 || dcpl < 0)
    goto out;
  H5Pset_create_intermediate_group (lcpl, 1);
  H5Pset_obj_track_times (dcpl, 0);
  create_parent_groups (loc, name);
  bool empty = false;
  size_t row_bytes = H5Tget_size (file_type);
  for (int d = 0; d < rank; d++)
    {
      empty = empty || dims[d] == 0;
      if (d > 0)
        row_bytes *= (size_t) dims[d];
    }
  /* A chunk may not exceed fixed dims, so an empty array stays contiguous (no data anyway). */
  if (!empty || grow)
    {
      hsize_t chunk[3];
      hsize_t rows = jx_h5_chunk_rows (row_bytes);
      chunk[0] = dims[0] < rows && !grow ? dims[0] : rows;
      for (int d = 1; d < rank; d++)
        chunk[d] = dims[d];
      if (H5Pset_chunk (dcpl, rank, chunk) < 0)
        goto out;
      if (compress)
        {
          H5Pset_shuffle (dcpl);
          if (H5Zfilter_avail (H5Z_FILTER_DEFLATE) > 0)
            H5Pset_deflate (dcpl, 1);
        }
      H5Pset_fletcher32 (dcpl);
    }
  dset = H5Dcreate2 (loc, name, file_type, space, lcpl, dcpl, H5P_DEFAULT);
out:
  if (dset < 0)
    h5_fail (err, JX_ERR_IO, "cannot create dataset", name);
  if (space >= 0)
    H5Sclose (space);
  if (lcpl >= 0)
    H5Pclose (lcpl);
  if (dcpl >= 0)
    H5Pclose (dcpl);
  return dset < 0 ? JX_ERR_IO : dset;
}

hid_t
jx_h5_create_dataset (hid_t loc, const char *name, hid_t file_type, int rank,
                      const hsize_t *dims, JxError *err)
{
  return create_dataset (loc, name, file_type, rank, dims, false, false, err);
}

hid_t
jx_h5_create_dataset_compressed (hid_t loc, const char *name, hid_t file_type, int rank,
                                 const hsize_t *dims, JxError *err)
{
  return create_dataset (loc, name, file_type, rank, dims, true, false, err);
}

/* The dataset's name for messages ("/jets/particles"). */
static void
dataset_name (hid_t dset, char *buf, size_t cap)
{
  if (H5Iget_name (dset, buf, cap) <= 0)
    snprintf (buf, cap, "dataset");
}

/* How much of its declared extent a dataset stores: for a chunked layout, are all chunks
 * written? (The space status HDF5 reports compares byte counts, which filters such as the
 * checksum change, so the chunks are counted.) Returns a reason when not, else NULL. */
static const char *
missing_storage (hid_t dset, hid_t dcpl, int rank, const hsize_t *dims, double declared)
{
  if (dcpl >= 0 && H5Pget_layout (dcpl) == H5D_CHUNKED)
    {
      hsize_t chunk[H5S_MAX_RANK];
      int crank = H5Pget_chunk (dcpl, H5S_MAX_RANK, chunk);
      if (crank != rank)
        return "unreadable chunk layout";
      double want = 1;
      for (int d = 0; d < rank; d++)
        want *= chunk[d] > 0 ? (double) ((dims[d] + chunk[d] - 1) / chunk[d]) : 0;
      hsize_t have = 0;
      hid_t space = H5Dget_space (dset);
      herr_t st = space >= 0 ? H5Dget_num_chunks (dset, space, &have) : -1;
      if (space >= 0)
        H5Sclose (space);
      if (st < 0)
        return "unreadable chunk index";
      return (double) have < want ? "part of its chunks are missing" : NULL;
    }
  H5D_space_status_t status = H5D_SPACE_STATUS_ERROR;
  if (H5Dget_space_status (dset, &status) < 0 || status != H5D_SPACE_STATUS_ALLOCATED)
    return "no data stored";
  /* Contiguous and compact storage hold the whole extent, unfiltered. HDF5 1.10.8 trusts a
   * compact layout's own size: a header claiming 3x4x4 doubles over 0 stored bytes made
   * H5Dread copy from a NULL buffer (fuzz-h5-raw). */
  if ((double) H5Dget_storage_size (dset) < declared)
    return "fewer bytes stored than declared";
  return NULL;
}

/* A crafted or half-written file can declare a dataset far larger than what it stores
 * (chunks never written read back as fill values; a header can claim any extent). Readers
 * allocate what the shape says, so the shape must be backed by the file: every chunk stored,
 * and without filters not more bytes than the file has. (Filters compress; deflate's best
 * case is about 1000:1, so a claim beyond 4096× the file is not data either.) */
static int
check_stored (hid_t dset, int rank, const hsize_t *dims, hssize_t npoints, JxError *err)
{
  if (npoints <= 0)
    return 0;
  hid_t type = H5Dget_type (dset);
  size_t elem = type >= 0 ? H5Tget_size (type) : 0;
  if (type >= 0)
    H5Tclose (type);
  hid_t dcpl = H5Dget_create_plist (dset);
  int filters = dcpl >= 0 ? H5Pget_nfilters (dcpl) : 0;
  hsize_t file_size = 0;
  hid_t file = H5Iget_file_id (dset);
  if (file >= 0)
    {
      H5Fget_filesize (file, &file_size);
      H5Fclose (file);
    }
  double declared = (double) npoints * (double) elem;
  double limit = (double) file_size * (filters > 0 ? 4096.0 : 1.0);
  const char *why = NULL;
  if (elem == 0)
    why = "no element size";
  else if (file_size > 0 && declared > limit)
    why = "larger than the file";
  else
    why = missing_storage (dset, dcpl, rank, dims, declared);
  if (dcpl >= 0)
    H5Pclose (dcpl);
  if (why == NULL)
    return 0;
  char name[256];
  dataset_name (dset, name, sizeof name);
  return jx_error_set (err, JX_ERR_FORMAT, "%s declares %lld values (%.3g bytes) that the file "
                       "does not hold (%s): the file is damaged or was not completely written",
                       name, (long long) npoints, declared, why);
}

int
jx_h5_shape (hid_t dset, int max_rank, int *rank, hsize_t *dims, H5T_class_t *type_class,
             JxError *err)
{
  hid_t space = H5Dget_space (dset);
  int r = space >= 0 ? H5Sget_simple_extent_ndims (space) : -1;
  if (r < 0 || r > max_rank)
    {
      if (r < 0)
        h5_fail (err, JX_ERR_FORMAT, "cannot read the shape of", "dataset");
      else
        {
          char name[256];
          dataset_name (dset, name, sizeof name);
          jx_error_set (err, JX_ERR_FORMAT, "%s has %d dimensions, expected at most %d", name,
                        r, max_rank);
        }
      if (space >= 0)
        H5Sclose (space);
      return JX_ERR_FORMAT;
    }
  hsize_t maxdims[H5S_MAX_RANK];
  H5Sget_simple_extent_dims (space, dims, maxdims);
  hssize_t npoints = H5Sget_simple_extent_npoints (space);
  H5Sclose (space);
  *rank = r;
  /* HDF5 never writes an extent beyond its maximum; a header that says so is damaged. */
  for (int d = 0; d < r; d++)
    if (maxdims[d] != H5S_UNLIMITED && dims[d] > maxdims[d])
      {
        char name[256];
        dataset_name (dset, name, sizeof name);
        return jx_error_set (err, JX_ERR_FORMAT, "%s: dimension %d is %llu, beyond its declared "
                             "maximum %llu: the file is damaged", name, d,
                             (unsigned long long) dims[d], (unsigned long long) maxdims[d]);
      }
  if (type_class != NULL)
    {
      hid_t t = H5Dget_type (dset);
      *type_class = t >= 0 ? H5Tget_class (t) : H5T_NO_CLASS;
      if (t >= 0)
        H5Tclose (t);
    }
  return check_stored (dset, r, dims, npoints, err);
}

/* Reading converts from the file's type to ours; HDF5 would clip what does not fit (a
 * negative offset becomes 0, 1e300 a float's maximum) and truncate 2.5 to 2. A junipr
 * reader must refuse such a value instead: the transfer is aborted and the reason kept. */
typedef struct {
  bool hit;
  H5T_conv_except_t what;
} ConvTrap;

static H5T_conv_ret_t
conv_trap (H5T_conv_except_t what, hid_t src, hid_t dst, void *src_buf, void *dst_buf,
           void *user)
{
  (void) src;
  (void) src_buf;
  (void) dst_buf;
  bool to_integer = H5Tget_class (dst) == H5T_INTEGER;
  bool bad = what == H5T_CONV_EXCEPT_RANGE_HI || what == H5T_CONV_EXCEPT_RANGE_LOW
             || what == H5T_CONV_EXCEPT_TRUNCATE || (to_integer && what != H5T_CONV_EXCEPT_PRECISION);
  if (!bad)
    return H5T_CONV_UNHANDLED;  /* precision loss; Inf and NaN between float types */
  ConvTrap *t = user;
  t->hit = true;
  t->what = what;
  return H5T_CONV_ABORT;
}

static const char *
conv_trap_reason (const ConvTrap *t)
{
  switch (t->what)
    {
    case H5T_CONV_EXCEPT_RANGE_LOW: return "a value below the range of the type read (e.g. negative)";
    case H5T_CONV_EXCEPT_RANGE_HI: return "a value above the range of the type read";
    case H5T_CONV_EXCEPT_TRUNCATE: return "a value that is not a whole number";
    case H5T_CONV_EXCEPT_PINF:
    case H5T_CONV_EXCEPT_NINF: return "an infinite value where a whole number belongs";
    case H5T_CONV_EXCEPT_NAN: return "NaN where a whole number belongs";
    default: return "a value that does not fit the type read";
    }
}

static hid_t
trapping_dxpl (ConvTrap *trap)
{
  trap->hit = false;
  hid_t dxpl = H5Pcreate (H5P_DATASET_XFER);
  if (dxpl >= 0)
    H5Pset_type_conv_cb (dxpl, conv_trap, trap);
  return dxpl;
}

static int
transfer_rows (hid_t dset, hid_t mem_type, hsize_t row0, hsize_t n_rows, void *rbuf,
               const void *wbuf, JxError *err)
{
  if (n_rows == 0)
    return 0;
  hid_t fspace = H5Dget_space (dset);
  int rank = fspace >= 0 ? H5Sget_simple_extent_ndims (fspace) : -1;
  if (rank < 1 || rank > 8)
    {
      h5_fail (err, JX_ERR_FORMAT, "cannot use", "dataset");
      if (fspace >= 0)
        H5Sclose (fspace);
      return JX_ERR_FORMAT;
    }
  hsize_t dims[8], start[8] = { 0 }, count[8];
  H5Sget_simple_extent_dims (fspace, dims, NULL);
  if (row0 + n_rows > dims[0])
    {
      H5Sclose (fspace);
      return jx_error_set (err, JX_ERR_INTERNAL, "rows %llu..%llu beyond dataset of %llu rows",
                           (unsigned long long) row0, (unsigned long long) (row0 + n_rows),
                           (unsigned long long) dims[0]);
    }
  start[0] = row0;
  count[0] = n_rows;
  for (int d = 1; d < rank; d++)
    count[d] = dims[d];
  hid_t mspace = H5Screate_simple (rank, count, NULL);
  herr_t st = -1;
  char detail[256];
  ConvTrap trap;
  hid_t dxpl = wbuf != NULL ? H5P_DEFAULT : trapping_dxpl (&trap);
  if (mspace >= 0 && dxpl >= 0
      && H5Sselect_hyperslab (fspace, H5S_SELECT_SET, start, NULL, count, NULL) >= 0)
    st = wbuf != NULL ? H5Dwrite (dset, mem_type, mspace, fspace, H5P_DEFAULT, wbuf)
                      : H5Dread (dset, mem_type, mspace, fspace, dxpl, rbuf);
  if (st < 0)
    jx_h5_last_error (detail, sizeof detail);
  if (wbuf == NULL && dxpl >= 0)
    H5Pclose (dxpl);
  if (mspace >= 0)
    H5Sclose (mspace);
  H5Sclose (fspace);
  if (st < 0)
    {
      char what[96];
      snprintf (what, sizeof what, "cannot %s rows %llu..%llu of", wbuf ? "write" : "read",
                (unsigned long long) row0, (unsigned long long) (row0 + n_rows - 1));
      char name[256];
      dataset_name (dset, name, sizeof name);
      if (wbuf == NULL && trap.hit)
        return jx_error_set (err, JX_ERR_FORMAT, "%s (rows %llu..%llu) holds %s", name,
                             (unsigned long long) row0, (unsigned long long) (row0 + n_rows - 1),
                             conv_trap_reason (&trap));
      return h5_fail_detail (err, wbuf ? JX_ERR_IO : JX_ERR_FORMAT, detail, what, name);
    }
  return 0;
}

int
jx_h5_write_rows (hid_t dset, hid_t mem_type, hsize_t row0, hsize_t n_rows, const void *buf,
                  JxError *err)
{
  return transfer_rows (dset, mem_type, row0, n_rows, NULL, buf, err);
}

int
jx_h5_read_rows (hid_t dset, hid_t mem_type, hsize_t row0, hsize_t n_rows, void *buf,
                 JxError *err)
{
  return transfer_rows (dset, mem_type, row0, n_rows, buf, NULL, err);
}

hid_t
jx_h5_create_extendible (hid_t loc, const char *name, hid_t file_type, int rank,
                         const hsize_t *dims, JxError *err)
{
  return create_dataset (loc, name, file_type, rank, dims, false, true, err);
}

int
jx_h5_append_rows (hid_t dset, hid_t mem_type, hsize_t row0, hsize_t n_rows, const void *buf,
                   JxError *err)
{
  if (n_rows == 0)
    return 0;
  hsize_t dims[3] = { 0, 0, 0 };
  hid_t space = H5Dget_space (dset);
  int rank = space >= 0 ? H5Sget_simple_extent_dims (space, dims, NULL) : -1;
  if (space >= 0)
    H5Sclose (space);
  dims[0] = row0 + n_rows;
  if (rank < 1 || H5Dset_extent (dset, dims) < 0)
    {
      char name[256];
      dataset_name (dset, name, sizeof name);
      return h5_fail (err, JX_ERR_IO, "cannot extend dataset", name);
    }
  return jx_h5_write_rows (dset, mem_type, row0, n_rows, buf, err);
}

int
jx_h5_write_array (hid_t loc, const char *name, hid_t file_type, hid_t mem_type, int rank,
                   const hsize_t *dims, const void *buf, JxError *err)
{
  hid_t dset = jx_h5_create_dataset (loc, name, file_type, rank, dims, err);
  if (dset < 0)
    return (int) dset;
  int rc = jx_h5_write_rows (dset, mem_type, 0, dims[0], buf, err);
  if (rc != 0)
    {
      H5Dclose (dset);
      return rc;
    }
  return jx_h5_close_object (dset, name, err);
}

int
jx_h5_read_array (hid_t loc, const char *name, hid_t mem_type, void *buf, size_t count,
                  JxError *err)
{
  hid_t dset = H5Dopen2 (loc, name, H5P_DEFAULT);
  if (dset < 0)
    return h5_fail (err, JX_ERR_FORMAT, "cannot open dataset", name);
  hid_t space = H5Dget_space (dset);
  hssize_t npoints = space >= 0 ? H5Sget_simple_extent_npoints (space) : -1;
  if (space >= 0)
    H5Sclose (space);
  int rc = 0;
  if (npoints < 0 || (size_t) npoints != count)
    rc = jx_error_set (err, JX_ERR_FORMAT, "dataset '%s' holds %lld values, expected %zu", name,
                       (long long) npoints, count);
  else if (count > 0)
    {
      ConvTrap trap;
      hid_t dxpl = trapping_dxpl (&trap);
      if (dxpl < 0 || H5Dread (dset, mem_type, H5S_ALL, H5S_ALL, dxpl, buf) < 0)
        {
          if (trap.hit)
            rc = jx_error_set (err, JX_ERR_FORMAT, "dataset '%s' holds %s", name,
                               conv_trap_reason (&trap));
          else
            rc = h5_fail (err, JX_ERR_FORMAT, "cannot read dataset", name);
        }
      if (dxpl >= 0)
        H5Pclose (dxpl);
    }
  H5Dclose (dset);
  return rc;
}

int
jx_h5_check_kind (hid_t file, const char *path, const char *expected, long long max_version,
                  const char *hint, long long *version, JxError *err)
{
  char *format = NULL;
  htri_t has = H5Aexists (file, "format");
  if (has < 0)
    {
      char detail[256];
      jx_h5_last_error (detail, sizeof detail);
      return jx_error_set (err, JX_ERR_FORMAT, "%s: HDF5 file is damaged: cannot read its root "
                           "group (HDF5: %s) (copy or write it again)", path, detail);
    }
  if (has == 0)
    return jx_error_set (err, JX_ERR_FORMAT,
                         "%s: HDF5 file without a 'format' attribute, so not a %s written by "
                         "junipr%s%s", path, expected, hint != NULL ? "; " : "",
                         hint != NULL ? hint : "");
  JxError e;
  if (jx_h5_read_string_attr (file, "format", &format, &e) != 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: unreadable 'format' attribute (%s), expected "
                         "\"%s\"", path, e.message, expected);
  if (strcmp (format, expected) != 0)
    {
      /* Say what the file is, so a model passed where data belong is obvious. */
      int rc;
      if (strncmp (format, "junipr-", 7) == 0)
        rc = jx_error_set (err, JX_ERR_FORMAT, "%s: is a %s file, expected a %s", path, format,
                           expected);
      else
        rc = jx_error_set (err, JX_ERR_FORMAT, "%s: file format is \"%.100s\", expected a %s",
                           path, format, expected);
      free (format);
      return rc;
    }
  free (format);
  long long v;
  if (jx_h5_read_int_attr (file, "version", &v, &e) != 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: %s file without a valid integer 'version' "
                         "attribute (%s)", path, expected, e.message);
  if (v < 1 || v > max_version)
    {
      char range[64] = "version 1";
      if (max_version > 1)
        snprintf (range, sizeof range, "versions 1 to %lld", max_version);
      return jx_error_set (err, JX_ERR_FORMAT, "%s: %s version %lld is not supported (this "
                           "program reads %s%s)", path, expected, v, range,
                           v > max_version ? "; update junipr" : "");
    }
  if (version != NULL)
    *version = v;
  return 0;
}
