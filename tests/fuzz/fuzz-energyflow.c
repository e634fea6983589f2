/* fuzz-energyflow.c — EnergyFlow's QG_jets .npz (a zip of X.npy and y.npy). An input that is
 * a zip is imported as it is; any other input is split at a line "@y.npy" into the bytes of
 * X.npy and y.npy, which are zipped here (stored, or deflated when the input's length is
 * odd), so mutations reach the .npy headers and the arrays instead of zip's checksums. */
#define _GNU_SOURCE  /* memmem */
#include "jx-fuzz-readers.h"

#include <string.h>
#include <zip.h>

#define SEPARATOR "\n@y.npy\n"

static void
add_member (zip_t *z, const char *name, const uint8_t *data, size_t size, bool deflate)
{
  zip_source_t *src = zip_source_buffer (z, data, size, 0);
  zip_int64_t index = src != NULL ? zip_file_add (z, name, src, ZIP_FL_OVERWRITE) : -1;
  if (index < 0)
    {
      zip_source_free (src);
      abort ();  /* the harness itself is broken */
    }
  zip_set_file_compression (z, (zip_uint64_t) index, deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
}

static const char *
make_npz (const uint8_t *data, size_t size)
{
  const char *path = jx_fuzz_file ("QG_jets.npz", NULL, 0);
  const uint8_t *sep = memmem (data, size, SEPARATOR, strlen (SEPARATOR));
  size_t x_size = sep != NULL ? (size_t) (sep - data) : size;
  int zerr;
  zip_t *z = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (z == NULL)
    abort ();
  add_member (z, "X.npy", data, x_size, size % 2 == 1);
  if (sep != NULL)
    add_member (z, "y.npy", sep + strlen (SEPARATOR), size - x_size - strlen (SEPARATOR),
                size % 2 == 1);
  if (zip_close (z) != 0)
    abort ();
  return path;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = size >= 4 && memcmp (data, "PK\3\4", 4) == 0
                       ? jx_fuzz_file ("QG_jets.npz", data, size)
                       : make_npz (data, size);
  jx_fuzz_import_format (path, JX_IMPORT_ENERGYFLOW);
  return 0;
}
