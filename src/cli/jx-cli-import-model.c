/* jx-cli-import-model.c — `junipr import-model`: the authors' tf.keras JUNIPR model into ours. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-options.h"
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
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr import-model Junipr_demo_model.h5 -o demo-keras.h5\n"
  "  junipr info demo-keras.h5\n";

typedef struct {
  JxClusterOptions clustering;
  bool quiet;
  const char *input, *output;
} Args;

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_cluster_options_default (&args->clustering);
  args->clustering.metric = JX_METRIC_PP;   /* the authors' converter */
  JxClusterOptions *c = &args->clustering;
  const JxCliOpt opts[] = {
    JX_CLI_ROW_ALGORITHM (&c->algorithm, NULL),
    { .kind = JX_CLI_OPT_PARSE, .name = "metric", .target = &c->metric,
      .parse = jx_cli_opt_metric, .value_name = "M",
      .help = "ee (3-D angles, energies) or pp (FastJet genkt:\nrapidity-azimuth, kT)",
      .dflt = "pp" },
    JX_CLI_ROW_ESUB (&c->esub, "subjet energy cut in GeV, 0 = off"),
    JX_CLI_ROW_RSUB (&c->rsub, "subjet radius, 0 = off"),
    JX_CLI_ROW_OUTPUT (&args->output, "the junipr model (HDF5, written atomically)", "required"),
    JX_CLI_ROW_QUIET (&args->quiet, "no summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "the Keras model file",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 26, .dflt_col = 76 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->input = argv[first];
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
