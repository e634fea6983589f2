/* jx-import-top-tagging.c — the top-tagging reference set (jx-import.h).
 *
 * The files are pandas DataFrames saved with PyTables (DataFrame.to_hdf(key="table",
 * format="table")): one compound dataset /table/table with an "index" member and one member
 * per block of columns of one dtype ("values_block_0": float32[804], "values_block_1":
 * int64[2] in the real files), the column names of block X pickled (protocol 0, PyTables'
 * choice) into the string attribute X_kind. Columns are found by name, so any block layout
 * pandas chooses works; a member that is a single column (data_columns=True) is named after
 * it. Rows are read in blocks of a few MiB, converted to double by HDF5.
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

enum { C_E, C_PX, C_PY, C_PZ };

typedef struct {
  size_t width;        /* doubles per row in memory */
  size_t m;            /* constituents per jet (200 in the real files) */
  size_t *col;         /* [m][4]: position of E_i, PX_i, PY_i, PZ_i in a row */
  size_t label;        /* position of is_signal_new */
  hid_t mem_type;      /* compound of the blocks as double arrays */
} Layout;

static void
layout_free (Layout *L)
{
  free (L->col);
  if (L->mem_type >= 0)
    H5Tclose (L->mem_type);
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

/* The names of all columns in memory order, and the memory type that reads them. */
static int
read_columns (hid_t d, const char *path, Names *cols, hid_t *mem_type, JxError *err)
{
  hid_t ftype = H5Dget_type (d);
  if (ftype < 0 || H5Tget_class (ftype) != H5T_COMPOUND)
    {
      if (ftype >= 0)
        H5Tclose (ftype);
      return jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " is not a table (compound rows); "
                           "expected a pandas DataFrame saved with format='table'", path);
    }
  int n_members = H5Tget_nmembers (ftype);
  /* First pass: sizes, to build the memory type in one go. */
  size_t total = 0;
  int rc = 0;
  hid_t mem = -1;
  for (int pass = 0; pass < 2 && rc == 0; pass++)
    {
      size_t at = 0;
      if (pass == 1 && (mem = H5Tcreate (H5T_COMPOUND, (total > 0 ? total : 1) * sizeof (double))) < 0)
        rc = jx_error_set (err, JX_ERR_NOMEM, "%s: cannot build the row type", path);
      for (int i = 0; i < n_members && rc == 0; i++)
        {
          char *name = H5Tget_member_name (ftype, (unsigned) i);
          hid_t mt = H5Tget_member_type (ftype, (unsigned) i);
          H5T_class_t cls = H5Tget_class (mt);
          size_t count = 0;
          bool numeric = cls == H5T_INTEGER || cls == H5T_FLOAT;
          if (cls == H5T_ARRAY)
            {
              hid_t base = H5Tget_super (mt);
              H5T_class_t bc = H5Tget_class (base);
              hsize_t dims[4];
              int rank = H5Tget_array_ndims (mt);
              if ((bc == H5T_INTEGER || bc == H5T_FLOAT) && rank == 1
                  && H5Tget_array_dims2 (mt, dims) == 1)
                count = (size_t) dims[0];
              H5Tclose (base);
            }
          else if (numeric && name != NULL && strcmp (name, "index") != 0)
            count = 1;
          if (count > 0 && pass == 0)
            total += count;
          if (count > 0 && pass == 1)
            {
              hsize_t dim = count;
              hid_t t = cls == H5T_ARRAY ? H5Tarray_create2 (H5T_NATIVE_DOUBLE, 1, &dim)
                                         : H5Tcopy (H5T_NATIVE_DOUBLE);
              if (t < 0 || H5Tinsert (mem, name, at * sizeof (double), t) < 0)
                rc = jx_error_set (err, JX_ERR_FORMAT, "%s: cannot read member '%s' of " TABLE,
                                   path, name);
              if (t >= 0)
                H5Tclose (t);
              size_t before = cols->n;
              if (rc == 0 && cls != H5T_ARRAY && !names_push (cols, name, strlen (name)))
                rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
              if (rc == 0 && cls == H5T_ARRAY)
                {
                  char attr[300], *kind = NULL;
                  JxError ignored;
                  snprintf (attr, sizeof attr, "%s_kind", name);
                  bool ok = jx_h5_read_string_attr (d, attr, &kind, &ignored) == 0
                            && parse_pickled_names (kind, cols);
                  free (kind);
                  if (!ok)
                    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: cannot read the column names of "
                                       "'%s' (attribute %s of " TABLE "); expected a pandas "
                                       "DataFrame saved with PyTables", path, name, attr);
                  else if (cols->n - before != count)
                    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: %s of " TABLE " names %zu "
                                       "columns for a block of %zu", path, attr,
                                       cols->n - before, count);
                }
              at += count;
            }
          H5free_memory (name);
          H5Tclose (mt);
        }
    }
  H5Tclose (ftype);
  if (rc != 0)
    {
      if (mem >= 0)
        H5Tclose (mem);
      return rc;
    }
  *mem_type = mem;
  return 0;
}

static int
find_layout (hid_t d, const char *path, Layout *L, JxError *err)
{
  Names cols = { 0 };
  L->mem_type = -1;
  L->col = NULL;
  int rc = read_columns (d, path, &cols, &L->mem_type, err);
  L->width = cols.n;
  /* Constituents: E_i, PX_i, PY_i, PZ_i for i = 0 .. m − 1. */
  size_t m = 0;
  bool have_label = false;
  for (size_t c = 0; rc == 0 && c < cols.n; c++)
    {
      int role;
      size_t k;
      if (constituent_column (cols.names[c], &role, &k) && k + 1 > m)
        m = k + 1;
      if (strcmp (cols.names[c], LABEL_COLUMN) == 0)
        {
          have_label = true;
          L->label = c;
        }
    }
  if (rc == 0 && m == 0)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " has no constituent columns E_0, PX_0, "
                       "PY_0, PZ_0; is this the top-tagging reference set?", path);
  if (rc == 0 && !have_label)
    rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " has no column '" LABEL_COLUMN "'",
                       path);
  if (rc == 0 && (L->col = malloc (m * 4 * sizeof *L->col)) == NULL)
    rc = jx_error_set (err, JX_ERR_NOMEM, "out of memory");
  for (size_t i = 0; rc == 0 && i < 4 * m; i++)
    L->col[i] = SIZE_MAX;
  for (size_t c = 0; rc == 0 && c < cols.n; c++)
    {
      int role;
      size_t k;
      if (constituent_column (cols.names[c], &role, &k))
        L->col[4 * k + (size_t) role] = c;
    }
  static const char *prefix[] = { "E_", "PX_", "PY_", "PZ_" };
  for (size_t i = 0; rc == 0 && i < 4 * m; i++)
    if (L->col[i] == SIZE_MAX)
      rc = jx_error_set (err, JX_ERR_FORMAT, "%s: " TABLE " has constituent columns up to "
                         "index %zu but no column %s%zu", path, m - 1, prefix[i % 4], i / 4);
  L->m = m;
  names_free (&cols);
  return rc;
}

/* ---- rows into jets ------------------------------------------------------------------ */

static int
read_rows (JxImportSink *s, hid_t d, const Layout *L, size_t n_rows, JxProgress *progress,
           JxError *err)
{
  size_t block = BLOCK_BYTES / (L->width * sizeof (double));
  if (block == 0)
    block = 1;
  double *buf = malloc (block * L->width * sizeof *buf);
  JxP4 *jet = malloc (L->m * sizeof *jet);
  int rc = buf == NULL || jet == NULL
             ? jx_error_set (err, JX_ERR_NOMEM, "%s: out of memory for rows of %zu columns",
                             s->path, L->width)
             : 0;
  char where[JX_PATH_MAX + 64];
  for (size_t r = 0; rc == 0 && r < n_rows && !jx_import_sink_full (s); r += block)
    {
      jx_progress_report (progress, (double) r, (double) n_rows, "importing jets");
      if (jx_progress_cancelled (progress))
        {
          rc = jx_error_set (err, JX_ERR_CANCELLED, "%s: import cancelled", s->path);
          break;
        }
      size_t nb = n_rows - r < block ? n_rows - r : block;
      if ((rc = jx_h5_read_rows (d, L->mem_type, r, nb, buf, err)) != 0)
        {
          jx_error_prefix (err, "%s: " TABLE " rows %zu..%zu: ", s->path, r, r + nb);
          break;
        }
      for (size_t i = 0; rc == 0 && i < nb && !jx_import_sink_full (s); i++)
        {
          const double *v = buf + i * L->width;
          size_t k = 0;
          for (size_t c = 0; c < L->m; c++)
            {
              const size_t *col = L->col + 4 * c;
              double E = v[col[C_E]], px = v[col[C_PX]], py = v[col[C_PY]], pz = v[col[C_PZ]];
              if (E == 0 && px == 0 && py == 0 && pz == 0)
                s->stats->n_padding++;
              else
                jet[k++] = jx_p4 (E, px, py, pz);
            }
          snprintf (where, sizeof where, "%s: " TABLE " row %zu", s->path, r + i);
          double label = v[L->label];
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
  Layout L = { .mem_type = -1 };
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
