/* fuzz-json-jets.c — the authors' JuniprJets JSON ({"JuniprJets": [...]}, read as a stream
 * by json-c's tokener), as given, with --skip-bad, and through format detection. */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("jets.json", data, size);
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_JUNIPR_JSON;
  jx_fuzz_import (path, &opt);
  opt.skip_bad = true;
  jx_fuzz_import (path, &opt);
  opt.format = JX_IMPORT_AUTO;
  opt.skip_bad = false;
  jx_fuzz_import (path, &opt);
  return 0;
}
