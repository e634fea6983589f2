/* jx-jet-list.h — a GListModel of a dataset's jets in browser order (sorted, filtered). Rows
 * are created on demand (get_item), so a 10^6-jet dataset costs one guint32 per jet for the
 * order and nothing per row; sorting and filtering run in a worker thread. */
#pragma once

#include <gio/gio.h>

#include "jx-dataset-item.h"

G_BEGIN_DECLS

#define JX_TYPE_JET_LIST (jx_jet_list_get_type ())
G_DECLARE_FINAL_TYPE (JxJetList, jx_jet_list, JX, JET_LIST, GObject)

typedef enum { JX_CMP_LT, JX_CMP_LE, JX_CMP_GT, JX_CMP_GE, JX_CMP_EQ } JxCmp;

typedef struct {
  JxJetColumn column;
  JxCmp cmp;
  double value;
} JxJetFilter;

JxJetList     *jx_jet_list_new (void);
void           jx_jet_list_set_dataset (JxJetList *self, JxDatasetItem *dataset);
JxDatasetItem *jx_jet_list_get_dataset (JxJetList *self);

/* column < 0: dataset order. Applied asynchronously; "n-items" and items-changed follow. */
void jx_jet_list_set_order (JxJetList *self, int column, gboolean descending);
/* Parse "n>20 mass<40 tau21<=0.5"; FALSE (and nothing changes) on a syntax error. "" clears.
 * logp and llr are compared in log10, as the browser shows them. */
gboolean jx_jet_list_set_filter_text (JxJetList *self, const char *text);
/* The same, with what is wrong in error (one sentence naming the word). */
gboolean jx_jet_list_set_filter (JxJetList *self, const char *text, GError **error);
/* The filter syntax, for a tooltip or a hint. */
const char *jx_jet_list_filter_syntax (void);

/* Position of jet in the current order, or G_MAXUINT when filtered out. O(n) worst case. */
guint jx_jet_list_find (JxJetList *self, guint jet);
/* Jet at a position (no object created). */
guint jx_jet_list_get_jet (JxJetList *self, guint position);
/* Re-announce every row (values changed, e.g. new scores). */
void  jx_jet_list_refresh (JxJetList *self);
gboolean jx_jet_list_is_busy (JxJetList *self);

G_END_DECLS
