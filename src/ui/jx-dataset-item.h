/* jx-dataset-item.h — a loaded dataset in the library: the core JxDataset, its file, and the
 * per-jet columns the jet browser shows (filled by workers, swapped in on the main thread).
 *
 * A file too large to hold (jx_dataset_item_should_stream) is "streamed": its jets stay in the
 * file and are read on demand through a jx-dataset-stream (chunks and a small cache), so
 * jx_dataset_item_get_dataset is NULL for it. One-jet pages use jx_dataset_item_get_jet (both
 * kinds); workers that walk every jet open their own stream of the file
 * (jx_dataset_item_open_stream); those that need every jet in memory refuse the item with
 * jx_dataset_item_check_in_memory, whose message names the CLI command that streams. */
#pragma once

#include <glib-object.h>

#include "jx-dataset.h"
#include "jx-dataset-stream.h"
#include "jx-jetstats.h"
#include "jx-tree.h"

G_BEGIN_DECLS

#define JX_TYPE_DATASET_ITEM (jx_dataset_item_get_type ())
G_DECLARE_FINAL_TYPE (JxDatasetItem, jx_dataset_item, JX, DATASET_ITEM, GObject)

/* Columns of the jet browser; the observables ones come from the item's table. */
typedef enum {
  JX_COL_INDEX = 0,
  JX_COL_N,
  JX_COL_E,
  JX_COL_MASS,
  JX_COL_TAU21,
  JX_COL_LOGP_A,
  JX_COL_LLR,
  JX_N_COLS
} JxJetColumn;

/* Takes ownership of *ds (left empty). path may be NULL for an in-memory sample. */
JxDatasetItem *jx_dataset_item_new (JxDataset *ds, const char *path, const char *title);

const char      *jx_dataset_item_get_path     (JxDatasetItem *self);
const char      *jx_dataset_item_get_title    (JxDatasetItem *self);
char            *jx_dataset_item_dup_subtitle (JxDatasetItem *self);
/* The whole dataset in memory; NULL for a streamed item. */
const JxDataset *jx_dataset_item_get_dataset  (JxDatasetItem *self);
gsize            jx_dataset_item_get_n_jets   (JxDatasetItem *self);

/* Takes the stream (opened by a worker, used by the main thread from now on) and *attrs (left
 * empty): a dataset without jets holding the file's source attributes. */
JxDatasetItem *jx_dataset_item_new_streamed (JxDatasetStream *stream, JxDataset *attrs,
                                             const char *title);
gboolean jx_dataset_item_is_streamed (JxDatasetItem *self);
/* Should a dataset file of info's size be streamed rather than read whole? Above
 * JUNIPR_STREAM_PARTICLES particles (default 2^24, 512 MiB of momenta:
 * a few 10^5 hadron-level jets stay in memory for training; tests set it low). */
gboolean jx_dataset_item_should_stream (const JxDatasetInfo *info);
/* The app's stream options: the core's defaults, or JUNIPR_STREAM_CHUNK_JETS jets per chunk
 * (tests make small files span several chunks). */
void jx_dataset_item_stream_options (JxDatasetStreamOptions *opt);

/* A source attribute ("generator", "process", ...) of either kind, or NULL. */
const char *jx_dataset_item_get_attr (JxDatasetItem *self, const char *key);
/* Jet i's particles (main thread only): borrowed until the next call on self. NULL with err
 * set when a streamed item's chunk cannot be read (a damaged file, named with the jet). */
const JxP4 *jx_dataset_item_get_jet (JxDatasetItem *self, gsize i, size_t *n, JxError *err);
/* A new stream of a streamed item's file for a worker (one per thread); NULL with err set. */
JxDatasetStream *jx_dataset_item_open_stream (JxDatasetItem *self, JxError *err);
/* For a worker whose job looks at the first jets only (image average, Lund map): the item's
 * dataset when in memory, else the first count jets read from the file into *head (free it
 * after). NULL with err set when the read fails. */
const JxDataset *jx_dataset_item_head (JxDatasetItem *self, size_t count, JxDataset *head,
                                       JxProgress *progress, JxError *err);
/* 0 for an item in memory; for a streamed one an error saying that `cli` (e.g. "junipr train")
 * is the way to do what needs all of its jets in memory. For workers (no GObject calls). */
int jx_dataset_item_check_in_memory (JxDatasetItem *self, const char *what, const char *cli,
                                     JxError *err);

/* The observables table (all of jx_observable_names, NaN rows for jets that cannot be
 * clustered) under one clustering, computed by a worker; the item takes *stats (left empty).
 * Notifies "observables-ready". */
void     jx_dataset_item_take_stats       (JxDatasetItem *self, JxJetStats *stats);
gboolean jx_dataset_item_has_observables  (JxDatasetItem *self);
/* The table (borrowed, main thread; valid until the next take_stats), NULL before. */
const JxJetStats *jx_dataset_item_get_stats (JxDatasetItem *self);
/* A reference to the table for a worker (NULL before); release with jx_jet_stats_unref. */
JxJetStats *jx_dataset_item_ref_stats (JxDatasetItem *self);
void        jx_jet_stats_unref (JxJetStats *stats);

/* Per-jet log P under model A and B (NaN where not scored); takes the array, NULL clears.
 * model says which model they came from (compared only). Emits "scores-changed". */
void jx_dataset_item_take_scores (JxDatasetItem *self, int which, double *log_p,
                                  gconstpointer model);
gconstpointer jx_dataset_item_get_scored_with (JxDatasetItem *self, int which);
const double *jx_dataset_item_get_scores (JxDatasetItem *self, int which);
/* The scores as a reference a worker can keep ([n_jets] doubles), NULL when there are none. */
GBytes *jx_dataset_item_ref_scores (JxDatasetItem *self, int which);

/* Counts every take_stats and take_scores: derived results keyed on it go stale with it. */
guint jx_dataset_item_get_revision (JxDatasetItem *self);

/* "sampled", "reweighted" (made by a job of the app or `junipr sample`/`reweight`), or NULL. */
const char *jx_dataset_item_get_origin (JxDatasetItem *self);

/* Value of one column for jet i; NaN when not available yet. Cheap (a table look-up), except
 * the observables columns before the worker is done: those are computed for that one jet. */
double jx_dataset_item_get_value (JxDatasetItem *self, gsize jet, JxJetColumn col);

/* Column snapshot for sorting in a worker (a copy, [n_jets]); NULL if not available. */
double *jx_dataset_item_dup_column (JxDatasetItem *self, JxJetColumn col);

const char *jx_jet_column_name (JxJetColumn col);   /* "n", "E", "mass", "tau21", ... */
int jx_jet_column_parse (const char *name);          /* −1 when unknown */

G_END_DECLS
