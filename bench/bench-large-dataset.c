/* bench-large-dataset — a dataset file larger than memory, and how fast it streams.
 *
 *   bench-large-dataset write SEED.h5 N_JETS OUT.h5   # OUT = SEED's jets repeated to N_JETS
 *   bench-large-dataset walk FILE.h5                  # every jet through jx-dataset-stream
 *   bench-large-dataset random FILE.h5 [N_LOOKUPS]    # jets at random through its cache
 *   bench-large-dataset full FILE.h5                  # the peer: one jx_dataset_read
 *
 * `write` repeats a small dataset (e.g. from `junipr generate`) block by block, so the big
 * file is written with bounded memory too, in the layout and conventions of jx_dataset_write
 * (chunked columns with checksums, atomic rename); its attributes say it was repeated. `walk`
 * and `random` print wall time, jets/s and the stream's chunk reads. Not a test: numbers
 * depend on the machine and its load (run-large-dataset-bench.sh takes RSS with time -v). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jx-atomic.h"
#include "jx-dataset-stream.h"
#include "jx-h5.h"
#include "jx-rng.h"

static double
now (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static int
fail (const JxError *err)
{
  fprintf (stderr, "bench-large-dataset: %s\n", err->message);
  return 1;
}

/* Columns of the big file, written copy after copy of the seed. */
typedef struct {
  hid_t off, part, lab, wt;
} Columns;

static int
create_columns (hid_t f, const JxDataset *seed, size_t n, size_t np, Columns *c, JxError *err)
{
  hsize_t dims[2] = { n + 1, 4 };
  c->off = jx_h5_create_dataset (f, "jets/offsets", H5T_STD_U64LE, 1, dims, err);
  dims[0] = np;
  c->part = c->off < 0 ? -1 : jx_h5_create_dataset (f, "jets/particles", H5T_IEEE_F64LE, 2, dims,
                                                    err);
  dims[0] = n;
  c->lab = c->wt = H5I_INVALID_HID;
  if (c->part >= 0 && seed->labels != NULL)
    c->lab = jx_h5_create_dataset (f, "jets/label", H5T_STD_I32LE, 1, dims, err);
  if (c->part >= 0 && seed->weights != NULL)
    c->wt = jx_h5_create_dataset (f, "jets/weight", H5T_IEEE_F64LE, 1, dims, err);
  return c->part < 0 || (seed->labels != NULL && c->lab < 0)
    || (seed->weights != NULL && c->wt < 0) ? JX_ERR_IO : 0;
}

/* Jets [j0, j0 + k) of the big file are the seed's first k jets, starting at particle p0. */
static int
write_copy (const Columns *c, const JxDataset *seed, size_t j0, size_t k, uint64_t p0,
            uint64_t *off, JxError *err)
{
  for (size_t i = 0; i <= k; i++)
    off[i] = p0 + seed->offsets[i];
  size_t np = (size_t) seed->offsets[k];
  int rc = jx_h5_write_rows (c->off, H5T_NATIVE_UINT64, j0, k + 1, off, err);
  if (rc == 0)
    rc = jx_h5_write_rows (c->part, H5T_NATIVE_DOUBLE, p0, np, seed->particles, err);
  if (rc == 0 && c->lab >= 0)
    rc = jx_h5_write_rows (c->lab, H5T_NATIVE_INT32, j0, k, seed->labels, err);
  if (rc == 0 && c->wt >= 0)
    rc = jx_h5_write_rows (c->wt, H5T_NATIVE_DOUBLE, j0, k, seed->weights, err);
  return rc;
}

static int
write_repeated (const char *seed_path, size_t n, const char *path)
{
  JxError err;
  JxDataset seed;
  if (jx_dataset_read (&seed, seed_path, NULL, &err) != 0)
    return fail (&err);
  if (seed.n_jets == 0)
    {
      fprintf (stderr, "bench-large-dataset: %s has no jets\n", seed_path);
      return 1;
    }
  size_t copies = n / seed.n_jets, rest = n % seed.n_jets;
  size_t np = copies * jx_dataset_n_particles (&seed) + (size_t) seed.offsets[rest];
  uint64_t *off = malloc ((seed.n_jets + 1) * sizeof *off);
  JxAtomicFile af;
  if (off == NULL || jx_atomic_begin (&af, path, &err) != 0)
    return fail (&err);
  double t0 = now ();
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t f = jx_h5_create (af.tmp_path, &err);
  Columns c = { -1, -1, -1, -1 };
  int rc = f < 0 ? (int) f : 0;
  if (rc == 0)
    rc = jx_h5_write_string_attr (f, "format", JX_DATASET_FORMAT, &err);
  if (rc == 0)
    rc = jx_h5_write_int_attr (f, "version", JX_DATASET_VERSION, &err);
  for (size_t i = 0; rc == 0 && i < seed.n_attrs; i++)
    rc = jx_h5_write_string_attr (f, seed.attrs[i].key, seed.attrs[i].value, &err);
  if (rc == 0)
    rc = jx_h5_write_string_attr (f, "repeated_from", seed_path, &err);
  if (rc == 0)
    rc = create_columns (f, &seed, n, np, &c, &err);
  uint64_t p0 = 0;
  for (size_t j0 = 0; rc == 0 && j0 < n; j0 += seed.n_jets)
    {
      size_t k = n - j0 < seed.n_jets ? n - j0 : seed.n_jets;
      rc = write_copy (&c, &seed, j0, k, p0, off, &err);
      p0 += seed.offsets[k];
    }
  hid_t ids[4] = { c.off, c.part, c.lab, c.wt };
  for (int i = 0; i < 4; i++)
    if (ids[i] >= 0)
      H5Dclose (ids[i]);
  if (f >= 0)
    rc = rc == 0 ? jx_h5_close (f, &err) : (H5Fclose (f), rc);
  jx_h5_quiet_end (&quiet);
  if (rc == 0)
    rc = jx_atomic_commit (&af, &err);
  jx_atomic_abort (&af);
  free (off);
  jx_dataset_free (&seed);
  if (rc != 0)
    return fail (&err);
  printf ("wrote %s: %zu jets, %zu particles (%zu copies of %s) in %.1f s\n", path, n, np,
          copies + (rest > 0), seed_path, now () - t0);
  return 0;
}

static int
walk (const char *path)
{
  JxError err;
  double t0 = now ();
  JxDatasetStream *s = jx_dataset_stream_open (path, NULL, &err);
  if (s == NULL)
    return fail (&err);
  size_t n = jx_dataset_stream_info (s)->n_jets;
  double e_sum = 0;
  for (size_t i = 0; i < n;)
    {
      size_t row;
      const JxDataset *c = jx_dataset_stream_get (s, i, &row, NULL, &err);
      if (c == NULL)
        return fail (&err);
      for (size_t k = 0; k < jx_dataset_n_particles (c); k++)
        e_sum += c->particles[k].E;
      i += c->n_jets;
    }
  double secs = now () - t0;
  printf ("walk %s: %zu jets in %.2f s, %.3g jets/s, %zu chunk reads (sum E %.6g GeV)\n", path,
          n, secs, (double) n / secs, jx_dataset_stream_reads (s), e_sum);
  jx_dataset_stream_close (s);
  return 0;
}

static int
full_read (const char *path)
{
  JxError err;
  JxDataset ds;
  double t0 = now ();
  if (jx_dataset_read (&ds, path, NULL, &err) != 0)
    return fail (&err);
  double secs = now () - t0;
  printf ("full %s: %zu jets in %.2f s, %.3g jets/s\n", path, ds.n_jets, secs,
          (double) ds.n_jets / secs);
  jx_dataset_free (&ds);
  return 0;
}

static int
random_access (const char *path, size_t lookups)
{
  JxError err;
  JxDatasetStream *s = jx_dataset_stream_open (path, NULL, &err);
  if (s == NULL)
    return fail (&err);
  size_t n = jx_dataset_stream_info (s)->n_jets;
  JxRng rng;
  jx_rng_seed (&rng, 7, 0);
  double t0 = now ();
  for (size_t k = 0; k < lookups && n > 0; k++)
    {
      size_t row;
      size_t i = (size_t) (jx_rng_uniform (&rng) * (double) n) % n;
      if (jx_dataset_stream_get (s, i, &row, NULL, &err) == NULL)
        return fail (&err);
    }
  double secs = now () - t0;
  printf ("random %s: %zu lookups in %.2f s, %.3g ms each, %zu chunk reads\n", path, lookups,
          secs, 1e3 * secs / (double) lookups, jx_dataset_stream_reads (s));
  jx_dataset_stream_close (s);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 5 && strcmp (argv[1], "write") == 0)
    return write_repeated (argv[2], strtoull (argv[3], NULL, 10), argv[4]);
  if (argc == 3 && strcmp (argv[1], "walk") == 0)
    return walk (argv[2]);
  if (argc == 3 && strcmp (argv[1], "full") == 0)
    return full_read (argv[2]);
  if ((argc == 3 || argc == 4) && strcmp (argv[1], "random") == 0)
    return random_access (argv[2], argc == 4 ? strtoull (argv[3], NULL, 10) : 1000);
  fprintf (stderr, "usage: bench-large-dataset write SEED.h5 N_JETS OUT.h5 | walk FILE.h5 | "
           "random FILE.h5 [N_LOOKUPS] | full FILE.h5\n");
  return 2;
}
