/* test-comm.c — the collectives of jx-comm.c on ranks that are threads (jx-test-comm.h):
 * shares that tile, errors agreed on from the lowest failing rank, sums added in rank order
 * to the bit (against the same additions written out here), gathers of uneven parts. */
#include <stdlib.h>
#include <string.h>

#include "jx-comm.h"
#include "jx-rng.h"
#include "jx-test-comm.h"
#include "jx-test.h"

#define N_FLOATS 1003  /* not a multiple of the rank counts: uneven slices */
#define MAX_RANKS JX_TEST_MAX_RANKS

/* What every rank saw; checked on the main thread (the check counters are not atomic). */
typedef struct {
  int size;
  float input[MAX_RANKS][N_FLOATS];
  float output[MAX_RANKS][N_FLOATS];
  int scratch_ok[MAX_RANKS];
  int agreed[MAX_RANKS];
  JxError agreed_err[MAX_RANKS];
  int agreed_sum_rc[MAX_RANKS];
  double agreed_sum[MAX_RANKS];
  double gathered_u64_ok[MAX_RANKS];
  char gathered[MAX_RANKS][64];
  char bcast[MAX_RANKS][16];
  int32_t inplace[MAX_RANKS][3 * MAX_RANKS];
} Seen;

static void
fill (float *x, int rank)
{
  JxRng rng;
  jx_rng_seed (&rng, 99, (uint64_t) rank);
  /* Magnitudes spread over many orders, so the order of the additions shows in the bits. */
  for (size_t i = 0; i < N_FLOATS; i++)
    x[i] = (float) ((jx_rng_uniform (&rng) - 0.5) * pow (10.0, 6.0 * jx_rng_uniform (&rng) - 3));
}

static void
rank_main (const JxComm *c, void *user)
{
  Seen *s = user;
  int me = c->rank;

  /* sums */
  fill (s->input[me], me);
  float x[N_FLOATS];
  memcpy (x, s->input[me], sizeof x);
  /* Exactly the scratch asked for, on the heap, so ASan catches a write past it (N_FLOATS
   * is not a multiple of the rank counts: the largest slice times the ranks is more). */
  size_t need = jx_comm_sum_floats_scratch (c, N_FLOATS);
  s->scratch_ok[me] = need >= N_FLOATS && need <= N_FLOATS + (size_t) c->size - 1;
  float *scratch = malloc (need * sizeof *scratch);
  if (scratch == NULL)
    abort ();
  jx_comm_sum_floats (c, x, N_FLOATS, scratch);
  free (scratch);
  memcpy (s->output[me], x, sizeof x);

  /* errors: ranks 1 and 2 fail (when there), rank 1's error wins */
  JxError e;
  jx_error_clear (&e);
  int rc = 0;
  if (me == 1)
    rc = jx_error_set (&e, JX_ERR_IO, "rank one cannot write");
  if (me == 2)
    rc = jx_error_set (&e, JX_ERR_FORMAT, "rank two read a bad file");
  s->agreed[me] = jx_comm_agree (c, rc, &e);
  s->agreed_err[me] = e;

  double v = 0.1 * (me + 1);
  s->agreed_sum_rc[me] = jx_comm_agree_sum (c, 0, &v, NULL);
  s->agreed_sum[me] = v;

  uint64_t all[MAX_RANKS];
  jx_comm_allgather_u64 (c, (uint64_t) (1000 + me), all);
  bool ok = true;
  for (int r = 0; r < c->size; r++)
    ok = ok && all[r] == (uint64_t) (1000 + r);
  s->gathered_u64_ok[me] = ok;

  /* gather of uneven parts (rank r sends r bytes of value 'a' + r) onto rank 1 */
  size_t counts[MAX_RANKS];
  for (int r = 0; r < c->size; r++)
    counts[r] = (size_t) r;
  char part[MAX_RANKS];
  memset (part, 'a' + me, sizeof part);
  memset (s->gathered[me], 0, sizeof s->gathered[me]);
  jx_comm_gather_bytes (c, part, counts, s->gathered[me], c->size > 1 ? 1 : 0);

  /* broadcast from the last rank */
  char msg[16];
  snprintf (msg, sizeof msg, "from %d", me);
  jx_comm_bcast (c, msg, sizeof msg, c->size - 1);
  memcpy (s->bcast[me], msg, sizeof msg);

  /* allgatherv in place: rank r owns 3 entries r·10 + k at its own block */
  int32_t *mine = s->inplace[me] + 3 * me;
  for (int k = 0; k < 3; k++)
    mine[k] = 10 * me + k;
  size_t bytes[MAX_RANKS];
  for (int r = 0; r < c->size; r++)
    bytes[r] = 3 * sizeof (int32_t);
  jx_comm_allgatherv (c, mine, s->inplace[me], bytes);
}

static void
check_world (int size)
{
  static Seen s;
  memset (&s, 0, sizeof s);
  s.size = size;
  jx_test_world_run (size, rank_main, &s);

  /* The sum written out: rank 0's values, then + rank 1's, ... in float. */
  int same_everywhere = 1, as_written = 1;
  for (size_t i = 0; i < N_FLOATS; i++)
    {
      float want = s.input[0][i];
      for (int r = 1; r < size; r++)
        want += s.input[r][i];
      for (int r = 0; r < size; r++)
        {
          same_everywhere &= memcmp (&s.output[r][i], &s.output[0][i], sizeof (float)) == 0;
          as_written &= memcmp (&s.output[r][i], &want, sizeof (float)) == 0;
        }
    }
  for (int r = 0; r < size; r++)
    JX_CHECK_MSG (s.scratch_ok[r], "%d ranks: rank %d's scratch size is off", size, r);
  JX_CHECK_MSG (same_everywhere, "%d ranks: the sums differ between ranks", size);
  JX_CHECK_MSG (as_written, "%d ranks: the sums are not the rank-order float sums", size);
  if (size >= 3)
    {
      /* The control: another order of the same additions gives other bits somewhere, so the
       * check above can tell orders apart. */
      int differs = 0;
      for (size_t i = 0; i < N_FLOATS; i++)
        {
          float other = s.input[size - 1][i];
          for (int r = size - 2; r >= 0; r--)
            other += s.input[r][i];
          differs |= memcmp (&other, &s.output[0][i], sizeof (float)) != 0;
        }
      JX_CHECK_MSG (differs, "%d ranks: reversed order gives the same bits: data too tame", size);
    }

  double want = 0;
  for (int r = 0; r < size; r++)
    want += 0.1 * (r + 1);
  for (int r = 0; r < size; r++)
    {
      if (size == 1)
        JX_CHECK_INT (s.agreed[r], 0);
      else
        {
          JX_CHECK_INT (s.agreed[r], JX_ERR_IO);
          JX_CHECK_MSG (strcmp (s.agreed_err[r].message, "rank one cannot write") == 0,
                        "rank %d of %d: '%s'", r, size, s.agreed_err[r].message);
        }
      JX_CHECK_INT (s.agreed_sum_rc[r], 0);
      JX_CHECK_MSG (s.agreed_sum[r] == want, "rank %d: sum %.17g, want %.17g", r,
                    s.agreed_sum[r], want);
      JX_CHECK (s.gathered_u64_ok[r]);
      char expect[16];
      snprintf (expect, sizeof expect, "from %d", size - 1);
      JX_CHECK_MSG (strcmp (s.bcast[r], expect) == 0, "rank %d: '%s'", r, s.bcast[r]);
      for (int q = 0; q < size; q++)
        for (int k = 0; k < 3; k++)
          JX_CHECK_INT (s.inplace[r][3 * q + k], 10 * q + k);
    }
  /* The root holds rank r's r bytes in rank order: "" "b" "cc" "ddd" ... */
  int root = size > 1 ? 1 : 0;
  char expect[64] = "";
  for (int r = 0; r < size; r++)
    for (int k = 0; k < r; k++)
      expect[strlen (expect)] = (char) ('a' + r);
  JX_CHECK_MSG (strcmp (s.gathered[root], expect) == 0, "%d ranks: gathered '%s', want '%s'",
                size, s.gathered[root], expect);
}

static void
check_shares (void)
{
  for (size_t n = 0; n < 30; n++)
    for (int size = 1; size <= 7; size++)
      {
        size_t next = 0, lo = SIZE_MAX, hi = 0;
        for (int r = 0; r < size; r++)
          {
            size_t first, count;
            jx_comm_share (n, size, r, &first, &count);
            JX_CHECK_INT (first, next);
            next = first + count;
            lo = count < lo ? count : lo;
            hi = count > hi ? count : hi;
          }
        JX_CHECK_INT (next, n);
        JX_CHECK (hi - lo <= 1);
      }
}

static void
check_solo (void)
{
  float x[3] = { 1, 2, 3 };
  jx_comm_sum_floats (NULL, x, 3, NULL);
  jx_comm_sum_floats (&jx_comm_solo, x, 3, NULL);
  JX_CHECK (x[0] == 1 && x[1] == 2 && x[2] == 3);
  JxError e;
  JX_CHECK_INT (jx_comm_agree (&jx_comm_solo, 0, &e), 0);
  JX_CHECK_INT (jx_comm_agree (NULL, JX_ERR_IO, &e), JX_ERR_IO);
  double v = 2.5;
  JX_CHECK_INT (jx_comm_agree_sum (&jx_comm_solo, 0, &v, &e), 0);
  JX_CHECK (v == 2.5);
  JX_CHECK_INT (jx_comm_size (NULL), 1);
  JX_CHECK_INT (jx_comm_rank (&jx_comm_solo), 0);
}

int
main (void)
{
  check_shares ();
  check_solo ();
  for (int size = 1; size <= 5; size++)
    check_world (size);
  JX_TEST_MAIN_END ("comm");
}
