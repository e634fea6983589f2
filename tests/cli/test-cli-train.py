"""End-to-end test of `junipr train` and `junipr eval`: a tiny model trained on small hand-made
jets, the files it writes (model, checkpoint, scores) read back with h5py, bit-identical
reruns, resume equivalence, eval warnings, one-line user errors and Ctrl-C.
Usage: test-cli-train.py JUNIPR_EXE"""

import math
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, leftovers, random_jets, run, weights, write_dataset  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-train")
TINY = ["--branch", "factorized", "--hidden", "8", "--dense", "8", "--max-mult", "16",
        "--esub", "0", "--rsub", "0", "--threads", "2", "--seed", "3", "-q"]


def same_weights(a, b):
    wa, wb = weights(a), weights(b)
    return len(wa) > 0 and wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)


def one_line_error(rc, err, *needles):
    lines = err.strip().splitlines()
    return rc == 1 and len(lines) == 1 and all(n in lines[0] for n in needles)


def main():
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "data.h5")
        write_dataset(data, random_jets(150, 1))
        sched = os.path.join(d, "sched.txt")
        with open(sched, "w") as f:
            f.write("# two short stages\n1 3e-3 10\n1 1e-3 25\n")

        for cmd in ["train", "eval"]:
            rc, out, err = run(EXE, [cmd, "--help"])
            T.check(rc == 0 and out.startswith(f"Usage: junipr {cmd}") and err == "",
                    f"{cmd} --help: {rc} {out[:50]!r} {err!r}")

        # Train, then look at the model and the checkpoint.
        model = os.path.join(d, "model.h5")
        rc, out, err = run(EXE, ["train", data, "-o", model, "--schedule", sched,
                                 "--optimizer", "adam"] + TINY)
        T.check(rc == 0 and err == "", f"train: rc {rc}, stderr {err!r}")
        ckpt = os.path.join(d, "model.checkpoint.h5")
        T.check(os.path.exists(model) and os.path.exists(ckpt), "model and checkpoint written")
        if rc != 0:
            T.done()
        with h5py.File(model, "r") as f:
            T.check(f.attrs["format"] in ("junipr-model", b"junipr-model"), "model format attribute")
            keys = list(f.keys())
            T.check("history" in keys and "weights" in keys, f"model groups {keys}")
            vl = f["history/val_loss"][()] if "history/val_loss" in f else []
            T.check(len(vl) == 2 and np.all(np.isfinite(vl)), f"two epochs of val loss {vl}")
        with h5py.File(ckpt, "r") as f:
            T.check("train_state" in f and "optimizer" in f and "m" in f["optimizer"],
                    "checkpoint has /train_state and Adam moments")
            T.check(int(f["train_state"].attrs["epochs_done"]) == 2, "checkpoint epochs_done = 2")

        # Same seed and threads: the same bits.
        model2 = os.path.join(d, "model2.h5")
        rc, out, err = run(EXE, ["train", data, "-o", model2, "--schedule", sched, "--optimizer",
                                 "adam", "--checkpoint", "none"] + TINY)
        T.check(rc == 0 and same_weights(model, model2), "rerun gives identical weights")
        T.check(not os.path.exists(os.path.join(d, "model2.checkpoint.h5")), "--checkpoint none")

        # One epoch, then resume the second: same as the straight run.
        half = os.path.join(d, "half.h5")
        half_ckpt = os.path.join(d, "half-ckpt.h5")
        rc, out, err = run(EXE, ["train", data, "-o", half, "--schedule", sched, "--optimizer",
                                 "adam", "--epochs", "1", "--checkpoint", half_ckpt] + TINY)
        T.check(rc == 0 and not same_weights(model, half), f"one epoch: rc {rc} {err!r}")
        resumed = os.path.join(d, "resumed.h5")
        rc, out, err = run(EXE, ["train", data, "-o", resumed, "--resume", half_ckpt,
                                 "--schedule", sched, "--checkpoint", half_ckpt,
                                 "--threads", "2", "-q"])
        T.check(rc == 0 and same_weights(model, resumed), f"resume equals straight run: {rc} {err!r}")

        # --stream: the file (150 jets) is one chunk by default: the same bits as read whole.
        streamed = os.path.join(d, "streamed.h5")
        rc, out, err = run(EXE, ["train", data, "--stream", "-o", streamed, "--schedule", sched,
                                 "--optimizer", "adam", "--checkpoint", "none"] + TINY)
        T.check(rc == 0 and err == "" and same_weights(model, streamed),
                f"--stream, one chunk: the model read whole gives: {rc} {err!r}")
        # Chunks of 37 → 64 jets (3 chunks): another order, the same bits twice, and a
        # resume (without the variable: the checkpoint's chunking) equals the straight run.
        env = dict(os.environ, JUNIPR_STREAM_CHUNK_JETS="37")
        chunked = [os.path.join(d, f"chunked{i}.h5") for i in range(2)]
        for path in chunked:
            rc, out, err = run(EXE, ["train", data, "--stream", "-o", path, "--schedule", sched,
                                     "--optimizer", "adam", "--checkpoint", "none"] + TINY, env=env)
            T.check(rc == 0 and err == "", f"--stream in chunks: {rc} {err!r}")
        T.check(same_weights(chunked[0], chunked[1]) and not same_weights(model, chunked[0]),
                "--stream in chunks: reproducible, and another order than read whole")
        s_ckpt = os.path.join(d, "s-ckpt.h5")
        rc, out, err = run(EXE, ["train", data, "--stream", "-o", os.path.join(d, "s-half.h5"),
                                 "--schedule", sched, "--optimizer", "adam", "--epochs", "1",
                                 "--checkpoint", s_ckpt] + TINY, env=env)
        s_resumed = os.path.join(d, "s-resumed.h5")
        rc, out, err = run(EXE, ["train", data, "--stream", "-o", s_resumed, "--resume", s_ckpt,
                                 "--schedule", sched, "--checkpoint", s_ckpt, "--threads", "2",
                                 "-q"])
        T.check(rc == 0 and same_weights(chunked[0], s_resumed),
                f"--stream: resume equals straight run: {rc} {err!r}")
        rc, out, err = run(EXE, ["train", data, "-o", os.path.join(d, "x.h5"), "--resume", s_ckpt,
                                 "-q"])
        T.check(one_line_error(rc, err, "--stream"), f"streamed checkpoint resumed whole: {err!r}")
        rc, out, err = run(EXE, ["train", data, "--stream", "-o", os.path.join(d, "x.h5"),
                                 "--resume", half_ckpt, "-q"])
        T.check(one_line_error(rc, err, "without --stream"), f"checkpoint resumed streamed: {err!r}")

        # Summary output (not quiet).
        rc, out, err = run(EXE, ["train", data, "-o", os.path.join(d, "m3.h5"), "--schedule", "fast",
                                 "--epochs", "1", "--checkpoint", "none"]
                           + [a for a in TINY if a != "-q"])
        T.check(rc == 0 and "wrote" in out and "epoch" in out and "val loss" in out,
                f"train summary: {out!r} {err!r}")

        # Eval with per-step terms.
        scores = os.path.join(d, "scores.h5")
        rc, out, err = run(EXE, ["eval", model, data, "--per-step", "-o", scores])
        T.check(rc == 0 and err == "" and "wrote" in out, f"eval: rc {rc} {out!r} {err!r}")
        with h5py.File(scores, "r") as f:
            T.check(f.attrs["format"] in ("junipr-scores", b"junipr-scores"), "scores format")
            lp = f["jets/log_p"][()]
            l10 = f["jets/log10_p"][()]
            st = f["jets/status"][()]
            off = f["steps/offsets"][()]
            terms = f["steps/log_end"][()] + f["steps/log_mother"][()] + f["steps/log_branch"][()]
            T.check(lp.shape == (150,) and np.all(np.isfinite(lp)) and np.all(lp < 0), "log_p finite, < 0")
            T.check(np.allclose(l10, lp / math.log(10)), "log10_p = log_p / ln 10")
            T.check(np.all(st == 0), "all jets scored")
            sums = np.array([terms[off[i]:off[i + 1]].sum() for i in range(150)])
            T.check(np.allclose(sums, lp, rtol=1e-9, atol=1e-9), "per-step terms sum to log_p")
        # Thread count does not change scores. Without --per-step jets are scored 32 at a
        # time (one GEMM over their steps): the same numbers to float rounding.
        scores1 = os.path.join(d, "scores1.h5")
        scores2 = os.path.join(d, "scores2.h5")
        rc, out, err = run(EXE, ["eval", model, data, "--threads", "1", "-q", "-o", scores1])
        rc2, out, err2 = run(EXE, ["eval", model, data, "--threads", "2", "-q", "-o", scores2])
        with h5py.File(scores1, "r") as f, h5py.File(scores2, "r") as g:
            lp1 = f["jets/log_p"][()]
            T.check(rc == 0 and rc2 == 0 and np.array_equal(lp1, g["jets/log_p"][()])
                    and "steps" not in f, "eval on 1 and 2 threads: same log_p, no per-step group")
            T.check(np.allclose(lp1, lp, rtol=1e-5, atol=0), "batched log_p = per-jet log_p")

        # Soft jets: the model's E_jet does not fit; eval warns but works.
        soft = os.path.join(d, "soft.h5")
        write_dataset(soft, random_jets(20, 2, scale=0.01))
        rc, out, err = run(EXE, ["eval", model, soft, "-q", "-o", os.path.join(d, "s2.h5")])
        T.check(rc == 0 and "warning" in err and "E_jet" in err, f"eval warns: {err!r}")

        # User errors: one line, exit 1.
        rc, out, err = run(EXE, ["train", data])
        T.check(one_line_error(rc, err, "-o"), f"train without -o: {rc} {err!r}")
        bad = os.path.join(d, "bad.txt")
        with open(bad, "w") as f:
            f.write("5 1e-3 10\n5 fast 10\n")
        rc, out, err = run(EXE, ["train", data, "-o", os.path.join(d, "x.h5"), "--schedule", bad])
        T.check(one_line_error(rc, err, "bad.txt:2:", "learning rate"), f"bad schedule: {err!r}")
        rc, out, err = run(EXE, ["train", data, "-o", os.path.join(d, "x.h5"), "--optimizer", "lbfgs"])
        T.check(one_line_error(rc, err, "lbfgs"), f"bad optimizer: {err!r}")
        rc, out, err = run(EXE, ["train", data, "-o", os.path.join(d, "x.h5"), "--val-fraction", "2"])
        T.check(one_line_error(rc, err, "--val-fraction"), f"bad val fraction: {err!r}")
        rc, out, err = run(EXE, ["eval", data, data, "-o", os.path.join(d, "x.h5")])
        T.check(rc == 1 and len(err.strip().splitlines()) == 1, f"eval of a dataset as model: {err!r}")
        rc, out, err = run(EXE, ["train", data, "-o", os.path.join(d, "x.h5"), "--resume", model])
        T.check(rc == 1 and "checkpoint" in err, f"resume from a plain model: {err!r}")
        longdata = os.path.join(d, "long.h5")
        write_dataset(longdata, random_jets(30, 4, long_jet=True))
        rc, out, err = run(EXE, ["train", longdata, "-o", os.path.join(d, "x.h5"), "--schedule",
                                 sched] + TINY)
        T.check(one_line_error(rc, err, "jet 29", "--skip-long"), f"long jet: {err!r}")
        rc, out, err = run(EXE, ["train", longdata, "-o", os.path.join(d, "x.h5"), "--schedule",
                                 sched, "--skip-long"] + TINY)
        T.check(rc == 0, f"--skip-long trains: {err!r}")
        T.check(not leftovers(d), f"no temporary files: {leftovers(d)}")

        # Ctrl-C after the first checkpoint: exit 130, the checkpoint stays, no model, no tmp files.
        slow = os.path.join(d, "slow.h5")
        slow_ckpt = os.path.join(d, "slow-ckpt.h5")
        proc = subprocess.Popen([EXE, "train", data, "-o", slow, "--schedule", "fast", "--epochs",
                                 "1000", "--checkpoint", slow_ckpt] + TINY,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        t0 = time.time()
        while not os.path.exists(slow_ckpt) and time.time() - t0 < 60 and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        T.check(proc.returncode == 130, f"Ctrl-C exit status {proc.returncode}: {err!r}")
        T.check(os.path.exists(slow_ckpt) and not os.path.exists(slow), "checkpoint kept, no model")
        T.check("--resume" in err, f"Ctrl-C message says how to resume: {err!r}")
        with h5py.File(slow_ckpt, "r") as f:
            T.check(int(f["train_state"].attrs["epochs_done"]) >= 1, "checkpoint is complete")
        T.check(not leftovers(d), f"no temporary files after Ctrl-C: {leftovers(d)}")

        # The same streamed, in chunks: Ctrl-C between or inside chunks leaves the same.
        os.remove(slow_ckpt)
        proc = subprocess.Popen([EXE, "train", data, "--stream", "-o", slow, "--schedule", "fast",
                                 "--epochs", "1000", "--checkpoint", slow_ckpt] + TINY,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, JUNIPR_STREAM_CHUNK_JETS="32"))
        t0 = time.time()
        while not os.path.exists(slow_ckpt) and time.time() - t0 < 60 and proc.poll() is None:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        T.check(proc.returncode == 130, f"--stream Ctrl-C exit status {proc.returncode}: {err!r}")
        T.check(os.path.exists(slow_ckpt) and not os.path.exists(slow),
                "--stream Ctrl-C: checkpoint kept, no model")
        T.check(not leftovers(d), f"no temporary files after Ctrl-C (--stream): {leftovers(d)}")
    T.done()


main()
