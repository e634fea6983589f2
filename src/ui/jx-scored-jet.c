/* jx-scored-jet.c — a jet, its tree and its per-step terms under models A and B. */
#define G_LOG_DOMAIN "jx-scored-jet"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jx-scored-jet.h"
#include "jx-step-terms.h"

static int
build_tree (JxScoredJet *sj, const JxClusterOptions *opt, JxTree *tree, JxError *err)
{
  size_t n = 0;
  const JxP4 *p = jx_dataset_item_get_jet (sj->dataset, (gsize) sj->jet, &n, err);

  if (p == NULL)
    return err->code;
  return jx_tree_build (tree, p, n, opt, NULL, err);
}

static void
score_model (JxScoredJet *sj, JxScoredModel *m, const char *letter)
{
  const JxModel *model = jx_model_item_get_model (m->model);
  const JxTree *tree = &sj->tree;
  JxError err = { 0 };
  double log_p;

  m->clustering = jx_model_item_get_meta (m->model)->clustering;
  m->on_shown_tree = jx_cluster_options_equal (&m->clustering, &sj->clustering);
  if (!m->on_shown_tree)
    {
      if (build_tree (sj, &m->clustering, &m->own_tree, &err) != 0)
        {
          m->why = g_strdup_printf (_("model %s’s clustering leaves no tree: %s"), letter, err.message);
          return;
        }
      tree = &m->own_tree;
    }
  if ((int) tree->n > jx_model_config (model)->max_mult)
    {
      m->why = g_strdup_printf (_("model %s scores jets of up to %d particles; this one has %zu"),
                                letter, jx_model_config (model)->max_mult, tree->n);
      return;
    }
  m->scores = g_new0 (JxStepScore, tree->n);
  if (jx_model_log_prob (model, tree, m->scores, &log_p, NULL, &err) != 0)
    {
      m->why = g_strdup_printf (_("model %s cannot score this jet: %s"), letter, err.message);
      g_clear_pointer (&m->scores, g_free);
      return;
    }
  m->n = tree->n;
  m->terms = g_new (double, tree->n);
  m->total = jx_step_terms_log10 (m->scores, m->n, m->terms);
}

JxScoredJet *
jx_scored_jet_new (JxDatasetItem *dataset, int jet, const JxClusterOptions *clustering,
                   JxModelItem *a, JxModelItem *b)
{
  JxScoredJet *sj = g_new0 (JxScoredJet, 1);
  JxModelItem *models[2] = { a, b };
  JxError err = { 0 };

  g_return_val_if_fail (JX_IS_DATASET_ITEM (dataset), sj);
  sj->dataset = g_object_ref (dataset);
  sj->jet = jet;
  sj->clustering = *clustering;
  sj->lr_total = NAN;
  for (int k = 0; k < 2; k++)
    {
      sj->m[k].total = NAN;
      sj->m[k].model = models[k] != NULL ? g_object_ref (models[k]) : NULL;
    }
  if (jet < 0 || (gsize) jet >= jx_dataset_item_get_n_jets (dataset))
    {
      sj->error = g_strdup (_("No jet selected"));
      return sj;
    }
  if (build_tree (sj, clustering, &sj->tree, &err) != 0)
    {
      sj->error = g_strdup (err.message);
      return sj;
    }
  for (int k = 0; k < 2; k++)
    if (sj->m[k].model != NULL)
      score_model (sj, &sj->m[k], k == 0 ? "A" : "B");
  if (sj->m[0].terms != NULL && sj->m[1].terms != NULL)
    {
      if (sj->m[0].on_shown_tree && sj->m[1].on_shown_tree)
        {
          sj->lr = g_new (double, sj->tree.n);
          sj->lr_total = jx_step_terms_lr (sj->m[0].scores, sj->m[1].scores, sj->tree.n, sj->lr);
        }
      else
        sj->lr_total = sj->m[0].total - sj->m[1].total;
    }
  return sj;
}

void
jx_scored_jet_free (JxScoredJet *sj)
{
  if (sj == NULL)
    return;
  for (int k = 0; k < 2; k++)
    {
      g_clear_object (&sj->m[k].model);
      jx_tree_free (&sj->m[k].own_tree);
      g_free (sj->m[k].scores);
      g_free (sj->m[k].terms);
      g_free (sj->m[k].why);
    }
  jx_tree_free (&sj->tree);
  g_clear_object (&sj->dataset);
  g_free (sj->error);
  g_free (sj->lr);
  g_free (sj);
}

gboolean
jx_scored_jet_has_tree (const JxScoredJet *sj)
{
  return sj != NULL && sj->error == NULL && sj->tree.n >= 1;
}

const char *
jx_scored_jet_model_name (const JxScoredJet *sj, int which)
{
  return sj->m[which].model != NULL ? jx_model_item_get_title (sj->m[which].model) : NULL;
}
