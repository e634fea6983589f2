/* jx-h5-walk.c — see jx-h5-walk.h. */
#include "jx-h5-walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jx-h5.h"

/* The walk's state: the set of visited addresses and the path of the group being walked. */
typedef struct {
  JxH5Walk *how;
  JxH5DatasetFn fn;
  void *user;
  haddr_t *seen;  /* open addressing, cap slots, 0 marks a free one */
  size_t cap;
  char path[JX_H5_WALK_PATH_MAX];
  size_t len;
  int depth;
} Walk;

typedef enum { VISIT_FIRST, VISIT_AGAIN, VISIT_NO_MEMORY } Visit;

/* Records addr in the set of visited addresses. */
static Visit
first_visit (Walk *w, haddr_t addr)
{
  haddr_t key = addr + 1;
  if (key == 0)
    return VISIT_FIRST;  /* HADDR_UNDEF: nothing is read there, so no walk can loop through it */
  if (2 * (w->how->n_seen + 1) > w->cap)
    {
      size_t cap = w->cap > 0 ? 2 * w->cap : 64;
      haddr_t *t = calloc (cap, sizeof *t);
      if (t == NULL)
        return VISIT_NO_MEMORY;
      for (size_t i = 0; i < w->cap; i++)
        if (w->seen[i] != 0)
          {
            size_t k = (size_t) (w->seen[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (t[k] != 0)
              k = (k + 1) & (cap - 1);
            t[k] = w->seen[i];
          }
      free (w->seen);
      w->seen = t;
      w->cap = cap;
    }
  size_t k = (size_t) (key * 0x9E3779B97F4A7C15ull) & (w->cap - 1);
  while (w->seen[k] != 0)
    {
      if (w->seen[k] == key)
        return VISIT_AGAIN;
      k = (k + 1) & (w->cap - 1);
    }
  w->seen[k] = key;
  w->how->n_seen++;
  return VISIT_FIRST;
}

/* Notes that an HDF5 call failed; HDF5's reason is read now, before the next call clears it. */
static herr_t
unreadable (Walk *w)
{
  if (!w->how->unreadable)
    jx_h5_last_error (w->how->detail, sizeof w->how->detail);
  w->how->unreadable = true;
  return -1;
}

static herr_t walk_group (Walk *w, hid_t group);

/* H5Literate's callback: one link of the group being walked. Positive stops the walk. */
static herr_t
visit_link (hid_t group, const char *name, const H5L_info_t *link, void *data)
{
  Walk *w = data;
  JxH5Walk *how = w->how;
  if (link->type != H5L_TYPE_HARD)
    return 0;  /* soft links name objects reached otherwise; external ones, other files */
  H5O_info_t info;
  if (H5Oget_info_by_name2 (group, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
    return unreadable (w);
  Visit visit = first_visit (w, info.addr);
  if (visit == VISIT_AGAIN && info.rc > 1)
    return 0;
  if (visit != VISIT_FIRST)
    {
      how->cycle = visit == VISIT_AGAIN;
      how->out_of_memory = visit == VISIT_NO_MEMORY;
      return 1;
    }
  if (info.type != H5O_TYPE_DATASET && info.type != H5O_TYPE_GROUP)
    return 0;
  size_t len = w->len;
  int n = snprintf (w->path + len, sizeof w->path - len, "%s%s", len > 0 ? "/" : "", name);
  if (n < 0 || (size_t) n >= sizeof w->path - len)
    {
      w->path[len] = '\0';
      how->too_long = true;
      return 0;
    }
  w->len += (size_t) n;
  herr_t rc = 0;
  if (info.type == H5O_TYPE_DATASET)
    rc = w->fn (group, name, w->path, w->user) != 0;
  else if (w->depth > JX_H5_WALK_MAX_DEPTH)
    how->too_deep = true;
  else
    {
      hid_t g = H5Gopen2 (group, name, H5P_DEFAULT);
      rc = g < 0 ? unreadable (w) : walk_group (w, g);
      if (g >= 0)
        H5Gclose (g);
    }
  w->len = len;
  w->path[len] = '\0';
  return rc;
}

/* Walks the links of group, one level below the walk's current depth. */
static herr_t
walk_group (Walk *w, hid_t group)
{
  w->depth++;
  /* In native order: a sorted walk builds a table of each large group's links, and HDF5
   * 1.10.8 frees the uninitialised entries of that table when a damaged group fails to read
   * (an invalid free found by fuzz-h5-raw); native order walks the group's index without
   * one. */
  herr_t rc = H5Literate (group, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, visit_link, w);
  w->depth--;
  return rc < 0 ? unreadable (w) : rc;
}

void
jx_h5_walk_datasets (hid_t group, JxH5DatasetFn fn, void *user, JxH5Walk *how)
{
  memset (how, 0, sizeof *how);
  Walk *w = calloc (1, sizeof *w);
  if (w == NULL)
    {
      how->out_of_memory = true;
      return;
    }
  *w = (Walk) { .how = how, .fn = fn, .user = user };
  H5O_info_t start;
  if (H5Oget_info2 (group, &start, H5O_INFO_BASIC) < 0)
    unreadable (w);
  else if (first_visit (w, start.addr) == VISIT_NO_MEMORY)
    how->out_of_memory = true;
  else
    walk_group (w, group);
  free (w->seen);
  free (w);
}

bool
jx_h5_walk_complete (const JxH5Walk *how)
{
  return !how->unreadable && !how->cycle && !how->out_of_memory && !how->too_deep
         && !how->too_long;
}
