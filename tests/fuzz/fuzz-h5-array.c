/* fuzz-h5-array.c — import --format array: a zero-padded [N, M, 4] array in any HDF5 file,
 * as h5spec, with the import options taken from "#option dataset=...", "#option
 * columns=...", "#option labels=..." lines of the spec. */
#include "jx-fuzz-h5spec.h"
#include "jx-fuzz-readers.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *spec = jx_fuzz_string (data, size);
  const char *path = jx_fuzz_file ("array.h5", NULL, 0);
  char dataset[256] = "", columns[256] = "", labels[256] = "";
  const char *v;
  if ((v = jx_fuzz_h5spec_option (spec, "dataset")) != NULL)
    snprintf (dataset, sizeof dataset, "%s", v);
  if ((v = jx_fuzz_h5spec_option (spec, "columns")) != NULL)
    snprintf (columns, sizeof columns, "%s", v);
  if ((v = jx_fuzz_h5spec_option (spec, "labels")) != NULL)
    snprintf (labels, sizeof labels, "%s", v);
  if (jx_fuzz_h5spec_build (spec, path) == 0)
    jx_fuzz_read_array (path, dataset[0] ? dataset : NULL, columns[0] ? columns : NULL,
                        labels[0] ? labels : NULL);
  free (spec);
  return 0;
}
