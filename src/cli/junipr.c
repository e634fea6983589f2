/* junipr.c — the `junipr` command-line tool: dispatch to one subcommand. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-mpi.h"

#ifndef JX_VERSION
#define JX_VERSION "unknown"
#endif

static const JxCliCommand commands[] = {
  { "demo", jx_cli_demo, "generate small quark and Z samples and summarize them (start here)" },
  { "generate", jx_cli_generate, "generate quark or Z jets with the built-in parton shower" },
  { "import", jx_cli_import, "jets into a dataset: JuniprJets JSON, top-tagging, JetNet, "
    "EnergyFlow, HepMC3, text, HDF5 arrays" },
  { "import-model", jx_cli_import_model,
    "convert a JUNIPR model of the authors' tf.keras code into a junipr model" },
  { "export", jx_cli_export, "write a dataset as the authors' JuniprJets JSON or JUNIPR text" },
  { "info", jx_cli_info, "describe a junipr file (dataset: jets, multiplicities, source)" },
  { "cluster", jx_cli_cluster, "cluster jets into JUNIPR trees; --json prints every branching" },
  { "observables", jx_cli_observables, "compute mass, n-subjettiness, shapes per jet into CSV" },
  { "train", jx_cli_train, "train a JUNIPR model on a dataset (checkpoints, resume, Ctrl-C)" },
  { "train-binary", jx_cli_train_binary,
    "fine-tune a signal and a background model together (JUNIPR-binary) into a pair" },
  { "eval", jx_cli_eval, "score every jet of a dataset under a model: ln P_jet (per step)" },
  { "sample", jx_cli_sample, "draw jets from a model emission by emission (replayable showers)" },
  { "discriminate", jx_cli_discriminate, "likelihood-ratio ROC/AUC of two models vs baselines" },
  { "reweight", jx_cli_reweight, "weights P_target/P_source with clip, ESS, weighted histograms" },
  { "validate", jx_cli_validate, "model vs data: P_end, P_mother, P_branch curves with chi2/ndf" },
  { "render", jx_cli_render, "draw a tree, jet image, shower, histogram, ROC or Lund plane to PNG/SVG/PDF" },
};

static const size_t n_commands = sizeof commands / sizeof commands[0];

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: junipr COMMAND [OPTIONS...]\n"
           "\n"
           "JUNIPR jets: generate, import, cluster into trees, and analyse.\n"
           "\n"
           "Commands:\n");
  for (size_t i = 0; i < n_commands; i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\n"
           "Run 'junipr COMMAND --help' for the options of one command.\n"
           "Options:\n"
           "  -h, --help     show this help\n"
           "  -V, --version  show the version\n");
}

/* Whatever a command printed must have reached its destination: a full disk or a closed
 * pipe behind standard output (> /dev/full) is an error, not exit 0. One check for every
 * command, after it ran. */
static int
finish (int rc)
{
  int failed = fflush (stdout) != 0 || ferror (stdout);
  int e = errno;
  if (fclose (stdout) != 0 && !failed)
    {
      failed = 1;
      e = errno;
    }
  if (failed && rc == JX_CLI_EXIT_OK)
    rc = jx_cli_fail ("cannot write standard output (%s): check the disk or pipe it is "
                      "redirected to", strerror (e));
  return rc;
}

static int run_main (int argc, char **argv);

int
main (int argc, char **argv)
{
  return finish (run_main (argc, argv));
}

static int
run_main (int argc, char **argv)
{
  if (argc < 2)
    {
      usage (stderr);
      return JX_CLI_EXIT_USER;
    }
  const char *name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      if (argc > 2 && strcmp (name, "help") == 0)
        {
          /* "junipr help generate" behaves like "junipr generate --help". */
          for (size_t i = 0; i < n_commands; i++)
            if (strcmp (argv[2], commands[i].name) == 0)
              {
                char *sub[] = { argv[2], "--help", NULL };
                jx_cli_set_command (commands[i].name);
                return commands[i].run (2, sub);
              }
        }
      usage (stdout);
      return JX_CLI_EXIT_OK;
    }
  if (strcmp (name, "--version") == 0 || strcmp (name, "-V") == 0)
    {
      printf ("junipr %s\n", JX_VERSION);
      return JX_CLI_EXIT_OK;
    }
  for (size_t i = 0; i < n_commands; i++)
    if (strcmp (name, commands[i].name) == 0)
      {
        jx_cli_set_command (commands[i].name);
        int rc = jx_cli_mpi_begin (commands[i].name);   /* under mpirun: join the job */
        if (rc == 0)
          rc = commands[i].run (argc - 1, argv + 1);
        return jx_cli_mpi_end (rc);
      }
  if (name[0] == '-')
    return jx_cli_fail ("unknown option '%s' (command line): options come after the command; "
                        "see 'junipr --help'", name);
  return jx_cli_fail ("unknown command '%s' (command line): see 'junipr --help' for the commands", name);
}
