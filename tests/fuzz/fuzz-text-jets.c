/* fuzz-text-jets.c — the public JUNIPR code's text format (`J i`, `N n`, n lines
 * `px py pz E`), read by jx_import as given and with --skip-bad, and through format
 * detection. The pattern for every file parser: bytes → jx_fuzz_file → the parser, then the
 * properties of jx-fuzz.h (here through jx_fuzz_import_format). */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("text", data, size);
  jx_fuzz_import_format (path, JX_IMPORT_TEXT);
  return 0;
}
