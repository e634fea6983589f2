/* jx-layers.h — the JUNIPR network's layers as paired forward/backward functions.
 *
 * llm.c conventions: outputs first, then inputs, then weights, then sizes; backward
 * functions take d-prefixed buffers and ACCUMULATE (+=) into them. Row-major throughout.
 * Size letters: N = rows (steps of one or many jets, processed together), C = input
 * channels, OC = output channels, V = classes of a softmax (valid ones), Vp = its row stride.
 *
 * A dense kernel is (C, OC) (Keras' layout, as stored in model files): out = inp·W + b.
 * jx_dense_* use cblas_sgemm; jx_dense_*_naive are the plain-loop reference (tested
 * against each other). Losses are returned in double: the log-sum-exp is done in double
 * from float logits so that likelihood sums keep their precision.
 */
#pragma once

#include <stddef.h>

/* out (N, OC) = inp (N, C) · w (C, OC) + b (OC); b may be NULL. */
void jx_dense_forward (float *out, const float *inp, const float *w, const float *b,
                       int N, int C, int OC);
void jx_dense_forward_naive (float *out, const float *inp, const float *w, const float *b,
                             int N, int C, int OC);
/* The same on column blocks of wider matrices: rows of out, inp and w are ldo ≥ OC, ldi ≥ C
 * and ldw ≥ OC floats apart (the heads' fused first layer feeding each head's own next layer;
 * the mother head's first t outputs only). */
void jx_dense_forward_ld (float *out, int ldo, const float *inp, int ldi, const float *w, int ldw,
                          const float *b, int N, int C, int OC);
/* out (N, OC) += inp (N, C) · w (C, OC): a second input into an existing pre-activation
 * (the recurrent term V·h(t)). */
void jx_dense_forward_acc (float *out, const float *inp, const float *w, int N, int C, int OC);
void jx_dense_forward_acc_naive (float *out, const float *inp, const float *w,
                                 int N, int C, int OC);
/* dinp (N, C) += dout · wᵀ; dw (C, OC) += inpᵀ · dout; db (OC) += Σ_rows dout.
 * dinp, dw, db may each be NULL (not needed). */
void jx_dense_backward (float *dinp, float *dw, float *db, const float *dout, const float *inp,
                        const float *w, int N, int C, int OC);
/* The same with inp and dinp rows ldi ≥ C floats apart (see jx_dense_forward_ld). */
void jx_dense_backward_ld (float *dinp, float *dw, float *db, const float *dout,
                           const float *inp, int ldi, const float *w, int N, int C, int OC);
void jx_dense_backward_naive (float *dinp, float *dw, float *db, const float *dout,
                              const float *inp, const float *w, int N, int C, int OC);

/* out = tanh(inp), n values (out may equal inp); backward uses the output: dinp += dout (1 − out²). */
void jx_tanh_forward (float *out, const float *inp, size_t n);
void jx_tanh_backward (float *dinp, const float *dout, const float *out, size_t n);

/* out = e^inp for inp ≤ 0 (shifted values, e.g. x − max), n values (out may equal inp),
 * relative error < 2e-7 (like expf); inputs below −87 give e^−87. */
void jx_exp_neg (float *out, const float *inp, size_t n);

/* out = σ(inp) = 1/(1 + e^−inp), n values (out may equal inp), relative error < 1e-6 over the
 * whole range (no cancellation for large |inp|). The derivative is out (1 − out). */
void jx_sigmoid_forward (float *out, const float *inp, size_t n);

/* out = max(inp, 0) (out may equal inp); dinp += dout · [out > 0]. */
void jx_relu_forward (float *out, const float *inp, size_t n);
void jx_relu_backward (float *dinp, const float *dout, const float *out, size_t n);
/* In place: d = d · [out > 0] (the gradient w.r.t. the pre-activation, where d held the one
 * w.r.t. the output; the same values as jx_relu_backward into a zeroed buffer). */
void jx_relu_backward_inplace (float *d, const float *out, size_t n);

/* Softmax over the first V columns of each row of logits (N, Vp), or over the first valid[i]
 * columns of row i when valid != NULL (the mother head's "first t outputs"). probs (N, Vp)
 * gets 0 in the columns beyond; probs may equal logits, or be NULL (evaluation: only logp,
 * the same values). logp[i] = ln probs[i, target[i]]
 * computed in double (target[i] must be a valid column). */
void jx_softmax_xent_forward (float *probs, double *logp, const float *logits, const int *target,
                              const int *valid, int N, int V, int Vp);
/* Gradient of loss = −Σ_i w_i logp[i] (w = dloss, NULL means 1):
 * dlogits[i, j] += w_i (probs[i, j] − [j = target[i]]) over the valid columns. */
void jx_softmax_xent_backward (float *dlogits, const float *probs, const int *target,
                               const float *dloss, const int *valid, int N, int V, int Vp);

/* Fused variant for w = 1: turns the probabilities of jx_softmax_xent_forward into the
 * logits gradient in place (probs − onehot), instead of accumulating into a separate buffer. */
void jx_softmax_xent_backward_inplace (float *probs, const int *target, int N, int Vp);

/* Softmax cross-entropy over all V columns of logits (N, V) + b (V) for a GEMM that left the
 * bias out (saves writing b into every row of a wide output first). logp[i] as above (may be
 * NULL). db == NULL (evaluation): only logp; logits are left as they are. db != NULL
 * (training, loss = −Σ logp): the rows become the logits gradient (probs − onehot) and
 * db += their sum over rows, fused into the same pass while each row is in cache. */
void jx_softmax_xent_bias (float *logits, double *logp, const float *b, const int *target,
                           float *db, int N, int V);

/* One row for the single-state heads: probs[0..n_out) = the first n_out entries of
 * softmax(l[0..n)), in double (e^(l − max) then divided by the sum). n_out < n when the
 * last classes (padding) take part in the normalization only. */
void jx_softmax_double (double *probs, const float *l, int n, int n_out);

/* Bernoulli output: prob[i] = σ(logit[i]) (optional), logp[i] = ln P(y[i] | logit[i]),
 * y ∈ {0, 1}, computed stably in double. */
void jx_sigmoid_xent_forward (float *prob, double *logp, const float *logit, const int *y, int N);
/* dlogit[i] += w_i (σ(logit[i]) − y[i]) for loss = −Σ w_i logp[i] (dloss NULL means 1). */
void jx_sigmoid_xent_backward (float *dlogit, const float *logit, const int *y,
                               const float *dloss, int N);
