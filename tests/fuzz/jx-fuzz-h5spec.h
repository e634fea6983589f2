/* jx-fuzz-h5spec.h — HDF5 files from a text description, so the fuzzer mutates what our
 * readers interpret (names, types, shapes, values, attributes) instead of HDF5's checksummed
 * metadata, which byte flips mostly just break. One statement per line:
 *
 *   group PATH
 *   attr  OBJECT NAME TYPE VALUE...        OBJECT "/" or a group/dataset path
 *   dset  PATH TYPE DIMS [chunk DIMS] [gzip] [fletcher32] [: VALUE...]
 *   table PATH ROWS NAME=TYPE[xN]... [: VALUE...]   compound rows (PyTables), values row by
 *                                          row and member by member; an xN member is an array
 *
 * TYPE: i8 i32 i64 u8 u64 f32 f64, or str (fixed length: the rest of the line) and vstr
 * (variable length) for attributes, where "\n" and "\\" stand for a newline and a
 * backslash. DIMS: "scalar" or up to three sizes "6x4"; any size may be huge (1e12 rows):
 * only the values given are written, as whole rows from the start (the other chunks stay
 * unwritten, as in a half-written file). VALUE: numbers, nan, inf;
 * "fill V" instead of values writes V everywhere (at most 65536 values). Statements that
 * HDF5 refuses are skipped.
 *
 * tools/fuzz-seeds.py writes the seed corpora in this form from files junipr wrote. */
#pragma once

/* Writes the file described by spec to path (replacing it); 0, or −1 if the file cannot be
 * created at all. */
int jx_fuzz_h5spec_build (const char *spec, const char *path);

/* The value of a "#option NAME=VALUE" comment line in spec (static buffer), or NULL. */
const char *jx_fuzz_h5spec_option (const char *spec, const char *name);
