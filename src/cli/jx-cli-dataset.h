/* jx-cli-dataset.h — reading a dataset for a subcommand, with the checks and messages the
 * command line wants (file missing, another kind of junipr file, not HDF5 at all). */
#pragma once

#include <stdbool.h>

#include "jx-dataset.h"

/* Reads path into ds (initialized here). On failure prints the one error line and returns
 * JX_CLI_EXIT_USER (or JX_CLI_EXIT_CANCELLED); ds is then empty. */
int jx_cli_load_dataset (const char *path, JxDataset *ds, bool quiet);
