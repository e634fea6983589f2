/* jx-import.c — see jx-import.h. */
#include "jx-import.h"
#include "jx-import-private.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "jx-atomic.h"
#include "jx-cluster.h"
#include "jx-h5.h"
#include "jx-h5-driver.h"
#include "jx-h5-walk.h"

/* Lines between cancel checks / progress reports: well under 50 ms of parsing. */
#define LINES_PER_CHECK 4096

const char *
jx_import_format_name (JxImportFormat format)
{
  switch (format)
    {
    case JX_IMPORT_AUTO: return "auto";
    case JX_IMPORT_TEXT: return "text";
    case JX_IMPORT_ARRAY: return "array";
    case JX_IMPORT_HEPMC3: return "hepmc3";
    case JX_IMPORT_JUNIPR_JSON: return "junipr-json";
    case JX_IMPORT_TOP_TAGGING: return "top-tagging";
    case JX_IMPORT_JETNET: return "jetnet";
    case JX_IMPORT_ENERGYFLOW: return "energyflow";
    default: return "unknown";
    }
}

int
jx_import_format_parse (const char *name, JxImportFormat *out, JxError *err)
{
  static const struct {
    const char *name;
    JxImportFormat format;
  } names[] = {
    { "auto", JX_IMPORT_AUTO }, { "text", JX_IMPORT_TEXT }, { "junipr", JX_IMPORT_TEXT },
    { "array", JX_IMPORT_ARRAY }, { "hdf5", JX_IMPORT_ARRAY }, { "hepmc3", JX_IMPORT_HEPMC3 },
    { "hepmc", JX_IMPORT_HEPMC3 }, { "junipr-json", JX_IMPORT_JUNIPR_JSON },
    { "json", JX_IMPORT_JUNIPR_JSON }, { "top-tagging", JX_IMPORT_TOP_TAGGING },
    { "jetnet", JX_IMPORT_JETNET }, { "energyflow", JX_IMPORT_ENERGYFLOW },
    { "npz", JX_IMPORT_ENERGYFLOW },
  };
  for (size_t i = 0; name != NULL && i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp (name, names[i].name) == 0)
      {
        *out = names[i].format;
        return 0;
      }
  return jx_error_set (err, JX_ERR_INVALID,
                       "unknown import format '%s' (use text, array, hepmc3, junipr-json, "
                       "top-tagging, jetnet, energyflow or auto)",
                       name != NULL ? name : "");
}

void
jx_import_options_init (JxImportOptions *options)
{
  memset (options, 0, sizeof *options);
}

/* ---- shared: where jets go (jx-import-private.h) ------------------------------------- */

bool
jx_import_sink_full (const JxImportSink *s)
{
  return s->opt->max_jets > 0 && s->stats->n_jets >= s->opt->max_jets;
}

int
jx_import_sink_bad (JxImportSink *s, const JxError *bad, const char *where, JxError *err)
{
  if (!s->opt->skip_bad)
    {
      *err = *bad;
      return jx_error_prefix (err, "%s: ", where);
    }
  if (s->stats->n_skipped++ == 0)
    snprintf (s->stats->first_skipped, sizeof s->stats->first_skipped, "%.200s: %.300s",
              where, bad->message);
  return 0;
}

/* The stored jets to the writer; ds keeps only the attributes the reader has set. */
static int
sink_flush (JxImportSink *s, JxError *err)
{
  int rc = jx_dataset_writer_append (s->writer, s->ds, err);
  JxDataset fresh;
  jx_dataset_init (&fresh);
  for (size_t k = 0; rc == 0 && k < s->ds->n_attrs; k++)
    rc = jx_dataset_set_attr (&fresh, s->ds->attrs[k].key, s->ds->attrs[k].value, err);
  jx_dataset_free (s->ds);
  *s->ds = fresh;
  return rc;
}

int
jx_import_sink_jet (JxImportSink *s, const JxP4 *p, size_t n, size_t jet_id, const char *where,
                    JxError *err)
{
  s->n_input++;
  JxError bad;
  if (jx_jet_validate (p, n, jet_id, &bad) != 0)
    return jx_import_sink_bad (s, &bad, where, err);
  /* Labels without a weight column: imported jets carry no weights. */
  int rc = s->labeled ? jx_dataset_ensure_labels (s->ds, err) : 0;
  if (rc == 0 && s->weighted)
    rc = jx_dataset_ensure_weights (s->ds, err);
  if (rc == 0)
    rc = jx_dataset_append (s->ds, p, n, err);
  if (rc == 0 && s->labeled)
    s->ds->labels[s->ds->n_jets - 1] = s->label;
  if (rc == 0 && s->weighted)
    s->ds->weights[s->ds->n_jets - 1] = s->weight;
  if (rc != 0)
    return rc;
  s->any_labels = s->any_labels || s->ds->labels != NULL;
  s->any_weights = s->any_weights || s->ds->weights != NULL;
  s->stats->n_jets++;
  return s->writer != NULL && s->ds->n_jets >= s->part_jets ? sink_flush (s, err) : 0;
}

FILE *
jx_import_fopen (const char *path, double *size, JxError *err)
{
  struct stat st;
  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      jx_error_set (err, JX_ERR_IO, "%s: is a directory, expected a file", path);
      return NULL;
    }
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    jx_error_set (err, JX_ERR_IO, "%s: cannot open: %s", path, strerror (errno));
  else if (size != NULL)
    *size = fstat (fileno (f), &st) == 0 ? (double) st.st_size : 0;
  return f;
}

int
jx_import_progress (const JxImportSink *s, JxProgress *progress, double done, double total,
                    JxError *err)
{
  jx_progress_report (progress, done, total, "importing jets");
  if (jx_progress_cancelled (progress))
    return jx_error_set (err, JX_ERR_CANCELLED, "%s: import cancelled", s->path);
  return 0;
}

JxP4
jx_import_from_pt_y_phi (double pt, double y, double phi, double m)
{
  double mt = sqrt (pt * pt + m * m);
  return jx_p4 (mt * cosh (y), pt * cos (phi), pt * sin (phi), mt * sinh (y));
}

/* A growable particle buffer for the current jet or event. */
typedef struct {
  JxP4 *p;
  size_t n, cap;
} Buf;

static int
buf_push (Buf *b, JxP4 p, JxError *err)
{
  if (b->n == b->cap)
    {
      size_t cap = b->cap < 64 ? 64 : 2 * b->cap;
      JxP4 *q = realloc (b->p, cap * sizeof *q);
      if (q == NULL)
        return jx_error_set (err, JX_ERR_NOMEM, "out of memory reading particles");
      b->p = q;
      b->cap = cap;
    }
  b->p[b->n++] = p;
  return 0;
}

/* ---- line reading ------------------------------------------------------------------- */

typedef struct {
  FILE *f;
  char *line;
  size_t cap;
  size_t number;  /* 1-based number of the current line */
  double size;    /* file size in bytes, for progress */
  JxProgress *progress;
  const char *message;
} Lines;

static int
lines_open (Lines *l, const char *path, JxProgress *progress, const char *message, JxError *err)
{
  memset (l, 0, sizeof *l);
  if ((l->f = jx_import_fopen (path, &l->size, err)) == NULL)
    return err->code;
  l->progress = progress;
  l->message = message;
  return 0;
}

static void
lines_close (Lines *l)
{
  if (l->f != NULL)
    fclose (l->f);
  free (l->line);
}

/* Next line, with a trailing comment ('#') and the newline removed. Returns 1 on a line, 0 at
 * the end, or a negative status (read error, cancelled). */
static int
lines_next (Lines *l, const char *path, JxError *err)
{
  if (l->number % LINES_PER_CHECK == 0)
    {
      if (jx_progress_cancelled (l->progress))
        return jx_error_set (err, JX_ERR_CANCELLED, "%s: import cancelled", path);
      jx_progress_report (l->progress, (double) ftello (l->f), l->size, l->message);
    }
  errno = 0;
  ssize_t len = getline (&l->line, &l->cap, l->f);
  if (len < 0)
    {
      if (ferror (l->f))
        return jx_error_set (err, JX_ERR_IO, "%s: read error after line %zu: %s", path,
                             l->number, strerror (errno != 0 ? errno : EIO));
      return 0;
    }
  l->number++;
  if ((size_t) len != strlen (l->line))
    return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: binary data (a NUL byte) in a text file",
                         path, l->number);
  char *hash = strchr (l->line, '#');
  if (hash != NULL)
    *hash = '\0';
  return 1;
}

/* Split s in place at whitespace (and commas) into at most max tokens; returns the count of
 * all tokens (may exceed max; only the first max are stored). */
static size_t
split (char *s, char **tok, size_t max)
{
  size_t n = 0;
  char *save = NULL;
  for (char *t = strtok_r (s, " \t\r\n\v\f,", &save); t != NULL;
       t = strtok_r (NULL, " \t\r\n\v\f,", &save))
    {
      if (n < max)
        tok[n] = t;
      n++;
    }
  return n;
}

static bool
parse_double (const char *s, double *out)
{
  char *end;
  errno = 0;
  *out = strtod (s, &end);
  /* ERANGE on underflow still gives a usable (tiny) number; overflow gives ±HUGE_VAL which
   * the validation then refuses as infinite. */
  return end != s && *end == '\0';
}

static bool
parse_size (const char *s, size_t *out)
{
  char *end;
  errno = 0;
  if (*s == '-' || *s == '+')
    return false;
  unsigned long long v = strtoull (s, &end, 10);
  if (end == s || *end != '\0' || errno == ERANGE)
    return false;
  *out = (size_t) v;
  return true;
}

static bool
parse_long (const char *s, long *out)
{
  char *end;
  errno = 0;
  long v = strtol (s, &end, 10);
  if (end == s || *end != '\0' || errno == ERANGE)
    return false;
  *out = v;
  return true;
}

static void
copy_token (char *dst, size_t cap, const char *src)
{
  snprintf (dst, cap, "%.40s%s", src, strlen (src) > 40 ? "..." : "");
}

/* ---- text: the public JUNIPR code's format ------------------------------------------- */

/* The reader's place in the format: J <index>, N <count>, then count particle lines. */
typedef struct {
  JxImportSink *s;
  const Lines *l;
  Buf b;              /* the particles of the current jet */
  enum { WANT_J, WANT_N, WANT_P } state;
  size_t jet_id, n_declared, j_line, n_line;
} TextReader;

static int
text_jet_line (TextReader *t, char **tok, size_t nt, JxError *err)
{
  size_t id;
  if (strcmp (tok[0], "J") != 0 || nt != 2 || !parse_size (tok[1], &id))
    {
      char got[64];
      copy_token (got, sizeof got, tok[0]);
      return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: expected 'J <jet index>', got '%s'%s",
                           t->s->path, t->l->number, got,
                           nt == 4 ? " (a particle line outside a jet; is N too small?)" : "");
    }
  t->jet_id = id;
  t->j_line = t->l->number;
  t->state = WANT_N;
  return 0;
}

static int
text_count_line (TextReader *t, char **tok, size_t nt, JxError *err)
{
  char got[64];
  if (strcmp (tok[0], "N") == 0 && nt == 2 && !parse_size (tok[1], &t->n_declared))
    {
      copy_token (got, sizeof got, tok[1]);
      return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: the particle count N must be a "
                           "non-negative integer, got '%s'", t->s->path, t->l->number, got);
    }
  if (strcmp (tok[0], "N") != 0 || nt != 2)
    {
      copy_token (got, sizeof got, tok[0]);
      return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: expected 'N <number of particles>' "
                           "after 'J %zu', got '%s'", t->s->path, t->l->number, t->jet_id, got);
    }
  t->n_line = t->l->number;
  t->b.n = 0;
  t->state = t->n_declared > 0 ? WANT_P : WANT_J;
  return 0;
}

static int
text_particle_line (TextReader *t, char **tok, size_t nt, JxError *err)
{
  double v[4];
  if (nt != 4)
    return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: expected 4 numbers 'px py pz E', got %zu",
                         t->s->path, t->l->number, nt);
  int bad = -1;
  for (int k = 0; k < 4 && bad < 0; k++)
    if (!parse_double (tok[k], &v[k]))
      bad = k;
  if (bad >= 0)
    {
      char got[64];
      copy_token (got, sizeof got, tok[bad]);
      return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: '%s' is not a number (expected 4 "
                           "numbers 'px py pz E')", t->s->path, t->l->number, got);
    }
  int rc = buf_push (&t->b, jx_p4 (v[3], v[0], v[1], v[2]), err);
  if (rc == 0 && t->b.n == t->n_declared)
    t->state = WANT_J;
  return rc;
}

/* One line; a jet whose particles are all read goes to the sink. */
static int
text_line (TextReader *t, char **tok, size_t nt, JxError *err)
{
  int rc;
  if (t->state == WANT_P && strcmp (tok[0], "J") == 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: jet %zu (line %zu) declares N %zu but "
                         "has only %zu particle lines before this 'J' line", t->s->path,
                         t->l->number, t->jet_id, t->j_line, t->n_declared, t->b.n);
  if (t->state == WANT_J)
    rc = text_jet_line (t, tok, nt, err);
  else if (t->state == WANT_N)
    rc = text_count_line (t, tok, nt, err);
  else
    rc = text_particle_line (t, tok, nt, err);
  if (rc != 0)
    return rc;
  if (t->state == WANT_J && t->j_line > 0
      && (t->n_line == t->l->number || t->b.n == t->n_declared))
    {
      char where[JX_PATH_MAX + 32];
      snprintf (where, sizeof where, "%s:%zu", t->s->path, t->j_line);
      if ((rc = jx_import_sink_jet (t->s, t->b.p, t->b.n, t->jet_id, where, err)) != 0)
        return rc;
      t->j_line = 0;
    }
  return 0;
}

static int
import_text (JxImportSink *s, JxProgress *progress, JxError *err)
{
  Lines l;
  int rc = lines_open (&l, s->path, progress, "importing jets", err);
  if (rc != 0)
    return rc;
  TextReader t = { .s = s, .l = &l, .state = WANT_J };
  char *tok[5];
  while (!jx_import_sink_full (s) && (rc = lines_next (&l, s->path, err)) == 1)
    {
      size_t nt = split (l.line, tok, 5);
      if (nt > 0 && (rc = text_line (&t, tok, nt, err)) != 0)
        break;
    }
  if (rc == 0 && t.state == WANT_N)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: file ends after 'J %zu' without its 'N' line",
                       s->path, l.number, t.jet_id);
  if (rc == 0 && t.state == WANT_P)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: file ends inside jet %zu: N %zu declared on "
                       "line %zu, %zu particle lines found (truncated file?)", s->path, l.number,
                       t.jet_id, t.n_declared, t.n_line, t.b.n);
  free (t.b.p);
  lines_close (&l);
  return rc;
}

/* ---- HepMC ASCII ----------------------------------------------------------------------- */

typedef struct {
  Buf fs;             /* final-state particles of the current event */
  long event;         /* its number from the E line */
  size_t e_line;      /* 0: no event open */
  double unit;        /* to GeV */
  double weight;      /* the event's first weight (W line), 1 without one */
  JxClusterWork *work;
  JxP4 *hemi;         /* scratch for two hemisphere jets */
  int *assign;
  size_t scratch_cap;
} Event;

static int
flush_event (JxImportSink *s, Event *ev, JxError *err)
{
  if (ev->e_line == 0)
    return 0;
  s->stats->n_events++;
  char where[JX_PATH_MAX + 64];
  snprintf (where, sizeof where, "%s:%zu: event %ld", s->path, ev->e_line, ev->event);
  size_t n = ev->fs.n;
  ev->e_line = 0;
  /* Once one event carries a weight, every jet gets one (1 for events without). */
  if (ev->weight != 1.0)
    s->weighted = true;
  s->weight = ev->weight;
  if (n == 0)
    {
      JxError e;
      jx_error_set (&e, JX_ERR_INVALID, "%s has no final-state particles (status 1)", where);
      if (!s->opt->skip_bad)
        {
          *err = e;
          return e.code;
        }
      if (s->stats->n_skipped++ == 0)
        snprintf (s->stats->first_skipped, sizeof s->stats->first_skipped, "%s", e.message);
      return 0;
    }
  if (s->opt->no_hemispheres || n == 1)
    return jx_import_sink_jet (s, ev->fs.p, n, s->n_input, where, err);
  if (n > ev->scratch_cap)
    {
      free (ev->hemi);
      free (ev->assign);
      ev->hemi = malloc (n * sizeof *ev->hemi);
      ev->assign = malloc (n * sizeof *ev->assign);
      ev->scratch_cap = n;
      if (ev->hemi == NULL || ev->assign == NULL)
        {
          ev->scratch_cap = 0;
          return jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory clustering %zu particles",
                               where, n);
        }
    }
  JxP4 jets[2];
  int rc = jx_durham_exclusive (ev->fs.p, n, 2, jets, ev->assign, ev->work);
  if (rc != 0)
    return jx_error_set (err, rc, "%s: Durham clustering failed (%s)", where,
                         jx_status_name (rc));
  /* Harder hemisphere first; a tie keeps the clustering's order. */
  int first = jets[1].E > jets[0].E ? 1 : 0;
  for (int h = 0; h < 2; h++)
    {
      int want = h == 0 ? first : 1 - first;
      size_t m = 0;
      for (size_t i = 0; i < n; i++)
        if (ev->assign[i] == want)
          ev->hemi[m++] = ev->fs.p[i];
      char hwhere[JX_PATH_MAX + 96];
      snprintf (hwhere, sizeof hwhere, "%s, hemisphere %d", where, h);
      if (m > 0 && !jx_import_sink_full (s) && (rc = jx_import_sink_jet (s, ev->hemi, m, s->n_input, hwhere, err)) != 0)
        return rc;
    }
  return 0;
}

static bool
is_neutrino (long pid)
{
  long a = labs (pid);
  return a == 12 || a == 14 || a == 16;
}

/* The file being read: its current event, its format version and whether any event began. */
typedef struct {
  JxImportSink *s;
  const Lines *l;
  Event ev;
  int version;        /* 2: IO_GenEvent, 3: Asciiv3 (the default) */
  bool seen_event;
} Hepmc;

/* "HepMC::..." lines: the version, and the end of the listing closes the open event. */
static int
hepmc_header (Hepmc *h, JxError *err)
{
  const char *line = h->l->line;
  if (strstr (line, "IO_GenEvent") != NULL)
    h->version = 2;
  else if (strstr (line, "Asciiv3") != NULL)
    h->version = 3;
  if (strstr (line, "END_EVENT_LISTING") != NULL)
    return flush_event (h->s, &h->ev, err);
  return 0;
}

/* E: closes the open event and opens the next one, unless the sink is full. */
static int
hepmc_event (Hepmc *h, char **tok, size_t nt, JxError *err)
{
  Event *ev = &h->ev;
  int rc = flush_event (h->s, ev, err);
  if (rc != 0 || jx_import_sink_full (h->s))
    return rc;
  if (nt < 2 || !parse_long (tok[1], &ev->event))
    return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: event line needs an event number "
                         "('E <number> ...')", h->s->path, h->l->number);
  ev->e_line = h->l->number;
  ev->fs.n = 0;
  h->seen_event = true;
  /* HepMC3 writes units per event; an event without a U line is in GeV. */
  ev->unit = 1.0;
  ev->weight = 1.0;
  return 0;
}

/* U: the event's momentum unit. */
static int
hepmc_unit (Hepmc *h, char **tok, size_t nt, JxError *err)
{
  if (nt < 2 || (strcasecmp (tok[1], "GEV") != 0 && strcasecmp (tok[1], "MEV") != 0))
    {
      char got[64];
      copy_token (got, sizeof got, nt >= 2 ? tok[1] : "");
      return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: unknown momentum unit '%s' "
                           "(expected GEV or MEV)", h->s->path, h->l->number, got);
    }
  h->ev.unit = strcasecmp (tok[1], "MEV") == 0 ? 1e-3 : 1.0;
  return 0;
}

/* W inside an event lists its weights; the first is the nominal one. (Before the first
 * event, W lists the weight names: not called then.) */
static int
hepmc_weight (Hepmc *h, char **tok, size_t nt, JxError *err)
{
  if (nt < 2 || !parse_double (tok[1], &h->ev.weight) || !isfinite (h->ev.weight))
    return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: event weight line needs a finite "
                         "number ('W <weight> ...')", h->s->path, h->l->number);
  return 0;
}

/* P: a particle; final-state ones (status 1, neutrinos unless kept) join the open event. */
static int
hepmc_particle (Hepmc *h, char **tok, size_t nt, JxError *err)
{
  JxImportSink *s = h->s;
  if (h->ev.e_line == 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: particle line before the first "
                         "event line 'E'%s", s->path, h->l->number,
                         h->seen_event ? " (after the end of the listing)" : "");
  /* v3: P id parent pid px py pz e m status; v2: P barcode pid px py pz e m status ... */
  size_t first = h->version == 3 ? 4 : 3, need = h->version == 3 ? 10 : 9;
  if (nt < need)
    return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: particle line has %zu fields, "
                         "expected %s", s->path, h->l->number, nt,
                         h->version == 3 ? "10: 'P id parent pid px py pz e m status'"
                                         : "at least 9: 'P barcode pid px py pz e m status'");
  long status, pid;
  double v[4];
  const char *bad = NULL;
  if (!parse_long (tok[need - 1], &status))
    bad = tok[need - 1];
  else if (!parse_long (tok[first - 1], &pid))
    bad = tok[first - 1];
  for (int k = 0; k < 4 && bad == NULL; k++)
    if (!parse_double (tok[first + k], &v[k]))
      bad = tok[first + k];
  if (bad != NULL)
    {
      char got[64];
      copy_token (got, sizeof got, bad);
      return jx_error_set (err, JX_ERR_FORMAT, "%s:%zu: '%s' is not a number in the "
                           "particle line", s->path, h->l->number, got);
    }
  if (status == 1 && (s->opt->keep_neutrinos || !is_neutrino (pid)))
    {
      double unit = h->ev.unit;
      JxP4 p = jx_p4 (v[3] * unit, v[0] * unit, v[1] * unit, v[2] * unit);
      return buf_push (&h->ev.fs, p, err);
    }
  return 0;
}

/* One line of the listing. */
static int
hepmc_line (Hepmc *h, JxError *err)
{
  if (strncmp (h->l->line, "HepMC::", 7) == 0)
    return hepmc_header (h, err);
  char *tok[12];
  size_t nt = split (h->l->line, tok, 12);
  if (nt == 0)
    return 0;
  if (strcmp (tok[0], "E") == 0)
    return hepmc_event (h, tok, nt, err);
  if (strcmp (tok[0], "U") == 0)
    return hepmc_unit (h, tok, nt, err);
  if (strcmp (tok[0], "W") == 0 && h->ev.e_line != 0)
    return hepmc_weight (h, tok, nt, err);
  if (strcmp (tok[0], "P") == 0)
    return hepmc_particle (h, tok, nt, err);
  /* V, W, A, T, N, C, F, H, ... carry nothing the jets need. */
  return 0;
}

static int
import_hepmc (JxImportSink *s, JxProgress *progress, JxError *err)
{
  Lines l;
  int rc = lines_open (&l, s->path, progress, "importing events", err);
  if (rc != 0)
    return rc;
  Hepmc h = { .s = s, .l = &l, .ev = { .unit = 1.0 }, .version = 3 };
  h.ev.work = jx_cluster_work_new ();
  if (h.ev.work == NULL)
    {
      lines_close (&l);
      return jx_error_set (err, JX_ERR_NOMEM, "out of memory");
    }
  while (!jx_import_sink_full (s) && (rc = lines_next (&l, s->path, err)) == 1)
    if ((rc = hepmc_line (&h, err)) != 0)
      break;
  if (rc == 0)
    rc = flush_event (s, &h.ev, err);
  if (rc == 0 && !h.seen_event)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: no events found (no 'E' lines); is this a "
                       "HepMC3 ASCII file?", s->path);
  free (h.ev.fs.p);
  free (h.ev.hemi);
  free (h.ev.assign);
  jx_cluster_work_free (h.ev.work);
  lines_close (&l);
  return rc;
}

/* ---- zero-padded arrays in HDF5 --------------------------------------------------------- */

enum { COL_E, COL_PX, COL_PY, COL_PZ, COL_PT, COL_ETA, COL_Y, COL_PHI, COL_M, COL_NONE };

typedef struct {
  int role[4];     /* the quantity in each column */
  int index[10];   /* the column holding each quantity, −1 if none */
  bool cartesian;
} Columns;

static int
parse_columns (const char *spec, Columns *c, JxError *err)
{
  static const struct {
    const char *name;
    int role;
  } names[] = {
    { "E", COL_E }, { "energy", COL_E }, { "e", COL_E }, { "px", COL_PX }, { "py", COL_PY },
    { "pz", COL_PZ }, { "pt", COL_PT }, { "eta", COL_ETA }, { "y", COL_Y }, { "rapidity", COL_Y },
    { "phi", COL_PHI }, { "m", COL_M }, { "mass", COL_M }, { "pid", COL_NONE }, { "_", COL_NONE },
  };
  char buf[128];
  snprintf (buf, sizeof buf, "%s", spec != NULL ? spec : "E,px,py,pz");
  char *tok[5];
  size_t nt = split (buf, tok, 5);
  for (int i = 0; i < 10; i++)
    c->index[i] = -1;
  c->cartesian = false;
  bool ok = nt == 4;
  for (size_t k = 0; ok && k < 4; k++)
    {
      int role = -1;
      for (size_t i = 0; i < sizeof names / sizeof names[0] && role < 0; i++)
        if (strcasecmp (tok[k], names[i].name) == 0)
          role = names[i].role;
      if (role < 0 || (role != COL_NONE && c->index[role] >= 0))
        ok = false;
      else
        {
          c->role[k] = role;
          if (role != COL_NONE)
            c->index[role] = (int) k;
        }
    }
  if (ok)
    {
      c->cartesian = c->index[COL_E] >= 0 && c->index[COL_PX] >= 0 && c->index[COL_PY] >= 0
                     && c->index[COL_PZ] >= 0;
      bool polar = c->index[COL_PT] >= 0 && c->index[COL_PHI] >= 0
                   && (c->index[COL_ETA] >= 0) != (c->index[COL_Y] >= 0);
      ok = c->cartesian || polar;
    }
  if (!ok)
    return jx_error_set (err, JX_ERR_INVALID, "column order '%s' must name 4 columns: a "
                         "permutation of E,px,py,pz, or pt, eta (or y), phi and m (or pid/_ for "
                         "massless) in any order", spec != NULL ? spec : "");
  return 0;
}

static JxP4
convert_row (const Columns *c, const double *v)
{
  if (c->cartesian)
    return jx_p4 (v[c->index[COL_E]], v[c->index[COL_PX]], v[c->index[COL_PY]],
                  v[c->index[COL_PZ]]);
  double pt = v[c->index[COL_PT]], phi = v[c->index[COL_PHI]];
  double m = c->index[COL_M] >= 0 ? v[c->index[COL_M]] : 0.0;
  if (c->index[COL_ETA] < 0)
    return jx_import_from_pt_y_phi (pt, v[c->index[COL_Y]], phi, m);
  double eta = v[c->index[COL_ETA]], p = pt * cosh (eta);
  return jx_p4 (sqrt (p * p + m * m), pt * cos (phi), pt * sin (phi), pt * sinh (eta));
}

/* The datasets of shape [N, M, 4] that a walk of the file found. */
typedef struct {
  char found[3][JX_H5_WALK_PATH_MAX];  /* the first ones' paths */
  size_t n_found;
  JxError damage;  /* the first dataset whose shape could not be trusted */
  bool damaged;
} FindArrays;

static int
find_array (hid_t parent, const char *name, const char *path, void *user)
{
  FindArrays *fa = user;
  hid_t d = H5Dopen2 (parent, name, H5P_DEFAULT);
  if (d < 0)
    return 0;
  int rank;
  hsize_t dims[4];
  JxError why;
  if (jx_h5_shape (d, 4, &rank, dims, NULL, &why) != 0)
    {
      if (!fa->damaged)
        fa->damage = why;
      fa->damaged = true;
    }
  else if (rank == 3 && dims[2] == 4)
    {
      if (fa->n_found < 3)
        snprintf (fa->found[fa->n_found], sizeof fa->found[0], "%s", path);
      fa->n_found++;
    }
  H5Dclose (d);
  return 0;
}

/* Labels [n] (integers, or floats with integral values like EnergyFlow's y) → *out. */
static int
read_labels (hid_t file, const char *path, const char *name, size_t n, int32_t **out,
             JxError *err)
{
  *out = NULL;
  if (!jx_h5_exists (file, name[0] == '/' && name[1] != '\0' ? name + 1 : name))
    return jx_error_set (err, JX_ERR_INVALID, "%s: no dataset '%s' for the labels", path, name);
  hid_t d = H5Dopen2 (file, name, H5P_DEFAULT);
  int rank = 0;
  hsize_t dims[2];
  H5T_class_t cls;
  int rc = d < 0 ? jx_error_set (err, JX_ERR_FORMAT, "cannot open '%s'", name)
                 : jx_h5_shape (d, 2, &rank, dims, &cls, err);
  if (rc == 0 && (rank != 1 || dims[0] != n || (cls != H5T_INTEGER && cls != H5T_FLOAT)))
    rc = jx_error_set (err, JX_ERR_FORMAT, "labels '%s' must be %zu numbers (one per jet)",
                       name, n);
  double *v = NULL;
  int32_t *l = NULL;
  if (rc == 0 && n > 0 && ((v = malloc ((n > 0 ? n : 1) * sizeof *v)) == NULL
                  || (l = malloc ((n > 0 ? n : 1) * sizeof *l)) == NULL))
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory reading labels");
  if (rc == 0)
    rc = jx_h5_read_rows (d, H5T_NATIVE_DOUBLE, 0, n, v, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    {
      if (!(v[i] == floor (v[i])) || fabs (v[i]) > 2147483647.0)
        rc = jx_error_set (err, JX_ERR_FORMAT, "label %zu in '%s' is %g, not an integer", i,
                           name, v[i]);
      else
        l[i] = (int32_t) v[i];
    }
  free (v);
  if (d >= 0)
    H5Dclose (d);
  if (rc != 0)
    {
      free (l);
      if (strncmp (err->message, path, strlen (path)) != 0)
        jx_error_prefix (err, "%s: ", path);
      return rc;
    }
  *out = l;
  return 0;
}

static int
import_array_file (JxImportSink *s, hid_t file, const Columns *cols, JxProgress *progress,
                   char *array_name, size_t name_cap, JxError *err)
{
  const char *path = s->path;
  if (s->opt->array_path == NULL)
    {
      FindArrays fa = { .n_found = 0 };
      JxH5Walk how;
      jx_h5_walk_datasets (file, find_array, &fa, &how);
      if (how.out_of_memory)
        return jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory while searching the file "
                             "for its [N, M, 4] array (%zu objects visited)", path, how.n_seen);
      if (how.cycle)
        return jx_error_set (err, JX_ERR_FORMAT, "%s: HDF5 file is damaged: its groups link "
                             "back into themselves (an object reached twice)", path);
      /* A damaged dataset may be the array the user meant: say what is wrong with it. */
      if (fa.n_found == 0 && fa.damaged)
        return jx_error_set (err, fa.damage.code, "%s: no readable [N, M, 4] array; %s", path,
                             fa.damage.message);
      if (fa.n_found == 0 && how.unreadable)
        return jx_error_set (err, JX_ERR_FORMAT, "%s: HDF5 file is damaged: its groups cannot "
                             "be read%s%s%s", path, how.detail[0] ? " (HDF5: " : "", how.detail,
                             how.detail[0] ? ")" : "");
      char unsearched[96] = "";
      if (how.too_deep)
        snprintf (unsearched, sizeof unsearched, " (the search stops %d groups deep)",
                  JX_H5_WALK_MAX_DEPTH);
      else if (how.too_long)
        snprintf (unsearched, sizeof unsearched, " (paths of %d bytes or more were not "
                  "searched)", JX_H5_WALK_PATH_MAX);
      if (fa.n_found == 0)
        return jx_error_set (err, JX_ERR_FORMAT, "%s: no [N, M, 4] array in this file%s; name "
                             "the dataset that holds the jets", path, unsearched);
      if (fa.n_found > 1)
        return jx_error_set (err, JX_ERR_INVALID, "%s: %zu arrays of shape [N, M, 4] ('%s', "
                             "'%s'%s); name the one to import", path, fa.n_found, fa.found[0],
                             fa.found[1], fa.n_found > 2 ? ", ..." : "");
      snprintf (array_name, name_cap, "%s", fa.found[0]);
    }
  else if (strlen (s->opt->array_path) >= name_cap)
    return jx_error_set (err, JX_ERR_INVALID, "%s: dataset name of %zu bytes; at most %zu are "
                         "accepted", path, strlen (s->opt->array_path), name_cap - 1);
  else
    snprintf (array_name, name_cap, "%s", s->opt->array_path);
  const char *name = array_name;
  if (!jx_h5_exists (file, name[0] == '/' && name[1] != '\0' ? name + 1 : name))
    return jx_error_set (err, JX_ERR_INVALID, "%s: no dataset '%s' in this file", path, name);
  hid_t d = H5Dopen2 (file, name, H5P_DEFAULT);
  if (d < 0)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: '%s' is not a dataset", path, name);
  int rank;
  hsize_t dims[4] = { 0, 0, 0, 0 };
  H5T_class_t cls;
  int rc = jx_h5_shape (d, 4, &rank, dims, &cls, err);
  if (rc == 0 && (rank != 3 || dims[2] != 4))
    {
      char shape[96] = "[";
      for (int k = 0; k < rank; k++)
        snprintf (shape + strlen (shape), sizeof shape - strlen (shape), "%s%llu",
                  k > 0 ? ", " : "", (unsigned long long) dims[k]);
      strcat (shape, "]");
      rc = jx_error_set (err, JX_ERR_FORMAT, "%s: '%s' has shape %s, expected [N, M, 4] (jets, "
                         "particles, 4 columns)", path, name, shape);
    }
  else if (rc == 0 && cls != H5T_FLOAT && cls != H5T_INTEGER)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: '%s' does not hold numbers", path, name);
  /* Rows of no particles are jets of nothing; and a crafted header can declare billions of
   * them at no cost in storage, which --skip-bad would otherwise walk one by one. */
  else if (rc == 0 && dims[1] == 0 && dims[0] > 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: '%s' has shape [%llu, 0, 4]: no particles in "
                       "any jet", path, name, (unsigned long long) dims[0]);
  else if (rc != 0)
    jx_error_prefix (err, "%s: '%s': ", path, name);
  size_t n = (size_t) dims[0], m = (size_t) dims[1];
  /* Labels first, so each kept jet takes its own (skipped jets and max_jets stay aligned). */
  int32_t *labels = NULL;
  if (rc == 0 && s->opt->label_path != NULL)
    rc = read_labels (file, path, s->opt->label_path, n, &labels, err);
  /* Blocks of ~4 MiB of doubles. Only when there are rows: [0, M, 4] holds nothing whatever
   * M says, and a crafted M of 5.6e15 made this ask malloc for 1.8e17 bytes (fuzz-top-tagging). */
  size_t block = m > 0 ? (131072 + m - 1) / m : 1;
  double *v = NULL;
  JxP4 *jet = NULL;
  if (rc == 0 && n > 0 && ((v = malloc (block * (m > 0 ? m : 1) * 4 * sizeof *v)) == NULL
                  || (jet = malloc ((m > 0 ? m : 1) * sizeof *jet)) == NULL))
    rc = jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory for jets of %zu particles", path, m);
  char where[JX_PATH_MAX + 300];
  for (size_t r = 0; rc == 0 && r < n && !jx_import_sink_full (s); r += block)
    {
      if (jx_progress_cancelled (progress))
        {
          rc = jx_error_set (err, JX_ERR_CANCELLED, "%s: import cancelled", path);
          break;
        }
      size_t nb = n - r < block ? n - r : block;
      if ((rc = jx_h5_read_rows (d, H5T_NATIVE_DOUBLE, r, nb, v, err)) != 0)
        {
          jx_error_prefix (err, "%s: ", path);
          break;
        }
      for (size_t i = 0; rc == 0 && i < nb && !jx_import_sink_full (s); i++)
        {
          size_t k = 0;
          for (size_t j = 0; j < m; j++)
            {
              const double *row = v + (i * m + j) * 4;
              if (row[0] == 0 && row[1] == 0 && row[2] == 0 && row[3] == 0)
                s->stats->n_padding++;
              else
                jet[k++] = convert_row (cols, row);
            }
          snprintf (where, sizeof where, "%s: '%s' row %zu", path, name, r + i);
          s->labeled = labels != NULL;
          s->label = labels != NULL ? labels[r + i] : 0;
          rc = jx_import_sink_jet (s, jet, k, r + i, where, err);
        }
      jx_progress_report (progress, (double) (r + nb), (double) n, "importing jets");
    }
  free (v);
  free (jet);
  free (labels);
  H5Dclose (d);
  return rc;
}

static int
import_array (JxImportSink *s, JxProgress *progress, char *array_name, size_t name_cap, JxError *err)
{
  Columns cols;
  if (parse_columns (s->opt->columns, &cols, err) != 0)
    return JX_ERR_INVALID;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (s->path, err);
  int rc = file < 0 ? (int) file
                    : import_array_file (s, file, &cols, progress, array_name, name_cap, err);
  if (file >= 0)
    H5Fclose (file);
  jx_h5_quiet_end (&quiet);
  return rc;
}

/* ---- detection and the entry point ------------------------------------------------------ */

/* Which of the HDF5 layouts: the datasets' signature objects decide; anything else (also a
 * file HDF5 cannot open: the array reader names the damage) is a plain array. */
static JxImportFormat
detect_hdf5 (const char *path)
{
  hid_t file = jx_h5_open_untrusted (path);
  if (file < 0)
    return JX_IMPORT_ARRAY;
  JxImportFormat format = JX_IMPORT_ARRAY;
  if (jx_import_is_top_tagging (file))
    format = JX_IMPORT_TOP_TAGGING;
  else if (jx_import_is_jetnet (file))
    format = JX_IMPORT_JETNET;
  H5Fclose (file);
  return format;
}

int
jx_import_detect (const char *path, JxImportFormat *out, JxError *err)
{
  struct stat st;
  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    return jx_error_set (err, JX_ERR_IO, "%s: is a directory, expected a file", path);
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    return jx_error_set (err, JX_ERR_IO, "%s: cannot open: %s", path, strerror (errno));
  char head[4096];
  size_t n = fread (head, 1, sizeof head - 1, f);
  fclose (f);
  head[n] = '\0';
  static const char sig[8] = "\x89HDF\r\n\x1a\n";
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  /* The signature may also follow a user block. */
  bool is_h5 = (n >= 8 && memcmp (head, sig, 8) == 0) || H5Fis_hdf5 (path) > 0;
  if (is_h5)
    *out = detect_hdf5 (path);
  jx_h5_quiet_end (&quiet);
  if (is_h5)
    return 0;
  /* A zip (local file header, or the end record of an empty one): EnergyFlow's .npz. */
  if (n >= 4 && (memcmp (head, "PK\x03\x04", 4) == 0 || memcmp (head, "PK\x05\x06", 4) == 0))
    {
      *out = JX_IMPORT_ENERGYFLOW;
      return 0;
    }
  const char *c = head;
  if (n >= 3 && memcmp (c, "\xef\xbb\xbf", 3) == 0)  /* a UTF-8 byte order mark */
    c += 3;
  while (isspace ((unsigned char) *c))
    c++;
  if (*c == '{')
    {
      *out = JX_IMPORT_JUNIPR_JSON;
      return 0;
    }
  char *save = NULL;
  for (char *line = strtok_r (head, "\n", &save); line != NULL; line = strtok_r (NULL, "\n", &save))
    {
      while (isspace ((unsigned char) *line))
        line++;
      if (*line == '\0' || *line == '#')
        continue;
      if (strncmp (line, "HepMC::", 7) == 0 || (line[0] == 'E' && isspace ((unsigned char) line[1])))
        *out = JX_IMPORT_HEPMC3;
      else if (line[0] == 'J' && isspace ((unsigned char) line[1]))
        *out = JX_IMPORT_TEXT;
      else
        break;
      return 0;
    }
  return jx_error_set (err, JX_ERR_FORMAT, "%s: cannot tell the file format from its start "
                       "(expected 'J <index>' lines, a HepMC header, JSON, a .npz zip or HDF5); "
                       "name the format with --format", path);
}

bool
jx_import_recognizes (const char *path)
{
  JxImportFormat format;
  JxError ignored;
  if (jx_import_detect (path, &format, &ignored) != 0)
    return false;
  if (format != JX_IMPORT_ARRAY)
    return true;
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_untrusted (path);
  FindArrays fa = { .n_found = 0 };
  JxH5Walk how = { .n_seen = 0 };
  if (file >= 0)
    {
      jx_h5_walk_datasets (file, find_array, &fa, &how);
      H5Fclose (file);
    }
  jx_h5_quiet_end (&quiet);
  return fa.n_found == 1 && !how.cycle && !how.out_of_memory;
}

/* The reader of s's format (detected when asked) into s, then the attributes saying where
 * the jets came from on s->ds. */
static int
import_into (JxImportSink *s, JxProgress *progress, JxError *err)
{
  const char *path = s->path;
  const JxImportOptions *options = s->opt;
  JxImportStats *stats = s->stats;
  JxDataset *ds = s->ds;
  if (path == NULL || path[0] == '\0')
    return jx_error_set (err, JX_ERR_INVALID, "no input file given");
  JxImportFormat format = options->format;
  int rc = 0;
  if (format == JX_IMPORT_AUTO)
    rc = jx_import_detect (path, &format, err);
  stats->format = format;
  char array_name[JX_H5_WALK_PATH_MAX] = "";
  if (rc == 0)
    switch (format)
      {
      case JX_IMPORT_TEXT:
        rc = import_text (s, progress, err);
        break;
      case JX_IMPORT_HEPMC3:
        rc = import_hepmc (s, progress, err);
        break;
      case JX_IMPORT_ARRAY:
        rc = import_array (s, progress, array_name, sizeof array_name, err);
        break;
      case JX_IMPORT_JUNIPR_JSON:
        rc = jx_import_junipr_json (s, progress, err);
        break;
      case JX_IMPORT_TOP_TAGGING:
        rc = jx_import_top_tagging (s, progress, err);
        break;
      case JX_IMPORT_JETNET:
        rc = jx_import_jetnet (s, progress, err);
        break;
      case JX_IMPORT_ENERGYFLOW:
        rc = jx_import_energyflow (s, progress, err);
        break;
      default:
        rc = jx_error_set (err, JX_ERR_INVALID, "unknown import format %d", (int) format);
      }
  if (rc == 0 && stats->n_jets == 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: no valid jets found%s%s", path,
                       stats->n_skipped > 0 ? "; the first one dropped: " : "",
                       stats->n_skipped > 0 ? stats->first_skipped : "");
  if (rc == 0)
    {
      rc = jx_dataset_set_attr (ds, "source", "import", err);
      if (rc == 0)
        rc = jx_dataset_set_attr (ds, "import_file", path, err);
      if (rc == 0)
        rc = jx_dataset_set_attr (ds, "import_format", jx_import_format_name (format), err);
      if (rc == 0 && format == JX_IMPORT_ARRAY)
        {
          rc = jx_dataset_set_attr (ds, "import_array", array_name, err);
          if (rc == 0)
            rc = jx_dataset_set_attr (ds, "import_columns",
                                      options->columns ? options->columns : "E,px,py,pz", err);
          if (rc == 0 && options->label_path != NULL)
            rc = jx_dataset_set_attr (ds, "import_labels", options->label_path, err);
        }
      if (rc == 0 && format == JX_IMPORT_HEPMC3)
        rc = jx_dataset_set_attr (ds, "import_jets", options->no_hemispheres
                                  ? "events" : "hemispheres (exclusive Durham, 2 jets)", err);
      if (rc == 0 && format == JX_IMPORT_HEPMC3 && s->any_weights)
        rc = jx_dataset_set_attr (ds, "import_weights", "HepMC event weight (first W value)",
                                  err);
      if (rc == 0 && format == JX_IMPORT_HEPMC3)
        rc = jx_dataset_set_attr (ds, "import_neutrinos",
                                  options->keep_neutrinos ? "kept" : "dropped", err);
    }
  return rc;
}

/* A sink into ds (initialized here) with options (the defaults, kept in *defaults, when NULL)
 * and stats (zeroed; *local when NULL). */
static JxImportSink
sink_begin (JxDataset *ds, const char *path, const JxImportOptions *options,
            JxImportOptions *defaults, JxImportStats *stats, JxImportStats *local)
{
  if (options == NULL)
    {
      jx_import_options_init (defaults);
      options = defaults;
    }
  if (stats == NULL)
    stats = local;
  memset (stats, 0, sizeof *stats);
  jx_dataset_init (ds);
  return (JxImportSink) { .ds = ds, .opt = options, .stats = stats, .path = path };
}

int
jx_import (JxDataset *ds, const char *path, const JxImportOptions *options,
           JxImportStats *stats, JxProgress *progress, JxError *err)
{
  JxImportOptions defaults;
  JxImportStats local;
  JxImportSink s = sink_begin (ds, path, options, &defaults, stats, &local);
  int rc = import_into (&s, progress, err);
  if (rc != 0)
    jx_dataset_free (ds);
  return rc;
}

int
jx_import_write (const char *path, const char *out_path, const JxImportOptions *options,
                 size_t part_jets, JxImportStats *stats, JxProgress *progress, JxError *err)
{
  JxImportOptions defaults;
  JxImportStats local;
  JxDataset part;
  JxImportSink s = sink_begin (&part, path, options, &defaults, stats, &local);
  s.part_jets = part_jets > 0 ? part_jets : 16384;
  s.writer = jx_dataset_writer_begin (out_path, err);
  if (s.writer == NULL)
    return err->code != 0 ? err->code : JX_ERR_IO;
  int rc = import_into (&s, progress, err);
  if (rc == 0)
    rc = jx_dataset_writer_append (s.writer, &part, err);   /* the last part */
  if (rc == 0 && jx_progress_cancelled (progress))
    rc = jx_error_set (err, JX_ERR_CANCELLED, "%s: import cancelled", path);
  if (rc == 0)
    rc = jx_dataset_writer_commit (s.writer, &part, err);
  else
    jx_dataset_writer_abort (s.writer);
  jx_dataset_free (&part);
  return rc;
}

/* ---- export to the text format --------------------------------------------------------- */

typedef struct {
  FILE *f;
  const char *path;
} TextWriter;

/* Rows [lo, hi) of ds, jets ds->first_jet + lo ... of the file; progress counts from lo. */
static int
text_rows (void *user, const JxDataset *ds, size_t lo, size_t hi, JxProgress *progress,
           JxError *err)
{
  TextWriter *w = user;
  for (size_t r = lo; r < hi; r++)
    {
      if ((r - lo) % 1024 == 0)
        {
          if (jx_progress_cancelled (progress))
            return jx_error_set (err, JX_ERR_CANCELLED, "%s: export cancelled, no file written",
                                 w->path);
          jx_progress_report (progress, (double) (r - lo), (double) (hi - lo), "exporting jets");
        }
      size_t n = jx_dataset_jet_size (ds, r);
      const JxP4 *p = jx_dataset_jet (ds, r);
      fprintf (w->f, "J %zu\nN %zu\n", ds->first_jet + r, n);
      for (size_t k = 0; k < n; k++)
        fprintf (w->f, "%.17g %.17g %.17g %.17g\n", p[k].px, p[k].py, p[k].pz, p[k].E);
    }
  return 0;
}

/* Jets [0, n_jets) of ds, or of stream (chunk by chunk) when ds is NULL, as text to path. */
static int
export_text (const JxDataset *ds, JxDatasetStream *stream, size_t n_jets, const char *path,
             JxProgress *progress, JxError *err)
{
  JxAtomicFile af;
  FILE *f = jx_atomic_open_stream (&af, path, err);
  if (f == NULL)
    return err->code;
  TextWriter w = { f, path };
  int rc = ds != NULL ? text_rows (&w, ds, 0, n_jets, progress, err)
                      : jx_dataset_stream_walk (stream, 0, n_jets, text_rows, &w,
                                                "exporting jets", progress, err);
  if (rc == JX_ERR_CANCELLED)   /* also when the walk saw it between chunks */
    jx_error_set (err, rc, "%s: export cancelled, no file written", path);
  return jx_atomic_close_stream (&af, f, rc, err);
}

int
jx_export_text (const JxDataset *ds, const char *path, JxProgress *progress, JxError *err)
{
  return export_text (ds, NULL, ds->n_jets, path, progress, err);
}

int
jx_export_text_stream (JxDatasetStream *s, size_t max_jets, const char *path,
                       JxProgress *progress, JxError *err)
{
  size_t n = jx_dataset_stream_info (s)->n_jets;
  return export_text (NULL, s, max_jets > 0 && max_jets < n ? max_jets : n, path, progress, err);
}
