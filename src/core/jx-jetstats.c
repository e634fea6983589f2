/* jx-jetstats.c — see jx-jetstats.h. */
#include "jx-jetstats.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-parallel.h"

void
jx_jetstats_init (JxJetStats *st)
{
  memset (st, 0, sizeof *st);
  jx_cluster_options_default (&st->clustering);
}

void
jx_jetstats_free (JxJetStats *st)
{
  free (st->values);
  free (st->status);
  jx_jetstats_init (st);
}

void
jx_jetstats_observables (const JxJetStats *st, size_t r, JxObservables *out)
{
  const double *v = jx_jetstats_row (st, r);
  double n = v[0];

  out->n = isfinite (n) && n > 0 ? (size_t) n : 0;
  out->E = v[1];
  out->mass = v[2];
  out->tau1 = v[3];
  out->tau2 = v[4];
  out->tau3 = v[5];
  out->tau21 = v[6];
  out->tau32 = v[7];
  out->width = v[8];
  for (int k = 0; k < JX_N_PSI; k++)
    out->psi[k] = v[9 + k];
  out->z1 = v[9 + JX_N_PSI];
  out->theta1 = v[10 + JX_N_PSI];
  out->delta1 = v[11 + JX_N_PSI];
}

int
jx_jetstats_jet (const JxP4 *particles, size_t n, size_t index,
                 const JxClusterOptions *clustering, JxP4 *scratch, JxClusterWork *work,
                 JxObservables *out, JxError *err)
{
  size_t kept = 0;
  int rc = jx_jet_validate (particles, n, index, err);
  if (rc != 0)
    return rc;
  rc = jx_subjets_metric (particles, n, clustering->metric, clustering->rsub, clustering->esub,
                          scratch, &kept, work);
  if (rc != 0)
    return jx_error_set (err, rc, "jet %zu: subjet clustering failed (%s)", index,
                         jx_status_name (rc));
  if (kept == 0)
    return jx_error_set (err, JX_ERR_INVALID,
                         "jet %zu: no subjet has E >= E_sub = %g GeV (lower E_sub, or leave "
                         "the jet out)", index, clustering->esub);
  rc = jx_observables_compute (scratch, kept, out, work, err);
  if (rc != 0)
    jx_error_prefix (err, "jet %zu: ", index);
  return rc;
}

/* ---- the threaded loop over jets, shared by the table and the seeds ------------------ */

/* What one jet gives: 0, a failure of that jet alone (recorded), or a fatal error. */
typedef int (*JetFunc) (void *user, size_t jet, const JxP4 *p, size_t n, JxP4 *scratch,
                        JxClusterWork *work, JxError *err);

typedef struct {
  const JxDataset *ds;
  size_t first, last;
  JetFunc func;
  void *user;
  JxProgress *progress;
  const char *what;   /* progress message */
  atomic_size_t done;
  atomic_int stop;
  int *rc;            /* [threads] fatal status */
  JxError *errs;      /* [threads] fatal message */
} Loop;

static bool
fatal (int rc)
{
  return rc == JX_ERR_NOMEM || rc == JX_ERR_INTERNAL || rc == JX_ERR_CANCELLED;
}

static void
loop_thread (void *user, int thread, int n_threads)
{
  Loop *c = user;
  size_t span = c->last - c->first;
  size_t lo = c->first + span * (size_t) thread / (size_t) n_threads;
  size_t hi = c->first + span * (size_t) (thread + 1) / (size_t) n_threads;
  size_t max_n = 1;
  for (size_t i = lo; i < hi; i++)
    if (jx_dataset_jet_size (c->ds, i) > max_n)
      max_n = jx_dataset_jet_size (c->ds, i);
  JxP4 *scratch = malloc (max_n * sizeof *scratch);
  JxClusterWork *work = jx_cluster_work_new ();
  double last_report = jx_parallel_now ();
  int rc = scratch == NULL || work == NULL
           ? jx_error_set (&c->errs[thread], JX_ERR_NOMEM, "no memory for the observables") : 0;

  size_t since = 0;
  for (size_t i = lo; i < hi && rc == 0; i++)
    {
      JxError jet_err = { 0 };
      int status = c->func (c->user, i, jx_dataset_jet (c->ds, i), jx_dataset_jet_size (c->ds, i),
                            scratch, work, &jet_err);
      if (fatal (status))
        {
          rc = status;
          c->errs[thread] = jet_err;
        }
      if (++since == 256 || i + 1 == hi)
        {
          size_t done = atomic_fetch_add (&c->done, since) + since;
          since = 0;
          if (rc == 0 && (jx_progress_cancelled (c->progress) || atomic_load (&c->stop)))
            rc = jx_error_set (&c->errs[thread], JX_ERR_CANCELLED, "cancelled");
          if (thread == 0 && jx_parallel_now () - last_report > 0.05)
            {
              last_report = jx_parallel_now ();
              jx_progress_report (c->progress, (double) done, (double) span, c->what);
            }
        }
    }
  if (rc != 0)
    {
      c->rc[thread] = rc;
      atomic_store (&c->stop, 1);
    }
  jx_cluster_work_free (work);
  free (scratch);
}

static int
run_loop (const JxDataset *ds, size_t first, size_t last, int threads, JetFunc func, void *user,
          const char *what, JxProgress *progress, JxError *err)
{
  int n_threads = jx_parallel_threads (threads);
  size_t span = last - first;
  if ((size_t) n_threads > span)
    n_threads = span > 0 ? (int) span : 1;
  int *rcs = calloc ((size_t) n_threads, sizeof *rcs);
  JxError *errs = calloc ((size_t) n_threads, sizeof *errs);
  if (rcs == NULL || errs == NULL)
    {
      free (rcs);
      free (errs);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for %d threads", n_threads);
    }
  Loop c = { .ds = ds, .first = first, .last = last, .func = func, .user = user,
             .progress = progress, .what = what, .rc = rcs, .errs = errs };
  atomic_init (&c.done, 0);
  atomic_init (&c.stop, 0);
  jx_parallel_run (n_threads, loop_thread, &c);
  int rc = 0;
  /* A real error beats the cancels it caused in the other threads. */
  for (int k = 0; k < n_threads; k++)
    if (rcs[k] != 0 && (rc == 0 || rc == JX_ERR_CANCELLED))
      {
        rc = rcs[k];
        if (err != NULL)
          *err = errs[k];
      }
  if (rc == 0)
    jx_progress_report (progress, (double) span, (double) span, what);
  free (rcs);
  free (errs);
  return rc;
}

/* ---- the observables table ---------------------------------------------------------- */

typedef struct {
  JxJetStats *st;
  size_t first_jet;   /* ds->first_jet: messages name jets by their index in the file */
} TableCtx;

static int
table_jet (void *user, size_t jet, const JxP4 *p, size_t n, JxP4 *scratch, JxClusterWork *work,
           JxError *err)
{
  TableCtx *c = user;
  JxJetStats *st = c->st;
  size_t r = jet - st->first;
  double *row = st->values + r * JX_N_OBSERVABLES;
  JxObservables obs;
  int rc = jx_jetstats_jet (p, n, c->first_jet + jet, &st->clustering, scratch, work, &obs, err);

  if (rc == 0)
    {
      jx_observables_row (&obs, row);
      st->status[r] = 0;
      return 0;
    }
  for (int k = 0; k < JX_N_OBSERVABLES; k++)
    row[k] = NAN;
  st->status[r] = rc;
  return rc;
}

/* The first failure's message: the jets are rechecked one by one in order only up to it, so
 * the threads need not keep every message. */
static void
keep_first_error (JxJetStats *st, const JxDataset *ds)
{
  for (size_t r = 0; r < st->n_jets; r++)
    if (st->status[r] != 0)
      {
        size_t jet = st->first + r, n = jx_dataset_jet_size (ds, jet);
        JxP4 *scratch = malloc ((n > 0 ? n : 1) * sizeof *scratch);
        JxObservables obs;
        if (scratch == NULL)
          jx_error_set (&st->first_error, st->status[r], "jet %zu: %s", ds->first_jet + jet,
                        jx_status_name (st->status[r]));
        else
          jx_jetstats_jet (jx_dataset_jet (ds, jet), n, ds->first_jet + jet, &st->clustering,
                           scratch, NULL, &obs, &st->first_error);
        free (scratch);
        return;
      }
}

int
jx_jetstats_compute (JxJetStats *st, const JxDataset *ds, size_t first, size_t last,
                     const JxClusterOptions *clustering, int threads, JxProgress *progress,
                     JxError *err)
{
  jx_jetstats_init (st);
  if (clustering != NULL)
    st->clustering = *clustering;
  if (first > last || last > ds->n_jets)
    return jx_error_set (err, JX_ERR_INVALID, "jets %zu..%zu are not in a dataset of %zu jets",
                         first, last, ds->n_jets);
  if (!(st->clustering.esub >= 0) || !(st->clustering.rsub >= 0) || !isfinite (st->clustering.esub)
      || !isfinite (st->clustering.rsub))
    return jx_error_set (err, JX_ERR_INVALID,
                         "subjet parameters must be finite and >= 0 (E_sub = %g, R_sub = %g)",
                         st->clustering.esub, st->clustering.rsub);
  st->first = first;
  st->n_jets = last - first;
  st->values = malloc ((st->n_jets * JX_N_OBSERVABLES + 1) * sizeof *st->values);
  st->status = malloc ((st->n_jets + 1) * sizeof *st->status);
  if (st->values == NULL || st->status == NULL)
    {
      jx_jetstats_free (st);
      return jx_error_set (err, JX_ERR_NOMEM, "no memory for the observables of %zu jets",
                           last - first);
    }
  TableCtx c = { .st = st, .first_jet = ds->first_jet };
  int rc = run_loop (ds, first, last, threads, table_jet, &c, "observables", progress, err);
  if (rc != 0)
    {
      JxClusterOptions keep = st->clustering;
      jx_jetstats_free (st);
      st->clustering = keep;
      return rc;
    }
  for (size_t r = 0; r < st->n_jets; r++)
    st->n_failed += st->status[r] != 0;
  keep_first_error (st, ds);
  return 0;
}

/* ---- branchings ---------------------------------------------------------------------- */

typedef struct {
  const JxClusterOptions *clustering;
  size_t first;
  double **zt;        /* [jets] per jet: n−1 (z, θ) pairs, malloc'd; NULL for none */
  size_t *steps;      /* [jets] */
  uint8_t *failed;    /* [jets] */
} BranchCtx;

static int
branch_jet (void *user, size_t jet, const JxP4 *p, size_t n, JxP4 *scratch, JxClusterWork *work,
            JxError *err)
{
  BranchCtx *c = user;
  size_t r = jet - c->first;
  JxTree tree;
  int rc = jx_tree_build (&tree, p, n, c->clustering, work, err);
  if (rc != 0)
    {
      jx_tree_free (&tree);
      c->failed[r] = 1;
      return fatal (rc) ? rc : 0;
    }
  size_t steps = tree.n - 1;
  c->zt[r] = steps > 0 ? malloc (2 * steps * sizeof (double)) : NULL;
  if (steps > 0 && c->zt[r] == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "no memory for the branchings of jet %zu", jet);
  for (size_t t = 0; rc == 0 && t < steps; t++)
    {
      c->zt[r][2 * t] = tree.steps[t].x.z;
      c->zt[r][2 * t + 1] = tree.steps[t].x.theta;
    }
  c->steps[r] = rc == 0 ? steps : 0;
  jx_tree_free (&tree);
  return rc;
}

int
jx_jetstats_branchings (const JxDataset *ds, size_t first, size_t last,
                        const JxClusterOptions *clustering, int threads, double **z,
                        double **theta, size_t *n, size_t *n_failed, JxProgress *progress,
                        JxError *err)
{
  *z = *theta = NULL;
  *n = *n_failed = 0;
  if (first > last || last > ds->n_jets)
    return jx_error_set (err, JX_ERR_INVALID, "jets %zu..%zu are not in a dataset of %zu jets",
                         first, last, ds->n_jets);
  size_t jets = last - first;
  BranchCtx c = { .clustering = clustering, .first = first,
                  .zt = calloc (jets + 1, sizeof (double *)),
                  .steps = calloc (jets + 1, sizeof (size_t)), .failed = calloc (jets + 1, 1) };
  int rc = c.zt && c.steps && c.failed
           ? 0 : jx_error_set (err, JX_ERR_NOMEM, "no memory for the trees of %zu jets", jets);
  if (rc == 0)
    rc = run_loop (ds, first, last, threads, branch_jet, &c, "branchings", progress, err);
  size_t total = 0;
  for (size_t r = 0; rc == 0 && r < jets; r++)
    {
      total += c.steps[r];
      *n_failed += c.failed[r];
    }
  if (rc == 0)
    {
      *z = malloc ((total + 1) * sizeof (double));
      *theta = malloc ((total + 1) * sizeof (double));
      if (*z == NULL || *theta == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "no memory for %zu branchings", total);
    }
  for (size_t r = 0; rc == 0 && r < jets; r++)
    for (size_t t = 0; t < c.steps[r]; t++, (*n)++)
      {
        (*z)[*n] = c.zt[r][2 * t];
        (*theta)[*n] = c.zt[r][2 * t + 1];
      }
  for (size_t r = 0; c.zt != NULL && r < jets; r++)
    free (c.zt[r]);
  free (c.zt);
  free (c.steps);
  free (c.failed);
  if (rc != 0)
    {
      free (*z);
      free (*theta);
      *z = *theta = NULL;
      *n = *n_failed = 0;
    }
  return rc;
}

/* ---- seeds ---------------------------------------------------------------------------- */

enum { SEED_OK = 0, SEED_INVALID, SEED_NO_SUBJETS, SEED_MASSLESS, SEED_SPACELIKE };

typedef struct {
  const JxClusterOptions *clustering;
  JxP4 *momenta;      /* [n_jets] */
  uint8_t *why;       /* [n_jets] SEED_* */
} SeedCtx;

static int
seed_jet (void *user, size_t jet, const JxP4 *p, size_t n, JxP4 *scratch, JxClusterWork *work,
          JxError *err)
{
  SeedCtx *c = user;
  size_t kept = 0;
  if (jx_jet_validate (p, n, jet, NULL) != 0)
    {
      c->why[jet] = SEED_INVALID;
      return 0;
    }
  int rc = jx_subjets_metric (p, n, c->clustering->metric, c->clustering->rsub, c->clustering->esub,
                              scratch, &kept, work);
  if (rc != 0)
    return jx_error_set (err, rc, "jet %zu: subjet clustering failed (%s)", jet,
                         jx_status_name (rc));
  JxP4 sum = jx_p4 (0, 0, 0, 0);
  for (size_t k = 0; k < kept; k++)
    sum = jx_p4_add (sum, scratch[k]);
  double m2 = jx_p4_m2_rounded (sum);
  c->momenta[jet] = sum;
  /* A massless jet cannot split, so it cannot start a shower. */
  c->why[jet] = kept == 0 ? SEED_NO_SUBJETS
                : m2 > 0 ? SEED_OK : m2 == 0 ? SEED_MASSLESS : SEED_SPACELIKE;
  return 0;
}

int
jx_jetstats_seeds (const JxDataset *ds, const JxClusterOptions *clustering, int threads,
                   JxP4 **seeds, size_t *n_seeds, JxSeedSkips *skips, JxProgress *progress,
                   JxError *err)
{
  size_t n = ds->n_jets;
  SeedCtx c = { .clustering = clustering, .momenta = malloc ((n + 1) * sizeof (JxP4)),
                .why = calloc (n + 1, 1) };
  *seeds = NULL;
  *n_seeds = 0;
  memset (skips, 0, sizeof *skips);
  int rc = c.momenta == NULL || c.why == NULL
           ? jx_error_set (err, JX_ERR_NOMEM, "no memory for the momenta of %zu jets", n) : 0;
  if (rc == 0)
    rc = run_loop (ds, 0, n, threads, seed_jet, &c, "jet momenta", progress, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    switch (c.why[i])
      {
      case SEED_OK: c.momenta[(*n_seeds)++] = c.momenta[i]; break;
      case SEED_INVALID: skips->n_invalid++; break;
      case SEED_NO_SUBJETS: skips->n_no_subjets++; break;
      case SEED_MASSLESS: skips->n_massless++; break;
      default: skips->n_spacelike++; break;
      }
  free (c.why);
  if (rc != 0)
    {
      free (c.momenta);
      memset (skips, 0, sizeof *skips);
      *n_seeds = 0;
      return rc;
    }
  *seeds = c.momenta;
  return 0;
}

void
jx_seed_skips_describe (const JxSeedSkips *s, char *buf, size_t size)
{
  size_t total = jx_seed_skips_total (s);
  if (size == 0)
    return;
  buf[0] = '\0';
  if (total == 0)
    return;
  const struct { size_t n; const char *what; } parts[] = {
    { s->n_massless, "massless: a single particle or collinear ones" },
    { s->n_no_subjets, "nothing above E_sub" },
    { s->n_spacelike, "spacelike" },
    { s->n_invalid, "bad momenta" },
  };
  size_t len = (size_t) snprintf (buf, size, "%zu jet%s cannot seed a shower (", total,
                                  total == 1 ? "" : "s");
  bool first = true;
  for (size_t k = 0; k < sizeof parts / sizeof parts[0] && len < size; k++)
    if (parts[k].n > 0)
      {
        len += (size_t) snprintf (buf + len, size - len, "%s%zu %s", first ? "" : ", ", parts[k].n,
                                  parts[k].what);
        first = false;
      }
  if (len < size)
    snprintf (buf + len, size - len, ")");
}
