/* fuzz-h5-dataset.c — dataset (and sample-set) files, described as h5spec text
 * (jx-fuzz-h5spec.h): offsets, particle shapes and types, labels, weights, attributes. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *spec = jx_fuzz_string (data, size);
  const char *path = jx_fuzz_file ("dataset.h5", NULL, 0);
  if (jx_fuzz_h5spec_build (spec, path) == 0)
    jx_fuzz_read_dataset (path);
  free (spec);
  return 0;
}
