/* Unit tests for jx-rng: reproducibility, independent streams, uniform range and moments. */
#include "jx-rng.h"
#include "jx-test.h"

int
main (void)
{
  JxRng a, b, c;
  jx_rng_seed (&a, 42, 3);
  jx_rng_seed (&b, 42, 3);
  jx_rng_seed (&c, 42, 4);
  int same = 1, differ = 0;
  for (int i = 0; i < 100; i++)
    {
      uint64_t x = jx_rng_next (&a), y = jx_rng_next (&b), z = jx_rng_next (&c);
      same &= x == y;
      differ += x != z;
    }
  JX_CHECK (same);
  JX_CHECK (differ == 100);

  /* Moments of the uniform: mean 1/2, variance 1/12, within 5σ for n = 10^6. */
  const int n = 1000000;
  double s = 0, s2 = 0, lo = 1, hi = 0;
  long below[10] = { 0 };
  for (int i = 0; i < n; i++)
    {
      double u = jx_rng_uniform (&a);
      s += u;
      s2 += u * u;
      lo = fmin (lo, u);
      hi = fmax (hi, u);
      below[jx_rng_below (&a, 10)]++;
    }
  double mean = s / n, var = s2 / n - mean * mean;
  JX_CHECK (lo > 0 && hi < 1);
  JX_CHECK_CLOSE (mean, 0.5, 0, 5 * sqrt (1.0 / 12 / n));
  JX_CHECK_CLOSE (var, 1.0 / 12, 0, 5 * sqrt (1.0 / 180 / n));
  double chi2 = 0;
  for (int k = 0; k < 10; k++)
    chi2 += (below[k] - n / 10.0) * (below[k] - n / 10.0) / (n / 10.0);
  JX_CHECK_MSG (chi2 < 33.7, "chi2 = %g for 9 dof (p = 1e-4 limit 33.7)", chi2);
  JX_TEST_MAIN_END ("rng");
}
