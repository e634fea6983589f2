/* jx-h5-walk.h — visiting every dataset below a group of a file we did not write.
 *
 * Two readers look at every dataset in part of a file: import's search for the one
 * [N, M, 4] array of jets, and the model reader's count of the weights stored under
 * /weights. They used H5Ovisit, which finds each object again from where the walk started,
 * by its whole path: a cost that grows as the cube of the nesting depth (a crafted file of
 * 1600 nested groups, 1.6 MB, took 16-18 s to import or to load as a model; 3200 would take
 * two and a half minutes). It also trusts link counts: a crafted group linking to itself with
 * a count of 1 made it walk /y/y/y/... without end (found by fuzz-h5-raw).
 *
 * This walk opens each group from its parent, follows hard links only, visits an object
 * linked twice (link count 2 or more) once, stops as a damaged file at an object reached twice
 * that claims a single link, and does not go below JX_H5_WALK_MAX_DEPTH nested groups or
 * past paths of JX_H5_WALK_PATH_MAX bytes: no file of jets or model nests that deep, and a
 * user can still name a dataset that is.
 */
#pragma once

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>

#define JX_H5_WALK_MAX_DEPTH 32
#define JX_H5_WALK_PATH_MAX 256  /* with its terminating NUL, as import records an array's name */

/* How a walk ended. */
typedef struct {
  size_t n_seen;  /* objects visited */
  bool unreadable;  /* a group or object could not be read: the walk stopped there */
  char detail[256];  /* HDF5's reason for that, if it gave one */
  bool cycle;  /* an object claiming one link was reached twice: the walk stopped */
  bool out_of_memory;  /* the set of visited objects could not grow: the walk stopped */
  bool too_deep;  /* groups nested deeper than the limit were left out */
  bool too_long;  /* objects at paths too long to record were left out */
} JxH5Walk;

/* Called for the dataset `name` in the open group parent; path is its path from the group
 * the walk started at, without a leading '/'. Nonzero stops the walk. */
typedef int (*JxH5DatasetFn) (hid_t parent, const char *name, const char *path, void *user);

/* Calls fn for every dataset below group; *how says how the walk ended. */
void jx_h5_walk_datasets (hid_t group, JxH5DatasetFn fn, void *user, JxH5Walk *how);

/* True if the walk saw everything below its group (nothing stopped or left it). */
bool jx_h5_walk_complete (const JxH5Walk *how);
