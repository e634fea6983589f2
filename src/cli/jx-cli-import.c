/* jx-cli-import.c — `junipr import`: jets from other programs' files into a dataset. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-dataset.h"
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
  "Options:\n"
  "  -o, --output FILE     output dataset (HDF5, written atomically)        [required]\n"
  "  -f, --format F        auto, junipr-json, top-tagging, jetnet, energyflow,\n"
  "                        text, array or hepmc3                            [auto]\n"
  "      --dataset PATH    array: the HDF5 dataset holding the jets  [the only [N,M,4] one]\n"
  "      --columns LIST    array: column order, a permutation of E,px,py,pz, or\n"
  "                        pt,eta,phi,m / pt,y,phi,m (m as pid or _ = massless)  [E,px,py,pz]\n"
  "      --labels PATH     array: a 1-D dataset of N integer labels to store\n"
  "      --no-hemispheres  hepmc3: one jet per event instead of two hemispheres\n"
  "      --keep-neutrinos  hepmc3: keep final-state neutrinos\n"
  "      --max-jets N      stop after N jets                                [all]\n"
  "      --skip-bad        drop invalid jets and count them instead of failing\n"
  "  -q, --quiet           no progress display or summary\n"
  "  -h, --help            show this help\n"
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

enum { OPT_DATASET = 256, OPT_COLUMNS, OPT_LABELS, OPT_NO_HEMI, OPT_NEUTRINOS, OPT_MAX, OPT_SKIP };

static int
parse_args (int argc, char **argv, Args *args)
{
  static const struct option longs[] = {
    { "output", required_argument, NULL, 'o' },
    { "format", required_argument, NULL, 'f' },
    { "dataset", required_argument, NULL, OPT_DATASET },
    { "columns", required_argument, NULL, OPT_COLUMNS },
    { "labels", required_argument, NULL, OPT_LABELS },
    { "no-hemispheres", no_argument, NULL, OPT_NO_HEMI },
    { "keep-neutrinos", no_argument, NULL, OPT_NEUTRINOS },
    { "max-jets", required_argument, NULL, OPT_MAX },
    { "skip-bad", no_argument, NULL, OPT_SKIP },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  memset (args, 0, sizeof *args);
  jx_import_options_init (&args->opt);
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":o:f:qh", longs, NULL)) != -1)
    {
      JxError err = { 0 };
      switch (c)
        {
        case 'o': args->output = optarg; break;
        case 'f':
          if (jx_import_format_parse (optarg, &args->opt.format, &err) != 0)
            rc = jx_cli_fail ("unknown format '%s' for --format (command line): use junipr-json, "
                              "top-tagging, jetnet, energyflow, text, array, hepmc3 or auto",
                              optarg);
          break;
        case OPT_DATASET: args->opt.array_path = optarg; break;
        case OPT_COLUMNS: args->opt.columns = optarg; break;
        case OPT_LABELS: args->opt.label_path = optarg; break;
        case OPT_NO_HEMI: args->opt.no_hemispheres = true; break;
        case OPT_NEUTRINOS: args->opt.keep_neutrinos = true; break;
        case OPT_MAX:
          rc = jx_cli_parse_size ("--max-jets", optarg, 1, SIZE_MAX / 2, &args->opt.max_jets);
          break;
        case OPT_SKIP: args->opt.skip_bad = true; break;
        case 'q': args->quiet = true; break;
        case 'h': fputs (usage_text, stdout); return -1;
        default: return jx_cli_bad_option (c, argv);
        }
      if (rc != 0)
        return rc;
    }
  if ((rc = jx_cli_need_positionals (argc, argv, optind, 1, "the file to import")) != 0)
    return rc;
  args->input = argv[optind];
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
