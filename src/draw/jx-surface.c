/* jx-surface.c — PNG/SVG/PDF output through jx-atomic (see jx-surface.h). */
#include "jx-surface.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "jx-atomic.h"
#include "jx-draw-text.h"

struct JxSurface {
  JxFormat format;
  double width, height;
  int pages;
  cairo_surface_t *surface;
  cairo_t *cr;
  JxAtomicFile file;
  FILE *fp;              /* PDF streams straight to the temporary file */
  char *buf;             /* SVG is buffered to add the text layer at the end */
  size_t len, cap;
  int write_failed;
};

JxFormat
jx_format_from_path (const char *path)
{
  const char *dot = path ? strrchr (path, '.') : NULL;
  if (dot == NULL)
    return JX_FORMAT_AUTO;
  if (strcasecmp (dot, ".png") == 0)
    return JX_FORMAT_PNG;
  if (strcasecmp (dot, ".svg") == 0)
    return JX_FORMAT_SVG;
  if (strcasecmp (dot, ".pdf") == 0)
    return JX_FORMAT_PDF;
  return JX_FORMAT_AUTO;
}

static cairo_status_t
write_file (void *closure, const unsigned char *data, unsigned int length)
{
  JxSurface *s = closure;
  if (fwrite (data, 1, length, s->fp) != length)
    {
      s->write_failed = 1;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
write_buffer (void *closure, const unsigned char *data, unsigned int length)
{
  JxSurface *s = closure;
  if (s->len + length + 1 > s->cap)
    {
      size_t nc = s->cap ? s->cap : 65536;
      while (nc < s->len + length + 1)
        nc *= 2;
      char *b = realloc (s->buf, nc);
      if (b == NULL)
        {
          s->write_failed = 1;
          return CAIRO_STATUS_NO_MEMORY;
        }
      s->buf = b;
      s->cap = nc;
    }
  memcpy (s->buf + s->len, data, length);
  s->len += length;
  s->buf[s->len] = '\0';
  return CAIRO_STATUS_SUCCESS;
}

int
jx_surface_open (JxSurface **out, const char *path, JxFormat format, double width,
                 double height, double scale, JxError *err)
{
  *out = NULL;
  if (format == JX_FORMAT_AUTO)
    format = jx_format_from_path (path);
  if (format == JX_FORMAT_AUTO)
    return jx_error_set (err, JX_ERR_INVALID,
                         "%s: unknown output format; use a .png, .svg or .pdf file name", path);
  if (!(width >= 1 && height >= 1 && width <= 32768 && height <= 32768))
    return jx_error_set (err, JX_ERR_INVALID,
                         "%s: size %gx%g is out of range; use 1..32768 per side", path, width,
                         height);
  if (!(scale > 0) || scale > 16)
    scale = 1;
  JxSurface *s = calloc (1, sizeof *s);
  if (s == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory", path);
  s->format = format;
  s->width = width;
  s->height = height;
  s->pages = 1;
  int rc = jx_atomic_begin (&s->file, path, err);
  if (rc < 0)
    {
      free (s);
      return rc;
    }
  switch (format)
    {
    case JX_FORMAT_PNG:
      s->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) lround (width * scale),
                                               (int) lround (height * scale));
      cairo_surface_set_device_scale (s->surface, scale, scale);
      break;
    case JX_FORMAT_SVG:
      s->surface = cairo_svg_surface_create_for_stream (write_buffer, s, width, height);
      if (cairo_surface_status (s->surface) == CAIRO_STATUS_SUCCESS)
        {
          cairo_svg_surface_restrict_to_version (s->surface, CAIRO_SVG_VERSION_1_1);
          jx_text_capture_attach (s->surface);
        }
      break;
    case JX_FORMAT_PDF:
    default:
      s->fp = fopen (s->file.tmp_path, "wb");
      if (s->fp == NULL)
        {
          jx_atomic_abort (&s->file);
          free (s);
          return jx_error_set (err, JX_ERR_IO, "%s: cannot write the temporary file", path);
        }
      s->surface = cairo_pdf_surface_create_for_stream (write_file, s, width, height);
      if (cairo_surface_status (s->surface) == CAIRO_STATUS_SUCCESS)
        cairo_pdf_surface_set_metadata (s->surface, CAIRO_PDF_METADATA_CREATOR,
                                        "Junipr Explorer");
      break;
    }
  if (cairo_surface_status (s->surface) != CAIRO_STATUS_SUCCESS)
    {
      rc = jx_error_set (err, JX_ERR_NOMEM, "%s: cannot create a %gx%g surface: %s", path,
                         width, height, cairo_status_to_string (cairo_surface_status (s->surface)));
      jx_surface_abort (s);
      return rc;
    }
  s->cr = cairo_create (s->surface);
  *out = s;
  return 0;
}

cairo_t *
jx_surface_cr (JxSurface *s)
{
  return s->cr;
}

JxFormat
jx_surface_format (const JxSurface *s)
{
  return s->format;
}

double
jx_surface_width (const JxSurface *s)
{
  return s->width;
}

double
jx_surface_height (const JxSurface *s)
{
  return s->height;
}

int
jx_surface_page_count (const JxSurface *s)
{
  return s->pages;
}

int
jx_surface_new_page (JxSurface *s, JxError *err)
{
  if (s->format != JX_FORMAT_PDF)
    return jx_error_set (err, JX_ERR_INVALID,
                         "%s: several pages need a PDF file; PNG and SVG hold one page",
                         s->file.path);
  cairo_show_page (s->cr);
  /* A fresh state per page: a renderer's transform must not leak into the next page. */
  cairo_identity_matrix (s->cr);
  cairo_reset_clip (s->cr);
  s->pages++;
  return 0;
}

static void
destroy (JxSurface *s)
{
  if (s->cr)
    cairo_destroy (s->cr);
  if (s->surface)
    cairo_surface_destroy (s->surface);
  if (s->fp)
    fclose (s->fp);
  free (s->buf);
  free (s);
}

void
jx_surface_abort (JxSurface *s)
{
  if (s == NULL)
    return;
  if (s->surface)
    cairo_surface_finish (s->surface);
  jx_atomic_abort (&s->file);
  destroy (s);
}

static void
fput_xml (FILE *fp, const char *t)
{
  for (; *t; t++)
    switch (*t)
      {
      case '&': fputs ("&amp;", fp); break;
      case '<': fputs ("&lt;", fp); break;
      case '>': fputs ("&gt;", fp); break;
      case '"': fputs ("&quot;", fp); break;
      default: fputc (*t, fp); break;
      }
}

/* The SVG with the recorded labels as transparent <text> before the closing tag. */
static int
write_svg (JxSurface *s, FILE *fp)
{
  char *end = s->buf ? strstr (s->buf, "</svg>") : NULL;
  if (end == NULL)
    return -1;
  fwrite (s->buf, 1, (size_t) (end - s->buf), fp);
  JxTextCapture *cap = jx_text_capture_get (s->surface);
  if (cap && cap->n > 0)
    {
      fputs ("<g id=\"jx-text\" style=\"fill:#000000;fill-opacity:0;stroke:none\" "
             "font-family=\"Sans\">\n", fp);
      for (size_t i = 0; i < cap->n; i++)
        {
          const JxTextRecord *r = &cap->items[i];
          const char *anchor = r->ax < 0.25 ? "start" : r->ax > 0.75 ? "end" : "middle";
          /* Pango's box: the baseline sits about 0.93 em below the top of a 1.17 em line. */
          double by = (0.93 - 1.17 * r->ay) * r->size;
          fprintf (fp, "<text font-size=\"%.2f\" text-anchor=\"%s\" "
                   "transform=\"translate(%.2f %.2f) rotate(%.2f)\" x=\"0\" y=\"%.2f\">",
                   r->size, anchor, r->x, r->y, -r->angle * 180 / M_PI, by);
          fput_xml (fp, r->text);
          fputs ("</text>\n", fp);
        }
      fputs ("</g>\n", fp);
    }
  fputs (end, fp);
  return 0;
}

int
jx_surface_close (JxSurface *s, JxError *err)
{
  if (s == NULL)
    return 0;
  char path[JX_PATH_MAX];
  snprintf (path, sizeof path, "%s", s->file.path);
  cairo_destroy (s->cr);
  s->cr = NULL;
  cairo_surface_flush (s->surface);
  int rc = 0;
  switch (s->format)
    {
    case JX_FORMAT_PNG:
      s->fp = fopen (s->file.tmp_path, "wb");
      if (s->fp == NULL
          || cairo_surface_write_to_png_stream (s->surface, write_file, s) != CAIRO_STATUS_SUCCESS)
        rc = -1;
      break;
    case JX_FORMAT_SVG:
      cairo_surface_finish (s->surface);
      s->fp = fopen (s->file.tmp_path, "wb");
      if (s->fp == NULL || s->write_failed || write_svg (s, s->fp) < 0)
        rc = -1;
      break;
    case JX_FORMAT_PDF:
    default:
      cairo_surface_finish (s->surface);
      if (cairo_surface_status (s->surface) != CAIRO_STATUS_SUCCESS)
        rc = -1;
      break;
    }
  if (s->fp)
    {
      if (fflush (s->fp) != 0 || ferror (s->fp))
        rc = -1;
      if (fclose (s->fp) != 0)
        rc = -1;
      s->fp = NULL;
    }
  if (rc < 0 || s->write_failed)
    {
      jx_atomic_abort (&s->file);
      destroy (s);
      return jx_error_set (err, JX_ERR_IO, "%s: writing the image failed (disk full?)", path);
    }
  rc = jx_atomic_commit (&s->file, err);
  destroy (s);
  return rc;
}
