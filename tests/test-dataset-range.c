/* test-dataset-range.c — jx_dataset_read_range: every range of a file gives the jets a full
 * read gives (particles, labels, weights, attributes), with offsets from 0 and first_jet set;
 * ranges that tile the file check all its offsets between them, and a range only what it
 * reads; ranges past the file are refused naming both. */
#include <string.h>

#include "jx-dataset.h"
#include "jx-h5.h"
#include "jx-test-tmp.h"
#include "jx-test.h"

#define N_JETS 23

static void
make_dataset (JxDataset *ds)
{
  jx_dataset_init (ds);
  JxError err;
  for (size_t i = 0; i < N_JETS; i++)
    {
      /* sizes 0..6, so empty jets sit at range boundaries too */
      size_t n = (i * 5) % 7;
      JxP4 p[7];
      for (size_t k = 0; k < n; k++)
        p[k] = jx_p4 (10.0 * (double) i + (double) k + 1, 0.1 * (double) k, 0.2, 0.3);
      JX_CHECK_INT (jx_dataset_append_labeled (ds, p, n, (int32_t) (i % 3), 0.5 + (double) i,
                                               &err), 0);
    }
  JX_CHECK_INT (jx_dataset_set_attr (ds, "generator", "test-dataset-range", &err), 0);
}

/* part is jets [first, first + part->n_jets) of whole. */
static void
check_part (const JxDataset *whole, const JxDataset *part, size_t first)
{
  JX_CHECK_INT (part->first_jet, first);
  JX_CHECK_INT (part->offsets[0], 0);
  const char *g = jx_dataset_get_attr (part, "generator");
  JX_CHECK (g != NULL && strcmp (g, "test-dataset-range") == 0);
  for (size_t i = 0; i < part->n_jets; i++)
    {
      size_t n = jx_dataset_jet_size (whole, first + i);
      JX_CHECK_INT (jx_dataset_jet_size (part, i), n);
      JX_CHECK (memcmp (jx_dataset_jet (part, i), jx_dataset_jet (whole, first + i),
                        n * sizeof (JxP4)) == 0);
      JX_CHECK_INT (part->labels[i], whole->labels[first + i]);
      JX_CHECK (part->weights[i] == whole->weights[first + i]);
    }
}

static void
check_ranges (const char *path, const JxDataset *whole)
{
  JxError err;
  for (size_t first = 0; first <= N_JETS; first++)
    for (size_t count = 0; first + count <= N_JETS; count += 3)
      {
        JxDataset part;
        int rc = jx_dataset_read_range (&part, path, first, count, NULL, &err);
        JX_CHECK_MSG (rc == 0, "[%zu, +%zu): %s", first, count, err.message);
        if (rc == 0)
          {
            JX_CHECK_INT (part.n_jets, count);
            check_part (whole, &part, first);
          }
        jx_dataset_free (&part);
      }
  /* to the end */
  JxDataset tail;
  JX_CHECK_INT (jx_dataset_read_range (&tail, path, 20, SIZE_MAX, NULL, &err), 0);
  JX_CHECK_INT (tail.n_jets, N_JETS - 20);
  check_part (whole, &tail, 20);
  jx_dataset_free (&tail);
  /* past the end */
  JxDataset none;
  JX_CHECK_INT (jx_dataset_read_range (&none, path, 20, 4, NULL, &err), JX_ERR_RANGE);
  JX_CHECK_MSG (strstr (err.message, path) != NULL && strstr (err.message, "23 jets") != NULL,
                "%s", err.message);
  JX_CHECK_INT (none.n_jets, 0);
  JX_CHECK_INT (jx_dataset_read_range (&none, path, 24, 0, NULL, &err), JX_ERR_RANGE);
  jx_dataset_free (&none);
}

/* A file whose offsets go wrong at one place: offsets[bad] jumps past the particles
 * (a rank reading it must refuse) or back below offsets[bad − 1] (decrease). */
static void
write_offsets_file (const char *path, const uint64_t *off, size_t n_off, size_t rows)
{
  JxError err;
  hid_t f = jx_h5_create (path, &err);
  JX_CHECK_MSG (f >= 0, "%s", err.message);
  jx_h5_write_string_attr (f, "format", JX_DATASET_FORMAT, &err);
  jx_h5_write_int_attr (f, "version", JX_DATASET_VERSION, &err);
  hsize_t dims[2] = { n_off, 4 };
  jx_h5_write_array (f, "jets/offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, dims, off, &err);
  double p[4 * 16];
  for (int i = 0; i < 4 * 16; i++)
    p[i] = (i % 4) == 0 ? 2.0 : 0.5;
  dims[0] = rows;
  jx_h5_write_array (f, "jets/particles", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims, p, &err);
  JX_CHECK_INT (jx_h5_close (f, &err), 0);
}

static void
expect_refused (const char *path, size_t first, size_t count, const char *needle)
{
  JxDataset ds;
  JxError err;
  jx_error_clear (&err);
  int rc = jx_dataset_read_range (&ds, path, first, count, NULL, &err);
  JX_CHECK_MSG (rc == JX_ERR_FORMAT && strstr (err.message, needle) != NULL
                && strstr (err.message, path) != NULL,
                "[%zu, +%zu): rc %d, '%s' (want '%s')", first, count, rc, err.message, needle);
  JX_CHECK_INT (ds.n_jets, 0);
  jx_dataset_free (&ds);
}

static void
expect_read (const char *path, size_t first, size_t count)
{
  JxDataset ds;
  JxError err;
  int rc = jx_dataset_read_range (&ds, path, first, count, NULL, &err);
  JX_CHECK_MSG (rc == 0, "[%zu, +%zu): %s", first, count, err.message);
  jx_dataset_free (&ds);
}

static void
check_bad_offsets (void)
{
  /* 6 jets of 2 particles, 12 rows; the damage sits at jet 4 */
  const char *path = tmp_path ("bad-offsets.h5");
  uint64_t decrease[7] = { 0, 2, 4, 6, 3, 10, 12 };
  write_offsets_file (path, decrease, 7, 12);
  expect_refused (path, 0, SIZE_MAX, "decrease at jet 3");
  expect_refused (path, 2, 3, "decrease at jet 3");   /* names the file's index, not 1 */
  expect_read (path, 0, 3);    /* reads offsets[0..3]: fine as far as it goes */
  expect_read (path, 4, 2);

  uint64_t past[7] = { 0, 2, 4, 6, 40, 10, 12 };
  write_offsets_file (path, past, 7, 12);
  expect_refused (path, 0, 4, "reaches 40");          /* a middle range ending past the rows */
  expect_refused (path, 1, SIZE_MAX, "decrease at jet 4");
  expect_read (path, 0, 3);

  uint64_t short_end[7] = { 0, 2, 4, 6, 8, 10, 11 };
  write_offsets_file (path, short_end, 7, 12);
  expect_refused (path, 5, 1, "ends at 11");          /* the last range must end at the rows */
  expect_read (path, 0, 5);

  uint64_t start[7] = { 1, 2, 4, 6, 8, 10, 12 };
  write_offsets_file (path, start, 7, 12);
  expect_refused (path, 0, 2, "starts at 1");         /* the first range must start at 0 */
  expect_read (path, 1, 5);
  unlink (path);

  const char *text = tmp_path ("text.h5");
  write_text (text, "J 0\nN 1\n1 0 0 1\n");
  JxDataset ds;
  JxError err;
  JX_CHECK_INT (jx_dataset_read_range (&ds, text, 0, 1, NULL, &err), JX_ERR_FORMAT);
  JX_CHECK_MSG (strstr (err.message, text) != NULL, "%s", err.message);
  jx_dataset_free (&ds);
  unlink (text);
}

int
main (void)
{
  jx_test_tmp_begin ("dataset-range");
  JxDataset whole;
  make_dataset (&whole);
  const char *path = tmp_path ("jets.h5");
  JxError err;
  JX_CHECK_INT (jx_dataset_write (&whole, path, NULL, &err), 0);
  JxDataset full;
  JX_CHECK_INT (jx_dataset_read (&full, path, NULL, &err), 0);
  JX_CHECK_INT (full.n_jets, N_JETS);
  check_part (&whole, &full, 0);
  jx_dataset_free (&full);
  check_ranges (path, &whole);
  check_bad_offsets ();
  jx_dataset_free (&whole);
  unlink (path);
  jx_test_tmp_end ();
  JX_TEST_MAIN_END ("dataset-range");
}
