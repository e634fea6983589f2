/* jx-attrs.h — the string attributes a dataset or a scores file carries (where its jets came
 * from, which model scored them): a small list of key/value copies, in insertion order. */
#pragma once

#include <stddef.h>

typedef struct {
  char *key;
  char *value;
} JxAttr;

/* Sets key to a copy of value in (*attrs)[*n], replacing an earlier value of the same key or
 * appending. 0, or JX_ERR_NOMEM with the list unchanged. */
int jx_attrs_set (JxAttr **attrs, size_t *n, const char *key, const char *value);

/* The value of key, or NULL. */
const char *jx_attrs_get (const JxAttr *attrs, size_t n, const char *key);

/* Frees every key, value and the list itself. */
void jx_attrs_free (JxAttr *attrs, size_t n);
