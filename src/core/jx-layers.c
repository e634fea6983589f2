/* jx-layers.c — see jx-layers.h.
 *
 * N = rows, C = input channels, OC = output channels, V = valid softmax classes,
 * Vp = softmax row stride. All matrices row-major.
 */
#include "jx-layers.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * 8-wide float vectors (GCC/Clang vector extensions): the softmax over 10^4 joint cells is
 * the only non-GEMM hot loop, and plain loops are not vectorized at -O2 (nor is expf).
 * The helpers are always inlined into functions compiled twice (target_clones): AVX2+FMA
 * (x86-64-v3) where the CPU has it, two SSE2 halves otherwise; the choice is made once at load time.
 * Passing 32-byte vectors between functions would change the ABI without AVX — they never
 * are (always_inline), hence the silenced warning. */

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#define VW 8
typedef float JxVf __attribute__ ((vector_size (32)));
typedef int JxVi __attribute__ ((vector_size (32)));

/* x86-64-v3 = AVX2 + FMA: the e^x and tanh polynomials are chains of multiply-adds, fused
 * only when contraction is allowed (strict ISO C mode turns it off). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize ("fp-contract=fast")
#define JX_CLONES __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
#define JX_CLONES
#endif
#define JX_INLINE static inline __attribute__ ((always_inline))

JX_INLINE JxVf
v_load (const float *p)
{
  JxVf v;
  memcpy (&v, p, sizeof v);
  return v;
}

JX_INLINE void
v_store (float *p, JxVf v)
{
  memcpy (p, &v, sizeof v);
}

JX_INLINE JxVf
v_splat (float x)
{
  return (JxVf) { x, x, x, x, x, x, x, x };
}

JX_INLINE JxVi
v_splat_i (int x)
{
  return (JxVi) { x, x, x, x, x, x, x, x };
}

JX_INLINE JxVf
v_select (JxVi mask, JxVf a, JxVf b)   /* mask ? a : b */
{
  return (JxVf) (((JxVi) a & mask) | ((JxVi) b & ~mask));
}

/* e^x for x ≤ 0 (shifted logits): x = k ln 2 + r, |r| ≤ ln2/2, e^r by its degree-6 Taylor
 * polynomial (relative error < 2e-7, like expf), 2^k built in the exponent bits. Inputs below
 * −87 are clamped (e^−87 ≈ 1.6e-38 is as good as 0 next to the maximum's e^0 = 1). */
JX_INLINE JxVf
v_exp_neg (JxVf x)
{
  const float magic = 12582912.0f;   /* 1.5·2^23: adding it rounds to an integer */
  x = v_select (x < v_splat (-87.0f), v_splat (-87.0f), x);
  JxVf k = (x * v_splat (1.44269504f) + v_splat (magic)) - v_splat (magic);
  JxVf r = x - k * v_splat (0.693145752f);   /* ln 2 split in a short and a tiny part */
  r = r - k * v_splat (1.42860677e-6f);
  JxVf p = v_splat (1.0f / 720);
  p = p * r + v_splat (1.0f / 120);
  p = p * r + v_splat (1.0f / 24);
  p = p * r + v_splat (1.0f / 6);
  p = p * r + v_splat (0.5f);
  p = p * r + v_splat (1.0f);
  p = p * r + v_splat (1.0f);
  JxVi e = (__builtin_convertvector (k, JxVi) + 127) << 23;
  return p * (JxVf) e;
}

JX_INLINE float
exp_neg (float x)
{
  float in[VW] = { x }, out[VW];
  v_store (out, v_exp_neg (v_load (in)));
  return out[0];
}

JX_INLINE float
row_max (const float *l, int n)
{
  float mx = l[0];
  int j = 0;
  if (n >= VW)
    {
      JxVf m = v_load (l);
      for (j = VW; j + VW <= n; j += VW)
        {
          JxVf v = v_load (l + j);
          m = v_select (v > m, v, m);
        }
      for (int q = 0; q < VW; q++)
        mx = m[q] > mx ? m[q] : mx;
    }
  for (; j < n; j++)
    mx = l[j] > mx ? l[j] : mx;
  return mx;
}

/* p[j] = e^(l[j] − mx); returns Σ p in double (float lanes over blocks of 64, then double,
 * so 10^4 terms keep ~1e-7 relative precision). p may equal l, or be NULL (only the sum). */
JX_INLINE double
row_exp (float *p, const float *l, float mx, int n)
{
  double sum = 0.0;
  int j = 0;
  JxVf vmx = v_splat (mx);
  /* Two independent vectors per iteration: the polynomial is a latency chain. */
  while (j + 2 * VW <= n)
    {
      JxVf acc0 = v_splat (0.0f), acc1 = v_splat (0.0f);
      for (int b = 0; b < 8 && j + 2 * VW <= n; b++, j += 2 * VW)
        {
          JxVf e0 = v_exp_neg (v_load (l + j) - vmx);
          JxVf e1 = v_exp_neg (v_load (l + j + VW) - vmx);
          if (p != NULL)
            {
              v_store (p + j, e0);
              v_store (p + j + VW, e1);
            }
          acc0 += e0;
          acc1 += e1;
        }
      acc0 += acc1;
      for (int q = 0; q < VW; q++)
        sum += acc0[q];
    }
  /* The tail (short rows: the mother head's first t logits) a vector at a time, the lanes
   * beyond n masked to 0, instead of one whole vector exp per value. */
  JxVf tail = v_splat (0.0f);
  const JxVi lane = { 0, 1, 2, 3, 4, 5, 6, 7 };
  for (; j < n; j += VW)
    {
      int rem = n - j < VW ? n - j : VW;
      float x[VW];
      for (int q = 0; q < VW; q++)
        x[q] = q < rem ? l[j + q] : mx;
      JxVf e = v_select (lane < v_splat_i (rem), v_exp_neg (v_load (x) - vmx), v_splat (0.0f));
      if (p != NULL)
        memcpy (p + j, &e, (size_t) rem * sizeof *p);
      tail += e;
    }
  for (int q = 0; q < VW; q++)
    sum += tail[q];
  return sum;
}

JX_INLINE void
row_scale (float *p, float s, int n)
{
  int j = 0;
  for (; j + VW <= n; j += VW)
    v_store (p + j, v_load (p + j) * v_splat (s));
  for (; j < n; j++)
    p[j] *= s;
}

/* acc[0..n) += x[0..n) */
JX_INLINE void
row_add (float *acc, const float *x, int n)
{
  int j = 0;
  for (; j + VW <= n; j += VW)
    v_store (acc + j, v_load (acc + j) + v_load (x + j));
  for (; j < n; j++)
    acc[j] += x[j];
}

/* ---------------------------------------------------------------------------------------
 * dense */

void
jx_dense_forward (float *out, const float *inp, const float *w, const float *b,
                  int N, int C, int OC)
{
  jx_dense_forward_ld (out, OC, inp, C, w, OC, b, N, C, OC);
}

void
jx_dense_forward_ld (float *out, int ldo, const float *inp, int ldi, const float *w, int ldw,
                     const float *b, int N, int C, int OC)
{
  /* inp is (N, C), w is (C, OC), out is (N, OC); rows ldi, ldw, ldo apart. */
  if (N <= 0 || OC <= 0)
    return;
  if (b != NULL)
    for (int i = 0; i < N; i++)
      memcpy (out + (size_t) i * ldo, b, (size_t) OC * sizeof *out);
  if (C <= 0)
    {
      if (b == NULL)
        for (int i = 0; i < N; i++)
          memset (out + (size_t) i * ldo, 0, (size_t) OC * sizeof *out);
      return;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, N, OC, C,
               1.0f, inp, ldi, w, ldw, b != NULL ? 1.0f : 0.0f, out, ldo);
}

void
jx_dense_forward_naive (float *out, const float *inp, const float *w, const float *b,
                        int N, int C, int OC)
{
  for (int i = 0; i < N; i++)
    for (int o = 0; o < OC; o++)
      {
        float acc = b != NULL ? b[o] : 0.0f;
        for (int c = 0; c < C; c++)
          acc += inp[(size_t) i * C + c] * w[(size_t) c * OC + o];
        out[(size_t) i * OC + o] = acc;
      }
}

void
jx_dense_forward_acc (float *out, const float *inp, const float *w, int N, int C, int OC)
{
  if (N <= 0 || OC <= 0 || C <= 0)
    return;
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, N, OC, C,
               1.0f, inp, C, w, OC, 1.0f, out, OC);
}

void
jx_dense_forward_acc_naive (float *out, const float *inp, const float *w, int N, int C, int OC)
{
  for (int i = 0; i < N; i++)
    for (int o = 0; o < OC; o++)
      {
        float acc = 0.0f;
        for (int c = 0; c < C; c++)
          acc += inp[(size_t) i * C + c] * w[(size_t) c * OC + o];
        out[(size_t) i * OC + o] += acc;
      }
}

void
jx_dense_backward (float *dinp, float *dw, float *db, const float *dout, const float *inp,
                   const float *w, int N, int C, int OC)
{
  jx_dense_backward_ld (dinp, dw, db, dout, inp, C, w, N, C, OC);
}

JX_CLONES void
jx_dense_backward_ld (float *dinp, float *dw, float *db, const float *dout, const float *inp,
                      int ldi, const float *w, int N, int C, int OC)
{
  /* forward: out = inp·w + b, so dinp = dout·wᵀ, dw = inpᵀ·dout, db = Σ_rows dout. */
  if (N <= 0 || OC <= 0)
    return;
  if (dinp != NULL && C > 0)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, N, C, OC,
                 1.0f, dout, OC, w, OC, 1.0f, dinp, ldi);
  if (dw != NULL && C > 0)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, C, OC, N,
                 1.0f, inp, ldi, dout, OC, 1.0f, dw, OC);
  if (db != NULL)
    for (int i = 0; i < N; i++)
      row_add (db, dout + (size_t) i * OC, OC);
}

void
jx_dense_backward_naive (float *dinp, float *dw, float *db, const float *dout,
                         const float *inp, const float *w, int N, int C, int OC)
{
  for (int i = 0; i < N; i++)
    for (int o = 0; o < OC; o++)
      {
        float d = dout[(size_t) i * OC + o];
        for (int c = 0; c < C; c++)
          {
            if (dinp != NULL)
              dinp[(size_t) i * C + c] += d * w[(size_t) c * OC + o];
            if (dw != NULL)
              dw[(size_t) c * OC + o] += inp[(size_t) i * C + c] * d;
          }
        if (db != NULL)
          db[o] += d;
      }
}

/* ---------------------------------------------------------------------------------------
 * activations */

/* tanh |x| = −m / (2 + m) with m = e^(−2|x|) − 1 ∈ (−1, 0], m computed without cancellation:
 * the same reduction as v_exp_neg, e^y = 2^k (1 + q(r)) with q(r) = p(r) − 1 summed from its
 * terms, so m = q for k = 0 (small |x|, where 1 − e^y would lose digits) and 2^k q + (2^k − 1)
 * otherwise. Relative error < 2e-7 (tanhf: 1.2e-7), and vectorized (tanhf was a tenth of the
 * factorized model's training time). */
JX_INLINE JxVf
v_tanh (JxVf x)
{
  const float magic = 12582912.0f;
  JxVi sign = (JxVi) x & v_splat_i (INT32_MIN);
  JxVf ax = (JxVf) ((JxVi) x & ~v_splat_i (INT32_MIN));
  JxVf y = v_splat (-2.0f) * ax;
  y = v_select (y < v_splat (-87.0f), v_splat (-87.0f), y);
  JxVf k = (y * v_splat (1.44269504f) + v_splat (magic)) - v_splat (magic);
  JxVf r = y - k * v_splat (0.693145752f);
  r = r - k * v_splat (1.42860677e-6f);
  JxVf q = v_splat (1.0f / 5040);   /* one term more than v_exp_neg: q ≈ r is small */
  q = q * r + v_splat (1.0f / 720);
  q = q * r + v_splat (1.0f / 120);
  q = q * r + v_splat (1.0f / 24);
  q = q * r + v_splat (1.0f / 6);
  q = q * r + v_splat (0.5f);
  q = q * r + v_splat (1.0f);
  q = q * r;
  JxVf two_k = (JxVf) ((__builtin_convertvector (k, JxVi) + 127) << 23);
  JxVf em = two_k * q + (two_k - v_splat (1.0f));
  JxVf t = -em / (v_splat (2.0f) + em);
  return (JxVf) ((JxVi) t | sign);
}

JX_CLONES void
jx_tanh_forward (float *out, const float *inp, size_t n)
{
  size_t i = 0;
  for (; i + VW <= n; i += VW)
    v_store (out + i, v_tanh (v_load (inp + i)));
  if (i < n)
    {
      float in[VW] = { 0 }, res[VW];
      memcpy (in, inp + i, (n - i) * sizeof *in);
      v_store (res, v_tanh (v_load (in)));
      memcpy (out + i, res, (n - i) * sizeof *out);
    }
}

void
jx_tanh_backward (float *dinp, const float *dout, const float *out, size_t n)
{
  /* forward: out = tanh(inp), d tanh = 1 − tanh². */
  for (size_t i = 0; i < n; i++)
    dinp[i] += dout[i] * (1.0f - out[i] * out[i]);
}

/* σ(x) from e = e^−|x| ≤ 1: 1/(1 + e) for x ≥ 0, e/(1 + e) below, each without
 * cancellation. */
JX_INLINE JxVf
v_sigmoid (JxVf x)
{
  JxVi neg = x < v_splat (0.0f);
  JxVf ax = v_select (neg, -x, x);
  JxVf e = v_exp_neg (-ax);
  JxVf inv = v_splat (1.0f) / (v_splat (1.0f) + e);
  return v_select (neg, e * inv, inv);
}

JX_CLONES void
jx_exp_neg (float *out, const float *inp, size_t n)
{
  size_t i = 0;
  for (; i + VW <= n; i += VW)
    v_store (out + i, v_exp_neg (v_load (inp + i)));
  if (i < n)
    {
      float in[VW] = { 0 }, res[VW];
      memcpy (in, inp + i, (n - i) * sizeof *in);
      v_store (res, v_exp_neg (v_load (in)));
      memcpy (out + i, res, (n - i) * sizeof *out);
    }
}

JX_CLONES void
jx_sigmoid_forward (float *out, const float *inp, size_t n)
{
  size_t i = 0;
  for (; i + VW <= n; i += VW)
    v_store (out + i, v_sigmoid (v_load (inp + i)));
  if (i < n)
    {
      float in[VW] = { 0 }, res[VW];
      memcpy (in, inp + i, (n - i) * sizeof *in);
      v_store (res, v_sigmoid (v_load (in)));
      memcpy (out + i, res, (n - i) * sizeof *out);
    }
}

JX_CLONES void
jx_relu_forward (float *out, const float *inp, size_t n)
{
  size_t i = 0;
  for (; i + VW <= n; i += VW)
    {
      JxVf v = v_load (inp + i);
      v_store (out + i, v_select (v > v_splat (0.0f), v, v_splat (0.0f)));
    }
  for (; i < n; i++)
    out[i] = inp[i] > 0.0f ? inp[i] : 0.0f;
}

JX_CLONES void
jx_relu_backward_inplace (float *d, const float *out, size_t n)
{
  size_t i = 0;
  for (; i + VW <= n; i += VW)
    v_store (d + i, v_select (v_load (out + i) > v_splat (0.0f), v_load (d + i), v_splat (0.0f)));
  for (; i < n; i++)
    d[i] = out[i] > 0.0f ? d[i] : 0.0f;
}

JX_CLONES void
jx_relu_backward (float *dinp, const float *dout, const float *out, size_t n)
{
  size_t i = 0;
  for (; i + VW <= n; i += VW)
    {
      JxVf g = v_select (v_load (out + i) > v_splat (0.0f), v_load (dout + i), v_splat (0.0f));
      v_store (dinp + i, v_load (dinp + i) + g);
    }
  for (; i < n; i++)
    if (out[i] > 0.0f)
      dinp[i] += dout[i];
}

/* ---------------------------------------------------------------------------------------
 * softmax + cross-entropy */

JX_CLONES void
jx_softmax_xent_forward (float *probs, double *logp, const float *logits, const int *target,
                         const int *valid, int N, int V, int Vp)
{
  for (int i = 0; i < N; i++)
    {
      const float *l = logits + (size_t) i * Vp;
      float *p = probs != NULL ? probs + (size_t) i * Vp : NULL;
      int nv = valid != NULL ? valid[i] : V;
      float mx = row_max (l, nv);
      /* Read before row_exp, which may overwrite logits (in place). */
      double lt = target != NULL ? (double) l[target[i]] - mx : 0.0;
      double sum = row_exp (p, l, mx, nv);
      if (p != NULL)
        {
          row_scale (p, (float) (1.0 / sum), nv);
          for (int j = nv; j < Vp; j++)
            p[j] = 0.0f;
        }
      if (logp != NULL && target != NULL)
        logp[i] = lt - log (sum);
    }
}

/* p[j] = e^(l[j] + b[j] − mx) (p NULL: not stored), returns Σ in double as row_exp does. */
JX_INLINE double
row_exp_bias (float *p, const float *l, const float *b, float mx, int n)
{
  double sum = 0.0;
  int j = 0;
  JxVf vmx = v_splat (mx);
  while (j + 2 * VW <= n)
    {
      JxVf acc0 = v_splat (0.0f), acc1 = v_splat (0.0f);
      for (int k = 0; k < 8 && j + 2 * VW <= n; k++, j += 2 * VW)
        {
          JxVf e0 = v_exp_neg (v_load (l + j) + v_load (b + j) - vmx);
          JxVf e1 = v_exp_neg (v_load (l + j + VW) + v_load (b + j + VW) - vmx);
          if (p != NULL)
            {
              v_store (p + j, e0);
              v_store (p + j + VW, e1);
            }
          acc0 += e0;
          acc1 += e1;
        }
      acc0 += acc1;
      for (int q = 0; q < VW; q++)
        sum += acc0[q];
    }
  for (; j < n; j++)
    {
      float e = exp_neg ((l[j] + b[j]) - mx);
      if (p != NULL)
        p[j] = e;
      sum += e;
    }
  return sum;
}

/* Rows of V ≤ 2·VW classes (the factorized heads' G = 10 bins): one padded pair of vectors
 * per row instead of a vector and a scalar tail (each scalar e^x costs a whole vector). */
JX_INLINE void
softmax_xent_bias_short (float *logits, double *logp, const float *b, const int *target,
                         float *db, int N, int V)
{
  float pad_b[2 * VW];
  for (int j = 0; j < 2 * VW; j++)
    pad_b[j] = j < V ? b[j] : -INFINITY;   /* padding lanes: e^(−∞ → clamped) ≈ 1e-38 ≈ 0 */
  JxVf b0 = v_load (pad_b), b1 = v_load (pad_b + VW);
  for (int i = 0; i < N; i++)
    {
      float *l = logits + (size_t) i * V, row[2 * VW] = { 0 };
      memcpy (row, l, (size_t) V * sizeof *row);
      JxVf x0 = v_load (row) + b0, x1 = v_load (row + VW) + b1;
      JxVf m = v_select (x1 > x0, x1, x0);
      float mx = m[0];
      for (int q = 1; q < VW; q++)
        mx = m[q] > mx ? m[q] : mx;
      int t = target[i];
      double lt = (double) (l[t] + b[t]) - mx;
      JxVf e0 = v_exp_neg (x0 - v_splat (mx)), e1 = v_exp_neg (x1 - v_splat (mx));
      JxVf acc = e0 + e1;
      double sum = 0.0;
      for (int q = 0; q < VW; q++)
        sum += acc[q];
      if (logp != NULL)
        logp[i] = lt - log (sum);
      if (db == NULL)
        continue;
      JxVf vs = v_splat ((float) (1.0 / sum));
      v_store (row, e0 * vs);
      v_store (row + VW, e1 * vs);
      row[t] -= 1.0f;
      for (int j = 0; j < V; j++)
        {
          l[j] = row[j];
          db[j] += row[j];
        }
    }
}

JX_CLONES void
jx_softmax_xent_bias (float *logits, double *logp, const float *b, const int *target, float *db,
                      int N, int V)
{
  if (V <= 2 * VW)
    {
      softmax_xent_bias_short (logits, logp, b, target, db, N, V);
      return;
    }
  for (int i = 0; i < N; i++)
    {
      float *l = logits + (size_t) i * V;
      /* Three passes over the row (40 kB for the joint head, in L2): the maximum of l + b;
       * e^(l + b − max) and its sum (stored only when training); the gradient. Evaluation
       * needs only ln p_target, so it neither stores nor normalizes the probabilities. */
      float mx = -INFINITY;
      int j = 0;
      if (V >= VW)
        {
          JxVf m = v_splat (-INFINITY);
          for (; j + VW <= V; j += VW)
            {
              JxVf v = v_load (l + j) + v_load (b + j);
              m = v_select (v > m, v, m);
            }
          for (int q = 0; q < VW; q++)
            mx = m[q] > mx ? m[q] : mx;
        }
      for (; j < V; j++)
        mx = l[j] + b[j] > mx ? l[j] + b[j] : mx;
      int t = target[i];
      double lt = (double) (l[t] + b[t]) - mx;
      double sum = row_exp_bias (db != NULL ? l : NULL, l, b, mx, V);
      if (logp != NULL)
        logp[i] = lt - log (sum);
      if (db == NULL)
        continue;
      /* Gradient of −ln p_t: p − onehot, written in place and summed into db while the row
       * is still in cache (the same operations, in the same order, as scaling, subtracting
       * the one-hot entry, then adding the row to db). */
      float s = (float) (1.0 / sum);
      JxVf vs = v_splat (s);
      for (j = 0; j + VW <= V; j += VW)
        {
          JxVf v = v_load (l + j) * vs;
          if (t >= j && t < j + VW)
            v[t - j] -= 1.0f;
          v_store (l + j, v);
          v_store (db + j, v_load (db + j) + v);
        }
      for (; j < V; j++)
        {
          l[j] *= s;
          if (j == t)
            l[j] -= 1.0f;
          db[j] += l[j];
        }
    }
}

void
jx_softmax_xent_backward (float *dlogits, const float *probs, const int *target,
                          const float *dloss, const int *valid, int N, int V, int Vp)
{
  /* loss = −w ln p_target, p = softmax(l): ∂loss/∂l_j = w (p_j − [j = target]). */
  for (int i = 0; i < N; i++)
    {
      const float *p = probs + (size_t) i * Vp;
      float *d = dlogits + (size_t) i * Vp;
      int nv = valid != NULL ? valid[i] : V;
      float w = dloss != NULL ? dloss[i] : 1.0f;
      for (int j = 0; j < nv; j++)
        d[j] += w * p[j];
      d[target[i]] -= w;
    }
}

void
jx_softmax_xent_backward_inplace (float *probs, const int *target, int N, int Vp)
{
  /* Same gradient with w = 1, written over the probabilities (columns beyond the valid
   * ones are already 0): saves zeroing and re-reading a (N, Vp) buffer. */
  for (int i = 0; i < N; i++)
    probs[(size_t) i * Vp + target[i]] -= 1.0f;
}

void
jx_sigmoid_xent_forward (float *prob, double *logp, const float *logit, const int *y, int N)
{
  for (int i = 0; i < N; i++)
    {
      double l = logit[i];
      /* ln σ(l) = −softplus(−l), ln(1 − σ(l)) = −softplus(l), softplus stable for any l. */
      double s = y[i] ? -l : l;
      double softplus = s > 0 ? s + log1p (exp (-s)) : log1p (exp (s));
      if (logp != NULL)
        logp[i] = -softplus;
      if (prob != NULL)
        prob[i] = (float) (1.0 / (1.0 + exp (-l)));
    }
}

void
jx_sigmoid_xent_backward (float *dlogit, const float *logit, const int *y,
                          const float *dloss, int N)
{
  for (int i = 0; i < N; i++)
    {
      double sig = 1.0 / (1.0 + exp (-(double) logit[i]));
      float w = dloss != NULL ? dloss[i] : 1.0f;
      dlogit[i] += w * (float) (sig - (y[i] ? 1.0 : 0.0));
    }
}

void
jx_softmax_double (double *probs, const float *l, int n, int n_out)
{
  float mx = l[0];
  for (int j = 1; j < n; j++)
    mx = l[j] > mx ? l[j] : mx;
  double sum = 0.0;
  if (n_out == n)
    {
      for (int j = 0; j < n; j++)
        sum += probs[j] = exp ((double) l[j] - mx);
      for (int j = 0; j < n; j++)
        probs[j] /= sum;
      return;
    }
  for (int j = 0; j < n; j++)
    sum += exp ((double) l[j] - mx);
  for (int j = 0; j < n_out; j++)
    probs[j] = exp ((double) l[j] - mx) / sum;
}
