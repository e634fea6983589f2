/* jx-cli-observables.c — `junipr observables`: one CSV row of jet observables per jet. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-cli-commands.h"
#include "jx-cli-common.h"
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
  "Options:\n"
  "  -o, --output FILE  the CSV file (written atomically; '-' = standard output)  [required]\n"
  "      --esub E       subjet energy cut in GeV, 0 = off                  [1]\n"
  "      --rsub R       subjet radius in rad, 0 = off                      [0.1]\n"
  "      --jets A:B     only jets A..B-1 (0-based; A:, :B or one index)    [all]\n"
  "      --weights W.h5 add a weight column from 'junipr reweight ... -o W.h5' run on\n"
  "                     the same DATA.h5 (for weighted histograms)\n"
  "      --skip-bad     skip (and count) jets without subjets or with invalid momenta\n"
  "                     instead of stopping at the first one\n"
  "  -q, --quiet        no progress display or summary\n"
  "  -h, --help         show this help\n"
  "\n"
  "Example:\n"
  "  junipr observables zjets.h5 -o zjets.csv\n";

typedef struct {
  double esub, rsub;
  bool skip_bad, quiet, have_slice;
  size_t a, b;
  const char *input, *output, *weights;
} Args;

static int
parse_args (int argc, char **argv, Args *args)
{
  static const struct option longs[] = {
    { "esub", required_argument, NULL, 'E' },
    { "rsub", required_argument, NULL, 'R' },
    { "jets", required_argument, NULL, 'j' },
    { "skip-bad", no_argument, NULL, 'S' },
    { "weights", required_argument, NULL, 'w' },
    { "output", required_argument, NULL, 'o' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  memset (args, 0, sizeof *args);
  args->esub = 1.0;
  args->rsub = 0.1;
  args->b = SIZE_MAX;
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":o:qh", longs, NULL)) != -1)
    {
      switch (c)
        {
        case 'E': rc = jx_cli_parse_double ("--esub", optarg, 0, 1e6, &args->esub); break;
        case 'R': rc = jx_cli_parse_double ("--rsub", optarg, 0, M_PI, &args->rsub); break;
        case 'j':
          rc = jx_cli_parse_slice ("--jets", optarg, &args->a, &args->b);
          args->have_slice = true;
          break;
        case 'S': args->skip_bad = true; break;
        case 'w':
          args->weights = optarg;
          rc = jx_cli_check_input (optarg);
          break;
        case 'o': args->output = optarg; break;
        case 'q': args->quiet = true; break;
        case 'h': fputs (usage_text, stdout); return -1;
        default: return jx_cli_bad_option (c, argv);
        }
      if (rc != 0)
        return rc;
    }
  rc = jx_cli_need_positionals (argc, argv, optind, 1, "the input dataset DATA.h5");
  if (rc != 0)
    return rc;
  args->input = argv[optind];
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
