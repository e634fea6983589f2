/* jx-import-jetnet.c — JetNet HDF5 files (jx-import.h).
 *
 * JetNet (Kansal et al., arXiv:2106.11535) stores per jet its particles relative to the jet,
 * particle_features [N, M, 4] = (η_rel, φ_rel, pT_rel, mask) with η_rel = η − η_jet,
 * φ_rel = φ − φ_jet, pT_rel = pT/pT_jet, and the jet itself, jet_features [N, 4] = (pT, η,
 * mass, n_particles). The jet's azimuth is not stored; physics does not depend on it (a
 * rotation about the beam), so the jet axis is put at φ_jet = 0 and the absolute momenta are
 *   pT = pT_rel · pT_jet,  η = η_rel + η_jet,  φ = φ_rel,
 *   (E, px, py, pz) = (pT cosh η, pT cos φ, pT sin φ, pT sinh η)   (massless, as JetNet's).
 * Energies and opening angles are those of the original jet. A jet axis at φ = 0 lies in the
 * x–z plane, perpendicular to y, so branching azimuths come out as they would for the jet
 * turned to +z (the JSON import's convention). Rows with mask 0 are padding.
 * The class is the file name's first letter (g, q, t, w, z → label 0..4).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-h5.h"
#include "jx-import-private.h"

#define PARTICLES "particle_features"
#define JETS "jet_features"
#define BLOCK_BYTES (4u << 20)

bool
jx_import_is_jetnet (hid_t file)
{
  return jx_h5_lookup (file, PARTICLES) == 1 && jx_h5_lookup (file, JETS) == 1;
}

static const char *const classes[] = { "g", "q", "t", "w", "z" };
static const char *const class_names[] = { "gluon", "light quark", "top quark", "W boson",
                                           "Z boson" };

/* "t.hdf5", "t150.hdf5", "q30.h5" → the class index; −1 for other names. */
static int
class_from_name (const char *path)
{
  const char *base = strrchr (path, '/');
  base = base != NULL ? base + 1 : path;
  for (int c = 0; c < 5; c++)
    {
      if (base[0] != classes[c][0])
        continue;
      const char *rest = base + 1;
      if (strncmp (rest, "150", 3) == 0)
        rest += 3;
      else if (strncmp (rest, "30", 2) == 0)
        rest += 2;
      if (strcmp (rest, ".hdf5") == 0 || strcmp (rest, ".h5") == 0)
        return c;
    }
  return -1;
}

static int
open_checked (hid_t file, const char *path, const char *name, int want_rank, size_t last,
              hid_t *out, hsize_t *dims, JxError *err)
{
  hid_t d = H5Dopen2 (file, name, H5P_DEFAULT);
  if (d < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: '%s' is not a dataset", path, name);
  int rank = 0;
  H5T_class_t cls;
  int rc = jx_h5_shape (d, 3, &rank, dims, &cls, err);
  if (rc != 0)
    jx_error_prefix (err, "%s: '%s': ", path, name);
  else if (rank != want_rank || dims[rank - 1] != last || (cls != H5T_FLOAT && cls != H5T_INTEGER))
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: '%s' must be numbers of shape %s, got rank %d "
                       "with last dimension %llu", path, name,
                       want_rank == 3 ? "[N, M, 4]" : "[N, 4]", rank,
                       (unsigned long long) dims[rank > 0 ? rank - 1 : 0]);
  if (rc != 0)
    {
      H5Dclose (d);
      return rc;
    }
  *out = d;
  return 0;
}

static int
read_jets (JxImportSink *s, hid_t dp, hid_t dj, size_t n, size_t m, JxProgress *progress,
           JxError *err)
{
  /* [0, M, 4] holds nothing whatever M says: no buffer for M particles, and no block size
   * from it either ((M + 1) * 32 wraps to 0 for M = 2^59 - 1: a division by zero). Rows
   * bound M through the storage check. */
  if (n == 0)
    return 0;
  size_t block = BLOCK_BYTES / ((m + 1) * 4 * sizeof (double));
  if (block == 0)
    block = 1;
  double *pf = malloc (block * (m > 0 ? m : 1) * 4 * sizeof *pf);
  double *jf = malloc (block * 4 * sizeof *jf);
  JxP4 *jet = malloc ((m > 0 ? m : 1) * sizeof *jet);
  int rc = pf == NULL || jf == NULL || jet == NULL
             ? jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory for jets of %zu particles",
                             s->path, m)
             : 0;
  char where[JX_PATH_MAX + 64];
  for (size_t r = 0; rc == 0 && r < n && !jx_import_sink_full (s); r += block)
    {
      if ((rc = jx_import_progress (s, progress, (double) r, (double) n, err)) != 0)
        break;
      size_t nb = n - r < block ? n - r : block;
      if ((rc = jx_h5_read_rows (dp, H5T_NATIVE_DOUBLE, r, nb, pf, err)) != 0
          || (rc = jx_h5_read_rows (dj, H5T_NATIVE_DOUBLE, r, nb, jf, err)) != 0)
        {
          jx_error_prefix (err, "%s: rows %zu..%zu: ", s->path, r, r + nb);
          break;
        }
      for (size_t i = 0; rc == 0 && i < nb && !jx_import_sink_full (s); i++)
        {
          double pt_jet = jf[4 * i], eta_jet = jf[4 * i + 1];
          size_t k = 0;
          for (size_t j = 0; j < m; j++)
            {
              const double *v = pf + (i * m + j) * 4;
              if (!(v[3] > 0.5))
                {
                  s->stats->n_padding++;
                  continue;
                }
              jet[k++] = jx_import_from_pt_y_phi (v[2] * pt_jet, v[0] + eta_jet, v[1], 0.0);
            }
          snprintf (where, sizeof where, "%s: row %zu", s->path, r + i);
          rc = jx_import_sink_jet (s, jet, k, r + i, where, err);
        }
    }
  free (pf);
  free (jf);
  free (jet);
  return rc;
}

int
jx_import_jetnet (JxImportSink *s, JxProgress *progress, JxError *err)
{
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (s->path, err);
  int rc = file < 0 ? (int) file : 0;
  hid_t dp = -1, dj = -1;
  hsize_t pdims[3] = { 0 }, jdims[3] = { 0 };
  if (rc == 0 && !jx_import_is_jetnet (file))
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: no '" PARTICLES "' and '" JETS "' datasets; is "
                       "this a JetNet file?", s->path);
  if (rc == 0)
    rc = open_checked (file, s->path, PARTICLES, 3, 4, &dp, pdims, err);
  if (rc == 0)
    rc = open_checked (file, s->path, JETS, 2, 4, &dj, jdims, err);
  if (rc == 0 && pdims[0] != jdims[0])
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: '" PARTICLES "' has %llu jets but '" JETS "' "
                       "%llu", s->path, (unsigned long long) pdims[0],
                       (unsigned long long) jdims[0]);
  int cls = class_from_name (s->path);
  s->labeled = cls >= 0;
  s->label = cls;
  if (rc == 0)
    rc = read_jets (s, dp, dj, (size_t) pdims[0], (size_t) pdims[1], progress, err);
  if (dp >= 0)
    H5Dclose (dp);
  if (dj >= 0)
    H5Dclose (dj);
  if (file >= 0)
    H5Fclose (file);
  jx_h5_quiet_end (&quiet);
  char text[128];
  if (rc == 0 && cls >= 0)
    {
      snprintf (text, sizeof text, "%d = %s (%s), from the file name (g 0, q 1, t 2, w 3, z 4)",
                cls, classes[cls], class_names[cls]);
      rc = jx_dataset_set_attr (s->ds, "import_labels", text, err);
    }
  if (rc == 0)
    rc = jx_dataset_set_attr (s->ds, "import_axis", "jet at azimuth 0 (JetNet keeps no jet phi); "
                              "pT = pT_rel pT_jet, eta = eta_rel + eta_jet, phi = phi_rel, "
                              "massless", err);
  return rc;
}
