/* jx-test-comm.h — a JxComm (jx-comm.h) whose ranks are threads of one process, so the
 * collectives and training over ranks are tested without MPI, fast, and under the
 * sanitizers (ThreadSanitizer included). Each collective posts the rank's buffers, waits at a
 * barrier, copies what it needs from the others' and waits again; point-to-point messages go
 * through one queue per ordered pair of ranks.
 *
 *   jx_test_world_run (3, func, user);   // func (comm, user) on 3 threads, ranks 0..2
 */
#pragma once

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "jx-comm.h"

#define JX_TEST_MAX_RANKS 8

typedef struct JxTestMsg {
  struct JxTestMsg *next;
  size_t bytes;
  unsigned char data[];
} JxTestMsg;

typedef struct {
  int size;
  pthread_barrier_t barrier;
  pthread_mutex_t lock;
  pthread_cond_t arrived;
  const void *posted[JX_TEST_MAX_RANKS];
  const size_t *posted_counts[JX_TEST_MAX_RANKS];
  JxTestMsg *queue[JX_TEST_MAX_RANKS][JX_TEST_MAX_RANKS];   /* [from][to], oldest first */
  JxComm comms[JX_TEST_MAX_RANKS];
  uint64_t scratch[JX_TEST_MAX_RANKS][4 * JX_TEST_MAX_RANKS];
  void (*func) (const JxComm *comm, void *user);
  void *user;
} JxTestWorld;

static JxTestWorld *
jx_test_world_of (const JxComm *c)
{
  return c->impl;
}

static void
jx_test_bcast (const JxComm *c, void *buf, size_t bytes, int root)
{
  JxTestWorld *w = jx_test_world_of (c);
  w->posted[c->rank] = buf;
  pthread_barrier_wait (&w->barrier);
  if (c->rank != root)
    memcpy (buf, w->posted[root], bytes);
  pthread_barrier_wait (&w->barrier);
}

static void
jx_test_allgatherv (const JxComm *c, const void *mine, void *all, const size_t *counts)
{
  JxTestWorld *w = jx_test_world_of (c);
  w->posted[c->rank] = mine;
  pthread_barrier_wait (&w->barrier);
  size_t at = 0;
  for (int q = 0; q < w->size; q++)
    {
      char *dst = (char *) all + at;
      if (dst != w->posted[q] && counts[q] > 0)
        memcpy (dst, w->posted[q], counts[q]);
      at += counts[q];
    }
  pthread_barrier_wait (&w->barrier);
}

static void
jx_test_alltoallv (const JxComm *c, const void *send, const size_t *send_counts, void *recv,
                   const size_t *recv_counts)
{
  JxTestWorld *w = jx_test_world_of (c);
  w->posted[c->rank] = send;
  w->posted_counts[c->rank] = send_counts;
  pthread_barrier_wait (&w->barrier);
  size_t at = 0;
  for (int q = 0; q < w->size; q++)
    {
      size_t from = 0;
      for (int k = 0; k < c->rank; k++)
        from += w->posted_counts[q][k];
      if (recv_counts[q] > 0)
        memcpy ((char *) recv + at, (const char *) w->posted[q] + from, recv_counts[q]);
      at += recv_counts[q];
    }
  pthread_barrier_wait (&w->barrier);
}

static void
jx_test_send (const JxComm *c, int to, const void *buf, size_t bytes)
{
  JxTestWorld *w = jx_test_world_of (c);
  JxTestMsg *m = malloc (sizeof *m + bytes);
  if (m == NULL)
    abort ();
  m->next = NULL;
  m->bytes = bytes;
  memcpy (m->data, buf, bytes);
  pthread_mutex_lock (&w->lock);
  JxTestMsg **tail = &w->queue[c->rank][to];
  while (*tail != NULL)
    tail = &(*tail)->next;
  *tail = m;
  pthread_cond_broadcast (&w->arrived);
  pthread_mutex_unlock (&w->lock);
}

static void
jx_test_recv (const JxComm *c, int from, void *buf, size_t bytes)
{
  JxTestWorld *w = jx_test_world_of (c);
  pthread_mutex_lock (&w->lock);
  while (w->queue[from][c->rank] == NULL)
    pthread_cond_wait (&w->arrived, &w->lock);
  JxTestMsg *m = w->queue[from][c->rank];
  w->queue[from][c->rank] = m->next;
  pthread_mutex_unlock (&w->lock);
  if (m->bytes != bytes)
    abort ();   /* a mismatched pair of calls: a bug in the caller */
  memcpy (buf, m->data, bytes);
  free (m);
}

static const JxCommOps jx_test_comm_ops = {
  .bcast = jx_test_bcast,
  .allgatherv = jx_test_allgatherv,
  .alltoallv = jx_test_alltoallv,
  .send = jx_test_send,
  .recv = jx_test_recv,
};

static void *
jx_test_rank_main (void *arg)
{
  const JxComm *c = arg;
  JxTestWorld *w = jx_test_world_of (c);
  w->func (c, w->user);
  return NULL;
}

/* Runs func on size ranks (threads) and returns when all are done. */
static void
jx_test_world_run (int size, void (*func) (const JxComm *comm, void *user), void *user)
{
  JxTestWorld *w = calloc (1, sizeof *w);
  if (w == NULL || size < 1 || size > JX_TEST_MAX_RANKS)
    abort ();
  w->size = size;
  w->func = func;
  w->user = user;
  pthread_barrier_init (&w->barrier, NULL, (unsigned) size);
  pthread_mutex_init (&w->lock, NULL);
  pthread_cond_init (&w->arrived, NULL);
  pthread_t ids[JX_TEST_MAX_RANKS];
  for (int r = 0; r < size; r++)
    {
      w->comms[r] = (JxComm) { .rank = r, .size = size, .ops = &jx_test_comm_ops, .impl = w,
                               .scratch = w->scratch[r] };
      if (pthread_create (&ids[r], NULL, jx_test_rank_main, &w->comms[r]) != 0)
        abort ();
    }
  for (int r = 0; r < size; r++)
    pthread_join (ids[r], NULL);
  pthread_barrier_destroy (&w->barrier);
  pthread_mutex_destroy (&w->lock);
  pthread_cond_destroy (&w->arrived);
  free (w);
}
