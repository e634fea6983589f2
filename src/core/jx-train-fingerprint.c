/* jx-train-fingerprint.c — the dataset's fingerprint a checkpoint stores (jx-train.h), over a
 * dataset in memory, spread over the ranks of a job, or streamed from its file: the same
 * value for the same jets in all three. */
#include <stdint.h>
#include <string.h>

#include "jx-train-private.h"

/* FNV-1a, continued over n more bytes. */
#define FNV_BASIS 0xcbf29ce484222325ull

static uint64_t
fnv (uint64_t h, const void *bytes, size_t n)
{
  const unsigned char *p = bytes;
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

uint64_t
jx_train_data_fingerprint (const JxDataset *data)
{
  /* FNV-1a over the bytes of the offsets and momenta. */
  uint64_t h = fnv (FNV_BASIS, data->offsets, (data->n_jets + 1) * sizeof *data->offsets);
  return fnv (h, data->particles, jx_dataset_n_particles (data) * sizeof *data->particles);
}

/* The same fingerprint when the dataset is spread over the ranks of a job: FNV-1a is a chain,
 * so the running value is passed from rank to rank, over the offsets (as the file has them)
 * and then over the particles. It costs what the single-process pass costs, and a checkpoint
 * resumes with any number of ranks. */
uint64_t
jx_train_fingerprint_ranks (const JxComm *c, const JxDataset *data)
{
  int me = c->rank, size = c->size;
  /* The particles of the ranks before: where this rank's offsets start in the file. */
  uint64_t base = jx_comm_sum_before_u64 (c, jx_dataset_n_particles (data));
  /* Offsets entries [first, first + n) of this rank; the last rank also the closing one. */
  uint64_t h = FNV_BASIS;
  if (me > 0)
    c->ops->recv (c, me - 1, &h, sizeof h);
  size_t n_off = data->n_jets + (me == size - 1 ? 1 : 0);
  for (size_t i = 0; i < n_off; i++)
    {
      uint64_t v = data->offsets[i] + base;
      h = fnv (h, &v, sizeof v);
    }
  c->ops->send (c, (me + 1) % size, &h, sizeof h);
  c->ops->recv (c, (me + size - 1) % size, &h, sizeof h);
  h = fnv (h, data->particles, jx_dataset_n_particles (data) * sizeof *data->particles);
  if (me < size - 1)
    c->ops->send (c, me + 1, &h, sizeof h);
  c->ops->bcast (c, &h, sizeof h, size - 1);
  return h;
}

/* A streamed file's fingerprint: the chain over the offsets as the file has them (a chunk's
 * are rebased to its first particle: the particles before it are added back), then over the
 * particles, so two walks over the file. */
typedef struct {
  uint64_t h, base;
  size_t n_jets;     /* in the file: the closing offset follows its last jet */
} Chain;

static int
chain_offsets (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
               JxError *err)
{
  (void) progress;
  (void) err;
  Chain *c = user;
  size_t end = chunk->first_jet + hi == c->n_jets ? hi + 1 : hi;
  for (size_t i = lo; i < end; i++)
    {
      uint64_t v = chunk->offsets[i] + c->base;
      c->h = fnv (c->h, &v, sizeof v);
    }
  c->base += chunk->offsets[hi] - chunk->offsets[lo];
  return 0;
}

static int
chain_particles (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
                 JxError *err)
{
  (void) progress;
  (void) err;
  Chain *c = user;
  c->h = fnv (c->h, chunk->particles + chunk->offsets[lo],
              (chunk->offsets[hi] - chunk->offsets[lo]) * sizeof *chunk->particles);
  return 0;
}

int
jx_train_fingerprint_stream (JxDatasetStream *s, uint64_t *print, JxProgress *progress,
                             JxError *err)
{
  size_t n = jx_dataset_stream_info (s)->n_jets;
  Chain c = { .h = FNV_BASIS, .n_jets = n };
  if (n == 0)
    {
      uint64_t zero = 0;   /* an empty dataset's one offset */
      *print = fnv (c.h, &zero, sizeof zero);
      return 0;
    }
  int rc = jx_dataset_stream_walk (s, 0, n, chain_offsets, &c, "reading (fingerprint)", progress,
                                   err);
  if (rc == 0)
    rc = jx_dataset_stream_walk (s, 0, n, chain_particles, &c, "reading (fingerprint)",
                                 progress, err);
  *print = c.h;
  return rc;
}
