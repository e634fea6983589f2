/* fuzz-h5-scores.c — scores and weights files (eval, reweight, discriminate) as h5spec. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *spec = jx_fuzz_string (data, size);
  const char *path = jx_fuzz_file ("scores.h5", NULL, 0);
  if (jx_fuzz_h5spec_build (spec, path) == 0)
    jx_fuzz_read_scores (path);
  free (spec);
  return 0;
}
