/* jx-cli-train.c — `junipr train`: fit a JUNIPR model to a dataset. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-mpi.h"
#include "jx-cli-options.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-schedule.h"
#include "jx-train-stream.h"
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
  "With --stream the file is read in chunks every epoch instead of held whole (files larger\n"
  "than memory): the chunks come in a shuffled order and each chunk's jets shuffled, so the\n"
  "jets are seen in another order (a file of one chunk gives the model of the run without).\n"
  "\n";

static const char examples_text[] =
  "\n"
  "Examples:\n"
  "  junipr train quarks.h5 -o quark-model.h5\n"
  "  junipr train quarks.h5 --schedule fast --branch factorized --hidden 32 -o demo.h5\n"
  "  junipr train quarks.h5 --resume quark-model.checkpoint.h5 -o quark-model.h5\n"
  "  junipr train huge.h5 --stream --schedule fast -o huge-model.h5\n";

typedef struct {
  const char *data, *output, *checkpoint, *resume, *schedule;
  JxClusterOptions clustering;
  JxModelConfig cfg;
  JxTrainOptions train;
  bool have_optimizer, quiet, arch_given, granularity_given, stream;
  char checkpoint_buf[4096];
} Args;

static int
parse_recurrent (const char *opt, const char *value, void *target)
{
  if (jx_recurrent_kind_parse (value, target, NULL) != 0)
    return jx_cli_fail ("unknown recurrent cell '%s' for %s (command line): use rnn, lstm or gru",
                        value, opt);
  return 0;
}

static int
parse_branch (const char *opt, const char *value, void *target)
{
  if (jx_branch_kind_parse (value, target, NULL) != 0)
    return jx_cli_fail ("unknown branch kind '%s' for %s (command line): use joint, factorized, "
                        "hierarchical or energy", value, opt);
  return 0;
}

static int
parse_optimizer (const char *opt, const char *value, void *target)
{
  if (jx_optim_kind_parse (value, target, NULL) != 0)
    return jx_cli_fail ("unknown optimizer '%s' for %s (command line): use sgd or adam", value,
                        opt);
  return 0;
}

/* G1xG2 into the model's grid sizes; target: Args. */
static int
parse_granularity (const char *opt, const char *value, void *target)
{
  Args *args = target;
  int g1 = 0, g2 = 0, used = 0;
  if (sscanf (value, "%dx%d%n", &g1, &g2, &used) != 2 || value[used] != '\0' || g1 < 1
      || g1 > 64 || g2 < 1 || g2 > 64 || g1 * g2 > 256)
    return jx_cli_fail ("bad %s '%s' (command line): use G1xG2 with G1, G2 in 1..64 and "
                        "G1·G2 ≤ 256, e.g. 10x2", opt, value);
  args->cfg.grid = g1;
  args->cfg.grid_fine = g2;
  args->granularity_given = true;
  return 0;
}

/* The checks that need several options, after parsing: files, the checkpoint's name, the
 * schedule and the model's configuration. */
static int
check_args (Args *args)
{
  JxTrainOptions *t = &args->train;
  int rc;
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

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_cluster_options_default (&args->clustering);
  jx_model_config_default (&args->cfg);
  jx_train_options_default (&args->train);
  args->train.threads = jx_cli_cpu_count ();
  JxClusterOptions *c = &args->clustering;
  JxModelConfig *m = &args->cfg;
  JxTrainOptions *t = &args->train;
  bool *arch = &args->arch_given;  /* a model option: ignored (with a warning) on --resume */
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_SECTION, .help = "Clustering (stored in the model; 'junipr eval' reuses it):" },
    JX_CLI_ROW_ALGORITHM (&c->algorithm, arch),
    { .kind = JX_CLI_OPT_PARSE, .name = "metric", .target = &c->metric,
      .parse = jx_cli_opt_metric, .seen = arch, .value_name = "M",
      .help = "distances of the subjet step and the tree: ee (3-D\n"
              "angles, energies) or pp (FastJet's genkt: y-phi, kT)", .dflt = "ee" },
    { .kind = JX_CLI_OPT_RANGED, .name = "esub", .target = &c->esub, .seen = arch,
      .value_name = "E", .help = "subjet energy cut in GeV, 0 = off", .dflt = "1" },
    { .kind = JX_CLI_OPT_RANGED, .name = "rsub", .target = &c->rsub, .seen = arch,
      .value_name = "R", .help = "subjet radius in rad, 0 = off", .dflt = "0.1" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-bad", .target = &t->skip_bad,
      .help = "skip jets with nothing left after the subjet step", .dflt = "error" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-long", .target = &t->skip_long,
      .help = "skip jets with more particles than --max-mult", .dflt = "error" },
    { .kind = JX_CLI_OPT_SECTION, .help = "Model:" },
    { .kind = JX_CLI_OPT_PARSE, .name = "branch", .target = &m->branch, .parse = parse_branch,
      .seen = arch, .value_name = "KIND",
      .help = "joint (the paper, G^4 cells), factorized,\n"
              "hierarchical (coarse cells, then sub-cells) or\n"
              "energy (a continuous density e^E/Z, Z by importance\n"
              "sampling; the proposal doubles while its error > 2%)", .dflt = "joint" },
    { .kind = JX_CLI_OPT_PARSE, .name = "granularity", .target = args,
      .parse = parse_granularity, .seen = arch, .value_name = "G1xG2",
      .help = "hierarchical: G1^4 coarse cells of G2^4 sub-cells", .dflt = "10x2" },
    { .kind = JX_CLI_OPT_FLAG, .name = "local", .target = &m->local, .seen = arch,
      .help = "the branch head does not see the RNN state" },
    { .kind = JX_CLI_OPT_PARSE, .name = "recurrent", .target = &m->recurrent,
      .parse = parse_recurrent, .seen = arch, .value_name = "CELL",
      .help = "rnn (the paper), lstm or gru (Keras' cells)", .dflt = "rnn" },
    { .kind = JX_CLI_OPT_RANGED_INT, .name = "hidden", .target = &m->hidden, .seen = arch,
      .value_name = "H", .help = "RNN hidden size", .dflt = "100" },
    { .kind = JX_CLI_OPT_RANGED_INT, .name = "dense", .target = &m->dense, .seen = arch,
      .value_name = "D", .help = "width of the heads' hidden layers", .dflt = "100" },
    { .kind = JX_CLI_OPT_RANGED_INT, .name = "max-mult", .target = &m->max_mult, .seen = arch,
      .value_name = "M", .help = "maximum multiplicity the model handles", .dflt = "100" },
    { .kind = JX_CLI_OPT_SECTION, .help = "Training:" },
    { .kind = JX_CLI_OPT_STRING, .name = "schedule", .target = &args->schedule,
      .value_name = "S", .help = "paper (30 epochs, SGD), fast (4 epochs, for Adam),\n"
                                 "or a file of 'epochs lr batch' lines", .dflt = "paper" },
    { .kind = JX_CLI_OPT_PARSE, .name = "optimizer", .target = &t->optimizer,
      .parse = parse_optimizer, .seen = &args->have_optimizer, .value_name = "O",
      .help = "sgd or adam", .dflt = "sgd; adam with --schedule fast" },
    { .kind = JX_CLI_OPT_RANGED_INT, .name = "epochs", .target = &t->epochs, .value_name = "N",
      .help = "cut or lengthen the schedule to N epochs in all" },
    { .kind = JX_CLI_OPT_RANGED, .name = "val-fraction", .target = &t->val_fraction,
      .value_name = "F", .help = "held-out validation fraction, 0..0.9", .dflt = "0.1" },
    JX_CLI_ROW_SEED (&t->seed, "seed of the initial weights, split and shuffles"),
    JX_CLI_ROW_THREADS (&t->threads, "worker threads (per rank under mpirun)"),
    { .kind = JX_CLI_OPT_STRING, .name = "checkpoint", .target = &args->checkpoint,
      .value_name = "PATH", .help = "checkpoint after every epoch, or 'none'",
      .dflt = "MODEL.checkpoint.h5" },
    { .kind = JX_CLI_OPT_STRING, .name = "resume", .target = &args->resume, .value_name = "CKPT",
      .help = "continue from a checkpoint (model, optimizer, epoch, seed)" },
    { .kind = JX_CLI_OPT_FLAG, .name = "stream", .target = &args->stream,
      .help = "read the file in chunks every epoch, not whole\n"
              "(one process; chunk order and jets shuffled)" },
    JX_CLI_ROW_OUTPUT (&args->output, "the trained model (HDF5, written atomically)", "required"),
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "dataset file",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = examples_text, .help_col = 26, .dflt_col = 76, .width = 86,
                           .show_help = jx_cli_is_root };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->data = argv[first];
  return check_args (args);
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

  const JxComm *comm = jx_cli_comm ();
  if (args.stream && jx_comm_parallel (comm))
    return jx_cli_agree (jx_cli_fail ("--stream trains in one process: run it without mpirun, "
                                      "or leave out --stream"));
  /* Under mpirun: this rank's share of the jets only. Streamed: the file is only checked. */
  JxDataset ds;
  jx_dataset_init (&ds);
  if (args.stream)
    {
      JxDatasetStream *check = NULL;
      if ((rc = jx_cli_open_dataset_stream (args.data, &check)) != 0)
        return rc;
      jx_dataset_stream_close (check);
      args.train.stream_chunk_jets = jx_cli_stream_chunk_jets ();
    }
  else if ((rc = jx_cli_load_dataset_share (args.data, &ds, 1, args.quiet)) != 0)
    return rc;

  JxError err = { 0 };
  JxModel *model = NULL;
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  meta.clustering = args.clustering;
  JxTrainStats stats;
  memset (&stats, 0, sizeof stats);
  JxProgress *progress = jx_cli_progress_begin ("training", args.quiet);
  args.train.comm = comm;
  if (args.stream)
    rc = jx_train_and_save_stream (&model, &meta, &args.cfg, args.data, &args.train, args.output,
                                   &stats, progress, &err);
  else
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
