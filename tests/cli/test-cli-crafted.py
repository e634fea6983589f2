"""A file we read is never trusted (issue #15 item 3): damaged or crafted datasets, models,
checkpoints, scores and weights files are refused with exit 1 and one line naming the file
and the field -- quickly, without trying to allocate what a header claims -- and a jet with
a non-finite momentum never reaches a report as "no details". Each file below is written with
h5py the way another program (or an attacker) would.
Usage: test-cli-crafted.py JUNIPR_EXE"""

import os
import shutil
import sys
import tempfile
import time
import zipfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import TINY_TRAIN, Checker, has_render, leftovers, run, write_dataset  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
T = Checker("cli-crafted")
TINY = TINY_TRAIN
JET = [(10, 0, 0, 10), (5, 3, 0, 4), (7, 0, 0.5, 6.9)]


def refused(args, path, *needles, what=None):
    """exit 1, one line naming the file's basename and every needle, within 30 s."""
    t0 = time.time()
    rc, out, err = run(EXE, args, timeout=120)
    secs = time.time() - t0
    lines = err.strip().splitlines()
    ok = rc == 1 and len(lines) == 1 and os.path.basename(path) in lines[0] \
        and all(n in lines[0] for n in needles) and "no details" not in err and secs < 30
    T.check(ok, f"{what or ' '.join(args[:2])}: exit {rc} in {secs:.1f} s, want one line with "
                f"{os.path.basename(path)} {needles}: {err!r}")


def edit(src, dst, fn):
    if src != dst:
        shutil.copy(src, dst)
    with h5py.File(dst, "a") as f:
        fn(f)


def replace(f, name, data=None, **kw):
    del f[name]
    if data is not None:
        f.create_dataset(name, data=data, **kw)
    else:
        f.create_dataset(name, **kw)


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        for args in (["generate", "--process", "qq", "--jets", "50", "--seed", "1", "-q",
                      "-o", p("q.h5")],
                     ["train", p("q.h5"), "-o", p("qm.h5"), "--seed", "1", "--checkpoint",
                      p("ck.h5"), "--optimizer", "adam"] + TINY,
                     ["eval", p("qm.h5"), p("q.h5"), "-q", "--per-step", "-o", p("s.h5")],
                     ["reweight", "--target-model", p("qm.h5"), "--source-model", p("qm.h5"),
                      p("q.h5"), "-q", "-o", p("w.h5")]):
            rc, out, err = run(EXE, args)
            T.check(rc == 0, f"setup {args[0]}: {err!r}")
        if T.failures:
            T.done()

        # ---- datasets
        with h5py.File(p("huge.h5"), "w") as f:  # 6.8e11 particles declared, none stored
            f.attrs["format"], f.attrs["version"] = "junipr-dataset", np.int32(1)
            f.create_dataset("jets/offsets", data=np.array([0, 680000000000], dtype=np.uint64))
            f.create_dataset("jets/particles", shape=(680000000000, 4), dtype="f8",
                             chunks=(1024, 4))
        for cmd in (["info"], ["cluster"], ["observables", "-o", p("o.csv")],
                    ["train", "-o", p("x.h5")] + TINY):
            refused([cmd[0], p("huge.h5")] + cmd[1:], p("huge.h5"), "/jets/particles",
                    what=f"{cmd[0]} of 6.8e11 declared particles")
        write_dataset(p("neg.h5"), [JET, JET])
        edit(p("neg.h5"), p("neg.h5"),
             lambda f: replace(f, "jets/offsets", np.array([0, -5, 6], dtype=np.int64)))
        refused(["info", p("neg.h5")], p("neg.h5"), "/jets/offsets", "negative")
        refused(["cluster", p("neg.h5")], p("neg.h5"), "/jets/offsets", "negative")
        edit(p("neg.h5"), p("frac.h5"),
             lambda f: replace(f, "jets/offsets", np.array([0, 3, 6], dtype=np.int64)))
        edit(p("frac.h5"), p("bigl.h5"),
             lambda f: f["jets"].create_dataset("label", data=np.array([0, 2**40], np.int64)))
        refused(["info", p("bigl.h5")], p("bigl.h5"), "/jets/label")
        edit(p("frac.h5"), p("wnan.h5"),
             lambda f: f["jets"].create_dataset("weight", data=np.array([1.0, np.nan])))
        refused(["info", p("wnan.h5")], p("wnan.h5"), "/jets/weight", "jet 1")
        edit(p("frac.h5"), p("partial.h5"),  # the last chunk of the particles never written
             lambda f: replace(f, "jets/particles", shape=(6, 4), dtype="f8", chunks=(3, 4)))
        with h5py.File(p("partial.h5"), "a") as f:
            f["jets/particles"][0:3] = np.array(JET)
        refused(["info", p("partial.h5")], p("partial.h5"), "/jets/particles", "chunks")

        # ---- models
        def attr(name, value):
            return lambda f: f.attrs.__setitem__(name, value)

        models = [
            ("esub-nan.h5", attr("clustering_esub", np.nan), ["clustering_esub"]),
            ("esub-neg.h5", attr("clustering_esub", -1.0), ["clustering_esub"]),
            ("rsub-big.h5", attr("clustering_rsub", 1e300), ["clustering_rsub"]),
            ("scale-nan.h5", attr("scaling_e_sub", np.nan), ["E_sub"]),
            ("hidden-big.h5", attr("hidden", 100000), ["hidden 100000", "/weights"]),
            ("grid-big.h5", attr("grid", 64), ["grid 64", "/weights"]),
            ("weight-nan.h5", lambda f: f["weights/init/kernel"].__setitem__((0, 0), np.nan),
             ["/weights/init/kernel", "nan"]),
            ("weight-inf.h5", lambda f: f["weights/rnn/bias"].__setitem__(2, np.inf),
             ["/weights/rnn/bias", "inf"]),
            ("history-long.h5", lambda f: [replace(f, "history/" + n, shape=(10**12,),
                                                   dtype="f8", chunks=(4096,))
                                           for n in list(f["history"])], ["/history"]),
            ("history-bad.h5", lambda f: replace(f, "history/batch_size",
                                                 np.zeros(len(f["history/epoch"]), np.int32)),
             ["batch_size"]),
        ]
        for name, fn, needles in models:
            edit(p("qm.h5"), p(name), fn)
            refused(["info", p(name)], p(name), *needles, what=f"info {name}")
            refused(["eval", p(name), p("q.h5"), "-o", p("e.h5")], p(name), *needles,
                    what=f"eval {name}")
        edit(p("ck.h5"), p("ck-v.h5"), lambda f: replace(f, "optimizer/v", np.concatenate(
            [f["optimizer/v"][:], f["optimizer/v"][:]])))
        refused(["train", p("q.h5"), "-o", p("r.h5"), "--resume", p("ck-v.h5"), "--epochs", "2",
                 "-q"], p("ck-v.h5"), "v", what="resume from a checkpoint with a long /optimizer/v")

        # ---- scores and weights files: info must say they are damaged
        scores = [
            ("s-status.h5", "s.h5", lambda f: f["jets/status"].__setitem__(3, 7), ["/jets/status"]),
            ("s-logp.h5", "s.h5", lambda f: f["jets/log_p"].__setitem__(0, np.nan), ["/jets/log_p"]),
            ("s-long.h5", "s.h5", lambda f: replace(f, "jets/n", shape=(10**11,), dtype="i4",
                                                     chunks=(1000,)), ["/jets/n"]),
            ("s-steps.h5", "s.h5", lambda f: f["steps/offsets"].__setitem__(5, 10**15),
             ["/steps/offsets"]),
            # the end of the offsets at 2^64 - 1 once read as "any number of steps"
            # (fuzz-h5-scores: calloc of 2^64 - 1 doubles; here "out of memory")
            ("s-steps-end.h5", "s.h5", lambda f: f["steps/offsets"].__setitem__(-1, 2**64 - 1),
             ["/steps/log_end", "expected 18446744073709551615"]),
            ("w-inf.h5", "w.h5", lambda f: f["jets/weight"].__setitem__(0, np.inf),
             ["/jets/weight", "jet 0"]),
            ("w-neg.h5", "w.h5", lambda f: f["jets/weight"].__setitem__(4, -2.0),
             ["/jets/weight", "jet 4"]),
        ]
        for name, src, fn, needles in scores:
            edit(p(src), p(name), fn)
            refused(["info", p(name)], p(name), *needles, what=f"info {name}")
        refused(["observables", p("q.h5"), "--weights", p("w-inf.h5"), "-o", p("o.csv")],
                p("w-inf.h5"), "/jets/weight", what="observables --weights with an inf weight")

        # ---- a non-finite momentum reaching validate: skipped like any unusable jet
        edit(p("q.h5"), p("q-inf.h5"), lambda f: f["jets/particles"].__setitem__((3, 1), np.inf))
        report = "pdf" if has_render(EXE) else "csv"
        for out in (f"v.{report}", "v.csv"):
            rc, o, err = run(EXE, ["validate", p("qm.h5"), p("q-inf.h5"), "-q", "-o", p(out)])
            T.check(rc == 0 and os.path.exists(p(out)) and "no details" not in err,
                    f"validate -o {out} with one infinite momentum: {rc} {err!r}")
        write_dataset(p("all-bad.h5"), [[(np.nan, 0, 0, 1)], [(0.5, 0, 0, 0.5)]])
        refused(["validate", p("qm.h5"), p("all-bad.h5"), "-o", p(f"v2.{report}")],
                p("all-bad.h5"), "no jet", what="validate on data without a usable jet")
        T.check(not os.path.exists(p(f"v2.{report}")), "no report without usable jets")
        # ---- values that break the arithmetic (item 4): squares of 1e300 overflow
        write_dataset(p("e300.h5"), [JET, [(1e300, 0, 0, 1e300), (5, 3, 0, 4)]])
        refused(["cluster", p("e300.h5"), "--json"], p("e300.h5"), "jet 1", "beyond")
        refused(["observables", p("e300.h5"), "-o", p("o.csv")], p("e300.h5"), "jet 1", "beyond")
        rc, out, err = run(EXE, ["cluster", p("e300.h5"), "--json", "--skip-bad"])
        T.check(rc == 0 and "nan" not in out.lower() and '"jet": 0' in out and '"jet": 1' not in out,
                f"cluster --skip-bad drops the 1e300 jet, no NaN: {out!r} {err!r}")
        # Valid but extreme jets: huge and tiny energies, exact collinear copies, a particle at
        # rest, back to back. Every number printed must be finite.
        extreme = [
            [(1e25, 0, 0, 1e25), (1e25, 0, 0, 1e25), (1e-9, 1e-9, 0, 0), (3, 0, 0, -3)],
            [(2, 0, 0, 0), (1, 1, 0, 0), (1, -1, 0, 0), (0, 0, 0, 0)],
            [(5, 3, 0, 4), (5, 3, 0, 4), (5, 3, 0, 4), (1e-300, 0, 0, 1e-300)],
        ]
        write_dataset(p("extreme.h5"), extreme)
        for alg in ("ca", "kt", "antikt", "printer"):
            rc, out, err = run(EXE, ["cluster", p("extreme.h5"), "--json", "--algorithm", alg,
                                     "--esub", "0", "--rsub", "0"])
            T.check(rc == 0 and out.count("\n") == 3 and "nan" not in out.lower()
                    and "inf" not in out.lower(), f"cluster {alg} of extreme jets: {out!r} {err!r}")
        rc, out, err = run(EXE, ["observables", p("extreme.h5"), "--esub", "0", "--rsub", "0",
                                 "-o", "-"])
        T.check(rc == 0 and len(out.splitlines()) == 4 and "nan" not in out.lower()
                and "inf" not in out.lower(), f"observables of extreme jets: {out!r} {err!r}")
        # ---- other programs' files (import-model, import of JetNet and EnergyFlow)
        keras = os.path.join(DATA, "Junipr_demo_model.h5")
        kernel = "model_weights/RNN/RNN/kernel:0"

        def poison(value, dtype):
            def fn(f):
                w = f[kernel][()].astype(dtype)
                w[0, 1] = value
                replace(f, kernel, w)
            return fn
        for name, value, dtype, why in (("k-nan.h5", np.nan, "f4", "non-finite"),
                                        ("k-inf.h5", -np.inf, "f4", "non-finite"),
                                        ("k-1e39.h5", 1e39, "f8", "above the range")):
            edit(keras, p(name), poison(value, dtype))
            refused(["import-model", p(name), "-q", "-o", p("km.h5")], p(name), kernel, why,
                    what=f"import-model of {name}")
            T.check(not os.path.exists(p("km.h5")), f"import-model of {name} wrote a model")
        with h5py.File(p("z150.hdf5"), "w") as f:  # 1e12 JetNet jets declared, none stored
            f.create_dataset("particle_features", shape=(10**12, 8, 4), dtype="f4",
                             chunks=(16, 8, 4))
            f.create_dataset("jet_features", shape=(10**12, 4), dtype="f4", chunks=(16, 4))
        refused(["import", p("z150.hdf5"), "-q", "-o", p("j.h5")], p("z150.hdf5"),
                "particle_features", what="import of 1e12 declared JetNet jets")
        header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 30, 4), }"
        header += " " * (118 - len(header)) + "\n"
        npy = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode()
        with zipfile.ZipFile(p("QG_huge.npz"), "w") as z:
            z.writestr("X.npy", npy + bytes(64))
            z.writestr("y.npy", npy.replace(b"(1000000000000, 30, 4)", b"(3,)" + b" " * 18))
        refused(["import", p("QG_huge.npz"), "-q", "-o", p("e.h5")], p("QG_huge.npz"), "X.npy",
                what="import of an .npy declaring 1e12 EnergyFlow jets")
        # Text and JSON jets declaring 1e12 particles with one given: refused, nothing allocated.
        with open(p("n-huge.txt"), "w") as f:
            f.write("J 0\nN 1000000000000\n1 2 3 4\n")
        refused(["import", p("n-huge.txt"), "-q", "-o", p("t.h5")], p("n-huge.txt"), "N",
                what="import of text jets declaring 1e12 particles")
        with open(p("m-huge.json"), "w") as f:
            f.write('{"JuniprJets": [{"label": 0, "multiplicity": 1000000000000, '
                    '"CSJets": [[1, 0.1, 0.2, 0]]}]}')
        refused(["import", p("m-huge.json"), "-q", "-o", p("t.h5")], p("m-huge.json"),
                "'multiplicity' must be an integer from 1 to",
                what="import of a JSON jet declaring 1e12 particles")
        # Two files the fuzzer made (tests/fuzz/regressions/h5-raw): a group whose local heap
        # has the undefined address (HDF5 1.10.8 itself crashed on it: SIGSEGV), and an array
        # of 2^34 rows of no particles beyond its own maximum (import --skip-bad ran for hours).
        raw = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz",
                           "regressions", "h5-raw")
        for name, needles in (("local-heap-at-undefined-address-accumulator-segv",
                               ("HDF5 file is damaged", "groups cannot be read")),
                              ("array-rows-of-no-particles-timeout",
                               ("/X", "beyond its declared maximum")),
                              # a group linking to itself with a link count of 1, which
                              # H5Ovisit walked as /y/y/y/... without end
                              ("group-linking-to-itself-endless-visit",
                               ("HDF5 file is damaged", "link back into themselves"))):
            shutil.copy(os.path.join(raw, name), p(name + ".h5"))
            refused(["import", p(name + ".h5"), "--skip-bad", "-q", "-o", p("a.h5")],
                    p(name + ".h5"), *needles, what=f"import of {name}")
        # The same loop under a model's /weights (made by hand from the h5-raw model seed: a
        # hard link /weights/loop to /weights, then the link count of /weights set back to 1
        # and its header checksum recomputed): the count of the stored weights walked it
        # without end.
        name = "model-weights-linking-to-itself-endless-visit"
        shutil.copy(os.path.join(raw, name), p(name + ".h5"))
        refused(["info", p(name + ".h5")], p(name + ".h5"), "HDF5 file is damaged: the groups "
                "under /weights link back into themselves", what=f"info on {name}")
        T.check(leftovers(d) == [], f"left {leftovers(d)}")
    T.done()


if __name__ == "__main__":
    main()
