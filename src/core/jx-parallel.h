/* jx-parallel.h — a fork/join helper for the trainer and the evaluator.
 *
 * jx_parallel_run calls func(user, k, n) for k = 0..n−1, k = 0 on the calling thread and the
 * others on fresh pthreads, and returns when all are done. The split of work is the caller's
 * (by k), so results never depend on scheduling. If a thread cannot be started its share runs
 * on the calling thread afterwards, which changes timing but not results.
 *
 * OpenBLAS (pthread build) would start its own threads inside every sgemm called from our
 * workers and oversubscribe the cores; jx_blas_single_begin sets its thread count to 1 and
 * jx_blas_single_end restores it. The setting is process-wide.
 */
#pragma once

typedef void (*JxParallelFunc) (void *user, int thread, int n_threads);

void jx_parallel_run (int n_threads, JxParallelFunc func, void *user);

/* Online CPUs, ≥ 1. */
int jx_parallel_cpu_count (void);

/* n_threads ≤ 0 → all online CPUs; otherwise n_threads capped at 256. */
int jx_parallel_threads (int n_threads);

int jx_blas_single_begin (void);        /* returns the previous setting */
void jx_blas_single_end (int previous);

/* Seconds on a monotonic clock. */
double jx_parallel_now (void);
