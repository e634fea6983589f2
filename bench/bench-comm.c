/* bench-comm.c — the exchanges of one data-parallel training step between the ranks of an MPI
 * job, alone (issue #11): jx_comm_sum_floats on a gradient of N floats (the joint model's
 * 1 062 301 parameters, 4.25 MB, and the factorized model's 88 441, 0.35 MB, at the paper's
 * sizes) and jx_comm_agree_sum (the per-batch agreement on the loss: a 16-byte allgather).
 *
 *     mpirun -np 2 BUILD/bench/bench-comm [REPEATS] [N_FLOATS...]
 *
 * Every repeat starts after a barrier (an agree), so the time is the exchange and not waiting
 * for a late rank; rank 0 prints the fastest and the median repeat and the bytes each rank
 * sends (2 (p − 1)/p · 4N, as a ring allreduce moves). On a loaded machine the median shows
 * how often the other rank was descheduled; the fastest is the exchange itself.
 */
#include <stdio.h>
#include <stdlib.h>

#include "jx-bench-clock.h"
#include "jx-comm.h"
#include "jx-mpi.h"

static double
now (void)
{
  return jx_bench_seconds (CLOCK_MONOTONIC);
}

static int
by_value (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Fastest and median of t[0..n). */
static void
summary (double *t, int n, double *best, double *median)
{
  qsort (t, (size_t) n, sizeof *t, by_value);
  *best = t[0];
  *median = t[n / 2];
}

int
main (int argc, char **argv)
{
  JxComm *world;
  JxError err;
  if (jx_mpi_init (&argc, &argv, &world, &err) != 0)
    {
      fprintf (stderr, "bench-comm: %s\n", err.message);
      return 1;
    }
  int repeats = argc > 1 ? atoi (argv[1]) : 30;
  if (repeats < 1)
    repeats = 1;
  static const size_t defaults[] = { 1062301, 88441 };
  int n_sizes = argc > 2 ? argc - 2 : 2;
  double *t = malloc ((size_t) repeats * sizeof *t);
  int p = jx_comm_size (world), me = jx_comm_rank (world);
  if (me == 0)
    printf ("%d ranks, %d repeats\n%-28s %10s %10s %12s\n", p, repeats, "exchange", "best ms",
            "median ms", "MB sent/rank");
  for (int k = 0; k < n_sizes && t != NULL; k++)
    {
      size_t n = argc > 2 ? strtoull (argv[k + 2], NULL, 10) : defaults[k];
      float *x = malloc (n * sizeof *x);
      float *scratch = malloc (jx_comm_sum_floats_scratch (world, n) * sizeof *scratch);
      if (x == NULL || scratch == NULL)
        jx_mpi_abort (world, 1);
      for (int r = 0; r < repeats; r++)
        {
          for (size_t i = 0; i < n; i++)
            x[i] = (float) (i % 97) * 1e-3f * (float) (me + 1);
          jx_comm_agree (world, 0, NULL);
          double t0 = now ();
          jx_comm_sum_floats (world, x, n, scratch);
          t[r] = now () - t0;
        }
      double best, median;
      summary (t, repeats, &best, &median);
      if (me == 0)
        printf ("sum_floats %9zu floats      %10.3f %10.3f %12.3f\n", n, 1e3 * best,
                1e3 * median, 2.0 * (p - 1) / p * 4.0 * (double) n / 1e6);
      free (x);
      free (scratch);
    }
  for (int r = 0; r < repeats && t != NULL; r++)
    {
      double loss = 1.0;
      jx_comm_agree (world, 0, NULL);
      double t0 = now ();
      jx_comm_agree_sum (world, 0, &loss, NULL);
      t[r] = now () - t0;
    }
  if (t != NULL && me == 0)
    {
      double best, median;
      summary (t, repeats, &best, &median);
      printf ("agree_sum (loss, 16 B)           %10.3f %10.3f\n", 1e3 * best, 1e3 * median);
    }
  free (t);
  jx_mpi_finalize (world);
  return 0;
}
