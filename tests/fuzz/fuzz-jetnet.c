/* fuzz-jetnet.c — JetNet files (particle_features [N, M, 4], jet_features [N, 4]) as h5spec,
 * named like the real ones (q150.hdf5: the class comes from the name), imported as given,
 * with --skip-bad and through format detection. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

static void
read_jetnet (const char *path)
{
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_JETNET;
  jx_fuzz_import (path, &opt);
  opt.skip_bad = true;
  jx_fuzz_import (path, &opt);
  opt.format = JX_IMPORT_AUTO;
  opt.skip_bad = false;
  jx_fuzz_import (path, &opt);
  jx_fuzz_check_closed ("jx_import (jetnet)");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "q150.hdf5", read_jetnet);
}
