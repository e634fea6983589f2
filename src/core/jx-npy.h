/* jx-npy.h — the header of a NumPy .npy array (format versions 1.0, 2.0, 3.0).
 *
 * A .npy file is the magic "\x93NUMPY", a version (major, minor), the header length (2 bytes
 * little-endian in 1.0, 4 in 2.0/3.0), then a Python dict literal padded with spaces and a
 * newline — {'descr': '<f8', 'fortran_order': False, 'shape': (100000, 139, 4), } — then
 * the data. Only what we read is parsed: the three keys, a quoted dtype string, True/False
 * and a tuple of integers (Python 2's "139L" too). Nothing in the header is trusted: sizes
 * overflow-checked, unknown keys and stray bytes refused, messages saying what was found.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-error.h"

#define JX_NPY_MAX_RANK 8
/* Bytes needed to learn the header's length. */
#define JX_NPY_PREFIX 12

typedef struct {
  char descr[32];              /* the dtype, e.g. "<f8" */
  bool fortran_order;
  int rank;
  uint64_t shape[JX_NPY_MAX_RANK];
  size_t header_bytes;         /* magic to the end of the header: where the data start */
} JxNpyHeader;

/* From the first n ≥ JX_NPY_PREFIX bytes (fewer: the file is too short), the number of bytes
 * before the data. 0 or JX_ERR_FORMAT. */
int jx_npy_header_bytes (const unsigned char *start, size_t n, size_t *total, JxError *err);

/* Parse the whole header (the first *total bytes as returned above). 0 or JX_ERR_FORMAT. */
int jx_npy_parse_header (const unsigned char *buf, size_t total, JxNpyHeader *h, JxError *err);

/* Number of elements (product of the shape); false if it overflows 2^63. */
bool jx_npy_count (const JxNpyHeader *h, uint64_t *count);
