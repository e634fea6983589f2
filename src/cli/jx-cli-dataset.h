/* jx-cli-dataset.h — reading a dataset for a subcommand, with the checks and messages the
 * command line wants (file missing, another kind of junipr file, not HDF5 at all). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-dataset-stream.h"
#include "jx-dataset.h"

/* Reads path into ds (initialized here). On failure prints the one error line and returns
 * JX_CLI_EXIT_USER (or JX_CLI_EXIT_CANCELLED); ds is then empty. */
int jx_cli_load_dataset (const char *path, JxDataset *ds, bool quiet);

/* JUNIPR_STREAM_CHUNK_JETS, or 0 (the core's default) when it is not set: the jets of a
 * chunk the CLI reads, or of a part `import` writes. */
size_t jx_cli_stream_chunk_jets (void);

/* For commands that walk every jet once: the dataset as a stream of chunks (jx-dataset-
 * stream.h), so memory stays bounded whatever the file's size. Same checks and messages as
 * jx_cli_load_dataset; on failure prints the one error line, returns JX_CLI_EXIT_USER and
 * leaves *stream NULL. Chunks of the core's default size, or of JUNIPR_STREAM_CHUNK_JETS jets
 * when that is set (as in the app): the tests force many chunks on small files with it, to
 * check that a streamed command gives the bytes it gives reading the file in one chunk. */
int jx_cli_open_dataset_stream (const char *path, JxDatasetStream **stream);

/* jx_dataset_stream_walk for a command: jets [first, last) of stream to func, chunk by
 * chunk, progress (may be NULL: e.g. jx_cli_progress_begin's) seeing the walk. On failure
 * ends the progress display, prints the one error line (a read error names the file and the
 * jet; func's error its err; a cancel the usual line) and returns the exit code. */
int jx_cli_stream_walk (JxDatasetStream *stream, size_t first, size_t last, JxDatasetChunkFunc func,
                        void *user, const char *what, JxProgress *progress);

/* Only jet `jet` of path into ds (initialized here; ds->first_jet = jet, the jet is row 0),
 * for commands that draw one jet of a file of any size. Same checks as jx_cli_load_dataset;
 * a jet past the end gets "jet 12 out of range (F has 5 jets): use --jet 0..4". On failure
 * prints the one error line and returns JX_CLI_EXIT_USER; ds is then empty. */
int jx_cli_load_jet (const char *path, size_t jet, JxDataset *ds);

/* Collective under mpirun (jx-cli-mpi.h): this rank's share of path's jets, a contiguous
 * range of whole blocks of `align` jets (rank r gets the r-th of equal parts), read alone
 * (jx_dataset_read_range); ds->first_jet says where it starts. Every rank returns the same
 * status (the first failing rank's, printed once). Without MPI: the whole file. */
int jx_cli_load_dataset_share (const char *path, JxDataset *ds, size_t align, bool quiet);
