"""Issue #15 item 6: a full standard output (> /dev/full) fails every command with exit 1;
Ctrl-C prints exactly one line (exit 130, no output, no temporary); errors name the file and
never echo raw control bytes of a binary input; a NAME.tmp-XXXXXX left by kill -9 is removed
by the next run that writes NAME.
Usage: test-cli-signals.py JUNIPR_EXE"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, has_render, interrupt_when_busy, run  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "tests", "data")
T = Checker("cli-signals")
TINY = ["--schedule", "fast", "--branch", "factorized", "--hidden", "8", "--dense", "8",
        "--epochs", "1", "--threads", "1", "--skip-long", "--checkpoint", "none", "-q"]


def printable(text):
    return all(c == "\n" or (ord(c) >= 0x20 and ord(c) != 0x7f and not 0x80 <= ord(c) < 0xa0)
               for c in text)


def not_progress(err):
    # Progress lines: "junipr CMD: what: 12% (n/N), ETA ..."
    return [ln for ln in err.strip().splitlines() if "% (" not in ln]


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        for args in (["generate", "--jets", "40", "--seed", "1", "-q", "-o", p("q.h5")],
                     ["train", p("q.h5"), "-o", p("qm.h5")] + TINY,
                     ["generate", "--jets", "60000", "--seed", "2", "-q", "-o", p("big.h5")],
                     # Z jets: none with a single particle, about which export warns.
                     ["generate", "--process", "zz", "--jets", "40", "--seed", "3", "-q",
                      "-o", p("z.h5")],
                     ["export", p("z.h5"), "-q", "-o", p("z.json")],
                     ["export", p("big.h5"), "--format", "text", "-q", "-o", p("big.txt")],
                     ["eval", p("qm.h5"), p("q.h5"), "-q", "-o", p("scores.h5")],
                     ["discriminate", "--signal-model", p("qm.h5"), "--background-model",
                      p("qm.h5"), "--signal", p("q.h5"), "--background", p("q.h5"), "-q",
                      "-o", p("roc.csv")]):
            rc, out, err = run(EXE, args, timeout=600)
            T.check(rc == 0, f"setup {args[0]}: {err!r}")
        if T.failures:
            T.done()

        # ---- standard output full: every command that prints fails
        text = os.path.join(DATA, "junipr-text-small.txt")
        printing = [
            ["--help"], ["--version"], ["generate", "--help"], ["demo", "--jets", "10"],
            ["info", p("q.h5")], ["info", p("qm.h5")], ["cluster", p("q.h5")],
            ["cluster", p("q.h5"), "--json"], ["observables", p("q.h5"), "-o", "-"],
            ["generate", "--jets", "5", "-o", p("o.h5")], ["import", text, "-o", p("o.h5")],
            ["train", p("q.h5"), "-o", p("o.h5")] + TINY[:-1],
            ["eval", p("qm.h5"), p("q.h5"), "-o", p("o.h5")],
            ["sample", p("qm.h5"), "--jets", "5", "-o", p("o.h5")],
            ["validate", p("qm.h5"), p("q.h5")],
            ["reweight", "--target-model", p("qm.h5"), "--source-model", p("qm.h5"), p("q.h5"),
             "-o", p("o.h5")],
            ["discriminate", "--signal-model", p("qm.h5"), "--background-model", p("qm.h5"),
             "--signal", p("q.h5"), "--background", p("q.h5"), "-o", p("o.csv")],
            ["import", p("z.json"), "-o", p("o.h5")], ["export", p("z.h5"), "-o", p("o.json")],
            ["import-model", os.path.join(DATA, "Junipr_demo_model.h5"), "-o", p("o.h5")],
            ["import", os.path.join(DATA, "events-small.hepmc3"), "-o", p("o.h5")],
            ["train-binary", "--signal-model", p("qm.h5"), "--background-model", p("qm.h5"),
             "--signal", p("z.h5"), "--background", p("q.h5"), "--epochs", "1", "--threads",
             "1", "--checkpoint", "none", "-o", p("o.h5")],
            ["export", p("z.h5"), "--format", "text", "-o", p("o.txt")],
            ["observables", p("q.h5"), "-o", p("o.csv")],
            ["validate", p("qm.h5"), p("q.h5"), "-o", p("o.csv")],
            ["reweight", "--target-model", p("qm.h5"), "--source-model", p("qm.h5"), p("q.h5"),
             "-o", p("o.h5"), "--hist", p("o.csv")],
            ["info", p("scores.h5")],
        ] + ([["render", "roc", p("roc.csv"), "-o", p("o.png")],
              ["render", "lund", p("z.h5"), "--jet", "0", "-o", p("o.png")],
              ["render", "lund", p("z.h5"), "--map", "--model", p("qm.h5"), "--model-b",
               p("qm.h5"), "--threads", "1", "-o", p("o.svg")],
              ["render", "tree", p("z.h5"), "--jet", "0", "--model", p("qm.h5"), "-o", p("o.png")],
              ["render", "image", p("z.h5"), "--average", "-o", p("o.svg")],
              ["render", "shower", p("z.h5"), "--jet", "0", "-o", p("o.pdf")],
              ["render", "hist", p("z.h5"), p("q.h5"), "--observable", "mass", "-o",
               p("o.png")]]
             if has_render(EXE) else [])
        with open("/dev/full", "w") as full:
            for args in printing:
                proc = subprocess.run([EXE] + args, stdout=full, stderr=subprocess.PIPE,
                                      text=True, timeout=300)
                # Progress lines may come first when a run is slow (a sanitizer build under
                # load); the error must be the one other line.
                lines = [ln for ln in proc.stderr.strip().splitlines()
                         if not re.search(r": \d+% \(\d+/\d+\)", ln)]
                T.check(proc.returncode == 1 and len(lines) == 1 and "standard output" in lines[0],
                        f"{' '.join(args[:2])} > /dev/full: exit {proc.returncode}, {proc.stderr!r}")

        # ---- Ctrl-C: one line, exit 130, nothing written
        long_runs = [
            ("g.h5", ["generate", "--jets", "5000000"]),
            ("s.h5", ["sample", p("qm.h5"), "--jets", "5000000"]),
            ("t.h5", ["train", p("big.h5"), "--schedule", "paper", "--hidden", "16", "--dense", "16",
                      "--checkpoint", "none"]),
            ("c.json", ["cluster", p("big.h5"), "--json"]),
            ("o.csv", ["observables", p("big.h5")]),
            ("e.h5", ["eval", p("qm.h5"), p("big.h5")]),
            ("w.h5", ["reweight", "--target-model", p("qm.h5"), "--source-model", p("qm.h5"),
                      p("big.h5")]),
            ("r.csv", ["discriminate", "--signal-model", p("qm.h5"), "--background-model",
                       p("qm.h5"), "--signal", p("big.h5"), "--background", p("big.h5")]),
            ("v.csv", ["validate", p("qm.h5"), p("big.h5")]),
            ("x.json", ["export", p("big.h5")]),
            ("i.h5", ["import", p("big.txt")]),
        ] + ([("l.svg", ["render", "lund", p("big.h5"), "--map", "--model", p("qm.h5"),
                         "--model-b", p("qm.h5"), "--threads", "1"])] if has_render(EXE) else [])
        interrupted = 0
        outs = p("interrupted")
        os.mkdir(outs)
        for name, args in long_runs:
            target = os.path.join(outs, name)
            rc, err = interrupt_when_busy(EXE, args + ["-o", target], cwd=d)
            lines = not_progress(err)
            if rc == 0 or (rc == -signal.SIGINT and os.path.isfile(target)):
                # Done before the Ctrl-C, or the Ctrl-C came after the output was renamed
                # into place (the handler is gone by then): the file is complete either way.
                print(f"note: {args[0]} finished before the Ctrl-C (exit {rc})")
                os.unlink(target)
                continue
            interrupted += 1
            T.check(rc == 130 and len(lines) == 1 and "cancelled" in lines[0],
                    f"{' '.join(args[:2])} after Ctrl-C: exit {rc}, one line wanted: {err!r}")
            T.check(os.listdir(outs) == [], f"{args[0]} after Ctrl-C left {os.listdir(outs)}")
        T.check(interrupted >= 3, f"only {interrupted} commands ran long enough to show progress")

        # ---- binary inputs: the error names the file and is printable
        junk = bytes(range(256)) * 4 + b"\x1b[31mJ 0\nN 1\n\x1b]0;title\x07 1 2 3\n\x9b2J"
        with open(p("junk.txt"), "wb") as f:
            f.write(junk)
        with open(p("J-junk.txt"), "wb") as f:
            f.write(b"J 0\nN 1\n1 2 \x1b[2J\x9b\xff 3\n")
        with open(p("sched.txt"), "wb") as f:
            f.write(b"5 \x1b[31m1e-3 10\n")
        with open(p("ev.hepmc3"), "wb") as f:
            f.write(b"HepMC::Version 3.02.05\nE 0 1 1\nP 1 0 \x1b[H 0 0 1 1 0 1\n")
        weird = p("name-\x1b[31m-\nx.txt")
        with open(weird, "wb") as f:
            f.write(b"J 0\nN 1\nnot a number\n")
        with open(p("esc.json"), "wb") as f:  # control bytes inside a JSON string and outside
            f.write(b'{"JuniprJets": [{"label": 0, "multiplicity": "\x1b[31m2", '
                    b'"CSJets": [[1, 0.1, 0.2, 0]]\x1b[2J}]}')
        shutil.copy(os.path.join(DATA, "Junipr_demo_model.h5"), p("esc-keras.h5"))
        with h5py.File(p("esc-keras.h5"), "a") as f:
            f.attrs["model_config"] = '{"class_name": "\x1b[31mModel\x07", "config": 5}'
        binary_cases = [
            ("esc.json", ["import", p("esc.json"), "-o", p("x.h5")]),
            ("esc-keras.h5", ["import-model", p("esc-keras.h5"), "-o", p("x.h5")]),
            ("junk.txt", ["import", p("junk.txt"), "--format", "text", "-o", p("x.h5")]),
            ("J-junk.txt", ["import", p("J-junk.txt"), "-o", p("x.h5")]),
            ("ev.hepmc3", ["import", p("ev.hepmc3"), "--format", "hepmc3", "-o", p("x.h5")]),
            ("junk.txt", ["info", p("junk.txt")]),
            ("junk.txt", ["cluster", p("junk.txt")]),
            ("sched.txt", ["train", p("q.h5"), "-o", p("x.h5"), "--schedule", p("sched.txt")]),
            ("name-", ["import", weird, "-o", p("x.h5")]),
        ]
        for name, args in binary_cases:
            proc = subprocess.run([EXE] + args, capture_output=True, timeout=120)
            err = proc.stderr.decode("utf-8", errors="replace")
            lines = err.strip().splitlines()
            T.check(proc.returncode == 1 and len(lines) == 1 and name in lines[0]
                    and printable(err) and b"\x1b" not in proc.stderr,
                    f"{args[0]} of {name!r}: exit {proc.returncode}, {proc.stderr!r}")

        # ---- kill -9 leaves NAME.tmp-XXXXXX; the next write of NAME removes it
        out = p("trees.json")
        proc = subprocess.Popen([EXE, "cluster", p("big.h5"), "--json", "-q", "-o", out],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and not [n for n in os.listdir(d) if n.startswith("trees.json.tmp-")]:
            time.sleep(0.05)
        time.sleep(0.3)
        proc.kill()
        proc.wait()
        left = [n for n in os.listdir(d) if n.startswith("trees.json.tmp-")]
        T.check(len(left) == 1 and not os.path.exists(out), f"kill -9 left {left}")
        rc, o, err = run(EXE, ["cluster", p("q.h5"), "--json", "-q", "-o", out])
        T.check(rc == 0 and os.path.exists(out)
                and not [n for n in os.listdir(d) if n.startswith("trees.json.tmp-")],
                f"the next run writing trees.json removed the leftover: {rc} {os.listdir(d)}")
    T.done()


if __name__ == "__main__":
    main()
