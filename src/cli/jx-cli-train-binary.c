/* jx-cli-train-binary.c — `junipr train-binary`: JUNIPR-binary fine-tuning of a signal and
 * a background model on labelled jets (jx-binary.h), written as one pair file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-binary.h"
#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-model.h"
#include "jx-cli-options.h"
#include "jx-model-pair.h"

static const char usage_text[] =
  "Usage: junipr train-binary --signal-model S.h5 --background-model B.h5\n"
  "                           --signal SIG.h5 --background BKG.h5 -o PAIR.h5 [OPTIONS]\n"
  "\n"
  "JUNIPR-binary (arXiv:1906.10137): fine-tune two unary models together as one classifier.\n"
  "Each jet's signal probability is sigmoid(ln P_S - ln P_B); both models are trained on the\n"
  "binary cross-entropy of the labelled jets with Adam. A validation part of each sample is\n"
  "held out; its loss and the AUC of ln P_S - ln P_B are shown before the first epoch (the\n"
  "unary pair) and after every epoch. The output is the pair of the epoch with the highest\n"
  "validation AUC (the unary pair if no epoch beats it). Each model clusters the jets its\n"
  "own way. A checkpoint pair is written after every epoch.\n"
  "\n"
  "PAIR.h5 is a model file holding the signal model, with the background model in the group\n"
  "/background and the fine-tuning history in /binary: 'junipr discriminate --pair PAIR.h5'\n"
  "and the app (models A and B) read it; every other command reads its signal model.\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr train-binary --signal-model z-model.h5 --background-model q-model.h5 \\\n"
  "      --signal z-train.h5 --background q-train.h5 -o zq-pair.h5\n"
  "  junipr discriminate --pair zq-pair.h5 --signal z-test.h5 --background q-test.h5 -o roc.csv\n";

typedef struct {
  const char *model[2], *data[2], *output, *checkpoint;
  char checkpoint_buf[4096];
  JxBinaryOptions opt;
  bool quiet;
} Args;

static int
check_args (Args *args)
{
  static const char *const names[4] = { "--signal-model", "--background-model", "--signal",
                                        "--background" };
  const char *vals[4] = { args->model[0], args->model[1], args->data[0], args->data[1] };
  int rc;
  for (int k = 0; k < 4; k++)
    {
      if (vals[k] == NULL)
        return jx_cli_fail ("missing %s (command line): all of --signal-model, --background-model, "
                            "--signal and --background are needed", names[k]);
      if ((rc = jx_cli_check_input (vals[k])) != 0)
        return rc;
    }
  if (args->output == NULL)
    return jx_cli_fail ("missing -o (command line): say where to write the pair, e.g. -o pair.h5");
  if ((rc = jx_cli_check_output ("-o", args->output)) != 0)
    return rc;
  if ((rc = jx_cli_checkpoint_option (args->checkpoint, args->output, args->checkpoint_buf,
                                      sizeof args->checkpoint_buf, &args->checkpoint)) != 0)
    return rc;
  args->opt.checkpoint = args->checkpoint;
  return 0;
}

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_binary_options_default (&args->opt);
  args->opt.threads = jx_cli_cpu_count ();
  JxBinaryOptions *o = &args->opt;
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_STRING, .name = "signal-model", .target = &args->model[0],
      .value_name = "S", .help = "unary model of the signal", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "background-model", .target = &args->model[1],
      .value_name = "B", .help = "unary model of the background", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "signal", .target = &args->data[0],
      .value_name = "SIG", .help = "signal jets", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "background", .target = &args->data[1],
      .value_name = "BKG", .help = "background jets", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "output", .letter = 'o', .target = &args->output,
      .value_name = "PAIR", .help = "the fine-tuned pair (HDF5, written atomically)",
      .dflt = "required" },
    { .kind = JX_CLI_OPT_INT, .name = "epochs", .target = &o->epochs, .lo = 1, .hi = 1000,
      .value_name = "N", .help = "epochs, 1..1000", .dflt = "5" },
    { .kind = JX_CLI_OPT_DOUBLE, .name = "lr", .target = &o->learning_rate, .lo = 1e-8, .hi = 1,
      .value_name = "R", .help = "Adam's learning rate, 1e-8..1", .dflt = "1e-4" },
    { .kind = JX_CLI_OPT_INT, .name = "batch", .target = &o->batch_size, .lo = 1, .hi = 100000,
      .value_name = "N", .help = "jets per update, 1..100000", .dflt = "100" },
    { .kind = JX_CLI_OPT_DOUBLE, .name = "val-fraction", .target = &o->val_fraction,
      .lo = 0.01, .hi = 0.9, .value_name = "F",
      .help = "held-out fraction of each sample, 0.01..0.9", .dflt = "0.2" },
    { .kind = JX_CLI_OPT_CLEAR, .name = "last", .target = &o->keep_best,
      .help = "keep the last epoch's pair, not the best one" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-bad", .target = &o->skip_bad,
      .help = "skip jets with nothing left after the subjet step", .dflt = "error" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-long", .target = &o->skip_long,
      .help = "skip jets longer than a model's --max-mult", .dflt = "error" },
    JX_CLI_ROW_SEED (&o->seed, "seed of the split and the shuffles"),
    JX_CLI_ROW_THREADS (&o->threads, "worker threads"),
    { .kind = JX_CLI_OPT_STRING, .name = "checkpoint", .target = &args->checkpoint,
      .value_name = "PATH", .help = "pair after every epoch, or 'none'",
      .dflt = "PAIR.checkpoint.h5" },
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 0, .args_what = "options (no positional arguments)",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 28, .dflt_col = 74,
                           .width = 84 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  return check_args (args);
}

static void
print_summary (const Args *args, const JxPairInfo *info, const JxBinaryStats *st)
{
  printf ("junipr train-binary: wrote %s (%zu + %zu training, %zu + %zu validation jets, "
          "signal + background", args->output, st->n_train[0], st->n_train[1], st->n_val[0],
          st->n_val[1]);
  if (st->n_skipped[0] + st->n_skipped[1] > 0)
    printf ("; skipped %zu + %zu", st->n_skipped[0], st->n_skipped[1]);
  printf (")\n");
  printf ("  unary pair:  validation loss %.6f, AUC %.4f\n", info->initial_val_loss,
          info->initial_val_auc);
  printf ("  epoch  train loss  val loss    val AUC  seconds\n");
  for (size_t i = 0; i < info->n_history; i++)
    {
      const JxBinaryEpoch *e = &info->history[i];
      printf ("  %5d  %-10.6f  %-10.6f  %.4f   %.1f\n", e->epoch, e->train_loss, e->val_loss,
              e->val_auc, e->seconds);
    }
  if (st->best_epoch == 0)
    printf ("  kept the unary pair: no epoch raised the validation AUC\n");
  else
    printf ("  kept epoch %d\n", st->best_epoch);
  if (st->n_bad_batches > 0)
    printf ("  skipped %zu batch%s with NaN/Inf\n", st->n_bad_batches,
            st->n_bad_batches == 1 ? "" : "es");
  printf ("  %.1f s", st->seconds);
  if (args->checkpoint != NULL)
    printf ("; checkpoint %s", args->checkpoint);
  printf ("\n");
}

int
jx_cli_train_binary (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  JxModel *model[2] = { NULL, NULL };
  JxModelMeta meta[2];
  JxDataset ds[2];
  for (int k = 0; k < 2; k++)
    {
      jx_model_meta_init (&meta[k]);
      jx_dataset_init (&ds[k]);
    }
  int exit_code = 0;
  for (int k = 0; k < 2 && exit_code == 0; k++)
    exit_code = jx_cli_load_model (args.model[k], &model[k], &meta[k]);
  for (int k = 0; k < 2 && exit_code == 0; k++)
    exit_code = jx_cli_load_dataset (args.data[k], &ds[k], args.quiet);
  JxPairInfo info;
  jx_pair_info_init (&info);
  snprintf (info.signal_data, sizeof info.signal_data, "%s", args.data[0]);
  snprintf (info.background_data, sizeof info.background_data, "%s", args.data[1]);
  JxBinaryStats stats;
  memset (&stats, 0, sizeof stats);
  if (exit_code == 0)
    {
      JxError err = { 0 };
      JxProgress *progress = jx_cli_progress_begin ("train-binary", args.quiet);
      rc = jx_binary_train (model[0], &meta[0], model[1], &meta[1], &ds[0], &ds[1], &args.opt,
                            &info, &stats, progress, &err);
      if (rc == 0 && jx_progress_cancelled (progress))
        rc = jx_error_set (&err, JX_ERR_CANCELLED, "cancelled");
      if (rc == 0)
        rc = jx_model_pair_save (args.output, model[0], &meta[0], model[1], &meta[1], &info,
                                 NULL, NULL, &err);
      jx_cli_progress_end ();
      if (rc != 0)
        exit_code = jx_cli_fail_core (&err);
    }
  if (exit_code == 0 && !args.quiet)
    print_summary (&args, &info, &stats);
  jx_pair_info_free (&info);
  for (int k = 0; k < 2; k++)
    {
      jx_model_free (model[k]);
      jx_model_meta_free (&meta[k]);
      jx_dataset_free (&ds[k]);
    }
  return exit_code;
}
