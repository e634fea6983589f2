/* jx-axis.c — value mapping, tick choice and axis drawing (see jx-axis.h). */
#include "jx-axis.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jx-draw-text.h"

double
jx_axis_map (const JxAxis *a, double v)
{
  if (!isfinite (v))
    return NAN;
  double lo = a->lo, hi = a->hi;
  if (a->log)
    {
      if (!(v > 0) || !(lo > 0) || !(hi > 0))
        return NAN;
      v = log10 (v), lo = log10 (lo), hi = log10 (hi);
    }
  if (hi == lo)
    return 0.5 * (a->px0 + a->px1);
  return a->px0 + (v - lo) / (hi - lo) * (a->px1 - a->px0);
}

double
jx_axis_unmap (const JxAxis *a, double p)
{
  double lo = a->lo, hi = a->hi;
  if (a->log)
    lo = log10 (lo), hi = log10 (hi);
  double v = a->px1 == a->px0 ? lo : lo + (p - a->px0) / (a->px1 - a->px0) * (hi - lo);
  return a->log ? pow (10, v) : v;
}

void
jx_axis_pad_range (double *lo, double *hi, bool log, double frac)
{
  double a = *lo, b = *hi;
  if (log)
    {
      if (!(a > 0) || !isfinite (a))
        a = b > 0 && isfinite (b) ? b / 10 : 1;
      if (!(b > 0) || !isfinite (b))
        b = a * 10;
      if (a > b)
        { double t = a; a = b; b = t; }
      double la = log10 (a), lb = log10 (b);
      if (lb - la < 1e-9)
        la -= 0.5, lb += 0.5;
      double d = (lb - la) * frac;
      *lo = pow (10, la - d);
      *hi = pow (10, lb + d);
      return;
    }
  if (!isfinite (a) && !isfinite (b))
    a = 0, b = 1;
  else if (!isfinite (a))
    a = b - 1;
  else if (!isfinite (b))
    b = a + 1;
  if (a > b)
    { double t = a; a = b; b = t; }
  if (b - a <= 1e-12 * fmax (1, fabs (a)))
    {
      double w = fabs (a) > 0 ? 0.1 * fabs (a) : 0.5;
      a -= w, b += w;
    }
  double d = (b - a) * frac;
  *lo = a - d;
  *hi = b + d;
}

/* A label for v on a linear axis with the given step: enough decimals to tell ticks apart,
 * scientific notation when the numbers would be long. */
static void
format_linear (double v, double step, char *out, size_t cap)
{
  if (fabs (v) < step * 1e-9)
    v = 0;
  double mag = fmax (fabs (v), step);
  if (mag >= 1e5 || (mag < 1e-3 && mag > 0))
    {
      int e = (int) floor (log10 (mag));
      double m = v / pow (10, e);
      int dec = (int) fmax (0, ceil (-log10 (step / pow (10, e)) - 1e-9));
      if (dec > 3)
        dec = 3;
      if (m == 0)
        snprintf (out, cap, "0");
      else
        snprintf (out, cap, "%.*f×10<sup>%d</sup>", dec, m, e);
      return;
    }
  int dec = (int) fmax (0, ceil (-log10 (step) - 1e-9));
  /* 2.5 × 10^k steps need one more digit than the step's exponent says. */
  double mant = step / pow (10, floor (log10 (step) + 1e-12));
  if (fabs (mant - 2.5) < 1e-6)
    dec++;
  snprintf (out, cap, "%.*f", dec, v);
  if (strcmp (out, "-0") == 0)
    snprintf (out, cap, "0");
  /* A real minus sign, as typeset. */
  if (out[0] == '-')
    {
      char tmp[48];
      snprintf (tmp, sizeof tmp, "−%s", out + 1);
      snprintf (out, cap, "%s", tmp);
    }
}

static int
linear_ticks (const JxAxis *a, double lo, double hi, double len, double min_spacing,
              JxTick *out, int cap, bool log_values)
{
  double span = hi - lo;
  if (!(span > 0) || cap <= 0)
    return 0;
  double target = fmax (1, len / min_spacing);
  double raw = span / target;
  double p = pow (10, floor (log10 (raw)));
  static const double mants[] = { 1, 2, 2.5, 5, 10 };
  double step = 10 * p, mant = 10;
  for (int i = 0; i < 5; i++)
    if (mants[i] * p >= raw)
      {
        step = mants[i] * p;
        mant = mants[i];
        break;
      }
  if (mant == 10)
    mant = 1;
  int minor_div = mant == 2 ? 4 : 5;
  double mstep = step / minor_div;
  int n = 0;
  double first = ceil (lo / mstep - 1e-9) * mstep;
  for (long k = 0; n < cap; k++)
    {
      double v = first + (double) k * mstep;
      if (v > hi + mstep * 1e-9)
        break;
      double q = v / step;
      bool major = fabs (q - round (q)) < 1e-6;
      if (major)
        v = round (q) * step;
      out[n].value = log_values ? pow (10, v) : v;
      out[n].major = major;
      out[n].label[0] = '\0';
      if (major)
        {
          if (log_values)
            {
              double x = pow (10, v);
              snprintf (out[n].label, sizeof out[n].label, "%.3g", x);
            }
          else
            format_linear (v, step, out[n].label, sizeof out[n].label);
        }
      n++;
    }
  (void) a;
  return n;
}

int
jx_axis_ticks (const JxAxis *a, double min_spacing, JxTick *out, int cap)
{
  double len = fabs (a->px1 - a->px0);
  if (!a->log)
    return linear_ticks (a, fmin (a->lo, a->hi), fmax (a->lo, a->hi), len, min_spacing, out,
                         cap, false);
  if (!(a->lo > 0) || !(a->hi > 0))
    return 0;
  double llo = log10 (fmin (a->lo, a->hi)), lhi = log10 (fmax (a->lo, a->hi));
  double per_decade = len / fmax (lhi - llo, 1e-12);
  int k0 = (int) floor (llo + 1e-9), k1 = (int) floor (lhi + 1e-9);
  int decades_in = 0;
  for (int k = k0; k <= k1; k++)
    if (k >= llo - 1e-9 && k <= lhi + 1e-9)
      decades_in++;
  if (decades_in < 2 && lhi - llo < 1.2)
    {
      /* Less than a decade: labelled 1, 2, 5 × 10^k if that gives two labels, else a
       * linear scale in the values. */
      int n = 0, labelled = 0;
      for (int k = k0; k <= k1 && n < cap; k++)
        for (int m = 1; m <= 9 && n < cap; m++)
          {
            double v = m * pow (10, k);
            if (log10 (v) < llo - 1e-9 || log10 (v) > lhi + 1e-9)
              continue;
            out[n].value = v;
            out[n].major = (m == 1 || m == 2 || m == 5);
            out[n].label[0] = '\0';
            if (out[n].major)
              {
                labelled++;
                if (k >= 0 && k < 5)
                  snprintf (out[n].label, sizeof out[n].label, "%g", v);
                else if (m == 1)
                  snprintf (out[n].label, sizeof out[n].label, "10<sup>%d</sup>", k);
                else
                  snprintf (out[n].label, sizeof out[n].label, "%d×10<sup>%d</sup>", m, k);
              }
            n++;
          }
      if (labelled >= 2)
        return n;
      JxAxis lin = *a;
      lin.log = false;
      return linear_ticks (&lin, fmin (a->lo, a->hi), fmax (a->lo, a->hi), len, min_spacing,
                           out, cap, false);
    }
  /* Label every `every`-th decade so labels keep their spacing. */
  int every = 1;
  while (per_decade * every < min_spacing * 0.8)
    every++;
  bool minors = per_decade >= 25 && every == 1;
  int n = 0;
  for (int k = k0; k <= k1 && n < cap; k++)
    {
      double v = pow (10, k);
      if (k >= llo - 1e-9 && k <= lhi + 1e-9)
        {
          out[n].value = v;
          out[n].major = true;
          out[n].label[0] = '\0';
          if (k % every == 0)
            snprintf (out[n].label, sizeof out[n].label, "10<sup>%d</sup>", k);
          n++;
        }
      if (minors)
        for (int m = 2; m <= 9 && n < cap; m++)
          {
            double mv = m * v, lm = log10 (mv);
            if (lm < llo - 1e-9 || lm > lhi + 1e-9)
              continue;
            out[n].value = mv;
            out[n].major = false;
            out[n].label[0] = '\0';
            n++;
          }
    }
  return n;
}

double
jx_axis_label_spacing (JxSide side)
{
  return side == JX_SIDE_BOTTOM || side == JX_SIDE_TOP ? 70 : 45;
}

static double
max_label_width (cairo_t *cr, const JxTick *t, int n)
{
  const JxTheme *th = jx_theme ();
  double m = 0;
  for (int i = 0; i < n; i++)
    if (t[i].major && t[i].label[0])
      {
        double w;
        jx_text_size (cr, t[i].label, th->font_tick, &w, NULL);
        m = fmax (m, w);
      }
  return m;
}

double
jx_axis_thickness (cairo_t *cr, const JxAxis *a, JxSide side, const char *label,
                   bool tick_labels)
{
  const JxTheme *th = jx_theme ();
  double t = th->tick_major + 3;
  bool horiz = side == JX_SIDE_BOTTOM || side == JX_SIDE_TOP;
  if (tick_labels)
    {
      if (horiz)
        {
          double h;
          jx_text_size (cr, "0<sup>1</sup>", th->font_tick, NULL, &h);
          t += h;
        }
      else
        {
          JxTick ticks[JX_TICKS_MAX];
          int n = jx_axis_ticks (a, jx_axis_label_spacing (side), ticks, JX_TICKS_MAX);
          t += max_label_width (cr, ticks, n);
        }
    }
  if (label && label[0])
    {
      double h;
      jx_text_size (cr, label, th->font_label, NULL, &h);
      t += h + 4;
    }
  return t;
}

void
jx_axis_draw_grid (cairo_t *cr, const JxAxis *a, JxSide side, double from, double to)
{
  JxTick ticks[JX_TICKS_MAX];
  int n = jx_axis_ticks (a, jx_axis_label_spacing (side), ticks, JX_TICKS_MAX);
  bool horiz = side == JX_SIDE_BOTTOM || side == JX_SIDE_TOP;
  cairo_save (cr);
  jx_set_rgb (cr, jx_theme ()->grid);
  cairo_set_line_width (cr, 0.8);
  for (int i = 0; i < n; i++)
    {
      if (!ticks[i].major)
        continue;
      double p = jx_axis_map (a, ticks[i].value);
      if (!isfinite (p))
        continue;
      p = round (p) + 0.5;
      if (horiz)
        {
          cairo_move_to (cr, p, from);
          cairo_line_to (cr, p, to);
        }
      else
        {
          cairo_move_to (cr, from, p);
          cairo_line_to (cr, to, p);
        }
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
jx_axis_draw (cairo_t *cr, const JxAxis *a, JxSide side, double at, const char *label,
              bool tick_labels)
{
  const JxTheme *th = jx_theme ();
  JxTick ticks[JX_TICKS_MAX];
  int n = jx_axis_ticks (a, jx_axis_label_spacing (side), ticks, JX_TICKS_MAX);
  bool horiz = side == JX_SIDE_BOTTOM || side == JX_SIDE_TOP;
  double out = (side == JX_SIDE_BOTTOM || side == JX_SIDE_RIGHT) ? 1 : -1;
  cairo_save (cr);
  jx_set_rgb (cr, th->fg);
  cairo_set_line_width (cr, th->line_axis);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (int i = 0; i < n; i++)
    {
      double p = jx_axis_map (a, ticks[i].value);
      if (!isfinite (p))
        continue;
      double len = ticks[i].major ? th->tick_major : th->tick_minor;
      if (horiz)
        {
          cairo_move_to (cr, p, at);
          cairo_line_to (cr, p, at + out * len);
        }
      else
        {
          cairo_move_to (cr, at, p);
          cairo_line_to (cr, at + out * len, p);
        }
    }
  cairo_stroke (cr);
  double off = th->tick_major + 3, thick = 0;
  if (tick_labels)
    for (int i = 0; i < n; i++)
      {
        if (!ticks[i].major || !ticks[i].label[0])
          continue;
        double p = jx_axis_map (a, ticks[i].value);
        if (!isfinite (p))
          continue;
        switch (side)
          {
          case JX_SIDE_BOTTOM:
            jx_text_draw (cr, p, at + off, ticks[i].label, th->font_tick, 0.5, 0, 0);
            break;
          case JX_SIDE_TOP:
            jx_text_draw (cr, p, at - off, ticks[i].label, th->font_tick, 0.5, 1, 0);
            break;
          case JX_SIDE_LEFT:
            jx_text_draw (cr, at - off, p, ticks[i].label, th->font_tick, 1, 0.5, 0);
            break;
          case JX_SIDE_RIGHT:
            jx_text_draw (cr, at + off, p, ticks[i].label, th->font_tick, 0, 0.5, 0);
            break;
          }
      }
  if (tick_labels)
    {
      if (horiz)
        jx_text_size (cr, "0<sup>1</sup>", th->font_tick, NULL, &thick);
      else
        thick = max_label_width (cr, ticks, n);
    }
  if (label && label[0])
    {
      double mid = 0.5 * (a->px0 + a->px1), d = off + thick + 4;
      switch (side)
        {
        case JX_SIDE_BOTTOM:
          jx_text_draw (cr, mid, at + d, label, th->font_label, 0.5, 0, 0);
          break;
        case JX_SIDE_TOP:
          jx_text_draw (cr, mid, at - d, label, th->font_label, 0.5, 1, 0);
          break;
        case JX_SIDE_LEFT:
          jx_text_draw (cr, at - d, mid, label, th->font_label, 0.5, 1, M_PI / 2);
          break;
        case JX_SIDE_RIGHT:
          jx_text_draw (cr, at + d, mid, label, th->font_label, 0.5, 1, -M_PI / 2);
          break;
        }
    }
  cairo_restore (cr);
}
