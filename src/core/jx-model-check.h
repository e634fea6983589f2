/* jx-model-check.h — a model file is not trusted (reliability, issue #15): the checks that
 * jx-model-io applies to what it reads, kept apart from the reading itself so the file
 * format can grow fields without touching them (and the other way round).
 *
 * Each returns 0 or JX_ERR_FORMAT with a message naming the field (the caller prefixes the
 * file name).
 */
#pragma once

#include <hdf5.h>
#include <stddef.h>

#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-model.h"

/* Before the model is allocated: the weights the configuration implies must be in the file
 * (the sum of the sizes of the datasets stored under /weights bounds it), so hyper-parameters
 * in a damaged or crafted file cannot make the reader allocate gigabytes. */
int jx_model_check_weights_stored (hid_t file, const JxModelConfig *cfg, JxError *err);

/* After the weights are read: every parameter a finite number (names tensor and index). */
int jx_model_check_params_finite (const JxModel *model, JxError *err);

/* Most epochs a history may hold: far above any real training (the paper's is 30). */
#define JX_MODEL_MAX_EPOCHS 1000000
int jx_model_check_history_length (size_t n_epochs, JxError *err);

/* The clustering the model was trained with (E_sub, R_sub finite, in range) and the
 * history's records (epochs, batch sizes, learning rates, times). Losses are only shown,
 * and may be NaN (an epoch without validation jets). */
int jx_model_check_meta (const JxModelMeta *meta, JxError *err);
