"""End-to-end test of `junipr render lund`: one jet and a dataset map to PNG (IHDR size), SVG
(parses, carries its labels as <text>) and PDF (pages); the map's printed sum line adds up and
its mean log10 P_A/P_B agrees with the per-jet log P that `junipr eval` writes (an independent
path: batched scoring, read back with h5py); one-line user errors that leave no file.
Usage: test-cli-lund.py JUNIPR_EXE"""

import math
import os
import re
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, leftovers, run  # noqa: E402
from importlib import import_module  # noqa: E402

render = import_module("test-cli-render")
EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-lund")
TINY = render.TINY


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        rc, out, err = run(EXE, ["render", "lund", "--help"])
        T.check(rc == 0 and out.startswith("Usage: junipr render lund") and "--map" in out
                and "secondary" in out and err == "", "render lund --help")
        rc, out, err = run(EXE, ["render", "--help"])
        T.check("lund" in out, "lund listed in render --help")

        for proc, seed, name in [("qq", "1", "q"), ("zz", "2", "z")]:
            rc, out, err = run(EXE, ["generate", "--process", proc, "--jets", "120", "--seed", seed,
                                     "-q", "-o", p(name + ".h5")])
            T.check(rc == 0, f"generate {proc}: {err!r}")
            rc, out, err = run(EXE, ["train", p(name + ".h5"), "-o", p(name + "m.h5"), "--seed",
                                     seed] + TINY)
            T.check(rc == 0, f"train {name}: {err!r}")
        rc, out, err = run(EXE, ["train", p("q.h5"), "-o", p("printer.h5"), "--algorithm", "printer",
                                 "--seed", "3"] + TINY)
        T.check(rc == 0, f"train printer: {err!r}")
        if T.failures:
            T.done()

        models = ["--model", p("zm.h5"), "--model-b", p("qm.h5")]
        jobs = {
            "jet": (["lund", p("z.h5"), "--jet", "3"] + models, ["jet 3 of z.h5", "ln 1/Δ"]),
            "jet-plain": (["lund", p("q.h5"), "--jet", "0"], ["primary of", "ln kt / GeV"]),
            "map": (["lund", p("z.h5"), "--map", "--bins", "12,10"] + models,
                    ["likelihood-ratio attribution", "primary emission density", "= mean log10"]),
        }
        for name, (args, labels) in jobs.items():
            for ext in ["png", "svg", "pdf"]:
                out_path = p(f"{name}.{ext}")
                rc, out, err = run(EXE, ["render"] + args + ["-o", out_path, "--width", "800",
                                                            "--height", "500"])
                if not T.check(rc == 0 and os.path.isfile(out_path), f"render {name} {ext}: {err!r}"):
                    continue
                if ext == "png":
                    T.check(render.png_size(out_path) == (800, 500), f"{name}.png is 800x500")
                elif ext == "svg":
                    texts = render.svg_texts(out_path)
                    T.check(texts is not None and all(t in texts for t in labels),
                            f"{name}.svg parses and has {labels}: {texts and texts[:300]!r}")
                else:
                    T.check(render.pdf_pages(out_path) == 1, f"{name}.pdf has one page")

        # The sum line of the map, and the same mean from `junipr eval`'s per-jet log P.
        for data in ["z", "q"]:
            rc, out, err = run(EXE, ["render", "lund", p(data + ".h5"), "--map", "--threads", "2",
                                     "-o", p(f"map-{data}.png")] + models)
            m = re.search(r"bins ([-+][\d.]+) · secondary ([-+][\d.]+) · end ([-+][\d.]+) · "
                          r"outside ([-+][\d.]+) = mean log10 P_A/P_B ([-+][\d.]+) \((\d+) jets\)", out)
            if not T.check(rc == 0 and m is not None, f"map {data}: sum line in {out!r} {err!r}"):
                continue
            parts = [float(m.group(i)) for i in range(1, 6)]
            T.check(abs(sum(parts[:4]) - parts[4]) <= 2.5e-3,
                    f"map {data}: bins + cells = total ({parts})")
            logp = []
            for model in ["zm", "qm"]:
                rc, out2, err2 = run(EXE, ["eval", p(model + ".h5"), p(data + ".h5"), "-q", "-o",
                                           p(f"{model}-{data}.scores.h5")])
                T.check(rc == 0, f"eval {model} {data}: {err2!r}")
                with h5py.File(p(f"{model}-{data}.scores.h5"), "r") as f:
                    logp.append(f["jets/log_p"][:])
            llr = (logp[0] - logp[1]) / math.log(10)
            ok = np.isfinite(llr)
            T.check(int(m.group(6)) == int(ok.sum()), f"map {data}: {m.group(6)} jets vs eval's {ok.sum()}")
            mean = float(llr[ok].mean())
            # The sum line has 3 decimals; batched (eval) and per-jet scoring differ at ~1e-5.
            T.check(abs(mean - parts[4]) <= 1e-3 + 1e-4 * abs(mean),
                    f"map {data}: mean log10 LR {parts[4]} vs eval {mean:.5f}")

        # Threads do not change the picture.
        rc, out, err = run(EXE, ["render", "lund", p("z.h5"), "--map", "--threads", "1", "-q",
                                 "-o", p("map-z1.png")] + models)
        with open(p("map-z.png"), "rb") as f1, open(p("map-z1.png"), "rb") as f2:
            T.check(rc == 0 and f1.read() == f2.read() and out == "",
                    "--threads 1 draws the same map as --threads 2, -q prints nothing")

        bad = [
            (["lund", p("z.h5")], ["--jet I", "--map"]),
            (["lund", p("z.h5"), "--map"], ["--map needs --model"]),
            (["lund", p("z.h5"), "--jet", "1", "--model", p("zm.h5")], ["--model-b", "together"]),
            (["lund", p("z.h5"), "--jet", "1", "--bins", "5"], ["need --map"]),
            (["lund", p("z.h5"), "--map", "--bins", "0"] + models, ["--bins"]),
            (["lund", p("z.h5"), "--map", "--x-range", "3,1"] + models, ["--x-range"]),
            (["lund", p("z.h5"), "--jet", "500"], ["jet 500 out of range"]),
            (["lund", p("z.h5"), "--map", "--model", p("printer.h5"), "--model-b", p("qm.h5")],
             ["printer", "C/A"]),
            (["lund", p("z.h5"), "--jet", "0", "--algorithm", "kt"], ["does not apply"]),
            (["lund", p("z.h5"), "--jet", "0", "--metric", "pp"], ["--metric pp", "e+e-"]),
            (["lund", p("z.h5"), "--map", "--model", p("z.h5"), "--model-b", p("qm.h5")], ["z.h5"]),
        ]
        for args, needles in bad:
            target = p("bad.png")
            rc, out, err = run(EXE, ["render"] + args + ["-o", target])
            T.check(render.one_line_error(rc, err, *needles) and not os.path.exists(target),
                    f"render {' '.join(os.path.basename(a) for a in args)}: one-line error, no file")
        T.check(not leftovers(d), f"no temporary files left: {leftovers(d)}")
    T.done()


if __name__ == "__main__":
    main()
