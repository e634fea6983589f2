/* jx-gather.c — see jx-gather.h. */
#include "jx-gather.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const JxComm *c;
  uint64_t *items;   /* [size] items (jets, particles, steps) of every rank's part */
  uint64_t *jets;    /* [size] jets of every rank's part */
  size_t *bytes;     /* [size] */
  bool root;
} Gather;

static void
gather_free (Gather *g)
{
  free (g->items);
  free (g->jets);
  free (g->bytes);
}

static int
gather_begin (Gather *g, const JxComm *c, size_t n_jets, JxError *err)
{
  size_t size = (size_t) jx_comm_size (c);
  g->c = c;
  g->root = jx_comm_rank (c) == 0;
  g->items = malloc (size * sizeof *g->items);
  g->jets = malloc (size * sizeof *g->jets);
  g->bytes = malloc (size * sizeof *g->bytes);
  int rc = g->items != NULL && g->jets != NULL && g->bytes != NULL
           ? 0 : jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  rc = jx_comm_agree (c, rc, err);
  if (rc != 0)
    gather_free (g);
  else
    jx_comm_allgather_u64 (c, n_jets, g->jets);
  return rc;
}

static uint64_t
total (const Gather *g, const uint64_t *per_rank)
{
  uint64_t sum = 0;
  for (int r = 0; r < jx_comm_size (g->c); r++)
    sum += per_rank[r];
  return sum;
}

/* This rank's part has `mine` items (of the next kind); returns the whole's. */
static uint64_t
count_items (Gather *g, uint64_t mine)
{
  jx_comm_allgather_u64 (g->c, mine, g->items);
  return total (g, g->items);
}

/* Every rank's rows (per_rank[r] rows of row_bytes) into out on rank 0, in rank order. */
static void
rows (Gather *g, const uint64_t *per_rank, const void *mine, size_t row_bytes, void *out)
{
  for (int r = 0; r < jx_comm_size (g->c); r++)
    g->bytes[r] = (size_t) per_rank[r] * row_bytes;
  jx_comm_gather_bytes (g->c, mine, g->bytes, out, 0);
}

/* Offsets [0..n] of every rank's part (each from 0) into out[0..N] on rank 0, each part's
 * continued from where the parts before it end. */
static void
offsets (Gather *g, const uint64_t *mine, uint64_t *out)
{
  rows (g, g->jets, mine + 1, sizeof *mine, g->root ? out + 1 : NULL);
  if (!g->root)
    return;
  out[0] = 0;
  size_t at = 0;
  for (int r = 0; r < jx_comm_size (g->c); r++)
    {
      uint64_t base = out[at];
      for (size_t i = 1; i <= g->jets[r]; i++)
        out[at + i] += base;
      at += (size_t) g->jets[r];
    }
}

int
jx_scores_gather (const JxComm *c, const JxScores *part, JxScores *whole, JxError *err)
{
  jx_scores_init (whole);
  Gather g;
  int rc = gather_begin (&g, c, part->n_jets, err);
  if (rc != 0)
    return rc;
  size_t n = (size_t) total (&g, g.jets);
  bool per_step = part->step_offsets != NULL;
  if (g.root)
    {
      rc = jx_scores_alloc (whole, n, err);
      if (rc == 0 && per_step && (whole->step_offsets = malloc ((n + 1) * sizeof (uint64_t))) == NULL)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory for the scores of %zu jets", n);
    }
  if ((rc = jx_comm_agree (c, rc, err)) == 0)
    {
      rows (&g, g.jets, part->log_p, sizeof *part->log_p, whole->log_p);
      rows (&g, g.jets, part->status, sizeof *part->status, whole->status);
      rows (&g, g.jets, part->n, sizeof *part->n, whole->n);
      if (per_step)
        {
          offsets (&g, part->step_offsets, whole->step_offsets);
          if (g.root)
            rc = jx_scores_alloc_steps (whole, err);
          rc = jx_comm_agree (c, rc, err);
        }
    }
  if (rc == 0 && per_step)
    {
      count_items (&g, part->step_offsets[part->n_jets]);
      rows (&g, g.items, part->log_end, sizeof (double), whole->log_end);
      rows (&g, g.items, part->log_mother, sizeof (double), whole->log_mother);
      rows (&g, g.items, part->log_branch, sizeof (double), whole->log_branch);
      rows (&g, g.items, part->log_branch_parts, 4 * sizeof (double), whole->log_branch_parts);
    }
  for (size_t i = 0; rc == 0 && g.root && i < part->n_attrs; i++)
    rc = jx_scores_set_attr (whole, part->attrs[i].key, part->attrs[i].value, err);
  if (rc == 0)
    rc = jx_comm_agree (c, rc, err);
  gather_free (&g);
  if (rc != 0)
    jx_scores_free (whole);
  return rc;
}

static int
sample_alloc (JxSampleSet *s, size_t n, size_t n_particles, size_t n_steps, JxError *err)
{
  s->n_jets = n;
  s->seed = malloc ((n + 1) * sizeof *s->seed);
  s->log_p = malloc ((n + 1) * sizeof *s->log_p);
  s->status = malloc ((n + 1) * sizeof *s->status);
  s->n_redrawn = malloc ((n + 1) * sizeof *s->n_redrawn);
  s->step_offsets = malloc ((n + 1) * sizeof *s->step_offsets);
  s->steps = malloc ((n_steps + 1) * sizeof *s->steps);
  if (!s->seed || !s->log_p || !s->status || !s->n_redrawn || !s->step_offsets || !s->steps)
    return jx_error_set (err, JX_ERR_NOMEM, "no memory for %zu sampled jets", n);
  return jx_dataset_reserve (&s->data, n, n_particles, err);
}

int
jx_sample_set_gather (const JxComm *c, const JxSampleSet *part, JxSampleSet *whole,
                      JxError *err)
{
  jx_sample_set_init (whole);
  Gather g;
  int rc = gather_begin (&g, c, part->n_jets, err);
  if (rc != 0)
    return rc;
  size_t n = (size_t) total (&g, g.jets);
  uint64_t *parts = malloc (3 * (size_t) jx_comm_size (c) * sizeof *parts);
  uint64_t *steps = parts + jx_comm_size (c), *sums = parts + 2 * jx_comm_size (c);
  rc = jx_comm_agree (c, parts != NULL ? 0 : jx_error_set (err, JX_ERR_NOMEM, "out of memory"),
                      err);
  if (rc != 0)
    {
      free (parts);
      gather_free (&g);
      return rc;
    }
  size_t n_particles = (size_t) count_items (&g, jx_dataset_n_particles (&part->data));
  memcpy (parts, g.items, (size_t) jx_comm_size (c) * sizeof *parts);
  size_t n_steps = (size_t) count_items (&g, part->step_offsets[part->n_jets]);
  memcpy (steps, g.items, (size_t) jx_comm_size (c) * sizeof *steps);
  if (g.root)
    rc = sample_alloc (whole, n, n_particles, n_steps, err);
  if ((rc = jx_comm_agree (c, rc, err)) == 0)
    {
      offsets (&g, part->data.offsets, whole->data.offsets);
      rows (&g, parts, part->data.particles, sizeof (JxP4), whole->data.particles);
      rows (&g, g.jets, part->seed, sizeof *part->seed, whole->seed);
      rows (&g, g.jets, part->log_p, sizeof *part->log_p, whole->log_p);
      rows (&g, g.jets, part->status, sizeof *part->status, whole->status);
      rows (&g, g.jets, part->n_redrawn, sizeof *part->n_redrawn, whole->n_redrawn);
      offsets (&g, part->step_offsets, whole->step_offsets);
      rows (&g, steps, part->steps, sizeof (JxSampleStep), whole->steps);
      whole->data.n_jets = g.root ? n : 0;
      jx_comm_allgather_u64 (c, part->total_redrawn, sums);
      whole->total_redrawn = (size_t) total (&g, sums);
      jx_comm_allgather_u64 (c, part->n_truncated, sums);
      whole->n_truncated = (size_t) total (&g, sums);
      jx_comm_allgather_u64 (c, part->n_stuck, sums);
      whole->n_stuck = (size_t) total (&g, sums);
    }
  free (parts);
  gather_free (&g);
  if (rc != 0 || !g.root)
    jx_sample_set_free (whole);
  return rc;
}
