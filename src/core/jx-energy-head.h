/* jx-energy-head.h — the continuous branching function's arithmetic (paper Sect. 3.4,
 * Fig. 10), on raw arrays; jx-model.c lays out the network around it.
 *
 * P_branch(x) = e^{E(x)} / Z over x = (z', θ', φ', δ') in the scaled box [0, 1]⁴, with
 * E(x) = w2·ReLU(pre_u + x·W_x) + b2 (the model's b2 is 0:
 * a constant in E cancels in P), pre_u = u·W_u + b1 and u = [h; k_m'] (one dense layer on
 * [u; x], linear output). Z = ∫ e^E dx over the box (volume 1) is estimated by importance
 * sampling with the uniform proposal q = 1: Ẑ = (1/S) Σ_s e^{E(x_s)}, and its relative error
 * ε = σ(e^E)/(Ẑ·√S) (Eqs. 3.10–3.11) says when S is too small. ln P_branch = E(x) − ln Ẑ is a
 * density in the scaled coordinates.
 */
#pragma once

/* Largest proposal sample a model may use (the doubling of S stops here). */
#define JX_ENERGY_MAX_SAMPLES 65536

/* The first n points of one fixed uniform stream over [0, 1]⁴ (n × 4 floats, z θ φ δ): the
 * same for every model, row and call, so ln P is a deterministic function of the weights,
 * and doubling n keeps the earlier points. */
void jx_energy_points (int n, float *out);

/* E at n points: e[s] = b2 + Σ_j w2[j]·ReLU(pre[j] + xwt[j·n + s]), xwt the points' x·W_x
 * TRANSPOSED (D rows of n), so the loops run over the points, contiguous and vectorized. */
void jx_energy_values (float *e, const float *pre, const float *xwt, int n, const float *w2,
                       float b2, int D);
/* E at one point whose whole pre-activation is pre: b2 + Σ_j w2[j]·ReLU(pre[j]). */
float jx_energy_value1 (const float *pre, const float *w2, float b2, int D);

/* ln((1/n) Σ e^{e[s]}) and ε = σ/(Ẑ·√n) (σ the sample standard deviation of e^{e[s]});
 * weights (optional, n floats) gets each point's share e^{e[s]}/Σ e^{e}. */
double jx_energy_log_z (const float *e, int n, double *eps, float *weights);

/* Backward of Σ_s coef[s]·E(x_s) over n points (xwt as above): du[D] += Σ_s coef[s]·w2 ⊙
 * 1[pre + xw_s > 0] (the gradient w.r.t. pre), dxwt[j·n + s] += the same term of point s
 * (transposed like xwt), dw2[D] += Σ_s coef[s]·ReLU(pre + xw_s). */
void jx_energy_backward (float *du, float *dxwt, float *dw2, const float *coef, const float *pre,
                         const float *xwt, int n, const float *w2, int D);
/* The same for one point whose whole pre-activation is pre, with coefficient c. */
void jx_energy_backward1 (float *du, float *dw2, float c, const float *pre, const float *w2,
                          int D);
