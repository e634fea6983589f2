/* jx-fuzz-readers.h — every reader of junipr's HDF5 files on one path, with the properties
 * of jx-fuzz.h: the h5spec targets and the raw-bytes target share them. */
#pragma once

#include "jx-fuzz.h"

/* Dataset probe and read, sample-set read, file kind. */
void jx_fuzz_read_dataset (const char *path);
/* Model load with metadata; a loaded model's weights are finite. */
void jx_fuzz_read_model (const char *path);
/* Scores read; weights read for the scores' jet count and for 3 jets. */
void jx_fuzz_read_scores (const char *path);
/* import --format array, with the given options (may be NULL). */
void jx_fuzz_read_array (const char *path, const char *dataset, const char *columns,
                         const char *labels);
