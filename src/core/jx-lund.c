/* jx-lund.c — see jx-lund.h. */
#include "jx-lund.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-parallel.h"

/* The jets of a dataset map are cut into blocks of this many (counted from the map's first
 * jet), each summed on its own and merged in order: the map depends neither on the thread
 * count nor on how the jets arrive (all at once, or a file's chunks). */
#define MAP_BLOCK_JETS 256
/* An in-memory dataset is mapped this many jets at a time, as a stream's chunks are: the
 * blocks in flight stay few. */
#define MAP_WINDOW_JETS 16384
#define REPORT_INTERVAL 0.1   /* seconds between progress reports */

/* ---- one jet ------------------------------------------------------------------------- */

void
jx_lund_point (const JxTree *tree, int mother, JxLundEmission *e)
{
  const JxNode *m = &tree->nodes[mother];
  const JxNode *hard = &tree->nodes[m->daughter[0]];
  const JxNode *soft = &tree->nodes[m->daughter[1]];

  e->step = m->step;
  e->mother = mother;
  e->emission = m->daughter[1];
  e->delta = jx_p4_angle (hard->p, soft->p);
  e->kt = soft->p.E * sin (e->delta);
  e->z = m->p.E > 0 ? soft->p.E / m->p.E : NAN;
  e->x = log (1.0 / e->delta);
  e->y = log (e->kt);
  e->lr = NAN;
}

/* A node is on the primary chain when every node above it is its mother's harder daughter. */
static bool
on_primary_chain (const JxTree *tree, int node)
{
  for (int m; (m = tree->nodes[node].mother) >= 0; node = m)
    if (tree->nodes[m].daughter[0] != node)
      return false;
  return true;
}

size_t
jx_lund_primary (const JxTree *tree, const double *lr, JxLundEmission *out, size_t cap)
{
  size_t k = 0;

  for (int i = tree->root; i >= 0 && tree->nodes[i].step > 0 && k < cap;
       i = tree->nodes[i].daughter[0])
    {
      jx_lund_point (tree, i, &out[k]);
      if (lr != NULL)
        out[k].lr = lr[out[k].step - 1];
      k++;
    }
  return k;
}

void
jx_lund_step_lr (const JxStepScore *a, const JxStepScore *b, size_t n, double *lr)
{
  for (size_t t = 0; t < n; t++)
    {
      double la = a[t].log_end + a[t].log_mother + a[t].log_branch;
      double lb = b[t].log_end + b[t].log_mother + b[t].log_branch;
      lr[t] = (la - lb) / M_LN10;
    }
}

/* ---- grids and maps ------------------------------------------------------------------ */

void
jx_lund_grid_default (JxLundGrid *g)
{
  *g = (JxLundGrid) { .nx = 20, .ny = 20, .x_lo = -1.2, .x_hi = 3.8, .y_lo = -3.0, .y_hi = 6.0 };
}

int
jx_lund_grid_check (const JxLundGrid *g, JxError *err)
{
  if (g->nx < 1 || g->nx > 1000 || g->ny < 1 || g->ny > 1000)
    return jx_error_set (err, JX_ERR_INVALID, "Lund grid of %d × %d bins: use 1..1000 bins along "
                         "each axis", g->nx, g->ny);
  if (!(isfinite (g->x_lo) && isfinite (g->x_hi) && g->x_lo < g->x_hi))
    return jx_error_set (err, JX_ERR_INVALID, "Lund grid x range [%g, %g]: needs finite lo < hi",
                         g->x_lo, g->x_hi);
  if (!(isfinite (g->y_lo) && isfinite (g->y_hi) && g->y_lo < g->y_hi))
    return jx_error_set (err, JX_ERR_INVALID, "Lund grid y range [%g, %g]: needs finite lo < hi",
                         g->y_lo, g->y_hi);
  return 0;
}

static int
axis_index (double v, double lo, double hi, int n)
{
  if (!(v >= lo && v <= hi))   /* also NaN */
    return -1;
  int i = (int) ((v - lo) / (hi - lo) * n);
  return i < n ? i : n - 1;
}

int
jx_lund_grid_bin (const JxLundGrid *g, double x, double y)
{
  int ix = axis_index (x, g->x_lo, g->x_hi, g->nx);
  int iy = axis_index (y, g->y_lo, g->y_hi, g->ny);
  return ix < 0 || iy < 0 ? -1 : iy * g->nx + ix;
}

double
jx_lund_grid_bin_area (const JxLundGrid *g)
{
  return (g->x_hi - g->x_lo) / g->nx * (g->y_hi - g->y_lo) / g->ny;
}

const char *
jx_lund_cell_name (JxLundCell cell)
{
  switch (cell)
    {
    case JX_LUND_SECONDARY: return "secondary";
    case JX_LUND_END: return "end";
    case JX_LUND_OUTSIDE: return "outside";
    default: return "?";
    }
}

/* Neumaier's compensated addition: the sum of many jets' terms keeps the precision of the
 * terms, so the map sums to the jets' totals whatever the number of jets. */
static void
sum_add (JxLundSum *s, double v)
{
  double t = s->sum + v;
  if (fabs (s->sum) >= fabs (v))
    s->c += (s->sum - t) + v;
  else
    s->c += (v - t) + s->sum;
  s->sum = t;
}

static void
sum_merge (JxLundSum *into, const JxLundSum *from)
{
  sum_add (into, from->sum);
  sum_add (into, from->c);
}

int
jx_lund_map_init (JxLundMap *map, const JxLundGrid *grid, JxError *err)
{
  memset (map, 0, sizeof *map);
  int rc = jx_lund_grid_check (grid, err);
  if (rc != 0)
    return rc;
  map->grid = *grid;
  size_t nb = (size_t) grid->nx * (size_t) grid->ny;
  map->lr = calloc (nb, sizeof *map->lr);
  map->count = calloc (nb, sizeof *map->count);
  if (map->lr == NULL || map->count == NULL)
    {
      jx_lund_map_free (map);
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory for a Lund map of %zu bins", nb);
    }
  return 0;
}

void
jx_lund_map_free (JxLundMap *map)
{
  free (map->lr);
  free (map->count);
  memset (map, 0, sizeof *map);
}

static void
add_to_cell (JxLundMap *map, JxLundCell cell, double v)
{
  sum_add (&map->cell_lr[cell], v);
  map->cell_count[cell]++;
}

void
jx_lund_map_add (JxLundMap *map, const JxTree *tree, const double *lr, double total)
{
  size_t n = tree->n;
  double sum = 0;

  for (size_t t = 0; t < n; t++)
    {
      if (!isfinite (lr[t]))
        {
          map->n_unscored++;
          return;
        }
      sum += lr[t];
    }
  if (!isfinite (total))
    total = sum;
  /* Step t: its mother is primary or not; primary points go to their bin. */
  for (size_t t = 1; t < n; t++)
    {
      int mother = tree->steps[t - 1].mother;
      if (!on_primary_chain (tree, mother))
        {
          add_to_cell (map, JX_LUND_SECONDARY, lr[t - 1]);
          continue;
        }
      JxLundEmission e;
      jx_lund_point (tree, mother, &e);
      int bin = jx_lund_grid_bin (&map->grid, e.x, e.y);
      if (bin < 0)
        add_to_cell (map, JX_LUND_OUTSIDE, lr[t - 1]);
      else
        {
          sum_add (&map->lr[bin], lr[t - 1]);
          map->count[bin]++;
        }
    }
  add_to_cell (map, JX_LUND_END, lr[n - 1]);
  sum_add (&map->total_lr, total);
  map->n_jets++;
}

int
jx_lund_map_merge (JxLundMap *into, const JxLundMap *from, JxError *err)
{
  const JxLundGrid *a = &into->grid, *b = &from->grid;
  if (a->nx != b->nx || a->ny != b->ny || a->x_lo != b->x_lo || a->x_hi != b->x_hi
      || a->y_lo != b->y_lo || a->y_hi != b->y_hi)
    return jx_error_set (err, JX_ERR_INVALID, "cannot merge Lund maps of different grids");
  size_t nb = (size_t) a->nx * (size_t) a->ny;
  for (size_t i = 0; i < nb; i++)
    {
      sum_merge (&into->lr[i], &from->lr[i]);
      into->count[i] += from->count[i];
    }
  for (int c = 0; c < JX_LUND_N_CELLS; c++)
    {
      sum_merge (&into->cell_lr[c], &from->cell_lr[c]);
      into->cell_count[c] += from->cell_count[c];
    }
  sum_merge (&into->total_lr, &from->total_lr);
  into->n_jets += from->n_jets;
  into->n_bad += from->n_bad;
  into->n_long += from->n_long;
  into->n_unscored += from->n_unscored;
  return 0;
}

double
jx_lund_map_attribution (const JxLundMap *map, int bin)
{
  return map->n_jets > 0 ? jx_lund_sum_value (&map->lr[bin]) / (double) map->n_jets : NAN;
}

double
jx_lund_map_density (const JxLundMap *map, int bin)
{
  if (map->n_jets == 0)
    return NAN;
  return (double) map->count[bin] / ((double) map->n_jets * jx_lund_grid_bin_area (&map->grid));
}

double
jx_lund_map_mean_term (const JxLundMap *map, int bin)
{
  return map->count[bin] > 0 ? jx_lund_sum_value (&map->lr[bin]) / (double) map->count[bin]
                             : NAN;
}

double
jx_lund_map_cell_attribution (const JxLundMap *map, JxLundCell cell)
{
  return map->n_jets > 0 ? jx_lund_sum_value (&map->cell_lr[cell]) / (double) map->n_jets : NAN;
}

double
jx_lund_map_attributed_mean (const JxLundMap *map)
{
  if (map->n_jets == 0)
    return NAN;
  JxLundSum s = { 0 };
  size_t nb = (size_t) map->grid.nx * (size_t) map->grid.ny;
  for (size_t i = 0; i < nb; i++)
    sum_merge (&s, &map->lr[i]);
  for (int c = 0; c < JX_LUND_N_CELLS; c++)
    sum_merge (&s, &map->cell_lr[c]);
  return jx_lund_sum_value (&s) / (double) map->n_jets;
}

double
jx_lund_map_mean_total (const JxLundMap *map)
{
  return map->n_jets > 0 ? jx_lund_sum_value (&map->total_lr) / (double) map->n_jets : NAN;
}

/* ---- a dataset's map ----------------------------------------------------------------- */

void
jx_lund_options_default (JxLundOptions *opt)
{
  jx_lund_grid_default (&opt->grid);
  opt->first = 0;
  opt->last = 0;
  opt->threads = 0;
}

/* A map being summed: its jets arrive in runs (rows of a dataset in memory, or of a chunk),
 * in order. */
typedef struct {
  const JxModel *model[2];
  const JxClusterOptions *clustering;
  const JxLundGrid *grid;
  int threads;
  size_t n_jets;              /* the map's jets */
  JxLundMap *map;             /* the finished blocks, merged in order */
  JxLundMap carry;            /* the block the last run ended inside, so far */
  bool have_carry;
  JxProgress *progress;
  atomic_size_t done;         /* jets finished, for progress */
} MapSum;

/* One run: rows [lo, hi) of data, the map's jets pos, pos + 1 ...; blocks[k] sums the
 * run's part of block b0 + k. */
typedef struct {
  MapSum *sum;
  const JxDataset *data;
  size_t lo, hi, pos;
  size_t b0, n_blocks;
  JxLundMap *blocks;
  atomic_size_t next_block;
  atomic_int failed;          /* out of memory in a worker */
} MapJob;

/* Scratch of one worker. */
typedef struct {
  JxClusterWork *cluster;
  JxModelWork *work[2];
  JxStepScore *scores[2];
  double *lr;
  size_t cap;
} Scratch;

static bool
scratch_reserve (Scratch *s, size_t n)
{
  if (n <= s->cap)
    return true;
  for (int m = 0; m < 2; m++)
    {
      JxStepScore *p = realloc (s->scores[m], n * sizeof *p);
      if (p == NULL)
        return false;
      s->scores[m] = p;
    }
  double *lr = realloc (s->lr, n * sizeof *lr);
  if (lr == NULL)
    return false;
  s->lr = lr;
  s->cap = n;
  return true;
}

static void
scratch_free (Scratch *s)
{
  jx_cluster_work_free (s->cluster);
  for (int m = 0; m < 2; m++)
    {
      jx_model_work_free (s->work[m]);
      free (s->scores[m]);
    }
  free (s->lr);
}

/* One jet into the block's map; false only when out of memory. */
static bool
map_jet (const MapSum *job, Scratch *s, JxLundMap *block, const JxDataset *data, size_t i)
{
  const JxP4 *p = jx_dataset_jet (data, i);
  size_t n = jx_dataset_jet_size (data, i);
  JxTree tree = { 0 };
  JxError e = { 0 };
  double log_p[2];

  if (jx_jet_validate (p, n, i, &e) != 0)
    {
      block->n_bad++;
      return true;
    }
  int rc = jx_tree_build (&tree, p, n, job->clustering, s->cluster, &e);
  if (rc == JX_ERR_NOMEM)
    return false;
  if (rc != 0)
    {
      jx_tree_free (&tree);
      block->n_bad++;
      return true;
    }
  for (int m = 0; m < 2; m++)
    if ((int) tree.n > jx_model_config (job->model[m])->max_mult)
      {
        jx_tree_free (&tree);
        block->n_long++;
        return true;
      }
  if (!scratch_reserve (s, tree.n))
    {
      jx_tree_free (&tree);
      return false;
    }
  for (int m = 0; m < 2; m++)
    {
      rc = jx_model_log_prob (job->model[m], &tree, s->scores[m], &log_p[m], s->work[m], &e);
      if (rc == JX_ERR_NOMEM)
        {
          jx_tree_free (&tree);
          return false;
        }
      if (rc != 0 || !isfinite (log_p[m]))
        {
          jx_tree_free (&tree);
          block->n_unscored++;
          return true;
        }
    }
  jx_lund_step_lr (s->scores[0], s->scores[1], tree.n, s->lr);
  jx_lund_map_add (block, &tree, s->lr, (log_p[0] - log_p[1]) / M_LN10);
  jx_tree_free (&tree);
  return true;
}

static void
report (MapSum *job, double *last)
{
  double now = jx_parallel_now ();
  if (job->progress == NULL || now - *last < REPORT_INTERVAL)
    return;
  *last = now;
  size_t done = atomic_load (&job->done);
  char msg[96];
  snprintf (msg, sizeof msg, "Lund map: %zu of %zu jets", done, job->n_jets);
  jx_progress_report (job->progress, (double) done, (double) job->n_jets, msg);
}

static void
map_worker (void *user, int thread, int n_threads)
{
  MapJob *job = user;
  MapSum *sum = job->sum;
  Scratch s = { 0 };
  double last = jx_parallel_now ();
  (void) n_threads;

  s.cluster = jx_cluster_work_new ();
  s.work[0] = jx_model_work_new (sum->model[0]);
  s.work[1] = jx_model_work_new (sum->model[1]);
  if (s.cluster == NULL || s.work[0] == NULL || s.work[1] == NULL)
    {
      atomic_store (&job->failed, 1);
      scratch_free (&s);
      return;
    }
  for (;;)
    {
      size_t k = atomic_fetch_add (&job->next_block, 1);
      if (k >= job->n_blocks || atomic_load (&job->failed))
        break;
      /* block b0 + k within the run: positions [start, end) */
      size_t b = job->b0 + k, run_end = job->pos + (job->hi - job->lo);
      size_t start = b * MAP_BLOCK_JETS > job->pos ? b * MAP_BLOCK_JETS : job->pos;
      size_t end = (b + 1) * MAP_BLOCK_JETS < run_end ? (b + 1) * MAP_BLOCK_JETS : run_end;
      for (size_t j = start; j < end; j++)
        {
          if (jx_progress_cancelled (sum->progress) || atomic_load (&job->failed))
            goto out;
          if (!map_jet (sum, &s, &job->blocks[k], job->data, job->lo + (j - job->pos)))
            {
              atomic_store (&job->failed, 1);
              goto out;
            }
          atomic_fetch_add (&sum->done, 1);
          if (thread == 0)
            report (sum, &last);
        }
    }
out:
  scratch_free (&s);
}

/* Rows [lo, hi) of data, the map's jets pos, pos + 1 ..., into sum: their blocks summed on
 * the threads, the finished ones merged into the map in order, the last one carried when the
 * run ends inside it. */
static int
map_run (MapSum *sum, const JxDataset *data, size_t lo, size_t hi, size_t pos, JxError *err)
{
  if (hi <= lo)
    return 0;
  size_t end = pos + (hi - lo);
  MapJob job = { .sum = sum, .data = data, .lo = lo, .hi = hi, .pos = pos,
                 .b0 = pos / MAP_BLOCK_JETS };
  job.n_blocks = (end - 1) / MAP_BLOCK_JETS - job.b0 + 1;
  job.blocks = calloc (job.n_blocks, sizeof *job.blocks);
  if (job.blocks == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for a Lund map");
  int rc = 0;
  size_t k0 = 0;
  if (sum->have_carry)   /* the run starts inside the carried block: it goes on there */
    {
      job.blocks[0] = sum->carry;
      sum->have_carry = false;
      k0 = 1;
    }
  for (size_t k = k0; k < job.n_blocks && rc == 0; k++)
    rc = jx_lund_map_init (&job.blocks[k], sum->grid, err);
  atomic_init (&job.next_block, 0);
  atomic_init (&job.failed, 0);
  if (rc == 0)
    {
      int threads = jx_parallel_threads (sum->threads);
      if ((size_t) threads > job.n_blocks)
        threads = (int) job.n_blocks;
      int blas = jx_blas_single_begin ();
      jx_parallel_run (threads, map_worker, &job);
      jx_blas_single_end (blas);
      if (atomic_load (&job.failed))
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory while making the Lund map");
      else if (jx_progress_cancelled (sum->progress))
        rc = jx_error_set (err, JX_ERR_CANCELLED, "Lund map cancelled");
    }
  /* the last block goes on in the next run unless it is full or the map ends here */
  size_t last_end = (job.b0 + job.n_blocks) * MAP_BLOCK_JETS;
  size_t n_done = rc == 0 && end < last_end && end < sum->n_jets ? job.n_blocks - 1
                                                                  : job.n_blocks;
  for (size_t k = 0; k < n_done && rc == 0; k++)
    rc = jx_lund_map_merge (sum->map, &job.blocks[k], err);
  if (rc == 0 && n_done < job.n_blocks)
    {
      sum->carry = job.blocks[n_done];
      sum->have_carry = true;
      memset (&job.blocks[n_done], 0, sizeof job.blocks[n_done]);
    }
  for (size_t k = 0; k < job.n_blocks; k++)
    jx_lund_map_free (&job.blocks[k]);
  free (job.blocks);
  return rc;
}

static int
check_models (const JxModel *a, const JxModel *b, const JxClusterOptions *clustering,
              JxError *err)
{
  if (clustering->algorithm != JX_ALGO_CA)
    return jx_error_set (err, JX_ERR_INVALID, "the primary Lund plane is made from C/A trees, "
                         "but the jets would be clustered with %s: use models trained on C/A "
                         "trees", jx_algorithm_name (clustering->algorithm));
  if (clustering->metric != JX_METRIC_EE)
    return jx_error_set (err, JX_ERR_INVALID, "this Lund plane is in e+e- variables (3-D angles, "
                         "energies), but the jets would be clustered with the %s metric: use "
                         "models trained with the ee metric", jx_metric_name (clustering->metric));
  if (a == NULL || b == NULL)
    return jx_error_set (err, JX_ERR_INVALID, "a Lund likelihood-ratio map needs two models");
  return 0;
}

/* The checks and the sum of a map of n_jets jets, before its runs. */
static int
map_begin (MapSum *sum, JxLundMap *map, const JxModel *a, const JxModel *b,
           const JxClusterOptions *clustering, const JxLundOptions *opt, size_t n_data,
           size_t last, JxProgress *progress, JxError *err)
{
  memset (sum, 0, sizeof *sum);
  int rc = jx_lund_map_init (map, &opt->grid, err);
  if (rc != 0)
    return rc;
  if ((rc = check_models (a, b, clustering, err)) != 0)
    return rc;
  if (opt->first > last)
    return jx_error_set (err, JX_ERR_INVALID, "jets %zu:%zu: the dataset has %zu jets",
                         opt->first, opt->last, n_data);
  *sum = (MapSum) { .model = { a, b }, .clustering = clustering, .grid = &opt->grid,
                    .threads = opt->threads, .n_jets = last - opt->first, .map = map,
                    .progress = progress };
  atomic_init (&sum->done, 0);
  return 0;
}

static void
map_end (MapSum *sum, int rc)
{
  if (sum->have_carry)   /* only after an error: a map's last run merges its last block */
    jx_lund_map_free (&sum->carry);
  if (rc == 0 && sum->progress != NULL)
    jx_progress_report (sum->progress, (double) sum->n_jets, (double) sum->n_jets,
                        "Lund map done");
}

int
jx_lund_map_build (JxLundMap *map, const JxModel *a, const JxModel *b, const JxDataset *data,
                   const JxClusterOptions *clustering, const JxLundOptions *opt,
                   JxProgress *progress, JxError *err)
{
  JxLundOptions def;
  if (opt == NULL)
    {
      jx_lund_options_default (&def);
      opt = &def;
    }
  size_t last = opt->last == 0 || opt->last > data->n_jets ? data->n_jets : opt->last;
  MapSum sum;
  int rc = map_begin (&sum, map, a, b, clustering, opt, data->n_jets, last, progress, err);
  for (size_t i = opt->first; rc == 0 && i < last; i += MAP_WINDOW_JETS)
    rc = map_run (&sum, data, i, last - i < MAP_WINDOW_JETS ? last : i + MAP_WINDOW_JETS,
                  i - opt->first, err);
  map_end (&sum, rc);
  return rc;
}

typedef struct {
  MapSum *sum;
  size_t first;   /* the map's first jet in the file */
} MapWalk;

static int
map_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
           JxError *err)
{
  (void) progress;   /* the map reports into the outer progress itself */
  MapWalk *w = user;
  return map_run (w->sum, chunk, lo, hi, chunk->first_jet + lo - w->first, err);
}

int
jx_lund_map_build_stream (JxLundMap *map, const JxModel *a, const JxModel *b,
                          JxDatasetStream *data, const JxClusterOptions *clustering,
                          const JxLundOptions *opt, JxProgress *progress, JxError *err)
{
  JxLundOptions def;
  if (opt == NULL)
    {
      jx_lund_options_default (&def);
      opt = &def;
    }
  size_t n = jx_dataset_stream_info (data)->n_jets;
  size_t last = opt->last == 0 || opt->last > n ? n : opt->last;
  MapSum sum;
  int rc = map_begin (&sum, map, a, b, clustering, opt, n, last, progress, err);
  MapWalk w = { &sum, opt->first };
  if (rc == 0)
    rc = jx_dataset_stream_walk (data, opt->first, last, map_chunk, &w, "Lund map", NULL, err);
  if (rc == JX_ERR_CANCELLED)
    jx_error_set (err, rc, "Lund map cancelled");
  map_end (&sum, rc);
  return rc;
}
