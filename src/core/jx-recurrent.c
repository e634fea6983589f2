/* jx-recurrent.c — see jx-recurrent.h. Rows are processed one at a time with the vectorized
 * activations of jx-layers.h on each gate block (contiguous H floats). */
#include "jx-recurrent.h"

#include <stddef.h>

#include "jx-layers.h"

void
jx_lstm_forward (float *h, float *c, float *gates, const float *c_prev, int N, int H)
{
  for (int n = 0; n < N; n++)
    {
      float *g = gates + (size_t) n * 4 * H;
      float *hn = h + (size_t) n * H, *cn = c + (size_t) n * H;
      const float *cp = c_prev + (size_t) n * H;
      jx_sigmoid_forward (g, g, (size_t) 2 * H);            /* i, f */
      jx_tanh_forward (g + 2 * H, g + 2 * H, (size_t) H);   /* c̃ */
      jx_sigmoid_forward (g + 3 * H, g + 3 * H, (size_t) H); /* o */
      for (int j = 0; j < H; j++)
        cn[j] = g[H + j] * cp[j] + g[j] * g[2 * H + j];
      jx_tanh_forward (hn, cn, (size_t) H);
      for (int j = 0; j < H; j++)
        hn[j] *= g[3 * H + j];
    }
}

void
jx_lstm_backward (float *dgates, float *dc_prev, const float *dh, const float *dc,
                  const float *gates, const float *c, const float *c_prev, int N, int H)
{
  for (int n = 0; n < N; n++)
    {
      float *dg = dgates + (size_t) n * 4 * H;
      float *dcp = dc_prev + (size_t) n * H;
      const float *g = gates + (size_t) n * 4 * H;
      const float *dhn = dh + (size_t) n * H, *dcn = dc + (size_t) n * H;
      const float *cn = c + (size_t) n * H, *cp = c_prev + (size_t) n * H;
      /* tanh(c) again (the same function as forward, so the same numbers), parked in the
       * o block of dg, which is written last for each j. */
      float *tc = dg + 3 * H;
      jx_tanh_forward (tc, cn, (size_t) H);
      for (int j = 0; j < H; j++)
        {
          float i = g[j], f = g[H + j], gc = g[2 * H + j], o = g[3 * H + j], t = tc[j];
          float dct = dcn[j] + dhn[j] * o * (1.0f - t * t);
          dg[j] = dct * gc * i * (1.0f - i);
          dg[H + j] = dct * cp[j] * f * (1.0f - f);
          dg[2 * H + j] = dct * i * (1.0f - gc * gc);
          dg[3 * H + j] = dhn[j] * t * o * (1.0f - o);
          dcp[j] += dct * f;
        }
    }
}

void
jx_gru_forward (float *h, float *gates, const float *rec, const float *h_prev, int N, int H)
{
  for (int n = 0; n < N; n++)
    {
      float *g = gates + (size_t) n * 3 * H, *hn = h + (size_t) n * H;
      const float *rc = rec + (size_t) n * 3 * H, *hp = h_prev + (size_t) n * H;
      for (int j = 0; j < 2 * H; j++)
        g[j] += rc[j];
      jx_sigmoid_forward (g, g, (size_t) 2 * H);   /* z, r */
      for (int j = 0; j < H; j++)
        g[2 * H + j] += g[H + j] * rc[2 * H + j];
      jx_tanh_forward (g + 2 * H, g + 2 * H, (size_t) H);
      for (int j = 0; j < H; j++)
        hn[j] = g[j] * hp[j] + (1.0f - g[j]) * g[2 * H + j];
    }
}

void
jx_gru_backward (float *dx, float *drec, float *dh_prev, const float *dh, const float *gates,
                 const float *rec, const float *h_prev, int N, int H)
{
  for (int n = 0; n < N; n++)
    {
      float *dxn = dx + (size_t) n * 3 * H, *drn = drec + (size_t) n * 3 * H;
      float *dhp = dh_prev + (size_t) n * H;
      const float *g = gates + (size_t) n * 3 * H, *rc = rec + (size_t) n * 3 * H;
      const float *dhn = dh + (size_t) n * H, *hp = h_prev + (size_t) n * H;
      for (int j = 0; j < H; j++)
        {
          float z = g[j], r = g[H + j], hh = g[2 * H + j], d = dhn[j];
          float da = d * (1.0f - z) * (1.0f - hh * hh);   /* through h̃'s pre-activation */
          float dz = d * (hp[j] - hh) * z * (1.0f - z);
          float dr = da * rc[2 * H + j] * r * (1.0f - r);
          dxn[j] = drn[j] = dz;
          dxn[H + j] = drn[H + j] = dr;
          dxn[2 * H + j] = da;
          drn[2 * H + j] = da * r;
          dhp[j] += d * z;
        }
    }
}
