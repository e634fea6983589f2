/* jx-cli-dataset.h — reading a dataset for a subcommand, with the checks and messages the
 * command line wants (file missing, another kind of junipr file, not HDF5 at all). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-dataset.h"

/* Reads path into ds (initialized here). On failure prints the one error line and returns
 * JX_CLI_EXIT_USER (or JX_CLI_EXIT_CANCELLED); ds is then empty. */
int jx_cli_load_dataset (const char *path, JxDataset *ds, bool quiet);

/* Collective under mpirun (jx-cli-mpi.h): this rank's share of path's jets, a contiguous
 * range of whole blocks of `align` jets (rank r gets the r-th of equal parts), read alone
 * (jx_dataset_read_range); ds->first_jet says where it starts. Every rank returns the same
 * status (the first failing rank's, printed once). Without MPI: the whole file. */
int jx_cli_load_dataset_share (const char *path, JxDataset *ds, size_t align, bool quiet);
