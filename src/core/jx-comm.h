/* jx-comm.h — the processes (ranks) of one job, as the trainer, the evaluator and the sampler
 * see them: a few collective operations on plain bytes behind a table of functions, so that
 * libjunipr itself needs no MPI. A single process is the JxComm with ops == NULL (or a NULL
 * JxComm pointer): every helper below is then the identity and costs nothing. The MPI
 * implementation is jx-mpi.c, built only with -Dmpi (meson option); tests use a threaded
 * one.
 *
 * Collectives must be called by every rank in the same order with matching sizes. A failure
 * inside one (a rank died, the network broke) is not returned: the implementation ends the
 * whole job (MPI's default error handler), as a rank that cannot talk to the others cannot
 * do anything useful. Errors of our own (a bad jet, an unwritable file) are made common
 * knowledge with jx_comm_agree at the points where every rank calls it, so that all ranks
 * leave a job together with the same JxError.
 *
 * Sizes are in bytes; an implementation may refuse messages beyond its limit (MPI: 2 GiB per
 * call), so callers send large data in pieces (see jx_comm_gather_bytes). A JxComm is used
 * from one thread at a time (the helpers share its scratch space).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-error.h"

typedef struct JxComm JxComm;

typedef struct {
  /* buf[0..bytes) of root to every rank. */
  void (*bcast) (const JxComm *c, void *buf, size_t bytes, int root);
  /* Rank r's mine[0..counts[r]) to all[displ r ..] on every rank, displ = Σ counts before r.
   * mine may be this rank's own block of all (in place). */
  void (*allgatherv) (const JxComm *c, const void *mine, void *all, const size_t *counts);
  /* send holds size blocks back to back, block q (send_counts[q] bytes) for rank q; recv
   * gets block r of every rank r, back to back in rank order (recv_counts[r] bytes). */
  void (*alltoallv) (const JxComm *c, const void *send, const size_t *send_counts, void *recv,
                     const size_t *recv_counts);
  /* Point to point, in order between a pair of ranks. */
  void (*send) (const JxComm *c, int to, const void *buf, size_t bytes);
  void (*recv) (const JxComm *c, int from, void *buf, size_t bytes);
} JxCommOps;

struct JxComm {
  int rank, size;
  const JxCommOps *ops;   /* NULL: one process (rank 0 of 1) */
  void *impl;
  uint64_t *scratch;      /* [4 * size], for the helpers below; made with the comm */
};

/* The one-process communicator. */
extern const JxComm jx_comm_solo;

static inline bool
jx_comm_parallel (const JxComm *c)
{
  return c != NULL && c->ops != NULL && c->size > 1;
}

static inline int
jx_comm_rank (const JxComm *c)
{
  return jx_comm_parallel (c) ? c->rank : 0;
}

static inline int
jx_comm_size (const JxComm *c)
{
  return jx_comm_parallel (c) ? c->size : 1;
}

/* Rank r's contiguous share [*first, *first + *count) of n items: the first n mod size ranks
 * get one more. */
void jx_comm_share (size_t n, int size, int r, size_t *first, size_t *count);

/* Collective. Every rank passes its own rc (0 or a JX_ERR_* code with err set); all return
 * the rc of the lowest-numbered failing rank with that rank's error in *err (err may be NULL
 * on no rank... it must be non-NULL wherever rc can be non-zero). 0 when all succeeded. */
int jx_comm_agree (const JxComm *c, int rc, JxError *err);

/* Collective: jx_comm_agree and, when all succeeded, *value of every rank replaced by the sum
 * over ranks in rank order (one exchange for both). */
int jx_comm_agree_sum (const JxComm *c, int rc, double *value, JxError *err);

/* Collective. x[0..n) of every rank is replaced by the sum over ranks, added in rank order
 * (((x_0 + x_1) + x_2) + ...) in float: the same bits on every rank and in every run with the
 * same number of ranks, whatever the network. Each rank sums one slice of x and the slices
 * are then shared (a reduce-scatter and an allgather, as a ring allreduce moves them: about
 * 2·4n bytes in and out per rank). scratch: jx_comm_sum_floats_scratch (c, n) floats — every
 * rank's copy of this rank's slice, size · ⌈n / size⌉ ≤ n + size − 1. */
void jx_comm_sum_floats (const JxComm *c, float *x, size_t n, float *scratch);
size_t jx_comm_sum_floats_scratch (const JxComm *c, size_t n);

/* Collective. root's buf[0..bytes) to every rank. */
void jx_comm_bcast (const JxComm *c, void *buf, size_t bytes, int root);

/* Collective. Rank r's mine[0..counts[r]) bytes to every rank's all, in rank order; mine may
 * be this rank's own block of all. */
void jx_comm_allgatherv (const JxComm *c, const void *mine, void *all, const size_t *counts);

/* Collective. Σ of mine over all ranks, and over the ranks before this one. */
uint64_t jx_comm_sum_u64 (const JxComm *c, uint64_t mine);
uint64_t jx_comm_sum_before_u64 (const JxComm *c, uint64_t mine);

/* Collective. mine of every rank into all[0..size) on every rank (all must not be the
 * comm's scratch). */
void jx_comm_allgather_u64 (const JxComm *c, uint64_t mine, uint64_t *all);

/* Collective. Rank r's mine[0..counts[r]) land on root at out + Σ counts before r; counts
 * (bytes) must be the same on every rank; out matters on root only. Sent point to point in
 * pieces of at most 256 MiB, so a part may be larger than a collective allows. */
void jx_comm_gather_bytes (const JxComm *c, const void *mine, const size_t *counts, void *out,
                           int root);
