/* jx-cli-generate.c — `junipr generate`: the built-in shower and cluster hadronisation into a
 * dataset file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-options.h"
#include "jx-dataset.h"
#include "jx-generator.h"

/* Far above any sample the paper used (10^6 jets), still far from exhausting memory. */

/* The cluster model's defaults as the help shows them (jx-hadron.c). */
#define CLUSTER_DEFAULT "1.43,2,1.5"

static const char usage_text[] =
  "Usage: junipr generate --jets N -o OUT.h5 [OPTIONS]\n"
  "\n"
  "Generate jets with the built-in final-state parton shower (pT-ordered dipoles, 1-loop\n"
  "running alpha_s, first-emission matrix-element correction) and cluster hadronisation\n"
  "(docs/HADRONIZATION.md): hemisphere quark jets from e+e- -> q qbar, or boosted Z jets from\n"
  "e+e- -> ZZ -> 4q. Jets are stored as their particles (hadrons and photons, or partons with\n"
  "--level parton); their subjets (C/A at R_sub, E >= E_sub) must pass the energy (and mass)\n"
  "window.\n"
  "\n"
  "Options:\n";

static const char examples_text[] =
  "\n"
  "Examples:\n"
  "  junipr generate --process qq --jets 100000 --seed 1 -o quarks.h5\n"
  "  junipr generate --process zz --jets 100000 --mass-window 90.7,91.7 -o zjets.h5\n"
  "  junipr generate --process qq --jets 100000 --alpha-s 0.11 -o quarks-as011.h5\n"
  "  junipr generate --process qq --jets 100000 --level parton -o quark-partons.h5\n";

typedef struct {
  JxGenConfig cfg;
  size_t n_jets;
  bool quiet, have_jets;
  const char *output;
} Args;

static int
parse_process (const char *opt, const char *value, void *target)
{
  if (jx_process_parse (value, target, NULL) != 0)
    return jx_cli_fail ("unknown process '%s' for %s (command line): use qq (quark jets) or zz "
                        "(Z jets)", value, opt);
  return 0;
}

static int
parse_level (const char *opt, const char *value, void *target)
{
  if (jx_level_parse (value, target, NULL) != 0)
    return jx_cli_fail ("unknown level '%s' for %s (command line): use hadron (cluster "
                        "hadronisation) or parton (the shower's partons)", value, opt);
  return 0;
}

static int
parse_kernel (const char *opt, const char *value, void *target /* double[8] */)
{
  return jx_cli_parse_list (opt, value, target, 8);
}

static int
parse_cluster (const char *opt, const char *value, void *target)
{
  JxHadronParams *h = target;
  double v[3];
  int rc = jx_cli_parse_list (opt, value, v, 3);
  if (rc == 0)
    {
      h->cl_max = v[0];
      h->cl_pow = v[1];
      h->p_split = v[2];
    }
  return rc;
}

/* Where a window option goes: LO,HI, or off. */
typedef struct {
  double *lo, *hi;
  bool *on;
} WindowRef;

static int
parse_window (const char *opt, const char *value, void *target)
{
  const WindowRef *w = target;
  bool off = false;
  int rc = jx_cli_parse_window (opt, value, true, w->lo, w->hi, &off);
  *w->on = !off;
  return rc;
}

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_gen_config_default (&args->cfg);
  args->cfg.threads = jx_cli_cpu_count ();
  JxGenConfig *cfg = &args->cfg;
  WindowRef mass = { &cfg->m_lo, &cfg->m_hi, &cfg->m_window };
  WindowRef energy = { &cfg->e_lo, &cfg->e_hi, &cfg->e_window };
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_PARSE, .name = "process", .target = &cfg->process,
      .parse = parse_process, .value_name = "P", .help = "qq (quark jets) or zz (Z jets)",
      .dflt = "qq" },
    { .kind = JX_CLI_OPT_RANGED_SIZE, .name = "jets", .letter = 'n', .target = &args->n_jets,
      .seen = &args->have_jets, .value_name = "N",
      .help = "number of accepted jets to generate", .dflt = "required" },
    JX_CLI_ROW_OUTPUT (&args->output, "output dataset (HDF5, written atomically)", "required"),
    { .kind = JX_CLI_OPT_PARSE, .name = "level", .target = &cfg->level, .parse = parse_level,
      .value_name = "L", .help = "hadron (cluster model) or parton (the shower's\n"
                                 "partons, as before hadronisation existed)", .dflt = "hadron" },
    { .kind = JX_CLI_OPT_RANGED, .name = "alpha-s", .target = &cfg->alpha_s, .value_name = "A",
      .help = "alpha_s(m_Z), 1-loop running, 0.05..0.20", .dflt = "0.1365" },
    { .kind = JX_CLI_OPT_RANGED, .name = "sqrt-s", .target = &cfg->sqrt_s, .value_name = "E",
      .help = "e+e- centre-of-mass energy in GeV, 50..10000", .dflt = "1000" },
    { .kind = JX_CLI_OPT_RANGED, .name = "pt-min", .target = &cfg->pt_min, .value_name = "P",
      .help = "shower cutoff in GeV, 0.3..5", .dflt = "1" },
    { .kind = JX_CLI_OPT_CLEAR, .name = "no-mec", .target = &cfg->mec,
      .help = "switch off the first-emission matrix-element correction" },
    { .kind = JX_CLI_OPT_PARSE, .name = "kernel", .target = cfg->kernel, .parse = parse_kernel,
      .value_name = "LIST", .help = "8 kernel knobs D_qq,F_qq,C_qq,D_gg,F_gg,C_gg,F_gq,C_gq,\n"
                                    "each 0..10", .dflt = "1,1,0,1,1,0,1,0" },
    { .kind = JX_CLI_OPT_PARSE, .name = "mass-window", .target = &mass, .parse = parse_window,
      .value_name = "LO,HI",
      .help = "keep jets with LO < m_J < HI GeV (paper: 90.7,91.7)", .dflt = "off" },
    { .kind = JX_CLI_OPT_PARSE, .name = "energy-window", .target = &energy,
      .parse = parse_window, .value_name = "LO,HI",
      .help = "keep jets with LO < E_J < HI GeV, or off", .dflt = "450,550" },
    { .kind = JX_CLI_OPT_RANGED, .name = "esub", .target = &cfg->esub, .value_name = "E",
      .help = "subjet energy cut in GeV, 0 = off", .dflt = "1" },
    { .kind = JX_CLI_OPT_RANGED, .name = "rsub", .target = &cfg->rsub, .value_name = "R",
      .help = "subjet radius in rad, 0 = off", .dflt = "0.1" },
    { .kind = JX_CLI_OPT_RANGED, .name = "f-long", .target = &cfg->f_long, .value_name = "F",
      .help = "longitudinal fraction of Z decays, 0..1", .dflt = "0" },
    { .kind = JX_CLI_OPT_PARSE, .name = "cluster", .target = &cfg->hadron,
      .parse = parse_cluster, .value_name = "LIST",
      .help = "cluster model Cl_max (GeV),Cl_pow,P_split", .dflt = CLUSTER_DEFAULT },
    JX_CLI_ROW_SEED (&cfg->seed, "random seed (same seed => same jets)"),
    { .kind = JX_CLI_OPT_U64, .name = "max-dry-tries", .target = &cfg->max_dry_tries,
      .value_name = "N", .help = "give up after N jets tried in a row without one\n"
                                 "accepted (settings nothing passes); 0 = never",
      .dflt = "1000000" },
    JX_CLI_ROW_THREADS (&cfg->threads, "worker threads (results do not depend on it)"),
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 0, .args_what = "options",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = examples_text, .help_col = 28, .dflt_col = 74,
                           .width = 92 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  if (!args->have_jets)
    return jx_cli_fail ("missing --jets (command line): say how many jets to generate, "
                        "e.g. --jets 10000");
  if ((rc = jx_cli_check_output ("-o", args->output)) != 0)
    return rc;
  JxError err = { 0 };
  if (jx_gen_config_validate (cfg, &err) != 0)
    return jx_cli_fail ("%s", err.message);
  return 0;
}

int
jx_cli_generate (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;

  JxDataset ds;
  jx_dataset_init (&ds);
  JxGenStats stats = { 0 };
  JxError err = { 0 };
  JxProgress *progress = jx_cli_progress_begin ("generating", args.quiet);
  rc = jx_generate (&args.cfg, args.n_jets, &ds, &stats, progress, &err);
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (&err, JX_ERR_CANCELLED, "cancelled");
  if (rc == 0)
    rc = jx_dataset_write (&ds, args.output, progress, &err);
  jx_cli_progress_end ();
  size_t written = ds.n_jets;
  jx_dataset_free (&ds);
  if (rc != 0)
    return jx_cli_fail_core (&err);

  if (!args.quiet)
    {
      double secs = stats.seconds > 0 ? stats.seconds : 1e-9;
      printf ("junipr generate: wrote %zu %s-level %s jets to %s\n", written,
               jx_level_name (args.cfg.level), jx_process_name (args.cfg.process), args.output);
      printf ("  events %llu, jets tried %llu, in energy window %llu, accepted %llu "
               "(%.1f%%)\n",
               (unsigned long long) stats.events, (unsigned long long) stats.jets_tried,
               (unsigned long long) stats.jets_in_e_window,
               (unsigned long long) stats.jets_accepted,
               stats.jets_tried ? 100.0 * (double) stats.jets_accepted / (double) stats.jets_tried : 0.0);
      printf ("  %.2f s, %.0f jets/s accepted (%.0f jets/s tried) on %d thread%s\n",
               stats.seconds, (double) stats.jets_accepted / secs, (double) stats.jets_tried / secs,
               args.cfg.threads, args.cfg.threads == 1 ? "" : "s");
    }
  return 0;
}
