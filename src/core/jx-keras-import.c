/* jx-keras-import.c — see jx-keras-import.h.
 *
 * Reading order: the model_config JSON first (which layers exist, their classes and
 * activations: the network must be the authors', or the numbers would mean something else),
 * then the weight shapes (sizes come from the file), then the weights into a model built
 * with those sizes. Every failure is one message naming the file and the layer or dataset.
 */
#include "jx-keras-import.h"

#include <json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-h5.h"

/* Keras layer names of the authors' network and ours; k is the branch head (z, θ, δ, φ). */
static const char *const branch_keras[4] = { "z", "t", "d", "p" };
static const char *const branch_ours[4] = { "z", "theta", "delta", "phi" };

typedef struct {
  const char *path;
  hid_t file;
  json_object *layers;   /* the model_config's config.layers array */
  JxError *err;
} Ctx;

/* JX_ERR_FORMAT with "path: " and the formatted text. */
static int __attribute__ ((format (printf, 2, 3)))
fail (Ctx *c, const char *fmt, ...)
{
  char what[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (what, sizeof what, fmt, ap);
  va_end (ap);
  return jx_error_set (c->err, JX_ERR_FORMAT, "%s: %s", c->path, what);
}

/* ---------------------------------------------------------------------------------------
 * model_config */

static json_object *
find_layer (const Ctx *c, const char *name)
{
  size_t n = json_object_array_length (c->layers);
  for (size_t i = 0; i < n; i++)
    {
      json_object *l = json_object_array_get_idx (c->layers, i), *v;
      if (json_object_object_get_ex (l, "name", &v) && json_object_is_type (v, json_type_string)
          && strcmp (json_object_get_string (v), name) == 0)
        return l;
    }
  return NULL;
}

static const char *
string_field (json_object *obj, const char *key)
{
  json_object *v;
  if (obj == NULL || !json_object_object_get_ex (obj, key, &v)
      || !json_object_is_type (v, json_type_string))
    return NULL;
  return json_object_get_string (v);
}

static json_object *
layer_config (json_object *layer)
{
  json_object *v;
  return json_object_object_get_ex (layer, "config", &v) ? v : NULL;
}

/* A config field that must hold `want` (a string). */
static int
expect_string (Ctx *c, const char *layer, json_object *cfg, const char *key, const char *want)
{
  const char *got = string_field (cfg, key);
  if (got != NULL && strcmp (got, want) == 0)
    return 0;
  char what[160];
  snprintf (what, sizeof what, "%s '%s' (the authors' network has %s)", key,
            got != NULL ? got : "missing", want);
  return fail (c, "Keras layer '%s' has %s; this is not the JUNIPR network junipr can import",
               layer, what);
}

/* use_bias must not be false (absent means Keras' default, true). */
static int
expect_bias (Ctx *c, const char *layer, json_object *cfg)
{
  json_object *v;
  if (json_object_object_get_ex (cfg, "use_bias", &v) && !json_object_get_boolean (v))
    return fail (c, "Keras layer '%s' has use_bias false; the authors' layers all have biases",
                 layer);
  return 0;
}

static int
check_dense (Ctx *c, const char *name, const char *activation)
{
  json_object *l = find_layer (c, name);
  if (l == NULL)
    return fail (c, "Keras layer '%s' is missing: not a JUNIPR model of the authors' code "
                 "(it needs h_init, RNN, the end, mother and branch_{z,t,d,p} layers)", name);
  const char *cls = string_field (l, "class_name");
  if (cls == NULL || strcmp (cls, "Dense") != 0)
    return fail (c, "Keras layer '%s' is a %s, expected a Dense layer", name,
                 cls != NULL ? cls : "layer without class_name");
  json_object *cfg = layer_config (l);
  int rc = expect_string (c, name, cfg, "activation", activation);
  return rc != 0 ? rc : expect_bias (c, name, cfg);
}

/* The recurrent layer "RNN": its cell and the activations of the cell. */
static int
check_recurrent (Ctx *c, JxRecurrentKind *kind)
{
  json_object *l = find_layer (c, "RNN");
  if (l == NULL)
    return fail (c, "Keras layer 'RNN' is missing: not a JUNIPR model of the authors' code");
  const char *cls = string_field (l, "class_name");
  if (cls == NULL)
    cls = "layer without class_name";
  if (strcmp (cls, "SimpleRNN") == 0)
    *kind = JX_RECURRENT_RNN;
  else if (strcmp (cls, "LSTM") == 0)
    *kind = JX_RECURRENT_LSTM;
  else if (strcmp (cls, "GRU") == 0)
    *kind = JX_RECURRENT_GRU;
  else
    return fail (c, "the recurrent layer 'RNN' is a %s; junipr imports SimpleRNN, LSTM and "
                 "GRU cells", cls);
  json_object *cfg = layer_config (l);
  int rc = expect_string (c, "RNN", cfg, "activation", "tanh");
  if (rc == 0 && *kind != JX_RECURRENT_RNN)
    rc = expect_string (c, "RNN", cfg, "recurrent_activation", "sigmoid");
  if (rc == 0)
    rc = expect_bias (c, "RNN", cfg);
  json_object *v;
  if (rc == 0 && *kind == JX_RECURRENT_GRU
      && !(json_object_object_get_ex (cfg, "reset_after", &v) && json_object_get_boolean (v)))
    rc = fail (c, "the GRU layer 'RNN' has reset_after false (the TensorFlow 1 layout); junipr "
               "imports TensorFlow 2's GRU (reset_after true, bias of shape (2, 3H))");
  return rc;
}

static int
check_config (Ctx *c, JxRecurrentKind *kind)
{
  int rc = check_recurrent (c, kind);
  if (rc == 0)
    rc = check_dense (c, "h_init", "tanh");
  if (rc == 0 && *kind == JX_RECURRENT_LSTM)
    rc = check_dense (c, "c_init", "tanh");
  if (rc == 0)
    rc = check_dense (c, "end_hidden_layer", "relu");
  if (rc == 0)
    rc = check_dense (c, "endings", "sigmoid");
  if (rc == 0)
    rc = check_dense (c, "mother_hidden_layer", "relu");
  if (rc == 0)
    rc = check_dense (c, "mother_unweighted_output", "softmax");
  for (int k = 0; k < 4 && rc == 0; k++)
    {
      char name[64];
      snprintf (name, sizeof name, "branch_%s_hidden_layer", branch_keras[k]);
      rc = check_dense (c, name, "relu");
      snprintf (name, sizeof name, "sparse_branchings_%s", branch_keras[k]);
      if (rc == 0)
        rc = check_dense (c, name, "softmax");
    }
  return rc;
}

/* Parses the root attribute model_config into c->layers; *root owns it (json_object_put). */
static int
read_config (Ctx *c, json_object **root, char **name)
{
  if (!jx_h5_has_attr (c->file, "model_config"))
    return fail (c, "no 'model_config' attribute: not a Keras model saved with model.save "
                 "(a file of save_weights only does not say which network it holds)");
  char *text = NULL;
  JxError e = { 0 };
  if (jx_h5_read_string_attr (c->file, "model_config", &text, &e) != 0)
    return fail (c, "unreadable 'model_config' attribute (%s)", e.message);
  enum json_tokener_error jerr = json_tokener_success;
  *root = json_tokener_parse_verbose (text, &jerr);
  free (text);
  if (*root == NULL)
    return fail (c, "'model_config' is not valid JSON (%s)", json_tokener_error_desc (jerr));
  json_object *cfg = layer_config (*root), *layers;
  if (cfg == NULL || !json_object_object_get_ex (cfg, "layers", &layers)
      || !json_object_is_type (layers, json_type_array))
    return fail (c, "'model_config' has no config.layers list: not a Keras functional model");
  c->layers = layers;
  const char *n = string_field (cfg, "name");
  *name = strdup (n != NULL ? n : "?");
  return *name != NULL ? 0 : jx_error_set (c->err, JX_ERR_NOMEM, "out of memory");
}

/* ---------------------------------------------------------------------------------------
 * weights */

/* HDF5 path of a layer's weight ("kernel:0", "recurrent_kernel:0", "bias:0"): the documented
 * /model_weights/<layer>/<layer>/<what>, else the entry of the group's weight_names that ends
 * in /<what> (other Keras versions nest cells, e.g. RNN/lstm_cell/kernel:0). */
static bool
weight_path (const Ctx *c, const char *layer, const char *what, char *out, size_t cap)
{
  snprintf (out, cap, "model_weights/%s/%s/%s", layer, layer, what);
  if (jx_h5_exists (c->file, out))
    return true;
  char group[256];
  snprintf (group, sizeof group, "model_weights/%s", layer);
  if (!jx_h5_exists (c->file, group))
    return false;
  hid_t g = H5Gopen2 (c->file, group, H5P_DEFAULT);
  hid_t a = g >= 0 && H5Aexists (g, "weight_names") > 0 ? H5Aopen (g, "weight_names", H5P_DEFAULT)
                                                        : -1;
  hid_t type = a >= 0 ? H5Aget_type (a) : -1, space = a >= 0 ? H5Aget_space (a) : -1;
  hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints (space) : 0;
  bool found = false;
  if (type >= 0 && n > 0 && n < 64 && H5Tget_class (type) == H5T_STRING)
    {
      size_t suffix = strlen (what) + 1;
      char **names = calloc ((size_t) n, sizeof *names);
      size_t size = H5Tget_size (type);
      char *fixed = H5Tis_variable_str (type) > 0 ? NULL : calloc ((size_t) n, size + 1);
      hid_t mem = H5Tcopy (H5T_C_S1);
      if (H5Tis_variable_str (type) > 0)
        H5Tset_size (mem, H5T_VARIABLE);
      else
        H5Tset_size (mem, size);
      if (names != NULL && (fixed != NULL || H5Tis_variable_str (type) > 0)
          && H5Aread (a, mem, fixed != NULL ? (void *) fixed : (void *) names) >= 0)
        for (hssize_t i = 0; i < n && !found; i++)
          {
            char entry[256];
            if (fixed != NULL)
              snprintf (entry, sizeof entry, "%.*s", (int) size, fixed + (size_t) i * size);
            else
              snprintf (entry, sizeof entry, "%s", names[i] != NULL ? names[i] : "");
            size_t len = strlen (entry);
            if (len >= suffix && entry[len - suffix] == '/'
                && strcmp (entry + len - suffix + 1, what) == 0)
              {
                snprintf (out, cap, "model_weights/%s/%s", layer, entry);
                found = jx_h5_exists (c->file, out);
              }
          }
      if (fixed == NULL && names != NULL)
        H5Dvlen_reclaim (mem, space, H5P_DEFAULT, names);
      H5Tclose (mem);
      free (names);
      free (fixed);
    }
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  if (a >= 0)
    H5Aclose (a);
  if (g >= 0)
    H5Gclose (g);
  return found;
}

/* Shape of a layer's weight: rank and dims (≤ 2); JX_ERR_FORMAT when missing or not floats. */
static int
weight_shape (Ctx *c, const char *layer, const char *what, int *rank, hsize_t dims[2])
{
  char p[512];
  if (!weight_path (c, layer, what, p, sizeof p))
    return fail (c, "Keras layer '%s' has no weight '%s' under /model_weights", layer, what);
  hid_t d = H5Dopen2 (c->file, p, H5P_DEFAULT);
  H5T_class_t cls = H5T_NO_CLASS;
  JxError e = { 0 };
  int rc = d < 0 ? -1 : jx_h5_shape (d, 2, rank, dims, &cls, &e);
  if (d >= 0)
    H5Dclose (d);
  if (rc != 0 || cls != H5T_FLOAT)
    return fail (c, "/%s is not an array of floats of rank 1 or 2", p);
  return 0;
}

/* The weight must be rows × cols (rows 0: a vector of cols); its values go to dst. */
static int
read_weight (Ctx *c, const char *layer, const char *what, size_t rows, size_t cols, float *dst)
{
  int rank = 0;
  hsize_t dims[2] = { 0, 0 };
  int rc = weight_shape (c, layer, what, &rank, dims);
  if (rc != 0)
    return rc;
  char p[512];
  weight_path (c, layer, what, p, sizeof p);
  bool ok = rows == 0 ? rank == 1 && dims[0] == cols
                      : rank == 2 && dims[0] == rows && dims[1] == cols;
  if (!ok)
    {
      char got[64], want[64];
      if (rank == 1)
        snprintf (got, sizeof got, "(%llu)", (unsigned long long) dims[0]);
      else
        snprintf (got, sizeof got, "(%llu, %llu)", (unsigned long long) dims[0],
                  (unsigned long long) dims[1]);
      if (rows == 0)
        snprintf (want, sizeof want, "(%zu)", cols);
      else
        snprintf (want, sizeof want, "(%zu, %zu)", rows, cols);
      char msg[200];
      snprintf (msg, sizeof msg, "has shape %s where the network needs %s", got, want);
      return fail (c, "/%s %s (the sizes must agree with h_init's hidden size and the other "
                   "layers)", p, msg);
    }
  JxError e = { 0 };
  if (jx_h5_read_array (c->file, p, H5T_NATIVE_FLOAT, dst, rows == 0 ? cols : rows * cols,
                        &e) != 0)
    return fail (c, "cannot read /%s (%s)", p, e.message);
  /* A NaN or infinite weight (or a double beyond float's range) makes every ln P NaN. */
  size_t n = rows == 0 ? cols : rows * cols;
  for (size_t i = 0; i < n; i++)
    if (!isfinite (dst[i]))
      return fail (c, "/%s holds a non-finite weight (%g at index %zu): the file is damaged",
                   p, (double) dst[i], i);
  return 0;
}

/* Output width of a Dense layer (its kernel's second dimension), or −1 after an error. */
static long
dense_width (Ctx *c, const char *layer, size_t inputs)
{
  int rank = 0;
  hsize_t dims[2] = { 0, 0 };
  if (weight_shape (c, layer, "kernel:0", &rank, dims) != 0)
    return -1;
  if (rank != 2 || dims[0] != inputs || dims[1] < 1 || dims[1] > 100000)
    {
      char msg[160];
      snprintf (msg, sizeof msg, "a kernel of shape (%llu, %llu); expected (%zu, width)",
                (unsigned long long) dims[0],
                (unsigned long long) (rank == 2 ? dims[1] : 0), inputs);
      fail (c, "Keras layer '%s' has %s", layer, msg);
      return -1;
    }
  return (long) dims[1];
}

/* Sizes of the network from the kernels' shapes into cfg (factorized, padded). */
static int
read_sizes (Ctx *c, JxRecurrentKind kind, JxModelConfig *cfg)
{
  long H = dense_width (c, "h_init", 4);
  if (H < 0)
    return JX_ERR_FORMAT;
  long de = dense_width (c, "end_hidden_layer", (size_t) H);
  long dm = de < 0 ? -1 : dense_width (c, "mother_hidden_layer", (size_t) H);
  long M = dm < 0 ? -1 : dense_width (c, "mother_unweighted_output", (size_t) dm);
  if (M < 0)
    return JX_ERR_FORMAT;
  long db = -1, classes = -1;
  for (int k = 0; k < 4; k++)
    {
      char hid[64], out[64];
      snprintf (hid, sizeof hid, "branch_%s_hidden_layer", branch_keras[k]);
      snprintf (out, sizeof out, "sparse_branchings_%s", branch_keras[k]);
      long w = dense_width (c, hid, (size_t) (H + 4 + k));
      long o = w < 0 ? -1 : dense_width (c, out, (size_t) w);
      if (o < 0)
        return JX_ERR_FORMAT;
      if ((db >= 0 && w != db) || (classes >= 0 && o != classes))
        return fail (c, "the branch heads differ in size (layer '%s' vs the z head): junipr "
                     "holds one width and one number of classes for all four", hid);
      db = w;
      classes = o;
    }
  if (classes < 2 || classes - 1 > 64)
    return fail (c, "the branch heads have %s classes; expected G + 1 (G bins and the padding "
                 "class) with 1 <= G <= 64", classes < 2 ? "fewer than 2" : "too many");
  jx_model_config_default (cfg);
  cfg->branch = JX_BRANCH_FACTORIZED;
  cfg->recurrent = kind;
  cfg->hidden = (int) H;
  cfg->dense = (int) db;
  cfg->dense_end = (int) de;
  cfg->dense_mother = (int) dm;
  cfg->grid = (int) classes - 1;
  cfg->branch_padding = 1;
  cfg->max_mult = (int) M;
  return 0;
}

/* Every Keras weight into the tensor of the same role. */
static int
read_weights (Ctx *c, JxModel *m)
{
  const JxModelConfig *cfg = jx_model_config (m);
  static const struct {
    const char *keras, *ours;
  } dense[] = {
    { "h_init", "init" },
    { "c_init", "c_init" },
    { "end_hidden_layer", "end_hidden" },
    { "endings", "end_out" },
    { "mother_hidden_layer", "mother_hidden" },
    { "mother_unweighted_output", "mother_out" },
  };
  float *P = jx_model_params (m);
  int rc = 0;
  for (size_t i = 0; i < sizeof dense / sizeof dense[0] && rc == 0; i++)
    {
      if (strcmp (dense[i].ours, "c_init") == 0 && cfg->recurrent != JX_RECURRENT_LSTM)
        continue;
      char name[64];
      snprintf (name, sizeof name, "%s/kernel", dense[i].ours);
      const JxTensorInfo *k = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, name));
      snprintf (name, sizeof name, "%s/bias", dense[i].ours);
      const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, name));
      rc = read_weight (c, dense[i].keras, "kernel:0", k->rows, k->cols, P + k->offset);
      if (rc == 0)
        rc = read_weight (c, dense[i].keras, "bias:0", 0, b->cols, P + b->offset);
    }
  for (int h = 0; h < 4 && rc == 0; h++)
    for (int part = 0; part < 2 && rc == 0; part++)
      {
        char keras[64], name[64];
        if (part == 0)
          snprintf (keras, sizeof keras, "branch_%s_hidden_layer", branch_keras[h]);
        else
          snprintf (keras, sizeof keras, "sparse_branchings_%s", branch_keras[h]);
        snprintf (name, sizeof name, "branch_%s_%s/kernel", branch_ours[h],
                  part == 0 ? "hidden" : "out");
        const JxTensorInfo *k = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, name));
        snprintf (name, sizeof name, "branch_%s_%s/bias", branch_ours[h],
                  part == 0 ? "hidden" : "out");
        const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, name));
        rc = read_weight (c, keras, "kernel:0", k->rows, k->cols, P + k->offset);
        if (rc == 0)
          rc = read_weight (c, keras, "bias:0", 0, b->cols, P + b->offset);
      }
  if (rc != 0)
    return rc;
  const JxTensorInfo *w = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "rnn/kernel"));
  const JxTensorInfo *u =
    jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "rnn/recurrent_kernel"));
  const JxTensorInfo *b = jx_model_tensor (m, (size_t) jx_model_find_tensor (m, "rnn/bias"));
  rc = read_weight (c, "RNN", "kernel:0", w->rows, w->cols, P + w->offset);
  if (rc == 0)
    rc = read_weight (c, "RNN", "recurrent_kernel:0", u->rows, u->cols, P + u->offset);
  if (rc == 0)   /* a GRU's bias is (2, 3H): input and recurrent, like ours */
    rc = read_weight (c, "RNN", "bias:0", b->rows == 1 ? 0 : b->rows, b->cols, P + b->offset);
  return rc;
}

/* ---------------------------------------------------------------------------------------
 * the whole import */

static int
import_open (Ctx *c, const JxClusterOptions *clustering, JxModel **model, JxModelMeta *meta)
{
  json_object *root = NULL;
  char *name = NULL;
  JxRecurrentKind kind = JX_RECURRENT_RNN;
  JxModelConfig cfg;
  int rc = read_config (c, &root, &name);
  if (rc == 0)
    rc = check_config (c, &kind);
  if (rc == 0)
    rc = read_sizes (c, kind, &cfg);
  if (rc == 0)
    {
      JxError e = { 0 };
      if (jx_model_config_check (&cfg, &e) != 0)
        rc = fail (c, "the network's sizes are outside what junipr holds (%s)", e.message);
    }
  if (rc == 0)
    rc = jx_model_new (&cfg, 0, model, c->err);
  if (rc == 0)
    rc = read_weights (c, *model);
  if (rc == 0)
    {
      char *version = NULL;
      JxError e = { 0 };
      if (jx_h5_has_attr (c->file, "keras_version"))
        jx_h5_read_string_attr (c->file, "keras_version", &version, &e);
      static const char *const cell[] = { "SimpleRNN", "LSTM", "GRU" };
      meta->clustering = *clustering;
      snprintf (meta->imported_from, sizeof meta->imported_from, "%s", c->path);
      snprintf (meta->imported_detail, sizeof meta->imported_detail,
                "Keras %s model '%.60s': %s, hidden %d, heads %d/%d/%d, G = %d + 1 padding class",
                version != NULL ? version : "(version not recorded)", name, cell[kind], cfg.hidden,
                cfg.dense_end, cfg.dense_mother, cfg.dense, cfg.grid);
      free (version);
    }
  free (name);
  if (root != NULL)
    json_object_put (root);
  return rc;
}

int
jx_keras_import (const char *path, const JxClusterOptions *clustering, JxModel **model,
                 JxModelMeta *meta, JxError *err)
{
  *model = NULL;
  jx_model_meta_init (meta);
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t f = jx_h5_open_read (path, err);
  int rc = f < 0 ? (int) f : 0;
  if (rc == 0)
    {
      Ctx c = { .path = path, .file = f, .layers = NULL, .err = err };
      rc = import_open (&c, clustering, model, meta);
      H5Fclose (f);
    }
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    {
      jx_model_free (*model);
      *model = NULL;
    }
  return rc;
}
