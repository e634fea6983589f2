/* jx-grow.c — growing scratch arrays (jx-grow.h). */
#include "jx-grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t
jx_grow_cap (size_t cap, size_t floor, size_t n)
{
  if (cap < floor)
    cap = floor;
  while (cap < n)
    cap *= 2;
  return cap;
}

bool
jx_grow_array (void *ptr_addr, size_t n, size_t size)
{
  if (size != 0 && n > SIZE_MAX / size)
    return false;
  /* The pointer is read and written as bytes: ptr_addr is a T **, not a void **. */
  void *old;
  memcpy (&old, ptr_addr, sizeof old);
  void *grown = realloc (old, n * size);
  if (grown == NULL)
    return false;
  memcpy (ptr_addr, &grown, sizeof grown);
  return true;
}
