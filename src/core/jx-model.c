/* jx-model.c — see jx-model.h.
 *
 * Size letters: H = hidden (RNN state), De, Dm, Db = the end, mother and branch heads' hidden
 * widths, M = max multiplicity (mother outputs), G = grid, K = outputs of a branch head (G⁴
 * joint, G factorized, plus padding classes), CB = inputs of a branch head ([h;] k_m'
 * [; earlier coordinates]), GH = width of the recurrent pre-activations (H rnn, 4H lstm,
 * 3H gru).
 *
 * Batching. A chunk of jets is laid out time-major, like a packed sequence: jets sorted by
 * n (descending), state rows ordered by (t, jet), so the jets still alive at step t are a
 * contiguous prefix and the recurrence is one GEMM per step over all of them. Branching
 * rows (t < n) are in one-to-one correspondence with state rows t+1 ≥ 2: branching row b
 * produces state row n_jets + b. Every head then runs as one GEMM per layer over all rows
 * of the chunk — the mother and branch heads' first layers as a single GEMM on their kernels
 * side by side, in blocks of rows that stay in cache (heads_fused); backward mirrors it
 * (head GEMMs, then BPTT with one GEMM per step, then the recurrent weight gradients as
 * single GEMMs over all steps). The gated cells keep their
 * gate activations per branching row (and an LSTM its cell states per state row) for BPTT.
 */
#include "jx-model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-energy-head.h"
#include "jx-layers.h"
#include "jx-recurrent.h"
#include "jx-rng.h"

/* State rows per chunk (all jets of a chunk run in lock-step, one GEMM per layer): big
 * enough for efficient GEMMs also in the recurrence (one row per jet alive at a step). */
#define CHUNK_ROWS 4096

/* Floats of branch-head logits processed at once (~10 MB): the joint head's (rows, G⁴)
 * logits are made, turned into probabilities or gradients, and used by the output layer's
 * gradient GEMMs in blocks of rows that stay in cache (L3) in between, instead of one
 * (B, G⁴) matrix per chunk. */
#define HEAD_BLOCK_FLOATS (256 * 10000)

/* Branching rows per block of the fused mother/branch heads (heads_fused): a block's fused
 * activations ((R, Dm + 4 Db) floats, 0.5 MB at the paper's sizes) stay in L2 through all
 * layers of the heads. */
#define FUSED_ROWS 256

/* ---------------------------------------------------------------------------------------
 * parameter layout */

/* Tensor ids. A model has a subset (c_init only for an LSTM, one or four branch heads); the
 * table holds them densely in creation order, which is the order of the parameter block and
 * of the file, and slot[] maps an id to its place. */
enum {
  T_INIT_W, T_INIT_B, T_RNN_W, T_RNN_V, T_RNN_B,
  T_END_W1, T_END_B1, T_END_W2, T_END_B2,
  T_MOM_W1, T_MOM_B1, T_MOM_W2, T_MOM_B2,
  T_CINIT_W, T_CINIT_B,
  T_BR0,                      /* then 4 per branch head: hidden kernel/bias, out kernel/bias */
  T_MAX = T_BR0 + 16,
};
#define T_BR(head, k) (T_BR0 + 4 * (head) + (k))

/* Inputs and outputs of the fused first layer of the mother and branch heads (heads_fused). */
#define FUSED_IN(m) ((m)->H + 9)
#define FUSED_OUT(m) ((m)->Dm + (m)->n_heads * (m)->Db)

#define NAME_MAX_LEN 48

struct JxModel {
  JxModelConfig cfg;
  int H, GH;                  /* hidden size; recurrent pre-activation width */
  int De, Dm, Db;             /* the heads' hidden widths */
  int n_heads;                /* branch heads: 1 joint, 4 factorized */
  int head_in[4];             /* CB of each head */
  int head_out[4];            /* K of each head */
  size_t n_tensors;
  int slot[T_MAX];            /* id → index in tensors, −1 when absent */
  JxTensorInfo tensors[T_MAX];
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
  cfg->recurrent = JX_RECURRENT_RNN;
  cfg->dense_end = cfg->dense_mother = cfg->dense_branch = 0;
  cfg->branch_padding = 0;
  cfg->grid_fine = 2;
  cfg->energy_samples = 1024;
}

void
jx_model_config_head_widths (const JxModelConfig *cfg, int *end, int *mother, int *branch)
{
  *end = cfg->dense_end > 0 ? cfg->dense_end : cfg->dense;
  *mother = cfg->dense_mother > 0 ? cfg->dense_mother : cfg->dense;
  *branch = cfg->dense_branch > 0 ? cfg->dense_branch : cfg->dense;
}

int
jx_model_config_check (const JxModelConfig *cfg, JxError *err)
{
  if (cfg->branch != JX_BRANCH_JOINT && cfg->branch != JX_BRANCH_FACTORIZED
      && cfg->branch != JX_BRANCH_HIERARCHICAL && cfg->branch != JX_BRANCH_ENERGY)
    return jx_error_set (err, JX_ERR_INVALID,
                         "unknown branch head kind %d (joint, factorized, hierarchical or energy)",
                         (int) cfg->branch);
  if (cfg->branch == JX_BRANCH_ENERGY)
    {
      if (cfg->energy_samples < 16 || cfg->energy_samples > JX_ENERGY_MAX_SAMPLES)
        return jx_error_set (err, JX_ERR_INVALID, "energy head's proposal size %d out of range "
                             "[16, %d]", cfg->energy_samples, JX_ENERGY_MAX_SAMPLES);
      if (cfg->branch_padding != 0)
        return jx_error_set (err, JX_ERR_INVALID,
                             "branch padding classes are for imported factorized models, "
                             "not the energy head");
    }
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
  if (cfg->recurrent != JX_RECURRENT_RNN && cfg->recurrent != JX_RECURRENT_LSTM
      && cfg->recurrent != JX_RECURRENT_GRU)
    return jx_error_set (err, JX_ERR_INVALID, "unknown recurrent cell %d (rnn, lstm or gru)",
                         (int) cfg->recurrent);
  const int widths[3] = { cfg->dense_end, cfg->dense_mother, cfg->dense_branch };
  static const char *const head[3] = { "end", "mother", "branch" };
  for (int i = 0; i < 3; i++)
    if (widths[i] < 0 || widths[i] > 100000)
      return jx_error_set (err, JX_ERR_INVALID,
                           "%s head width %d out of range [1, 100000] (0: the dense width)",
                           head[i], widths[i]);
  if (cfg->branch_padding < 0 || cfg->branch_padding > 1000)
    return jx_error_set (err, JX_ERR_INVALID, "branch padding classes %d out of range [0, 1000]",
                         cfg->branch_padding);
  if (cfg->branch == JX_BRANCH_HIERARCHICAL)
    {
      if (cfg->grid_fine < 1 || cfg->grid_fine > 64 || cfg->grid * cfg->grid_fine > 256)
        return jx_error_set (err, JX_ERR_INVALID,
                             "hierarchical granularity %dx%d out of range (G2 in [1, 64], "
                             "G1·G2 ≤ 256)", cfg->grid, cfg->grid_fine);
      if (cfg->branch_padding != 0)
        return jx_error_set (err, JX_ERR_INVALID,
                             "branch padding classes are for imported factorized models, "
                             "not the hierarchical head");
    }
  return jx_scaling_check (&cfg->scaling, err);
}

const char *
jx_branch_kind_name (JxBranchKind kind)
{
  return kind == JX_BRANCH_FACTORIZED     ? "factorized"
         : kind == JX_BRANCH_HIERARCHICAL ? "hierarchical"
         : kind == JX_BRANCH_ENERGY       ? "energy"
                                          : "joint";
}

int
jx_branch_kind_parse (const char *name, JxBranchKind *out, JxError *err)
{
  static const JxBranchKind kinds[4] = { JX_BRANCH_JOINT, JX_BRANCH_FACTORIZED,
                                         JX_BRANCH_HIERARCHICAL, JX_BRANCH_ENERGY };
  for (int i = 0; i < 4; i++)
    if (name != NULL && strcmp (name, jx_branch_kind_name (kinds[i])) == 0)
      {
        *out = kinds[i];
        return 0;
      }
  return jx_error_set (err, JX_ERR_INVALID,
                       "unknown branch head kind '%s' (joint, factorized, hierarchical or "
                       "energy)",
                       name != NULL ? name : "(null)");
}

const char *
jx_recurrent_kind_name (JxRecurrentKind kind)
{
  return kind == JX_RECURRENT_LSTM ? "lstm" : kind == JX_RECURRENT_GRU ? "gru" : "rnn";
}

int
jx_recurrent_kind_parse (const char *name, JxRecurrentKind *out, JxError *err)
{
  static const JxRecurrentKind kinds[3] = { JX_RECURRENT_RNN, JX_RECURRENT_LSTM,
                                            JX_RECURRENT_GRU };
  for (int i = 0; i < 3; i++)
    if (name != NULL && strcmp (name, jx_recurrent_kind_name (kinds[i])) == 0)
      {
        *out = kinds[i];
        return 0;
      }
  return jx_error_set (err, JX_ERR_INVALID, "unknown recurrent cell '%s' (rnn, lstm or gru)",
                       name != NULL ? name : "(null)");
}

static void
add_tensor (JxModel *m, int id, const char *layer, const char *what, size_t rows, size_t cols)
{
  size_t i = m->n_tensors++;
  snprintf (m->names[i], NAME_MAX_LEN, "%s/%s", layer, what);
  m->tensors[i] = (JxTensorInfo) { m->names[i], m->n_params, rows, cols };
  m->slot[id] = (int) i;
  m->n_params += rows * cols;
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
  size_t H = c->hidden, G = c->grid;
  m->H = c->hidden;
  m->GH = c->recurrent == JX_RECURRENT_LSTM ? 4 * m->H
                                            : c->recurrent == JX_RECURRENT_GRU ? 3 * m->H : m->H;
  jx_model_config_head_widths (c, &m->De, &m->Dm, &m->Db);
  size_t De = m->De, Dm = m->Dm, Db = m->Db, GH = m->GH;
  m->n_params = 0;
  m->n_tensors = 0;
  for (int id = 0; id < T_MAX; id++)
    m->slot[id] = -1;
  add_dense (m, T_INIT_W, "init", 4, H);
  if (c->recurrent == JX_RECURRENT_LSTM)
    add_dense (m, T_CINIT_W, "c_init", 4, H);
  add_tensor (m, T_RNN_W, "rnn", "kernel", 8, GH);
  add_tensor (m, T_RNN_V, "rnn", "recurrent_kernel", H, GH);
  /* Keras' GRU (reset_after) has separate input and recurrent biases. */
  add_tensor (m, T_RNN_B, "rnn", "bias", c->recurrent == JX_RECURRENT_GRU ? 2 : 1, GH);
  add_dense (m, T_END_W1, "end_hidden", H, De);
  add_dense (m, T_END_W2, "end_out", De, 1);
  add_dense (m, T_MOM_W1, "mother_hidden", H, Dm);
  add_dense (m, T_MOM_W2, "mother_out", Dm, (size_t) c->max_mult);
  int h_in = c->local ? 0 : c->hidden;
  if (c->branch == JX_BRANCH_HIERARCHICAL)
    {
      int G2 = c->grid_fine;
      m->n_heads = 2;
      m->head_in[0] = h_in + 4;
      m->head_out[0] = c->grid * c->grid * c->grid * c->grid;
      m->head_in[1] = h_in + 8;   /* + the coarse cell's centre */
      m->head_out[1] = G2 * G2 * G2 * G2;
      add_dense (m, T_BR (0, 0), "branch_coarse_hidden", (size_t) m->head_in[0], Db);
      add_dense (m, T_BR (0, 2), "branch_coarse_out", Db, (size_t) m->head_out[0]);
      add_dense (m, T_BR (1, 0), "branch_fine_hidden", (size_t) m->head_in[1], Db);
      add_dense (m, T_BR (1, 2), "branch_fine_out", Db, (size_t) m->head_out[1]);
      return;
    }
  if (c->branch == JX_BRANCH_ENERGY)
    {
      /* E on [h; k_m'; x]: the last 4 kernel rows are W_x (jx-energy-head.h). */
      m->n_heads = 1;
      m->head_in[0] = h_in + 8;
      m->head_out[0] = 1;
      add_dense (m, T_BR (0, 0), "branch_hidden", (size_t) m->head_in[0], Db);
      /* no output bias: Z normalizes it away (its gradient is 0) */
      add_tensor (m, T_BR (0, 2), "branch_out", "kernel", Db, 1);
      return;
    }
  if (c->branch == JX_BRANCH_JOINT)
    {
      m->n_heads = 1;
      m->head_in[0] = h_in + 4;
      m->head_out[0] = c->grid * c->grid * c->grid * c->grid + c->branch_padding;
      add_dense (m, T_BR (0, 0), "branch_hidden", (size_t) m->head_in[0], Db);
      add_dense (m, T_BR (0, 2), "branch_out", Db, (size_t) m->head_out[0]);
      return;
    }
  m->n_heads = 4;
  for (int k = 0; k < 4; k++)
    {
      char layer[32];
      m->head_in[k] = h_in + 4 + k;
      m->head_out[k] = c->grid + c->branch_padding;
      snprintf (layer, sizeof layer, "branch_%s_hidden", head_name[k]);
      add_dense (m, T_BR (k, 0), layer, (size_t) m->head_in[k], Db);
      snprintf (layer, sizeof layer, "branch_%s_out", head_name[k]);
      add_dense (m, T_BR (k, 2), layer, Db, G + (size_t) c->branch_padding);
    }
}

size_t
jx_model_config_n_params (const JxModelConfig *cfg)
{
  JxModel m;
  memset (&m, 0, sizeof m);
  m.cfg = *cfg;
  build_layout (&m);
  return m.n_params;
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
      if (strstr (t->name, "/bias") != NULL)
        continue;   /* biases start at zero (calloc) */
      /* Glorot uniform: keeps activation variance roughly constant through tanh/ReLU. */
      double limit = sqrt (6.0 / (double) (t->rows + t->cols));
      float *p = m->params + t->offset;
      for (size_t j = 0; j < t->rows * t->cols; j++)
        p[j] = (float) ((2.0 * jx_rng_uniform (&rng) - 1.0) * limit);
    }
  /* An LSTM's forget gates start open (bias 1, Keras' unit_forget_bias), so the cell state
   * carries the jet's history from the start of training. */
  if (cfg->recurrent == JX_RECURRENT_LSTM)
    for (int j = 0; j < m->H; j++)
      m->params[m->tensors[m->slot[T_RNN_B]].offset + (size_t) m->H + j] = 1.0f;
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

int
jx_model_state_size (const JxModel *model)
{
  return model->cfg.recurrent == JX_RECURRENT_LSTM ? 2 * model->H : model->H;
}

double
jx_model_step_flops (const JxModel *model)
{
  const JxModel *m = model;
  double H = m->H, GH = m->GH, De = m->De, Dm = m->Dm, Db = m->Db, M = m->cfg.max_mult;
  double f = 2 * (8 * GH + H * GH) + 2 * (H * De + De) + 2 * (H * Dm + Dm * M);
  for (int k = 0; k < model->n_heads; k++)
    f += 2 * ((double) model->head_in[k] * Db + Db * (double) model->head_out[k]);
  if (model->cfg.branch == JX_BRANCH_ENERGY)   /* E at every proposal point */
    f += 2 * (double) model->cfg.energy_samples * Db;
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
  return model->cfg.branch == JX_BRANCH_FACTORIZED && head >= 0 && head < 4 ? head_coord[head]
                                                                             : -1;
}

int
jx_model_branch_grid (const JxModel *model)
{
  const JxModelConfig *c = &model->cfg;
  return c->branch == JX_BRANCH_HIERARCHICAL ? c->grid * c->grid_fine : c->grid;
}

double
jx_model_branch_log_cell_volume (const JxModel *model)
{
  if (model->cfg.branch == JX_BRANCH_ENERGY)
    return 0.0;
  return -4.0 * log ((double) jx_model_branch_grid (model));
}

/* Pointer to tensor id inside a parameter-shaped block (params or a gradient). */
static inline float *
T (const JxModel *m, float *base, int id)
{
  return base + m->tensors[m->slot[id]].offset;
}

static inline const float *
TC (const JxModel *m, const float *base, int id)
{
  return base + m->tensors[m->slot[id]].offset;
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
  int *node0;          /* (J) first entry of each sorted jet's nodes in nodefeat */
  float *nodefeat;     /* (2S − J, 4) scaled momentum of each node in its jet's frame, */
  unsigned char *node_done;   /* (2S − J) once computed: a mother was a daughter before */
  /* inputs */
  float *seed;         /* (J, 4) */
  float *din;          /* (B, 8) daughters [d1'; d2'] */
  float *km;           /* (B, 4) mother */
  float *xs;           /* (B, 4) scaled branching in head order z, θ, δ, φ; hierarchical:
                        * the centre of its coarse cell (z, θ, φ, δ), the fine head's input */
  /* activations */
  float *hs;           /* (S, H) */
  float *cs;           /* (S, H) LSTM cell states */
  float *gates;        /* (B, GH) gated cells: gate activations of each transition */
  float *rec;          /* (B, GH) GRU: h_t·U + b_rec */
  float *hb;           /* (B, H) h_t gathered per branching row */
  float *ea, *el;      /* (S, De), (S) */
  float *ma, *ml;      /* (B, Dm), (B, M) logits, then probabilities, then their gradient */
  /* the fused first layer of the mother and branch heads (heads_fused): CU = H + 9 inputs
   * [h; k_m'; xs; 1], OC = Dm + n_heads·Db outputs, R rows per block */
  float *fu, *fa;      /* (R, CU) inputs, (R, OC) activations */
  float *fw;           /* (CU, OC) the heads' kernels side by side, biases in the last row */
  float *fda;          /* (R, OC) gradient w.r.t. the activations, then pre-activations */
  float *fdw;          /* (CU, OC) the kernel gradient */
  float *bu[4], *ba[4];    /* (B, CB), (B, Db) */
  float *bl[4];            /* (head_block, K): logits of a block of rows, then their
                            * probabilities (evaluation) or gradient (training) */
  double *lp_end, *lp_mother, *lp_branch[4];   /* (S), (B), (B) */
  /* gradients */
  float *dhs, *dpre;   /* (S, H) */
  float *dcs, *dpc;    /* (S, H), (J, H) LSTM: cell states, c_init pre-activations */
  float *dgx, *dgr;    /* (B, GH) gated cells: input and (GRU) recurrent pre-activations */
  float *dhb;          /* (B, H) */
  float *da, *dp;      /* (max(S, B), max(De, Dm, Db)) */
  float *dl;           /* (S) P_end logit gradient; the softmax heads turn their
                        * probabilities into logit gradients in place */
  /* weighted losses (jx_model_loss_grad_weighted); wstate NULL: every weight is 1 */
  bool weighted;             /* this chunk's losses are weighted */
  float *wstate, *wbranch;   /* (S), (B) the weight of each row's jet */
  float *dbscratch;          /* (max K) the fused softmax's unweighted bias gradient */
  /* energy head */
  float *ex, *exw;     /* (S_e, 4) proposal points, (S_e, D) their x·W_x (then scratch) */
  float *exwt;         /* (D, S_e) x·W_x transposed (jx_energy_values) */
  float *ee, *ecoef;   /* (S_e) E at the points, then their loss coefficients */
  float *edxwt;        /* (D, S_e) gradient w.r.t. x·W_x of each point, summed over rows */
  float *edu;          /* (B, D) gradient w.r.t. pre_u from the points of each row */
  float *escr;         /* (3 D) one row's pre_u, data pre-activation gradient, x·W_x */
  double eps_sum;      /* Σ ε over the branchings scored (jx_model_work_energy_error) */
  size_t eps_n;
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

/* Rows per block of heads_fused: FUSED_ROWS, or fewer when a branch head's logits buffer
 * (head_block rows) is smaller. */
static int
fused_block (const JxModel *m, size_t B)
{
  int r = FUSED_ROWS;
  for (int k = 0; k < m->n_heads; k++)
    {
      int hb = head_block (m, k, B);
      r = hb < r ? hb : r;
    }
  return r;
}

/* The buffers of one pass, listed before the block that holds them is sized. */
typedef struct {
  Slot s[80];
  int n;
} Slots;

#define SLOT(p, count) l->s[l->n++] = (Slot) { (void **) &(p), (count) * sizeof *(p) }

/* Inputs, the recurrence's states and the end and mother heads. */
static void
state_slots (Slots *l, JxModelWork *w, const JxModel *m, size_t J, size_t S)
{
  size_t B = S - J, H = m->H, GH = m->GH, M = m->cfg.max_mult;
  bool lstm = m->cfg.recurrent == JX_RECURRENT_LSTM, gru = m->cfg.recurrent == JX_RECURRENT_GRU;
  SLOT (w->order, J);
  SLOT (w->frames, J);
  SLOT (w->frame_ok, J);
  SLOT (w->count, M + 2);
  SLOT (w->start, M + 2);
  SLOT (w->end_y, S);
  SLOT (w->hrow, B);
  SLOT (w->mother_t, B);
  SLOT (w->mother_target, B);
  SLOT (w->node0, J);
  SLOT (w->nodefeat, (2 * S - J) * 4);
  SLOT (w->node_done, 2 * S - J);
  SLOT (w->seed, J * 4);
  SLOT (w->din, B * 8);
  SLOT (w->km, B * 4);
  SLOT (w->xs, B * 4);
  SLOT (w->hs, S * H);
  if (lstm)
    SLOT (w->cs, S * H);
  if (lstm || gru)
    SLOT (w->gates, B * GH);
  if (gru)
    SLOT (w->rec, B * GH);
  SLOT (w->hb, B * H);
  SLOT (w->ea, S * m->De);
  SLOT (w->el, S);
  SLOT (w->ma, B * m->Dm);
  SLOT (w->ml, B * M);
  SLOT (w->lp_end, S);
  SLOT (w->lp_mother, B);
}

/* The branch heads: the fused first layers' row blocks, or the energy head's proposal. */
static void
branch_slots (Slots *l, JxModelWork *w, const JxModel *m, size_t B, bool grad)
{
  size_t Db = m->Db;
  if (m->cfg.branch != JX_BRANCH_ENERGY)
    {
      size_t CU = FUSED_IN (m), OC = FUSED_OUT (m), R = fused_block (m, B);
      SLOT (w->fu, R * CU);
      SLOT (w->fa, R * OC);
      SLOT (w->fw, CU * OC);
      if (grad)
        {
          SLOT (w->fda, R * OC);
          SLOT (w->fdw, CU * OC);
        }
    }
  else
    {
      size_t Se = (size_t) m->cfg.energy_samples;
      SLOT (w->ex, Se * 4);
      SLOT (w->exw, Se * Db);
      SLOT (w->exwt, Se * Db);
      SLOT (w->ee, Se);
      SLOT (w->ecoef, Se);
      SLOT (w->escr, 3 * Db);
      if (grad)
        {
          SLOT (w->edxwt, Se * Db);
          SLOT (w->edu, B * Db);
        }
    }
  for (int k = 0; k < m->n_heads; k++)
    {
      size_t K = m->head_out[k];
      SLOT (w->target[k], B);
      SLOT (w->bu[k], B * m->head_in[k]);
      SLOT (w->ba[k], B * Db);
      SLOT (w->bl[k], (size_t) head_block (m, k, B) * K);
      SLOT (w->lp_branch[k], B);
    }
}

/* The backward pass's gradients of states and activations. */
static void
grad_slots (Slots *l, JxModelWork *w, const JxModel *m, size_t J, size_t S)
{
  size_t B = S - J, H = m->H, GH = m->GH, De = m->De, Dm = m->Dm, Db = m->Db;
  size_t D = De > Dm ? De : Dm;
  D = D > Db ? D : Db;
  size_t maxSB = S > B ? S : B;
  bool lstm = m->cfg.recurrent == JX_RECURRENT_LSTM, gru = m->cfg.recurrent == JX_RECURRENT_GRU;
  SLOT (w->dhs, S * H);
  SLOT (w->dpre, S * H);
  if (lstm)
    {
      SLOT (w->dcs, S * H);
      SLOT (w->dpc, J * H);
    }
  if (lstm || gru)
    SLOT (w->dgx, B * GH);
  if (gru)
    SLOT (w->dgr, B * GH);
  SLOT (w->dhb, B * H);
  SLOT (w->da, maxSB * D);
  SLOT (w->dp, maxSB * D);
  SLOT (w->dl, S);
  SLOT (w->wstate, S);
  SLOT (w->wbranch, B);
  size_t K = 1;
  for (int k = 0; k < m->n_heads; k++)
    K = (size_t) m->head_out[k] > K ? (size_t) m->head_out[k] : K;
  SLOT (w->dbscratch, K);
}

#undef SLOT

/* One 64-byte-aligned block for every slot, grown when the pass needs more. */
static int
place_slots (JxModelWork *w, const Slots *l)
{
  size_t total = 0;
  for (int i = 0; i < l->n; i++)
    total += align64 (l->s[i].bytes);
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
  for (int i = 0; i < l->n; i++)
    {
      *l->s[i].ptr = p;
      p += align64 (l->s[i].bytes);
    }
  return 0;
}

/* Point all buffers for J jets, S state rows and B = S − J branching rows. */
static int
work_reserve (JxModelWork *w, const JxModel *m, size_t J, size_t S, bool grad)
{
  Slots l = { .n = 0 };
  state_slots (&l, w, m, J, S);
  branch_slots (&l, w, m, S - J, grad);
  if (grad)
    grad_slots (&l, w, m, J, S);
  return place_slots (w, &l);
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

/* Branching row b's targets (and the factorized/fine heads' extra inputs) from its scaled
 * branching x (z, θ, φ, δ). */
static void
fill_branch_targets (const JxModel *m, JxModelWork *w, int b, const double x[4], int G)
{
  int bins[4];
  if (m->cfg.branch == JX_BRANCH_ENERGY)
    {
      /* the density's argument, in the box (a coordinate outside it is at its edge, as the
       * discrete heads put it in the edge bin) */
      for (int k = 0; k < 4; k++)
        w->xs[4 * b + k] = (float) (x[k] > 0.0 ? (x[k] < 1.0 ? x[k] : 1.0) : 0.0);
      w->target[0][b] = 0;
      return;
    }
  if (m->cfg.branch == JX_BRANCH_HIERARCHICAL)
    {
      /* the fine cell at resolution G·G2 decides both targets, so they always agree */
      int G2 = m->cfg.grid_fine, coarse[4], sub[4];
      for (int k = 0; k < 4; k++)
        {
          int f = jx_scaling_bin (x[k], G * G2);
          coarse[k] = f / G2;
          sub[k] = f % G2;
          w->xs[4 * b + k] = (float) ((coarse[k] + 0.5) / G);
        }
      w->target[0][b] = jx_branching_cell (coarse, G);
      w->target[1][b] = jx_branching_cell (sub, G2);
      return;
    }
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

/* The scaled momentum of node `node` of tree tr (sorted jet c), computed once per node: the
 * mother of a step is the root or a daughter of an earlier step, so caching saves a third of
 * the frame angles and logarithms. */
static const float *
node_feature (JxModelWork *w, const JxScaling *sc, const JxFrame *frame, const JxTree *tr,
              int c, int node)
{
  size_t i = (size_t) w->node0[c] + (size_t) node;
  if (!w->node_done[i])
    {
      scale_in_frame (sc, frame, tr->nodes[node].p, w->nodefeat + 4 * i);
      w->node_done[i] = 1;
    }
  return w->nodefeat + 4 * i;
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
  int n_nodes = 0;
  for (size_t c = 0; c < J; c++)
    {
      w->node0[c] = n_nodes;
      n_nodes += 2 * (int) trees[w->order[c]]->n - 1;
    }
  memset (w->node_done, 0, (size_t) n_nodes);
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
  /* Jet by jet (each tree's nodes and steps read in order, not one step of every jet at a
   * time: the trees are out of cache and were most of this loop's time). */
  for (int c = 0; c < (int) J; c++)
    {
      const JxTree *tr = trees[w->order[c]];
      JxP4 jet = tr->nodes[tr->root].p;
      scale_seed (sc, jet, w->seed + 4 * c);
      w->frame_ok[c] = jx_frame_from_axis (&w->frames[c], jet);
      const JxFrame *frame = w->frame_ok[c] ? &w->frames[c] : NULL;
      for (int t = 1; t <= (int) tr->n; t++)
        {
          int r = w->start[t] + c;
          w->end_y[r] = (size_t) t == tr->n;
          if ((size_t) t == tr->n)
            continue;
          int b = w->start[t + 1] + c - (int) J;
          const JxStep *s = &tr->steps[t - 1];
          w->hrow[b] = r;
          memcpy (w->din + 8 * b, node_feature (w, sc, frame, tr, c, s->daughter[0]),
                  4 * sizeof (float));
          memcpy (w->din + 8 * b + 4, node_feature (w, sc, frame, tr, c, s->daughter[1]),
                  4 * sizeof (float));
          memcpy (w->km + 4 * b, node_feature (w, sc, frame, tr, c, s->mother), 4 * sizeof (float));
          w->mother_t[b] = t;
          w->mother_target[b] = s->mother_index;
          double x[4];
          jx_scale_branching (sc, &s->x, x);
          fill_branch_targets (m, w, b, x, G);
        }
    }
}

/* Branch head k input rows: [h (unless local); k_m'; the k earlier scaled coordinates]
 * (factorized), or for the hierarchical fine head the coarse cell's centre (4 values), or for
 * the energy head the branching x. */
static void
fill_branch_input (const JxModel *m, float *u, const float *hb, const float *km,
                   const float *xs, int k, int B)
{
  int H = m->H, CB = m->head_in[k];
  int n_extra = m->cfg.branch == JX_BRANCH_ENERGY         ? 4   /* x itself */
                : m->cfg.branch == JX_BRANCH_HIERARCHICAL ? 4 * k
                                                          : k;
  for (int b = 0; b < B; b++)
    {
      float *row = u + (size_t) b * CB;
      if (!m->cfg.local)
        {
          memcpy (row, hb + (size_t) b * H, H * sizeof *row);
          row += H;
        }
      memcpy (row, km + 4 * b, 4 * sizeof *row);
      for (int j = 0; j < n_extra; j++)
        row[4 + j] = xs[4 * b + j];
    }
}

/* ---------------------------------------------------------------------------------------
 * forward / backward over one chunk */

/* The loss weight of branching row b (1 unless the chunk's losses are weighted). */
static inline float
weighted_row (const JxModelWork *w, int b)
{
  return w->weighted ? w->wbranch[b] : 1.0f;
}

/* Weighted losses: the gradient rows of N softmax rows (V columns) times their jets'
 * weights, and their sum into db. */
static void
weight_rows (float *rows, const float *wrow, float *db, int N, int V)
{
  for (int i = 0; i < N; i++)
    {
      float *r = rows + (size_t) i * V;
      for (int j = 0; j < V; j++)
        {
          r[j] *= wrow[i];
          if (db != NULL)
            db[j] += r[j];
        }
    }
}

/* dst (cols, rows) = src (rows, cols) transposed. */
static void
transpose (float *dst, const float *src, int rows, int cols)
{
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      dst[(size_t) c * rows + r] = src[(size_t) r * cols + c];
}

/* The energy head over all B branching rows (jx-energy-head.h): the hidden layer on
 * [h; k_m'; x] as one GEMM gives each row's data pre-activation, from which pre_u (without
 * x) follows by subtracting x·W_x; E at the S proposal points of a row adds the points'
 * x_s·W_x (one small GEMM per chunk) to pre_u. Loss −ln P = −E(x) + ln Ẑ: its gradient is
 * −∇E(x) + Σ_s p_s ∇E(x_s), p_s = e^{E_s}/Σ e^{E}. The first layer's kernel gradient from the
 * GEMM over the input rows attributes the points' part of each row's pre-activation gradient
 * to the row's x; that part of the W_x rows is replaced by Σ_s x_s ⊗ (gradient of x_s·W_x). */
static void
energy_head (const JxModel *m, JxModelWork *w, int B, float *g)
{
  const float *P = m->params;
  int H = m->H, D = m->Db, CB = m->head_in[0], Se = m->cfg.energy_samples;
  const float *W1 = TC (m, P, T_BR (0, 0)), *w2 = TC (m, P, T_BR (0, 2));
  const float *Wx = W1 + (size_t) (CB - 4) * D;
  const float b2 = 0.0f;   /* no output bias (build_layout) */
  float *pre_u = w->escr, *dd = w->escr + D, *xwd = w->escr + 2 * D;
  jx_energy_points (Se, w->ex);
  jx_dense_forward (w->exw, w->ex, Wx, NULL, Se, 4, D);
  transpose (w->exwt, w->exw, Se, D);
  fill_branch_input (m, w->bu[0], w->hb, w->km, w->xs, 0, B);
  jx_dense_forward (w->ba[0], w->bu[0], W1, TC (m, P, T_BR (0, 1)), B, CB, D);
  float *dw2 = NULL;
  if (g != NULL)
    {
      dw2 = T (m, g, T_BR (0, 2));
      memset (w->edxwt, 0, (size_t) Se * D * sizeof (float));
      memset (w->edu, 0, (size_t) B * D * sizeof (float));
      memset (w->dp, 0, (size_t) B * D * sizeof (float));
    }
  for (int b = 0; b < B; b++)
    {
      const float *pre = w->ba[0] + (size_t) b * D, *x = w->xs + 4 * b;
      jx_dense_forward (xwd, x, Wx, NULL, 1, 4, D);
      for (int j = 0; j < D; j++)
        pre_u[j] = pre[j] - xwd[j];
      float e_data = jx_energy_value1 (pre, w2, b2, D);
      jx_energy_values (w->ee, pre_u, w->exwt, Se, w2, b2, D);
      double eps;
      double log_z = jx_energy_log_z (w->ee, Se, &eps, g != NULL ? w->ecoef : NULL);
      w->lp_branch[0][b] = (double) e_data - log_z;
      w->eps_sum += eps;
      w->eps_n++;
      if (g == NULL)
        continue;
      /* the points' coefficients: wt · p_s, p_s = e^{E_s}/Σ e^{E} (from jx_energy_log_z) */
      float wt = weighted_row (w, b);
      for (int s = 0; s < Se; s++)
        w->ecoef[s] *= wt;
      jx_energy_backward (w->edu + (size_t) b * D, w->edxwt, dw2, w->ecoef, pre_u, w->exwt, Se,
                          w2, D);
      memset (dd, 0, (size_t) D * sizeof (float));
      jx_energy_backward1 (dd, dw2, -wt, pre, w2, D);
      float *dpre = w->dp + (size_t) b * D;
      for (int j = 0; j < D; j++)
        dpre[j] = dd[j] + w->edu[(size_t) b * D + j];
    }
  if (g == NULL)
    return;
  float *gW1 = T (m, g, T_BR (0, 0));
  jx_dense_backward (NULL, gW1, T (m, g, T_BR (0, 1)), w->dp, w->bu[0], W1, B, CB, D);
  float *gWx = gW1 + (size_t) (CB - 4) * D;
  /* W_x: take back Σ_b x_b ⊗ (the points' part of row b), put Σ_s x_s ⊗ dxw_s. */
  for (int b = 0; b < B; b++)
    for (int i = 0; i < 4; i++)
      {
        float xi = w->xs[4 * b + i];
        const float *du = w->edu + (size_t) b * D;
        for (int j = 0; j < D; j++)
          gWx[(size_t) i * D + j] -= xi * du[j];
      }
  transpose (w->exw, w->edxwt, D, Se);   /* exw is free now: the points' gradient (S_e, D) */
  jx_dense_backward (NULL, gWx, NULL, w->exw, w->ex, Wx, Se, 4, D);
  if (!m->cfg.local)
    jx_dense_backward (w->dhb, NULL, NULL, w->dp, NULL, W1, B, H, D);
}

/* Kernel row of the fused layer (heads_fused) that input i of branch head k multiplies: the
 * fused inputs are [h (H); k_m' (4); xs (4); 1], a head's own [h (unless local); k_m'; its
 * first n_extra xs]. */
static int
fused_row (const JxModel *m, int i)
{
  return m->cfg.local ? m->H + i : i;
}

/* The fused layer's kernel (CU, OC): the mother head's first layer in columns [0, Dm), branch
 * head k's in [Dm + k·Db, Dm + (k+1)·Db), each in the rows of the inputs it reads and zero
 * elsewhere (a zero row adds an exact 0 to every output); the last row (input 1) holds the
 * biases, so the GEMM adds them and no pass writes them into every row first. */
static void
fused_weights (const JxModel *m, float *W)
{
  const float *P = m->params;
  int H = m->H, Dm = m->Dm, Db = m->Db, CU = FUSED_IN (m), OC = FUSED_OUT (m);
  float *bias = W + (size_t) (CU - 1) * OC;
  memset (W, 0, (size_t) CU * OC * sizeof *W);
  const float *wm = TC (m, P, T_MOM_W1);
  for (int i = 0; i < H; i++)
    memcpy (W + (size_t) i * OC, wm + (size_t) i * Dm, (size_t) Dm * sizeof *W);
  memcpy (bias, TC (m, P, T_MOM_B1), (size_t) Dm * sizeof *bias);
  for (int k = 0; k < m->n_heads; k++)
    {
      const float *wk = TC (m, P, T_BR (k, 0));
      int col = Dm + k * Db;
      for (int i = 0; i < m->head_in[k]; i++)
        memcpy (W + (size_t) fused_row (m, i) * OC + col, wk + (size_t) i * Db,
                (size_t) Db * sizeof *W);
      memcpy (bias + col, TC (m, P, T_BR (k, 1)), (size_t) Db * sizeof *bias);
    }
}

/* The fused layer's gradient (CU, OC) into the heads' own tensors (the inverse of
 * fused_weights; the zero entries' gradients are dropped). */
static void
fused_grad_scatter (const JxModel *m, const float *dW, float *g)
{
  int H = m->H, Dm = m->Dm, Db = m->Db, CU = FUSED_IN (m), OC = FUSED_OUT (m);
  const float *dbias = dW + (size_t) (CU - 1) * OC;
  float *gm = T (m, g, T_MOM_W1), *gbm = T (m, g, T_MOM_B1);
  for (int i = 0; i < H; i++)
    for (int j = 0; j < Dm; j++)
      gm[(size_t) i * Dm + j] += dW[(size_t) i * OC + j];
  for (int j = 0; j < Dm; j++)
    gbm[j] += dbias[j];
  for (int k = 0; k < m->n_heads; k++)
    {
      float *gk = T (m, g, T_BR (k, 0)), *gbk = T (m, g, T_BR (k, 1));
      int col = Dm + k * Db;
      for (int i = 0; i < m->head_in[k]; i++)
        for (int j = 0; j < Db; j++)
          gk[(size_t) i * Db + j] += dW[(size_t) fused_row (m, i) * OC + col + j];
      for (int j = 0; j < Db; j++)
        gbk[j] += dbias[col + j];
    }
}

/* P_mother and P_branch (every head but the energy one) over all B branching rows. Their
 * first layers all read [h; k_m'; earlier coordinates] of the same rows, so they run as ONE
 * GEMM on the heads' kernels side by side (the inputs packed once instead of once per head,
 * the biases inside the GEMM); each head's output layer then reads its column block. Rows
 * go in blocks of FUSED_ROWS so a block's activations (and gradients) stay in L2 from the
 * first layer to the last. With g != NULL the heads' backward pass happens here too, block
 * by block, leaving dhb = the gradient w.r.t. h of every branching row. */
static void
heads_fused (const JxModel *m, JxModelWork *w, int B, float *g)
{
  const float *P = m->params;
  int H = m->H, Dm = m->Dm, Db = m->Db, M = m->cfg.max_mult;
  int CU = FUSED_IN (m), OC = FUSED_OUT (m), R = fused_block (m, (size_t) B);
  bool weighted = g != NULL && w->weighted;
  const float *wm2 = TC (m, P, T_MOM_W2), *bm2 = TC (m, P, T_MOM_B2);
  float *u = w->fu, *a = w->fa, *da = w->fda;
  fused_weights (m, w->fw);
  if (g != NULL)
    memset (w->fdw, 0, (size_t) CU * OC * sizeof (float));
  for (int b0 = 0; b0 < B; b0 += R)
    {
      int nb = B - b0 < R ? B - b0 : R;
      for (int i = 0; i < nb; i++)
        {
          int b = b0 + i;
          float *row = u + (size_t) i * CU;
          memcpy (row, w->hs + (size_t) w->hrow[b] * H, (size_t) H * sizeof *row);
          memcpy (row + H, w->km + 4 * b, 4 * sizeof *row);
          memcpy (row + H + 4, w->xs + 4 * b, 4 * sizeof *row);
          row[H + 8] = 1.0f;
        }
      jx_dense_forward (a, u, w->fw, NULL, nb, CU, OC);
      jx_relu_forward (a, a, (size_t) nb * OC);
      if (g != NULL)
        memset (da, 0, (size_t) nb * OC * sizeof (float));

      /* P_mother: softmax over the first t outputs. */
      /* Only the first t logits of a row are used, and t grows with b: the block needs the
       * first t of its last row (the softmax reads no further, and zeroes the rest of the
       * probabilities when training). */
      float *ml = w->ml + (size_t) b0 * M;
      int t_max = w->mother_t[b0 + nb - 1];
      jx_dense_forward_ld (ml, M, a, OC, wm2, M, bm2, nb, Dm, t_max);
      jx_softmax_xent_forward (g != NULL ? ml : NULL, w->lp_mother + b0, ml,
                               w->mother_target + b0, w->mother_t + b0, nb, M, M);
      if (g != NULL)
        {
          jx_softmax_xent_backward_inplace (ml, w->mother_target + b0, nb, M);
          if (weighted)
            weight_rows (ml, w->wbranch + b0, NULL, nb, M);
          jx_dense_backward_ld (da, T (m, g, T_MOM_W2), T (m, g, T_MOM_B2), ml, a, OC, wm2, nb,
                                Dm, M);
        }

      /* P_branch: each head's output layer on its column block. */
      for (int k = 0; k < m->n_heads; k++)
        {
          int K = m->head_out[k], col = Dm + k * Db;
          const float *w2 = TC (m, P, T_BR (k, 2)), *b2 = TC (m, P, T_BR (k, 3));
          jx_dense_forward_ld (w->bl[k], K, a + col, OC, w2, K, NULL, nb, Db, K);
          /* Weighted: the fused pass's own bias sum is of unweighted rows, so it goes to
           * scratch and weight_rows sums the weighted rows into the real gradient. */
          float *db2 = g == NULL ? NULL : weighted ? w->dbscratch : T (m, g, T_BR (k, 3));
          if (weighted)
            memset (w->dbscratch, 0, (size_t) K * sizeof (float));
          jx_softmax_xent_bias (w->bl[k], w->lp_branch[k] + b0, b2, w->target[k] + b0, db2, nb,
                                K);
          if (g != NULL && weighted)
            weight_rows (w->bl[k], w->wbranch + b0, T (m, g, T_BR (k, 3)), nb, K);
          if (g != NULL)
            jx_dense_backward_ld (da + col, T (m, g, T_BR (k, 2)), NULL, w->bl[k], a + col, OC,
                                  w2, nb, Db, K);
        }
      if (g == NULL)
        continue;

      /* The fused layer: ReLU (in place: the gradient where the unit is on, else 0), then
       * its kernel gradient (the bias's in its last row) and dhb (only h needs an input
       * gradient: the first H rows of the kernel form a (H, OC) matrix of the same stride). */
      jx_relu_backward_inplace (da, a, (size_t) nb * OC);
      jx_dense_backward (NULL, w->fdw, NULL, da, u, w->fw, nb, CU, OC);
      float *dhb = w->dhb + (size_t) b0 * H;
      memset (dhb, 0, (size_t) nb * H * sizeof (float));
      jx_dense_backward (dhb, NULL, NULL, da, NULL, w->fw, nb, H, OC);
    }
  if (g != NULL)
    fused_grad_scatter (m, w->fdw, g);
}

/* The recurrence over one chunk: hs (and an LSTM's cs) for every state row, from the seeds
 * (rows 0..J) and, step by step, the daughters of each branching. */
static void
recurrence_forward (const JxModel *m, JxModelWork *w, int J, int B)
{
  const float *P = m->params;
  int H = m->H, GH = m->GH;
  JxRecurrentKind kind = m->cfg.recurrent;
  jx_dense_forward (w->hs, w->seed, TC (m, P, T_INIT_W), TC (m, P, T_INIT_B), J, 4, H);
  jx_tanh_forward (w->hs, w->hs, (size_t) J * H);
  if (kind == JX_RECURRENT_RNN)
    {
      /* All daughter projections at once into the next states' rows, then the recurrence. */
      jx_dense_forward (w->hs + (size_t) J * H, w->din, TC (m, P, T_RNN_W), TC (m, P, T_RNN_B),
                        B, 8, H);
      for (int t = 1; w->count[t + 1] > 0; t++)
        {
          int c = w->count[t + 1];
          float *next = w->hs + (size_t) w->start[t + 1] * H;
          /* next (c, H) += h_t (c, H) · V: the first c jets of step t are the ones alive. */
          jx_dense_forward_acc (next, w->hs + (size_t) w->start[t] * H, TC (m, P, T_RNN_V), c, H,
                                H);
          jx_tanh_forward (next, next, (size_t) c * H);
        }
      return;
    }
  if (kind == JX_RECURRENT_LSTM)
    {
      jx_dense_forward (w->cs, w->seed, TC (m, P, T_CINIT_W), TC (m, P, T_CINIT_B), J, 4, H);
      jx_tanh_forward (w->cs, w->cs, (size_t) J * H);
    }
  /* Input pre-activations of every transition at once (the GRU's input bias is row 0). */
  jx_dense_forward (w->gates, w->din, TC (m, P, T_RNN_W), TC (m, P, T_RNN_B), B, 8, GH);
  for (int t = 1; w->count[t + 1] > 0; t++)
    {
      int c = w->count[t + 1];
      size_t prev = (size_t) w->start[t] * H, next = (size_t) w->start[t + 1] * H;
      size_t b0 = (size_t) (w->start[t + 1] - J) * GH;
      if (kind == JX_RECURRENT_LSTM)
        {
          jx_dense_forward_acc (w->gates + b0, w->hs + prev, TC (m, P, T_RNN_V), c, H, GH);
          jx_lstm_forward (w->hs + next, w->cs + next, w->gates + b0, w->cs + prev, c, H);
        }
      else
        {
          jx_dense_forward (w->rec + b0, w->hs + prev, TC (m, P, T_RNN_V),
                            TC (m, P, T_RNN_B) + GH, c, H, GH);
          jx_gru_forward (w->hs + next, w->gates + b0, w->rec + b0, w->hs + prev, c, H);
        }
    }
}

/* Forward over one chunk; with g != NULL the branch heads' backward pass too (see
 * branch_heads), the rest is chunk_backward's. */
static void
chunk_forward (const JxModel *m, JxModelWork *w, int J, int S, float *g)
{
  const float *P = m->params;
  int H = m->H, De = m->De, Dm = m->Dm, M = m->cfg.max_mult, B = S - J;
  recurrence_forward (m, w, J, B);
  /* h_t per branching row: for the energy head, and for training (BPTT's recurrent kernel
   * gradient); evaluation's fused heads pack it into their inputs directly. */
  bool energy = m->cfg.branch == JX_BRANCH_ENERGY;
  if (energy || g != NULL)
    for (int b = 0; b < B; b++)
      memcpy (w->hb + (size_t) b * H, w->hs + (size_t) w->hrow[b] * H, H * sizeof (float));

  /* P_end on every state. */
  jx_dense_forward (w->ea, w->hs, TC (m, P, T_END_W1), TC (m, P, T_END_B1), S, H, De);
  jx_relu_forward (w->ea, w->ea, (size_t) S * De);
  jx_dense_forward (w->el, w->ea, TC (m, P, T_END_W2), TC (m, P, T_END_B2), S, De, 1);
  jx_sigmoid_xent_forward (NULL, w->lp_end, w->el, w->end_y, S);
  if (B == 0)
    return;

  if (!energy)
    {
      heads_fused (m, w, B, g);
      return;
    }
  /* Energy head: P_mother on every branching state, then the head. */
  jx_dense_forward (w->ma, w->hb, TC (m, P, T_MOM_W1), TC (m, P, T_MOM_B1), B, H, Dm);
  jx_relu_forward (w->ma, w->ma, (size_t) B * Dm);
  jx_dense_forward (w->ml, w->ma, TC (m, P, T_MOM_W2), TC (m, P, T_MOM_B2), B, Dm, M);
  jx_softmax_xent_forward (w->ml, w->lp_mother, w->ml, w->mother_target, w->mother_t, B, M, M);
  if (g != NULL)
    memset (w->dhb, 0, (size_t) B * H * sizeof (float));
  energy_head (m, w, B, g);
}

/* BPTT of the plain RNN, latest step first: dh(t) is complete once every later step has
 * been folded in. forward: h(t+1) = tanh(pre), pre = d·W + h(t)·V + b. */
static void
bptt_rnn (const JxModel *m, JxModelWork *w, float *g, int J, int S)
{
  const float *P = m->params;
  int H = m->H, B = S - J;
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

/* BPTT of the gated cells: per step the cell's element-wise backward (jx-recurrent.h) and one
 * GEMM into the previous states' dh; then the weight gradients as single GEMMs. */
static void
bptt_gated (const JxModel *m, JxModelWork *w, float *g, int J, int S)
{
  const float *P = m->params;
  int H = m->H, GH = m->GH, B = S - J;
  bool lstm = m->cfg.recurrent == JX_RECURRENT_LSTM;
  if (lstm)
    memset (w->dcs, 0, (size_t) S * H * sizeof (float));
  for (int t = w->max_t; t >= 2; t--)
    {
      int c = w->count[t];
      size_t r = (size_t) w->start[t] * H, p = (size_t) w->start[t - 1] * H;
      size_t b0 = (size_t) (w->start[t] - J) * GH;
      if (lstm)
        {
          jx_lstm_backward (w->dgx + b0, w->dcs + p, w->dhs + r, w->dcs + r, w->gates + b0,
                            w->cs + r, w->cs + p, c, H);
          jx_dense_backward (w->dhs + p, NULL, NULL, w->dgx + b0, NULL, TC (m, P, T_RNN_V), c, H,
                             GH);
        }
      else
        {
          jx_gru_backward (w->dgx + b0, w->dgr + b0, w->dhs + p, w->dhs + r, w->gates + b0,
                           w->rec + b0, w->hs + p, c, H);
          jx_dense_backward (w->dhs + p, NULL, NULL, w->dgr + b0, NULL, TC (m, P, T_RNN_V), c, H,
                             GH);
        }
    }
  memset (w->dpre, 0, (size_t) J * H * sizeof (float));
  jx_tanh_backward (w->dpre, w->dhs, w->hs, (size_t) J * H);
  jx_dense_backward (NULL, T (m, g, T_INIT_W), T (m, g, T_INIT_B), w->dpre, w->seed,
                     TC (m, P, T_INIT_W), J, 4, H);
  if (lstm)
    {
      memset (w->dpc, 0, (size_t) J * H * sizeof (float));
      jx_tanh_backward (w->dpc, w->dcs, w->cs, (size_t) J * H);
      jx_dense_backward (NULL, T (m, g, T_CINIT_W), T (m, g, T_CINIT_B), w->dpc, w->seed,
                         TC (m, P, T_CINIT_W), J, 4, H);
    }
  if (B == 0)
    return;
  jx_dense_backward (NULL, T (m, g, T_RNN_W), T (m, g, T_RNN_B), w->dgx, w->din,
                     TC (m, P, T_RNN_W), B, 8, GH);
  if (lstm)
    jx_dense_backward (NULL, T (m, g, T_RNN_V), NULL, w->dgx, w->hb, TC (m, P, T_RNN_V), B, H, GH);
  else   /* the GRU's recurrent bias is the second row of its bias */
    jx_dense_backward (NULL, T (m, g, T_RNN_V), T (m, g, T_RNN_B) + GH, w->dgr, w->hb,
                       TC (m, P, T_RNN_V), B, H, GH);
}

/* P_mother's backward pass over B branching rows (energy models: the other heads fuse theirs
 * into heads_fused), accumulating into dhb. */
static void
mother_backward (const JxModel *m, JxModelWork *w, float *g, int B)
{
  const float *P = m->params;
  int H = m->H, Dm = m->Dm, M = m->cfg.max_mult;
  jx_softmax_xent_backward_inplace (w->ml, w->mother_target, B, M);
  if (w->weighted)
    weight_rows (w->ml, w->wbranch, NULL, B, M);
  memset (w->da, 0, (size_t) B * Dm * sizeof (float));
  jx_dense_backward (w->da, T (m, g, T_MOM_W2), T (m, g, T_MOM_B2), w->ml, w->ma,
                     TC (m, P, T_MOM_W2), B, Dm, M);
  memset (w->dp, 0, (size_t) B * Dm * sizeof (float));
  jx_relu_backward (w->dp, w->da, w->ma, (size_t) B * Dm);
  jx_dense_backward (w->dhb, T (m, g, T_MOM_W1), T (m, g, T_MOM_B1), w->dp, w->hb,
                     TC (m, P, T_MOM_W1), B, H, Dm);
}

static void
chunk_backward (const JxModel *m, JxModelWork *w, float *g, int J, int S)
{
  const float *P = m->params;
  int H = m->H, De = m->De, B = S - J;
  memset (w->dhs, 0, (size_t) S * H * sizeof (float));

  /* P_end: loss −ln P_end(y|h) on every state. */
  memset (w->dl, 0, (size_t) S * sizeof (float));
  jx_sigmoid_xent_backward (w->dl, w->el, w->end_y, w->weighted ? w->wstate : NULL, S);
  memset (w->da, 0, (size_t) S * De * sizeof (float));
  jx_dense_backward (w->da, T (m, g, T_END_W2), T (m, g, T_END_B2), w->dl, w->ea,
                     TC (m, P, T_END_W2), S, De, 1);
  memset (w->dp, 0, (size_t) S * De * sizeof (float));
  jx_relu_backward (w->dp, w->da, w->ea, (size_t) S * De);
  jx_dense_backward (w->dhs, T (m, g, T_END_W1), T (m, g, T_END_B1), w->dp, w->hs,
                     TC (m, P, T_END_W1), S, H, De);

  if (B > 0)
    {
      /* P_mother (dhb already holds the branch heads' part) unless heads_fused did it. */
      if (m->cfg.branch == JX_BRANCH_ENERGY)
        mother_backward (m, w, g, B);
      for (int b = 0; b < B; b++)
        {
          float *dst = w->dhs + (size_t) w->hrow[b] * H;
          const float *src = w->dhb + (size_t) b * H;
          for (int i = 0; i < H; i++)
            dst[i] += src[i];
        }
    }

  if (m->cfg.recurrent == JX_RECURRENT_RNN)
    bptt_rnn (m, w, g, J, S);
  else
    bptt_gated (m, w, g, J, S);
}

/* Each state and branching row gets its jet's weight (the layout of fill_chunk). */
static void
fill_weights (JxModelWork *w, const double *weight, int J)
{
  for (int t = 1; t <= w->max_t; t++)
    for (int c = 0; c < w->count[t]; c++)
      {
        float wt = (float) weight[w->order[c]];
        w->wstate[w->start[t] + c] = wt;
        if (w->count[t + 1] > c)
          w->wbranch[w->start[t + 1] + c - J] = wt;
      }
}

/* Forward (and backward when grad != NULL) over trees[0..J); index0 is the batch index of
 * trees[0] for error messages. per_step only for J = 1; tree_log_p (optional) gets each
 * tree's ln P_jet. */
static int
run_chunk (const JxModel *m, const JxTree *const *trees, size_t J, size_t index0,
           JxModelWork *w, float *grad, const double *weight, double *loss,
           JxStepScore *per_step, double *tree_log_p, JxError *err)
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
  w->weighted = grad != NULL && weight != NULL;
  if (w->weighted)
    fill_weights (w, weight, (int) J);
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
              if (m->cfg.branch == JX_BRANCH_FACTORIZED)
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
  int rc = run_chunk (model, trees, 1, 0, work, NULL, NULL, &loss, per_step, NULL, err);
  if (rc == 0)
    *log_p = -loss;
  jx_model_work_free (own);
  return rc;
}

/* Chunks of consecutive jets up to CHUNK_ROWS states (at least one jet per chunk). */
static int
run_batch (const JxModel *model, const JxTree *const *trees, size_t n_trees, double *loss_sum,
           float *grad, const double *weight, double *log_p, JxModelWork *work, JxError *err)
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
      rc = run_chunk (model, trees + i, j - i, i, work, grad, weight != NULL ? weight + i : NULL,
                      &loss, NULL,
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
  return run_batch (model, trees, n_trees, loss_sum, grad, NULL, NULL, work, err);
}

int
jx_model_log_prob_many (const JxModel *model, const JxTree *const *trees, size_t n_trees,
                        double *log_p, JxModelWork *work, JxError *err)
{
  return run_batch (model, trees, n_trees, NULL, NULL, NULL, log_p, work, err);
}

int
jx_model_loss_grad_weighted (const JxModel *model, const JxTree *const *trees, size_t n_trees,
                             const double *weight, double *log_p, float *grad, JxModelWork *work,
                             JxError *err)
{
  return run_batch (model, trees, n_trees, NULL, grad, weight, log_p, work, err);
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
                    m->H);
  jx_tanh_forward (h, h, (size_t) m->H);
  if (m->cfg.recurrent == JX_RECURRENT_LSTM)
    {
      float *c = h + m->H;
      jx_dense_forward (c, seed, TC (m, m->params, T_CINIT_W), TC (m, m->params, T_CINIT_B), 1,
                        4, m->H);
      jx_tanh_forward (c, c, (size_t) m->H);
    }
}

/* Gated cells: the transition with N = 1 (gates and, for a GRU, rec in scratch). */
static void
state_next_gated (const JxModel *m, const float *din, const float *h, float *h_next,
                  float *scratch)
{
  const float *P = m->params;
  int H = m->H, GH = m->GH;
  float *gates = scratch, *rec = scratch + GH;
  jx_dense_forward (gates, din, TC (m, P, T_RNN_W), TC (m, P, T_RNN_B), 1, 8, GH);
  if (m->cfg.recurrent == JX_RECURRENT_LSTM)
    {
      jx_dense_forward_acc (gates, h, TC (m, P, T_RNN_V), 1, H, GH);
      jx_lstm_forward (h_next, h_next + H, gates, h + H, 1, H);
      return;
    }
  jx_dense_forward (rec, h, TC (m, P, T_RNN_V), TC (m, P, T_RNN_B) + GH, 1, H, GH);
  jx_gru_forward (h_next, gates, rec, h, 1, H);
}

void
jx_model_state_next (const JxModel *model, JxP4 jet, JxP4 d_hard, JxP4 d_soft,
                     const float *h, float *h_next)
{
  const JxModel *m = model;
  int H = m->H;
  float din[8];
  scale_input (&m->cfg.scaling, d_hard, jet, din);
  scale_input (&m->cfg.scaling, d_soft, jet, din + 4);
  if (m->cfg.recurrent == JX_RECURRENT_RNN)
    {
      jx_dense_forward (h_next, din, TC (m, m->params, T_RNN_W), TC (m, m->params, T_RNN_B), 1, 8,
                        H);
      jx_dense_forward_acc (h_next, h, TC (m, m->params, T_RNN_V), 1, H, H);
      jx_tanh_forward (h_next, h_next, (size_t) H);
      return;
    }
  /* Scratch for the gate pre-activations (2·GH floats) on the stack for usual sizes. */
  float small[2048];
  size_t need = 2 * (size_t) m->GH;
  float *scratch = need <= sizeof small / sizeof small[0] ? small : malloc (need * sizeof (float));
  if (scratch == NULL)
    {
      for (int i = 0; i < jx_model_state_size (m); i++)
        h_next[i] = NAN;
      return;
    }
  state_next_gated (m, din, h, h_next, scratch);
  if (scratch != small)
    free (scratch);
}

double
jx_model_end_prob (const JxModel *model, const float *h, JxModelWork *work)
{
  const JxModel *m = model;
  const float *P = m->params;
  int H = m->H, D = m->De;
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

static int
mother_probs (const JxModel *model, const float *h, int t, double *probs,
              JxModelWork *work, JxError *err)
{
  const JxModel *m = model;
  const float *P = m->params;
  int H = m->H, D = m->Dm, M = m->cfg.max_mult;
  if (t < 1 || t > M)
    return jx_error_set (err, JX_ERR_RANGE, "step %d outside the model's 1..M = %d", t, M);
  if (work_reserve (work, m, 1, 2, false) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
  jx_dense_forward (work->ma, h, TC (m, P, T_MOM_W1), TC (m, P, T_MOM_B1), 1, H, D);
  jx_relu_forward (work->ma, work->ma, (size_t) D);
  jx_dense_forward (work->ml, work->ma, TC (m, P, T_MOM_W2), TC (m, P, T_MOM_B2), 1, D, M);
  jx_softmax_double (probs, work->ml, t, t);
  return 0;
}

/* The energy head's pre_u (the hidden pre-activation without x) for one state into
 * work->escr; 0 or an error. */
static int
energy_pre_u (const JxModel *m, const float *h, JxP4 mother, JxP4 jet, JxModelWork *work,
              JxError *err)
{
  if (m->cfg.branch != JX_BRANCH_ENERGY)
    return jx_error_set (err, JX_ERR_INVALID, "the model's branch head is %s, not energy",
                         jx_branch_kind_name (m->cfg.branch));
  if (work_reserve (work, m, 1, 2, false) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
  const float zero[4] = { 0, 0, 0, 0 };
  scale_input (&m->cfg.scaling, mother, jet, work->km);
  fill_branch_input (m, work->bu[0], h, work->km, zero, 0, 1);
  jx_dense_forward (work->escr, work->bu[0], TC (m, m->params, T_BR (0, 0)),
                    TC (m, m->params, T_BR (0, 1)), 1, m->head_in[0], m->Db);
  return 0;
}

/* E at n scaled points xs (n × 4, z θ φ δ) for the state whose pre_u is in work->escr. */
static int
energy_at (const JxModel *m, const float *xs, int n, float *e, JxModelWork *work, JxError *err)
{
  int D = m->Db;
  float *xw = malloc ((size_t) n * D * 2 * sizeof *xw);
  if (xw == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for %d energy points", n);
  const float *W1 = TC (m, m->params, T_BR (0, 0));
  float *xwt = xw + (size_t) n * D;
  jx_dense_forward (xw, xs, W1 + (size_t) (m->head_in[0] - 4) * D, NULL, n, 4, D);
  transpose (xwt, xw, n, D);
  jx_energy_values (e, work->escr, xwt, n, TC (m, m->params, T_BR (0, 2)), 0.0f, D);
  free (xw);
  return 0;
}

/* The G⁴ cells' probabilities from the density at their centres. */
static int
energy_cell_probs (const JxModel *m, const float *h, JxP4 mother, JxP4 jet, double *probs,
                   JxModelWork *work, JxError *err)
{
  int G = m->cfg.grid, K = G * G * G * G;
  int rc = energy_pre_u (m, h, mother, jet, work, err);
  if (rc != 0)
    return rc;
  float *xs = malloc ((size_t) K * 5 * sizeof *xs);
  if (xs == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the energy head's cells");
  float *e = xs + (size_t) K * 4;
  for (int c = 0; c < K; c++)
    {
      int bins[4];
      jx_cell_bins (c, G, bins);
      for (int k = 0; k < 4; k++)
        xs[4 * c + k] = (float) ((bins[k] + 0.5) / G);
    }
  rc = energy_at (m, xs, K, e, work, err);
  if (rc == 0)
    jx_softmax_double (probs, e, K, K);
  free (xs);
  return rc;
}

int
jx_model_energy_value (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                       const double x[4], double *energy, JxError *err)
{
  JxModelWork *work = jx_model_work_new (model);
  if (work == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
  float xs[4], e = 0.0f;
  for (int k = 0; k < 4; k++)
    xs[k] = (float) x[k];
  int rc = energy_pre_u (model, h, mother, jet, work, err);
  if (rc == 0)
    rc = energy_at (model, xs, 1, &e, work, err);
  if (rc == 0)
    *energy = e;
  jx_model_work_free (work);
  return rc;
}

int
jx_model_energy_log_z (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                       int n_samples, double *log_z, double *eps, JxError *err)
{
  if (n_samples < 2 || n_samples > (1 << 24))
    return jx_error_set (err, JX_ERR_INVALID, "%d proposal points out of range [2, 2^24]",
                         n_samples);
  JxModelWork *work = jx_model_work_new (model);
  float *xs = malloc ((size_t) n_samples * 5 * sizeof *xs);
  int rc = work == NULL || xs == NULL
               ? jx_error_set (err, JX_ERR_NOMEM, "out of memory for %d points", n_samples)
               : energy_pre_u (model, h, mother, jet, work, err);
  if (rc == 0)
    {
      float *e = xs + (size_t) n_samples * 4;
      jx_energy_points (n_samples, xs);
      rc = energy_at (model, xs, n_samples, e, work, err);
      if (rc == 0)
        *log_z = jx_energy_log_z (e, n_samples, eps, NULL);
    }
  free (xs);
  jx_model_work_free (work);
  return rc;
}

int
jx_model_energy_marginal (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                          int coord, int n_bins, int n_inner, double *probs, JxError *err)
{
  if (coord < 0 || coord > 3 || n_bins < 1 || n_bins > 4096 || n_inner < 1 || n_inner > 65536)
    return jx_error_set (err, JX_ERR_INVALID, "energy marginal: coordinate %d, %d bins of %d "
                         "points out of range", coord, n_bins, n_inner);
  size_t n = (size_t) n_bins * (size_t) n_inner;
  JxModelWork *work = jx_model_work_new (model);
  float *xs = malloc ((n * 5 + (size_t) n_inner * 4) * sizeof *xs);
  int rc = work == NULL || xs == NULL
               ? jx_error_set (err, JX_ERR_NOMEM, "out of memory for %zu points", n)
               : energy_pre_u (model, h, mother, jet, work, err);
  if (rc == 0)
    {
      float *e = xs + n * 4, *pts = e + n;
      jx_energy_points (n_inner, pts);
      for (int b = 0; b < n_bins; b++)
        for (int i = 0; i < n_inner; i++)
          {
            float *x = xs + ((size_t) b * n_inner + i) * 4;
            memcpy (x, pts + 4 * i, 4 * sizeof *x);
            x[coord] = (float) ((b + pts[4 * i + coord]) / n_bins);
          }
      rc = energy_at (model, xs, (int) n, e, work, err);
      /* bin b's probability ∝ the mean of e^E over its points (equal bin volumes) */
      double mx = -INFINITY, sum = 0.0;
      for (int b = 0; rc == 0 && b < n_bins; b++)
        {
          probs[b] = jx_energy_log_z (e + (size_t) b * n_inner, n_inner, NULL, NULL);
          mx = fmax (mx, probs[b]);
        }
      for (int b = 0; rc == 0 && b < n_bins; b++)
        sum += (probs[b] = exp (probs[b] - mx));
      for (int b = 0; rc == 0 && b < n_bins; b++)
        probs[b] /= sum;
    }
  free (xs);
  jx_model_work_free (work);
  return rc;
}

int
jx_model_energy_draw (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                      int n_points, JxRng *rng, double x[4], double *log_density,
                      JxModelWork *work, JxError *err)
{
  if (n_points < 1 || n_points > (1 << 24))
    return jx_error_set (err, JX_ERR_INVALID, "%d resampling points out of range [1, 2^24]",
                         n_points);
  JxModelWork *own = work == NULL ? (work = jx_model_work_new (model)) : NULL;
  float *xs = malloc ((size_t) n_points * 5 * sizeof *xs);
  int rc = work == NULL || xs == NULL
               ? jx_error_set (err, JX_ERR_NOMEM, "out of memory for %d points", n_points)
               : energy_pre_u (model, h, mother, jet, work, err);
  if (rc == 0)
    {
      float *e = xs + (size_t) n_points * 4;
      for (size_t i = 0; i < (size_t) n_points * 4; i++)
        xs[i] = (float) jx_rng_uniform (rng);
      rc = energy_at (model, xs, n_points, e, work, err);
      if (rc == 0)
        {
          double log_z = jx_energy_log_z (e, n_points, NULL, NULL);
          /* index by the cumulative weights e^{E − ln Ẑ}/n, which sum to 1 */
          double u = jx_rng_uniform (rng), acc = 0.0;
          int pick = n_points - 1;
          for (int s = 0; s < n_points; s++)
            {
              acc += exp ((double) e[s] - log_z) / n_points;
              if (u < acc)
                {
                  pick = s;
                  break;
                }
            }
          for (int k = 0; k < 4; k++)
            x[k] = xs[4 * pick + k];
          if (log_density != NULL)
            *log_density = (double) e[pick] - log_z;
        }
    }
  free (xs);
  jx_model_work_free (own);
  return rc;
}

void
jx_model_set_energy_samples (JxModel *model, int n_samples)
{
  model->cfg.energy_samples = n_samples < 16                     ? 16
                              : n_samples > JX_ENERGY_MAX_SAMPLES ? JX_ENERGY_MAX_SAMPLES
                                                                  : n_samples;
}

double
jx_model_work_energy_error (JxModelWork *work, size_t *n, bool reset)
{
  double mean = work->eps_n > 0 ? work->eps_sum / (double) work->eps_n : 0.0;
  if (n != NULL)
    *n = work->eps_n;
  if (reset)
    {
      work->eps_sum = 0.0;
      work->eps_n = 0;
    }
  return mean;
}

static int
branch_probs (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
              int head, const double *prev, double *probs, JxModelWork *work, JxError *err)
{
  const JxModel *m = model;
  const float *P = m->params;
  int D = m->Db;
  if (head < 0 || head >= m->n_heads)
    return jx_error_set (err, JX_ERR_INVALID, "branch head %d does not exist (the model has %d)",
                         head, m->n_heads);
  if (m->cfg.branch == JX_BRANCH_ENERGY)
    return energy_cell_probs (m, h, mother, jet, probs, work, err);
  if (work_reserve (work, m, 1, 2, false) != 0)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for network work space");
  float xs[4] = { 0, 0, 0, 0 };
  if (m->cfg.branch == JX_BRANCH_HIERARCHICAL && head == 1)
    {
      int G = m->cfg.grid, cell = (int) prev[0], bins[4];
      if (!(prev[0] >= 0 && prev[0] < m->head_out[0]))
        return jx_error_set (err, JX_ERR_INVALID, "coarse cell %g outside 0..%d", prev[0],
                             m->head_out[0] - 1);
      jx_cell_bins (cell, G, bins);
      for (int k = 0; k < 4; k++)
        xs[k] = (float) ((bins[k] + 0.5) / G);
    }
  else
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
  jx_softmax_double (probs, work->bl[head], K, K - m->cfg.branch_padding);
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
