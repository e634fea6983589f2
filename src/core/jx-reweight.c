/* jx-reweight.c — see jx-reweight.h. */
#include "jx-reweight.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jx-h5.h"
#include "jx-scores.h"

int
jx_lr_from_scores (const JxScores *a, const JxScores *b, double *lr, double *step_lr,
                   JxError *err)
{
  if (a->n_jets != b->n_jets)
    return jx_error_set (err, JX_ERR_INVALID, "the two score sets have %zu and %zu jets",
                         a->n_jets, b->n_jets);
  for (size_t i = 0; i < a->n_jets; i++)
    lr[i] = a->status[i] == JX_JET_SCORED && b->status[i] == JX_JET_SCORED
              ? a->log_p[i] - b->log_p[i] : NAN;
  if (step_lr == NULL)
    return 0;
  if (a->step_offsets == NULL || b->step_offsets == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "per-step LR needs per-step scores of both models");
  for (size_t i = 0; i < a->n_jets; i++)
    {
      uint64_t a0 = a->step_offsets[i], na = a->step_offsets[i + 1] - a0;
      uint64_t b0 = b->step_offsets[i], nb = b->step_offsets[i + 1] - b0;
      if (isnan (lr[i]))
        {
          for (uint64_t k = 0; k < na; k++)
            step_lr[a0 + k] = NAN;
          continue;
        }
      if (na != nb)
        return jx_error_set (err, JX_ERR_INVALID,
                             "jet %zu has different trees under the two models (%llu and %llu "
                             "states: their clusterings differ): no per-step likelihood ratio",
                             i, (unsigned long long) na, (unsigned long long) nb);
      for (uint64_t k = 0; k < na; k++)
        step_lr[a0 + k] = (a->log_end[a0 + k] + a->log_mother[a0 + k] + a->log_branch[a0 + k])
                          - (b->log_end[b0 + k] + b->log_mother[b0 + k] + b->log_branch[b0 + k]);
    }
  return 0;
}

void
jx_reweight_weights (const double *log_lr, size_t n, double clip, double *w,
                     JxReweightStats *stats)
{
  JxReweightStats s;
  memset (&s, 0, sizeof s);
  s.n_jets = n;
  for (size_t i = 0; i < n; i++)
    {
      double v = exp (log_lr[i]);
      if (isnan (v))
        {
          s.n_nan++;
          v = 0;
        }
      else if (clip > 0 && v > clip)
        {
          s.n_clipped++;
          v = 0;
        }
      else
        {
          s.sum_w += v;
          s.sum_w2 += v * v;
          s.max_kept = fmax (s.max_kept, v);
        }
      w[i] = v;
    }
  s.ess = s.sum_w2 > 0 ? s.sum_w * s.sum_w / s.sum_w2 : 0;
  if (stats != NULL)
    *stats = s;
}

double
jx_effective_sample_size (const double *w, size_t n)
{
  double s = 0, s2 = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite (w[i]))
      {
        s += w[i];
        s2 += w[i] * w[i];
      }
  return s2 > 0 ? s * s / s2 : 0;
}

void
jx_weighted_histogram (const double *values, const double *w, size_t n, int n_bins, double lo,
                       double hi, double *sum_w, double *sum_w2, double *count)
{
  for (int k = 0; k < n_bins; k++)
    {
      sum_w[k] = sum_w2[k] = 0;
      if (count != NULL)
        count[k] = 0;
    }
  if (n_bins < 1 || !(hi > lo))
    return;
  for (size_t i = 0; i < n; i++)
    {
      double f = (values[i] - lo) / (hi - lo) * n_bins;
      if (!(f >= 0 && f < n_bins))
        continue;
      int k = (int) f;
      double wi = w != NULL ? w[i] : 1.0;
      if (!isfinite (wi))
        continue;
      sum_w[k] += wi;
      sum_w2[k] += wi * wi;
      if (count != NULL)
        count[k] += 1;
    }
}

static int
read_weights (hid_t file, const char *path, size_t expected_n, double **w, JxError *err)
{
  int rc = jx_h5_check_kind (file, path, JX_SCORES_FORMAT, JX_SCORES_VERSION, NULL, NULL, err);
  if (rc != 0)
    return rc;
  if (!jx_h5_exists (file, "jets/weight"))
    return jx_error_set (err, JX_ERR_FORMAT,
                         "%s: has no per-jet weights (jets/weight); make them with "
                         "'junipr reweight ... -o %s'", path, path);
  hid_t dset = H5Dopen2 (file, "jets/weight", H5P_DEFAULT);
  if (dset < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: cannot open jets/weight", path);
  int rank = 0;
  hsize_t dims[2] = { 0, 0 };
  H5T_class_t cls;
  rc = jx_h5_shape (dset, 2, &rank, dims, &cls, err);
  H5Dclose (dset);
  if (rc != 0)
    return rc;
  if (rank != 1 || cls != H5T_FLOAT)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: jets/weight is not a 1-D float array", path);
  if (dims[0] != expected_n)
    return jx_error_set (err, JX_ERR_INVALID,
                         "%s: holds %llu weights but the dataset has %zu jets (weights must "
                         "come from 'junipr reweight' on the same dataset)",
                         path, (unsigned long long) dims[0], expected_n);
  *w = malloc ((expected_n ? expected_n : 1) * sizeof **w);
  if (*w == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory for %zu weights", path, expected_n);
  rc = jx_h5_read_array (file, "jets/weight", H5T_NATIVE_DOUBLE, *w, expected_n, err);
  if (rc == 0)
    rc = jx_scores_check_weights (*w, expected_n, err);
  if (rc != 0)
    jx_error_prefix (err, "%s: ", path);
  if (rc != 0)
    {
      free (*w);
      *w = NULL;
    }
  return rc;
}

int
jx_reweight_read_weights (const char *path, size_t expected_n, double **w, JxError *err)
{
  *w = NULL;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (path, err);
  int rc = file < 0 ? (int) file : read_weights (file, path, expected_n, w, err);
  if (file >= 0)
    H5Fclose (file);
  jx_h5_quiet_end (&quiet);
  return rc;
}
