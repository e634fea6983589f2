/* jx-model-io-ext.h — the model-file fields added after version 1 (the clustering metric,
 * the recurrent cell, the heads' own widths, branch padding classes, import provenance),
 * read and written apart from jx-model-io.c's original fields. Private to libjunipr.
 *
 * Root attributes: clustering_metric ("ee"/"pp"), recurrent ("rnn"/"lstm"/"gru"),
 * dense_end, dense_mother, dense_branch (0 = the dense width), branch_padding, grid_fine
 * (the hierarchical branch head's G2, required with branch = "hierarchical"), and when the
 * model was converted from another program's file imported_from (its path) and
 * imported_detail (what it was). Every one is optional when reading, with the value that
 * reproduces files written before it existed. A file is written as version 2 only when it
 * uses one of them (a pp clustering, another cell, other widths, padding, a branch head kind
 * other than joint and factorized), so that older
 * programs refuse it instead of reading it wrongly; otherwise as version 1.
 */
#pragma once

#include <hdf5.h>

#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-model.h"

/* The version to write for this model and metadata (1 or 2). */
int jx_model_io_ext_version (const JxModel *model, const JxModelMeta *meta);

int jx_model_io_ext_write (hid_t file, const JxModel *model, const JxModelMeta *meta,
                           JxError *err);

/* Fills the added fields of cfg (left at their defaults when absent); JX_ERR_FORMAT naming
 * the attribute for a bad value. Call before jx_model_config_check. */
int jx_model_io_ext_read_config (hid_t file, JxModelConfig *cfg, JxError *err);

/* Fills the added fields of meta (defaults when absent). */
int jx_model_io_ext_read_meta (hid_t file, JxModelMeta *meta, JxError *err);
