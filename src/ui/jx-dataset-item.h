/* jx-dataset-item.h — a loaded dataset in the library: the core JxDataset, its file, and the
 * per-jet columns the jet browser shows (filled by workers, swapped in on the main thread). */
#pragma once

#include <glib-object.h>

#include "jx-dataset.h"
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
const JxDataset *jx_dataset_item_get_dataset  (JxDatasetItem *self);
gsize            jx_dataset_item_get_n_jets   (JxDatasetItem *self);

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
