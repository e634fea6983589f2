/* test-dataset-stream.c — jx-dataset-stream against a full jx_dataset_read of the same file:
 * a walk and a shuffled random access give every jet, label and weight the full read gives;
 * the cache never holds more than its bound (cache_chunks chunks of at most chunk_particles
 * particles, or one jet when a jet is larger); chunks tile the file; files damaged in place
 * (offsets patched, a label column of the wrong length) are refused as a full read refuses
 * them: the same code, and for the damage a walk meets in the same order the same message.
 * With the default alignment every chunk starts on a multiple of JX_DATASET_STREAM_ALIGN
 * jets; jx_dataset_stream_read_attrs gives the full read's attributes. jx_dataset_stream_walk hands a range's rows to its function once each, in order,
 * starting and ending inside chunks, with progress through the whole, and stops at a cancel
 * or at the function's error. */
#include <string.h>

#include "jx-dataset-stream.h"
#include "jx-h5.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

#define N_JETS 1000
#define BIG_JET 150    /* one jet larger than CHUNK_PARTICLES: a chunk of its own */
#define CHUNK_JETS 37
#define CHUNK_PARTICLES 100
#define CACHE_CHUNKS 3

static void
make_dataset (JxDataset *ds)
{
  jx_dataset_init (ds);
  JxError err;
  static JxP4 p[BIG_JET];
  for (size_t i = 0; i < N_JETS; i++)
    {
      /* sizes 0..40 in an irregular pattern, one big jet in the middle */
      size_t n = i == 500 ? BIG_JET : (i * 7919) % 41;
      for (size_t k = 0; k < n; k++)
        p[k] = jx_p4 (1.0 + (double) i + 0.001 * (double) k, 0.1, -0.2, 0.3 * (double) (k % 3));
      JX_CHECK_INT (jx_dataset_append_labeled (ds, p, n, (int32_t) (i % 5), 0.25 * (double) i,
                                               &err), 0);
    }
  JX_CHECK_INT (jx_dataset_set_attr (ds, "generator", "test-dataset-stream", &err), 0);
}

static size_t
largest_jet (const JxDataset *ds)
{
  size_t m = 0;
  for (size_t i = 0; i < ds->n_jets; i++)
    if (jx_dataset_jet_size (ds, i) > m)
      m = jx_dataset_jet_size (ds, i);
  return m;
}

/* Jet i through the stream equals jet i of full; the cache is within its bound. */
static void
check_jet (JxDatasetStream *s, const JxDataset *full, size_t i)
{
  JxError err;
  size_t row = 0;
  const JxDataset *c = jx_dataset_stream_get (s, i, &row, NULL, &err);
  JX_CHECK_MSG (c != NULL, "jet %zu: %s", i, err.message);
  if (c == NULL)
    return;
  JX_CHECK_INT (c->first_jet + row, i);
  size_t n = jx_dataset_jet_size (full, i);
  JX_CHECK_INT (jx_dataset_jet_size (c, row), n);
  JX_CHECK (memcmp (jx_dataset_jet (c, row), jx_dataset_jet (full, i), n * sizeof (JxP4)) == 0);
  JX_CHECK_INT (c->labels[row], full->labels[i]);
  JX_CHECK (c->weights[row] == full->weights[i]);
  const char *g = jx_dataset_get_attr (c, "generator");
  JX_CHECK (g != NULL && strcmp (g, "test-dataset-stream") == 0);
  /* the bound: a chunk is at most CHUNK_JETS jets and CHUNK_PARTICLES particles, unless it
   * is a single jet larger than that */
  JX_CHECK (c->n_jets <= CHUNK_JETS);
  JX_CHECK (jx_dataset_n_particles (c) <= CHUNK_PARTICLES || c->n_jets == 1);
  size_t per_chunk = largest_jet (full) > CHUNK_PARTICLES ? largest_jet (full) : CHUNK_PARTICLES;
  JX_CHECK (jx_dataset_stream_cached_chunks (s) <= CACHE_CHUNKS);
  JX_CHECK (jx_dataset_stream_cached_particles (s) <= CACHE_CHUNKS * per_chunk);
}

static void
check_walk_and_shuffle (const char *path, const JxDataset *full)
{
  JxDatasetStreamOptions opt = { CHUNK_JETS, CHUNK_PARTICLES, CACHE_CHUNKS, 1 };   /* any cut */
  JxError err;
  JxDatasetStream *s = jx_dataset_stream_open (path, &opt, &err);
  JX_CHECK_MSG (s != NULL, "%s", err.message);
  if (s == NULL)
    return;
  JX_CHECK_INT (jx_dataset_stream_info (s)->n_jets, N_JETS);
  JX_CHECK_INT (jx_dataset_stream_info (s)->n_particles, jx_dataset_n_particles (full));

  /* A walk reads each chunk once, and the chunks tile the file: their particles add up. */
  size_t chunks = 0, particles = 0;
  for (size_t i = 0; i < N_JETS;)
    {
      size_t row;
      const JxDataset *c = jx_dataset_stream_get (s, i, &row, NULL, &err);
      JX_CHECK_MSG (c != NULL && row == 0, "walk at %zu: %s", i, c ? "row" : err.message);
      if (c == NULL)
        break;
      for (size_t r = 0; r < c->n_jets; r++)
        check_jet (s, full, i + r);
      chunks++;
      particles += jx_dataset_n_particles (c);
      i += c->n_jets;
    }
  JX_CHECK_INT (jx_dataset_stream_reads (s), chunks);
  JX_CHECK_INT (particles, jx_dataset_n_particles (full));
  JX_CHECK (chunks > N_JETS / CHUNK_JETS);   /* the particle bound cut some blocks */

  /* Random order: i → (i·389 + 11) mod N is a permutation (389 is prime to 1000). */
  for (size_t k = 0; k < N_JETS; k++)
    check_jet (s, full, (k * 389 + 11) % N_JETS);
  JX_CHECK (jx_dataset_stream_reads (s) > chunks);   /* the cache is smaller than the file */

  size_t row;
  JX_CHECK (jx_dataset_stream_get (s, N_JETS, &row, NULL, &err) == NULL);
  JX_CHECK_INT (err.code, JX_ERR_RANGE);
  JX_CHECK_MSG (strstr (err.message, path) != NULL, "%s", err.message);
  jx_dataset_stream_close (s);
}

/* The default alignment: chunks cut only at multiples of JX_DATASET_STREAM_ALIGN jets. */
static void
check_aligned (const char *path, const JxDataset *full)
{
  JxDatasetStreamOptions opt = { CHUNK_JETS, CHUNK_PARTICLES, CACHE_CHUNKS, 0 };
  JxError err;
  JxDatasetStream *s = jx_dataset_stream_open (path, &opt, &err);
  JX_CHECK (s != NULL);
  size_t chunks = 0;
  for (size_t i = 0; s != NULL && i < N_JETS;)
    {
      size_t row;
      const JxDataset *c = jx_dataset_stream_get (s, i, &row, NULL, &err);
      JX_CHECK (c != NULL && row == 0);
      if (c == NULL)
        break;
      JX_CHECK_MSG (c->first_jet % JX_DATASET_STREAM_ALIGN == 0, "chunk at %zu", c->first_jet);
      JX_CHECK (c->n_jets % JX_DATASET_STREAM_ALIGN == 0 || c->first_jet + c->n_jets == N_JETS);
      /* over the particle bound only when one aligned run is */
      JX_CHECK (jx_dataset_n_particles (c) <= CHUNK_PARTICLES
                || c->n_jets <= JX_DATASET_STREAM_ALIGN);
      JX_CHECK (memcmp (jx_dataset_jet (c, 0), jx_dataset_jet (full, i),
                        jx_dataset_jet_size (full, i) * sizeof (JxP4)) == 0);
      chunks++;
      i += c->n_jets;
    }
  JX_CHECK (chunks > 1);
  /* the source attributes, as the full read gives them */
  JxDataset attrs;
  jx_dataset_init (&attrs);
  JX_CHECK_INT (s != NULL ? jx_dataset_stream_read_attrs (s, &attrs, &err) : -1, 0);
  JX_CHECK_INT (attrs.n_attrs, full->n_attrs);
  for (size_t k = 0; k < attrs.n_attrs && k < full->n_attrs; k++)
    JX_CHECK (strcmp (attrs.attrs[k].key, full->attrs[k].key) == 0
              && strcmp (attrs.attrs[k].value, full->attrs[k].value) == 0);
  JX_CHECK_INT (attrs.n_jets, 0);
  jx_dataset_free (&attrs);
  jx_dataset_stream_close (s);
}

typedef struct {
  size_t next;       /* the jet the walk should hand on next */
  size_t calls, stop_after;
  double e_sum;
} Seen;

static int
see_chunk (void *user, const JxDataset *chunk, size_t lo, size_t hi, JxProgress *progress,
           JxError *err)
{
  Seen *w = user;
  JX_CHECK (lo < hi && hi <= chunk->n_jets);
  JX_CHECK_INT (chunk->first_jet + lo, w->next);
  for (size_t r = lo; r < hi; r++)
    for (size_t k = 0; k < jx_dataset_jet_size (chunk, r); k++)
      w->e_sum += jx_dataset_jet (chunk, r)[k].E;
  jx_progress_report (progress, (double) (hi - lo), (double) (hi - lo), "seen");
  w->next = chunk->first_jet + hi;
  if (++w->calls == w->stop_after)
    return jx_error_set (err, JX_ERR_IO, "stopped here");
  return 0;
}

typedef struct {
  double last_done, total;
  int backwards;
} Reports;

static void
keep_report (void *user, double done, double total, const char *message)
{
  (void) message;
  Reports *r = user;
  r->backwards += done < r->last_done;
  r->last_done = done;
  r->total = total;
}

static void
check_stream_walk (const char *path, const JxDataset *full)
{
  JxDatasetStreamOptions opt = { CHUNK_JETS, CHUNK_PARTICLES, CACHE_CHUNKS, 1 };
  JxError err;
  JxDatasetStream *s = jx_dataset_stream_open (path, &opt, &err);
  JX_CHECK (s != NULL);
  if (s == NULL)
    return;
  const size_t first = 50, last = 911;   /* inside chunks */
  double want = 0;
  for (size_t i = first; i < last; i++)
    for (size_t k = 0; k < jx_dataset_jet_size (full, i); k++)
      want += jx_dataset_jet (full, i)[k].E;
  Seen w = { .next = first };
  Reports r = { 0 };
  JxProgress progress;
  jx_progress_init (&progress, keep_report, &r);
  JX_CHECK_INT (jx_dataset_stream_walk (s, first, last, see_chunk, &w, "walk", &progress, &err),
                0);
  JX_CHECK_INT (w.next, last);
  JX_CHECK (w.calls > (last - first) / CHUNK_JETS);
  JX_CHECK (w.e_sum == want);   /* the same jets in the same order: the same sum */
  JX_CHECK (r.backwards == 0 && r.last_done == last - first && r.total == last - first);
  /* an empty range: no call */
  w = (Seen) { .next = 7 };
  JX_CHECK_INT (jx_dataset_stream_walk (s, 7, 7, see_chunk, &w, "walk", NULL, &err), 0);
  JX_CHECK_INT (w.calls, 0);
  /* the function's error stops the walk with it */
  w = (Seen) { .next = 0, .stop_after = 3 };
  JX_CHECK_INT (jx_dataset_stream_walk (s, 0, N_JETS, see_chunk, &w, "walk", NULL, &err),
                JX_ERR_IO);
  JX_CHECK_INT (w.calls, 3);
  JX_CHECK (strstr (err.message, "stopped here") != NULL);
  /* a cancel, and a range outside the file */
  jx_progress_cancel (&progress);
  w = (Seen) { .next = 0 };
  JX_CHECK_INT (jx_dataset_stream_walk (s, 0, N_JETS, see_chunk, &w, "walk", &progress, &err),
                JX_ERR_CANCELLED);
  JX_CHECK_INT (w.calls, 0);
  JX_CHECK_INT (jx_dataset_stream_walk (s, 10, N_JETS + 1, see_chunk, &w, "walk", NULL, &err),
                JX_ERR_INVALID);
  jx_dataset_stream_close (s);
}

/* Overwrite offsets[index] of a written file in place. */
static void
patch_offset (const char *path, size_t index, uint64_t value)
{
  JxError err;
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  JX_CHECK (f >= 0);
  hid_t d = H5Dopen2 (f, "jets/offsets", H5P_DEFAULT);
  JX_CHECK (d >= 0);
  JX_CHECK_INT (jx_h5_write_rows (d, H5T_NATIVE_UINT64, index, 1, &value, &err), 0);
  H5Dclose (d);
  H5Fclose (f);
}

/* Walk every jet; 0, or the first failure's code with its message in err. */
static int
walk (const char *path, JxError *err)
{
  JxDatasetStreamOptions opt = { CHUNK_JETS, CHUNK_PARTICLES, CACHE_CHUNKS, 1 };   /* any cut */
  JxDatasetStream *s = jx_dataset_stream_open (path, &opt, err);
  if (s == NULL)
    return err->code;
  int rc = 0;
  for (size_t i = 0; i < jx_dataset_stream_info (s)->n_jets && rc == 0;)
    {
      size_t row;
      const JxDataset *c = jx_dataset_stream_get (s, i, &row, NULL, err);
      rc = c == NULL ? err->code : 0;
      i += c != NULL ? c->n_jets : 0;
    }
  jx_dataset_stream_close (s);
  return rc;
}

/* full read and walk of path both fail with JX_ERR_FORMAT naming the file; same_message:
 * with the same message too. */
static void
expect_refused_alike (const char *path, bool same_message, const char *what)
{
  JxDataset ds;
  JxError full_err, walk_err;
  jx_error_clear (&full_err);
  jx_error_clear (&walk_err);
  int rc_full = jx_dataset_read (&ds, path, NULL, &full_err);
  jx_dataset_free (&ds);
  int rc_walk = walk (path, &walk_err);
  JX_CHECK_MSG (rc_full == JX_ERR_FORMAT && rc_walk == JX_ERR_FORMAT, "%s: full %d '%s', "
                "walk %d '%s'", what, rc_full, full_err.message, rc_walk, walk_err.message);
  JX_CHECK_MSG (strstr (walk_err.message, path) != NULL, "%s: %s", what, walk_err.message);
  if (same_message)
    JX_CHECK_MSG (strcmp (full_err.message, walk_err.message) == 0, "%s: full '%s', walk '%s'",
                  what, full_err.message, walk_err.message);
}

static void
check_damaged (const JxDataset *whole)
{
  const char *path = tmp_path ("damaged.h5");
  JxError err;
  uint64_t np = jx_dataset_n_particles (whole);
  struct {
    size_t index;
    uint64_t value;
    bool same_message;
    const char *what;
  } cases[] = {
    { 700, 3, true, "offsets decrease deep in the file" },
    { N_JETS, np - 1, true, "offsets end short of the particles" },
    { 0, 1, true, "offsets start past 0" },
    /* a full read names the decrease after the spike, a walk the spike past the rows (its
     * chunk ends there): both refuse the file */
    { 300, np + 5, false, "an offset past the particles" },
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    {
      JX_CHECK_INT (jx_dataset_write (whole, path, NULL, &err), 0);
      patch_offset (path, cases[k].index, cases[k].value);
      expect_refused_alike (path, cases[k].same_message, cases[k].what);
    }

  /* a label column of the wrong length: refused when the stream opens, in the same words */
  JxDataset fewer = *whole;
  fewer.n_jets = N_JETS - 1;   /* a view: the first N−1 jets ... */
  JX_CHECK_INT (jx_dataset_write (&fewer, path, NULL, &err), 0);
  hid_t f = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  JX_CHECK_INT (H5Ldelete (f, "jets/label", H5P_DEFAULT), 0);   /* ... with N labels */
  hsize_t dims[1] = { N_JETS };
  JX_CHECK_INT (jx_h5_write_array (f, "jets/label", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims,
                                   whole->labels, &err), 0);
  H5Fclose (f);
  expect_refused_alike (path, true, "a label column longer than the jets");

  write_text (path, "not HDF5\n");
  expect_refused_alike (path, true, "a text file");
  unlink (path);
}

int
main (void)
{
  jx_test_tmp_begin ("dataset-stream");
  JxDataset whole;
  make_dataset (&whole);
  const char *path = tmp_path ("jets.h5");
  JxError err;
  JX_CHECK_INT (jx_dataset_write (&whole, path, NULL, &err), 0);
  JxDataset full;
  JX_CHECK_INT (jx_dataset_read (&full, path, NULL, &err), 0);
  JX_CHECK_INT (full.n_jets, N_JETS);
  check_walk_and_shuffle (path, &full);
  check_aligned (path, &full);
  check_stream_walk (path, &full);
  jx_dataset_free (&full);
  unlink (path);
  check_damaged (&whole);
  jx_dataset_free (&whole);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("dataset-stream");
}
