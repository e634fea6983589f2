#!/usr/bin/env bash
# Builds Junipr Explorer twice — normally and with AddressSanitizer + UBSan — runs the whole
# test suite in both, and ends with one line "N passed, N failed" over both runs.
# Usage: tools/run-tests.sh [--quick]   (--quick: skip the sanitizer build)
set -uo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1

configure () {  # dir, extra meson args...
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1
  else
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
  fi || { cat "$dir.setup.log"; return 1; }
}

status=0
run_suite () {  # dir, label, extra meson args...
  local dir=$1 label=$2; shift 2
  echo "== $label: configure and build ($dir)"
  configure "$dir" "$@" || { status=1; return; }
  if ! meson compile -C "$dir" >"$dir.build.log" 2>&1; then
    tail -n 60 "$dir.build.log"; echo "build failed: $label"; status=1; return
  fi
  echo "== $label: tests"
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
}

t0=$(date +%s)
run_suite build-test "release build"
if [ $quick -eq 0 ]; then
  run_suite build-asan "sanitizers (address, undefined)" \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
fi

echo "tests: wall time $(( $(date +%s) - t0 )) s"
python3 - "$quick" <<'PY'
import json, os, sys
dirs = ["build-test"] + ([] if sys.argv[1] == "1" else ["build-asan"])
passed = failed = skipped = 0
for d in dirs:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        failed += 1
        print(f"{d}: no test log (build failed?)")
        continue
    for line in open(log):
        r = json.loads(line)
        res = r.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            skipped += 1
        else:
            failed += 1
            print(f"FAILED [{d}] {r.get('name')}: {res}")
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
rc=$?
[ $status -ne 0 ] && rc=1
exit $rc
