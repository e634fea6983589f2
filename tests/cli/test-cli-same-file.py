"""An output never replaces an input (issue #15 item 2): every command refuses an output that
is the same file as one of its inputs -- the same path, a symlink, a hard link, a path through
'..' -- with one line on stderr, exit 1, before any work, leaving the input byte for byte as it
was and no temporary behind (also import of the authors' JSON, JetNet, EnergyFlow and
top-tagging files, export, import-model and render image, shower, hist and lund). Two outputs
of one command naming the same file are refused too, and so is an output that is a device or
a pipe (-o /dev/full would replace the node by a plain file and exit 0) or the name of an
open descriptor (-o /dev/stdout >> FILE would replace the link and leave FILE as it was).
Training may go on writing the checkpoint it resumed from.
Usage: test-cli-same-file.py JUNIPR_EXE"""

import hashlib
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import (TINY_TRAIN, Checker, has_render, leftovers, other_programs_files,  # noqa: E402
                     run, two_classes)

EXE = os.path.abspath(sys.argv[1])
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
T = Checker("cli-same-file")
TRAIN = TINY_TRAIN
TINY = TRAIN + ["--checkpoint", "none"]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        os.mkdir(p("sub"))
        two_classes(EXE, T, p, 40)
        with open(p("text.txt"), "w") as f, open(os.path.join(DATA, "junipr-text-small.txt")) as g:
            f.write(g.read())
        with open(p("sched.txt"), "w") as f:
            f.write("1 0.001 10\n")
        other_programs_files(EXE, T, p, 5, 8)
        rc, out, err = run(EXE, ["reweight", "--target-model", p("zm.h5"), "--source-model",
                                 p("qm.h5"), p("q.h5"), "-q", "-o", p("w.h5")])
        T.check(rc == 0, f"setup reweight: {err!r}")
        if T.failures:
            T.done()

        # Aliases of one input: the path itself, through '..', a symlink, a hard link.
        def aliases(name, ext=None):
            base, own = os.path.splitext(name)
            ext = ext or own
            sym, hard = p(f"sym-{base}{ext}"), p(f"hard-{base}{ext}")
            for link in (sym, hard):
                if os.path.lexists(link):
                    os.unlink(link)
            os.symlink(p(name), sym)
            os.link(p(name), hard)
            out = [sym, hard]
            if ext == own:
                out = [p(name), os.path.join(d, "sub", "..", name)] + out
            return out

        # (the input that must survive, command line with OUT for the output, output's ext)
        cases = [
            ("text.txt", ["import", p("text.txt"), "-q", "-o", "OUT"], ".h5"),
            ("q.h5", ["cluster", p("q.h5"), "--json", "-q", "-o", "OUT"], None),
            ("q.h5", ["observables", p("q.h5"), "-q", "-o", "OUT"], None),
            ("roc.csv", ["observables", p("q.h5"), "--weights", p("roc.csv"), "-q", "-o", "OUT"],
             None),
            ("q.h5", ["train", p("q.h5"), "-o", "OUT"] + TINY, None),
            ("q.h5", ["train", p("q.h5"), "-o", p("m.h5"), "--checkpoint", "OUT"] + TRAIN,
             None),
            ("sched.txt", ["train", p("q.h5"), "-o", "OUT", "--schedule", p("sched.txt"), "-q",
                           "--checkpoint", "none"], None),
            ("qm.h5", ["eval", p("qm.h5"), p("q.h5"), "-q", "-o", "OUT"], None),
            ("q.h5", ["eval", p("qm.h5"), p("q.h5"), "-q", "-o", "OUT"], None),
            ("qm.h5", ["sample", p("qm.h5"), "--jets", "5", "-q", "-o", "OUT"], None),
            ("z.h5", ["sample", p("qm.h5"), "--jets", "5", "--seeds-from", p("z.h5"), "-q",
                      "-o", "OUT"], None),
            ("zm.h5", ["reweight", "--target-model", p("zm.h5"), "--source-model", p("qm.h5"),
                       p("q.h5"), "-q", "-o", "OUT"], None),
            ("q.h5", ["reweight", "--target-model", p("zm.h5"), "--source-model", p("qm.h5"),
                      p("q.h5"), "-q", "-o", p("w.h5"), "--hist", "OUT"], None),
            ("z.h5", ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                      p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"), "-q",
                      "-o", "OUT"], None),
            ("qm.h5", ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                       p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"), "-q",
                       "-o", p("r.csv"), "--scores", "OUT"], None),
            ("z.h5", ["validate", p("zm.h5"), p("z.h5"), "-q", "-o", "OUT"], ".csv"),
            ("zm.h5", ["validate", p("zm.h5"), p("z.h5"), "-q", "-o", "OUT"], ".pdf"),
            ("roc.csv", ["render", "roc", p("roc.csv"), "-q", "-o", "OUT"], ".png"),
            ("z.h5", ["render", "tree", p("z.h5"), "--jet", "0", "-q", "-o", "OUT"], ".svg"),
            ("qm.h5", ["render", "tree", p("z.h5"), "--jet", "0", "--model", p("qm.h5"), "-q",
                       "-o", "OUT"], ".pdf"),
        ]
        binary = ["train-binary", "--signal-model", p("zm.h5"), "--background-model", p("qm.h5"),
                  "--signal", p("z.h5"), "--background", p("q.h5"), "--epochs", "1",
                  "--threads", "1", "-q"]
        cases += [
            ("zm.h5", binary + ["--checkpoint", "none", "-o", "OUT"], None),
            ("q.h5", binary + ["--checkpoint", "none", "-o", "OUT"], None),
            ("z.h5", binary + ["-o", p("pair.h5"), "--checkpoint", "OUT"], None),
        ]
        cases += [
            ("authors.json", ["import", p("authors.json"), "-q", "-o", "OUT"], ".h5"),
            ("array.h5", ["import", p("array.h5"), "--format", "array", "--dataset", "X", "-q",
                          "-o", "OUT"], None),
            ("q150.hdf5", ["import", p("q150.hdf5"), "-q", "-o", "OUT"], None),
            ("qg.npz", ["import", p("qg.npz"), "-q", "-o", "OUT"], ".h5"),
            ("z.h5", ["export", p("z.h5"), "-q", "-o", "OUT"], ".json"),
            ("z.h5", ["export", p("z.h5"), "--format", "text", "-q", "-o", "OUT"], None),
            ("keras.h5", ["import-model", p("keras.h5"), "-q", "-o", "OUT"], None),
            ("z.h5", ["render", "lund", p("z.h5"), "--jet", "0", "-q", "-o", "OUT"], ".png"),
            ("z.h5", ["render", "image", p("z.h5"), "--jet", "0", "-q", "-o", "OUT"], ".png"),
            ("q.h5", ["render", "image", p("z.h5"), "--average", "--difference", p("q.h5"), "-q",
                      "-o", "OUT"], ".svg"),
            ("z.h5", ["render", "shower", p("z.h5"), "--jet", "0", "--all-steps", "-q", "-o",
                      "OUT"], ".pdf"),
            ("q.h5", ["render", "hist", p("z.h5"), p("q.h5"), "--observable", "mass", "-q", "-o",
                      "OUT"], ".png"),
            ("w.h5", ["render", "hist", p("q.h5"), "--observable", "mass", "--weights",
                      p("w.h5"), "-q", "-o", "OUT"], ".svg"),
            ("qm.h5", ["render", "lund", p("z.h5"), "--map", "--model", p("zm.h5"), "--model-b",
                       p("qm.h5"), "-q", "-o", "OUT"], ".svg"),
        ]
        if os.path.exists(p("top.h5")):
            cases.append(("top.h5", ["import", p("top.h5"), "-q", "-o", "OUT"], None))
        if not has_render(EXE):  # no drawing layer in this build
            cases = [c for c in cases if c[1][0] != "render" and c[2] != ".pdf"]
        for victim, args, ext in cases:
            before = digest(p(victim))
            for target in aliases(victim, ext):
                argv = [target if a == "OUT" else a for a in args]
                rc, out, err = run(EXE, argv)
                lines = err.strip().splitlines()
                what = f"{' '.join(args[:2])} -o {os.path.relpath(target, d)}"
                T.check(rc == 1 and len(lines) == 1 and "same file" in lines[0]
                        and victim in lines[0], f"{what}: exit {rc}, {err!r}")
                T.check(digest(p(victim)) == before, f"{what}: the input {victim} changed")
                T.check(out == "", f"{what}: work was done: {out!r}")
            T.check(leftovers(d) == [], f"{args[0]}: left {leftovers(d)}")
            for link in os.listdir(d):
                if link.startswith(("sym-", "hard-")):
                    os.unlink(p(link))

        # An output name that is a device or a pipe (-o /dev/full, /dev/null): the rename of
        # the finished temporary would replace the node by a plain file -- the system's own
        # node when run as root -- and exit 0 with the data written nowhere. A pipe always;
        # a character device like /dev/full (1, 7) when root may make one.
        nodes = [p("pipe")]
        os.mkfifo(nodes[0])
        if os.geteuid() == 0:
            os.mknod(p("full"), 0o666 | stat.S_IFCHR, os.makedev(1, 7))
            nodes.append(p("full"))
        else:
            print("note: not root, so -o a device is tried with a pipe only")
        for victim, args, ext in cases:
            ext = ext or os.path.splitext(victim)[1]
            for node in nodes:
                target = p(f"node{ext}")
                os.symlink(node, target)
                argv = [target if a == "OUT" else a for a in args]
                rc, out, err = run(EXE, argv)
                lines = err.strip().splitlines()
                what = f"{' '.join(args[:2])} -o {os.path.basename(node)}"
                T.check(rc == 1 and len(lines) == 1 and "not a regular file" in lines[0]
                        and "node" + ext in lines[0], f"{what}: exit {rc}, {err!r}")
                mode = os.stat(target).st_mode
                T.check(stat.S_ISFIFO(mode) or stat.S_ISCHR(mode), f"{what}: the node was replaced")
                T.check(out == "", f"{what}: work was done: {out!r}")
                os.unlink(target)
        # -o /dev/stdout with the standard output redirected to a file (>>): stat sees that
        # regular file, but the rename would replace the link and leave the file as it was.
        for victim, args, ext in cases:
            ext = ext or os.path.splitext(victim)[1]
            target = p(f"stdout{ext}")
            os.symlink("/proc/self/fd/1", target)
            with open(p("redirected"), "w") as f:
                f.write("kept\n")
            with open(p("redirected"), "a") as f:
                proc = subprocess.run([EXE] + [target if a == "OUT" else a for a in args],
                                      stdout=f, stderr=subprocess.PIPE, text=True, timeout=300)
            lines = proc.stderr.strip().splitlines()
            what = f"{' '.join(args[:2])} -o /dev/stdout >> FILE"
            T.check(proc.returncode == 1 and len(lines) == 1
                    and "open file descriptor" in lines[0], f"{what}: {proc.stderr!r}")
            with open(p("redirected")) as f:
                T.check(f.read() == "kept\n", f"{what}: the redirected file changed")
            T.check(os.path.islink(target), f"{what}: the link was replaced")
            os.unlink(target)
        os.unlink(p("redirected"))
        T.check(leftovers(d) == [], f"-o a device or pipe left {leftovers(d)}")
        for node in nodes:
            os.unlink(node)

        # Two outputs of one command under one name.
        doubles = [
            ["train", p("q.h5"), "-o", p("m.h5"), "--checkpoint", p("sub/../m.h5")] + TRAIN,
            ["reweight", "--target-model", p("zm.h5"), "--source-model", p("qm.h5"), p("q.h5"),
             "-q", "-o", p("w.csv"), "--hist", p("w.csv")],
            ["discriminate", "--signal-model", p("zm.h5"), "--background-model", p("qm.h5"),
             "--signal", p("z.h5"), "--background", p("q.h5"), "-q", "-o", p("x.h5"),
             "--scores", p("x.h5")],
        ]
        for args in doubles:
            rc, out, err = run(EXE, args)
            lines = err.strip().splitlines()
            T.check(rc == 1 and len(lines) == 1 and "same file" in lines[0],
                    f"{args[0]} with two outputs of one name: exit {rc}, {err!r}")
        T.check(not os.path.exists(p("m.h5")) and not os.path.exists(p("w.csv"))
                and not os.path.exists(p("x.h5")), "nothing written for two outputs of one name")

        # Allowed: resume from the checkpoint training goes on writing; read one file twice.
        rc, out, err = run(EXE, ["train", p("q.h5"), "-o", p("half.h5"), "--checkpoint",
                                 p("ck.h5"), "--epochs", "1"] + TRAIN)
        rc2, out, err2 = run(EXE, ["train", p("q.h5"), "-o", p("full.h5"), "--checkpoint",
                                   p("ck.h5"), "--resume", p("ck.h5"), "--epochs", "2", "-q"])
        T.check(rc == 0 and rc2 == 0, f"--checkpoint = --resume is allowed: {err!r} {err2!r}")
        rc, out, err = run(EXE, ["eval", p("qm.h5"), p("q.h5"), "-q", "-o", p("qq.h5")])
        rc2, out, err2 = run(EXE, ["discriminate", "--signal-model", p("qm.h5"),
                                   "--background-model", p("qm.h5"), "--signal", p("q.h5"),
                                   "--background", p("q.h5"), "-q", "-o", p("self.csv")])
        T.check(rc == 0 and rc2 == 0, f"one input named twice is fine: {err!r} {err2!r}")
        T.check(leftovers(d) == [], f"left {leftovers(d)}")
    T.done()


if __name__ == "__main__":
    main()
