/* Unit tests for jx-import: the JUNIPR text format, zero-padded HDF5 arrays, HepMC ASCII,
 * refusal of bad input with the line and the reason, skipping, cancel, text export. */
#include <dirent.h>
#include <fcntl.h>
#include <hdf5.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jx-dataset.h"
#include "jx-h5.h"
#include "jx-import.h"
#include "jx-test.h"
#include "jx-test-tmp.h"

static char datadir[1024];

static const char *
data_path (const char *name)
{
  static char buf[4][1200];
  static int next;
  char *p = buf[next++ % 4];
  snprintf (p, sizeof buf[0], "%s/%s", datadir, name);
  return p;
}

static int
is_p4 (JxP4 p, double E, double px, double py, double pz)
{
  return p.E == E && p.px == px && p.py == py && p.pz == pz;
}

static int
has_attr (const JxDataset *ds, const char *key, const char *value)
{
  const char *v = jx_dataset_get_attr (ds, key);
  return v != NULL && strcmp (v, value) == 0;
}

static void
test_text (void)
{
  JxDataset ds;
  JxError err = { 0 };
  JxImportStats st;
  JxImportOptions opt;
  jx_import_options_init (&opt);
  const char *path = data_path ("junipr-text-small.txt");
  int rc = jx_import (&ds, path, &opt, &st, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (st.format, JX_IMPORT_TEXT);
  JX_CHECK_INT (ds.n_jets, 3);
  JX_CHECK_INT (st.n_jets, 3);
  if (ds.n_jets == 3)
    {
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 0), 3);
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 1), 1);
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 2), 2);
      JX_CHECK (is_p4 (jx_dataset_jet (&ds, 0)[0], 50, 30, 0, 40));  /* E last in the file */
      JX_CHECK (is_p4 (jx_dataset_jet (&ds, 0)[2], 17, -8, 0, 15));
      JX_CHECK (is_p4 (jx_dataset_jet (&ds, 2)[1], 41, 0, -9, -40));
    }
  JX_CHECK (has_attr (&ds, "source", "import"));
  JX_CHECK (has_attr (&ds, "import_format", "text"));
  JX_CHECK (has_attr (&ds, "import_file", path));

  /* Export and import again: the same doubles. */
  JxDataset back;
  JX_CHECK_INT (jx_export_text (&ds, tmp_path ("export.txt"), NULL, &err), 0);
  JX_CHECK_INT (jx_import (&back, tmp_path ("export.txt"), NULL, NULL, NULL, &err), 0);
  JX_CHECK_INT (back.n_jets, ds.n_jets);
  JX_CHECK (memcmp (back.offsets, ds.offsets, (ds.n_jets + 1) * sizeof (uint64_t)) == 0);
  JX_CHECK (memcmp (back.particles, ds.particles,
                    jx_dataset_n_particles (&ds) * sizeof (JxP4)) == 0);
  jx_dataset_free (&back);

  /* max_jets stops early. */
  opt.max_jets = 2;
  JX_CHECK_INT (jx_import (&back, path, &opt, NULL, NULL, &err), 0);
  JX_CHECK_INT (back.n_jets, 2);
  jx_dataset_free (&back);
  jx_dataset_free (&ds);

  /* Awkward doubles survive export → import bit for bit (the largest: JX_P4_MAX, beyond
   * which momenta are refused). */
  jx_dataset_init (&ds);
  JxP4 odd[3] = { { 1.0 / 3.0, 1e-300, -0.0, 0.1 }, { JX_P4_MAX, 1, 2, 3 },
                  { 4.9e-324, 0, 0, 0 } };
  jx_dataset_append (&ds, odd, 3, &err);
  JX_CHECK_INT (jx_export_text (&ds, tmp_path ("odd.txt"), NULL, &err), 0);
  opt.max_jets = 0;
  opt.format = JX_IMPORT_TEXT;
  JX_CHECK_INT (jx_import (&back, tmp_path ("odd.txt"), &opt, NULL, NULL, &err), 0);
  JX_CHECK (back.n_jets == 1 && memcmp (back.particles, odd, sizeof odd) == 0);
  jx_dataset_free (&back);
  jx_dataset_free (&ds);
}

typedef struct {
  const char *name;
  const char *text;
  int status;
  const char *words[3];
} TextCase;

static void
test_bad_text (void)
{
  const TextCase cases[] = {
    { "3 numbers", "J 0\nN 2\n1 0 0 1\n1 0 1\n", JX_ERR_FORMAT,
      { "t.txt:4:", "expected 4 numbers 'px py pz E', got 3" } },
    { "5 numbers", "# c\nJ 0\nN 1\n1 0 0 1 2\n", JX_ERR_FORMAT, { "t.txt:4:", "got 5" } },
    { "not a number", "J 0\nN 1\n1 0 zero 1\n", JX_ERR_FORMAT,
      { "t.txt:3:", "'zero' is not a number" } },
    { "no N", "J 0\n1 0 0 1\n", JX_ERR_FORMAT, { "t.txt:2:", "expected 'N" } },
    { "N short", "J 0\nN 3\n1 0 0 1\n1 0 0 1\nJ 1\nN 1\n1 0 0 1\n", JX_ERR_FORMAT,
      { "t.txt:5:", "declares N 3 but has only 2" } },
    { "N long", "J 0\nN 1\n1 0 0 1\n1 0 0 1\n", JX_ERR_FORMAT,
      { "t.txt:4:", "expected 'J <jet index>'", "is N too small" } },
    { "ends inside", "J 0\nN 3\n1 0 0 1\n", JX_ERR_FORMAT,
      { "file ends inside jet 0", "N 3", "1 particle lines" } },
    { "ends after J", "J 7\n", JX_ERR_FORMAT, { "t.txt:1:", "without its 'N' line" } },
    { "garbage", "hello world\n", JX_ERR_FORMAT, { "t.txt:1:", "expected 'J <jet index>'" } },
    { "negative N", "J 0\nN -2\n", JX_ERR_FORMAT,
      { "t.txt:2:", "non-negative integer, got '-2'" } },
    { "NaN", "J 0\nN 1\n1 0 0 1\nJ 1\nN 2\n1 0 0 1\nnan 0 0 1\n", JX_ERR_INVALID,
      { "t.txt:4:", "jet 1, particle 1", "finite" } },
    { "Inf", "J 0\nN 1\n0 0 inf 1e999\n", JX_ERR_INVALID, { "t.txt:1:", "finite" } },
    { "negative E", "J 5\nN 1\n0 0 0 -1\n", JX_ERR_INVALID,
      { "t.txt:1:", "jet 5, particle 0", "negative energy" } },
    { "E < |p|", "J 0\nN 2\n1 0 0 1\n0 3 4 4.9\n", JX_ERR_INVALID,
      { "jet 0, particle 1", "energy below momentum" } },
    { "empty jet", "J 0\nN 0\n", JX_ERR_INVALID, { "t.txt:1:", "jet 0 has no particles" } },
    { "empty file", "", JX_ERR_FORMAT, { "no valid jets" } },
    { "comments only", "# nothing\n\n", JX_ERR_FORMAT, { "no valid jets" } },
    { "1-particle jet", "J 0\nN 1\n0 0 5 5\n", 0, { NULL } },
    { "massive and CRLF", "J 0\r\nN 2\r\n0 0 3 5\r\n0 0 -3 5\r\n", 0, { NULL } },
  };
  const char *path = tmp_path ("t.txt");
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_TEXT;
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    {
      write_text (path, cases[c].text);
      JxDataset ds;
      JxError err = { 0 };
      int rc = jx_import (&ds, path, &opt, NULL, NULL, &err);
      if (getenv ("JX_TEST_VERBOSE") != NULL)
        printf ("%-16s %s\n", cases[c].name, err.message);
      JX_CHECK_MSG (rc == cases[c].status, "%s: status %d, expected %d (%s)", cases[c].name, rc,
                    cases[c].status, err.message);
      for (int w = 0; w < 3 && cases[c].words[w] != NULL; w++)
        JX_CHECK_MSG (strstr (err.message, cases[c].words[w]) != NULL, "%s: '%s' not in '%s'",
                      cases[c].name, cases[c].words[w], err.message);
      JX_CHECK (rc == 0 || ds.n_jets == 0);
      jx_dataset_free (&ds);
    }

  /* skip_bad drops and counts the bad jets and remembers why. */
  write_text (path, "J 0\nN 1\n0 0 1 1\nJ 1\nN 1\n0 0 2 1\nJ 2\nN 0\nJ 3\nN 1\n0 0 1 2\n");
  opt.skip_bad = true;
  JxDataset ds;
  JxError err = { 0 };
  JxImportStats st;
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), 0);
  JX_CHECK_INT (ds.n_jets, 2);
  JX_CHECK_INT (st.n_skipped, 2);
  JX_CHECK_MSG (strstr (st.first_skipped, "t.txt:4") != NULL
                && strstr (st.first_skipped, "below momentum") != NULL, "%s", st.first_skipped);
  jx_dataset_free (&ds);
  write_text (path, "J 0\nN 1\n0 0 2 1\n");
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "no valid jets") && strstr (err.message, "below momentum"),
                "%s", err.message);
  /* A syntax error is not a bad jet: skip_bad does not hide it. */
  write_text (path, "J 0\nN 1\n0 0 2\n");
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);

  /* Files that cannot be read. */
  JX_CHECK_INT (jx_import (&ds, tmp_path ("missing.txt"), &opt, NULL, NULL, &err), JX_ERR_IO);
  JX_CHECK (strstr (err.message, "missing.txt") && strstr (err.message, "No such file"));
  JX_CHECK_INT (jx_import (&ds, tmpdir, &opt, NULL, NULL, &err), JX_ERR_IO);
  JX_CHECK (strstr (err.message, "directory") != NULL);
  opt.format = JX_IMPORT_AUTO;
  JX_CHECK_INT (jx_import (&ds, tmpdir, &opt, NULL, NULL, &err), JX_ERR_IO);
  JX_CHECK (strstr (err.message, "is a directory") != NULL);
  opt.format = JX_IMPORT_ARRAY;
  JX_CHECK_INT (jx_import (&ds, tmpdir, &opt, NULL, NULL, &err), JX_ERR_IO);
  JX_CHECK (strstr (err.message, "is a directory") != NULL);
  opt.format = JX_IMPORT_AUTO;
  write_text (path, "1 2 3 4\n");
  JX_CHECK_INT (jx_import (&ds, path, &opt, NULL, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK (strstr (err.message, "cannot tell the file format") != NULL);
  unlink (path);
}

static void
test_hepmc (void)
{
  JxDataset ds;
  JxError err = { 0 };
  JxImportStats st;
  JxImportOptions opt;
  jx_import_options_init (&opt);
  const char *path = data_path ("events-small.hepmc3");
  JxImportFormat f;
  JX_CHECK_INT (jx_import_detect (path, &f, &err), 0);
  JX_CHECK_INT (f, JX_IMPORT_HEPMC3);

  /* Hemispheres: event 0 → −z (E 170) then +z (E 80, the neutrino dropped); event 1 in MeV
   * → +z (55 GeV) then −z (30 GeV); event 2 has one particle → one jet. */
  int rc = jx_import (&ds, path, &opt, &st, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (st.n_events, 3);
  JX_CHECK_INT (ds.n_jets, 5);
  if (ds.n_jets == 5)
    {
      const size_t sizes[5] = { 3, 3, 2, 1, 1 };
      const double energies[5] = { 170, 80, 55, 30, 10 };
      for (size_t i = 0; i < 5; i++)
        {
          JX_CHECK_INT (jx_dataset_jet_size (&ds, i), sizes[i]);
          double E = 0;
          for (size_t k = 0; k < jx_dataset_jet_size (&ds, i); k++)
            E += jx_dataset_jet (&ds, i)[k].E;
          JX_CHECK_CLOSE (E, energies[i], 1e-12, 0);
        }
      JX_CHECK (is_p4 (jx_dataset_jet (&ds, 2)[1], 5, 3, 0, 4));  /* MeV → GeV */
      /* Event 1 has weight 2.5, the others 1 (event 0 says so, event 2 has no W line). */
      JX_CHECK (ds.weights != NULL && ds.weights[0] == 1 && ds.weights[1] == 1
                && ds.weights[2] == 2.5 && ds.weights[3] == 2.5 && ds.weights[4] == 1);
    }
  JX_CHECK (has_attr (&ds, "import_format", "hepmc3"));
  JX_CHECK (jx_dataset_get_attr (&ds, "import_jets") != NULL
            && strstr (jx_dataset_get_attr (&ds, "import_jets"), "hemispheres") != NULL);
  jx_dataset_free (&ds);

  opt.no_hemispheres = true;
  opt.keep_neutrinos = true;
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), 0);
  JX_CHECK_INT (ds.n_jets, 3);
  if (ds.n_jets == 3)
    {
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 0), 8);  /* 6 visible + 2 neutrinos */
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 1), 3);
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 2), 1);
    }
  JX_CHECK (has_attr (&ds, "import_jets", "events"));
  jx_dataset_free (&ds);

  const TextCase cases[] = {
    { "short P", "E 0 1 1\nP 1 0 22 0 0 1 1\n", JX_ERR_FORMAT,
      { "h.hepmc:2:", "8 fields", "P id parent pid px py pz e m status" } },
    { "bad number", "E 0 1 1\nP 1 0 22 0 0 x 1 0 1\n", JX_ERR_FORMAT,
      { "h.hepmc:2:", "'x' is not a number" } },
    { "unit", "E 0 1 1\nU KEV MM\n", JX_ERR_FORMAT, { "h.hepmc:2:", "unknown momentum unit 'KEV'" } },
    { "P first", "P 1 0 22 0 0 1 1 0 1\n", JX_ERR_FORMAT, { "h.hepmc:1:", "before the first event" } },
    { "no events", "HepMC::Version 3.02.05\n", JX_ERR_FORMAT, { "no events" } },
    { "no final state", "E 4 1 1\nP 1 0 22 0 0 1 1 0 2\n", JX_ERR_INVALID,
      { "h.hepmc:1:", "event 4", "no final-state particles" } },
    { "negative E", "E 0 1 2\nP 1 0 22 0 0 1 1 0 1\nP 2 0 22 0 0 -1 -1 0 1\n", JX_ERR_INVALID,
      { "h.hepmc:1: event 0", "negative energy" } },
    { "bad weight", "E 0 1 1\nW heavy\n", JX_ERR_FORMAT, { "h.hepmc:2:", "weight" } },
    { "HepMC2", "HepMC::IO_GenEvent-START_EVENT_LISTING\nE 1 0 0 0 0 0 0 0 0 0 0\nU GEV MM\n"
      "P 10001 22 0 0 10 10 0 1 0 0 0 0\nP 10002 22 0 0 -12 12 0 1 0 0 0 0\n", 0, { NULL } },
  };
  opt.no_hemispheres = false;
  opt.keep_neutrinos = false;
  opt.format = JX_IMPORT_HEPMC3;
  const char *h = tmp_path ("h.hepmc");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    {
      write_text (h, cases[c].text);
      rc = jx_import (&ds, h, &opt, NULL, NULL, &err);
      if (getenv ("JX_TEST_VERBOSE") != NULL)
        printf ("%-16s %s\n", cases[c].name, err.message);
      JX_CHECK_MSG (rc == cases[c].status, "%s: status %d, expected %d (%s)", cases[c].name, rc,
                    cases[c].status, err.message);
      for (int w = 0; w < 3 && cases[c].words[w] != NULL; w++)
        JX_CHECK_MSG (strstr (err.message, cases[c].words[w]) != NULL, "%s: '%s' not in '%s'",
                      cases[c].name, cases[c].words[w], err.message);
      if (rc == 0)
        JX_CHECK_INT (ds.n_jets, 2);
      jx_dataset_free (&ds);
    }
  unlink (h);
}

/* [4, 3, 4] float32 with padding rows, plus labels and a second unrelated array. */
static void
make_array_file (const char *path, int two_arrays)
{
  float x[4][3][4] = {
    { { 50, 30, 0, 40 }, { 13, 0, 5, 12 }, { 0, 0, 0, 0 } },
    { { 100, 0, 0, -100 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
    { { 29, 20, 0, -21 }, { 41, 0, -9, -40 }, { 5, 0, 3, 4 } },
    { { 0, 0, 0, 0 }, { 17, -8, 0, 15 }, { 0, 0, 0, 0 } },  /* padding first is fine too */
  };
  double y[4] = { 1, 0, 1, 0 };
  JxError err;
  hid_t f = jx_h5_create (path, &err);
  hsize_t dims[3] = { 4, 3, 4 };
  jx_h5_write_array (f, "group/X", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 3, dims, x, &err);
  jx_h5_write_array (f, "y", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims, y, &err);
  if (two_arrays)
    jx_h5_write_array (f, "Z", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 3, dims, x, &err);
  dims[1] = 12;
  jx_h5_write_array (f, "flat", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 2, dims, x, &err);
  jx_h5_close (f, &err);
}

static void
test_array (void)
{
  const char *path = tmp_path ("arrays.h5");
  make_array_file (path, 0);
  JxDataset ds;
  JxError err = { 0 };
  JxImportStats st;
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.label_path = "y";
  int rc = jx_import (&ds, path, &opt, &st, NULL, &err);  /* detected, the only [N, M, 4] */
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  JX_CHECK_INT (st.format, JX_IMPORT_ARRAY);
  JX_CHECK_INT (ds.n_jets, 4);
  JX_CHECK_INT (st.n_padding, 5);
  if (ds.n_jets == 4)
    {
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 0), 2);
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 2), 3);
      JX_CHECK_INT (jx_dataset_jet_size (&ds, 3), 1);
      JX_CHECK (is_p4 (jx_dataset_jet (&ds, 3)[0], 17, -8, 0, 15));
      JX_CHECK (ds.labels != NULL && ds.labels[0] == 1 && ds.labels[1] == 0 && ds.labels[2] == 1);
    }
  JX_CHECK (has_attr (&ds, "import_array", "/group/X") || has_attr (&ds, "import_array", "group/X"));
  JX_CHECK (has_attr (&ds, "import_labels", "y"));
  jx_dataset_free (&ds);

  /* A permutation of the columns: px,py,pz,E. */
  {
    double perm[1][2][4] = { { { 30, 0, 40, 50 }, { 0, 5, 12, 13 } } };
    hid_t f = jx_h5_create (tmp_path ("perm.h5"), &err);
    hsize_t dims[3] = { 1, 2, 4 };
    jx_h5_write_array (f, "jets", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims, perm, &err);
    jx_h5_close (f, &err);
    opt.label_path = NULL;
    opt.columns = "px, py, pz, E";
    JX_CHECK_INT (jx_import (&ds, tmp_path ("perm.h5"), &opt, &st, NULL, &err), 0);
    JX_CHECK (ds.n_jets == 1 && is_p4 (jx_dataset_jet (&ds, 0)[1], 13, 0, 5, 12));
    jx_dataset_free (&ds);
    unlink (tmp_path ("perm.h5"));
  }
  /* Labels stay with their jets when jets are skipped or capped. */
  {
    double lj[3][1][4] = { { { 5, 0, 0, 5 } }, { { -1, 0, 0, 0 } }, { { 7, 0, 7, 0 } } };
    int32_t ly[3] = { 7, 8, 9 };
    hid_t f = jx_h5_create (tmp_path ("lab.h5"), &err);
    hsize_t dims[3] = { 3, 1, 4 };
    jx_h5_write_array (f, "jets", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims, lj, &err);
    jx_h5_write_array (f, "labels", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims, ly, &err);
    jx_h5_close (f, &err);
    JxImportOptions lo;
    jx_import_options_init (&lo);
    lo.label_path = "/labels";
    lo.skip_bad = true;
    JX_CHECK_INT (jx_import (&ds, tmp_path ("lab.h5"), &lo, &st, NULL, &err), 0);
    JX_CHECK (ds.n_jets == 2 && ds.labels != NULL && ds.labels[0] == 7 && ds.labels[1] == 9);
    JX_CHECK (ds.weights == NULL);
    jx_dataset_free (&ds);
    lo.max_jets = 1;
    JX_CHECK_INT (jx_import (&ds, tmp_path ("lab.h5"), &lo, &st, NULL, &err), 0);
    JX_CHECK (ds.n_jets == 1 && ds.labels[0] == 7);
    jx_dataset_free (&ds);
    unlink (tmp_path ("lab.h5"));
  }
  /* The E-first array read as px,py,pz,E is all spacelike: refused at row 0, or all skipped. */
  opt.array_path = "/group/X";
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_INVALID);
  JX_CHECK_MSG (strstr (err.message, "'/group/X' row 0") != NULL
                && strstr (err.message, "below momentum") != NULL, "%s", err.message);
  opt.skip_bad = true;
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK_INT (st.n_skipped, 4);
  JX_CHECK_MSG (strstr (err.message, "no valid jets") != NULL
                && strstr (err.message, "row 0") != NULL, "%s", err.message);
  opt.skip_bad = false;

  /* pt, eta, phi, m → E, px, py, pz. */
  /* Row 0 of jet 0, (50, 30, 0, 40), read as pt = 50, eta = 30, phi = 0, m = 40. */
  JxP4 expect = jx_p4 (sqrt (pow (50 * cosh (30.0), 2) + 40 * 40), 50, 0, 50 * sinh (30.0));
  opt.columns = "pt,eta,phi,m";
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), 0);
  JX_CHECK (ds.n_jets == 4);
  if (ds.n_jets == 4)
    {
      JxP4 p = jx_dataset_jet (&ds, 0)[0];
      JX_CHECK_CLOSE (p.E, expect.E, 1e-14, 0);
      JX_CHECK_CLOSE (p.pz, expect.pz, 1e-14, 0);
      JX_CHECK_CLOSE (p.px, expect.px, 1e-14, 0);
    }
  jx_dataset_free (&ds);
  opt.columns = "pt,y,phi,pid";  /* EnergyFlow: massless, E = pt cosh y */
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), 0);
  if (ds.n_jets == 4)
    {
      JxP4 p = jx_dataset_jet (&ds, 2)[0];  /* (29, 20, 0, −21): pt 29, y 20, φ 0 */
      JX_CHECK_CLOSE (p.E, 29 * cosh (20.0), 1e-14, 0);
      JX_CHECK_CLOSE (jx_p4_mass (p) / p.E, 0, 0, 1e-7);
    }
  jx_dataset_free (&ds);

  /* Refusals: bad column specs, missing or misshapen arrays, ambiguous files, labels. */
  const struct {
    const char *name, *array, *columns, *labels;
    int two;
    int status;
    const char *words[2];
  } cases[] = {
    { "3 columns", NULL, "E,px,py", NULL, 0, JX_ERR_INVALID, { "'E,px,py'", "permutation" } },
    { "twice", NULL, "E,px,px,py", NULL, 0, JX_ERR_INVALID, { "must name 4 columns" } },
    { "eta and y", NULL, "pt,eta,y,phi", NULL, 0, JX_ERR_INVALID, { "must name 4 columns" } },
    { "unknown", NULL, "E,px,py,qz", NULL, 0, JX_ERR_INVALID, { "must name 4 columns" } },
    { "missing", "nope", NULL, NULL, 0, JX_ERR_INVALID, { "no dataset 'nope'" } },
    { "2-D", "flat", NULL, NULL, 0, JX_ERR_FORMAT, { "'flat' has shape [4, 12]", "[N, M, 4]" } },
    { "ambiguous", NULL, NULL, NULL, 1, JX_ERR_INVALID, { "2 arrays", "name the one" } },
    { "label length", "Z", NULL, "flat", 1, JX_ERR_FORMAT, { "labels 'flat'", "4 numbers" } },
    { "no labels", "Z", NULL, "nolabels", 1, JX_ERR_INVALID, { "no dataset 'nolabels'" } },
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    {
      make_array_file (path, cases[c].two);
      opt.array_path = cases[c].array;
      opt.columns = cases[c].columns;
      opt.label_path = cases[c].labels;
      rc = jx_import (&ds, path, &opt, &st, NULL, &err);
      if (getenv ("JX_TEST_VERBOSE") != NULL)
        printf ("%-16s %s\n", cases[c].name, err.message);
      JX_CHECK_MSG (rc == cases[c].status, "%s: status %d, expected %d (%s)", cases[c].name, rc,
                    cases[c].status, err.message);
      for (int w = 0; w < 2 && cases[c].words[w] != NULL; w++)
        JX_CHECK_MSG (strstr (err.message, cases[c].words[w]) != NULL, "%s: '%s' not in '%s'",
                      cases[c].name, cases[c].words[w], err.message);
      jx_dataset_free (&ds);
    }
  /* Jets of no particles: refused at once, not walked row by row (with --skip-bad, a header
   * declaring 2^34 such rows kept import busy for hours: fuzz-h5-raw). */
  {
    float none[1] = { 0 };
    hid_t f = jx_h5_create (path, &err);
    hsize_t dims[3] = { 4, 0, 4 };
    jx_h5_write_array (f, "hollow", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 3, dims, none, &err);
    jx_h5_close (f, &err);
    opt.array_path = NULL;
    opt.columns = NULL;
    opt.label_path = NULL;
    opt.skip_bad = true;
    JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
    JX_CHECK_MSG (strstr (err.message, "'hollow' has shape [4, 0, 4]") != NULL
                  && strstr (err.message, "no particles") != NULL, "%s", err.message);
    JX_CHECK_INT (st.n_skipped, 0);
    opt.skip_bad = false;
    jx_dataset_free (&ds);
  }
  /* An extent beyond its own maximum, which HDF5 never writes: a header claiming 2^34 rows
   * over 3 stored ones (fuzz-h5-raw). Made by writing [2, 3, 4] of maximum [2, 3, 4] with
   * version-1 object headers (no checksum) and raising the first extent in the bytes. */
  {
    double x[2][3][4] = { { { 5, 0, 0, 3 } }, { { 5, 0, 0, 4 } } };
    hsize_t dims[3] = { 2, 3, 4 };
    hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t space = H5Screate_simple (3, dims, dims);
    hid_t d = H5Dcreate2 (f, "X", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose (d);
    H5Sclose (space);
    H5Fclose (f);
    opt.array_path = NULL;
    JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), 0);  /* intact: imports */
    jx_dataset_free (&ds);
    FILE *fp = fopen (path, "r+b");
    unsigned char buf[8192];
    size_t len = fp != NULL ? fread (buf, 1, sizeof buf, fp) : 0;
    const uint64_t shape[6] = { 2, 3, 4, 2, 3, 4 };  /* little-endian host, as HDF5 writes */
    int patched = 0;
    for (size_t at = 0; at + sizeof shape <= len; at++)
      if (memcmp (buf + at, shape, sizeof shape) == 0)
        {
          uint64_t rows = (uint64_t) 1 << 34;
          fseek (fp, (long) at, SEEK_SET);
          patched += fwrite (&rows, sizeof rows, 1, fp) == 1;
        }
    if (fp != NULL)
      fclose (fp);
    JX_CHECK_INT (patched, 1);
    JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
    JX_CHECK_MSG (strstr (err.message, "X: dimension 0 is 17179869184, beyond its declared "
                          "maximum 2") != NULL, "%s", err.message);
    jx_dataset_free (&ds);
  }
  /* An array linked twice (a hard link, link count 2) is one array, found once: the search's
   * guard against groups that link into themselves must not count it twice. */
  {
    double x[2][3][4] = { { { 5, 0, 0, 3 } }, { { 5, 0, 0, 4 } } };
    hsize_t dims[3] = { 2, 3, 4 };
    hid_t f = jx_h5_create (path, &err);
    jx_h5_write_array (f, "X", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims, x, &err);
    H5Gclose (H5Gcreate2 (f, "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Lcreate_hard (f, "X", f, "g/X-again", H5P_DEFAULT, H5P_DEFAULT);
    jx_h5_close (f, &err);
    opt.array_path = NULL;
    JX_CHECK_MSG (jx_import (&ds, path, &opt, &st, NULL, &err) == 0, "%s", err.message);
    JX_CHECK_INT (ds.n_jets, 2);
    jx_dataset_free (&ds);
  }
  /* A text file passed as an array. */
  write_text (tmp_path ("t.txt"), "J 0\nN 1\n0 0 1 1\n");
  opt.format = JX_IMPORT_ARRAY;
  opt.array_path = NULL;
  opt.columns = NULL;
  opt.label_path = NULL;
  JX_CHECK_INT (jx_import (&ds, tmp_path ("t.txt"), &opt, &st, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK (strstr (err.message, "not an HDF5 file") != NULL);
  unlink (tmp_path ("t.txt"));
  unlink (path);
}

/* A file holding one [2, 1, 4] array 'x' inside `depth` nested groups named `group`, and,
 * with self_link, a second hard link from the innermost group to the outermost (so the
 * outermost has link count 2, as HDF5 counts it). */
static void
make_nested_array (const char *path, int depth, const char *group, int self_link)
{
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t g = f, top = -1;
  for (int i = 0; i < depth; i++)
    {
      hid_t inner = H5Gcreate2 (g, group, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (g != f)
        H5Gclose (g);
      g = inner;
      if (i == 0)
        top = H5Oopen (f, group, H5P_DEFAULT);
    }
  if (self_link && top >= 0)
    H5Lcreate_hard (top, ".", g, "back-to-top", H5P_DEFAULT, H5P_DEFAULT);
  if (top >= 0)
    H5Oclose (top);
  double x[2][1][4] = { { { 5, 0, 0, 3 } }, { { 5, 0, 0, 4 } } };
  hsize_t dims[3] = { 2, 1, 4 };
  hid_t space = H5Screate_simple (3, dims, NULL);
  hid_t d = H5Dcreate2 (g, "x", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
  H5Dclose (d);
  H5Sclose (space);
  if (g != f)
    H5Gclose (g);
  H5Fclose (f);
}

/* The search for a file's only [N, M, 4] array, through nested groups. */
static void
test_array_search (void)
{
  const char *path = tmp_path ("nested.h5");
  JxDataset ds;
  JxError err = { 0 };
  JxImportStats st;
  JxImportOptions opt;
  jx_import_options_init (&opt);

  /* Found 32 groups deep, under the name the file gives it. */
  make_nested_array (path, 32, "g", 0);
  JX_CHECK_MSG (jx_import (&ds, path, &opt, &st, NULL, &err) == 0, "%s", err.message);
  JX_CHECK_INT (ds.n_jets, 2);
  char name[256] = "";
  for (int i = 0; i < 32; i++)
    strcat (name, "g/");
  strcat (name, "x");
  JX_CHECK (has_attr (&ds, "import_array", name));
  jx_dataset_free (&ds);

  /* One group deeper is beyond the search, which says so; naming the array still works. */
  make_nested_array (path, 33, "g", 0);
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "no [N, M, 4] array in this file (the search stops 32 "
                        "groups deep); name the dataset") != NULL, "%s", err.message);
  char deeper[256];
  snprintf (deeper, sizeof deeper, "g/%s", name);
  opt.array_path = deeper;
  JX_CHECK_MSG (jx_import (&ds, path, &opt, &st, NULL, &err) == 0, "%s", err.message);
  jx_dataset_free (&ds);
  opt.array_path = NULL;

  /* 4000 nested groups (a 4 MB file). HDF5's H5Ovisit, which the search used before, finds
   * every object again from the root, a cost that grows as the cube of the depth: 18 s for
   * 1600 groups, about 5 minutes here, past this test's timeout. */
  make_nested_array (path, 4000, "g", 0);
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "the search stops 32 groups deep") != NULL, "%s",
                err.message);

  /* A group linked from inside itself, with the link counted (count 2): searched once. */
  make_nested_array (path, 3, "g", 1);
  JX_CHECK_MSG (jx_import (&ds, path, &opt, &st, NULL, &err) == 0, "%s", err.message);
  JX_CHECK (has_attr (&ds, "import_array", "g/g/g/x"));
  jx_dataset_free (&ds);

  /* Paths that import could not record are not searched, and the message says why. */
  char long_group[200];
  memset (long_group, 'a', sizeof long_group - 1);
  long_group[sizeof long_group - 1] = '\0';
  make_nested_array (path, 2, long_group, 0);
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, "(paths of 256 bytes or more were not searched)") != NULL,
                "%s", err.message);
  char long_name[512];
  snprintf (long_name, sizeof long_name, "%s/%s/x", long_group, long_group);
  opt.array_path = long_name;
  JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_INVALID);
  JX_CHECK_MSG (strstr (err.message, "dataset name of 401 bytes; at most 255 are accepted")
                != NULL, "%s", err.message);
  opt.array_path = NULL;

  /* No rows hold nothing, whatever the particle count says: a crafted [0, 2^50, 4] made the
   * import ask for 2^55 bytes of row buffer and fail with "out of memory" (fuzz-top-tagging). */
  {
    hsize_t dims[3] = { 0, (hsize_t) 1 << 50, 4 };
    hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t space = H5Screate_simple (3, dims, NULL);
    H5Dclose (H5Dcreate2 (f, "X", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT));
    H5Sclose (space);
    H5Fclose (f);
    JX_CHECK_INT (jx_import (&ds, path, &opt, &st, NULL, &err), JX_ERR_FORMAT);
    JX_CHECK_MSG (strstr (err.message, "no valid jets") != NULL, "%s", err.message);
  }
  unlink (path);
}

static void
cancel_on_report (void *user, double done, double total, const char *message)
{
  jx_progress_cancel (user);
}

static void
test_cancel (void)
{
  /* 20000 jets: several progress checkpoints. */
  const char *path = tmp_path ("big.txt");
  FILE *f = fopen (path, "w");
  for (int i = 0; i < 20000; i++)
    fprintf (f, "J %d\nN 2\n0 0 1 1\n0 1 0 1\n", i);
  fclose (f);
  JxProgress progress;
  jx_progress_init (&progress, NULL, NULL);
  JxDataset ds;
  JxError err = { 0 };
  JX_CHECK_INT (jx_import (&ds, path, NULL, NULL, &progress, &err), 0);
  JX_CHECK_INT (ds.n_jets, 20000);
  jx_dataset_free (&ds);
  jx_progress_init (&progress, cancel_on_report, &progress);
  JX_CHECK_INT (jx_import (&ds, path, NULL, NULL, &progress, &err), JX_ERR_CANCELLED);
  JX_CHECK (ds.n_jets == 0 && strstr (err.message, "cancelled") != NULL);

  /* A cancelled or impossible export leaves nothing behind. */
  JX_CHECK_INT (jx_import (&ds, path, NULL, NULL, NULL, &err), 0);
  jx_progress_init (&progress, cancel_on_report, &progress);
  JX_CHECK_INT (jx_export_text (&ds, tmp_path ("out.txt"), &progress, &err), JX_ERR_CANCELLED);
  JX_CHECK_INT (jx_export_text (&ds, tmp_path ("nodir/out.txt"), NULL, &err), JX_ERR_IO);
  JX_CHECK (strstr (err.message, "nodir/out.txt") != NULL);
  jx_dataset_free (&ds);
  DIR *d = opendir (tmpdir);
  struct dirent *e;
  int others = 0;
  while (d != NULL && (e = readdir (d)) != NULL)
    if (strncmp (e->d_name, "out.txt", 7) == 0)
      others++;
  if (d != NULL)
    closedir (d);
  JX_CHECK_INT (others, 0);
  unlink (path);
}

/* Import → dataset file → read back: the whole path a user takes. */
static void
test_import_to_file (void)
{
  JxDataset a, b;
  JxError err = { 0 };
  JX_CHECK_INT (jx_import (&a, data_path ("events-small.hepmc3"), NULL, NULL, NULL, &err), 0);
  JX_CHECK_INT (jx_dataset_write (&a, tmp_path ("ev.h5"), NULL, &err), 0);
  JX_CHECK_INT (jx_dataset_read (&b, tmp_path ("ev.h5"), NULL, &err), 0);
  JX_CHECK_INT (b.n_jets, a.n_jets);
  JX_CHECK (memcmp (a.particles, b.particles, jx_dataset_n_particles (&a) * sizeof (JxP4)) == 0);
  JX_CHECK (has_attr (&b, "import_format", "hepmc3"));
  JX_CHECK (has_attr (&b, "source", "import"));
  jx_dataset_free (&a);
  jx_dataset_free (&b);
  unlink (tmp_path ("ev.h5"));
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
main (void)
{
  const char *d = getenv ("JX_TEST_DATA");
  snprintf (datadir, sizeof datadir, "%s", d != NULL ? d : "tests/data");
  jx_test_tmp_begin ("import");
  JxImportFormat f;
  JxError err;
  JX_CHECK_INT (jx_import_format_parse ("HepMC3", &f, &err), 0);
  JX_CHECK_INT (f, JX_IMPORT_HEPMC3);
  JX_CHECK_INT (jx_import_format_parse ("csv", &f, &err), JX_ERR_INVALID);
  JX_CHECK (strstr (err.message, "'csv'") != NULL);
  test_text ();
  test_bad_text ();
  test_hepmc ();
  run_silently (test_array, "test_array");
  run_silently (test_array_search, "test_array_search");
  test_cancel ();
  test_import_to_file ();
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("import");
}
