/* jx-recurrent.h — the gated recurrent cells of the JUNIPR network (LSTM, GRU) as paired
 * forward/backward functions over N rows (jets that advance one step together), in Keras'
 * layouts, which the authors' public code uses:
 *  - LSTM: gate blocks i, f, c̃, o; kernel (C, 4H), recurrent kernel (H, 4H), bias (4H);
 *  - GRU (reset_after, TF2's default): blocks z, r, h̃; kernel (C, 3H), recurrent kernel
 *    (H, 3H), bias (2, 3H) = input bias, recurrent bias.
 * Gates use σ(x) = 1/(1 + e^−x), candidates tanh. The GEMMs (x·W + b, h·U) are the caller's
 * (jx-layers.h); these functions do the element-wise part. Backward functions write the
 * pre-activation gradients and ACCUMULATE into the gradient of the previous state.
 */
#pragma once

/* LSTM. gates (N, 4H): on entry the pre-activations x·W + b + h_prev·U, on exit the gate
 * values σ(i), σ(f), tanh(c̃), σ(o). c = f⊙c_prev + i⊙c̃ and h = o⊙tanh(c), (N, H) each. */
void jx_lstm_forward (float *h, float *c, float *gates, const float *c_prev, int N, int H);

/* dh, dc (N, H): gradients w.r.t. this step's h and c (dc holds what later steps passed
 * back). dgates (N, 4H) gets the pre-activation gradients (written); dc_prev (N, H) += the
 * cell gradient times f. */
void jx_lstm_backward (float *dgates, float *dc_prev, const float *dh, const float *dc,
                       const float *gates, const float *c, const float *c_prev, int N, int H);

/* GRU. gates (N, 3H): on entry x·W + b_in; rec (N, 3H): h_prev·U + b_rec. On exit gates
 * hold z, r, h̃ = tanh(x_h + r⊙rec_h); h = z⊙h_prev + (1 − z)⊙h̃ (N, H). rec is unchanged
 * (backward needs its h̃ block). */
void jx_gru_forward (float *h, float *gates, const float *rec, const float *h_prev, int N, int H);

/* dx (N, 3H): gradient w.r.t. x·W + b_in; drec (N, 3H): w.r.t. h_prev·U + b_rec (both
 * written); dh_prev (N, H) += dh⊙z, the direct path (the path through U is the caller's
 * GEMM with drec). */
void jx_gru_backward (float *dx, float *drec, float *dh_prev, const float *dh,
                      const float *gates, const float *rec, const float *h_prev, int N, int H);
