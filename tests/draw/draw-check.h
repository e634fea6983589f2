/* draw-check.h — shared helpers of the drawing tests: synthetic jets, a scratch directory,
 * and checks of written PNG/SVG/PDF files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cairo.h>

#include "jx-colormap.h"
#include "jx-tree.h"

/* A C/A tree of n random massless particles in a cone around z (E in GeV), seeded. */
int draw_fixture_tree (JxTree *tree, size_t n, uint64_t seed, bool equal_energies);

/* A scratch directory (kept if JX_DRAW_KEEP is set, else removed by draw_scratch_done). */
const char *draw_scratch (void);
/* dir/name in a static rotating buffer. */
const char *draw_path (const char *name);
void draw_scratch_done (void);

/* PNG: decodes, has w × h pixels, has at least min_colors distinct colours and
 * min_ink non-white pixels. Returns the surface (caller destroys) or NULL. */
cairo_surface_t *draw_check_png (const char *path, int w, int h, int min_colors, int min_ink);

/* RGB bytes of pixel (x, y) of an image surface. */
void draw_pixel (cairo_surface_t *img, int x, int y, unsigned char rgb[3]);
/* Whether some pixel within radius r of (x, y) equals c within tol per channel. */
bool draw_pixel_near (cairo_surface_t *img, double x, double y, int r, JxRgb c, int tol);

/* SVG: well-formed XML (python3's parser when available, else a tag-balance check), its
 * width/height attributes are w, h (pt), and it contains every string of needles. */
bool draw_check_svg (const char *path, double w, double h, const char *const *needles);

/* PDF: starts with %PDF, ends with %%EOF, has `pages` pages (the /Type /Page objects),
 * and the first page's MediaBox is w × h. */
bool draw_check_pdf (const char *path, double w, double h, int pages);

/* Whole file into a NUL-terminated buffer (free it), or NULL. */
char *draw_read_file (const char *path, size_t *len);
