/* jx-tree-share.c — see jx-tree-share.h.
 *
 * A tree travels as one record: its leaf count n and root index (two 8-byte words), then its
 * 2n − 1 nodes and n − 1 steps as they lie in memory. The ranks of a job run the same build
 * of the same program, so the structs have the same layout everywhere; every part is a
 * multiple of 8 bytes, so records packed back to back keep their doubles aligned and the
 * received trees point straight into the receive buffer.
 */
#include "jx-tree-share.h"

#include <stdlib.h>
#include <string.h>

_Static_assert (sizeof (JxNode) % 8 == 0 && sizeof (JxStep) % 8 == 0,
                "tree records must keep 8-byte alignment");

static size_t
record_bytes (int32_t n)
{
  size_t k = (size_t) n;
  return 2 * sizeof (uint64_t) + (2 * k - 1) * sizeof (JxNode) + (k - 1) * sizeof (JxStep);
}

static char *
pack (char *at, const JxTree *t)
{
  uint64_t head[2] = { t->n, (uint64_t) (int64_t) t->root };
  memcpy (at, head, sizeof head);
  at += sizeof head;
  memcpy (at, t->nodes, (2 * t->n - 1) * sizeof (JxNode));
  at += (2 * t->n - 1) * sizeof (JxNode);
  if (t->n > 1)
    memcpy (at, t->steps, (t->n - 1) * sizeof (JxStep));
  return at + (t->n - 1) * sizeof (JxStep);
}

static char *
unpack (char *at, JxTree *t)
{
  uint64_t head[2];
  memcpy (head, at, sizeof head);
  at += sizeof head;
  t->n = (size_t) head[0];
  t->root = (int) (int64_t) head[1];
  t->nodes = (JxNode *) (void *) at;
  at += (2 * t->n - 1) * sizeof (JxNode);
  t->steps = (JxStep *) (void *) at;
  return at + (t->n - 1) * sizeof (JxStep);
}

int
jx_tree_share_init (JxTreeShare *s, const JxComm *comm, const JxTreeSet *own, size_t first,
                    JxError *err)
{
  memset (s, 0, sizeof *s);
  s->comm = comm;
  s->own = own;
  s->first = first;
  int size = jx_comm_size (comm);
  uint64_t *ranges = malloc (2 * (size_t) size * sizeof *ranges);
  s->starts = malloc (((size_t) size + 1) * sizeof *s->starts);
  int rc = ranges != NULL && s->starts != NULL ? 0 : jx_error_set (err, JX_ERR_NOMEM,
                                                                   "out of memory");
  rc = jx_comm_agree (comm, rc, err);
  if (rc == 0)
    {
      jx_comm_allgather_u64 (comm, first, ranges);
      jx_comm_allgather_u64 (comm, own->n_jets, ranges + size);
      s->starts[0] = 0;
      for (int r = 0; r < size; r++)
        {
          if (ranges[r] != s->starts[r])
            rc = jx_error_set (err, JX_ERR_INTERNAL, "rank %d holds jets from %llu on, but the "
                               "ranks before it end at %zu: the shares do not tile the dataset",
                               r, (unsigned long long) ranges[r], s->starts[r]);
          s->starts[r + 1] = s->starts[r] + (size_t) ranges[size + r];
        }
      s->n_jets = s->starts[size];
    }
  free (ranges);
  /* Every rank saw the same ranges, so the check above failed on all or none. */
  if (rc == 0)
    {
      s->steps = malloc ((s->n_jets > 0 ? s->n_jets : 1) * sizeof *s->steps);
      rc = jx_comm_agree (comm, s->steps != NULL ? 0 : jx_error_set (err, JX_ERR_NOMEM,
                          "out of memory for the sizes of %zu jets", s->n_jets), err);
    }
  if (rc != 0)
    {
      jx_tree_share_free (s);
      return rc;
    }
  int32_t *mine = s->steps + first;
  for (size_t i = 0; i < own->n_jets; i++)
    mine[i] = own->status[i] == JX_JET_SCORED ? (int32_t) own->trees[i].n : 0;
  size_t *counts = malloc ((size_t) size * sizeof *counts);
  rc = jx_comm_agree (comm, counts != NULL ? 0 : jx_error_set (err, JX_ERR_NOMEM,
                      "out of memory"), err);
  if (rc != 0)
    {
      free (counts);
      jx_tree_share_free (s);
      return rc;
    }
  for (int r = 0; r < size; r++)
    counts[r] = (s->starts[r + 1] - s->starts[r]) * sizeof *s->steps;
  /* In place: this rank's block already sits where the gather puts it. */
  jx_comm_allgatherv (comm, mine, s->steps, counts);
  free (counts);
  return 0;
}

void
jx_tree_share_free (JxTreeShare *s)
{
  free (s->starts);
  free (s->steps);
  memset (s, 0, sizeof *s);
}

int
jx_tree_share_owner (const JxTreeShare *s, size_t g)
{
  /* The last rank whose range starts at or before g (empty ranges share a start). */
  int lo = 0, hi = jx_comm_size (s->comm) - 1;
  while (lo < hi)
    {
      int mid = (lo + hi + 1) / 2;
      if (s->starts[mid] <= g)
        lo = mid;
      else
        hi = mid - 1;
    }
  return lo;
}

void
jx_tree_share_cut (const JxTreeShare *s, const size_t *jets, size_t n, int parts, size_t *cut)
{
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += (uint64_t) s->steps[jets[i]];
  /* In units of 1/parts step: piece r should end where parts · (steps so far) = (r+1) · total;
   * the jet that crosses that point goes to the side where it overshoots less. */
  uint64_t sum = 0, P = (uint64_t) parts;
  size_t i = 0;
  cut[0] = 0;
  for (int r = 0; r + 1 < parts; r++)
    {
      uint64_t target = (uint64_t) (r + 1) * total;
      while (i < n && (sum + (uint64_t) s->steps[jets[i]]) * P <= target)
        sum += (uint64_t) s->steps[jets[i++]];
      if (i < n && sum * P < target)
        {
          uint64_t after = (sum + (uint64_t) s->steps[jets[i]]) * P;
          if (after - target < target - sum * P)
            sum += (uint64_t) s->steps[jets[i++]];
        }
      cut[r + 1] = i;
    }
  cut[parts] = n;
}

void
jx_tree_window_free (JxTreeWindow *w)
{
  free (w->trees);
  free (w->received);
  free (w->storage);
  memset (w, 0, sizeof *w);
}

/* Bytes this rank sends to and receives from every rank for the window, and its jet count. */
static void
window_sizes (const JxTreeShare *s, const size_t *jets, const int *dest, size_t n,
              size_t *send, size_t *recv, size_t *n_mine, size_t *n_received)
{
  int me = jx_comm_rank (s->comm), size = jx_comm_size (s->comm);
  memset (send, 0, (size_t) size * sizeof *send);
  memset (recv, 0, (size_t) size * sizeof *recv);
  *n_mine = *n_received = 0;
  for (size_t i = 0; i < n; i++)
    {
      int owner = jx_tree_share_owner (s, jets[i]);
      size_t bytes = record_bytes (s->steps[jets[i]]);
      if (owner == me && dest[i] != me)
        send[dest[i]] += bytes;
      if (dest[i] == me)
        {
          (*n_mine)++;
          if (owner != me)
            {
              recv[owner] += bytes;
              (*n_received)++;
            }
        }
    }
}

int
jx_tree_share_fetch (const JxTreeShare *s, const size_t *jets, const int *dest, size_t n,
                     JxTreeWindow *w, JxError *err)
{
  memset (w, 0, sizeof *w);
  int me = jx_comm_rank (s->comm), size = jx_comm_size (s->comm);
  size_t *send = malloc (4 * (size_t) size * sizeof *send);
  size_t *recv = send + size, *put = send + 2 * size, *get = send + 3 * size;
  char *sbuf = NULL;
  size_t n_received = 0, send_total = 0, recv_total = 0;
  if (send != NULL)
    {
      window_sizes (s, jets, dest, n, send, recv, &w->n, &n_received);
      for (int r = 0; r < size; r++)
        {
          put[r] = send_total;
          get[r] = recv_total;
          send_total += send[r];
          recv_total += recv[r];
        }
      w->trees = malloc ((w->n > 0 ? w->n : 1) * sizeof *w->trees);
      w->received = malloc ((n_received > 0 ? n_received : 1) * sizeof *w->received);
      w->storage = malloc (recv_total > 0 ? recv_total : 1);
      sbuf = malloc (send_total > 0 ? send_total : 1);
    }
  int rc = send != NULL && w->trees != NULL && w->received != NULL && w->storage != NULL
           && sbuf != NULL ? 0 : jx_error_set (err, JX_ERR_NOMEM, "out of memory for the trees "
                                               "of %zu jets", n);
  rc = jx_comm_agree (s->comm, rc, err);
  if (rc != 0)
    {
      free (send);
      free (sbuf);
      jx_tree_window_free (w);
      return rc;
    }
  for (size_t i = 0; i < n; i++)
    if (dest[i] != me && jx_tree_share_owner (s, jets[i]) == me)
      {
        char *at = sbuf + put[dest[i]];
        put[dest[i]] = (size_t) (pack (at, &s->own->trees[jets[i] - s->first]) - sbuf);
      }
  if (jx_comm_parallel (s->comm))
    s->comm->ops->alltoallv (s->comm, sbuf, send, w->storage, recv);
  size_t k = 0, m = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (dest[i] != me)
        continue;
      int owner = jx_tree_share_owner (s, jets[i]);
      if (owner == me)
        w->trees[k++] = &s->own->trees[jets[i] - s->first];
      else
        {
          char *at = (char *) w->storage + get[owner];
          get[owner] = (size_t) (unpack (at, &w->received[m]) - (char *) w->storage);
          w->trees[k++] = &w->received[m++];
        }
    }
  free (send);
  free (sbuf);
  return 0;
}
