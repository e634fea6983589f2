/* jx-draw.h — the Cairo drawing layer in one include (DESIGN.md §1, §6, §7).
 *
 * Renderers take a cairo_t, a rectangle and plain data, draw in one theme, and return the
 * layout a GUI needs for hit-testing:
 *   jx-draw-tree.h    clustering trees (layout in jx-tree-layout.h, hit-testing)
 *   jx-tree-figure.h  one or two captioned trees, as exported
 *   jx-draw-image.h   jet images with particles, average and difference images
 *   jx-draw-shower.h  a shower after t emissions (tree + particles), for animation
 *   jx-draw-lund.h    Lund planes: one jet's primary emissions, a dataset's LR attribution
 *   jx-plot.h         histograms, ratio panels, ROC curves, heatmaps, line plots
 *   jx-surface.h      PNG / SVG / multi-page PDF files (written atomically)
 * and their building blocks: jx-axis.h, jx-colorbar.h, jx-colormap.h, jx-heatmap.h,
 * jx-hist.h, jx-draw-text.h, jx-draw-theme.h.
 */
#pragma once

#include "jx-axis.h"
#include "jx-colorbar.h"
#include "jx-colormap.h"
#include "jx-draw-image.h"
#include "jx-draw-lund.h"
#include "jx-draw-shower.h"
#include "jx-draw-text.h"
#include "jx-draw-theme.h"
#include "jx-draw-tree.h"
#include "jx-heatmap.h"
#include "jx-hist.h"
#include "jx-plot.h"
#include "jx-surface.h"
#include "jx-tree-figure.h"
#include "jx-tree-layout.h"
