/* bench-dataset — write and read time of a dataset file (default 1e6 jets × 15 particles).
 *
 *   bench-dataset [N_JETS] [PARTICLES_PER_JET] [DIR]
 *
 * Prints the wall time of jx_dataset_write and jx_dataset_read, the file size and the
 * in-memory size. Not a test: numbers depend on the machine and its load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jx-dataset.h"
#include "jx-rng.h"

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

int
main (int argc, char **argv)
{
  size_t n_jets = argc > 1 ? strtoull (argv[1], NULL, 10) : 1000000;
  size_t per_jet = argc > 2 ? strtoull (argv[2], NULL, 10) : 15;
  const char *dir = argc > 3 ? argv[3] : "/tmp";
  char path[4096];
  snprintf (path, sizeof path, "%s/bench-dataset-%ld.h5", dir, (long) getpid ());

  JxDataset ds, back;
  JxError err;
  JxRng rng;
  jx_rng_seed (&rng, 1, 0);
  jx_dataset_init (&ds);
  jx_dataset_reserve (&ds, n_jets, n_jets * per_jet, &err);
  JxP4 *jet = malloc (per_jet * sizeof *jet);
  double t0 = now ();
  /* Realistic numbers (not compressible runs of zeros): massless particles in a cone. */
  for (size_t i = 0; i < n_jets; i++)
    {
      for (size_t k = 0; k < per_jet; k++)
        {
          double E = 500 * jx_rng_uniform (&rng) + 0.1;
          double px = 0.1 * E * (jx_rng_uniform (&rng) - 0.5);
          double py = 0.1 * E * (jx_rng_uniform (&rng) - 0.5);
          double pz = sqrt (E * E - px * px - py * py);
          jet[k] = jx_p4 (E, px, py, pz);
        }
      if (jx_dataset_append_labeled (&ds, jet, per_jet, (int32_t) (i & 1), 1.0, &err) != 0)
        {
          fprintf (stderr, "bench-dataset: %s\n", err.message);
          return 1;
        }
    }
  double t1 = now ();
  if (jx_dataset_write (&ds, path, NULL, &err) != 0)
    {
      fprintf (stderr, "bench-dataset: %s\n", err.message);
      return 1;
    }
  double t2 = now ();
  if (jx_dataset_read (&back, path, NULL, &err) != 0)
    {
      fprintf (stderr, "bench-dataset: %s\n", err.message);
      unlink (path);
      return 1;
    }
  double t3 = now ();
  struct stat st;
  stat (path, &st);
  size_t np = jx_dataset_n_particles (&ds);
  double mem = (double) np * sizeof (JxP4) + (double) (n_jets + 1) * 8 + (double) n_jets * 12;
  int same = back.n_jets == ds.n_jets
             && memcmp (back.particles, ds.particles, np * sizeof (JxP4)) == 0;
  printf ("jets %zu, particles %zu (%.1f MB in memory)\n", n_jets, np, mem / 1e6);
  printf ("build  %.3f s\n", t1 - t0);
  printf ("write  %.3f s  (%.0f MB/s of data, file %.1f MB, ratio %.2f)\n", t2 - t1,
          mem / 1e6 / (t2 - t1), (double) st.st_size / 1e6, (double) st.st_size / mem);
  printf ("read   %.3f s  (%.0f MB/s)  identical: %s\n", t3 - t2, mem / 1e6 / (t3 - t2),
          same ? "yes" : "NO");
  unlink (path);
  jx_dataset_free (&ds);
  jx_dataset_free (&back);
  free (jet);
  return same ? 0 : 1;
}
