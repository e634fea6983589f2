/* jx-dataset.c — see jx-dataset.h. */
#include "jx-dataset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
  for (size_t i = 0; i < ds->n_attrs; i++)
    {
      free (ds->attrs[i].key);
      free (ds->attrs[i].value);
    }
  free (ds->attrs);
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

static char *
dup_string (const char *s)
{
  size_t n = strlen (s) + 1;
  char *d = malloc (n);
  if (d != NULL)
    memcpy (d, s, n);
  return d;
}

int
jx_dataset_set_attr (JxDataset *ds, const char *key, const char *value, JxError *err)
{
  if (key == NULL || key[0] == '\0' || value == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "dataset attribute needs a key and a value");
  if (strcmp (key, "format") == 0 || strcmp (key, "version") == 0)
    return jx_error_set (err, JX_ERR_INVALID,
                         "dataset attribute '%s' is reserved for the file format", key);
  char *v = dup_string (value);
  if (v == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory setting attribute '%s'", key);
  for (size_t i = 0; i < ds->n_attrs; i++)
    if (strcmp (ds->attrs[i].key, key) == 0)
      {
        free (ds->attrs[i].value);
        ds->attrs[i].value = v;
        return 0;
      }
  char *k = dup_string (key);
  JxAttr *a = realloc (ds->attrs, (ds->n_attrs + 1) * sizeof *a);
  if (k == NULL || a == NULL)
    {
      free (k);
      free (v);
      if (a != NULL)
        ds->attrs = a;
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory setting attribute '%s'", key);
    }
  ds->attrs = a;
  ds->attrs[ds->n_attrs].key = k;
  ds->attrs[ds->n_attrs].value = v;
  ds->n_attrs++;
  return 0;
}

const char *
jx_dataset_get_attr (const JxDataset *ds, const char *key)
{
  for (size_t i = 0; i < ds->n_attrs; i++)
    if (strcmp (ds->attrs[i].key, key) == 0)
      return ds->attrs[i].value;
  return NULL;
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

/* The HDF5 half is being written; until then these fail cleanly instead of not linking. */
int
jx_dataset_write (const JxDataset *ds, const char *path, JxProgress *progress, JxError *err)
{
  return jx_error_set (err, JX_ERR_INTERNAL, "%s: dataset writing is not implemented yet", path);
}

int
jx_dataset_read (JxDataset *ds, const char *path, JxProgress *progress, JxError *err)
{
  return jx_error_set (err, JX_ERR_INTERNAL, "%s: dataset reading is not implemented yet", path);
}

int
jx_dataset_probe (const char *path, JxDatasetInfo *info, JxError *err)
{
  return jx_error_set (err, JX_ERR_INTERNAL, "%s: dataset probing is not implemented yet", path);
}

int
jx_file_kind (const char *path, char *kind, size_t cap, JxError *err)
{
  return jx_error_set (err, JX_ERR_INTERNAL, "%s: file kinds are not implemented yet", path);
}
