/* bench-cluster — µs per jet to build a JUNIPR tree (no subjet step) with libjunipr, and,
 * when built with FastJet, for FastJet 3.4 to run the same clustering (ee_genkt, R = 4, or for
 * the pp metric genkt_algorithm, R = 7; ClusterSequence construction) on the same jets in the
 * same run.
 *
 * Usage: bench-cluster [seconds per cell, default 1] [algorithm: ca|kt|antikt|printer, default ca]
 *                      [metric: ee|pp, default ee]
 * Jets: realistic random jets (tests/jx-test-jets.h), 64 different jets per size. The time
 * of a cell is split into 10 alternating rounds of ours and FastJet, and each side reports
 * its fastest round; times are thread CPU time, so load from other processes on the machine
 * (descheduling) hurts neither side.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "jx-cluster.h"
#include "jx-rng.h"
#include "jx-test-jets.h"
#include "jx-tree.h"

#ifdef JX_HAVE_FASTJET
#include "jx-fastjet-shim.h"
#endif

#define N_JETS 64
#define ROUNDS 10

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double sink;

static JxMetric metric = JX_METRIC_EE;

static double
time_ours (JxP4 *const *jets, size_t n, JxAlgorithm algo, double seconds)
{
  JxClusterWork *work = jx_cluster_work_new ();
  JxError err;
  long count = 0;
  double t0 = now (), t = t0;
  while (t - t0 < seconds)
    {
      for (int j = 0; j < N_JETS; j++)
        {
          JxTree tree;
          if (jx_tree_build_from_particles_metric (&tree, jets[j], n, algo, metric, work, &err)
              != 0)
            {
              fprintf (stderr, "bench-cluster: %s\n", err.message);
              exit (1);
            }
          sink += tree.steps[0].x.z;
          jx_tree_free (&tree);
        }
      count += N_JETS;
      t = now ();
    }
  jx_cluster_work_free (work);
  return 1e6 * (t - t0) / count;
}

#ifdef JX_HAVE_FASTJET
static double
time_fastjet (JxP4 *const *jets, size_t n, JxAlgorithm algo, double seconds)
{
  double *rows = malloc (N_JETS * n * 4 * sizeof (double));
  for (int j = 0; j < N_JETS; j++)
    for (size_t i = 0; i < n; i++)
      {
        double *r = rows + 4 * (j * n + i);
        r[0] = jets[j][i].E;
        r[1] = jets[j][i].px;
        r[2] = jets[j][i].py;
        r[3] = jets[j][i].pz;
      }
  long count = 0;
  double t0 = now (), t = t0;
  while (t - t0 < seconds)
    {
      for (int j = 0; j < N_JETS; j++)
        sink += metric == JX_METRIC_PP ? jxfj_cluster_only_pp (rows + 4 * j * n, (int) n, (int) algo)
                                       : jxfj_cluster_only (rows + 4 * j * n, (int) n, (int) algo);
      count += N_JETS;
      t = now ();
    }
  free (rows);
  return 1e6 * (t - t0) / count;
}
#endif

int
main (int argc, char **argv)
{
  double seconds = argc > 1 ? atof (argv[1]) : 1.0;
  JxAlgorithm algo = JX_ALGO_CA;
  if (argc > 2 && jx_algorithm_parse (argv[2], &algo, NULL) != 0)
    {
      fprintf (stderr, "bench-cluster: unknown algorithm '%s' (ca, kt, antikt, printer)\n", argv[2]);
      return 1;
    }
  if (argc > 3 && jx_metric_parse (argv[3], &metric, NULL) != 0)
    {
      fprintf (stderr, "bench-cluster: unknown metric '%s' (ee, pp)\n", argv[3]);
      return 1;
    }
  static const size_t sizes[] = { 30, 60, 120, 250 };
  JxRng rng;
  jx_rng_seed (&rng, 12345, 0);
  printf ("tree building, %s, %s metric, no subjet step, µs per jet (%d jets per size)\n",
          jx_algorithm_name (algo), jx_metric_name (metric), N_JETS);
#ifdef JX_HAVE_FASTJET
  printf ("%6s %12s %12s %10s\n", "n", "libjunipr", "FastJet", "FJ/ours");
#else
  printf ("%6s %12s   (built without FastJet)\n", "n", "libjunipr");
#endif
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
    {
      size_t n = sizes[s];
      JxP4 *jets[N_JETS];
      for (int j = 0; j < N_JETS; j++)
        {
          jets[j] = malloc (n * sizeof (JxP4));
          jx_test_random_jet (&rng, n, jets[j]);
        }
      double ours = INFINITY, fj = INFINITY;
      for (int r = 0; r < ROUNDS; r++)
        {
          ours = fmin (ours, time_ours (jets, n, algo, seconds / ROUNDS / 2));
#ifdef JX_HAVE_FASTJET
          if (algo != JX_ALGO_PRINTER)
            fj = fmin (fj, time_fastjet (jets, n, algo, seconds / ROUNDS / 2));
#endif
        }
#ifdef JX_HAVE_FASTJET
      if (algo != JX_ALGO_PRINTER)
        {
          printf ("%6zu %12.2f %12.2f %10.2f\n", n, ours, fj, fj / ours);
        }
      else
        printf ("%6zu %12.2f %12s %10s\n", n, ours, "-", "-");
#else
      printf ("%6zu %12.2f\n", n, ours);
#endif
      for (int j = 0; j < N_JETS; j++)
        free (jets[j]);
    }
  return sink == 12345.678 ? 1 : 0;
}
