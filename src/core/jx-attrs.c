/* jx-attrs.c — see jx-attrs.h. */
#include "jx-attrs.h"

#include <stdlib.h>
#include <string.h>

#include "jx-error.h"

static char *
dup_string (const char *s)
{
  size_t n = strlen (s) + 1;
  char *d = malloc (n);
  if (d != NULL)
    memcpy (d, s, n);
  return d;
}

int
jx_attrs_set (JxAttr **attrs, size_t *n, const char *key, const char *value)
{
  char *v = dup_string (value);
  if (v == NULL)
    return JX_ERR_NOMEM;
  for (size_t i = 0; i < *n; i++)
    if (strcmp ((*attrs)[i].key, key) == 0)
      {
        free ((*attrs)[i].value);
        (*attrs)[i].value = v;
        return 0;
      }
  char *k = dup_string (key);
  JxAttr *a = realloc (*attrs, (*n + 1) * sizeof *a);
  if (a != NULL)
    *attrs = a;
  if (k == NULL || a == NULL)
    {
      free (k);
      free (v);
      return JX_ERR_NOMEM;
    }
  a[*n].key = k;
  a[*n].value = v;
  (*n)++;
  return 0;
}

const char *
jx_attrs_get (const JxAttr *attrs, size_t n, const char *key)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (attrs[i].key, key) == 0)
      return attrs[i].value;
  return NULL;
}

void
jx_attrs_free (JxAttr *attrs, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (attrs[i].key);
      free (attrs[i].value);
    }
  free (attrs);
}
