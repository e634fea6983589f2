/* jx-validate-stream.h — jx_validate over a dataset file larger than memory.
 *
 * The file is walked twice, chunk by chunk (jx-dataset-stream): the first walk clusters each
 * chunk for the largest angle of any tree to its jet's axis (it sets the angle bins before
 * anything is binned), the second clusters it again and adds its trees to the sums. The
 * sums are those of jx_validate on the trees of the whole range built at once
 * (jx_tree_set_build skipping bad and long jets), to the bit (jx-validate-private.h).
 * Memory: the stream's cache and one chunk's trees; the price is clustering twice.
 */
#pragma once

#include "jx-dataset-stream.h"
#include "jx-validate.h"

/* Jets [first, last) of data, clustered with clustering (the model's); jets that cannot be
 * clustered or are longer than the model's maximum are skipped and counted in *n_bad and
 * *n_long. v is initialized here (free it also on error). progress sees both walks. */
int jx_validate_stream (const JxModel *model, const JxClusterOptions *clustering,
                        JxDatasetStream *data, size_t first, size_t last,
                        const JxValidationOptions *opt, JxValidation *v, size_t *n_bad,
                        size_t *n_long, JxProgress *progress, JxError *err);
