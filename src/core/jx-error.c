/* jx-error.c — see jx-error.h. */
#include "jx-error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when s does not start one. */
static size_t
utf8_length (const unsigned char *s)
{
  unsigned c = s[0];
  size_t n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3
             : c >= 0xf0 && c < 0xf5 ? 4 : 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80)
      return 0;
  if (n == 3 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0)))
    return 0;  /* overlong, or a UTF-16 surrogate */
  if (n == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90)))
    return 0;
  return n;
}

size_t
jx_error_escape (char *dst, size_t cap, const char *src)
{
  if (cap == 0)
    return 0;
  size_t used = 0;
  const unsigned char *s = (const unsigned char *) src;
  while (*s != '\0')
    {
      size_t n = utf8_length (s);
      /* C0 controls, DEL and C1 controls (U+0080..U+009F) would drive a terminal. */
      bool control = n == 1 ? (*s < 0x20 || *s == 0x7f) : n == 2 && s[0] == 0xc2 && s[1] < 0xa0;
      char esc[8];
      const char *piece = (const char *) s;
      size_t len = n;
      if (n == 0 || control)
        {
          len = (size_t) snprintf (esc, sizeof esc, "\\x%02x", *s);
          piece = esc;
          n = 1;
        }
      if (used + len + 1 > cap)
        break;  /* never half an escape or half a character */
      memcpy (dst + used, piece, len);
      used += len;
      s += n;
    }
  dst[used] = '\0';
  return used;
}

int
jx_error_set (JxError *err, int code, const char *fmt, ...)
{
  if (err != NULL)
    {
      /* Messages quote file contents: whatever bytes came in, one printable line goes out. */
      char raw[2 * JX_ERROR_MESSAGE_MAX];
      va_list ap;
      va_start (ap, fmt);
      err->code = code;
      vsnprintf (raw, sizeof raw, fmt, ap);
      va_end (ap);
      jx_error_escape (err->message, sizeof err->message, raw);
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
  old[sizeof old - 1] = '\0';
  /* Truncation is fine: the message is for people and stays one line. */
  char joined[2 * JX_ERROR_MESSAGE_MAX];
  snprintf (joined, sizeof joined, "%s%s", prefix, old);
  jx_error_escape (err->message, sizeof err->message, joined);
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
