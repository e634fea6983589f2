/* jx-dataset-stream.c — see jx-dataset-stream.h. */
#include "jx-dataset-stream.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jx-h5.h"

typedef struct {
  JxDataset ds;       /* n_jets == 0: an empty slot */
  uint64_t last_use;
} Slot;

struct JxDatasetStream {
  char *path;
  JxDatasetInfo info;
  JxDatasetStreamOptions opt;
  hid_t file, offsets;      /* kept open to plan chunks: a block's offsets say where to cut */
  uint64_t *window;         /* [chunk_jets + 1] offsets of the block being planned */
  Slot *slots;              /* [cache_chunks] */
  uint64_t clock;
  size_t reads;
};

JxDatasetStream *
jx_dataset_stream_open (const char *path, const JxDatasetStreamOptions *options, JxError *err)
{
  JxDatasetInfo info;
  if (jx_dataset_probe (path, &info, err) != 0)
    return NULL;
  JxDatasetStream *s = calloc (1, sizeof *s);
  if (s == NULL)
    {
      jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory opening the dataset", path);
      return NULL;
    }
  s->info = info;
  s->opt = options != NULL ? *options : (JxDatasetStreamOptions) { 0 };
  if (s->opt.chunk_jets == 0)
    s->opt.chunk_jets = 16384;
  if (s->opt.chunk_particles == 0)
    s->opt.chunk_particles = (size_t) 1 << 20;
  if (s->opt.cache_chunks == 0)
    s->opt.cache_chunks = 4;
  if (s->opt.align_jets == 0)
    s->opt.align_jets = JX_DATASET_STREAM_ALIGN;
  size_t a = s->opt.align_jets;   /* blocks begin on a multiple of it too */
  s->opt.chunk_jets = (s->opt.chunk_jets + a - 1) / a * a;
  s->file = s->offsets = H5I_INVALID_HID;
  s->path = malloc (strlen (path) + 1);
  s->window = malloc ((s->opt.chunk_jets + 1) * sizeof *s->window);
  s->slots = calloc (s->opt.cache_chunks, sizeof *s->slots);
  if (s->path == NULL || s->window == NULL || s->slots == NULL)
    {
      jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory opening the dataset", path);
      jx_dataset_stream_close (s);
      return NULL;
    }
  strcpy (s->path, path);
  for (size_t k = 0; k < s->opt.cache_chunks; k++)
    jx_dataset_init (&s->slots[k].ds);

  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  s->file = jx_h5_open_read (path, err);
  if (s->file >= 0)
    {
      s->offsets = H5Dopen2 (s->file, "jets/offsets", H5P_DEFAULT);
      if (s->offsets < 0)
        jx_error_set (err, JX_ERR_FORMAT, "%s: cannot open /jets/offsets", path);
    }
  jx_h5_quiet_end (&quiet);
  if (s->offsets < 0)
    {
      jx_dataset_stream_close (s);
      return NULL;
    }
  return s;
}

void
jx_dataset_stream_close (JxDatasetStream *s)
{
  if (s == NULL)
    return;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  if (s->offsets >= 0)
    H5Dclose (s->offsets);
  if (s->file >= 0)
    H5Fclose (s->file);
  jx_h5_quiet_end (&quiet);
  for (size_t k = 0; s->slots != NULL && k < s->opt.cache_chunks; k++)
    jx_dataset_free (&s->slots[k].ds);
  free (s->slots);
  free (s->window);
  free (s->path);
  free (s);
}

const JxDatasetInfo *
jx_dataset_stream_info (const JxDatasetStream *s)
{
  return &s->info;
}

const char *
jx_dataset_stream_path (const JxDatasetStream *s)
{
  return s->path;
}

/* The run of jets [*first, *first + *count) that holds jet i: its block of chunk_jets jets
 * cut, from the block's start, into the longest runs within chunk_particles that end on a
 * multiple of align_jets (or at the block's end); a first aligned run too large is a chunk
 * of its own. Offsets that do not increase are left for jx_dataset_read_range to report. */
static int
plan_chunk (JxDatasetStream *s, size_t i, size_t *first, size_t *count, JxError *err)
{
  size_t base = i / s->opt.chunk_jets * s->opt.chunk_jets;
  size_t end = base + s->opt.chunk_jets < s->info.n_jets ? base + s->opt.chunk_jets
                                                         : s->info.n_jets;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  int rc = jx_h5_read_rows (s->offsets, H5T_NATIVE_UINT64, base, end - base + 1, s->window, err);
  jx_h5_quiet_end (&quiet);
  if (rc != 0)
    return jx_error_prefix (err, "%s: damaged file: ", s->path);
  const uint64_t *off = s->window - base;   /* off[j] is the file's offsets[j] */
  size_t start = base, a = s->opt.align_jets;
  for (;;)
    {
      size_t stop = (start / a + 1) * a < end ? (start / a + 1) * a : end;
      for (;;)
        {
          size_t next = stop + a < end ? stop + a : end;
          if (stop == end || off[next] < off[start]
              || off[next] - off[start] > s->opt.chunk_particles)
            break;
          stop = next;
        }
      if (i < stop)
        {
          *first = start;
          *count = stop - start;
          return 0;
        }
      start = stop;
    }
}

static Slot *
find_slot (JxDatasetStream *s, size_t i)
{
  for (size_t k = 0; k < s->opt.cache_chunks; k++)
    {
      const JxDataset *c = &s->slots[k].ds;
      if (c->n_jets > 0 && i >= c->first_jet && i - c->first_jet < c->n_jets)
        return &s->slots[k];
    }
  return NULL;
}

/* An empty slot, else the least recently used one (emptied). */
static Slot *
victim_slot (JxDatasetStream *s)
{
  Slot *v = &s->slots[0];
  for (size_t k = 0; k < s->opt.cache_chunks && v->ds.n_jets > 0; k++)
    if (s->slots[k].ds.n_jets == 0 || s->slots[k].last_use < v->last_use)
      v = &s->slots[k];
  jx_dataset_free (&v->ds);
  return v;
}

const JxDataset *
jx_dataset_stream_get (JxDatasetStream *s, size_t i, size_t *row, JxProgress *progress,
                       JxError *err)
{
  if (i >= s->info.n_jets)
    {
      jx_error_set (err, JX_ERR_RANGE, "%s: jet %zu asked for, but the file has %zu jets",
                    s->path, i, s->info.n_jets);
      return NULL;
    }
  Slot *slot = find_slot (s, i);
  if (slot == NULL)
    {
      size_t first = 0, count = 0;
      if (plan_chunk (s, i, &first, &count, err) != 0)
        return NULL;
      slot = victim_slot (s);
      if (jx_dataset_read_range (&slot->ds, s->path, first, count, progress, err) != 0)
        return NULL;
      s->reads++;
    }
  slot->last_use = ++s->clock;
  *row = i - slot->ds.first_jet;
  return &slot->ds;
}

int
jx_dataset_stream_read_attrs (JxDatasetStream *s, JxDataset *attrs, JxError *err)
{
  JxDataset none;
  jx_dataset_init (&none);
  size_t row;
  const JxDataset *c = &none;
  int rc = 0;
  if (s->info.n_jets > 0)
    c = jx_dataset_stream_get (s, 0, &row, NULL, err);
  else
    rc = jx_dataset_read_range (&none, s->path, 0, 0, NULL, err);
  if (c == NULL)
    rc = err != NULL && err->code != 0 ? err->code : JX_ERR_IO;
  for (size_t k = 0; rc == 0 && k < c->n_attrs; k++)
    rc = jx_dataset_set_attr (attrs, c->attrs[k].key, c->attrs[k].value, err);
  jx_dataset_free (&none);
  return rc;
}

int
jx_dataset_stream_walk (JxDatasetStream *s, size_t first, size_t last, JxDatasetChunkFunc func,
                        void *user, const char *what, JxProgress *progress, JxError *err)
{
  if (first > last || last > s->info.n_jets)
    return jx_error_set (err, JX_ERR_INVALID, "%s: jets %zu..%zu are not in a dataset of %zu "
                         "jets", s->path, first, last, s->info.n_jets);
  JxProgressPart part;
  jx_progress_part_init (&part, progress, (double) (last - first));
  for (size_t i = first; i < last;)
    {
      if (jx_progress_cancelled (progress))
        return jx_error_set (err, JX_ERR_CANCELLED, "%s cancelled", what);
      size_t row;
      const JxDataset *chunk = jx_dataset_stream_get (s, i, &row, NULL, err);
      if (chunk == NULL)
        return err != NULL && err->code != 0 ? err->code : JX_ERR_IO;
      /* chunks tile the file: after the first, a walk starts each at its row 0 */
      if ((i > first && row != 0) || row >= chunk->n_jets)
        return jx_error_set (err, JX_ERR_INTERNAL, "%s: jet %zu is row %zu of a chunk of %zu",
                             s->path, i, row, chunk->n_jets);
      size_t hi = chunk->n_jets - row < last - i ? chunk->n_jets : row + (last - i);
      jx_progress_part_at (&part, (double) (i - first));
      int rc = func (user, chunk, row, hi, &part.progress, err);
      if (rc != 0)
        return rc;
      i += hi - row;
    }
  jx_progress_report (progress, (double) (last - first), (double) (last - first), what);
  return 0;
}

size_t
jx_dataset_stream_cached_chunks (const JxDatasetStream *s)
{
  size_t n = 0;
  for (size_t k = 0; k < s->opt.cache_chunks; k++)
    n += s->slots[k].ds.n_jets > 0;
  return n;
}

size_t
jx_dataset_stream_cached_particles (const JxDatasetStream *s)
{
  size_t n = 0;
  for (size_t k = 0; k < s->opt.cache_chunks; k++)
    n += jx_dataset_n_particles (&s->slots[k].ds);
  return n;
}

size_t
jx_dataset_stream_reads (const JxDatasetStream *s)
{
  return s->reads;
}
