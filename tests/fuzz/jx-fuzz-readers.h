/* jx-fuzz-readers.h — every reader of junipr's files on one path, with the properties of
 * jx-fuzz.h: the targets share them. */
#pragma once

#include "jx-fuzz.h"
#include "jx-import.h"

/* Dataset probe and read, sample-set read, file kind. */
void jx_fuzz_read_dataset (const char *path);
/* Model load with metadata; a loaded model's weights are finite. */
void jx_fuzz_read_model (const char *path);
/* import-model of a tf.keras file; a model it returns has finite weights and saves and
 * loads back as a junipr model. */
void jx_fuzz_read_keras (const char *path);
/* Scores read; weights read for the scores' jet count and for 3 jets. */
void jx_fuzz_read_scores (const char *path);
/* import --format array, with the given options (may be NULL). */
void jx_fuzz_read_array (const char *path, const char *dataset, const char *columns,
                         const char *labels);

/* A reader closed every HDF5 object it opened, also on failure (else abort naming it). */
void jx_fuzz_check_closed (const char *reader);

/* jx_import with these options; its dataset checked (every jet valid). */
void jx_fuzz_import (const char *path, const JxImportOptions *opt);
/* An import format's three ways: as given, with --skip-bad, and detected from the content;
 * then no HDF5 object may be left open. */
void jx_fuzz_import_format (const char *path, JxImportFormat format);

/* The h5spec targets: build the file the bytes describe, then run reader on it. */
int jx_fuzz_h5spec_target (const uint8_t *data, size_t size, const char *tag,
                           void (*reader) (const char *path));
