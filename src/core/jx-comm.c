/* jx-comm.c — see jx-comm.h. */
#include "jx-comm.h"

#include <string.h>

const JxComm jx_comm_solo = { .rank = 0, .size = 1, .ops = NULL, .impl = NULL };

/* Point-to-point pieces of jx_comm_gather_bytes: well below MPI's int count limit. */
#define GATHER_PIECE ((size_t) 256 << 20)

void
jx_comm_share (size_t n, int size, int r, size_t *first, size_t *count)
{
  size_t s = (size_t) (size > 0 ? size : 1), q = n / s, extra = n % s, k = (size_t) r;
  *first = k * q + (k < extra ? k : extra);
  *count = q + (k < extra ? 1 : 0);
}

/* The helpers' two arrays of per-rank sizes, in the comm's scratch space. */
static size_t *
counts_a (const JxComm *c)
{
  _Static_assert (sizeof (size_t) == sizeof (uint64_t), "size_t counts in uint64_t scratch");
  return (size_t *) c->scratch;
}

static size_t *
counts_b (const JxComm *c)
{
  return (size_t *) c->scratch + c->size;
}

static void
allgather_fixed (const JxComm *c, const void *mine, void *all, size_t bytes)
{
  size_t *counts = counts_a (c);
  for (int r = 0; r < c->size; r++)
    counts[r] = bytes;
  c->ops->allgatherv (c, mine, all, counts);
}

void
jx_comm_bcast (const JxComm *c, void *buf, size_t bytes, int root)
{
  if (jx_comm_parallel (c) && bytes > 0)
    c->ops->bcast (c, buf, bytes, root);
}

void
jx_comm_allgatherv (const JxComm *c, const void *mine, void *all, const size_t *counts)
{
  if (!jx_comm_parallel (c))
    {
      if (counts[0] > 0 && all != mine)
        memmove (all, mine, counts[0]);
      return;
    }
  c->ops->allgatherv (c, mine, all, counts);
}

void
jx_comm_allgather_u64 (const JxComm *c, uint64_t mine, uint64_t *all)
{
  if (!jx_comm_parallel (c))
    {
      all[0] = mine;
      return;
    }
  allgather_fixed (c, &mine, all, sizeof mine);
}

/* The lowest failing rank's error to every rank; out is its code. */
static int
share_error (const JxComm *c, int first, int out, JxError *err)
{
  /* The message travels whole (a fixed-size struct), so every rank can report it; a rank
   * without an err buffer still takes part in the broadcast. */
  JxError e;
  if (c->rank == first && err != NULL)
    e = *err;
  else
    jx_error_set (&e, out, "rank %d failed", first);
  c->ops->bcast (c, &e, sizeof e, first);
  if (err != NULL)
    *err = e;
  return out;
}

/* Σ over ranks [0, end) of every rank's mine (whole numbers: the order does not matter). */
static uint64_t
sum_u64 (const JxComm *c, uint64_t mine, int end)
{
  if (!jx_comm_parallel (c))
    return end > 0 ? mine : 0;
  uint64_t *all = c->scratch + 2 * c->size;
  allgather_fixed (c, &mine, all, sizeof mine);
  uint64_t sum = 0;
  for (int r = 0; r < end; r++)
    sum += all[r];
  return sum;
}

uint64_t
jx_comm_sum_u64 (const JxComm *c, uint64_t mine)
{
  return sum_u64 (c, mine, jx_comm_size (c));
}

uint64_t
jx_comm_sum_before_u64 (const JxComm *c, uint64_t mine)
{
  return sum_u64 (c, mine, jx_comm_rank (c));
}

int
jx_comm_agree (const JxComm *c, int rc, JxError *err)
{
  if (!jx_comm_parallel (c))
    return rc;
  /* The codes travel as 8-byte words in the second quarter of the scratch space. */
  int64_t mine = rc, *all = (int64_t *) counts_b (c);
  allgather_fixed (c, &mine, all, sizeof mine);
  for (int r = 0; r < c->size; r++)
    if (all[r] != 0)
      return share_error (c, r, (int) all[r], err);
  return 0;
}

int
jx_comm_agree_sum (const JxComm *c, int rc, double *value, JxError *err)
{
  if (!jx_comm_parallel (c))
    return rc;
  /* (code, value) pairs in the second half of the scratch space. */
  struct { int64_t rc; double value; } mine = { rc, *value }, *all = (void *) (c->scratch + 2 * c->size);
  _Static_assert (sizeof mine == 2 * sizeof (uint64_t), "two words per rank");
  allgather_fixed (c, &mine, all, sizeof mine);
  for (int r = 0; r < c->size; r++)
    if (all[r].rc != 0)
      return share_error (c, r, (int) all[r].rc, err);
  double sum = all[0].value;
  for (int r = 1; r < c->size; r++)
    sum += all[r].value;
  *value = sum;
  return 0;
}

size_t
jx_comm_sum_floats_scratch (const JxComm *c, size_t n)
{
  size_t size = (size_t) jx_comm_size (c);
  return size * ((n + size - 1) / size);
}

void
jx_comm_sum_floats (const JxComm *c, float *x, size_t n, float *scratch)
{
  if (!jx_comm_parallel (c))
    return;
  int size = c->size, me = c->rank;
  size_t *send = counts_a (c), *recv = counts_b (c);
  size_t my_first, my_n;
  jx_comm_share (n, size, me, &my_first, &my_n);
  for (int q = 0; q < size; q++)
    {
      size_t first, count;
      jx_comm_share (n, size, q, &first, &count);
      send[q] = count * sizeof (float);   /* my slice q goes to rank q */
      recv[q] = my_n * sizeof (float);    /* every rank's copy of my slice */
    }
  /* Reduce-scatter: scratch holds every rank's copy of my slice, rank 0's first. */
  c->ops->alltoallv (c, x, send, scratch, recv);
  float *mine = x + my_first;
  for (size_t i = 0; i < my_n; i++)
    {
      float s = scratch[i];
      for (int r = 1; r < size; r++)
        s += scratch[(size_t) r * my_n + i];
      mine[i] = s;
    }
  /* Allgather of the summed slices, straight into x: the slices tile it in rank order. */
  memcpy (scratch, mine, my_n * sizeof (float));
  c->ops->allgatherv (c, scratch, x, send);
}

void
jx_comm_gather_bytes (const JxComm *c, const void *mine, const size_t *counts, void *out,
                      int root)
{
  if (!jx_comm_parallel (c))
    {
      if (counts[0] > 0 && out != mine)
        memmove (out, mine, (size_t) counts[0]);
      return;
    }
  if (c->rank != root)
    {
      for (size_t at = 0; at < counts[c->rank]; at += GATHER_PIECE)
        {
          size_t left = (size_t) counts[c->rank] - at;
          c->ops->send (c, root, (const char *) mine + at, left < GATHER_PIECE ? left : GATHER_PIECE);
        }
      return;
    }
  char *dst = out;
  for (int r = 0; r < c->size; r++)
    {
      if (r == root)
        {
          if (counts[r] > 0)
            memmove (dst, mine, (size_t) counts[r]);
        }
      else
        for (size_t at = 0; at < counts[r]; at += GATHER_PIECE)
          {
            size_t left = (size_t) counts[r] - at;
            c->ops->recv (c, r, dst + at, left < GATHER_PIECE ? left : GATHER_PIECE);
          }
      dst += counts[r];
    }
}
