/* test-lund-stream.c — jx_lund_map_build_stream (a file walked in chunks) against
 * jx_lund_map_build on the same file read whole: every bin's compensated sum and count, the
 * cells, the total and the jets left out bit for bit, on chunks of 37 jets across the map's
 * blocks of 256, over the whole file and over a range starting and ending inside chunks,
 * with 1 and 2 threads; the same map in memory for 1 and 2 threads; a cancel stops it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-generator.h"
#include "jx-lund.h"
#include "jx-test-model.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

#define N_GEN 700

static void
make_dataset (JxDataset *ds)
{
  JxGenConfig cfg;
  JxError err = { 0 };
  jx_dataset_init (ds);
  jx_gen_config_default (&cfg);
  cfg.seed = 9;
  cfg.threads = 2;
  JX_CHECK_INT (jx_generate (&cfg, N_GEN, ds, NULL, NULL, &err), 0);
  /* a one-particle jet and one with nothing above E_sub, at the end */
  JxP4 one = jx_p4 (500, 0, 0, sqrt (500.0 * 500.0 - 10.0 * 10.0));
  JX_CHECK_INT (jx_dataset_append (ds, &one, 1, &err), 0);
  JxP4 soft = jx_p4 (0.01, 0, 0, 0.01);
  JX_CHECK_INT (jx_dataset_append (ds, &soft, 1, &err), 0);
}

static void
check_same (const JxLundMap *x, const JxLundMap *y, const char *what)
{
  size_t nb = (size_t) x->grid.nx * (size_t) x->grid.ny;
  JX_CHECK_MSG (x->n_jets == y->n_jets && x->n_bad == y->n_bad && x->n_long == y->n_long
                && x->n_unscored == y->n_unscored, "%s: jets %zu/%zu/%zu/%zu vs %zu/%zu/%zu/%zu",
                what, x->n_jets, x->n_bad, x->n_long, x->n_unscored, y->n_jets, y->n_bad,
                y->n_long, y->n_unscored);
  JX_CHECK_MSG (memcmp (x->lr, y->lr, nb * sizeof *x->lr) == 0, "%s: bin sums", what);
  JX_CHECK_MSG (memcmp (x->count, y->count, nb * sizeof *x->count) == 0, "%s: counts", what);
  JX_CHECK_MSG (memcmp (x->cell_lr, y->cell_lr, sizeof x->cell_lr) == 0, "%s: cells", what);
  JX_CHECK_MSG (memcmp (x->cell_count, y->cell_count, sizeof x->cell_count) == 0,
                "%s: cell counts", what);
  JX_CHECK_MSG (memcmp (&x->total_lr, &y->total_lr, sizeof x->total_lr) == 0, "%s: total", what);
}

int
main (void)
{
  jx_test_tmp_begin ("lund-stream");
  (void) write_text;
  JxError err = { 0 };
  JxDataset ds;
  make_dataset (&ds);
  const char *path = tmp_path ("jets.h5");
  JX_CHECK_INT (jx_dataset_write (&ds, path, NULL, &err), 0);
  JxModelConfig cfg;
  jx_test_model_config (&cfg, JX_BRANCH_JOINT, 100);
  JxModel *a = jx_test_model_new (&cfg, 1, 2.0f);
  JxModel *b = jx_test_model_new (&cfg, 2, 2.0f);
  JxClusterOptions co;
  jx_cluster_options_default (&co);

  const size_t ranges[2][2] = { { 0, 0 }, { 45, 650 } };   /* last 0: to the end */
  for (int r = 0; r < 2; r++)
    {
      JxLundOptions opt;
      jx_lund_options_default (&opt);
      opt.first = ranges[r][0];
      opt.last = ranges[r][1];
      opt.threads = 2;
      JxLundMap whole, one;
      JX_CHECK_INT (jx_lund_map_build (&whole, a, b, &ds, &co, &opt, NULL, &err), 0);
      JX_CHECK (whole.n_jets > 500);
      JX_CHECK_INT (whole.n_bad, r == 0 ? 1 : 0);   /* the soft jet */
      opt.threads = 1;
      JX_CHECK_INT (jx_lund_map_build (&one, a, b, &ds, &co, &opt, NULL, &err), 0);
      check_same (&whole, &one, "in memory, 1 thread");
      jx_lund_map_free (&one);

      JxDatasetStreamOptions so = { .chunk_jets = 37, .cache_chunks = 2 };
      JxDatasetStream *s = jx_dataset_stream_open (path, &so, &err);
      JX_CHECK (s != NULL);
      for (int threads = 1; threads <= 2; threads++)
        {
          JxLundMap streamed;
          opt.threads = threads;
          int rc = jx_lund_map_build_stream (&streamed, a, b, s, &co, &opt, NULL, &err);
          JX_CHECK_MSG (rc == 0, "%s", err.message);
          check_same (&whole, &streamed, threads == 1 ? "streamed, 1 thread" : "streamed");
          jx_lund_map_free (&streamed);
        }
      JX_CHECK (jx_dataset_stream_reads (s) > 2 * N_GEN / 64 - 4);   /* in chunks (37 → 64 jets) */

      JxProgress prog;
      jx_progress_init (&prog, NULL, NULL);
      jx_progress_cancel (&prog);
      JX_CHECK_INT (jx_lund_map_build_stream (&one, a, b, s, &co, &opt, &prog, &err),
                    JX_ERR_CANCELLED);
      jx_lund_map_free (&one);
      jx_dataset_stream_close (s);
      jx_lund_map_free (&whole);
    }
  jx_model_free (a);
  jx_model_free (b);
  jx_dataset_free (&ds);
  unlink (path);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("lund-stream");
}
