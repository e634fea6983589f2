"""`--metric ee|pp` and `--recurrent rnn|lstm|gru` end to end: cluster with either metric,
train with either and with each cell, the choice stored in the model and used by every
command that reads it (eval clusters with the model's metric), old model files without the
new attributes read as before, bad values are one-line errors.

Usage: test-cli-models.py JUNIPR
"""

import json
import os
import shutil
import sys
import tempfile

import h5py
import numpy as np

import clitest

T = clitest.Checker("cli-models")
EXE = sys.argv[1]


def run(args):
    return clitest.run(EXE, args)


def attr(f, name):
    v = f.attrs[name]
    return v.decode() if isinstance(v, bytes) else v


def one_line_error(rc, err, needles, what):
    lines = [ln for ln in err.splitlines() if ln.strip()]
    T.check(rc == 1 and len(lines) == 1 and all(n in err for n in needles),
            f"{what}: rc {rc}, stderr {err!r}")


def cluster_n(data, metric):
    rc, out, err = run(["cluster", data, "--metric", metric, "--json", "--skip-bad", "-q"])
    T.check(rc == 0, f"cluster --metric {metric}: {err}")
    return {j["jet"]: j["n"] for j in map(json.loads, out.splitlines())}


def train(data, out, *extra):
    rc, _, err = run(["train", data, "--branch", "factorized", "--hidden", "8", "--dense", "6",
                      "--schedule", "fast", "--epochs", "1", "--threads", "2", "--seed", "5",
                      "--checkpoint", "none", "--skip-bad", "--skip-long", "-q", "-o", out]
                     + list(extra))
    T.check(rc == 0, f"train {extra}: {err}")


def weights(path):
    with h5py.File(path, "r") as f:
        out = {}
        f["weights"].visititems(lambda n, d: out.__setitem__(n, d[()])
                                if isinstance(d, h5py.Dataset) else None)
        return out


def main():
    tmp = tempfile.mkdtemp(prefix="jx-models-")
    try:
        q = os.path.join(tmp, "q.h5")
        rc, _, err = run(["generate", "--process", "qq", "--jets", "300", "--seed", "9", "-q",
                          "-o", q])
        T.check(rc == 0, f"generate: {err}")

        # cluster: both metrics give trees; the subjet step differs for some jets.
        n_ee, n_pp = cluster_n(q, "ee"), cluster_n(q, "pp")
        T.check(len(n_ee) == 300 and len(n_pp) == 300, "cluster: 300 jets each")
        T.check(any(n_ee[i] != n_pp[i] for i in n_ee), "ee and pp subjets never differ")
        rc, out, _ = run(["cluster", q, "--metric", "pp", "--jets", "0:5"])
        T.check(rc == 0 and "pp metric" in out, f"cluster table names the metric: {out}")
        rc, _, err = run(["cluster", q, "--metric", "hadron"])
        one_line_error(rc, err, ["hadron", "--metric", "ee", "pp"], "cluster --metric hadron")

        # train: the default stays a version-1 ee/rnn file.
        plain = os.path.join(tmp, "plain.h5")
        train(q, plain)
        with h5py.File(plain, "r") as f:
            T.check(f.attrs["version"] == 1 and attr(f, "clustering_metric") == "ee"
                    and attr(f, "recurrent") == "rnn", "default model: version 1, ee, rnn")

        # pp + GRU: stored, shown by info, and eval clusters with pp.
        gru = os.path.join(tmp, "gru-pp.h5")
        train(q, gru, "--metric", "pp", "--recurrent", "gru")
        with h5py.File(gru, "r") as f:
            T.check(f.attrs["version"] == 2 and attr(f, "clustering_metric") == "pp"
                    and attr(f, "recurrent") == "gru", "pp/gru model attributes")
            T.check(f["weights/rnn/bias"].shape == (2, 24)
                    and f["weights/rnn/kernel"].shape == (8, 24), "GRU weight shapes")
        rc, out, _ = run(["info", gru])
        T.check(rc == 0 and "gru" in out and "pp metric" in out, f"info: {out}")
        scores = os.path.join(tmp, "scores.h5")
        rc, _, err = run(["eval", gru, q, "-q", "-o", scores])
        T.check(rc == 0, f"eval: {err}")
        with h5py.File(scores, "r") as f:
            n = f["jets/n"][:]
            T.check(all(n[i] == n_pp[i] for i in n_pp) and any(n[i] != n_ee[i] for i in n_ee),
                    "eval's trees are the model's pp trees")
            T.check(np.all(np.isfinite(f["jets/log_p"][:])), "eval: finite ln P")

        # LSTM: c_init weights; same seed and threads, same model.
        lstm = os.path.join(tmp, "lstm.h5")
        lstm2 = os.path.join(tmp, "lstm2.h5")
        train(q, lstm, "--recurrent", "lstm")
        train(q, lstm2, "--recurrent", "lstm")
        a, b = weights(lstm), weights(lstm2)
        T.check("c_init/kernel" in a and a["rnn/kernel"].shape == (8, 32), "LSTM weights")
        T.check(a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a),
                "LSTM training is reproducible")
        sampled = os.path.join(tmp, "sampled.h5")
        for model in (gru, lstm):
            rc, _, err = run(["sample", model, "--jets", "30", "--seed", "2", "-q", "-o", sampled])
            T.check(rc == 0, f"sample {model}: {err}")
        rc, _, err = run(["train", q, "--recurrent", "transformer", "-o", lstm])
        one_line_error(rc, err, ["transformer", "--recurrent", "rnn, lstm or gru"],
                       "train --recurrent transformer")

        # A model file of an older junipr (no new attributes) reads as ee/rnn.
        old = os.path.join(tmp, "old.h5")
        shutil.copy(plain, old)
        with h5py.File(old, "a") as f:
            for k in ("clustering_metric", "recurrent", "dense_end", "dense_mother",
                      "dense_branch", "branch_padding"):
                del f.attrs[k]
        rc, out, err = run(["info", old])
        T.check(rc == 0 and "e+e- metric" in out and "rnn" in out, f"old file info: {out}{err}")
        rc, _, err = run(["eval", old, q, "-q", "-o", scores])
        T.check(rc == 0, f"old file eval: {err}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    T.done()


main()
