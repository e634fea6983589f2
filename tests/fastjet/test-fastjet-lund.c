/* test-fastjet-lund.c — the primary Lund plane of jx-lund (walked on our JUNIPR C/A trees)
 * against FastJet's C/A ClusterSequence declustered with has_parents, following the more
 * energetic parent (the shim), on generated quark and Z jets with the default subjet step
 * and without it. */
#include "jx-fastjet-shim.h"
#include "jx-generator.h"
#include "jx-lund.h"
#include "jx-test.h"

#define MAX_N 400

static int n_emissions_compared;

static void
compare_jet (const JxP4 *p, size_t n, double rsub, double esub, int jet)
{
  static double rows[4 * MAX_N], delta[MAX_N], kt[MAX_N];
  static JxLundEmission ours[MAX_N];
  for (size_t i = 0; i < n; i++)
    {
      rows[4 * i] = p[i].E;
      rows[4 * i + 1] = p[i].px;
      rows[4 * i + 2] = p[i].py;
      rows[4 * i + 3] = p[i].pz;
    }
  JxClusterOptions co = { JX_ALGO_CA, esub, rsub, JX_METRIC_EE };
  JxTree tree = { 0 };
  JxError err = { 0 };
  int fj = jxfj_lund_primary (rows, (int) n, rsub, esub, delta, kt, MAX_N);
  int rc = jx_tree_build (&tree, p, n, &co, NULL, &err);
  JX_CHECK_MSG ((rc == 0) == (fj >= 0), "jet %d: FastJet %d, ours %d", jet, fj, rc);
  if (rc == 0 && fj >= 0)
    {
      size_t k = jx_lund_primary (&tree, NULL, ours, MAX_N);
      JX_CHECK_MSG ((int) k == fj, "jet %d: %zu primary emissions, FastJet %d", jet, k, fj);
      for (size_t i = 0; i < k && (int) i < fj; i++)
        {
          JX_CHECK_CLOSE (ours[i].delta, delta[i], 1e-10, 1e-14);
          JX_CHECK_CLOSE (ours[i].kt, kt[i], 1e-10, 1e-14);
          n_emissions_compared++;
        }
    }
  jx_tree_free (&tree);
}

int
main (void)
{
  for (int process = 0; process < 2; process++)
    {
      JxGenConfig cfg;
      jx_gen_config_default (&cfg);
      cfg.process = process == 0 ? JX_PROCESS_QQ : JX_PROCESS_ZZ;
      cfg.seed = 2107 + process;
      cfg.threads = 1;
      JxDataset ds;
      jx_dataset_init (&ds);
      JxError err = { 0 };
      int rc = jx_generate (&cfg, 100, &ds, NULL, NULL, &err);
      JX_CHECK_MSG (rc == 0, "generator: %s", err.message);
      for (size_t j = 0; rc == 0 && j < ds.n_jets; j++)
        {
          size_t n = jx_dataset_jet_size (&ds, j);
          if (n > MAX_N)
            continue;
          compare_jet (jx_dataset_jet (&ds, j), n, 0.1, 1.0, (int) j);
          compare_jet (jx_dataset_jet (&ds, j), n, 0, 0, (int) j);
        }
      jx_dataset_free (&ds);
    }
  printf ("fastjet-lund: %d primary emissions compared\n", n_emissions_compared);
  JX_CHECK (n_emissions_compared > 1000);
  JX_TEST_MAIN_END ("fastjet-lund");
}
