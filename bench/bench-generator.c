/* bench-generator — throughput of the built-in generator at parton and hadron level, the two
 * measured multiplicity anchors of the hadronisation tune, and jet observables before
 * (parton) and after (hadron) hadronisation (docs/HADRONIZATION.md §4–5).
 *
 *   bench-generator [--speed] [--anchors] [--observables]   (none given: all three)
 *                   [--jets N] [--lep-events N] [--anchor-jets N] [--obs-jets N]
 *                   [--window-jets N] [--pt-min P] [--cluster CLMAX,CLPOW,PSPLIT]
 *                   [--gluon-mass M] [--strange-weight W] [--stable]
 *
 * Speed: hemisphere jets per wall second and per CPU second at 1 and 2 threads, parton level
 * and hadron level in the same run, without windows (every hemisphere jet kept: the shower,
 * hadronisation and hemisphere clustering) and with the windows (plus the subjet step where
 * the windows' verdict needs it).
 * Anchors: ⟨n_ch⟩ of e+e- → hadrons at √s = 91.2 GeV against the PDG average of the LEP
 * measurements, and the subjet multiplicity of 500 GeV quark jets against the JUNIPR paper's
 * Pythia 8 sample. The hadron-level options (--pt-min, --cluster, ...) override the defaults
 * for tuning; they apply to the anchors and to the hadron-level observables. --stable keeps
 * π⁰ and K⁰ undecayed (docs/HADRONIZATION.md §2.6 says why they decay by default).
 * Observables: ⟨n⟩, m, τ21, z1 (mean ± error and 10/50/90 % quantiles) of quark and Z jets.
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

/* The anchors (docs/HADRONIZATION.md §4). */
#define LEP_SQRT_S 91.2
#define LEP_NCH 20.76       /* PDG average of the LEP measurements */
#define LEP_NCH_ERR 0.16
#define PAPER_NSUB 11.0     /* read off the authors' validation plot of 22,000 quark jets */

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

/* The hadron-level configuration with the command line's overrides. */
static JxGenConfig hadron_cfg;

static void
config (JxGenConfig *cfg, JxProcess process, JxLevel level)
{
  if (level == JX_LEVEL_HADRON)
    *cfg = hadron_cfg;
  else
    jx_gen_config_default_level (cfg, JX_LEVEL_PARTON);
  cfg->process = process;
}

/* Runs per cell; the fastest counts (the machine is shared: the others lost time to load). */
#define SPEED_REPEATS 3

static void
speed_table (size_t n_jets)
{
  static const struct {
    const char *name;
    JxProcess process;
    JxLevel level;
  } cases[] = {
    { "qq parton", JX_PROCESS_QQ, JX_LEVEL_PARTON },
    { "qq hadron", JX_PROCESS_QQ, JX_LEVEL_HADRON },
    { "zz parton", JX_PROCESS_ZZ, JX_LEVEL_PARTON },
    { "zz hadron", JX_PROCESS_ZZ, JX_LEVEL_HADRON },
  };
  printf ("Speed (%zu stored jets per run, best of %d; hemisphere jets per wall second and per "
          "CPU second; shower partons, final particles, emissions, trials per event)\n", n_jets,
          SPEED_REPEATS);
  printf ("%-10s %6s %-8s %7s %11s %13s %11s %8s %9s %7s %7s\n", "case", "pT_min", "windows",
          "threads", "hemi jets/s", "hemi jets/cpu", "kept jets/s", "partons", "particles",
          "emiss.", "trials");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    for (int win = 0; win < 2; win++)
      for (int threads = 1; threads <= 2; threads++)
        {
          JxGenConfig cfg;
          config (&cfg, cases[c].process, cases[c].level);
          cfg.threads = threads;
          cfg.e_window = win;
          cfg.m_window = win && cases[c].process == JX_PROCESS_ZZ;
          JxGenStats st = { 0 };
          double wall = INFINITY, cpu = INFINITY;
          for (int r = 0; r < SPEED_REPEATS; r++)
            {
              JxDataset ds;
              if (run (&cfg, n_jets, &ds, &st) < 0)
                return;
              wall = fmin (wall, st.seconds);
              cpu = fmin (cpu, last_cpu);
              jx_dataset_free (&ds);
            }
          printf ("%-10s %6.2f %-8s %7d %11.0f %13.0f %11.0f %8.2f %9.2f %7.2f %7.2f\n",
                  cases[c].name, cfg.pt_min, win ? (cfg.m_window ? "E and m" : "E") : "none",
                  threads, (double) st.jets_tried / wall, (double) st.jets_tried / cpu,
                  (double) st.jets_accepted / wall, (double) st.partons / (double) st.events,
                  (double) st.particles / (double) st.events,
                  (double) st.emissions / (double) st.events,
                  (double) st.trials / (double) st.events);
        }
  printf ("\n");
}

/* ---- distributions ------------------------------------------------------------------- */

typedef struct {
  double *x;
  size_t n, cap;
  double sum, sum2;
} Dist;

static void
dist_add (Dist *d, double x)
{
  if (d->n == d->cap)
    {
      d->cap = d->cap ? 2 * d->cap : 1024;
      d->x = realloc (d->x, d->cap * sizeof *d->x);
      if (d->x == NULL)
        {
          fprintf (stderr, "bench-generator: out of memory\n");
          exit (1);
        }
    }
  d->x[d->n++] = x;
  d->sum += x;
  d->sum2 += x * x;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
dist_mean (const Dist *d)
{
  return d->n ? d->sum / (double) d->n : NAN;
}

static double
dist_err (const Dist *d)
{
  if (d->n < 2)
    return NAN;
  double mu = dist_mean (d);
  return sqrt (fmax (0, d->sum2 / (double) d->n - mu * mu) / (double) (d->n - 1));
}

/* The smallest value with at least a fraction q of the sample at or below it. */
static double
dist_quantile (Dist *d, double q)
{
  if (d->n == 0)
    return NAN;
  qsort (d->x, d->n, sizeof *d->x, cmp_double);
  size_t k = (size_t) ceil (q * (double) d->n);
  return d->x[k > 0 ? k - 1 : 0];
}

static void
dist_free (Dist *d)
{
  free (d->x);
  memset (d, 0, sizeof *d);
}

/* Observables of every stored jet of ds from its subjets. */
typedef struct {
  Dist n, m, tau21, z1;
} JetDists;

static void
jet_dists (const JxDataset *ds, double rsub, double esub, JetDists *out)
{
  JxClusterWork *cw = jx_cluster_work_new ();
  JxP4 *sub = NULL;
  size_t cap = 0;
  memset (out, 0, sizeof *out);
  for (size_t i = 0; i < ds->n_jets; i++)
    {
      size_t n = jx_dataset_jet_size (ds, i), ns = 0;
      if (n > cap)
        {
          cap = 2 * n;
          sub = realloc (sub, cap * sizeof *sub);
        }
      jx_subjets (jx_dataset_jet (ds, i), n, rsub, esub, sub, &ns, cw);
      JxObservables obs;
      JxError err;
      if (ns == 0 || jx_observables_compute (sub, ns, &obs, cw, &err) < 0)
        continue;
      dist_add (&out->n, (double) obs.n);
      dist_add (&out->m, obs.mass);
      dist_add (&out->tau21, obs.tau21);
      dist_add (&out->z1, obs.z1);
    }
  free (sub);
  jx_cluster_work_free (cw);
}

static void
jet_dists_free (JetDists *d)
{
  dist_free (&d->n);
  dist_free (&d->m);
  dist_free (&d->tau21);
  dist_free (&d->z1);
}

/* ---- anchors ------------------------------------------------------------------------- */

static void
lep_anchor (size_t n_events)
{
  JxGenConfig cfg = hadron_cfg;
  cfg.sqrt_s = LEP_SQRT_S;
  cfg.e_window = false;
  JxError err = { 0 };
  JxGenWorker *w = jx_gen_worker_new (&cfg, &err);
  if (w == NULL)
    {
      fprintf (stderr, "bench-generator: %s\n", err.message);
      return;
    }
  Dist nch = { 0 };
  double species[JX_N_HADRON_SPECIES] = { 0 }, partons = 0, clusters = 0;
  for (size_t e = 0; e < n_events; e++)
    {
      const JxP4 *p;
      size_t n;
      if (jx_gen_event (w, e, &p, &n, &err) < 0)
        {
          fprintf (stderr, "bench-generator: %s\n", err.message);
          break;
        }
      const JxHadronEvent *h = jx_gen_worker_hadrons (w);
      int charged = 0;
      for (size_t i = 0; i < h->n; i++)
        {
          charged += jx_hadron_charge (h->hadrons[i].species) != 0;
          species[h->hadrons[i].species]++;
        }
      dist_add (&nch, charged);
      partons += h->counts.partons;
      clusters += (double) h->n_clusters;
    }
  double ne = (double) nch.n;
  double mean = dist_mean (&nch), sd = dist_err (&nch) * sqrt (ne);
  printf ("e+e- -> hadrons at sqrt(s) = %.1f GeV, %zu events (hadron level, pT_min %.2f GeV, "
          "partons %.2f, final clusters %.2f per event)\n", LEP_SQRT_S, nch.n, cfg.pt_min,
          partons / ne, clusters / ne);
  printf ("  <n_ch>          ours %6.3f ± %5.3f (dispersion %.2f)   LEP (PDG average) %.2f ± %.2f"
          " (experiments 20.5-21.2)\n", mean, dist_err (&nch), sd, LEP_NCH, LEP_NCH_ERR);
  /* Information, not tuned: the model has no resonances and no baryons (§2.5). */
  printf ("  per event       pi+- %.2f (PDG 17.03)  K+- %.2f (2.24)  K0_L %.2f  photons %.2f\n",
          (species[JX_HADRON_PI_PLUS] + species[JX_HADRON_PI_MINUS]) / ne,
          (species[JX_HADRON_K_PLUS] + species[JX_HADRON_K_MINUS]) / ne,
          species[JX_HADRON_K_LONG] / ne, species[JX_HADRON_GAMMA] / ne);
  dist_free (&nch);
  jx_gen_worker_free (w);
}

static void
paper_anchor (size_t n_jets)
{
  printf ("Quark jets (e+e- -> q qbar at 1 TeV, 450 < E_J < 550 GeV), subjets R_sub 0.1, "
          "E_sub 1 GeV, %zu jets per level\n", n_jets);
  printf ("  %-8s %6s %13s %6s %6s %6s %8s %13s\n", "level", "pT_min", "<n_sub>", "q10",
          "q50", "q90", "min-max", "n <= 2");
  for (int level = JX_LEVEL_PARTON; level <= JX_LEVEL_HADRON; level++)
    {
      JxGenConfig cfg;
      config (&cfg, JX_PROCESS_QQ, (JxLevel) level);
      JxDataset ds;
      JxGenStats st;
      if (run (&cfg, n_jets, &ds, &st) < 0)
        return;
      JetDists d;
      jet_dists (&ds, cfg.rsub, cfg.esub, &d);
      double mean = dist_mean (&d.n), err = dist_err (&d.n);
      double q10 = dist_quantile (&d.n, 0.1), q50 = dist_quantile (&d.n, 0.5);
      double q90 = dist_quantile (&d.n, 0.9), lo = d.n.x[0], hi = d.n.x[d.n.n - 1];
      size_t le2 = 0;
      while (le2 < d.n.n && d.n.x[le2] <= 2)
        le2++;
      printf ("  %-8s %6.2f %6.3f ± %4.3f %6.0f %6.0f %6.0f %4.0f-%-3.0f %12.1f%%\n",
              jx_level_name ((JxLevel) level), cfg.pt_min, mean, err, q10, q50, q90, lo, hi,
              100.0 * (double) le2 / (double) d.n.n);
      jet_dists_free (&d);
      jx_dataset_free (&ds);
    }
  printf ("  %-8s %6s %13s %6s %6s %6s %8s\n", "paper", "", "~11", "7", "11", "15", "4-26");
  printf ("  (the paper's Pythia 8 quark jets, read off its public validation plot of "
          "22,000 jets)\n\n");
}

/* ---- observables before and after ---------------------------------------------------- */

static void
print_dist (const char *name, Dist *d, int digits)
{
  printf ("  %-6s %.*f ± %.*f (%.*f/%.*f/%.*f)", name, digits, dist_mean (d), digits,
          dist_err (d), digits, dist_quantile (d, 0.1), digits, dist_quantile (d, 0.5), digits,
          dist_quantile (d, 0.9));
}

static void
observables_table (size_t n_jets, size_t n_window)
{
  static const struct {
    const char *name;
    JxProcess process;
    bool m_window;
  } samples[] = {
    { "quark", JX_PROCESS_QQ, false },
    { "Z", JX_PROCESS_ZZ, false },
    { "Z, 90.7-91.7", JX_PROCESS_ZZ, true },
    { "quark, 90.7-91.7", JX_PROCESS_QQ, true },
  };
  printf ("Jet observables from the subjets (R_sub 0.1, E_sub 1 GeV; E window 450-550 GeV): "
          "mean ± error (10/50/90 %% quantiles)\n");
  for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++)
    for (int level = JX_LEVEL_PARTON; level <= JX_LEVEL_HADRON; level++)
      {
        JxGenConfig cfg;
        config (&cfg, samples[s].process, (JxLevel) level);
        cfg.m_window = samples[s].m_window;
        size_t n = samples[s].m_window ? (samples[s].process == JX_PROCESS_ZZ ? 10 : 1) * n_window
                                       : n_jets;
        JxDataset ds;
        JxGenStats st;
        if (run (&cfg, n, &ds, &st) < 0)
          return;
        JetDists d;
        jet_dists (&ds, cfg.rsub, cfg.esub, &d);
        printf ("%-17s %-6s %6zu jets", samples[s].name, jx_level_name ((JxLevel) level),
                ds.n_jets);
        print_dist ("n", &d.n, 2);
        print_dist ("m", &d.m, 1);
        print_dist ("tau21", &d.tau21, 3);
        print_dist ("z1", &d.z1, 3);
        if (cfg.m_window)
          printf ("  m acceptance %.5f", (double) st.jets_accepted / (double) st.jets_in_e_window);
        printf ("\n");
        jet_dists_free (&d);
        jx_dataset_free (&ds);
      }
  printf ("\n");
}

static int
usage (void)
{
  fprintf (stderr, "usage: bench-generator [--speed] [--anchors] [--observables] [--jets N] "
           "[--lep-events N] [--anchor-jets N] [--obs-jets N] [--window-jets N] [--pt-min P] "
           "[--cluster CLMAX,CLPOW,PSPLIT] [--gluon-mass M] [--strange-weight W] [--stable]\n");
  return 1;
}

int
main (int argc, char **argv)
{
  size_t n_speed = 100000, n_lep = 20000, n_anchor = 20000, n_obs = 20000, n_window = 500;
  bool speed = false, anchors = false, observables = false;
  jx_gen_config_default_level (&hadron_cfg, JX_LEVEL_HADRON);
  for (int i = 1; i < argc; i++)
    {
      const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
      if (strcmp (a, "--speed") == 0)
        speed = true;
      else if (strcmp (a, "--stable") == 0)
        hadron_cfg.hadron.decays = false;
      else if (strcmp (a, "--anchors") == 0)
        anchors = true;
      else if (strcmp (a, "--observables") == 0)
        observables = true;
      else if (v == NULL)
        return usage ();
      else if (strcmp (a, "--jets") == 0)
        n_speed = strtoull (argv[++i], NULL, 10);
      else if (strcmp (a, "--lep-events") == 0)
        n_lep = strtoull (argv[++i], NULL, 10);
      else if (strcmp (a, "--anchor-jets") == 0)
        n_anchor = strtoull (argv[++i], NULL, 10);
      else if (strcmp (a, "--obs-jets") == 0)
        n_obs = strtoull (argv[++i], NULL, 10);
      else if (strcmp (a, "--window-jets") == 0)
        n_window = strtoull (argv[++i], NULL, 10);
      else if (strcmp (a, "--pt-min") == 0)
        hadron_cfg.pt_min = strtod (argv[++i], NULL);
      else if (strcmp (a, "--gluon-mass") == 0)
        hadron_cfg.hadron.gluon_mass = strtod (argv[++i], NULL);
      else if (strcmp (a, "--strange-weight") == 0)
        hadron_cfg.hadron.strange_weight = strtod (argv[++i], NULL);
      else if (strcmp (a, "--cluster") == 0)
        {
          JxHadronParams *hp = &hadron_cfg.hadron;
          if (sscanf (argv[++i], "%lf,%lf,%lf", &hp->cl_max, &hp->cl_pow, &hp->p_split) != 3)
            return usage ();
        }
      else
        return usage ();
    }
  JxError err = { 0 };
  if (jx_gen_config_validate (&hadron_cfg, &err) < 0)
    {
      fprintf (stderr, "bench-generator: %s\n", err.message);
      return 1;
    }
  if (!speed && !anchors && !observables)
    speed = anchors = observables = true;
  const JxHadronParams *hp = &hadron_cfg.hadron;
  printf ("Hadron level: pT_min %.3g GeV, Cl_max %.3g GeV, Cl_pow %.3g, P_split %.3g, m_g %.3g "
          "GeV, strange weight %.3g%s; parton level: pT_min 1 GeV\n\n", hadron_cfg.pt_min,
          hp->cl_max, hp->cl_pow, hp->p_split, hp->gluon_mass, hp->strange_weight,
          hp->decays ? "" : ", no particle decays");
  if (anchors)
    {
      lep_anchor (n_lep);
      paper_anchor (n_anchor);
    }
  if (speed)
    speed_table (n_speed);
  if (observables)
    observables_table (n_obs, n_window);
  return 0;
}
