/* jx-error.c — see jx-error.h. */
#include "jx-error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
jx_error_set (JxError *err, int code, const char *fmt, ...)
{
  if (err != NULL)
    {
      va_list ap;
      va_start (ap, fmt);
      err->code = code;
      vsnprintf (err->message, sizeof err->message, fmt, ap);
      va_end (ap);
    }
  return code;
}

int
jx_error_prefix (JxError *err, const char *fmt, ...)
{
  if (err == NULL)
    return JX_ERR_INTERNAL;
  char prefix[JX_ERROR_MESSAGE_MAX];
  char old[JX_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (prefix, sizeof prefix, fmt, ap);
  va_end (ap);
  memcpy (old, err->message, sizeof old);
  /* Truncation is fine: the message is for people and stays one line. */
  size_t used = strlen (prefix);
  if (used >= sizeof err->message)
    used = sizeof err->message - 1;
  memcpy (err->message, prefix, used);
  size_t rest = sizeof err->message - 1 - used;
  size_t len = strnlen (old, rest);
  memcpy (err->message + used, old, len);
  err->message[used + len] = '\0';
  return err->code;
}

void
jx_error_clear (JxError *err)
{
  if (err != NULL)
    {
      err->code = JX_OK;
      err->message[0] = '\0';
    }
}

const char *
jx_status_name (int code)
{
  switch (code)
    {
    case JX_OK: return "ok";
    case JX_ERR_INVALID: return "invalid input";
    case JX_ERR_IO: return "I/O error";
    case JX_ERR_FORMAT: return "wrong file format";
    case JX_ERR_NOMEM: return "out of memory";
    case JX_ERR_CANCELLED: return "cancelled";
    case JX_ERR_RANGE: return "out of range";
    case JX_ERR_INTERNAL: return "internal error";
    default: return "unknown error";
    }
}
