/* jx-dataset-writer.c — see jx-dataset-writer.h. */
#include "jx-dataset-writer.h"

#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-h5.h"

struct JxDatasetWriter {
  JxAtomicFile af;
  char *path;
  hid_t file, offsets, particles, labels, weights;   /* labels, weights: < 0 until a part has them */
  size_t n_jets;
  uint64_t n_particles;
};

/* A column of n rows of value, from row0 (the default of a column that begins late, or of a
 * part without it), in blocks. */
static int
fill_rows (hid_t dset, hid_t mem_type, size_t size, const void *value, size_t row0, size_t n,
           JxError *err)
{
  enum { BLOCK = 4096 };
  unsigned char *buf = malloc (BLOCK * size);
  if (buf == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory writing a dataset");
  for (size_t k = 0; k < BLOCK; k++)
    memcpy (buf + k * size, value, size);
  int rc = 0;
  for (size_t done = 0; rc == 0 && done < n; done += BLOCK)
    rc = jx_h5_append_rows (dset, mem_type, row0 + done, n - done < BLOCK ? n - done : BLOCK,
                            buf, err);
  free (buf);
  return rc;
}

JxDatasetWriter *
jx_dataset_writer_begin (const char *path, JxError *err)
{
  JxDatasetWriter *w = calloc (1, sizeof *w);
  if (w == NULL || (w->path = malloc (strlen (path) + 1)) == NULL)
    {
      free (w);
      jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory", path);
      return NULL;
    }
  strcpy (w->path, path);
  w->file = w->offsets = w->particles = w->labels = w->weights = H5I_INVALID_HID;
  if (jx_atomic_begin (&w->af, path, err) != 0)
    {
      free (w->path);
      free (w);
      return NULL;
    }
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  int rc = 0;
  hsize_t dims[2] = { 0, 4 };
  uint64_t zero = 0;
  w->file = jx_h5_create (w->af.tmp_path, err);
  if (w->file < 0)
    rc = JX_ERR_IO;
  if (rc == 0)
    rc = jx_h5_write_string_attr (w->file, "format", JX_DATASET_FORMAT, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (w->file, "version", JX_DATASET_VERSION, err);
  if (rc == 0 && (w->offsets = jx_h5_create_extendible (w->file, "jets/offsets", H5T_STD_U64LE,
                                                        1, dims, err)) < 0)
    rc = JX_ERR_IO;
  if (rc == 0 && (w->particles = jx_h5_create_extendible (w->file, "jets/particles",
                                                          H5T_IEEE_F64LE, 2, dims, err)) < 0)
    rc = JX_ERR_IO;
  if (rc == 0)
    rc = jx_h5_append_rows (w->offsets, H5T_NATIVE_UINT64, 0, 1, &zero, err);
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    {
      jx_error_prefix (err, "%s: ", path);
      jx_dataset_writer_abort (w);
      return NULL;
    }
  return w;
}

/* The part's labels or weights into column *dset (begun here, earlier rows filled with def,
 * when the part is the first to have them), or def for a part without them. */
static int
append_column (JxDatasetWriter *w, hid_t *dset, const char *name, hid_t file_type,
               hid_t mem_type, size_t size, const void *def, const void *values, size_t n,
               JxError *err)
{
  if (values == NULL && *dset < 0)
    return 0;
  if (*dset < 0)
    {
      hsize_t dims[1] = { 0 };
      if ((*dset = jx_h5_create_extendible (w->file, name, file_type, 1, dims, err)) < 0)
        return JX_ERR_IO;
      int rc = fill_rows (*dset, mem_type, size, def, 0, w->n_jets, err);
      if (rc != 0)
        return rc;
    }
  if (values == NULL)
    return fill_rows (*dset, mem_type, size, def, w->n_jets, n, err);
  return jx_h5_append_rows (*dset, mem_type, w->n_jets, n, values, err);
}

int
jx_dataset_writer_append (JxDatasetWriter *w, const JxDataset *part, JxError *err)
{
  size_t n = part->n_jets;
  if (n == 0)
    return 0;
  uint64_t np = part->offsets[n];
  uint64_t *off = malloc (n * sizeof *off);
  if (off == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory", w->path);
  for (size_t i = 0; i < n; i++)
    off[i] = w->n_particles + part->offsets[i + 1];
  static const int32_t label0 = 0;
  static const double weight1 = 1.0;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  int rc = jx_h5_append_rows (w->particles, H5T_NATIVE_DOUBLE, w->n_particles, np,
                              part->particles, err);
  if (rc == 0)
    rc = jx_h5_append_rows (w->offsets, H5T_NATIVE_UINT64, w->n_jets + 1, n, off, err);
  if (rc == 0)
    rc = append_column (w, &w->labels, "jets/label", H5T_STD_I32LE, H5T_NATIVE_INT32,
                        sizeof label0, &label0, part->labels, n, err);
  if (rc == 0)
    rc = append_column (w, &w->weights, "jets/weight", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                        sizeof weight1, &weight1, part->weights, n, err);
  jx_h5_quiet_end (&quiet);
  free (off);
  if (rc != 0)
    return jx_error_prefix (err, "%s: ", w->path);
  w->n_jets += n;
  w->n_particles += np;
  return 0;
}

size_t
jx_dataset_writer_n_jets (const JxDatasetWriter *w)
{
  return w->n_jets;
}

static void
close_all (JxDatasetWriter *w)
{
  hid_t *ids[4] = { &w->offsets, &w->particles, &w->labels, &w->weights };
  for (int k = 0; k < 4; k++)
    if (*ids[k] >= 0)
      H5Dclose (*ids[k]);
  if (w->file >= 0)
    H5Fclose (w->file);
  w->file = w->offsets = w->particles = w->labels = w->weights = H5I_INVALID_HID;
}

int
jx_dataset_writer_commit (JxDatasetWriter *w, const JxDataset *attrs, JxError *err)
{
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < attrs->n_attrs; i++)
    if (strcmp (attrs->attrs[i].key, "format") != 0 && strcmp (attrs->attrs[i].key, "version") != 0)
      rc = jx_h5_write_string_attr (w->file, attrs->attrs[i].key, attrs->attrs[i].value, err);
  const char *names[4] = { "jets/offsets", "jets/particles", "jets/label", "jets/weight" };
  hid_t *ids[4] = { &w->offsets, &w->particles, &w->labels, &w->weights };
  for (int k = 0; k < 4; k++)
    if (*ids[k] >= 0)
      {
        int c = jx_h5_close_object (*ids[k], names[k], err);
        rc = rc != 0 ? rc : c;
        *ids[k] = H5I_INVALID_HID;
      }
  if (rc == 0)
    rc = jx_h5_close (w->file, err);
  else
    H5Fclose (w->file);
  w->file = H5I_INVALID_HID;
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    {
      jx_error_prefix (err, "%s: ", w->path);
      jx_dataset_writer_abort (w);
      return rc;
    }
  rc = jx_atomic_commit (&w->af, err);
  free (w->path);
  free (w);
  return rc;
}

void
jx_dataset_writer_abort (JxDatasetWriter *w)
{
  if (w == NULL)
    return;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  close_all (w);
  jx_h5_quiet_end (&quiet);
  jx_atomic_abort (&w->af);
  free (w->path);
  free (w);
}
