/* jx-import-energyflow.c — EnergyFlow's quark/gluon jets, QG_jets*.npz (jx-import.h).
 *
 * The .npz is a zip of NumPy arrays (np.savez_compressed: deflated; np.savez: stored):
 * X.npy (n, M, 4) float64 = (pT, y, φ, pid) per particle, zero-padded, and y.npy (n,) with
 * 1 = quark, 0 = gluon. libzip inflates X a block of jets at a time, so the file is never
 * held in memory; the .npy headers are checked (jx-npy.h): float64 little-endian in C order
 * only, shapes consistent with each other and with the bytes in the archive.
 * Masses come from the particle id like energyflow's p4s_from_ptyphipids (a particle it
 * does not know is refused: a bad jet): E = m_T cosh y, p_z = m_T sinh y.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "jx-import-private.h"
#include "jx-npy.h"

#define BLOCK_BYTES (4u << 20)

/* PDG masses in GeV of the particles a hadron-level event leaves (and a few long-lived
 * ones a generator may keep stable), by |id|. */
static const struct {
  int id;
  double mass;
} pdg_masses[] = {
  { 22, 0.0 },           { 11, 0.000510999 },  { 13, 0.105658 },     { 12, 0.0 },
  { 14, 0.0 },           { 16, 0.0 },          { 211, 0.13957 },     { 111, 0.134977 },
  { 321, 0.493677 },     { 130, 0.497611 },    { 310, 0.497611 },    { 2212, 0.938272 },
  { 2112, 0.939565 },    { 3122, 1.11568 },    { 3222, 1.18937 },    { 3112, 1.19745 },
  { 3212, 1.19264 },     { 3312, 1.32171 },    { 3322, 1.31486 },    { 3334, 1.67245 },
};

static bool
pid_mass (double pid, double *mass)
{
  if (!(pid == floor (pid)) || fabs (pid) > 1e7)
    return false;
  int id = abs ((int) pid);
  for (size_t i = 0; i < sizeof pdg_masses / sizeof pdg_masses[0]; i++)
    if (pdg_masses[i].id == id)
      {
        *mass = pdg_masses[i].mass;
        return true;
      }
  return false;
}

/* ---- one array member of the zip ------------------------------------------------------- */

typedef struct {
  zip_file_t *f;
  const char *name;    /* "X.npy" */
  JxNpyHeader h;
  uint64_t size;       /* uncompressed bytes in the archive */
} Member;

/* Exactly n bytes, or an error naming the member and how far it got. */
static int
member_read (Member *m, void *buf, size_t n, const char *path, JxError *err)
{
  size_t got = 0;
  while (got < n)
    {
      zip_int64_t k = zip_fread (m->f, (char *) buf + got, n - got);
      if (k < 0)
        return jx_error_set (err, JX_ERR_FORMAT, "%s: cannot read %s: %s (damaged archive?)",
                             path, m->name, zip_file_strerror (m->f));
      if (k == 0)
        return jx_error_set (err, JX_ERR_FORMAT, "%s: %s ends early (truncated archive?)", path,
                             m->name);
      got += (size_t) k;
    }
  return 0;
}

static int
member_open (zip_t *za, const char *path, const char *name, Member *m, JxError *err)
{
  memset (m, 0, sizeof *m);
  m->name = name;
  zip_int64_t ix = zip_name_locate (za, name, 0);
  if (ix < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: no %s in the archive (EnergyFlow's QG_jets "
                         "files hold X.npy and y.npy)", path, name);
  zip_stat_t st;
  if (zip_stat_index (za, (zip_uint64_t) ix, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return jx_error_set (err, JX_ERR_FORMAT, "%s: cannot read the size of %s", path, name);
  m->size = st.size;
  if ((m->f = zip_fopen_index (za, (zip_uint64_t) ix, 0)) == NULL)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: cannot open %s: %s", path, name,
                         zip_error_strerror (zip_get_error (za)));
  unsigned char prefix[JX_NPY_PREFIX];
  size_t want = m->size < sizeof prefix ? (size_t) m->size : sizeof prefix;
  size_t total;
  int rc = member_read (m, prefix, want, path, err);
  if (rc == 0 && (rc = jx_npy_header_bytes (prefix, want, &total, err)) != 0)
    jx_error_prefix (err, "%s: %s: ", path, name);
  unsigned char *head = rc == 0 ? malloc (total) : NULL;
  if (rc == 0 && head == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  if (rc == 0 && (total > m->size || total < want))
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: %s: the .npy header length %zu does not fit "
                       "the member's %llu bytes", path, name, total, (unsigned long long) m->size);
  if (rc == 0)
    {
      memcpy (head, prefix, want);
      rc = member_read (m, head + want, total - want, path, err);
    }
  if (rc == 0 && (rc = jx_npy_parse_header (head, total, &m->h, err)) != 0)
    jx_error_prefix (err, "%s: %s: ", path, name);
  free (head);
  return rc;
}

static void
member_close (Member *m)
{
  if (m->f != NULL)
    zip_fclose (m->f);
  m->f = NULL;
}

/* The data must fill the member exactly: a wrong shape in the header is caught here. */
static int
member_check_size (const Member *m, size_t item, const char *path, JxError *err)
{
  uint64_t count;
  if (!jx_npy_count (&m->h, &count) || count > (UINT64_MAX - m->h.header_bytes) / item)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: %s: the shape is too large", path, m->name);
  uint64_t want = m->h.header_bytes + count * item;
  if (want != m->size)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: %s holds %llu bytes, its header's shape and "
                         "dtype say %llu", path, m->name, (unsigned long long) m->size,
                         (unsigned long long) want);
  return 0;
}

static void
swap8 (void *p, size_t n)
{
  unsigned char *b = p;
  for (size_t i = 0; i < n; i++, b += 8)
    for (int k = 0; k < 4; k++)
      {
        unsigned char t = b[k];
        b[k] = b[7 - k];
        b[7 - k] = t;
      }
}

/* ---- y: the labels ------------------------------------------------------------------ */

static int
read_labels (Member *m, size_t n, const char *path, int32_t **out, JxError *err)
{
  const char *d = m->h.descr;
  bool f8 = strcmp (d, "<f8") == 0, i8 = strcmp (d, "<i8") == 0;
  if (!f8 && !i8)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: y.npy has dtype '%s'; expected '<f8' (float64, "
                         "as EnergyFlow writes it) or '<i8'", path, d);
  if (m->h.rank != 1 || m->h.shape[0] != n)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: y.npy must have shape (%zu,), one label per "
                         "jet of X", path, n);
  int rc = member_check_size (m, 8, path, err);
  unsigned char *raw = rc == 0 ? malloc (n > 0 ? 8 * n : 1) : NULL;
  int32_t *labels = rc == 0 ? malloc ((n > 0 ? n : 1) * sizeof *labels) : NULL;
  if (rc == 0 && (raw == NULL || labels == NULL))
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory for %zu labels", n);
  if (rc == 0)
    rc = member_read (m, raw, 8 * n, path, err);
  if (rc == 0 && !jx_import_host_little_endian ())
    swap8 (raw, n);
  for (size_t i = 0; rc == 0 && i < n; i++)
    {
      double v;
      if (f8)
        memcpy (&v, raw + 8 * i, 8);
      else
        {
          int64_t x;
          memcpy (&x, raw + 8 * i, 8);
          v = (double) x;
        }
      if (!(v == floor (v)) || fabs (v) > INT32_MAX)
        rc = jx_error_set (err, JX_ERR_FORMAT, "%s: y.npy[%zu] is %g, not an integer label", path,
                           i, v);
      else
        labels[i] = (int32_t) v;
    }
  free (raw);
  if (rc != 0)
    {
      free (labels);
      return rc;
    }
  *out = labels;
  return 0;
}

/* ---- X: the jets -------------------------------------------------------------------- */

static int
check_x (const Member *m, const char *path, JxError *err)
{
  const JxNpyHeader *h = &m->h;
  if (strcmp (h->descr, "<f8") != 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: X.npy has dtype '%s'; only '<f8' (little-endian "
                         "float64, as EnergyFlow writes it) is read — convert with "
                         "X.astype('<f8')", path, h->descr);
  if (h->fortran_order)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: X.npy is in Fortran order; only C order is read "
                         "— save np.ascontiguousarray(X)", path);
  if (h->rank != 3 || h->shape[2] != 4)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: X.npy must have shape (jets, particles, 4) = "
                         "(pt, y, phi, pid), got rank %d", path, h->rank);
  if (h->shape[1] > (1u << 20))
    return jx_error_set (err, JX_ERR_FORMAT, "%s: X.npy has %llu particles per jet, implausibly "
                         "many", path, (unsigned long long) h->shape[1]);
  return member_check_size (m, 8, path, err);
}

static int
read_jets (JxImportSink *s, Member *x, const int32_t *labels, JxProgress *progress, JxError *err)
{
  size_t n = (size_t) x->h.shape[0], m = (size_t) x->h.shape[1];
  size_t row = m * 4 * sizeof (double);
  size_t block = row > 0 && BLOCK_BYTES / row > 0 ? BLOCK_BYTES / row : 1;
  double *v = malloc (block * (row > 0 ? row : 1));
  JxP4 *jet = malloc ((m > 0 ? m : 1) * sizeof *jet);
  int rc = v == NULL || jet == NULL
             ? jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory for jets of %zu particles",
                             s->path, m)
             : 0;
  bool swap = !jx_import_host_little_endian ();
  char where[JX_PATH_MAX + 64];
  for (size_t r = 0; rc == 0 && r < n && !jx_import_sink_full (s); r += block)
    {
      if ((rc = jx_import_progress (s, progress, (double) r, (double) n, err)) != 0)
        break;
      size_t nb = n - r < block ? n - r : block;
      if ((rc = member_read (x, v, nb * row, s->path, err)) != 0)
        break;
      if (swap)
        swap8 (v, nb * m * 4);
      for (size_t i = 0; rc == 0 && i < nb && !jx_import_sink_full (s); i++)
        {
          size_t k = 0;
          JxError bad = { 0 };
          for (size_t j = 0; j < m && bad.code == 0; j++)
            {
              const double *p = v + (i * m + j) * 4;
              double mass;
              if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0)
                s->stats->n_padding++;
              else if (!pid_mass (p[3], &mass))
                jx_error_set (&bad, JX_ERR_FORMAT, "particle %zu has pid %g, not a particle id "
                              "with a known mass", j, p[3]);
              else
                jet[k++] = jx_import_from_pt_y_phi (p[0], p[1], p[2], mass);
            }
          snprintf (where, sizeof where, "%s: X.npy jet %zu", s->path, r + i);
          s->labeled = true;
          s->label = labels[r + i];
          if (bad.code != 0)
            {
              s->n_input++;
              rc = jx_import_sink_bad (s, &bad, where, err);
            }
          else
            rc = jx_import_sink_jet (s, jet, k, r + i, where, err);
        }
    }
  free (v);
  free (jet);
  return rc;
}

int
jx_import_energyflow (JxImportSink *s, JxProgress *progress, JxError *err)
{
  int zerr = 0;
  zip_t *za = zip_open (s->path, ZIP_RDONLY, &zerr);
  if (za == NULL)
    {
      zip_error_t ze;
      zip_error_init_with_code (&ze, zerr);
      int rc = jx_error_set (err, zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ ? JX_ERR_IO
                                                                             : JX_ERR_FORMAT,
                             "%s: %s%s", s->path, zerr == ZIP_ER_NOZIP ? "not a .npz (zip) "
                             "archive: " : "", zip_error_strerror (&ze));
      zip_error_fini (&ze);
      return rc;
    }
  Member x = { 0 }, y = { 0 };
  int32_t *labels = NULL;
  int rc = member_open (za, s->path, "X.npy", &x, err);
  if (rc == 0)
    rc = check_x (&x, s->path, err);
  if (rc == 0)
    rc = member_open (za, s->path, "y.npy", &y, err);
  if (rc == 0)
    rc = read_labels (&y, (size_t) x.h.shape[0], s->path, &labels, err);
  member_close (&y);
  if (rc == 0)
    rc = read_jets (s, &x, labels, progress, err);
  member_close (&x);
  zip_discard (za);
  free (labels);
  if (rc == 0)
    rc = jx_dataset_set_attr (s->ds, "import_labels", "y (1 = quark, 0 = gluon)", err);
  if (rc == 0)
    rc = jx_dataset_set_attr (s->ds, "import_masses", "PDG masses from pid (as energyflow's "
                              "p4s_from_ptyphipids)", err);
  return rc;
}
