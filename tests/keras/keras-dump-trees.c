/* keras-dump-trees — the input side of the Keras import test: every jet of a dataset
 * clustered with a model's clustering (jx_tree_build), written as one JSON object per line
 * with the lab-frame momenta the network sees, so that keras_reference.py can evaluate the
 * authors' network on exactly these trees (the clustering itself is checked against FastJet
 * in tests/fastjet):
 *   {"jet": i, "n": n, "root": [E, px, py, pz],
 *    "steps": [{"m": m_t, "mother": [...], "hard": [...], "soft": [...],
 *               "x": [z, theta, phi, delta]}, ...]}
 * Jets that cannot be clustered get {"jet": i, "n": 0}.
 * Usage: keras-dump-trees MODEL.h5 DATA.h5 OUT.jsonl */
#include <stdio.h>
#include <stdlib.h>

#include "jx-dataset.h"
#include "jx-model-io.h"
#include "jx-tree.h"

static void
p4 (FILE *out, const char *key, JxP4 p)
{
  fprintf (out, "\"%s\": [%.17g, %.17g, %.17g, %.17g]", key, p.E, p.px, p.py, p.pz);
}

int
main (int argc, char **argv)
{
  if (argc != 4)
    {
      fprintf (stderr, "usage: keras-dump-trees MODEL.h5 DATA.h5 OUT.jsonl\n");
      return 2;
    }
  JxModel *model = NULL;
  JxModelMeta meta;
  JxDataset ds;
  JxError err = { 0 };
  jx_dataset_init (&ds);
  if (jx_model_load (argv[1], &model, &meta, NULL, NULL, &err) != 0
      || jx_dataset_read (&ds, argv[2], NULL, &err) != 0)
    {
      fprintf (stderr, "keras-dump-trees: %s\n", err.message);
      return 1;
    }
  FILE *out = fopen (argv[3], "w");
  if (out == NULL)
    return 1;
  for (size_t i = 0; i < ds.n_jets; i++)
    {
      JxTree t;
      if (jx_tree_build (&t, jx_dataset_jet (&ds, i), jx_dataset_jet_size (&ds, i),
                         &meta.clustering, NULL, &err) != 0)
        {
          fprintf (out, "{\"jet\": %zu, \"n\": 0}\n", i);
          jx_tree_free (&t);
          continue;
        }
      fprintf (out, "{\"jet\": %zu, \"n\": %zu, ", i, t.n);
      p4 (out, "root", t.nodes[t.root].p);
      fprintf (out, ", \"steps\": [");
      for (size_t s = 1; s < t.n; s++)
        {
          const JxStep *st = &t.steps[s - 1];
          fprintf (out, "%s{\"m\": %d, ", s > 1 ? ", " : "", st->mother_index);
          p4 (out, "mother", t.nodes[st->mother].p);
          fprintf (out, ", ");
          p4 (out, "hard", t.nodes[st->daughter[0]].p);
          fprintf (out, ", ");
          p4 (out, "soft", t.nodes[st->daughter[1]].p);
          fprintf (out, ", \"x\": [%.17g, %.17g, %.17g, %.17g]}", st->x.z, st->x.theta,
                   st->x.phi, st->x.delta);
        }
      fprintf (out, "]}\n");
      jx_tree_free (&t);
    }
  int rc = fclose (out) == 0 ? 0 : 1;
  jx_dataset_free (&ds);
  jx_model_meta_free (&meta);
  jx_model_free (model);
  return rc;
}
