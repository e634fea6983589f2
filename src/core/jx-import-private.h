/* jx-import-private.h — what the per-format readers of jx_import share (not installed).
 *
 * Each format lives in its own file (jx-import-<format>.c) and hands every jet it reads to
 * jx_import_sink_jet, which validates it (or drops and counts it with skip_bad), stores it
 * with its label/weight and stops the reader at max_jets (jx_import_sink_full).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jx-atomic.h"
#include "jx-dataset-writer.h"
#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-import.h"
#include "jx-progress.h"

#include <hdf5.h>

typedef struct {
  JxDataset *ds;              /* the jets stored (with a writer: since its last part) */
  JxDatasetWriter *writer;    /* NULL: every jet stays in ds; else ds goes to it in parts */
  size_t part_jets;           /* jets per part for the writer */
  bool any_labels, any_weights;   /* a stored jet had a label / a weight column */
  const JxImportOptions *opt;
  JxImportStats *stats;
  const char *path;
  size_t n_input;  /* jets seen in the input (stored + skipped) */
  bool labeled;    /* store `label` with each jet */
  int32_t label;
  bool weighted;   /* store `weight` with each jet (HepMC event weights) */
  double weight;
} JxImportSink;

/* max_jets reached: the reader stops. */
bool jx_import_sink_full (const JxImportSink *s);

/* Count a jet the input holds but the reader refuses for its content (not its syntax) —
 * a JSON jet without CSJets, an unknown particle id: with skip_bad it is dropped and
 * counted like an invalid jet (returns 0), otherwise *bad is the error (returned, prefixed
 * with where). */
int jx_import_sink_bad (JxImportSink *s, const JxError *bad, const char *where, JxError *err);

/* Validate and store one jet. where: "path:line" or "path: 'X' row 5" context for messages.
 * jet_id is the index the input itself gives the jet (J number, array row, ...). */
int jx_import_sink_jet (JxImportSink *s, const JxP4 *p, size_t n, size_t jet_id,
                        const char *where, JxError *err);

/* Open an input file for reading ("rb"), refusing a directory; *size (may be NULL) gets its
 * length in bytes for progress. NULL with err filled (JX_ERR_IO) on failure. */
FILE *jx_import_fopen (const char *path, double *size, JxError *err);

/* Report progress (done of total) and check for a cancel: 0, or JX_ERR_CANCELLED with
 * "<file>: import cancelled". Call every block of rows or a few hundred jets. */
int jx_import_progress (const JxImportSink *s, JxProgress *progress, double done, double total,
                        JxError *err);

/* A massless (m = 0) or massive particle from transverse momentum, rapidity y, azimuth φ
 * and mass m: E = m_T cosh y, p_z = m_T sinh y with m_T = sqrt(p_T² + m²). */
JxP4 jx_import_from_pt_y_phi (double pt, double y, double phi, double m);

/* Byte order of this machine, for the binary readers (.npy, PyTables rows). */
static inline bool
jx_import_host_little_endian (void)
{
  const uint16_t one = 1;
  unsigned char b;
  memcpy (&b, &one, 1);
  return b == 1;
}

/* The readers, one per file. Each reads s->path into s->ds through the sink and may add
 * format-specific attributes (import_labels, ...) to s->ds. */
int jx_import_junipr_json (JxImportSink *s, JxProgress *progress, JxError *err);
int jx_import_top_tagging (JxImportSink *s, JxProgress *progress, JxError *err);
int jx_import_jetnet (JxImportSink *s, JxProgress *progress, JxError *err);
int jx_import_energyflow (JxImportSink *s, JxProgress *progress, JxError *err);

/* HDF5 detection helpers (jx-import-top-tagging.c, jx-import-jetnet.c): does the open
 * file look like that dataset (its signature objects exist)? */
bool jx_import_is_top_tagging (hid_t file);
bool jx_import_is_jetnet (hid_t file);
