/* jx-tree-labels.c — label modes, their values and reasons, and captions of a scored jet. */
#define G_LOG_DOMAIN "jx-tree-labels"

#include "config.h"

#include <glib/gi18n.h>

#include "jx-surface.h"
#include "jx-tree-labels.h"

static const char *const mode_names[JX_TREE_N_MODES] = {
  "logp", "lr", "z", "theta", "phi", "delta", "step", "none",
};

const char *
jx_tree_mode_name (JxTreeMode mode)
{
  return mode < JX_TREE_N_MODES ? mode_names[mode] : "none";
}

static const char *
mode_caption (JxTreeMode mode)
{
  switch (mode)
    {
    case JX_TREE_MODE_LOGP:
      return _("log₁₀ P_t under A per step, end term at the square");
    case JX_TREE_MODE_LR:
      return _("log₁₀ P_A,t/P_B,t per step, end term at the square");
    case JX_TREE_MODE_Z:
      return "z";
    case JX_TREE_MODE_THETA:
      return "θ";
    case JX_TREE_MODE_PHI:
      return "φ";
    case JX_TREE_MODE_DELTA:
      return "δ";
    case JX_TREE_MODE_STEP:
      return _("step t");
    case JX_TREE_MODE_NONE:
    default:
      return NULL;
    }
}

void
jx_tree_labels_caption (const JxScoredJet *sj, JxTreeMode mode, JxTreeCaption *c)
{
  jx_tree_caption_init (c);
  c->dataset = jx_dataset_item_get_title (sj->dataset);
  c->jet = sj->jet;
  c->particles = sj->tree.n;
  c->clustering = &sj->clustering;
  c->model_a = jx_scored_jet_model_name (sj, 0);
  c->model_b = jx_scored_jet_model_name (sj, 1);
  c->log10_pa = sj->m[0].total;
  c->log10_pb = sj->m[1].total;
  c->log10_lr = sj->lr_total;
  c->labels = mode_caption (mode);
}


const char *
jx_tree_labels_no_terms (const JxScoredJet *sj, int which)
{
  const JxScoredModel *m = &sj->m[which];

  if (m->model == NULL)
    return which == 0 ? _("choose a model A in the library") : _("choose a model B in the library");
  if (m->why != NULL)
    return m->why;
  if (!m->on_shown_tree)
    return which == 0 ? _("model A clusters otherwise: its steps are on another tree (total only)")
                      : _("model B clusters otherwise than A: its steps are on another tree (total only)");
  return NULL;
}

const double *
jx_tree_labels_apply (JxTreeCanvas *canvas, const JxScoredJet *sj, JxTreeMode mode, const char **reason)
{
  JxTreeLabelKind kind = JX_TREE_LABEL_NONE;
  const double *values = NULL;
  g_autofree double *coords = NULL;
  size_t n = jx_scored_jet_has_tree (sj) ? sj->tree.n : 0;
  gboolean diverging = FALSE;
  const char *value_name = NULL;

  *reason = NULL;
  switch (mode)
    {
    case JX_TREE_MODE_LOGP:
      if (n > 0 && (*reason = jx_tree_labels_no_terms (sj, 0)) == NULL)
        values = sj->m[0].terms, kind = JX_TREE_LABEL_VALUES;
      break;
    case JX_TREE_MODE_LR:
      if (n > 0 && (*reason = jx_tree_labels_no_terms (sj, 0)) == NULL
          && (*reason = jx_tree_labels_no_terms (sj, 1)) == NULL && sj->lr != NULL)
        {
          values = sj->lr;
          kind = JX_TREE_LABEL_VALUES;
          diverging = TRUE;
          value_name = "log<sub>10</sub> <i>P</i><sub>A,t</sub>/<i>P</i><sub>B,t</sub>";
        }
      break;
    case JX_TREE_MODE_Z:
      kind = JX_TREE_LABEL_Z;
      break;
    case JX_TREE_MODE_THETA:
      kind = JX_TREE_LABEL_THETA;
      break;
    case JX_TREE_MODE_PHI:
    case JX_TREE_MODE_DELTA:
      if (n > 0)
        {
          coords = g_new0 (double, n);
          for (size_t t = 1; t < n; t++)
            coords[t - 1] = mode == JX_TREE_MODE_PHI ? sj->tree.steps[t - 1].x.phi
                                                     : sj->tree.steps[t - 1].x.delta;
          kind = JX_TREE_LABEL_VALUES;
        }
      break;
    case JX_TREE_MODE_STEP:
      kind = JX_TREE_LABEL_STEP;
      break;
    case JX_TREE_MODE_NONE:
    default:
      break;
    }
  /* φ and δ label the branchings only: n − 1 values, no end term. */
  jx_tree_canvas_set_labels (canvas, kind, coords ? coords : values, coords ? n - 1 : n,
                             diverging, value_name, jx_tree_mode_name (mode));
  return values;
}

gboolean
jx_tree_labels_export (const char *path, const JxScoredJet *const *jets,
                       JxTreeCanvas *const *canvases, size_t n, JxTreeMode mode, int width,
                       int panel_height, GError **error)
{
  JxSurface *surface = NULL;
  JxError err = { 0 };
  JxTreeStyle styles[2];
  JxTreeCaption captions[2];
  JxTreePanel panels[2];
  size_t np = 0;

  if (jx_format_from_path (path) == JX_FORMAT_AUTO)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot export to “%s”: use a .png, .svg or .pdf file name"), path);
      return FALSE;
    }
  for (size_t k = 0; k < n && np < 2; k++)
    if (jx_scored_jet_has_tree (jets[k]) && jx_tree_canvas_get_style (canvases[k], &styles[np]))
      {
        jx_tree_labels_caption (jets[k], mode, &captions[np]);
        panels[np] = (JxTreePanel) { jx_tree_canvas_get_tree (canvases[k]), &styles[np], &captions[np] };
        np++;
      }
  if (np == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Nothing to export: no jet is selected"));
      return FALSE;
    }
  if (jx_surface_open (&surface, path, JX_FORMAT_AUTO, width, (int) np * panel_height, 1.0, &err) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return FALSE;
    }
  if (jx_tree_figure_draw (jx_surface_cr (surface), jx_rect (0, 0, width, (double) np * panel_height),
                           panels, np) != 0)
    {
      jx_surface_abort (surface);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Out of memory drawing the tree"));
      return FALSE;
    }
  if (jx_surface_close (surface, &err) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.message);
      return FALSE;
    }
  return TRUE;
}
