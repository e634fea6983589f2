/* Unit tests for jx-npy: .npy headers as NumPy writes them (versions 1.0 and 2.0, Python 2's
 * long integers), and refusal of damaged or unexpected ones with a message saying what. */
#include <string.h>

#include "jx-npy.h"
#include "jx-test.h"

/* A header of the given version around dict (padded with spaces and '\n' to 64 bytes, as
 * NumPy ≥ 1.22 pads). Returns its length. */
static size_t
make (unsigned char *buf, int version, const char *dict)
{
  size_t prefix = version == 1 ? 10 : 12, len = strlen (dict);
  size_t total = (prefix + len + 1 + 63) / 64 * 64;
  memcpy (buf, "\x93NUMPY", 6);
  buf[6] = (unsigned char) version;
  buf[7] = 0;
  size_t hl = total - prefix;
  buf[8] = (unsigned char) (hl & 0xff);
  buf[9] = (unsigned char) (hl >> 8);
  if (version != 1)
    buf[10] = buf[11] = 0;
  memcpy (buf + prefix, dict, len);
  memset (buf + prefix + len, ' ', hl - len - 1);
  buf[total - 1] = '\n';
  return total;
}

static int
parse (const unsigned char *buf, size_t n, JxNpyHeader *h, JxError *err)
{
  size_t total;
  int rc = jx_npy_header_bytes (buf, n, &total, err);
  if (rc == 0 && total != n)
    return jx_error_set (err, JX_ERR_INTERNAL, "length %zu, made %zu", total, n);
  return rc != 0 ? rc : jx_npy_parse_header (buf, total, h, err);
}

static void
test_good (void)
{
  unsigned char buf[512];
  JxNpyHeader h;
  JxError err = { 0 };
  size_t n = make (buf, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 139, 4), }");
  JX_CHECK_INT (parse (buf, n, &h, &err), 0);
  JX_CHECK (strcmp (h.descr, "<f8") == 0 && !h.fortran_order && h.rank == 3);
  JX_CHECK (h.shape[0] == 100000 && h.shape[1] == 139 && h.shape[2] == 4);
  JX_CHECK_INT (h.header_bytes, n);
  JX_CHECK_INT (n % 64, 0);
  uint64_t count;
  JX_CHECK (jx_npy_count (&h, &count) && count == 100000ull * 139 * 4);

  n = make (buf, 2, "{\"shape\": (7L,), \"fortran_order\": True, \"descr\": \"<i8\"}");
  JX_CHECK_INT (parse (buf, n, &h, &err), 0);
  JX_CHECK (strcmp (h.descr, "<i8") == 0 && h.fortran_order && h.rank == 1 && h.shape[0] == 7);

  n = make (buf, 1, "{'descr': '|b1', 'fortran_order': False, 'shape': (), }");
  JX_CHECK_INT (parse (buf, n, &h, &err), 0);
  JX_CHECK (h.rank == 0 && jx_npy_count (&h, &count) && count == 1);
}

static void
refused (int version, const char *dict, const char *needle)
{
  unsigned char buf[512];
  JxNpyHeader h;
  JxError err = { 0 };
  size_t n = make (buf, version, dict);
  int rc = parse (buf, n, &h, &err);
  JX_CHECK_MSG (rc == JX_ERR_FORMAT && strstr (err.message, needle) != NULL,
                "%s: rc %d, '%s' lacks '%s'", dict, rc, err.message, needle);
}

static void
test_bad (void)
{
  refused (1, "{'descr': '<f8', 'shape': (1,), }", "lacks 'fortran_order'");
  refused (1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", "unknown key 'x'");
  refused (1, "{'descr': '<f8', 'fortran_order': Nope, 'shape': (1,)}", "malformed value");
  refused (1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, -2)}", "malformed value");
  refused (1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'shape': (2,)}",
           "second value");
  refused (1, "{'descr': '<f8' 'fortran_order': False, 'shape': (1,)}", "junk after 'descr'");
  refused (1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} x", "bytes after");
  refused (1, "['descr', '<f8']", "not a dict");
  refused (1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}",
           "malformed value");
  refused (1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1)}",
           "malformed value");

  unsigned char buf[512];
  JxNpyHeader h;
  JxError err = { 0 };
  size_t n = make (buf, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}");
  buf[0] = 'x';
  JX_CHECK_INT (parse (buf, n, &h, &err), JX_ERR_FORMAT);
  JX_CHECK (strstr (err.message, "magic") != NULL);
  buf[0] = 0x93;
  buf[6] = 4;
  JX_CHECK_INT (parse (buf, n, &h, &err), JX_ERR_FORMAT);
  JX_CHECK (strstr (err.message, "version 4.0") != NULL);
  size_t total;
  JX_CHECK_INT (jx_npy_header_bytes (buf, 7, &total, &err), JX_ERR_FORMAT);

  /* A product that overflows. */
  n = make (buf, 1, "{'descr': '<f8', 'fortran_order': False, "
                    "'shape': (4294967296, 4294967296, 4)}");
  JX_CHECK_INT (parse (buf, n, &h, &err), 0);
  uint64_t count;
  JX_CHECK (!jx_npy_count (&h, &count));
}

int
main (void)
{
  test_good ();
  test_bad ();
  JX_TEST_MAIN_END ("npy");
}
