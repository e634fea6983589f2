#!/usr/bin/env bash
# Fuzz every parser of Junipr Explorer (tests/fuzz) with libFuzzer, ASan and UBSan.
# Usage: tools/fuzz.sh [--fast] SECONDS [TARGET...]    (SECONDS per target; all targets by default)
#        tools/fuzz.sh [--fast] --runs N [TARGET...]   (N executions per target, however long)
# Builds build-fuzz with clang (-Dfuzz=true), then runs the meson tests of suite 'fuzz', two
# at a time; each prints "fuzz NAME: N executions in S s (R/s), ..." and fails on a crash,
# a leak or a timeout, leaving the input in build-fuzz/fuzz-artifacts/NAME/. Make every
# such input a regression: copy it to tests/fuzz/regressions/NAME/ (replayed by every build).
#
# --fast searches in build-fuzz-fast instead: UBSan (trapping) and LeakSanitizer without
# ASan, about twice the executions per second on the HDF5 targets, whose time goes to HDF5's
# allocations, which ASan makes expensive. Memory errors that do not crash go unseen there,
# so afterwards every input of the grown corpus (build-fuzz-fast/fuzz-work/NAME) is replayed
# once in build-fuzz's ASan + UBSan build; that replay must pass too.
set -uo pipefail
cd "$(dirname "$0")/.."
usage="usage: tools/fuzz.sh [--fast] SECONDS [TARGET...] | tools/fuzz.sh [--fast] --runs N [TARGET...]"
fast=0
if [ "${1:-}" = --fast ]; then
  fast=1
  shift
fi
limit=(JX_FUZZ_SECONDS="${1:?$usage}")
if [ "$1" = --runs ]; then
  limit=(JX_FUZZ_RUNS="${2:?$usage}")
  shift
fi
shift
[[ "${limit[0]#*=}" =~ ^[0-9]+$ ]] || { echo "$usage"; exit 2; }
command -v clang >/dev/null || { echo "fuzz: clang not found (tools/setup-debian.sh installs it)"; exit 1; }
common=(-Dfuzz=true -Db_lundef=false -Dbuildtype=debugoptimized -Dgtk=disabled -Ddraw=disabled
        -Dfastjet=disabled)
asan_opts=("${common[@]}" -Db_sanitize=address,undefined -Dc_args=-fsanitize=fuzzer-no-link)
# clang 14 links no UBSan runtime next to the standalone LSan one, so UB traps instead.
fast_opts=("${common[@]}" -Db_sanitize=undefined -Dc_link_args=-fsanitize=leak
           "-Dc_args=-fsanitize=fuzzer-no-link -fsanitize=leak -fsanitize-trap=undefined")

setup () {  # dir, meson options...
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1
  else
    CC=clang meson setup "$dir" "$@" >"$dir.setup.log" 2>&1
  fi || { cat "$dir.setup.log"; exit 1; }
}

# Only the fuzzers (and the library they need): the rest of the tree is tested elsewhere.
names=("$@")
[ ${#names[@]} -eq 0 ] && mapfile -t names < <(sed -n "s/^  '\([a-z0-9-]*\)',$/\1/p" tests/fuzz/meson.build)
tests=()
for t in "${names[@]}"; do tests+=("fuzz-$t"); done

dir=build-fuzz
if [ $fast -eq 1 ]; then
  dir=build-fuzz-fast
  setup "$dir" "${fast_opts[@]}"
else
  setup "$dir" "${asan_opts[@]}"
fi
meson compile -C "$dir" "${tests[@]}" >"$dir.build.log" 2>&1 || { tail -n 40 "$dir.build.log"; exit 1; }
env "${limit[@]}" meson test -C "$dir" --suite fuzz --num-processes 2 --print-errorlogs \
  --no-rebuild --verbose "${tests[@]}" 2>&1 | grep -E "^fuzz |FAILED|ERROR|SUMMARY|property|runtime error|^Ok:|^Fail:"
status=${PIPESTATUS[0]}
[ $fast -eq 1 ] || exit "$status"

# The grown corpora, once each, under ASan + UBSan (fuzz-replay-NAME, given the corpus).
setup build-fuzz "${asan_opts[@]}"
replays=()
for t in "${names[@]}"; do replays+=("fuzz-replay-$t"); done
meson compile -C build-fuzz "${replays[@]}" >build-fuzz.build.log 2>&1 \
  || { tail -n 40 build-fuzz.build.log; exit 1; }
for t in "${names[@]}"; do
  work=$PWD/$dir/fuzz-work/$t
  out=$(meson test -C build-fuzz --no-rebuild --test-args "$work" "fuzz-replay-$t" 2>&1)
  if [ $? -eq 0 ]; then
    echo "replay $t under ASan: $(find "$work" -type f | wc -l) corpus files, no error"
  else
    echo "replay $t under ASan: FAILED (build-fuzz/meson-logs/testlog.txt)"
    echo "$out" | grep -E "ERROR|SUMMARY|runtime error" | head -5
    status=1
  fi
done
exit "$status"
