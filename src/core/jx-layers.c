/* jx-layers.c — see jx-layers.h.
 *
 * N = rows, C = input channels, OC = output channels, V = valid softmax classes,
 * Vp = softmax row stride. All matrices row-major.
 */
#include "jx-layers.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * dense */

void
jx_dense_forward (float *out, const float *inp, const float *w, const float *b,
                  int N, int C, int OC)
{
  /* inp is (N, C), w is (C, OC), out is (N, OC). */
  if (N <= 0 || OC <= 0)
    return;
  if (b != NULL)
    for (int i = 0; i < N; i++)
      memcpy (out + (size_t) i * OC, b, (size_t) OC * sizeof *out);
  if (C <= 0)
    {
      if (b == NULL)
        memset (out, 0, (size_t) N * OC * sizeof *out);
      return;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, N, OC, C,
               1.0f, inp, C, w, OC, b != NULL ? 1.0f : 0.0f, out, OC);
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
  /* forward: out = inp·w + b, so dinp = dout·wᵀ, dw = inpᵀ·dout, db = Σ_rows dout. */
  if (N <= 0 || OC <= 0)
    return;
  if (dinp != NULL && C > 0)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, N, C, OC,
                 1.0f, dout, OC, w, OC, 1.0f, dinp, C);
  if (dw != NULL && C > 0)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, C, OC, N,
                 1.0f, inp, C, dout, OC, 1.0f, dw, OC);
  if (db != NULL)
    for (int i = 0; i < N; i++)
      {
        const float *row = dout + (size_t) i * OC;
        for (int o = 0; o < OC; o++)
          db[o] += row[o];
      }
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

void
jx_tanh_forward (float *out, const float *inp, size_t n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = tanhf (inp[i]);
}

void
jx_tanh_backward (float *dinp, const float *dout, const float *out, size_t n)
{
  /* forward: out = tanh(inp), d tanh = 1 − tanh². */
  for (size_t i = 0; i < n; i++)
    dinp[i] += dout[i] * (1.0f - out[i] * out[i]);
}

void
jx_relu_forward (float *out, const float *inp, size_t n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = inp[i] > 0.0f ? inp[i] : 0.0f;
}

void
jx_relu_backward (float *dinp, const float *dout, const float *out, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (out[i] > 0.0f)
      dinp[i] += dout[i];
}

/* ---------------------------------------------------------------------------------------
 * softmax + cross-entropy */

void
jx_softmax_xent_forward (float *probs, double *logp, const float *logits, const int *target,
                         const int *valid, int N, int V, int Vp)
{
  for (int i = 0; i < N; i++)
    {
      const float *l = logits + (size_t) i * Vp;
      float *p = probs + (size_t) i * Vp;
      int nv = valid != NULL ? valid[i] : V;
      float mx = l[0];
      for (int j = 1; j < nv; j++)
        mx = l[j] > mx ? l[j] : mx;
      /* Read before the loop below, which may overwrite logits (in place). */
      double lt = target != NULL ? (double) l[target[i]] - mx : 0.0;
      /* The sum is accumulated in double: over 10^4 cells float would drift. */
      double sum = 0.0;
      for (int j = 0; j < nv; j++)
        {
          float e = expf (l[j] - mx);
          p[j] = e;
          sum += e;
        }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < nv; j++)
        p[j] *= inv;
      for (int j = nv; j < Vp; j++)
        p[j] = 0.0f;
      if (logp != NULL && target != NULL)
        logp[i] = lt - log (sum);
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
