/* bench-generator — throughput of the built-in generator and its summary statistics against
 * the reference numbers of PHYSICS.md §5–6.
 *
 *   bench-generator [--jets N] [--stats-jets N] [--window-jets N] [--no-speed] [--no-stats]
 *
 * Speed: jets/s at 1 and 2 threads for qq (pT_min 1 and 0.5) and zz, without windows (every
 * hemisphere jet kept; includes hemisphere clustering and the subjet step) and with the
 * windows (hemisphere jets examined per second, and kept jets per second).
 * Statistics: ⟨n⟩, ⟨m⟩, ⟨τ21⟩, ⟨z1⟩ and acceptances for the paper's samples.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jx-cluster.h"
#include "jx-dataset.h"
#include "jx-generator.h"
#include "jx-observables.h"

typedef struct {
  const char *name;
  JxProcess process;
  double pt_min;
} SpeedCase;

/* Process CPU seconds: on a shared machine jets per CPU-second is the fair per-core rate. */
static double
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static double last_cpu;

static int
run (const JxGenConfig *cfg, size_t n_jets, JxDataset *ds, JxGenStats *st)
{
  JxError err = { 0 };
  jx_dataset_init (ds);
  double c0 = cpu_seconds ();
  int rc = jx_generate (cfg, n_jets, ds, st, NULL, &err);
  last_cpu = cpu_seconds () - c0;
  if (rc < 0)
    fprintf (stderr, "bench-generator: %s\n", err.message);
  return rc;
}

static void
speed_table (size_t n_jets)
{
  static const SpeedCase cases[] = {
    { "qq pT_min 1", JX_PROCESS_QQ, 1.0 },
    { "qq pT_min 0.5", JX_PROCESS_QQ, 0.5 },
    { "zz pT_min 1", JX_PROCESS_ZZ, 1.0 },
  };
  printf ("Speed (%zu stored jets per run; hemisphere jets per wall second and per CPU second;"
          " partons, emissions, trials per event)\n", n_jets);
  printf ("%-15s %-11s %7s %13s %13s %13s %9s %9s %9s\n", "case", "windows", "threads",
          "hemi jets/s", "hemi jets/cpu", "kept jets/s", "partons", "emiss.", "trials");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    for (int win = 0; win < 2; win++)
      for (int threads = 1; threads <= 2; threads++)
        {
          JxGenConfig cfg;
          jx_gen_config_default (&cfg);
          cfg.process = cases[c].process;
          cfg.pt_min = cases[c].pt_min;
          cfg.threads = threads;
          cfg.e_window = win;
          cfg.m_window = win && cases[c].process == JX_PROCESS_ZZ;
          JxDataset ds;
          JxGenStats st;
          if (run (&cfg, n_jets, &ds, &st) == 0)
            printf ("%-15s %-11s %7d %13.0f %13.0f %13.0f %9.2f %9.2f %9.2f\n", cases[c].name,
                    win ? (cfg.m_window ? "E and m" : "E") : "none", threads,
                    (double) st.jets_tried / st.seconds, (double) st.jets_tried / last_cpu,
                    (double) st.jets_accepted / st.seconds,
                    (double) st.partons / (double) st.events,
                    (double) st.emissions / (double) st.events,
                    (double) st.trials / (double) st.events);
          jx_dataset_free (&ds);
        }
  printf ("\n");
}

typedef struct {
  double sum, sum2;
  size_t n;
} Mean;

static void
mean_add (Mean *m, double x)
{
  m->sum += x;
  m->sum2 += x * x;
  m->n++;
}

static double
mean_of (const Mean *m)
{
  return m->n ? m->sum / (double) m->n : NAN;
}

static double
mean_err (const Mean *m)
{
  if (m->n < 2)
    return NAN;
  double mu = mean_of (m);
  return sqrt (fmax (0, m->sum2 / (double) m->n - mu * mu) / (double) (m->n - 1));
}

typedef struct {
  const char *name;
  JxProcess process;
  double alpha_s;
  bool m_window;
  /* PHYSICS.md §5–6.1 reference: ⟨n⟩, ⟨m⟩, ⟨τ21⟩, ⟨z1⟩, E acceptance, m acceptance (NAN: none),
   * ⟨τ21⟩ for n ≥ 3 */
  double ref[7];
} Sample;

static void
stats_row (const Sample *s, size_t n_jets)
{
  JxGenConfig cfg;
  jx_gen_config_default (&cfg);
  cfg.process = s->process;
  cfg.alpha_s = s->alpha_s;
  cfg.m_window = s->m_window;
  JxDataset ds;
  JxGenStats st;
  if (run (&cfg, n_jets, &ds, &st) < 0)
    return;
  JxClusterWork *cw = jx_cluster_work_new ();
  JxP4 *sub = NULL;
  size_t cap = 0;
  Mean mn = { 0 }, mm = { 0 }, mt = { 0 }, mz = { 0 }, mt3 = { 0 };
  for (size_t i = 0; i < ds.n_jets; i++)
    {
      size_t n = jx_dataset_jet_size (&ds, i), ns = 0;
      if (n > cap)
        {
          cap = 2 * n;
          sub = realloc (sub, cap * sizeof *sub);
        }
      jx_subjets (jx_dataset_jet (&ds, i), n, cfg.rsub, cfg.esub, sub, &ns, cw);
      JxObservables obs;
      JxError err;
      if (ns == 0 || jx_observables_compute (sub, ns, &obs, cw, &err) < 0)
        continue;
      mean_add (&mn, (double) obs.n);
      mean_add (&mm, obs.mass);
      mean_add (&mt, obs.tau21);
      if (obs.n >= 3)
        mean_add (&mt3, obs.tau21);
      mean_add (&mz, obs.z1);
    }
  double acc_e = (double) st.jets_in_e_window / (double) st.jets_tried;
  double acc_m = (double) st.jets_accepted / (double) st.jets_in_e_window;
  double acc_m_err = sqrt (acc_m * (1 - acc_m) / (double) st.jets_in_e_window);
  printf ("%-22s %7zu  %5.3f±%5.3f (%5.2f)  %6.2f±%4.2f (%5.1f)  %5.3f±%5.3f (%5.3f)  "
          "%5.3f±%5.3f (%5.3f)  %5.3f±%5.3f (%5.3f)  %6.4f (%6.4f)", s->name, ds.n_jets,
          mean_of (&mn), mean_err (&mn), s->ref[0], mean_of (&mm), mean_err (&mm), s->ref[1],
          mean_of (&mt), mean_err (&mt), s->ref[2], mean_of (&mt3), mean_err (&mt3), s->ref[6],
          mean_of (&mz), mean_err (&mz), s->ref[3], acc_e, s->ref[4]);
  if (s->m_window)
    printf ("  %7.5f±%7.5f (%7.5f)", acc_m, acc_m_err, s->ref[5]);
  printf ("  [%.1f s, %llu events]\n", st.seconds, (unsigned long long) st.events);
  free (sub);
  jx_cluster_work_free (cw);
  jx_dataset_free (&ds);
}

int
main (int argc, char **argv)
{
  size_t n_speed = 200000, n_stats = 100000, n_window = 1000;
  bool speed = true, stats = true;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--jets") == 0 && i + 1 < argc)
        n_speed = strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--stats-jets") == 0 && i + 1 < argc)
        n_stats = strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--window-jets") == 0 && i + 1 < argc)
        n_window = strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--no-speed") == 0)
        speed = false;
      else if (strcmp (argv[i], "--no-stats") == 0)
        stats = false;
      else
        {
          fprintf (stderr, "usage: bench-generator [--jets N] [--stats-jets N] "
                   "[--window-jets N] [--no-speed] [--no-stats]\n");
          return 1;
        }
    }
  if (speed)
    speed_table (n_speed);
  if (stats)
    {
      const Sample samples[] = {
        { "quark 0.1365", JX_PROCESS_QQ, 0.1365, false, { 5.13, 93.5, 0.318, 0.054, 0.9157, NAN, 0.371 } },
        { "quark 0.11", JX_PROCESS_QQ, 0.11, false, { 3.63, 77.6, 0.243, NAN, 0.9301, NAN, 0.321 } },
        { "Z, 90.7-91.7", JX_PROCESS_ZZ, 0.1365, true, { 4.17, 91.20, 0.203, 0.179, 1.0, 0.2229, 0.231 } },
        { "quark, 90.7-91.7", JX_PROCESS_QQ, 0.1365, true,
          { 5.65, 91.19, 0.386, 0.039, 0.9157, 0.00470, 0.394 } },
      };
      printf ("Summary statistics, mean ± error (PHYSICS.md reference in brackets); subjets "
              "R_sub 0.1, E_sub 1 GeV; threads = all cores\n");
      printf ("%-22s %7s  %-20s  %-19s  %-21s  %-21s  %-21s  %-15s  %s\n", "sample", "jets",
              "<n>", "<m> GeV", "<tau21>", "<tau21> n>=3", "<z1>", "E acceptance",
              "m acceptance (given E)");
      for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++)
        stats_row (&samples[s], samples[s].m_window ? n_window * (s == 2 ? 10 : 1) : n_stats);
    }
  return 0;
}
