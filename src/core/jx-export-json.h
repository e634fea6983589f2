/* jx-export-json.h — a dataset as the authors' JuniprJets JSON, so their Python code (and
 * anything written for their FastJet converter's output) reads our jets.
 *
 * {"JuniprJets": [jet, ...]}, each jet clustered into its JUNIPR tree with the given options
 * (jx-tree.h) and written with every field of their fastjet/JuniprJet.cc, in its order:
 *   label, multiplicity n, n_branchings n − 1,
 *   seed_momentum             [E_jet, 0, 0, m_jet]
 *   CSJets                    2n − 1 momenta [E, θ, φ, m] relative to the jet axis (the
 *                             root's direction; φ as in jx-momentum.h), in FastJet's history
 *                             order: the n final particles (the tree's leaves, in their
 *                             order), then the merged pseudojets in the order the clustering
 *                             made them, the root last; m = −sqrt(−m²) when m² < 0 (FastJet's
 *                             PseudoJet::m)
 *   CS_ID_intermediate_states for t = 0 .. n − 1 the CSJets indices present after t
 *                             branchings, energy-ordered (hardest first)
 *   mothers_id_energy_order   per branching the mother's position in that list
 *   CS_ID_mothers             per branching the mother's CSJets index
 *   CS_ID_daughters           per branching [harder, softer] CSJets indices
 *   branchings                per branching [z, θ, φ, δ] (jx-tree.h)
 *   mother_momenta            per branching CSJets[mother]
 *   daughter_momenta          per branching [CSJets[harder], CSJets[softer]]
 * and one field of ours, jet_axis [x, y, z]: the unit vector along the jet, which the
 * relative momenta leave out; jx_import rebuilds the particles around it, so export then
 * import gives back the dataset's momenta (the authors' readers ignore the field).
 * Numbers are printed with 17 significant digits (reading them back gives the same doubles).
 * A jet of one particle is written with empty branching lists (the authors' own tools
 * expect at least one branching: such jets are counted in the stats).
 * The file is written as a stream and atomically (jx-atomic.h).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-dataset-stream.h"
#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-progress.h"
#include "jx-tree.h"

typedef struct {
  JxClusterOptions clustering;  /* the tree: algorithm, E_sub, R_sub (jx_cluster_options_default) */
  int32_t label;                /* written for every jet when the dataset has no labels */
  bool skip_bad;                /* drop (and count) jets that cannot be clustered */
  size_t max_jets;              /* 0 = all */
} JxExportJsonOptions;

void jx_export_json_options_init (JxExportJsonOptions *opt);

typedef struct {
  size_t n_jets;      /* jets written */
  size_t n_single;    /* of which with one particle (no branching) */
  size_t n_skipped;   /* jets that could not be clustered (skip_bad) */
  char first_skipped[JX_ERROR_MESSAGE_MAX];
} JxExportStats;

/* Write ds to path. opt and stats may be NULL (defaults / not wanted). */
int jx_export_junipr_json (const JxDataset *ds, const char *path, const JxExportJsonOptions *opt,
                           JxExportStats *stats, JxProgress *progress, JxError *err);
/* The same from a file read on demand (jx-dataset-stream: files larger than memory): the
 * same bytes; a chunk that cannot be read fails the export (no file written). */
int jx_export_junipr_json_stream (JxDatasetStream *s, const char *path,
                                  const JxExportJsonOptions *opt, JxExportStats *stats,
                                  JxProgress *progress, JxError *err);
