/* jx-fuzz-readers.c — see jx-fuzz-readers.h. */
#include "jx-fuzz-readers.h"

#include "jx-fuzz-h5spec.h"

#include <hdf5.h>
#include <math.h>
#include <string.h>

#include "jx-keras-import.h"
#include "jx-model-io.h"
#include "jx-reweight.h"
#include "jx-sample.h"
#include "jx-scores.h"

/* A reader closes every HDF5 object it opened, also on failure (LeakSanitizer cannot tell
 * our leaked handles from HDF5's own leaks inside the uninstrumented library). */
void
jx_fuzz_check_closed (const char *reader)
{
  ssize_t open_ids = H5Fget_obj_count (H5F_OBJ_ALL, H5F_OBJ_ALL);
  JX_FUZZ_ASSERT (open_ids == 0, "%s left %zd HDF5 objects open", reader, open_ids);
}

/* Finite weights and a sane clustering in a model a reader returned. */
static void
check_model (const JxModel *model, const JxModelMeta *meta)
{
  const float *p = jx_model_params_const (model);
  for (size_t i = 0; i < jx_model_n_params (model); i++)
    JX_FUZZ_ASSERT (isfinite (p[i]), "parameter %zu = %g loaded", i, (double) p[i]);
  JX_FUZZ_ASSERT (meta->clustering.esub >= 0 && meta->clustering.rsub >= 0,
                  "clustering E_sub %g, R_sub %g loaded", meta->clustering.esub,
                  meta->clustering.rsub);
}

void
jx_fuzz_read_dataset (const char *path)
{
  JxError err = { 0 };
  char kind[64];
  jx_fuzz_check_message (jx_file_kind (path, kind, sizeof kind, &err), err.message);
  JxDatasetInfo info;
  int rc = jx_dataset_probe (path, &info, &err);
  jx_fuzz_check_message (rc, err.message);
  JxDataset ds;
  int rc_read = jx_dataset_read (&ds, path, NULL, &err);
  jx_fuzz_check_message (rc_read, err.message);
  if (rc_read == 0)
    {
      jx_fuzz_check_dataset (&ds, false);
      JX_FUZZ_ASSERT (rc == 0 && info.n_jets == ds.n_jets
                      && info.n_particles == jx_dataset_n_particles (&ds),
                      "probe (%d: %zu jets) disagrees with read (%zu jets)", rc, info.n_jets,
                      ds.n_jets);
      for (size_t i = 0; ds.weights != NULL && i < ds.n_jets; i++)
        JX_FUZZ_ASSERT (isfinite (ds.weights[i]), "weight %zu = %g read", i, ds.weights[i]);
    }
  jx_dataset_free (&ds);
  jx_fuzz_check_closed ("jx_file_kind, jx_dataset_probe, jx_dataset_read");
  JxSampleSet set;
  rc = jx_sample_read (&set, path, NULL, &err);
  jx_fuzz_check_message (rc, err.message);
  jx_sample_set_free (&set);
  jx_fuzz_check_closed ("jx_sample_read");
}

void
jx_fuzz_read_model (const char *path)
{
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };
  int rc = jx_model_load (path, &model, &meta, NULL, NULL, &err);
  jx_fuzz_check_message (rc, err.message);
  if (rc == 0)
    check_model (model, &meta);
  jx_model_free (model);
  jx_model_meta_free (&meta);
  jx_fuzz_check_closed ("jx_model_load");
}

void
jx_fuzz_read_keras (const char *path)
{
  JxClusterOptions clustering;
  jx_cluster_options_default (&clustering);
  JxModel *model = NULL;
  JxModelMeta meta;
  JxError err = { 0 };
  int rc = jx_keras_import (path, &clustering, &model, &meta, &err);
  jx_fuzz_check_message (rc, err.message);
  jx_fuzz_check_closed ("jx_keras_import");
  if (rc == 0)
    {
      check_model (model, &meta);
      /* What import-model writes must load as a junipr model. */
      const char *saved = jx_fuzz_file ("imported-model.h5", NULL, 0);
      rc = jx_model_save (model, &meta, saved, NULL, NULL, &err);
      JX_FUZZ_ASSERT (rc == 0, "an imported model does not save: %s", err.message);
      JxModel *back = NULL;
      JxModelMeta back_meta;
      rc = jx_model_load (saved, &back, &back_meta, NULL, NULL, &err);
      JX_FUZZ_ASSERT (rc == 0, "an imported model does not load back: %s", err.message);
      JX_FUZZ_ASSERT (jx_model_n_params (back) == jx_model_n_params (model),
                      "%zu parameters imported, %zu loaded back", jx_model_n_params (model),
                      jx_model_n_params (back));
      jx_model_free (back);
      jx_model_meta_free (&back_meta);
      jx_fuzz_check_closed ("jx_model_save, jx_model_load");
    }
  jx_model_free (model);
  jx_model_meta_free (&meta);
}

void
jx_fuzz_read_scores (const char *path)
{
  JxScores s;
  JxError err = { 0 };
  int rc = jx_scores_read (&s, path, &err);
  jx_fuzz_check_message (rc, err.message);
  size_t n = rc == 0 ? s.n_jets : 3;
  if (rc == 0 && s.step_offsets != NULL)
    {
      volatile double sum = 0;  /* every step of every jet is addressable */
      for (size_t k = 0; k < s.step_offsets[s.n_jets]; k++)
        sum += s.log_end[k] + s.log_mother[k] + s.log_branch[k] + s.log_branch_parts[4 * k + 3];
      (void) sum;
    }
  jx_scores_free (&s);
  jx_fuzz_check_closed ("jx_scores_read");
  double *w = NULL;
  rc = jx_reweight_read_weights (path, n, &w, &err);
  jx_fuzz_check_message (rc, err.message);
  for (size_t i = 0; rc == 0 && i < n; i++)
    JX_FUZZ_ASSERT (isfinite (w[i]) && w[i] >= 0, "weight %zu = %g read", i, w[i]);
  free (w);
  jx_fuzz_check_closed ("jx_reweight_read_weights");
}

void
jx_fuzz_read_array (const char *path, const char *dataset, const char *columns,
                    const char *labels)
{
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = JX_IMPORT_ARRAY;
  opt.array_path = dataset;
  opt.columns = columns;
  opt.label_path = labels;
  for (int skip = 0; skip < 2; skip++)
    {
      opt.skip_bad = skip;
      jx_fuzz_import (path, &opt);
      jx_fuzz_check_closed ("jx_import (array)");
    }
}

void
jx_fuzz_import (const char *path, const JxImportOptions *opt)
{
  JxDataset ds;
  JxImportStats stats;
  JxError err = { 0 };
  int rc = jx_import (&ds, path, opt, &stats, NULL, &err);
  jx_fuzz_check_message (rc, err.message);
  if (rc == 0)
    {
      jx_fuzz_check_dataset (&ds, true);
      JX_FUZZ_ASSERT (stats.n_jets == ds.n_jets, "stats say %zu jets, dataset has %zu",
                      stats.n_jets, ds.n_jets);
    }
  jx_dataset_free (&ds);
}

void
jx_fuzz_import_format (const char *path, JxImportFormat format)
{
  JxImportOptions opt;
  jx_import_options_init (&opt);
  opt.format = format;
  jx_fuzz_import (path, &opt);
  opt.skip_bad = true;
  jx_fuzz_import (path, &opt);
  opt.format = JX_IMPORT_AUTO;
  opt.skip_bad = false;
  jx_fuzz_import (path, &opt);
  jx_fuzz_check_closed (jx_import_format_name (format));
}

int
jx_fuzz_h5spec_target (const uint8_t *data, size_t size, const char *tag,
                       void (*reader) (const char *path))
{
  char *spec = jx_fuzz_string (data, size);
  const char *path = jx_fuzz_file (tag, NULL, 0);
  if (jx_fuzz_h5spec_build (spec, path) == 0)
    reader (path);
  free (spec);
  return 0;
}
