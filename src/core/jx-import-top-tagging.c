/* jx-import-top-tagging.c — the top-tagging reference set (jx-import.h).
 *
 * The files are pandas DataFrames saved with PyTables (DataFrame.to_hdf(key="table",
 * format="table")): one compound dataset /table/table with an "index" member and one member
 * per block of columns of one dtype ("values_block_0": float32[804], "values_block_1":
 * int64[2] in the real files), the column names of block X pickled (protocol 0, PyTables'
 * choice) into the string attribute X_kind. Columns are found by name, so any block layout
 * pandas chooses works; a member that is a single column (data_columns=True) is named after
 * it. Rows are read as stored, in blocks of a few MiB, and only the needed columns decoded.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-h5.h"
#include "jx-import-private.h"

#define TABLE "/table/table"
#define LABEL_COLUMN "is_signal_new"
/* Rows per read: ~4 MiB of doubles. */
#define BLOCK_BYTES (4u << 20)

bool
jx_import_is_top_tagging (hid_t file)
{
  return jx_h5_lookup (file, "table/table") == 1;
}

/* ---- PyTables' pickled column names ------------------------------------------------------ */

typedef struct {
  char **names;
  size_t n, cap;
} Names;

static void
names_free (Names *l)
{
  for (size_t i = 0; i < l->n; i++)
    free (l->names[i]);
  free (l->names);
  memset (l, 0, sizeof *l);
}

static bool
names_push (Names *l, const char *s, size_t len)
{
  if (l->n == l->cap)
    {
      size_t cap = l->cap < 16 ? 16 : 2 * l->cap;
      char **p = realloc (l->names, cap * sizeof *p);
      if (p == NULL)
        return false;
      l->names = p;
      l->cap = cap;
    }
  char *c = malloc (len + 1);
  if (c == NULL)
    return false;
  memcpy (c, s, len);
  c[len] = '\0';
  l->names[l->n++] = c;
  return true;
}

/* A list of strings pickled with protocol 0, as PyTables stores a Python list attribute:
 * "(lp0\nVE_0\np1\naVPX_0\np2\na." (Python 3; Python 2 wrote S'E_0' instead of VE_0).
 * Opcodes: ( MARK, l LIST, V/S a string, p PUT, g GET (a memoized string again), a APPEND,
 * . STOP. Anything else is not a plain list of strings: false. */
static bool
parse_pickled_names (const char *s, Names *out)
{
  const char *last = NULL;  /* the string on top of the stack */
  size_t last_len = 0;
  bool in_list = false;
  struct { const char *s; size_t len; } memo[4096];
  size_t n_memo = sizeof memo / sizeof memo[0];
  for (size_t i = 0; i < n_memo; i++)
    memo[i].s = NULL;
  while (*s != '\0')
    {
      char op = *s++;
      const char *eol = strchr (s, '\n');
      switch (op)
        {
        case '(':
          break;
        case 'l':
          in_list = true;
          break;
        case 'V':
        case 'S':
          if (eol == NULL)
            return false;
          last = s;
          last_len = (size_t) (eol - s);
          if (op == 'S' && last_len >= 2 && (s[0] == '\'' || s[0] == '"') && s[last_len - 1] == s[0])
            {
              last++;
              last_len -= 2;
            }
          s = eol + 1;
          break;
        case 'p':
        case 'g':
          {
            if (eol == NULL)
              return false;
            char *end;
            unsigned long k = strtoul (s, &end, 10);
            if (end != eol)
              return false;
            if (op == 'p' && k < n_memo && last != NULL)
              {
                memo[k].s = last;
                memo[k].len = last_len;
              }
            if (op == 'g')
              {
                if (k >= n_memo || memo[k].s == NULL)
                  return false;
                last = memo[k].s;
                last_len = memo[k].len;
              }
            s = eol + 1;
            break;
          }
        case 'a':
          if (!in_list || last == NULL || !names_push (out, last, last_len))
            return false;
          last = NULL;
          break;
        case '.':
          return in_list && *s == '\0';
        default:
          return false;
        }
    }
  return false;
}

/* ---- the table's columns ----------------------------------------------------------------- */

/* Where one column's value sits in a row as the file stores it. Rows are read in the file's
 * own compound type (no conversion by HDF5: its compound conversion ran at ~20 MB/s) and
 * only the columns needed are decoded. */
typedef struct {
  size_t offset;   /* bytes from the row's start */
  H5T_class_t cls; /* H5T_FLOAT or H5T_INTEGER */
  size_t size;     /* bytes: 4 or 8 for floats, 1..8 for integers */
  bool is_signed, swap;
} Field;

static double
field_value (const unsigned char *row, const Field *f)
{
  unsigned char b[8];
  memcpy (b, row + f->offset, f->size);
  if (f->swap)
    for (size_t i = 0; i < f->size / 2; i++)
      {
        unsigned char t = b[i];
        b[i] = b[f->size - 1 - i];
        b[f->size - 1 - i] = t;
      }
  if (f->cls == H5T_FLOAT)
    {
      if (f->size == 4)
        {
          float x;
          memcpy (&x, b, 4);
          return x;
        }
      double x;
      memcpy (&x, b, 8);
      return x;
    }
  uint64_t u = 0;
  for (size_t i = 0; i < f->size; i++)  /* little-endian bytes after the swap above */
    u |= (uint64_t) b[jx_import_host_little_endian () ? i : f->size - 1 - i] << (8 * i);
  if (f->is_signed && f->size < 8 && (u >> (8 * f->size - 1)) & 1)
    u |= ~(uint64_t) 0 << (8 * f->size);
  return f->is_signed ? (double) (int64_t) u : (double) u;
}

/* The element type of a numeric member (or of a numeric array member): its field template. */
static bool
numeric_field (hid_t t, Field *f)
{
  H5T_class_t cls = H5Tget_class (t);
  size_t size = H5Tget_size (t);
  if (cls == H5T_FLOAT && size != 4 && size != 8)
    return false;
  if ((cls != H5T_FLOAT && cls != H5T_INTEGER) || size == 0 || size > 8)
    return false;
  H5T_order_t order = H5Tget_order (t);
  f->cls = cls;
  f->size = size;
  f->is_signed = cls == H5T_INTEGER && H5Tget_sign (t) == H5T_SGN_2;
  f->swap = (order == H5T_ORDER_BE) == jx_import_host_little_endian ();
  return order == H5T_ORDER_LE || order == H5T_ORDER_BE;
}

typedef struct {
  Names names;   /* every numeric column, in row order */
  Field *fields; /* [names.n] */
  size_t cap;
} Columns;

static int
columns_push (Columns *c, const char *name, Field f)
{
  if (c->names.n == c->cap)
    {
      size_t cap = c->cap < 64 ? 64 : 2 * c->cap;
      Field *p = realloc (c->fields, cap * sizeof *p);
      if (p == NULL)
        return JX_ERR_NOMEM;
      c->fields = p;
      c->cap = cap;
    }
  if (!names_push (&c->names, name, strlen (name)))
    return JX_ERR_NOMEM;
  c->fields[c->names.n - 1] = f;
  return 0;
}

/* The pickled names of array member `member` (attribute <member>_kind) with their fields. */
static int
block_columns (hid_t d, const char *path, const char *member, Field elem, size_t count,
               Columns *c, JxError *err)
{
  char attr[300], *kind = NULL;
  JxError ignored;
  Names names = { 0 };
  snprintf (attr, sizeof attr, "%s_kind", member);
  bool ok = jx_h5_read_string_attr (d, attr, &kind, &ignored) == 0
            && parse_pickled_names (kind, &names);
  free (kind);
  int rc = 0;
  if (!ok)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: cannot read the column names of '%s' (attribute "
                       "%s of " TABLE "); expected a pandas DataFrame saved with PyTables", path,
                       member, attr);
  else if (names.n != count)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: %s of " TABLE " names %zu columns for a block of "
                       "%zu", path, attr, names.n, count);
  for (size_t k = 0; rc == 0 && k < count; k++)
    {
      Field f = elem;
      f.offset += k * elem.size;
      if (columns_push (c, names.names[k], f) != 0)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
    }
  names_free (&names);
  return rc;
}

/* Every numeric column of the table: blocks (array members, names pickled in <member>_kind)
 * and single columns (members named after their column; "index" is pandas' row index). */
static int
read_columns (hid_t d, hid_t ftype, const char *path, Columns *c, JxError *err)
{
  int n_members = H5Tget_nmembers (ftype), rc = 0;
  for (int i = 0; i < n_members && rc == 0; i++)
    {
      char *name = H5Tget_member_name (ftype, (unsigned) i);
      hid_t mt = H5Tget_member_type (ftype, (unsigned) i);
      Field f = { .offset = H5Tget_member_offset (ftype, (unsigned) i) };
      if (H5Tget_class (mt) == H5T_ARRAY)
        {
          hid_t base = H5Tget_super (mt);
          hsize_t dims[4];
          if (H5Tget_array_ndims (mt) == 1 && H5Tget_array_dims2 (mt, dims) == 1
              && numeric_field (base, &f))
            rc = block_columns (d, path, name, f, (size_t) dims[0], c, err);
          H5Tclose (base);
        }
      else if (name != NULL && strcmp (name, "index") != 0 && numeric_field (mt, &f)
               && columns_push (c, name, f) != 0)
        rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
      H5free_memory (name);
      H5Tclose (mt);
    }
  return rc;
}

enum { C_E, C_PX, C_PY, C_PZ };

typedef struct {
  hid_t row_type;  /* the file's compound type: rows are read as stored */
  size_t row_size;
  size_t m;        /* constituents per jet (200 in the real files) */
  Field *col;      /* [m][4]: E_i, PX_i, PY_i, PZ_i */
  Field label;     /* is_signal_new */
} Layout;

static void
layout_free (Layout *L)
{
  free (L->col);
  if (L->row_type >= 0)
    H5Tclose (L->row_type);
}

/* "PX_17" → role C_PX, index 17; false for other names. */
static bool
constituent_column (const char *name, int *role, size_t *index)
{
  static const char *prefix[] = { "E_", "PX_", "PY_", "PZ_" };
  for (int r = 0; r < 4; r++)
    {
      size_t len = strlen (prefix[r]);
      if (strncmp (name, prefix[r], len) != 0 || name[len] < '0' || name[len] > '9')
        continue;
      char *end;
      unsigned long k = strtoul (name + len, &end, 10);
      if (*end != '\0' || k > 100000)
        return false;
      *role = r;
      *index = k;
      return true;
    }
  return false;
}

static int
find_layout (hid_t d, const char *path, Layout *L, JxError *err)
{
  L->col = NULL;
  L->row_type = H5Dget_type (d);
  if (L->row_type < 0 || H5Tget_class (L->row_type) != H5T_COMPOUND)
    return jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " is not a table (compound rows); "
                         "expected a pandas DataFrame saved with format='table'", path);
  L->row_size = H5Tget_size (L->row_type);
  Columns cols = { 0 };
  int rc = read_columns (d, L->row_type, path, &cols, err);
  /* Constituents: E_i, PX_i, PY_i, PZ_i for i = 0 .. m − 1. */
  size_t m = 0;
  bool have_label = false;
  for (size_t c = 0; rc == 0 && c < cols.names.n; c++)
    {
      int role;
      size_t k;
      if (constituent_column (cols.names.names[c], &role, &k) && k + 1 > m)
        m = k + 1;
      if (strcmp (cols.names.names[c], LABEL_COLUMN) == 0)
        {
          have_label = true;
          L->label = cols.fields[c];
        }
    }
  if (rc == 0 && m == 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " has no constituent columns E_0, PX_0, "
                       "PY_0, PZ_0; is this the top-tagging reference set?", path);
  if (rc == 0 && !have_label)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " has no column '" LABEL_COLUMN "'",
                       path);
  bool *seen = NULL;
  if (rc == 0 && ((L->col = malloc (m * 4 * sizeof *L->col)) == NULL
                  || (seen = calloc (m * 4, sizeof *seen)) == NULL))
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  for (size_t c = 0; rc == 0 && c < cols.names.n; c++)
    {
      int role;
      size_t k;
      if (constituent_column (cols.names.names[c], &role, &k))
        {
          L->col[4 * k + (size_t) role] = cols.fields[c];
          seen[4 * k + (size_t) role] = true;
        }
    }
  static const char *prefix[] = { "E_", "PX_", "PY_", "PZ_" };
  for (size_t i = 0; rc == 0 && i < 4 * m; i++)
    if (!seen[i])
      rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " has constituent columns up to "
                         "index %zu but no column %s%zu", path, m - 1, prefix[i % 4], i / 4);
  L->m = m;
  free (seen);
  names_free (&cols.names);
  free (cols.fields);
  return rc;
}

/* ---- rows into jets ------------------------------------------------------------------ */

static int
read_rows (JxImportSink *s, hid_t d, const Layout *L, size_t n_rows, JxProgress *progress,
           JxError *err)
{
  size_t block = BLOCK_BYTES / L->row_size;
  if (block == 0)
    block = 1;
  unsigned char *buf = malloc (block * L->row_size);
  JxP4 *jet = malloc (L->m * sizeof *jet);
  int rc = buf == NULL || jet == NULL
             ? jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory for rows of %zu bytes",
                             s->path, L->row_size)
             : 0;
  char where[JX_PATH_MAX + 64];
  for (size_t r = 0; rc == 0 && r < n_rows && !jx_import_sink_full (s); r += block)
    {
      if ((rc = jx_import_progress (s, progress, (double) r, (double) n_rows, err)) != 0)
        break;
      size_t nb = n_rows - r < block ? n_rows - r : block;
      if ((rc = jx_h5_read_rows (d, L->row_type, r, nb, buf, err)) != 0)
        {
          jx_error_prefix (err, "%s: " TABLE " rows %zu..%zu: ", s->path, r, r + nb);
          break;
        }
      for (size_t i = 0; rc == 0 && i < nb && !jx_import_sink_full (s); i++)
        {
          const unsigned char *row = buf + i * L->row_size;
          size_t k = 0;
          for (size_t c = 0; c < L->m; c++)
            {
              const Field *col = L->col + 4 * c;
              double E = field_value (row, &col[C_E]), px = field_value (row, &col[C_PX]);
              double py = field_value (row, &col[C_PY]), pz = field_value (row, &col[C_PZ]);
              if (E == 0 && px == 0 && py == 0 && pz == 0)
                s->stats->n_padding++;
              else
                jet[k++] = jx_p4 (E, px, py, pz);
            }
          snprintf (where, sizeof where, "%s: " TABLE " row %zu", s->path, r + i);
          double label = field_value (row, &L->label);
          if (!(label == floor (label)) || fabs (label) > INT32_MAX)
            {
              JxError bad;
              jx_error_set (&bad, JX_ERR_FORMAT, LABEL_COLUMN " is %g, not an integer", label);
              s->n_input++;
              rc = jx_import_sink_bad (s, &bad, where, err);
              continue;
            }
          s->labeled = true;
          s->label = (int32_t) label;
          rc = jx_import_sink_jet (s, jet, k, r + i, where, err);
        }
    }
  free (buf);
  free (jet);
  return rc;
}

int
jx_import_top_tagging (JxImportSink *s, JxProgress *progress, JxError *err)
{
  JxH5Quiet quiet;
  jx_h5_quiet_begin (&quiet);
  hid_t file = jx_h5_open_read (s->path, err);
  int rc = file < 0 ? (int) file : 0;
  hid_t d = -1;
  if (rc == 0 && !jx_import_is_top_tagging (file))
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: no table " TABLE " (the top-tagging files are "
                       "pandas DataFrames saved under the key 'table')", s->path);
  if (rc == 0 && (d = H5Dopen2 (file, TABLE, H5P_DEFAULT)) < 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " is not a dataset", s->path);
  int rank = 0;
  hsize_t dims[2] = { 0, 0 };
  if (rc == 0 && (rc = jx_h5_shape (d, 2, &rank, dims, NULL, err)) != 0)
    jx_error_prefix (err, "%s: " TABLE ": ", s->path);
  if (rc == 0 && rank != 1)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " has %d dimensions, expected a table "
                       "(1)", s->path, rank);
  Layout L = { .row_type = -1 };
  if (rc == 0)
    rc = find_layout (d, s->path, &L, err);
  if (rc == 0)
    rc = read_rows (s, d, &L, (size_t) dims[0], progress, err);
  layout_free (&L);
  if (d >= 0)
    H5Dclose (d);
  if (file >= 0)
    H5Fclose (file);
  jx_h5_quiet_end (&quiet);
  if (rc == 0)
    rc = jx_dataset_set_attr (s->ds, "import_labels", LABEL_COLUMN " (1 = top, 0 = QCD)", err);
  return rc;
}
