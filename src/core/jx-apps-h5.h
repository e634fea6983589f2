/* jx-apps-h5.h — extending a file written by another junipr writer (dataset, scores) with
 * more groups, in one atomic write: the base writer writes the temporary file, the extra
 * groups are appended to it, and only then is it renamed over the real name. */
#pragma once

#include <hdf5.h>
#include <stddef.h>

#include "jx-error.h"

typedef int (*JxAppsWriteBase) (void *user, const char *tmp_path, JxError *err);
typedef int (*JxAppsAppend) (void *user, hid_t file, JxError *err);

/* Atomic (jx-atomic.h). Errors are prefixed with path. */
int jx_apps_write_extended (const char *path, JxAppsWriteBase base, JxAppsAppend append,
                            void *user, JxError *err);

/* 1-D (or 2-D with cols columns) array of exactly rows rows; JX_ERR_FORMAT otherwise. */
int jx_apps_h5_check_rows (hid_t file, const char *name, size_t rows, size_t cols, JxError *err);
