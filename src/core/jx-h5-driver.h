/* jx-h5-driver.h — the file driver junipr reads HDF5 files through.
 *
 * HDF5's default sec2 driver, without HDF5's metadata accumulator. HDF5 1.10.8 checks the
 * range of a metadata read as addr + size, which wraps past 2^64 when a crafted file gives an
 * object the undefined address (all ones); its accumulator then copied from a NULL buffer
 * (SIGSEGV in `junipr import --format array` on a group whose local heap has that address,
 * found by fuzz-h5-raw). Without the accumulator such a read goes straight to sec2, which
 * refuses an undefined address with an error. The accumulator only merges small metadata
 * reads into larger ones, and HDF5's metadata cache already reads whole objects: reading back
 * bench-dataset's 10^6 jets makes the same 979 reads with or without it, `junipr info` on a
 * model the same 115 (strace -c).
 */
#pragma once

#include <hdf5.h>

/* A file access property list for reading an untrusted file: this driver and a strong close
 * degree (closing the file closes all its objects). The caller closes it with H5Pclose.
 * Negative if HDF5 cannot make one. */
hid_t jx_h5_reader_fapl (void);

/* Opens path read-only with jx_h5_reader_fapl. Negative on failure, with HDF5's error stack
 * left as H5Fopen left it, so that the caller can say why. */
hid_t jx_h5_open_untrusted (const char *path);
