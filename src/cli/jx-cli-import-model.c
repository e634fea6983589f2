/* jx-cli-import-model.c — `junipr import-model`: the authors' tf.keras JUNIPR model into ours. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-keras-import.h"
#include "jx-model-io.h"

static const char usage_text[] =
  "Usage: junipr import-model KERAS.h5 -o MODEL.h5 [OPTIONS]\n"
  "\n"
  "Convert a JUNIPR model saved by the authors' public tf.keras code (model.save: the\n"
  "model_config attribute and /model_weights) into a junipr model that evaluates, samples,\n"
  "draws and discriminates like any other. The network is held exactly: SimpleRNN, LSTM or\n"
  "GRU, the heads' widths and the branch heads' padding class as in the file; sizes are read\n"
  "from the file. The Keras file does not record how its jets were clustered: give that with\n"
  "the options below (defaults: the authors' converter, C/A with FastJet's genkt, R = 7).\n"
  "\n"
  "Options:\n"
  "  -a, --algorithm ALG     tree algorithm: ca, kt, antikt, printer           [ca]\n"
  "      --metric M          ee (3-D angles, energies) or pp (FastJet genkt:   [pp]\n"
  "                          rapidity-azimuth, kT)\n"
  "      --esub E            subjet energy cut in GeV, 0 = off                 [1]\n"
  "      --rsub R            subjet radius, 0 = off                            [0.1]\n"
  "  -o, --output FILE       the junipr model (HDF5, written atomically)       [required]\n"
  "  -q, --quiet             no summary\n"
  "  -h, --help              show this help\n"
  "\n"
  "Example:\n"
  "  junipr import-model Junipr_demo_model.h5 -o demo-keras.h5\n"
  "  junipr info demo-keras.h5\n";

typedef struct {
  JxClusterOptions clustering;
  bool quiet;
  const char *input, *output;
} Args;

enum { OPT_METRIC = 256, OPT_ESUB, OPT_RSUB };

static int
parse_args (int argc, char **argv, Args *args)
{
  static const struct option longs[] = {
    { "algorithm", required_argument, NULL, 'a' },
    { "metric", required_argument, NULL, OPT_METRIC },
    { "esub", required_argument, NULL, OPT_ESUB },
    { "rsub", required_argument, NULL, OPT_RSUB },
    { "output", required_argument, NULL, 'o' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  memset (args, 0, sizeof *args);
  jx_cluster_options_default (&args->clustering);
  args->clustering.metric = JX_METRIC_PP;   /* the authors' converter */
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":a:o:qh", longs, NULL)) != -1)
    {
      switch (c)
        {
        case 'a':
          if (jx_algorithm_parse (optarg, &args->clustering.algorithm, NULL) != 0)
            rc = jx_cli_fail ("unknown algorithm '%s' for --algorithm (command line): use ca, kt, "
                              "antikt or printer", optarg);
          break;
        case OPT_METRIC: rc = jx_cli_parse_metric (optarg, &args->clustering.metric); break;
        case OPT_ESUB:
          rc = jx_cli_parse_double ("--esub", optarg, 0, 1e6, &args->clustering.esub);
          break;
        case OPT_RSUB:
          rc = jx_cli_parse_double ("--rsub", optarg, 0, M_PI, &args->clustering.rsub);
          break;
        case 'o': args->output = optarg; break;
        case 'q': args->quiet = true; break;
        case 'h': fputs (usage_text, stdout); return -1;
        default: return jx_cli_bad_option (c, argv);
        }
      if (rc != 0)
        return rc;
    }
  if ((rc = jx_cli_need_positionals (argc, argv, optind, 1, "the Keras model file")) != 0)
    return rc;
  args->input = argv[optind];
  if ((rc = jx_cli_check_input (args->input)) != 0)
    return rc;
  return jx_cli_check_output ("-o", args->output);
}

int
jx_cli_import_model (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };
  rc = jx_keras_import (args.input, &args.clustering, &model, &meta, &err);
  if (rc == 0)
    rc = jx_model_save (model, &meta, args.output, NULL, NULL, &err);
  if (rc != 0)
    {
      jx_model_free (model);
      jx_model_meta_free (&meta);
      return jx_cli_fail_core (&err);
    }
  if (!args.quiet)
    {
      printf ("junipr import-model: wrote %s (%zu parameters) from %s\n", args.output,
              jx_model_n_params (model), args.input);
      printf ("  %s\n", meta.imported_detail);
      printf ("  clustering: %s trees, %s metric, R_sub = %g, E_sub = %g GeV (set with "
              "--algorithm, --metric, --rsub, --esub)\n",
              jx_cli_algorithm_title (args.clustering.algorithm),
              jx_cli_metric_title (args.clustering.metric), args.clustering.rsub,
              args.clustering.esub);
    }
  jx_model_free (model);
  jx_model_meta_free (&meta);
  return 0;
}
