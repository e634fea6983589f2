/* jx-scored-jet.h — one jet under a pair of models, as the Tree page shows and exports it: the
 * tree under the shown clustering (model A's, or the default without A), and each model's
 * per-step scores under its OWN clustering (jx_model_log_prob), turned into log10 terms, LR
 * terms and totals by jx-step-terms. A model that clusters like the shown tree is scored on it,
 * so its terms belong to the drawn nodes; one that clusters otherwise is scored on its own tree
 * and contributes its total only. Computed on creation (a jet has at most M particles:
 * milliseconds); immutable afterwards; main thread. */
#pragma once

#include <glib.h>

#include "jx-dataset-item.h"
#include "jx-model-item.h"

G_BEGIN_DECLS

typedef struct {
  JxModelItem *model;       /* NULL: no such model */
  JxClusterOptions clustering;
  gboolean on_shown_tree;   /* scored on the shown tree: terms[t−1] belong to its step t */
  JxTree own_tree;          /* the tree it scored when it clusters otherwise (else empty) */
  JxStepScore *scores;      /* [n], NULL when not scored */
  double *terms;            /* log10 terms [n] (jx-step-terms), NULL when not scored */
  size_t n;
  double total;             /* log10 P_jet, NaN when not scored */
  char *why;                /* why it is not scored (NULL when it is) */
} JxScoredModel;

typedef struct {
  JxDatasetItem *dataset;
  int jet;
  JxClusterOptions clustering;  /* the shown tree's */
  JxTree tree;                  /* n = 0 when the jet could not be clustered */
  char *error;                  /* why there is no tree (NULL when there is) */
  JxScoredModel m[2];           /* A, B */
  double *lr;                   /* LR terms [tree.n] when both are on the shown tree, else NULL */
  double lr_total;              /* log10 P_A/P_B (NaN unless both are scored) */
} JxScoredJet;

JxScoredJet *jx_scored_jet_new (JxDatasetItem *dataset, int jet, const JxClusterOptions *clustering,
                                JxModelItem *a, JxModelItem *b);
void jx_scored_jet_free (JxScoredJet *sj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JxScoredJet, jx_scored_jet_free)

/* Whether the jet has a tree to draw. */
gboolean jx_scored_jet_has_tree (const JxScoredJet *sj);
/* Short names: the model's title, or NULL. */
const char *jx_scored_jet_model_name (const JxScoredJet *sj, int which);

G_END_DECLS
