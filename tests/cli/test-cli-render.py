"""End-to-end test of `junipr render tree|image|shower|hist|roc` and the PDF report of
`junipr validate`: every kind to PNG (IHDR size), SVG (parses, carries the expected labels as
<text>) and PDF (page count); one-line user errors that leave no file behind.
Usage: test-cli-render.py JUNIPR_EXE"""

import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, leftovers, run  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-render")
TINY = ["--schedule", "fast", "--branch", "factorized", "--hidden", "8", "--dense", "8",
        "--epochs", "1", "--threads", "2", "--skip-long", "--checkpoint", "none", "-q"]


def png_size(path):
    """(width, height) from the IHDR chunk, or None if path is not a PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def svg_texts(path):
    """All <text> contents of an SVG (None if it does not parse)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return None
    return " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))


def pdf_pages(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"%PDF"):
        return -1
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def one_line_error(rc, err, *needles):
    lines = err.strip().splitlines()
    ok = rc == 1 and len(lines) == 1 and all(n in lines[0] for n in needles)
    if not ok:
        print(f"   got rc={rc} err={err!r}", file=sys.stderr)
    return ok


def svg_text_list(path):
    """[(text, font size)] of an SVG's <text> elements."""
    root = ET.parse(path).getroot()
    return [("".join(e.itertext()), float(e.get("font-size", "0"))) for e in root.iter()
            if e.tag.endswith("text")]


def number(text):
    try:
        return float(text.replace("\u2212", "-"))
    except ValueError:
        return None


def check_tree_sums(p):
    """render tree's labels, end term included, add up to the totals its caption prints, and
    those equal `junipr eval`'s ln P / ln 10 (a separate, batched scorer) for that jet."""
    import math
    import h5py
    for name, model in [("q", "qm"), ("z", "zm")]:
        rc, out, err = run(EXE, ["eval", p(model + ".h5"), p(name + ".h5"), "-q", "-o",
                                 p(name + "-scores.h5")])
        if not T.check(rc == 0, f"eval {model}: {err!r}"):
            return
    with h5py.File(p("q-scores.h5")) as f:
        lpa = f["jets/log_p"][:]
        n = f["jets/n"][:]
    rc, out, err = run(EXE, ["eval", p("zm.h5"), p("q.h5"), "-q", "-o", p("qz-scores.h5")])
    with h5py.File(p("qz-scores.h5")) as f:
        lpb = f["jets/log_p"][:]
    checked = 0
    for jet in range(12):
        if not (n[jet] >= 1 and math.isfinite(lpa[jet]) and math.isfinite(lpb[jet])):
            continue
        for mode, want in [("logp", lpa[jet] / math.log(10)),
                           ("lr", (lpa[jet] - lpb[jet]) / math.log(10))]:
            path = p(f"sum-{jet}-{mode}.svg")
            args = ["render", "tree", p("q.h5"), "--jet", str(jet), "--model", p("qm.h5"),
                    "--labels", mode, "-o", path, "-q", "--width", "1400", "--height", "900"]
            if mode == "lr":
                args[7:7] = ["--model-b", p("zm.h5")]
            rc, out, err = run(EXE, args)
            if not T.check(rc == 0, f"render tree jet {jet} {mode}: {err!r}"):
                continue
            texts = svg_text_list(path)
            caption = next(t for t, _ in texts if "log10 PA = " in t)
            key = "log10 PA/PB = " if mode == "lr" else "log10 PA = "
            total = number(caption.split(key)[1].split(" ")[0])
            # node labels: the size of the word "end" beside the end marker / 0.85
            size = next(z for t, z in texts if t == "end") / 0.85
            labels = [number(t) for t, z in texts if abs(z - size) < 0.02 and number(t) is not None]
            if len(labels) != n[jet]:
                print(f"   jet {jet} {mode}: {len(labels)} labels shown of {n[jet]}", file=sys.stderr)
                continue
            checked += 1
            T.check(abs(sum(labels) - total) <= 0.005 * (n[jet] + 1) + 1e-9,
                    f"jet {jet} {mode}: labels sum {sum(labels):.2f}, caption {total}")
            T.check(abs(total - want) <= 0.005 + 1e-9,
                    f"jet {jet} {mode}: caption {total} vs eval {want:.4f}")
    T.check(checked >= 10, f"label sums checked on {checked} figures (all labels shown)")


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        rc, out, err = run(EXE, ["render", "--help"])
        T.check(rc == 0 and out.startswith("Usage: junipr render"), f"render --help: {err!r}")
        for kind in ["tree", "image", "shower", "hist", "roc"]:
            rc, out, err = run(EXE, ["render", kind, "--help"])
            T.check(rc == 0 and out.startswith(f"Usage: junipr render {kind}") and err == "",
                    f"render {kind} --help")
        rc, out, err = run(EXE, ["--help"])
        T.check("render" in out, "render listed in junipr --help")

        for proc, seed, name in [("qq", "1", "q"), ("zz", "2", "z")]:
            rc, out, err = run(EXE, ["generate", "--process", proc, "--jets", "150", "--seed", seed,
                                     "-q", "-o", p(name + ".h5")])
            T.check(rc == 0, f"generate {proc}: {err!r}")
            rc, out, err = run(EXE, ["train", p(name + ".h5"), "-o", p(name + "m.h5"), "--seed",
                                     seed] + TINY)
            T.check(rc == 0, f"train {name}: {err!r}")
        rc, out, err = run(EXE, ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                                 p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"),
                                 "-o", p("roc.csv"), "-q"])
        T.check(rc == 0, f"discriminate: {err!r}")
        if T.failures:
            T.done()

        jobs = {
            "tree": (["tree", p("q.h5"), "--jet", "3", "--model", p("qm.h5")], ["log", "E [GeV]"]),
            "tree-lr": (["tree", p("z.h5"), "--jet", "1", "--model", p("zm.h5"), "--model-b",
                         p("qm.h5")], ["P", "jet 1 of z.h5", "C/A, R_sub 0.1, E_sub 1 GeV",
                                       "A = zm.h5", "B = qm.h5", "end"]),
            "tree-z": (["tree", p("q.h5"), "--jet", "0", "--labels", "z", "--algorithm", "kt"],
                       ["kt", "E [GeV]"]),
            "image": (["image", p("z.h5"), "--jet", "2", "--step-labels"], ["jet 2 of z.h5"]),
            "image-avg": (["image", p("z.h5"), "--average", "--difference", p("q.h5"), "--npix",
                           "21", "--jets", "0:100"], ["average of z.h5 (100 jets)", "difference"]),
            "shower": (["shower", p("z.h5"), "--jet", "4", "--step", "1"], []),
            "hist": (["hist", p("q.h5"), p("z.h5"), "--observable", "mass", "--ratio"],
                     ["jet mass", "q.h5", "z.h5", "ratio"]),
            "hist-n": (["hist", p("q.h5"), "--observable", "n", "--counts"],
                       ["multiplicity", "jets per bin"]),
            "roc": (["roc", p("roc.csv")], ["junipr (AUC", "tau21", "signal efficiency"]),
        }
        for name, (args, labels) in jobs.items():
            for ext in ["png", "svg", "pdf"]:
                out_path = p(f"{name}.{ext}")
                rc, out, err = run(EXE, ["render"] + args + ["-o", out_path, "--width", "700",
                                                            "--height", "500"])
                if not T.check(rc == 0 and os.path.isfile(out_path), f"render {name} {ext}: {err!r}"):
                    continue
                if ext == "png":
                    T.check(png_size(out_path) == (700, 500), f"{name}.png is 700x500")
                elif ext == "svg":
                    texts = svg_texts(out_path)
                    T.check(texts is not None and all(t in texts for t in labels),
                            f"{name}.svg parses and has {labels}: {texts and texts[:200]!r}")
                else:
                    T.check(pdf_pages(out_path) == 1, f"{name}.pdf has one page")
        check_tree_sums(p)
        rc, out, err = run(EXE, ["render", "tree", p("q.h5"), "--jet", "3", "-o", p("big.png"),
                                 "--scale", "2", "-q"])
        T.check(rc == 0 and png_size(p("big.png")) == (1800, 1120) and out == "",
                "--scale 2 doubles the PNG, -q prints nothing")

        # --colormap greys: the jet figures render, and not as the default (viridis) does
        def read(path):
            with open(path, "rb") as f:
                return f.read()
        for args in [["tree", p("q.h5"), "--jet", "3", "--model", p("qm.h5")],
                     ["image", p("z.h5"), "--jet", "2"], ["shower", p("z.h5"), "--jet", "4"]]:
            kind = args[0]
            rc, out, err = run(EXE, ["render", kind, "--help"])
            T.check("--colormap" in out and "viridis or greys" in out, f"render {kind} --help")
            made = {}
            for cmap in ["default", "viridis", "greys"]:
                path = p(f"{kind}-{cmap}.png")
                extra = [] if cmap == "default" else ["--colormap", cmap]
                rc, out, err = run(EXE, ["render"] + args + extra + ["-o", path, "-q"])
                if T.check(rc == 0 and png_size(path) is not None,
                           f"render {kind} --colormap {cmap}: {err!r}"):
                    made[cmap] = read(path)
            if len(made) == 3:
                T.check(made["default"] == made["viridis"] and made["greys"] != made["viridis"],
                        f"render {kind}: viridis is the default, greys draws differently")

        # a shower, one page per step: n − 1 emissions → n pages
        rc, out, err = run(EXE, ["cluster", p("z.h5"), "--jets", "4:5", "--json"])
        n = int(re.search(r'"n": (\d+)', out).group(1)) if rc == 0 else -1
        rc, out, err = run(EXE, ["render", "shower", p("z.h5"), "--jet", "4", "--all-steps", "-o",
                                 p("steps.pdf")])
        T.check(rc == 0 and pdf_pages(p("steps.pdf")) == n and n > 1,
                f"--all-steps: one page per step ({n}): {err!r}")

        # weights from reweight: the first file reweighted is a third series
        rc, out, err = run(EXE, ["reweight", "--target-model", p("zm.h5"), "--source-model",
                                 p("qm.h5"), p("q.h5"), "-q", "-o", p("w.h5")])
        T.check(rc == 0, f"reweight: {err!r}")
        rc, out, err = run(EXE, ["render", "hist", p("q.h5"), p("z.h5"), "--observable", "tau21",
                                 "--weights", p("w.h5"), "--bins", "12", "--range", "0,1",
                                 "-o", p("rw.svg")])
        texts = svg_texts(p("rw.svg")) if rc == 0 else None
        T.check(texts is not None and "q.h5 reweighted" in texts, f"--weights series: {err!r}")

        # the validate report
        rc, out, err = run(EXE, ["validate", p("qm.h5"), p("q.h5"), "--samples", "100", "-o",
                                 p("report.pdf")])
        T.check(rc == 0 and pdf_pages(p("report.pdf")) == 6, f"validate report: 6 pages: {err!r}")
        rc, out, err = run(EXE, ["validate", p("qm.h5"), p("q.h5"), "--samples", "0", "-o",
                                 p("report0.pdf")])
        T.check(rc == 1 and "--samples" in err and not os.path.exists(p("report0.pdf")),
                f"validate --samples 0: one-line error, no file: {err!r}")

        # user errors: one line, exit 1, no file
        bad = [
            (["tree", p("q.h5"), "--jet", "12000"], ["jet 12000 out of range", "has 150 jets"]),
            (["hist", p("q.h5"), "--observable", "foo"], ["unknown observable 'foo'"]),
            (["tree", p("q.h5"), "--jet", "0"], ["unknown figure format"], "x.gif"),
            (["shower", p("q.h5"), "--jet", "0", "--all-steps"], ["--all-steps", ".pdf"]),
            (["image", p("q.h5")], ["--jet", "--average"]),
            (["tree", p("q.h5"), "--jet", "0", "--labels", "lr"], ["--labels lr"]),
            (["tree", p("q.h5"), "--jet", "0", "--observable", "mass"], ["does not apply"]),
            (["tree", p("q.h5"), "--jet", "0", "--highlight", "100000"], ["--highlight"]),
            (["shower", p("q.h5"), "--jet", "0", "--step", "100000"], ["out of range", "--step"]),
            (["roc", p("q.h5")], ["not a ROC table"]),
            (["hist", p("q.h5"), "--observable", "n", "--weights", p("zm.h5")], ["--weights", "zm.h5"]),
            (["tree", p("missing.h5"), "--jet", "0"], ["missing.h5"]),
            (["bogus", p("q.h5")], ["unknown figure kind"]),
            (["tree", p("q.h5"), "--jet", "0", "--colormap", "magma"],
             ["unknown colour map 'magma'", "--colormap", "viridis or greys"]),
            (["image", p("q.h5"), "--jet", "0", "--colormap", "diverging"],
             ["unknown colour map 'diverging'"]),
            (["hist", p("q.h5"), "--observable", "n", "--colormap", "greys"], ["does not apply"]),
        ]
        for case in bad:
            args, needles = case[0], case[1]
            target = p(case[2] if len(case) > 2 else "bad.png")
            rc, out, err = run(EXE, ["render"] + args + ["-o", target])
            T.check(one_line_error(rc, err, *needles) and not os.path.exists(target),
                    f"render {' '.join(os.path.basename(a) for a in args)}: one-line error, no file")
        T.check(not leftovers(d), f"no temporary files left: {leftovers(d)}")
    T.done()


if __name__ == "__main__":
    main()
