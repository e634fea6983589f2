/* jx-model.h — the JUNIPR network (DESIGN.md §4).
 *
 * For a jet of n particles (states t = 1..n, branchings t = 1..n−1):
 *   h(1)   = tanh(seed'·W_init + b_init),             seed = the jet (root) momentum
 *   h(t+1) = tanh([d1'; d2']·W + h(t)·V + b),          daughters of branching t, harder first
 *            (recurrent = rnn; lstm and gru use the Keras cells of jx-recurrent.h with the
 *            same input, and an LSTM's cell state starts at c(1) = tanh(seed'·W_c + b_c))
 *   P_end(h)    = σ(Dense(ReLU(Dense(h))))             target 0 at t < n, 1 at t = n
 *   P_mother(h) = softmax over the first t of Dense(ReLU(Dense(h))) (M outputs)
 *   P_branch    = joint: softmax over G⁴ cells of Dense(ReLU(Dense([h; k_m'])))
 *                 factorized: heads z, θ, δ, φ, each softmax over G bins of
 *                 Dense(ReLU(Dense([h; k_m'; earlier scaled coordinates])))
 *                 hierarchical (G1xG2): a coarse softmax over G1⁴ cells of
 *                 Dense(ReLU(Dense([h; k_m']))), then a softmax over the G2⁴ sub-cells of
 *                 the chosen cell, Dense(ReLU(Dense([h; k_m'; c']))) with c' the coarse
 *                 cell's centre (scaled z, θ, φ, δ): cells of side 1/(G1·G2).
 *                 energy: P_branch(x) = e^{E(x)}/Z, a density over the scaled box [0, 1]⁴,
 *                 E = w·ReLU(Dense([h; k_m'; x])), a linear output without bias (Z absorbs
 *                 one), and
 *                 Z by importance sampling on energy_samples fixed uniform points
 *                 (jx-energy-head.h).
 *                 local: as above without h.
 * Inputs (seed, k_m', d') are momenta relative to the jet axis, scaled (jx-scaling.h).
 * log P_jet = Σ_{t<n} [ln P_end(0|h_t) + ln P_mother(m_t|h_t) + ln P_branch(x_t)] + ln P_end(1|h_n),
 * with cells of unit measure (discrete probabilities).
 * The heads' hidden layers are dense wide unless set per head (dense_end, dense_mother,
 * dense_branch), and a branch softmax may have branch_padding extra classes that no branching
 * falls in but that stay in its normalization (the authors' Keras model has one): both are
 * needed to hold an imported Keras model exactly; their zero defaults are the original network.
 *
 * All parameters live in ONE contiguous float block (jx_model_params), described by a
 * table of named tensors ("rnn/kernel", "branch_out/bias", ...) so optimizers, gradient
 * checks and file I/O are flat loops. Kernels are (inputs, outputs), row-major.
 * Work (activations) is batched: the recurrence runs all jets of a chunk in lock-step and
 * every head is one GEMM per layer over all steps of all jets.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-error.h"
#include "jx-rng.h"
#include "jx-scaling.h"
#include "jx-tree.h"

typedef enum {
  JX_BRANCH_JOINT = 0,         /* one softmax over G⁴ cells (the paper) */
  JX_BRANCH_FACTORIZED = 1,    /* z, θ, δ, φ in turn (the authors' public code) */
  JX_BRANCH_HIERARCHICAL = 2,  /* G⁴ coarse cells, then grid_fine⁴ sub-cells (Sect. 3.4) */
  JX_BRANCH_ENERGY = 3,        /* continuous: e^{E(x)}/Z over the scaled box (Sect. 3.4) */
} JxBranchKind;

typedef enum {
  JX_RECURRENT_RNN = 0,   /* Elman / Keras SimpleRNN, tanh (default, the paper) */
  JX_RECURRENT_LSTM = 1,  /* Keras LSTM: gates i, f, c̃, o */
  JX_RECURRENT_GRU = 2,   /* Keras GRU with reset_after: gates z, r, h̃ */
} JxRecurrentKind;

typedef struct {
  JxBranchKind branch;   /* default JOINT (the paper) */
  bool local;            /* branch head does not see h */
  int hidden;            /* H = 100 */
  int dense;             /* width of the heads' hidden layers = 100 */
  int grid;              /* G = 10 bins per branching coordinate */
  int max_mult;          /* M = 100 maximum multiplicity */
  JxScaling scaling;
  /* Added for other cells and imported models; 0 keeps the network above. */
  JxRecurrentKind recurrent;  /* default RNN */
  int dense_end, dense_mother, dense_branch;   /* a head's hidden width; 0 = dense */
  int branch_padding;    /* extra classes in every branch softmax (never a target); 0 */
  int grid_fine;         /* hierarchical: G2 sub-cells per coordinate of a coarse cell (2);
                          * the branching resolution is grid · grid_fine per coordinate */
  int energy_samples;    /* energy: proposal points S for Z (1024; training doubles it
                          * while ε > 2 %, up to JX_ENERGY_MAX_SAMPLES) */
} JxModelConfig;

void jx_model_config_default (JxModelConfig *cfg);
/* 0, or JX_ERR_INVALID naming the bad field and its allowed range. */
int jx_model_config_check (const JxModelConfig *cfg, JxError *err);
/* "joint" / "factorized" / "hierarchical" / "energy"; parse returns JX_ERR_INVALID for
 * anything else. */
const char *jx_branch_kind_name (JxBranchKind kind);
int jx_branch_kind_parse (const char *name, JxBranchKind *out, JxError *err);
/* "rnn" / "lstm" / "gru"; parse returns JX_ERR_INVALID for anything else. */
const char *jx_recurrent_kind_name (JxRecurrentKind kind);
int jx_recurrent_kind_parse (const char *name, JxRecurrentKind *out, JxError *err);
/* The hidden widths the heads use (dense where the per-head value is 0). */
void jx_model_config_head_widths (const JxModelConfig *cfg, int *end, int *mother, int *branch);

typedef struct JxModel JxModel;

/* Glorot-uniform kernels, zero biases, drawn from jx-rng (seed, stream 0). */
int jx_model_new (const JxModelConfig *cfg, uint64_t seed, JxModel **out, JxError *err);
void jx_model_free (JxModel *model);
JxModel *jx_model_copy (const JxModel *model);   /* NULL when out of memory */
const JxModelConfig *jx_model_config (const JxModel *model);
size_t jx_model_n_params (const JxModel *model);
/* The parameter count a (checked) configuration gives, without allocating the model. */
size_t jx_model_config_n_params (const JxModelConfig *cfg);
float *jx_model_params (JxModel *model);          /* ONE contiguous block of n_params floats */
const float *jx_model_params_const (const JxModel *model);

typedef struct {
  const char *name;       /* "<layer>/kernel", "<layer>/bias", "rnn/recurrent_kernel" */
  size_t offset, rows, cols;   /* biases have 1 row (a GRU's: 2, input and recurrent) */
} JxTensorInfo;
size_t jx_model_n_tensors (const JxModel *model);
const JxTensorInfo *jx_model_tensor (const JxModel *model, size_t i);
/* Index of the tensor with this name, or −1. */
int jx_model_find_tensor (const JxModel *model, const char *name);

typedef struct JxModelWork JxModelWork;           /* per-thread scratch, grows as needed */
JxModelWork *jx_model_work_new (const JxModel *model);
void jx_model_work_free (JxModelWork *work);

typedef struct {
  double log_end;        /* ln P_end(0|h_t) for t < n, ln P_end(1|h_n) at t = n */
  double log_mother;     /* ln P_mother(m_t|h_t); 0 at t = n */
  double log_branch;     /* ln P_branch(x_t|k_m, h_t); 0 at t = n */
  double log_branch_parts[4]; /* factorized: z, θ, δ, φ parts (sum = log_branch); joint: zeros */
} JxStepScore;

/* Natural-log probability of one tree; per_step (optional) gets n entries (t = 1..n).
 * Fails with JX_ERR_RANGE when tree->n > max_mult, JX_ERR_INVALID for a malformed tree. */
int jx_model_log_prob (const JxModel *model, const JxTree *tree, JxStepScore *per_step,
                       double *log_p, JxModelWork *work, JxError *err);

/* Σ over trees of −ln P_jet into *loss_sum; ACCUMULATES d(loss_sum)/dθ into grad[n_params]
 * (float, not zeroed here). Thread-safe for distinct work/grad buffers. grad may be NULL
 * (loss only). On error the message names the tree's index in the batch. */
int jx_model_loss_grad (const JxModel *model, const JxTree *const *trees, size_t n_trees,
                        double *loss_sum, float *grad, JxModelWork *work, JxError *err);

/* Σ_i weight[i] · d(−ln P_i)/dθ ACCUMULATED into grad (as jx_model_loss_grad, which is the
 * case weight = 1), and ln P_i into log_p[n_trees] (optional): a loss that is a different
 * function of each jet's ln P (JUNIPR-binary's cross-entropy) by the chain rule. */
int jx_model_loss_grad_weighted (const JxModel *model, const JxTree *const *trees,
                                 size_t n_trees, const double *weight, double *log_p,
                                 float *grad, JxModelWork *work, JxError *err);

/* ln P_jet of each tree into log_p[n_trees], several jets per GEMM (faster than one
 * jx_model_log_prob per jet for evaluation). Same errors as jx_model_loss_grad. */
int jx_model_log_prob_many (const JxModel *model, const JxTree *const *trees, size_t n_trees,
                            double *log_p, JxModelWork *work, JxError *err);

/* ---------------------------------------------------------------------------------------
 * One state at a time, for sampling and for per-node views. A state is
 * jx_model_state_size floats: h (H floats) first, then an LSTM's cell state c (H floats);
 * the heads read h. work may be NULL (a temporary one is used). */

/* Floats in a recurrent state: H, or 2H for an LSTM. */
int jx_model_state_size (const JxModel *model);

/* Scaled network inputs: a momentum relative to the jet axis (4 values). */
void jx_model_scale_input (const JxModel *model, JxP4 p, JxP4 jet, float out[4]);
/* State 1 from the jet momentum. */
void jx_model_state_init (const JxModel *model, JxP4 jet, float *h);
/* State t+1 from state t and the daughters of branching t (harder first); h_next may not
 * alias h. (Out of memory for a very large gated cell's scratch: h_next becomes NaN.) */
void jx_model_state_next (const JxModel *model, JxP4 jet, JxP4 d_hard, JxP4 d_soft,
                          const float *h, float *h_next);
/* P_end(1|h). */
double jx_model_end_prob (const JxModel *model, const float *h, JxModelWork *work);
/* P_mother(·|h) over the t candidates into probs[t] (1 ≤ t ≤ M). */
int jx_model_mother_probs (const JxModel *model, const float *h, int t, double *probs,
                           JxModelWork *work, JxError *err);
/* Branch distribution given h and the mother (relative to the jet axis).
 * joint: head must be 0, probs gets G⁴ cell probabilities, prev is ignored.
 * factorized: head 0..3 = z, θ, δ, φ; prev[k] (k < head) are the scaled values already fixed
 *   for the earlier heads in that order; probs gets G bin probabilities.
 * hierarchical: head 0 = the G⁴ coarse cells (prev ignored); head 1 = the G2⁴ sub-cells of
 *   the coarse cell prev[0] (its index, jx_branching_cell at grid G), sub-cell index
 *   ((s_z·G2 + s_θ)·G2 + s_φ)·G2 + s_δ; the fine cell has bins c·G2 + s per coordinate.
 * energy: head must be 0; probs gets the G⁴ cells' probabilities from the density at their
 *   centres, normalized over the grid (the model's continuous density seen at resolution G:
 *   what sampling and the per-node views use).
 * With branch padding the probabilities sum to 1 − P(padding) (< 1): they are the model's. */
int jx_model_branch_probs (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                           int head, const double *prev, double *probs,
                           JxModelWork *work, JxError *err);

/* Forward GEMM FLOPs of one step (one branching: recurrence, end, mother and branch heads):
 * a measure of work, e.g. for sizing the jobs between cancel checks. */
double jx_model_step_flops (const JxModel *model);

/* Energy head only (JX_ERR_INVALID otherwise): E(x) at a scaled branching x (z, θ, φ, δ),
 * and ln Ẑ with its relative error ε from the first n_samples proposal points, for one
 * state h and mother. */
int jx_model_energy_value (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                           const double x[4], double *energy, JxError *err);
int jx_model_energy_log_z (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                           int n_samples, double *log_z, double *eps, JxError *err);
/* Energy head only: the marginal of P_branch in scaled coordinate coord (JX_COORD_*) over
 * n_bins equal bins of [0, 1] into probs[n_bins] (sum 1), by stratified sampling: n_inner
 * fixed points per bin, uniform in the bin and in the other three coordinates (the paper's
 * Fig. 10 at any resolution). */
int jx_model_energy_marginal (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                              int coord, int n_bins, int n_inner, double *probs, JxError *err);
/* Energy head only: a branching x (scaled, z θ φ δ) drawn from P_branch by importance
 * resampling: n_points fresh uniform points from rng, one of them chosen with probability
 * ∝ e^{E}; *log_density (optional) gets E(x) − ln Ẑ of those points. work may be NULL. */
int jx_model_energy_draw (const JxModel *model, const float *h, JxP4 mother, JxP4 jet,
                          int n_points, JxRng *rng, double x[4], double *log_density,
                          JxModelWork *work, JxError *err);
/* Sets the energy head's proposal size S (clipped to [16, JX_ENERGY_MAX_SAMPLES]). */
void jx_model_set_energy_samples (JxModel *model, int n_samples);
/* Mean of ε over the branchings the work has scored since the last reset (0 when none),
 * their count into *n (optional); reset: start counting anew. */
double jx_model_work_energy_error (JxModelWork *work, size_t *n, bool reset);

/* Number of branch heads (1 joint, 4 factorized, 2 hierarchical: coarse, fine) and the
 * coordinate (JX_COORD_*) a factorized head predicts (−1 for the other kinds). */
int jx_model_n_branch_heads (const JxModel *model);
int jx_model_branch_head_coord (const JxModel *model, int head);

/* Branching cells per scaled coordinate: G (joint, factorized, energy's view) or G·G2
 * (hierarchical). */
int jx_model_branch_grid (const JxModel *model);
/* ln of one branching cell's volume in the scaled coordinates, −4 ln jx_model_branch_grid
 * (0 for the energy head, whose ln P_branch is already a density):
 * ln P_branch − this = ln of the density in the scaled box [0, 1]⁴, a number comparable
 * between models of different resolution. */
double jx_model_branch_log_cell_volume (const JxModel *model);
