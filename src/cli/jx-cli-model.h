/* jx-cli-model.h — reading a model file for a subcommand, with the command line's one-line
 * error on failure (file missing, another kind of junipr file, not HDF5, damaged). */
#pragma once

#include "jx-model-io.h"
#include "jx-model.h"

/* Loads path into *model and meta (initialized here). On failure prints the error line and
 * returns JX_CLI_EXIT_USER; *model is then NULL and meta empty (safe to free). */
int jx_cli_load_model (const char *path, JxModel **model, JxModelMeta *meta);

/* The two models of a JUNIPR-binary pair file (jx-model-pair.h), like jx_cli_load_model:
 * model[0], meta[0] the signal model, model[1], meta[1] the background model. */
int jx_cli_load_pair (const char *path, JxModel *model[2], JxModelMeta meta[2]);
