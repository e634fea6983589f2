#!/bin/bash
# run-large-dataset-bench.sh — files larger than memory: open time and peak RSS of the CLI
# and the app on a 5×10⁶-jet dataset (bench/README.md "Files larger than memory").
#
#   bench/run-large-dataset-bench.sh [BUILD] [N_JETS] [DIR]      defaults: build 5000000 /tmp
#
# The big file is 20000 generated quark jets (parton level, `junipr generate`, seed 1)
# repeated by bench-large-dataset to N_JETS (the generator would take minutes; repeating
# keeps the jets' shapes); it is written under DIR and deleted at the end. Each command runs
# under /usr/bin/time -v (wall time, maximum resident set size): info, cluster, observables
# (its first rows checked against the seed's own), eval with the demo's quark model, render
# tree of the last jet, render image --average, render hist, export (JSON, the first 2·10⁴
# jets), sample --seeds-from (10³ showers, seeds from every jet). Peers in the same run:
# bench-large-dataset full (one jx_dataset_read of the whole file) against walk (every jet
# through jx-dataset-stream). The app: junipr-explorer --test-mode --no-demo FILE under
# xvfb-run; we take the time to its first "job-finished" line (the dataset is loaded and
# the browser shows it), the time to the second (the browser's observables), and its peak
# RSS (VmHWM), read every 0.2 s. Not a test: numbers depend on the machine and its load.
# JX_BENCH_APP_ONLY=1 skips the CLI commands and the peers (the app's figures only).
set -u
build=${1:-build}
n_jets=${2:-5000000}
dir=${3:-/tmp}
junipr=$build/src/cli/junipr
bench=$build/bench/bench-large-dataset
app=$build/src/ui/junipr-explorer
model=$(dirname "$0")/../data/models/quark-model.h5   # the demo's quark model, for eval
work=$(mktemp -d "$dir/jx-large-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
seed=$work/seed.h5
big=$work/big.h5

measure () {   # measure LABEL COMMAND...: one line "LABEL: wall s, max RSS MB"
  local label=$1
  shift
  /usr/bin/time -v -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" \
    || { echo "$label: failed"; cat "$work/err.txt"; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
  echo "$label: wall $wall, max RSS $rss MB"
}

"$junipr" generate --process qq --jets 20000 --seed 1 --threads 1 -q -o "$seed" || exit 1
"$bench" write "$seed" "$n_jets" "$big" || exit 1
ls -l "$big" | awk '{printf "file: %.0f MB\n", $5 / 1e6}'

if [ -z "${JX_BENCH_APP_ONLY:-}" ]; then
measure "junipr info" "$junipr" info -q "$big"
measure "junipr cluster (summary)" "$junipr" cluster -q "$big"
measure "junipr observables" "$junipr" observables -q "$big" -o "$work/obs.csv"
"$junipr" observables -q "$seed" -o "$work/seed-obs.csv"
# the big file repeats the seed: its rows must be the seed's (jet index aside)
cmp <(cut -d, -f2- "$work/seed-obs.csv" | tail -n +2) \
    <(sed -n "2,$(( $(wc -l < "$work/seed-obs.csv") ))p" "$work/obs.csv" | cut -d, -f2-) \
  && echo "observables: the first $(( $(wc -l < "$work/seed-obs.csv") - 1 )) rows equal the seed's"
rm -f "$work/obs.csv"
measure "junipr eval (quark model)" "$junipr" eval -q "$model" "$big" -o "$work/scores.h5"
rm -f "$work/scores.h5"
measure "junipr render tree (the last jet)" "$junipr" render tree -q "$big" --jet $(( n_jets - 1 )) \
  -o "$work/tree.svg"
measure "junipr render image --average" "$junipr" render image -q "$big" --average \
  -o "$work/image.png"
rm -f "$work/tree.svg" "$work/image.png"
measure "junipr render hist mass" "$junipr" render hist -q "$big" --observable mass \
  -o "$work/hist.svg"
measure "junipr export junipr-json (first 20000 jets)" "$junipr" export -q "$big" \
  --format junipr-json --max-jets 20000 -o "$work/jets.json"
measure "junipr sample --seeds-from (1000 jets)" "$junipr" sample -q "$model" --jets 1000 \
  --seeds-from "$big" -o "$work/sampled.h5"
rm -f "$work/hist.svg" "$work/jets.json" "$work/sampled.h5"
measure "stream walk" "$bench" walk "$big" && cat "$work/out.txt"
measure "full read (peer)" "$bench" full "$big" && cat "$work/out.txt"
measure "random access" "$bench" random "$big" 200 && cat "$work/out.txt"
fi

if [ -x "$app" ] && command -v xvfb-run > /dev/null; then
  export XDG_CACHE_HOME=$work/cache XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
  export GSETTINGS_BACKEND=memory GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1
  t0=$(date +%s.%N)
  xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --test-mode --no-demo "$big" \
    > "$work/app.log" 2> "$work/app.err" &
  runner=$!
  max_rss=0 loaded="" loaded_rss="" observed="" pid=""
  deadline=$(( $(date +%s) + ${JX_BENCH_APP_SECONDS:-300} ))
  while [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$runner" 2> /dev/null; do
    # The app's own command line only: xvfb-run's forked subshells carry the app's arguments
    # in theirs for a moment (a pid taken from them read 0 MB and was never killed).
    [ -z "$pid" ] && pid=$(pgrep -f "^$app .*$big" | head -1)
    if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
      # VmHWM: the kernel's peak RSS, so nothing between two samples is missed
      rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
      [ "${rss:-0}" -gt "$max_rss" ] && max_rss=$rss
    fi
    n=$(grep -c "job-finished" "$work/app.log" 2> /dev/null)
    now=$(date +%s.%N)
    if [ -z "$loaded" ] && [ "${n:-0}" -ge 1 ]; then
      loaded=$(echo "$now - $t0" | bc)
      loaded_rss=$max_rss
    fi
    if [ -z "$observed" ] && [ "${n:-0}" -ge 2 ]; then
      observed=$(echo "$now - $t0" | bc)
      break
    fi
    sleep 0.2
  done
  [ -n "$pid" ] && kill "$pid" 2> /dev/null
  wait "$runner" 2> /dev/null
  echo "app: dataset loaded after ${loaded:-(not within the deadline)} s" \
       "(max RSS until then ${loaded_rss:-?} MB)," \
       "observables after ${observed:-(not within the deadline)} s, max RSS $max_rss MB"
  grep "job-" "$work/app.log" | head -4
fi
