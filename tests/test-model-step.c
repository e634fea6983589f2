/* jx-model-step: the matrix–vector single-state heads give the model's own numbers
 * (jx_model_end_prob / mother_probs / branch_probs), for joint, factorized and local models,
 * with the RNN, LSTM and GRU cells, per-head widths and a padding class,
 * along real trees; and the product of the step probabilities along a tree equals
 * exp(jx_model_log_prob). Refuses a head or t out of range. */
#include <string.h>

#include "jx-model-step.h"
#include "jx-rng.h"
#include "jx-scaling.h"
#include "jx-test.h"

static void
random_tree (JxTree *tree, size_t n, uint64_t seed)
{
  JxRng rng;
  jx_rng_seed (&rng, seed, 1);
  JxP4 p[64];
  for (size_t i = 0; i < n; i++)
    {
      double E = 2 + 100 * jx_rng_uniform (&rng) * jx_rng_uniform (&rng);
      double th = 0.4 * jx_rng_uniform (&rng), ph = 2 * M_PI * jx_rng_uniform (&rng);
      p[i] = jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
    }
  JxError err = { 0 };
  if (jx_tree_build_from_particles (tree, p, n, JX_ALGO_CA, NULL, &err) != 0)
    exit (EXIT_FAILURE);
}

static void
run_cell (JxBranchKind kind, bool local, JxRecurrentKind cell, int padding)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = kind;
  cfg.local = local;
  cfg.recurrent = cell;
  cfg.branch_padding = padding;
  if (padding > 0)
    {
      cfg.dense_end = 4;
      cfg.dense_mother = 6;
      cfg.dense_branch = 8;
    }
  cfg.hidden = 9;
  cfg.dense = 7;
  cfg.grid = kind == JX_BRANCH_JOINT ? 5 : kind == JX_BRANCH_HIERARCHICAL ? 4 : 10;
  cfg.grid_fine = 3;
  cfg.max_mult = 30;
  JxModel *m = NULL;
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_new (&cfg, 3 + (uint64_t) kind + 10 * local, &m, &err), 0);
  float *P = jx_model_params (m);
  for (size_t i = 0; i < jx_model_n_params (m); i++)
    P[i] *= 2.5f;
  /* non-zero biases: a transposed or misplaced bias would show */
  JxRng rng;
  jx_rng_seed (&rng, 1, 0);
  for (size_t k = 0; k < jx_model_n_tensors (m); k++)
    {
      const JxTensorInfo *t = jx_model_tensor (m, k);
      if (strstr (t->name, "/bias") != NULL)
        for (size_t i = 0; i < t->rows * t->cols; i++)
          P[t->offset + i] = (float) (jx_rng_uniform (&rng) - 0.5);
    }
  JxModelStep *s = jx_model_step_new (m);
  JX_CHECK (s != NULL);
  JxModelWork *w = jx_model_work_new (m);
  int G = jx_model_branch_grid (m), K = G * G * G * G;
  bool hier = kind == JX_BRANCH_HIERARCHICAL;
  double *a = malloc ((size_t) K * sizeof *a), *b = malloc ((size_t) K * sizeof *b);
  float h[18], h2[18];   /* an LSTM's state is 2H */
  for (int j = 0; j < 5; j++)
    {
      JxTree tree;
      random_tree (&tree, 6 + 3 * (size_t) j, 100 + (uint64_t) j);
      JxP4 jet = tree.nodes[tree.root].p;
      double log_p = 0, sum = 0;
      JX_CHECK_INT (jx_model_log_prob (m, &tree, NULL, &log_p, w, &err), 0);
      jx_model_state_init (m, jet, h);
      for (size_t t = 1; t <= tree.n; t++)
        {
          double pe = jx_model_step_end (s, h);
          JX_CHECK_CLOSE (pe, jx_model_end_prob (m, h, w), 1e-5, 1e-7);
          if (t == tree.n)
            {
              sum += log (pe);
              break;
            }
          sum += log1p (-pe);
          const JxStep *st = &tree.steps[t - 1];
          JX_CHECK_INT (jx_model_step_mother (s, h, (int) t, a, &err), 0);
          JX_CHECK_INT (jx_model_mother_probs (m, h, (int) t, b, w, &err), 0);
          for (size_t i = 0; i < t; i++)
            JX_CHECK_CLOSE (a[i], b[i], 1e-5, 1e-9);
          sum += log (a[st->mother_index]);
          JxP4 mother = tree.nodes[st->mother].p;
          int bins[4];
          double xs[4], prev[4] = { 0, 0, 0, 0 };
          jx_branching_bins (&cfg.scaling, &st->x, G, bins);
          jx_scale_branching (&cfg.scaling, &st->x, xs);
          for (int head = 0; head < jx_model_n_branch_heads (m); head++)
            {
              JX_CHECK_INT (jx_model_step_branch (s, h, mother, jet, head, prev, a, &err), 0);
              JX_CHECK_INT (jx_model_branch_probs (m, h, mother, jet, head, prev, b, w, &err), 0);
              int n = kind == JX_BRANCH_JOINT ? K : kind == JX_BRANCH_FACTORIZED ? G
                      : head == 0 ? 256 : 81;   /* hierarchical 4x3: 4⁴ cells, 3⁴ sub-cells */
              for (int i = 0; i < n; i++)
                JX_CHECK_CLOSE (a[i], b[i], 1e-5, 1e-9);
              if (hier)
                {
                  int part[4];
                  for (int k = 0; k < 4; k++)
                    part[k] = head == 0 ? bins[k] / 3 : bins[k] % 3;
                  sum += log (a[jx_branching_cell (part, head == 0 ? 4 : 3)]);
                  prev[0] = head == 0 ? jx_branching_cell (part, 4) : prev[0];
                }
              else if (kind == JX_BRANCH_JOINT)
                sum += log (a[jx_branching_cell (bins, G)]);
              else
                {
                  int coord = jx_model_branch_head_coord (m, head);
                  sum += log (a[bins[coord]]);
                  prev[head] = xs[coord];
                }
            }
          jx_model_state_next (m, jet, tree.nodes[st->daughter[0]].p,
                               tree.nodes[st->daughter[1]].p, h, h2);
          memcpy (h, h2, sizeof h);
        }
      JX_CHECK_CLOSE (sum, log_p, 1e-5, 1e-6);
      jx_tree_free (&tree);
    }
  JX_CHECK_INT (jx_model_step_mother (s, h, 31, a, &err), JX_ERR_RANGE);
  JX_CHECK_INT (jx_model_step_branch (s, h, jx_p4 (1, 0, 0, 1), jx_p4 (1, 0, 0, 1), 4, NULL, a, &err),
                JX_ERR_INVALID);
  free (a);
  free (b);
  jx_model_work_free (w);
  jx_model_step_free (s);
  jx_model_free (m);
}

/* ln P_jet of one tree from the single-state heads (matrix–vector, one head at a time). */
static double
step_log_p (const JxModel *m, JxModelStep *s, const JxModelConfig *cfg, const JxTree *tree,
            float *h, float *h2, size_t h_bytes, double *a)
{
  JxError err = { 0 };
  JxP4 jet = tree->nodes[tree->root].p;
  int G = jx_model_branch_grid (m);
  double sum = 0;
  jx_model_state_init (m, jet, h);
  for (size_t t = 1; t <= tree->n; t++)
    {
      double pe = jx_model_step_end (s, h);
      if (t == tree->n)
        return sum + log (pe);
      sum += log1p (-pe);
      const JxStep *st = &tree->steps[t - 1];
      JX_CHECK_INT (jx_model_step_mother (s, h, (int) t, a, &err), 0);
      sum += log (a[st->mother_index]);
      int bins[4];
      double xs[4], prev[4] = { 0, 0, 0, 0 };
      jx_branching_bins (&cfg->scaling, &st->x, G, bins);
      jx_scale_branching (&cfg->scaling, &st->x, xs);
      for (int head = 0; head < jx_model_n_branch_heads (m); head++)
        {
          JX_CHECK_INT (jx_model_step_branch (s, h, tree->nodes[st->mother].p, jet, head, prev, a,
                                              &err), 0);
          if (cfg->branch == JX_BRANCH_JOINT)
            sum += log (a[jx_branching_cell (bins, G)]);
          else
            {
              int coord = jx_model_branch_head_coord (m, head);
              sum += log (a[bins[coord]]);
              prev[head] = xs[coord];
            }
        }
      jx_model_state_next (m, jet, tree->nodes[st->daughter[0]].p, tree->nodes[st->daughter[1]].p,
                           h, h2);
      memcpy (h, h2, h_bytes);
    }
  return sum;
}

/* The batched evaluation (all jets of a chunk at once: the mother and branch heads' first
 * layers fused into one GEMM over blocks of 256 branching rows, the mother's output layer
 * cut at each block's largest t) against the single-state heads, which run each head on its
 * own, at the paper's sizes on random weights with random biases and enough jets for several
 * row blocks: within 1e-6 relative per jet. */
static void
run_many (JxBranchKind kind, bool local)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = kind;
  cfg.local = local;
  if (kind == JX_BRANCH_JOINT)
    cfg.grid = 5;
  JxModel *m = NULL;
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_new (&cfg, 77 + (uint64_t) kind + 10 * local, &m, &err), 0);
  float *P = jx_model_params (m);
  JxRng rng;
  jx_rng_seed (&rng, 5, 0);
  for (size_t k = 0; k < jx_model_n_tensors (m); k++)
    {
      const JxTensorInfo *t = jx_model_tensor (m, k);
      if (strstr (t->name, "/bias") != NULL)
        for (size_t i = 0; i < t->rows * t->cols; i++)
          P[t->offset + i] = (float) (jx_rng_uniform (&rng) - 0.5);
    }
  enum { NJ = 40 };
  JxTree trees[NJ];
  const JxTree *ptr[NJ];
  for (size_t i = 0; i < NJ; i++)
    {
      random_tree (&trees[i], 5 + (i * 13) % 45, 500 + i);
      ptr[i] = &trees[i];
    }
  double many[NJ];
  JxModelWork *w = jx_model_work_new (m);
  JX_CHECK_INT (jx_model_log_prob_many (m, ptr, NJ, many, w, &err), 0);
  JxModelStep *s = jx_model_step_new (m);
  JX_CHECK (s != NULL);
  size_t hn = jx_model_state_size (m);
  float *h = malloc (hn * sizeof *h), *h2 = malloc (hn * sizeof *h2);
  int G = jx_model_branch_grid (m);
  double *a = malloc ((size_t) G * G * G * G * sizeof *a);
  for (size_t i = 0; i < NJ; i++)
    {
      double ref = step_log_p (m, s, &cfg, &trees[i], h, h2, hn * sizeof *h, a);
      JX_CHECK_CLOSE (many[i], ref, 1e-6, 0);
      jx_tree_free (&trees[i]);
    }
  free (a);
  free (h);
  free (h2);
  jx_model_step_free (s);
  jx_model_work_free (w);
  jx_model_free (m);
}

static void
run (JxBranchKind kind, bool local)
{
  run_cell (kind, local, JX_RECURRENT_RNN, 0);
}

int
main (void)
{
  run (JX_BRANCH_JOINT, false);
  run (JX_BRANCH_JOINT, true);
  run (JX_BRANCH_FACTORIZED, false);
  run (JX_BRANCH_FACTORIZED, true);
  run (JX_BRANCH_HIERARCHICAL, false);
  run (JX_BRANCH_HIERARCHICAL, true);
  run_cell (JX_BRANCH_FACTORIZED, false, JX_RECURRENT_LSTM, 1);
  run_cell (JX_BRANCH_JOINT, false, JX_RECURRENT_GRU, 1);
  run_cell (JX_BRANCH_FACTORIZED, true, JX_RECURRENT_GRU, 0);
  run_many (JX_BRANCH_FACTORIZED, false);
  run_many (JX_BRANCH_FACTORIZED, true);
  run_many (JX_BRANCH_JOINT, false);
  JX_TEST_MAIN_END ("model-step");
}
