/* jx-rng.c — see jx-rng.h. */
#include "jx-rng.h"

static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
jx_rng_seed (JxRng *rng, uint64_t seed, uint64_t stream)
{
  /* Mix the stream index through one splitmix round of its own so that consecutive
   * (seed, stream) pairs do not start from overlapping splitmix sequences. */
  uint64_t x = seed;
  uint64_t mixed = splitmix64 (&x);
  uint64_t y = stream ^ 0x6a09e667f3bcc909ULL;
  x = mixed ^ splitmix64 (&y);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}
