/* jx-tree-ranges.h — the colour ranges of a whole dataset for the Tree page's "same scale for
 * all jets": the energies (the softest particle to the most energetic jet) and, when models A
 * and B cluster alike, the LR terms (the 99th percentile of |log10 P_A,t/P_B,t| over every step
 * of every jet, jx_step_terms_lr_quantile; larger terms take the end colours). The LR part
 * scores the whole dataset step by step under both models, so it runs in a worker thread and
 * can be cancelled. */
#pragma once

#include <gio/gio.h>

#include "jx-dataset-item.h"
#include "jx-model-item.h"

G_BEGIN_DECLS

typedef struct {
  double energy_lo, energy_hi;  /* GeV */
  double lr_max;                /* NaN without two models clustering alike */
} JxTreeRanges;

/* The quantile the LR range takes. */
#define JX_TREE_RANGES_LR_QUANTILE 0.99

void jx_tree_ranges_compute_async (JxDatasetItem *dataset, JxModelItem *a, JxModelItem *b,
                                   int threads, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean jx_tree_ranges_compute_finish (GAsyncResult *result, JxTreeRanges *out, GError **error);

/* The energy range alone (fast: one pass over the particles). */
void jx_tree_ranges_energy (const JxDataset *ds, double *lo, double *hi);  /* ds NULL: NaN */

/* Both ranges cover a and b (NaN parts are left out). */
void jx_tree_ranges_union (JxTreeRanges *a, const JxTreeRanges *b);

/* The ranges of one tree: its nodes' energies and the largest |value| of values[n] (may be
 * NULL: lr_max NaN). */
void jx_tree_ranges_of_tree (const JxTree *tree, const double *values, size_t n, JxTreeRanges *out);

/* Computed ranges of up to two (dataset, A, B) keys, as the Tree page needs them when two
 * trees are compared; the keys are held (references). */
typedef struct _JxTreeRangesCache JxTreeRangesCache;
typedef void (*JxTreeRangesReady) (gpointer user_data);

/* ready (main loop) runs whenever a computation ends. */
JxTreeRangesCache *jx_tree_ranges_cache_new (JxTreeRangesReady ready, gpointer user_data);
/* Cancels what is running; ready is not called after this. */
void jx_tree_ranges_cache_free (JxTreeRangesCache *cache);
/* TRUE and *out once the ranges of (dataset, a, b) are computed; FALSE while they are being
 * computed (started here when new; the older key makes room, not the one of keep_*). A failed
 * computation gives the energy range alone and its message in *error (may be NULL). */
gboolean jx_tree_ranges_cache_lookup (JxTreeRangesCache *cache, JxDatasetItem *dataset,
                                      JxModelItem *a, JxModelItem *b, int threads,
                                      JxDatasetItem *keep_dataset, JxModelItem *keep_a,
                                      JxModelItem *keep_b, JxTreeRanges *out, const char **error);

G_END_DECLS
