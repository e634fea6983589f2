/* fuzz-keras.c — `junipr import-model` of the authors' tf.keras files as h5spec: the
 * model_config JSON attribute and the /model_weights tensors. A model it returns holds
 * finite weights and passes the model file's own checks on a save and reload. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "keras.h5", jx_fuzz_read_keras);
}
