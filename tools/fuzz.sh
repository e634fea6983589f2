#!/usr/bin/env bash
# Fuzz every parser of Junipr Explorer (tests/fuzz) with libFuzzer, ASan and UBSan.
# Usage: tools/fuzz.sh SECONDS [TARGET...]    (SECONDS per target; all targets by default)
#        tools/fuzz.sh --runs N [TARGET...]   (N executions per target, however long it takes)
# Builds build-fuzz with clang (-Dfuzz=true), then runs the meson tests of suite 'fuzz', two
# at a time; each prints "fuzz NAME: N executions in S s (R/s), ..." and fails on a crash,
# a leak or a timeout, leaving the input in build-fuzz/fuzz-artifacts/NAME/. Make every
# such input a regression: copy it to tests/fuzz/regressions/NAME/ (replayed by every build).
set -uo pipefail
cd "$(dirname "$0")/.."
usage="usage: tools/fuzz.sh SECONDS [TARGET...] | tools/fuzz.sh --runs N [TARGET...]"
limit=(JX_FUZZ_SECONDS="${1:?$usage}")
if [ "$1" = --runs ]; then
  limit=(JX_FUZZ_RUNS="${2:?$usage}")
  shift
fi
shift
[[ "${limit[0]#*=}" =~ ^[0-9]+$ ]] || { echo "$usage"; exit 2; }
command -v clang >/dev/null || { echo "fuzz: clang not found (tools/setup-debian.sh installs it)"; exit 1; }
dir=build-fuzz
opts=(-Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
      -Dc_args=-fsanitize=fuzzer-no-link -Dgtk=disabled -Ddraw=disabled -Dfastjet=disabled)
if [ -f "$dir/build.ninja" ]; then
  meson setup --reconfigure "$dir" "${opts[@]}" >"$dir.setup.log" 2>&1
else
  CC=clang meson setup "$dir" "${opts[@]}" >"$dir.setup.log" 2>&1
fi || { cat "$dir.setup.log"; exit 1; }
# Only the fuzzers (and the library they need): the rest of the tree is tested elsewhere.
names=("$@")
[ ${#names[@]} -eq 0 ] && mapfile -t names < <(sed -n "s/^  '\([a-z0-9-]*\)',$/\1/p" tests/fuzz/meson.build)
tests=()
for t in "${names[@]}"; do tests+=("fuzz-$t"); done
meson compile -C "$dir" "${tests[@]}" >"$dir.build.log" 2>&1 || { tail -n 40 "$dir.build.log"; exit 1; }
env "${limit[@]}" meson test -C "$dir" --suite fuzz --num-processes 2 --print-errorlogs \
  --no-rebuild --verbose "${tests[@]}" 2>&1 | grep -E "^fuzz |FAILED|ERROR|SUMMARY|property|runtime error|^Ok:|^Fail:"
exit "${PIPESTATUS[0]}"
