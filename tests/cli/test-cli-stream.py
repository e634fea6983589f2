"""Commands that read their datasets chunk by chunk give the bytes they give reading each file
in one chunk: `junipr discriminate` (ROC table and --scores, and without --scores, where jets
are scored in batches), `reweight` (weights and --hist), `validate` (CSV, over a --jets range,
and its PDF report but for its creation time), `render lund --map` (these two with the
drawing layer) and `import` (written a part at a time; its HDF5 storage differs, its arrays do
not). Each runs once as is (the default chunk holds these small files whole: one read of the
whole file) and once with JUNIPR_STREAM_CHUNK_JETS=37 (chunks of 64 jets: they are cut on
multiples of 32, the evaluation's batches; models of 32 hidden units make a batch's rounding
show). That the setting reaches the commands' streams is checked through `info`, whose sums
over chunks of 3 jets are those over one. Files compared: text byte for byte; HDF5 outputs
array by array and attribute by attribute (bit for bit, NaN included).
Usage: test-cli-stream.py JUNIPR_EXE"""

import os
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, has_render, run  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-stream")
TINY = ["--schedule", "fast", "--branch", "factorized", "--hidden", "32", "--dense", "48",
        "--epochs", "1", "--threads", "2", "--skip-long", "--checkpoint", "none", "-q"]


def chunked(n):
    env = dict(os.environ)
    env["JUNIPR_STREAM_CHUNK_JETS"] = str(n)
    return env


def whole():
    env = dict(os.environ)
    env.pop("JUNIPR_STREAM_CHUNK_JETS", None)
    return env


def same_bytes(a, b):
    with open(a, "rb") as f, open(b, "rb") as g:
        return f.read() == g.read()


def same_h5(a, b):
    """Every dataset's bytes and every attribute equal; returns a difference or None."""
    with h5py.File(a, "r") as f, h5py.File(b, "r") as g:
        names_f, names_g = [], []
        f.visit(names_f.append)
        g.visit(names_g.append)
        if sorted(names_f) != sorted(names_g):
            return f"members {sorted(names_f)} vs {sorted(names_g)}"
        for name in ["/"] + names_f:
            if dict(f[name].attrs).keys() != dict(g[name].attrs).keys():
                return f"{name}: attributes"
            for k in f[name].attrs:
                x, y = np.asarray(f[name].attrs[k]), np.asarray(g[name].attrs[k])
                if x.tobytes() != y.tobytes():
                    return f"{name}@{k}: {x!r} vs {y!r}"
            if isinstance(f[name], h5py.Dataset):
                x, y = f[name][()], g[name][()]
                if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                    return f"{name}: values differ"
    return None


def twice(name, args, outputs):
    """Runs args once whole and once in chunks of 37 jets ('{tag}' in args and outputs becomes
    'whole' or 'chunked') and compares each output's two versions."""
    res = []
    for tag, env in [("whole", whole()), ("chunked", chunked(37))]:
        a = [x.format(tag=tag) for x in args]
        rc, out, err = run(EXE, a, env=env)
        T.check(rc == 0, f"{name} ({tag}): {err!r}")
        res.append(out)
    for path in outputs:
        pw, pc = path.format(tag="whole"), path.format(tag="chunked")
        if not (os.path.exists(pw) and os.path.exists(pc)):
            T.check(False, f"{name}: {os.path.basename(pw)} written both times")
            continue
        if path.endswith(".h5"):
            diff = same_h5(pw, pc)
            T.check(diff is None, f"{name}: {os.path.basename(pw)} the same in chunks: {diff}")
        else:
            T.check(same_bytes(pw, pc), f"{name}: {os.path.basename(pw)} the same bytes in chunks")
    return res


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        for proc, seed, name in [("qq", "1", "q"), ("zz", "2", "z")]:
            rc, _, err = run(EXE, ["generate", "--process", proc, "--jets", "400", "--seed", seed,
                                   "-q", "-o", p(name + ".h5")])
            T.check(rc == 0, f"generate {proc}: {err!r}")
            rc, _, err = run(EXE, ["train", p(name + ".h5"), "-o", p(name + "m.h5"), "--seed", seed]
                             + TINY)
            T.check(rc == 0, f"train {name}: {err!r}")
        if T.failures:
            T.done()

        # The setting reaches the CLI's streams: `info` in chunks of 3 jets says the same.
        _, info_whole, _ = run(EXE, ["info", p("q.h5")], env=whole())
        rc, info_3, err = run(EXE, ["info", p("q.h5")], env=chunked(3))
        T.check(rc == 0 and info_3 == info_whole and "400" in info_whole,
                f"info in chunks of 3: {err!r}")
        rc, _, err = run(EXE, ["info", p("q.h5")], env=chunked(0))
        T.check(rc == 0, f"JUNIPR_STREAM_CHUNK_JETS=0 is the default: {err!r}")

        twice("discriminate", ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                               p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"),
                               "--threads", "2", "-q", "-o", p("roc-{tag}.csv"),
                               "--scores", p("lr-{tag}.h5")],
              [p("roc-{tag}.csv"), p("lr-{tag}.h5")])
        # without --scores the jets are scored in batches (GEMM): chunks must begin on batch
        # boundaries for the same bits
        twice("discriminate (batched)", ["discriminate", "--signal-model", p("zm.h5"),
                                         "--background-model", p("qm.h5"), "--signal", p("z.h5"),
                                         "--background", p("q.h5"), "--threads", "2", "-q",
                                         "-o", p("rocb-{tag}.csv")], [p("rocb-{tag}.csv")])
        twice("reweight", ["reweight", "--target-model", p("zm.h5"), "--source-model", p("qm.h5"),
                           p("q.h5"), "--clip", "2", "--threads", "2", "-q",
                           "-o", p("w-{tag}.h5"), "--hist", p("h-{tag}.csv"), "--bins", "10"],
              [p("w-{tag}.h5"), p("h-{tag}.csv")])
        twice("validate", ["validate", p("qm.h5"), p("q.h5"), "--t-late", "4", "--threads", "2",
                           "-q", "-o", p("val-{tag}.csv")], [p("val-{tag}.csv")])
        twice("validate --jets", ["validate", p("qm.h5"), p("q.h5"), "--jets", "45:333",
                                  "--threads", "3", "-q", "-o", p("valr-{tag}.csv")],
              [p("valr-{tag}.csv")])
        # import writes its jets a part at a time: the same arrays and attributes
        rc, _, err = run(EXE, ["export", p("q.h5"), "--format", "text", "-q", "-o", p("q.txt")])
        T.check(rc == 0, f"export text: {err!r}")
        twice("import", ["import", p("q.txt"), "-o", p("imp-{tag}.h5")], [p("imp-{tag}.h5")])
        if has_render(EXE):  # the drawing layer: the Lund map and validate's PDF report
            twice("render lund --map", ["render", "lund", p("z.h5"), "--map", "--model",
                                        p("zm.h5"), "--model-b", p("qm.h5"), "--threads", "2",
                                        "-q", "-o", p("map-{tag}.svg")], [p("map-{tag}.svg")])
            twice("validate report", ["validate", p("qm.h5"), p("q.h5"), "--jets", "10:390",
                                      "--samples", "100", "--threads", "2", "-q",
                                      "-o", p("rep-{tag}.pdf")], [])
            pdfs = []
            for tag in ["whole", "chunked"]:
                with open(p(f"rep-{tag}.pdf"), "rb") as f:  # all but the creation time
                    pdfs.append([ln for ln in f.read().split(b"\n") if b"/CreationDate" not in ln])
            T.check(pdfs[0] == pdfs[1], "validate report: the same PDF in chunks")
    T.done()


main()
