/* jx-model-io-ext.c — see jx-model-io-ext.h. */
#include "jx-model-io-ext.h"

#include <stdio.h>
#include <stdlib.h>

#include "jx-energy-head.h"
#include "jx-h5.h"

int
jx_model_io_ext_version (const JxModel *model, const JxModelMeta *meta)
{
  const JxModelConfig *c = jx_model_config (model);
  int de, dm, db;
  jx_model_config_head_widths (c, &de, &dm, &db);
  bool v2 = meta->clustering.metric != JX_METRIC_EE || c->recurrent != JX_RECURRENT_RNN
            || de != c->dense || dm != c->dense || db != c->dense || c->branch_padding != 0
            || (c->branch != JX_BRANCH_JOINT && c->branch != JX_BRANCH_FACTORIZED);
  return v2 ? 2 : 1;
}

int
jx_model_io_ext_write (hid_t f, const JxModel *model, const JxModelMeta *meta, JxError *err)
{
  const JxModelConfig *c = jx_model_config (model);
  int rc = jx_h5_write_string_attr (f, "clustering_metric",
                                    jx_metric_name (meta->clustering.metric), err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (f, "recurrent", jx_recurrent_kind_name (c->recurrent), err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "dense_end", c->dense_end, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "dense_mother", c->dense_mother, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "dense_branch", c->dense_branch, err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "branch_padding", c->branch_padding, err);
  if (rc == 0 && c->branch == JX_BRANCH_HIERARCHICAL)
    rc = jx_h5_write_int_attr (f, "grid_fine", c->grid_fine, err);
  if (rc == 0 && c->branch == JX_BRANCH_ENERGY)
    rc = jx_h5_write_int_attr (f, "energy_samples", c->energy_samples, err);
  if (rc == 0 && meta->imported_from[0] != '\0')
    rc = jx_h5_write_string_attr (f, "imported_from", meta->imported_from, err);
  if (rc == 0 && meta->imported_detail[0] != '\0')
    rc = jx_h5_write_string_attr (f, "imported_detail", meta->imported_detail, err);
  return rc;
}

/* An optional integer attribute in [lo, hi]; *out keeps its value when absent. */
static int
read_opt_int (hid_t f, const char *name, int lo, int hi, int *out, JxError *err)
{
  return jx_h5_has_attr (f, name) ? jx_h5_read_int_attr_in (f, name, lo, hi, out, err) : 0;
}

/* An optional string attribute; *out is NULL when absent (free it). */
static int
read_opt_string (hid_t f, const char *name, char **out, JxError *err)
{
  *out = NULL;
  return jx_h5_has_attr (f, name) ? jx_h5_read_string_attr (f, name, out, err) : 0;
}

int
jx_model_io_ext_read_config (hid_t f, JxModelConfig *c, JxError *err)
{
  char *s = NULL;
  int rc = read_opt_string (f, "recurrent", &s, err);
  if (rc == 0 && s != NULL && jx_recurrent_kind_parse (s, &c->recurrent, NULL) != 0)
    rc = jx_error_set (err, JX_ERR_FORMAT,
                       "attribute 'recurrent' = \"%.40s\" is not a known cell (rnn, lstm, gru)", s);
  free (s);
  if (rc == 0)
    rc = read_opt_int (f, "dense_end", 0, 100000, &c->dense_end, err);
  if (rc == 0)
    rc = read_opt_int (f, "dense_mother", 0, 100000, &c->dense_mother, err);
  if (rc == 0)
    rc = read_opt_int (f, "dense_branch", 0, 100000, &c->dense_branch, err);
  if (rc == 0)
    rc = read_opt_int (f, "branch_padding", 0, 1000, &c->branch_padding, err);
  if (rc == 0 && c->branch == JX_BRANCH_HIERARCHICAL)
    rc = jx_h5_has_attr (f, "grid_fine")
             ? jx_h5_read_int_attr_in (f, "grid_fine", 1, 64, &c->grid_fine, err)
             : jx_error_set (err, JX_ERR_FORMAT,
                             "hierarchical branch head without the attribute 'grid_fine'");
  if (rc == 0 && c->branch == JX_BRANCH_ENERGY)
    rc = jx_h5_has_attr (f, "energy_samples")
             ? jx_h5_read_int_attr_in (f, "energy_samples", 16, JX_ENERGY_MAX_SAMPLES,
                                       &c->energy_samples, err)
             : jx_error_set (err, JX_ERR_FORMAT,
                             "energy branch head without the attribute 'energy_samples'");
  return rc;
}

int
jx_model_io_ext_read_meta (hid_t f, JxModelMeta *meta, JxError *err)
{
  char *s = NULL;
  int rc = read_opt_string (f, "clustering_metric", &s, err);
  if (rc == 0 && s != NULL && jx_metric_parse (s, &meta->clustering.metric, NULL) != 0)
    rc = jx_error_set (err, JX_ERR_FORMAT,
                       "attribute 'clustering_metric' = \"%.40s\" is not a metric (ee or pp)", s);
  free (s);
  s = NULL;
  if (rc == 0 && (rc = read_opt_string (f, "imported_from", &s, err)) == 0 && s != NULL)
    snprintf (meta->imported_from, sizeof meta->imported_from, "%s", s);
  free (s);
  s = NULL;
  if (rc == 0 && (rc = read_opt_string (f, "imported_detail", &s, err)) == 0 && s != NULL)
    snprintf (meta->imported_detail, sizeof meta->imported_detail, "%s", s);
  free (s);
  return rc;
}
