/* jx-cli-info.c — `junipr info`: describe a junipr file; one describer per file kind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-cli-commands.h"
#include "jx-cli-common.h"
#include "jx-cli-options.h"
#include "jx-cli-model.h"
#include "jx-cli-dataset.h"
#include "jx-model-io.h"
#include "jx-scores.h"

static const char usage_text[] =
  "Usage: junipr info FILE.h5 [OPTIONS]\n"
  "\n"
  "Describe a junipr file. For a dataset: number of jets and particles, particles per jet\n"
  "(mean, min, max), jet energy and mass ranges, whether labels and weights are present,\n"
  "and the attributes that describe its source (generator settings and seed, or the\n"
  "imported file). For a model: network sizes, feature scaling, the clustering it was\n"
  "trained on, provenance and the per-epoch losses. For scores: how many jets were\n"
  "scored and the range of ln P_jet.\n"
  "\n"
  "Options:\n";

static const char example_text[] =
  "\n"
  "Example:\n"
  "  junipr info quarks.h5\n";

typedef int (*Describer) (const char *path, bool quiet);

static void
print_range (const char *label, const char *unit, double sum, double lo, double hi, size_t n)
{
  if (n == 0)
    return;
  printf ("  %-20s mean %.6g, min %.6g, max %.6g%s\n", label, sum / (double) n, lo, hi, unit);
}

/* Per-jet sums of a dataset, gathered chunk by chunk. */
typedef struct {
  size_t mult_min, mult_max, empty, zero_labels;
  double e_sum, e_lo, e_hi, m_sum, m_lo, m_hi, w_sum, w_lo, w_hi;
} DatasetSums;

static void
add_jet (DatasetSums *t, const JxDataset *c, size_t row, size_t i)
{
  size_t k = jx_dataset_jet_size (c, row);
  if (i == 0 || k < t->mult_min)
    t->mult_min = k;
  if (k > t->mult_max)
    t->mult_max = k;
  t->empty += k == 0;
  JxP4 sum = { 0, 0, 0, 0 };
  const JxP4 *p = jx_dataset_jet (c, row);
  for (size_t j = 0; j < k; j++)
    sum = jx_p4_add (sum, p[j]);
  double m = jx_p4_mass (sum);
  t->e_sum += sum.E;
  t->m_sum += m;
  t->e_lo = fmin (t->e_lo, sum.E);
  t->e_hi = fmax (t->e_hi, sum.E);
  t->m_lo = fmin (t->m_lo, m);
  t->m_hi = fmax (t->m_hi, m);
  if (c->labels != NULL)
    t->zero_labels += c->labels[row] == 0;
  if (c->weights != NULL)
    {
      t->w_sum += c->weights[row];
      t->w_lo = fmin (t->w_lo, c->weights[row]);
      t->w_hi = fmax (t->w_hi, c->weights[row]);
    }
}

static int
sum_chunk (void *user, const JxDataset *c, size_t lo, size_t hi, JxProgress *progress,
           JxError *err)
{
  (void) err;
  for (size_t row = lo; row < hi; row++)
    add_jet (user, c, row, c->first_jet + row);
  jx_progress_report (progress, (double) (hi - lo), (double) (hi - lo), "reading");
  return 0;
}

/* Streams the file (bounded memory for any size); the attributes come with every chunk. */
static int
describe_dataset (const char *path, bool quiet)
{
  JxDatasetStream *s;
  int rc = jx_cli_open_dataset_stream (path, &s);
  if (rc != 0)
    return rc;
  const JxDatasetInfo *info = jx_dataset_stream_info (s);
  size_t n = info->n_jets, n_part = info->n_particles;
  DatasetSums t = { 0, 0, 0, 0, 0, INFINITY, -INFINITY, 0, INFINITY, -INFINITY, 0, INFINITY,
                    -INFINITY };
  JxProgress *progress = jx_cli_progress_begin ("reading", quiet);
  rc = jx_cli_stream_walk (s, 0, n, sum_chunk, &t, "reading", progress);
  if (rc != 0)
    {
      jx_dataset_stream_close (s);
      return rc;
    }
  jx_cli_progress_end ();

  printf ("%s: junipr dataset\n", path);
  printf ("  %-20s %zu\n", "jets", n);
  printf ("  %-20s %zu\n", "particles", n_part);
  if (n > 0)
    printf ("  %-20s mean %.2f, min %zu, max %zu%s\n", "particles per jet",
            (double) n_part / (double) n, t.mult_min, t.mult_max,
            t.empty ? " (some jets are empty)" : "");
  print_range ("jet energy", " GeV", t.e_sum, t.e_lo, t.e_hi, n);
  print_range ("jet mass", " GeV", t.m_sum, t.m_lo, t.m_hi, n);
  if (info->has_labels)
    printf ("  %-20s yes (%zu with label 0, %zu other)\n", "labels", t.zero_labels,
            n - t.zero_labels);
  else
    printf ("  %-20s no\n", "labels");
  if (info->has_weights)
    printf ("  %-20s yes (sum %.6g, min %.6g, max %.6g)\n", "weights", t.w_sum, t.w_lo, t.w_hi);
  else
    printf ("  %-20s no\n", "weights");
  JxDataset attrs;
  jx_dataset_init (&attrs);
  JxError err = { 0 };
  if (jx_dataset_stream_read_attrs (s, &attrs, &err) == 0 && attrs.n_attrs > 0)
    {
      printf ("  source:\n");
      for (size_t i = 0; i < attrs.n_attrs; i++)
        printf ("    %-18s %s\n", attrs.attrs[i].key, attrs.attrs[i].value);
    }
  jx_dataset_free (&attrs);
  jx_dataset_stream_close (s);
  return fflush (stdout) == 0 ? 0 : jx_cli_fail ("cannot write (standard output): check the pipe");
}

/* Epochs listed one by one up to this many; longer histories show the first and last few. */
#define HISTORY_ROWS 12

static void
print_history_row (const JxEpochRecord *e)
{
  char val[32] = "-";
  if (isfinite (e->val_loss))
    snprintf (val, sizeof val, "%.6g", e->val_loss);
  printf ("    %5d %14.6g %14s %10.3g %6d %9.1f\n", e->epoch, e->train_loss, val,
          e->learning_rate, e->batch_size, e->seconds);
}

static int
describe_model (const char *path, bool quiet)
{
  JxModel *model = NULL;
  JxModelMeta meta;
  int rc = jx_cli_load_model (path, &model, &meta);
  if (rc != 0)
    return rc;
  const JxModelConfig *cfg = jx_model_config (model);
  printf ("%s: junipr model\n", path);
  printf ("  %-20s %s%s\n", "branch head", jx_branch_kind_name (cfg->branch),
          cfg->local ? " (local: does not see the hidden state)" : "");
  static const char *const cells[] = { "rnn (tanh, the paper's)", "lstm (Keras gates i, f, c, o)",
                                       "gru (Keras gates z, r, h, reset after)" };
  printf ("  %-20s %s\n", "recurrent cell", cells[cfg->recurrent]);
  printf ("  %-20s hidden %d, dense %d, grid %d bins, max multiplicity %d\n", "sizes",
          cfg->hidden, cfg->dense, cfg->grid, cfg->max_mult);
  int de, dm, db;
  jx_model_config_head_widths (cfg, &de, &dm, &db);
  if (de != cfg->dense || dm != cfg->dense || db != cfg->dense)
    printf ("  %-20s end %d, mother %d, branch %d\n", "head widths", de, dm, db);
  if (cfg->branch == JX_BRANCH_HIERARCHICAL)
    printf ("  %-20s %d^4 coarse cells of %d^4 sub-cells each (%d per coordinate)\n",
            "granularity", cfg->grid, cfg->grid_fine, jx_model_branch_grid (model));
  if (cfg->branch == JX_BRANCH_ENERGY)
    printf ("  %-20s e^E(x)/Z over the scaled (z, θ, φ, δ) box, Z from %d uniform proposal\n"
            "  %-20s points: ln P_branch is already a density (a discrete head's ln P_branch\n"
            "  %-20s minus ln of its cell volume is the same kind of number)\n",
            "continuous branch", cfg->energy_samples, "", "");
  else
  /* P_branch is a cell probability: ÷ the cell volume makes a density in the scaled box,
   * comparable between models of different resolution */
  printf ("  %-20s ln P_branch is the probability of a cell of volume 1/%d^4 in the scaled\n"
          "  %-20s (z, θ, φ, δ) box: ln density = ln P_branch %+.4f per branching\n",
          "branch cells", jx_model_branch_grid (model), "",
          -jx_model_branch_log_cell_volume (model));
  if (cfg->branch_padding > 0)
    printf ("  %-20s %d extra class%s in each branch softmax (never a target; the bin\n"
            "  %-20s probabilities sum to less than 1, as in the authors' Keras model)\n",
            "branch padding", cfg->branch_padding, cfg->branch_padding == 1 ? "" : "es", "");
  printf ("  %-20s %zu\n", "parameters", jx_model_n_params (model));
  printf ("  %-20s E_jet %g GeV, E_sub %g GeV, R_jet %g, R_sub %g\n", "feature scaling",
          cfg->scaling.e_jet, cfg->scaling.e_sub, cfg->scaling.r_jet, cfg->scaling.r_sub);
  printf ("  %-20s %s trees, %s metric, subjets R_sub = %g, E_sub = %g GeV\n", "clustering",
          jx_cli_algorithm_title (meta.clustering.algorithm),
          jx_cli_metric_title (meta.clustering.metric), meta.clustering.rsub,
          meta.clustering.esub);
  if (meta.imported_from[0])
    printf ("  %-20s %s\n  %-20s %s\n", "imported from", meta.imported_from, "",
            meta.imported_detail[0] ? meta.imported_detail : "(no details)");
  if (meta.dataset[0])
    printf ("  %-20s %s\n", "trained on", meta.dataset);
  printf ("  %-20s %llu\n", "seed", (unsigned long long) meta.seed);
  if (meta.created[0])
    printf ("  %-20s %s\n", "created", meta.created);
  if (meta.massless.measured)
    printf ("  %-20s t = 1, 2, 3, >=4: %.3f %.3f %.3f %.3f (both daughters massless where\n"
            "  %-20s the cell allows, in the training data; used by 'junipr sample')\n",
            "massless splits", meta.massless.terminal_cell[0], meta.massless.terminal_cell[1],
            meta.massless.terminal_cell[2], meta.massless.terminal_cell[3], "");
  else if (meta.imported_from[0])
    printf ("  %-20s not measured (imported; 'junipr sample' uses its defaults)\n",
            "massless splits");
  else
    printf ("  %-20s not measured (trained by an older junipr)\n", "massless splits");
  if (meta.n_history == 0 && meta.imported_from[0])
    printf ("  %-20s none here (trained where it was imported from)\n", "training history");
  else if (meta.n_history == 0)
    printf ("  %-20s none (untrained)\n", "training history");
  else
    {
      printf ("  training history (%zu epoch%s; loss = mean -ln P_jet):\n", meta.n_history,
              meta.n_history == 1 ? "" : "s");
      printf ("    %5s %14s %14s %10s %6s %9s\n", "epoch", "train loss", "val. loss", "lr",
              "batch", "time [s]");
      for (size_t i = 0; i < meta.n_history; i++)
        {
          if (meta.n_history > HISTORY_ROWS && i == HISTORY_ROWS / 2)
            {
              printf ("    %5s\n", "...");
              i = meta.n_history - HISTORY_ROWS / 2;
            }
          print_history_row (&meta.history[i]);
        }
    }
  jx_model_free (model);
  jx_model_meta_free (&meta);
  return fflush (stdout) == 0 ? 0 : jx_cli_fail ("cannot write (standard output): check the pipe");
}

static int
describe_scores (const char *path, bool quiet)
{
  JxScores sc;
  jx_scores_init (&sc);
  JxError err = { 0 };
  if (jx_scores_read (&sc, path, &err) != 0)
    {
      jx_scores_free (&sc);
      return jx_cli_fail_core (&err);
    }
  size_t counts[3] = { 0, 0, 0 }, scored = 0;
  double sum = 0, lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < sc.n_jets; i++)
    {
      int st = sc.status[i];
      counts[st >= 0 && st < 3 ? st : 1]++;
      if (st == JX_JET_SCORED && isfinite (sc.log_p[i]))
        {
          scored++;
          sum += sc.log_p[i];
          lo = fmin (lo, sc.log_p[i]);
          hi = fmax (hi, sc.log_p[i]);
        }
    }
  printf ("%s: junipr scores\n", path);
  printf ("  %-20s %zu\n", "jets", sc.n_jets);
  printf ("  %-20s %zu scored, %zu without subjets or invalid, %zu above max multiplicity\n",
          "status", counts[0], counts[1], counts[2]);
  if (scored > 0)
    printf ("  %-20s mean %.6g, min %.6g, max %.6g\n", "ln P_jet", sum / (double) scored, lo, hi);
  printf ("  %-20s %s\n", "per-step terms", sc.step_offsets != NULL ? "yes" : "no");
  if (sc.n_attrs > 0)
    {
      printf ("  source:\n");
      for (size_t i = 0; i < sc.n_attrs; i++)
        printf ("    %-18s %s\n", sc.attrs[i].key, sc.attrs[i].value);
    }
  jx_scores_free (&sc);
  return fflush (stdout) == 0 ? 0 : jx_cli_fail ("cannot write (standard output): check the pipe");
}

/* One row per file kind. */
static const struct {
  const char *kind;
  Describer describe;
} describers[] = {
  { JX_DATASET_FORMAT, describe_dataset },
  { JX_MODEL_FORMAT, describe_model },
  { JX_SCORES_FORMAT, describe_scores },
};

int
jx_cli_info (int argc, char **argv)
{
  bool quiet = false;
  const JxCliOpt opts[] = {
    JX_CLI_ROW_QUIET (&quiet, "no progress display"),
    JX_CLI_ROW_HELP,
  };
  const JxCliSpec spec = { .n_args = 1, .args_what = "the file to describe",
                           .intro = { usage_text }, .opts = opts, .n_opts = JX_CLI_N_OPTS (opts),
                           .outro = example_text, .help_col = 16 };
  int first, rc = jx_cli_options_parse (&spec, argc, argv, &first);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  const char *path = argv[first];
  if ((rc = jx_cli_check_input (path)) != 0)
    return rc;
  JxError err = { 0 };
  char kind[64];
  if (jx_file_kind (path, kind, sizeof kind, &err) != 0)
    return jx_cli_fail_core (&err);
  for (size_t i = 0; i < sizeof describers / sizeof describers[0]; i++)
    if (strcmp (kind, describers[i].kind) == 0)
      return describers[i].describe (path, quiet);
  return jx_cli_fail ("cannot describe a '%s' file (%s): this version of junipr knows "
                      "datasets, models and scores", kind, path);
}
