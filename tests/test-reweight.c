/* Reweighting arithmetic on constructed weights: the clip discards (and counts) weights above
 * it and NaNs, the effective sample size (Σw)²/Σw² on known cases, weighted histograms. */
#include "jx-reweight.h"
#include "jx-test.h"

int
main (void)
{
  /* ln w for weights 1, 2, 4, 200 (clipped), NaN, 0.5 */
  double lr[] = { 0, log (2), log (4), log (200), NAN, log (0.5) };
  double w[6];
  JxReweightStats st;
  jx_reweight_weights (lr, 6, 100, w, &st);
  JX_CHECK_INT (st.n_jets, 6);
  JX_CHECK_INT (st.n_clipped, 1);
  JX_CHECK_INT (st.n_nan, 1);
  JX_CHECK (w[3] == 0 && w[4] == 0);
  JX_CHECK_CLOSE (w[1], 2, 1e-15, 0);
  JX_CHECK_CLOSE (st.sum_w, 7.5, 1e-14, 0);
  JX_CHECK_CLOSE (st.sum_w2, 1 + 4 + 16 + 0.25, 1e-14, 0);
  JX_CHECK_CLOSE (st.ess, 7.5 * 7.5 / 21.25, 1e-14, 0);
  JX_CHECK_CLOSE (st.max_kept, 4, 1e-14, 0);
  JX_CHECK_CLOSE (jx_effective_sample_size (w, 6), st.ess, 1e-14, 0);
  /* the clip is exclusive of its own value; no clip keeps everything finite */
  double at[] = { log (100) };
  jx_reweight_weights (at, 1, 100 * (1 + 1e-12), w, &st);
  JX_CHECK_INT (st.n_clipped, 0);
  jx_reweight_weights (lr, 6, 0, w, &st);
  JX_CHECK_INT (st.n_clipped, 0);
  JX_CHECK_CLOSE (w[3], 200, 1e-12, 0);
  /* ESS: equal weights → N; one weight dominating → ≈ 1 */
  double eq[10], dom[10];
  for (int i = 0; i < 10; i++)
    {
      eq[i] = 3.0;
      dom[i] = i == 0 ? 1e6 : 1.0;
    }
  JX_CHECK_CLOSE (jx_effective_sample_size (eq, 10), 10, 1e-14, 0);
  JX_CHECK_CLOSE (jx_effective_sample_size (dom, 10), 1, 0, 1e-4);
  JX_CHECK (jx_effective_sample_size (dom, 0) == 0);

  /* weighted histogram: values outside and NaN are not counted */
  double v[] = { 0.1, 0.15, 0.5, 0.99, 1.0, -0.1, NAN };
  double ww[] = { 1, 2, 3, 4, 5, 6, 7 };
  double sw[2], sw2[2], cnt[2];
  jx_weighted_histogram (v, ww, 7, 2, 0, 1, sw, sw2, cnt);
  JX_CHECK (sw[0] == 3 && sw[1] == 7);
  JX_CHECK (sw2[0] == 5 && sw2[1] == 25);
  JX_CHECK (cnt[0] == 2 && cnt[1] == 2);
  jx_weighted_histogram (v, NULL, 7, 2, 0, 1, sw, sw2, NULL);
  JX_CHECK (sw[0] == 2 && sw[1] == 2);
  JX_TEST_MAIN_END ("reweight");
}
