/* fuzz-hepmc3.c — HepMC3 (and HepMC2) ASCII events through jx_import: two Durham hemisphere
 * jets per event, or one jet per event with neutrinos kept and bad jets skipped. */
#include "jx-fuzz.h"
#include "jx-import.h"

static void
import_as (const char *path, bool one_jet_per_event)
{
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_HEPMC3;
  opt.no_hemispheres = one_jet_per_event;
  opt.keep_neutrinos = one_jet_per_event;
  opt.skip_bad = one_jet_per_event;
  JxDataset ds;
  JxImportStats stats;
  JxError err = { 0 };
  int rc = jx_import (&ds, path, &opt, &stats, NULL, &err);
  jx_fuzz_check_message (rc, err.message);
  if (rc == 0)
    jx_fuzz_check_dataset (&ds, true);
  jx_dataset_free (&ds);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("hepmc3", data, size);
  import_as (path, false);
  import_as (path, true);
  return 0;
}
