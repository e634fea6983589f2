#!/bin/bash
# Peak RSS of the commands that stream their datasets since the stream2 work: discriminate,
# reweight, validate, import (and render lund --map when the build draws), on generated
# hadron-level files of N_JETS quark and Z jets and two small models trained here.
# Usage: bench/run-stream-apps-bench.sh [BUILD [N_JETS [DIR]]]   (defaults: build 300000 /tmp)
# Prints each command, its wall time and maximum RSS (/usr/bin/time -v). Not a test.
set -eu
BUILD=${1:-build}
N=${2:-300000}
J=$(realpath "$BUILD")/src/cli/junipr
D=$(mktemp -d "${3:-/tmp}/jx-stream-apps.XXXXXX")
trap 'rm -rf "$D"' EXIT
cd "$D"
nice "$J" generate --process qq --jets "$N" --seed 11 -q -o q.h5
nice "$J" generate --process zz --jets "$N" --seed 12 -q -o z.h5
nice "$J" generate --process qq --jets 3000 --seed 13 -q -o qtrain.h5
nice "$J" generate --process zz --jets 3000 --seed 14 -q -o ztrain.h5
for x in q z; do
  nice "$J" train ${x}train.h5 -o ${x}m.h5 --schedule fast --branch factorized --hidden 32 \
    --dense 48 --epochs 1 --threads 2 --skip-long --checkpoint none --seed 1 -q
done
nice "$J" export q.h5 --format text --max-jets $((N / 2)) -q -o q.txt
run () {
  echo "== junipr $*"
  /usr/bin/time -v nice "$J" "$@" 2> time.txt || { cat time.txt; exit 1; }
  grep -E "Elapsed|Maximum resident" time.txt
}
run discriminate --signal-model zm.h5 --background-model qm.h5 --signal z.h5 --background q.h5 \
  --threads 2 -q -o roc.csv
run reweight --target-model zm.h5 --source-model qm.h5 q.h5 --threads 2 -q -o w.h5 --hist h.csv
run validate qm.h5 q.h5 --threads 2 -q -o val.csv
run import q.txt -q -o imported.h5
if "$J" render --help 2>/dev/null | grep -q lund; then
  run render lund q.h5 --map --model zm.h5 --model-b qm.h5 --threads 2 -q -o map.png
fi
