/* jx-cli-export.c — `junipr export`: a dataset's jets in another program's format. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-options.h"
#include "jx-cli-dataset.h"
#include "jx-export-json.h"
#include "jx-import.h"

static const char usage_text[] =
  "Usage: junipr export DATA.h5 -o OUT [OPTIONS]\n"
  "\n"
  "Write a dataset's jets in another program's format.\n"
  "\n"
  "Formats:\n"
  "  junipr-json  the authors' JuniprJets JSON, input of their Python code: each jet clustered\n"
  "               into its JUNIPR tree (--algorithm, --esub, --rsub) and written with every\n"
  "               field of their FastJet converter: CSJets [E, theta, phi, m] relative to the\n"
  "               jet axis in FastJet's history order (final particles first, the jet last),\n"
  "               CS_ID_* indices, mothers_id_energy_order, branchings [z, theta, phi, delta],\n"
  "               mother and daughter momenta; 17 significant digits\n"
  "  text         the public JUNIPR code's text files: 'J <i>', 'N <n>', n lines 'px py pz E'\n"
  "\n"
  "Options:\n";

static const char examples_text[] =
  "\n"
  "With --esub 0 --rsub 0 the final particles of each tree are the dataset's particles, so\n"
  "`junipr import OUT.json` gives them back (rotated so the jet axis is along z).\n"
  "\n"
  "Examples:\n"
  "  junipr export quarks.h5 -o quarks.json\n"
  "  junipr export quarks.h5 --algorithm kt --esub 0 --rsub 0 -o quarks-kt.json\n"
  "  junipr export top.h5 --metric pp -o top.json\n"
  "  junipr export quarks.h5 --format text -o quarks.txt\n";

typedef enum { FORMAT_JSON, FORMAT_TEXT } Format;

typedef struct {
  JxExportJsonOptions opt;
  Format format;
  bool quiet, json_only;
  const char *input, *output;
} Args;

static int
parse_format (const char *opt, const char *value, void *target)
{
  Format *format = target;
  if (strcasecmp (value, "junipr-json") == 0 || strcasecmp (value, "json") == 0)
    *format = FORMAT_JSON;
  else if (strcasecmp (value, "text") == 0 || strcasecmp (value, "junipr") == 0)
    *format = FORMAT_TEXT;
  else
    return jx_cli_fail ("unknown format '%s' for %s (command line): use junipr-json or text",
                        value, opt);
  return 0;
}

static int
parse_label (const char *opt, const char *value, void *target)
{
  double label;
  int rc = jx_cli_parse_double (opt, value, INT32_MIN, INT32_MAX, &label);
  if (rc == 0 && label != floor (label))
    return jx_cli_fail ("%s must be an integer, got '%s' (command line)", opt, value);
  *(int32_t *) target = (int32_t) label;
  return rc;
}

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_export_json_options_init (&args->opt);
  JxClusterOptions *c = &args->opt.clustering;
  bool *json = &args->json_only;  /* an option of the junipr-json format only */
  const JxCliOpt opts[] = {
    JX_CLI_ROW_OUTPUT (&args->output, "output file (written atomically)", "required"),
    { .kind = JX_CLI_OPT_PARSE, .name = "format", .letter = 'f', .target = &args->format,
      .parse = parse_format, .value_name = "F", .help = "junipr-json or text",
      .dflt = "junipr-json" },
    { .kind = JX_CLI_OPT_PARSE, .name = "algorithm", .letter = 'a', .target = &c->algorithm,
      .parse = jx_cli_opt_algorithm, .seen = json, .value_name = "ALG",
      .help = "junipr-json: tree algorithm ca, kt, antikt, printer", .dflt = "ca" },
    { .kind = JX_CLI_OPT_PARSE, .name = "metric", .target = &c->metric,
      .parse = jx_cli_opt_metric, .seen = json, .value_name = "M",
      .help = "junipr-json: distances of the subjet step and the tree: ee (3-D\n"
              "angles, energies) or pp (FastJet's genkt: y-phi, kT)", .dflt = "ee" },
    { .kind = JX_CLI_OPT_DOUBLE, .name = "esub", .target = &c->esub, .lo = 0, .hi = 1e6,
      .seen = json, .value_name = "E", .help = "junipr-json: subjet energy cut in GeV, 0 = off",
      .dflt = "1" },
    { .kind = JX_CLI_OPT_DOUBLE, .name = "rsub", .target = &c->rsub, .lo = 0, .hi = M_PI,
      .seen = json, .value_name = "R", .help = "junipr-json: subjet radius in rad, 0 = off",
      .dflt = "0.1" },
    { .kind = JX_CLI_OPT_PARSE, .name = "label", .target = &args->opt.label,
      .parse = parse_label, .seen = json, .value_name = "N",
      .help = "junipr-json: the label of every jet when DATA.h5 has no labels", .dflt = "0" },
    { .kind = JX_CLI_OPT_PARSE, .name = "max-jets", .target = &args->opt.max_jets,
      .parse = jx_cli_opt_count, .value_name = "N", .help = "only the first N jets",
      .dflt = "all" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-bad", .target = &args->opt.skip_bad, .seen = json,
      .help = "junipr-json: drop (and count) jets that cannot be clustered" },
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "the dataset to export",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = examples_text, .help_col = 24, .dflt_col = 74,
                           .width = 88 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->input = argv[first];
  if (args->format == FORMAT_TEXT && args->json_only)
    return jx_cli_fail ("--algorithm, --metric, --esub, --rsub, --label and --skip-bad apply "
                        "to --format junipr-json only (command line): drop them for text");
  if (args->output == NULL)
    return jx_cli_fail ("no output file (command line): add -o OUT.json");
  if ((rc = jx_cli_check_input (args->input)) != 0)
    return rc;
  if ((rc = jx_cli_check_output ("-o", args->output)) != 0)
    return rc;
  /* An output never replaces an input (until jx-cli-common checks this for every command). */
  struct stat in, out;
  if (stat (args->input, &in) == 0 && stat (args->output, &out) == 0 && in.st_dev == out.st_dev
      && in.st_ino == out.st_ino)
    return jx_cli_fail ("the output is the input (%s): choose another -o", args->output);
  return 0;
}

int
jx_cli_export (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;

  /* streamed: the file may be larger than memory */
  JxDatasetStream *ds;
  if ((rc = jx_cli_open_dataset_stream (args.input, &ds)) != 0)
    return rc;
  JxError err = { 0 };
  JxExportStats stats;
  memset (&stats, 0, sizeof stats);
  JxProgress *progress = jx_cli_progress_begin ("exporting", args.quiet);
  if (args.format == FORMAT_JSON)
    {
      rc = jx_export_junipr_json_stream (ds, args.output, &args.opt, &stats, progress, &err);
      if (rc != 0 && rc != JX_ERR_CANCELLED && strncmp (err.message, "jet ", 4) == 0)
        jx_error_prefix (&err, "%s: ", args.input);
    }
  else
    {
      rc = jx_export_text_stream (ds, args.opt.max_jets, args.output, progress, &err);
      size_t n = jx_dataset_stream_info (ds)->n_jets;
      stats.n_jets = args.opt.max_jets > 0 && args.opt.max_jets < n ? args.opt.max_jets : n;
    }
  jx_cli_progress_end ();
  bool labeled = jx_dataset_stream_info (ds)->has_labels;
  jx_dataset_stream_close (ds);
  if (rc != 0)
    return jx_cli_fail_core (&err);

  if (!args.quiet)
    {
      printf ("junipr export: wrote %zu jet%s (%s) from %s to %s\n", stats.n_jets,
              stats.n_jets == 1 ? "" : "s", args.format == FORMAT_JSON ? "junipr-json" : "text",
              args.input, args.output);
      if (args.format == FORMAT_JSON)
        {
          printf ("  %s trees (%s metric), subjets R_sub = %g, E_sub = %g GeV\n",
                  jx_cli_algorithm_title (args.opt.clustering.algorithm),
                  jx_cli_metric_title (args.opt.clustering.metric), args.opt.clustering.rsub,
                  args.opt.clustering.esub);
          if (labeled)
            printf ("  labels from the dataset\n");
          else
            printf ("  label %d for every jet (the dataset has no labels; --label sets it)\n",
                    (int) args.opt.label);
        }
    }
  if (stats.n_single)
    fprintf (stderr, "junipr export: %zu jet%s a single particle (no branching; the "
             "authors' create_TFRecord needs at least one)\n", stats.n_single,
             stats.n_single == 1 ? " has" : "s have");
  if (stats.n_skipped)
    fprintf (stderr, "junipr export: skipped %zu jet%s that could not be clustered; the first: "
             "%s\n", stats.n_skipped, stats.n_skipped == 1 ? "" : "s", stats.first_skipped);
  return 0;
}
