/* jx-dataset-item.h — a loaded dataset in the library: the core JxDataset, its file, and the
 * per-jet columns the jet browser shows (filled by workers, swapped in on the main thread). */
#pragma once

#include <glib-object.h>

#include "jx-dataset.h"
#include "jx-tree.h"

G_BEGIN_DECLS

#define JX_TYPE_DATASET_ITEM (jx_dataset_item_get_type ())
G_DECLARE_FINAL_TYPE (JxDatasetItem, jx_dataset_item, JX, DATASET_ITEM, GObject)

/* Columns of the jet browser; the observables ones are filled by a worker (JxJetTable). */
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

/* Observables columns (n, E, mass, τ21), [n_jets] each, computed by a worker; the item takes
 * the arrays (g_free). Notifies "observables-ready". */
void     jx_dataset_item_take_observables (JxDatasetItem *self, double *n, double *e,
                                           double *mass, double *tau21);
gboolean jx_dataset_item_has_observables  (JxDatasetItem *self);

/* Per-jet log P under model A and B (NaN where not scored); takes the array, NULL clears.
 * model says which model they came from (compared only). Emits "scores-changed". */
void jx_dataset_item_take_scores (JxDatasetItem *self, int which, double *log_p,
                                  gconstpointer model);
gconstpointer jx_dataset_item_get_scored_with (JxDatasetItem *self, int which);
const double *jx_dataset_item_get_scores (JxDatasetItem *self, int which);

/* Value of one column for jet i; NaN when not available yet. Cheap (a table look-up), except
 * the observables columns before the worker is done: those are computed for that one jet. */
double jx_dataset_item_get_value (JxDatasetItem *self, gsize jet, JxJetColumn col);

/* Column snapshot for sorting in a worker (a copy, [n_jets]); NULL if not available. */
double *jx_dataset_item_dup_column (JxDatasetItem *self, JxJetColumn col);

const char *jx_jet_column_name (JxJetColumn col);   /* "n", "E", "mass", "tau21", ... */
int jx_jet_column_parse (const char *name);          /* −1 when unknown */

G_END_DECLS
