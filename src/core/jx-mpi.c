/* jx-mpi.c — see jx-mpi.h. */
#include "jx-mpi.h"

#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>

/* MPI counts are ints: larger transfers go in pieces of this many bytes. */
#define PIECE ((size_t) 1 << 30)

/* Status code of MPI_Abort when a caller breaks the contract of jx-comm.h (a v-collective
 * beyond 2 GiB): a bug, not a user error. */
#define EXIT_INTERNAL 70

typedef struct {
  MPI_Comm comm;
  int *count_a, *displ_a, *count_b, *displ_b;   /* [size] each */
  int local_size;
} Impl;

static MPI_Comm
comm_of (const JxComm *c)
{
  return ((Impl *) c->impl)->comm;
}

/* Byte counts and their displacements as MPI ints; a total past INT_MAX aborts the job. */
static void
to_ints (const JxComm *c, const size_t *bytes, int *count, int *displ)
{
  size_t at = 0;
  for (int r = 0; r < c->size; r++)
    {
      if (bytes[r] > INT_MAX || at > INT_MAX - bytes[r])
        MPI_Abort (comm_of (c), EXIT_INTERNAL);
      count[r] = (int) bytes[r];
      displ[r] = (int) at;
      at += bytes[r];
    }
}

static void
op_bcast (const JxComm *c, void *buf, size_t bytes, int root)
{
  for (size_t at = 0; at < bytes; at += PIECE)
    {
      size_t n = bytes - at < PIECE ? bytes - at : PIECE;
      MPI_Bcast ((char *) buf + at, (int) n, MPI_BYTE, root, comm_of (c));
    }
}

static void
op_allgatherv (const JxComm *c, const void *mine, void *all, const size_t *counts)
{
  Impl *m = c->impl;
  to_ints (c, counts, m->count_a, m->displ_a);
  /* MPI forbids overlapping buffers; a block already in place says so instead. */
  const void *send = mine == (const char *) all + m->displ_a[c->rank] ? MPI_IN_PLACE : mine;
  MPI_Allgatherv (send, m->count_a[c->rank], MPI_BYTE, all, m->count_a, m->displ_a, MPI_BYTE,
                  m->comm);
}

static void
op_alltoallv (const JxComm *c, const void *send, const size_t *send_counts, void *recv,
              const size_t *recv_counts)
{
  Impl *m = c->impl;
  to_ints (c, send_counts, m->count_a, m->displ_a);
  to_ints (c, recv_counts, m->count_b, m->displ_b);
  MPI_Alltoallv (send, m->count_a, m->displ_a, MPI_BYTE, recv, m->count_b, m->displ_b, MPI_BYTE,
                 m->comm);
}

static void
op_send (const JxComm *c, int to, const void *buf, size_t bytes)
{
  for (size_t at = 0; at < bytes; at += PIECE)
    {
      size_t n = bytes - at < PIECE ? bytes - at : PIECE;
      MPI_Send ((const char *) buf + at, (int) n, MPI_BYTE, to, 0, comm_of (c));
    }
}

static void
op_recv (const JxComm *c, int from, void *buf, size_t bytes)
{
  for (size_t at = 0; at < bytes; at += PIECE)
    {
      size_t n = bytes - at < PIECE ? bytes - at : PIECE;
      MPI_Recv ((char *) buf + at, (int) n, MPI_BYTE, from, 0, comm_of (c), MPI_STATUS_IGNORE);
    }
}

static const JxCommOps mpi_ops = {
  .bcast = op_bcast,
  .allgatherv = op_allgatherv,
  .alltoallv = op_alltoallv,
  .send = op_send,
  .recv = op_recv,
};

int
jx_mpi_init (int *argc, char ***argv, JxComm **world, JxError *err)
{
  *world = NULL;
  int provided = 0;
  /* Open MPI's shared-memory transport reads a peer's memory directly (CMA). When a rank dies
   * mid-run the survivors then print "Read -1, expected …, errno = 3" beside our one line
   * (seen in the mpi test's killed rank), and in containers without ptrace rights it fails
   * outright. Our messages are gradients and trees of a few MB at most, which the copy through
   * shared memory moves at little cost: single copy is off unless the user chose otherwise. */
  setenv ("OMPI_MCA_btl_vader_single_copy_mechanism", "none", 0);
  if (MPI_Init_thread (argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    return jx_error_set (err, JX_ERR_IO, "MPI_Init_thread failed: is this process started by "
                         "mpirun?");
  if (provided < MPI_THREAD_FUNNELED)
    {
      MPI_Finalize ();
      return jx_error_set (err, JX_ERR_INVALID, "this MPI library gives no thread support "
                           "(MPI_THREAD_FUNNELED): worker threads cannot run beside it; use "
                           "Open MPI");
    }
  JxComm *c = calloc (1, sizeof *c);
  Impl *m = calloc (1, sizeof *m);
  if (c == NULL || m == NULL)
    {
      free (c);
      free (m);
      MPI_Finalize ();
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory starting MPI");
    }
  m->comm = MPI_COMM_WORLD;
  MPI_Comm_rank (m->comm, &c->rank);
  MPI_Comm_size (m->comm, &c->size);
  size_t n = (size_t) c->size;
  m->count_a = malloc (n * sizeof (int));
  m->displ_a = malloc (n * sizeof (int));
  m->count_b = malloc (n * sizeof (int));
  m->displ_b = malloc (n * sizeof (int));
  c->scratch = malloc (4 * n * sizeof *c->scratch);
  c->ops = &mpi_ops;
  c->impl = m;
  /* Processes sharing this node's memory: their threads share its cores. */
  MPI_Comm node;
  m->local_size = 1;
  if (MPI_Comm_split_type (m->comm, MPI_COMM_TYPE_SHARED, c->rank, MPI_INFO_NULL, &node)
      == MPI_SUCCESS)
    {
      MPI_Comm_size (node, &m->local_size);
      MPI_Comm_free (&node);
    }
  if (m->count_a == NULL || m->displ_a == NULL || m->count_b == NULL || m->displ_b == NULL
      || c->scratch == NULL)
    {
      jx_mpi_finalize (c);
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory starting MPI");
    }
  *world = c;
  return 0;
}

int
jx_mpi_local_size (const JxComm *world)
{
  return world != NULL && world->impl != NULL ? ((Impl *) world->impl)->local_size : 1;
}

static void
free_world (JxComm *world)
{
  Impl *m = world->impl;
  if (m != NULL)
    {
      free (m->count_a);
      free (m->displ_a);
      free (m->count_b);
      free (m->displ_b);
      free (m);
    }
  free (world->scratch);
  free (world);
}

void
jx_mpi_finalize (JxComm *world)
{
  if (world != NULL)
    free_world (world);
  MPI_Finalize ();
}

void
jx_mpi_abort (JxComm *world, int code)
{
  MPI_Abort (world != NULL ? comm_of (world) : MPI_COMM_WORLD, code);
}
