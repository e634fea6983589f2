/* jx-model-check.c — see jx-model-check.h. */
#include "jx-model-check.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "jx-h5.h"
#include "jx-h5-walk.h"

/* Clustering parameters a model can have been trained with (jx_cli's own limits). */
#define MAX_ESUB 1e6
#define MAX_RSUB M_PI

typedef struct {
  double values;  /* declared values of the stored datasets, summed */
  bool damaged;
} WeightSum;

/* Adds the number of values the dataset declares (jx_h5_shape refuses a dataset the file
 * does not hold: such a one counts nothing). */
static int
add_stored (hid_t parent, const char *name, const char *path, void *user)
{
  WeightSum *sum = user;
  hid_t d = H5Dopen2 (parent, name, H5P_DEFAULT);
  if (d < 0)
    {
      sum->damaged = true;
      return 0;
    }
  int rank;
  hsize_t dims[H5S_MAX_RANK];
  JxError ignored;
  if (jx_h5_shape (d, H5S_MAX_RANK, &rank, dims, NULL, &ignored) == 0)
    {
      double n = 1;
      for (int k = 0; k < rank; k++)
        n *= (double) dims[k];
      sum->values += n;
    }
  H5Dclose (d);
  return 0;
}

int
jx_model_check_weights_stored (hid_t file, const JxModelConfig *cfg, JxError *err)
{
  size_t want = jx_model_config_n_params (cfg);
  WeightSum sum = { 0, false };
  JxH5Walk how = { .n_seen = 0 };
  if (jx_h5_lookup (file, "weights") > 0)
    {
      hid_t g = H5Gopen2 (file, "weights", H5P_DEFAULT);
      if (g >= 0)
        {
          jx_h5_walk_datasets (g, add_stored, &sum, &how);
          H5Gclose (g);
        }
      sum.damaged = sum.damaged || g < 0 || how.unreadable || how.out_of_memory;
    }
  /* Whatever the count, a group reached again through a link it does not count is damage. */
  if (how.cycle)
    return jx_error_set (err, JX_ERR_FORMAT, "HDF5 file is damaged: the groups under /weights "
                         "link back into themselves (an object reached twice)");
  char unread[128] = "";
  if (sum.damaged)
    snprintf (unread, sizeof unread, " (and part of it cannot be read)");
  else if (how.too_deep || how.too_long)
    snprintf (unread, sizeof unread, " (groups nested more than %d deep, or at paths of %d "
              "bytes or more, are not counted)", JX_H5_WALK_MAX_DEPTH, JX_H5_WALK_PATH_MAX);
  if ((double) want > sum.values)
    return jx_error_set (err, JX_ERR_FORMAT,
                         "the hyper-parameters (hidden %d, dense %d, grid %d, max_mult %d) need "
                         "%zu weights but /weights stores only %.0f%s: the weights have the "
                         "wrong shape for them (a damaged file, or edited attributes)",
                         cfg->hidden, cfg->dense, cfg->grid, cfg->max_mult, want, sum.values,
                         unread);
  return 0;
}

int
jx_model_check_params_finite (const JxModel *model, JxError *err)
{
  const float *p = jx_model_params_const (model);
  for (size_t i = 0; i < jx_model_n_tensors (model); i++)
    {
      const JxTensorInfo *t = jx_model_tensor (model, i);
      for (size_t k = 0; k < t->rows * t->cols; k++)
        if (!isfinite (p[t->offset + k]))
          return jx_error_set (err, JX_ERR_FORMAT,
                               "weights '/weights/%s' hold %g at row %zu, column %zu: a model "
                               "needs finite weights (was its training diverging?)", t->name,
                               (double) p[t->offset + k], k / t->cols, k % t->cols);
    }
  return 0;
}

int
jx_model_check_history_length (size_t n_epochs, JxError *err)
{
  if (n_epochs > JX_MODEL_MAX_EPOCHS)
    return jx_error_set (err, JX_ERR_FORMAT, "/history holds %zu epochs, more than any training "
                         "(at most %d are read)", n_epochs, JX_MODEL_MAX_EPOCHS);
  return 0;
}

int
jx_model_check_meta (const JxModelMeta *meta, JxError *err)
{
  const JxClusterOptions *c = &meta->clustering;
  if (!(c->esub >= 0 && c->esub <= MAX_ESUB))
    return jx_error_set (err, JX_ERR_FORMAT, "attribute 'clustering_esub' = %g is not a subjet "
                         "energy cut in [0, %g] GeV", c->esub, MAX_ESUB);
  if (!(c->rsub >= 0 && c->rsub <= MAX_RSUB))
    return jx_error_set (err, JX_ERR_FORMAT, "attribute 'clustering_rsub' = %g is not a subjet "
                         "radius in [0, pi]", c->rsub);
  for (size_t i = 0; i < meta->n_history; i++)
    {
      const JxEpochRecord *r = &meta->history[i];
      const char *bad = NULL;
      if (r->epoch < 0 || (size_t) r->epoch > JX_MODEL_MAX_EPOCHS)
        bad = "epoch";
      else if (r->batch_size < 1)
        bad = "batch_size";
      else if (!(r->learning_rate >= 0 && isfinite (r->learning_rate)))
        bad = "learning_rate";
      else if (!(r->seconds >= 0 && isfinite (r->seconds)))
        bad = "seconds";
      if (bad != NULL)
        return jx_error_set (err, JX_ERR_FORMAT, "/history/%s of epoch record %zu is out of "
                             "range", bad, i);
    }
  return 0;
}
