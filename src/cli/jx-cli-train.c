/* jx-cli-train.c — `junipr train`: fit a JUNIPR model to a dataset. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-mpi.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-schedule.h"
#include "jx-train.h"

static const char usage_text[] =
  "Usage: junipr train DATA.h5 -o MODEL.h5 [OPTIONS]\n"
  "\n"
  "Train a JUNIPR model on a dataset: cluster every jet into its tree once, then minimise the\n"
  "mean -ln P_jet with mini-batch SGD (or Adam) along a schedule, holding out a validation\n"
  "split whose loss is shown after every epoch. A checkpoint is written after every epoch;\n"
  "Ctrl-C stops at once and the last checkpoint stays valid (continue with --resume).\n"
  "Same --seed and --threads give a bit-identical model.\n"
  "Under mpirun (mpirun -np N junipr train ...) each of the N ranks reads and clusters its\n"
  "share of the jets and works on its part of every batch (--threads per rank); same --seed,\n"
  "N and --threads give a bit-identical model, other N the same model within ~1e-7.\n"
  "\n"
  "Clustering (stored in the model; 'junipr eval' reuses it):\n"
  "  -a, --algorithm ALG     tree algorithm: ca, kt, antikt, printer           [ca]\n"
  "      --metric M          distances of the subjet step and the tree: ee (3-D [ee]\n"
  "                          angles, energies) or pp (FastJet's genkt: y-phi, kT)\n"
  "      --esub E            subjet energy cut in GeV, 0 = off                 [1]\n"
  "      --rsub R            subjet radius in rad, 0 = off                     [0.1]\n"
  "      --skip-bad          skip jets with nothing left after the subjet step [error]\n"
  "      --skip-long         skip jets with more particles than --max-mult     [error]\n"
  "Model:\n"
  "      --branch KIND       joint (the paper, G^4 cells), factorized,         [joint]\n"
  "                          hierarchical (coarse cells, then sub-cells) or\n"
  "                          energy (a continuous density e^E/Z, Z by importance\n"
  "                          sampling; the proposal doubles while its error > 2%)\n"
  "      --granularity G1xG2 hierarchical: G1^4 coarse cells of G2^4 sub-cells  [10x2]\n"
  "      --local             the branch head does not see the RNN state\n"
  "      --recurrent CELL    rnn (the paper), lstm or gru (Keras' cells)       [rnn]\n"
  "      --hidden H          RNN hidden size                                   [100]\n"
  "      --dense D           width of the heads' hidden layers                 [100]\n"
  "      --max-mult M        maximum multiplicity the model handles            [100]\n"
  "Training:\n"
  "      --schedule S        paper (30 epochs, SGD), fast (4 epochs, for Adam),\n"
  "                          or a file of 'epochs lr batch' lines             [paper]\n"
  "      --optimizer O       sgd or adam                  [sgd; adam with --schedule fast]\n"
  "      --epochs N          cut or lengthen the schedule to N epochs in all\n"
  "      --val-fraction F    held-out validation fraction, 0..0.9              [0.1]\n"
  "      --seed S            seed of the initial weights, split and shuffles   [1]\n"
  "      --threads N         worker threads (per rank under mpirun)            [all CPUs]\n"
  "      --checkpoint PATH   checkpoint after every epoch, or 'none'  [MODEL.checkpoint.h5]\n"
  "      --resume CKPT       continue from a checkpoint (model, optimizer, epoch, seed)\n"
  "  -o, --output FILE       the trained model (HDF5, written atomically)      [required]\n"
  "  -q, --quiet             no progress display or summary\n"
  "  -h, --help              show this help\n"
  "\n"
  "Examples:\n"
  "  junipr train quarks.h5 -o quark-model.h5\n"
  "  junipr train quarks.h5 --schedule fast --branch factorized --hidden 32 -o demo.h5\n"
  "  junipr train quarks.h5 --resume quark-model.checkpoint.h5 -o quark-model.h5\n";

typedef struct {
  const char *data, *output, *checkpoint, *resume, *schedule;
  JxClusterOptions clustering;
  JxModelConfig cfg;
  JxTrainOptions train;
  bool have_optimizer, quiet, arch_given, granularity_given;
  char checkpoint_buf[4096];
} Args;

enum {
  OPT_ESUB = 256, OPT_RSUB, OPT_SKIP_BAD, OPT_SKIP_LONG, OPT_BRANCH, OPT_LOCAL, OPT_HIDDEN,
  OPT_DENSE, OPT_MAX_MULT, OPT_SCHEDULE, OPT_OPTIMIZER, OPT_EPOCHS, OPT_VAL_FRACTION, OPT_SEED,
  OPT_THREADS, OPT_CHECKPOINT, OPT_RESUME, OPT_METRIC, OPT_RECURRENT, OPT_GRANULARITY,
};

static int
parse_args (int argc, char **argv, Args *args)
{
  static const struct option longs[] = {
    { "algorithm", required_argument, NULL, 'a' },
    { "metric", required_argument, NULL, OPT_METRIC },
    { "recurrent", required_argument, NULL, OPT_RECURRENT },
    { "esub", required_argument, NULL, OPT_ESUB },
    { "rsub", required_argument, NULL, OPT_RSUB },
    { "skip-bad", no_argument, NULL, OPT_SKIP_BAD },
    { "skip-long", no_argument, NULL, OPT_SKIP_LONG },
    { "branch", required_argument, NULL, OPT_BRANCH },
    { "local", no_argument, NULL, OPT_LOCAL },
    { "granularity", required_argument, NULL, OPT_GRANULARITY },
    { "hidden", required_argument, NULL, OPT_HIDDEN },
    { "dense", required_argument, NULL, OPT_DENSE },
    { "max-mult", required_argument, NULL, OPT_MAX_MULT },
    { "schedule", required_argument, NULL, OPT_SCHEDULE },
    { "optimizer", required_argument, NULL, OPT_OPTIMIZER },
    { "epochs", required_argument, NULL, OPT_EPOCHS },
    { "val-fraction", required_argument, NULL, OPT_VAL_FRACTION },
    { "seed", required_argument, NULL, OPT_SEED },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
    { "resume", required_argument, NULL, OPT_RESUME },
    { "output", required_argument, NULL, 'o' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  memset (args, 0, sizeof *args);
  jx_cluster_options_default (&args->clustering);
  jx_model_config_default (&args->cfg);
  jx_train_options_default (&args->train);
  args->train.threads = jx_cli_cpu_count ();
  JxTrainOptions *t = &args->train;
  int c, rc = 0;
  size_t v;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":a:o:qh", longs, NULL)) != -1)
    {
      JxError err = { 0 };
      switch (c)
        {
        case 'a':
          if (jx_algorithm_parse (optarg, &args->clustering.algorithm, &err) != 0)
            rc = jx_cli_fail ("unknown algorithm '%s' for --algorithm (command line): use ca, kt, "
                              "antikt or printer", optarg);
          args->arch_given = true;
          break;
        case OPT_METRIC:
          rc = jx_cli_parse_metric (optarg, &args->clustering.metric);
          args->arch_given = true;
          break;
        case OPT_RECURRENT:
          if (jx_recurrent_kind_parse (optarg, &args->cfg.recurrent, &err) != 0)
            rc = jx_cli_fail ("unknown recurrent cell '%s' for --recurrent (command line): use "
                              "rnn, lstm or gru", optarg);
          args->arch_given = true;
          break;
        case OPT_ESUB:
          rc = jx_cli_parse_ranged ("--esub", optarg, &args->clustering.esub);
          args->arch_given = true;
          break;
        case OPT_RSUB:
          rc = jx_cli_parse_ranged ("--rsub", optarg, &args->clustering.rsub);
          args->arch_given = true;
          break;
        case OPT_SKIP_BAD: t->skip_bad = true; break;
        case OPT_SKIP_LONG: t->skip_long = true; break;
        case OPT_BRANCH:
          if (jx_branch_kind_parse (optarg, &args->cfg.branch, &err) != 0)
            rc = jx_cli_fail ("unknown branch kind '%s' for --branch (command line): use joint, "
                              "factorized, hierarchical or energy", optarg);
          args->arch_given = true;
          break;
        case OPT_GRANULARITY:
          {
            int g1 = 0, g2 = 0, used = 0;
            if (sscanf (optarg, "%dx%d%n", &g1, &g2, &used) != 2 || optarg[used] != '\0'
                || g1 < 1 || g1 > 64 || g2 < 1 || g2 > 64 || g1 * g2 > 256)
              rc = jx_cli_fail ("bad --granularity '%s' (command line): use G1xG2 with G1, G2 "
                                "in 1..64 and G1·G2 ≤ 256, e.g. 10x2", optarg);
            args->cfg.grid = g1;
            args->cfg.grid_fine = g2;
            args->arch_given = args->granularity_given = true;
          }
          break;
        case OPT_LOCAL: args->cfg.local = true; args->arch_given = true; break;
        case OPT_HIDDEN:
          rc = jx_cli_parse_ranged_size ("--hidden", optarg, &v);
          args->cfg.hidden = (int) v;
          args->arch_given = true;
          break;
        case OPT_DENSE:
          rc = jx_cli_parse_ranged_size ("--dense", optarg, &v);
          args->cfg.dense = (int) v;
          args->arch_given = true;
          break;
        case OPT_MAX_MULT:
          rc = jx_cli_parse_ranged_size ("--max-mult", optarg, &v);
          args->cfg.max_mult = (int) v;
          args->arch_given = true;
          break;
        case OPT_SCHEDULE: args->schedule = optarg; break;
        case OPT_OPTIMIZER:
          if (jx_optim_kind_parse (optarg, &t->optimizer, &err) != 0)
            rc = jx_cli_fail ("unknown optimizer '%s' for --optimizer (command line): use sgd or "
                              "adam", optarg);
          args->have_optimizer = true;
          break;
        case OPT_EPOCHS:
          rc = jx_cli_parse_ranged_size ("--epochs", optarg, &v);
          t->epochs = (int) v;
          break;
        case OPT_VAL_FRACTION:
          rc = jx_cli_parse_ranged ("--val-fraction", optarg, &t->val_fraction);
          break;
        case OPT_SEED: rc = jx_cli_parse_u64 ("--seed", optarg, &t->seed); break;
        case OPT_THREADS:
          rc = jx_cli_parse_size ("--threads", optarg, 1, 256, &v);
          t->threads = (int) v;
          break;
        case OPT_CHECKPOINT: args->checkpoint = optarg; break;
        case OPT_RESUME: args->resume = optarg; break;
        case 'o': args->output = optarg; break;
        case 'q': args->quiet = true; break;
        case 'h':
          if (jx_cli_is_root ())
            fputs (usage_text, stdout);
          return -1;
        default: return jx_cli_bad_option (c, argv);
        }
      if (rc != 0)
        return rc;
    }
  if ((rc = jx_cli_need_positionals (argc, argv, optind, 1, "dataset file")) != 0)
    return rc;
  args->data = argv[optind];
  if (args->granularity_given && args->cfg.branch != JX_BRANCH_HIERARCHICAL)
    return jx_cli_fail ("--granularity is for --branch hierarchical (command line): add it, or "
                        "leave --granularity out");
  if (args->output == NULL)
    return jx_cli_fail ("missing -o (command line): say where to write the model, "
                        "e.g. -o model.h5");
  if ((rc = jx_cli_check_input (args->data)) != 0)
    return rc;
  if (args->schedule != NULL && strcmp (args->schedule, "paper") != 0
      && strcmp (args->schedule, "fast") != 0 && (rc = jx_cli_check_input (args->schedule)) != 0)
    return rc;
  if ((rc = jx_cli_check_output ("-o", args->output)) != 0)
    return rc;

  if (args->checkpoint == NULL)
    {
      /* MODEL.h5 → MODEL.checkpoint.h5, next to the model. */
      const char *o = args->output;
      size_t n = strlen (o);
      if (n > 3 && strcmp (o + n - 3, ".h5") == 0)
        snprintf (args->checkpoint_buf, sizeof args->checkpoint_buf, "%.*s.checkpoint.h5",
                  (int) (n - 3), o);
      else
        snprintf (args->checkpoint_buf, sizeof args->checkpoint_buf, "%s.checkpoint.h5", o);
      args->checkpoint = args->checkpoint_buf;
    }
  else if (strcmp (args->checkpoint, "none") == 0)
    args->checkpoint = NULL;
  /* Resuming from the checkpoint that training goes on writing is the usual case. */
  if (args->checkpoint != NULL
      && (rc = jx_cli_check_output_replacing ("--checkpoint", args->checkpoint,
                                              args->resume)) != 0)
    return rc;
  if (args->resume != NULL && (rc = jx_cli_check_input (args->resume)) != 0)
    return rc;
  t->checkpoint = args->checkpoint;
  t->resume = args->resume;
  t->dataset_name = args->data;

  JxError err = { 0 };
  if (args->schedule != NULL)
    {
      if (jx_schedule_from_name (&t->schedule, args->schedule, &err) != 0)
        return jx_cli_fail ("%s", err.message);
      if (!args->have_optimizer && strcmp (args->schedule, "fast") == 0)
        t->optimizer = JX_OPTIM_ADAM;
    }
  else if (args->resume == NULL)
    jx_schedule_paper (&t->schedule);
  if (args->resume == NULL && jx_model_config_check (&args->cfg, &err) != 0)
    return jx_cli_fail ("%s", err.message);
  return 0;
}

static void
print_summary (const Args *args, const JxModelMeta *meta, const JxTrainStats *st)
{
  printf ("junipr train: wrote %s (%d epochs; %zu training and %zu validation jets", args->output,
          st->epochs_done, st->n_train, st->n_val);
  if (st->n_skipped_bad + st->n_skipped_long > 0)
    printf ("; skipped %zu without particles, %zu too long", st->n_skipped_bad, st->n_skipped_long);
  printf (")\n");
  if (isfinite (st->initial_val_loss))
    printf ("  initial validation loss %.6g\n", st->initial_val_loss);
  printf ("  epoch  lr        batch  train loss   val loss     seconds\n");
  for (size_t i = 0; i < meta->n_history; i++)
    {
      const JxEpochRecord *r = &meta->history[i];
      printf ("  %5d  %-8.3g  %5d  %-11.6g  %-11.6g  %.1f\n", r->epoch, r->learning_rate,
              r->batch_size, r->train_loss, r->val_loss, r->seconds);
    }
  if (st->n_bad_batches > 0)
    printf ("  skipped %zu batch%s with NaN/Inf: %s\n", st->n_bad_batches,
            st->n_bad_batches == 1 ? "" : "es", st->bad_batches);
  if (st->ranks > 1)
    printf ("  %.1f s on %d ranks × %d thread%s (rank 0: %.1f s waiting for the other ranks, "
            "%.1f s adding gradients, %.1f s sending trees)", st->seconds, st->ranks, st->threads,
            st->threads == 1 ? "" : "s", st->sync_seconds, st->reduce_seconds, st->fetch_seconds);
  else
    printf ("  %.1f s on %d thread%s", st->seconds, st->threads, st->threads == 1 ? "" : "s");
  if (args->checkpoint != NULL)
    printf ("; checkpoint %s", args->checkpoint);
  printf ("\n");
}

/* One line: the error, then where training can go on from (a checkpoint this run wrote, or
 * after Ctrl-C the one it resumed from), if anywhere. */
static int
fail_with_resume_hint (const Args *args, const JxTrainStats *stats, const JxError *err)
{
  bool cancelled = err->code == JX_ERR_CANCELLED || jx_cli_progress_was_cancelled ();
  char hint[1024] = "";
  if (args->checkpoint != NULL && stats->checkpoint_epochs > 0)
    snprintf (hint, sizeof hint, "; the checkpoint after epoch %d is in %s: continue with "
              "--resume %s", stats->checkpoint_epochs, args->checkpoint, args->checkpoint);
  else if (args->resume != NULL && cancelled)
    snprintf (hint, sizeof hint, "; continue with --resume %s", args->resume);
  if (cancelled)
    {
      jx_cli_fail ("cancelled (Ctrl-C): no model was written%s", hint);
      return JX_CLI_EXIT_CANCELLED;
    }
  if (hint[0] == '\0')
    return jx_cli_fail_core (err);
  return jx_cli_fail ("%s%s", err->message, hint);
}

int
jx_cli_train (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc < 0)
    return 0;
  if ((rc = jx_cli_agree (rc)) != 0)
    return rc;
  bool root = jx_cli_is_root ();
  if (root && args.resume != NULL && args.arch_given)
    fprintf (stderr, "junipr train: warning: with --resume the model and its clustering come "
             "from the checkpoint; --algorithm/--metric/--esub/--rsub/--branch/--local/"
             "--recurrent/--hidden/--dense/--max-mult are ignored\n");

  /* Under mpirun: this rank's share of the jets only. */
  JxDataset ds;
  if ((rc = jx_cli_load_dataset_share (args.data, &ds, 1, args.quiet)) != 0)
    return rc;

  const JxComm *comm = jx_cli_comm ();
  JxError err = { 0 };
  JxModel *model = NULL;
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  meta.clustering = args.clustering;
  JxTrainStats stats;
  memset (&stats, 0, sizeof stats);
  JxProgress *progress = jx_cli_progress_begin ("training", args.quiet);
  args.train.comm = comm;
  rc = jx_train_and_save (&model, &meta, &args.cfg, &ds, &args.train, args.output, &stats,
                          progress, &err);
  jx_cli_progress_end ();
  jx_dataset_free (&ds);
  if (rc != 0)
    {
      int code = fail_with_resume_hint (&args, &stats, &err);
      jx_model_free (model);
      jx_model_meta_free (&meta);
      return code;
    }
  if (!args.quiet && root)
    print_summary (&args, &meta, &stats);
  jx_model_free (model);
  jx_model_meta_free (&meta);
  return 0;
}
