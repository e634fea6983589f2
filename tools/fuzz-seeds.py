#!/usr/bin/env python3
"""Writes the seed corpora of the HDF5 fuzz targets (tests/fuzz/corpus/h5-*): small valid
files written by junipr itself (generate, import, sample, train, eval, reweight, discriminate)
and by h5py (arrays to import), other programs' files in their real layouts
(tests/cli/jet_fixtures.py: top-tagging through pandas/PyTables, JetNet, EnergyFlow .npz,
the authors' JSON; the authors' Keras demo model), as h5spec text (tests/fuzz/jx-fuzz-h5spec.h)
and, for the raw target and the text formats, as they are. Run again when a file format gains fields.
Usage: tools/fuzz-seeds.py JUNIPR_EXE"""

import io
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
import jet_fixtures  # noqa: E402

CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
TYPES = {"int8": "i8", "int16": "i32", "int32": "i32", "int64": "i64", "uint8": "u8",
         "uint16": "i32", "uint32": "i64", "uint64": "u64", "float32": "f32", "float64": "f64"}


def number(v):
    return repr(float(v)) if isinstance(v, (float, np.floating)) else str(int(v))


def to_spec(path, options=(), skip=None):
    """The file as h5spec; objects whose path contains skip are left out."""
    lines = [f"#option {o}" for o in options]

    def attrs(name, obj):
        for key, value in obj.attrs.items():
            if isinstance(value, (bytes, str)):
                text = value.decode() if isinstance(value, bytes) else value
                text = text.replace("\\", "\\\\").replace("\n", "\\n")
                lines.append(f"attr {name} {key} str {text}")
            else:
                arr = np.atleast_1d(np.asarray(value))
                t = TYPES.get(arr.dtype.name)
                if t is not None:
                    lines.append(f"attr {name} {key} {t} " + " ".join(number(v) for v in arr))

    def visit(name, obj):
        if skip is not None and skip in name:
            return
        if isinstance(obj, h5py.Group):
            lines.append(f"group {name}")
        elif obj.dtype.names is not None:  # a compound table (PyTables)
            members = []
            for field in obj.dtype.names:
                sub = obj.dtype[field]
                base, shape = (sub.subdtype if sub.subdtype else (sub, ()))
                count = int(np.prod(shape)) if shape else 1
                members.append(f"{field}={TYPES[base.name]}" + (f"x{count}" if shape else ""))
            data = obj[()]
            values = " ".join(number(v) for row in data for field in obj.dtype.names
                              for v in np.ravel(row[field]))
            lines.append(f"table {name} {obj.shape[0]} {' '.join(members)} : {values}".rstrip())
        else:
            data = obj[()]
            dims = "x".join(str(d) for d in obj.shape) if obj.shape else "scalar"
            values = " ".join(number(v) for v in np.ravel(data))
            lines.append(f"dset {name} {TYPES[obj.dtype.name]} {dims} : {values}".rstrip())
        attrs(name, obj)

    with h5py.File(path, "r") as f:
        attrs("/", f)
        f.visititems(visit)
    return "\n".join(lines) + "\n"


def save(target, name, text=None, raw=None):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(raw if raw is not None else text.encode())


def main():
    exe = sys.argv[1]
    tiny = ["--schedule", "fast", "--branch", "factorized", "--hidden", "2", "--dense", "2",
            "--max-mult", "8", "--epochs", "1", "--threads", "1", "--skip-long", "-q"]
    with tempfile.TemporaryDirectory() as d:
        p = lambda n: os.path.join(d, n)  # noqa: E731
        runs = [
            ["generate", "--process", "zz", "--jets", "4", "--seed", "3", "-q", "-o", p("z.h5")],
            ["generate", "--process", "qq", "--jets", "4", "--seed", "4", "-q", "-o", p("q.h5")],
            ["import", os.path.join(ROOT, "tests", "data", "junipr-text-small.txt"), "-q",
             "-o", p("text.h5")],
            ["train", p("z.h5"), "-o", p("zm.h5"), "--seed", "1", "--checkpoint", "none"] + tiny,
            ["train", p("q.h5"), "-o", p("qm.h5"), "--seed", "2", "--optimizer", "adam",
             "--checkpoint", p("ck.h5")] + tiny,
            ["train", p("q.h5"), "-o", p("lstm.h5"), "--seed", "3", "--metric", "pp",
             "--recurrent", "lstm", "--checkpoint", "none"] + tiny,
            ["sample", p("zm.h5"), "--jets", "3", "--threads", "1", "-q", "-o", p("s.h5")],
            ["eval", p("zm.h5"), p("z.h5"), "--per-step", "-q", "-o", p("e.h5")],
            ["reweight", "--target-model", p("zm.h5"), "--source-model", p("qm.h5"), p("q.h5"),
             "-q", "-o", p("w.h5")],
            ["discriminate", "--signal-model", p("zm.h5"), "--background-model", p("qm.h5"),
             "--signal", p("z.h5"), "--background", p("q.h5"), "-q", "-o", p("roc.csv"),
             "--scores", p("lr.h5")],
        ]
        for args in runs:
            subprocess.run([exe] + args, check=True)
        x = np.zeros((3, 4, 4))
        x[0, :2] = [[50, 30, 0, 40], [13, 0, 5, 12]]
        x[1, :3] = [[20, 0, 0, 20], [10, 6, 0, 8], [5, 0, 3, 4]]
        x[2, :1] = [[7, 0, 0, 7]]
        with h5py.File(p("arr.h5"), "w") as f:
            f["X"] = x
            f["y"] = np.array([1, 0, 1], dtype=np.int64)
        ptx = np.zeros((2, 3, 4), dtype=np.float32)
        ptx[0, :2] = [[30, 0.1, 0.2, 0], [12, -0.3, 1.5, 0.14]]
        ptx[1, :3] = [[25, 1.0, -2.0, 0], [9, 1.1, -2.2, 0], [4, 0.8, -1.7, 0.14]]
        with h5py.File(p("ptx.h5"), "w") as f:
            f["jets/pt_eta_phi"] = ptx

        for name, path in [("generate-zz", "z.h5"), ("import-text", "text.h5"),
                           ("sample", "s.h5")]:
            save("h5-dataset", name, to_spec(p(path)))
        for name, path in [("factorized", "zm.h5"), ("checkpoint-adam", "ck.h5"),
                           ("lstm-pp", "lstm.h5")]:
            save("h5-model", name, to_spec(p(path)))
        for name, path in [("eval-per-step", "e.h5"), ("reweight", "w.h5"),
                           ("discriminate", "lr.h5")]:
            save("h5-scores", name, to_spec(p(path)))
        save("h5-array", "e-px-py-pz", to_spec(p("arr.h5"), ["dataset=X", "labels=y"]))
        save("h5-array", "pt-eta-phi-m", to_spec(p("ptx.h5"), ["dataset=jets/pt_eta_phi",
                                                              "columns=pt,eta,phi,m"]))
        other_programs(exe, p)
        for name, path in [("dataset", "z.h5"), ("model", "zm.h5"), ("scores", "e.h5"),
                           ("weights", "w.h5"), ("array", "arr.h5")]:
            with open(p(path), "rb") as f:
                save("h5-raw", name, raw=f.read())


def other_programs(exe, p):
    """Seeds of the import formats and import-model, from files in their authors' layouts."""
    jet_fixtures.junipr_json(p("authors.json"), 3, max_mult=5)
    with open(p("authors.json"), "rb") as f:
        save("json-jets", "authors-converter", raw=f.read())
    subprocess.run([exe, "export", p("z.h5"), "--max-jets", "2", "-q", "-o", p("export.json")],
                   check=True)
    with open(p("export.json"), "rb") as f:
        save("json-jets", "junipr-export", raw=f.read())
    jet_fixtures.top_tagging(p("top.h5"), 3, m=6, max_mult=6)
    # PyTables' column indexes (_i_table) are not read: left out of the seed.
    save("top-tagging", "pandas-pytables", to_spec(p("top.h5"), skip="_i_table"))
    jet_fixtures.jetnet(p("q150.hdf5"), 3, m=6)
    save("jetnet", "q150", to_spec(p("q150.hdf5")))
    for compressed in (True, False):
        npz = p("qg.npz")
        jet_fixtures.energyflow(npz, 3, m=5, compressed=compressed)
        with open(npz, "rb") as f:
            save("energyflow", "savez-compressed" if compressed else "savez", raw=f.read())
    with np.load(p("qg.npz")) as z:
        parts = []
        for key in ("X", "y"):
            buf = io.BytesIO()
            np.save(buf, z[key])
            parts.append(buf.getvalue())
    save("energyflow", "split-x-y", raw=parts[0] + b"\n@y.npy\n" + parts[1])
    save("keras", "authors-demo-model",
         to_spec(os.path.join(ROOT, "tests", "data", "Junipr_demo_model.h5"),
                 skip="optimizer_weights"))  # the Adam state is not read


if __name__ == "__main__":
    main()
