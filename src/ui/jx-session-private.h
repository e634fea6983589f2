/* jx-session-private.h — JxSession's struct, shared by jx-session.c (the state and the one-jet
 * cache) and jx-session-jobs.c (keeping the datasets' tables and scores current). */
#pragma once

#include "jx-job.h"
#include "jx-session.h"

G_BEGIN_DECLS

struct _JxSession
{
  GObject parent_instance;

  /* Owned References */
  JxDatasetItem *dataset;
  JxDatasetItem *signal, *background;   /* may be one labelled dataset */
  JxDatasetItem *reweighted;            /* the last reweighting's result */
  JxModelItem *model[2];
  GListStore *datasets;                 /* every dataset offered, for the pickers */
  int threads;
  GPtrArray *pending;                   /* SessionJob: tables and scores being made */
  int jet_index;
  int highlight_node;
  JxClusterOptions default_clustering;

  /* Cache of the current jet (valid while cache_valid) */
  gboolean cache_valid;
  gboolean have_tree;
  JxTree tree;
  JxClusterWork *work;
  char tree_error[JX_ERROR_MESSAGE_MAX];
};

/* jx-session-jobs.c */
void _jx_session_jobs_init (JxSession *self);
void _jx_session_jobs_dispose (JxSession *self);

G_END_DECLS
