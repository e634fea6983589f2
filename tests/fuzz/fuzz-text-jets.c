/* fuzz-text-jets.c — the public JUNIPR code's text format (`J i`, `N n`, n lines
 * `px py pz E`), read by jx_import as given and with --skip-bad, and through format
 * detection. The pattern for every file parser: bytes → jx_fuzz_file → the parser, then the
 * properties of jx-fuzz.h (here through jx_fuzz_import). */
#include "jx-fuzz-readers.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("text", data, size);
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_TEXT;
  jx_fuzz_import (path, &opt);
  opt.skip_bad = true;
  jx_fuzz_import (path, &opt);
  opt.format = JX_IMPORT_AUTO;
  opt.skip_bad = false;
  jx_fuzz_import (path, &opt);
  return 0;
}
