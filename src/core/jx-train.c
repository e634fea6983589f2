/* jx-train.c — see jx-train.h. */
#include "jx-train.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jx-energy-head.h"
#include "jx-parallel.h"
#include "jx-train-private.h"

/* The trainer's state and buffers are shared with the streamed epochs (jx-train-stream.c). */
typedef JxTrainBuffers Buffers;
typedef JxTrainer Trainer;
#define STREAM_SPLIT JX_TRAIN_STREAM_SPLIT
#define STREAM_EPOCH JX_TRAIN_STREAM_EPOCH

/* Forward FLOPs per jx_model_loss_grad call (training costs ~3×, so ~50 ms at this
 * machine's sgemm rate): jets are grouped into calls up to this much work, so that the
 * model's GEMMs get as many rows as possible (the factorized model then takes a thread's
 * whole share of a batch in one call, the joint one ~18 jets) while cancels are still
 * checked often. The grouping depends only on the jets' sizes and the model: results are
 * reproducible. */
#define GRAD_CALL_FLOPS 1.5e9

#define REPORT_INTERVAL 0.2

/* The trees other ranks hold are fetched for a window of batches at once: up to this many RNN
 * steps per rank (~160 bytes of tree each, so ~170 MB), a few large messages per epoch
 * instead of one per step, with memory bounded whatever the dataset's size. */
#define WINDOW_STEPS_PER_RANK ((uint64_t) 1 << 20)

void
jx_train_options_default (JxTrainOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->optimizer = JX_OPTIM_SGD;
  opt->val_fraction = 0.1;
  opt->seed = 1;
}

/* ---- one batch on N threads --------------------------------------------------------- */

typedef struct {
  const JxModel *model;
  const JxTree **trees;   /* the batch */
  size_t n;
  float **grads;          /* per thread, n_params */
  size_t n_params;
  JxModelWork **works;
  double *losses;         /* per thread */
  int *codes;             /* per thread */
  JxError *errors;        /* per thread */
  JxProgress *progress;
} BatchJob;

static void
batch_worker (void *user, int k, int n_threads)
{
  BatchJob *job = user;
  size_t lo = job->n * (size_t) k / (size_t) n_threads;
  size_t hi = job->n * (size_t) (k + 1) / (size_t) n_threads;
  float *grad = job->grads[k];
  memset (grad, 0, job->n_params * sizeof *grad);
  job->losses[k] = 0;
  job->codes[k] = 0;
  double step_flops = jx_model_step_flops (job->model);
  for (size_t a = lo, m; a < hi; a += m)
    {
      if (jx_progress_cancelled (job->progress))
        {
          job->codes[k] = JX_ERR_CANCELLED;
          return;
        }
      double work = 0;
      for (m = 0; a + m < hi; m++)
        {
          work += (double) job->trees[a + m]->n * step_flops;
          if (m > 0 && work > GRAD_CALL_FLOPS)
            break;
        }
      double loss = 0;
      int rc = jx_model_loss_grad (job->model, job->trees + a, m, &loss, grad, job->works[k],
                                   &job->errors[k]);
      if (rc != 0)
        {
          job->codes[k] = rc;
          return;
        }
      job->losses[k] += loss;
    }
}

/* ---- the trainer ---------------------------------------------------------------------- */

void
jx_train_buffers_free (Buffers *b)
{
  for (int k = 0; k < b->threads; k++)
    {
      if (b->works != NULL)
        jx_model_work_free (b->works[k]);
      if (b->grads != NULL)
        free (b->grads[k]);
    }
  free (b->works);
  free (b->grads);
  free (b->backup);
  free (b->backup_m);
  free (b->backup_v);
  free (b->losses);
  free (b->codes);
  free (b->errors);
  free (b->train);
  free (b->val);
  free (b->perm);
  free (b->cut);
  free (b->dest);
  free (b->piece);
  free (b->scratch);
  free (b->val_terms);
  free (b->rank_bytes);
  free (b->tallies);
  memset (b, 0, sizeof *b);
}

int
jx_train_buffers_alloc (Buffers *b, const JxModel *model, int threads, size_t n_jets,
                        int ranks, bool adam, JxError *err)
{
  memset (b, 0, sizeof *b);
  b->threads = threads;
  b->n_params = jx_model_n_params (model);
  size_t np = b->n_params > 0 ? b->n_params : 1, nj = n_jets > 0 ? n_jets : 1;
  b->works = calloc ((size_t) threads, sizeof *b->works);
  b->grads = calloc ((size_t) threads, sizeof *b->grads);
  b->losses = calloc ((size_t) threads, sizeof *b->losses);
  b->codes = calloc ((size_t) threads, sizeof *b->codes);
  b->errors = calloc ((size_t) threads, sizeof *b->errors);
  b->backup = malloc (np * sizeof (float));
  if (adam)
    {
      b->backup_m = malloc (np * sizeof (float));
      b->backup_v = malloc (np * sizeof (float));
    }
  b->train = malloc (nj * sizeof (size_t));
  b->val = malloc (nj * sizeof (size_t));
  b->perm = malloc (nj * sizeof (size_t));
  b->cut = malloc (((size_t) ranks + 1) * sizeof *b->cut);
  b->dest = malloc (nj * sizeof *b->dest);
  b->piece = malloc (nj * sizeof *b->piece);
  bool many = ranks > 1;
  if (many)
    {
      b->scratch = malloc ((np + (size_t) ranks) * sizeof (float));   /* see jx_comm_sum_floats */
      b->val_terms = malloc (nj * sizeof (double));
      b->rank_bytes = malloc ((size_t) ranks * sizeof *b->rank_bytes);
      b->tallies = malloc ((size_t) ranks * sizeof *b->tallies);
    }
  bool ok = b->works && b->grads && b->losses && b->codes && b->errors && b->backup
            && (!adam || (b->backup_m && b->backup_v)) && b->train && b->val && b->perm
            && b->cut && b->dest && b->piece
            && (!many || (b->scratch && b->val_terms && b->rank_bytes
                          && b->tallies));
  for (int k = 0; ok && k < threads; k++)
    {
      b->works[k] = jx_model_work_new (model);
      b->grads[k] = malloc (np * sizeof (float));
      ok = b->works[k] != NULL && b->grads[k] != NULL;
    }
  if (!ok)
    {
      jx_train_buffers_free (b);
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory for training buffers "
                           "(%zu parameters × %d threads)", b->n_params, threads);
    }
  return 0;
}

void
jx_train_shuffle (size_t *a, size_t n, JxRng *rng)
{
  for (size_t i = n; i > 1; i--)
    {
      size_t j = (size_t) jx_rng_below (rng, (uint32_t) i);
      size_t t = a[i - 1];
      a[i - 1] = a[j];
      a[j] = t;
    }
}

static int
cmp_size (const void *a, const void *b)
{
  size_t x = *(const size_t *) a, y = *(const size_t *) b;
  return x < y ? -1 : x > y;
}

static void
log_append (char *log, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
log_append (char *log, const char *fmt, ...)
{
  size_t len = strlen (log);
  if (len + 1 >= JX_TRAIN_BAD_LOG)
    return;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (log + len, JX_TRAIN_BAD_LOG - len, fmt, ap);
  va_end (ap);
}

static void
format_eta (double s, char *buf, size_t cap)
{
  if (!isfinite (s) || s < 0 || s > 1e8)
    {
      snprintf (buf, cap, "?");
      return;
    }
  long t = lround (s);
  if (t < 60)
    snprintf (buf, cap, "%lds", t);
  else if (t < 3600)
    snprintf (buf, cap, "%ldm%02lds", t / 60, t % 60);
  else
    snprintf (buf, cap, "%ldh%02ldm", t / 3600, t / 60 % 60);
}

static bool
all_finite (const float *x, size_t n)
{
  /* x·0 is 0 for finite x and NaN for ±Inf or NaN, so the sum stays exactly 0 (it cannot
   * overflow) unless some entry is not finite: one branch-free, vectorizable pass. */
  float acc = 0;
  for (size_t i = 0; i < n; i++)
    acc += x[i] * 0.0f;
  return acc == 0.0f;
}

size_t
jx_train_n_batches (size_t n, int batch)
{
  return (n + (size_t) batch - 1) / (size_t) batch;
}

void
jx_train_count_batches (JxTrainer *tr, int total)
{
  for (int e = 0; e < total; e++)
    {
      size_t nb = jx_train_n_batches (tr->n_train, jx_schedule_stage_at (&tr->state.schedule, e,
                                                                           NULL)->batch_size);
      tr->batches_total += nb;
      if (e < tr->state.epochs_done)
        tr->batches_done += nb;
    }
}

/* With ranks, rank r scores the validation jets at positions [val_first, val_first + n) of the
 * sorted list, cut at multiples of JX_EVAL_CHUNK: its chunks are those one process scores, so
 * the terms and their sum in position order (on rank 0) are one process's to the bit. It gets
 * their trees once for the whole run; rank_bytes says how many terms every rank sends. */
static int
setup_validation (Trainer *tr, JxError *err)
{
  if (!jx_comm_parallel (tr->comm))
    return 0;
  Buffers *buf = &tr->buf;
  int size = tr->comm->size;
  size_t n_chunks = (tr->n_val + JX_EVAL_CHUNK - 1) / JX_EVAL_CHUNK;
  for (int r = 0; r < size; r++)
    {
      size_t first, count;
      jx_comm_share (n_chunks, size, r, &first, &count);
      size_t lo = first * JX_EVAL_CHUNK, hi = (first + count) * JX_EVAL_CHUNK;
      lo = lo < tr->n_val ? lo : tr->n_val;
      hi = hi < tr->n_val ? hi : tr->n_val;
      for (size_t i = lo; i < hi; i++)
        buf->dest[i] = r;
      buf->rank_bytes[r] = (hi - lo) * sizeof (double);
      if (r == tr->comm->rank)
        tr->val_first = lo;
    }
  return jx_tree_share_fetch (&tr->share, buf->val, buf->dest, tr->n_val, &tr->val_trees, err);
}

/* Mean −ln P_jet of the validation jets. */

/* The energy head's ε = σ(Ẑ)/(Ẑ·√S) (paper Eqs. 3.10–3.11), averaged over the branchings the
 * works scored since the last call (the validation pass): S doubles while it exceeds 2 %. The
 * points are nested (jx_energy_points), so the doubled set contains the old one. */
#define ENERGY_MAX_EPS 0.02

static bool
energy_adapt (Trainer *tr, char *msg, size_t cap)
{
  double sum = 0, n = 0;
  for (int k = 0; k < tr->buf.threads; k++)
    {
      size_t nk = 0;
      double mk = jx_model_work_energy_error (tr->buf.works[k], &nk, true);
      sum += mk * (double) nk;
      n += (double) nk;
    }
  /* with ranks, each scored its share of the validation jets: the decision is on all of
   * them, the same on every rank (the models must stay identical) */
  if (jx_comm_parallel (tr->comm))
    {
      jx_comm_agree_sum (tr->comm, 0, &sum, NULL);
      jx_comm_agree_sum (tr->comm, 0, &n, NULL);
    }
  const JxModelConfig *c = jx_model_config (tr->model);
  if (c->branch != JX_BRANCH_ENERGY || n == 0 || sum / n <= ENERGY_MAX_EPS
      || c->energy_samples >= JX_ENERGY_MAX_SAMPLES)
    return false;
  int S = c->energy_samples;
  jx_model_set_energy_samples (tr->model, 2 * S);
  snprintf (msg, cap, "energy head: mean ε %.1f %% > 2 %%, %d → %d proposal points",
            100.0 * sum / n, S, jx_model_config (tr->model)->energy_samples);
  return true;
}

static int
validation_loss (Trainer *tr, double *loss, JxError *err)
{
  *loss = NAN;
  if (tr->n_val == 0)
    return 0;
  for (int k = 0; k < tr->buf.threads; k++)
    jx_model_work_energy_error (tr->buf.works[k], NULL, true);
  double sum = 0;
  Buffers *buf = &tr->buf;
  const JxComm *c = tr->comm;
  if (tr->stream != NULL)
    {
      int rc = jx_train_stream_val_sum (tr, &sum, err);
      if (rc == 0)
        *loss = -sum / (double) tr->n_val;
      return rc;
    }
  if (!jx_comm_parallel (c))
    {
      int rc = jx_eval_sum_log_prob (tr->model, &tr->set, buf->val, tr->n_val, buf->threads,
                                     buf->works, NULL, &sum, tr->progress, err);
      if (rc == 0)
        *loss = -sum / (double) tr->n_val;
      return rc;
    }
  int rc = jx_eval_sum_log_prob_trees (tr->model, tr->val_trees.trees, buf->val + tr->val_first,
                                       tr->val_trees.n, buf->threads, buf->works, buf->val_terms,
                                       &sum, tr->progress, err);
  rc = jx_comm_agree (c, rc, err);
  if (rc != 0)
    return rc;
  jx_comm_gather_bytes (c, buf->val_terms, buf->rank_bytes, buf->val_terms, 0);
  if (c->rank == 0)
    {
      double all = 0;
      for (size_t i = 0; i < tr->n_val; i++)
        all += buf->val_terms[i];
      *loss = -all / (double) tr->n_val;
    }
  jx_comm_bcast (c, loss, sizeof *loss, 0);
  return 0;
}

void
jx_train_report (Trainer *tr, int epoch, size_t b, size_t nb, double loss, bool force,
                 const char *extra)
{
  if (tr->progress == NULL)
    return;
  double now = jx_parallel_now ();
  if (!force && now - tr->last_report < REPORT_INTERVAL)
    return;
  tr->last_report = now;
  double elapsed = now - tr->t_start;
  double rate = elapsed > 0 ? (double) tr->jets_this_run / elapsed : 0;
  /* Time per batch so far in this run, times the batches left (validation not counted). */
  char eta[32];
  format_eta (tr->batches_run > 0
              ? (double) (tr->batches_total - tr->batches_done) * elapsed / (double) tr->batches_run
              : NAN, eta, sizeof eta);
  char msg[512];
  snprintf (msg, sizeof msg,
            "training: epoch %d/%d, batch %zu/%zu, loss %.4g, %.0f jets/s, ETA %s%s%s",
            epoch + 1, tr->stats->total_epochs, b, nb, loss, rate, eta,
            extra != NULL ? "; " : "", extra != NULL ? extra : "");
  jx_progress_report (tr->progress, (double) tr->batches_done, (double) tr->batches_total, msg);
}

/* This rank's piece of a batch on its threads: the threads' gradients summed in thread order
 * into grads[0] (not yet divided by the batch size), their losses likewise into *loss. */
static int
piece_gradient (Trainer *tr, const JxTree **trees, size_t n, double *loss, JxError *err)
{
  Buffers *buf = &tr->buf;
  /* Tiny pieces on many threads would give threads nothing to do; the split must still
   * depend only on the thread count, so just cap it by the piece size (an empty piece, which
   * a rank gets when a batch has fewer jets than there are ranks, adds zeros). */
  int threads = buf->threads < (int) n ? buf->threads : (int) n;
  if (threads < 1)
    threads = 1;
  BatchJob job = { .model = tr->model, .trees = trees, .n = n, .grads = buf->grads,
                   .n_params = buf->n_params, .works = buf->works, .losses = buf->losses,
                   .codes = buf->codes, .errors = buf->errors, .progress = tr->progress };
  jx_parallel_run (threads, batch_worker, &job);
  for (int k = 0; k < threads; k++)
    if (buf->codes[k] == JX_ERR_CANCELLED)
      return JX_ERR_CANCELLED;
  for (int k = 0; k < threads; k++)
    if (buf->codes[k] != 0)
      {
        if (err != NULL)
          *err = buf->errors[k];
        return buf->codes[k];
      }
  *loss = 0;
  for (int k = 0; k < threads; k++)
    *loss += buf->losses[k];
  float *g = buf->grads[0];
  for (size_t i = 0; i < buf->n_params; i++)
    {
      float s = g[i];
      for (int k = 1; k < threads; k++)
        s += buf->grads[k][i];
      g[i] = s;
    }
  return 0;
}

/* One batch: every rank's piece on its threads, the pieces' gradients and losses added in
 * rank order (the same on every rank), checks, update. jets[0..n): the whole batch;
 * mine[0..n_mine): the trees of this rank's piece. */
int
jx_train_batch (Trainer *tr, int epoch, size_t b, const size_t *jets, size_t n,
                const JxTree **mine, size_t n_mine, double lr, double *loss_out, bool *skipped,
                JxError *err)
{
  Buffers *buf = &tr->buf;
  double loss = 0;
  int rc = jx_progress_cancelled (tr->progress) ? JX_ERR_CANCELLED
           : piece_gradient (tr, mine, n_mine, &loss, err);
  if (rc == JX_ERR_CANCELLED)
    jx_error_set (err, JX_ERR_CANCELLED, "training cancelled in epoch %d", epoch + 1);
  else if (rc != 0)
    jx_error_prefix (err, "epoch %d, batch %zu: ", epoch + 1, b + 1);
  /* The wait for the slowest rank is in the first exchange, the transfer in the second. */
  double t0 = jx_parallel_now ();
  rc = jx_comm_agree_sum (tr->comm, rc, &loss, err);
  if (rc != 0)
    return rc;
  double t1 = jx_parallel_now ();
  float *g = buf->grads[0];
  jx_comm_sum_floats (tr->comm, g, buf->n_params, buf->scratch);
  tr->stats->sync_seconds += t1 - t0;
  tr->stats->reduce_seconds += jx_parallel_now () - t1;
  const float scale = (float) (1.0 / (double) n);
  for (size_t i = 0; i < buf->n_params; i++)
    g[i] *= scale;
  if (tr->opt->batch_hook != NULL)
    tr->opt->batch_hook (tr->opt->hook_user, epoch, b, jets, n, &loss, g, buf->n_params);

  float *params = jx_model_params (tr->model);
  const char *why = NULL;
  if (!isfinite (loss))
    why = "non-finite loss";
  else if (!all_finite (g, buf->n_params))
    why = "non-finite gradient";
  else
    {
      memcpy (buf->backup, params, buf->n_params * sizeof *params);
      if (tr->optim.kind == JX_OPTIM_ADAM)
        {
          memcpy (buf->backup_m, tr->optim.m, buf->n_params * sizeof (float));
          memcpy (buf->backup_v, tr->optim.v, buf->n_params * sizeof (float));
        }
      uint64_t t = tr->optim.t;
      jx_optim_step (&tr->optim, params, g, lr);
      if (!all_finite (params, buf->n_params))
        {
          why = "update would give non-finite weights";
          memcpy (params, buf->backup, buf->n_params * sizeof *params);
          if (tr->optim.kind == JX_OPTIM_ADAM)
            {
              memcpy (tr->optim.m, buf->backup_m, buf->n_params * sizeof (float));
              memcpy (tr->optim.v, buf->backup_v, buf->n_params * sizeof (float));
            }
          tr->optim.t = t;
        }
    }
  *skipped = why != NULL;
  *loss_out = loss;
  if (why != NULL)
    {
      tr->state.n_bad_batches++;
      char *log = tr->stats->bad_batches;
      log_append (log, "%sepoch %d batch %zu (%s; jets", log[0] != '\0' ? "; " : "", epoch + 1,
                  b + 1, why);
      for (size_t i = 0; i < n && i < 8; i++)
        log_append (log, " %zu", jets[i]);
      log_append (log, "%s)", n > 8 ? " ..." : "");
      char extra[160];
      snprintf (extra, sizeof extra, "skipped batch %zu of epoch %d: %s (%llu skipped so far)",
                b + 1, epoch + 1, why, (unsigned long long) tr->state.n_bad_batches);
      jx_train_report (tr, epoch, b + 1, tr->cur_nb, loss / (double) n, true, extra);
    }
  else
    tr->state.n_updates++;
  return 0;
}

/* The batches [b0, end) of an epoch fetched in one window: at least one, and as many more as
 * keep the window's steps within WINDOW_STEPS_PER_RANK per rank. */
static size_t
window_end (Trainer *tr, size_t B, size_t b0, size_t nb)
{
  uint64_t limit = WINDOW_STEPS_PER_RANK * (uint64_t) jx_comm_size (tr->comm), steps = 0;
  size_t b = b0;
  for (; b < nb; b++)
    {
      size_t lo = b * B, hi = tr->n_train - lo < B ? tr->n_train : lo + B;
      uint64_t batch = 0;
      for (size_t i = lo; i < hi; i++)
        batch += (uint64_t) tr->share.steps[tr->buf.perm[i]];
      if (b > b0 && steps + batch > limit)
        break;
      steps += batch;
    }
  return b;
}

/* Cuts every batch of [b0, b1) into the ranks' pieces and fetches this rank's trees;
 * buf->piece[b − b0] = this rank's jets in batch b. */
static int
fetch_window (Trainer *tr, size_t B, size_t b0, size_t b1, JxTreeWindow *w, JxError *err)
{
  Buffers *buf = &tr->buf;
  int size = jx_comm_size (tr->comm), me = jx_comm_rank (tr->comm);
  const size_t *jets = buf->perm + b0 * B;
  size_t end = b1 * B < tr->n_train ? b1 * B : tr->n_train, n = end - b0 * B;
  for (size_t b = b0; b < b1; b++)
    {
      size_t lo = (b - b0) * B, m = n - lo < B ? n - lo : B;
      jx_tree_share_cut (&tr->share, jets + lo, m, size, buf->cut);
      for (int r = 0; r < size; r++)
        for (size_t i = buf->cut[r]; i < buf->cut[r + 1]; i++)
          buf->dest[lo + i] = r;
      buf->piece[b - b0] = buf->cut[me + 1] - buf->cut[me];
    }
  double t0 = jx_parallel_now ();
  int rc = jx_tree_share_fetch (&tr->share, jets, buf->dest, n, w, err);
  tr->stats->fetch_seconds += jx_parallel_now () - t0;
  return rc;
}

static int
run_epoch (Trainer *tr, int epoch, JxEpochRecord *rec, JxError *err)
{
  double t0 = jx_parallel_now ();
  const JxStage *stage = jx_schedule_stage_at (&tr->state.schedule, epoch, NULL);
  if (tr->stream != NULL)
    {
      double loss_sum = 0;
      size_t loss_jets = 0;
      int rc = jx_train_stream_epoch (tr, epoch, stage, &loss_sum, &loss_jets, err);
      return rc != 0 ? rc : jx_train_finish_epoch (tr, epoch, stage, loss_sum, loss_jets, t0, rec,
                                                   err);
    }
  size_t B = (size_t) stage->batch_size;
  memcpy (tr->buf.perm, tr->buf.train, tr->n_train * sizeof (size_t));
  JxRng rng;
  jx_rng_seed (&rng, tr->state.seed, STREAM_EPOCH + (uint64_t) epoch);
  jx_train_shuffle (tr->buf.perm, tr->n_train, &rng);

  size_t nb = jx_train_n_batches (tr->n_train, stage->batch_size);
  tr->cur_nb = nb;
  double loss_sum = 0;
  size_t loss_jets = 0;
  int rc = 0;
  for (size_t b0 = 0, b1; rc == 0 && b0 < nb; b0 = b1)
    {
      b1 = window_end (tr, B, b0, nb);
      JxTreeWindow w;
      rc = fetch_window (tr, B, b0, b1, &w, err);
      const JxTree **mine = w.trees;
      for (size_t b = b0; rc == 0 && b < b1; b++)
        {
          size_t lo = b * B, n = tr->n_train - lo < B ? tr->n_train - lo : B;
          double loss = 0;
          bool skipped = false;
          rc = jx_train_batch (tr, epoch, b, tr->buf.perm + lo, n, mine, tr->buf.piece[b - b0],
                               stage->learning_rate, &loss, &skipped, err);
          if (rc != 0)
            break;
          mine += tr->buf.piece[b - b0];
          tr->batches_done++;
          tr->batches_run++;
          tr->jets_this_run += n;
          if (!skipped)
            {
              loss_sum += loss;
              loss_jets += n;
            }
          jx_train_report (tr, epoch, b + 1, nb, loss / (double) n, false, NULL);
        }
      jx_tree_window_free (&w);
    }
  if (rc != 0)
    return rc;
  return jx_train_finish_epoch (tr, epoch, stage, loss_sum, loss_jets, t0, rec, err);
}

int
jx_train_finish_epoch (Trainer *tr, int epoch, const JxStage *stage, double loss_sum,
                       size_t loss_jets, double t0, JxEpochRecord *rec, JxError *err)
{
  size_t nb = tr->cur_nb;
  double val;
  int rc = validation_loss (tr, &val, err);
  if (rc != 0)
    return rc;
  char note[160];
  if (energy_adapt (tr, note, sizeof note))
    jx_train_report (tr, epoch, nb, nb, loss_jets > 0 ? loss_sum / (double) loss_jets : NAN, true,
                     note);
  rec->epoch = epoch + 1;
  rec->train_loss = loss_jets > 0 ? loss_sum / (double) loss_jets : NAN;
  rec->val_loss = val;
  rec->learning_rate = stage->learning_rate;
  rec->batch_size = stage->batch_size;
  rec->seconds = jx_parallel_now () - t0;
  return 0;
}

int
jx_train_split_size (size_t n_ok, double f, size_t n_jets, size_t *n_val_out, JxError *err)
{
  size_t n_val = (size_t) llround (f * (double) n_ok);
  if (f > 0 && n_val == 0 && n_ok >= 2)
    n_val = 1;
  if (n_val >= n_ok)
    n_val = n_ok > 0 ? n_ok - 1 : 0;
  *n_val_out = n_val;
  if (n_ok - n_val == 0)
    return jx_error_set (err, JX_ERR_INVALID, "no jets to train on (%zu in the dataset, %zu "
                         "skipped): give a dataset with more jets", n_jets, n_jets - n_ok);
  return 0;
}

static int
setup_split (Trainer *tr, JxError *err)
{
  size_t n_ok = 0;
  for (size_t i = 0; i < tr->n_jets; i++)
    if (tr->share.steps[i] > 0)
      tr->buf.perm[n_ok++] = i;
  size_t n_val;
  int rc = jx_train_split_size (n_ok, tr->state.val_fraction, tr->n_jets, &n_val, err);
  if (rc != 0)
    return rc;
  JxRng rng;
  jx_rng_seed (&rng, tr->state.seed, STREAM_SPLIT);
  jx_train_shuffle (tr->buf.perm, n_ok, &rng);
  memcpy (tr->buf.val, tr->buf.perm, n_val * sizeof (size_t));
  memcpy (tr->buf.train, tr->buf.perm + n_val, (n_ok - n_val) * sizeof (size_t));
  /* Sorted, so each epoch's shuffle depends only on (seed, epoch) and the split. */
  qsort (tr->buf.val, n_val, sizeof (size_t), cmp_size);
  qsort (tr->buf.train, n_ok - n_val, sizeof (size_t), cmp_size);
  tr->n_val = n_val;
  tr->n_train = n_ok - n_val;
  return 0;
}

/* The fingerprint of the whole dataset, whichever part of it this rank holds (streamed: of
 * the file, which can fail reading it). */
static int
fingerprint (Trainer *tr, const JxDataset *data, uint64_t *print, JxError *err)
{
  if (tr->stream_path != NULL)
    return jx_train_stream_fingerprint (tr, print, err);
  *print = jx_comm_parallel (tr->comm) ? jx_train_fingerprint_ranks (tr->comm, data)
                                       : jx_train_data_fingerprint (data);
  return 0;
}

/* Reads the checkpoint (every rank reads it). The data check is the caller's, after all
 * ranks have read theirs. */
static int
load_resume (Trainer *tr, JxModel **model, JxError *err)
{
  const JxTrainOptions *opt = tr->opt;
  jx_model_free (*model);
  *model = NULL;
  jx_model_meta_free (tr->meta);
  jx_model_meta_init (tr->meta);
  int rc = jx_checkpoint_load (opt->resume, model, tr->meta, &tr->state, &tr->optim, err);
  if (rc != 0)
    return rc;
  if (opt->schedule.n_stages > 0)
    tr->state.schedule = opt->schedule;
  /* The checkpoint's seed, split fraction and skip choices stay: the split must be the same. */
  return 0;
}

/* A checkpoint resumes the way it was trained: the epochs' order depends on it. */
static int
check_resume_mode (const Trainer *tr, JxError *err)
{
  bool was = tr->state.stream_chunk_jets > 0, is = tr->stream_path != NULL;
  if (was && !is)
    return jx_error_set (err, JX_ERR_INVALID, "%s: the checkpoint was trained streaming the "
                         "dataset (chunks of %llu jets): resume with --stream", tr->opt->resume,
                         (unsigned long long) tr->state.stream_chunk_jets);
  if (is && !was)
    return jx_error_set (err, JX_ERR_INVALID, "%s: the checkpoint was trained on the dataset "
                         "read whole: resume without --stream", tr->opt->resume);
  return 0;
}

static int
check_resume_data (Trainer *tr, uint64_t print, JxError *err)
{
  if (tr->state.n_jets == tr->n_jets && tr->state.fingerprint == print)
    return 0;
  return jx_error_set (err, JX_ERR_INVALID, "%s: the checkpoint was trained on other data "
                       "(%llu jets, fingerprint %016llx; this dataset has %zu jets): resume with "
                       "the same dataset", tr->opt->resume, (unsigned long long) tr->state.n_jets,
                       (unsigned long long) tr->state.fingerprint, tr->n_jets);
}

/* A fresh run: the state of a new checkpoint and a new optimizer. */
static int
start_fresh (Trainer *tr, const JxModel *model, JxError *err)
{
  const JxTrainOptions *opt = tr->opt;
  tr->state.seed = opt->seed;
  tr->state.val_fraction = opt->val_fraction;
  tr->state.optimizer = opt->optimizer;
  tr->state.skip_bad = opt->skip_bad;
  tr->state.skip_long = opt->skip_long;
  tr->state.n_jets = tr->n_jets;
  if (opt->schedule.n_stages > 0)
    tr->state.schedule = opt->schedule;
  else
    jx_schedule_paper (&tr->state.schedule);
  int rc = jx_optim_init (&tr->optim, opt->optimizer, jx_model_n_params (model), err);
  if (rc != 0)
    return rc;
  JxModelMeta *meta = tr->meta;
  meta->seed = opt->seed;
  if (opt->dataset_name != NULL)
    snprintf (meta->dataset, sizeof meta->dataset, "%s", opt->dataset_name);
  time_t now = time (NULL);
  struct tm tm;
  gmtime_r (&now, &tm);
  strftime (meta->created, sizeof meta->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return 0;
}

/* Where in their cells the training branchings lie, for sampling (jx-massless-rates.h): the
 * ranks' counts added up. */
static void
measure_massless (Trainer *tr)
{
  const JxModelConfig *cfg = jx_model_config (tr->model);
  if (!jx_comm_parallel (tr->comm))
    {
      /* where in their cells the training branchings lie, at the model's resolution */
      jx_massless_rates_measure (&cfg->scaling, jx_model_branch_grid (tr->model), tr->set.trees,
                                 tr->set.n_jets, &tr->meta->massless);
      return;
    }
  int size = tr->comm->size;
  JxMasslessTally mine, *all = tr->buf.tallies, sum;
  jx_massless_tally (&cfg->scaling, jx_model_branch_grid (tr->model), tr->set.trees,
                     tr->set.n_jets, &mine);
  for (int r = 0; r < size; r++)
    tr->buf.rank_bytes[r] = sizeof mine;
  jx_comm_allgatherv (tr->comm, &mine, all, tr->buf.rank_bytes);
  sum = all[0];
  for (int r = 1; r < size; r++)
    jx_massless_tally_add (&sum, &all[r]);
  jx_massless_rates_from_tally (&sum, &tr->meta->massless);
}

/* Jets skipped by the clustering, over all ranks. */
static void
count_skipped (Trainer *tr, JxTrainStats *stats)
{
  stats->n_skipped_bad = (size_t) jx_comm_sum_u64 (tr->comm, tr->set.n_bad);
  stats->n_skipped_long = (size_t) jx_comm_sum_u64 (tr->comm, tr->set.n_long);
}

/* Only rank 0 writes; every rank learns how it went. */
static int
save_checkpoint (Trainer *tr, int epoch, JxError *err)
{
  int rc = 0;
  if (jx_comm_rank (tr->comm) == 0)
    rc = jx_checkpoint_save (tr->model, tr->meta, tr->opt->checkpoint, &tr->state, &tr->optim,
                             err);
  rc = jx_comm_agree (tr->comm, rc, err);
  if (rc != 0)
    jx_error_prefix (err, "writing checkpoint after epoch %d: ", epoch + 1);
  return rc;
}

/* Everything between the options and the first epoch: the trees (and which rank trains on
 * which), the buffers, the massless rates for sampling, the split, the validation trees and
 * the batch counts for the progress. */
static int
prepare_epochs (Trainer *tr, const JxDataset *data, int threads, int total, JxError *err)
{
  const JxComm *comm = tr->comm;
  JxTrainStats *stats = tr->stats;
  int rc = jx_tree_set_build (&tr->set, data, &tr->meta->clustering,
                              jx_model_config (tr->model)->max_mult, tr->state.skip_bad,
                              tr->state.skip_long, threads, tr->progress, err);
  rc = jx_comm_agree (comm, rc, err);
  if (rc == 0)
    rc = jx_tree_share_init (&tr->share, comm, &tr->set, data->first_jet, err);
  if (rc == 0)
    rc = jx_comm_agree (comm, jx_train_buffers_alloc (&tr->buf, tr->model, threads, tr->n_jets,
                                                      jx_comm_size (comm),
                                                      tr->optim.kind == JX_OPTIM_ADAM, err), err);
  if (rc == 0)
    {
      measure_massless (tr);
      count_skipped (tr, stats);
      rc = setup_split (tr, err);
      if (rc == 0)
        rc = setup_validation (tr, err);
    }
  if (rc != 0)
    return rc;
  stats->n_train = tr->n_train;
  stats->n_val = tr->n_val;
  jx_train_count_batches (tr, total);
  return 0;
}

/* One epoch and what follows it: the history record, the checkpoint, the report. */
static int
train_epoch (Trainer *tr, int e, JxError *err)
{
  const JxTrainOptions *opt = tr->opt;
  JxEpochRecord rec;
  int rc = run_epoch (tr, e, &rec, err);
  if (rc == 0)
    rc = jx_comm_agree (tr->comm, jx_model_meta_add_epoch (tr->meta, &rec, err), err);
  if (rc != 0)
    return rc;
  tr->state.epochs_done = e + 1;
  tr->stats->train_loss = rec.train_loss;
  tr->stats->val_loss = rec.val_loss;
  if (opt->checkpoint != NULL && (rc = save_checkpoint (tr, e, err)) != 0)
    return rc;
  if (opt->checkpoint != NULL)
    tr->stats->checkpoint_epochs = e + 1;
  char extra[128];
  snprintf (extra, sizeof extra, "epoch %d done: train %.5g, validation %.5g", e + 1,
            rec.train_loss, rec.val_loss);
  size_t nb = jx_train_n_batches (tr->n_train, rec.batch_size);
  jx_train_report (tr, e, nb, nb, rec.train_loss, true, extra);
  if (opt->epoch_func != NULL)
    opt->epoch_func (opt->epoch_user, &rec);
  return 0;
}

int
jx_train (JxModel **model, JxModelMeta *meta, const JxDataset *data, const JxTrainOptions *opt,
          JxTrainStats *stats, JxProgress *progress, JxError *err)
{
  return jx_train_run (model, meta, data, NULL, opt, stats, progress, err);
}

int
jx_train_run (JxModel **model, JxModelMeta *meta, const JxDataset *data, const char *path,
              const JxTrainOptions *opt, JxTrainStats *stats, JxProgress *progress, JxError *err)
{
  JxTrainOptions defaults;
  JxTrainStats local_stats;
  if (opt == NULL)
    {
      jx_train_options_default (&defaults);
      opt = &defaults;
    }
  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  stats->initial_val_loss = stats->train_loss = stats->val_loss = NAN;

  const JxComm *comm = opt->comm != NULL ? opt->comm : &jx_comm_solo;
  Trainer tr = { .meta = meta, .opt = opt, .stats = stats, .progress = progress, .comm = comm,
                 .stream_path = path };
  JxDatasetInfo info;
  int rc = 0;
  if (path != NULL && jx_comm_parallel (comm))
    return jx_error_set (err, JX_ERR_INVALID, "streamed training runs in one process: leave "
                         "out mpirun or --stream");
  if (path != NULL && (rc = jx_dataset_probe (path, &info, err)) != 0)
    return rc;
  tr.n_jets = path != NULL ? info.n_jets : (size_t) jx_comm_sum_u64 (comm, data->n_jets);
  if (opt->resume != NULL)
    {
      if ((rc = load_resume (&tr, model, err)) == 0)
        rc = check_resume_mode (&tr, err);
    }
  else if (*model == NULL)
    rc = jx_error_set (err, JX_ERR_INVALID, "no model to train");
  else if (!(opt->val_fraction >= 0 && opt->val_fraction < 1))
    rc = jx_error_set (err, JX_ERR_INVALID, "validation fraction %g outside [0, 1)",
                       opt->val_fraction);
  else
    rc = start_fresh (&tr, *model, err);
  rc = jx_comm_agree (comm, rc, err);
  uint64_t print = 0;
  if (rc == 0)
    rc = fingerprint (&tr, data, &print, err);
  if (rc == 0)
    {
      if (opt->resume != NULL)
        rc = check_resume_data (&tr, print, err);
      else
        tr.state.fingerprint = print;
    }
  if (rc != 0)
    {
      jx_train_stream_free (&tr);
      jx_optim_free (&tr.optim);
      return rc;
    }
  tr.model = *model;
  if (opt->epochs > 0)
    jx_schedule_set_total_epochs (&tr.state.schedule, opt->epochs);
  int total = jx_schedule_total_epochs (&tr.state.schedule);
  int threads = jx_parallel_threads (opt->threads);
  stats->threads = threads;
  stats->ranks = jx_comm_size (comm);
  stats->total_epochs = total;
  stats->first_epoch = tr.state.epochs_done;
  stats->n_jets = tr.n_jets;

  int blas = jx_blas_single_begin ();
  double t_begin = jx_parallel_now ();
  rc = path != NULL ? jx_train_stream_prepare (&tr, threads, total, err)
                    : prepare_epochs (&tr, data, threads, total, err);
  if (rc == 0 && opt->resume == NULL)
    rc = validation_loss (&tr, &stats->initial_val_loss, err);
  tr.t_start = jx_parallel_now ();
  tr.last_report = tr.t_start;
  for (int e = tr.state.epochs_done; rc == 0 && e < total; e++)
    rc = train_epoch (&tr, e, err);
  jx_blas_single_end (blas);
  stats->epochs_done = tr.state.epochs_done;
  stats->n_updates = tr.state.n_updates;
  stats->n_bad_batches = (size_t) tr.state.n_bad_batches;
  stats->seconds = jx_parallel_now () - t_begin;
  jx_train_buffers_free (&tr.buf);
  jx_train_stream_free (&tr);
  jx_tree_window_free (&tr.val_trees);
  jx_tree_share_free (&tr.share);
  jx_tree_set_free (&tr.set);
  jx_optim_free (&tr.optim);
  return rc;
}

int
jx_train_and_save (JxModel **model, JxModelMeta *meta, const JxModelConfig *cfg,
                   const JxDataset *data, const JxTrainOptions *opt, const char *output,
                   JxTrainStats *stats, JxProgress *progress, JxError *err)
{
  return jx_train_run_and_save (model, meta, cfg, data, NULL, opt, output, stats, progress, err);
}

int
jx_train_run_and_save (JxModel **model, JxModelMeta *meta, const JxModelConfig *cfg,
                       const JxDataset *data, const char *path, const JxTrainOptions *opt,
                       const char *output, JxTrainStats *stats, JxProgress *progress,
                       JxError *err)
{
  const JxComm *comm = opt->comm != NULL ? opt->comm : &jx_comm_solo;
  int rc = 0;
  if (opt->resume == NULL)
    rc = jx_model_new (cfg, opt->seed, model, err);
  rc = jx_comm_agree (comm, rc, err);
  if (rc != 0)
    return rc;
  rc = jx_train_run (model, meta, data, path, opt, stats, progress, err);
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (err, JX_ERR_CANCELLED, "cancelled");
  /* Rank 0 writes the model; every rank learns how that went. */
  if (rc == 0 && output != NULL && jx_comm_rank (comm) == 0)
    rc = jx_model_save (*model, meta, output, NULL, NULL, err);
  return jx_comm_agree (comm, rc, err);
}
