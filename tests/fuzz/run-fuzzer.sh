#!/usr/bin/env bash
# One libFuzzer search (meson test fuzz-NAME; tools/fuzz.sh runs them all):
#   run-fuzzer.sh FUZZER NAME SEED_CORPUS_DIR [DICT]
# for $JX_FUZZ_SECONDS seconds (default 30), or until $JX_FUZZ_RUNS executions when that is
# set (then JX_FUZZ_SECONDS, if set too, still ends it early). The growing corpus and any crashing input stay
# in the build directory (fuzz-work/NAME/, fuzz-artifacts/NAME/). Prints one summary line:
# executions, rate, corpus size; exits 1 on a crash, leak or timeout.
set -uo pipefail
fuzzer=$1 name=$2 seeds=$3 dict=${4:-}
runs=${JX_FUZZ_RUNS:-}
seconds=${JX_FUZZ_SECONDS:-}
[ -z "$seconds" ] && { [ -n "$runs" ] && seconds=0 || seconds=30; }
work=fuzz-work/$name artifacts=fuzz-artifacts/$name/
mkdir -p "$work" "$artifacts"
# libFuzzer's own exit codes (77 for a crash) would read as "skipped" to meson: all are 1.
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -malloc_limit_mb=2048
      -error_exitcode=1 -timeout_exitcode=1
      -print_final_stats=1 -artifact_prefix="$artifacts" -close_fd_mask=1)
[ -n "$dict" ] && [ -f "$dict" ] && args+=(-dict="$dict")
[ -n "$runs" ] && args+=(-runs="$runs")
# A fixed seed (JX_FUZZ_SEED) makes the search repeatable: the same mutations on every
# machine, as far as its speed takes it within the time. Unset, libFuzzer picks one.
seed=${JX_FUZZ_SEED:-}
[ -n "$seed" ] && args+=(-seed="$seed")
log=fuzz-work/$name.log
start=$(date +%s)
"$fuzzer" "${args[@]}" "$work" "$seeds" >"$log" 2>&1
rc=$?
elapsed=$(( $(date +%s) - start ))
[ $rc -ne 0 ] && rc=1
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
files=$(find "$work" -type f | wc -l)
if [ $rc -eq 0 ]; then
  echo "fuzz $name: ${execs:-0} executions in ${elapsed} s (${rate:-0}/s), corpus $files files, ${seed:+seed $seed, }no crash"
else
  echo "fuzz $name: FAILED after ${execs:-?} executions (exit $rc${seed:+, seed $seed}); input in $artifacts, log $log"
  grep -E "ERROR|SUMMARY|property violated|runtime error" "$log" | head -5
fi
exit $rc
