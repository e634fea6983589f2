/* Tests for the growing scratch arrays (jx-grow.c): the capacity rule by hand, contents kept
 * across a growth, an impossible size refused with the array left as it was. */
#include <stdint.h>
#include <stdlib.h>

#include "jx-grow.h"
#include "jx-test.h"

int
main (void)
{
  /* floor first, then doubling until n fits; a capacity that holds n stays */
  JX_CHECK_INT ((long) jx_grow_cap (0, 64, 1), 64);
  JX_CHECK_INT ((long) jx_grow_cap (0, 64, 65), 128);
  JX_CHECK_INT ((long) jx_grow_cap (100, 64, 100), 100);
  JX_CHECK_INT ((long) jx_grow_cap (100, 64, 101), 200);
  JX_CHECK_INT ((long) jx_grow_cap (64, 64, 1000), 1024);

  double *a = NULL;
  JX_CHECK (jx_grow_array (&a, 4, sizeof *a));
  for (int i = 0; i < 4; i++)
    a[i] = i + 0.5;
  JX_CHECK (jx_grow_array (&a, 1000, sizeof *a));
  int kept = 0;
  for (int i = 0; i < 4; i++)
    kept += a[i] == i + 0.5;
  JX_CHECK_INT (kept, 4);
  a[999] = 1;  /* the sanitizers see an access past the new size */

  double *before = a;
  JX_CHECK (!jx_grow_array (&a, SIZE_MAX / 4, sizeof *a));  /* n·size overflows */
  JX_CHECK (a == before && a[0] == 0.5);
  free (a);
  JX_TEST_MAIN_END ("grow");
}
