/* jx-parallel.c — see jx-parallel.h. */
#include "jx-parallel.h"

#include <cblas.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  JxParallelFunc func;
  void *user;
  int thread, n_threads;
} Task;

static void *
task_main (void *arg)
{
  Task *t = arg;
  t->func (t->user, t->thread, t->n_threads);
  return NULL;
}

void
jx_parallel_run (int n_threads, JxParallelFunc func, void *user)
{
  if (n_threads <= 1)
    {
      func (user, 0, 1);
      return;
    }
  Task *tasks = calloc ((size_t) n_threads, sizeof *tasks);
  pthread_t *ids = calloc ((size_t) n_threads, sizeof *ids);
  char *started = calloc ((size_t) n_threads, 1);
  if (tasks == NULL || ids == NULL || started == NULL)
    {
      /* No memory for bookkeeping: run every share here, same results. */
      for (int k = 0; k < n_threads; k++)
        func (user, k, n_threads);
      free (tasks);
      free (ids);
      free (started);
      return;
    }
  for (int k = 1; k < n_threads; k++)
    {
      tasks[k] = (Task) { func, user, k, n_threads };
      started[k] = pthread_create (&ids[k], NULL, task_main, &tasks[k]) == 0;
    }
  func (user, 0, n_threads);
  for (int k = 1; k < n_threads; k++)
    if (started[k])
      pthread_join (ids[k], NULL);
    else
      func (user, k, n_threads);
  free (tasks);
  free (ids);
  free (started);
}

int
jx_parallel_cpu_count (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int) n;
}

int
jx_parallel_threads (int n_threads)
{
  if (n_threads <= 0)
    return jx_parallel_cpu_count ();
  return n_threads > 256 ? 256 : n_threads;
}

int
jx_blas_single_begin (void)
{
  int previous = openblas_get_num_threads ();
  openblas_set_num_threads (1);
  return previous;
}

void
jx_blas_single_end (int previous)
{
  if (previous >= 1)
    openblas_set_num_threads (previous);
}

double
jx_parallel_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}
