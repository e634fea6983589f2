/* jx-colormap.c — colour maps and palettes (see jx-colormap.h). */
#include "jx-colormap.h"

#include <math.h>
#include <string.h>

/* viridis at t = 0, 0.1, ..., 1 (published definition). */
static const JxRgb viridis[] = {
  { 0.267004, 0.004874, 0.329415 }, { 0.282623, 0.140926, 0.457517 },
  { 0.253935, 0.265254, 0.529983 }, { 0.206756, 0.371758, 0.553117 },
  { 0.163625, 0.471133, 0.558148 }, { 0.127568, 0.566949, 0.550556 },
  { 0.134692, 0.658636, 0.517649 }, { 0.266941, 0.748751, 0.440573 },
  { 0.477504, 0.821444, 0.318195 }, { 0.741388, 0.873449, 0.149561 },
  { 0.993248, 0.906157, 0.143936 },
};

/* ColorBrewer RdBu (11 classes), from blue (negative) to red (positive). */
#define H(x) { ((x) >> 16) / 255.0, (((x) >> 8) & 0xff) / 255.0, ((x) & 0xff) / 255.0 }
static const JxRgb diverging[] = {
  H (0x053061), H (0x2166ac), H (0x4393c3), H (0x92c5de), H (0xd1e5f0), H (0xf7f7f7),
  H (0xfddbc7), H (0xf4a582), H (0xd6604d), H (0xb2182b), H (0x67001f),
};

/* Okabe & Ito, "Color Universal Design" (2008); black moved last, the yellow after the
 * stronger colours since it is weak on white. */
static const JxRgb okabe_ito[] = {
  H (0x0072b2), H (0xe69f00), H (0x009e73), H (0xd55e00), H (0xcc79a7), H (0x56b4e9),
  H (0xf0e442), H (0x000000),
};
#undef H

static JxRgb
table_eval (const JxRgb *tab, size_t n, double t)
{
  double s = t * (double) (n - 1);
  size_t i = (size_t) floor (s);
  if (i >= n - 1)
    return tab[n - 1];
  double f = s - (double) i;
  return (JxRgb) { tab[i].r + f * (tab[i + 1].r - tab[i].r),
                   tab[i].g + f * (tab[i + 1].g - tab[i].g),
                   tab[i].b + f * (tab[i + 1].b - tab[i].b) };
}

JxRgb
jx_colormap_eval (JxColormap map, double t)
{
  if (isnan (t))
    return (JxRgb) { 0.6, 0.6, 0.6 };
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  switch (map)
    {
    case JX_CMAP_DIVERGING:
      return table_eval (diverging, sizeof diverging / sizeof diverging[0], t);
    case JX_CMAP_GREYS:
      return (JxRgb) { 1 - t, 1 - t, 1 - t };
    case JX_CMAP_VIRIDIS:
    default:
      return table_eval (viridis, sizeof viridis / sizeof viridis[0], t);
    }
}

int
jx_colormap_parse (const char *name)
{
  static const JxColormap sequential[] = { JX_CMAP_VIRIDIS, JX_CMAP_GREYS };
  for (size_t i = 0; name != NULL && i < sizeof sequential / sizeof sequential[0]; i++)
    if (strcmp (name, jx_colormap_name (sequential[i])) == 0)
      return (int) sequential[i];
  return -1;
}

const char *
jx_colormap_name (JxColormap map)
{
  switch (map)
    {
    case JX_CMAP_VIRIDIS: return "viridis";
    case JX_CMAP_DIVERGING: return "diverging";
    case JX_CMAP_GREYS: return "greys";
    default: return "";
    }
}

size_t
jx_palette_size (void)
{
  return sizeof okabe_ito / sizeof okabe_ito[0];
}

JxRgb
jx_palette_color (size_t i)
{
  return okabe_ito[i % jx_palette_size ()];
}

double
jx_color_scale_t (const JxColorScale *s, double v)
{
  if (isnan (v))
    return NAN;
  double a = s->lo, b = s->hi, x = v;
  if (s->log)
    {
      if (!(a > 0) || !(b > 0))
        return 0.5;
      if (!(x > 0))
        return 0;
      a = log10 (a), b = log10 (b), x = log10 (x);
    }
  if (!(b != a))
    return 0.5;  /* a one-value range: every value gets the middle colour */
  double t = (x - a) / (b - a);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

JxRgb
jx_color_scale_eval (const JxColorScale *s, double v)
{
  return jx_colormap_eval (s->map, jx_color_scale_t (s, v));
}

void
jx_rgb_to_bytes (JxRgb c, unsigned char out[3])
{
  double v[3] = { c.r, c.g, c.b };
  for (int k = 0; k < 3; k++)
    {
      double x = !(v[k] > 0) ? 0 : v[k] > 1 ? 1 : v[k];  /* NaN → 0 */
      out[k] = (unsigned char) lround (x * 255.0);
    }
}

JxRgb
jx_rgb_lighten (JxRgb c, double f)
{
  return (JxRgb) { c.r + f * (1 - c.r), c.g + f * (1 - c.g), c.b + f * (1 - c.b) };
}
