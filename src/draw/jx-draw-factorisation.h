/* jx-draw-factorisation.h — the picture that explains JUNIPR's factorisation (the Help
 * window's "What is JUNIPR?"): a jet clustered into a binary tree, read from the root one
 * 1→2 branching at a time; at each step t the network gives P_end (go on or stop),
 * P_mother (which of the particles splits) and P_branch (how: z, θ, φ, δ), and P_jet is the
 * product of them all, times the final P_end(stop). */
#pragma once

#include <cairo.h>

#include "jx-draw-theme.h"

/* The number of branchings drawn (the final state has one more particle). */
#define JX_FACTORISATION_STEPS 3

/* Draw the formula and the tree into r (at least ~480 × 240 to read). */
void jx_draw_factorisation (cairo_t *cr, JxRect r);
