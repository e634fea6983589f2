#!/usr/bin/env bash
# Builds Junipr Explorer twice — normally and with AddressSanitizer + UBSan — runs the whole
# test suite in both, and ends with one line "N passed, N failed" over both runs.
# Usage: tools/run-tests.sh [--quick]   (--quick: skip the sanitizer build)
#
# Every optional part is required here (FastJet, drawing layer, GTK app, MPI): a missing dependency
# fails the configure step instead of quietly dropping its tests. Tests whose tools are missing
# at run time are still listed and exit 77 (SKIP, with the reason); a skip, or a listed test
# with no result, counts as a failure. The one expected skip: the GUI scenarios (suite 'gui')
# in the sanitizer build, where GTK's own allocations look like leaks.
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

all_parts=(-Dfastjet=enabled -Ddraw=enabled -Dgtk=enabled -Dmpi=enabled)
t0=$(date +%s)
run_suite build-test "release build" "${all_parts[@]}"
if [ $quick -eq 0 ]; then
  run_suite build-asan "sanitizers (address, undefined)" "${all_parts[@]}" \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
fi

# A short libFuzzer run of every parser (tests/fuzz; the replays of their corpora run above
# in both builds). 8 s per target, two at a time: about 1 min plus the clang build. The seed
# is fixed so that a green run stays green on any machine and a failure can be replayed: the
# open-ended search with fresh seeds is tools/fuzz.sh's (README, "Robustness").
if [ $quick -eq 0 ] && command -v clang >/dev/null; then
  echo "== fuzzing: ${JX_FUZZ_SECONDS:=8} s per target, seed ${JX_FUZZ_SEED:=1208} (build-fuzz)"
  JX_FUZZ_SEED=$JX_FUZZ_SEED bash tools/fuzz.sh "$JX_FUZZ_SECONDS" || status=1
fi

echo "tests: wall time $(( $(date +%s) - t0 )) s"
python3 - "$quick" <<'PY'
import json, os, subprocess, sys
dirs = ["build-test"] + ([] if sys.argv[1] == "1" else ["build-asan"])
if sys.argv[1] != "1" and os.path.exists(os.path.join("build-fuzz", "meson-logs", "testlog.json")):
    dirs.append("build-fuzz")
# Suites allowed to skip, per build: the GUI scenarios do not run under the sanitizers.
EXPECTED_SKIP = {"build-asan": {"gui"}}
# build-fuzz (tools/fuzz.sh) runs only the libFuzzer suite: the rest is tested above.
ONLY_SUITE = {"build-fuzz": "fuzz"}
passed = failed = expected_skipped = 0
for d in dirs:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        failed += 1
        print(f"{d}: no test log (build failed?)")
        continue
    # The tests the project defines in this build, and the result of each.
    proc = subprocess.run(["meson", "introspect", "--tests", d], capture_output=True, text=True)
    defined = {t["name"] for t in json.loads(proc.stdout)
               if d not in ONLY_SUITE
               or ONLY_SUITE[d] in (s.split(":")[-1] for s in t.get("suite", []))} \
        if proc.returncode == 0 else set()
    if not defined:
        failed += 1
        print(f"{d}: cannot list the defined tests: {proc.stderr.strip()}")
    seen = set()
    for line in open(log):
        r = json.loads(line)
        res, full = r.get("result"), r.get("name", "")
        suite, _, name = full.partition(" / ")
        suite = suite.split(":")[-1]
        seen.add(name)
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP" and suite in EXPECTED_SKIP.get(d, ()):
            expected_skipped += 1
        else:
            failed += 1
            why = [l for l in (r.get("stdout") or "").splitlines() if l.startswith("skipped")]
            print(f"FAILED [{d}] {name}: {res}" + (f" ({why[0]})" if res == "SKIP" and why else ""))
    for name in sorted(defined - seen):
        failed += 1
        print(f"FAILED [{d}] {name}: defined but did not run")
if expected_skipped:
    print(f"{expected_skipped} skipped as expected (the GUI scenarios in the sanitizer build)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
rc=$?
[ $status -ne 0 ] && rc=1
exit $rc
