/* jx-keras-import.h — JUNIPR models of the authors' public tf.keras code (a model.save HDF5
 * file) converted into ours, exactly: the same network, so every number it gives is the
 * Keras model's.
 *
 * The Keras network (its `model_config` JSON and /model_weights/<layer>/…/{kernel:0,
 * recurrent_kernel:0, bias:0}, kernels (in, out), y = x·K + b), with H, the heads' widths,
 * M and G read from the file:
 *   h_init  Dense 4→H tanh on the scaled seed (E_jet, 0, 0, m_jet)   → our init
 *   c_init  Dense 4→H tanh (LSTM only: the initial cell state)       → our c_init
 *   RNN     SimpleRNN | LSTM | GRU (reset_after), tanh, σ gates      → our rnn (same layout)
 *   end_hidden_layer Dense H→De relu, endings Dense De→1 sigmoid      → end_hidden, end_out
 *   mother_hidden_layer Dense H→Dm relu, mother_unweighted_output Dense Dm→M softmax, times
 *     the lower-triangular mask and renormalized = a softmax over the first t logits
 *                                                                     → mother_hidden/out
 *   branch_{z,t,d,p}_hidden_layer Dense (H+4+k)→Db relu on [h; mother'; earlier z', θ', δ'],
 *   sparse_branchings_{z,t,d,p} Dense Db→G+1 softmax, class G a padding class kept in the
 *     normalization                                                  → branch_{z,theta,
 *                                          delta,phi}_{hidden,out}, branch_padding = 1
 * The authors' feature scaling (E_JET 500, E_SUB 1, R_JET π/2, R_SUB 0.1 in their config.py)
 * is our default scaling. The file does not say how its training jets were clustered; the
 * caller gives that (the authors' converter: C/A, FastJet genkt at R = 7, i.e. the pp metric).
 */
#pragma once

#include "jx-error.h"
#include "jx-model-io.h"
#include "jx-model.h"
#include "jx-tree.h"

/* Reads path into a new model (*model, free with jx_model_free) and fills meta (initialized
 * here; free with jx_model_meta_free, also after failure): clustering, imported_from = path,
 * imported_detail = the Keras version, model name and cell. Fails with JX_ERR_IO for a
 * missing file, JX_ERR_FORMAT for anything else, one message naming path and what is wrong
 * (not HDF5, no model_config, a missing layer, an unknown recurrent cell or activation,
 * weights of the wrong shape). */
int jx_keras_import (const char *path, const JxClusterOptions *clustering, JxModel **model,
                     JxModelMeta *meta, JxError *err);
