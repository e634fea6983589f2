/* fuzz-h5-raw.c — the bytes as an HDF5 file for every reader (dataset, sample set, model,
 * scores, weights, array import). Seeds are files junipr wrote; mutations mostly hit HDF5's
 * checksums and its own parsing, i.e. test that damage is reported rather than trusted. */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("raw.h5", data, size);
  jx_fuzz_read_dataset (path);
  jx_fuzz_read_model (path);
  jx_fuzz_read_scores (path);
  jx_fuzz_read_array (path, NULL, NULL, NULL);
  return 0;
}
