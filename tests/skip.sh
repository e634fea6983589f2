#!/bin/sh
# Stands in for a test whose dependency is missing at configure time, so the test is still
# listed: prints why and exits 77 (meson: SKIP), which tools/run-tests.sh counts as a failure.
#   skip.sh REASON...
echo "skipped: $*"
exit 77
