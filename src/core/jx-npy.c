/* jx-npy.c — see jx-npy.h. */
#include "jx-npy.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const unsigned char magic[6] = { 0x93, 'N', 'U', 'M', 'P', 'Y' };

int
jx_npy_header_bytes (const unsigned char *start, size_t n, size_t *total, JxError *err)
{
  if (n < 10 || memcmp (start, magic, sizeof magic) != 0)
    return jx_error_set (err, JX_ERR_FORMAT, "not a NumPy .npy array (no \\x93NUMPY magic)");
  unsigned major = start[6], minor = start[7];
  if (major == 1)
    *total = 10 + ((size_t) start[8] | (size_t) start[9] << 8);
  else if (major == 2 || major == 3)
    {
      if (n < 12)
        return jx_error_set (err, JX_ERR_FORMAT, "the .npy header is cut off");
      *total = 12 + ((size_t) start[8] | (size_t) start[9] << 8 | (size_t) start[10] << 16
                     | (size_t) start[11] << 24);
    }
  else
    return jx_error_set (err, JX_ERR_FORMAT, "unsupported .npy format version %u.%u (1.0, 2.0 and "
                         "3.0 are read)", major, minor);
  if (*total > (1u << 24))
    return jx_error_set (err, JX_ERR_FORMAT, "implausible .npy header length %zu bytes", *total);
  return 0;
}

typedef struct {
  const char *p, *end;
} Cursor;

static void
skip_space (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static bool
accept (Cursor *c, char ch)
{
  skip_space (c);
  if (c->p < c->end && *c->p == ch)
    {
      c->p++;
      return true;
    }
  return false;
}

/* 'text' or "text" into out (cap bytes). */
static bool
quoted (Cursor *c, char *out, size_t cap)
{
  skip_space (c);
  if (c->p >= c->end || (*c->p != '\'' && *c->p != '"'))
    return false;
  char q = *c->p++;
  size_t len = 0;
  while (c->p < c->end && *c->p != q)
    {
      if (*c->p == '\\' || len + 1 >= cap)
        return false;
      out[len++] = *c->p++;
    }
  if (c->p >= c->end)
    return false;
  c->p++;
  out[len] = '\0';
  return true;
}

static bool
integer (Cursor *c, uint64_t *v)
{
  skip_space (c);
  if (c->p >= c->end || !isdigit ((unsigned char) *c->p))
    return false;
  uint64_t x = 0;
  while (c->p < c->end && isdigit ((unsigned char) *c->p))
    {
      unsigned d = (unsigned) (*c->p++ - '0');
      if (x > (UINT64_MAX - d) / 10)
        return false;
      x = 10 * x + d;
    }
  if (c->p < c->end && *c->p == 'L')  /* Python 2's long */
    c->p++;
  *v = x;
  return true;
}

static bool
shape (Cursor *c, JxNpyHeader *h)
{
  if (!accept (c, '('))
    return false;
  h->rank = 0;
  if (accept (c, ')'))
    return true;
  for (;;)
    {
      if (h->rank == JX_NPY_MAX_RANK || !integer (c, &h->shape[h->rank]))
        return false;
      h->rank++;
      if (accept (c, ')'))
        return true;
      if (!accept (c, ','))
        return false;
      if (accept (c, ')'))
        return true;
    }
}

static bool
boolean (Cursor *c, bool *v)
{
  skip_space (c);
  size_t left = (size_t) (c->end - c->p);
  if (left >= 4 && memcmp (c->p, "True", 4) == 0)
    {
      c->p += 4;
      *v = true;
      return true;
    }
  if (left >= 5 && memcmp (c->p, "False", 5) == 0)
    {
      c->p += 5;
      *v = false;
      return true;
    }
  return false;
}

int
jx_npy_parse_header (const unsigned char *buf, size_t total, JxNpyHeader *h, JxError *err)
{
  memset (h, 0, sizeof *h);
  size_t start;
  int rc = jx_npy_header_bytes (buf, total, &start, err);
  if (rc != 0)
    return rc;
  start = buf[6] == 1 ? 10 : 12;
  Cursor c = { (const char *) buf + start, (const char *) buf + total };
  bool seen[3] = { false, false, false };
  if (!accept (&c, '{'))
    return jx_error_set (err, JX_ERR_FORMAT, "the .npy header is not a dict ('{' expected)");
  while (!accept (&c, '}'))
    {
      char key[32];
      if (!quoted (&c, key, sizeof key) || !accept (&c, ':'))
        return jx_error_set (err, JX_ERR_FORMAT, "the .npy header has a malformed key");
      bool ok;
      int k;
      if (strcmp (key, "descr") == 0)
        k = 0, ok = quoted (&c, h->descr, sizeof h->descr);
      else if (strcmp (key, "fortran_order") == 0)
        k = 1, ok = boolean (&c, &h->fortran_order);
      else if (strcmp (key, "shape") == 0)
        k = 2, ok = shape (&c, h);
      else
        return jx_error_set (err, JX_ERR_FORMAT, "the .npy header has an unknown key '%s'", key);
      if (!ok || seen[k])
        return jx_error_set (err, JX_ERR_FORMAT, "the .npy header has a %s value for '%s'",
                             ok ? "second" : "malformed", key);
      seen[k] = true;
      if (!accept (&c, ',') && !(skip_space (&c), c.p < c.end && *c.p == '}'))
        return jx_error_set (err, JX_ERR_FORMAT, "the .npy header has junk after '%s'", key);
    }
  skip_space (&c);
  if (c.p != c.end)
    return jx_error_set (err, JX_ERR_FORMAT, "the .npy header has bytes after its dict");
  if (!seen[0] || !seen[1] || !seen[2])
    return jx_error_set (err, JX_ERR_FORMAT, "the .npy header lacks '%s'",
                         !seen[0] ? "descr" : !seen[1] ? "fortran_order" : "shape");
  h->header_bytes = total;
  return 0;
}

bool
jx_npy_count (const JxNpyHeader *h, uint64_t *count)
{
  uint64_t n = 1;
  for (int k = 0; k < h->rank; k++)
    {
      if (h->shape[k] != 0 && n > (UINT64_MAX >> 1) / h->shape[k])
        return false;
      n *= h->shape[k];
    }
  *count = n;
  return true;
}
