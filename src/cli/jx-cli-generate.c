/* jx-cli-generate.c — `junipr generate`: the built-in shower and cluster hadronisation into a
 * dataset file. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
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
  "Options:\n"
  "      --process P           qq (quark jets) or zz (Z jets)                [qq]\n"
  "  -n, --jets N              number of accepted jets to generate           [required]\n"
  "  -o, --output FILE         output dataset (HDF5, written atomically)     [required]\n"
  "      --level L             hadron (cluster model) or parton (the shower's\n"
  "                            partons, as before hadronisation existed)     [hadron]\n"
  "      --alpha-s A           alpha_s(m_Z), 1-loop running, 0.05..0.20      [0.1365]\n"
  "      --sqrt-s E            e+e- centre-of-mass energy in GeV, 50..10000  [1000]\n"
  "      --pt-min P            shower cutoff in GeV, 0.3..5                  [1]\n"
  "      --no-mec              switch off the first-emission matrix-element correction\n"
  "      --kernel LIST         8 kernel knobs D_qq,F_qq,C_qq,D_gg,F_gg,C_gg,F_gq,C_gq,\n"
  "                            each 0..10\n"
  "                                                                          [1,1,0,1,1,0,1,0]\n"
  "      --mass-window LO,HI   keep jets with LO < m_J < HI GeV (paper: 90.7,91.7)  [off]\n"
  "      --energy-window LO,HI keep jets with LO < E_J < HI GeV, or off      [450,550]\n"
  "      --esub E              subjet energy cut in GeV, 0 = off             [1]\n"
  "      --rsub R              subjet radius in rad, 0 = off                 [0.1]\n"
  "      --f-long F            longitudinal fraction of Z decays, 0..1       [0]\n"
  "      --cluster LIST        cluster model Cl_max (GeV),Cl_pow,P_split     [" CLUSTER_DEFAULT "]\n"
  "      --seed S              random seed (same seed => same jets)          [1]\n"
  "      --max-dry-tries N     give up after N jets tried in a row without one\n"
  "                            accepted (settings nothing passes); 0 = never [1000000]\n"
  "      --threads N           worker threads (results do not depend on it)  [all CPUs]\n"
  "  -q, --quiet               no progress display or summary\n"
  "  -h, --help                show this help\n"
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

enum {
  OPT_PROCESS = 256, OPT_ALPHA_S, OPT_SQRT_S, OPT_PT_MIN, OPT_NO_MEC, OPT_KERNEL,
  OPT_MASS_WINDOW, OPT_ENERGY_WINDOW, OPT_ESUB, OPT_RSUB, OPT_F_LONG, OPT_SEED, OPT_THREADS,
  OPT_MAX_DRY,
  OPT_LEVEL, OPT_CLUSTER,
};

static int
parse_args (int argc, char **argv, Args *args)
{
  static const struct option longs[] = {
    { "process", required_argument, NULL, OPT_PROCESS },
    { "jets", required_argument, NULL, 'n' },
    { "output", required_argument, NULL, 'o' },
    { "alpha-s", required_argument, NULL, OPT_ALPHA_S },
    { "sqrt-s", required_argument, NULL, OPT_SQRT_S },
    { "pt-min", required_argument, NULL, OPT_PT_MIN },
    { "no-mec", no_argument, NULL, OPT_NO_MEC },
    { "kernel", required_argument, NULL, OPT_KERNEL },
    { "mass-window", required_argument, NULL, OPT_MASS_WINDOW },
    { "energy-window", required_argument, NULL, OPT_ENERGY_WINDOW },
    { "esub", required_argument, NULL, OPT_ESUB },
    { "rsub", required_argument, NULL, OPT_RSUB },
    { "f-long", required_argument, NULL, OPT_F_LONG },
    { "seed", required_argument, NULL, OPT_SEED },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "max-dry-tries", required_argument, NULL, OPT_MAX_DRY },
    { "level", required_argument, NULL, OPT_LEVEL },
    { "cluster", required_argument, NULL, OPT_CLUSTER },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  memset (args, 0, sizeof *args);
  jx_gen_config_default (&args->cfg);
  args->cfg.threads = jx_cli_cpu_count ();
  JxGenConfig *cfg = &args->cfg;
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":n:o:qh", longs, NULL)) != -1)
    {
      JxError err = { 0 };
      bool off = false;
      size_t threads;
      switch (c)
        {
        case OPT_PROCESS:
          if (jx_process_parse (optarg, &cfg->process, &err) != 0)
            rc = jx_cli_fail ("unknown process '%s' for --process (command line): use qq (quark "
                              "jets) or zz (Z jets)", optarg);
          break;
        case 'n':
          rc = jx_cli_parse_ranged_size ("--jets", optarg, &args->n_jets);
          args->have_jets = true;
          break;
        case 'o': args->output = optarg; break;
        case OPT_ALPHA_S: rc = jx_cli_parse_ranged ("--alpha-s", optarg, &cfg->alpha_s); break;
        case OPT_SQRT_S: rc = jx_cli_parse_ranged ("--sqrt-s", optarg, &cfg->sqrt_s); break;
        case OPT_PT_MIN: rc = jx_cli_parse_ranged ("--pt-min", optarg, &cfg->pt_min); break;
        case OPT_NO_MEC: cfg->mec = false; break;
        case OPT_KERNEL: rc = jx_cli_parse_list ("--kernel", optarg, cfg->kernel, 8); break;
        case OPT_MASS_WINDOW:
          rc = jx_cli_parse_window ("--mass-window", optarg, true, &cfg->m_lo, &cfg->m_hi, &off);
          cfg->m_window = !off;
          break;
        case OPT_ENERGY_WINDOW:
          rc = jx_cli_parse_window ("--energy-window", optarg, true, &cfg->e_lo, &cfg->e_hi, &off);
          cfg->e_window = !off;
          break;
        case OPT_ESUB: rc = jx_cli_parse_ranged ("--esub", optarg, &cfg->esub); break;
        case OPT_RSUB: rc = jx_cli_parse_ranged ("--rsub", optarg, &cfg->rsub); break;
        case OPT_F_LONG: rc = jx_cli_parse_ranged ("--f-long", optarg, &cfg->f_long); break;
        case OPT_SEED: rc = jx_cli_parse_u64 ("--seed", optarg, &cfg->seed); break;
        case OPT_MAX_DRY: rc = jx_cli_parse_u64 ("--max-dry-tries", optarg, &cfg->max_dry_tries); break;
        case OPT_THREADS:
          rc = jx_cli_parse_size ("--threads", optarg, 1, 256, &threads);
          cfg->threads = (int) threads;
          break;
        case OPT_LEVEL:
          if (jx_level_parse (optarg, &cfg->level, &err) != 0)
            rc = jx_cli_fail ("unknown level '%s' for --level (command line): use hadron "
                              "(cluster hadronisation) or parton (the shower's partons)", optarg);
          break;
        case OPT_CLUSTER:
          {
            double v[3];
            rc = jx_cli_parse_list ("--cluster", optarg, v, 3);
            cfg->hadron.cl_max = v[0];
            cfg->hadron.cl_pow = v[1];
            cfg->hadron.p_split = v[2];
          }
          break;
        case 'q': args->quiet = true; break;
        case 'h': fputs (usage_text, stdout); return -1;
        default: return jx_cli_bad_option (c, argv);
        }
      if (rc != 0)
        return rc;
    }
  if ((rc = jx_cli_need_positionals (argc, argv, optind, 0, "options")) != 0)
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
