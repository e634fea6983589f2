/* fuzz-h5-model.c — model files as h5spec text: hyper-parameters, scaling and clustering
 * constants, history, massless rates, weight tensors. */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "model.h5", jx_fuzz_read_model);
}
