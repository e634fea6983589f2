/* fuzz-h5-scores.c — scores and weights files (eval, reweight, discriminate) as h5spec. */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "scores.h5", jx_fuzz_read_scores);
}
