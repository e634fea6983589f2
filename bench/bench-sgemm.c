/* bench-sgemm.c — this machine's OpenBLAS sgemm rate for the JUNIPR joint head's shapes.
 *
 * Usage: bench-sgemm [ROWS [REPEATS]]   (defaults 1024, 5)
 *
 * The joint branch head's output layer is a (D = 100) → (K = G⁴ = 10⁴) dense layer applied to
 * ROWS branching states at once. Per training pass it costs three GEMMs:
 *   forward  logits (R, K)  = a (R, D) · W (D, K)
 *   dinput   da (R, D)      = dlogits (R, K) · Wᵀ
 *   dweight  dW (D, K)     += aᵀ · dlogits
 * each 2·R·D·K FLOPs; evaluation runs only the forward one. This program times them on 1
 * thread, and on 2 threads both ways a trainer could use two cores: OpenBLAS's own threads on
 * the whole shape, or two workers each running single-threaded sgemm on half the rows (own
 * dW each). The best of REPEATS runs is reported (the peak, which is what a loaded machine
 * hides least), in GFLOP/s of wall-clock time (and, for the three in a row, per CPU-second
 * of all threads: robust to a loaded machine), and the last line gives the peaks
 * bench/run-network-bench.sh divides by ("peak train/eval, 1 and 2 threads"), wall clock and
 * per CPU-second (the latter is what a loaded machine distorts least).
 * Never asserts anything.
 */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define D 100
#define K 10000

static double
cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static double
thread_cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

typedef struct {
  int rows;
  float *a, *w, *logits, *da, *dw;
  double t[3];   /* seconds of the three GEMMs */
  double c[3];   /* CPU seconds of this thread in them (meaningful with single-threaded BLAS) */
} Job;

static void
fill (float *x, size_t n, unsigned seed)
{
  for (size_t i = 0; i < n; i++)
    {
      seed = seed * 1103515245u + 12345u;
      x[i] = (float) ((seed >> 8) & 0xffff) / 65536.0f - 0.5f;
    }
}

static int
job_init (Job *j, int rows)
{
  memset (j, 0, sizeof *j);
  j->rows = rows;
  j->a = aligned_alloc (64, (size_t) rows * D * sizeof (float));
  j->w = aligned_alloc (64, (size_t) D * K * sizeof (float));
  j->logits = aligned_alloc (64, (size_t) rows * K * sizeof (float));
  j->da = aligned_alloc (64, (size_t) rows * D * sizeof (float));
  j->dw = aligned_alloc (64, (size_t) D * K * sizeof (float));
  if (!j->a || !j->w || !j->logits || !j->da || !j->dw)
    return -1;
  fill (j->a, (size_t) rows * D, 1);
  fill (j->w, (size_t) D * K, 2);
  memset (j->dw, 0, (size_t) D * K * sizeof (float));
  return 0;
}

static void
job_free (Job *j)
{
  free (j->a);
  free (j->w);
  free (j->logits);
  free (j->da);
  free (j->dw);
}

static void *
job_run (void *arg)
{
  Job *j = arg;
  int R = j->rows;
  double t0 = now (), c0 = thread_cpu_now ();
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, R, K, D, 1.0f, j->a, D, j->w, K,
               0.0f, j->logits, K);
  double t1 = now (), c1 = thread_cpu_now ();
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, R, D, K, 1.0f, j->logits, K, j->w, K,
               0.0f, j->da, D);
  double t2 = now (), c2 = thread_cpu_now ();
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, D, K, R, 1.0f, j->a, D, j->logits, K,
               1.0f, j->dw, K);
  double t3 = now (), c3 = thread_cpu_now ();
  j->c[0] = c1 - c0;
  j->c[1] = c2 - c1;
  j->c[2] = c3 - c2;
  j->t[0] = t1 - t0;
  j->t[1] = t2 - t1;
  j->t[2] = t3 - t2;
  return NULL;
}

/* best[0..3): fastest wall time of each GEMM; best[3]: of the three in a row; *cpu: CPU
 * seconds (all threads) of the three in a row, *cpu_fwd: of the forward GEMM alone (1 thread
 * only), the least over the repeats. */
static void
measure (int rows, int mode, int repeats, double best[4], double *cpu, double *cpu_fwd)
{
  /* mode 0: 1 thread; 1: OpenBLAS with 2 threads; 2: two workers on half the rows each. */
  int nj = mode == 2 ? 2 : 1;
  Job jobs[2];
  for (int k = 0; k < nj; k++)
    if (job_init (&jobs[k], mode == 2 ? rows / 2 : rows) != 0)
      {
        fprintf (stderr, "bench-sgemm: out of memory\n");
        exit (1);
      }
  openblas_set_num_threads (mode == 1 ? 2 : 1);
  for (int i = 0; i < 4; i++)
    best[i] = 1e30;
  *cpu = *cpu_fwd = 1e30;
  for (int r = 0; r < repeats + 1; r++)   /* the first run warms caches and thread pools */
    {
      pthread_t id;
      double c0 = cpu_now (), t0 = now ();
      if (nj == 2)
        pthread_create (&id, NULL, job_run, &jobs[1]);
      job_run (&jobs[0]);
      if (nj == 2)
        pthread_join (id, NULL);
      double total = now () - t0, c = cpu_now () - c0;
      if (r == 0)
        continue;
      for (int i = 0; i < 3; i++)
        {
          double t = jobs[0].t[i];
          if (nj == 2 && jobs[1].t[i] > t)
            t = jobs[1].t[i];
          if (t < best[i])
            best[i] = t;
        }
      if (total < best[3])
        best[3] = total;
      if (c < *cpu)
        *cpu = c;
      if (jobs[0].c[0] < *cpu_fwd)
        *cpu_fwd = jobs[0].c[0];
    }
  for (int k = 0; k < nj; k++)
    job_free (&jobs[k]);
}

int
main (int argc, char **argv)
{
  int rows = argc > 1 ? atoi (argv[1]) : 1024;
  int repeats = argc > 2 ? atoi (argv[2]) : 5;
  if (rows < 2 || repeats < 1)
    {
      fprintf (stderr, "usage: bench-sgemm [ROWS ≥ 2 [REPEATS ≥ 1]]\n");
      return 1;
    }
  double f = 2.0 * rows * D * K;
  printf ("bench-sgemm: joint head output layer, R = %d rows, D = %d, K = %d; "
          "%.3f GFLOP per GEMM; best of %d\n", rows, D, K, f / 1e9, repeats);
  printf ("%-26s %10s %10s %10s %14s %12s\n", "threads", "forward", "dinput", "dweight",
          "train (all 3)", "[per CPU-s]");
  static const char *const names[3] = { "1", "2 (OpenBLAS threads)", "2 (two workers)" };
  double peak_train[3], peak_eval[3], cpu_train = 0, cpu_eval = 0;
  for (int mode = 0; mode < 3; mode++)
    {
      double b[4], cpu, cpu_fwd;
      measure (rows, mode, repeats, b, &cpu, &cpu_fwd);
      if (mode == 0)
        {
          cpu_train = 3 * f / cpu / 1e9;
          cpu_eval = f / cpu_fwd / 1e9;
        }
      peak_eval[mode] = f / b[0] / 1e9;
      peak_train[mode] = 3 * f / b[3] / 1e9;
      printf ("%-26s %10.1f %10.1f %10.1f %14.1f %12.1f  GFLOP/s\n", names[mode],
              f / b[0] / 1e9, f / b[1] / 1e9, f / b[2] / 1e9, peak_train[mode], 3 * f / cpu / 1e9);
      fflush (stdout);
    }
  double t2 = peak_train[1] > peak_train[2] ? peak_train[1] : peak_train[2];
  double e2 = peak_eval[1] > peak_eval[2] ? peak_eval[1] : peak_eval[2];
  printf ("peak train/eval GFLOP/s: 1 thread %.1f %.1f, 2 threads %.1f %.1f\n", peak_train[0],
          peak_eval[0], t2, e2);
  printf ("peak train/eval GFLOP per CPU-second (1 thread): %.1f %.1f\n", cpu_train, cpu_eval);
  return 0;
}
