/* jx-import.h — jets from other programs' files into a JxDataset (DESIGN.md §5).
 *
 * Formats:
 * - text: the public JUNIPR code's jet files. Per jet a line `J <index>`, a line `N <n>`,
 *   then n lines `px py pz E` (energy LAST). Blank lines and `#` comments are skipped.
 * - array: a zero-padded array [N, M, 4] (float or double) in any HDF5 file (EnergyFlow-style);
 *   the caller names the HDF5 dataset and the column order. Rows whose four values are all
 *   zero are padding and dropped. Optional per-jet labels from a 1-D dataset of length N.
 * - hepmc3: HepMC3 ASCII ("Asciiv3"; HepMC2 "IO_GenEvent" is read too). The final-state
 *   particles (status 1; neutrinos dropped unless asked) of each event are split into two
 *   hemisphere jets by exclusive Durham 2-jet clustering (harder jet first), or kept as one
 *   jet per event (no_hemispheres). Units GEV/MEV are honoured (stored in GeV). If any event
 *   has a weight line (W), every jet gets its event's first weight (1 if it has none).
 * - junipr-json: the authors' JuniprJets JSON ({"JuniprJets": [{...}, ...]}, written by their
 *   fastjet/JuniprJet.cc). Of each jet the n final particles (the first n of CSJets, each
 *   (E, θ, φ, m) relative to the jet axis; m < 0 stands for m² < 0) are rebuilt as 4-vectors
 *   around a jet axis along +z: p = sqrt(E² − m|m|), (px, py, pz) = p (sinθ cosφ, sinθ sinφ,
 *   cosθ) — the φ convention of jx-momentum.h with e_z = z gives e_x = x, e_y = y. The file
 *   does not store the jet's direction, so branchings re-clustered from the import have the
 *   file's z, θ, δ, while their φ (measured around each mother with the global y axis as
 *   reference) equals the file's only where the original jet axis was perpendicular to y.
 *   A jet with our extra field "jet_axis" [x, y, z] (jx-export-json.h) is rebuilt around
 *   that direction instead, so export then import returns the original momenta.
 *   `label` becomes the jet's label. The file is read as a stream, one jet at a time.
 * - top-tagging: the top-tagging reference set (Kasieczka et al., arXiv:1902.09914): a pandas
 *   DataFrame stored with PyTables under key "table" (/table/table), columns E_0, PX_0, PY_0,
 *   PZ_0, ..., E_199 ... PZ_199, truthE ... truthPZ, ttv, is_signal_new. The constituents
 *   (pT-ordered, zero-padded) are the jet; is_signal_new (1 = top) is the label.
 * - jetnet: JetNet ({g,q,t,w,z}[150].hdf5): particle_features [N, M, 4] = (η_rel, φ_rel,
 *   pT_rel, mask), jet_features [N, 4] = (pT, η, mass, n_particles). The file keeps no jet
 *   azimuth, so the jet axis is put at φ_jet = 0 (in the x–z plane); each masked-in particle
 *   is rebuilt massless with pT = pT_rel·pT_jet, η = η_rel + η_jet, φ = φ_rel:
 *   E = pT cosh η, p = (pT cos φ, pT sin φ, pT sinh η). The class in the file name (g, q, t,
 *   w, z) becomes the label 0..4.
 * - energyflow: EnergyFlow's quark/gluon jets (QG_jets*.npz): X (n, M, 4) = (pT, y, φ, pid),
 *   zero-padded, float64 in C order, and y (1 = quark) as the label. Masses come from the
 *   PDG id (as energyflow's p4s_from_ptyphipids): E = m_T cosh y, p_z = m_T sinh y. The
 *   zip (stored or deflated) is read with libzip and the .npy headers are checked here.
 *
 * Every jet is checked with jx_jet_validate; a bad jet fails the import with a message
 * naming the file, line (or array row) and jet, unless skip_bad is set, in which case it is
 * dropped and counted in JxImportStats. The dataset gets string attributes describing the
 * source: source = "import", import_file, import_format, and per format import_array,
 * import_columns, import_labels (what the labels mean), import_jets ("hemispheres" or
 * "events"), import_axis (where the jet axis was put), import_masses.
 * Long imports report through JxProgress and stop with JX_ERR_CANCELLED when asked.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "jx-dataset-stream.h"
#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-progress.h"

typedef enum {
  JX_IMPORT_AUTO = 0,  /* detect from the content (jx_import_detect) */
  JX_IMPORT_TEXT = 1,
  JX_IMPORT_ARRAY = 2,
  JX_IMPORT_HEPMC3 = 3,
  JX_IMPORT_JUNIPR_JSON = 4,
  JX_IMPORT_TOP_TAGGING = 5,
  JX_IMPORT_JETNET = 6,
  JX_IMPORT_ENERGYFLOW = 7,
} JxImportFormat;

/* "auto", "text", "array", "hepmc3", "junipr-json", "top-tagging", "jetnet", "energyflow". */
const char *jx_import_format_name (JxImportFormat format);
/* Parses the names above (also "junipr", "hdf5", "hepmc", "json", "npz"); JX_ERR_INVALID
 * otherwise. */
int jx_import_format_parse (const char *name, JxImportFormat *out, JxError *err);

/* Guess the format from the content: HDF5 with /table/table → top-tagging, with
 * particle_features and jet_features → jetnet, any other HDF5 → array; a zip → energyflow;
 * '{' first → junipr-json; a "HepMC::" header or an `E ` event line → hepmc3, a `J ` line →
 * text. JX_ERR_FORMAT if none matches, JX_ERR_IO if the file cannot be read. */
int jx_import_detect (const char *path, JxImportFormat *out, JxError *err);

/* Can jx_import read path with default options — its format detected and, for a plain HDF5
 * file, exactly one [N, M, 4] array in it? For an app's Open, which has no options to ask
 * for: a file that is not a junipr file either is reported with the junipr reader's error. */
bool jx_import_recognizes (const char *path);

typedef struct {
  JxImportFormat format;    /* JX_IMPORT_AUTO: detect */
  /* array */
  const char *array_path;   /* dataset inside the HDF5 file ("X", "/data/jets"); NULL: the
                             * file's only 3-D dataset whose last dimension is 4 */
  const char *columns;      /* comma-separated order of the 4 columns; NULL = "E,px,py,pz".
                             * Also "px,py,pz,E" (any permutation of E,px,py,pz), or
                             * "pt,eta,phi,m" / "pt,y,phi,m" (eta pseudorapidity, y rapidity,
                             * m mass); "pid" or "_" in place of m means massless */
  const char *label_path;   /* optional 1-D dataset [N] of integer (or integral) labels */
  /* hepmc3 */
  bool no_hemispheres;      /* one jet per event instead of two Durham hemispheres */
  bool keep_neutrinos;      /* keep final-state neutrinos (|pid| 12, 14, 16) */
  /* all formats */
  bool skip_bad;            /* drop invalid jets (and count them) instead of failing */
  size_t max_jets;          /* stop after this many jets; 0 = all */
} JxImportOptions;

void jx_import_options_init (JxImportOptions *options);

typedef struct {
  JxImportFormat format;    /* the format actually read (after detection) */
  size_t n_jets;            /* jets stored */
  size_t n_skipped;         /* invalid jets dropped (skip_bad) */
  size_t n_events;          /* hepmc3: events read */
  size_t n_padding;         /* array, top-tagging, jetnet, energyflow: padding rows dropped */
  char first_skipped[JX_ERROR_MESSAGE_MAX];  /* why the first dropped jet was refused */
} JxImportStats;

/* Read path into ds (initialized here: pass an empty or uninitialized dataset; on failure it
 * is left empty). options and stats may be NULL (defaults / not wanted). */
int jx_import (JxDataset *ds, const char *path, const JxImportOptions *options,
               JxImportStats *stats, JxProgress *progress, JxError *err);

/* The same import written straight to the dataset file out_path, part_jets jets at a time
 * (0: 16384) through a jx-dataset-writer, so memory is one part, not the dataset: the file
 * holds what jx_import then jx_dataset_write would write (same columns, values and
 * attributes). Atomic: on failure or cancel no file is left. */
int jx_import_write (const char *path, const char *out_path, const JxImportOptions *options,
                     size_t part_jets, JxImportStats *stats, JxProgress *progress,
                     JxError *err);

/* Write ds in the public JUNIPR code's text format (jets as `px py pz E`, printed with %.17g
 * so that importing the file again gives the same doubles). Atomic write (jx-atomic.h). */
int jx_export_text (const JxDataset *ds, const char *path, JxProgress *progress, JxError *err);
/* The same for the first max_jets jets (0 = all) of a file read on demand (jx-dataset-stream:
 * files larger than memory): the same bytes; a chunk that cannot be read fails the export. */
int jx_export_text_stream (JxDatasetStream *s, size_t max_jets, const char *path,
                           JxProgress *progress, JxError *err);
