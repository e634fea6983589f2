/* jx-fuzz-h5spec.c — see jx-fuzz-h5spec.h. */
#include "jx-fuzz-h5spec.h"

#include <hdf5.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VALUES 65536
#define MAX_TOKENS (MAX_VALUES + 16)

typedef struct {
  char *tok[MAX_TOKENS];
  int n;
} Tokens;

static void
split (char *line, Tokens *t)
{
  t->n = 0;
  char *save = NULL;
  for (char *s = strtok_r (line, " \t\r", &save); s != NULL && t->n < MAX_TOKENS;
       s = strtok_r (NULL, " \t\r", &save))
    t->tok[t->n++] = s;
}

static hid_t
file_type (const char *name)
{
  static const struct { const char *name; hid_t *type; } types[] = {
    { "i8", &H5T_STD_I8LE_g }, { "i32", &H5T_STD_I32LE_g }, { "i64", &H5T_STD_I64LE_g },
    { "u8", &H5T_STD_U8LE_g }, { "u64", &H5T_STD_U64LE_g }, { "f32", &H5T_IEEE_F32LE_g },
    { "f64", &H5T_IEEE_F64LE_g },
  };
  H5open ();  /* the *_g globals are set when the library starts */
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp (name, types[i].name) == 0)
      return *types[i].type;
  return H5I_INVALID_HID;
}

/* "scalar" → rank 0; "6x4" → rank 2. −1 when malformed. */
static int
parse_dims (const char *s, hsize_t *dims)
{
  if (strcmp (s, "scalar") == 0)
    return 0;
  int rank = 0;
  const char *p = s;
  while (*p != '\0' && rank < 3)
    {
      char *end;
      double v = strtod (p, &end);
      if (end == p || !(v >= 0 && v <= 4e18))
        return -1;
      dims[rank++] = (hsize_t) v;
      p = end;
      if (*p == 'x')
        p++;
      else if (*p != '\0')
        return -1;
    }
  return *p == '\0' && rank > 0 ? rank : -1;
}

static double
number (const char *s)
{
  return strtod (s, NULL);  /* nan, inf, 1e300 and garbage (0) alike */
}

static void
make_attr (hid_t file, Tokens *t, char *rest_of_line)
{
  if (t->n < 5)
    return;
  hid_t obj = H5Oopen (file, t->tok[1], H5P_DEFAULT);
  if (obj < 0)
    return;
  const char *name = t->tok[2], *type = t->tok[3];
  if (H5Aexists (obj, name) > 0)
    H5Adelete (obj, name);
  hid_t space = H5I_INVALID_HID, ftype = H5I_INVALID_HID, attr = H5I_INVALID_HID;
  if (strcmp (type, "str") == 0 || strcmp (type, "vstr") == 0)
    {
      const char *value = rest_of_line != NULL ? rest_of_line : "";
      ftype = H5Tcopy (H5T_C_S1);
      bool variable = type[0] == 'v';
      H5Tset_size (ftype, variable ? H5T_VARIABLE : strlen (value) + 1);
      space = H5Screate (H5S_SCALAR);
      attr = H5Acreate2 (obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
      if (attr >= 0)
        H5Awrite (attr, ftype, variable ? (const void *) &value : (const void *) value);
    }
  else if ((ftype = file_type (type)) >= 0)
    {
      ftype = H5Tcopy (ftype);
      hsize_t n = (hsize_t) (t->n - 4);
      double *v = malloc (n * sizeof *v);
      for (hsize_t i = 0; i < n; i++)
        v[i] = number (t->tok[4 + i]);
      space = n == 1 ? H5Screate (H5S_SCALAR) : H5Screate_simple (1, &n, NULL);
      attr = H5Acreate2 (obj, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
      if (attr >= 0)
        H5Awrite (attr, H5T_NATIVE_DOUBLE, v);
      free (v);
    }
  if (attr >= 0)
    H5Aclose (attr);
  if (space >= 0)
    H5Sclose (space);
  if (ftype >= 0)
    H5Tclose (ftype);
  H5Oclose (obj);
}

static void
make_dset (hid_t file, Tokens *t)
{
  if (t->n < 4)
    return;
  hid_t ftype = file_type (t->tok[2]);
  hsize_t dims[3] = { 0, 0, 0 }, chunk[3] = { 0, 0, 0 };
  int rank = parse_dims (t->tok[3], dims);
  if (ftype < 0 || rank < 0)
    return;
  int k = 4, chunk_rank = -1;
  bool gzip = false, fletcher = false;
  for (; k < t->n && strcmp (t->tok[k], ":") != 0; k++)
    if (strcmp (t->tok[k], "chunk") == 0 && k + 1 < t->n)
      chunk_rank = parse_dims (t->tok[++k], chunk);
    else if (strcmp (t->tok[k], "gzip") == 0)
      gzip = true;
    else if (strcmp (t->tok[k], "fletcher32") == 0)
      fletcher = true;
  double total = 1, row = 1;
  for (int d = 0; d < rank; d++)
    {
      total *= (double) dims[d];
      if (d > 0)
        row *= (double) dims[d];
    }
  /* Big datasets must be chunked (nothing is allocated until written). */
  if (chunk_rank != rank && (total > MAX_VALUES || gzip || fletcher) && rank > 0)
    {
      chunk_rank = rank;
      for (int d = 0; d < rank; d++)
        chunk[d] = dims[d] > 0 ? (d == 0 ? 1 : dims[d]) : 1;
      if (row > 0 && row <= 4096)
        chunk[0] = (hsize_t) fmax (1, fmin ((double) dims[0], 4096 / row));
    }
  hid_t space = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  if (chunk_rank == rank && rank > 0)
    {
      H5Pset_chunk (dcpl, rank, chunk);
      if (gzip)
        H5Pset_deflate (dcpl, 1);
      if (fletcher)
        H5Pset_fletcher32 (dcpl);
    }
  hid_t d = H5Dcreate2 (file, t->tok[1], ftype, space, lcpl, dcpl, H5P_DEFAULT);
  if (d >= 0 && k < t->n)
    {
      k++;  /* past ":" */
      int given = t->n - k;
      double fill_value = 0;
      bool fill = given == 2 && strcmp (t->tok[k], "fill") == 0;
      if (fill)
        fill_value = number (t->tok[k + 1]);
      double n = fill ? total : fmin ((double) given, total);
      if (!fill && rank > 0 && row > 0)
        n = floor (n / row) * row;  /* whole rows */
      if (n > 0 && n <= MAX_VALUES)
        {
          double *v = malloc ((size_t) n * sizeof *v);
          for (size_t i = 0; i < (size_t) n; i++)
            v[i] = fill ? fill_value : number (t->tok[k + i]);
          hid_t fspace = H5Dget_space (d), mspace;
          if (rank == 0)
            mspace = H5Screate (H5S_SCALAR);
          else
            {
              hsize_t start[3] = { 0, 0, 0 }, count[3] = { dims[0], dims[1], dims[2] };
              count[0] = (hsize_t) (n / (row > 0 ? row : 1));
              H5Sselect_hyperslab (fspace, H5S_SELECT_SET, start, NULL, count, NULL);
              mspace = H5Screate_simple (rank, count, NULL);
            }
          H5Dwrite (d, H5T_NATIVE_DOUBLE, mspace, fspace, H5P_DEFAULT, v);
          H5Sclose (mspace);
          H5Sclose (fspace);
          free (v);
        }
    }
  if (d >= 0)
    H5Dclose (d);
  H5Pclose (lcpl);
  H5Pclose (dcpl);
  H5Sclose (space);
}

/* One value of a table member, in the member's (little-endian, as file_type's) type; a value
 * the type cannot hold is stored as 0 (a double-to-integer cast of it is undefined). */
static void
store_value (const char *type, double v, uint8_t *dst)
{
  if (strcmp (type, "f64") == 0)
    memcpy (dst, &v, 8);
  else if (strcmp (type, "f32") == 0)
    {
      float f = (float) v;
      memcpy (dst, &f, 4);
    }
  else
    {
      bool is_unsigned = type[0] == 'u';
      int bits = atoi (type + 1);
      double lo = is_unsigned ? 0 : -ldexp (1, bits - 1), hi = ldexp (1, bits - (is_unsigned ? 0 : 1));
      int64_t i = v >= lo && v < hi ? (int64_t) (is_unsigned && v >= 0x1p63 ? v - 0x1p64 : v) : 0;
      memcpy (dst, &i, (size_t) bits / 8);
    }
}

/* "table PATH ROWS NAME=TYPE[xN]... [: VALUE...]": a one-dimensional dataset of compound rows
 * (PyTables' tables), member NAME of TYPE or an array of N of them; values row by row,
 * member by member, whole rows only. */
static void
make_table (hid_t file, Tokens *t)
{
  enum { MAX_MEMBERS = 64 };
  hsize_t dims[3];   /* parse_dims writes up to three before it finds a bad rank */
  if (t->n < 4 || parse_dims (t->tok[2], dims) != 1)
    return;
  hsize_t rows = dims[0];
  const char *types[MAX_MEMBERS];
  size_t counts[MAX_MEMBERS], offsets[MAX_MEMBERS], sizes[MAX_MEMBERS], row_size = 0, per_row = 0;
  int m = 0, k = 3;
  for (; k < t->n && strcmp (t->tok[k], ":") != 0 && m < MAX_MEMBERS; k++)
    {
      char *eq = strchr (t->tok[k], '=');
      if (eq == NULL)
        return;
      *eq = '\0';
      char *x = strchr (eq + 1, 'x');
      counts[m] = 1;
      if (x != NULL)
        {
          *x = '\0';
          long c = atol (x + 1);
          if (c < 1 || c > 4096)
            return;
          counts[m] = (size_t) c;
        }
      hid_t base = file_type (eq + 1);
      if (base < 0)
        return;
      types[m] = eq + 1;
      sizes[m] = H5Tget_size (base);
      offsets[m] = row_size;
      row_size += sizes[m] * counts[m];
      per_row += counts[m];
      m++;
    }
  if (m == 0)
    return;
  hid_t ctype = H5Tcreate (H5T_COMPOUND, row_size);
  for (int i = 0; i < m; i++)
    {
      const char *name = t->tok[3 + i];
      hsize_t c = counts[i];
      hid_t mt = c > 1 ? H5Tarray_create2 (file_type (types[i]), 1, &c) : H5Tcopy (file_type (types[i]));
      H5Tinsert (ctype, name, offsets[i], mt);
      H5Tclose (mt);
    }
  hid_t space = H5Screate_simple (1, &rows, NULL);
  hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hsize_t chunk = rows > 0 && rows < 64 ? rows : 64;
  H5Pset_chunk (dcpl, 1, &chunk);  /* nothing allocated until written: any row count */
  hid_t d = H5Dcreate2 (file, t->tok[1], ctype, space, lcpl, dcpl, H5P_DEFAULT);
  size_t given = k < t->n ? (size_t) (t->n - k - 1) : 0;
  size_t n_rows = (size_t) fmin ((double) rows, (double) (given / per_row));
  if (d >= 0 && n_rows > 0 && n_rows * per_row <= MAX_VALUES)
    {
      uint8_t *buf = calloc (n_rows, row_size);
      const char *const *v = (const char *const *) t->tok + k + 1;
      for (size_t r = 0; r < n_rows; r++)
        for (int i = 0; i < m; i++)
          for (size_t c = 0; c < counts[i]; c++)
            store_value (types[i], number (*v++), buf + r * row_size + offsets[i] + c * sizes[i]);
      hsize_t start = 0, count = n_rows;
      hid_t fspace = H5Dget_space (d), mspace = H5Screate_simple (1, &count, NULL);
      H5Sselect_hyperslab (fspace, H5S_SELECT_SET, &start, NULL, &count, NULL);
      H5Dwrite (d, ctype, mspace, fspace, H5P_DEFAULT, buf);
      H5Sclose (mspace);
      H5Sclose (fspace);
      free (buf);
    }
  if (d >= 0)
    H5Dclose (d);
  H5Pclose (lcpl);
  H5Pclose (dcpl);
  H5Sclose (space);
  H5Tclose (ctype);
}

/* For "attr OBJECT NAME str|vstr VALUE...": a copy of everything after the type. */
static char *
string_value (const char *line)
{
  const char *p = line, *type = NULL;
  size_t type_len = 0;
  for (int k = 0; k < 4; k++)
    {
      p += strspn (p, " \t");
      size_t len = strcspn (p, " \t\r");
      if (len == 0 || (k == 0 && strncmp (p, "attr", len) != 0))
        return NULL;
      type = p;
      type_len = len;
      p += len;
    }
  if (!((type_len == 3 && strncmp (type, "str", 3) == 0)
        || (type_len == 4 && strncmp (type, "vstr", 4) == 0)))
    return NULL;
  if (*p != '\0')
    p++;  /* the one blank after the type; more belong to the value */
  char *copy = strdup (p);
  copy[strcspn (copy, "\r")] = '\0';
  /* "\n" and "\\" stand for a newline and a backslash (pickled names hold newlines). */
  char *out = copy;
  for (const char *in = copy; *in != '\0'; in++)
    if (in[0] == '\\' && (in[1] == 'n' || in[1] == '\\'))
      *out++ = *++in == 'n' ? '\n' : '\\';
    else
      *out++ = *in;
  *out = '\0';
  return copy;
}

int
jx_fuzz_h5spec_build (const char *spec, const char *path)
{
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  hid_t fapl = H5Pcreate (H5P_FILE_ACCESS);
  H5Pset_file_locking (fapl, 0, 1);
  hid_t file = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose (fapl);
  if (file < 0)
    return -1;
  char *copy = strdup (spec);
  Tokens *t = malloc (sizeof *t);
  char *save = NULL;
  for (char *line = strtok_r (copy, "\n", &save); line != NULL; line = strtok_r (NULL, "\n", &save))
    {
      if (line[0] == '#')
        continue;
      /* For string attributes the value is the rest of the line after the type. */
      char *rest_copy = string_value (line);
      split (line, t);
      if (t->n >= 2 && strcmp (t->tok[0], "group") == 0)
        {
          hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
          H5Pset_create_intermediate_group (lcpl, 1);
          hid_t g = H5Gcreate2 (file, t->tok[1], lcpl, H5P_DEFAULT, H5P_DEFAULT);
          if (g >= 0)
            H5Gclose (g);
          H5Pclose (lcpl);
        }
      else if (t->n >= 1 && strcmp (t->tok[0], "attr") == 0)
        {
          if (rest_copy != NULL && t->n == 4)
            t->tok[t->n++] = rest_copy;  /* an empty string value */
          make_attr (file, t, rest_copy);
        }
      else if (t->n >= 1 && strcmp (t->tok[0], "dset") == 0)
        make_dset (file, t);
      else if (t->n >= 1 && strcmp (t->tok[0], "table") == 0)
        make_table (file, t);
      free (rest_copy);
    }
  free (t);
  free (copy);
  H5Fclose (file);
  return 0;
}

const char *
jx_fuzz_h5spec_option (const char *spec, const char *name)
{
  static char value[256];
  char key[128];
  snprintf (key, sizeof key, "#option %s=", name);
  const char *p = strstr (spec, key);
  if (p == NULL)
    return NULL;
  p += strlen (key);
  size_t len = strcspn (p, "\n\r");
  snprintf (value, sizeof value, "%.*s", (int) (len < sizeof value ? len : sizeof value - 1), p);
  return value;
}
