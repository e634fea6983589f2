/* Model files: save/load round trip for every branch head kind, local or not (bit-identical
 * weights, the same tensor table and ln P per step, every hyper-parameter, scaling
 * constant, clustering, history and provenance field), the fields added in version 2 (pp
 * metric, LSTM/GRU cells, head widths, branch padding, import provenance; files without
 * them read as before and are still written as version 1), the extra hooks, clear refusals
 * (dataset file, non-HDF5, missing, newer version, shapes that do not match, bad added
 * fields), and the atomic write (a failed save leaves the previous file and no temporary). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jx-dataset.h"
#include "jx-h5.h"
#include "jx-model-io.h"
#include "jx-rng.h"
#include "jx-test.h"

static char dir[256];

static void
path_in_dir (char *out, size_t cap, const char *name)
{
  snprintf (out, cap, "%s/%s", dir, name);
}

static int
count_tmp_files (void)
{
  DIR *d = opendir (dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir (d)) != NULL)
    n += strstr (e->d_name, ".tmp-") != NULL;
  closedir (d);
  return n;
}

static JxModel *
make_model (JxBranchKind kind, bool local, int hidden)
{
  JxModelConfig cfg;
  jx_model_config_default (&cfg);
  cfg.branch = kind;
  cfg.local = local;
  cfg.hidden = hidden;
  cfg.dense = 7;
  cfg.grid = 4;
  cfg.max_mult = 12;
  cfg.scaling = (JxScaling) { 450.5, 1.25, 1.2345678901234567, 0.075 };
  cfg.energy_samples = 48;   /* not the default: the energy head's file must keep it */
  JxModel *m = NULL;
  JxError err = { 0 };
  if (jx_model_new (&cfg, 77, &m, &err) != 0)
    {
      fprintf (stderr, "%s\n", err.message);
      exit (EXIT_FAILURE);
    }
  /* Non-zero biases and awkward float values (denormals, tiny, huge) for bit identity. */
  float *p = jx_model_params (m);
  p[0] = 1e-42f;
  p[1] = -3.4e38f;
  p[jx_model_n_params (m) - 1] = 0.1f;
  return m;
}

static void
fill_meta (JxModelMeta *meta)
{
  jx_model_meta_init (meta);
  meta->clustering = (JxClusterOptions) { JX_ALGO_KT, 2.5, 0.2, JX_METRIC_EE };
  snprintf (meta->dataset, sizeof meta->dataset, "/data/jets/quark-αs=0.1365.h5");
  meta->seed = 0xFEDCBA9876543210ULL;
  snprintf (meta->created, sizeof meta->created, "2026-11-23T12:34:56Z");
  for (int b = 0; b < JX_MASSLESS_BUCKETS; b++)
    {
      meta->massless.terminal_cell[b] = 0.1 * (b + 1) + 1e-15;
      meta->massless.terminal_theta[b] = 0.05 * (b + 1);
    }
  meta->massless.measured = true;
  for (int e = 1; e <= 3; e++)
    {
      JxEpochRecord r = { e, 30.0 / e + 1e-13, 31.0 / e, 1e-2 / e, 10 * e, 12.5 * e };
      jx_model_meta_add_epoch (meta, &r, NULL);
    }
}

static int
extra_save (int64_t h5_file, void *user, JxError *err)
{
  hid_t g = H5Gcreate2 ((hid_t) h5_file, "optimizer", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_IO, "cannot create /optimizer");
  int rc = jx_h5_write_int_attr (g, "step", *(int *) user, err);
  H5Gclose (g);
  return rc;
}

static int
extra_load (int64_t h5_file, void *user, JxError *err)
{
  hid_t g = H5Gopen2 ((hid_t) h5_file, "optimizer", H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "no /optimizer");
  long long v = 0;
  int rc = jx_h5_read_int_attr (g, "step", &v, err);
  H5Gclose (g);
  *(int *) user = (int) v;
  return rc;
}

static int
extra_fail (int64_t h5_file, void *user, JxError *err)
{
  return jx_error_set (err, JX_ERR_IO, "simulated failure while writing the optimizer state");
}

/* ln P of a 6-particle tree and each step's terms are identical under both models. */
static void
same_log_prob (const JxModel *a, const JxModel *b)
{
  JxP4 p[6];
  for (int i = 0; i < 6; i++)
    {
      double E = 20.0 + 13.0 * i, th = 0.05 + 0.04 * i, ph = 1.1 * i;
      p[i] = jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
    }
  JxTree tree;
  JxError err = { 0 };
  JX_CHECK_INT (jx_tree_build_from_particles (&tree, p, 6, JX_ALGO_CA, NULL, &err), 0);
  JxStepScore sa[6], sb[6];
  double la = 0, lb = 1;
  JX_CHECK_INT (jx_model_log_prob (a, &tree, sa, &la, NULL, &err), 0);
  JX_CHECK_INT (jx_model_log_prob (b, &tree, sb, &lb, NULL, &err), 0);
  JX_CHECK (isfinite (la) && la == lb && memcmp (sa, sb, sizeof sa) == 0);
  jx_tree_free (&tree);
}

static void
test_roundtrip (JxBranchKind kind, bool local)
{
  char path[512];
  path_in_dir (path, sizeof path, "model.h5");
  JxModel *m = make_model (kind, local, 9);
  JxModelMeta meta, back;
  fill_meta (&meta);
  JxError err = { 0 };
  int step = 4242, step_back = 0;
  JX_CHECK_INT (jx_model_save (m, &meta, path, extra_save, &step, &err), 0);
  JxModel *l = NULL;
  JX_CHECK_INT (jx_model_load (path, &l, &back, extra_load, &step_back, &err), 0);
  if (l == NULL)
    {
      fprintf (stderr, "load failed: %s\n", err.message);
      jx_test_failures++;
      return;
    }
  JX_CHECK_INT (step_back, 4242);
  const JxModelConfig *a = jx_model_config (m), *b = jx_model_config (l);
  JX_CHECK (a->branch == b->branch && a->local == b->local && a->hidden == b->hidden
            && a->dense == b->dense && a->grid == b->grid && a->max_mult == b->max_mult);
  if (kind == JX_BRANCH_ENERGY)
    JX_CHECK_INT (b->energy_samples, 48);
  JX_CHECK (memcmp (&a->scaling, &b->scaling, sizeof a->scaling) == 0);
  JX_CHECK_INT (jx_model_n_params (l), jx_model_n_params (m));
  JX_CHECK (memcmp (jx_model_params (l), jx_model_params (m),
                    jx_model_n_params (m) * sizeof (float)) == 0);
  /* The same network: the tensor table, and ln P of a tree with every term per step. */
  JX_CHECK_INT (jx_model_n_tensors (l), jx_model_n_tensors (m));
  for (size_t i = 0; i < jx_model_n_tensors (m) && i < jx_model_n_tensors (l); i++)
    {
      const JxTensorInfo *x = jx_model_tensor (m, i), *y = jx_model_tensor (l, i);
      JX_CHECK (strcmp (x->name, y->name) == 0 && x->offset == y->offset && x->rows == y->rows
                && x->cols == y->cols);
    }
  same_log_prob (m, l);
  JX_CHECK (back.clustering.algorithm == JX_ALGO_KT && back.clustering.esub == 2.5
            && back.clustering.rsub == 0.2);
  JX_CHECK (strcmp (back.dataset, meta.dataset) == 0);
  JX_CHECK (back.seed == 0xFEDCBA9876543210ULL);
  JX_CHECK (strcmp (back.created, meta.created) == 0);
  JX_CHECK (back.massless.measured
            && memcmp (back.massless.terminal_cell, meta.massless.terminal_cell,
                       sizeof meta.massless.terminal_cell) == 0
            && memcmp (back.massless.terminal_theta, meta.massless.terminal_theta,
                       sizeof meta.massless.terminal_theta) == 0);
  JX_CHECK_INT (back.n_history, 3);
  for (size_t i = 0; i < back.n_history && i < 3; i++)
    {
      const JxEpochRecord *x = &back.history[i], *y = &meta.history[i];
      JX_CHECK (x->epoch == y->epoch && x->train_loss == y->train_loss
                && x->val_loss == y->val_loss && x->learning_rate == y->learning_rate
                && x->batch_size == y->batch_size && x->seconds == y->seconds);
    }
  jx_model_meta_free (&back);
  jx_model_free (l);

  /* meta NULL: defaults, and a creation date is filled in. */
  JX_CHECK_INT (jx_model_save (m, NULL, path, NULL, NULL, &err), 0);
  JX_CHECK_INT (jx_model_load (path, &l, &back, NULL, NULL, &err), 0);
  JX_CHECK_INT (back.n_history, 0);
  JX_CHECK (back.clustering.algorithm == JX_ALGO_CA && back.seed == 0);
  JX_CHECK (!back.massless.measured && back.massless.terminal_cell[3] == 0);  /* none stored */
  JX_CHECK (strlen (back.created) == 20 && back.created[4] == '-');
  JX_CHECK (l != NULL && memcmp (jx_model_params (l), jx_model_params (m),
                                 jx_model_n_params (m) * sizeof (float)) == 0);
  jx_model_meta_free (&back);
  jx_model_free (l);
  JX_CHECK_INT (count_tmp_files (), 0);
  jx_model_meta_free (&meta);
  jx_model_free (m);
}

static void
test_weights_layout (void)
{
  /* h5py users see /weights/<layer>/kernel (in, out) and 1-D biases. */
  char path[512];
  path_in_dir (path, sizeof path, "layout.h5");
  JxModel *m = make_model (JX_BRANCH_JOINT, false, 9);
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_save (m, NULL, path, NULL, NULL, &err), 0);
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  JX_CHECK (f >= 0);
  hid_t d = H5Dopen2 (f, "weights/branch_out/kernel", H5P_DEFAULT);
  int rank;
  hsize_t dims[3];
  JX_CHECK_INT (jx_h5_shape (d, 3, &rank, dims, NULL, &err), 0);
  JX_CHECK (rank == 2 && dims[0] == 7 && dims[1] == 256);
  H5Dclose (d);
  d = H5Dopen2 (f, "weights/rnn/bias", H5P_DEFAULT);
  JX_CHECK_INT (jx_h5_shape (d, 3, &rank, dims, NULL, &err), 0);
  JX_CHECK (rank == 1 && dims[0] == 9);
  H5Dclose (d);
  JX_CHECK (jx_h5_exists (f, "weights/rnn/recurrent_kernel"));
  JX_CHECK (jx_h5_exists (f, "history/val_loss"));
  H5Fclose (f);
  jx_model_free (m);
}

static void
expect_refusal (const char *path, int code, const char *needle)
{
  JxModel *l = (JxModel *) 1;
  JxModelMeta meta;
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_load (path, &l, &meta, NULL, NULL, &err), code);
  JX_CHECK (l == NULL);
  JX_CHECK_MSG (strstr (err.message, needle) != NULL && strstr (err.message, path) != NULL,
                "message '%s' lacks '%s' or the path", err.message, needle);
  jx_model_meta_free (&meta);
}

static void
test_refusals (void)
{
  char path[512];
  JxError err = { 0 };
  /* A dataset file. */
  path_in_dir (path, sizeof path, "data.h5");
  JxDataset ds;
  jx_dataset_init (&ds);
  JxP4 p[2] = { jx_p4 (10, 0, 0, 10), jx_p4 (5, 0, 5, 0) };
  jx_dataset_append (&ds, p, 2, &err);
  JX_CHECK_INT (jx_dataset_write (&ds, path, NULL, &err), 0);
  jx_dataset_free (&ds);
  expect_refusal (path, JX_ERR_FORMAT, "junipr-dataset");
  /* Not HDF5. */
  path_in_dir (path, sizeof path, "notes.txt");
  FILE *fp = fopen (path, "w");
  fputs ("J 0\nN 1\n1 2 3 4\n", fp);
  fclose (fp);
  expect_refusal (path, JX_ERR_FORMAT, "not an HDF5 file");
  /* Missing. */
  path_in_dir (path, sizeof path, "missing.h5");
  expect_refusal (path, JX_ERR_IO, "missing.h5");

  /* A massless-rate table holding something that is not a rate. */
  {
    path_in_dir (path, sizeof path, "rates.h5");
    JxModel *mr = make_model (JX_BRANCH_FACTORIZED, false, 5);
    JxModelMeta mm;
    fill_meta (&mm);
    JX_CHECK_INT (jx_model_save (mr, &mm, path, NULL, NULL, &err), 0);
    hid_t fr = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
    double bad[8] = { 0.1, 0.2, 0.3, 1.5, 0, 0, 0, 0 };
    hid_t d = H5Dopen2 (fr, "sampling/massless", H5P_DEFAULT);
    H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, bad);
    H5Dclose (d);
    H5Fclose (fr);
    expect_refusal (path, JX_ERR_FORMAT, "not a rate");
    jx_model_meta_free (&mm);
    jx_model_free (mr);
  }

  /* A model whose attributes no longer match its weights, and a newer version. */
  path_in_dir (path, sizeof path, "edited.h5");
  JxModel *m = make_model (JX_BRANCH_FACTORIZED, false, 5);
  JX_CHECK_INT (jx_model_save (m, NULL, path, NULL, NULL, &err), 0);
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  jx_h5_write_int_attr (f, "hidden", 6, &err);
  H5Fclose (f);
  expect_refusal (path, JX_ERR_FORMAT, "wrong shape");
  f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  jx_h5_write_string_attr (f, "branch", "spline", &err);
  H5Fclose (f);
  expect_refusal (path, JX_ERR_FORMAT, "spline");
  f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  jx_h5_write_int_attr (f, "version", JX_MODEL_VERSION + 1, &err);
  H5Fclose (f);
  expect_refusal (path, JX_ERR_FORMAT, "version");
  jx_model_free (m);
}

/* Nests depth groups named 'n' under group (an open group of f); returns the innermost, open. */
static hid_t
nest_groups (hid_t group, int depth)
{
  hid_t g = H5Gopen2 (group, ".", H5P_DEFAULT);
  for (int i = 0; i < depth; i++)
    {
      hid_t inner = H5Gcreate2 (g, "n", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Gclose (g);
      g = inner;
    }
  return g;
}

/* The reader counts the weights stored under /weights before it allocates a model: through
 * nested groups it must neither take minutes nor count what it did not look at. */
static void
test_nested_weights (void)
{
  char path[512];
  path_in_dir (path, sizeof path, "nested.h5");
  JxModel *m = make_model (JX_BRANCH_FACTORIZED, false, 5);
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_save (m, NULL, path, NULL, NULL, &err), 0);

  /* 4000 nested groups beside the weights. HDF5's H5Ovisit, which the count used before,
   * finds every object again from the start of the walk, a cost that grows as the cube of
   * the depth: 16 s for 1600 groups, minutes here (past this test's timeout). */
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t w = H5Gopen2 (f, "weights", H5P_DEFAULT);
  H5Gclose (nest_groups (w, 4000));
  H5Gclose (w);
  H5Fclose (f);
  JxModel *l = NULL;
  JX_CHECK_MSG (jx_model_load (path, &l, NULL, NULL, NULL, &err) == 0, "%s", err.message);
  jx_model_free (l);

  /* The recurrent layer's weights moved 33 groups down are not counted, and the refusal
   * says why they were not. */
  JX_CHECK_INT (jx_model_save (m, NULL, path, NULL, NULL, &err), 0);
  f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  w = H5Gopen2 (f, "weights", H5P_DEFAULT);
  hid_t deep = nest_groups (w, 33);
  JX_CHECK (H5Lmove (w, "rnn", deep, "rnn", H5P_DEFAULT, H5P_DEFAULT) >= 0);
  H5Gclose (deep);
  H5Gclose (w);
  H5Fclose (f);
  expect_refusal (path, JX_ERR_FORMAT, "(groups nested more than 32 deep, or at paths of 256 "
                  "bytes or more, are not counted)");
  jx_model_free (m);
}

static long long
file_version (const char *path)
{
  long long v = -1;
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  jx_h5_read_int_attr (f, "version", &v, NULL);
  H5Fclose (f);
  return v;
}

/* The version-2 fields round trip; without them a file is version 1 and old files (without
 * the attributes) read with the original defaults. */
static void
test_added_fields (void)
{
  char path[512];
  path_in_dir (path, sizeof path, "ext.h5");
  JxError err = { 0 };
  JxModel *m = make_model (JX_BRANCH_FACTORIZED, false, 6);
  JX_CHECK_INT (jx_model_save (m, NULL, path, NULL, NULL, &err), 0);
  JX_CHECK_INT (file_version (path), 1);
  /* A file written before the fields existed: remove them again. */
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  static const char *const added[] = { "clustering_metric", "recurrent", "dense_end",
                                       "dense_mother", "dense_branch", "branch_padding" };
  for (size_t i = 0; i < sizeof added / sizeof added[0]; i++)
    JX_CHECK (H5Adelete (f, added[i]) >= 0);
  H5Fclose (f);
  JxModel *l = NULL;
  JxModelMeta back;
  JX_CHECK_INT (jx_model_load (path, &l, &back, NULL, NULL, &err), 0);
  JX_CHECK (l != NULL && back.clustering.metric == JX_METRIC_EE
            && jx_model_config (l)->recurrent == JX_RECURRENT_RNN
            && jx_model_config (l)->dense_end == 0 && jx_model_config (l)->branch_padding == 0
            && back.imported_from[0] == '\0');
  jx_model_meta_free (&back);
  jx_model_free (l);
  jx_model_free (m);

  static const JxRecurrentKind cells[3] = { JX_RECURRENT_RNN, JX_RECURRENT_LSTM,
                                            JX_RECURRENT_GRU };
  for (int c = 0; c < 3; c++)
    {
      JxModelConfig cfg;
      jx_model_config_default (&cfg);
      cfg.branch = JX_BRANCH_FACTORIZED;
      cfg.hidden = 5;
      cfg.dense = 7;
      cfg.dense_end = 3;
      cfg.dense_mother = 4;
      cfg.dense_branch = c == 0 ? 0 : 6;
      cfg.grid = 4;
      cfg.max_mult = 12;
      cfg.recurrent = cells[c];
      cfg.branch_padding = c == 2 ? 0 : 1;
      JX_CHECK_INT (jx_model_new (&cfg, 5 + c, &m, &err), 0);
      JxModelMeta meta;
      jx_model_meta_init (&meta);
      meta.clustering.metric = c == 1 ? JX_METRIC_PP : JX_METRIC_EE;
      snprintf (meta.imported_from, sizeof meta.imported_from, "/keras/model-%d.h5", c);
      snprintf (meta.imported_detail, sizeof meta.imported_detail, "Keras test %d", c);
      JX_CHECK_INT (jx_model_save (m, &meta, path, NULL, NULL, &err), 0);
      JX_CHECK_INT (file_version (path), 2);
      JX_CHECK_INT (jx_model_load (path, &l, &back, NULL, NULL, &err), 0);
      if (l == NULL)
        {
          fprintf (stderr, "load failed: %s\n", err.message);
          jx_test_failures++;
          jx_model_free (m);
          continue;
        }
      const JxModelConfig *b = jx_model_config (l);
      JX_CHECK (b->recurrent == cfg.recurrent && b->dense_end == 3 && b->dense_mother == 4
                && b->dense_branch == cfg.dense_branch && b->branch_padding == cfg.branch_padding);
      JX_CHECK (back.clustering.metric == meta.clustering.metric);
      JX_CHECK (strcmp (back.imported_from, meta.imported_from) == 0
                && strcmp (back.imported_detail, meta.imported_detail) == 0);
      JX_CHECK_INT (jx_model_n_params (l), jx_model_n_params (m));
      JX_CHECK (memcmp (jx_model_params (l), jx_model_params (m),
                        jx_model_n_params (m) * sizeof (float)) == 0);
      jx_model_meta_free (&back);
      jx_model_free (l);
      /* Bad values of the added fields are refused naming the attribute. */
      f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
      if (c == 0)
        jx_h5_write_string_attr (f, "recurrent", "transformer", &err);
      else if (c == 1)
        jx_h5_write_string_attr (f, "clustering_metric", "hh", &err);
      else
        jx_h5_write_int_attr (f, "branch_padding", -1, &err);
      H5Fclose (f);
      expect_refusal (path, JX_ERR_FORMAT,
                      c == 0 ? "recurrent" : c == 1 ? "clustering_metric" : "branch_padding");
      jx_model_meta_free (&meta);
      jx_model_free (m);
    }
}

static void
test_atomic (void)
{
  char path[512];
  path_in_dir (path, sizeof path, "atomic.h5");
  JxModel *m1 = make_model (JX_BRANCH_JOINT, false, 9), *m2 = make_model (JX_BRANCH_JOINT, true, 3);
  JxError err = { 0 };
  JX_CHECK_INT (jx_model_save (m1, NULL, path, NULL, NULL, &err), 0);
  /* A failing hook aborts the save: the old file stays, no temporary is left. */
  JX_CHECK_INT (jx_model_save (m2, NULL, path, extra_fail, NULL, &err), JX_ERR_IO);
  JX_CHECK_MSG (strstr (err.message, "simulated failure") != NULL
                  && strstr (err.message, "atomic.h5") != NULL, "%s", err.message);
  JX_CHECK_INT (count_tmp_files (), 0);
  JxModel *l = NULL;
  JX_CHECK_INT (jx_model_load (path, &l, NULL, NULL, NULL, &err), 0);
  JX_CHECK (l != NULL && jx_model_config (l)->hidden == 9
            && memcmp (jx_model_params (l), jx_model_params (m1),
                       jx_model_n_params (m1) * sizeof (float)) == 0);
  jx_model_free (l);
  /* A failed first save leaves nothing at all. */
  path_in_dir (path, sizeof path, "never.h5");
  JX_CHECK_INT (jx_model_save (m2, NULL, path, extra_fail, NULL, &err), JX_ERR_IO);
  JX_CHECK (access (path, F_OK) != 0);
  JX_CHECK_INT (count_tmp_files (), 0);
  /* An unwritable place. */
  path_in_dir (path, sizeof path, "no/such/dir/model.h5");
  JX_CHECK (jx_model_save (m2, NULL, path, NULL, NULL, &err) == JX_ERR_IO);
  jx_model_free (m1);
  jx_model_free (m2);
}

static void
cleanup (void)
{
  DIR *d = opendir (dir);
  struct dirent *e;
  char path[512];
  while ((e = readdir (d)) != NULL)
    if (e->d_name[0] != '.')
      {
        path_in_dir (path, sizeof path, e->d_name);
        unlink (path);
      }
  closedir (d);
  rmdir (dir);
}

int
main (void)
{
  const char *tmp = getenv ("TMPDIR");
  snprintf (dir, sizeof dir, "%s/jx-model-io-XXXXXX", tmp != NULL ? tmp : "/tmp");
  if (mkdtemp (dir) == NULL)
    return EXIT_FAILURE;
  /* Every branch head kind the library knows (until jx_model_config_check refuses one),
   * local or not. */
  int kinds = 0;
  for (int kind = 0;; kind++)
    {
      JxModelConfig cfg;
      JxError err = { 0 };
      jx_model_config_default (&cfg);
      cfg.branch = (JxBranchKind) kind;
      if (jx_model_config_check (&cfg, &err) != 0)
        break;
      test_roundtrip ((JxBranchKind) kind, false);
      test_roundtrip ((JxBranchKind) kind, true);
      kinds++;
    }
  JX_CHECK (kinds >= 2);
  test_weights_layout ();
  test_added_fields ();
  test_refusals ();
  test_nested_weights ();
  test_atomic ();
  cleanup ();
  JX_TEST_MAIN_END ("model-io");
}
