/* jx-layers: cblas paths against the naive references, every backward against finite
 * differences (in double on the float functions, with loose but bug-revealing tolerances),
 * and softmax / sigmoid cross-entropies on hand values and extreme logits. */
#include <string.h>

#include "jx-layers.h"
#include "jx-rng.h"
#include "jx-test.h"

#define VW_TEST 2

static JxRng rng;

static void
fill (float *a, size_t n, double scale)
{
  for (size_t i = 0; i < n; i++)
    a[i] = (float) (scale * (2 * jx_rng_uniform (&rng) - 1));
}

static double
max_diff (const float *a, const float *b, size_t n)
{
  double d = 0;
  for (size_t i = 0; i < n; i++)
    d = fmax (d, fabs ((double) a[i] - b[i]));
  return d;
}

static void
test_dense_vs_naive (int N, int C, int OC)
{
  float *inp = malloc (sizeof (float) * N * C + 4), *w = malloc (sizeof (float) * C * OC + 4);
  float *b = malloc (sizeof (float) * OC), *o1 = malloc (sizeof (float) * N * OC);
  float *o2 = malloc (sizeof (float) * N * OC), *dout = malloc (sizeof (float) * N * OC);
  fill (inp, (size_t) N * C, 1);
  fill (w, (size_t) C * OC, 1);
  fill (b, OC, 1);
  fill (dout, (size_t) N * OC, 1);
  jx_dense_forward (o1, inp, w, b, N, C, OC);
  jx_dense_forward_naive (o2, inp, w, b, N, C, OC);
  JX_CHECK_MSG (max_diff (o1, o2, (size_t) N * OC) < 1e-5 * (C + 1), "dense forward %dx%dx%d",
                N, C, OC);
  jx_dense_forward (o1, inp, w, NULL, N, C, OC);
  jx_dense_forward_naive (o2, inp, w, NULL, N, C, OC);
  JX_CHECK (max_diff (o1, o2, (size_t) N * OC) < 1e-5 * (C + 1));
  jx_dense_forward_acc (o1, inp, w, N, C, OC);
  jx_dense_forward_acc_naive (o2, inp, w, N, C, OC);
  JX_CHECK (max_diff (o1, o2, (size_t) N * OC) < 2e-5 * (C + 1));

  /* Backward accumulates onto whatever is there. */
  float *di1 = malloc (sizeof (float) * N * C + 4), *di2 = malloc (sizeof (float) * N * C + 4);
  float *dw1 = malloc (sizeof (float) * C * OC + 4), *dw2 = malloc (sizeof (float) * C * OC + 4);
  float *db1 = malloc (sizeof (float) * OC), *db2 = malloc (sizeof (float) * OC);
  fill (di1, (size_t) N * C, 1);
  memcpy (di2, di1, sizeof (float) * N * C);
  fill (dw1, (size_t) C * OC, 1);
  memcpy (dw2, dw1, sizeof (float) * C * OC);
  fill (db1, OC, 1);
  memcpy (db2, db1, sizeof (float) * OC);
  jx_dense_backward (di1, dw1, db1, dout, inp, w, N, C, OC);
  jx_dense_backward_naive (di2, dw2, db2, dout, inp, w, N, C, OC);
  JX_CHECK_MSG (max_diff (di1, di2, (size_t) N * C) < 1e-5 * (OC + 1), "dense dinp %dx%dx%d",
                N, C, OC);
  JX_CHECK_MSG (max_diff (dw1, dw2, (size_t) C * OC) < 1e-5 * (N + 1), "dense dw %dx%dx%d",
                N, C, OC);
  JX_CHECK_MSG (max_diff (db1, db2, OC) < 1e-5 * (N + 1), "dense db %dx%dx%d", N, C, OC);
  /* NULL outputs are skipped. */
  jx_dense_backward (NULL, NULL, db1, dout, inp, w, N, C, OC);
  free (inp); free (w); free (b); free (o1); free (o2); free (dout);
  free (di1); free (di2); free (dw1); free (dw2); free (db1); free (db2);
}

/* The strided variants (a column block of a wider matrix, rows ld apart) against the plain
 * ones on the block copied out: the same GEMM on the same numbers, so equal up to rounding;
 * the columns outside the block are left as they were. */
static void
test_dense_ld (int N, int C, int OC, int ld, int col)
{
  size_t nw = (size_t) N * ld;
  float *wide = malloc (sizeof (float) * nw), *dwide = malloc (sizeof (float) * nw);
  float *inp = malloc (sizeof (float) * N * C), *w = malloc (sizeof (float) * C * OC);
  float *b = malloc (sizeof (float) * OC), *dout = malloc (sizeof (float) * N * OC);
  float *o1 = malloc (sizeof (float) * N * OC), *o2 = malloc (sizeof (float) * N * OC);
  float *di = calloc ((size_t) N * C, sizeof (float));
  float *dw1 = calloc ((size_t) C * OC, sizeof (float));
  float *dw2 = calloc ((size_t) C * OC, sizeof (float));
  fill (wide, nw, 1);
  fill (dwide, nw, 1);
  fill (w, (size_t) C * OC, 1);
  fill (b, OC, 1);
  fill (dout, (size_t) N * OC, 1);
  for (int i = 0; i < N; i++)
    memcpy (inp + (size_t) i * C, wide + (size_t) i * ld + col, sizeof (float) * C);
  jx_dense_forward_ld (o1, OC, wide + col, ld, w, OC, b, N, C, OC);
  jx_dense_forward (o2, inp, w, b, N, C, OC);
  JX_CHECK_MSG (max_diff (o1, o2, (size_t) N * OC) < 1e-6 * (C + 1), "dense_ld forward %dx%dx%d",
                N, C, OC);
  /* Only the first OC − 2 outputs, into rows OC apart, from a kernel of OC columns. */
  if (OC > 2)
    {
      float *o3 = malloc (sizeof (float) * N * OC);
      memcpy (o3, o1, sizeof (float) * N * OC);
      for (int i = 0; i < N; i++)
        for (int j = 0; j < OC - 2; j++)
          o3[(size_t) i * OC + j] = -7.0f;
      jx_dense_forward_ld (o3, OC, wide + col, ld, w, OC, b, N, C, OC - 2);
      JX_CHECK (max_diff (o3, o2, (size_t) N * OC) < 1e-6 * (C + 1));
      free (o3);
    }
  float *dsave = malloc (sizeof (float) * nw);
  memcpy (dsave, dwide, sizeof (float) * nw);
  for (int i = 0; i < N; i++)
    memcpy (di + (size_t) i * C, dwide + (size_t) i * ld + col, sizeof (float) * C);
  jx_dense_backward_ld (dwide + col, dw1, NULL, dout, wide + col, ld, w, N, C, OC);
  jx_dense_backward (di, dw2, NULL, dout, inp, w, N, C, OC);
  int bad = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < ld; j++)
      {
        float got = dwide[(size_t) i * ld + j];
        float want = j >= col && j < col + C ? di[(size_t) i * C + j - col]
                                             : dsave[(size_t) i * ld + j];
        bad += fabsf (got - want) > 1e-6f * (OC + 1);
      }
  JX_CHECK_INT (bad, 0);
  JX_CHECK (max_diff (dw1, dw2, (size_t) C * OC) < 1e-6 * (N + 1));
  free (wide); free (dwide); free (inp); free (w); free (b); free (dout); free (o1); free (o2);
  free (di); free (dw1); free (dw2); free (dsave);
}

/* Loss L = Σ r·out of the dense layer; gradients against central differences in double. */
static void
test_dense_fd (void)
{
  enum { N = 3, C = 4, OC = 5 };
  float inp[N * C], w[C * OC], b[OC], r[N * OC], out[N * OC];
  fill (inp, N * C, 1);
  fill (w, C * OC, 1);
  fill (b, OC, 1);
  fill (r, N * OC, 1);
  float dinp[N * C] = { 0 }, dw[C * OC] = { 0 }, db[OC] = { 0 };
  jx_dense_backward (dinp, dw, db, r, inp, w, N, C, OC);
  float *vars[3] = { inp, w, b }, *grads[3] = { dinp, dw, db };
  int sizes[3] = { N * C, C * OC, OC };
  int bad = 0;
  for (int v = 0; v < 3; v++)
    for (int i = 0; i < sizes[v]; i++)
      {
        float x = vars[v][i];
        double f[2];
        for (int s = 0; s < 2; s++)
          {
            vars[v][i] = x + (s ? 0x1p-6f : -0x1p-6f);
            jx_dense_forward_naive (out, inp, w, b, N, C, OC);
            f[s] = 0;
            for (int j = 0; j < N * OC; j++)
              f[s] += (double) r[j] * out[j];
          }
        vars[v][i] = x;
        double num = (f[1] - f[0]) / (2 * 0x1p-6);
        bad += fabs (num - grads[v][i]) > 1e-4 * (1 + fabs (num));
      }
  JX_CHECK_INT (bad, 0);
}

static void
test_activations_fd (void)
{
  enum { n = 40 };
  float inp[n], out[n], dout[n], dinp[n], dinp_r[n];
  fill (inp, n, 2);
  fill (dout, n, 1);
  /* Keep ReLU inputs away from the kink. */
  for (int i = 0; i < n; i++)
    if (fabsf (inp[i]) < 0.05f)
      inp[i] = 0.3f;
  jx_tanh_forward (out, inp, n);
  memset (dinp, 0, sizeof dinp);
  jx_tanh_backward (dinp, dout, out, n);
  float tmp[n];
  jx_relu_forward (tmp, inp, n);
  memset (dinp_r, 0, sizeof dinp_r);
  jx_relu_backward (dinp_r, dout, tmp, n);
  int bad = 0;
  for (int i = 0; i < n; i++)
    {
      double h = 1e-3, x = inp[i];
      double num_t = (tanh (x + h) - tanh (x - h)) / (2 * h) * dout[i];
      bad += fabs (num_t - dinp[i]) > 1e-5;
      bad += fabs ((x > 0 ? dout[i] : 0.0) - dinp_r[i]) > 0;
      bad += fabs (tanh (x) - out[i]) > 1e-6;
      bad += tmp[i] != (x > 0 ? inp[i] : 0.0f);
    }
  JX_CHECK_INT (bad, 0);
  /* The in-place ReLU backward gives the same values. */
  float dip[n];
  memcpy (dip, dout, sizeof dip);
  jx_relu_backward_inplace (dip, tmp, n);
  JX_CHECK (memcmp (dip, dinp_r, sizeof dip) == 0);
  /* In place works (the model relies on it). */
  memcpy (tmp, inp, sizeof tmp);
  jx_tanh_forward (tmp, tmp, n);
  JX_CHECK (memcmp (tmp, out, sizeof tmp) == 0);
}

static void
test_softmax (void)
{
  /* logits (0, ln 2, ln 3) → (1/6, 2/6, 3/6); a 4th column beyond V gets 0. */
  float l[8] = { 0, (float) log (2), (float) log (3), 99, 5, 1, 7, -3 };
  float p[8];
  int target[2] = { 2, 0 }, valid[2] = { 3, 2 };
  double lp[2];
  jx_softmax_xent_forward (p, lp, l, target, valid, 2, 4, 4);
  JX_CHECK_CLOSE (p[0], 1.0 / 6, 1e-6, 0);
  JX_CHECK_CLOSE (p[1], 2.0 / 6, 1e-6, 0);
  JX_CHECK_CLOSE (p[2], 3.0 / 6, 1e-6, 0);
  JX_CHECK (p[3] == 0 && p[6] == 0 && p[7] == 0);
  JX_CHECK_CLOSE (lp[0], log (0.5), 1e-7, 0);
  JX_CHECK_CLOSE (lp[1], 5 - log (exp (5) + exp (1)), 1e-7, 0);
  /* probs NULL (evaluation): the same logp, logits untouched. */
  double lp_only[2];
  float l_copy[8];
  memcpy (l_copy, l, sizeof l);
  jx_softmax_xent_forward (NULL, lp_only, l, target, valid, 2, 4, 4);
  JX_CHECK (lp_only[0] == lp[0] && lp_only[1] == lp[1]);
  JX_CHECK (memcmp (l_copy, l, sizeof l) == 0);
  /* Without valid: over V = 4 of stride 4; huge logits do not overflow. */
  float big[4] = { 1000, 999, -1000, 1000 };
  int t3 = 1;
  jx_softmax_xent_forward (p, lp, big, &t3, NULL, 1, 4, 4);
  double z = 2 + exp (-1.0);
  JX_CHECK_CLOSE (lp[0], -1 - log (z), 1e-7, 0);
  JX_CHECK_CLOSE (p[0] + p[1] + p[2] + p[3], 1, 0, 1e-6);

  /* Gradient of −Σ w_i logp_i against differences, with per-row weights and masking. */
  enum { N = 3, V = 6 };
  float lg[N * V], pr[N * V], dl[N * V] = { 0 }, wgt[N] = { 1, 0.5f, 2 };
  int tg[N] = { 0, 3, 1 }, vd[N] = { 6, 4, 2 };
  fill (lg, N * V, 2);
  jx_softmax_xent_forward (pr, NULL, lg, tg, vd, N, V, V);
  jx_softmax_xent_backward (dl, pr, tg, wgt, vd, N, V, V);
  int bad = 0;
  for (int i = 0; i < N * V; i++)
    {
      float x = lg[i];
      double f[2];
      for (int s = 0; s < 2; s++)
        {
          lg[i] = x + (s ? 0x1p-8f : -0x1p-8f);
          double lps[N];
          jx_softmax_xent_forward (pr, lps, lg, tg, vd, N, V, V);
          f[s] = 0;
          for (int r = 0; r < N; r++)
            f[s] -= wgt[r] * lps[r];
        }
      lg[i] = x;
      double num = (f[1] - f[0]) / (2 * 0x1p-8);
      bad += fabs (num - dl[i]) > 1e-4;
      if (i % V >= vd[i / V])
        bad += dl[i] != 0;
    }
  JX_CHECK_INT (bad, 0);
}

/* The vectorized exp and blocked sums against double, on wide rows with odd lengths (the
 * joint head has 10^4 cells) and logits spanning ±60. */
static void
test_softmax_wide (void)
{
  enum { V = 10007, N = 3 };
  float *l = malloc (sizeof (float) * N * V), *p = malloc (sizeof (float) * N * V);
  double *e = malloc (sizeof (double) * V);
  int target[N] = { 0, 5000, V - 1 }, valid[N] = { V, V - 3, 9 };
  double lp[N];
  fill (l, (size_t) N * V, 60);
  jx_softmax_xent_forward (p, lp, l, target, valid, N, V, V);
  int bad = 0;
  for (int i = 0; i < N; i++)
    {
      const float *li = l + (size_t) i * V;
      double mx = -1e300, sum = 0;
      for (int j = 0; j < valid[i]; j++)
        mx = fmax (mx, li[j]);
      for (int j = 0; j < valid[i]; j++)
        sum += e[j] = exp (li[j] - mx);
      /* The shift l − max is rounded to float (as with expf): relative error |l − max|·2^-23. */
      for (int j = 0; j < valid[i]; j++)
        bad += fabs (p[(size_t) i * V + j] - e[j] / sum)
               > (1e-6 + 1.2e-7 * fabs (li[j] - mx)) * e[j] / sum + 1e-36;
      for (int j = valid[i]; j < V; j++)
        bad += p[(size_t) i * V + j] != 0;
      JX_CHECK_CLOSE (lp[i], li[target[i]] - mx - log (sum), 0, 1e-6);
    }
  JX_CHECK_INT (bad, 0);
  /* Every exponent of the reduced range, one by one against exp(). */
  float x[VW_TEST], q[VW_TEST];
  int t = 0;
  bad = 0;
  for (double v = -86.9; v <= 0; v += 0.0137)
    {
      x[0] = (float) v;
      x[1] = 0;
      int one = 0;
      jx_softmax_xent_forward (q, NULL, x, &one, NULL, 1, 2, 2);
      /* q[0] = e^v / (1 + e^v) */
      double want = exp ((double) x[0]) / (1 + exp ((double) x[0]));
      bad += fabs (q[0] - want) > 3e-7 * want;
      t++;
    }
  JX_CHECK_INT (bad, 0);
  JX_CHECK (t > 6000);
  free (l);
  free (p);
  free (e);
}

static void
test_sigmoid (void)
{
  float l[4] = { 100, 100, -100, 0.3f };
  int y[4] = { 1, 0, 1, 1 };
  double lp[4];
  float pr[4];
  jx_sigmoid_xent_forward (pr, lp, l, y, 4);
  JX_CHECK_CLOSE (lp[0], -exp (-100.0), 1e-6, 0);
  JX_CHECK_CLOSE (lp[1], -100, 1e-12, 0);
  JX_CHECK_CLOSE (lp[2], -100, 1e-12, 0);
  JX_CHECK_CLOSE (lp[3], -log1p (exp (-0.3)), 1e-7, 0);
  JX_CHECK_CLOSE (pr[3], 1 / (1 + exp (-0.3)), 1e-6, 0);
  JX_CHECK (pr[0] == 1.0f && pr[2] < 1e-30f);
  enum { N = 6 };
  float lg[N], dl[N] = { 0 }, wgt[N] = { 1, 2, 0.5f, 1, 1, 3 };
  int yy[N] = { 0, 1, 1, 0, 1, 0 };
  fill (lg, N, 3);
  jx_sigmoid_xent_backward (dl, lg, yy, wgt, N);
  int bad = 0;
  for (int i = 0; i < N; i++)
    {
      float x = lg[i];
      double f[2], lps[N];
      for (int s = 0; s < 2; s++)
        {
          lg[i] = x + (s ? 0x1p-8f : -0x1p-8f);
          jx_sigmoid_xent_forward (NULL, lps, lg, yy, N);
          f[s] = 0;
          for (int r = 0; r < N; r++)
            f[s] -= wgt[r] * lps[r];
        }
      lg[i] = x;
      bad += fabs ((f[1] - f[0]) / (2 * 0x1p-8) - dl[i]) > 1e-4;
    }
  JX_CHECK_INT (bad, 0);
}

/* jx_exp_neg against libm's exp over [−90, 0] (clamped below −87), odd lengths (the tail). */
static void
test_exp_neg (void)
{
  enum { N = 1001 };
  float in[N], out[N];
  for (int i = 0; i < N; i++)
    in[i] = -90.0f * i / (N - 1);
  jx_exp_neg (out, in, N);
  double worst = 0;
  for (int i = 0; i < N; i++)
    {
      double ref = exp (fmax ((double) in[i], -87.0));
      worst = fmax (worst, fabs (out[i] / ref - 1));
    }
  JX_CHECK_MSG (worst < 5e-7, "jx_exp_neg relative error %g", worst);
  jx_exp_neg (in, in, 3);   /* in place, a length below the vector width */
  JX_CHECK (in[0] == 1.0f && fabs (in[1] / exp (-90.0 / (N - 1)) - 1) < 5e-7);
}

int
main (void)
{
  jx_rng_seed (&rng, 9, 0);
  test_dense_vs_naive (7, 5, 3);
  test_dense_vs_naive (1, 104, 100);
  test_dense_vs_naive (33, 100, 1);
  test_dense_vs_naive (64, 100, 625);
  test_dense_vs_naive (5, 1, 9);
  test_dense_ld (13, 10, 7, 40, 25);
  test_dense_ld (300, 100, 10, 500, 300);
  test_dense_fd ();
  test_activations_fd ();
  test_softmax ();
  test_softmax_wide ();
  test_sigmoid ();
  test_exp_neg ();
  JX_TEST_MAIN_END ("layers");
}
