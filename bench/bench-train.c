/* bench-train.c — training and evaluation throughput of JUNIPR models at the paper's sizes.
 *
 * Usage: bench-train [--branch joint|factorized] [--threads N] [--mode train|eval]
 *                    [--machine] [--lengths FILE] [N_JETS [EPOCHS]]   (defaults 200, 1)
 * Jets: N_JETS random jets of 20–60 massless particles (a hard core with collinear fragments
 * plus soft wide-angle particles, total energy ~500 GeV), no subjet step, C/A trees.
 * Models: H = 100, dense 100, G = 10, M = 100, joint and factorized; 1 and 2 threads (or the
 * ones asked for).
 * - train: jx_train with Adam at batch 100, no validation, one warm-up epoch and then EPOCHS
 *   timed epochs (wall clock from the epoch records, CPU time between the epoch callbacks,
 *   so clustering and the warm-up are not counted).
 * - eval: ln P_jet of every jet of the pre-built trees at batch 100 (jx_model_log_prob_many,
 *   each batch split in equal shares over the threads, OpenBLAS single-threaded), one
 *   warm-up pass, then EPOCHS timed passes: the network alone, as in PyTorch's peer.
 *   The human-readable table also shows jx_evaluate (clustering + one jet at a time, the
 *   scores-file path) for reference.
 * FLOPs per jet are counted exactly for the GEMMs (2 per multiply-add): the forward pass of
 * every dense layer, and for training also the weight gradients and the input gradients
 * that are needed (not for the RNN's input and seed kernels, nor for the branch head's
 * k_m/coordinate inputs). Prints jets/s and GFLOP/s (wall clock), and jets per CPU-second
 * (all threads; robust to a loaded machine). --machine prints one line per measurement:
 *   "ours BRANCH MODE threads=N jets=J wall=S cpu=S jets/s=R jets/cpu-s=R flops/jet=F
 *    head-flops/jet=F" (head: the joint head's output layer).
 * --lengths FILE writes the particle count of every jet, one per line (for the PyTorch
 * peer, bench/torch_junipr.py) and exits. Never asserts anything.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jx-dataset.h"
#include "jx-eval.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-parallel.h"
#include "jx-rng.h"
#include "jx-train.h"

/* CPU seconds of the whole process (all threads): on a shared machine wall-clock rates drop
 * with the load, CPU-time rates much less. */
static double
cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void
direction (JxRng *rng, const double axis[3], double max_angle, double out[3])
{
  /* A direction within max_angle of axis, log-uniform in angle down to 1e-3 rad. */
  double th = exp (log (1e-3) + (log (max_angle) - log (1e-3)) * jx_rng_uniform (rng));
  double ph = 2 * M_PI * jx_rng_uniform (rng);
  JxFrame f;
  jx_frame_from_axis (&f, jx_p4 (1, axis[0], axis[1], axis[2]));
  jx_frame_direction (&f, th, ph, out);
}

static void
make_jets (JxDataset *ds, size_t n_jets, uint64_t seed)
{
  JxRng rng;
  jx_rng_seed (&rng, seed, 0);
  JxP4 p[64];
  const double axis[3] = { 0, 0, 1 };
  for (size_t j = 0; j < n_jets; j++)
    {
      size_t n = 20 + jx_rng_below (&rng, 41);
      double w[64], sum = 0;
      for (size_t i = 0; i < n; i++)
        {
          w[i] = -log (jx_rng_uniform (&rng)) * (i < n / 4 ? 8.0 : 1.0);
          sum += w[i];
        }
      for (size_t i = 0; i < n; i++)
        {
          double E = 500 * w[i] / sum, d[3];
          direction (&rng, axis, i < n / 4 ? 0.1 : 0.8, d);
          p[i] = jx_p4 (E, E * d[0], E * d[1], E * d[2]);
        }
      jx_dataset_append (ds, p, n, NULL);
    }
}

/* GEMM FLOPs of one jet of n particles (n − 1 branchings + the final end step): forward, and
 * for training forward + weight gradients + the input gradients the backward pass computes.
 * *head gets the joint head's output layer alone (0 for factorized). */
static double
jet_flops (const JxModelConfig *c, size_t n, bool train, double *head)
{
  double H = c->hidden, D = c->dense, M = c->max_mult, G = c->grid;
  double h_in = c->local ? 0 : H, steps = (double) n - 1;
  double K = c->branch == JX_BRANCH_JOINT ? G * G * G * G : G;
  int n_heads = c->branch == JX_BRANCH_JOINT ? 1 : 4;
  double branch_fwd = 0, branch_din = 0;
  for (int k = 0; k < n_heads; k++)
    {
      double cb = h_in + 4 + (n_heads == 4 ? k : 0);
      branch_fwd += 2 * (cb * D + D * K);
      branch_din += 2 * (h_in * D + D * K);
    }
  double fwd = 2 * 4 * H + steps * 2 * (8 * H + H * H) + (double) n * 2 * (H * D + D)
               + steps * 2 * (H * D + D * M) + steps * branch_fwd;
  double out = steps * 2 * D * K;
  *head = c->branch == JX_BRANCH_JOINT ? (train ? 3 : 1) * out : 0;
  if (!train)
    return fwd;
  double din = steps * 2 * H * H + (double) n * 2 * (H * D + D) + steps * 2 * (H * D + D * M)
               + steps * branch_din;
  return 2 * fwd + din;
}

typedef struct {
  int epochs_seen;
  double cpu_first;   /* CPU clock at the end of the warm-up epoch */
  double cpu_last;
} EpochClock;

static void
on_epoch (void *user, const JxEpochRecord *rec)
{
  EpochClock *c = user;
  double t = cpu_now ();
  if (c->epochs_seen++ == 0)
    c->cpu_first = t;
  c->cpu_last = t;
  (void) rec;
}

typedef struct {
  double wall, cpu;   /* seconds of the timed part */
  size_t jets;        /* jets processed in it */
} Timing;

static int
measure_train (const JxDataset *ds, JxModel **model, int threads, int epochs, Timing *out)
{
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  meta.clustering.algorithm = JX_ALGO_CA;
  meta.clustering.esub = 0;
  meta.clustering.rsub = 0;
  JxTrainOptions o;
  jx_train_options_default (&o);
  char sched[64];
  snprintf (sched, sizeof sched, "%d 1e-4 100\n", epochs + 1);
  jx_schedule_parse (&o.schedule, sched, "bench", NULL);
  o.optimizer = JX_OPTIM_ADAM;
  o.val_fraction = 0;
  o.threads = threads;
  EpochClock clock = { 0 };
  o.epoch_func = on_epoch;
  o.epoch_user = &clock;
  JxTrainStats st;
  JxError err;
  if (jx_train (model, &meta, ds, &o, &st, NULL, &err) != 0)
    {
      fprintf (stderr, "bench-train: %s\n", err.message);
      jx_model_meta_free (&meta);
      return -1;
    }
  out->wall = 0;
  for (size_t e = 1; e < meta.n_history; e++)
    out->wall += meta.history[e].seconds;
  out->cpu = clock.cpu_last - clock.cpu_first;
  out->jets = st.n_train * (size_t) epochs;
  jx_model_meta_free (&meta);
  return 0;
}

typedef struct {
  const JxModel *model;
  const JxTree **trees;
  size_t n;
  double *log_p;
  JxModelWork **works;
  int *codes;
} EvalJob;

static void
eval_share (void *user, int k, int n_threads)
{
  EvalJob *job = user;
  size_t lo = job->n * (size_t) k / (size_t) n_threads;
  size_t hi = job->n * (size_t) (k + 1) / (size_t) n_threads;
  JxError err;
  job->codes[k] = jx_model_log_prob_many (job->model, job->trees + lo, hi - lo, job->log_p + lo,
                                          job->works[k], &err);
}

/* ln P_jet of all jets in batches of 100 (each split over the threads): warm-up + passes. */
static int
measure_eval (const JxTreeSet *set, const JxModel *model, int threads, int passes, Timing *out)
{
  size_t n = set->n_jets;
  const JxTree **trees = malloc (n * sizeof *trees);
  double *log_p = malloc (n * sizeof *log_p);
  JxModelWork *works[2] = { jx_model_work_new (model), jx_model_work_new (model) };
  int codes[2] = { 0, 0 };
  for (size_t i = 0; i < n; i++)
    trees[i] = &set->trees[i];
  int blas = jx_blas_single_begin ();
  double w0 = 0, c0 = 0;
  for (int p = 0; p <= passes; p++)
    {
      if (p == 1)
        {
          w0 = jx_parallel_now ();
          c0 = cpu_now ();
        }
      for (size_t a = 0; a < n; a += 100)
        {
          EvalJob job = { model, trees + a, n - a < 100 ? n - a : 100, log_p + a, works, codes };
          jx_parallel_run (threads, eval_share, &job);
          if (codes[0] != 0 || codes[1] != 0)
            fprintf (stderr, "bench-train: evaluation failed\n");
        }
    }
  out->wall = jx_parallel_now () - w0;
  out->cpu = cpu_now () - c0;
  out->jets = n * (size_t) passes;
  jx_blas_single_end (blas);
  jx_model_work_free (works[0]);
  jx_model_work_free (works[1]);
  free (trees);
  free (log_p);
  return 0;
}

/* jx_evaluate (clustering + scoring one jet at a time): wall and CPU seconds. */
static int
measure_evaluate (const JxDataset *ds, const JxModel *model, int threads, Timing *out)
{
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  meta.clustering.algorithm = JX_ALGO_CA;
  meta.clustering.esub = 0;
  meta.clustering.rsub = 0;
  JxEvalOptions eo;
  jx_eval_options_default (&eo);
  eo.threads = threads;
  JxScores scores;
  JxError err;
  double t0 = jx_parallel_now (), c0 = cpu_now ();
  int rc = jx_evaluate (model, &meta, ds, &eo, &scores, NULL, &err);
  out->wall = jx_parallel_now () - t0;
  out->cpu = cpu_now () - c0;
  out->jets = ds->n_jets;
  if (rc != 0)
    fprintf (stderr, "bench-train: %s\n", err.message);
  else
    jx_scores_free (&scores);
  jx_model_meta_free (&meta);
  return rc;
}

static void
usage (void)
{
  fprintf (stderr, "usage: bench-train [--branch joint|factorized] [--threads N] "
           "[--mode train|eval] [--machine] [--lengths FILE] [N_JETS ≥ 10 [EPOCHS ≥ 1]]\n");
}

int
main (int argc, char **argv)
{
  size_t n_jets = 200;
  int epochs = 1, only_threads = 0, only_branch = -1, only_mode = -1;   /* mode 0 train, 1 eval */
  bool machine = false;
  const char *lengths = NULL;
  int pos = 0;
  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i];
      bool has = i + 1 < argc;
      if (strcmp (a, "--branch") == 0 && has)
        {
          JxBranchKind k;
          if (jx_branch_kind_parse (argv[++i], &k, NULL) != 0)
            return usage (), 1;
          only_branch = (int) k;
        }
      else if (strcmp (a, "--threads") == 0 && has)
        only_threads = atoi (argv[++i]);
      else if (strcmp (a, "--mode") == 0 && has)
        {
          i++;
          if (strcmp (argv[i], "train") != 0 && strcmp (argv[i], "eval") != 0)
            return usage (), 1;
          only_mode = strcmp (argv[i], "eval") == 0;
        }
      else if (strcmp (a, "--machine") == 0)
        machine = true;
      else if (strcmp (a, "--lengths") == 0 && has)
        lengths = argv[++i];
      else if (a[0] != '-' && pos == 0 && ++pos)
        n_jets = (size_t) strtoul (a, NULL, 10);
      else if (a[0] != '-' && pos == 1 && ++pos)
        epochs = atoi (a);
      else
        return usage (), 1;
    }
  if (n_jets < 10 || epochs < 1 || only_threads < 0)
    return usage (), 1;
  JxDataset ds;
  jx_dataset_init (&ds);
  make_jets (&ds, n_jets, 1);
  if (lengths != NULL)
    {
      FILE *f = fopen (lengths, "w");
      if (f == NULL)
        {
          perror (lengths);
          return 1;
        }
      for (size_t i = 0; i < n_jets; i++)
        fprintf (f, "%zu\n", jx_dataset_jet_size (&ds, i));
      fclose (f);
      jx_dataset_free (&ds);
      return 0;
    }
  size_t n_part = jx_dataset_n_particles (&ds);
  if (!machine)
    {
      printf ("bench-train: %zu jets, %.1f particles/jet on average, %d CPUs, batch 100, "
              "%d timed epoch(s)\n", n_jets, (double) n_part / (double) n_jets,
              jx_parallel_cpu_count (), epochs);
      printf ("wall-clock rates; in brackets jets per CPU-second (all threads), less sensitive "
              "to load; e2e = jx_evaluate (clustering + one jet at a time)\n");
      printf ("%-11s %3s %8s  %9s %9s %9s %7s  %9s %9s %9s %7s  %8s\n", "branch", "thr", "params",
              "train j/s", "[j/cpu-s]", "MFLOP/jet", "GFLOP/s", "eval j/s", "[j/cpu-s]",
              "MFLOP/jet", "GFLOP/s", "e2e j/s");
    }

  JxClusterOptions clus = { 0 };
  clus.algorithm = JX_ALGO_CA;
  JxTreeSet set;
  JxError err;
  if (jx_tree_set_build (&set, &ds, &clus, 100, false, false, 0, NULL, &err) != 0)
    {
      fprintf (stderr, "bench-train: %s\n", err.message);
      return 1;
    }

  for (int k = 0; k < 2; k++)
    for (int threads = 1; threads <= 2; threads++)
      {
        if ((only_branch >= 0 && k != only_branch) || (only_threads > 0 && threads != only_threads))
          continue;
        JxModelConfig cfg;
        jx_model_config_default (&cfg);
        cfg.branch = (JxBranchKind) k;
        JxModel *model = NULL;
        if (jx_model_new (&cfg, 1, &model, &err) != 0)
          {
            fprintf (stderr, "bench-train: %s\n", err.message);
            return 1;
          }
        double flops[2] = { 0, 0 }, head[2] = { 0, 0 };
        for (size_t i = 0; i < n_jets; i++)
          for (int m = 0; m < 2; m++)
            {
              double h;
              flops[m] += jet_flops (&cfg, jx_dataset_jet_size (&ds, i), m == 0, &h);
              head[m] += h;
            }
        Timing t[2];
        memset (t, 0, sizeof t);
        for (int m = 0; m < 2; m++)
          {
            flops[m] /= (double) n_jets;
            head[m] /= (double) n_jets;
            if (only_mode >= 0 && m != only_mode)
              continue;
            int rc = m == 0 ? measure_train (&ds, &model, threads, epochs, &t[m])
                            : measure_eval (&set, model, threads, epochs, &t[m]);
            if (rc != 0)
              return 1;
            if (machine)
              printf ("ours %s %s threads=%d jets=%zu wall=%.4f cpu=%.4f jets/s=%.2f "
                      "jets/cpu-s=%.2f flops/jet=%.6g head-flops/jet=%.6g\n",
                      jx_branch_kind_name (cfg.branch), m == 0 ? "train" : "eval", threads,
                      t[m].jets, t[m].wall, t[m].cpu, (double) t[m].jets / t[m].wall,
                      (double) t[m].jets / t[m].cpu, flops[m], head[m]);
            fflush (stdout);
          }
        if (!machine)
          {
            Timing e2e;
            measure_evaluate (&ds, model, threads, &e2e);
            double r[2], rc[2];
            for (int m = 0; m < 2; m++)
              {
                r[m] = t[m].jets > 0 ? (double) t[m].jets / t[m].wall : NAN;
                rc[m] = t[m].jets > 0 ? (double) t[m].jets / t[m].cpu : NAN;
              }
            printf ("%-11s %3d %8zu  %9.1f %9.1f %9.1f %7.2f  %9.1f %9.1f %9.1f %7.2f  %8.1f\n",
                    jx_branch_kind_name (cfg.branch), threads, jx_model_n_params (model), r[0],
                    rc[0], flops[0] / 1e6, r[0] * flops[0] / 1e9, r[1], rc[1], flops[1] / 1e6,
                    r[1] * flops[1] / 1e9, (double) e2e.jets / e2e.wall);
            fflush (stdout);
          }
        jx_model_free (model);
      }
  jx_tree_set_free (&set);
  jx_dataset_free (&ds);
  return 0;
}
