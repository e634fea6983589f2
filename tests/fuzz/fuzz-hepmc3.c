/* fuzz-hepmc3.c — HepMC3 (and HepMC2) ASCII events through jx_import: two Durham hemisphere
 * jets per event, or one jet per event with neutrinos kept and bad jets skipped. */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("hepmc3", data, size);
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_HEPMC3;
  jx_fuzz_import (path, &opt);
  opt.no_hemispheres = opt.keep_neutrinos = opt.skip_bad = true;
  jx_fuzz_import (path, &opt);
  return 0;
}
