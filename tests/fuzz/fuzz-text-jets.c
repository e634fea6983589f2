/* fuzz-text-jets.c — the public JUNIPR code's text format (`J i`, `N n`, n lines
 * `px py pz E`), read by jx_import as given and with --skip-bad, and through format
 * detection. The pattern for every file parser: bytes → jx_fuzz_file → the parser, then the
 * properties of jx-fuzz.h. */
#include "jx-fuzz.h"
#include "jx-import.h"

static void
import_as (const char *path, JxImportFormat format, bool skip_bad)
{
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = format;
  opt.skip_bad = skip_bad;
  JxDataset ds;
  JxImportStats stats;
  JxError err = { 0 };
  int rc = jx_import (&ds, path, &opt, &stats, NULL, &err);
  jx_fuzz_check_message (rc, err.message);
  if (rc == 0)
    {
      jx_fuzz_check_dataset (&ds, true);
      JX_FUZZ_ASSERT (stats.n_jets == ds.n_jets, "stats say %zu jets, dataset has %zu",
                      stats.n_jets, ds.n_jets);
    }
  jx_dataset_free (&ds);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("text", data, size);
  import_as (path, JX_IMPORT_TEXT, false);
  import_as (path, JX_IMPORT_TEXT, true);
  import_as (path, JX_IMPORT_AUTO, false);
  return 0;
}
