/* jx-model.c — see jx-model.h.
 *
 * Size letters: H = hidden (RNN state), D = dense (heads' hidden width), M = max multiplicity
 * (mother outputs), G = grid, K = outputs of a branch head (G⁴ joint, G factorized),
 * CB = inputs of a branch head ([h;] k_m' [; earlier coordinates]).
 *
 * Batching. A chunk of jets is laid out time-major, like a packed sequence: jets sorted by
 * n (descending), state rows ordered by (t, jet), so the jets still alive at step t are a
 * contiguous prefix and the recurrence is one GEMM per step over all of them. Branching
 * rows (t < n) are in one-to-one correspondence with state rows t+1 ≥ 2: branching row b
 * produces state row n_jets + b. Every head then runs as one GEMM per layer over all rows
 * of the chunk; backward mirrors it (head GEMMs, then BPTT with one GEMM per step, then
 * the recurrent weight gradients as single GEMMs over all steps).
 */
#include "jx-model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-layers.h"
#include "jx-rng.h"

/* State rows per chunk (all jets of a chunk run in lock-step, one GEMM per layer): big
 * enough for efficient GEMMs also in the recurrence (one row per jet alive at a step). */
#define CHUNK_ROWS 4096

/* Floats of branch-head logits processed at once (~10 MB): the joint head's (rows, G⁴)
 * logits are made, turned into probabilities or gradients, and used by the output layer's
 * gradient GEMMs in blocks of rows that stay in cache (L3) in between, instead of one
 * (B, G⁴) matrix per chunk. */
#define HEAD_BLOCK_FLOATS (256 * 10000)

/* ---------------------------------------------------------------------------------------
 * parameter layout */

enum {
  T_INIT_W, T_INIT_B, T_RNN_W, T_RNN_V, T_RNN_B,
  T_END_W1, T_END_B1, T_END_W2, T_END_B2,
  T_MOM_W1, T_MOM_B1, T_MOM_W2, T_MOM_B2,
  T_BR0,                      /* then 4 per branch head: hidden kernel/bias, out kernel/bias */
  T_MAX = T_BR0 + 16,
};
#define T_BR(head, k) (T_BR0 + 4 * (head) + (k))

#define NAME_MAX_LEN 48

struct JxModel {
  JxModelConfig cfg;
  int n_heads;                /* branch heads: 1 joint, 4 factorized */
  int head_in[4];             /* CB of each head */
  int head_out[4];            /* K of each head */
  size_t n_tensors;
  JxTensorInfo tensors[T_MAX];   /* indexed by T_* (the used ids are 0..n_tensors−1) */
  char names[T_MAX][NAME_MAX_LEN];
  size_t n_params;
  float *params;
};

/* Factorized heads predict z, θ, δ, φ in turn (the public code's order). */
static const int head_coord[4] = { JX_COORD_Z, JX_COORD_THETA, JX_COORD_DELTA, JX_COORD_PHI };
static const char *const head_name[4] = { "z", "theta", "delta", "phi" };

void
jx_model_config_default (JxModelConfig *cfg)
{
  cfg->branch = JX_BRANCH_JOINT;
  cfg->local = false;
  cfg->hidden = 100;
  cfg->dense = 100;
  cfg->grid = 10;
  cfg->max_mult = 100;
  jx_scaling_default (&cfg->scaling);
}

int
jx_model_config_check (const JxModelConfig *cfg, JxError *err)
{
  if (cfg->branch != JX_BRANCH_JOINT && cfg->branch != JX_BRANCH_FACTORIZED)
    return jx_error_set (err, JX_ERR_INVALID, "unknown branch head kind %d (joint or factorized)",
                         (int) cfg->branch);
  if (cfg->hidden < 1 || cfg->hidden > 100000)
    return jx_error_set (err, JX_ERR_INVALID, "hidden size %d out of range [1, 100000]",
                         cfg->hidden);
  if (cfg->dense < 1 || cfg->dense > 100000)
    return jx_error_set (err, JX_ERR_INVALID, "dense size %d out of range [1, 100000]",
                         cfg->dense);
  if (cfg->grid < 1 || cfg->grid > 64)
    return jx_error_set (err, JX_ERR_INVALID, "grid %d out of range [1, 64]", cfg->grid);
  if (cfg->max_mult < 1 || cfg->max_mult > 100000)
    return jx_error_set (err, JX_ERR_INVALID, "maximum multiplicity %d out of range [1, 100000]",
                         cfg->max_mult);
  return jx_scaling_check (&cfg->scaling, err);
}

const char *
jx_branch_kind_name (JxBranchKind kind)
{
  return kind == JX_BRANCH_FACTORIZED ? "factorized" : "joint";
}

int
jx_branch_kind_parse (const char *name, JxBranchKind *out, JxError *err)
{
  if (name != NULL && strcmp (name, "joint") == 0)
    *out = JX_BRANCH_JOINT;
  else if (name != NULL && strcmp (name, "factorized") == 0)
    *out = JX_BRANCH_FACTORIZED;
  else
    return jx_error_set (err, JX_ERR_INVALID, "unknown branch head kind '%s' (joint or factorized)",
                         name != NULL ? name : "(null)");
  return 0;
}

static void
add_tensor (JxModel *m, int id, const char *layer, const char *what, size_t rows, size_t cols)
{
  snprintf (m->names[id], NAME_MAX_LEN, "%s/%s", layer, what);
  m->tensors[id] = (JxTensorInfo) { m->names[id], m->n_params, rows, cols };
  m->n_params += rows * cols;
  m->n_tensors = (size_t) id + 1;
}

static void
add_dense (JxModel *m, int id, const char *layer, size_t in, size_t out)
{
  add_tensor (m, id, layer, "kernel", in, out);
  add_tensor (m, id + 1, layer, "bias", 1, out);
}

static void
build_layout (JxModel *m)
{
  const JxModelConfig *c = &m->cfg;
  size_t H = c->hidden, D = c->dense, G = c->grid;
  m->n_params = 0;
  add_dense (m, T_INIT_W, "init", 4, H);
  add_tensor (m, T_RNN_W, "rnn", "kernel", 8, H);
  add_tensor (m, T_RNN_V, "rnn", "recurrent_kernel", H, H);
  add_tensor (m, T_RNN_B, "rnn", "bias", 1, H);
  add_dense (m, T_END_W1, "end_hidden", H, D);
  add_dense (m, T_END_W2, "end_out", D, 1);
  add_dense (m, T_MOM_W1, "mother_hidden", H, D);
  add_dense (m, T_MOM_W2, "mother_out", D, (size_t) c->max_mult);
  int h_in = c->local ? 0 : c->hidden;
  if (c->branch == JX_BRANCH_JOINT)
    {
      m->n_heads = 1;
      m->head_in[0] = h_in + 4;
      m->head_out[0] = c->grid * c->grid * c->grid * c->grid;
      add_dense (m, T_BR (0, 0), "branch_hidden", (size_t) m->head_in[0], D);
      add_dense (m, T_BR (0, 2), "branch_out", D, (size_t) m->head_out[0]);
      return;
    }
  m->n_heads = 4;
  for (int k = 0; k < 4; k++)
    {
      char layer[32];
      m->head_in[k] = h_in + 4 + k;
      m->head_out[k] = c->grid;
      snprintf (layer, sizeof layer, "branch_%s_hidden", head_name[k]);
      add_dense (m, T_BR (k, 0), layer, (size_t) m->head_in[k], D);
      snprintf (layer, sizeof layer, "branch_%s_out", head_name[k]);
      add_dense (m, T_BR (k, 2), layer, D, G);
    }
}

static JxModel *
model_alloc (const JxModelConfig *cfg)
{
  JxModel *m = calloc (1, sizeof *m);
  if (m == NULL)
    return NULL;
  m->cfg = *cfg;
  build_layout (m);
  m->params = calloc (m->n_params, sizeof *m->params);
  if (m->params == NULL)
    {
      free (m);
      return NULL;
    }
  return m;
}

int
jx_model_new (const JxModelConfig *cfg, uint64_t seed, JxModel **out, JxError *err)
{
  *out = NULL;
  int rc = jx_model_config_check (cfg, err);
  if (rc != 0)
    return rc;
  JxModel *m = model_alloc (cfg);
  if (m == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory allocating a model");
  JxRng rng;
  jx_rng_seed (&rng, seed, 0);
  for (size_t i = 0; i < m->n_tensors; i++)
    {
      const JxTensorInfo *t = &m->tensors[i];
      if (t->rows == 1 && strstr (t->name, "/bias") != NULL)
        continue;   /* biases start at zero (calloc) */
      /* Glorot uniform: keeps activation variance roughly constant through tanh/ReLU. */
      double limit = sqrt (6.0 / (double) (t->rows + t->cols));
      float *p = m->params + t->offset;
      for (size_t j = 0; j < t->rows * t->cols; j++)
        p[j] = (float) ((2.0 * jx_rng_uniform (&rng) - 1.0) * limit);
    }
  *out = m;
  return 0;
}

void
jx_model_free (JxModel *model)
{
  if (model == NULL)
    return;
  free (model->params);
  free (model);
}

JxModel *
jx_model_copy (const JxModel *model)
{
  JxModel *m = model_alloc (&model->cfg);
  if (m != NULL)
    memcpy (m->params, model->params, model->n_params * sizeof *m->params);
  return m;
}

const JxModelConfig *
jx_model_config (const JxModel *model)
{
  return &model->cfg;
}

size_t
jx_model_n_params (const JxModel *model)
{
  return model->n_params;
}

float *
jx_model_params (JxModel *model)
{
  return model->params;
}

const float *
jx_model_params_const (const JxModel *model)
{
  return model->params;
}

size_t
jx_model_n_tensors (const JxModel *model)
{
  return model->n_tensors;
}

const JxTensorInfo *
jx_model_tensor (const JxModel *model, size_t i)
{
  return i < model->n_tensors ? &model->tensors[i] : NULL;
}

int
jx_model_find_tensor (const JxModel *model, const char *name)
{
  for (size_t i = 0; i < model->n_tensors; i++)
    if (strcmp (model->tensors[i].name, name) == 0)
      return (int) i;
  return -1;
}

double
jx_model_step_flops (const JxModel *model)
{
  const JxModelConfig *c = &model->cfg;
  double H = c->hidden, D = c->dense, M = c->max_mult;
  double f = 2 * (8 * H + H * H) + 2 * (H * D + D) + 2 * (H * D + D * M);
  for (int k = 0; k < model->n_heads; k++)
    f += 2 * ((double) model->head_in[k] * D + D * (double) model->head_out[k]);
  return f;
}

int
jx_model_n_branch_heads (const JxModel *model)
{
  return model->n_heads;
}

int
jx_model_branch_head_coord (const JxModel *model, int head)
{
  return model->n_heads == 1 ? -1 : head_coord[head];
}

/* Pointer to tensor id inside a parameter-shaped block (params or a gradient). */
static inline float *
T (const JxModel *m, float *base, int id)
{
  return base + m->tensors[id].offset;
}

static inline const float *
TC (const JxModel *m, const float *base, int id)
{
  return base + m->tensors[id].offset;
}

/* ---------------------------------------------------------------------------------------
 * work buffers: one block, pointed into (re-pointed whenever the shape changes) */

struct JxModelWork {
  char *block;
  size_t cap;
  /* index data */
  int max_t;           /* longest jet of the chunk */
  int *order;          /* (J) chunk jets sorted by n descending */
  JxFrame *frames;     /* (J) jet axis frame per sorted jet */
  unsigned char *frame_ok;   /* (J) */
  int *count;          /* (M+2) jets alive at step t */
  int *start;          /* (M+2) first state row of step t */
  int *end_y;          /* (S) end target of each state row */
  int *hrow;           /* (B) state row holding h_t of each branching row */
  int *mother_t;       /* (B) candidates at that step (= t) */
  int *mother_target;  /* (B) m_t */
  int *target[4];      /* (B) per branch head: joint cell or factorized bin */
  /* inputs */
  float *seed;         /* (J, 4) */
  float *din;          /* (B, 8) daughters [d1'; d2'] */
  float *km;           /* (B, 4) mother */
  float *xs;           /* (B, 4) scaled branching in head order z, θ, δ, φ */
  /* activations */
  float *hs;           /* (S, H) */
  float *hb;           /* (B, H) h_t gathered per branching row */
  float *ea, *el;      /* (S, D), (S) */
  float *ma, *ml;      /* (B, D), (B, M) logits, then probabilities, then their gradient */
  float *bu[4], *ba[4];    /* (B, CB), (B, D) */
  float *bl[4];            /* (head_block, K): logits of a block of rows, then their
                            * probabilities (evaluation) or gradient (training) */
  double *lp_end, *lp_mother, *lp_branch[4];   /* (S), (B), (B) */
  /* gradients */
  float *dhs, *dpre;   /* (S, H) */
  float *dhb;          /* (B, H) */
  float *da, *dp;      /* (max(S, B), D) */
  float *dl;           /* (S) P_end logit gradient; the softmax heads turn their
                        * probabilities into logit gradients in place */
};

JxModelWork *
jx_model_work_new (const JxModel *model)
{
  (void) model;   /* buffers are sized lazily from the model passed to each call */
  return calloc (1, sizeof (JxModelWork));
}

void
jx_model_work_free (JxModelWork *work)
{
  if (work == NULL)
    return;
  free (work->block);
  free (work);
}

typedef struct {
  void **ptr;
  size_t bytes;
} Slot;

static size_t
align64 (size_t n)
{
  return (n + 63) & ~(size_t) 63;
}

/* Rows per block of branch head k for B branching rows: blocks of equal size (no small
 * remainder block) of at most HEAD_BLOCK_FLOATS logits. */
static int
head_block (const JxModel *m, int k, size_t B)
{
  size_t cap = HEAD_BLOCK_FLOATS / (size_t) m->head_out[k];
  if (cap < 1)
    cap = 1;
  if (B <= cap)
    return B > 0 ? (int) B : 1;
  size_t n_blocks = (B + cap - 1) / cap;
  return (int) ((B + n_blocks - 1) / n_blocks);
}

/* Point all buffers for J jets, S state rows and B = S − J branching rows. */
static int
work_reserve (JxModelWork *w, const JxModel *m, size_t J, size_t S, bool grad)
{
  size_t B = S - J, H = m->cfg.hidden, D = m->cfg.dense, M = m->cfg.max_mult;
  size_t maxSB = S > B ? S : B;
  Slot slots[64];
  int n = 0;
#define SLOT(p, count) slots[n++] = (Slot) { (void **) &(p), (count) * sizeof *(p) }
  SLOT (w->order, J);
  SLOT (w->frames, J);
  SLOT (w->frame_ok, J);
  SLOT (w->count, M + 2);
  SLOT (w->start, M + 2);
  SLOT (w->end_y, S);
  SLOT (w->hrow, B);
  SLOT (w->mother_t, B);
  SLOT (w->mother_target, B);
  SLOT (w->seed, J * 4);
  SLOT (w->din, B * 8);
  SLOT (w->km, B * 4);
  SLOT (w->xs, B * 4);
  SLOT (w->hs, S * H);
  SLOT (w->hb, B * H);
  SLOT (w->ea, S * D);
  SLOT (w->el, S);
  SLOT (w->ma, B * D);
  SLOT (w->ml, B * M);
  SLOT (w->lp_end, S);
  SLOT (w->lp_mother, B);
  for (int k = 0; k < m->n_heads; k++)
    {
      size_t K = m->head_out[k];
      SLOT (w->target[k], B);
      SLOT (w->bu[k], B * m->head_in[k]);
      SLOT (w->ba[k], B * D);
      SLOT (w->bl[k], (size_t) head_block (m, k, B) * K);
      SLOT (w->lp_branch[k], B);
    }
  if (grad)
    {
      SLOT (w->dhs, S * H);
      SLOT (w->dpre, S * H);
      SLOT (w->dhb, B * H);
      SLOT (w->da, maxSB * D);
      SLOT (w->dp, maxSB * D);
      SLOT (w->dl, S);
    }
#undef SLOT
  size_t total = 0;
  for (int i = 0; i < n; i++)
    total += align64 (slots[i].bytes);
  if (total > w->cap)
    {
      free (w->block);
      w->block = aligned_alloc (64, align64 (total));
      if (w->block == NULL)
        {
          w->cap = 0;
          return JX_ERR_NOMEM;
        }
      w->cap = align64 (total);
    }
  char *p = w->block;
  for (int i = 0; i < n; i++)
    {
      *slots[i].ptr = p;
      p += align64 (slots[i].bytes);
    }
  return 0;
}

/* ---------------------------------------------------------------------------------------
 * inputs */

static void
scale_relative (const JxScaling *s, const JxRelative *r, float out[4])
{
  double v[4];
  jx_scale_momentum (s, r, v);
  for (int i = 0; i < 4; i++)
    out[i] = (float) v[i];
}

/* jx_relative_to with the jet's frame built once per jet (frame NULL: the jet has no
 * direction, angles 0 as in jx_relative_to). */
static void
scale_in_frame (const JxScaling *s, const JxFrame *frame, JxP4 p, float out[4])
{
  JxRelative r = { p.E, 0, 0, jx_p4_mass (p) };
  if (frame != NULL)
    jx_frame_angles (frame, p, &r.theta, &r.phi);
  scale_relative (s, &r, out);
}

static void
scale_input (const JxScaling *s, JxP4 p, JxP4 jet, float out[4])
{
  JxRelative r = jx_relative_to (p, jet);
  scale_relative (s, &r, out);
}

void
jx_model_scale_input (const JxModel *model, JxP4 p, JxP4 jet, float out[4])
{
  scale_input (&model->cfg.scaling, p, jet, out);
}

/* The seed is the jet relative to its own axis: θ = φ = 0 exactly (no rounding noise). */
static void
scale_seed (const JxScaling *s, JxP4 jet, float out[4])
{
  JxRelative r = { jet.E, 0.0, 0.0, jx_p4_mass (jet) };
  scale_relative (s, &r, out);
}

static int
check_tree (const JxModel *m, const JxTree *tree, size_t index, JxError *err)
{
  if (tree == NULL || tree->n < 1 || tree->nodes == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "jet %zu: empty clustering tree", index);
  if (tree->n > (size_t) m->cfg.max_mult)
    return jx_error_set (err, JX_ERR_RANGE,
                         "jet %zu has %zu particles, more than the model's maximum "
                         "multiplicity M = %d; skip such jets or use a model with a larger M",
                         index, tree->n, m->cfg.max_mult);
  int n_nodes = (int) (2 * tree->n - 1);
  if (tree->root < 0 || tree->root >= n_nodes || (tree->n > 1 && tree->steps == NULL))
    return jx_error_set (err, JX_ERR_INVALID, "jet %zu: malformed clustering tree (root %d)",
                         index, tree->root);
  for (size_t t = 1; t < tree->n; t++)
    {
      const JxStep *s = &tree->steps[t - 1];
      if (s->mother_index < 0 || (size_t) s->mother_index >= t || s->mother < 0
          || s->mother >= n_nodes || s->daughter[0] < 0 || s->daughter[0] >= n_nodes
          || s->daughter[1] < 0 || s->daughter[1] >= n_nodes)
        return jx_error_set (err, JX_ERR_INVALID,
                             "jet %zu: malformed clustering tree at step %zu (mother index %d)",
                             index, t, s->mother_index);
    }
  return 0;
}

/* Lay out jets trees[0..J) time-major (see the top of the file) and fill inputs/targets. */
static void
fill_chunk (const JxModel *m, JxModelWork *w, const JxTree *const *trees, size_t J)
{
  const JxScaling *sc = &m->cfg.scaling;
  int G = m->cfg.grid;
  /* Stable insertion sort by n descending: chunks are small. */
  for (size_t i = 0; i < J; i++)
    {
      size_t k = i;
      while (k > 0 && trees[w->order[k - 1]]->n < trees[i]->n)
        {
          w->order[k] = w->order[k - 1];
          k--;
        }
      w->order[k] = (int) i;
    }
  int max_t = (int) trees[w->order[0]]->n;
  w->max_t = max_t;
  int row = 0;
  for (int t = 1; t <= max_t + 1; t++)
    {
      int c = 0;
      while ((size_t) c < J && (int) trees[w->order[c]]->n >= t)
        c++;
      w->count[t] = c;
      w->start[t] = row;
      row += c;
    }
  for (int t = 1; t <= max_t; t++)
    for (int c = 0; c < w->count[t]; c++)
      {
        const JxTree *tr = trees[w->order[c]];
        int r = w->start[t] + c;
        JxP4 jet = tr->nodes[tr->root].p;
        if (t == 1)
          {
            scale_seed (sc, jet, w->seed + 4 * c);
            w->frame_ok[c] = jx_frame_from_axis (&w->frames[c], jet);
          }
        const JxFrame *frame = w->frame_ok[c] ? &w->frames[c] : NULL;
        w->end_y[r] = (size_t) t == tr->n;
        if ((size_t) t == tr->n)
          continue;
        int b = w->start[t + 1] + c - (int) J;
        const JxStep *s = &tr->steps[t - 1];
        w->hrow[b] = r;
        scale_in_frame (sc, frame, tr->nodes[s->daughter[0]].p, w->din + 8 * b);
        scale_in_frame (sc, frame, tr->nodes[s->daughter[1]].p, w->din + 8 * b + 4);
        scale_in_frame (sc, frame, tr->nodes[s->mother].p, w->km + 4 * b);
        w->mother_t[b] = t;
        w->mother_target[b] = s->mother_index;
        double x[4];
        int bins[4];
        jx_scale_branching (sc, &s->x, x);
        for (int k = 0; k < 4; k++)
          {
            w->xs[4 * b + k] = (float) x[head_coord[k]];
            bins[k] = jx_scaling_bin (x[k], G);
          }
        if (m->n_heads == 1)
          w->target[0][b] = jx_branching_cell (bins, G);
        else
          for (int k = 0; k < 4; k++)
            w->target[k][b] = bins[head_coord[k]];
      }
}

/* Branch head k input rows: [h (unless local); k_m'; the k earlier scaled coordinates]. */
static void
fill_branch_input (const JxModel *m, float *u, const float *hb, const float *km,
                   const float *xs, int k, int B)
{
  int H = m->cfg.hidden, CB = m->head_in[k];
  for (int b = 0; b < B; b++)
    {
      float *row = u + (size_t) b * CB;
      if (!m->cfg.local)
        {
          memcpy (row, hb + (size_t) b * H, H * sizeof *row);
          row += H;
        }
      memcpy (row, km + 4 * b, 4 * sizeof *row);
      for (int j = 0; j < k; j++)
        row[4 + j] = xs[4 * b + j];
    }
}

/* ---------------------------------------------------------------------------------------
 * forward / backward over one chunk */

/* P_branch, one head (joint) or four (factorized), over all B branching rows. The output
 * layer runs in blocks of rows (head_block); when training (g != NULL) each block's logits
 * become their gradient in the softmax pass and feed the output layer's gradient GEMMs
 * right away, so the head's backward pass happens here; w->dhb gets the gradient w.r.t. h. */
static void
branch_heads (const JxModel *m, JxModelWork *w, int B, float *g)
{
  const float *P = m->params;
  int H = m->cfg.hidden, D = m->cfg.dense;
  if (g != NULL)
    memset (w->dhb, 0, (size_t) B * H * sizeof (float));
  for (int k = 0; k < m->n_heads; k++)
    {
      int CB = m->head_in[k], K = m->head_out[k], blk = head_block (m, k, (size_t) B);
      const float *w2 = TC (m, P, T_BR (k, 2)), *b2 = TC (m, P, T_BR (k, 3));
      fill_branch_input (m, w->bu[k], w->hb, w->km, w->xs, k, B);
      jx_dense_forward (w->ba[k], w->bu[k], TC (m, P, T_BR (k, 0)), TC (m, P, T_BR (k, 1)),
                        B, CB, D);
      jx_relu_forward (w->ba[k], w->ba[k], (size_t) B * D);
      if (g != NULL)
        memset (w->da, 0, (size_t) B * D * sizeof (float));
      for (int b0 = 0; b0 < B; b0 += blk)
        {
          int nb = B - b0 < blk ? B - b0 : blk;
          const float *a = w->ba[k] + (size_t) b0 * D;
          jx_dense_forward (w->bl[k], a, w2, NULL, nb, D, K);
          jx_softmax_xent_bias (w->bl[k], w->lp_branch[k] + b0, b2, w->target[k] + b0,
                                g != NULL ? T (m, g, T_BR (k, 3)) : NULL, nb, K);
          if (g != NULL)
            jx_dense_backward (w->da + (size_t) b0 * D, T (m, g, T_BR (k, 2)), NULL, w->bl[k], a,
                               w2, nb, D, K);
        }
      if (g == NULL)
        continue;
      memset (w->dp, 0, (size_t) B * D * sizeof (float));
      jx_relu_backward (w->dp, w->da, w->ba[k], (size_t) B * D);
      jx_dense_backward (NULL, T (m, g, T_BR (k, 0)), T (m, g, T_BR (k, 1)), w->dp, w->bu[k],
                         TC (m, P, T_BR (k, 0)), B, CB, D);
      /* Only h needs an input gradient; it is the first H inputs, i.e. the first H rows of
       * the (CB, D) kernel, which form a (H, D) matrix of the same stride. */
      if (!m->cfg.local)
        jx_dense_backward (w->dhb, NULL, NULL, w->dp, NULL, TC (m, P, T_BR (k, 0)), B, H, D);
    }
}

/* Forward over one chunk; with g != NULL the branch heads' backward pass too (see
 * branch_heads), the rest is chunk_backward's. */
static void
chunk_forward (const JxModel *m, JxModelWork *w, int J, int S, float *g)
{
  const float *P = m->params;
  int H = m->cfg.hidden, D = m->cfg.dense, M = m->cfg.max_mult, B = S - J;
  /* RNN: h(1) for every jet, then all daughter projections at once, then the recurrence. */
  jx_dense_forward (w->hs, w->seed, TC (m, P, T_INIT_W), TC (m, P, T_INIT_B), J, 4, H);
  jx_tanh_forward (w->hs, w->hs, (size_t) J * H);
  jx_dense_forward (w->hs + (size_t) J * H, w->din, TC (m, P, T_RNN_W), TC (m, P, T_RNN_B),
                    B, 8, H);
  for (int t = 1; w->count[t + 1] > 0; t++)
    {
      int c = w->count[t + 1];
      float *next = w->hs + (size_t) w->start[t + 1] * H;
      /* next (c, H) += h_t (c, H) · V: the first c jets of step t are the ones still alive. */
      jx_dense_forward_acc (next, w->hs + (size_t) w->start[t] * H, TC (m, P, T_RNN_V), c, H, H);
      jx_tanh_forward (next, next, (size_t) c * H);
    }
  for (int b = 0; b < B; b++)
    memcpy (w->hb + (size_t) b * H, w->hs + (size_t) w->hrow[b] * H, H * sizeof (float));

  /* P_end on every state. */
  jx_dense_forward (w->ea, w->hs, TC (m, P, T_END_W1), TC (m, P, T_END_B1), S, H, D);
  jx_relu_forward (w->ea, w->ea, (size_t) S * D);
  jx_dense_forward (w->el, w->ea, TC (m, P, T_END_W2), TC (m, P, T_END_B2), S, D, 1);
  jx_sigmoid_xent_forward (NULL, w->lp_end, w->el, w->end_y, S);
  if (B == 0)
    return;

  /* P_mother on every branching state. */
  jx_dense_forward (w->ma, w->hb, TC (m, P, T_MOM_W1), TC (m, P, T_MOM_B1), B, H, D);
  jx_relu_forward (w->ma, w->ma, (size_t) B * D);
  jx_dense_forward (w->ml, w->ma, TC (m, P, T_MOM_W2), TC (m, P, T_MOM_B2), B, D, M);
  jx_softmax_xent_forward (w->ml, w->lp_mother, w->ml, w->mother_target, w->mother_t, B, M, M);

  branch_heads (m, w, B, g);
}

static void
chunk_backward (const JxModel *m, JxModelWork *w, float *g, int J, int S)
{
  const float *P = m->params;
  int H = m->cfg.hidden, D = m->cfg.dense, M = m->cfg.max_mult, B = S - J;
  memset (w->dhs, 0, (size_t) S * H * sizeof (float));

  /* P_end: loss −ln P_end(y|h) on every state. */
  memset (w->dl, 0, (size_t) S * sizeof (float));
  jx_sigmoid_xent_backward (w->dl, w->el, w->end_y, NULL, S);
  memset (w->da, 0, (size_t) S * D * sizeof (float));
  jx_dense_backward (w->da, T (m, g, T_END_W2), T (m, g, T_END_B2), w->dl, w->ea,
                     TC (m, P, T_END_W2), S, D, 1);
  memset (w->dp, 0, (size_t) S * D * sizeof (float));
  jx_relu_backward (w->dp, w->da, w->ea, (size_t) S * D);
  jx_dense_backward (w->dhs, T (m, g, T_END_W1), T (m, g, T_END_B1), w->dp, w->hs,
                     TC (m, P, T_END_W1), S, H, D);

  if (B > 0)
    {
      /* P_mother (dhb already holds the branch heads' part). */
      jx_softmax_xent_backward_inplace (w->ml, w->mother_target, B, M);
      memset (w->da, 0, (size_t) B * D * sizeof (float));
      jx_dense_backward (w->da, T (m, g, T_MOM_W2), T (m, g, T_MOM_B2), w->ml, w->ma,
                         TC (m, P, T_MOM_W2), B, D, M);
      memset (w->dp, 0, (size_t) B * D * sizeof (float));
      jx_relu_backward (w->dp, w->da, w->ma, (size_t) B * D);
      jx_dense_backward (w->dhb, T (m, g, T_MOM_W1), T (m, g, T_MOM_B1), w->dp, w->hb,
                         TC (m, P, T_MOM_W1), B, H, D);

      for (int b = 0; b < B; b++)
        {
          float *dst = w->dhs + (size_t) w->hrow[b] * H;
          const float *src = w->dhb + (size_t) b * H;
          for (int i = 0; i < H; i++)
            dst[i] += src[i];
        }
    }

  /* BPTT, latest step first: dh(t) is complete once every later step has been folded in.
   * forward: h(t+1) = tanh(pre), pre = d·W + h(t)·V + b. */
  memset (w->dpre, 0, (size_t) S * H * sizeof (float));
  for (int t = w->max_t; t >= 1; t--)
    {
      size_t r = (size_t) w->start[t] * H;
      int c = w->count[t];
      jx_tanh_backward (w->dpre + r, w->dhs + r, w->hs + r, (size_t) c * H);
      if (t > 1)
        jx_dense_backward (w->dhs + (size_t) w->start[t - 1] * H, NULL, NULL, w->dpre + r, NULL,
                           TC (m, P, T_RNN_V), c, H, H);
    }
  /* Weight gradients of the recurrence as single GEMMs over all steps of all jets. */
  jx_dense_backward (NULL, T (m, g, T_INIT_W), T (m, g, T_INIT_B), w->dpre, w->seed,
                     TC (m, P, T_INIT_W), J, 4, H);
  if (B > 0)
    {
      const float *dpre_b = w->dpre + (size_t) J * H;
      jx_dense_backward (NULL, T (m, g, T_RNN_W), T (m, g, T_RNN_B), dpre_b, w->din,
                         TC (m, P, T_RNN_W), B, 8, H);
      jx_dense_backward (NULL, T (m, g, T_RNN_V), NULL, dpre_b, w->hb, TC (m, P, T_RNN_V), B, H, H);
    }
}

/* Forward (and backward when grad != NULL) over trees[0..J); index0 is the batch index of
 * trees[0] for error messages. per_step only for J = 1; tree_log_p (optional) gets each
 * tree's ln P_jet. */
static int
run_chunk (const JxModel *m, const JxTree *const *trees, size_t J, size_t index0,
           JxModelWork *w, float *grad, double *loss, JxStepScore *per_step,
           double *tree_log_p, JxError *err)
{
  size_t S = 0;
  for (size_t i = 0; i < J; i++)
    {
      int rc = check_tree (m, trees[i], index0 + i, err);
      if (rc != 0)
        return rc;
      S += trees[i]->n;
    }
  if (work_reserve (w, m, J, S, grad != NULL) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network activations (%zu steps)", S);
  fill_chunk (m, w, trees, J);
  chunk_forward (m, w, (int) J, (int) S, grad);
  size_t B = S - J;
  double sum = 0.0;
  for (size_t r = 0; r < S; r++)
    sum += w->lp_end[r];
  for (size_t b = 0; b < B; b++)
    {
      sum += w->lp_mother[b];
      for (int k = 0; k < m->n_heads; k++)
        sum += w->lp_branch[k][b];
    }
  *loss = -sum;
  if (tree_log_p != NULL)
    for (int t = 1; t <= w->max_t; t++)
      for (int c = 0; c < w->count[t]; c++)
        {
          size_t r = (size_t) w->start[t] + c;
          double lp = w->lp_end[r];
          if (w->count[t + 1] > c)   /* the jet goes on: branching row of (t, c) */
            {
              size_t b = (size_t) w->start[t + 1] + c - J;
              lp += w->lp_mother[b];
              for (int k = 0; k < m->n_heads; k++)
                lp += w->lp_branch[k][b];
            }
          tree_log_p[w->order[c]] = t == 1 ? lp : tree_log_p[w->order[c]] + lp;
        }
  if (per_step != NULL)
    {
      size_t n = trees[0]->n;
      for (size_t t = 1; t <= n; t++)
        {
          JxStepScore *ps = &per_step[t - 1];
          memset (ps, 0, sizeof *ps);
          ps->log_end = w->lp_end[w->start[t]];
          if (t == n)
            continue;
          size_t b = (size_t) w->start[t + 1] - J;
          ps->log_mother = w->lp_mother[b];
          for (int k = 0; k < m->n_heads; k++)
            {
              ps->log_branch += w->lp_branch[k][b];
              if (m->n_heads == 4)
                ps->log_branch_parts[k] = w->lp_branch[k][b];
            }
        }
    }
  if (grad != NULL)
    chunk_backward (m, w, grad, (int) J, (int) S);
  return 0;
}

int
jx_model_log_prob (const JxModel *model, const JxTree *tree, JxStepScore *per_step,
                   double *log_p, JxModelWork *work, JxError *err)
{
  JxModelWork *own = NULL;
  if (work == NULL)
    {
      own = work = jx_model_work_new (model);
      if (work == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
    }
  double loss = 0.0;
  const JxTree *const trees[1] = { tree };
  int rc = run_chunk (model, trees, 1, 0, work, NULL, &loss, per_step, NULL, err);
  if (rc == 0)
    *log_p = -loss;
  jx_model_work_free (own);
  return rc;
}

/* Chunks of consecutive jets up to CHUNK_ROWS states (at least one jet per chunk). */
static int
run_batch (const JxModel *model, const JxTree *const *trees, size_t n_trees, double *loss_sum,
           float *grad, double *log_p, JxModelWork *work, JxError *err)
{
  JxModelWork *own = NULL;
  if (work == NULL)
    {
      own = work = jx_model_work_new (model);
      if (work == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
    }
  double total = 0.0;
  int rc = 0;
  size_t i = 0;
  while (i < n_trees && rc == 0)
    {
      size_t j = i, S = 0;
      while (j < n_trees)
        {
          size_t n = trees[j] != NULL ? trees[j]->n : 1;
          if (j > i && S + n > CHUNK_ROWS)
            break;
          S += n;
          j++;
        }
      double loss = 0.0;
      rc = run_chunk (model, trees + i, j - i, i, work, grad, &loss, NULL,
                      log_p != NULL ? log_p + i : NULL, err);
      total += loss;
      i = j;
    }
  if (rc == 0 && loss_sum != NULL)
    *loss_sum = total;
  jx_model_work_free (own);
  return rc;
}

int
jx_model_loss_grad (const JxModel *model, const JxTree *const *trees, size_t n_trees,
                    double *loss_sum, float *grad, JxModelWork *work, JxError *err)
{
  return run_batch (model, trees, n_trees, loss_sum, grad, NULL, work, err);
}

int
jx_model_log_prob_many (const JxModel *model, const JxTree *const *trees, size_t n_trees,
                        double *log_p, JxModelWork *work, JxError *err)
{
  return run_batch (model, trees, n_trees, NULL, NULL, log_p, work, err);
}

/* ---------------------------------------------------------------------------------------
 * one state at a time */

void
jx_model_state_init (const JxModel *model, JxP4 jet, float *h)
{
  const JxModel *m = model;
  float seed[4];
  scale_seed (&m->cfg.scaling, jet, seed);
  jx_dense_forward (h, seed, TC (m, m->params, T_INIT_W), TC (m, m->params, T_INIT_B), 1, 4,
                    m->cfg.hidden);
  jx_tanh_forward (h, h, (size_t) m->cfg.hidden);
}

void
jx_model_state_next (const JxModel *model, JxP4 jet, JxP4 d_hard, JxP4 d_soft,
                     const float *h, float *h_next)
{
  const JxModel *m = model;
  int H = m->cfg.hidden;
  float din[8];
  scale_input (&m->cfg.scaling, d_hard, jet, din);
  scale_input (&m->cfg.scaling, d_soft, jet, din + 4);
  jx_dense_forward (h_next, din, TC (m, m->params, T_RNN_W), TC (m, m->params, T_RNN_B), 1, 8, H);
  jx_dense_forward_acc (h_next, h, TC (m, m->params, T_RNN_V), 1, H, H);
  jx_tanh_forward (h_next, h_next, (size_t) H);
}

double
jx_model_end_prob (const JxModel *model, const float *h, JxModelWork *work)
{
  const JxModel *m = model;
  const float *P = m->params;
  int H = m->cfg.hidden, D = m->cfg.dense;
  JxModelWork *own = work == NULL ? (work = jx_model_work_new (m)) : NULL;
  double p = NAN;
  if (work != NULL && work_reserve (work, m, 1, 1, false) == 0)
    {
      jx_dense_forward (work->ea, h, TC (m, P, T_END_W1), TC (m, P, T_END_B1), 1, H, D);
      jx_relu_forward (work->ea, work->ea, (size_t) D);
      jx_dense_forward (work->el, work->ea, TC (m, P, T_END_W2), TC (m, P, T_END_B2), 1, D, 1);
      p = 1.0 / (1.0 + exp (-(double) work->el[0]));
    }
  jx_model_work_free (own);
  return p;
}

/* probs[0..n) = softmax(l[0..n)) in double. */
static void
softmax_double (double *probs, const float *l, int n)
{
  float mx = l[0];
  for (int j = 1; j < n; j++)
    mx = l[j] > mx ? l[j] : mx;
  double sum = 0.0;
  for (int j = 0; j < n; j++)
    sum += probs[j] = exp ((double) l[j] - mx);
  for (int j = 0; j < n; j++)
    probs[j] /= sum;
}

static int
mother_probs (const JxModel *model, const float *h, int t, double *probs,
              JxModelWork *work, JxError *err)
{
  const JxModel *m = model;
  const float *P = m->params;
  int H = m->cfg.hidden, D = m->cfg.dense, M = m->cfg.max_mult;
  if (t < 1 || t > M)
    return jx_error_set (err, JX_ERR_RANGE, "step %d outside the model's 1..M = %d", t, M);
  if (work_reserve (work, m, 1, 2, false) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
  jx_dense_forward (work->ma, h, TC (m, P, T_MOM_W1), TC (m, P, T_MOM_B1), 1, H, D);
  jx_relu_forward (work->ma, work->ma, (size_t) D);
  jx_dense_forward (work->ml, work->ma, TC (m, P, T_MOM_W2), TC (m, P, T_MOM_B2), 1, D, M);
  softmax_double (probs, work->ml, t);
  return 0;
}

static int
branch_probs (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
              int head, const double *prev, double *probs, JxModelWork *work, JxError *err)
{
  const JxModel *m = model;
  const float *P = m->params;
  int D = m->cfg.dense;
  if (head < 0 || head >= m->n_heads)
    return jx_error_set (err, JX_ERR_INVALID, "branch head %d does not exist (the model has %d)",
                         head, m->n_heads);
  if (work_reserve (work, m, 1, 2, false) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
  float xs[4] = { 0, 0, 0, 0 };
  for (int k = 0; k < head; k++)
    xs[k] = (float) prev[k];
  scale_input (&m->cfg.scaling, mother, jet, work->km);
  int CB = m->head_in[head], K = m->head_out[head];
  fill_branch_input (m, work->bu[head], h, work->km, xs, head, 1);
  jx_dense_forward (work->ba[head], work->bu[head], TC (m, P, T_BR (head, 0)),
                    TC (m, P, T_BR (head, 1)), 1, CB, D);
  jx_relu_forward (work->ba[head], work->ba[head], (size_t) D);
  jx_dense_forward (work->bl[head], work->ba[head], TC (m, P, T_BR (head, 2)),
                    TC (m, P, T_BR (head, 3)), 1, D, K);
  softmax_double (probs, work->bl[head], K);
  return 0;
}

int
jx_model_mother_probs (const JxModel *model, const float *h, int t, double *probs,
                       JxModelWork *work, JxError *err)
{
  JxModelWork *own = work == NULL ? (work = jx_model_work_new (model)) : NULL;
  int rc = work == NULL ? jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space")
                        : mother_probs (model, h, t, probs, work, err);
  jx_model_work_free (own);
  return rc;
}

int
jx_model_branch_probs (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                       int head, const double *prev, double *probs,
                       JxModelWork *work, JxError *err)
{
  JxModelWork *own = work == NULL ? (work = jx_model_work_new (model)) : NULL;
  int rc = work == NULL ? jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space")
                        : branch_probs (model, h, mother, jet, head, prev, probs, work, err);
  jx_model_work_free (own);
  return rc;
}
