/* test-import-write.c — jx_import_write (an import written straight to the dataset file, a
 * part at a time) against jx_import + jx_dataset_write of the same input: the files read
 * back with the same jets, momenta, labels, weights and attributes bit for bit, and the same
 * stats, for parts of 1, 2, 3, 7 jets and the default, on the text, HepMC (weights that
 * begin at the second event and stop at the third), JuniprJets JSON (labels) and array
 * (labels) formats, with max_jets; a failing import and a cancelled one leave no file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-export-json.h"
#include "jx-h5.h"
#include "jx-import.h"
#include "jx-test-jets.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

static char datadir[1024];

static void
check_same_file (const char *a_path, const char *b_path, const char *what)
{
  JxDataset a, b;
  JxError err = { 0 };
  JX_CHECK_INT (jx_dataset_read (&a, a_path, NULL, &err), 0);
  JX_CHECK_MSG (jx_dataset_read (&b, b_path, NULL, &err) == 0, "%s: %s", what, err.message);
  JX_CHECK_MSG (a.n_jets == b.n_jets, "%s: %zu vs %zu jets", what, a.n_jets, b.n_jets);
  if (a.n_jets == b.n_jets && a.n_jets > 0)
    {
      size_t n = a.n_jets;
      JX_CHECK_MSG (memcmp (a.offsets, b.offsets, (n + 1) * sizeof *a.offsets) == 0,
                    "%s: offsets", what);
      JX_CHECK_MSG (memcmp (a.particles, b.particles, jx_dataset_n_particles (&a) * sizeof (JxP4))
                    == 0, "%s: particles", what);
      JX_CHECK_MSG ((a.labels == NULL) == (b.labels == NULL)
                    && (a.labels == NULL || memcmp (a.labels, b.labels, n * sizeof *a.labels) == 0),
                    "%s: labels", what);
      JX_CHECK_MSG ((a.weights == NULL) == (b.weights == NULL)
                    && (a.weights == NULL
                        || memcmp (a.weights, b.weights, n * sizeof *a.weights) == 0),
                    "%s: weights", what);
    }
  JX_CHECK_MSG (a.n_attrs == b.n_attrs, "%s: %zu vs %zu attributes", what, a.n_attrs, b.n_attrs);
  for (size_t k = 0; k < a.n_attrs && k < b.n_attrs; k++)
    JX_CHECK_MSG (strcmp (a.attrs[k].key, b.attrs[k].key) == 0
                  && strcmp (a.attrs[k].value, b.attrs[k].value) == 0, "%s: %s=%s vs %s=%s",
                  what, a.attrs[k].key, a.attrs[k].value, b.attrs[k].key, b.attrs[k].value);
  jx_dataset_free (&a);
  jx_dataset_free (&b);
}

/* Both ways for every part size; returns the jets of the whole import. */
static size_t
both_ways (const char *input, const JxImportOptions *opt, const char *what, bool want_labels,
           bool want_weights)
{
  JxDataset ds;
  JxError err = { 0 };
  JxImportStats whole, parts;
  int rc = jx_import (&ds, input, opt, &whole, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s: %s", what, err.message);
  JX_CHECK_MSG ((ds.labels != NULL) == want_labels && (ds.weights != NULL) == want_weights,
                "%s: the fixture has the columns it should", what);
  const char *ref = tmp_path ("whole.h5"), *out = tmp_path ("parts.h5");
  JX_CHECK_INT (jx_dataset_write (&ds, ref, NULL, &err), 0);
  size_t n = ds.n_jets;
  jx_dataset_free (&ds);
  const size_t sizes[5] = { 1, 2, 3, 7, 0 };
  for (int k = 0; k < 5; k++)
    {
      char label[128];
      snprintf (label, sizeof label, "%s, parts of %zu", what, sizes[k]);
      rc = jx_import_write (input, out, opt, sizes[k], &parts, NULL, &err);
      JX_CHECK_MSG (rc == 0, "%s: %s", label, err.message);
      JX_CHECK_MSG (parts.n_jets == whole.n_jets && parts.n_skipped == whole.n_skipped
                    && parts.n_events == whole.n_events && parts.n_padding == whole.n_padding
                    && parts.format == whole.format, "%s: stats", label);
      check_same_file (ref, out, label);
      unlink (out);
    }
  unlink (ref);
  return n;
}

int
main (void)
{
  const char *d = getenv ("JX_TEST_DATA");
  snprintf (datadir, sizeof datadir, "%s", d != NULL ? d : "tests/data");
  jx_test_tmp_begin ("import-write");
  (void) write_text;
  JxError err = { 0 };
  JxImportOptions opt;
  jx_import_options_init (&opt);

  /* text: a random labelled dataset exported, then imported (text has no labels) */
  JxDataset src;
  jx_dataset_init (&src);
  JxRng rng;
  jx_rng_seed (&rng, 3, 0);
  JxP4 p[12];
  for (size_t i = 0; i < 40; i++)
    {
      size_t n = 2 + jx_rng_below (&rng, 10);
      jx_test_random_jet (&rng, n, p);
      for (size_t k = 0; k < n; k++)   /* every particle above the default E_sub */
        p[k] = jx_p4_scale (p[k], (2.0 + (double) k) / p[k].E);
      JX_CHECK_INT (jx_dataset_append_labeled (&src, p, n, (int32_t) (i % 3), 1.0, &err), 0);
    }
  /* tmp_path's results are overwritten after eight calls: the long-lived paths are copied */
  char text[600], json[600], array[600], out[600];
  snprintf (text, sizeof text, "%s", tmp_path ("jets.txt"));
  snprintf (json, sizeof json, "%s", tmp_path ("jets.json"));
  snprintf (array, sizeof array, "%s", tmp_path ("array.h5"));
  snprintf (out, sizeof out, "%s", tmp_path ("parts.h5"));
  JX_CHECK_INT (jx_export_text (&src, text, NULL, &err), 0);
  JX_CHECK_INT (both_ways (text, &opt, "text", false, false), 40);
  opt.max_jets = 17;
  JX_CHECK_INT (both_ways (text, &opt, "text, max_jets 17", false, false), 17);
  opt.max_jets = 0;

  /* HepMC: weights from the second event, none at the third (weight 1 there) */
  char hepmc[1200];
  snprintf (hepmc, sizeof hepmc, "%s/events-small.hepmc3", datadir);
  JX_CHECK_INT (both_ways (hepmc, &opt, "hepmc3", false, true), 5);

  /* JuniprJets JSON with labels */
  JX_CHECK_INT (jx_export_junipr_json (&src, json, NULL, NULL, NULL, &err), 0);
  JX_CHECK_INT (both_ways (json, &opt, "junipr-json", true, false), 40);

  /* an array with labels */
  {
    enum { N = 30, M = 5 };
    static double x[N][M][4], y[N];
    for (size_t i = 0; i < N; i++)
      {
        size_t n = 1 + i % M;
        jx_test_random_jet (&rng, n, p);
        for (size_t k = 0; k < n; k++)
          {
            x[i][k][0] = p[k].E, x[i][k][1] = p[k].px, x[i][k][2] = p[k].py;
            x[i][k][3] = p[k].pz;
          }
        y[i] = (double) (i % 2);
      }
    hid_t f = jx_h5_create (array, &err);
    hsize_t dims[3] = { N, M, 4 };
    JX_CHECK_INT (jx_h5_write_array (f, "X", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims, x, &err),
                  0);
    JX_CHECK_INT (jx_h5_write_array (f, "y", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims, y, &err),
                  0);
    JX_CHECK_INT (jx_h5_close (f, &err), 0);
  }
  opt.format = JX_IMPORT_ARRAY;
  opt.label_path = "y";
  JX_CHECK_INT (both_ways (array, &opt, "array", true, false), 30);
  jx_import_options_init (&opt);

  /* failures leave no file: not a jet file, and a cancel */
  JX_CHECK (jx_import_write (tmp_path ("missing.txt"), out, &opt, 3, NULL, NULL, &err) != 0);
  JX_CHECK (access (out, F_OK) != 0);
  JxProgress progress;
  jx_progress_init (&progress, NULL, NULL);
  jx_progress_cancel (&progress);
  int rc = jx_import_write (text, out, &opt, 3, NULL, &progress, &err);
  JX_CHECK_MSG (rc == JX_ERR_CANCELLED, "cancelled: %d %s", rc, err.message);
  JX_CHECK (access (out, F_OK) != 0);

  jx_dataset_free (&src);
  unlink (text);
  unlink (json);
  unlink (array);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("import-write");
}
