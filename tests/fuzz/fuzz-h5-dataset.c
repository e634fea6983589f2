/* fuzz-h5-dataset.c — dataset (and sample-set) files, described as h5spec text
 * (jx-fuzz-h5spec.h): offsets, particle shapes and types, labels, weights, attributes. */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "dataset.h5", jx_fuzz_read_dataset);
}
