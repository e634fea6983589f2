/* jx-cli-export.c — `junipr export`: a dataset's jets in another program's format. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
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
  "Options:\n"
  "  -o, --output FILE     output file (written atomically)                  [required]\n"
  "  -f, --format F        junipr-json or text                               [junipr-json]\n"
  "  -a, --algorithm ALG   junipr-json: tree algorithm ca, kt, antikt, printer  [ca]\n"
  "      --metric M        junipr-json: distances of the subjet step and the tree: ee (3-D\n"
  "                        angles, energies) or pp (FastJet's genkt: y-phi, kT)  [ee]\n"
  "      --esub E          junipr-json: subjet energy cut in GeV, 0 = off    [1]\n"
  "      --rsub R          junipr-json: subjet radius in rad, 0 = off        [0.1]\n"
  "      --label N         junipr-json: the label of every jet when DATA.h5 has no labels [0]\n"
  "      --max-jets N      only the first N jets                             [all]\n"
  "      --skip-bad        junipr-json: drop (and count) jets that cannot be clustered\n"
  "  -q, --quiet           no progress display or summary\n"
  "  -h, --help            show this help\n"
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

enum { OPT_METRIC = 256, OPT_ESUB, OPT_RSUB, OPT_LABEL, OPT_MAX, OPT_SKIP };

static int
parse_args (int argc, char **argv, Args *args)
{
  static const struct option longs[] = {
    { "output", required_argument, NULL, 'o' },
    { "format", required_argument, NULL, 'f' },
    { "algorithm", required_argument, NULL, 'a' },
    { "metric", required_argument, NULL, OPT_METRIC },
    { "esub", required_argument, NULL, OPT_ESUB },
    { "rsub", required_argument, NULL, OPT_RSUB },
    { "label", required_argument, NULL, OPT_LABEL },
    { "max-jets", required_argument, NULL, OPT_MAX },
    { "skip-bad", no_argument, NULL, OPT_SKIP },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  memset (args, 0, sizeof *args);
  jx_export_json_options_init (&args->opt);
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":o:f:a:qh", longs, NULL)) != -1)
    {
      JxError err = { 0 };
      double label;
      switch (c)
        {
        case 'o': args->output = optarg; break;
        case 'f':
          if (strcasecmp (optarg, "junipr-json") == 0 || strcasecmp (optarg, "json") == 0)
            args->format = FORMAT_JSON;
          else if (strcasecmp (optarg, "text") == 0 || strcasecmp (optarg, "junipr") == 0)
            args->format = FORMAT_TEXT;
          else
            rc = jx_cli_fail ("unknown format '%s' for --format (command line): use "
                              "junipr-json or text", optarg);
          break;
        case 'a':
          args->json_only = true;
          if (jx_algorithm_parse (optarg, &args->opt.clustering.algorithm, &err) != 0)
            rc = jx_cli_fail ("unknown algorithm '%s' for --algorithm (command line): "
                              "use ca, kt, antikt or printer", optarg);
          break;
        case OPT_METRIC:
          args->json_only = true;
          rc = jx_cli_parse_metric (optarg, &args->opt.clustering.metric);
          break;
        case OPT_ESUB:
          args->json_only = true;
          rc = jx_cli_parse_double ("--esub", optarg, 0, 1e6, &args->opt.clustering.esub);
          break;
        case OPT_RSUB:
          args->json_only = true;
          rc = jx_cli_parse_double ("--rsub", optarg, 0, M_PI, &args->opt.clustering.rsub);
          break;
        case OPT_LABEL:
          args->json_only = true;
          rc = jx_cli_parse_double ("--label", optarg, INT32_MIN, INT32_MAX, &label);
          if (rc == 0 && label != floor (label))
            rc = jx_cli_fail ("--label must be an integer, got '%s' (command line)", optarg);
          args->opt.label = (int32_t) label;
          break;
        case OPT_MAX:
          rc = jx_cli_parse_size ("--max-jets", optarg, 1, SIZE_MAX / 2, &args->opt.max_jets);
          break;
        case OPT_SKIP:
          args->json_only = true;
          args->opt.skip_bad = true;
          break;
        case 'q': args->quiet = true; break;
        case 'h': fputs (usage_text, stdout); return -1;
        default: return jx_cli_bad_option (c, argv);
        }
      if (rc != 0)
        return rc;
    }
  if ((rc = jx_cli_need_positionals (argc, argv, optind, 1, "the dataset to export")) != 0)
    return rc;
  args->input = argv[optind];
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
