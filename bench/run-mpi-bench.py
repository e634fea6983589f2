"""Data-parallel training on ranks (issue #11): 1 rank × 2 threads against 2 ranks × 1 thread,
jets/s for the joint and factorized heads, the share of a step spent adding the gradients
over the ranks, and a projection to clusters from what was measured.

    /usr/bin/python3 bench/run-mpi-bench.py BUILD_DIR [--jets-joint N] [--jets-factorized N]
                                            [--epochs E] [--batch B] [--rounds R]

Runs `junipr train` (BUILD_DIR/src/cli/junipr, built with -Dmpi) on quark jets of the built-in
generator, the paper's network sizes, Adam, no validation split, no checkpoint. The first
epoch is a warm-up and not timed; jets/s = training jets × timed epochs / their wall-clock
seconds (the model file's history). The two layouts run back to back, alternating which goes
first in every round, so they see the same machine load; every row is one run.

Rank 0's summary line gives its seconds waiting for the other ranks (the per-batch agreement
on the loss: mostly load imbalance), adding gradients (jx_comm_sum_floats: reduce-scatter +
allgather of the whole gradient, as a ring allreduce moves it) and sending trees; their shares
are of the epochs' wall-clock time.

The projection (printed after the table) takes the measured per-core rate of the 1-rank run
(jets/s ÷ 2 threads) and the gradient size (4 bytes × parameters), and models a step on p
ranks as compute + ring allreduce: t = max(B/p, 1 jet) / rate + 2 (p−1)/p · S/β + 2 (p−1) α,
efficiency = (B / (p · rate)) / t. α and β of the two networks are stated with the table.
"""

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

MPI_ARGS = ["--allow-run-as-root", "--oversubscribe", "-q"]
# (name, bandwidth in bytes/s, latency per message in s): TCP over 10 GbE, and 100 Gb/s
# InfiniBand/RoCE with Open MPI's UCX transport (typical small-message latencies).
NETWORKS = [("10 Gb/s", 10e9 / 8, 20e-6), ("100 Gb/s", 100e9 / 8, 2e-6)]
RANKS = [4, 16, 64]
EXCHANGE = re.compile(r"rank 0: ([0-9.]+) s waiting for the other ranks, ([0-9.]+) s adding "
                      r"gradients, ([0-9.]+) s sending trees")


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"run-mpi-bench: {' '.join(cmd)} failed: {proc.stderr.strip()}")
    return proc.stdout


def train(junipr, data, out, branch, ranks, threads, sched):
    args = ["train", data, "-o", out, "--branch", branch, "--schedule", sched,
            "--optimizer", "adam", "--val-fraction", "0", "--checkpoint", "none",
            "--threads", str(threads)]
    cmd = ([junipr] if ranks == 1 else ["mpirun"] + MPI_ARGS + ["-np", str(ranks), junipr])
    stdout = run(cmd + args)
    with h5py.File(out, "r") as f:
        seconds = f["history/seconds"][()]
        n_params = sum(int(np.prod(obj.shape)) for obj in _datasets(f["weights"]))
    m = re.search(r"([0-9]+) training and", stdout)
    n_train = int(m.group(1))
    timed = float(np.sum(seconds[1:]))
    row = {"jets_s": n_train * (len(seconds) - 1) / timed, "n_params": n_params,
           "n_train": n_train, "all_seconds": float(np.sum(seconds))}
    ex = EXCHANGE.search(stdout)
    if ex:
        row["wait"], row["reduce"], row["fetch"] = (float(x) for x in ex.groups())
    return row


def _datasets(group):
    out = []
    group.visititems(lambda _, obj: out.append(obj) if isinstance(obj, h5py.Dataset) else None)
    return out


def projection(rate_per_core, n_params, batch):
    """Efficiency of a step on p ranks (1 thread each) at global batch `batch`."""
    return [(name, [batch / (p * rate_per_core)
                    / step_seconds(rate_per_core, n_params, batch, p, 1, beta, alpha)
                    for p in RANKS])
            for name, beta, alpha in NETWORKS]


def step_seconds(rate_per_core, n_params, batch, ranks, threads, beta, alpha):
    """A step on `ranks` ranks of `threads` threads: the slowest core's jets, then the ring
    allreduce between the ranks (threads add their gradients in memory)."""
    compute = max(batch / (ranks * threads), 1.0) / rate_per_core
    if ranks == 1:
        return compute
    return compute + 2 * (ranks - 1) / ranks * 4.0 * n_params / beta + 2 * (ranks - 1) * alpha


def paper_hours(rate_per_core, n_params, ranks, threads, beta, alpha, n_jets=500_000):
    """The paper's schedule (15 epochs at batch 10, 15 at batch 100; 10 % held out) in hours."""
    n_train = 0.9 * n_jets
    total = sum(15 * math.ceil(n_train / b)
                * step_seconds(rate_per_core, n_params, b, ranks, threads, beta, alpha)
                for b in (10, 100))
    return total / 3600


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build")
    ap.add_argument("--jets-joint", type=int, default=1500)
    ap.add_argument("--jets-factorized", type=int, default=12000)
    ap.add_argument("--epochs", type=int, default=3, help="including one warm-up epoch")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    junipr = os.path.abspath(os.path.join(a.build, "src", "cli", "junipr"))

    with tempfile.TemporaryDirectory() as d:
        sched = os.path.join(d, "sched.txt")
        with open(sched, "w") as f:
            f.write(f"{a.epochs} 1e-4 {a.batch}\n")
        results = {}
        for branch, n in [("joint", a.jets_joint), ("factorized", a.jets_factorized)]:
            data = os.path.join(d, f"{branch}.h5")
            run([junipr, "generate", "--process", "qq", "--jets", str(n), "--seed", "1",
                 "-q", "-o", data])
            for r in range(a.rounds):
                layouts = [(1, 2), (2, 1)] if r % 2 == 0 else [(2, 1), (1, 2)]
                for ranks, threads in layouts:
                    t0 = time.strftime("%H:%M:%S", time.gmtime())
                    row = train(junipr, data, os.path.join(d, "m.h5"), branch, ranks,
                                threads, sched)
                    row["start"] = t0
                    results.setdefault((branch, ranks, threads), []).append(row)

    print(f"jets/s, batch {a.batch}, {a.epochs - 1} timed epochs after a warm-up; "
          f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{'head':<11}{'ranks×thr':>10}{'round':>6}{'jets/s':>9}{'2r/1r':>7}"
          f"{'wait %':>8}{'allreduce %':>12}{'trees %':>8}{'ms/step allred.':>16}")
    for branch in ["joint", "factorized"]:
        one = results[(branch, 1, 2)]
        two = results[(branch, 2, 1)]
        for r in range(a.rounds):
            for ranks, row in [(1, one[r]), (2, two[r])]:
                line = (f"{branch:<11}{f'{ranks}×{3 - ranks}':>10}{r + 1:>6}"
                        f"{row['jets_s']:>9.1f}")
                if ranks == 2:
                    steps = math.ceil(row["n_train"] / a.batch) * a.epochs
                    tot = row["all_seconds"]
                    line += (f"{row['jets_s'] / one[r]['jets_s']:>7.2f}"
                             f"{100 * row['wait'] / tot:>8.1f}{100 * row['reduce'] / tot:>12.1f}"
                             f"{100 * row['fetch'] / tot:>8.1f}"
                             f"{1e3 * row['reduce'] / steps:>16.2f}")
                print(line)
        n_params = one[0]["n_params"]
        rate = max(x["jets_s"] for x in one) / 2
        print(f"{branch}: {n_params} parameters, gradient {4 * n_params / 1e6:.2f} MB; "
              f"per core (best 1×2 run ÷ 2): {rate:.1f} jets/s")
        for batch in sorted({a.batch, 10, 1000}):
            print(f"  projected efficiency at batch {batch} "
                  f"(ranks {', '.join(map(str, RANKS))}):")
            for name, effs in projection(rate, n_params, batch):
                print(f"    {name:<9}" + "".join(f"{e:>8.2f}" for e in effs))
        print(f"  paper's schedule, 500k jets × 30 epochs: 1 core {paper_hours(rate, n_params, 1, 1, 1, 0):.1f} h; "
              + "; ".join(f"64 cores on {name}: 64 ranks × 1 thread "
                          f"{paper_hours(rate, n_params, 64, 1, b, al):.1f} h, 4 ranks × 16 "
                          f"threads {paper_hours(rate, n_params, 4, 16, b, al):.1f} h"
                          for name, b, al in NETWORKS))
    print("networks: " + "; ".join(f"{n}: β = {b / 1e9:.2f} GB/s, α = {al * 1e6:.0f} µs"
                                   for n, b, al in NETWORKS))


if __name__ == "__main__":
    main()
