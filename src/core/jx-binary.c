/* jx-binary.c — see jx-binary.h. */
#include "jx-binary.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-eval.h"
#include "jx-h5.h"
#include "jx-optim.h"
#include "jx-parallel.h"
#include "jx-rng.h"
#include "jx-roc.h"

#define REPORT_INTERVAL 0.25   /* seconds between progress messages */
#define SPLIT_STREAM 0x6273ULL
#define SHUFFLE_STREAM 0x62650000ULL

void
jx_binary_options_default (JxBinaryOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->epochs = 5;
  opt->learning_rate = 1e-4;
  opt->batch_size = 100;
  opt->val_fraction = 0.2;
  opt->seed = 1;
  opt->keep_best = true;
}

/* ln(1 + e^x) without overflow. */
static double
softplus (double x)
{
  return x > 0 ? x + log1p (exp (-x)) : log1p (exp (x));
}

double
jx_binary_bce (const double *delta, const int *y, size_t n, double *dloss)
{
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    {
      /* −ln σ(Δ) = softplus(−Δ), −ln(1 − σ(Δ)) = softplus(Δ). */
      sum += y[i] ? softplus (-delta[i]) : softplus (delta[i]);
      if (dloss != NULL)
        dloss[i] = 1.0 / (1.0 + exp (-delta[i])) - (y[i] ? 1.0 : 0.0);
    }
  return n > 0 ? sum / (double) n : NAN;
}

/* ---- state ------------------------------------------------------------------------------ */

typedef struct {
  int cls;      /* 0 signal, 1 background */
  size_t jet;   /* index in that class's dataset */
} Item;

typedef struct {
  JxModel *model[2];             /* [0] signal model S, [1] background model B */
  JxTreeSet set[2][2];           /* [model][class]: each model clusters its own way */
  JxOptim optim[2];
  int threads;
  JxModelWork **works[2];        /* [model][thread] */
  float **grads[2];              /* [model][thread] */
  int *codes;
  JxError *errors;
  Item *train, *val;
  size_t n_train, n_val;
  const JxTree **batch[2];       /* [model][batch_size] */
  double *delta, *weight[2], *lp[2];   /* [max(batch, n_val)] */
  int *y;
  float *best[2];                /* parameters of the best epoch so far */
  JxProgress *progress;
  double last_report;
} Binary;

static void
binary_free (Binary *b)
{
  for (int m = 0; m < 2; m++)
    {
      for (int c = 0; c < 2; c++)
        jx_tree_set_free (&b->set[m][c]);
      jx_optim_free (&b->optim[m]);
      for (int k = 0; k < b->threads; k++)
        {
          if (b->works[m] != NULL)
            jx_model_work_free (b->works[m][k]);
          if (b->grads[m] != NULL)
            free (b->grads[m][k]);
        }
      free (b->works[m]);
      free (b->grads[m]);
      free (b->batch[m]);
      free (b->weight[m]);
      free (b->lp[m]);
      free (b->best[m]);
    }
  free (b->codes);
  free (b->errors);
  free (b->train);
  free (b->val);
  free (b->delta);
  free (b->y);
}

static int
binary_alloc (Binary *b, size_t max_rows)
{
  int T = b->threads;
  b->codes = calloc ((size_t) T, sizeof *b->codes);
  b->errors = calloc ((size_t) T, sizeof *b->errors);
  b->delta = malloc (max_rows * sizeof *b->delta);
  b->y = malloc (max_rows * sizeof *b->y);
  bool ok = b->codes != NULL && b->errors != NULL && b->delta != NULL && b->y != NULL;
  for (int m = 0; m < 2 && ok; m++)
    {
      size_t n = jx_model_n_params (b->model[m]);
      b->works[m] = calloc ((size_t) T, sizeof *b->works[m]);
      b->grads[m] = calloc ((size_t) T, sizeof *b->grads[m]);
      b->batch[m] = malloc (max_rows * sizeof *b->batch[m]);
      b->weight[m] = malloc (max_rows * sizeof *b->weight[m]);
      b->lp[m] = malloc (max_rows * sizeof *b->lp[m]);
      b->best[m] = malloc (n * sizeof *b->best[m]);
      ok = b->works[m] != NULL && b->grads[m] != NULL && b->batch[m] != NULL
           && b->weight[m] != NULL && b->lp[m] != NULL && b->best[m] != NULL;
      for (int k = 0; k < T && ok; k++)
        {
          b->works[m][k] = jx_model_work_new (b->model[m]);
          b->grads[m][k] = malloc (n * sizeof *b->grads[m][k]);
          ok = b->works[m][k] != NULL && b->grads[m][k] != NULL;
        }
    }
  return ok ? 0 : JX_ERR_NOMEM;
}

/* ---- data ------------------------------------------------------------------------------- */

static void
shuffle_items (Item *a, size_t n, JxRng *rng)
{
  for (size_t i = n; i > 1; i--)
    {
      size_t j = (size_t) (jx_rng_uniform (rng) * (double) i);
      j = j < i ? j : i - 1;
      Item t = a[i - 1];
      a[i - 1] = a[j];
      a[j] = t;
    }
}

/* Jets usable under both models, shuffled per class by the seed, val_fraction of each class
 * held out. */
static int
split (Binary *b, const JxBinaryOptions *opt, JxBinaryStats *st, JxError *err)
{
  size_t n_all = b->set[0][0].n_jets + b->set[0][1].n_jets;
  b->train = malloc ((n_all + 1) * sizeof *b->train);
  b->val = malloc ((n_all + 1) * sizeof *b->val);
  Item *cls = malloc ((n_all + 1) * sizeof *cls);
  if (b->train == NULL || b->val == NULL || cls == NULL)
    {
      free (cls);
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory splitting the jets");
    }
  JxRng rng;
  jx_rng_seed (&rng, opt->seed, SPLIT_STREAM);
  for (int c = 0; c < 2; c++)
    {
      size_t n = 0;
      for (size_t i = 0; i < b->set[0][c].n_jets; i++)
        if (b->set[0][c].trees[i].n > 0 && b->set[1][c].trees[i].n > 0)
          cls[n++] = (Item) { c, i };
      st->n_skipped[c] = b->set[0][c].n_jets - n;
      shuffle_items (cls, n, &rng);
      size_t nv = (size_t) llround (opt->val_fraction * (double) n);
      if (n - nv == 0 || nv == 0)
        {
          free (cls);
          return jx_error_set (err, JX_ERR_INVALID, "the %s sample has %zu usable jets: too few "
                               "for a training and a validation part (val fraction %g)",
                               c == 0 ? "signal" : "background", n, opt->val_fraction);
        }
      memcpy (b->val + b->n_val, cls, nv * sizeof *cls);
      memcpy (b->train + b->n_train, cls + nv, (n - nv) * sizeof *cls);
      b->n_val += nv;
      b->n_train += n - nv;
      st->n_val[c] = nv;
      st->n_train[c] = n - nv;
    }
  free (cls);
  return 0;
}

/* ---- one batch -------------------------------------------------------------------------- */

typedef struct {
  Binary *b;
  size_t n;
  bool grad;   /* false: ln P of both models into lp; true: weighted gradients */
} BatchJob;

static void
batch_worker (void *user, int k, int n_threads)
{
  BatchJob *job = user;
  Binary *b = job->b;
  size_t lo = job->n * (size_t) k / (size_t) n_threads;
  size_t hi = job->n * (size_t) (k + 1) / (size_t) n_threads;
  b->codes[k] = 0;
  for (int m = 0; m < 2 && b->codes[k] == 0; m++)
    {
      if (!job->grad)
        b->codes[k] = jx_model_log_prob_many (b->model[m], b->batch[m] + lo, hi - lo,
                                              b->lp[m] + lo, b->works[m][k], &b->errors[k]);
      else
        {
          memset (b->grads[m][k], 0, jx_model_n_params (b->model[m]) * sizeof (float));
          b->codes[k] = jx_model_loss_grad_weighted (b->model[m], b->batch[m] + lo, hi - lo,
                                                     b->weight[m] + lo, NULL, b->grads[m][k],
                                                     b->works[m][k], &b->errors[k]);
        }
    }
}

static int
run_pass (Binary *b, size_t n, bool grad, JxError *err)
{
  int threads = b->threads < (int) n ? b->threads : (int) n;
  BatchJob job = { b, n, grad };
  jx_parallel_run (threads, batch_worker, &job);
  for (int k = 0; k < threads; k++)
    if (b->codes[k] != 0)
      {
        if (err != NULL)
          *err = b->errors[k];
        return b->codes[k];
      }
  /* Thread 0 holds the sum: add the others in thread order. */
  for (int m = 0; grad && m < 2; m++)
    {
      size_t np = jx_model_n_params (b->model[m]);
      for (int k = 1; k < threads; k++)
        for (size_t i = 0; i < np; i++)
          b->grads[m][0][i] += b->grads[m][k][i];
    }
  return 0;
}

static void
gather (Binary *b, const Item *items, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      for (int m = 0; m < 2; m++)
        b->batch[m][i] = &b->set[m][items[i].cls].trees[items[i].jet];
      b->y[i] = items[i].cls == 0;
    }
}

static bool
finite_floats (const float *x, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!isfinite (x[i]))
      return false;
  return true;
}

/* Forward both models for Δ, the BCE weights, weighted backward passes, Adam on both. A
 * non-finite loss or gradient skips the update (*skipped). */
static int
train_batch (Binary *b, const Item *items, size_t n, double lr, double *loss, bool *skipped,
             JxError *err)
{
  gather (b, items, n);
  int rc = run_pass (b, n, false, err);
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < n; i++)
    b->delta[i] = b->lp[0][i] - b->lp[1][i];
  double *dloss = b->weight[1];
  *loss = jx_binary_bce (b->delta, b->y, n, dloss);
  /* ∂BCE_mean/∂θ_S = Σ (σ − y)/n · ∂ln P_S/∂θ_S = Σ w_S · ∂(−ln P_S)/∂θ_S with w_S = (y − σ)/n;
   * θ_B enters Δ with the opposite sign. */
  for (size_t i = 0; i < n; i++)
    {
      dloss[i] /= (double) n;
      b->weight[0][i] = -dloss[i];
    }
  *skipped = !isfinite (*loss);
  if (*skipped)
    return 0;
  if ((rc = run_pass (b, n, true, err)) != 0)
    return rc;
  for (int m = 0; m < 2; m++)
    if (!finite_floats (b->grads[m][0], jx_model_n_params (b->model[m])))
      *skipped = true;
  for (int m = 0; m < 2 && !*skipped; m++)
    jx_optim_step (&b->optim[m], jx_model_params (b->model[m]), b->grads[m][0], lr);
  return 0;
}

/* ---- validation ------------------------------------------------------------------------- */

static int
validate (Binary *b, double *loss, double *auc, JxError *err)
{
  /* Scored per (model, class) so each pass walks one tree set. */
  size_t *idx = malloc ((b->n_val + 1) * sizeof *idx);
  if (idx == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the validation pass");
  size_t n_sig = 0;
  int rc = 0;
  size_t row = 0;
  for (int c = 0; c < 2 && rc == 0; c++)
    {
      size_t n = 0;
      for (size_t i = 0; i < b->n_val; i++)
        if (b->val[i].cls == c)
          idx[n++] = b->val[i].jet;
      for (int m = 0; m < 2 && rc == 0; m++)
        {
          double sum;
          rc = jx_eval_sum_log_prob (b->model[m], &b->set[m][c], idx, n, b->threads, b->works[m],
                                     b->lp[m] + row, &sum, b->progress, err);
        }
      for (size_t i = 0; i < n; i++)
        b->y[row + i] = c == 0;
      row += n;
      if (c == 0)
        n_sig = n;
    }
  free (idx);
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < b->n_val; i++)
    b->delta[i] = b->lp[0][i] - b->lp[1][i];
  *loss = jx_binary_bce (b->delta, b->y, b->n_val, NULL);
  JxRoc roc;
  rc = jx_roc_compute (b->delta, n_sig, b->delta + n_sig, b->n_val - n_sig, &roc, err);
  *auc = rc == 0 ? roc.auc : NAN;
  jx_roc_free (&roc);
  return rc;
}

/* ---- checkpoints ------------------------------------------------------------------------ */

typedef struct {
  const JxOptim *optim[2];
} CkptCtx;

static int
write_optim (hid_t f, const char *name, const JxOptim *o, JxError *err)
{
  hid_t g = H5Gcreate2 (f, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return jx_error_set (err, JX_ERR_IO, "cannot create /%s", name);
  char t[32];
  snprintf (t, sizeof t, "%llu", (unsigned long long) o->t);
  hsize_t n = o->n;
  int rc = jx_h5_write_string_attr (g, "kind", jx_optim_kind_name (o->kind), err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (g, "t", t, err);
  if (rc == 0)
    rc = jx_h5_write_array (g, "m", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 1, &n, o->m, err);
  if (rc == 0)
    rc = jx_h5_write_array (g, "v", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 1, &n, o->v, err);
  H5Gclose (g);
  return rc;
}

static int
ckpt_hook (int64_t h5_file, void *user, JxError *err)
{
  CkptCtx *c = user;
  int rc = write_optim ((hid_t) h5_file, "optimizer_s", c->optim[0], err);
  if (rc == 0)
    rc = write_optim ((hid_t) h5_file, "optimizer_b", c->optim[1], err);
  return rc;
}

/* ---- the loop --------------------------------------------------------------------------- */

static void
report (Binary *b, double done, double total, bool force, const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));

static void
report (Binary *b, double done, double total, bool force, const char *fmt, ...)
{
  double now = jx_parallel_now ();
  if (b->progress == NULL || (!force && now - b->last_report < REPORT_INTERVAL))
    return;
  b->last_report = now;
  char msg[256];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  jx_progress_report (b->progress, done, total, msg);
}

static void
keep (Binary *b)
{
  for (int m = 0; m < 2; m++)
    memcpy (b->best[m], jx_model_params (b->model[m]),
            jx_model_n_params (b->model[m]) * sizeof (float));
}

static void
restore (Binary *b)
{
  for (int m = 0; m < 2; m++)
    memcpy (jx_model_params (b->model[m]), b->best[m],
            jx_model_n_params (b->model[m]) * sizeof (float));
}

static int
run_epochs (Binary *b, const JxBinaryOptions *opt, const JxModelMeta *meta[2], JxPairInfo *info,
            JxBinaryStats *st, JxError *err)
{
  int rc = validate (b, &info->initial_val_loss, &info->initial_val_auc, err);
  if (rc != 0)
    return rc;
  double best_auc = info->initial_val_auc;
  keep (b);
  size_t bs = (size_t) opt->batch_size;
  size_t nb = (b->n_train + bs - 1) / bs;
  for (int e = 0; e < opt->epochs; e++)
    {
      double t0 = jx_parallel_now ();
      JxRng rng;
      jx_rng_seed (&rng, opt->seed, SHUFFLE_STREAM + (uint64_t) e);
      shuffle_items (b->train, b->n_train, &rng);
      double loss_sum = 0;
      size_t n_used = 0;
      for (size_t k = 0; k < nb; k++)
        {
          if (jx_progress_cancelled (b->progress))
            return jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
          size_t n = b->n_train - k * bs < bs ? b->n_train - k * bs : bs;
          double loss;
          bool skipped;
          if ((rc = train_batch (b, b->train + k * bs, n, opt->learning_rate, &loss, &skipped,
                                 err)) != 0)
            return rc;
          if (skipped)
            st->n_bad_batches++;
          else
            {
              loss_sum += loss * (double) n;
              n_used += n;
            }
          report (b, (double) (e * nb + k + 1), (double) (opt->epochs * nb), false,
                  "binary: epoch %d/%d, batch %zu/%zu, loss %.4g", e + 1, opt->epochs, k + 1, nb,
                  loss);
        }
      JxBinaryEpoch rec = { .epoch = e + 1,
                            .train_loss = n_used > 0 ? loss_sum / (double) n_used : NAN };
      if ((rc = validate (b, &rec.val_loss, &rec.val_auc, err)) != 0)
        return rc;
      rec.seconds = jx_parallel_now () - t0;
      if ((rc = jx_pair_info_add_epoch (info, &rec, err)) != 0)
        return rc;
      report (b, (double) ((e + 1) * nb), (double) (opt->epochs * nb), true,
              "binary: epoch %d/%d done: train loss %.4f, validation loss %.4f, AUC %.4f", e + 1,
              opt->epochs, rec.train_loss, rec.val_loss, rec.val_auc);
      /* By AUC, not by the loss: the loss also rewards calibrating σ(Δ) to the samples' mix,
       * which the likelihood ratio's ranking of jets does not need. */
      if (rec.val_auc > best_auc)
        {
          best_auc = rec.val_auc;
          st->best_epoch = e + 1;
          keep (b);
        }
      if (opt->checkpoint != NULL)
        {
          CkptCtx c = { { &b->optim[0], &b->optim[1] } };
          rc = jx_model_pair_save (opt->checkpoint, b->model[0], meta[0], b->model[1], meta[1],
                                   info, ckpt_hook, &c, err);
          if (rc != 0)
            return jx_error_prefix (err, "checkpoint: ");
        }
    }
  if (opt->keep_best)
    restore (b);
  else
    st->best_epoch = opt->epochs;
  return 0;
}

int
jx_binary_train (JxModel *sig, const JxModelMeta *sig_meta, JxModel *bkg,
                 const JxModelMeta *bkg_meta, const JxDataset *sig_data,
                 const JxDataset *bkg_data, const JxBinaryOptions *opt, JxPairInfo *info,
                 JxBinaryStats *stats, JxProgress *progress, JxError *err)
{
  JxBinaryStats own;
  JxBinaryStats *st = stats != NULL ? stats : &own;
  memset (st, 0, sizeof *st);
  if (opt->epochs < 1 || opt->batch_size < 1 || !(opt->learning_rate > 0)
      || !(opt->val_fraction > 0 && opt->val_fraction < 1))
    return jx_error_set (err, JX_ERR_INVALID, "JUNIPR-binary options out of range: epochs %d, "
                         "batch %d, learning rate %g, validation fraction %g (need ≥ 1, ≥ 1, > 0, "
                         "in (0, 1))", opt->epochs, opt->batch_size, opt->learning_rate,
                         opt->val_fraction);
  double t0 = jx_parallel_now ();
  Binary b = { .model = { sig, bkg }, .threads = jx_parallel_threads (opt->threads),
               .progress = progress };
  const JxModelMeta *meta[2] = { sig_meta, bkg_meta };
  const JxDataset *data[2] = { sig_data, bkg_data };
  int rc = 0;
  for (int m = 0; m < 2 && rc == 0; m++)
    for (int c = 0; c < 2 && rc == 0; c++)
      {
        rc = jx_tree_set_build (&b.set[m][c], data[c], &meta[m]->clustering,
                                jx_model_config (b.model[m])->max_mult, opt->skip_bad,
                                opt->skip_long, b.threads, progress, err);
        if (rc != 0)
          jx_error_prefix (err, "%s jets under the %s model: ", c == 0 ? "signal" : "background",
                           m == 0 ? "signal" : "background");
      }
  for (int m = 0; m < 2 && rc == 0; m++)
    rc = jx_optim_init (&b.optim[m], JX_OPTIM_ADAM, jx_model_n_params (b.model[m]), err);
  if (rc == 0)
    rc = split (&b, opt, st, err);
  if (rc == 0)
    {
      size_t rows = b.n_val > (size_t) opt->batch_size ? b.n_val : (size_t) opt->batch_size;
      if (binary_alloc (&b, rows) != 0)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory for JUNIPR-binary training");
    }
  if (rc == 0)
    {
      int blas = jx_blas_single_begin ();
      rc = run_epochs (&b, opt, meta, info, st, err);
      jx_blas_single_end (blas);
    }
  st->seconds = jx_parallel_now () - t0;
  binary_free (&b);
  return rc;
}
