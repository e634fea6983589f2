/* jx-lund.h — Lund planes of JUNIPR trees, and where a likelihood ratio comes from in them.
 *
 * The primary Lund plane (Dreyer, Salam, Soyez, arXiv:1807.04758) of a jet records each
 * emission met while its C/A tree is declustered from the root, always following the harder
 * branch. In e+e- variables (energies and 3D angles, as in the rest of JUNIPR) a branching
 * of a mother into a harder a and a softer b (by energy, as JUNIPR orders daughters) is the
 * point
 *     x = ln(1/Δ),   y = ln(k_t / 1 GeV),   Δ = angle(a, b),   k_t = E_b sin Δ.
 * On a JUNIPR tree the primary emissions are the steps t whose mother lies on the chain of
 * harder daughters from the root; the other steps are "secondary" emissions (emissions off
 * an emission). The plane is the primary Lund plane when the tree is a C/A tree; other trees
 * give the same construction but not the usual meaning, so the dataset map refuses them (and
 * trees of the pp metric, whose branchings are not in these e+e- variables).
 * With the JUNIPR subjet step (E_sub, R_sub) the plane is that of the subjets.
 *
 * Attribution of a likelihood ratio. For two models A and B, a jet of n particles has
 *     log10 P_A/P_B = Σ_{t=1}^{n−1} r_t + r_end,
 *     r_t   = log10 [P_end(0|h_t) P_mother(m_t|h_t) P_branch(x_t)]_A − [same]_B,
 *     r_end = log10 P_end,A(1|h_n) − log10 P_end,B(1|h_n)
 * (log10 as the app shows it; the files keep natural logs). Every term goes to exactly one
 * place of a JxLundMap:
 *   - r_t of a primary emission   → the (x, y) bin of the emission, or the OUTSIDE cell when
 *                                   the point lies outside the grid (or is not finite);
 *   - r_t of a secondary emission → the SECONDARY cell;
 *   - r_end                       → the END cell (for a one-particle jet, which has no step,
 *                                   this is its whole likelihood ratio).
 * So the bins and the three cells together hold the sum of the jets' log10 LR, and divided by
 * the number of jets they are an attribution map of the mean log10 LR. The sums are
 * compensated (Neumaier), so they agree with the jets' totals to rounding of the totals.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jx-dataset-stream.h"
#include "jx-dataset.h"
#include "jx-error.h"
#include "jx-model.h"
#include "jx-progress.h"
#include "jx-tree.h"

/* One emission of the primary Lund plane. */
typedef struct {
  int step;          /* JUNIPR step t (1..n−1) of the branching */
  int mother;        /* its mother node (on the primary chain) */
  int emission;      /* the softer daughter's node */
  double delta;      /* Δ: opening angle between the daughters [rad] */
  double kt;         /* k_t = E_soft sin Δ [GeV] */
  double z;          /* E_soft / E_mother */
  double x, y;       /* ln(1/Δ), ln(k_t / GeV) */
  double lr;         /* r_t of the step (NaN when not known) */
} JxLundEmission;

/* Lund coordinates of the branching of node mother (must have daughters) into e. */
void jx_lund_point (const JxTree *tree, int mother, JxLundEmission *e);

/* The primary emissions of tree, root first (out: capacity n−1; at most n−1 are written).
 * lr (optional, n entries as jx_lund_step_lr writes them) fills each emission's lr; NULL
 * leaves NaN. Returns the number written. */
size_t jx_lund_primary (const JxTree *tree, const double *lr, JxLundEmission *out, size_t cap);

/* r_t for t = 1..n−1 into lr[t−1] and r_end into lr[n−1], from the per-step scores of two
 * models (n entries each, as jx_model_log_prob returns them). */
void jx_lund_step_lr (const JxStepScore *a, const JxStepScore *b, size_t n, double *lr);

/* ---- maps over many jets ------------------------------------------------------------- */

typedef struct {
  int nx, ny;                /* bins along x = ln 1/Δ and y = ln k_t */
  double x_lo, x_hi;
  double y_lo, y_hi;
} JxLundGrid;

/* 20 × 20 bins over x ∈ [−1.2, 3.8] (Δ from 3.3 rad down to 0.022) and y ∈ [−3, 6]
 * (k_t from 0.05 to 400 GeV): the whole plane of 500-GeV jets with the default subjet step. */
void jx_lund_grid_default (JxLundGrid *grid);
/* 0, or JX_ERR_INVALID naming the bad field (1..1000 bins, finite lo < hi). */
int jx_lund_grid_check (const JxLundGrid *grid, JxError *err);
/* Bin iy·nx + ix of the point (iy = 0 at y_lo, ix = 0 at x_lo), or −1 outside the grid or
 * for a non-finite point. The upper edges belong to the last bins. */
int jx_lund_grid_bin (const JxLundGrid *grid, double x, double y);
/* Area of one bin in (x, y). */
double jx_lund_grid_bin_area (const JxLundGrid *grid);

typedef enum {
  JX_LUND_SECONDARY = 0,   /* steps whose mother is not on the primary chain */
  JX_LUND_END,             /* the final end term of every jet */
  JX_LUND_OUTSIDE,         /* primary emissions outside the grid */
  JX_LUND_N_CELLS
} JxLundCell;

/* "secondary", "end", "outside". */
const char *jx_lund_cell_name (JxLundCell cell);

typedef struct {
  double sum, c;   /* Neumaier compensated sum: the value is sum + c */
} JxLundSum;

typedef struct {
  JxLundGrid grid;
  JxLundSum *lr;               /* [ny·nx] Σ r_t of the primary emissions in each bin */
  uint64_t *count;             /* [ny·nx] primary emissions in each bin */
  JxLundSum cell_lr[JX_LUND_N_CELLS];
  uint64_t cell_count[JX_LUND_N_CELLS];  /* terms that went to the cell (END: = n_jets) */
  size_t n_jets;               /* jets added */
  JxLundSum total_lr;          /* Σ over the jets of the total log10 LR they were added with */
  /* jx_lund_map_build only: jets left out, and why */
  size_t n_bad;                /* could not be clustered (no particle after the subjet step,
                                * not finite, unphysical) */
  size_t n_long;               /* more particles than a model's maximum multiplicity */
  size_t n_unscored;           /* a model gave a non-finite log P */
} JxLundMap;

int jx_lund_map_init (JxLundMap *map, const JxLundGrid *grid, JxError *err);
void jx_lund_map_free (JxLundMap *map);

/* Add one jet: its tree and its n terms lr (jx_lund_step_lr). total is the jet's log10 LR
 * from elsewhere (e.g. the models' jet log P), kept in total_lr for comparison; NaN: the
 * sum of lr. */
void jx_lund_map_add (JxLundMap *map, const JxTree *tree, const double *lr, double total);
/* into += from (same grid, else JX_ERR_INVALID). */
int jx_lund_map_merge (JxLundMap *into, const JxLundMap *from, JxError *err);

static inline double
jx_lund_sum_value (const JxLundSum *s)
{
  return s->sum + s->c;
}

/* Per bin, for n_jets > 0 (NaN otherwise):
 *   attribution = Σ r_t in the bin / n_jets     (the bin's share of the mean log10 LR)
 *   density     = emissions in the bin / (n_jets · bin area)
 *   mean term   = Σ r_t in the bin / emissions in the bin (NaN for an empty bin) */
double jx_lund_map_attribution (const JxLundMap *map, int bin);
double jx_lund_map_density (const JxLundMap *map, int bin);
double jx_lund_map_mean_term (const JxLundMap *map, int bin);
/* A cell's share of the mean log10 LR: Σ of its terms / n_jets. */
double jx_lund_map_cell_attribution (const JxLundMap *map, JxLundCell cell);
/* Σ over bins and cells / n_jets: the mean log10 LR as attributed; equals
 * jx_lund_map_mean_total up to rounding. */
double jx_lund_map_attributed_mean (const JxLundMap *map);
/* total_lr / n_jets: the mean log10 LR of the jets. */
double jx_lund_map_mean_total (const JxLundMap *map);

typedef struct {
  JxLundGrid grid;
  size_t first, last;        /* jets [first, last) of the dataset; last = 0: to the end */
  int threads;               /* ≤ 0: all CPUs */
} JxLundOptions;

void jx_lund_options_default (JxLundOptions *opt);

/* The map of the jets of data under models a and b, both clustering as clustering (which must
 * be C/A with the ee metric: JX_ERR_INVALID otherwise, naming the algorithm or metric).
 * Each jet is clustered, scored per step by both models (jx_model_log_prob) and added with its total log10 LR from the two
 * jet log P. Jets that cannot be clustered or scored are left out and counted (n_bad,
 * n_long, n_unscored). The jets are cut into blocks of a fixed number of jets (from
 * opt->first), each summed alone and merged in order, so the result depends neither on the
 * thread count nor on whether the jets come at once or in chunks. map is initialized here
 * (free it also after an error). Cancel through progress → JX_ERR_CANCELLED. */
int jx_lund_map_build (JxLundMap *map, const JxModel *a, const JxModel *b,
                       const JxDataset *data, const JxClusterOptions *clustering,
                       const JxLundOptions *opt, JxProgress *progress, JxError *err);

/* The same map of jets [opt->first, opt->last) of a file read chunk by chunk (memory: the
 * stream's cache and a few block maps, whatever the file's size): bit for bit the map
 * jx_lund_map_build makes of the file read whole. */
int jx_lund_map_build_stream (JxLundMap *map, const JxModel *a, const JxModel *b,
                              JxDatasetStream *data, const JxClusterOptions *clustering,
                              const JxLundOptions *opt, JxProgress *progress, JxError *err);
