/* jx-dataset.c — see jx-dataset.h. */
#include "jx-dataset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-h5.h"

/* The particles are transferred to and from HDF5 as a plain [P, 4] double array. */
_Static_assert (sizeof (JxP4) == 4 * sizeof (double), "JxP4 must be four packed doubles");

/* An empty dataset still has offsets[0] = 0, so `offsets[n_jets]` (the particle count) is
 * always valid without a special case. The shared entry is never freed or grown in place. */
static uint64_t empty_offsets[1] = { 0 };

void
jx_dataset_init (JxDataset *ds)
{
  memset (ds, 0, sizeof *ds);
  ds->offsets = empty_offsets;
}

void
jx_dataset_free (JxDataset *ds)
{
  if (ds->offsets != empty_offsets)
    free (ds->offsets);
  free (ds->particles);
  free (ds->labels);
  free (ds->weights);
  jx_attrs_free (ds->attrs, ds->n_attrs);
  jx_dataset_init (ds);
}

size_t
jx_dataset_n_particles (const JxDataset *ds)
{
  return (size_t) ds->offsets[ds->n_jets];
}

static int
grow_jets (JxDataset *ds, size_t want, JxError *err)
{
  if (want <= ds->cap_jets && ds->offsets != empty_offsets)
    return 0;
  size_t cap = ds->cap_jets < 64 ? 64 : ds->cap_jets;
  while (cap < want)
    cap = cap / 2 * 3 + 1;
  if (cap > SIZE_MAX / sizeof (uint64_t) - 1)
    return jx_error_set (err, JX_ERR_NOMEM, "too many jets (%zu)", want);
  uint64_t *old = ds->offsets == empty_offsets ? NULL : ds->offsets;
  uint64_t *off = realloc (old, (cap + 1) * sizeof *off);
  if (off == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory growing a dataset to %zu jets", want);
  if (old == NULL)
    off[0] = 0;
  ds->offsets = off;
  /* The optional columns follow the same capacity, so appends never need a second check. */
  if (ds->labels != NULL)
    {
      int32_t *l = realloc (ds->labels, cap * sizeof *l);
      if (l == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory growing labels to %zu jets", want);
      ds->labels = l;
    }
  if (ds->weights != NULL)
    {
      double *w = realloc (ds->weights, cap * sizeof *w);
      if (w == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory growing weights to %zu jets", want);
      ds->weights = w;
    }
  ds->cap_jets = cap;
  return 0;
}

static int
grow_particles (JxDataset *ds, size_t want, JxError *err)
{
  if (want <= ds->cap_particles)
    return 0;
  size_t cap = ds->cap_particles < 1024 ? 1024 : ds->cap_particles;
  while (cap < want)
    cap = cap / 2 * 3 + 1;
  if (cap > SIZE_MAX / sizeof (JxP4))
    return jx_error_set (err, JX_ERR_NOMEM, "too many particles (%zu)", want);
  JxP4 *p = realloc (ds->particles, cap * sizeof *p);
  if (p == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory growing a dataset to %zu particles",
                         want);
  ds->particles = p;
  ds->cap_particles = cap;
  return 0;
}

int
jx_dataset_reserve (JxDataset *ds, size_t n_jets, size_t n_particles, JxError *err)
{
  int rc = grow_jets (ds, n_jets, err);
  if (rc == 0)
    rc = grow_particles (ds, n_particles, err);
  return rc;
}

int
jx_dataset_append (JxDataset *ds, const JxP4 *particles, size_t n, JxError *err)
{
  size_t np = jx_dataset_n_particles (ds);
  if (n > SIZE_MAX - np)
    return jx_error_set (err, JX_ERR_NOMEM, "too many particles");
  int rc = grow_jets (ds, ds->n_jets + 1, err);
  if (rc == 0)
    rc = grow_particles (ds, np + n, err);
  if (rc != 0)
    return rc;
  if (n > 0)
    memcpy (ds->particles + np, particles, n * sizeof *particles);
  if (ds->labels != NULL)
    ds->labels[ds->n_jets] = 0;
  if (ds->weights != NULL)
    ds->weights[ds->n_jets] = 1.0;
  ds->offsets[ds->n_jets + 1] = np + n;
  ds->n_jets++;
  return 0;
}

int
jx_dataset_append_labeled (JxDataset *ds, const JxP4 *particles, size_t n, int32_t label,
                           double weight, JxError *err)
{
  int rc = jx_dataset_ensure_labels (ds, err);
  if (rc == 0)
    rc = jx_dataset_ensure_weights (ds, err);
  if (rc == 0)
    rc = jx_dataset_append (ds, particles, n, err);
  if (rc != 0)
    return rc;
  ds->labels[ds->n_jets - 1] = label;
  ds->weights[ds->n_jets - 1] = weight;
  return 0;
}

int
jx_dataset_ensure_labels (JxDataset *ds, JxError *err)
{
  if (ds->labels != NULL)
    return 0;
  size_t cap = ds->cap_jets > ds->n_jets ? ds->cap_jets : ds->n_jets;
  ds->labels = calloc (cap > 0 ? cap : 1, sizeof *ds->labels);
  if (ds->labels == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory allocating labels for %zu jets",
                         ds->n_jets);
  return 0;
}

int
jx_dataset_ensure_weights (JxDataset *ds, JxError *err)
{
  if (ds->weights != NULL)
    return 0;
  size_t cap = ds->cap_jets > ds->n_jets ? ds->cap_jets : ds->n_jets;
  ds->weights = malloc ((cap > 0 ? cap : 1) * sizeof *ds->weights);
  if (ds->weights == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory allocating weights for %zu jets",
                         ds->n_jets);
  for (size_t i = 0; i < ds->n_jets; i++)
    ds->weights[i] = 1.0;
  return 0;
}

int
jx_dataset_set_attr (JxDataset *ds, const char *key, const char *value, JxError *err)
{
  if (key == NULL || key[0] == '\0' || value == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "dataset attribute needs a key and a value");
  if (strcmp (key, "format") == 0 || strcmp (key, "version") == 0)
    return jx_error_set (err, JX_ERR_INVALID,
                         "dataset attribute '%s' is reserved for the file format", key);
  if (jx_attrs_set (&ds->attrs, &ds->n_attrs, key, value) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory setting attribute '%s'", key);
  return 0;
}

const char *
jx_dataset_get_attr (const JxDataset *ds, const char *key)
{
  return jx_attrs_get (ds->attrs, ds->n_attrs, key);
}

int
jx_jet_validate (const JxP4 *particles, size_t n, size_t jet_index, JxError *err)
{
  if (n == 0)
    return jx_error_set (err, JX_ERR_INVALID,
                         "jet %zu has no particles (an empty jet cannot be clustered; drop it)",
                         jet_index);
  for (size_t k = 0; k < n; k++)
    {
      JxP4 p = particles[k];
      if (!isfinite (p.E) || !isfinite (p.px) || !isfinite (p.py) || !isfinite (p.pz))
        return jx_error_set (err, JX_ERR_INVALID,
                             "jet %zu, particle %zu: momentum is not a finite number "
                             "(E, px, py, pz) = (%g, %g, %g, %g)",
                             jet_index, k, p.E, p.px, p.py, p.pz);
      if (!jx_p4_in_range (p))
        return jx_error_set (err, JX_ERR_INVALID,
                             "jet %zu, particle %zu: momentum (E, px, py, pz) = (%g, %g, %g, %g) "
                             "GeV is beyond %g GeV (a damaged file, or not momenta in GeV)",
                             jet_index, k, p.E, p.px, p.py, p.pz, JX_P4_MAX);
      if (p.E < 0)
        return jx_error_set (err, JX_ERR_INVALID,
                             "jet %zu, particle %zu: negative energy E = %g GeV "
                             "(check the column order: is E really the first column?)",
                             jet_index, k, p.E);
      /* Massless particles stored in single precision (or printed with few digits) come
       * back with |p| a few ulps above E; only a clear excess is unphysical. */
      double pabs = jx_p4_p (p);
      if (pabs - p.E > 1e-6 * fmax (pabs, p.E) + 1e-12)
        return jx_error_set (err, JX_ERR_INVALID,
                             "jet %zu, particle %zu: energy below momentum, E = %.9g GeV < "
                             "|p| = %.9g GeV (spacelike; check the column order and units)",
                             jet_index, k, p.E, pabs);
    }
  return 0;
}


/* ---- HDF5 files ---------------------------------------------------------------------- */

#define IMPORT_HINT "arrays from other HDF5 files are imported with `junipr import --format array`"

/* Blocked transfers: a few chunks at a time, so progress and cancel are checked every
 * ~4 MiB (tens of ms with deflate). */
typedef struct {
  JxProgress *progress;
  double done, total;
  const char *message;
} Work;

/* Rows [row0, row0 + n_rows) of the file's dset from/to buffer rows [0, n_rows). */
static int
transfer (hid_t dset, hid_t mem_type, size_t row_bytes, hsize_t row0, hsize_t n_rows,
          void *rbuf, const void *wbuf, Work *w, JxError *err)
{
  hsize_t block = 8 * jx_h5_chunk_rows (row_bytes);
  for (hsize_t r = 0; r < n_rows; r += block)
    {
      if (jx_progress_cancelled (w->progress))
        return jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
      hsize_t n = n_rows - r < block ? n_rows - r : block;
      int rc = wbuf != NULL
        ? jx_h5_write_rows (dset, mem_type, row0 + r, n, (const char *) wbuf + r * row_bytes, err)
        : jx_h5_read_rows (dset, mem_type, row0 + r, n, (char *) rbuf + r * row_bytes, err);
      if (rc != 0)
        return rc;
      w->done += (double) n;
      jx_progress_report (w->progress, w->done, w->total, w->message);
    }
  return 0;
}

static int
write_column (hid_t file, const char *name, hid_t file_type, hid_t mem_type, size_t row_bytes,
              int rank, const hsize_t *dims, const void *buf, Work *w, JxError *err)
{
  hid_t dset = jx_h5_create_dataset (file, name, file_type, rank, dims, err);
  if (dset < 0)
    return (int) dset;
  int rc = transfer (dset, mem_type, row_bytes, 0, dims[0], NULL, buf, w, err);
  if (rc != 0)
    {
      H5Dclose (dset);
      return rc;
    }
  return jx_h5_close_object (dset, name, err);
}

static int
check_layout (const JxDataset *ds, JxError *err)
{
  if (ds->offsets == NULL || ds->offsets[0] != 0)
    return jx_error_set (err, JX_ERR_INTERNAL, "dataset offsets do not start at 0");
  for (size_t i = 0; i < ds->n_jets; i++)
    if (ds->offsets[i + 1] < ds->offsets[i])
      return jx_error_set (err, JX_ERR_INTERNAL, "dataset offsets decrease at jet %zu", i);
  if (ds->offsets[ds->n_jets] > 0 && ds->particles == NULL)
    return jx_error_set (err, JX_ERR_INTERNAL, "dataset has offsets but no particles");
  return 0;
}

static int
write_contents (hid_t file, const JxDataset *ds, JxProgress *progress, JxError *err)
{
  int rc = jx_h5_write_string_attr (file, "format", JX_DATASET_FORMAT, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (file, "version", JX_DATASET_VERSION, err);
  for (size_t i = 0; rc == 0 && i < ds->n_attrs; i++)
    if (strcmp (ds->attrs[i].key, "format") != 0 && strcmp (ds->attrs[i].key, "version") != 0)
      rc = jx_h5_write_string_attr (file, ds->attrs[i].key, ds->attrs[i].value, err);
  if (rc != 0)
    return rc;

  size_t n = ds->n_jets, np = jx_dataset_n_particles (ds);
  Work w = { progress, 0, (double) (n + 1 + np), "writing jets" };
  hsize_t dims[2] = { n + 1, 4 };
  rc = write_column (file, "jets/offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, sizeof (uint64_t),
                     1, dims, ds->offsets, &w, err);
  dims[0] = np;
  if (rc == 0)
    rc = write_column (file, "jets/particles", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, sizeof (JxP4),
                       2, dims, ds->particles, &w, err);
  dims[0] = n;
  if (rc == 0 && ds->labels != NULL)
    rc = write_column (file, "jets/label", H5T_STD_I32LE, H5T_NATIVE_INT32, sizeof (int32_t), 1,
                       dims, ds->labels, &w, err);
  if (rc == 0 && ds->weights != NULL)
    rc = write_column (file, "jets/weight", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, sizeof (double), 1,
                       dims, ds->weights, &w, err);
  return rc;
}

int
jx_dataset_write (const JxDataset *ds, const char *path, JxProgress *progress, JxError *err)
{
  int rc = check_layout (ds, err);
  if (rc != 0)
    return jx_error_prefix (err, "%s: ", path);
  JxAtomicFile af;
  rc = jx_atomic_begin (&af, path, err);
  if (rc != 0)
    return rc;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_create (af.tmp_path, err);
  if (file < 0)
    rc = (int) file;
  else
    {
      rc = write_contents (file, ds, progress, err);
      if (rc == 0)
        rc = jx_h5_close (file, err);
      else
        H5Fclose (file);
    }
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    {
      jx_atomic_abort (&af);
      if (rc == JX_ERR_CANCELLED)
        return jx_error_set (err, rc, "%s: writing cancelled, no file written", path);
      return jx_error_prefix (err, "%s: ", path);
    }
  return jx_atomic_commit (&af, err);
}

/* Opens name (which must exist) and checks rank, the second dimension when want_cols > 0,
 * and the element class. */
static hid_t
open_column (hid_t file, const char *path, const char *name, int want_rank, hsize_t want_cols,
             bool want_float, hsize_t *rows, JxError *err)
{
  int found = jx_h5_lookup (file, name);
  if (found < 0)
    {
      char detail[200];
      jx_h5_last_error (detail, sizeof detail);
      return jx_error_set (err, JX_ERR_FORMAT, "%s: HDF5 file is damaged: cannot look up /%s "
                           "(HDF5: %s)", path, name, detail);
    }
  if (found == 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: missing /%s (not a complete junipr dataset)",
                         path, name);
  hid_t dset = H5Dopen2 (file, name, H5P_DEFAULT);
  if (dset < 0)
    {
      char detail[200];
      jx_h5_last_error (detail, sizeof detail);
      return jx_error_set (err, JX_ERR_FORMAT, "%s: HDF5 file is damaged: cannot open /%s "
                           "(HDF5: %s)", path, name, detail);
    }
  int rank;
  hsize_t dims[3] = { 0, 0, 0 };
  H5T_class_t cls;
  int rc = jx_h5_shape (dset, 3, &rank, dims, &cls, err);
  if (rc == 0 && (rank != want_rank || (want_cols > 0 && dims[1] != want_cols)))
    {
      char shape[96] = "[";
      for (int d = 0; d < rank; d++)
        snprintf (shape + strlen (shape), sizeof shape - strlen (shape), "%s%llu",
                  d > 0 ? ", " : "", (unsigned long long) dims[d]);
      strcat (shape, "]");
      if (want_cols > 0)
        rc = jx_error_set (err, JX_ERR_FORMAT, "/%s has shape %s, expected [P, %llu] "
                           "(E, px, py, pz)", name, shape, (unsigned long long) want_cols);
      else
        rc = jx_error_set (err, JX_ERR_FORMAT, "/%s has shape %s, expected [N]", name, shape);
    }
  if (rc == 0 && want_float && cls != H5T_FLOAT && cls != H5T_INTEGER)
    rc = jx_error_set (err, JX_ERR_FORMAT, "/%s does not hold numbers", name);
  if (rc == 0 && !want_float && cls != H5T_INTEGER)
    rc = jx_error_set (err, JX_ERR_FORMAT, "/%s does not hold integers", name);
  if (rc != 0)
    {
      H5Dclose (dset);
      if (strncmp (err->message, path, strlen (path)) != 0)
        jx_error_prefix (err, "%s: ", path);
      return rc;
    }
  *rows = dims[0];
  return dset;
}

/* off[0..n] are the file's offsets[first .. first + n] of a file with n_file jets and np
 * particles: non-decreasing, starting at 0 with the file and ending at np with it, and never
 * beyond np. The ranks of a job reading adjacent ranges so check the whole file together. */
static int
check_offsets (const uint64_t *off, size_t first, size_t n, size_t n_file, uint64_t np,
               const char *path, JxError *err)
{
  if (first == 0 && off[0] != 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: /jets/offsets starts at %llu, expected 0",
                         path, (unsigned long long) off[0]);
  for (size_t i = 0; i < n; i++)
    if (off[i + 1] < off[i])
      return jx_error_set (err, JX_ERR_FORMAT, "%s: /jets/offsets decrease at jet %zu "
                           "(offsets[%zu] = %llu > offsets[%zu] = %llu); the file is corrupt",
                           path, first + i, first + i, (unsigned long long) off[i],
                           first + i + 1, (unsigned long long) off[i + 1]);
  if (first + n == n_file ? off[n] != np : off[n] > np)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: /jets/offsets %s %llu but /jets/particles "
                         "has %llu rows; the file is corrupt or truncated", path,
                         first + n == n_file ? "ends at" : "reaches",
                         (unsigned long long) off[n], (unsigned long long) np);
  return 0;
}

static int
copy_attr (void *user, const char *name, const char *value)
{
  JxDataset *ds = user;
  if (strcmp (name, "format") == 0 || strcmp (name, "version") == 0)
    return 0;
  return jx_dataset_set_attr (ds, name, value, NULL) != 0 ? JX_ERR_NOMEM : 0;
}

/* An optional per-jet column (labels, weights): *col stays H5I_INVALID_HID when the file has
 * none; one of another length than the jets is refused. */
static int
open_per_jet (hid_t file, const char *path, const char *name, bool floating, size_t n_file,
              hid_t *col, JxError *err)
{
  hsize_t rows = 0;
  if (jx_h5_lookup (file, name) == 0)  /* −1 (damaged): open_column explains */
    return 0;
  *col = open_column (file, path, name, 1, 0, floating, &rows, err);
  if (*col < 0)
    return (int) *col;
  if (rows != n_file)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: /%s has %llu entries for %zu jets", path, name,
                         (unsigned long long) rows, n_file);
  return 0;
}

/* Jets [first, first + count) of the file (count = SIZE_MAX: to the end). */
static int
read_contents (hid_t file, const char *path, JxDataset *ds, size_t first, size_t count,
               JxProgress *progress, JxError *err)
{
  int rc = jx_h5_check_kind (file, path, JX_DATASET_FORMAT, JX_DATASET_VERSION, IMPORT_HINT,
                             NULL, err);
  if (rc != 0)
    return rc;
  hsize_t n_off, np;
  hid_t off = open_column (file, path, "jets/offsets", 1, 0, false, &n_off, err);
  if (off < 0)
    return (int) off;
  hid_t part = open_column (file, path, "jets/particles", 2, 4, true, &np, err);
  hid_t lab = H5I_INVALID_HID, wt = H5I_INVALID_HID;
  if (part < 0)
    {
      rc = (int) part;
      goto out;
    }
  if (n_off == 0)
    {
      rc = jx_error_set (err, JX_ERR_FORMAT, "%s: /jets/offsets is empty, expected N+1 entries",
                         path);
      goto out;
    }
  size_t n_file = (size_t) (n_off - 1);
  if (first > n_file || (count != SIZE_MAX && count > n_file - first))
    {
      rc = jx_error_set (err, JX_ERR_RANGE, "%s: jets %zu..%zu asked for, but the file has %zu "
                         "jets", path, first, count == SIZE_MAX ? n_file : first + count, n_file);
      goto out;
    }
  size_t n = count == SIZE_MAX ? n_file - first : count;
  if ((rc = open_per_jet (file, path, "jets/label", false, n_file, &lab, err)) != 0
      || (rc = open_per_jet (file, path, "jets/weight", true, n_file, &wt, err)) != 0)
    goto out;

  /* The offsets first: they say which particle rows the range holds. */
  if ((rc = jx_dataset_reserve (ds, n, 0, err)) != 0)
    goto out;
  Work w = { progress, 0, (double) (n + 1), "reading jets" };
  rc = transfer (off, H5T_NATIVE_UINT64, sizeof (uint64_t), first, n + 1, ds->offsets, NULL, &w,
                 err);
  if (rc == 0)
    rc = check_offsets (ds->offsets, first, n, n_file, np, path, err);
  uint64_t p0 = rc == 0 ? ds->offsets[0] : 0, pn = rc == 0 ? ds->offsets[n] - p0 : 0;
  if (rc == 0 && ((rc = jx_dataset_reserve (ds, n, (size_t) pn, err)) != 0
                  || (lab >= 0 && (rc = jx_dataset_ensure_labels (ds, err)) != 0)
                  || (wt >= 0 && (rc = jx_dataset_ensure_weights (ds, err)) != 0)))
    goto out;
  w.total = (double) (n + 1 + pn + (lab >= 0 ? n : 0) + (wt >= 0 ? n : 0));
  if (rc == 0)
    rc = transfer (part, H5T_NATIVE_DOUBLE, sizeof (JxP4), p0, pn, ds->particles, NULL, &w, err);
  if (rc == 0 && lab >= 0)
    rc = transfer (lab, H5T_NATIVE_INT32, sizeof (int32_t), first, n, ds->labels, NULL, &w, err);
  if (rc == 0 && wt >= 0)
    rc = transfer (wt, H5T_NATIVE_DOUBLE, sizeof (double), first, n, ds->weights, NULL, &w, err);
  for (size_t i = 0; rc == 0 && wt >= 0 && i < n; i++)
    if (!isfinite (ds->weights[i]))
      rc = jx_error_set (err, JX_ERR_FORMAT, "%s: /jets/weight of jet %zu is %g, not a finite "
                         "number", path, first + i, ds->weights[i]);
  if (rc == 0)
    {
      for (size_t i = 0; i <= n; i++)
        ds->offsets[i] -= p0;
      ds->n_jets = n;
      ds->first_jet = first;
      rc = jx_h5_foreach_attr (file, copy_attr, ds, err);
      if (rc == JX_ERR_NOMEM)
        jx_error_set (err, rc, "%s: out of memory reading attributes", path);
    }
  else if (rc != JX_ERR_CANCELLED && strncmp (err->message, path, strlen (path)) != 0)
    jx_error_prefix (err, "%s: damaged file: ", path);
out:
  if (wt >= 0)
    H5Dclose (wt);
  if (lab >= 0)
    H5Dclose (lab);
  if (part >= 0)
    H5Dclose (part);
  H5Dclose (off);
  return rc;
}

int
jx_dataset_read (JxDataset *ds, const char *path, JxProgress *progress, JxError *err)
{
  return jx_dataset_read_range (ds, path, 0, SIZE_MAX, progress, err);
}

int
jx_dataset_read_range (JxDataset *ds, const char *path, size_t first, size_t count,
                       JxProgress *progress, JxError *err)
{
  jx_dataset_init (ds);
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (path, err);
  int rc = file < 0 ? (int) file : read_contents (file, path, ds, first, count, progress, err);
  if (file >= 0)
    H5Fclose (file);
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    {
      jx_dataset_free (ds);
      if (rc == JX_ERR_CANCELLED)
        jx_error_set (err, rc, "%s: reading cancelled", path);
    }
  return rc;
}

static int
probe_contents (hid_t file, const char *path, JxDatasetInfo *info, JxError *err)
{
  int rc = jx_h5_check_kind (file, path, JX_DATASET_FORMAT, JX_DATASET_VERSION, IMPORT_HINT,
                             NULL, err);
  if (rc != 0)
    return rc;
  hsize_t n_off, np;
  hid_t off = open_column (file, path, "jets/offsets", 1, 0, false, &n_off, err);
  if (off < 0)
    return (int) off;
  hid_t part = open_column (file, path, "jets/particles", 2, 4, true, &np, err);
  if (part < 0)
    rc = (int) part;
  else if (n_off == 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: /jets/offsets is empty", path);
  else
    {
      /* The first and last offsets catch most damage, at the cost of two small reads. */
      uint64_t ends[2];
      rc = jx_h5_read_rows (off, H5T_NATIVE_UINT64, 0, 1, &ends[0], err);
      if (rc == 0)
        rc = jx_h5_read_rows (off, H5T_NATIVE_UINT64, n_off - 1, 1, &ends[1], err);
      if (rc != 0)
        jx_error_prefix (err, "%s: damaged file: ", path);
      else
        rc = check_offsets (ends, 0, n_off > 1 ? 1 : 0, n_off > 1 ? 1 : 0, np, path, err);
      info->n_jets = (size_t) (n_off - 1);
      info->n_particles = (size_t) np;
      int has_l = jx_h5_lookup (file, "jets/label"), has_w = jx_h5_lookup (file, "jets/weight");
      info->has_labels = has_l > 0;
      info->has_weights = has_w > 0;
      static const char *const columns[2] = { "jets/label", "jets/weight" };
      for (int c = 0; c < 2 && rc == 0; c++)
        if ((c == 0 ? has_l : has_w) != 0)
          {
            hsize_t rows;
            hid_t d = open_column (file, path, columns[c], 1, 0, c == 1, &rows, err);
            if (d < 0)
              rc = (int) d;
            else
              {
                H5Dclose (d);
                if (rows != n_off - 1)
                  rc = jx_error_set (err, JX_ERR_FORMAT, "%s: /%s has %llu entries for %llu jets",
                                     path, columns[c], (unsigned long long) rows,
                                     (unsigned long long) (n_off - 1));
              }
          }
    }
  if (part >= 0)
    H5Dclose (part);
  H5Dclose (off);
  return rc;
}

int
jx_dataset_probe (const char *path, JxDatasetInfo *info, JxError *err)
{
  memset (info, 0, sizeof *info);
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (path, err);
  int rc = file < 0 ? (int) file : probe_contents (file, path, info, err);
  if (file >= 0)
    H5Fclose (file);
  jx_h5_quiet_end (&quiet);
  return rc;
}

int
jx_file_kind (const char *path, char *kind, size_t cap, JxError *err)
{
  if (cap > 0)
    kind[0] = '\0';
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (path, err);
  int rc = file < 0 ? (int) file : 0;
  if (rc == 0)
    {
      char *format = NULL;
      htri_t has = H5Aexists (file, "format");
      if (has < 0)
        rc = jx_error_set (err, JX_ERR_FORMAT, "%s: HDF5 file is damaged: cannot read its root "
                           "group", path);
      else if (has == 0)
        rc = jx_error_set (err, JX_ERR_FORMAT, "%s: HDF5 file without a 'format' attribute "
                           "(not written by junipr)", path);
      else if ((rc = jx_h5_read_string_attr (file, "format", &format, err)) != 0)
        jx_error_prefix (err, "%s: ", path);
      else if (cap > 0)
        snprintf (kind, cap, "%s", format);
      free (format);
      H5Fclose (file);
    }
  jx_h5_quiet_end (&quiet);
  return rc;
}
