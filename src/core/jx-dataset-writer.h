/* jx-dataset-writer.h — a dataset file written in parts, for datasets larger than memory
 * (`junipr import` of a large file): the jets go to the file a part at a time, so memory is
 * one part, not the dataset.
 *
 * The file holds what jx_dataset_write writes of the parts' jets put together (the same
 * columns, values and attributes, read back identically by jx_dataset_read); only the HDF5
 * storage differs (the columns grow, so their chunks are fixed-size). Label and weight
 * columns follow jx_dataset_ensure_labels / jx_dataset_ensure_weights: a column appears as
 * soon as a part has it, jets without one get label 0 and weight 1. Written to a temporary
 * and renamed at commit (jx-atomic.h): a failed or abandoned write leaves no file.
 */
#pragma once

#include "jx-dataset.h"
#include "jx-error.h"

typedef struct JxDatasetWriter JxDatasetWriter;

/* Starts path's temporary. NULL with err set on failure. */
JxDatasetWriter *jx_dataset_writer_begin (const char *path, JxError *err);
/* The jets of part (offsets from 0, as any JxDataset's) after those written so far. */
int jx_dataset_writer_append (JxDatasetWriter *w, const JxDataset *part, JxError *err);
size_t jx_dataset_writer_n_jets (const JxDatasetWriter *w);
/* attrs' attributes (its jets are not written), then the file is closed and renamed into
 * place. w is freed, also on failure (then no file is left). */
int jx_dataset_writer_commit (JxDatasetWriter *w, const JxDataset *attrs, JxError *err);
/* Drops the temporary; w is freed. NULL is a no-op. */
void jx_dataset_writer_abort (JxDatasetWriter *w);
