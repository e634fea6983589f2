/* jx-train-stream.c — see jx-train-stream.h. */
#include "jx-train-stream.h"

#include <stdlib.h>
#include <string.h>

#include "jx-parallel.h"
#include "jx-train-private.h"

/* A jet's part in the split. */
enum { ROLE_SKIPPED = 0, ROLE_TRAIN = 1, ROLE_VAL = 2 };

/* The stream's defaults (jx-dataset-stream.h), recorded in checkpoints as numbers. */
#define DEFAULT_CHUNK_JETS 16384
#define DEFAULT_CHUNK_PARTICLES ((size_t) 1 << 20)

struct JxTrainStream {
  JxDatasetStream *file;     /* one chunk cached: a chunk is read, clustered and let go */
  size_t n_chunks, cap_chunks;
  size_t *starts;            /* [n_chunks + 1] first jet of every chunk, then n_jets */
  size_t max_chunk;          /* jets in the largest chunk */
  uint8_t *role;             /* [n_jets] */
  size_t *order;             /* [n_chunks] an epoch's chunk order */
  JxTreeSet set;             /* the chunk being trained on or scored */
  /* the batch being filled: its jets and trees; trees of a chunk let go before the batch is
   * full are moved into carry */
  size_t batch_cap, pending, n_carry;
  size_t *batch_jets;
  const JxTree **batch_trees;
  JxTree *carry;
  /* a chunk's validation jets */
  const JxTree **val_trees;
  size_t *val_names;
  double *val_terms;
  JxMasslessTally tally;     /* of the preparing walk */
  size_t n_bad, n_long;
};

void
jx_train_stream_free (JxTrainer *tr)
{
  JxTrainStream *s = tr->stream;
  if (s == NULL)
    return;
  jx_dataset_stream_close (s->file);
  jx_tree_set_free (&s->set);
  for (size_t i = 0; i < s->n_carry; i++)
    jx_tree_free (&s->carry[i]);
  free (s->starts);
  free (s->role);
  free (s->order);
  free (s->batch_jets);
  free (s->batch_trees);
  free (s->carry);
  free (s->val_trees);
  free (s->val_names);
  free (s->val_terms);
  free (s);
  tr->stream = NULL;
}

int
jx_train_stream_fingerprint (JxTrainer *tr, uint64_t *print, JxError *err)
{
  JxCheckpointState *st = &tr->state;
  if (tr->opt->resume == NULL)
    {
      /* as the stream rounds them, so that the checkpoint says what was used */
      size_t a = JX_DATASET_STREAM_ALIGN;
      size_t jets = tr->opt->stream_chunk_jets > 0 ? tr->opt->stream_chunk_jets
                                                   : DEFAULT_CHUNK_JETS;
      st->stream_chunk_jets = (jets + a - 1) / a * a;
      st->stream_chunk_particles = tr->opt->stream_chunk_particles > 0
                                   ? tr->opt->stream_chunk_particles : DEFAULT_CHUNK_PARTICLES;
    }
  JxTrainStream *s = calloc (1, sizeof *s);
  if (s == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  tr->stream = s;
  JxDatasetStreamOptions o = { .chunk_jets = (size_t) st->stream_chunk_jets,
                               .chunk_particles = (size_t) st->stream_chunk_particles,
                               .cache_chunks = 1 };
  s->file = jx_dataset_stream_open (tr->stream_path, &o, err);
  if (s->file == NULL)
    return err != NULL && err->code != 0 ? err->code : JX_ERR_IO;
  return jx_train_fingerprint_stream (s->file, print, tr->progress, err);
}

/* ---- before the first epoch: chunks, the split, the massless rates ---------------------- */

/* One chunk of the preparing walk: where it starts, which of its jets are scored (marked
 * ROLE_TRAIN until the split), the massless tally and skip counts. */
static int
prepare_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
               JxError *err)
{
  JxTrainer *tr = user;
  JxTrainStream *s = tr->stream;
  (void) lo;
  if (s->n_chunks + 2 > s->cap_chunks)
    {
      size_t cap = 2 * s->cap_chunks + 16;
      size_t *p = realloc (s->starts, cap * sizeof *p);
      if (p == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the chunk list");
      s->starts = p;
      s->cap_chunks = cap;
    }
  s->starts[s->n_chunks++] = chunk->first_jet;
  s->starts[s->n_chunks] = chunk->first_jet + hi;
  s->max_chunk = hi > s->max_chunk ? hi : s->max_chunk;
  const JxModelConfig *cfg = jx_model_config (tr->model);
  JxTreeSet set;
  int rc = jx_tree_set_build (&set, chunk, &tr->meta->clustering, cfg->max_mult,
                              tr->state.skip_bad, tr->state.skip_long, tr->buf.threads, progress,
                              err);
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < set.n_jets; i++)
    if (set.status[i] == JX_JET_SCORED && set.trees[i].n > 0)
      s->role[chunk->first_jet + i] = ROLE_TRAIN;
  JxMasslessTally t;
  jx_massless_tally (&cfg->scaling, jx_model_branch_grid (tr->model), set.trees, set.n_jets, &t);
  jx_massless_tally_add (&s->tally, &t);
  s->n_bad += set.n_bad;
  s->n_long += set.n_long;
  jx_tree_set_free (&set);
  return 0;
}

/* jx_train's split (jx-train.c setup_split): the scored jets in index order, shuffled by the
 * split stream, the first n_val held out. Only the parts are kept. */
static int
draw_split (JxTrainer *tr, JxError *err)
{
  JxTrainStream *s = tr->stream;
  size_t n_ok = 0;
  for (size_t i = 0; i < tr->n_jets; i++)
    n_ok += s->role[i] == ROLE_TRAIN;
  size_t n_val;
  int rc = jx_train_split_size (n_ok, tr->state.val_fraction, tr->n_jets, &n_val, err);
  if (rc != 0)
    return rc;
  size_t *perm = malloc ((n_ok > 0 ? n_ok : 1) * sizeof *perm);
  if (perm == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the split of %zu jets", n_ok);
  for (size_t i = 0, k = 0; i < tr->n_jets; i++)
    if (s->role[i] == ROLE_TRAIN)
      perm[k++] = i;
  JxRng rng;
  jx_rng_seed (&rng, tr->state.seed, JX_TRAIN_STREAM_SPLIT);
  jx_train_shuffle (perm, n_ok, &rng);
  for (size_t k = 0; k < n_val; k++)
    s->role[perm[k]] = ROLE_VAL;
  free (perm);
  tr->n_val = n_val;
  tr->n_train = n_ok - n_val;
  return 0;
}

int
jx_train_stream_prepare (JxTrainer *tr, int threads, int total, JxError *err)
{
  JxTrainStream *s = tr->stream;
  tr->buf.threads = threads;   /* for the preparing walk; the buffers follow */
  s->role = calloc (tr->n_jets > 0 ? tr->n_jets : 1, 1);
  if (s->role == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the parts of %zu jets",
                         tr->n_jets);
  memset (&s->tally, 0, sizeof s->tally);
  int rc = tr->n_jets == 0 ? 0
           : jx_dataset_stream_walk (s->file, 0, tr->n_jets, prepare_chunk, tr, "clustering",
                                     tr->progress, err);
  if (rc != 0)
    return rc;
  jx_massless_rates_from_tally (&s->tally, &tr->meta->massless);
  tr->stats->n_skipped_bad = s->n_bad;
  tr->stats->n_skipped_long = s->n_long;
  if ((rc = draw_split (tr, err)) != 0)
    return rc;
  size_t m = s->max_chunk > 0 ? s->max_chunk : 1;
  s->order = malloc ((s->n_chunks > 0 ? s->n_chunks : 1) * sizeof *s->order);
  s->val_trees = malloc (m * sizeof *s->val_trees);
  s->val_names = malloc (m * sizeof *s->val_names);
  s->val_terms = malloc (m * sizeof *s->val_terms);
  if (s->order == NULL || s->val_trees == NULL || s->val_names == NULL || s->val_terms == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  /* perm holds a chunk's training jets */
  rc = jx_train_buffers_alloc (&tr->buf, tr->model, threads, m, 1,
                               tr->optim.kind == JX_OPTIM_ADAM, err);
  if (rc != 0)
    return rc;
  tr->stats->n_train = tr->n_train;
  tr->stats->n_val = tr->n_val;
  jx_train_count_batches (tr, total);
  return 0;
}

/* ---- chunks ---------------------------------------------------------------------------- */

/* Chunk k read and clustered into s->set (the previous chunk's trees let go first: those in
 * the pending batch move to carry). */
static int
load_chunk (JxTrainer *tr, size_t k, JxProgress *progress, JxError *err)
{
  JxTrainStream *s = tr->stream;
  for (size_t i = 0; i < s->pending; i++)
    {
      const JxTree *t = s->batch_trees[i];
      if (s->set.trees != NULL && t >= s->set.trees && t < s->set.trees + s->set.n_jets)
        {
          JxTree *from = &s->set.trees[t - s->set.trees];
          s->carry[s->n_carry] = *from;
          memset (from, 0, sizeof *from);   /* now carry's to free */
          s->batch_trees[i] = &s->carry[s->n_carry++];
        }
    }
  jx_tree_set_free (&s->set);
  size_t row;
  const JxDataset *chunk = jx_dataset_stream_get (s->file, s->starts[k], &row, NULL, err);
  if (chunk == NULL)
    return err != NULL && err->code != 0 ? err->code : JX_ERR_IO;
  if (row != 0 || chunk->n_jets != s->starts[k + 1] - s->starts[k])
    return jx_error_set (err, JX_ERR_INTERNAL, "%s: chunk %zu is not where the first walk "
                         "found it", tr->stream_path, k);
  return jx_tree_set_build (&s->set, chunk, &tr->meta->clustering,
                            jx_model_config (tr->model)->max_mult, tr->state.skip_bad,
                            tr->state.skip_long, tr->buf.threads, progress, err);
}

/* ---- an epoch ------------------------------------------------------------------------- */

static int
batch_space (JxTrainStream *s, size_t B, JxError *err)
{
  if (B <= s->batch_cap)
    return 0;
  size_t *jets = realloc (s->batch_jets, B * sizeof *jets);
  if (jets != NULL)
    s->batch_jets = jets;
  const JxTree **trees = realloc (s->batch_trees, B * sizeof *trees);
  if (trees != NULL)
    s->batch_trees = trees;
  JxTree *carry = realloc (s->carry, B * sizeof *carry);
  if (carry != NULL)
    s->carry = carry;
  if (jets == NULL || trees == NULL || carry == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for a batch of %zu jets", B);
  s->batch_cap = B;
  return 0;
}

typedef struct {
  int epoch;
  const JxStage *stage;
  size_t b, nb;
  double loss_sum;
  size_t loss_jets;
} Epoch;

/* The pending batch trained on (as jx-train.c's run_epoch does a batch), carry emptied. */
static int
flush_batch (JxTrainer *tr, Epoch *ep, JxError *err)
{
  JxTrainStream *s = tr->stream;
  size_t n = s->pending;
  double loss = 0;
  bool skipped = false;
  int rc = jx_train_batch (tr, ep->epoch, ep->b, s->batch_jets, n, s->batch_trees, n,
                           ep->stage->learning_rate, &loss, &skipped, err);
  if (rc != 0)
    return rc;
  tr->batches_done++;
  tr->batches_run++;
  tr->jets_this_run += n;
  if (!skipped)
    {
      ep->loss_sum += loss;
      ep->loss_jets += n;
    }
  ep->b++;
  jx_train_report (tr, ep->epoch, ep->b, ep->nb, loss / (double) n, false, NULL);
  for (size_t i = 0; i < s->n_carry; i++)
    jx_tree_free (&s->carry[i]);
  s->n_carry = 0;
  s->pending = 0;
  return 0;
}

int
jx_train_stream_epoch (JxTrainer *tr, int epoch, const JxStage *stage, double *loss_sum,
                       size_t *loss_jets, JxError *err)
{
  JxTrainStream *s = tr->stream;
  size_t B = (size_t) stage->batch_size;
  int rc = batch_space (s, B, err);
  if (rc != 0)
    return rc;
  /* One RNG for the epoch: the chunk order, then each chunk's jets in that order. With one
   * chunk the order draws nothing, and the jets' shuffle is jx_train's. */
  JxRng rng;
  jx_rng_seed (&rng, tr->state.seed, JX_TRAIN_STREAM_EPOCH + (uint64_t) epoch);
  for (size_t k = 0; k < s->n_chunks; k++)
    s->order[k] = k;
  jx_train_shuffle (s->order, s->n_chunks, &rng);
  Epoch ep = { .epoch = epoch, .stage = stage, .nb = jx_train_n_batches (tr->n_train, (int) B) };
  tr->cur_nb = ep.nb;
  s->pending = 0;
  for (size_t c = 0; rc == 0 && c < s->n_chunks; c++)
    {
      if (jx_progress_cancelled (tr->progress))
        return jx_error_set (err, JX_ERR_CANCELLED, "training cancelled in epoch %d", epoch + 1);
      size_t k = s->order[c], first = s->starts[k];
      if ((rc = load_chunk (tr, k, NULL, err)) != 0)
        break;
      /* the chunk's training jets in index order (jx_train's list, restricted to the chunk) */
      size_t n = 0, *perm = tr->buf.perm;
      for (size_t g = first; rc == 0 && g < s->starts[k + 1]; g++)
        if (s->role[g] == ROLE_TRAIN)
          {
            perm[n++] = g;
            /* the file changed under us since the first walk */
            if (s->set.status[g - first] != JX_JET_SCORED)
              rc = jx_error_set (err, JX_ERR_FORMAT, "%s: jet %zu is not what it was when "
                                 "training started: was the file rewritten?", tr->stream_path, g);
          }
      jx_train_shuffle (perm, n, &rng);
      for (size_t i = 0; rc == 0 && i < n; i++)
        {
          s->batch_jets[s->pending] = perm[i];
          s->batch_trees[s->pending++] = &s->set.trees[perm[i] - first];
          if (s->pending == B)
            rc = flush_batch (tr, &ep, err);
        }
    }
  if (rc == 0 && s->pending > 0)
    rc = flush_batch (tr, &ep, err);
  jx_tree_set_free (&s->set);   /* the validation walk clusters its own */
  *loss_sum = ep.loss_sum;
  *loss_jets = ep.loss_jets;
  return rc;
}

/* ---- validation ------------------------------------------------------------------------ */

typedef struct {
  JxTrainer *tr;
  double sum;
} ValWalk;

/* A chunk's validation jets scored (JX_EVAL_CHUNK at a time from the chunk's first: with one
 * chunk, jx_train's groups) and their terms added to the sum in index order, as
 * jx_eval_sum_log_prob adds its terms. */
static int
val_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
           JxError *err)
{
  ValWalk *w = user;
  JxTrainer *tr = w->tr;
  JxTrainStream *s = tr->stream;
  (void) lo;
  (void) hi;
  JxTreeSet *set = &s->set;
  int rc = jx_tree_set_build (set, chunk, &tr->meta->clustering,
                              jx_model_config (tr->model)->max_mult, tr->state.skip_bad,
                              tr->state.skip_long, tr->buf.threads, NULL, err);
  size_t n = 0;
  for (size_t i = 0; rc == 0 && i < set->n_jets; i++)
    if (s->role[chunk->first_jet + i] == ROLE_VAL)
      {
        if (set->status[i] != JX_JET_SCORED)
          rc = jx_error_set (err, JX_ERR_FORMAT, "%s: jet %zu is not what it was when training "
                             "started: was the file rewritten?", tr->stream_path,
                             chunk->first_jet + i);
        s->val_trees[n] = &set->trees[i];
        s->val_names[n++] = chunk->first_jet + i;
      }
  double sum = 0;
  if (rc == 0 && n > 0)
    rc = jx_eval_sum_log_prob_trees (tr->model, s->val_trees, s->val_names, n, tr->buf.threads,
                                     tr->buf.works, s->val_terms, &sum, progress, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    w->sum += s->val_terms[i];
  jx_tree_set_free (set);
  return rc;
}

int
jx_train_stream_val_sum (JxTrainer *tr, double *sum, JxError *err)
{
  ValWalk w = { tr, 0 };
  int rc = jx_dataset_stream_walk (tr->stream->file, 0, tr->n_jets, val_chunk, &w, "validation",
                                   tr->progress, err);
  *sum = w.sum;
  return rc;
}

/* ---- entry points ---------------------------------------------------------------------- */

int
jx_train_stream (JxModel **model, JxModelMeta *meta, const char *path,
                 const JxTrainOptions *opt, JxTrainStats *stats, JxProgress *progress,
                 JxError *err)
{
  return jx_train_run (model, meta, NULL, path, opt, stats, progress, err);
}

int
jx_train_and_save_stream (JxModel **model, JxModelMeta *meta, const JxModelConfig *cfg,
                          const char *path, const JxTrainOptions *opt, const char *output,
                          JxTrainStats *stats, JxProgress *progress, JxError *err)
{
  return jx_train_run_and_save (model, meta, cfg, NULL, path, opt, output, stats, progress, err);
}
