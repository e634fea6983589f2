/* jx-array-search.h — finding the [N, M, 4] array of jets in an HDF5 file that names none.
 *
 * `import --format array` without a dataset name (and format detection) takes the file's
 * only dataset of shape [N, M, 4]. The search walks the file's groups itself rather than
 * through H5Ovisit: H5Ovisit finds every object again from the root, by its full path, which
 * costs the cube of the nesting depth (a crafted file of 1600 nested groups, 1.6 MB, took 18 s
 * to search; 3200 would take two and a half minutes). Here each group is opened from its
 * parent, and the datasets inside more than JX_ARRAY_SEARCH_MAX_DEPTH nested groups are not
 * searched: no file of jets nests its array that deep, and the user can still name it.
 */
#pragma once

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>

#include "jx-error.h"

#define JX_ARRAY_SEARCH_MAX_DEPTH 32
#define JX_ARRAY_SEARCH_PATH_MAX 256  /* with its terminating NUL, as import records the name */

typedef struct {
  char found[3][JX_ARRAY_SEARCH_PATH_MAX];  /* paths of the first arrays found, from the root without '/' */
  size_t n_found;
  JxError damage;  /* the first dataset whose shape could not be trusted */
  bool damaged;
  bool unreadable;  /* a group or object could not be read: the walk stopped there */
  char detail[256];  /* HDF5's reason for that, if it gave one */
  bool cycle;  /* an object linked once was reached twice: groups link into themselves */
  bool out_of_memory;  /* the set of visited objects could not grow */
  bool too_deep;  /* groups nested deeper than the limit were left unsearched */
  bool too_long;  /* objects whose path is too long to record were left unsearched */
  size_t n_seen;  /* objects visited */
} JxArraySearch;

/* Searches file for datasets of shape [N, M, 4]; *s says what was found and why the walk
 * stopped, if it stopped early. */
void jx_array_search (hid_t file, JxArraySearch *s);
