/* draw-check.c — helpers for the drawing tests (see draw-check.h). */
#include "draw-check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "jx-draw-text.h"
#include "jx-rng.h"

/* memmem is a GNU extension; this is all the tests need. */
static const char *
find_bytes (const char *hay, size_t n, const char *needle, size_t m)
{
  for (size_t i = 0; m <= n && i + m <= n; i++)
    if (memcmp (hay + i, needle, m) == 0)
      return hay + i;
  return NULL;
}

int
draw_fixture_tree (JxTree *tree, size_t n, uint64_t seed, bool equal_energies)
{
  JxRng rng;
  jx_rng_seed (&rng, seed, 1);
  JxP4 *p = malloc (n * sizeof *p);
  if (p == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      double u = jx_rng_uniform (&rng);
      double E = equal_energies ? 10.0 : 2.0 + 300.0 * u * u * u * u;
      double th = 0.4 * jx_rng_uniform (&rng) * jx_rng_uniform (&rng) + 0.002 * (double) i;
      double ph = 2 * M_PI * jx_rng_uniform (&rng);
      p[i] = jx_p4 (E, E * sin (th) * cos (ph), E * sin (th) * sin (ph), E * cos (th));
    }
  JxError err = { 0 };
  int rc = jx_tree_build_from_particles (tree, p, n, JX_ALGO_CA, NULL, &err);
  if (rc < 0)
    fprintf (stderr, "fixture tree: %s\n", err.message);
  free (p);
  return rc;
}

static char scratch[512];

const char *
draw_scratch (void)
{
  if (scratch[0] == '\0')
    {
      snprintf (scratch, sizeof scratch, "/tmp/jx-draw-test-XXXXXX");
      if (mkdtemp (scratch) == NULL)
        {
          perror ("mkdtemp");
          exit (1);
        }
    }
  return scratch;
}

const char *
draw_path (const char *name)
{
  static char buf[8][768];
  static int k;
  k = (k + 1) % 8;
  snprintf (buf[k], sizeof buf[k], "%s/%s", draw_scratch (), name);
  return buf[k];
}

void
draw_scratch_done (void)
{
  jx_text_shutdown ();
  if (scratch[0] == '\0')
    return;
  if (getenv ("JX_DRAW_KEEP"))
    {
      printf ("outputs kept in %s\n", scratch);
      return;
    }
  DIR *d = opendir (scratch);
  if (d)
    {
      struct dirent *e;
      while ((e = readdir (d)) != NULL)
        if (e->d_name[0] != '.')
          unlink (draw_path (e->d_name));
      closedir (d);
    }
  rmdir (scratch);
}

void
draw_pixel (cairo_surface_t *img, int x, int y, unsigned char rgb[3])
{
  int w = cairo_image_surface_get_width (img), h = cairo_image_surface_get_height (img);
  rgb[0] = rgb[1] = rgb[2] = 0;
  if (x < 0 || y < 0 || x >= w || y >= h)
    return;
  cairo_surface_flush (img);
  const unsigned char *d = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  uint32_t px = *(const uint32_t *) (const void *) (d + (size_t) y * stride + 4 * (size_t) x);
  unsigned a = px >> 24;
  unsigned c[3] = { (px >> 16) & 0xff, (px >> 8) & 0xff, px & 0xff };
  for (int k = 0; k < 3; k++)
    rgb[k] = (unsigned char) (a ? (c[k] * 255 + a / 2) / a : 255);
}

bool
draw_pixel_near (cairo_surface_t *img, double x, double y, int r, JxRgb c, int tol)
{
  unsigned char want[3];
  jx_rgb_to_bytes (c, want);
  for (int dy = -r; dy <= r; dy++)
    for (int dx = -r; dx <= r; dx++)
      {
        unsigned char got[3];
        draw_pixel (img, (int) floor (x) + dx, (int) floor (y) + dy, got);
        if (abs (got[0] - want[0]) <= tol && abs (got[1] - want[1]) <= tol
            && abs (got[2] - want[2]) <= tol)
          return true;
      }
  return false;
}

cairo_surface_t *
draw_check_png (const char *path, int w, int h, int min_colors, int min_ink)
{
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      fprintf (stderr, "%s: does not decode as PNG\n", path);
      cairo_surface_destroy (img);
      return NULL;
    }
  int iw = cairo_image_surface_get_width (img), ih = cairo_image_surface_get_height (img);
  if (iw != w || ih != h)
    {
      fprintf (stderr, "%s: %dx%d, wanted %dx%d\n", path, iw, ih, w, h);
      cairo_surface_destroy (img);
      return NULL;
    }
  /* Distinct colours through a small open-addressing set of 24-bit values. */
  size_t cap = 1 << 16;
  uint32_t *set = calloc (cap, sizeof *set);
  int colors = 0, ink = 0;
  for (int y = 0; y < ih && set; y++)
    for (int x = 0; x < iw; x++)
      {
        unsigned char c[3];
        draw_pixel (img, x, y, c);
        uint32_t v = ((uint32_t) c[0] << 16 | (uint32_t) c[1] << 8 | c[2]) + 1;
        if (c[0] < 250 || c[1] < 250 || c[2] < 250)
          ink++;
        size_t hsh = (v * 2654435761u) & (cap - 1);
        while (set[hsh] && set[hsh] != v)
          hsh = (hsh + 1) & (cap - 1);
        if (!set[hsh] && colors < (int) cap / 2)
          {
            set[hsh] = v;
            colors++;
          }
      }
  free (set);
  if (colors < min_colors || ink < min_ink)
    {
      fprintf (stderr, "%s: %d colours, %d ink pixels (wanted ≥ %d, ≥ %d)\n", path, colors, ink,
               min_colors, min_ink);
      cairo_surface_destroy (img);
      return NULL;
    }
  return img;
}

char *
draw_read_file (const char *path, size_t *len)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    return NULL;
  fseek (f, 0, SEEK_END);
  long n = ftell (f);
  fseek (f, 0, SEEK_SET);
  char *b = malloc ((size_t) n + 1);
  if (b && fread (b, 1, (size_t) n, f) != (size_t) n)
    {
      free (b);
      b = NULL;
    }
  fclose (f);
  if (b)
    {
      b[n] = '\0';
      if (len)
        *len = (size_t) n;
    }
  return b;
}

/* Every <tag> closed in order; comments, <?..?> and <!..> skipped. */
static bool
tags_balanced (const char *s)
{
  char stack[64][64];
  int sp = 0;
  for (const char *p = strchr (s, '<'); p; p = strchr (p + 1, '<'))
    {
      if (p[1] == '?' || p[1] == '!')
        continue;
      const char *end = strchr (p, '>');
      if (end == NULL)
        return false;
      bool closing = p[1] == '/', selfclose = end[-1] == '/';
      const char *n = p + (closing ? 2 : 1);
      size_t l = strcspn (n, " \t\n/>");
      if (l == 0 || l >= 64)
        return false;
      if (closing)
        {
          if (sp == 0 || strncmp (stack[sp - 1], n, l) != 0 || stack[sp - 1][l] != '\0')
            return false;
          sp--;
        }
      else if (!selfclose)
        {
          if (sp == 64)
            return false;
          memcpy (stack[sp], n, l);
          stack[sp][l] = '\0';
          sp++;
        }
    }
  return sp == 0;
}

bool
draw_check_svg (const char *path, double w, double h, const char *const *needles)
{
  size_t len;
  char *s = draw_read_file (path, &len);
  if (s == NULL)
    {
      fprintf (stderr, "%s: cannot read\n", path);
      return false;
    }
  bool ok = true;
  if (!tags_balanced (s))
    {
      fprintf (stderr, "%s: tags not balanced\n", path);
      ok = false;
    }
  if (system ("python3 -c 'import xml.dom.minidom' >/dev/null 2>&1") == 0)
    {
      char cmd[1024];
      snprintf (cmd, sizeof cmd, "python3 -c 'import sys, xml.dom.minidom; "
                "xml.dom.minidom.parse(sys.argv[1])' '%s'", path);
      if (system (cmd) != 0)
        {
          fprintf (stderr, "%s: python3 XML parser rejects it\n", path);
          ok = false;
        }
    }
  char want[128];
  snprintf (want, sizeof want, "width=\"%gpt\" height=\"%gpt\"", w, h);
  if (strstr (s, want) == NULL)
    {
      fprintf (stderr, "%s: no %s\n", path, want);
      ok = false;
    }
  for (int i = 0; needles && needles[i]; i++)
    if (strstr (s, needles[i]) == NULL)
      {
        fprintf (stderr, "%s: text \"%s\" missing\n", path, needles[i]);
        ok = false;
      }
  if (strstr (s, "<path") == NULL && strstr (s, "<image") == NULL && strstr (s, "<rect") == NULL)
    {
      fprintf (stderr, "%s: nothing drawn\n", path);
      ok = false;
    }
  free (s);
  return ok;
}

bool
draw_check_pdf (const char *path, double w, double h, int pages)
{
  size_t len;
  char *s = draw_read_file (path, &len);
  if (s == NULL)
    return false;
  bool ok = len > 100 && strncmp (s, "%PDF-", 5) == 0;
  const char *tail = s + (len > 32 ? len - 32 : 0);
  ok = ok && find_bytes (tail, (size_t) (s + len - tail), "%%EOF", 5) != NULL;
  int n = 0;
  for (const char *p = s; (p = find_bytes (p, (size_t) (s + len - p), "/Type /Page", 11)) != NULL; p += 11)
    if (p[11] != 's')  /* not /Type /Pages */
      n++;
  if (n != pages)
    {
      fprintf (stderr, "%s: %d pages, wanted %d\n", path, n, pages);
      ok = false;
    }
  char box[96];
  snprintf (box, sizeof box, "/MediaBox [ 0 0 %g %g ]", w, h);
  if (find_bytes (s, len, box, strlen (box)) == NULL)
    {
      fprintf (stderr, "%s: no \"%s\"\n", path, box);
      ok = false;
    }
  free (s);
  return ok;
}
