/* jx-cli-reweight.c — `junipr reweight`: per-jet weights P_target/P_source that turn a
 * source sample into the target one, with clipping, the effective sample size and weighted
 * observable histograms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-apps-h5.h"
#include "jx-atomic.h"
#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-model.h"
#include "jx-cli-options.h"
#include "jx-cli-dataset.h"
#include "jx-eval-stream.h"
#include "jx-eval.h"
#include "jx-h5.h"
#include "jx-jetstats-stream.h"
#include "jx-jetstats.h"
#include "jx-model-io.h"
#include "jx-observables.h"
#include "jx-reweight.h"

static const char usage_text[] =
  "Usage: junipr reweight --target-model A.h5 --source-model B.h5 DATA.h5 -o SCORES.h5 [OPTIONS]\n"
  "\n"
  "Weight every jet of DATA (a sample like B's) by w = P_A(jet)/P_B(jet), so that the weighted\n"
  "sample looks like A's. Weights above the clip are discarded (set to 0) and counted, as are\n"
  "jets a model cannot score. Prints the effective sample size (sum w)^2 / sum w^2.\n"
  "\n"
  "SCORES.h5 is a junipr-scores file: jets/log_p (target model), jets/log_p_source,\n"
  "jets/log_lr, jets/weight (after the clip, 0 = discarded), jets/weight_raw, jets/discarded\n"
  "(0 kept, 1 above the clip, 2 not scored); attributes clip, ess, n_clipped, n_not_scored.\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr reweight --target-model q011-model.h5 --source-model q0136-model.h5 \\\n"
  "      q0136.h5 -o weights.h5 --hist reweighted.csv\n";

typedef struct {
  const char *target, *source, *data, *output, *hist;
  double clip;
  size_t bins;
  int threads;
  bool quiet;
} Args;

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  args->threads = jx_cli_cpu_count ();
  args->clip = JX_REWEIGHT_CLIP_DEFAULT;
  args->bins = 30;
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_STRING, .name = "target-model", .target = &args->target,
      .value_name = "A", .help = "model of the sample to imitate", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "source-model", .target = &args->source,
      .value_name = "B", .help = "model of DATA's sample", .dflt = "required" },
    { .kind = JX_CLI_OPT_RANGED, .name = "clip", .target = &args->clip, .value_name = "C",
      .help = "discard weights above C (0: keep all)", .dflt = "100" },
    JX_CLI_ROW_OUTPUT (&args->output, "scores file with the weights (HDF5, atomic)", "required"),
    { .kind = JX_CLI_OPT_STRING, .name = "hist", .target = &args->hist, .value_name = "FILE",
      .help = "weighted histograms of every observable (CSV):\n"
              "observable,bin,lo,hi,count,sum_w,sum_w_err (sum_w_err = sqrt(sum w^2))" },
    { .kind = JX_CLI_OPT_SIZE, .name = "bins", .target = &args->bins, .lo = 1, .hi = 100000,
      .value_name = "N", .help = "bins per histogram (the multiplicity: one per value)",
      .dflt = "30" },
    JX_CLI_ROW_THREADS (&args->threads, "worker threads"),
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "dataset file",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 26, .dflt_col = 74 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->data = argv[first];
  if (args->target == NULL || args->source == NULL)
    return jx_cli_fail ("missing %s (command line): both --target-model and --source-model are "
                        "needed", args->target == NULL ? "--target-model" : "--source-model");
  if (args->output == NULL)
    return jx_cli_fail ("missing -o (command line): say where to write the weights, e.g. -o weights.h5");
  if ((rc = jx_cli_check_input (args->target)) != 0 || (rc = jx_cli_check_input (args->source)) != 0
      || (rc = jx_cli_check_input (args->data)) != 0)
    return rc;
  if ((rc = jx_cli_check_output ("-o", args->output)) != 0)
    return rc;
  return args->hist != NULL ? jx_cli_check_output ("--hist", args->hist) : 0;
}

static void
print_warning (void *user, const char *message)
{
  (void) user;
  fprintf (stderr, "junipr reweight: warning: %s\n", message);
}

typedef struct {
  JxScores *target;
  double *log_p_source, *log_lr, *w, *w_raw;
  int32_t *discarded;
  const JxReweightStats *st;
  double clip;
} Out;

static int
out_base (void *user, const char *tmp_path, JxError *err)
{
  return jx_scores_write (((Out *) user)->target, tmp_path, err);
}

static int
out_append (void *user, hid_t file, JxError *err)
{
  Out *o = user;
  hsize_t n = o->target->n_jets;
  int rc = 0;
#define W(name, ft, mt, buf)                                                            \
  if (rc == 0)                                                                          \
    rc = jx_h5_write_array (file, "jets/" name, ft, mt, 1, &n, buf, err)
  W ("log_p_source", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, o->log_p_source);
  W ("log_lr", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, o->log_lr);
  W ("weight", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, o->w);
  W ("weight_raw", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, o->w_raw);
  W ("discarded", H5T_STD_I32LE, H5T_NATIVE_INT32, o->discarded);
#undef W
  if (rc == 0)
    rc = jx_h5_write_double_attr (file, "clip", o->clip, err);
  if (rc == 0)
    rc = jx_h5_write_double_attr (file, "ess", o->st->ess, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (file, "n_clipped", (long long) o->st->n_clipped, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (file, "n_not_scored", (long long) o->st->n_nan, err);
  return rc;
}

static int
write_hist (const char *path, JxDatasetStream *ds, const JxClusterOptions *cl, const double *w,
            int bins, int threads, size_t *no_subjets, JxError *err)
{
  /* the table of the whole file (17 doubles a jet, not its particles): each observable's
   * range comes before its histogram */
  size_t n = jx_dataset_stream_info (ds)->n_jets;
  JxJetStats st;
  int rc = jx_jetstats_compute_stream (&st, ds, 0, n, cl, threads, NULL, err);
  if (rc != 0)
    return rc;
  *no_subjets = st.n_failed;
  double *col = malloc ((n + 1) * sizeof *col);
  int n_col = jx_observable_index ("n");
  double *sw = malloc (3 * (size_t) (bins > 1001 ? bins : 1001) * sizeof *sw);
  if (!col || !sw)
    {
      free (col), free (sw), jx_jetstats_free (&st);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for histograms");
    }
  JxAtomicFile out;
  rc = jx_atomic_begin (&out, path, err);
  FILE *f = rc == 0 ? fopen (out.tmp_path, "w") : NULL;
  if (rc == 0 && f == NULL)
    {
      jx_atomic_abort (&out);
      rc = jx_error_set (err, JX_ERR_IO, "%s: cannot write", path);
    }
  if (rc == 0)
    {
      fprintf (f, "observable,bin,lo,hi,count,sum_w,sum_w_err\n");
      for (int k = 0; k < JX_N_OBSERVABLES; k++)
        {
          double lo = INFINITY, hi = -INFINITY;
          for (size_t i = 0; i < n; i++)
            {
              col[i] = jx_jetstats_value (&st, i, k);
              if (isfinite (col[i]))
                lo = fmin (lo, col[i]), hi = fmax (hi, col[i]);
            }
          if (!(hi >= lo))
            continue;
          /* the maximum lands inside the last bin; the multiplicity gets one bin per value */
          int nb = bins;
          double top = hi > lo ? hi + (hi - lo) * 1e-9 : lo + 1;
          if (k == n_col)
            {
              nb = (int) fmin (hi - lo + 1, 1001);
              lo -= 0.5;
              top = lo + nb;
            }
          jx_weighted_histogram (col, w, n, nb, lo, top, sw, sw + nb, sw + 2 * nb);
          for (int b = 0; b < nb; b++)
            fprintf (f, "%s,%d,%.10g,%.10g,%.0f,%.10g,%.10g\n", jx_observable_names[k], b,
                     lo + (top - lo) * b / nb, lo + (top - lo) * (b + 1) / nb, sw[2 * nb + b],
                     sw[b], sqrt (sw[nb + b]));
        }
      rc = jx_atomic_commit_stream (&out, f, err);
    }
  jx_jetstats_free (&st);
  free (col);
  free (sw);
  return rc;
}

/* Both models' ln P of every jet, one streamed pass each. */
static int
score_both (const Args *args, const char *const paths[2], JxModel *const model[2],
            const JxModelMeta meta[2], JxDatasetStream *ds, JxScores sc[2], JxProgress *progress,
            JxError *err)
{
  int rc = 0;
  for (int m = 0; m < 2 && rc == 0; m++)
    {
      JxEvalOptions eo;
      jx_eval_options_default (&eo);
      eo.threads = args->threads;
      eo.model_name = paths[m];
      eo.data_name = args->data;
      eo.warn = print_warning;
      rc = jx_evaluate_stream (model[m], &meta[m], ds, &eo, &sc[m], progress, err);
      if (rc == 0 && jx_progress_cancelled (progress))
        rc = jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
    }
  return rc;
}

/* Warnings on stderr; the summary (files, clip, sum of weights, ESS) on stdout. */
static void
report (const Args *args, const JxReweightStats *st, size_t n, size_t no_subjets, double esub,
        double secs)
{
  if (st->n_clipped > 0)
    fprintf (stderr, "junipr reweight: warning: %zu jet%s with weight above the clip %g "
             "discarded\n", st->n_clipped, st->n_clipped == 1 ? "" : "s", args->clip);
  if (st->n_nan > 0)
    fprintf (stderr, "junipr reweight: warning: %zu jet%s not scored by a model (weight 0)\n",
             st->n_nan, st->n_nan == 1 ? "" : "s");
  if (args->quiet)
    return;
  printf ("junipr reweight: wrote %s%s%s (%zu jets)\n", args->output,
          args->hist != NULL ? " and " : "", args->hist != NULL ? args->hist : "", n);
  printf ("  clip %g: %zu discarded; %zu not scored\n", args->clip, st->n_clipped, st->n_nan);
  printf ("  sum of weights %.6g, largest kept %.6g\n", st->sum_w, st->max_kept);
  printf ("  effective sample size %.6g (%.4g of the jets)\n", st->ess,
          n > 0 ? st->ess / (double) n : 0.0);
  if (no_subjets > 0)
    printf ("  skipped in the histograms: %zu jet%s with no subjet (E_sub = %g GeV) or "
            "bad momenta\n", no_subjets, no_subjets == 1 ? "" : "s", esub);
  printf ("  %.2f s\n", secs);
}

int
jx_cli_reweight (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  JxError err = { 0 };
  const char *paths[2] = { args.target, args.source };
  JxModel *model[2] = { NULL, NULL };
  JxModelMeta meta[2];
  JxScores sc[2];
  JxDatasetStream *ds = NULL;   /* read chunk by chunk: memory bounded */
  for (int m = 0; m < 2; m++)
    {
      jx_model_meta_init (&meta[m]);
      jx_scores_init (&sc[m]);
    }
  int exit_code = 0;
  for (int m = 0; m < 2 && exit_code == 0; m++)
    exit_code = jx_cli_load_model (paths[m], &model[m], &meta[m]);
  if (exit_code == 0)
    exit_code = jx_cli_open_dataset_stream (args.data, &ds);
  double t0 = jx_cli_now ();
  JxProgress *progress = exit_code == 0 ? jx_cli_progress_begin ("evaluating", args.quiet) : NULL;
  if (exit_code == 0)
    rc = score_both (&args, paths, model, meta, ds, sc, progress, &err);
  size_t n = ds != NULL ? jx_dataset_stream_info (ds)->n_jets : 0;
  JxReweightStats st;
  memset (&st, 0, sizeof st);
  Out o = { .target = &sc[0], .st = &st, .clip = args.clip };
  if (exit_code == 0 && rc == 0)
    {
      o.log_p_source = malloc ((n + 1) * sizeof (double));
      o.log_lr = malloc ((n + 1) * sizeof (double));
      o.w = malloc ((n + 1) * sizeof (double));
      o.w_raw = malloc ((n + 1) * sizeof (double));
      o.discarded = malloc ((n + 1) * sizeof (int32_t));
      if (!o.log_p_source || !o.log_lr || !o.w || !o.w_raw || !o.discarded)
        rc = jx_error_set (&err, JX_ERR_NOMEM, "out of memory");
    }
  if (exit_code == 0 && rc == 0)
    rc = jx_lr_from_scores (&sc[0], &sc[1], o.log_lr, NULL, &err);
  if (exit_code == 0 && rc == 0)
    {
      jx_reweight_weights (o.log_lr, n, args.clip, o.w, &st);
      for (size_t i = 0; i < n; i++)
        {
          o.log_p_source[i] = sc[1].log_p[i];
          o.w_raw[i] = exp (o.log_lr[i]);
          o.discarded[i] = isnan (o.log_lr[i]) ? 2 : (o.w[i] == 0 && o.w_raw[i] > 0) ? 1 : 0;
        }
      rc = jx_scores_set_attr (&sc[0], "source_model", args.source, &err);
      if (rc == 0)
        rc = jx_apps_write_extended (args.output, out_base, out_append, &o, &err);
    }
  size_t no_subjets = 0;
  if (exit_code == 0 && rc == 0 && args.hist != NULL)
    rc = write_hist (args.hist, ds, &meta[1].clustering, o.w, (int) args.bins, args.threads,
                     &no_subjets, &err);
  if (progress != NULL)
    jx_cli_progress_end ();
  double secs = jx_cli_now () - t0;
  if (exit_code == 0 && rc != 0)
    exit_code = jx_cli_fail_core (&err);
  if (exit_code == 0)
    report (&args, &st, n, no_subjets, meta[1].clustering.esub, secs);
  for (int m = 0; m < 2; m++)
    {
      jx_model_free (model[m]);
      jx_model_meta_free (&meta[m]);
      jx_scores_free (&sc[m]);
    }
  jx_dataset_stream_close (ds);
  free (o.log_p_source);
  free (o.log_lr);
  free (o.w);
  free (o.w_raw);
  free (o.discarded);
  return exit_code;
}
