/* Normalization of the JUNIPR network's distributions on tiny models, by explicit
 * enumeration through the whole pipeline (scaling, binning, cell index, softmax):
 *  - Σ over the t mother candidates of P_mother = 1 at every step;
 *  - Σ over all G⁴ cells of P_branch = 1 (joint and factorized, with and without h, with
 *    the RNN, LSTM and GRU cells); with a padding class the cells hold 1 − P(padding) < 1,
 *    and 1 again when the padding logit is pushed to −∞;
 *  - hierarchical (G1xG2): Σ over the (G1·G2)⁴ fine cells through jx_model_log_prob = 1, and
 *    through the single-state API Σ_c P(c) Σ_s P(s|c) = 1 over every coarse cell c;
 *  - the per-step scores equal the single-state API's probabilities, sum to log P_jet;
 *  - a 1-particle jet has log P_jet = ln P_end(1|h(1));
 *  - n > M is refused with JX_ERR_RANGE and a message that says what to do. */
#include <string.h>

#include "jx-model.h"
#include "jx-rng.h"
#include "jx-test.h"
#include "jx-tree.h"

static void
random_tree (JxTree *tree, size_t n, uint64_t seed)
{
  JxRng rng;
  jx_rng_seed (&rng, seed, 1);
  JxP4 p[200];
  JxP4 axis = jx_p4 (1, jx_rng_uniform (&rng) - 0.5, 0.3, jx_rng_uniform (&rng) - 0.5);
  JxFrame f;
  jx_frame_from_axis (&f, axis);
  for (size_t i = 0; i < n; i++)
    {
      double E = 1.5 + 80 * jx_rng_uniform (&rng) * jx_rng_uniform (&rng);
      double th = 0.5 * jx_rng_uniform (&rng), ph = 2 * M_PI * jx_rng_uniform (&rng);
      double d[3];
      jx_frame_direction (&f, th, ph, d);
      p[i] = jx_p4 (E, E * d[0], E * d[1], E * d[2]);
    }
  JxError err = { 0 };
  if (jx_tree_build_from_particles (tree, p, n, JX_ALGO_CA, NULL, &err) != 0)
    {
      fprintf (stderr, "tree build failed: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
}

static JxModel *
tiny_model_cell (JxBranchKind kind, bool local, JxRecurrentKind cell, int padding, uint64_t seed)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = kind;
  cfg.local = local;
  cfg.recurrent = cell;
  cfg.branch_padding = padding;
  cfg.hidden = 6;
  cfg.dense = 5;
  cfg.grid = 3;
  cfg.max_mult = 8;
  JxModel *m = NULL;
  JxError err = { 0 };
  if (jx_model_new (&cfg, seed, &m, &err) != 0)
    {
      fprintf (stderr, "model: %s\n", err.message);
      exit (EXIT_FAILURE);
    }
  /* Larger weights than the initialization: sharper, less uniform distributions. */
  float *p = jx_model_params (m);
  for (size_t i = 0; i < jx_model_n_params (m); i++)
    p[i] *= 3.0f;
  return m;
}

static JxModel *
tiny_model (JxBranchKind kind, bool local, uint64_t seed)
{
  return tiny_model_cell (kind, local, JX_RECURRENT_RNN, 0, seed);
}

/* Σ of a branch distribution: 1, or below 1 by the padding classes' share. */
static void
check_branch_sum (const JxModel *m, double sum)
{
  if (jx_model_config (m)->branch_padding == 0)
    JX_CHECK_CLOSE (sum, 1, 0, 1e-12);
  else
    JX_CHECK_MSG (sum > 0 && sum < 1 - 1e-14, "padded branch distribution sums to %.17g", sum);
}

/* Hierarchical head at one state: the coarse distribution and every coarse cell's sub-cell
 * distribution sum to 1, so Σ_c P(c) Σ_s P(s|c) = 1 by enumeration; the step's score is
 * ln P(c) + ln P(s|c) of the fine cell holding the branching (bins at resolution G1·G2). */
static void
check_hierarchical (const JxModel *m, const float *h, JxP4 mother, JxP4 jet, const int bins[4],
                    const JxStepScore *s, JxModelWork *w)
{
  const JxModelConfig *cfg = jx_model_config (m);
  int G1 = cfg->grid, G2 = cfg->grid_fine, NC = G1 * G1 * G1 * G1, NS = G2 * G2 * G2 * G2;
  double *pc = malloc ((size_t) NC * sizeof *pc), *pf = malloc ((size_t) NS * sizeof *pf);
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_branch_probs (m, h, mother, jet, 0, NULL, pc, w, &err), 0);
  int coarse[4], sub[4];
  for (int k = 0; k < 4; k++)
    {
      coarse[k] = bins[k] / G2;
      sub[k] = bins[k] % G2;
    }
  int c_true = jx_branching_cell (coarse, G1), s_true = jx_branching_cell (sub, G2);
  double total = 0, sum_c = 0;
  for (int c = 0; c < NC; c++)
    {
      double prev[4] = { c, 0, 0, 0 }, sum_s = 0;
      JX_CHECK_INT (jx_model_branch_probs (m, h, mother, jet, 1, prev, pf, w, &err), 0);
      for (int f = 0; f < NS; f++)
        {
          sum_s += pf[f];
          total += pc[c] * pf[f];
        }
      JX_CHECK_CLOSE (sum_s, 1, 0, 1e-12);
      sum_c += pc[c];
      if (c == c_true)
        JX_CHECK_CLOSE (s->log_branch, log (pc[c]) + log (pf[s_true]), 1e-5, 1e-6);
    }
  JX_CHECK_CLOSE (sum_c, 1, 0, 1e-12);
  JX_CHECK_CLOSE (total, 1, 0, 1e-12);
  for (int k = 0; k < 4; k++)
    JX_CHECK (s->log_branch_parts[k] == 0);
  /* a coarse cell outside the grid is refused */
  double bad[4] = { NC, 0, 0, 0 };
  JX_CHECK_INT (jx_model_branch_probs (m, h, mother, jet, 1, bad, pf, w, &err), JX_ERR_INVALID);
  free (pc);
  free (pf);
}

/* Per-step scores against the single-state API, and the sums over candidates. */
static void
check_steps (const JxModel *m, const JxTree *tree, JxModelWork *w)
{
  const JxModelConfig *cfg = jx_model_config (m);
  int H = jx_model_state_size (m), G = jx_model_branch_grid (m);
  size_t n = tree->n;
  JxStepScore *ps = calloc (n, sizeof *ps);
  double log_p = 0;
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_log_prob (m, tree, ps, &log_p, w, &err), 0);
  JxP4 jet = tree->nodes[tree->root].p;
  float *h = malloc (H * sizeof *h), *h2 = malloc (H * sizeof *h2);
  double *probs = malloc ((size_t) G * G * G * G * sizeof *probs);
  jx_model_state_init (m, jet, h);
  double total = 0;
  for (size_t t = 1; t <= n; t++)
    {
      const JxStepScore *s = &ps[t - 1];
      double pe = jx_model_end_prob (m, h, w);
      JX_CHECK_CLOSE (s->log_end, t == n ? log (pe) : log1p (-pe), 1e-5, 1e-6);
      total += s->log_end + s->log_mother + s->log_branch;
      if (t == n)
        {
          JX_CHECK (s->log_mother == 0 && s->log_branch == 0);
          break;
        }
      const JxStep *st = &tree->steps[t - 1];
      JX_CHECK_INT (jx_model_mother_probs (m, h, (int) t, probs, w, &err), 0);
      double sum = 0;
      for (size_t j = 0; j < t; j++)
        sum += probs[j];
      JX_CHECK_CLOSE (sum, 1, 0, 1e-12);
      JX_CHECK_CLOSE (s->log_mother, log (probs[st->mother_index]), 1e-5, 1e-6);

      double x[4];
      int bins[4];
      jx_scale_branching (&cfg->scaling, &st->x, x);
      jx_branching_bins (&cfg->scaling, &st->x, G, bins);
      JxP4 mother = tree->nodes[st->mother].p;
      if (cfg->branch == JX_BRANCH_HIERARCHICAL)
        check_hierarchical (m, h, mother, jet, bins, s, w);
      else if (cfg->branch == JX_BRANCH_JOINT)
        {
          JX_CHECK_INT (jx_model_branch_probs (m, h, mother, jet, 0, NULL, probs, w, &err), 0);
          sum = 0;
          for (int c = 0; c < G * G * G * G; c++)
            sum += probs[c];
          check_branch_sum (m, sum);
          JX_CHECK_CLOSE (s->log_branch, log (probs[jx_branching_cell (bins, G)]), 1e-5, 1e-6);
          for (int k = 0; k < 4; k++)
            JX_CHECK (s->log_branch_parts[k] == 0);
        }
      else
        {
          double prev[4], parts = 0;
          for (int k = 0; k < 4; k++)
            {
              int coord = jx_model_branch_head_coord (m, k);
              JX_CHECK_INT (jx_model_branch_probs (m, h, mother, jet, k, prev, probs, w, &err), 0);
              sum = 0;
              for (int c = 0; c < G; c++)
                sum += probs[c];
              check_branch_sum (m, sum);
              JX_CHECK_CLOSE (s->log_branch_parts[k], log (probs[bins[coord]]), 1e-5, 1e-6);
              parts += s->log_branch_parts[k];
              prev[k] = x[coord];
            }
          JX_CHECK_CLOSE (s->log_branch, parts, 1e-12, 1e-12);
        }
      jx_model_state_next (m, jet, tree->nodes[st->daughter[0]].p, tree->nodes[st->daughter[1]].p,
                           h, h2);
      memcpy (h, h2, H * sizeof *h);
    }
  JX_CHECK_CLOSE (log_p, total, 1e-12, 1e-9);
  free (ps);
  free (h);
  free (h2);
  free (probs);
}

/* Enumerate every target of step t through jx_model_log_prob: the mother index over the t
 * candidates, and the branching over all G⁴ cells (their centres, unscaled). Targets do
 * not change the network's inputs, so the probabilities must sum to 1. */
static void
check_enumeration (const JxModel *m, JxTree *tree, size_t t, JxModelWork *w)
{
  const JxModelConfig *cfg = jx_model_config (m);
  int G = jx_model_branch_grid (m);
  JxStep *st = &tree->steps[t - 1];
  JxStep saved = *st;
  JxStepScore *ps = calloc (tree->n, sizeof *ps);
  double log_p;
  JxError err = { 0 };
  double sum = 0;
  for (size_t j = 0; j < t; j++)
    {
      st->mother_index = (int) j;
      JX_CHECK_INT (jx_model_log_prob (m, tree, ps, &log_p, w, &err), 0);
      sum += exp (ps[t - 1].log_mother);
    }
  JX_CHECK_CLOSE (sum, 1, 0, 1e-5);
  *st = saved;
  sum = 0;
  int seen = 0;
  for (int c = 0; c < G * G * G * G; c++)
    {
      int bins[4], back[4];
      double x[4];
      jx_cell_bins (c, G, bins);
      for (int k = 0; k < 4; k++)
        x[k] = (bins[k] + 0.5) / G;
      jx_unscale_branching (&cfg->scaling, x, &st->x);
      jx_branching_bins (&cfg->scaling, &st->x, G, back);
      seen += jx_branching_cell (back, G) == c;
      JX_CHECK_INT (jx_model_log_prob (m, tree, ps, &log_p, w, &err), 0);
      sum += exp (ps[t - 1].log_branch);
    }
  JX_CHECK_INT (seen, G * G * G * G);
  if (cfg->branch_padding == 0)
    JX_CHECK_CLOSE (sum, 1, 0, 1e-5);
  else
    JX_CHECK_MSG (sum > 0 && sum < 1 - 1e-14, "padded branch cells sum to %.17g", sum);
  *st = saved;
  free (ps);
}

static void
test_model (JxModel *m, JxBranchKind kind)
{
  JxModelWork *w = jx_model_work_new (m);
  for (size_t n = 1; n <= 8; n++)
    {
      JxTree tree;
      random_tree (&tree, n, 300 + n);
      check_steps (m, &tree, w);
      for (size_t t = 1; t < n; t += 3)
        check_enumeration (m, &tree, t, w);
      if (n == 1)
        {
          /* log P_jet of one particle is only the end probability at h(1). */
          float h[12];
          jx_model_state_init (m, tree.nodes[tree.root].p, h);
          double lp;
          JxError err = { 0 };
          JX_CHECK_INT (jx_model_log_prob (m, &tree, NULL, &lp, w, &err), 0);
          JX_CHECK_CLOSE (lp, log (jx_model_end_prob (m, h, w)), 1e-6, 1e-7);
          /* Without a work space the single-state calls use a temporary one. */
          JX_CHECK (jx_model_end_prob (m, h, NULL) == jx_model_end_prob (m, h, w));
          double pm[1], pb[81], pb2[81];
          JX_CHECK_INT (jx_model_mother_probs (m, h, 1, pm, NULL, &err), 0);
          JX_CHECK (pm[0] == 1.0);
          double prev[3] = { 0.5, 0.5, 0.5 };
          JX_CHECK_INT (jx_model_branch_probs (m, h, tree.nodes[0].p, tree.nodes[0].p, 0, prev,
                                               pb, NULL, &err), 0);
          JX_CHECK_INT (jx_model_branch_probs (m, h, tree.nodes[0].p, tree.nodes[0].p, 0, prev,
                                               pb2, w, &err), 0);
          JX_CHECK (memcmp (pb, pb2, sizeof (double) * (kind == JX_BRANCH_FACTORIZED ? 3 : 81)) == 0);
          JX_CHECK_INT (jx_model_branch_probs (m, h, tree.nodes[0].p, tree.nodes[0].p, 4, prev,
                                               pb, w, &err), JX_ERR_INVALID);
          JX_CHECK_INT (jx_model_mother_probs (m, h, 9, pm, w, &err), JX_ERR_RANGE);
        }
      jx_tree_free (&tree);
    }
  jx_model_work_free (w);
  jx_model_free (m);
}

static void
test_kind (JxBranchKind kind, bool local)
{
  test_model (tiny_model (kind, local, 21 + kind + 2 * local), kind);
}

/* The gated cells and padding classes (the state holds c too; the padding class takes a share
 * of every branch distribution). */
static void
test_cells_and_padding (void)
{
  test_model (tiny_model_cell (JX_BRANCH_FACTORIZED, false, JX_RECURRENT_LSTM, 0, 31),
              JX_BRANCH_FACTORIZED);
  test_model (tiny_model_cell (JX_BRANCH_JOINT, false, JX_RECURRENT_GRU, 0, 32), JX_BRANCH_JOINT);
  test_model (tiny_model_cell (JX_BRANCH_FACTORIZED, false, JX_RECURRENT_GRU, 1, 33),
              JX_BRANCH_FACTORIZED);
  test_model (tiny_model_cell (JX_BRANCH_JOINT, false, JX_RECURRENT_LSTM, 2, 34), JX_BRANCH_JOINT);
  /* Padding logits at −10⁴ (its output-bias entries): the real classes hold everything. */
  for (int kind = 0; kind < 2; kind++)
    {
      JxModel *m = tiny_model_cell (kind, false, JX_RECURRENT_RNN, 1, 35 + kind);
      char name[40];
      for (int k = 0; k < jx_model_n_branch_heads (m); k++)
        {
          snprintf (name, sizeof name, kind == JX_BRANCH_JOINT ? "branch_out/bias"
                                       : "branch_%s_out/bias",
                    (const char *[]) { "z", "theta", "delta", "phi" }[k]);
          int ti = jx_model_find_tensor (m, name);
          JX_CHECK (ti >= 0);
          const JxTensorInfo *t = jx_model_tensor (m, (size_t) ti);
          jx_model_params (m)[t->offset + t->cols - 1] = -1e4f;
        }
      JxModelWork *w = jx_model_work_new (m);
      JxTree tree;
      random_tree (&tree, 5, 77);
      JxStepScore ps[5];
      double lp, sum = 0;
      JxError err = { 0 };
      JxStep *st = &tree.steps[1], saved = *st;
      int G = jx_model_config (m)->grid;
      for (int c = 0; c < G * G * G * G; c++)
        {
          int bins[4];
          double x[4];
          jx_cell_bins (c, G, bins);
          for (int q = 0; q < 4; q++)
            x[q] = (bins[q] + 0.5) / G;
          jx_unscale_branching (&jx_model_config (m)->scaling, x, &st->x);
          JX_CHECK_INT (jx_model_log_prob (m, &tree, ps, &lp, w, &err), 0);
          sum += exp (ps[1].log_branch);
        }
      *st = saved;
      JX_CHECK_CLOSE (sum, 1, 0, 1e-5);
      jx_tree_free (&tree);
      jx_model_work_free (w);
      jx_model_free (m);
    }
}

static void
test_range (void)
{
  JxModel *m = tiny_model (JX_BRANCH_JOINT, false, 1);
  JxTree ok, big;
  random_tree (&ok, 8, 1);
  random_tree (&big, 9, 2);   /* M = 8 */
  JxError err = { 0 };
  double lp = 0;
  JX_CHECK_INT (jx_model_log_prob (m, &big, NULL, &lp, NULL, &err), JX_ERR_RANGE);
  JX_CHECK_MSG (strstr (err.message, "9 particles") != NULL
                  && strstr (err.message, "maximum multiplicity M = 8") != NULL,
                "message: %s", err.message);
  /* In a batch the message names the jet. */
  const JxTree *batch[3] = { &ok, &ok, &big };
  jx_error_clear (&err);
  double loss = 0;
  JX_CHECK_INT (jx_model_loss_grad (m, batch, 3, &loss, NULL, NULL, &err), JX_ERR_RANGE);
  JX_CHECK_MSG (strstr (err.message, "jet 2") != NULL, "message: %s", err.message);
  JX_CHECK_INT (jx_model_log_prob (m, &ok, NULL, &lp, NULL, &err), 0);
  JX_CHECK (isfinite (lp) && lp < 0);
  jx_tree_free (&ok);
  jx_tree_free (&big);
  jx_model_free (m);
}

int
main (void)
{
  test_kind (JX_BRANCH_JOINT, false);
  test_kind (JX_BRANCH_FACTORIZED, false);
  test_kind (JX_BRANCH_JOINT, true);
  test_kind (JX_BRANCH_FACTORIZED, true);
  test_kind (JX_BRANCH_HIERARCHICAL, false);
  test_kind (JX_BRANCH_HIERARCHICAL, true);
  test_model (tiny_model_cell (JX_BRANCH_HIERARCHICAL, false, JX_RECURRENT_GRU, 0, 37),
              JX_BRANCH_HIERARCHICAL);
  test_cells_and_padding ();
  test_range ();
  JX_TEST_MAIN_END ("model-norm");
}
