/* fuzz-h5-model.c — model files as h5spec text: hyper-parameters, scaling and clustering
 * constants, history, massless rates, weight tensors. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *spec = jx_fuzz_string (data, size);
  const char *path = jx_fuzz_file ("model.h5", NULL, 0);
  if (jx_fuzz_h5spec_build (spec, path) == 0)
    jx_fuzz_read_model (path);
  free (spec);
  return 0;
}
