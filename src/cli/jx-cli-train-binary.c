/* jx-cli-train-binary.c — `junipr train-binary`: JUNIPR-binary fine-tuning of a signal and
 * a background model on labelled jets (jx-binary.h), written as one pair file. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-binary.h"
#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-model.h"
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
  "Options:\n"
  "      --signal-model S      unary model of the signal                     [required]\n"
  "      --background-model B  unary model of the background                 [required]\n"
  "      --signal SIG          signal jets                                   [required]\n"
  "      --background BKG      background jets                               [required]\n"
  "  -o, --output PAIR         the fine-tuned pair (HDF5, written atomically) [required]\n"
  "      --epochs N            epochs, 1..1000                               [5]\n"
  "      --lr R                Adam's learning rate, 1e-8..1                 [1e-4]\n"
  "      --batch N             jets per update, 1..100000                    [100]\n"
  "      --val-fraction F      held-out fraction of each sample, 0.01..0.9   [0.2]\n"
  "      --last                keep the last epoch's pair, not the best one\n"
  "      --skip-bad            skip jets with nothing left after the subjet step [error]\n"
  "      --skip-long           skip jets longer than a model's --max-mult    [error]\n"
  "      --seed S              seed of the split and the shuffles            [1]\n"
  "      --threads N           worker threads                                [all CPUs]\n"
  "      --checkpoint PATH     pair after every epoch, or 'none'   [PAIR.checkpoint.h5]\n"
  "  -q, --quiet               no progress display or summary\n"
  "  -h, --help                show this help\n"
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

enum { OPT_SM = 256, OPT_BM, OPT_SIG, OPT_BKG, OPT_EPOCHS, OPT_LR, OPT_BATCH, OPT_VAL, OPT_LAST,
       OPT_SKIP_BAD, OPT_SKIP_LONG, OPT_SEED, OPT_THREADS, OPT_CHECKPOINT };

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
  static const struct option longs[] = {
    { "signal-model", required_argument, NULL, OPT_SM },
    { "background-model", required_argument, NULL, OPT_BM },
    { "signal", required_argument, NULL, OPT_SIG },
    { "background", required_argument, NULL, OPT_BKG },
    { "epochs", required_argument, NULL, OPT_EPOCHS },
    { "lr", required_argument, NULL, OPT_LR },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "val-fraction", required_argument, NULL, OPT_VAL },
    { "last", no_argument, NULL, OPT_LAST },
    { "skip-bad", no_argument, NULL, OPT_SKIP_BAD },
    { "skip-long", no_argument, NULL, OPT_SKIP_LONG },
    { "seed", required_argument, NULL, OPT_SEED },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
    { "output", required_argument, NULL, 'o' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  memset (args, 0, sizeof *args);
  jx_binary_options_default (&args->opt);
  args->opt.threads = jx_cli_cpu_count ();
  JxBinaryOptions *o = &args->opt;
  int c, rc = 0;
  size_t v;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":o:qh", longs, NULL)) != -1)
    {
      switch (c)
        {
        case OPT_SM: args->model[0] = optarg; break;
        case OPT_BM: args->model[1] = optarg; break;
        case OPT_SIG: args->data[0] = optarg; break;
        case OPT_BKG: args->data[1] = optarg; break;
        case OPT_EPOCHS:
          rc = jx_cli_parse_size ("--epochs", optarg, 1, 1000, &v);
          o->epochs = (int) v;
          break;
        case OPT_LR: rc = jx_cli_parse_double ("--lr", optarg, 1e-8, 1, &o->learning_rate); break;
        case OPT_BATCH:
          rc = jx_cli_parse_size ("--batch", optarg, 1, 100000, &v);
          o->batch_size = (int) v;
          break;
        case OPT_VAL: rc = jx_cli_parse_double ("--val-fraction", optarg, 0.01, 0.9, &o->val_fraction); break;
        case OPT_LAST: o->keep_best = false; break;
        case OPT_SKIP_BAD: o->skip_bad = true; break;
        case OPT_SKIP_LONG: o->skip_long = true; break;
        case OPT_SEED: rc = jx_cli_parse_u64 ("--seed", optarg, &o->seed); break;
        case OPT_THREADS:
          rc = jx_cli_parse_size ("--threads", optarg, 1, 256, &v);
          o->threads = (int) v;
          break;
        case OPT_CHECKPOINT: args->checkpoint = optarg; break;
        case 'o': args->output = optarg; break;
        case 'q': args->quiet = true; break;
        case 'h': fputs (usage_text, stdout); return -1;
        default: return jx_cli_bad_option (c, argv);
        }
      if (rc != 0)
        return rc;
    }
  if ((rc = jx_cli_need_positionals (argc, argv, optind, 0, "options (no positional arguments)")) != 0)
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
