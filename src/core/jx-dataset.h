/* jx-dataset.h — jets in memory and in HDF5 dataset files (DESIGN.md §5).
 *
 * File layout (attribute format = "junipr-dataset", version = 1 on "/"):
 *   /jets/offsets    uint64  [N+1]   jet i is particles[offsets[i] : offsets[i+1]]
 *   /jets/particles  float64 [P, 4]  (E, px, py, pz) in GeV
 *   /jets/label      int32   [N]     optional
 *   /jets/weight     float64 [N]     optional
 * plus string attributes on "/" describing the source (generator, parameters, seed, or the
 * imported file). Readable with h5py:
 *   f = h5py.File(path); off = f["jets/offsets"][:]; p = f["jets/particles"][:]
 *   jet_i = p[off[i]:off[i+1]]
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-error.h"
#include "jx-attrs.h"
#include "jx-momentum.h"
#include "jx-progress.h"

#define JX_DATASET_FORMAT "junipr-dataset"
#define JX_DATASET_VERSION 1

typedef struct {
  size_t n_jets;
  uint64_t *offsets;    /* [n_jets + 1]; offsets[0] = 0 */
  JxP4 *particles;      /* [offsets[n_jets]] */
  int32_t *labels;      /* [n_jets] or NULL */
  double *weights;      /* [n_jets] or NULL */
  JxAttr *attrs;        /* source description, [n_attrs] */
  size_t n_attrs;
  size_t cap_jets, cap_particles;  /* allocation bookkeeping */
  size_t first_jet;     /* index in its file of jet 0: > 0 after a jx_dataset_read_range */
} JxDataset;

void jx_dataset_init (JxDataset *ds);
void jx_dataset_free (JxDataset *ds);  /* frees and re-initializes */

/* Append a jet (copied). Does not validate; see jx_jet_validate. Amortized O(n). If the
 * dataset has labels/weights, the new jet gets label 0 and weight 1. Not thread-safe. */
int jx_dataset_append (JxDataset *ds, const JxP4 *particles, size_t n, JxError *err);

/* Append a jet with its label and weight (creates both columns on first use). */
int jx_dataset_append_labeled (JxDataset *ds, const JxP4 *particles, size_t n, int32_t label,
                               double weight, JxError *err);

/* Pre-allocate room for n_jets jets and n_particles particles in total (optional). */
int jx_dataset_reserve (JxDataset *ds, size_t n_jets, size_t n_particles, JxError *err);

/* Total number of particles, offsets[n_jets]. After jx_dataset_init offsets is a valid
 * one-entry array {0}, so this (and offsets[n_jets]) never needs a special case. */
size_t jx_dataset_n_particles (const JxDataset *ds);

static inline size_t
jx_dataset_jet_size (const JxDataset *ds, size_t i)
{
  return (size_t) (ds->offsets[i + 1] - ds->offsets[i]);
}

static inline const JxP4 *
jx_dataset_jet (const JxDataset *ds, size_t i)
{
  return ds->particles + ds->offsets[i];
}

/* Optional per-jet columns: allocate (zero labels, unit weights) on first use. */
int jx_dataset_ensure_labels (JxDataset *ds, JxError *err);
int jx_dataset_ensure_weights (JxDataset *ds, JxError *err);

/* String attributes (replaces an existing key). */
int jx_dataset_set_attr (JxDataset *ds, const char *key, const char *value, JxError *err);
const char *jx_dataset_get_attr (const JxDataset *ds, const char *key);

/* Physical sanity of one jet: finite numbers within ±JX_P4_MAX GeV (jx-momentum.h), E ≥ 0,
 * E ≥ |p| up to rounding (relative 1e-6), n ≥ 1. The message names the jet index and the
 * particle. */
int jx_jet_validate (const JxP4 *particles, size_t n, size_t jet_index, JxError *err);

/* Atomic write (jx-atomic.h); validates the layout, not the physics. Progress and cancel are
 * checked every ~4 MiB; a failed or cancelled write leaves no file (an existing file under
 * path stays as it was). */
int jx_dataset_write (const JxDataset *ds, const char *path, JxProgress *progress, JxError *err);

/* Read a whole dataset file; refuses files of another kind or version, truncated or
 * inconsistent offsets, with a message naming the file and what is wrong. ds is initialized
 * here (its previous contents are not freed); on failure it is left empty. String and scalar
 * number attributes on "/" other than format/version come back in ds->attrs. */
int jx_dataset_read (JxDataset *ds, const char *path, JxProgress *progress, JxError *err);

/* Read only jets [first, first + count) of a dataset file (count = SIZE_MAX: to the end):
 * hyperslabs of /jets/offsets, of the particle rows those offsets name, and of the optional
 * columns; the rest of the file is never read (so the ranks of an MPI job each hold only
 * their own share). ds->offsets start at 0 again and ds->first_jet = first. The offsets read
 * are checked as a full read checks them, within the range: non-decreasing, never past the
 * particle count, starting at 0 when the range starts the file and ending at the particle
 * count when it ends it, so ranges that tile the file check all of it. A range reaching past
 * the file is JX_ERR_RANGE naming both. Errors name jets by their index in the file. */
int jx_dataset_read_range (JxDataset *ds, const char *path, size_t first, size_t count,
                           JxProgress *progress, JxError *err);

/* Cheap look at a dataset file without reading the particles. */
typedef struct {
  size_t n_jets;
  size_t n_particles;
  bool has_labels, has_weights;
} JxDatasetInfo;
int jx_dataset_probe (const char *path, JxDatasetInfo *info, JxError *err);

/* What kind of junipr file is this ("junipr-dataset", "junipr-model", ...)? kind: buffer of
 * size cap. Fails with JX_ERR_FORMAT for a non-HDF5 file or one without a format attribute. */
int jx_file_kind (const char *path, char *kind, size_t cap, JxError *err);
