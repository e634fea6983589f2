/* fuzz-top-tagging.c — the top-tagging reference set as h5spec: PyTables' compound table
 * /table/table ("table" statements) and the pickled column names of its blocks (string
 * attributes values_block_N_kind), imported as given, with --skip-bad and through format
 * detection. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

static void
read_top_tagging (const char *path)
{
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_TOP_TAGGING;
  jx_fuzz_import (path, &opt);
  opt.skip_bad = true;
  jx_fuzz_import (path, &opt);
  opt.format = JX_IMPORT_AUTO;
  opt.skip_bad = false;
  jx_fuzz_import (path, &opt);
  jx_fuzz_check_closed ("jx_import (top-tagging)");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "train.h5", read_top_tagging);
}
