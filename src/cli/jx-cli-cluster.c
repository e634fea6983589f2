/* jx-cli-cluster.c — `junipr cluster`: jets → JUNIPR trees, as JSON lines or a summary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-options.h"
#include "jx-cli-dataset.h"
#include "jx-tree.h"

/* Jets shown row by row in the summary; beyond this only the aggregate. */
#define TABLE_ROWS 12

static const char usage_text[] =
  "Usage: junipr cluster DATA.h5 [OPTIONS]\n"
  "\n"
  "Cluster each jet into its JUNIPR tree (subjet step, then one binary tree) and print the\n"
  "declustering sequence read from the root: at step t the mother is the m-th hardest of\n"
  "the t momenta, split into (z, theta, phi, delta).\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr cluster quarks.h5 --jets 0:2 --json\n";

typedef struct {
  JxClusterOptions opt;
  bool json, skip_bad, quiet, have_slice;
  size_t a, b;
  const char *input, *output;
} Args;

static int
parse_args (int argc, char **argv, Args *args)
{
  memset (args, 0, sizeof *args);
  jx_cluster_options_default (&args->opt);
  args->b = SIZE_MAX;
  JxClusterOptions *c = &args->opt;
  JxCliSliceRef jets = { &args->a, &args->b, &args->have_slice };
  const JxCliOpt opts[] = {
    JX_CLI_ROW_ALGORITHM (&c->algorithm, NULL),
    { .kind = JX_CLI_OPT_PARSE, .name = "metric", .target = &c->metric,
      .parse = jx_cli_opt_metric, .value_name = "M",
      .help = "distances of the subjet step and the tree: ee (3-D\n"
              "angles, energies) or pp (FastJet's genkt: y-phi, kT)", .dflt = "ee" },
    JX_CLI_ROW_ESUB (&c->esub, "subjet energy cut in GeV, 0 = off"),
    JX_CLI_ROW_RSUB (&c->rsub, "subjet radius in rad, 0 = off"),
    { .kind = JX_CLI_OPT_PARSE, .name = "jets", .target = &jets, .parse = jx_cli_opt_slice,
      .value_name = "A:B", .help = "only jets A..B-1 (0-based; A:, :B or one index)",
      .dflt = "all" },
    { .kind = JX_CLI_OPT_FLAG, .name = "json", .target = &args->json,
      .help = "one JSON object per jet per line:\n"
              "{\"jet\": i, \"n\": n, \"steps\": [{\"mother\": m, \"E_mother\": E,\n"
              " \"z\": z, \"theta\": t, \"phi\": p, \"delta\": d}, ...]}\n"
              "(without it: a summary table)" },
    { .kind = JX_CLI_OPT_FLAG, .name = "skip-bad", .target = &args->skip_bad,
      .help = "skip (and count) jets that cannot be clustered instead of\n"
              "stopping at the first one" },
    { .kind = JX_CLI_OPT_STRING, .name = "output", .letter = 'o', .target = &args->output,
      .value_name = "FILE", .help = "write to FILE (atomically) instead of standard output" },
    JX_CLI_ROW_QUIET (&args->quiet, "no progress display"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "the input dataset DATA.h5",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 23, .dflt_col = 74 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc;
  args->input = argv[first];
  if (args->output != NULL && strcmp (args->output, "-") == 0)
    args->output = NULL;
  else if (args->output != NULL)
    rc = jx_cli_check_output ("-o", args->output);
  return rc;
}

static void
write_json (FILE *out, size_t index, const JxTree *tree)
{
  fprintf (out, "{\"jet\": %zu, \"n\": %zu, \"steps\": [", index, tree->n);
  for (size_t t = 0; t + 1 < tree->n; t++)
    {
      const JxStep *s = &tree->steps[t];
      fprintf (out, "%s{\"mother\": %d, \"E_mother\": %.17g, \"z\": %.17g, \"theta\": %.17g, "
               "\"phi\": %.17g, \"delta\": %.17g}", t ? ", " : "", s->mother_index,
               tree->nodes[s->mother].p.E, s->x.z, s->x.theta, s->x.phi, s->x.delta);
    }
  fputs ("]}\n", out);
}

/* Aggregate statistics for the summary table. */
typedef struct {
  size_t jets, skipped, n_sum, n_min, n_max, single, rows;
  double z1_sum, theta1_sum;
  size_t split_jets;
} Summary;

static void
summary_row (FILE *out, Summary *s, size_t index, const JxTree *tree)
{
  s->jets++;
  s->n_sum += tree->n;
  if (s->jets == 1 || tree->n < s->n_min)
    s->n_min = tree->n;
  if (tree->n > s->n_max)
    s->n_max = tree->n;
  if (tree->n == 1)
    s->single++;
  const JxStep *first = tree->n > 1 ? &tree->steps[0] : NULL;
  if (first != NULL)
    {
      s->split_jets++;
      s->z1_sum += first->x.z;
      s->theta1_sum += first->x.theta;
    }
  if (s->rows >= TABLE_ROWS)
    return;
  if (s->rows == 0)
    fprintf (out, "%8s %5s %10s %10s %9s %9s %9s %9s\n",
             "jet", "n", "E [GeV]", "m [GeV]", "z1", "theta1", "phi1", "delta1");
  s->rows++;
  JxP4 jet = tree->nodes[tree->root].p;
  if (first != NULL)
    fprintf (out, "%8zu %5zu %10.3f %10.3f %9.4f %9.5f %9.4f %9.5f\n", index, tree->n, jet.E,
             jx_p4_mass (jet), first->x.z, first->x.theta, first->x.phi, first->x.delta);
  else
    fprintf (out, "%8zu %5zu %10.3f %10.3f %9s %9s %9s %9s\n", index, tree->n, jet.E,
             jx_p4_mass (jet), "-", "-", "-", "-");
}

static void
summary_end (FILE *out, const Summary *s, size_t selected, const Args *args)
{
  if (s->rows < s->jets)
    fprintf (out, "%8s (%zu more; select with --jets A:B or print all with --json)\n", "...",
             s->jets - s->rows);
  fprintf (out, "\n%s trees (%s metric), subjets R_sub = %g, E_sub = %g GeV\n",
           jx_cli_algorithm_title (args->opt.algorithm), jx_cli_metric_title (args->opt.metric),
           args->opt.rsub, args->opt.esub);
  fprintf (out, "  jets clustered      %zu of %zu", s->jets, selected);
  if (s->skipped)
    fprintf (out, " (%zu skipped: no subjet with E >= E_sub or invalid momenta)", s->skipped);
  fputc ('\n', out);
  if (s->jets == 0)
    return;
  fprintf (out, "  subjets per jet     mean %.2f, min %zu, max %zu; one-subjet jets %zu (%.1f%%)\n",
           (double) s->n_sum / (double) s->jets, s->n_min, s->n_max, s->single,
           100.0 * (double) s->single / (double) s->jets);
  if (s->split_jets)
    fprintf (out, "  first branching     <z1> = %.4f, <theta1> = %.4f rad\n",
             s->z1_sum / (double) s->split_jets, s->theta1_sum / (double) s->split_jets);
}

typedef struct {
  const Args *args;
  FILE *out;
  JxClusterWork *work;
  Summary *summary;
  double last_check;
} Walk;

/* Each jet of the chunk clustered, and written (--json) or summed; a jet that cannot be
 * clustered is skipped (--skip-bad) or stops the walk with the line to print. */
static int
cluster_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
               JxError *err)
{
  Walk *w = user;
  const Args *args = w->args;
  for (size_t row = lo; row < hi; row++)
    {
      size_t i = chunk->first_jet + row;
      const JxP4 *p = jx_dataset_jet (chunk, row);
      size_t n = jx_dataset_jet_size (chunk, row);
      JxTree tree = { 0 };
      JxError bad = { 0 };
      int status = jx_jet_validate (p, n, i, &bad);
      if (status == 0 && (status = jx_tree_build (&tree, p, n, &args->opt, w->work, &bad)) != 0)
        jx_error_prefix (&bad, "jet %zu: ", i);
      if (status == 0)
        {
          if (args->json)
            write_json (w->out, i, &tree);
          else
            summary_row (w->out, w->summary, i, &tree);
        }
      else if (args->skip_bad && status != JX_ERR_NOMEM && status != JX_ERR_INTERNAL)
        w->summary->skipped++;
      else
        return jx_error_set (err, status, "%s (%s); or pass --skip-bad to skip such jets",
                             bad.message, args->input);
      jx_tree_free (&tree);
      double now = jx_cli_now ();
      if (now - w->last_check > 0.05)
        {
          w->last_check = now;
          jx_progress_report (progress, (double) (row - lo + 1), (double) (hi - lo),
                              "clustering");
          if (jx_progress_cancelled (progress))
            return jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
        }
    }
  return 0;
}

int
jx_cli_cluster (int argc, char **argv)
{
  Args args;
  int rc = parse_args (argc, argv, &args);
  if (rc != 0)
    return rc < 0 ? 0 : rc;

  /* streamed: memory stays bounded however large the file */
  JxDatasetStream *stream;
  rc = jx_cli_open_dataset_stream (args.input, &stream);
  if (rc != 0)
    return rc;
  size_t a = 0, b = jx_dataset_stream_info (stream)->n_jets;
  if (args.have_slice)
    {
      a = args.a;
      b = args.b;
      rc = jx_cli_clip_slice ("--jets", args.input, jx_dataset_stream_info (stream)->n_jets, &a,
                              &b);
      if (rc != 0)
        {
          jx_dataset_stream_close (stream);
          return rc;
        }
    }

  JxAtomicFile atomic = { 0 };
  FILE *out = stdout;
  JxError err = { 0 };
  if (args.output != NULL && (out = jx_atomic_open_stream (&atomic, args.output, &err)) == NULL)
    {
      jx_dataset_stream_close (stream);
      return jx_cli_fail_core (&err);
    }

  JxProgress *progress = jx_cli_progress_begin ("clustering", args.quiet);
  Summary summary = { 0 };
  Walk w = { &args, out, jx_cluster_work_new (), &summary, jx_cli_now () };
  if (w.work == NULL)
    {
      jx_error_set (&err, JX_ERR_NOMEM, "out of memory for clustering");
      jx_cli_progress_end ();
      rc = jx_cli_fail_core (&err);
    }
  else
    rc = jx_cli_stream_walk (stream, a, b, cluster_chunk, &w, "clustering", progress);
  if (rc == 0)
    jx_cli_progress_end ();
  jx_cluster_work_free (w.work);

  if (rc == 0 && !args.json)
    summary_end (out, &summary, b - a, &args);
  if (rc == 0 && args.json && summary.skipped)
    fprintf (stderr, "junipr cluster: skipped %zu jet%s that could not be clustered\n",
             summary.skipped, summary.skipped == 1 ? "" : "s");
  if (out == stdout)
    {
      if ((fflush (out) != 0 || ferror (out)) && rc == 0)
        rc = jx_cli_fail ("cannot write output (standard output): check free disk space");
    }
  else if (jx_atomic_close_stream (&atomic, out, rc, &err) != 0 && rc == 0)
    rc = jx_cli_fail_core (&err);
  jx_dataset_stream_close (stream);
  return rc;
}
