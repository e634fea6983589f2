/* test-validate-stream.c — jx_validate_stream (a file walked in chunks, twice) against
 * jx_tree_set_build + jx_validate on the same jets read whole: every curve's bins, χ² and ndf
 * bit for bit, the same jets used and skipped, on chunks far smaller than the file, with 1
 * and 3 threads (the per-thread sums cross chunk boundaries), over the whole file and over a
 * range that starts and ends inside chunks; a cancel stops it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-test-jets.h"
#include "jx-test-model.h"
#include "jx-test-tmp.h"
#include "jx-test.h"
#include "jx-validate-stream.h"

#define N_JETS 600
#define LONG_JET 250   /* more particles than the model's M */
#define SOFT_JET 251   /* nothing above E_sub */

static void
make_data (JxDataset *ds)
{
  JxRng rng;
  jx_rng_seed (&rng, 21, 0);
  jx_dataset_init (ds);
  JxP4 p[30];
  JxError err;
  for (size_t i = 0; i < N_JETS; i++)
    {
      size_t n = i == LONG_JET ? 30 : 2 + jx_rng_below (&rng, 12);
      jx_test_random_jet (&rng, n, p);
      if (i == SOFT_JET)
        for (size_t k = 0; k < n; k++)
          p[k] = jx_p4 (0.001, 0, 0, 0.001);
      JX_CHECK_INT (jx_dataset_append (ds, p, n, &err), 0);
    }
}

static void
check_same (const JxValidation *a, const JxValidation *b)
{
  JX_CHECK_INT (a->n_jets, b->n_jets);
  for (int c = 0; c < JX_N_VAL_CURVES; c++)
    {
      const JxValidationCurve *x = &a->curves[c], *y = &b->curves[c];
      JX_CHECK_INT (x->n_bins, y->n_bins);
      if (x->n_bins != y->n_bins)
        continue;
      size_t n = (size_t) x->n_bins * sizeof (double);
      JX_CHECK_MSG (memcmp (x->x_lo, y->x_lo, n) == 0 && memcmp (x->x_hi, y->x_hi, n) == 0,
                    "%s: bin edges", x->name);
      /* NaN bins (no entries) compare equal by their bits too */
      JX_CHECK_MSG (memcmp (x->model, y->model, n) == 0, "%s: model", x->name);
      JX_CHECK_MSG (memcmp (x->data, y->data, n) == 0, "%s: data", x->name);
      JX_CHECK_MSG (memcmp (x->data_err, y->data_err, n) == 0, "%s: errors", x->name);
      JX_CHECK_MSG (memcmp (x->count, y->count, n) == 0, "%s: counts", x->name);
      JX_CHECK_MSG (memcmp (&x->chi2, &y->chi2, sizeof x->chi2) == 0, "%s: chi2 %.17g vs %.17g",
                    x->name, x->chi2, y->chi2);
      JX_CHECK_INT (x->ndf, y->ndf);
    }
}

/* The peer: jets [first, last) of full as a dataset of their own, clustered whole. */
static void
validate_whole (const JxModel *m, const JxClusterOptions *cl, const JxDataset *full,
                size_t first, size_t last, const JxValidationOptions *vo, JxValidation *v,
                JxTreeSet *set)
{
  JxError err;
  JxDataset sub;
  jx_dataset_init (&sub);
  for (size_t i = first; i < last; i++)
    JX_CHECK_INT (jx_dataset_append (&sub, jx_dataset_jet (full, i),
                                     jx_dataset_jet_size (full, i), &err), 0);
  JX_CHECK_INT (jx_tree_set_build (set, &sub, cl, jx_model_config (m)->max_mult, true, true,
                                   vo->threads, NULL, &err), 0);
  int rc = jx_validate (m, set, vo, v, NULL, &err);
  JX_CHECK_MSG (rc == 0, "%s", err.message);
  jx_dataset_free (&sub);
}

int
main (void)
{
  jx_test_tmp_begin ("validate-stream");
  (void) write_text;
  JxError err;
  JxDataset full;
  make_data (&full);
  const char *path = tmp_path ("jets.h5");
  JX_CHECK_INT (jx_dataset_write (&full, path, NULL, &err), 0);

  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_FACTORIZED, 16);
  JxModel *m = jx_test_model_new (&cfg, 5, 1.5f);
  JxClusterOptions cl;
  jx_cluster_options_default (&cl);
  cl.algorithm = JX_ALGO_CA;
  cl.esub = 0.05;
  cl.rsub = 0;

  const size_t ranges[2][2] = { { 0, N_JETS }, { 45, 533 } };
  for (int threads = 1; threads <= 3; threads += 2)
    for (int r = 0; r < 2; r++)
      {
        size_t first = ranges[r][0], last = ranges[r][1];
        JxValidationOptions vo;
        jx_validation_options_default (&vo);
        vo.t_late = 4;
        vo.threads = threads;
        JxValidation whole, streamed;
        JxTreeSet set;
        validate_whole (m, &cl, &full, first, last, &vo, &whole, &set);
        JX_CHECK (whole.n_jets > 400);   /* the data really fills the curves */

        JxDatasetStreamOptions so = { .chunk_jets = 37, .chunk_particles = 150,
                                      .cache_chunks = 2 };
        JxDatasetStream *s = jx_dataset_stream_open (path, &so, &err);
        JX_CHECK (s != NULL);
        size_t n_bad = 99, n_long = 99;
        int rc = jx_validate_stream (m, &cl, s, first, last, &vo, &streamed, &n_bad, &n_long,
                                     NULL, &err);
        JX_CHECK_MSG (rc == 0, "%s", err.message);
        JX_CHECK (jx_dataset_stream_reads (s) > 2 * (last - first) / 37);   /* in chunks */
        check_same (&whole, &streamed);
        JX_CHECK_INT (n_bad, set.n_bad);
        JX_CHECK_INT (n_long, set.n_long);
        JX_CHECK_INT (n_bad + n_long, 2);   /* the soft jet and the long one */

        /* cancelled before it starts */
        JxProgress progress;
        jx_progress_init (&progress, NULL, NULL);
        jx_progress_cancel (&progress);
        JxValidation none;
        JX_CHECK_INT (jx_validate_stream (m, &cl, s, first, last, &vo, &none, &n_bad, &n_long,
                                          &progress, &err), JX_ERR_CANCELLED);
        jx_validation_free (&none);
        jx_dataset_stream_close (s);
        jx_validation_free (&whole);
        jx_validation_free (&streamed);
        jx_tree_set_free (&set);
      }
  jx_model_free (m);
  jx_dataset_free (&full);
  unlink (path);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("validate-stream");
}
