"""`junipr train|eval|sample` under mpirun with 2 (and 3) ranks (issue #11), against the same
commands in one process:
 - train: 2 ranks × 1 thread give the one-process model (2 threads) within 1e-6 of the largest
   weight after 115 steps; a second 2-rank run gives the same bits; a checkpoint of 2 ranks
   resumes on 3 and one of 1 on 2, ending where one process ends; the same equality for LSTM
   cells on pp-metric trees of pp jets and for GRU cells, and their eval --per-step files;
 - errors end every rank with one line and no output: a bad jet in rank 1's share, an
   unwritable output, a command that does not run on ranks, rank 1 killed mid-run;
 - eval (with and without --per-step) and sample (with and without --seeds-from) write the
   file one process writes (h5py finds every array and attribute equal).
Usage: test-mpi.py JUNIPR_EXE MPIRUN      (MPIRUN = "none": junipr built without MPI: skip)"""

import math
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitest import Checker, leftovers, random_jets, run, weights, write_dataset  # noqa: E402
from jet_fixtures import massless_p4, pp_jets  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
MPIRUN = sys.argv[2] if len(sys.argv) > 2 else "none"
T = Checker("mpi")
TINY = ["--branch", "factorized", "--hidden", "8", "--dense", "8", "--max-mult", "16",
        "--esub", "0", "--rsub", "0", "--seed", "3", "-q"]
# Open MPI refuses root unless told (CI runs as root); -q keeps its own banners out of
# stderr, so what is left is junipr's; --oversubscribe: more ranks than this machine's cores.
MPI_ARGS = ["--allow-run-as-root", "--oversubscribe", "-q"]
DEADLINE = 300   # seconds for one mpirun: a hang is a failure, not a stuck test


def mpirun(n, args, **kw):
    """Runs junipr on n ranks; returns (exit code, stdout, stderr)."""
    cmd = [MPIRUN] + MPI_ARGS + ["-np", str(n), EXE] + list(args)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kw)
    try:
        out, err = proc.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        T.check(False, f"mpirun -np {n} {' '.join(args[:2])} still running after {DEADLINE} s")
    return proc.returncode, out, err


def rel_diff(a, b):
    """max |a − b| / max |a| over all weights."""
    wa, wb = weights(a), weights(b)
    if wa.keys() != wb.keys():
        return math.inf
    d = max(float(np.max(np.abs(wa[k] - wb[k]))) for k in wa)
    m = max(float(np.max(np.abs(wa[k]))) for k in wa)
    return d / m


def same_file(a, b):
    """Every dataset and attribute equal (NaN = NaN), as one process and the job write them."""
    diffs = []
    with h5py.File(a, "r") as f, h5py.File(b, "r") as g:
        def attrs(x, y, where):
            if set(x.attrs) != set(y.attrs):
                diffs.append(f"attributes of {where}")
            for k in x.attrs:
                if k in y.attrs and not np.array_equal(x.attrs[k], y.attrs[k]):
                    diffs.append(f"{where}@{k}")

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                if name not in g or not np.array_equal(obj[()], g[name][()], equal_nan=True):
                    diffs.append(name)
            attrs(obj, g[name] if name in g else obj, name)

        attrs(f, g, "/")
        f.visititems(visit)
        names = []
        g.visit(names.append)
        diffs += [n for n in names if n not in f]
    return diffs


def one_line(err, *needles):
    lines = err.strip().splitlines()
    return len(lines) == 1 and all(n in lines[0] for n in needles)


def check_train(d, data, sched):
    one = os.path.join(d, "one.h5")
    rc, _, err = run(EXE, ["train", data, "-o", one, "--schedule", sched, "--threads", "2",
                           "--checkpoint", "none"] + TINY)
    T.check(rc == 0, f"one process: {rc} {err!r}")
    two = os.path.join(d, "two.h5")
    rc, out, err = mpirun(2, ["train", data, "-o", two, "--schedule", sched, "--threads", "1",
                              "--checkpoint", "none"] + TINY)
    T.check(rc == 0 and err == "" and out == "", f"2 ranks: {rc} {out!r} {err!r}")
    if rc != 0:
        return
    with h5py.File(two, "r") as f:
        epochs = len(f["history/val_loss"][()])
    steps = epochs * math.ceil(225 / 10)
    diff = rel_diff(one, two)
    print(f"train, 2 ranks × 1 thread vs 1 × 2 threads: max |Δw| / max |w| = {diff:.3g} "
          f"after {steps} steps")
    T.check(steps > 100 and diff <= 1e-6, f"2 ranks vs one process: {diff:.3g} after {steps}")
    with h5py.File(one, "r") as f, h5py.File(two, "r") as g:
        T.check(np.allclose(f["history/val_loss"][()], g["history/val_loss"][()], rtol=1e-6),
                "validation losses as one process's")
        T.check(np.array_equal(f["sampling/massless"][()], g["sampling/massless"][()]),
                "massless rates of all ranks' trees")

    again = os.path.join(d, "again.h5")
    rc, _, err = mpirun(2, ["train", data, "-o", again, "--schedule", sched, "--threads", "1",
                            "--checkpoint", "none"] + TINY)
    T.check(rc == 0 and rel_diff(two, again) == 0.0, f"2 ranks twice: the same bits ({err!r})")

    # 1 epoch on 2 ranks, the rest on 3; 1 epoch in one process, the rest on 2.
    for first, second in [(2, 3), (1, 2)]:
        ckpt = os.path.join(d, f"ckpt-{first}.h5")
        half = os.path.join(d, f"half-{first}.h5")
        args = ["train", data, "-o", half, "--schedule", sched, "--epochs", "1",
                "--checkpoint", ckpt, "--threads", "1"] + TINY
        rc, _, err = mpirun(first, args) if first > 1 else run(EXE, args)
        T.check(rc == 0 and os.path.exists(ckpt), f"first part on {first}: {rc} {err!r}")
        resumed = os.path.join(d, f"resumed-{first}-{second}.h5")
        rc, _, err = mpirun(second, ["train", data, "-o", resumed, "--resume", ckpt,
                                     "--schedule", sched, "--checkpoint", ckpt, "--threads",
                                     "1", "-q"])
        T.check(rc == 0 and err == "", f"resume on {second}: {rc} {err!r}")
        if rc == 0:
            diff = rel_diff(one, resumed)
            print(f"resume: 1 epoch on {first}, the rest on {second}: max |Δw| / max |w| = "
                  f"{diff:.3g}")
            T.check(diff <= 1e-6, f"resume {first} → {second}: {diff:.3g}")


def check_recurrent(d, data, sched):
    """LSTM and GRU cells (their gradients are reduced as the RNN's), LSTM on pp-metric trees
    of jets spread in rapidity: 2 ranks against one process as for the RNN."""
    pp = os.path.join(d, "pp.h5")
    write_dataset(pp, [massless_p4(p[:, 0], p[:, 1], p[:, 2])
                       for p, _ in pp_jets(np.random.default_rng(7), 250, 10, 3)])
    for cell, metric, path in [("lstm", "pp", pp), ("gru", "ee", data)]:
        extra = ["--recurrent", cell, "--metric", metric, "--schedule", sched,
                 "--checkpoint", "none"] + TINY
        one, two = os.path.join(d, f"{cell}-1.h5"), os.path.join(d, f"{cell}-2.h5")
        rc, _, err = run(EXE, ["train", path, "-o", one, "--threads", "2"] + extra)
        T.check(rc == 0, f"{cell}: one process: {rc} {err!r}")
        rc2, out, err2 = mpirun(2, ["train", path, "-o", two, "--threads", "1"] + extra)
        T.check(rc2 == 0 and err2 == "" and out == "", f"{cell}: 2 ranks: {rc2} {out!r} {err2!r}")
        if rc != 0 or rc2 != 0:
            continue
        with h5py.File(two, "r") as f:
            steps = len(f["history/val_loss"][()]) * math.ceil(225 / 10)
            stored = (f.attrs["recurrent"], f.attrs["clustering_metric"])
        T.check([x.decode() if isinstance(x, bytes) else str(x) for x in stored] == [cell, metric],
                f"{cell}: the model says {stored}")
        diff = rel_diff(one, two)
        print(f"train --recurrent {cell} --metric {metric}, 2 ranks × 1 thread vs 1 × 2 "
              f"threads: max |Δw| / max |w| = {diff:.3g} after {steps} steps")
        T.check(steps > 100 and diff <= 1e-6, f"{cell}: 2 ranks vs one process: {diff:.3g}")
        # eval with the model's cell and metric: the one-process scores file
        a, b = os.path.join(d, f"{cell}-s1.h5"), os.path.join(d, f"{cell}-s2.h5")
        rc, _, err = run(EXE, ["eval", one, path, "-o", a, "-q", "--per-step"])
        rc2, out, err2 = mpirun(2, ["eval", one, path, "-o", b, "-q", "--per-step",
                                    "--threads", "1"])
        # (pp jets are ~1.1 TeV: both warn about the model's 500 GeV scaling, once)
        T.check(rc == 0 and rc2 == 0 and out == "" and err2 == err, f"{cell}: eval {err!r} {err2!r}")
        if rc == 0 and rc2 == 0:
            diffs = same_file(a, b)
            T.check(not diffs, f"{cell}: eval on 2 ranks differs in {diffs}")


def check_errors(d, data, sched):
    # A jet with a NaN energy in rank 1's half of the file.
    jets = random_jets(250, 1)
    jets[201][1] = (float("nan"),) + tuple(jets[201][1][1:])
    bad = os.path.join(d, "bad.h5")
    write_dataset(bad, jets)
    out_path = os.path.join(d, "never.h5")
    rc, _, err = mpirun(2, ["train", bad, "-o", out_path, "--schedule", sched] + TINY)
    T.check(rc == 1 and one_line(err, "jet 201", "--skip-bad"), f"bad jet: {rc} {err!r}")
    T.check(not os.path.exists(out_path) and not leftovers(d), "bad jet: no output")

    rc, _, err = mpirun(2, ["train", data, "-o", os.path.join(d, "no-dir", "m.h5")] + TINY)
    T.check(rc == 1 and one_line(err, "no-dir"), f"unwritable output: {rc} {err!r}")

    rc, _, err = mpirun(2, ["info", data])
    T.check(rc == 1 and one_line(err, "junipr info", "without mpirun"), f"info: {rc} {err!r}")

    # Streamed training is one process for now: refused with one line, nothing written.
    rc, _, err = mpirun(2, ["train", data, "--stream", "-o", out_path, "--schedule", sched] + TINY)
    T.check(rc == 1 and one_line(err, "--stream", "without mpirun"), f"--stream: {rc} {err!r}")
    T.check(not os.path.exists(out_path) and not leftovers(d), "--stream: no output")

    # Rank 1 killed mid-run: mpirun ends the job, rank 0 says so in one line. It is killed
    # just after a checkpoint appeared, an epoch (~1 s) before the next is written, so the
    # kill does not land in a write (whose temporary the next write would remove).
    big = os.path.join(d, "big.h5")
    write_dataset(big, random_jets(1000, 2))
    killed = os.path.join(d, "killed.h5")
    ckpt = os.path.join(d, "killed-ckpt.h5")
    cmd = [MPIRUN] + MPI_ARGS + ["-np", "2", EXE, "train", big, "-o", killed, "--schedule",
                                 sched, "--epochs", "100000", "--threads", "1",
                                 "--checkpoint", ckpt] + TINY
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    rank1 = None
    deadline = time.time() + DEADLINE
    while time.time() < deadline and proc.poll() is None and rank1 is None:
        time.sleep(0.2)
        if os.path.exists(ckpt):   # training is on: one epoch done
            rank1 = rank_pid(proc.pid, 1)
    T.check(rank1 is not None, "found rank 1 after the first epoch")
    if rank1 is not None:
        t0 = time.time()
        os.kill(rank1, signal.SIGKILL)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
        took = time.time() - t0
        print(f"rank 1 killed: the job ended after {took:.1f} s")
        T.check(took < 30 and proc.returncode != 0, f"killed rank: {proc.returncode}, {took:.1f} s")
        T.check(one_line(err, "stopped", "a checkpoint written before stays valid"),
                f"killed rank: one line: {err!r}")
        T.check(not os.path.exists(killed), "killed rank: no model")
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    with h5py.File(ckpt, "r") as f:
        T.check("train_state" in f, "the last checkpoint is whole")
    T.check(not leftovers(d), f"no temporaries left: {leftovers(d)}")


def rank_pid(mpirun_pid, rank):
    """The pid of the junipr process of this rank (a child of mpirun)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid != mpirun_pid:
                continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            if f"OMPI_COMM_WORLD_RANK={rank}".encode() in env:
                return int(pid)
        except (OSError, ValueError, IndexError):
            continue
    return None


def check_eval_sample(d, data):
    model = os.path.join(d, "one.h5")
    for extra in [[], ["--per-step"]]:
        a, b = os.path.join(d, "s1.h5"), os.path.join(d, "s2.h5")
        rc, _, err = run(EXE, ["eval", model, data, "-o", a, "-q", "--threads", "2"] + extra)
        rc2, out, err2 = mpirun(2, ["eval", model, data, "-o", b, "-q", "--threads", "1"] + extra)
        T.check(rc == 0 and rc2 == 0 and out == "" and err2 == "", f"eval {extra}: {err2!r}")
        if rc == 0 and rc2 == 0:
            diffs = same_file(a, b)
            T.check(not diffs, f"eval {extra} on 2 ranks: differs in {diffs}")
    for extra in [[], ["--seeds-from", data]]:
        a, b = os.path.join(d, "j1.h5"), os.path.join(d, "j3.h5")
        args = ["sample", model, "--jets", "61", "--seed", "5", "-q"] + extra
        rc, _, err = run(EXE, args + ["-o", a, "--threads", "2"])
        rc2, out, err2 = mpirun(3, args + ["-o", b, "--threads", "1"])
        T.check(rc == 0 and rc2 == 0 and out == "" and err2 == "", f"sample {extra}: {err2!r}")
        if rc == 0 and rc2 == 0:
            diffs = same_file(a, b)
            T.check(not diffs, f"sample {extra} on 3 ranks: differs in {diffs}")


def main():
    if MPIRUN == "none":
        print("SKIP: junipr was built without MPI (Debian: apt install openmpi-bin "
              "libopenmpi-dev, then meson setup --reconfigure)")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "data.h5")
        write_dataset(data, random_jets(250, 1))   # 225 training jets: 23 batches of 10
        sched = os.path.join(d, "sched.txt")
        with open(sched, "w") as f:
            f.write("5 0.01 10\n")
        check_train(d, data, sched)
        check_recurrent(d, data, sched)
        check_eval_sample(d, data)
        check_errors(d, data, sched)
    T.done()


if __name__ == "__main__":
    main()
