/* jx-cli-sample.c — `junipr sample`: draw jets from a model, emission by emission. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-model.h"
#include "jx-cli-dataset.h"
#include "jx-cli-mpi.h"
#include "jx-cli-options.h"
#include "jx-gather.h"
#include "jx-jetstats-stream.h"
#include "jx-model-io.h"
#include "jx-sample.h"

static const char usage_text[] =
  "Usage: junipr sample MODEL.h5 --jets N -o OUT.h5 [OPTIONS]\n"
  "\n"
  "Draw N jets from a JUNIPR model one emission at a time (end? which mother? which\n"
  "branching?), starting from a jet momentum. OUT is a junipr dataset (the final particles,\n"
  "usable by every other command) plus /sample/...: per jet the seed momentum, ln P_jet and\n"
  "status, per step the mother index and (z, theta, phi, delta) drawn, so each shower can be\n"
  "replayed step by step. Draws that would give a daughter a negative mass^2 are redrawn and\n"
  "counted. Jet i is drawn from its own random stream, so under mpirun (mpirun -np N junipr\n"
  "sample ...) the ranks draw their shares of the jets and rank 0 writes the file one process\n"
  "writes.\n"
  "\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr sample quark-model.h5 --jets 10000 --seeds-from quarks.h5 --seed 7 -o sampled.h5\n"
  "  junipr observables sampled.h5 -o sampled.csv\n";

typedef struct {
  const char *model, *output, *seeds_from;
  size_t n_jets;
  uint64_t seed;
  double energy, mass;
  JxSampleOptions opt;
  bool quiet, have_jets;
} Args;

/* The sampled showers stay in memory until they are written: about 2 kB per jet with the
 * demo models (measured: 20000 and 80000 jets), more for busier models. A request that
 * cannot fit even at 1 kB per jet is refused before hours of sampling end in the OOM killer. */
#define MIN_BYTES_PER_JET 1024.0

static int
check_memory (size_t n_jets)
{
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0)
    return 0;
  double have = (double) pages * (double) page, need = (double) n_jets * MIN_BYTES_PER_JET;
  if (need <= have)
    return 0;
  return jx_cli_fail ("--jets %zu needs at least %.0f GB of memory for the sampled showers "
                      "(command line; 1 kB per jet or more, this machine has %.0f GB): draw at "
                      "most %.0f jets per run, with different --seed values", n_jets,
                      need / 1e9, have / 1e9, floor (have / MIN_BYTES_PER_JET / 2));
}

static int
parse_cell (const char *opt, const char *value, void *target)
{
  if (jx_cell_sampling_parse (value, target, NULL) != 0)
    return jx_cli_fail ("%s '%s' (command line): use massless, uniform or linear", opt, value);
  return 0;
}

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  args->seed = 1;
  args->energy = 500;
  args->mass = 91.2;
  jx_sample_options_default (&args->opt);
  args->opt.threads = jx_cli_cpu_count ();
  JxSampleOptions *o = &args->opt;
  const JxCliOpt opts[] = {
    { .kind = JX_CLI_OPT_SECTION, .help = "Jet momentum (the shower's start):" },
    { .kind = JX_CLI_OPT_RANGED, .name = "jet-energy", .target = &args->energy,
      .value_name = "E", .help = "jet energy in GeV, along +z", .dflt = "500" },
    { .kind = JX_CLI_OPT_RANGED, .name = "jet-mass", .target = &args->mass, .value_name = "M",
      .help = "jet mass in GeV", .dflt = "91.2" },
    { .kind = JX_CLI_OPT_STRING, .name = "seeds-from", .target = &args->seeds_from,
      .value_name = "DATA", .help = "instead, draw each jet's momentum from the jets of DATA\n"
                                    "(sum of the subjets the model's clustering keeps)" },
    { .kind = JX_CLI_OPT_SECTION, .help = "Options:" },
    { .kind = JX_CLI_OPT_RANGED_SIZE, .name = "jets", .letter = 'n', .target = &args->n_jets,
      .seen = &args->have_jets, .value_name = "N", .help = "number of jets to draw",
      .dflt = "required" },
    JX_CLI_ROW_SEED (&args->seed, "random seed (same seed: same jets, any --threads)"),
    { .kind = JX_CLI_OPT_PARSE, .name = "cell", .target = &o->cell, .parse = parse_cell,
      .value_name = "MODE", .dflt = "massless",
      .help = "point inside the drawn cell: massless | uniform | linear\n"
              "massless: where the cell allows, the soft (else the hard)\n"
              "daughter is massless, as final particles are in clustered\n"
              "data, and both are at the rate of the model's training data\n"
              "('junipr info'); soft daughters keep E >= E_sub and only\n"
              "particles with mass and E >= 2 E_sub split. uniform,\n"
              "linear (interpolated between neighbouring cells): the paper's;\n"
              "their daughters all have mass, so showers run long" },
    { .kind = JX_CLI_OPT_RANGED_INT, .name = "max-length", .target = &o->max_length,
      .value_name = "L", .help = "at most L particles per jet", .dflt = "model's M" },
    { .kind = JX_CLI_OPT_RANGED_INT, .name = "max-redraws", .target = &o->max_redraws,
      .value_name = "R", .help = "rejected draws allowed in one state before the jet stops",
      .dflt = "1000" },
    JX_CLI_ROW_THREADS (&o->threads, "worker threads"),
    JX_CLI_ROW_OUTPUT (&args->output, "output file (HDF5, written atomically)", "required"),
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display or summary"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "model file",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 26, .dflt_col = 75, .width = 86,
                           .show_help = jx_cli_is_root };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->model = argv[first];
  if (!args->have_jets)
    return jx_cli_fail ("missing --jets (command line): say how many jets to draw, e.g. --jets 1000");
  if (args->output == NULL)
    return jx_cli_fail ("missing -o (command line): say where to write the jets, e.g. -o sampled.h5");
  if (args->mass >= args->energy)
    return jx_cli_fail ("--jet-mass %g is not below --jet-energy %g (command line): a jet needs "
                        "E > m", args->mass, args->energy);
  if ((rc = jx_cli_check_input (args->model)) != 0)
    return rc;
  if (args->seeds_from != NULL && (rc = jx_cli_check_input (args->seeds_from)) != 0)
    return rc;
  if ((rc = check_memory (args->n_jets)) != 0)
    return rc;
  return jx_cli_check_output ("-o", args->output);
}

/* Under mpirun: every rank's seed momenta to every rank, in rank order (= file order). */
static int
share_seeds (JxP4 **seeds, size_t *n_seeds)
{
  const JxComm *c = jx_cli_comm ();
  if (!jx_comm_parallel (c))
    return 0;
  uint64_t *counts = malloc ((size_t) c->size * sizeof *counts);
  size_t *bytes = malloc ((size_t) c->size * sizeof *bytes);
  size_t n = (size_t) jx_comm_sum_u64 (c, *n_seeds);
  JxP4 *all = malloc ((n + 1) * sizeof *all);
  int rc = jx_cli_agree (counts != NULL && bytes != NULL && all != NULL
                         ? 0 : jx_cli_fail ("out of memory for %zu jet momenta", n));
  if (rc == 0)
    {
      jx_comm_allgather_u64 (c, *n_seeds, counts);
      for (int r = 0; r < c->size; r++)
        bytes[r] = (size_t) counts[r] * sizeof (JxP4);
      jx_comm_allgatherv (c, *seeds, all, bytes);
      free (*seeds);
      *seeds = all;
      *n_seeds = n;
    }
  else
    free (all);
  free (counts);
  free (bytes);
  return rc;
}

/* Under mpirun: the skipped jets' counts summed over the ranks, for rank 0's one line. */
static int
sum_skips (JxSeedSkips *s)
{
  const JxComm *c = jx_cli_comm ();
  if (!jx_comm_parallel (c))
    return 0;
  s->n_invalid = (size_t) jx_comm_sum_u64 (c, s->n_invalid);
  s->n_no_subjets = (size_t) jx_comm_sum_u64 (c, s->n_no_subjets);
  s->n_massless = (size_t) jx_comm_sum_u64 (c, s->n_massless);
  s->n_spacelike = (size_t) jx_comm_sum_u64 (c, s->n_spacelike);
  return 0;
}

/* The jets' momenta as the model sees them: the sum of the subjets its clustering keeps.
 * Jets that cannot seed a shower are skipped and counted (one line on stderr, summed over the
 * ranks under mpirun, where each rank reads and clusters its share of the file and all get all). */
static int
seeds_from_data (const char *path, const JxModelMeta *meta, int threads, JxP4 **seeds,
                 size_t *n_seeds, bool quiet)
{
  *seeds = NULL;
  *n_seeds = 0;
  int rc;
  JxError err = { 0 };
  JxSeedSkips skips = { 0 };
  if (jx_comm_parallel (jx_cli_comm ()))
    {
      /* under mpirun: this rank's share; the seeds are then shared by all ranks */
      JxDataset ds;
      if ((rc = jx_cli_load_dataset_share (path, &ds, 1, quiet)) != 0)
        return rc;
      if (jx_jetstats_seeds (&ds, &meta->clustering, threads, seeds, n_seeds, &skips, NULL,
                             &err) != 0)
        rc = jx_cli_fail_core (&err);
      jx_dataset_free (&ds);
    }
  else
    {
      /* one process: the file streamed, so memory is the seeds, not the file */
      JxDatasetStream *ds;
      if ((rc = jx_cli_open_dataset_stream (path, &ds)) != 0)
        return rc;
      if (jx_jetstats_seeds_stream (ds, &meta->clustering, threads, seeds, n_seeds, &skips,
                                    NULL, &err) != 0)
        rc = jx_cli_fail_core (&err);
      jx_dataset_stream_close (ds);
    }
  rc = jx_cli_agree (rc);
  if (rc == 0)
    rc = share_seeds (seeds, n_seeds);
  if (rc == 0)
    rc = sum_skips (&skips);
  if (rc == 0 && *n_seeds == 0)
    rc = jx_cli_fail ("%s: no jet can seed a shower (--seeds-from): each has nothing above the "
                      "model's E_sub = %g GeV or no mass; use another dataset or "
                      "--jet-energy/--jet-mass", path, meta->clustering.esub);
  else if (rc == 0 && jx_seed_skips_total (&skips) > 0 && jx_cli_is_root ())
    {
      char line[256];
      jx_seed_skips_describe (&skips, line, sizeof line);
      fprintf (stderr, "junipr sample: skipped %s in %s; the others are the seeds\n", line, path);
    }
  if (rc != 0)
    {
      free (*seeds);
      *seeds = NULL;
    }
  return rc;
}

static int
set_attrs (JxDataset *ds, const Args *a, size_t n_seeds, JxError *err)
{
  char buf[128];
  int rc = jx_dataset_set_attr (ds, "generator", "junipr sample", err);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "model", a->model, err);
  snprintf (buf, sizeof buf, "%llu", (unsigned long long) a->seed);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "seed", buf, err);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "cell_sampling", jx_cell_sampling_name (a->opt.cell), err);
  if (a->seeds_from != NULL)
    snprintf (buf, sizeof buf, "drawn from the %zu jets of the dataset", n_seeds);
  else
    snprintf (buf, sizeof buf, "E = %.17g GeV, m = %.17g GeV along +z", a->energy, a->mass);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "jet_momentum", buf, err);
  if (rc == 0 && a->seeds_from != NULL)
    rc = jx_dataset_set_attr (ds, "seeds_from", a->seeds_from, err);
  snprintf (buf, sizeof buf, "%d", a->opt.max_length);
  if (rc == 0)
    rc = jx_dataset_set_attr (ds, "max_length", buf, err);
  return rc;
}

/* Under mpirun: this rank's share of the jets, all ranks' in order on rank 0. */
static int
draw (const JxModel *model, const JxP4 *seeds, size_t n_seeds, Args *args, JxSampleSet *set,
      JxProgress *progress, JxError *err)
{
  const JxComm *c = jx_cli_comm ();
  size_t first, count;
  jx_comm_share (args->n_jets, jx_comm_size (c), jx_comm_rank (c), &first, &count);
  int rc = jx_sample_run_part (model, seeds, n_seeds, first, count, args->seed, &args->opt, set,
                               progress, err);
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
  rc = jx_comm_agree (c, rc, err);
  if (rc != 0 || !jx_comm_parallel (c))
    return rc;
  JxSampleSet whole;
  rc = jx_sample_set_gather (c, set, &whole, err);
  jx_sample_set_free (set);
  *set = whole;
  return rc;
}

int
jx_cli_sample (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc < 0)
    return 0;
  if ((rc = jx_cli_agree (rc)) != 0)
    return rc;
  bool root = jx_cli_is_root ();
  JxError err = { 0 };
  JxModel *model = NULL;
  JxModelMeta meta;
  jx_model_meta_init (&meta);
  if ((rc = jx_cli_agree (jx_cli_load_model (args.model, &model, &meta))) != 0)
    {
      jx_model_free (model);
      jx_model_meta_free (&meta);
      return rc;
    }
  jx_sample_options_use_meta (&args.opt, &meta);
  if (root && args.opt.cell == JX_CELL_MASSLESS && !meta.massless.measured)
    fprintf (stderr, "junipr sample: warning: %s has no massless statistics of its training "
             "data (trained by an older junipr): branchings are never put on the point where "
             "both daughters are massless; retrain it for closer showers\n", args.model);
  JxP4 one = jx_sample_seed_along_z (args.energy, args.mass), *seeds = &one;
  size_t n_seeds = 1;
  if (args.seeds_from != NULL
      && (rc = seeds_from_data (args.seeds_from, &meta, args.opt.threads, &seeds, &n_seeds, args.quiet)) != 0)
    {
      jx_model_free (model);
      jx_model_meta_free (&meta);
      return rc;
    }
  int M = jx_model_config (model)->max_mult;
  if (args.opt.max_length <= 0 || args.opt.max_length > M)
    args.opt.max_length = M;
  JxSampleSet set;
  double t0 = jx_cli_now ();
  JxProgress *progress = jx_cli_progress_begin ("sampling", args.quiet);
  rc = draw (model, seeds, n_seeds, &args, &set, progress, &err);
  if (rc == 0 && root)
    rc = set_attrs (&set.data, &args, n_seeds, &err);
  if (rc == 0 && root)
    rc = jx_sample_write (&set, args.output, progress, &err);
  rc = jx_comm_agree (jx_cli_comm (), rc, &err);
  jx_cli_progress_end ();
  double secs = jx_cli_now () - t0;
  if (seeds != &one)
    free (seeds);
  jx_model_free (model);
  jx_model_meta_free (&meta);
  if (rc != 0)
    {
      jx_sample_set_free (&set);
      return jx_cli_fail_core (&err);
    }
  if (!root)
    {
      jx_sample_set_free (&set);
      return 0;
    }
  if (set.n_stuck > 0)
    fprintf (stderr, "junipr sample: warning: %zu jet%s stopped after %d rejected draws in one "
             "state (kept, status 2); the model puts weight on unphysical branchings\n",
             set.n_stuck, set.n_stuck == 1 ? "" : "s", args.opt.max_redraws);
  if (!args.quiet)
    {
      size_t np = jx_dataset_n_particles (&set.data);
      printf ("junipr sample: wrote %s (%zu jets, mean multiplicity %.3f)\n", args.output,
              set.n_jets, set.n_jets > 0 ? (double) np / (double) set.n_jets : 0.0);
      printf ("  redrawn branchings (negative mass^2): %zu (%.4f per jet)\n", set.total_redrawn,
              set.n_jets > 0 ? (double) set.total_redrawn / (double) set.n_jets : 0.0);
      printf ("  truncated at --max-length %d: %zu; stuck: %zu\n", args.opt.max_length,
              set.n_truncated, set.n_stuck);
      int ranks = jx_comm_size (jx_cli_comm ());
      printf ("  %.2f s, %.0f jets/s on ", secs, secs > 0 ? (double) set.n_jets / secs : 0.0);
      if (ranks > 1)
        printf ("%d ranks × ", ranks);
      printf ("%d thread%s\n", args.opt.threads, args.opt.threads == 1 ? "" : "s");
    }
  jx_sample_set_free (&set);
  return 0;
}
