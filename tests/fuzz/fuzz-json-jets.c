/* fuzz-json-jets.c — the authors' JuniprJets JSON ({"JuniprJets": [...]}, read as a stream
 * by json-c's tokener), as given, with --skip-bad, and through format detection. */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("jets.json", data, size);
  jx_fuzz_import_format (path, JX_IMPORT_JUNIPR_JSON);
  return 0;
}
