/* jx-rng.h — xoshiro256** random numbers, one explicit state per job or stream.
 *
 * Streams are derived from (seed, stream index) through splitmix64, so work split
 * over threads by stream index (e.g. one stream per generated event) gives the same
 * numbers for any thread count.
 */
#pragma once

#include <stdint.h>

typedef struct {
  uint64_t s[4];
} JxRng;

void jx_rng_seed (JxRng *rng, uint64_t seed, uint64_t stream);

static inline uint64_t
jx_rng_rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t
jx_rng_next (JxRng *rng)
{
  uint64_t *s = rng->s;
  const uint64_t result = jx_rng_rotl (s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = jx_rng_rotl (s[3], 45);
  return result;
}

/* Uniform in the open interval (0, 1): safe to take log() of. */
static inline double
jx_rng_uniform (JxRng *rng)
{
  return ((double) (jx_rng_next (rng) >> 11) + 0.5) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-32 for n < 2^32). */
static inline uint32_t
jx_rng_below (JxRng *rng, uint32_t n)
{
  return (uint32_t) (((jx_rng_next (rng) >> 32) * (uint64_t) n) >> 32);
}
