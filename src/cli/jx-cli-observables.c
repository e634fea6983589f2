/* jx-cli-observables.c — `junipr observables`: one CSV row of jet observables per jet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-options.h"
#include "jx-cli-dataset.h"
#include "jx-jetstats-stream.h"
#include "jx-reweight.h"

static const char usage_text[] =
  "Usage: junipr observables DATA.h5 -o OUT.csv [OPTIONS]\n"
  "\n"
  "Compute the classic jet observables of every jet from its subjets (the particles of\n"
  "the JUNIPR tree) and write them as CSV with a header row. Columns:\n"
  "  jet     0-based jet index in DATA.h5\n"
  "  n       subjet multiplicity\n"
  "  E, mass jet energy and mass of the subjet sum [GeV]\n"
  "  tau1..3 N-subjettiness (beta = 1, e+e- angles, exclusive Durham axes);\n"
  "          tau21 = tau2/tau1, tau32 = tau3/tau2 (0 when undefined)\n"
  "  width   energy-weighted angle to the jet axis [rad]\n"
  "  psi_r   integrated jet shape: energy fraction within angle r of the axis\n"
  "  z1, theta1, delta1  first (root) C/A splitting\n"
  "  weight  with --weights: the jet's weight from 'junipr reweight' (0 = discarded)\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr observables zjets.h5 -o zjets.csv\n";

typedef struct {
  double esub, rsub;
  bool skip_bad, quiet, have_slice;
  size_t a, b;
  const char *input, *output, *weights;
} Args;

/* --weights W.h5, checked as an input at once (before -o is checked against it). */
static int
parse_weights (const char *opt, const char *value, void *target)
{
  (void) opt;
  *(const char **) target = value;
  return jx_cli_check_input (value);
}

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  args->esub = 1.0;
  args->rsub = 0.1;
  args->b = SIZE_MAX;
  JxCliSliceRef jets = { &args->a, &args->b, &args->have_slice };
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_STRING, .name = "output", .letter = 'o', .target = &args->output,
      .value_name = "FILE", .help = "the CSV file (written atomically; '-' = standard output)",
      .dflt = "required" },
    JX_CLI_ROW_ESUB (&args->esub, "subjet energy cut in GeV, 0 = off"),
    JX_CLI_ROW_RSUB (&args->rsub, "subjet radius in rad, 0 = off"),
    { .kind = JX_CLI_OPT_PARSE, .name = "jets", .target = &jets, .parse = jx_cli_opt_slice,
      .value_name = "A:B", .help = "only jets A..B-1 (0-based; A:, :B or one index)",
      .dflt = "all" },
    { .kind = JX_CLI_OPT_PARSE, .name = "weights", .target = &args->weights,
      .parse = parse_weights, .value_name = "W.h5",
      .help = "add a weight column from 'junipr reweight ... -o W.h5' run on\n"
              "the same DATA.h5 (for weighted histograms)" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-bad", .target = &args->skip_bad,
      .help = "skip (and count) jets without subjets or with invalid momenta\n"
              "instead of stopping at the first one" },
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "the input dataset DATA.h5",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 21, .dflt_col = 72 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->input = argv[first];
  if (args->output != NULL && strcmp (args->output, "-") != 0)
    rc = jx_cli_check_output ("-o", args->output);
  else if (args->output == NULL)
    rc = jx_cli_fail ("no output file (command line): give one with -o OUT.csv ('-o -' for "
                      "standard output)");
  return rc;
}

static void
write_header (FILE *out, bool weighted)
{
  fputs ("jet", out);
  for (int k = 0; k < JX_N_OBSERVABLES; k++)
    fprintf (out, ",%s", jx_observable_names[k]);
  fputs (weighted ? ",weight\n" : "\n", out);
}

static void
write_row (FILE *out, size_t index, const double *row, const double *weight)
{
  fprintf (out, "%zu", index);
  for (int k = 0; k < JX_N_OBSERVABLES; k++)
    {
      /* Integer columns (the multiplicity) read better without an exponent. */
      if (row[k] == floor (row[k]) && fabs (row[k]) < 1e15)
        fprintf (out, ",%.0f", row[k]);
      else
        fprintf (out, ",%.17g", row[k]);
    }
  if (weight != NULL)
    fprintf (out, ",%.17g", *weight);
  fputc ('\n', out);
}

/* Where the rows of each chunk's table go. */
typedef struct {
  FILE *out;
  const double *weights;   /* indexed by jet in the file; NULL: no weight column */
  bool skip_bad;
  bool bad;                /* stopped at a jet that cannot be clustered (err says which) */
  size_t written, skipped;
} Rows;

static int
write_part (void *user, const JxJetStats *part, JxError *err)
{
  Rows *rows = user;
  if (part->n_failed > 0 && !rows->skip_bad)
    {
      rows->bad = true;
      *err = part->first_error;
      return err->code != 0 ? err->code : JX_ERR_INVALID;
    }
  for (size_t r = 0; r < part->n_jets; r++)
    if (part->status[r] == 0)
      {
        size_t jet = part->first + r;
        write_row (rows->out, jet, jx_jetstats_row (part, r),
                   rows->weights != NULL ? &rows->weights[jet] : NULL);
        rows->written++;
      }
  rows->skipped += part->n_failed;
  return 0;
}

int
jx_cli_observables (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;

  /* streamed: memory stays bounded however large the file */
  JxDatasetStream *stream;
  rc = jx_cli_open_dataset_stream (args.input, &stream);
  if (rc != 0)
    return rc;
  size_t n_jets = jx_dataset_stream_info (stream)->n_jets, a = 0, b = n_jets;
  if (args.have_slice)
    {
      a = args.a;
      b = args.b;
      if ((rc = jx_cli_clip_slice ("--jets", args.input, n_jets, &a, &b)) != 0)
        {
          jx_dataset_stream_close (stream);
          return rc;
        }
    }
  double *weights = NULL;
  if (args.weights != NULL)
    {
      JxError werr = { 0 };
      if (jx_reweight_read_weights (args.weights, n_jets, &weights, &werr) != 0)
        {
          jx_dataset_stream_close (stream);
          return jx_cli_fail_core (&werr);
        }
    }
  JxError err = { 0 };
  JxClusterOptions clustering;
  jx_cluster_options_default (&clustering);
  clustering.esub = args.esub;
  clustering.rsub = args.rsub;

  JxAtomicFile atomic = { 0 };
  FILE *out = stdout;
  bool to_stdout = strcmp (args.output, "-") == 0;
  if (!to_stdout && (out = jx_atomic_open_stream (&atomic, args.output, &err)) == NULL)
    {
      free (weights);
      jx_dataset_stream_close (stream);
      return jx_cli_fail_core (&err);
    }

  write_header (out, weights != NULL);
  /* Chunk by chunk (jx-jetstats-stream): each chunk's table is written and freed before the
   * next chunk is read, so memory is bounded by the stream's cache and one chunk's table,
   * whatever the file's size. */
  Rows rows = { .out = out, .weights = weights, .skip_bad = args.skip_bad };
  JxProgress *progress = jx_cli_progress_begin ("observables", args.quiet);
  rc = jx_jetstats_stream (stream, a, b, &clustering, 0, write_part, &rows, progress, &err);
  jx_cli_progress_end ();
  if (rc != 0 && rows.bad)
    rc = jx_cli_fail ("%s (%s); or pass --skip-bad to skip such jets", err.message, args.input);
  else if (rc != 0)
    rc = jx_cli_fail_core (&err);
  size_t written = rows.written, skipped = rows.skipped;
  free (weights);

  if (to_stdout)
    {
      if ((fflush (out) != 0 || ferror (out)) && rc == 0)
        rc = jx_cli_fail ("cannot write output (standard output): check free disk space");
    }
  else if (jx_atomic_close_stream (&atomic, out, rc, &err) != 0 && rc == 0)
    rc = jx_cli_fail_core (&err);
  if (rc == 0 && !args.quiet && !to_stdout)
    printf ("junipr observables: wrote %zu jet%s to %s\n", written,
             written == 1 ? "" : "s", args.output);
  if (rc == 0 && skipped)
    fprintf (stderr, "junipr observables: skipped %zu jet%s without subjets or with invalid "
             "momenta\n", skipped, skipped == 1 ? "" : "s");
  jx_dataset_stream_close (stream);
  return rc;
}
