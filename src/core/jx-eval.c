/* jx-eval.c — see jx-eval.h.
 *
 * Work over jets is handed out in increasing index order through an atomic counter. When a
 * jet fails, later jets are dropped but earlier ones are still finished, so the error that
 * comes back is always the one of the first failing jet, whatever the thread timing.
 */
#include "jx-eval.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-parallel.h"

#define REPORT_INTERVAL 0.1  /* seconds between progress reports */

/* Shared state of one parallel pass over jets. */
typedef struct {
  size_t n_jets;
  atomic_size_t next;        /* next jet to take */
  atomic_size_t done;        /* jets finished, for progress */
  atomic_size_t fail_index;  /* smallest failing jet index so far (SIZE_MAX: none) */
  JxProgress *progress;
  const char *what;          /* progress label */
  JxError *errors;           /* per thread: the error of that thread's failing jet */
  size_t *error_index;       /* per thread: which jet (SIZE_MAX: none) */
  atomic_int cancelled;
} Pass;

static int
pass_init (Pass *p, size_t n_jets, int threads, JxProgress *progress, const char *what)
{
  memset (p, 0, sizeof *p);
  p->n_jets = n_jets;
  atomic_init (&p->next, 0);
  atomic_init (&p->done, 0);
  atomic_init (&p->fail_index, SIZE_MAX);
  atomic_init (&p->cancelled, 0);
  p->progress = progress;
  p->what = what;
  p->errors = calloc ((size_t) threads, sizeof *p->errors);
  p->error_index = malloc ((size_t) threads * sizeof *p->error_index);
  if (p->errors == NULL || p->error_index == NULL)
    return JX_ERR_NOMEM;
  for (int k = 0; k < threads; k++)
    p->error_index[k] = SIZE_MAX;
  return 0;
}

static void
pass_free (Pass *p)
{
  free (p->errors);
  free (p->error_index);
}

/* Up to k consecutive jets [*first, *end) for this thread; false when nothing is left. */
static bool
pass_take_chunk (Pass *p, size_t k, size_t *first, size_t *end)
{
  if (jx_progress_cancelled (p->progress))
    {
      atomic_store (&p->cancelled, 1);
      return false;
    }
  size_t i = atomic_fetch_add (&p->next, k);
  if (i >= p->n_jets || i > atomic_load (&p->fail_index))
    return false;
  *first = i;
  *end = i + k < p->n_jets ? i + k : p->n_jets;
  return true;
}

/* The next jet for this thread, or SIZE_MAX when there is nothing (more) to do. */
static size_t
pass_take (Pass *p)
{
  size_t i, end;
  return pass_take_chunk (p, 1, &i, &end) ? i : SIZE_MAX;
}

static void
pass_fail (Pass *p, int thread, size_t jet, const JxError *e)
{
  if (p->error_index[thread] == SIZE_MAX || jet < p->error_index[thread])
    {
      p->error_index[thread] = jet;
      p->errors[thread] = *e;
    }
  size_t cur = atomic_load (&p->fail_index);
  while (jet < cur && !atomic_compare_exchange_weak (&p->fail_index, &cur, jet))
    ;
}

/* Jets scored together: the network's big layers then run as GEMMs over all their steps
 * (jx_model_log_prob_many) instead of one jet's. */
#define SCORE_CHUNK JX_EVAL_CHUNK

/* ln P of trees[0..m) into log_p[0..m). When the batch fails, the trees are scored one by
 * one, so the failure recorded is that of the first failing one: pass position at[k],
 * named "jet base + name[k]" in the message (base: the index in its file of jet 0). */
static void
pass_score (Pass *p, int thread, const JxModel *model, const JxTree *const *trees, size_t m,
            JxModelWork *work, double *log_p, const size_t *at, size_t base, const size_t *name)
{
  JxError e;
  jx_error_clear (&e);
  if (m == 0 || jx_model_log_prob_many (model, trees, m, log_p, work, &e) == 0)
    return;
  for (size_t k = 0; k < m; k++)
    {
      jx_error_clear (&e);
      if (jx_model_log_prob (model, trees[k], NULL, &log_p[k], work, &e) != 0)
        {
          jx_error_prefix (&e, "jet %zu: ", base + name[k]);
          pass_fail (p, thread, at[k], &e);
        }
    }
}

/* Called by thread 0 between jets. */
static void
pass_report (Pass *p, double *last)
{
  if (p->progress == NULL)
    return;
  double now = jx_parallel_now ();
  if (now - *last < REPORT_INTERVAL)
    return;
  *last = now;
  size_t done = atomic_load (&p->done);
  char msg[128];
  snprintf (msg, sizeof msg, "%s: %zu of %zu jets", p->what, done, p->n_jets);
  jx_progress_report (p->progress, (double) done, (double) p->n_jets, msg);
}

/* After the join: the error of the first failing jet, or a cancel. */
static int
pass_result (Pass *p, int threads, JxError *err)
{
  size_t best = SIZE_MAX;
  int which = -1;
  for (int k = 0; k < threads; k++)
    if (p->error_index[k] < best)
      {
        best = p->error_index[k];
        which = k;
      }
  if (which >= 0)
    {
      if (err != NULL)
        *err = p->errors[which];
      return p->errors[which].code != 0 ? p->errors[which].code : JX_ERR_INTERNAL;
    }
  if (atomic_load (&p->cancelled) || jx_progress_cancelled (p->progress))
    return jx_error_set (err, JX_ERR_CANCELLED, "%s cancelled", p->what);
  return 0;
}

/* ---- tree sets ---------------------------------------------------------------------- */

typedef struct {
  Pass pass;
  JxTreeSet *set;
  const JxDataset *data;
  const JxClusterOptions *clustering;
  int max_mult;
  bool skip_bad, skip_long;
} BuildJob;

static void
build_worker (void *user, int thread, int n_threads)
{
  BuildJob *job = user;
  JxClusterWork *cw = jx_cluster_work_new ();
  double last = jx_parallel_now ();
  JxError e;
  for (size_t i; (i = pass_take (&job->pass)) != SIZE_MAX;)
    {
      JxTree *tree = &job->set->trees[i];
      jx_error_clear (&e);
      int rc = jx_tree_build (tree, jx_dataset_jet (job->data, i), jx_dataset_jet_size (job->data, i),
                              job->clustering, cw, &e);
      if (rc == JX_ERR_INVALID)
        {
          jx_tree_free (tree);
          job->set->status[i] = JX_JET_BAD;
          if (!job->skip_bad)
            {
              jx_error_prefix (&e, "jet %zu: ", job->data->first_jet + i);
              size_t len = strlen (e.message);
              snprintf (e.message + len, sizeof e.message - len,
                        " (or skip such jets: --skip-bad)");
              pass_fail (&job->pass, thread, i, &e);
            }
        }
      else if (rc != 0)
        {
          jx_tree_free (tree);
          jx_error_prefix (&e, "jet %zu: ", job->data->first_jet + i);
          pass_fail (&job->pass, thread, i, &e);
        }
      else if (tree->n > (size_t) job->max_mult)
        {
          size_t n = tree->n;
          jx_tree_free (tree);
          job->set->status[i] = JX_JET_LONG;
          if (!job->skip_long)
            {
              jx_error_set (&e, JX_ERR_RANGE,
                            "jet %zu has %zu particles after the subjet step, more than the "
                            "model's maximum multiplicity M = %d: skip such jets (--skip-long) "
                            "or train a model with a larger M", job->data->first_jet + i, n,
                            job->max_mult);
              pass_fail (&job->pass, thread, i, &e);
            }
        }
      atomic_fetch_add (&job->pass.done, 1);
      if (thread == 0)
        pass_report (&job->pass, &last);
    }
  jx_cluster_work_free (cw);
  (void) n_threads;
}

void
jx_tree_set_free (JxTreeSet *set)
{
  if (set->trees != NULL)
    for (size_t i = 0; i < set->n_jets; i++)
      jx_tree_free (&set->trees[i]);
  free (set->trees);
  free (set->status);
  memset (set, 0, sizeof *set);
}

int
jx_tree_set_build (JxTreeSet *set, const JxDataset *data, const JxClusterOptions *clustering,
                   int max_mult, bool skip_bad, bool skip_long, int threads,
                   JxProgress *progress, JxError *err)
{
  memset (set, 0, sizeof *set);
  size_t n = data->n_jets;
  set->trees = calloc (n > 0 ? n : 1, sizeof *set->trees);
  set->status = calloc (n > 0 ? n : 1, sizeof *set->status);
  if (set->trees == NULL || set->status == NULL)
    {
      jx_tree_set_free (set);
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory for the trees of %zu jets", n);
    }
  set->n_jets = n;
  set->first_jet = data->first_jet;
  threads = jx_parallel_threads (threads);
  BuildJob job = { .set = set, .data = data, .clustering = clustering, .max_mult = max_mult,
                   .skip_bad = skip_bad, .skip_long = skip_long };
  if (pass_init (&job.pass, n, threads, progress, "clustering") != 0)
    {
      pass_free (&job.pass);
      jx_tree_set_free (set);
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory");
    }
  jx_parallel_run (threads, build_worker, &job);
  int rc = pass_result (&job.pass, threads, err);
  pass_free (&job.pass);
  if (rc != 0)
    {
      jx_tree_set_free (set);
      return rc;
    }
  for (size_t i = 0; i < n; i++)
    {
      set->n_ok += set->status[i] == JX_JET_SCORED;
      set->n_bad += set->status[i] == JX_JET_BAD;
      set->n_long += set->status[i] == JX_JET_LONG;
    }
  return 0;
}

/* ---- sums of log-probabilities over a tree set --------------------------------------- */

typedef struct {
  Pass pass;
  const JxModel *model;
  const JxTreeSet *set;        /* trees set->trees[idx[i]], named first_jet + idx[i] ... */
  const size_t *idx;
  const JxTree *const *trees;  /* ... or trees[i], named names[i] */
  const size_t *names;
  JxModelWork **works;
  double *log_p;
} SumJob;

static void
sum_worker (void *user, int thread, int n_threads)
{
  SumJob *job = user;
  double last = jx_parallel_now ();
  const JxTree *trees[SCORE_CHUNK];
  size_t at[SCORE_CHUNK], name[SCORE_CHUNK];
  for (size_t first, end; pass_take_chunk (&job->pass, SCORE_CHUNK, &first, &end);)
    {
      for (size_t i = first; i < end; i++)
        {
          if (job->trees != NULL)
            {
              trees[i - first] = job->trees[i];
              name[i - first] = job->names[i];
            }
          else
            {
              trees[i - first] = &job->set->trees[job->idx[i]];
              name[i - first] = job->set->first_jet + job->idx[i];
            }
          at[i - first] = i;
        }
      pass_score (&job->pass, thread, job->model, trees, end - first, job->works[thread],
                  job->log_p + first, at, 0, name);
      atomic_fetch_add (&job->pass.done, end - first);
      if (thread == 0)
        pass_report (&job->pass, &last);
    }
  (void) n_threads;
}

static int
sum_log_prob (SumJob *job, size_t n, int threads, double *log_p, double *sum,
              JxProgress *progress, JxError *err)
{
  *sum = 0;
  double *terms = log_p != NULL ? log_p : malloc ((n > 0 ? n : 1) * sizeof *terms);
  if (terms == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  job->log_p = terms;
  int rc = pass_init (&job->pass, n, threads, progress, "validation");
  if (rc != 0)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  else
    {
      jx_parallel_run (threads, sum_worker, job);
      rc = pass_result (&job->pass, threads, err);
    }
  pass_free (&job->pass);
  if (rc == 0)
    {
      double s = 0;
      for (size_t i = 0; i < n; i++)
        s += terms[i];
      *sum = s;
    }
  if (terms != log_p)
    free (terms);
  return rc;
}

int
jx_eval_sum_log_prob (const JxModel *model, const JxTreeSet *set, const size_t *idx, size_t n,
                      int threads, JxModelWork **works, double *log_p, double *sum,
                      JxProgress *progress, JxError *err)
{
  SumJob job = { .model = model, .set = set, .idx = idx, .works = works };
  return sum_log_prob (&job, n, threads, log_p, sum, progress, err);
}

int
jx_eval_sum_log_prob_trees (const JxModel *model, const JxTree *const *trees,
                            const size_t *names, size_t n, int threads, JxModelWork **works,
                            double *log_p, double *sum, JxProgress *progress, JxError *err)
{
  SumJob job = { .model = model, .trees = trees, .names = names, .works = works };
  return sum_log_prob (&job, n, threads, log_p, sum, progress, err);
}

/* ---- evaluation into scores --------------------------------------------------------- */

void
jx_eval_options_default (JxEvalOptions *opt)
{
  memset (opt, 0, sizeof *opt);
}

static void
warnf (JxWarnFunc warn, void *user, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

static void
warnf (JxWarnFunc warn, void *user, const char *fmt, ...)
{
  if (warn == NULL)
    return;
  char msg[512];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  warn (user, msg);
}

static int
attr_double (const JxDataset *data, const char *key, double *out)
{
  const char *v = jx_dataset_get_attr (data, key);
  if (v == NULL)
    return 0;
  char *end;
  double x = strtod (v, &end);
  if (end == v)
    return 0;
  *out = x;
  return 1;
}

double
jx_eval_energy_sum (const JxDataset *data)
{
  double sum = 0;
  for (size_t i = 0; i < data->n_jets; i++)
    {
      const JxP4 *p = jx_dataset_jet (data, i);
      for (size_t k = 0; k < jx_dataset_jet_size (data, i); k++)
        sum += p[k].E;
    }
  return sum;
}

int
jx_eval_check_compat (const JxModel *model, const JxModelMeta *meta, const JxDataset *data,
                      const JxClusterOptions *clustering, JxWarnFunc warn, void *warn_user)
{
  double mean = data->n_jets > 0 ? jx_eval_energy_sum (data) / (double) data->n_jets : NAN;
  return jx_eval_check_compat_mean (model, meta, data, mean, clustering, warn, warn_user);
}

int
jx_eval_check_compat_mean (const JxModel *model, const JxModelMeta *meta, const JxDataset *data,
                           double mean, const JxClusterOptions *clustering, JxWarnFunc warn,
                           void *warn_user)
{
  int n_warn = 0;
  const JxModelConfig *cfg = jx_model_config (model);
  const JxClusterOptions *mine = &meta->clustering;
  const JxClusterOptions *used = clustering != NULL ? clustering : mine;

  /* The scaling maps jet energies around E_jet into [0, 1]; far-off jets push every feature
   * out of the range the network was trained on. */
  double e_jet = cfg->scaling.e_jet;
  if (isfinite (mean) && e_jet > 0 && (mean > 2 * e_jet || mean < 0.5 * e_jet))
    {
      warnf (warn, warn_user, "the data's jets have a mean energy of %.4g GeV but the model's "
             "scaling constant is E_jet = %.4g GeV: the model was made for other jets", mean,
             e_jet);
      n_warn++;
    }

  if (used != mine)
    {
      if (used->algorithm != mine->algorithm)
        {
          warnf (warn, warn_user, "clustering the data with %s but the model was trained on %s trees",
                 jx_algorithm_name (used->algorithm), jx_algorithm_name (mine->algorithm));
          n_warn++;
        }
      if (used->metric != mine->metric)
        {
          warnf (warn, warn_user, "clustering the data with the %s metric but the model was "
                 "trained with %s", jx_metric_name (used->metric), jx_metric_name (mine->metric));
          n_warn++;
        }
      if (used->esub != mine->esub || used->rsub != mine->rsub)
        {
          warnf (warn, warn_user, "subjet step E_sub = %g GeV, R_sub = %g here but the model was "
                 "trained with E_sub = %g GeV, R_sub = %g", used->esub, used->rsub, mine->esub,
                 mine->rsub);
          n_warn++;
        }
    }

  /* Datasets that say how they were clustered or scaled (e.g. imported, pre-processed). */
  const char *algo = jx_dataset_get_attr (data, "algorithm");
  JxAlgorithm a;
  if (algo != NULL && jx_algorithm_parse (algo, &a, NULL) == 0 && a != used->algorithm)
    {
      warnf (warn, warn_user, "the dataset says it was clustered with %s but the model uses %s",
             jx_algorithm_name (a), jx_algorithm_name (used->algorithm));
      n_warn++;
    }
  /* Generated datasets store their jets as subjets at (esub, rsub). A model with a finer
   * subjet step than the data's would see coarser jets than it was trained on; a coarser
   * one re-clusters them and matches, so only the first case is worth a warning. */
  double x;
  if (attr_double (data, "esub", &x) && x > used->esub)
    {
      warnf (warn, warn_user, "the dataset's E_sub = %g GeV but the model uses E_sub = %g GeV", x,
             used->esub);
      n_warn++;
    }
  if (attr_double (data, "rsub", &x) && x > used->rsub)
    {
      warnf (warn, warn_user, "the dataset's R_sub = %g but the model uses R_sub = %g", x, used->rsub);
      n_warn++;
    }
  if (attr_double (data, "e_jet", &x) && x != cfg->scaling.e_jet)
    {
      warnf (warn, warn_user, "the dataset's E_jet = %g GeV but the model's scaling uses "
             "E_jet = %g GeV", x, cfg->scaling.e_jet);
      n_warn++;
    }
  return n_warn;
}

typedef struct {
  Pass pass;
  const JxModel *model;
  const JxDataset *data;
  const JxClusterOptions *clustering;
  JxScores *scores;
  JxStepScore **steps;   /* [n_jets] per-step copies (per_step only) */
  bool per_step;
  int max_mult;
} EvalJob;

/* Cluster jet i into tree; false (status set, or failure recorded) when it is not scored. */
static bool
eval_tree (EvalJob *job, int thread, size_t i, JxClusterWork *cw, JxTree *tree)
{
  JxError e;
  jx_error_clear (&e);
  int rc = jx_tree_build (tree, jx_dataset_jet (job->data, i), jx_dataset_jet_size (job->data, i),
                          job->clustering, cw, &e);
  if (rc == JX_ERR_INVALID)
    job->scores->status[i] = JX_JET_BAD;
  else if (rc != 0)
    {
      jx_error_prefix (&e, "jet %zu: ", job->data->first_jet + i);
      pass_fail (&job->pass, thread, i, &e);
    }
  else
    {
      job->scores->n[i] = (int32_t) tree->n;
      if (tree->n <= (size_t) job->max_mult)
        return true;
      job->scores->status[i] = JX_JET_LONG;
    }
  return false;
}

/* Scores jets [first, end) without per-step terms. */
static void
eval_chunk (EvalJob *job, int thread, size_t first, size_t end, JxClusterWork *cw,
            JxModelWork *mw)
{
  JxTree trees[SCORE_CHUNK];
  const JxTree *ptrs[SCORE_CHUNK];
  size_t which[SCORE_CHUNK];
  double lp[SCORE_CHUNK];
  size_t m = 0;
  for (size_t i = first; i < end; i++)
    if (eval_tree (job, thread, i, cw, &trees[m]))
      {
        ptrs[m] = &trees[m];
        which[m++] = i;
      }
    else
      jx_tree_free (&trees[m]);
  pass_score (&job->pass, thread, job->model, ptrs, m, mw, lp, which, job->data->first_jet,
              which);
  for (size_t k = 0; k < m; k++)
    {
      job->scores->log_p[which[k]] = lp[k];
      jx_tree_free (&trees[k]);
    }
}

static void
eval_worker_batched (EvalJob *job, int thread)
{
  JxClusterWork *cw = jx_cluster_work_new ();
  JxModelWork *mw = jx_model_work_new (job->model);
  double last = jx_parallel_now ();
  if (cw == NULL || mw == NULL)
    {
      JxError e;
      jx_error_set (&e, JX_ERR_NOMEM, "out of memory for evaluation scratch space");
      pass_fail (&job->pass, thread, 0, &e);
    }
  else
    for (size_t first, end; pass_take_chunk (&job->pass, SCORE_CHUNK, &first, &end);)
      {
        eval_chunk (job, thread, first, end, cw, mw);
        atomic_fetch_add (&job->pass.done, end - first);
        if (thread == 0)
          pass_report (&job->pass, &last);
      }
  jx_model_work_free (mw);
  jx_cluster_work_free (cw);
}

static void
eval_worker (void *user, int thread, int n_threads)
{
  EvalJob *job = user;
  if (!job->per_step)
    {
      eval_worker_batched (job, thread);
      return;
    }
  JxClusterWork *cw = jx_cluster_work_new ();
  JxModelWork *mw = jx_model_work_new (job->model);
  JxStepScore *buf = malloc ((size_t) (job->max_mult > 0 ? job->max_mult : 1) * sizeof *buf);
  JxError e;
  double last = jx_parallel_now ();
  if (cw == NULL || mw == NULL || buf == NULL)
    {
      jx_error_set (&e, JX_ERR_NOMEM, "out of memory for evaluation scratch space");
      pass_fail (&job->pass, thread, 0, &e);
    }
  else
    for (size_t i; (i = pass_take (&job->pass)) != SIZE_MAX;)
      {
        JxTree tree;
        jx_error_clear (&e);
        int rc = jx_tree_build (&tree, jx_dataset_jet (job->data, i),
                                jx_dataset_jet_size (job->data, i), job->clustering, cw, &e);
        if (rc == JX_ERR_INVALID)
          job->scores->status[i] = JX_JET_BAD;
        else if (rc != 0)
          {
            jx_error_prefix (&e, "jet %zu: ", job->data->first_jet + i);
            pass_fail (&job->pass, thread, i, &e);
          }
        else if (tree.n > (size_t) job->max_mult)
          {
            job->scores->status[i] = JX_JET_LONG;
            job->scores->n[i] = (int32_t) tree.n;
          }
        else
          {
            job->scores->n[i] = (int32_t) tree.n;
            rc = jx_model_log_prob (job->model, &tree, job->per_step ? buf : NULL,
                                    &job->scores->log_p[i], mw, &e);
            if (rc != 0)
              {
                jx_error_prefix (&e, "jet %zu: ", job->data->first_jet + i);
                pass_fail (&job->pass, thread, i, &e);
              }
            else if (job->per_step)
              {
                job->steps[i] = malloc (tree.n * sizeof *buf);
                if (job->steps[i] == NULL)
                  {
                    jx_error_set (&e, JX_ERR_NOMEM, "out of memory for per-step scores");
                    pass_fail (&job->pass, thread, i, &e);
                  }
                else
                  memcpy (job->steps[i], buf, tree.n * sizeof *buf);
              }
          }
        jx_tree_free (&tree);
        atomic_fetch_add (&job->pass.done, 1);
        if (thread == 0)
          pass_report (&job->pass, &last);
      }
  free (buf);
  jx_model_work_free (mw);
  jx_cluster_work_free (cw);
  (void) n_threads;
}

static int
set_provenance (JxScores *s, const JxModelMeta *meta, const JxClusterOptions *c,
                const JxEvalOptions *opt, JxError *err)
{
  char num[64];
  int rc = 0;
  if (opt->model_name != NULL)
    rc = jx_scores_set_attr (s, "model", opt->model_name, err);
  if (rc == 0 && opt->data_name != NULL)
    rc = jx_scores_set_attr (s, "data", opt->data_name, err);
  if (rc == 0)
    rc = jx_scores_set_attr (s, "algorithm", jx_algorithm_name (c->algorithm), err);
  snprintf (num, sizeof num, "%.17g", c->esub);
  if (rc == 0)
    rc = jx_scores_set_attr (s, "esub", num, err);
  snprintf (num, sizeof num, "%.17g", c->rsub);
  if (rc == 0)
    rc = jx_scores_set_attr (s, "rsub", num, err);
  if (rc == 0 && meta->dataset[0] != '\0')
    rc = jx_scores_set_attr (s, "model_trained_on", meta->dataset, err);
  return rc;
}

int
jx_evaluate (const JxModel *model, const JxModelMeta *meta, const JxDataset *data,
             const JxEvalOptions *opt, JxScores *scores, JxProgress *progress, JxError *err)
{
  JxEvalOptions defaults;
  if (opt == NULL)
    {
      jx_eval_options_default (&defaults);
      opt = &defaults;
    }
  jx_scores_init (scores);
  const JxClusterOptions *clustering = opt->clustering != NULL ? opt->clustering : &meta->clustering;
  jx_eval_check_compat (model, meta, data, opt->clustering, opt->warn, opt->warn_user);

  size_t n = data->n_jets;
  int threads = jx_parallel_threads (opt->threads);
  EvalJob job = { .model = model, .data = data, .clustering = clustering, .scores = scores,
                  .per_step = opt->per_step, .max_mult = jx_model_config (model)->max_mult };
  int rc = jx_scores_alloc (scores, n, err);
  if (rc == 0 && opt->per_step)
    {
      job.steps = calloc (n > 0 ? n : 1, sizeof *job.steps);
      if (job.steps == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
    }
  if (rc == 0 && pass_init (&job.pass, n, threads, progress, "evaluating") != 0)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  if (rc == 0)
    {
      int blas = jx_blas_single_begin ();
      jx_parallel_run (threads, eval_worker, &job);
      jx_blas_single_end (blas);
      rc = pass_result (&job.pass, threads, err);
    }
  pass_free (&job.pass);

  if (rc == 0 && opt->per_step)
    {
      scores->step_offsets = malloc ((n + 1) * sizeof *scores->step_offsets);
      if (scores->step_offsets == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
      else
        {
          scores->step_offsets[0] = 0;
          for (size_t i = 0; i < n; i++)
            scores->step_offsets[i + 1] = scores->step_offsets[i]
                                          + (job.steps[i] != NULL ? (uint64_t) scores->n[i] : 0);
          rc = jx_scores_alloc_steps (scores, err);
        }
      for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t t = 0; job.steps[i] != NULL && t < (size_t) scores->n[i]; t++)
          {
            size_t r = (size_t) scores->step_offsets[i] + t;
            scores->log_end[r] = job.steps[i][t].log_end;
            scores->log_mother[r] = job.steps[i][t].log_mother;
            scores->log_branch[r] = job.steps[i][t].log_branch;
            memcpy (&scores->log_branch_parts[4 * r], job.steps[i][t].log_branch_parts,
                    4 * sizeof (double));
          }
    }
  if (job.steps != NULL)
    for (size_t i = 0; i < n; i++)
      free (job.steps[i]);
  free (job.steps);
  if (rc == 0)
    rc = set_provenance (scores, meta, clustering, opt, err);
  if (rc != 0)
    jx_scores_free (scores);
  return rc;
}
