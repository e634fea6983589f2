/* jx-h5.h — small HDF5 helpers shared by the junipr file formats (datasets, models, scores).
 *
 * Conventions for every junipr HDF5 file:
 * - "/" carries a string attribute format ("junipr-dataset", "junipr-model", ...) and an
 *   integer attribute version; other attributes are strings (or scalar numbers).
 * - Strings are written as fixed-length, NUL-terminated UTF-8 scalars (h5py returns bytes:
 *   f.attrs["format"].decode()). Not variable-length: those live in HDF5's global heap, which
 *   has no checksum, and a damaged one made HDF5 1.10 hang. Reading accepts both kinds.
 * - Files are created with the HDF5 1.10 format (readable by HDF5 ≥ 1.10 and any h5py
 *   built on it): all its metadata, chunk indexes included, carry checksums. With the 1.8
 *   format, flipping bytes of a small dataset file changed the numbers read back without an
 *   error in 58 of 46158 positions; with 1.10 in none. Strong close degree (closing the file
 *   closes every object in it).
 * - Arrays are chunked (~512 KiB) with Fletcher-32 checksums, so damaged files are reported
 *   instead of silently returning wrong numbers. No compression by default: on particle
 *   momenta shuffle + deflate(1) saves only ~13% and makes writing ~10x slower (measured with
 *   bench-dataset: 22 MB/s vs 190 MB/s); jx_h5_create_dataset_compressed opts in.
 *
 * HDF5 prints its error stack to stderr by default; the core must never print. Every public
 * function of a module that calls HDF5 brackets its work with jx_h5_quiet_begin/end (saves and
 * restores the calling thread's handler, so a host program's own setting survives). The
 * helpers below do not do that themselves. The first jx_h5_quiet_begin in a process also
 * calls H5dont_atexit (see jx-h5.c: HDF5's exit handler can print on damaged files), so
 * every file must be closed explicitly — which junipr code does anyway. Errors are filled into JxError with the innermost
 * HDF5 message appended for context; callers prefix the file name (jx_error_prefix).
 */
#pragma once

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>

#include "jx-error.h"

/* Turns off HDF5's automatic error printing on this thread until jx_h5_quiet_end. */
typedef struct {
  H5E_auto2_t func;
  void *data;
} JxH5Quiet;
void jx_h5_quiet_begin (JxH5Quiet *quiet);
void jx_h5_quiet_end (const JxH5Quiet *quiet);

/* The most specific message on this thread's HDF5 error stack ("" when empty), e.g.
 * "truncated file: eof = 1024, sblock->base_addr = 0, stored_eof = 4096". */
void jx_h5_last_error (char *buf, size_t cap);

/* Open an existing file read-only. Distinguishes, in the message: a missing or unreadable
 * file (JX_ERR_IO), a file that is not HDF5 at all (JX_ERR_FORMAT, "not an HDF5 file") and
 * a damaged/truncated HDF5 file (JX_ERR_FORMAT, "damaged or truncated"). The message starts
 * with the path. Returns the file id (close with H5Fclose) or a negative JxStatus. */
hid_t jx_h5_open_read (const char *path, JxError *err);

/* Create (truncate) a file for writing with the conventions above. path is usually the
 * temporary name from jx_atomic_begin. Returns the file id or a negative JxStatus. */
hid_t jx_h5_create (const char *path, JxError *err);

/* Open a file written by jx_h5_create again to add to it (same conventions). */
hid_t jx_h5_open_update (const char *path, JxError *err);

/* Close a file created with jx_h5_create (or opened for writing): flush, close and open it
 * again read-only, so a failed final write (disk full) or a short file is an error here
 * rather than a file that silently reads back fill values. Always closes file. */
int jx_h5_close (hid_t file, JxError *err);
/* Close a dataset or group that was written to; a dataset's last chunks and an object's
 * header (its attributes) may be written only here, so the result is checked like a write
 * (JX_ERR_IO naming the object). Always closes obj. */
int jx_h5_close_object (hid_t obj, const char *name, JxError *err);

#define JX_H5_PATH_MAX 4096

/* Does loc have a link at path ("jets/label")? Intermediate groups are checked in turn.
 * jx_h5_lookup tells "no" (0) from "cannot tell: damaged metadata" (−1); 1 = yes. */
bool jx_h5_exists (hid_t loc, const char *path);
int jx_h5_lookup (hid_t loc, const char *path);
bool jx_h5_has_attr (hid_t obj, const char *name);

/* Attributes on an object (a file id means "/"). Writing replaces an existing attribute. */
int jx_h5_write_string_attr (hid_t obj, const char *name, const char *value, JxError *err);
int jx_h5_write_int_attr (hid_t obj, const char *name, long long value, JxError *err);
int jx_h5_write_double_attr (hid_t obj, const char *name, double value, JxError *err);
/* Read a scalar string attribute, fixed or variable length. *value is malloc'd (free it).
 * A missing attribute or one of another type is JX_ERR_FORMAT. */
int jx_h5_read_string_attr (hid_t obj, const char *name, char **value, JxError *err);
/* Read a scalar integer attribute (a float attribute with an integral value is accepted). */
int jx_h5_read_int_attr (hid_t obj, const char *name, long long *value, JxError *err);
/* The same into an int that must lie in [lo, hi] (JX_ERR_FORMAT naming the attribute). */
int jx_h5_read_int_attr_in (hid_t obj, const char *name, int lo, int hi, int *value,
                            JxError *err);
int jx_h5_read_double_attr (hid_t obj, const char *name, double *value, JxError *err);

/* Call func for each attribute of obj that is a scalar string or number, in name order, with
 * its value as text (numbers printed with full precision). A non-zero return from func stops
 * the walk and is returned. Other attributes (arrays, compounds) are skipped. */
typedef int (*JxH5AttrFunc) (void *user, const char *name, const char *value);
int jx_h5_foreach_attr (hid_t obj, JxH5AttrFunc func, void *user, JxError *err);

/* Create a dataset of rank 1..3 with the given dims and file type (e.g. H5T_IEEE_F64LE,
 * H5T_STD_U64LE, H5T_IEEE_F32LE), chunked along the first dimension with checksums when
 * non-empty. Missing intermediate groups in name ("weights/dense1/kernel") are created.
 * Returns the dataset id (H5Dclose it) or a negative JxStatus. */
hid_t jx_h5_create_dataset (hid_t loc, const char *name, hid_t file_type, int rank,
                            const hsize_t *dims, JxError *err);
/* The same with shuffle + deflate(1): for large, very regular data (counts, indices). */
hid_t jx_h5_create_dataset_compressed (hid_t loc, const char *name, hid_t file_type, int rank,
                                       const hsize_t *dims, JxError *err);

/* A dataset that grows along its first dimension (dims[0] rows to begin with, usually 0):
 * chunked as jx_h5_create_dataset's, with checksums; jx_h5_append_rows extends it to
 * row0 + n_rows rows and writes those rows. For files written while their size is unknown. */
hid_t jx_h5_create_extendible (hid_t loc, const char *name, hid_t file_type, int rank,
                               const hsize_t *dims, JxError *err);
int jx_h5_append_rows (hid_t dset, hid_t mem_type, hsize_t row0, hsize_t n_rows,
                       const void *buf, JxError *err);

/* Shape of a dataset: *rank and dims[0..rank-1] (rank ≤ max_rank, else JX_ERR_FORMAT), and,
 * if type_class is non-NULL, its class (H5T_INTEGER, H5T_FLOAT, ...). Also checks that the
 * file really holds that many values (every chunk stored, no more bytes than the file has),
 * so a reader may allocate what the shape says: a damaged or crafted file declaring 10^12
 * rows is JX_ERR_FORMAT naming the dataset, not an attempt to allocate terabytes. */
int jx_h5_shape (hid_t dset, int max_rank, int *rank, hsize_t *dims, H5T_class_t *type_class,
                 JxError *err);

/* Transfer rows [row0, row0 + n_rows) along the first dimension of a dataset, all the other
 * dimensions in full, to/from a contiguous buffer of memory type mem_type (e.g.
 * H5T_NATIVE_DOUBLE; HDF5 converts from the file type). n_rows = 0 is a no-op. Reading
 * refuses values the conversion cannot represent (a negative number into an unsigned type,
 * an out-of-range or fractional one into an integer, a number beyond a float's range) with
 * JX_ERR_FORMAT, instead of HDF5's silent clipping. */
int jx_h5_write_rows (hid_t dset, hid_t mem_type, hsize_t row0, hsize_t n_rows, const void *buf,
                      JxError *err);
int jx_h5_read_rows (hid_t dset, hid_t mem_type, hsize_t row0, hsize_t n_rows, void *buf,
                     JxError *err);

/* Whole small arrays in one call: create + write, and open + read. Reading needs count, the
 * number of values buf holds: a dataset of another size is JX_ERR_FORMAT, never an overrun.
 * Conversions are checked as in jx_h5_read_rows. */
int jx_h5_write_array (hid_t loc, const char *name, hid_t file_type, hid_t mem_type, int rank,
                       const hsize_t *dims, const void *buf, JxError *err);
int jx_h5_read_array (hid_t loc, const char *name, hid_t mem_type, void *buf, size_t count,
                      JxError *err);

/* Rows per chunk of the first dimension for a row of row_bytes: chunks of ~512 KiB. Also a
 * good granularity for blocked transfers with progress reports. */
hsize_t jx_h5_chunk_rows (size_t row_bytes);

/* Check that an open file is a junipr file of kind expected (its "format" attribute) with a
 * version in 1..max_version; *version receives it (may be NULL). Messages start with path:
 * "x.h5: is a junipr-model file, expected a junipr-dataset", "... has no 'format' attribute
 * (not written by junipr)" + hint when given, "... version 3 is newer than this program
 * reads (≤ 1)". All JX_ERR_FORMAT. */
int jx_h5_check_kind (hid_t file, const char *path, const char *expected, long long max_version,
                      const char *hint, long long *version, JxError *err);
