/* jx-cli-validate.c — `junipr validate`: the numbers of the paper's Figs. 7–9 (model
 * predictions against data frequencies, with χ²/ndf) for a model on a dataset. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-model.h"
#include "jx-cli-options.h"
#include "jx-cli-dataset.h"
#include "jx-eval.h"
#include "jx-model-io.h"
#include "jx-validate-stream.h"
#include "jx-validate.h"
#ifdef JX_HAVE_DRAW
#include "jx-cli-report.h"
#endif

static const char usage_text[] =
  "Usage: junipr validate MODEL.h5 DATA.h5 [-o REPORT.pdf | -o TABLE.csv] [OPTIONS]\n"
  "\n"
  "Compare what MODEL predicts with what DATA does, along DATA's own clustering trees (the\n"
  "model's clustering): P_end vs state length and vs largest angle to the axis (Fig. 7),\n"
  "P_mother vs candidate index at t = T and vs angle (Fig. 8), P_branch marginals in z and\n"
  "theta at t = 1 and t = T (Fig. 9). Prints chi2/ndf per curve. -o FILE.pdf writes a\n";

static const char usage_tail[] =
  "-o FILE.csv writes every bin:\n"
  "  curve,bin,x_lo,x_hi,model,data,data_err,count,chi2,ndf\n"
  "Jets the model cannot score (nothing left after the subjet step, too many particles) are\n"
  "skipped and counted.\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr validate quark-model.h5 quarks-test.h5 -o validation.pdf\n"
  "  junipr validate quark-model.h5 quarks-test.h5 -o validation.csv\n";

#ifdef JX_HAVE_DRAW
static const char report_text[] =
  "six-page report: the three figures' curves (model lines, data points with errors,\n"
  "chi2/ndf in each title), then jet mass, multiplicity and tau21 of DATA against jets\n"
  "sampled from MODEL (seeded with DATA's jet momenta), each with a ratio panel.\n";
#else
static const char report_text[] =
  "report (this build has no drawing layer: PDF output is not available).\n";
#endif

typedef struct {
  const char *model, *data, *output;
  bool pdf;
  size_t samples;
  uint64_t seed;
  JxValidationOptions vopt;
  size_t a, b;
  bool slice, quiet;
  int threads;
} Args;

static bool
ends_with (const char *s, const char *suffix)
{
  size_t n = strlen (s), k = strlen (suffix);
  return n >= k && strcasecmp (s + n - k, suffix) == 0;
}

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_validation_options_default (&args->vopt);
  args->threads = jx_cli_cpu_count ();
  args->samples = 2000;
  args->seed = 1;
  JxValidationOptions *v = &args->vopt;
  JxCliSliceRef jets = { &args->a, &args->b, &args->slice };
  const JxCliOpt opts[] = {
    JX_CLI_ROW_OUTPUT (&args->output,
                       "the report (.pdf) or per-bin table (.csv), written atomically", NULL),
    { .kind = JX_CLI_OPT_SIZE, .name = "samples", .target = &args->samples, .lo = 1,
      .hi = 100000000, .value_name = "N",
      .help = "jets sampled for the report's data-vs-sampled pages", .dflt = "2000" },
    JX_CLI_ROW_SEED (&args->seed, "their random seed"),
    { .kind = JX_CLI_OPT_INT, .name = "t-late", .target = &v->t_late, .lo = 2, .hi = 1000,
      .value_name = "T", .help = "the later step of Figs. 8-9", .dflt = "10" },
    { .kind = JX_CLI_OPT_INT, .name = "angle-bins", .target = &v->angle_bins, .lo = 1, .hi = 256,
      .value_name = "N", .help = "bins of the angle curves", .dflt = "20" },
    { .kind = JX_CLI_OPT_INT, .name = "max-length", .target = &v->max_length, .lo = 1,
      .hi = 100000, .value_name = "L", .help = "last state length of P_end vs t", .dflt = "40" },
    { .kind = JX_CLI_OPT_PARSE, .name = "jets", .target = &jets, .parse = jx_cli_opt_slice,
      .value_name = "A:B", .help = "only jets A..B-1 (Python slice)", .dflt = "all" },
    JX_CLI_ROW_THREADS (&args->threads, "worker threads"),
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or table"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 2, .args_what = "model and dataset files",
                           .intro = { usage_text, report_text, usage_tail }, .opts = opts,
                           .n_opts = JX_CLI_N_OPTS (opts), .outro = example_text,
                           .help_col = 26, .dflt_col = 73 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->model = argv[first];
  args->data = argv[first + 1];
  args->pdf = args->output != NULL && ends_with (args->output, ".pdf");
#ifdef JX_HAVE_DRAW
  if (args->output != NULL && !args->pdf && !ends_with (args->output, ".csv"))
    return jx_cli_fail ("-o %s (command line): validate writes a PDF report (.pdf) or a CSV "
                        "table (.csv)", args->output);
#else
  if (args->output != NULL && !ends_with (args->output, ".csv"))
    return jx_cli_fail ("-o %s (command line): this build has no drawing layer, so validate "
                        "writes only a CSV table; use e.g. -o validation.csv", args->output);
#endif
  if ((rc = jx_cli_check_input (args->model)) != 0 || (rc = jx_cli_check_input (args->data)) != 0)
    return rc;
  return args->output != NULL ? jx_cli_check_output ("-o", args->output) : 0;
}

int
jx_cli_validate (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  JxError err = { 0 };
  JxModel *model = NULL;
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  if ((rc = jx_cli_load_model (args.model, &model, &meta)) != 0)
    return rc;
  /* read chunk by chunk (twice): memory bounded by a chunk's trees, whatever the file */
  JxDatasetStream *ds;
  if ((rc = jx_cli_open_dataset_stream (args.data, &ds)) != 0)
    {
      jx_model_free (model);
      jx_model_meta_free (&meta);
      return rc;
    }
  size_t first = 0, last = jx_dataset_stream_info (ds)->n_jets;
  if (args.slice)
    {
      if ((rc = jx_cli_clip_slice ("--jets", args.data, last, &args.a, &args.b)) != 0)
        {
          jx_dataset_stream_close (ds);
          jx_model_free (model);
          jx_model_meta_free (&meta);
          return rc;
        }
      first = args.a;
      last = args.b;
    }
  size_t n_bad = 0, n_long = 0;
  JxValidation v;
  memset (&v, 0, sizeof v);
  double t0 = jx_cli_now ();
  JxProgress *progress = jx_cli_progress_begin ("validating", args.quiet);
  args.vopt.threads = args.threads;
  rc = jx_validate_stream (model, &meta.clustering, ds, first, last, &args.vopt, &v, &n_bad,
                           &n_long, progress, &err);
  if (rc == 0 && v.n_jets == 0)  /* every curve would be 0/0 */
    rc = jx_error_set (&err, JX_ERR_INVALID, "no jet of %s can be used (%zu without subjets "
                       "above E_sub or with invalid momenta, %zu longer than the model's "
                       "maximum): validate on data like the model's training data", args.data,
                       n_bad, n_long);
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (&err, JX_ERR_CANCELLED, "cancelled");
  if (rc == 0 && args.output != NULL && !args.pdf)
    rc = jx_validation_write_csv (&v, args.output, &err);
  jx_cli_progress_end ();
  int exit_code = rc != 0 ? jx_cli_fail_core (&err) : 0;
#ifdef JX_HAVE_DRAW
  if (exit_code == 0 && args.pdf)
    {
      JxReportOptions ropt;
      jx_cli_report_options_default (&ropt);
      ropt.model_name = args.model;
      ropt.data_name = args.data;
      ropt.n_samples = args.samples;
      ropt.seed = args.seed;
      ropt.threads = args.threads;
      ropt.quiet = args.quiet;
      exit_code = jx_cli_report_write (args.output, model, &meta, ds, first, last, &v, &ropt);
    }
#endif
  double secs = jx_cli_now () - t0;
  if (exit_code == 0)
    {
      if (n_bad + n_long > 0)
        fprintf (stderr, "junipr validate: warning: %zu jet%s skipped (%zu with nothing left after "
                 "the subjet step, %zu longer than the model's maximum)\n", n_bad + n_long,
                 n_bad + n_long == 1 ? "" : "s", n_bad, n_long);
      if (!args.quiet)
        {
          printf ("junipr validate: %s on %zu jets of %s%s%s\n", args.model, v.n_jets, args.data,
                  args.output != NULL ? ", wrote " : "", args.output != NULL ? args.output : "");
          printf ("  %-16s %10s %5s %9s  %s\n", "curve", "chi2", "ndf", "chi2/ndf", "what");
          for (int k = 0; k < JX_N_VAL_CURVES; k++)
            {
              const JxValidationCurve *c = &v.curves[k];
              printf ("  %-16s %10.4g %5d %9.4g  %s\n", c->name, c->chi2, c->ndf,
                      c->ndf > 0 ? c->chi2 / c->ndf : NAN, c->title);
            }
          printf ("  %.2f s\n", secs);
        }
    }
  jx_validation_free (&v);
  jx_dataset_stream_close (ds);
  jx_model_free (model);
  jx_model_meta_free (&meta);
  return exit_code;
}
