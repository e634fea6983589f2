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
void jx_tree_ranges_energy (const JxDataset *ds, double *lo, double *hi);

/* Both ranges cover a and b (NaN parts are left out). */
void jx_tree_ranges_union (JxTreeRanges *a, const JxTreeRanges *b);

G_END_DECLS
