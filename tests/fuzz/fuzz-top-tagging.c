/* fuzz-top-tagging.c — the top-tagging reference set as h5spec: PyTables' compound table
 * /table/table ("table" statements) and the pickled column names of its blocks (string
 * attributes values_block_N_kind), imported as given, with --skip-bad and through format
 * detection. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

static void
read_top_tagging (const char *path)
{
  jx_fuzz_import_format (path, JX_IMPORT_TOP_TAGGING);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return jx_fuzz_h5spec_target (data, size, "train.h5", read_top_tagging);
}
