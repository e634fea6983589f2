#!/usr/bin/env bash
# The JUNIPR paper's study (arXiv:1804.09720) at reduced scale, every step a `junipr` command.
#
#   bash bench/paper-study.sh [--quick] WORKDIR
#
# Writes every dataset, model, score file and CSV into WORKDIR, a log per step in WORKDIR/logs,
# every command with its wall time in WORKDIR/commands.tsv, and the summary table in
# WORKDIR/results.md (computed by bench/paper-study-stats.py with python3 + h5py + numpy).
# Environment: JUNIPR (the CLI; default build-study/src/cli/junipr, then build/...),
# PYTHON (an interpreter with h5py and numpy; default /usr/bin/python3 when it has them).
set -euo pipefail

# ---- parameters (full run; each can be overridden from the environment, e.g. NTRAIN=40000) ----
NTRAIN=${NTRAIN:-20000}  # training jets per sample (Z window, quark window, quark 0.1365, quark 0.11)
NTEST=${NTEST:-10000}  # held-out jets per sample (discrimination, closure, validation)
NJOINT=${NJOINT:-5000}  # training jets of the one joint-branch model (the paper's P_branch)
NSAMPLE=${NSAMPLE:-5000}  # jets drawn from each model for the sampling closure and Sect. 5
NSAMPLE_JOINT=${NSAMPLE_JOINT:-500}  # jets drawn from the joint model (its sampling runs at ~2 jets/s/thread)
NSAMPLE_SECT5=${NSAMPLE_SECT5:-1000}  # jets drawn from each Sect. 5 model (printer: ~5 jets/s/thread)
SCHEDULE=${SCHEDULE:-fast}  # training schedule: paper | fast | FILE (see junipr train --help)
EPOCHS=${EPOCHS:-}  # cut/lengthen the schedule to N epochs ("" = as the schedule says)
HIDDEN=${HIDDEN:-100}  # RNN hidden size (paper: 100)
THREADS=${THREADS:-2}  # worker threads of every command
SEED=${SEED:-1}  # base seed; each sample / model gets SEED + a fixed offset
ALPHA_HI=${ALPHA_HI:-0.1365}  # alpha_s(m_Z) of the default quark sample (paper)
ALPHA_LO=${ALPHA_LO:-0.11}  # alpha_s(m_Z) of the reweighting source sample (paper)
WINDOW=${WINDOW:-90.7,91.7}  # jet-mass window of the Z vs quark study (paper)
LEVEL=${LEVEL:-hadron}  # generator level: hadron (paper's Pythia-like final states, default) | parton

QUICK=0
if [[ "${1:-}" == "--quick" ]]; then QUICK=1; shift; fi
if [[ $# -ne 1 ]]; then
  echo "usage: bash bench/paper-study.sh [--quick] WORKDIR" >&2
  exit 1
fi
if (( QUICK )); then
  NTRAIN=2000; NTEST=1000; NJOINT=500; NSAMPLE=500; NSAMPLE_JOINT=100; NSAMPLE_SECT5=200; EPOCHS=2; HIDDEN=32
fi

WORK=$1
mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")

if [[ -z "${JUNIPR:-}" ]]; then
  for c in "$ROOT/build-study/src/cli/junipr" "$ROOT/build/src/cli/junipr"; do
    if [[ -x "$c" ]]; then JUNIPR=$c; break; fi
  done
fi
if [[ -z "${JUNIPR:-}" || ! -x "$JUNIPR" ]]; then
  echo "paper-study: no junipr binary; build it (meson setup build && ninja -C build) or set JUNIPR" >&2
  exit 1
fi
if [[ -z "${PYTHON:-}" ]]; then
  PYTHON=python3
  # pyenv shims often lack h5py; Debian's python3-h5py lives under /usr/bin/python3
  if ! "$PYTHON" -c 'import h5py, numpy' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
fi
if ! "$PYTHON" -c 'import h5py, numpy' 2>/dev/null; then
  echo "paper-study: $PYTHON lacks h5py/numpy (Debian: apt-get install python3-h5py); set PYTHON" >&2
  exit 1
fi

cd "$WORK"
J=$JUNIPR
CMDS=$WORK/commands.tsv
# a rerun into the same WORKDIR keeps the earlier steps' times and parameters
[[ -e "$CMDS" ]] || printf 'step\tseconds\tcommand\n' > "$CMDS"
{
  echo "---"
  echo "quick=$QUICK ntrain=$NTRAIN ntest=$NTEST njoint=$NJOINT nsample=$NSAMPLE nsample_joint=$NSAMPLE_JOINT nsample_sect5=$NSAMPLE_SECT5"
  echo "schedule=$SCHEDULE epochs=${EPOCHS:-schedule} hidden=$HIDDEN threads=$THREADS seed=$SEED level=$LEVEL"
  echo "junipr=$J ($("$J" --version 2>/dev/null || echo '?'))"
  echo "started=$(date -u +%FT%TZ) host_load=$(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$WORK/parameters.txt"

# run STEP CMD...: run one command in WORK, its output to logs/STEP.log, its wall time to CMDS.
# A step whose output already exists is skipped (rerun after a stop continues where it was).
run () {
  local step=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  echo "[$(date -u +%T)] $step: $*"
  if ! "$@" > "logs/$step.log" 2>&1; then
    echo "paper-study: step $step failed; see $WORK/logs/$step.log" >&2
    tail -5 "logs/$step.log" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  printf '%s\t%.1f\t%s\n' "$step" "$(echo "$t1 - $t0" | bc)" "$*" >> "$CMDS"
}

# once OUT STEP CMD...: run only when OUT does not exist yet
once () {
  local out=$1; shift
  if [[ -e "$out" ]]; then
    echo "[$(date -u +%T)] $1: $out exists, kept"
    return 0
  fi
  run "$@"
}

EP=()
if [[ -n "$EPOCHS" ]]; then EP=(--epochs "$EPOCHS"); fi
TRAIN=(--schedule "$SCHEDULE" "${EP[@]}" --hidden "$HIDDEN" --threads "$THREADS" --checkpoint none -q)

# ---- 1. samples --------------------------------------------------------------------------
once z-train.h5 gen-z-train $J generate --level $LEVEL --process zz --mass-window $WINDOW --jets $NTRAIN --seed $((SEED+10)) --threads $THREADS -q -o z-train.h5
once z-test.h5 gen-z-test $J generate --level $LEVEL --process zz --mass-window $WINDOW --jets $NTEST --seed $((SEED+11)) --threads $THREADS -q -o z-test.h5
once qw-train.h5 gen-qw-train $J generate --level $LEVEL --process qq --mass-window $WINDOW --jets $NTRAIN --seed $((SEED+20)) --threads $THREADS -q -o qw-train.h5
once qw-test.h5 gen-qw-test $J generate --level $LEVEL --process qq --mass-window $WINDOW --jets $NTEST --seed $((SEED+21)) --threads $THREADS -q -o qw-test.h5
once qhi-train.h5 gen-qhi-train $J generate --level $LEVEL --process qq --alpha-s $ALPHA_HI --jets $NTRAIN --seed $((SEED+30)) --threads $THREADS -q -o qhi-train.h5
once qhi-test.h5 gen-qhi-test $J generate --level $LEVEL --process qq --alpha-s $ALPHA_HI --jets $NTEST --seed $((SEED+31)) --threads $THREADS -q -o qhi-test.h5
once qlo-train.h5 gen-qlo-train $J generate --level $LEVEL --process qq --alpha-s $ALPHA_LO --jets $NTRAIN --seed $((SEED+40)) --threads $THREADS -q -o qlo-train.h5
once qlo-test.h5 gen-qlo-test $J generate --level $LEVEL --process qq --alpha-s $ALPHA_LO --jets $NTEST --seed $((SEED+41)) --threads $THREADS -q -o qlo-test.h5

for s in z qw qhi qlo; do
  once $s-test.csv obs-$s-test $J observables $s-test.h5 --skip-bad -q -o $s-test.csv
done

# ---- 2. models (C/A, factorized; one joint) -------------------------------------------------
once z-fac.h5 train-z-fac $J train z-train.h5 --branch factorized --skip-bad --skip-long --seed $((SEED+1)) "${TRAIN[@]}" -o z-fac.h5
once qw-fac.h5 train-qw-fac $J train qw-train.h5 --branch factorized --skip-bad --skip-long --seed $((SEED+2)) "${TRAIN[@]}" -o qw-fac.h5
once qhi-fac.h5 train-qhi-fac $J train qhi-train.h5 --branch factorized --skip-bad --skip-long --seed $((SEED+3)) "${TRAIN[@]}" -o qhi-fac.h5
once qlo-fac.h5 train-qlo-fac $J train qlo-train.h5 --branch factorized --skip-bad --skip-long --seed $((SEED+4)) "${TRAIN[@]}" -o qlo-fac.h5
# the joint model (its G^4 output layer is ~8x slower to train) gets a smaller sample of the same kind
once qhi-joint-train.h5 gen-qhi-joint-train $J generate --level $LEVEL --process qq --alpha-s $ALPHA_HI --jets $NJOINT --seed $((SEED+32)) --threads $THREADS -q -o qhi-joint-train.h5
once qhi-joint.h5 train-qhi-joint $J train qhi-joint-train.h5 --branch joint --skip-bad --skip-long --seed $((SEED+5)) "${TRAIN[@]}" -o qhi-joint.h5

# ---- 3. Z vs quark discrimination (Fig. 12) -------------------------------------------------
once roc.csv discriminate $J discriminate --signal-model z-fac.h5 --background-model qw-fac.h5 \
  --signal z-test.h5 --background qw-test.h5 --threads $THREADS -q -o roc.csv --scores lr.h5

# ---- 4. sampling closure (seeds: held-out jet momenta) ------------------------------------
for m in qhi-fac qhi-joint z-fac; do
  d=${m%%-*}
  ns=$NSAMPLE; if [[ $m == *joint ]]; then ns=$NSAMPLE_JOINT; fi
  once sampled-$m.h5 sample-$m $J sample $m.h5 --jets $ns --seeds-from $d-test.h5 --seed $((SEED+50)) --threads $THREADS -q -o sampled-$m.h5
  once sampled-$m.csv obs-sampled-$m $J observables sampled-$m.h5 --skip-bad -q -o sampled-$m.csv
  # the sampled particles as drawn (no subjet step): the model's own output, soft ones included
  once sampled-$m-raw.csv obs-sampled-$m-raw $J observables sampled-$m.h5 --esub 0 --rsub 0 --skip-bad -q -o sampled-$m-raw.csv
done

# ---- 5. reweighting closure (Fig. 18): alpha_s 0.11 jets -> 0.1365 ---------------------------
once rw.h5 reweight $J reweight --target-model qhi-fac.h5 --source-model qlo-fac.h5 qlo-test.h5 \
  --threads $THREADS -q -o rw.h5 --hist rw-hist.csv

# ---- 6. validation (Figs. 7-9) ------------------------------------------------------------
for m in z-fac qw-fac qhi-fac qlo-fac qhi-joint; do
  d=${m%%-*}
  once validate-$m.csv validate-$m $J validate $m.h5 $d-test.h5 --threads $THREADS -o validate-$m.csv
done

# ---- 7. Sect. 5: printer and anti-kt, global vs local -------------------------------------
for alg in printer antikt; do
  for loc in global local; do
    m=qhi-$alg-$loc
    L=(); if [[ $loc == local ]]; then L=(--local); fi
    once $m.h5 train-$m $J train qhi-train.h5 --algorithm $alg "${L[@]}" --branch factorized --skip-bad --skip-long --seed $((SEED+6)) "${TRAIN[@]}" -o $m.h5
    once sampled-$m.h5 sample-$m $J sample $m.h5 --jets $NSAMPLE_SECT5 --seeds-from qhi-test.h5 --seed $((SEED+60)) --threads $THREADS -q -o sampled-$m.h5
    once sampled-$m.jsonl cluster-sampled-$m $J cluster sampled-$m.h5 --algorithm $alg --skip-bad --json -q -o sampled-$m.jsonl
    once sampled-$m.csv obs-sampled-$m $J observables sampled-$m.h5 --skip-bad -q -o sampled-$m.csv
    once sampled-$m-raw.csv obs-sampled-$m-raw $J observables sampled-$m.h5 --esub 0 --rsub 0 --skip-bad -q -o sampled-$m-raw.csv
  done
  once qhi-test-$alg.jsonl cluster-qhi-test-$alg $J cluster qhi-test.h5 --algorithm $alg --skip-bad --json -q -o qhi-test-$alg.jsonl
done

# ---- 8. statistics and the summary table ---------------------------------------------------
echo "finished=$(date -u +%FT%TZ)" >> "$WORK/parameters.txt"
"$PYTHON" "$HERE/paper-study-stats.py" "$WORK" > "$WORK/results.md"
echo "paper-study: wrote $WORK/results.md"
cat "$WORK/results.md"
