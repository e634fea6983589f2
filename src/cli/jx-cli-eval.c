/* jx-cli-eval.c — `junipr eval`: score every jet of a dataset under a model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-model.h"
#include "jx-cli-dataset.h"
#include "jx-cli-mpi.h"
#include "jx-cli-options.h"
#include "jx-eval-stream.h"
#include "jx-gather.h"
#include "jx-model-io.h"
#include "jx-scores.h"

static const char usage_text[] =
  "Usage: junipr eval MODEL.h5 DATA.h5 -o SCORES.h5 [OPTIONS]\n"
  "\n"
  "Compute ln P_jet for every jet of DATA under MODEL (natural log; log10 is stored too),\n"
  "clustering the jets with the model's own clustering, into a junipr-scores HDF5 file.\n"
  "Jets the model cannot score (nothing left after the subjet step, more particles than the\n"
  "model's maximum) are kept with status 1 or 2 and log_p = NaN. Warns when the data does\n"
  "not look like what the model was trained on. Under mpirun (mpirun -np N junipr eval ...)\n"
  "each rank scores its share of the jets and rank 0 writes the one scores file, the same as\n"
  "one process writes.\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr eval quark-model.h5 quarks-test.h5 --per-step -o quark-scores.h5\n"
  "  python3 -c 'import h5py; print(h5py.File(\"quark-scores.h5\")[\"jets/log_p\"][:10])'\n";

typedef struct {
  const char *model, *data, *output;
  bool per_step, quiet;
  int threads;
} Args;

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  args->threads = jx_cli_cpu_count ();
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_FLAG, .name = "per-step", .target = &args->per_step,
      .help = "also store the per-step terms (end, mother, branch)" },
    JX_CLI_ROW_THREADS (&args->threads, "worker threads (results do not depend on it)"),
    JX_CLI_ROW_OUTPUT (&args->output, "scores file (HDF5, written atomically)", "required"),
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 2, .args_what = "model and dataset files",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 26, .dflt_col = 73,
                           .show_help = jx_cli_is_root };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->model = argv[first];
  args->data = argv[first + 1];
  if (args->output == NULL)
    return jx_cli_fail ("missing -o (command line): say where to write the scores, "
                        "e.g. -o scores.h5");
  if ((rc = jx_cli_check_input (args->model)) != 0 || (rc = jx_cli_check_input (args->data)) != 0)
    return rc;
  return jx_cli_check_output ("-o", args->output);
}

static void
print_warning (void *user, const char *message)
{
  (void) user;
  fprintf (stderr, "junipr eval: warning: %s\n", message);
}

/* The data's mean jet energy over every rank's share, for the compatibility warnings. */
static double
mean_energy (const JxDataset *ds)
{
  const JxComm *c = jx_cli_comm ();
  double sum = jx_eval_energy_sum (ds);
  uint64_t n = jx_comm_sum_u64 (c, ds->n_jets);
  jx_comm_agree_sum (c, 0, &sum, NULL);
  return n > 0 ? sum / (double) n : NAN;
}

/* This rank's scores (all of them for one process) → on rank 0 all ranks' in order. */
static int
collect (JxScores *scores, JxError *err)
{
  const JxComm *c = jx_cli_comm ();
  if (!jx_comm_parallel (c))
    return 0;
  JxScores whole;
  int rc = jx_scores_gather (c, scores, &whole, err);
  jx_scores_free (scores);
  *scores = whole;
  return rc;
}

/* The warning for jets not scored and, unless --quiet, the summary: the mean ln P_jet (also
 * as a density, with log_v the log of one branching cell's volume) and the speed. */
static void
print_summary (const Args *a, const JxScores *scores, double log_v, double secs)
{
  size_t n_bad = 0, n_long = 0, n_ok = 0;
  double sum = 0, sum_density = 0;
  for (size_t i = 0; i < scores->n_jets; i++)
    {
      n_bad += scores->status[i] == JX_JET_BAD;
      n_long += scores->status[i] == JX_JET_LONG;
      if (scores->status[i] == JX_JET_SCORED)
        {
          n_ok++;
          sum += scores->log_p[i];
          sum_density += scores->log_p[i] - (scores->n[i] - 1) * log_v;
        }
    }
  if (n_bad + n_long > 0)
    fprintf (stderr, "junipr eval: warning: %zu jet%s not scored (%zu with nothing left after "
             "the subjet step, %zu with more particles than the model's maximum); their log_p "
             "is NaN\n", n_bad + n_long, n_bad + n_long == 1 ? "" : "s", n_bad, n_long);
  if (!a->quiet)
    {
      printf ("junipr eval: wrote %s (%zu jets scored of %zu%s)\n", a->output, n_ok, scores->n_jets,
              a->per_step ? ", with per-step terms" : "");
      if (n_ok > 0)
        printf ("  mean ln P_jet %.6g (mean log10 P_jet %.6g)\n"
                "  as a density in the scaled branching coordinates: mean ln P_jet - (n-1) ln V "
                "= %.6g\n  (V = %.6g, the volume of one branching cell)\n",
                sum / (double) n_ok, sum / (double) n_ok / M_LN10, sum_density / (double) n_ok,
                exp (log_v));
      int ranks = jx_comm_size (jx_cli_comm ());
      printf ("  %.2f s, %.0f jets/s on ", secs, secs > 0 ? (double) scores->n_jets / secs : 0.0);
      if (ranks > 1)
        printf ("%d ranks × ", ranks);
      printf ("%d thread%s\n", a->threads, a->threads == 1 ? "" : "s");
    }
}

int
jx_cli_eval (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc < 0)
    return 0;
  if ((rc = jx_cli_agree (rc)) != 0)
    return rc;
  bool root = jx_cli_is_root ();
  const JxComm *comm = jx_cli_comm ();

  JxError err = { 0 };
  JxModel *model = NULL;
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  if ((rc = jx_cli_agree (jx_cli_load_model (args.model, &model, &meta))) != 0)
    {
      jx_model_free (model);
      jx_model_meta_free (&meta);
      return rc;
    }
  /* One process streams the file chunk by chunk (memory: the scores, not the file; files
   * larger than memory). Under mpirun each rank reads its share, whole chunks of the
   * evaluator, so the ranks score the chunks one process scores. */
  JxDataset ds;
  jx_dataset_init (&ds);
  JxDatasetStream *stream = NULL;
  if (jx_comm_parallel (comm))
    rc = jx_cli_load_dataset_share (args.data, &ds, JX_EVAL_CHUNK, args.quiet);
  else
    rc = jx_cli_open_dataset_stream (args.data, &stream);
  if (rc != 0)
    {
      jx_model_free (model);
      jx_model_meta_free (&meta);
      return rc;
    }
  JxEvalOptions opt;
  jx_eval_options_default (&opt);
  opt.per_step = args.per_step;
  opt.threads = args.threads;
  opt.model_name = args.model;
  opt.data_name = args.data;
  opt.warn = print_warning;
  if (jx_comm_parallel (comm))
    {
      /* The warnings look at the whole dataset, and only rank 0 prints them. */
      double mean = mean_energy (&ds);
      if (root)
        jx_eval_check_compat_mean (model, &meta, &ds, mean, NULL, print_warning, NULL);
      opt.warn = NULL;
    }
  JxScores scores;
  double t0 = jx_cli_now ();
  JxProgress *progress = jx_cli_progress_begin ("evaluating", args.quiet);
  rc = stream != NULL ? jx_evaluate_stream (model, &meta, stream, &opt, &scores, progress, &err)
                      : jx_evaluate (model, &meta, &ds, &opt, &scores, progress, &err);
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (&err, JX_ERR_CANCELLED, "cancelled");
  rc = jx_comm_agree (comm, rc, &err);
  /* P_branch is a cell probability: its cell volume turns ln P_jet into a density in the
   * scaled branching coordinates, comparable between models of different resolution (set
   * after the gather, on the whole table) */
  double log_v = jx_model_branch_log_cell_volume (model);
  char num[64];
  snprintf (num, sizeof num, "%.17g", log_v);
  if (rc == 0)
    rc = collect (&scores, &err);
  if (rc == 0 && root)
    rc = jx_scores_set_attr (&scores, "branch_log_cell_volume", num, &err);
  if (rc == 0 && root)
    rc = jx_scores_write (&scores, args.output, &err);
  rc = jx_comm_agree (comm, rc, &err);
  jx_cli_progress_end ();
  double secs = jx_cli_now () - t0;
  jx_dataset_free (&ds);
  jx_dataset_stream_close (stream);   /* NULL under mpirun */
  jx_model_free (model);
  jx_model_meta_free (&meta);
  if (rc != 0)
    {
      jx_scores_free (&scores);
      return jx_cli_fail_core (&err);
    }
  if (!root)
    {
      jx_scores_free (&scores);
      return 0;
    }
  print_summary (&args, &scores, log_v, secs);
  jx_scores_free (&scores);
  return 0;
}
