/* jx-cli-demo.c — `junipr demo`: the first thing a new user runs. Generates small quark and
 * Z samples in memory, clusters them into C/A trees and prints what a physicist would look
 * at first, plus one jet's declustering sequence. Writes no files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-options.h"
#include "jx-dataset.h"
#include "jx-generator.h"
#include "jx-jetstats.h"
#include "jx-tree.h"

#define EXAMPLE_STEPS 12

static const char usage_text[] =
  "Usage: junipr demo [OPTIONS]\n"
  "\n"
  "Generate a small sample of quark jets (e+e- -> q qbar) and one of boosted Z jets\n"
  "(e+e- -> ZZ -> 4q) at sqrt(s) = 1 TeV in memory, cluster every jet into its C/A JUNIPR\n"
  "tree (subjets R_sub = 0.1, E_sub = 1 GeV) and print a summary per sample and the\n"
  "declustering sequence of one Z jet. Writes no files; takes a few seconds.\n"
  "\n"
  "Options:\n";

static const char next_text[] =
  "\n"
  "Next steps: 'junipr generate --help', 'junipr cluster --help'.\n";

typedef struct {
  const char *title;
  JxProcess process;
  JxDataset ds;
  JxGenStats stats;
  size_t jets, n_sum, small, skipped;
  double m_sum, z1_sum, tau21_median;
} Sample;

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* The table's numbers from every jet's observables; jets that cannot be clustered are
 * skipped and counted. */
static int
analyse (Sample *s, const JxClusterOptions *opt, int threads, JxError *err)
{
  JxJetStats st;
  int rc = jx_jetstats_compute (&st, &s->ds, 0, s->ds.n_jets, opt, threads, NULL, err);
  double *tau21 = rc == 0 ? malloc ((st.n_jets + 1) * sizeof *tau21) : NULL;
  if (rc == 0 && tau21 == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  int c_n = jx_observable_index ("n"), c_m = jx_observable_index ("mass");
  int c_t = jx_observable_index ("tau21"), c_z = jx_observable_index ("z1");
  for (size_t i = 0; rc == 0 && i < st.n_jets; i++)
    if (st.status[i] == 0)
      {
        size_t n = (size_t) jx_jetstats_value (&st, i, c_n);
        tau21[s->jets++] = jx_jetstats_value (&st, i, c_t);
        s->n_sum += n;
        s->small += n <= 2;
        s->m_sum += jx_jetstats_value (&st, i, c_m);
        s->z1_sum += jx_jetstats_value (&st, i, c_z);
      }
  s->skipped = st.n_failed;
  if (rc == 0 && s->jets > 0)
    {
      qsort (tau21, s->jets, sizeof *tau21, compare_double);
      s->tau21_median = s->jets % 2 ? tau21[s->jets / 2]
                                    : 0.5 * (tau21[s->jets / 2 - 1] + tau21[s->jets / 2]);
    }
  free (tau21);
  jx_jetstats_free (&st);
  return rc;
}

static void
print_table (const Sample *samples, size_t n_samples)
{
  printf ("%-22s %6s %7s %10s %13s %7s %7s %13s\n", "sample", "jets", "<n>", "<m> [GeV]",
          "median tau21", "<z1>", "n <= 2", "gen. jets/s");
  for (size_t i = 0; i < n_samples; i++)
    {
      const Sample *s = &samples[i];
      double nj = s->jets ? (double) s->jets : 1;
      double rate = s->stats.seconds > 0 ? (double) s->stats.jets_accepted / s->stats.seconds : 0;
      printf ("%-22s %6zu %7.2f %10.2f %13.3f %7.3f %6.1f%% %13.0f\n", s->title, s->jets,
              (double) s->n_sum / nj, s->m_sum / nj, s->tau21_median, s->z1_sum / nj,
              100.0 * (double) s->small / nj, rate);
    }
  for (size_t i = 0; i < n_samples; i++)
    if (samples[i].skipped > 0)
      printf ("%s: skipped %zu jet%s that cannot be clustered (no subjet above E_sub or bad "
              "momenta)\n", samples[i].title, samples[i].skipped, samples[i].skipped == 1 ? "" : "s");
}

static void
print_example (const Sample *s, const JxClusterOptions *opt, JxClusterWork *work)
{
  /* The first jet with a few branchings shows the sequence best. */
  for (size_t i = 0; i < s->ds.n_jets; i++)
    {
      JxTree tree = { 0 };
      JxError err = { 0 };
      if (jx_tree_build (&tree, jx_dataset_jet (&s->ds, i), jx_dataset_jet_size (&s->ds, i), opt,
                         work, &err) != 0 || tree.n < 6)
        {
          jx_tree_free (&tree);
          continue;
        }
      JxP4 jet = tree.nodes[tree.root].p;
      printf ("\nExample: %s, jet %zu: n = %zu subjets, E = %.1f GeV, m = %.2f GeV.\n"
              "Its C/A tree read from the root (step t splits the m_t-th hardest of the t\n"
              "momenta; z = E_soft/E_mother, theta/delta = soft/hard daughter angle to the\n"
              "mother, phi = azimuth of the soft daughter):\n",
              s->title, i, tree.n, jet.E, jx_p4_mass (jet));
      printf ("%5s %5s %12s %9s %10s %8s %10s\n", "t", "m_t", "E_mother", "z", "theta", "phi",
              "delta");
      size_t shown = tree.n - 1 < EXAMPLE_STEPS ? tree.n - 1 : EXAMPLE_STEPS;
      for (size_t t = 0; t < shown; t++)
        {
          const JxStep *st = &tree.steps[t];
          printf ("%5zu %5d %12.3f %9.5f %10.6f %8.4f %10.6f\n", t + 1, st->mother_index,
                  tree.nodes[st->mother].p.E, st->x.z, st->x.theta, st->x.phi, st->x.delta);
        }
      if (shown < tree.n - 1)
        printf ("%5s (%zu more steps; all of them: junipr cluster FILE --jets %zu --json)\n", "...",
                tree.n - 1 - shown, i);
      jx_tree_free (&tree);
      return;
    }
}

int
jx_cli_demo (int argc, char **argv)
{
  size_t n_jets = 2000, threads = (size_t) jx_cli_cpu_count ();
  uint64_t seed = 2018;
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_SIZE, .name = "jets", .letter = 'n', .target = &n_jets, .lo = 10,
      .hi = 100000, .value_name = "N", .help = "jets per sample, 10..100000", .dflt = "2000" },
    { .kind = JX_CLI_OPT_U64, .name = "seed", .target = &seed, .value_name = "S",
      .help = "random seed", .dflt = "2018" },
    { .kind = JX_CLI_OPT_SIZE, .name = "threads", .target = &threads, .lo = 1, .hi = 256,
      .value_name = "N", .help = "worker threads (results do not depend on it)",
      .dflt = "all CPUs" },
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 0, .args_what = "options", .intro = { usage_text },
                           .opts = opts, .n_opts = JX_CLI_N_OPTS (opts), .outro = next_text,
                           .help_col = 19, .dflt_col = 63 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc < 0 ? 0 : rc;

  Sample samples[2] = {
    { .title = "quark jets (qq)", .process = JX_PROCESS_QQ },
    { .title = "Z jets (ZZ -> 4q)", .process = JX_PROCESS_ZZ },
  };
  JxGenConfig cfg;
  jx_gen_config_default (&cfg);
  JxClusterOptions opt;
  jx_cluster_options_default (&opt);
  opt.esub = cfg.esub;
  opt.rsub = cfg.rsub;
  printf ("JUNIPR demo: built-in parton shower and cluster hadronisation (%s level),\n"
          "e+e- at sqrt(s) = %g GeV, alpha_s(m_Z) = %g, jets with %g < E_J < %g GeV;\n"
          "subjets C/A R_sub = %g, E_sub = %g GeV; %s trees.\n\n",
          jx_level_name (cfg.level), cfg.sqrt_s, cfg.alpha_s, cfg.e_lo, cfg.e_hi, cfg.rsub,
          cfg.esub, jx_cli_algorithm_title (opt.algorithm));
  fflush (stdout);

  JxError err = { 0 };
  JxClusterWork *work = jx_cluster_work_new ();
  for (size_t i = 0; i < 2; i++)
    jx_dataset_init (&samples[i].ds);
  for (size_t i = 0; i < 2 && rc == 0; i++)
    {
      Sample *s = &samples[i];
      cfg.process = s->process;
      cfg.seed = seed + i;
      cfg.threads = (int) threads;
      JxProgress *progress = jx_cli_progress_begin (s->title, false);
      rc = jx_generate (&cfg, n_jets, &s->ds, &s->stats, progress, &err);
      jx_cli_progress_end ();
      if (rc == 0)
        rc = analyse (s, &opt, (int) threads, &err);
    }
  if (rc == 0)
    {
      print_table (samples, 2);
      print_example (&samples[1], &opt, work);
      printf ("\nMore: 'junipr generate --process zz --jets 100000 -o zjets.h5', then\n"
              "'junipr info zjets.h5', 'junipr cluster zjets.h5 --jets 0:5 --json' and\n"
              "'junipr observables zjets.h5 -o zjets.csv'.\n");
    }
  jx_cluster_work_free (work);
  for (size_t i = 0; i < 2; i++)
    jx_dataset_free (&samples[i].ds);
  if (rc != 0)
    return jx_cli_fail_core (&err);
  return 0;
}
