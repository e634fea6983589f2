/* bench-train.c — training and evaluation throughput of JUNIPR models at the paper's sizes.
 *
 * Usage: bench-train [N_JETS [EPOCHS]]   (defaults 200, 1)
 * Jets: N_JETS random jets of 20–60 massless particles (a hard core with collinear fragments
 * plus soft wide-angle particles, total energy ~500 GeV), no subjet step, C/A trees.
 * Models: H = 100, dense 100, G = 10, M = 100, joint and factorized; 1 and 2 threads;
 * training one epoch (or EPOCHS) of Adam at batch 100 without validation, then evaluation.
 * FLOPs: 2 × multiply-adds of the dense layers per step (RNN, end, mother, branch heads), a
 * forward count; training is taken as 3× forward (backward ≈ 2× forward). Prints jets/s and
 * GFLOP/s (wall clock), and jets per CPU-second; never asserts anything. Training time is
 * the epochs' wall time (no validation); the CPU rate of training also includes clustering.
 */
#include <math.h>
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

/* Forward FLOPs of one jet of n particles (n − 1 branchings + the final end step). */
static double
forward_flops (const JxModelConfig *c, size_t n)
{
  double H = c->hidden, D = c->dense, M = c->max_mult, G = c->grid, in = c->local ? 4 : H + 4;
  double rnn = 2 * (8 * H + H * H);
  double end = 2 * (H * D + D);
  double mother = 2 * (H * D + D * M);
  double branch = 0;
  if (c->branch == JX_BRANCH_JOINT)
    branch = 2 * (in * D + D * G * G * G * G);
  else
    for (int k = 0; k < 4; k++)
      branch += 2 * ((in + k) * D + D * G);
  double steps = (double) n - 1;
  return 2 * 4 * H /* h(1) */ + steps * (rnn + end + mother + branch) + end;
}

int
main (int argc, char **argv)
{
  size_t n_jets = argc > 1 ? (size_t) strtoul (argv[1], NULL, 10) : 200;
  int epochs = argc > 2 ? atoi (argv[2]) : 1;
  if (n_jets < 10 || epochs < 1)
    {
      fprintf (stderr, "usage: bench-train [N_JETS ≥ 10 [EPOCHS ≥ 1]]\n");
      return 1;
    }
  JxDataset ds;
  jx_dataset_init (&ds);
  make_jets (&ds, n_jets, 1);
  size_t n_part = jx_dataset_n_particles (&ds);
  printf ("bench-train: %zu jets, %.1f particles/jet on average, %d CPUs\n", n_jets,
          (double) n_part / (double) n_jets, jx_parallel_cpu_count ());
  printf ("wall-clock rates; in brackets jets per CPU-second (all threads), less sensitive to load\n");
  printf ("%-11s %7s %9s  %10s %9s %10s %9s  %10s %9s %10s %9s\n", "branch", "threads", "params",
          "train j/s", "[j/cpu-s]", "MFLOP/jet", "GFLOP/s", "eval j/s", "[j/cpu-s]", "MFLOP/jet",
          "GFLOP/s");

  JxBranchKind kinds[2] = { JX_BRANCH_JOINT, JX_BRANCH_FACTORIZED };
  for (int k = 0; k < 2; k++)
    for (int threads = 1; threads <= 2; threads++)
      {
        JxModelConfig cfg;
        jx_model_config_default (&cfg);
        cfg.branch = kinds[k];
        JxModel *model = NULL;
        JxError err;
        if (jx_model_new (&cfg, 1, &model, &err) != 0)
          {
            fprintf (stderr, "bench-train: %s\n", err.message);
            return 1;
          }
        double flops = 0;
        for (size_t i = 0; i < n_jets; i++)
          flops += forward_flops (&cfg, jx_dataset_jet_size (&ds, i));
        flops /= (double) n_jets;

        JxModelMeta meta;
        jx_model_meta_init (&meta);
        meta.clustering.algorithm = JX_ALGO_CA;
        meta.clustering.esub = 0;
        meta.clustering.rsub = 0;
        JxTrainOptions o;
        jx_train_options_default (&o);
        char sched[64];
        snprintf (sched, sizeof sched, "%d 1e-4 100\n", epochs);
        jx_schedule_parse (&o.schedule, sched, "bench", NULL);
        o.optimizer = JX_OPTIM_ADAM;
        o.val_fraction = 0;
        o.threads = threads;
        JxTrainStats st;
        double c0 = cpu_now ();
        if (jx_train (&model, &meta, &ds, &o, &st, NULL, &err) != 0)
          {
            fprintf (stderr, "bench-train: %s\n", err.message);
            return 1;
          }
        double train_s = 0;
        for (size_t e = 0; e < meta.n_history; e++)
          train_s += meta.history[e].seconds;
        double train_rate = (double) (st.n_train * (size_t) epochs) / train_s;
        double train_cpu = (double) (st.n_train * (size_t) epochs) / (cpu_now () - c0);

        JxEvalOptions eo;
        jx_eval_options_default (&eo);
        eo.threads = threads;
        JxScores scores;
        double t0 = jx_parallel_now ();
        c0 = cpu_now ();
        if (jx_evaluate (model, &meta, &ds, &eo, &scores, NULL, &err) != 0)
          {
            fprintf (stderr, "bench-train: %s\n", err.message);
            return 1;
          }
        double eval_s = jx_parallel_now () - t0;
        double eval_cpu = (double) n_jets / (cpu_now () - c0);
        double eval_rate = (double) n_jets / eval_s;
        printf ("%-11s %7d %9zu  %10.1f %9.1f %10.1f %9.2f  %10.1f %9.1f %10.1f %9.2f\n",
                jx_branch_kind_name (kinds[k]), threads, jx_model_n_params (model), train_rate,
                train_cpu, 3 * flops / 1e6, train_rate * 3 * flops / 1e9, eval_rate, eval_cpu,
                flops / 1e6, eval_rate * flops / 1e9);
        fflush (stdout);
        jx_scores_free (&scores);
        jx_model_meta_free (&meta);
        jx_model_free (model);
      }
  jx_dataset_free (&ds);
  return 0;
}
