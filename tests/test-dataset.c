/* Unit tests for jx-dataset: in-memory building, physical validation, HDF5 files (round
 * trips, refusal of bad files with clear messages, atomic writes, readability with h5py). */
#include <dirent.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jx-dataset.h"
#include "jx-h5.h"
#include "jx-rng.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

/* True if NAME or any NAME.tmp-* exists in the temporary directory. */
static int
leftovers (const char *name)
{
  DIR *d = opendir (tmpdir);
  int found = 0;
  struct dirent *e;
  size_t len = strlen (name);
  while (d != NULL && (e = readdir (d)) != NULL)
    if (strcmp (e->d_name, name) == 0
        || (strncmp (e->d_name, name, len) == 0 && strncmp (e->d_name + len, ".tmp-", 5) == 0))
      found = 1;
  if (d != NULL)
    closedir (d);
  return found;
}

static void
test_empty (void)
{
  JxDataset ds;
  jx_dataset_init (&ds);
  JX_CHECK_INT (ds.n_jets, 0);
  JX_CHECK_INT (jx_dataset_n_particles (&ds), 0);
  JX_CHECK_INT (ds.offsets[0], 0);
  jx_dataset_free (&ds);
  jx_dataset_free (&ds);  /* freeing twice is harmless: free re-initializes */
  JX_CHECK_INT (ds.offsets[ds.n_jets], 0);
}

static void
test_append_grows (void)
{
  JxDataset ds;
  JxError err = { 0 };
  jx_dataset_init (&ds);
  JxP4 buf[7];
  size_t total = 0;
  for (size_t i = 0; i < 5000; i++)
    {
      size_t n = i % 7 + 1;
      for (size_t k = 0; k < n; k++)
        buf[k] = jx_p4 ((double) i + 1, (double) k, 0, 0);
      JX_CHECK_INT (jx_dataset_append (&ds, buf, n, &err), 0);
      total += n;
    }
  JX_CHECK_INT (ds.n_jets, 5000);
  JX_CHECK_INT (jx_dataset_n_particles (&ds), total);
  int ok = 1;
  for (size_t i = 0; i < ds.n_jets; i++)
    {
      if (jx_dataset_jet_size (&ds, i) != i % 7 + 1)
        ok = 0;
      const JxP4 *jet = jx_dataset_jet (&ds, i);
      for (size_t k = 0; k < jx_dataset_jet_size (&ds, i); k++)
        if (jet[k].E != (double) i + 1 || jet[k].px != (double) k)
          ok = 0;
    }
  JX_CHECK (ok);

  /* Columns added late cover the earlier jets with defaults and follow later appends. */
  JX_CHECK_INT (jx_dataset_ensure_labels (&ds, &err), 0);
  JX_CHECK_INT (jx_dataset_ensure_weights (&ds, &err), 0);
  JX_CHECK_INT (ds.labels[4999], 0);
  JX_CHECK (ds.weights[0] == 1.0 && ds.weights[4999] == 1.0);
  ds.labels[3] = 7;
  for (int i = 0; i < 3000; i++)
    JX_CHECK_INT (jx_dataset_append_labeled (&ds, buf, 2, i, 0.5 * i, &err), 0);
  JX_CHECK_INT (ds.n_jets, 8000);
  JX_CHECK_INT (ds.labels[3], 7);
  JX_CHECK_INT (ds.labels[7999], 2999);
  JX_CHECK (ds.weights[7999] == 0.5 * 2999);
  JX_CHECK_INT (jx_dataset_append (&ds, buf, 1, &err), 0);
  JX_CHECK_INT (ds.labels[8000], 0);
  JX_CHECK (ds.weights[8000] == 1.0);
  jx_dataset_free (&ds);

  /* An empty jet can be stored (validation is separate). */
  jx_dataset_init (&ds);
  JX_CHECK_INT (jx_dataset_reserve (&ds, 10, 100, &err), 0);
  JX_CHECK_INT (jx_dataset_append (&ds, NULL, 0, &err), 0);
  JX_CHECK_INT (jx_dataset_jet_size (&ds, 0), 0);
  jx_dataset_free (&ds);
}

static void
test_attrs (void)
{
  JxDataset ds;
  JxError err = { 0 };
  jx_dataset_init (&ds);
  JX_CHECK (jx_dataset_get_attr (&ds, "generator") == NULL);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "generator", "qq", &err), 0);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "seed", "42", &err), 0);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "generator", "zz", &err), 0);
  JX_CHECK_INT (ds.n_attrs, 2);
  JX_CHECK (strcmp (jx_dataset_get_attr (&ds, "generator"), "zz") == 0);
  JX_CHECK (strcmp (jx_dataset_get_attr (&ds, "seed"), "42") == 0);
  JX_CHECK_INT (jx_dataset_set_attr (&ds, "format", "x", &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "reserved") != NULL);
  jx_dataset_free (&ds);
}

typedef struct {
  const char *name;
  JxP4 p[3];
  size_t n;
  int status;
  const char *words[3];  /* all must appear in the message */
} ValidateCase;

static void
test_validate (void)
{
  const ValidateCase cases[] = {
    { "one massless particle", { { 10, 0, 0, 10 } }, 1, 0, { NULL } },
    { "massive pair", { { 10, 0, 0, 9 }, { 5, 3, 0, 0 } }, 2, 0, { NULL } },
    { "rounding above E", { { 10, 0, 0, 10 * (1 + 1e-9) } }, 1, 0, { NULL } },
    { "zero vector", { { 0, 0, 0, 0 } }, 1, 0, { NULL } },
    { "empty", { { 0, 0, 0, 0 } }, 0, JX_ERR_INVALID, { "jet 12", "no particles" } },
    { "NaN", { { 1, 0, 0, 0 }, { NAN, 0, 0, 0 } }, 2, JX_ERR_INVALID,
      { "jet 12", "particle 1", "finite" } },
    { "Inf", { { 1, 0, INFINITY, 0 } }, 1, JX_ERR_INVALID, { "jet 12", "particle 0", "finite" } },
    { "negative E", { { 5, 0, 0, 1 }, { 5, 0, 0, 1 }, { -1, 0, 0, 0 } }, 3, JX_ERR_INVALID,
      { "particle 2", "negative energy" } },
    { "spacelike", { { 1, 0, 0, 2 } }, 1, JX_ERR_INVALID, { "jet 12", "energy below momentum" } },
    { "spacelike by 1e-5", { { 1, 0, 0, 1 + 1e-5 } }, 1, JX_ERR_INVALID, { "below" } },
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    {
      JxError err = { 0 };
      int rc = jx_jet_validate (cases[c].p, cases[c].n, 12, &err);
      JX_CHECK_MSG (rc == cases[c].status, "%s: status %d, expected %d (%s)", cases[c].name, rc,
                    cases[c].status, err.message);
      for (int w = 0; w < 3 && cases[c].words[w] != NULL; w++)
        JX_CHECK_MSG (strstr (err.message, cases[c].words[w]) != NULL, "%s: '%s' not in '%s'",
                      cases[c].name, cases[c].words[w], err.message);
    }
}

/* A dataset with awkward numbers (subnormals, −0, huge, many digits) so bit-exactness matters. */
static void
make_dataset (JxDataset *ds, size_t n_jets, int with_columns)
{
  JxRng rng;
  jx_rng_seed (&rng, 11, 0);
  JxError err;
  jx_dataset_init (ds);
  JxP4 buf[40];
  for (size_t i = 0; i < n_jets; i++)
    {
      size_t n = 1 + (size_t) (jx_rng_uniform (&rng) * 39);
      for (size_t k = 0; k < n; k++)
        {
          double px = jx_rng_uniform (&rng) - 0.5, py = jx_rng_uniform (&rng) - 0.5;
          double pz = (jx_rng_uniform (&rng) - 0.5) * 1e3;
          buf[k] = jx_p4 (sqrt (px * px + py * py + pz * pz) + jx_rng_uniform (&rng), px, py, pz);
        }
      if (i == 1)
        {
          buf[0] = jx_p4 (4.9e-324, -0.0, 0.0, 0.0);
          buf[n > 1 ? 1 : 0].E = 1.7976931348623157e308;
        }
      if (with_columns)
        jx_dataset_append_labeled (ds, buf, n, (int32_t) (i % 3) - 1, 1.0 / 3.0 + (double) i, &err);
      else
        jx_dataset_append (ds, buf, n, &err);
    }
  jx_dataset_set_attr (ds, "generator", "junipr-shower qq", &err);
  jx_dataset_set_attr (ds, "seed", "18446744073709551615", &err);
  jx_dataset_set_attr (ds, "note", "ünïcödé, \"quotes\", newline\nand tab\t", &err);
}

static int
same_dataset (const JxDataset *a, const JxDataset *b)
{
  if (a->n_jets != b->n_jets || jx_dataset_n_particles (a) != jx_dataset_n_particles (b))
    return 0;
  size_t n = a->n_jets, np = jx_dataset_n_particles (a);
  if (memcmp (a->offsets, b->offsets, (n + 1) * sizeof *a->offsets) != 0)
    return 0;
  if (np > 0 && memcmp (a->particles, b->particles, np * sizeof (JxP4)) != 0)
    return 0;
  if ((a->labels == NULL) != (b->labels == NULL) || (a->weights == NULL) != (b->weights == NULL))
    return 0;
  if (a->labels != NULL && n > 0 && memcmp (a->labels, b->labels, n * sizeof (int32_t)) != 0)
    return 0;
  if (a->weights != NULL && n > 0 && memcmp (a->weights, b->weights, n * sizeof (double)) != 0)
    return 0;
  if (a->n_attrs != b->n_attrs)
    return 0;
  for (size_t i = 0; i < a->n_attrs; i++)
    {
      const char *v = jx_dataset_get_attr (b, a->attrs[i].key);
      if (v == NULL || strcmp (v, a->attrs[i].value) != 0)
        return 0;
    }
  return 1;
}

static void
test_roundtrip (void)
{
  /* 8000 jets × ~20 particles spans several chunks and several transfer blocks. */
  const size_t sizes[] = { 0, 1, 5, 8000 };
  for (int cols = 0; cols < 2; cols++)
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
      {
        JxDataset a, b;
        JxError err = { 0 };
        make_dataset (&a, sizes[s], cols);
        const char *path = tmp_path ("round.h5");
        int rc = jx_dataset_write (&a, path, NULL, &err);
        JX_CHECK_MSG (rc == 0, "write %zu jets: %s", sizes[s], err.message);
        JX_CHECK (!leftovers ("round.h5") || access (path, F_OK) == 0);
        rc = jx_dataset_read (&b, path, NULL, &err);
        JX_CHECK_MSG (rc == 0, "read %zu jets: %s", sizes[s], err.message);
        JX_CHECK_MSG (same_dataset (&a, &b), "round trip of %zu jets (columns %d) differs",
                      sizes[s], cols);
        JxDatasetInfo info;
        rc = jx_dataset_probe (path, &info, &err);
        JX_CHECK_MSG (rc == 0, "probe: %s", err.message);
        JX_CHECK_INT (info.n_jets, sizes[s]);
        JX_CHECK_INT (info.n_particles, jx_dataset_n_particles (&a));
        JX_CHECK_INT (info.has_labels, cols && sizes[s] > 0);
        JX_CHECK_INT (info.has_weights, cols && sizes[s] > 0);
        char kind[64];
        JX_CHECK_INT (jx_file_kind (path, kind, sizeof kind, &err), 0);
        JX_CHECK (strcmp (kind, "junipr-dataset") == 0);
        /* A dataset read back can be appended to. */
        JX_CHECK_INT (jx_dataset_append (&b, a.particles, a.particles ? 1 : 0, &err), 0);
        JX_CHECK_INT (b.n_jets, sizes[s] + 1);
        jx_dataset_free (&a);
        jx_dataset_free (&b);
      }
  unlink (tmp_path ("round.h5"));
}

/* ---- bad files, made with the HDF5 API ---- */

typedef struct {
  const char *format;  /* NULL: no attribute */
  long long version;
  uint64_t offsets[4];
  size_t n_offsets;
  size_t rows, cols;
  long labels, weights;  /* lengths, −1 for none */
} Layout;

static void
make_file (const char *path, const Layout *l)
{
  JxError err;
  hid_t f = jx_h5_create (path, &err);
  JX_CHECK_MSG (f >= 0, "%s", err.message);
  if (l->format != NULL)
    {
      jx_h5_write_string_attr (f, "format", l->format, &err);
      jx_h5_write_int_attr (f, "version", l->version, &err);
    }
  hsize_t dims[2] = { l->n_offsets, 4 };
  jx_h5_write_array (f, "jets/offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, dims, l->offsets,
                     &err);
  double p[64] = { 0 };
  for (int i = 0; i < 64; i += 4)
    p[i] = 1.0;
  dims[0] = l->rows;
  dims[1] = l->cols;
  jx_h5_write_array (f, "jets/particles", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims, p, &err);
  int32_t lab[8] = { 0 };
  double w[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
  dims[0] = (hsize_t) l->labels;
  if (l->labels >= 0)
    jx_h5_write_array (f, "jets/label", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims, lab, &err);
  dims[0] = (hsize_t) l->weights;
  if (l->weights >= 0)
    jx_h5_write_array (f, "jets/weight", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims, w, &err);
  JX_CHECK_INT (jx_h5_close (f, &err), 0);
}

static void
write_bytes (const char *path, const char *bytes, size_t n)
{
  FILE *f = fopen (path, "wb");
  fwrite (bytes, 1, n, f);
  fclose (f);
}

typedef struct {
  const char *name;
  int status;
  const char *words[3];
  int probe_may_accept;  /* the cheap probe does not read every offset or particle */
} BadCase;

static void
check_refused (const BadCase *c, const char *path)
{
  JxDataset ds;
  JxError err = { 0 };
  int rc = jx_dataset_read (&ds, path, NULL, &err);
  if (getenv ("JX_TEST_VERBOSE") != NULL)
    printf ("%-16s %s\n", c->name, err.message);
  JX_CHECK_MSG (rc == c->status, "%s: read returned %d, expected %d (%s)", c->name, rc,
                c->status, err.message);
  JX_CHECK_MSG (strstr (err.message, path) != NULL, "%s: path missing in '%s'", c->name,
                err.message);
  for (int w = 0; w < 3 && c->words[w] != NULL; w++)
    JX_CHECK_MSG (strstr (err.message, c->words[w]) != NULL, "%s: '%s' not in '%s'", c->name,
                  c->words[w], err.message);
  JX_CHECK (ds.n_jets == 0 && ds.particles == NULL);
  if (!c->probe_may_accept)
    {
      JxDatasetInfo info;
      JX_CHECK_MSG (jx_dataset_probe (path, &info, &err) < 0, "%s: probe accepted it", c->name);
    }
  jx_dataset_free (&ds);
}

static void
test_bad_files (void)
{
  const Layout good = { "junipr-dataset", 1, { 0, 2, 3 }, 3, 3, 4, 2, 2 };
  const struct {
    BadCase c;
    Layout l;
  } layouts[] = {
    { { "model file", JX_ERR_FORMAT, { "is a junipr-model file", "expected a junipr-dataset" }, 0 },
      { "junipr-model", 1, { 0, 2, 3 }, 3, 3, 4, -1, -1 } },
    { { "foreign format", JX_ERR_FORMAT, { "\"energyflow\"", "junipr-dataset" }, 0 },
      { "energyflow", 1, { 0, 2, 3 }, 3, 3, 4, -1, -1 } },
    { { "no format", JX_ERR_FORMAT, { "without a 'format' attribute", "import" }, 0 },
      { NULL, 1, { 0, 2, 3 }, 3, 3, 4, -1, -1 } },
    { { "version 2", JX_ERR_FORMAT, { "version 2", "update" }, 0 },
      { "junipr-dataset", 2, { 0, 2, 3 }, 3, 3, 4, -1, -1 } },
    { { "version 0", JX_ERR_FORMAT, { "version 0", "not supported" }, 0 },
      { "junipr-dataset", 0, { 0, 2, 3 }, 3, 3, 4, -1, -1 } },
    { { "decreasing", JX_ERR_FORMAT, { "decrease at jet 1", "offsets" }, 1 },
      { "junipr-dataset", 1, { 0, 3, 2, 3 }, 4, 3, 4, -1, -1 } },
    { { "last != P", JX_ERR_FORMAT, { "ends at 2", "3 rows" }, 0 },
      { "junipr-dataset", 1, { 0, 1, 2 }, 3, 3, 4, -1, -1 } },
    { { "first != 0", JX_ERR_FORMAT, { "starts at 1" }, 0 },
      { "junipr-dataset", 1, { 1, 2, 3 }, 3, 3, 4, -1, -1 } },
    { { "three columns", JX_ERR_FORMAT, { "/jets/particles", "[P, 4]" }, 0 },
      { "junipr-dataset", 1, { 0, 2, 3 }, 3, 3, 3, -1, -1 } },
    { { "empty offsets", JX_ERR_FORMAT, { "offsets is empty" }, 0 },
      { "junipr-dataset", 1, { 0 }, 0, 0, 4, -1, -1 } },
    { { "labels", JX_ERR_FORMAT, { "/jets/label has 3 entries for 2 jets" }, 0 },
      { "junipr-dataset", 1, { 0, 2, 3 }, 3, 3, 4, 3, 2 } },
    { { "weights", JX_ERR_FORMAT, { "/jets/weight has 1 entries for 2 jets" }, 0 },
      { "junipr-dataset", 1, { 0, 2, 3 }, 3, 3, 4, 2, 1 } },
  };
  const char *path = tmp_path ("bad.h5");
  for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
    {
      make_file (path, &layouts[i].l);
      check_refused (&layouts[i].c, path);
    }

  /* The good layout is accepted (so the cases above fail for their stated reason). */
  make_file (path, &good);
  JxDataset ds;
  JxError err = { 0 };
  JX_CHECK_MSG (jx_dataset_read (&ds, path, NULL, &err) == 0, "%s", err.message);
  JX_CHECK_INT (ds.n_jets, 2);
  JX_CHECK_INT (jx_dataset_jet_size (&ds, 0), 2);
  jx_dataset_free (&ds);

  /* Missing file, a directory, a text file, an empty file. */
  BadCase missing = { "missing", JX_ERR_IO, { "No such file" }, 0 };
  check_refused (&missing, tmp_path ("does-not-exist.h5"));
  BadCase directory = { "directory", JX_ERR_IO, { "is a directory" }, 0 };
  check_refused (&directory, tmpdir);
  const char *text = tmp_path ("text.h5");
  write_bytes (text, "J 0\nN 1\n1 0 0 1\n", 16);
  BadCase not_h5 = { "text", JX_ERR_FORMAT, { "not an HDF5 file" }, 0 };
  check_refused (&not_h5, text);
  write_bytes (text, "", 0);
  BadCase empty = { "empty file", JX_ERR_FORMAT, { "not an HDF5 file" }, 0 };
  check_refused (&empty, text);
  unlink (text);

  /* A real dataset, truncated and corrupted. */
  JxDataset a;
  make_dataset (&a, 2000, 1);
  JX_CHECK_INT (jx_dataset_write (&a, path, NULL, &err), 0);
  jx_dataset_free (&a);
  struct stat st;
  stat (path, &st);
  JX_CHECK (truncate (path, st.st_size / 2) == 0);
  /* HDF5's own reason too: opening through the reader's driver must keep its error stack. */
  BadCase truncated = { "truncated", JX_ERR_FORMAT,
                        { "truncated", "(HDF5: truncated file: eof = " }, 0 };
  check_refused (&truncated, path);

  make_dataset (&a, 2000, 1);
  JX_CHECK_INT (jx_dataset_write (&a, path, NULL, &err), 0);
  jx_dataset_free (&a);
  /* Overwrite bytes in the middle, where the (checksummed) particle chunks are. */
  int fd = open (path, O_WRONLY);
  char junk[256];
  memset (junk, 0xA5, sizeof junk);
  JX_CHECK (pwrite (fd, junk, sizeof junk, st.st_size / 2) == (ssize_t) sizeof junk);
  close (fd);
  BadCase corrupt = { "corrupt", JX_ERR_FORMAT, { "damaged" }, 1 };
  check_refused (&corrupt, path);

  /* Corrupt superblock: the signature survives, the rest is garbage. */
  make_dataset (&a, 20, 0);
  JX_CHECK_INT (jx_dataset_write (&a, path, NULL, &err), 0);
  jx_dataset_free (&a);
  fd = open (path, O_WRONLY);
  JX_CHECK (pwrite (fd, junk, 40, 8) == 40);
  close (fd);
  BadCase superblock = { "superblock", JX_ERR_FORMAT, { "damaged" }, 0 };
  check_refused (&superblock, path);

  /* Right after the superblock: the root group's object header (checksummed metadata). */
  make_dataset (&a, 20, 0);
  JX_CHECK_INT (jx_dataset_write (&a, path, NULL, &err), 0);
  jx_dataset_free (&a);
  fd = open (path, O_WRONLY);
  JX_CHECK (pwrite (fd, junk, 64, 48) == 64);
  close (fd);
  BadCase root = { "root header", JX_ERR_FORMAT, { "damaged" }, 0 };
  check_refused (&root, path);
  char kind_buf[32];
  JX_CHECK_INT (jx_file_kind (path, kind_buf, sizeof kind_buf, &err), JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "damaged") != NULL, "%s", err.message);
  unlink (path);

  /* jx_file_kind on the kinds above. */
  char kind[32];
  make_file (path, &layouts[0].l);
  JX_CHECK_INT (jx_file_kind (path, kind, sizeof kind, &err), 0);
  JX_CHECK (strcmp (kind, "junipr-model") == 0);
  make_file (path, &layouts[2].l);
  JX_CHECK_INT (jx_file_kind (path, kind, sizeof kind, &err), JX_ERR_FORMAT);
  JX_CHECK (strstr (err.message, "'format'") != NULL);
  unlink (path);
}

static void
cancel_after_first (void *user, double done, double total, const char *message)
{
  int *calls = ((void **) user)[1];
  JxProgress *p = ((void **) user)[0];
  if (++*calls == 1)
    jx_progress_cancel (p);
}

static void
test_failed_writes (void)
{
  JxDataset a, b;
  JxError err = { 0 };
  make_dataset (&a, 20000, 1);

  /* Unwritable destinations: a missing directory, a regular file used as a directory. */
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("no-such-dir/out.h5"), NULL, &err), JX_ERR_IO);
  JX_CHECK_MSG (strstr (err.message, "no-such-dir/out.h5") != NULL
                && strstr (err.message, "No such file") != NULL, "%s", err.message);
  write_bytes (tmp_path ("plain"), "x", 1);
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("plain/out.h5"), NULL, &err), JX_ERR_IO);
  JX_CHECK_MSG (strstr (err.message, "Not a directory") != NULL, "%s", err.message);
  unlink (tmp_path ("plain"));

  /* Cancelled before the start, and in the middle: no file, no temporary. */
  JxProgress progress;
  int calls = 0;
  void *user[2] = { &progress, &calls };
  jx_progress_init (&progress, NULL, NULL);
  jx_progress_cancel (&progress);
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("c.h5"), &progress, &err), JX_ERR_CANCELLED);
  JX_CHECK (strstr (err.message, "cancelled") != NULL);
  JX_CHECK (!leftovers ("c.h5"));
  jx_progress_init (&progress, cancel_after_first, user);
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("c.h5"), &progress, &err), JX_ERR_CANCELLED);
  JX_CHECK_INT (calls, 1);
  JX_CHECK (!leftovers ("c.h5"));

  /* A cancelled write over an existing file leaves the old file intact. */
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("c.h5"), NULL, &err), 0);
  JxDataset other;
  make_dataset (&other, 30000, 0);
  calls = 0;
  jx_progress_init (&progress, cancel_after_first, user);
  JX_CHECK_INT (jx_dataset_write (&other, tmp_path ("c.h5"), &progress, &err), JX_ERR_CANCELLED);
  jx_dataset_free (&other);
  JX_CHECK_INT (jx_dataset_read (&b, tmp_path ("c.h5"), NULL, &err), 0);
  JX_CHECK (same_dataset (&a, &b));
  jx_dataset_free (&b);

  /* A cancelled read returns nothing and says so. */
  calls = 0;
  jx_progress_init (&progress, cancel_after_first, user);
  JX_CHECK_INT (jx_dataset_read (&b, tmp_path ("c.h5"), &progress, &err), JX_ERR_CANCELLED);
  JX_CHECK (b.n_jets == 0 && strstr (err.message, "cancelled") != NULL);
  unlink (tmp_path ("c.h5"));
  JX_CHECK (!leftovers ("c.h5"));

  /* The disk fills up mid-write (a file size limit makes write() fail with EFBIG): an I/O
   * error naming the file, no temporary left, the old file untouched. */
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("full.h5"), NULL, &err), 0);
  struct rlimit old_limit, small = { 256 << 10, 0 };
  getrlimit (RLIMIT_FSIZE, &old_limit);
  small.rlim_max = old_limit.rlim_max;
  void (*old_handler) (int) = signal (SIGXFSZ, SIG_IGN);
  make_dataset (&other, 30000, 0);
  setrlimit (RLIMIT_FSIZE, &small);
  int rc = jx_dataset_write (&other, tmp_path ("full.h5"), NULL, &err);
  setrlimit (RLIMIT_FSIZE, &old_limit);
  signal (SIGXFSZ, old_handler);
  jx_dataset_free (&other);
  if (getenv ("JX_TEST_VERBOSE") != NULL)
    printf ("%-16s %s\n", "disk full", err.message);
  JX_CHECK_INT (rc, JX_ERR_IO);
  JX_CHECK_MSG (strstr (err.message, "full.h5") != NULL
                && strstr (err.message, "File too large") != NULL
                && strchr (err.message, '\n') == NULL, "%s", err.message);
  JX_CHECK_INT (jx_dataset_read (&b, tmp_path ("full.h5"), NULL, &err), 0);
  JX_CHECK (same_dataset (&a, &b));
  jx_dataset_free (&b);
  unlink (tmp_path ("full.h5"));
  JX_CHECK (!leftovers ("full.h5"));

  /* A layout that is not consistent is refused before anything is created. */
  a.offsets[3] = a.offsets[2] - 1;
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("d.h5"), NULL, &err), JX_ERR_INTERNAL);
  JX_CHECK (!leftovers ("d.h5"));
  jx_dataset_free (&a);
}

/* The layout is the public contract: check it from Python with h5py (`test-dataset --h5py`,
 * its own test: skipped, exit 77, when no python3 has h5py). */
static int
test_h5py (void)
{
  const char *pythons[] = { "python3", "/usr/bin/python3" };
  const char *python = NULL;
  char cmd[1024];
  for (int i = 0; i < 2 && python == NULL; i++)
    {
      snprintf (cmd, sizeof cmd, "%s -c 'import h5py' >/dev/null 2>&1", pythons[i]);
      if (system (cmd) == 0)
        python = pythons[i];
    }
  if (python == NULL)
    {
      printf ("skipped: neither python3 nor /usr/bin/python3 can import h5py "
              "(Debian: apt install python3-h5py)\n");
      return 77;
    }
  JxDataset a;
  JxError err;
  make_dataset (&a, 100, 1);
  const char *path = tmp_path ("py.h5");
  JX_CHECK_INT (jx_dataset_write (&a, path, NULL, &err), 0);
  const JxP4 *j1 = jx_dataset_jet (&a, 7);
  snprintf (cmd, sizeof cmd,
            "%s -c 'import h5py, sys\n"
            "f = h5py.File(sys.argv[1], \"r\"); off = f[\"jets/offsets\"][:]; p = f[\"jets/particles\"][:]\n"
            "j = p[off[7]:off[8]]\n"
            "s = lambda v: v.decode() if isinstance(v, bytes) else v\n"
            "assert s(f.attrs[\"format\"]) == \"junipr-dataset\" and f.attrs[\"version\"] == 1\n"
            "assert s(f.attrs[\"generator\"]) == \"junipr-shower qq\"\n"
            "assert len(off) == 101 and p.shape == (off[-1], 4) and len(j) == %zu\n"
            "assert j[0, 0] == %.17g and j[0, 3] == %.17g\n"
            "assert f[\"jets/label\"][2] == 1 and f[\"jets/weight\"].dtype == \"float64\"\n"
            "' %s", python, jx_dataset_jet_size (&a, 7), j1[0].E, j1[0].pz, path);
  int rc = system (cmd);
  JX_CHECK_MSG (rc == 0, "h5py could not read the dataset as documented (exit %d)", rc);
  unlink (path);
  jx_dataset_free (&a);

  /* The other way: a dataset made with h5py and numpy defaults (int64 offsets, float32
   * particles, variable-length string attributes, gzip) reads here. */
  const char *made = tmp_path ("from-h5py.h5");
  snprintf (cmd, sizeof cmd,
            "%s -c 'import h5py, numpy as np, sys\n"
            "with h5py.File(sys.argv[1], \"w\") as f:\n"
            "    f.attrs[\"format\"] = \"junipr-dataset\"; f.attrs[\"version\"] = 1\n"
            "    f.attrs[\"comment\"] = \"made by hand\"\n"
            "    f[\"jets/offsets\"] = np.array([0, 2, 3])\n"
            "    f.create_dataset(\"jets/particles\", data=np.array([[5, 0, 0, 5], [3, 0, 0, -3], "
            "[1, 0, 0, 0.5]], dtype=np.float32), compression=\"gzip\")\n"
            "    f[\"jets/label\"] = np.array([1, 0])\n"
            "' %s", python, made);
  rc = system (cmd);
  JX_CHECK_MSG (rc == 0, "h5py could not write a dataset (exit %d)", rc);
  JxDataset b;
  rc = jx_dataset_read (&b, made, NULL, &err);
  JX_CHECK_MSG (rc == 0, "reading a dataset made by h5py: %s", err.message);
  if (rc == 0)
    {
      JX_CHECK_INT (b.n_jets, 2);
      JX_CHECK (b.particles[2].E == 1 && b.particles[2].pz == 0.5);
      JX_CHECK (b.labels != NULL && b.labels[0] == 1 && b.weights == NULL);
      const char *c = jx_dataset_get_attr (&b, "comment");
      JX_CHECK (c != NULL && strcmp (c, "made by hand") == 0);
    }
  jx_dataset_free (&b);
  unlink (made);
  return 0;
}

/* Runs fn with stderr captured and checks that nothing but failed checks was printed: HDF5
 * must never print its error stack from the library. */
static void
run_silently (void (*fn) (void), const char *name)
{
  const char *cap = tmp_path ("stderr.txt");
  fflush (stderr);
  int saved = dup (2);
  int fd = open (cap, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  dup2 (fd, 2);
  int failures_before = jx_test_failures;
  fn ();
  fflush (stderr);
  dup2 (saved, 2);
  close (saved);
  close (fd);
  FILE *f = fopen (cap, "r");
  char line[512];
  int printed = 0;
  while (f != NULL && fgets (line, sizeof line, f) != NULL)
    {
      fputs (line, stderr);
      printed = 1;
    }
  if (f != NULL)
    fclose (f);
  unlink (cap);
  JX_CHECK_MSG (!printed || jx_test_failures > failures_before,
                "%s printed to stderr (HDF5 error stack?)", name);
}

int
main (int argc, char **argv)
{
  jx_test_tmp_begin ("dataset");
  if (argc > 1 && strcmp (argv[1], "--h5py") == 0)
    {
      int skip = test_h5py ();
      jx_test_tmp_end ();
      if (skip)
        return skip;
      JX_TEST_MAIN_END ("dataset-h5py");
    }
  test_empty ();
  test_append_grows ();
  test_attrs ();
  test_validate ();
  test_roundtrip ();
  run_silently (test_bad_files, "test_bad_files");
  test_failed_writes ();
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("dataset");
}
