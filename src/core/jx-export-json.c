/* jx-export-json.c — see jx-export-json.h. */
#include "jx-export-json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-import-private.h"

#define JETS_PER_CHECK 256

void
jx_export_json_options_init (JxExportJsonOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  jx_cluster_options_default (&opt->clustering);
}

/* One jet's tree seen the way FastJet's ClusterSequence lists it. */
typedef struct {
  JxTree tree;
  JxClusterWork *work;
  int *cs;            /* tree node → CSJets index */
  double (*rel)[4];   /* CSJets index → [E, θ, φ, m] relative to the jet axis */
  int *state;         /* one intermediate state, node indices */
  size_t cap;         /* room for this many nodes */
  double axis[3];     /* unit vector along the jet */
} Jet;

static int
jet_reserve (Jet *j, size_t nodes, JxError *err)
{
  if (nodes <= j->cap)
    return 0;
  int *cs = realloc (j->cs, nodes * sizeof *cs);
  if (cs != NULL)
    j->cs = cs;
  double (*rel)[4] = cs != NULL ? realloc (j->rel, nodes * sizeof *rel) : NULL;
  if (rel != NULL)
    j->rel = rel;
  int *state = rel != NULL ? realloc (j->state, nodes * sizeof *state) : NULL;
  if (state == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for a tree of %zu nodes", nodes);
  j->state = state;
  j->cap = nodes;
  return 0;
}

/* FastJet's PseudoJet::m: negative for a spacelike vector. */
static double
signed_mass (JxP4 p)
{
  double m2 = jx_p4_m2 (p);
  return m2 >= 0 ? sqrt (m2) : -sqrt (-m2);
}

/* Cluster one jet and fill cs and rel. */
static int
jet_prepare (Jet *j, const JxP4 *p, size_t n, const JxClusterOptions *opt, JxError *err)
{
  jx_tree_free (&j->tree);
  int rc = jx_tree_build (&j->tree, p, n, opt, j->work, err);
  if (rc != 0)
    return rc;
  size_t leaves = j->tree.n, nodes = 2 * leaves - 1;
  if ((rc = jet_reserve (j, nodes, err)) != 0)
    return rc;
  const JxNode *root = &j->tree.nodes[j->tree.root];
  JxFrame frame;
  if (!jx_frame_from_axis (&frame, root->p))
    return jx_error_set (err, JX_ERR_INVALID, "the jet has no 3-momentum, so no axis to measure "
                         "angles from");
  memcpy (j->axis, frame.ez, sizeof j->axis);
  /* Leaves keep their index; the merge that step t undoes was made (n − 1 − t)-th, 0-based,
   * and FastJet appends merged pseudojets after the n inputs. */
  for (size_t i = 0; i < nodes; i++)
    {
      const JxNode *nd = &j->tree.nodes[i];
      int k = nd->step == 0 ? (int) i : (int) (2 * leaves - 1) - nd->step;
      j->cs[i] = k;
      double *r = j->rel[k];
      r[0] = nd->p.E;
      if ((int) i == j->tree.root)
        r[1] = r[2] = 0;  /* the axis itself */
      else
        jx_frame_angles (&frame, nd->p, &r[1], &r[2]);
      r[3] = signed_mass (nd->p);
    }
  return 0;
}

static void
jet_clear (Jet *j)
{
  jx_tree_free (&j->tree);
  jx_cluster_work_free (j->work);
  free (j->cs);
  free (j->rel);
  free (j->state);
}

static void
put4 (FILE *f, const double v[4])
{
  fprintf (f, "[%.17g, %.17g, %.17g, %.17g]", v[0], v[1], v[2], v[3]);
}

static void
write_jet (FILE *f, const Jet *j, int32_t label)
{
  const JxTree *t = &j->tree;
  size_t n = t->n, nb = n - 1;
  const double *root = j->rel[j->cs[t->root]];
  double seed[4] = { root[0], 0, 0, root[3] };
  fprintf (f, "{\n\t\"label\": %d,\n\t\"multiplicity\": %zu,\n\t\"n_branchings\": %zu,\n"
           "\t\"seed_momentum\": ", (int) label, n, nb);
  put4 (f, seed);
  fputs (",\n\t\"CSJets\": [", f);
  for (size_t k = 0; k < 2 * n - 1; k++)
    {
      fputs (k > 0 ? ",\n\t\t" : "\n\t\t", f);
      put4 (f, j->rel[k]);
    }
  fputs ("],\n\t\"CS_ID_intermediate_states\": [", f);
  for (size_t s = 1; s <= n; s++)
    {
      jx_tree_state (t, (int) s, j->state);
      fputs (s > 1 ? ",\n\t\t[" : "\n\t\t[", f);
      for (size_t k = 0; k < s; k++)
        fprintf (f, k > 0 ? ", %d" : "%d", j->cs[j->state[k]]);
      fputc (']', f);
    }
  fputs ("],\n\t\"mothers_id_energy_order\": [", f);
  for (size_t s = 0; s < nb; s++)
    fprintf (f, s > 0 ? ", %d" : "%d", t->steps[s].mother_index);
  fputs ("],\n\t\"CS_ID_mothers\": [", f);
  for (size_t s = 0; s < nb; s++)
    fprintf (f, s > 0 ? ", %d" : "%d", j->cs[t->steps[s].mother]);
  fputs ("],\n\t\"CS_ID_daughters\": [", f);
  for (size_t s = 0; s < nb; s++)
    fprintf (f, "%s[%d, %d]", s > 0 ? ",\n\t\t" : "\n\t\t", j->cs[t->steps[s].daughter[0]],
             j->cs[t->steps[s].daughter[1]]);
  fputs ("],\n\t\"branchings\": [", f);
  for (size_t s = 0; s < nb; s++)
    {
      const JxBranching *x = &t->steps[s].x;
      double v[4] = { x->z, x->theta, x->phi, x->delta };
      fputs (s > 0 ? ",\n\t\t" : "\n\t\t", f);
      put4 (f, v);
    }
  fputs ("],\n\t\"mother_momenta\": [", f);
  for (size_t s = 0; s < nb; s++)
    {
      fputs (s > 0 ? ",\n\t\t" : "\n\t\t", f);
      put4 (f, j->rel[j->cs[t->steps[s].mother]]);
    }
  fputs ("],\n\t\"daughter_momenta\": [", f);
  for (size_t s = 0; s < nb; s++)
    {
      fputs (s > 0 ? ",\n\t\t[" : "\n\t\t[", f);
      put4 (f, j->rel[j->cs[t->steps[s].daughter[0]]]);
      fputs (", ", f);
      put4 (f, j->rel[j->cs[t->steps[s].daughter[1]]]);
      fputc (']', f);
    }
  /* Not the authors' (their readers look fields up by name and ignore it): the jet's
   * direction, which the relative momenta above leave out, so that importing this file gives
   * back the very momenta it was made from — branching azimuths included, which are measured
   * with the global y axis as reference. */
  fputs ("],\n\t\"jet_axis\": ", f);
  fprintf (f, "[%.17g, %.17g, %.17g]\n}", j->axis[0], j->axis[1], j->axis[2]);
}

typedef struct {
  FILE *f;
  const JxExportJsonOptions *opt;
  JxExportStats *stats;
  const char *path;
  Jet j;
} Writer;

/* Rows [lo, hi) of ds, jets ds->first_jet + lo ... of the file; progress counts from lo. */
static int
write_rows (void *user, const JxDataset *ds, size_t lo, size_t hi, JxProgress *progress,
            JxError *err)
{
  Writer *w = user;
  const JxExportJsonOptions *opt = w->opt;
  for (size_t r = lo; r < hi; r++)
    {
      size_t i = ds->first_jet + r;
      if ((r - lo) % JETS_PER_CHECK == 0)
        {
          jx_progress_report (progress, (double) (r - lo), (double) (hi - lo), "exporting jets");
          if (jx_progress_cancelled (progress))
            return jx_error_set (err, JX_ERR_CANCELLED, "%s: export cancelled, no file written",
                                 w->path);
        }
      JxError bad = { 0 };
      if (jet_prepare (&w->j, jx_dataset_jet (ds, r), jx_dataset_jet_size (ds, r), &opt->clustering,
                       &bad) != 0)
        {
          if (bad.code == JX_ERR_NOMEM || !opt->skip_bad)
            {
              *err = bad;
              return jx_error_prefix (err, "jet %zu: ", i);
            }
          if (w->stats->n_skipped++ == 0)
            snprintf (w->stats->first_skipped, sizeof w->stats->first_skipped, "jet %zu: %.400s",
                      i, bad.message);
          continue;
        }
      if (w->stats->n_jets > 0)
        fputs (",\n", w->f);
      write_jet (w->f, &w->j, ds->labels != NULL ? ds->labels[r] : opt->label);
      w->stats->n_jets++;
      w->stats->n_single += w->j.tree.n == 1;
    }
  return 0;
}

/* The jets of ds, or of s when ds is NULL (chunk by chunk). */
static int
write_all (FILE *f, const JxDataset *ds, JxDatasetStream *s, const JxExportJsonOptions *opt,
           JxExportStats *stats, JxProgress *progress, const char *path, JxError *err)
{
  Writer w = { f, opt, stats, path, { .work = jx_cluster_work_new () } };
  if (w.j.work == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "out of memory for clustering");
  size_t n_all = ds != NULL ? ds->n_jets : jx_dataset_stream_info (s)->n_jets;
  size_t n_jets = opt->max_jets > 0 && opt->max_jets < n_all ? opt->max_jets : n_all;
  fputs ("{\"JuniprJets\": [\n", f);
  int rc = ds != NULL ? write_rows (&w, ds, 0, n_jets, progress, err)
                      : jx_dataset_stream_walk (s, 0, n_jets, write_rows, &w, "exporting jets",
                                                progress, err);
  if (rc == JX_ERR_CANCELLED)   /* also when the walk saw it between chunks */
    jx_error_set (err, rc, "%s: export cancelled, no file written", path);
  fputs ("\n]}\n", f);
  jet_clear (&w.j);
  if (rc == 0 && stats->n_jets == 0)
    rc = jx_error_set (err, JX_ERR_INVALID, "no jet could be clustered; the first: %s",
                       stats->first_skipped);
  return rc;
}

static int
export_source (const JxDataset *ds, JxDatasetStream *s, const char *path,
               const JxExportJsonOptions *opt,
               JxExportStats *stats, JxProgress *progress, JxError *err)
{
  JxExportJsonOptions defaults;
  JxExportStats local;
  if (opt == NULL)
    {
      jx_export_json_options_init (&defaults);
      opt = &defaults;
    }
  if (stats == NULL)
    stats = &local;
  memset (stats, 0, sizeof *stats);
  JxAtomicFile af;
  FILE *f = jx_atomic_open_stream (&af, path, err);
  if (f == NULL)
    return err->code;
  int rc = write_all (f, ds, s, opt, stats, progress, path, err);
  return jx_atomic_close_stream (&af, f, rc, err);
}

int
jx_export_junipr_json (const JxDataset *ds, const char *path, const JxExportJsonOptions *opt,
                       JxExportStats *stats, JxProgress *progress, JxError *err)
{
  return export_source (ds, NULL, path, opt, stats, progress, err);
}

int
jx_export_junipr_json_stream (JxDatasetStream *s, const char *path,
                              const JxExportJsonOptions *opt, JxExportStats *stats,
                              JxProgress *progress, JxError *err)
{
  return export_source (NULL, s, path, opt, stats, progress, err);
}
