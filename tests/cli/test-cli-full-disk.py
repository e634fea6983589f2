"""Nothing lost on a full disk (issue #15 item 1): every command that writes a file is run
with its output on a small tmpfs filled up to leave 0, 4, 8, ... KiB free (every page up to
the file's size for small files, about ten points for bigger ones). Each run must
either fail (exit 1, one line on stderr naming the file, no output and no temporary left) or
succeed with exactly the file it writes on a roomy disk (HDF5: the same datasets and
attributes; text and PNG: the same bytes). A run that exits 0 with a file missing data --
what HDF5's unchecked closes used to give -- fails this test.

Needs root to mount the tmpfs; otherwise (or when mounting is not allowed) exits 77.
Usage: test-cli-full-disk.py JUNIPR_EXE"""

import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import (TINY_TRAIN, Checker, has_render, other_programs_files, run,  # noqa: E402
                     two_classes)

EXE = os.path.abspath(sys.argv[1])
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
T = Checker("cli-full-disk")
TRAIN = TINY_TRAIN
TINY = TRAIN + ["--checkpoint", "none"]
PAGE = 4096
# What legitimately differs between two runs: a model's date and its training times.
VOLATILE_ATTRS = {"created"}
VOLATILE_DATASETS = {"history/seconds", "binary/history/seconds"}


def mount_tmpfs(path, size):
    if os.geteuid() != 0:
        return "not root: cannot mount a small tmpfs to fill up"
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=1777", "tmpfs", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return f"cannot mount a tmpfs ({r.stderr.strip()})"
    return None


def fill(disk, free_bytes):
    """Leaves about free_bytes free on disk (rounded to pages) with one filler file."""
    filler = os.path.join(disk, "filler")
    if os.path.exists(filler):
        os.unlink(filler)
    st = os.statvfs(disk)
    avail = st.f_bavail * st.f_frsize
    want = max(0, avail - free_bytes)
    if want:
        with open(filler, "wb") as f:
            os.posix_fallocate(f.fileno(), 0, want)


def h5_equal(a, b):
    """Same groups, datasets (shape, dtype, values incl. NaN) and attributes but the volatile."""
    diffs = []

    def attrs_of(obj):
        return {k: v for k, v in obj.attrs.items() if k not in VOLATILE_ATTRS}

    def same_value(x, y):
        x, y = np.asarray(x), np.asarray(y)
        if x.shape != y.shape or x.dtype != y.dtype:
            return False
        if x.dtype.kind == "f":
            return np.array_equal(x, y, equal_nan=True)
        return np.array_equal(x, y)

    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        if sorted(names_a) != sorted(names_b):
            return [f"objects differ: {sorted(set(names_a) ^ set(names_b))}"]
        for name in [None] + names_a:
            oa = fa if name is None else fa[name]
            ob = fb if name is None else fb[name]
            aa, ab = attrs_of(oa), attrs_of(ob)
            if sorted(aa) != sorted(ab) or any(not same_value(aa[k], ab[k]) for k in aa):
                diffs.append(f"attributes of {name or '/'} differ")
            if isinstance(oa, h5py.Dataset) and name not in VOLATILE_DATASETS \
                    and not same_value(oa[()], ob[()]):
                diffs.append(f"/{name} differs")
    return diffs


def same_file(ref, got):
    if ref.endswith(".h5"):
        try:
            return h5_equal(ref, got)
        except OSError as e:
            return [f"unreadable: {e}"]
    with open(ref, "rb") as f, open(got, "rb") as g:
        a, b = f.read(), g.read()
    if ref.endswith(".pdf"):  # cairo dates its PDFs
        a, b = (re.sub(rb"/CreationDate \(D:[0-9Z+\-']*\)", b"", x) for x in (a, b))
    return [] if a == b else ["bytes differ"]


def leftovers(directory):
    return sorted(n for n in os.listdir(directory) if n != "filler")


def main():
    with tempfile.TemporaryDirectory() as d, tempfile.TemporaryDirectory() as disk:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        # Inputs on the roomy disk.
        two_classes(EXE, T, p, 60)
        other_programs_files(EXE, T, p, 20, 30)
        if T.failures:
            T.done()

        # (name of the output, arguments with OUT for its path, files the command writes)
        jobs = [
            ("gen.h5", ["generate", "--process", "zz", "--jets", "20", "--threads", "2", "-q",
                        "-o", "OUT"]),
            ("text.h5", ["import", os.path.join(DATA, "junipr-text-small.txt"), "-q", "-o", "OUT"]),
            ("hepmc.h5", ["import", os.path.join(DATA, "events-small.hepmc3"), "-q", "-o", "OUT"]),
            ("trees.json", ["cluster", p("z.h5"), "--json", "-q", "-o", "OUT"]),
            ("obs.csv", ["observables", p("z.h5"), "-q", "-o", "OUT"]),
            ("model.h5", ["train", p("z.h5"), "-o", "OUT", "--seed", "3"] + TINY),
            ("scores.h5", ["eval", p("zm.h5"), p("z.h5"), "--per-step", "-q", "-o", "OUT"]),
            ("sampled.h5", ["sample", p("zm.h5"), "--jets", "20", "--threads", "1", "-q",
                            "-o", "OUT"]),
            ("roc.csv", ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                         p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"), "-q",
                         "-o", "OUT"]),
            ("weights.h5", ["reweight", "--target-model", p("zm.h5"), "--source-model", p("qm.h5"),
                            p("q.h5"), "-q", "-o", "OUT"]),
            ("val.csv", ["validate", p("zm.h5"), p("z.h5"), "-q", "-o", "OUT"]),
            ("hist.csv", ["reweight", "--target-model", p("zm.h5"), "--source-model", p("qm.h5"),
                          p("q.h5"), "-q", "-o", p("w-any.h5"), "--hist", "OUT"]),
            ("lr.h5", ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                       p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"), "-q",
                       "-o", p("roc-any.csv"), "--scores", "OUT"]),
            ("ckpt.h5", ["train", p("z.h5"), "-o", p("m-any.h5"), "--seed", "3",
                         "--checkpoint", "OUT"] + TRAIN),
            ("val.pdf", ["validate", p("zm.h5"), p("z.h5"), "-q", "-o", "OUT"]),
            ("tree.png", ["render", "tree", p("z.h5"), "--jet", "1", "--model", p("zm.h5"), "-q",
                          "-o", "OUT"]),
            ("image.svg", ["render", "image", p("z.h5"), "--jet", "2", "-q", "-o", "OUT"]),
            ("roc.png", ["render", "roc", p("roc.csv"), "-q", "-o", "OUT"]),
            ("shower.pdf", ["render", "shower", p("z.h5"), "--jet", "3", "--all-steps", "-q",
                            "-o", "OUT"]),
            ("hist.svg", ["render", "hist", p("z.h5"), p("q.h5"), "--observable", "mass",
                          "--ratio", "-q", "-o", "OUT"]),
            ("pair.h5", ["train-binary", "--signal-model", p("zm.h5"), "--background-model",
                         p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"),
                         "--epochs", "1", "--threads", "1", "--checkpoint", "none", "-q",
                         "-o", "OUT"]),
            ("json.h5", ["import", p("authors.json"), "-q", "-o", "OUT"]),
            ("array-jets.h5", ["import", p("array.h5"), "--format", "array", "--dataset", "X",
                               "--labels", "y", "-q", "-o", "OUT"]),
            ("jetnet.h5", ["import", p("q150.hdf5"), "-q", "-o", "OUT"]),
            ("energyflow.h5", ["import", p("qg.npz"), "-q", "-o", "OUT"]),
            ("export.json", ["export", p("z.h5"), "-q", "-o", "OUT"]),
            ("export.txt", ["export", p("z.h5"), "--format", "text", "-q", "-o", "OUT"]),
            ("keras-model.h5", ["import-model", p("keras.h5"), "-q", "-o", "OUT"]),
            ("lund.png", ["render", "lund", p("z.h5"), "--jet", "1", "--model", p("zm.h5"),
                          "--model-b", p("qm.h5"), "-q", "-o", "OUT"]),
            ("lund-map.svg", ["render", "lund", p("z.h5"), "--map", "--model", p("zm.h5"),
                              "--model-b", p("qm.h5"), "--threads", "1", "-q", "-o", "OUT"]),
        ]
        if os.path.exists(p("top.h5")):
            jobs.append(("top.h5", ["import", p("top.h5"), "-q", "-o", "OUT"]))
        if not has_render(EXE):  # no drawing layer in this build
            jobs = [j for j in jobs if os.path.splitext(j[0])[1] not in (".png", ".svg", ".pdf")]
        refs = {}
        for name, args in jobs:
            ref = p("ref-" + name)
            rc, out, err = run(EXE, [ref if a == "OUT" else a for a in args])
            if T.check(rc == 0 and os.path.isfile(ref), f"reference {name}: {err!r}"):
                refs[name] = ref
        biggest = max(os.path.getsize(r) for r in refs.values())
        why = mount_tmpfs(disk, (biggest // PAGE + 16) * PAGE)
        if why is not None:
            print(f"SKIP: {why}; the full-disk cases need root (they run in CI)")
            sys.exit(77)
        try:
            for name, args in jobs:
                if name not in refs:
                    continue
                target = os.path.join(disk, name)
                argv = [target if a == "OUT" else a for a in args]
                size = os.path.getsize(refs[name])
                outcomes = {"failed": 0, "written": 0}
                # Every page for small files (where HDF5's last chunks and metadata sit close
                # together), about ten points across bigger ones, to keep the test quick.
                # The last point leaves room for the whole file, so the sweep reaches success.
                step = PAGE * max(1, -(-size // (8 * PAGE)))
                for free in list(range(0, size, step)) + [size + 2 * PAGE]:
                    fill(disk, free)
                    rc, out, err = run(EXE, argv)
                    lines = err.strip().splitlines()
                    left = [n for n in leftovers(disk) if n != name]
                    if rc == 0:
                        outcomes["written"] += 1
                        diffs = same_file(refs[name], target) if os.path.isfile(target) \
                            else ["no file"]
                        T.check(not diffs, f"{name} with {free} bytes free: exit 0 but {diffs}")
                    else:
                        outcomes["failed"] += 1
                        T.check(rc == 1 and len(lines) == 1 and name in lines[0],
                                f"{name} with {free} bytes free: exit {rc}, one line naming the "
                                f"file expected: {err!r}")
                        T.check(not os.path.exists(target),
                                f"{name} with {free} bytes free: failed but left the file")
                    T.check(not left, f"{name} with {free} bytes free: left {left}")
                    if os.path.exists(target):
                        os.unlink(target)
                # The sweep must have reached both sides, or it tested nothing.
                T.check(outcomes["failed"] > 0 and outcomes["written"] > 0,
                        f"{name}: {outcomes} (sizes swept up to {size + PAGE} bytes free)")
        finally:
            subprocess.run(["umount", disk], check=False)
    T.done()


if __name__ == "__main__":
    main()
