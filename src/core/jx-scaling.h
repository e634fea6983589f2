/* jx-scaling.h — the JUNIPR feature scaling and binning (DESIGN.md §4).
 *
 * Network inputs are momenta (E, θ, φ, m) relative to the jet axis; network targets are
 * branchings x = (z, θ, φ, δ). Both are mapped to roughly [0, 1] by logarithms between the
 * constants below; arguments of ln are clipped to [1e-8, 1e8] so zero masses and collinear
 * angles stay finite. Branching coordinates are then binned uniformly in the scaled value,
 * G bins per coordinate, index clipped to [0, G−1]. The inverse maps are exact for values
 * inside the clip range (sampling draws a scaled point and inverts it).
 */
#pragma once

#include "jx-momentum.h"
#include "jx-tree.h"

typedef struct {
  double e_jet, e_sub, r_jet, r_sub;   /* 500, 1, π/2, 0.1 */
} JxScaling;

#define JX_SCALING_LN_MIN 1e-8
#define JX_SCALING_LN_MAX 1e8

void jx_scaling_default (JxScaling *s);

/* 0, or JX_ERR_INVALID when a constant is not finite and positive or an interval is empty
 * (e_jet ≤ e_sub, r_jet ≤ 2·r_sub ...), which would divide by zero below. */
int jx_scaling_check (const JxScaling *s, JxError *err);

/* A momentum relative to the jet axis → (e', θ', φ', m'). */
void jx_scale_momentum (const JxScaling *s, const JxRelative *r, double out[4]);
void jx_unscale_momentum (const JxScaling *s, const double in[4], JxRelative *r);

/* Branching coordinate index k in x = (z, θ, φ, δ) order. */
enum { JX_COORD_Z = 0, JX_COORD_THETA = 1, JX_COORD_PHI = 2, JX_COORD_DELTA = 3 };

double jx_scale_coord (const JxScaling *s, int k, double value);
double jx_unscale_coord (const JxScaling *s, int k, double scaled);

/* x → (z', θ', φ', δ'), in the same (z, θ, φ, δ) order. */
void jx_scale_branching (const JxScaling *s, const JxBranching *x, double out[4]);
void jx_unscale_branching (const JxScaling *s, const double in[4], JxBranching *x);

/* Uniform bin of a scaled coordinate: floor(G·x'), clipped to [0, G−1] (NaN → 0). */
int jx_scaling_bin (double scaled, int grid);

/* Lower edge of bin i in scaled units: i/G. */
static inline double
jx_scaling_bin_low (int i, int grid)
{
  return (double) i / grid;
}

/* Bins (z, θ, φ, δ) of a branching and its joint cell ((i_z·G + i_θ)·G + i_φ)·G + i_δ. */
void jx_branching_bins (const JxScaling *s, const JxBranching *x, int grid, int bins[4]);
int jx_branching_cell (const int bins[4], int grid);
void jx_cell_bins (int cell, int grid, int bins[4]);
