#!/bin/sh
# run-network-bench.sh — JUNIPR network throughput, ours against PyTorch in the same run.
#
# Usage: bench/run-network-bench.sh [BUILD_DIR [N_JETS [EPOCHS]]]   (defaults build, 1000, 1)
# Needs Debian's python3-torch (apt-get install python3-torch; not in tools/setup-debian.sh:
# CI does not run benchmarks). For every row (joint/factorized × train/eval × 1/2 threads)
# ours (bench-train) and PyTorch (bench/torch_junipr.py, same network, sizes, jet lengths and
# batch 100) run back to back, so their ratio sees the same machine load; the order
# alternates between rows. PyTorch runs twice per row, with libgomp's default wait policy and
# with OMP_WAIT_POLICY=PASSIVE, and its faster run counts (busy-waiting OpenMP threads
# collapse on a loaded machine). bench-sgemm first measures OpenBLAS's sgemm peak for the joint
# head's shapes (R = 256 rows per block, as the model uses). Columns: jets/s (wall clock),
# jets per CPU-second of all threads (in brackets; robust to other load), the ratio ours /
# PyTorch of both, FLOPs per jet (GEMMs, exact), our GFLOP/s (wall) and its share of the
# sgemm peak for the same thread count (train rows: the 3-GEMM training peak; eval rows: the
# forward GEMM's); then, in brackets, the same per CPU-second: our GFLOP per CPU-second of
# all threads and its share of the 1-thread sgemm GFLOP per CPU-second (robust to load).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n_jets=${2:-1000}
epochs=${3:-1}
bt="$build/bench/bench-train"
bs="$build/bench/bench-sgemm"
py=/usr/bin/python3
for f in "$bt" "$bs"; do
  [ -x "$f" ] || { echo "run-network-bench: $f not built (ninja -C $build)" >&2; exit 1; }
done
"$py" -c 'import torch' 2>/dev/null || { echo "run-network-bench: needs python3-torch" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bt" --lengths "$tmp/lengths" "$n_jets"

echo "machine: $(nproc) CPUs, $(uptime | sed 's/.*load/load/')"
"$bs" 256 5 | tee "$tmp/sgemm"
peaks=$(sed -n 's/^peak train\/eval GFLOP\/s: 1 thread \([0-9.]*\) \([0-9.]*\), 2 threads \([0-9.]*\) \([0-9.]*\)$/\1 \2 \3 \4/p' "$tmp/sgemm")
cpu_peaks=$(sed -n 's/^peak train\/eval GFLOP per CPU-second (1 thread): \([0-9.]*\) \([0-9.]*\)$/\1 \2/p' "$tmp/sgemm")

: > "$tmp/rows"
i=0
for branch in joint factorized; do
  for mode in train eval; do
    for threads in 1 2; do
      ours() { "$bt" --machine --branch "$branch" --mode "$mode" --threads "$threads" "$n_jets" "$epochs"; }
      torch1() { "$py" "$here/torch_junipr.py" --branch "$branch" --mode "$mode" --threads "$threads" \
                   --lengths "$tmp/lengths" --epochs "$epochs"; }
      # libgomp's default busy-waiting collapses on a loaded machine; take PyTorch's better
      # run of the default and OMP_WAIT_POLICY=PASSIVE (labelled omp=... in the raw lines).
      torch() {
        a=$(torch1); b=$(OMP_WAIT_POLICY=PASSIVE torch1)
        echo "$a omp=default" >&2
        echo "$b omp=passive" >&2
        ra=$(echo "$a" | sed 's/.* jets\/s=\([0-9.]*\).*/\1/')
        rb=$(echo "$b" | sed 's/.* jets\/s=\([0-9.]*\).*/\1/')
        if awk -v a="$ra" -v b="$rb" 'BEGIN { exit !(b > a) }'; then echo "$b"; else echo "$a"; fi
      }
      if [ $((i % 2)) -eq 0 ]; then o=$(ours); t=$(torch); else t=$(torch); o=$(ours); fi
      i=$((i + 1))
      echo "$o" >&2
      echo "$o|$t" >> "$tmp/rows"
    done
  done
done

echo
echo "load after: $(uptime | sed 's/.*load/load/')"
awk -v peaks="$peaks" -v cpu_peaks="$cpu_peaks" -F'|' '
function val(s, key,   a, n, i) {
  n = split(s, a, " ")
  for (i = 1; i <= n; i++) if (index(a[i], key "=") == 1) return substr(a[i], length(key) + 2)
  return ""
}
BEGIN {
  split(peaks, p, " ")   # train1 eval1 train2 eval2
  split(cpu_peaks, cp, " ")   # train eval, per CPU-second
  printf "%-10s %-5s %3s  %9s %9s  %9s %9s  %6s %6s  %9s %7s %6s %7s %6s\n", "branch", "mode", "thr",
         "ours j/s", "[cpu-s]", "torch j/s", "[cpu-s]", "ratio", "[cpu]", "MFLOP/jet", "GFLOP/s",
         "%peak", "[/cpu-s]", "[%pk]"
}
{
  split($1, o, " "); th = val($1, "threads")
  r = val($1, "jets/s"); rc = val($1, "jets/cpu-s"); f = val($1, "flops/jet")
  tr = val($2, "jets/s"); tc = val($2, "jets/cpu-s")
  g = r * f / 1e9
  pk = o[3] == "train" ? (th == 1 ? p[1] : p[3]) : (th == 1 ? p[2] : p[4])
  gc = rc * f / 1e9; cpk = o[3] == "train" ? cp[1] : cp[2]
  printf "%-10s %-5s %3d  %9.1f %9.1f  %9.1f %9.1f  %6.2f %6.2f  %9.1f %7.1f %5.0f%% %7.1f %5.0f%%\n",
         o[2], o[3], th, r, rc, tr, tc, r / tr, rc / tc, f / 1e6, g, (pk > 0 ? 100 * g / pk : 0),
         gc, (cpk > 0 ? 100 * gc / cpk : 0)
}' "$tmp/rows"
