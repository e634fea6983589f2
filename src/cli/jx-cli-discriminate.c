/* jx-cli-discriminate.c — `junipr discriminate`: JUNIPR likelihood-ratio discrimination of
 * two samples against the paper's baselines, as ROC curves, AUCs and rejections. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-apps-h5.h"
#include "jx-atomic.h"
#include "jx-baseline.h"
#include "jx-discriminate.h"
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
#include "jx-model-pair.h"
#include "jx-observables.h"
#include "jx-reweight.h"
#include "jx-roc.h"

static const char usage_text[] =
  "Usage: junipr discriminate --signal-model A.h5 --background-model B.h5\n"
  "                           --signal SIG.h5 --background BKG.h5 -o ROC.csv [OPTIONS]\n"
  "       junipr discriminate --pair PAIR.h5 --signal SIG.h5 --background BKG.h5 -o ROC.csv\n"
  "\n"
  "Score every jet with ln LR = ln P_A(jet) - ln P_B(jet) (each model clusters the jets its own\n"
  "way) and compare with the paper's baselines: a 2-D likelihood ratio on (tau21, multiplicity)\n"
  "and 1-D likelihood ratios of the mass, the multiplicity and tau21, each estimated from\n"
  "histograms of the even-numbered jets of SIG and BKG (the training halves). All ROC curves\n"
  "use the odd-numbered jets (the test halves). Observables use model A's subjets.\n"
  "\n"
  "ROC.csv columns: method,kind,signal_eff,background_eff,rejection,threshold,value\n"
  "  kind = auc        value = area under the ROC curve\n"
  "  kind = rejection  background rejection 1/eps_B at signal_eff 0.3, 0.5, 0.7\n"
  "  kind = roc        points of the curve (jets with score >= threshold are kept)\n"
  "  methods: junipr, tau21_mult, mass, multiplicity, tau21\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr discriminate --signal-model z-model.h5 --background-model q-model.h5 \\\n"
  "      --signal z-test.h5 --background q-test.h5 -o roc.csv --scores lr.h5\n";

typedef struct {
  const char *model[2], *data[2], *output, *scores, *pair;
  size_t roc_points;
  int threads;
  bool quiet;
} Args;

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  args->threads = jx_cli_cpu_count ();
  args->roc_points = 1000;
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_STRING, .name = "signal-model", .target = &args->model[0],
      .value_name = "A", .help = "model of the signal (numerator)", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "background-model", .target = &args->model[1],
      .value_name = "B", .help = "model of the background (denominator)", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "pair", .target = &args->pair, .value_name = "PAIR",
      .help = "both models from a JUNIPR-binary pair ('junipr\n"
              "train-binary'), instead of the two options above" },
    { .kind = JX_CLI_OPT_STRING, .name = "signal", .target = &args->data[0],
      .value_name = "SIG", .help = "signal jets", .dflt = "required" },
    { .kind = JX_CLI_OPT_STRING, .name = "background", .target = &args->data[1],
      .value_name = "BKG", .help = "background jets", .dflt = "required" },
    JX_CLI_ROW_OUTPUT (&args->output, "ROC/AUC table (CSV, written atomically)", "required"),
    { .kind = JX_CLI_OPT_STRING, .name = "scores", .target = &args->scores, .value_name = "FILE",
      .help = "also per-jet (and, when A and B cluster alike, per-step) ln LR:\n"
              "a junipr-scores file, signal jets then background jets, with\n"
              "jets/log_p (model A), jets/log_p_b, jets/log_lr, jets/label\n"
              "(1 signal), jets/test (1 = test half), steps/log_lr" },
    { .kind = JX_CLI_OPT_SIZE, .name = "roc-points", .target = &args->roc_points, .lo = 2,
      .hi = 100000000, .value_name = "N", .help = "at most N points per curve in the CSV",
      .dflt = "1000" },
    JX_CLI_ROW_THREADS (&args->threads, "worker threads"),
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 0, .args_what = "options (no positional arguments)",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 28, .dflt_col = 74 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  static const char *const names[4] = { "--signal-model", "--background-model", "--signal",
                                        "--background" };
  const char *vals[4] = { args->model[0], args->model[1], args->data[0], args->data[1] };
  if (args->pair != NULL)
    {
      if (args->model[0] != NULL || args->model[1] != NULL)
        return jx_cli_fail ("--pair and --signal-model/--background-model both given (command "
                            "line): a pair file holds both models; give one or the other");
      if ((rc = jx_cli_check_input (args->pair)) != 0)
        return rc;
    }
  for (int k = args->pair != NULL ? 2 : 0; k < 4; k++)
    {
      if (vals[k] == NULL)
        return jx_cli_fail ("missing %s (command line): all of --signal-model (or --pair), "
                            "--background-model, --signal and --background are needed", names[k]);
      if ((rc = jx_cli_check_input (vals[k])) != 0)
        return rc;
      /* A pair file reads as its signal model: as a background model it would be the wrong
       * one without a word. */
      if (k < 2 && jx_model_pair_is (vals[k]))
        return jx_cli_fail ("%s: is a JUNIPR-binary pair (both models), given as %s (command "
                            "line): give it as --pair %s", vals[k], names[k], vals[k]);
    }
  if (args->output == NULL)
    return jx_cli_fail ("missing -o (command line): say where to write the ROC table, e.g. -o roc.csv");
  if ((rc = jx_cli_check_output ("-o", args->output)) != 0)
    return rc;
  return args->scores != NULL ? jx_cli_check_output ("--scores", args->scores) : 0;
}

static void
print_warning (void *user, const char *message)
{
  (void) user;
  fprintf (stderr, "junipr discriminate: warning: %s\n", message);
}

typedef struct {
  JxObservables *out;
  size_t failed;
} ObsOut;

static int
keep_observables (void *user, const JxJetStats *part, JxError *err)
{
  (void) err;
  ObsOut *o = user;
  for (size_t r = 0; r < part->n_jets; r++)
    jx_jetstats_observables (part, r, &o->out[part->first + r]);
  o->failed += part->n_failed;
  return 0;
}

/* Observables of every jet from the subjets of clustering (n = 0 and NaN for a jet that
 * cannot be clustered, counted in *failed), chunk by chunk. */
static int
observables (JxDatasetStream *ds, const JxClusterOptions *cl, int threads, JxObservables *out,
             size_t *failed, JxError *err)
{
  ObsOut o = { out, 0 };
  int rc = jx_jetstats_stream (ds, 0, jx_dataset_stream_info (ds)->n_jets, cl, threads,
                               keep_observables, &o, NULL, err);
  *failed = o.failed;
  return rc;
}

#define N_METHODS JX_N_DISCRIMINANTS
static const double working_points[3] = { 0.3, 0.5, 0.7 };

static const char *
method_name (int k)
{
  return jx_discriminant_name (k);
}

static int
write_csv (const char *path, const JxRoc *rocs, size_t max_points, JxError *err)
{
  JxAtomicFile out;
  int rc = jx_atomic_begin (&out, path, err);
  if (rc != 0)
    return rc;
  FILE *f = fopen (out.tmp_path, "w");
  if (f == NULL)
    {
      jx_atomic_abort (&out);
      return jx_error_set (err, JX_ERR_IO, "%s: cannot write", path);
    }
  fprintf (f, "method,kind,signal_eff,background_eff,rejection,threshold,value\n");
  for (int k = 0; k < N_METHODS; k++)
    {
      fprintf (f, "%s,auc,,,,,%.10g\n", method_name (k), rocs[k].auc);
      for (int w = 0; w < 3; w++)
        fprintf (f, "%s,rejection,%.2f,%.10g,%.10g,,\n", method_name (k), working_points[w],
                 jx_roc_bkg_eff_at (&rocs[k], working_points[w]),
                 jx_roc_rejection_at (&rocs[k], working_points[w]));
    }
  for (int k = 0; k < N_METHODS; k++)
    {
      size_t *idx = malloc (rocs[k].n_points * sizeof *idx);
      if (idx == NULL)
        {
          fclose (f);
          jx_atomic_abort (&out);
          return jx_error_set (err, JX_ERR_NOMEM, "no memory");
        }
      size_t n = jx_roc_thin (&rocs[k], max_points, idx);
      for (size_t i = 0; i < n; i++)
        {
          const JxRocPoint *p = &rocs[k].points[idx[i]];
          fprintf (f, "%s,roc,%.10g,%.10g,%.10g,%.10g,\n", method_name (k), p->sig_eff, p->bkg_eff,
                   p->bkg_eff > 0 ? 1 / p->bkg_eff : INFINITY, p->threshold);
        }
      free (idx);
    }
  return jx_atomic_commit_stream (&out, f, err);
}

/* ---- optional per-jet / per-step scores file */

typedef struct {
  JxScores all;        /* model A's scores, signal then background */
  double *log_p_b, *log_lr, *step_lr;
  int32_t *label, *test;
  size_t n;
} ScoresOut;

static int
concat_scores (ScoresOut *o, const JxScores *sa, const JxScores *ba, bool per_step, JxError *err)
{
  size_t ns = sa->n_jets, nb = ba->n_jets, n = ns + nb;
  jx_scores_init (&o->all);
  int rc = jx_scores_alloc (&o->all, n, err);
  if (rc != 0)
    return rc;
  const JxScores *parts[2] = { sa, ba };
  size_t at = 0;
  for (int p = 0; p < 2; p++)
    {
      memcpy (o->all.log_p + at, parts[p]->log_p, parts[p]->n_jets * sizeof (double));
      memcpy (o->all.status + at, parts[p]->status, parts[p]->n_jets * sizeof (int32_t));
      memcpy (o->all.n + at, parts[p]->n, parts[p]->n_jets * sizeof (int32_t));
      at += parts[p]->n_jets;
    }
  if (!per_step)
    return 0;
  o->all.step_offsets = malloc ((n + 1) * sizeof *o->all.step_offsets);
  if (o->all.step_offsets == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory");
  uint64_t s_sig = sa->step_offsets[ns];
  for (size_t i = 0; i <= ns; i++)
    o->all.step_offsets[i] = sa->step_offsets[i];
  for (size_t i = 1; i <= nb; i++)
    o->all.step_offsets[ns + i] = s_sig + ba->step_offsets[i];
  if ((rc = jx_scores_alloc_steps (&o->all, err)) != 0)
    return rc;
  uint64_t s_bkg = ba->step_offsets[nb];
  memcpy (o->all.log_end, sa->log_end, s_sig * sizeof (double));
  memcpy (o->all.log_end + s_sig, ba->log_end, s_bkg * sizeof (double));
  memcpy (o->all.log_mother, sa->log_mother, s_sig * sizeof (double));
  memcpy (o->all.log_mother + s_sig, ba->log_mother, s_bkg * sizeof (double));
  memcpy (o->all.log_branch, sa->log_branch, s_sig * sizeof (double));
  memcpy (o->all.log_branch + s_sig, ba->log_branch, s_bkg * sizeof (double));
  memcpy (o->all.log_branch_parts, sa->log_branch_parts, 4 * s_sig * sizeof (double));
  memcpy (o->all.log_branch_parts + 4 * s_sig, ba->log_branch_parts, 4 * s_bkg * sizeof (double));
  return 0;
}

static int
scores_base (void *user, const char *tmp_path, JxError *err)
{
  return jx_scores_write (&((ScoresOut *) user)->all, tmp_path, err);
}

static int
scores_append (void *user, hid_t file, JxError *err)
{
  ScoresOut *o = user;
  hsize_t n = o->n;
  int rc = jx_h5_write_array (file, "jets/log_p_b", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n,
                              o->log_p_b, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "jets/log_lr", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n,
                            o->log_lr, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "jets/label", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, o->label, err);
  if (rc == 0)
    rc = jx_h5_write_array (file, "jets/test", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, o->test, err);
  if (rc == 0 && o->step_lr != NULL)
    {
      hsize_t s = o->all.step_offsets[o->n];
      rc = jx_h5_write_array (file, "steps/log_lr", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &s,
                              o->step_lr, err);
    }
  return rc;
}

/* --scores: model A's scores of signal then background jets, with B's, the ln LR (per jet and,
 * when both models cluster alike, per step), the labels and the test halves. */
static int
write_scores (const Args *args, ScoresOut *so, const size_t n_jets[2], JxScores sc[2][2],
              double *const lr[2], double *const slr[2], bool per_step, JxError *err)
{
  so->n = n_jets[0] + n_jets[1];
  int rc = concat_scores (so, &sc[0][0], &sc[0][1], per_step, err);
  so->log_p_b = malloc ((so->n + 1) * sizeof (double));
  so->log_lr = malloc ((so->n + 1) * sizeof (double));
  so->label = malloc ((so->n + 1) * sizeof (int32_t));
  so->test = malloc ((so->n + 1) * sizeof (int32_t));
  if (per_step && rc == 0)
    so->step_lr = malloc ((so->all.step_offsets[so->n] + 1) * sizeof (double));
  if (rc == 0 && (!so->log_p_b || !so->log_lr || !so->label || !so->test || (per_step && !so->step_lr)))
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  size_t at = 0, sat = 0;
  for (int s = 0; s < 2 && rc == 0; s++)
    {
      for (size_t i = 0; i < n_jets[s]; i++, at++)
        {
          so->log_p_b[at] = sc[1][s].log_p[i];
          so->log_lr[at] = lr[s][i];
          so->label[at] = s == 0;
          so->test[at] = !jx_baseline_is_train (i);
        }
      if (per_step)
        {
          size_t S = sc[0][s].step_offsets[n_jets[s]];
          memcpy (so->step_lr + sat, slr[s], S * sizeof (double));
          sat += S;
        }
    }
  if (rc == 0)
    rc = jx_scores_set_attr (&so->all, "model", args->model[0], err);
  if (rc == 0)
    rc = jx_scores_set_attr (&so->all, "model_b", args->model[1], err);
  if (rc == 0)
    rc = jx_scores_set_attr (&so->all, "signal", args->data[0], err);
  if (rc == 0)
    rc = jx_scores_set_attr (&so->all, "background", args->data[1], err);
  if (rc == 0)
    rc = jx_apps_write_extended (args->scores, scores_base, scores_append, so, err);
  return rc;
}

/* Both models on both samples: sc[model][sample]. */
static int
evaluate_all (const Args *args, JxModel *const model[2], const JxModelMeta meta[2],
              JxDatasetStream *const ds[2], bool per_step, JxScores sc[2][2], JxProgress *progress,
              JxError *err)
{
  int rc = 0;
  for (int m = 0; m < 2 && rc == 0; m++)
    for (int s = 0; s < 2 && rc == 0; s++)
      {
        JxEvalOptions eo;
        jx_eval_options_default (&eo);
        eo.per_step = per_step;
        eo.threads = args->threads;
        eo.model_name = args->model[m];
        eo.data_name = args->data[s];
        eo.warn = print_warning;
        rc = jx_evaluate_stream (model[m], &meta[m], ds[s], &eo, &sc[m][s], progress, err);
        if (rc == 0 && jx_progress_cancelled (progress))
          rc = jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
      }
  return rc;
}

/* The summary on standard output: what was written, AUC and rejections per method, and the
 * jets left out. */
static void
print_summary (const Args *args, const JxDiscrimination *disc, const size_t no_subjets[2],
               double esub, double secs)
{
  const JxRoc *rocs = disc->roc;
  printf ("junipr discriminate: wrote %s%s%s (test halves: %zu signal, %zu background jets)\n",
          args->output, args->scores != NULL ? " and " : "", args->scores != NULL ? args->scores : "",
          disc->n_test[0], disc->n_test[1]);
  printf ("  %-14s %8s %12s %12s %12s\n", "method", "AUC", "1/eB@eS=0.3", "1/eB@eS=0.5",
          "1/eB@eS=0.7");
  for (int k = 0; k < N_METHODS; k++)
    printf ("  %-14s %8.4f %12.4g %12.4g %12.4g\n", method_name (k), rocs[k].auc,
            jx_roc_rejection_at (&rocs[k], 0.3), jx_roc_rejection_at (&rocs[k], 0.5),
            jx_roc_rejection_at (&rocs[k], 0.7));
  if (rocs[0].n_sig_nan + rocs[0].n_bkg_nan > 0)
    printf ("  %zu test jets not scored by a model are left out of the junipr curve\n",
            rocs[0].n_sig_nan + rocs[0].n_bkg_nan);
  if (no_subjets[0] + no_subjets[1] > 0)
    printf ("  skipped for the observables: %zu signal and %zu background jets with no "
            "subjet (E_sub = %g GeV) or bad momenta\n", no_subjets[0], no_subjets[1],
            esub);
  printf ("  %.2f s\n", secs);
}

int
jx_cli_discriminate (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  JxError err = { 0 };
  JxModel *model[2] = { NULL, NULL };
  JxModelMeta meta[2];
  JxDatasetStream *ds[2] = { NULL, NULL };   /* read chunk by chunk: memory bounded */
  size_t n_jets[2] = { 0, 0 };
  JxScores sc[2][2];   /* [model][sample] */
  JxObservables *obs[2] = { NULL, NULL };
  double *lr[2] = { NULL, NULL }, *slr[2] = { NULL, NULL };
  ScoresOut so;
  memset (&so, 0, sizeof so);
  jx_scores_init (&so.all);
  for (int m = 0; m < 2; m++)
    {
      jx_model_meta_init (&meta[m]);
      for (int s = 0; s < 2; s++)
        jx_scores_init (&sc[m][s]);
    }
  int exit_code = 0;
  if (args.pair != NULL)
    {
      exit_code = jx_cli_load_pair (args.pair, model, meta);
      args.model[0] = args.model[1] = args.pair;
    }
  for (int m = 0; m < 2 && exit_code == 0 && args.pair == NULL; m++)
    exit_code = jx_cli_load_model (args.model[m], &model[m], &meta[m]);
  for (int s = 0; s < 2 && exit_code == 0; s++)
    if ((exit_code = jx_cli_open_dataset_stream (args.data[s], &ds[s])) == 0)
      n_jets[s] = jx_dataset_stream_info (ds[s])->n_jets;
  bool per_step = args.scores != NULL && exit_code == 0 && jx_cluster_options_equal (&meta[0].clustering, &meta[1].clustering);
  if (args.scores != NULL && exit_code == 0 && !per_step)
    fprintf (stderr, "junipr discriminate: warning: the two models cluster jets differently, so "
             "their trees differ: --scores gets per-jet ln LR only, no per-step values\n");
  double t0 = jx_cli_now ();
  JxProgress *progress = exit_code == 0 ? jx_cli_progress_begin ("evaluating", args.quiet) : NULL;
  if (exit_code == 0)
    rc = evaluate_all (&args, model, meta, ds, per_step, sc, progress, &err);
  size_t no_subjets[2] = { 0, 0 };
  for (int s = 0; s < 2 && exit_code == 0 && rc == 0; s++)
    {
      size_t n = n_jets[s];
      lr[s] = malloc ((n + 1) * sizeof *lr[s]);
      obs[s] = malloc ((n + 1) * sizeof *obs[s]);
      if (per_step)
        slr[s] = malloc ((sc[0][s].step_offsets[n] + 1) * sizeof *slr[s]);
      if (lr[s] == NULL || obs[s] == NULL || (per_step && slr[s] == NULL))
        rc = jx_error_set (&err, JX_ERR_NOMEM, "out of memory");
      if (rc == 0)
        rc = jx_lr_from_scores (&sc[0][s], &sc[1][s], lr[s], slr[s], &err);
      if (rc == 0)
        rc = observables (ds[s], &meta[0].clustering, args.threads, obs[s], &no_subjets[s], &err);
    }
  JxDiscrimination disc;
  jx_discrimination_init (&disc);
  if (exit_code == 0 && rc == 0)
    {
      JxDiscriminateSample sig = { lr[0], obs[0], n_jets[0] }, bkg = { lr[1], obs[1], n_jets[1] };
      rc = jx_discriminate (&sig, &bkg, &disc, &err);
    }
  const JxRoc *rocs = disc.roc;
  if (exit_code == 0 && rc == 0)
    rc = write_csv (args.output, rocs, args.roc_points, &err);
  if (exit_code == 0 && rc == 0 && args.scores != NULL)
    rc = write_scores (&args, &so, n_jets, sc, lr, slr, per_step, &err);
  if (progress != NULL)
    jx_cli_progress_end ();
  double secs = jx_cli_now () - t0;
  if (exit_code == 0 && rc != 0)
    exit_code = jx_cli_fail_core (&err);
  if (exit_code == 0 && !args.quiet)
    print_summary (&args, &disc, no_subjets, meta[0].clustering.esub, secs);
  jx_discrimination_free (&disc);
  for (int m = 0; m < 2; m++)
    {
      jx_model_free (model[m]);
      jx_model_meta_free (&meta[m]);
      jx_dataset_stream_close (ds[m]);
      for (int s = 0; s < 2; s++)
        jx_scores_free (&sc[m][s]);
      free (obs[m]);
      free (lr[m]);
      free (slr[m]);
    }
  jx_scores_free (&so.all);
  free (so.log_p_b);
  free (so.log_lr);
  free (so.label);
  free (so.test);
  free (so.step_lr);
  return exit_code;
}
