/* jx-import-json.c — the authors' JuniprJets JSON into a dataset (jx-import.h).
 *
 * The file is one object {"JuniprJets": [jet, jet, ...]} that can be gigabytes long, so it is
 * read as a stream: a small scanner walks the outer object and the array, and json-c's
 * incremental tokener parses one value (a key, a jet) at a time from a 1 MiB window. Only
 * one jet's tree of json-c objects exists at any time.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-import-private.h"

/* Far above any jet (the authors' files have tens of particles); a declared count beyond it
 * is a damaged or crafted file, refused before CSJets is read. */
#define MAX_MULTIPLICITY 1000000

#define WINDOW (1u << 20)
/* Jets between cancel checks / progress reports. */
#define JETS_PER_CHECK 256
/* The authors' C++ writes 6 significant digits: a rebuilt |p|² may come out slightly
 * negative for a particle almost at rest, and energies add up only to this precision. */
#define ROUNDING 2e-5
/* One value (a jet, or a key's value we skip) longer than this is refused rather than parsed
 * into memory: a jet of 10⁴ particles printed with 17 digits takes ~3 MiB. */
#define MAX_VALUE_BYTES ((double) (256u << 20))

typedef struct {
  FILE *f;
  const char *path;
  char *buf;
  size_t window;     /* bytes of buf */
  size_t pos, len;   /* unread bytes are buf[pos, len) */
  size_t line;       /* line of buf[pos], 1-based */
  double consumed;   /* bytes before buf[pos] in the file, for progress */
  double size;
  json_tokener *tok;
} Reader;

static int
reader_open (Reader *r, const char *path, JxError *err)
{
  memset (r, 0, sizeof *r);
  r->path = path;
  r->line = 1;
  if ((r->f = jx_import_fopen (path, &r->size, err)) == NULL)
    return err->code;
  /* A small file needs no megabyte window (the fuzzer reads millions of them). */
  r->window = r->size > 0 && r->size < WINDOW ? (size_t) r->size + 1 : WINDOW;
  r->buf = malloc (r->window);
  r->tok = json_tokener_new ();
  if (r->buf == NULL || r->tok == NULL)
    return jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory for the JSON reader", path);
  return 0;
}

static void
reader_close (Reader *r)
{
  if (r->f != NULL)
    fclose (r->f);
  if (r->tok != NULL)
    json_tokener_free (r->tok);
  free (r->buf);
}

/* Refill an exhausted window. Returns 1 with data, 0 at the end of the file, or an error. */
static int
reader_fill (Reader *r, JxError *err)
{
  if (r->pos < r->len)
    return 1;
  r->pos = 0;
  r->len = fread (r->buf, 1, r->window, r->f);
  if (r->len == 0 && ferror (r->f))
    return jx_error_set (err, JX_ERR_IO, "%s: read error after line %zu: %s", r->path, r->line,
                         strerror (errno != 0 ? errno : EIO));
  return r->len > 0 ? 1 : 0;
}

static void
reader_advance (Reader *r, size_t n)
{
  for (const char *p = r->buf + r->pos, *end = p + n; (p = memchr (p, '\n', (size_t) (end - p)));
       p++)
    r->line++;
  r->pos += n;
  r->consumed += (double) n;
}

/* Skip whitespace; *c = the next byte (not consumed), or −1 at the end of the file. */
static int
reader_peek (Reader *r, int *c, JxError *err)
{
  for (;;)
    {
      int rc = reader_fill (r, err);
      if (rc <= 0)
        {
          *c = -1;
          return rc;
        }
      while (r->pos < r->len)
        {
          unsigned char b = (unsigned char) r->buf[r->pos];
          if (b != ' ' && b != '\t' && b != '\r' && b != '\n')
            {
              *c = b;
              return 0;
            }
          reader_advance (r, 1);
        }
    }
}

/* The next non-blank byte must be one of want; it is consumed and returned in *got. */
static int
reader_expect (Reader *r, const char *want, const char *what, int *got, JxError *err)
{
  int c, rc = reader_peek (r, &c, err);
  if (rc != 0)
    return rc;
  if (c < 0 || c == 0 || strchr (want, c) == NULL)
    {
      char seen[24];
      if (c < 0)
        snprintf (seen, sizeof seen, "the end of the file");
      else if (c >= 0x20 && c < 0x7f)
        snprintf (seen, sizeof seen, "'%c'", c);
      else
        snprintf (seen, sizeof seen, "byte 0x%02x", (unsigned) c);
      return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: expected %s, found %s", r->path, r->line,
                           what, seen);
    }
  reader_advance (r, 1);
  if (got != NULL)
    *got = c;
  return 0;
}

/* Parse one JSON value starting at the next non-blank byte; *out is owned by the caller
 * (json_object_put). A value cut off by the end of the file is an error. */
static int
reader_value (Reader *r, json_object **out, JxError *err)
{
  int c, rc = reader_peek (r, &c, err);
  if (rc != 0)
    return rc;
  json_tokener_reset (r->tok);
  size_t start_line = r->line;
  double start = r->consumed;
  for (;;)
    {
      if (r->consumed - start > MAX_VALUE_BYTES)
        return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: the value that starts here is longer "
                             "than %.0f MiB; no jet is that long", r->path, start_line,
                             MAX_VALUE_BYTES / (1 << 20));
      if ((rc = reader_fill (r, err)) < 0)
        return rc;
      if (rc == 0)
        return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: the file ends inside the value that "
                             "starts on line %zu (truncated?)", r->path, r->line, start_line);
      size_t avail = r->len - r->pos;
      json_object *o = json_tokener_parse_ex (r->tok, r->buf + r->pos, (int) avail);
      enum json_tokener_error e = json_tokener_get_error (r->tok);
      size_t used = json_tokener_get_parse_end (r->tok);
      if (e == json_tokener_continue)
        {
          reader_advance (r, avail);
          continue;
        }
      reader_advance (r, used <= avail ? used : avail);
      if (e != json_tokener_success)
        return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: not valid JSON: %s", r->path, r->line,
                             json_tokener_error_desc (e));
      *out = o;
      return 0;
    }
}

/* ---- one jet ------------------------------------------------------------------------ */

/* A jet whose content is wrong: what is wrong goes to bad (the caller names file and jet). */
static bool
get_number (json_object *o, double *v)
{
  json_type t = json_object_get_type (o);
  if (t != json_type_double && t != json_type_int)
    return false;
  *v = json_object_get_double (o);
  return true;
}

static bool
get_integer (json_object *o, long long lo, long long hi, long long *v)
{
  double d;
  if (!get_number (o, &d) || !(d == floor (d)) || d < (double) lo || d > (double) hi)
    return false;
  *v = json_object_get_type (o) == json_type_int ? (long long) json_object_get_int64 (o)
                                                  : (long long) d;
  return *v >= lo && *v <= hi;
}

/* Four numbers [a, b, c, d]. */
static bool
get_four (json_object *o, double v[4])
{
  if (json_object_get_type (o) != json_type_array || json_object_array_length (o) != 4)
    return false;
  for (size_t k = 0; k < 4; k++)
    if (!get_number (json_object_array_get_idx (o, k), &v[k]))
      return false;
  return true;
}

typedef struct {
  JxP4 *p;
  size_t cap;
  int has_label;      /* −1: not yet known (first jet), 0/1 afterwards */
  size_t n_with_axis; /* jets rebuilt around their own jet_axis */
} Jet;

/* The frame the relative momenta are rebuilt in: around the jet's "jet_axis" (ours, written
 * by junipr export) when it has one, else around +z (e_x = x, e_y = y). */
static int
jet_frame (json_object *o, JxFrame *frame, bool *own, JxError *bad)
{
  json_object *v;
  JxP4 axis = jx_p4 (1, 0, 0, 1);
  *own = json_object_object_get_ex (o, "jet_axis", &v);
  if (*own)
    {
      double a[3];
      bool ok = json_object_get_type (v) == json_type_array && json_object_array_length (v) == 3;
      for (size_t k = 0; ok && k < 3; k++)
        ok = get_number (json_object_array_get_idx (v, k), &a[k]) && isfinite (a[k]);
      if (!ok)
        return jx_error_set (bad, JX_ERR_FORMAT, "'jet_axis' is not 3 finite numbers");
      axis = jx_p4 (1, a[0], a[1], a[2]);
    }
  if (!jx_frame_from_axis (frame, axis))
    return jx_error_set (bad, JX_ERR_FORMAT, "'jet_axis' is the zero vector");
  return 0;
}

/* The n final particles of one jet object and its label into jet->p / *label. 0, or
 * JX_ERR_FORMAT / JX_ERR_NOMEM with the reason in bad. */
static int
read_jet (json_object *o, Jet *jet, size_t *n_out, bool *labeled, int32_t *label, JxError *bad)
{
  if (json_object_get_type (o) != json_type_object)
    return jx_error_set (bad, JX_ERR_FORMAT, "is not a JSON object");
  json_object *v;
  long long n;
  if (!json_object_object_get_ex (o, "multiplicity", &v))
    return jx_error_set (bad, JX_ERR_FORMAT, "has no 'multiplicity'");
  if (!get_integer (v, 1, MAX_MULTIPLICITY, &n))
    return jx_error_set (bad, JX_ERR_FORMAT, "'multiplicity' must be an integer from 1 to %d",
                         MAX_MULTIPLICITY);
  long long nb;
  if (json_object_object_get_ex (o, "n_branchings", &v) && (!get_integer (v, 0, n, &nb)
                                                           || nb != n - 1))
    return jx_error_set (bad, JX_ERR_FORMAT, "'n_branchings' must be multiplicity − 1 = %lld",
                         n - 1);
  json_object *cs;
  if (!json_object_object_get_ex (o, "CSJets", &cs) || json_object_get_type (cs) != json_type_array)
    return jx_error_set (bad, JX_ERR_FORMAT, "has no 'CSJets' array");
  size_t len = json_object_array_length (cs);
  if (len != (size_t) (2 * n - 1))
    return jx_error_set (bad, JX_ERR_FORMAT, "'CSJets' has %zu entries, expected 2·multiplicity − "
                         "1 = %lld (the n final particles, then the n − 1 merged ones)", len,
                         2 * n - 1);
  *labeled = json_object_object_get_ex (o, "label", &v);
  long long l = 0;
  if (*labeled && !get_integer (v, INT32_MIN, INT32_MAX, &l))
    return jx_error_set (bad, JX_ERR_FORMAT, "'label' must be an integer");
  *label = (int32_t) l;
  JxFrame frame;
  bool own_axis;
  int rc = jet_frame (o, &frame, &own_axis, bad);
  if (rc != 0)
    return rc;
  if ((size_t) n > jet->cap)
    {
      JxP4 *p = realloc (jet->p, (size_t) n * sizeof *p);
      if (p == NULL)
        return jx_error_set (bad, JX_ERR_NOMEM, "out of memory for %lld particles", n);
      jet->p = p;
      jet->cap = (size_t) n;
    }
  double sum_E = 0;
  for (size_t k = 0; k < (size_t) n; k++)
    {
      double e[4];
      if (!get_four (json_object_array_get_idx (cs, k), e))
        return jx_error_set (bad, JX_ERR_FORMAT, "CSJets[%zu] is not 4 numbers [E, theta, phi, "
                             "m]", k);
      double E = e[0], theta = e[1], phi = e[2], m = e[3];
      double p2 = E * E - m * fabs (m);
      if (p2 < 0 && m <= E * (1 + ROUNDING))
        p2 = 0;  /* at rest within the file's precision */
      if (!(p2 >= 0) || !isfinite (p2))
        return jx_error_set (bad, JX_ERR_FORMAT, "CSJets[%zu] has mass %g above its energy %g",
                             k, m, E);
      double p = sqrt (p2), u[3];
      jx_frame_direction (&frame, theta, phi, u);
      jet->p[k] = jx_p4 (E, p * u[0], p * u[1], p * u[2]);
      sum_E += E;
    }
  /* The final particles must add up to the jet: catches files whose CSJets are not in
   * FastJet's history order (final particles first). */
  double seed[4], jet_E;
  if (json_object_object_get_ex (o, "seed_momentum", &v))
    {
      if (!get_four (v, seed))
        return jx_error_set (bad, JX_ERR_FORMAT, "'seed_momentum' is not 4 numbers");
      jet_E = seed[0];
    }
  else if (get_four (json_object_array_get_idx (cs, len - 1), seed))
    jet_E = seed[0];
  else
    return jx_error_set (bad, JX_ERR_FORMAT, "CSJets[%zu] (the jet) is not 4 numbers", len - 1);
  if (!(fabs (sum_E - jet_E) <= ROUNDING * fabs (jet_E) + 1e-9))
    return jx_error_set (bad, JX_ERR_FORMAT, "the energies of the first %lld CSJets add up to %g, "
                         "not the jet energy %g: CSJets must list the final particles first",
                         n, sum_E, jet_E);
  *n_out = (size_t) n;
  jet->n_with_axis += own_axis;
  return 0;
}

/* ---- the file ------------------------------------------------------------------------- */

static int
read_jets (JxImportSink *s, Reader *r, JxProgress *progress, size_t *n_with_axis, JxError *err)
{
  int c, rc = reader_expect (r, "[", "'[' (the JuniprJets array)", NULL, err);
  if (rc == 0)
    rc = reader_peek (r, &c, err);
  if (rc != 0)
    return rc;
  if (c == ']')
    {
      reader_advance (r, 1);
      return 0;
    }
  Jet jet = { .p = NULL, .cap = 0, .has_label = -1 };
  char where[JX_PATH_MAX + 64];
  for (size_t index = 0; rc == 0 && !jx_import_sink_full (s); index++)
    {
      if (index % JETS_PER_CHECK == 0
          && (rc = jx_import_progress (s, progress, r->consumed, r->size, err)) != 0)
        break;
      if ((rc = reader_peek (r, &c, err)) != 0)
        break;
      snprintf (where, sizeof where, "%s: jet %zu (line %zu)", s->path, index, r->line);
      json_object *o = NULL;
      if ((rc = reader_value (r, &o, err)) != 0)
        break;
      size_t n = 0;
      bool labeled = false;
      int32_t label = 0;
      JxError bad = { 0 };
      int jrc = read_jet (o, &jet, &n, &labeled, &label, &bad);
      json_object_put (o);
      if (jrc == 0 && jet.has_label >= 0 && labeled != (jet.has_label == 1))
        jrc = jx_error_set (&bad, JX_ERR_FORMAT, "%s while the jets before %s",
                            labeled ? "has a 'label'" : "has no 'label'",
                            labeled ? "have none" : "have one");
      if (jrc == JX_ERR_NOMEM)
        {
          *err = bad;
          rc = jx_error_prefix (err, "%s: ", where);
          break;
        }
      if (jrc != 0)
        {
          s->n_input++;
          rc = jx_import_sink_bad (s, &bad, where, err);
        }
      else
        {
          jet.has_label = labeled;
          s->labeled = labeled;
          s->label = label;
          rc = jx_import_sink_jet (s, jet.p, n, index, where, err);
        }
      if (rc != 0 || jx_import_sink_full (s))
        break;
      int sep;
      if ((rc = reader_expect (r, ",]", "',' or ']' after a jet of JuniprJets", &sep, err)) != 0
          || sep == ']')
        break;
    }
  free (jet.p);
  *n_with_axis = jet.n_with_axis;
  return rc;
}

int
jx_import_junipr_json (JxImportSink *s, JxProgress *progress, JxError *err)
{
  Reader r;
  int rc = reader_open (&r, s->path, err);
  int c;
  if (rc == 0 && (rc = reader_fill (&r, err)) > 0)
    {
      rc = 0;
      if (r.len >= 3 && memcmp (r.buf, "\xef\xbb\xbf", 3) == 0)  /* a UTF-8 byte order mark */
        reader_advance (&r, 3);
    }
  else if (rc == 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: the file is empty, expected {\"JuniprJets\": "
                       "[...]}", s->path);
  if (rc == 0)
    rc = reader_expect (&r, "{", "'{' (a JSON object {\"JuniprJets\": [...]})", NULL, err);
  if (rc == 0)
    rc = reader_peek (&r, &c, err);
  bool found = false, done = rc == 0 && c == '}';
  size_t n_with_axis = 0;
  if (done)
    reader_advance (&r, 1);
  while (rc == 0 && !done)
    {
      json_object *key = NULL;
      size_t key_line = r.line;
      if ((rc = reader_peek (&r, &c, err)) != 0)
        break;
      if (c != '"')
        {
          rc = reader_expect (&r, "\"", "a quoted key", NULL, err);
          break;
        }
      if ((rc = reader_value (&r, &key, err)) != 0
          || (rc = reader_expect (&r, ":", "':' after a key", NULL, err)) != 0)
        {
          json_object_put (key);
          break;
        }
      bool jets = strcmp (json_object_get_string (key), "JuniprJets") == 0;
      json_object_put (key);
      if (jets && found)
        {
          rc = jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: a second 'JuniprJets' key", s->path,
                             key_line);
          break;
        }
      if (jets)
        {
          found = true;
          rc = read_jets (s, &r, progress, &n_with_axis, err);
          if (rc != 0 || jx_import_sink_full (s))
            break;  /* max_jets: the rest of the file is not read */
        }
      else
        {
          json_object *skip = NULL;
          rc = reader_value (&r, &skip, err);
          json_object_put (skip);
        }
      int sep;
      if (rc == 0 && (rc = reader_expect (&r, ",}", "',' or '}' in the outer object", &sep,
                                          err)) == 0)
        done = sep == '}';
    }
  if (rc == 0 && !found)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: no 'JuniprJets' array in the outer object; is "
                       "this a JUNIPR JSON file?", s->path);
  if (rc == 0 && done && (rc = reader_peek (&r, &c, err)) == 0 && c >= 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: data after the end of the JSON object",
                       s->path, r.line);
  reader_close (&r);
  if (rc == 0 && s->any_labels)
    rc = jx_dataset_set_attr (s->ds, "import_labels", "label (of each JSON jet)", err);
  char axis[160];
  if (n_with_axis == 0)
    snprintf (axis, sizeof axis, "+z (the file gives momenta relative to the jet axis, not its "
              "direction)");
  else if (n_with_axis == s->n_input)
    snprintf (axis, sizeof axis, "each jet's jet_axis (written by junipr export)");
  else
    snprintf (axis, sizeof axis, "the jet's jet_axis for %zu of %zu jets, else +z", n_with_axis,
              s->n_input);
  if (rc == 0)
    rc = jx_dataset_set_attr (s->ds, "import_axis", axis, err);
  return rc;
}
