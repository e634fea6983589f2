/* test-export-stream.c — exports from a file read on demand (jx-dataset-stream, chunks far
 * smaller than the file) against the same exports of the file read whole: JuniprJets JSON
 * (labelled jets, one-particle jets, with --skip-bad over a jet that cannot be clustered, and
 * max_jets) and the text format (all jets, and a prefix) give the same bytes and the same
 * stats; without skip_bad both refuse the bad jet with the same message and leave no file. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-export-json.h"
#include "jx-import.h"
#include "jx-test-jets.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

#define N_JETS 300
#define BAD_JET 170   /* nothing above E_sub */

static void
make_dataset (JxDataset *ds)
{
  JxRng rng;
  JxP4 p[30];
  JxError err = { 0 };
  jx_rng_seed (&rng, 8, 0);
  jx_dataset_init (ds);
  for (size_t i = 0; i < N_JETS; i++)
    {
      size_t n = i % 50 == 3 ? 1 : 2 + jx_rng_below (&rng, 28);
      jx_test_random_jet (&rng, n, p);
      for (size_t k = 0; k < n; k++)   /* every particle above E_sub = 1 GeV ... */
        p[k] = jx_p4_scale (p[k], (2.0 + (double) k) / p[k].E);
      if (i == BAD_JET)                /* ... except here */
        for (size_t k = 0; k < n; k++)
          p[k] = jx_p4_scale (p[k], 0.001 / p[k].E);   /* even all merged < 1 GeV */
      JX_CHECK_INT (jx_dataset_append_labeled (ds, p, n, (int32_t) (i % 2), 1.0, &err), 0);
    }
}

/* The whole file's bytes (malloc'd, *n), NULL when it cannot be read. */
static char *
slurp (const char *path, size_t *n)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    return NULL;
  fseek (f, 0, SEEK_END);
  long size = ftell (f);
  fseek (f, 0, SEEK_SET);
  char *buf = malloc ((size_t) size + 1);
  *n = fread (buf, 1, (size_t) size, f);
  fclose (f);
  return buf;
}

static void
check_same_file (const char *a, const char *b, const char *what)
{
  size_t na = 0, nb = 0;
  char *x = slurp (a, &na), *y = slurp (b, &nb);
  JX_CHECK_MSG (x != NULL && y != NULL && na == nb && na > 1000 && memcmp (x, y, na) == 0,
                "%s: %zu bytes against %zu", what, na, nb);
  free (x);
  free (y);
}

int
main (void)
{
  jx_test_tmp_begin ("export-stream");
  (void) write_text;   /* jx-test-tmp.h's helper, not needed here */
  JxError err;
  JxDataset ds;
  make_dataset (&ds);
  const char *path = tmp_path ("jets.h5");
  JX_CHECK_INT (jx_dataset_write (&ds, path, NULL, &err), 0);
  JxDatasetStreamOptions so = { .chunk_jets = 37, .chunk_particles = 300, .cache_chunks = 2 };
  JxDatasetStream *s = jx_dataset_stream_open (path, &so, &err);
  JX_CHECK (s != NULL);

  /* JSON: skip the bad jet; all jets, then the first 100 */
  JxExportJsonOptions opt;
  jx_export_json_options_init (&opt);
  opt.clustering.esub = 1.0;   /* the bad jet has nothing above it */
  opt.skip_bad = true;
  for (int k = 0; k < 2; k++)
    {
      opt.max_jets = k == 0 ? 0 : 100;
      JxExportStats whole, streamed;
      JX_CHECK_INT (jx_export_junipr_json (&ds, tmp_path ("whole.json"), &opt, &whole, NULL,
                                           &err), 0);
      int rc = jx_export_junipr_json_stream (s, tmp_path ("streamed.json"), &opt, &streamed,
                                             NULL, &err);
      JX_CHECK_MSG (rc == 0, "%s", err.message);
      check_same_file (tmp_path ("whole.json"), tmp_path ("streamed.json"), "JSON");
      JX_CHECK (memcmp (&whole, &streamed, sizeof whole) == 0);
      JX_CHECK_INT (whole.n_jets, k == 0 ? N_JETS - 1 : 100);
      JX_CHECK_INT (whole.n_skipped, k == 0 ? 1 : 0);
      JX_CHECK (whole.n_single >= 2);
    }
  /* without skip_bad: the same refusal, no file */
  opt.skip_bad = false;
  opt.max_jets = 0;
  unlink (tmp_path ("whole.json"));
  unlink (tmp_path ("streamed.json"));
  JxError whole_err, streamed_err;
  JX_CHECK_INT (jx_export_junipr_json (&ds, tmp_path ("whole.json"), &opt, NULL, NULL,
                                       &whole_err), JX_ERR_INVALID);
  JX_CHECK_INT (jx_export_junipr_json_stream (s, tmp_path ("streamed.json"), &opt, NULL, NULL,
                                              &streamed_err), JX_ERR_INVALID);
  JX_CHECK_MSG (strcmp (whole_err.message, streamed_err.message) == 0
                && strstr (streamed_err.message, "jet 170") != NULL, "%s | %s",
                whole_err.message, streamed_err.message);
  JX_CHECK (access (tmp_path ("streamed.json"), F_OK) != 0);

  /* text: all jets, and the first 100 (the whole read's prefix view) */
  JX_CHECK_INT (jx_export_text (&ds, tmp_path ("whole.txt"), NULL, &err), 0);
  JX_CHECK_INT (jx_export_text_stream (s, 0, tmp_path ("streamed.txt"), NULL, &err), 0);
  check_same_file (tmp_path ("whole.txt"), tmp_path ("streamed.txt"), "text");
  JxDataset prefix = ds;
  prefix.n_jets = 100;
  JX_CHECK_INT (jx_export_text (&prefix, tmp_path ("whole.txt"), NULL, &err), 0);
  JX_CHECK_INT (jx_export_text_stream (s, 100, tmp_path ("streamed.txt"), NULL, &err), 0);
  check_same_file (tmp_path ("whole.txt"), tmp_path ("streamed.txt"), "text, 100 jets");

  jx_dataset_stream_close (s);
  jx_dataset_free (&ds);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("export-stream");
}
