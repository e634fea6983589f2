/* fuzz-jetnet.c — JetNet files (particle_features [N, M, 4], jet_features [N, 4]) as h5spec,
 * named like the real ones (q150.hdf5: the class comes from the name), imported as given,
 * with --skip-bad and through format detection. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

static void
read_jetnet (const char *path)
{
  jx_fuzz_import_format (path, JX_IMPORT_JETNET);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "q150.hdf5", read_jetnet);
}
