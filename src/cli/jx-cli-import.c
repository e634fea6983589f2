/* jx-cli-import.c — `junipr import`: jets from other programs' files into a dataset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
#include "jx-cli-options.h"
#include "jx-dataset.h"
#include "jx-import.h"

static const char usage_text[] =
  "Usage: junipr import FILE -o OUT.h5 [OPTIONS]\n"
  "\n"
  "Convert jets written by another program into a junipr dataset. Every jet is checked\n"
  "(finite momenta, E >= 0, E >= |p|, at least one particle); the first bad one stops the\n"
  "import with its file and line, unless --skip-bad.\n"
  "\n"
  "Formats (detected from the content unless --format is given):\n"
  "  junipr-json  the authors' JuniprJets JSON ({\"JuniprJets\": [...]}): the n final\n"
  "               particles of each jet (the first n CSJets, [E, theta, phi, m] relative to\n"
  "               the jet axis) rebuilt around +z (or the jet_axis junipr export writes);\n"
  "               'label' becomes the label. Read as a stream\n"
  "  top-tagging  the top-tagging reference set (train/val/test.h5: pandas table\n"
  "               /table/table, E_i, PX_i, PY_i, PZ_i constituents); is_signal_new = label\n"
  "  jetnet       JetNet ({g,q,t,w,z}[150].hdf5): particles (eta_rel, phi_rel, pT_rel, mask)\n"
  "               rebuilt massless with pT = pT_rel pT_jet, eta = eta_rel + eta_jet, jet at\n"
  "               phi = 0 (the file keeps no jet phi); label g 0, q 1, t 2, w 3, z 4\n"
  "  energyflow   EnergyFlow quark/gluon jets (QG_jets*.npz): X = (pt, y, phi, pid) with\n"
  "               PDG masses from pid; y (1 = quark) = label\n"
  "  text         the public JUNIPR code's files: 'J <i>', 'N <n>', then n lines 'px py pz E'\n"
  "  array        a zero-padded [N, M, 4] array in any HDF5 file; all-zero rows are padding\n"
  "  hepmc3       HepMC3 (or HepMC2) ASCII events; final-state particles, neutrinos dropped,\n"
  "               split into two hemisphere jets by exclusive Durham clustering\n"
  "\n"
  "Options:\n";

static const char examples_text[] =
  "\n"
  "Examples:\n"
  "  junipr import quark_jets.txt -o quarks.h5\n"
  "  junipr import JuniprJets.json -o quarks.h5\n"
  "  junipr import train.h5 --max-jets 100000 -o top-train.h5\n"
  "  junipr import QG_jets.npz -o qg.h5\n"
  "  junipr import events.hepmc --format hepmc3 -o hemispheres.h5\n"
  "  junipr import ef.h5 --format array --dataset X --columns pt,y,phi,pid -o ef-jets.h5\n";

typedef struct {
  JxImportOptions opt;
  bool quiet;
  const char *input, *output;
} Args;

static int
parse_format (const char *opt, const char *value, void *target)
{
  if (jx_import_format_parse (value, target, NULL) != 0)
    return jx_cli_fail ("unknown format '%s' for %s (command line): use junipr-json, "
                        "top-tagging, jetnet, energyflow, text, array, hepmc3 or auto", value,
                        opt);
  return 0;
}

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_import_options_init (&args->opt);
  JxImportOptions *o = &args->opt;
  const JxCliOpt opts[] = {
    JX_CLI_ROW_OUTPUT (&args->output, "output dataset (HDF5, written atomically)", "required"),
    { .kind = JX_CLI_OPT_PARSE, .name = "format", .letter = 'f', .target = &o->format,
      .parse = parse_format, .value_name = "F",
      .help = "auto, junipr-json, top-tagging, jetnet, energyflow,\n"
              "text, array or hepmc3", .dflt = "auto" },
    { .kind = JX_CLI_OPT_STRING, .name = "dataset", .target = &o->array_path,
      .value_name = "PATH", .help = "array: the HDF5 dataset holding the jets",
      .dflt = "the only [N,M,4] one" },
    { .kind = JX_CLI_OPT_STRING, .name = "columns", .target = &o->columns, .value_name = "LIST",
      .help = "array: column order, a permutation of E,px,py,pz, or\n"
              "pt,eta,phi,m / pt,y,phi,m (m as pid or _ = massless)", .dflt = "E,px,py,pz" },
    { .kind = JX_CLI_OPT_STRING, .name = "labels", .target = &o->label_path,
      .value_name = "PATH", .help = "array: a 1-D dataset of N integer labels to store" },
    { .kind = JX_CLI_OPT_FLAG, .name = "no-hemispheres", .target = &o->no_hemispheres,
      .help = "hepmc3: one jet per event instead of two hemispheres" },
    { .kind = JX_CLI_OPT_FLAG, .name = "keep-neutrinos", .target = &o->keep_neutrinos,
      .help = "hepmc3: keep final-state neutrinos" },
    { .kind = JX_CLI_OPT_PARSE, .name = "max-jets", .target = &o->max_jets,
      .parse = jx_cli_opt_count, .value_name = "N", .help = "stop after N jets", .dflt = "all" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-bad", .target = &o->skip_bad,
      .help = "drop invalid jets and count them instead of failing" },
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "the file to import",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = examples_text, .help_col = 24, .dflt_col = 73,
                           .width = 90 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->input = argv[first];
  JxImportFormat f = args->opt.format;
  if (f != JX_IMPORT_AUTO && f != JX_IMPORT_ARRAY
      && (args->opt.array_path || args->opt.columns || args->opt.label_path))
    return jx_cli_fail ("--dataset, --columns and --labels apply to --format array only "
                        "(command line): drop them or use --format array");
  if ((rc = jx_cli_check_input (args->input)) != 0)
    return rc;
  return jx_cli_check_output ("-o", args->output);
}

int
jx_cli_import (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;

  JxImportStats stats;
  memset (&stats, 0, sizeof stats);
  JxError err = { 0 };
  JxProgress *progress = jx_cli_progress_begin ("importing", args.quiet);
  /* written a part at a time (memory: one part, whatever the input's size); parts of the
   * CLI's stream chunk size, JUNIPR_STREAM_CHUNK_JETS when set (jx-cli-dataset.h) */
  rc = jx_import_write (args.input, args.output, &args.opt, jx_cli_stream_chunk_jets (), &stats,
                        progress, &err);
  jx_cli_progress_end ();
  if (rc != 0)
    return jx_cli_fail_core (&err);

  if (!args.quiet)
    {
      printf ("junipr import: wrote %zu jet%s (%s) from %s to %s\n", stats.n_jets,
              stats.n_jets == 1 ? "" : "s", jx_import_format_name (stats.format), args.input,
              args.output);
      if (stats.n_events)
        printf ("  %zu events read\n", stats.n_events);
      if (stats.n_padding)
        printf ("  %zu padding rows dropped\n", stats.n_padding);
    }
  if (stats.n_skipped)
    fprintf (stderr, "junipr import: skipped %zu invalid jet%s; the first: %s\n", stats.n_skipped,
             stats.n_skipped == 1 ? "" : "s", stats.first_skipped);
  return 0;
}
