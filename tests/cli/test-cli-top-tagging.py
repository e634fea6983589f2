#!/usr/bin/env python3
"""`junipr import` of the top-tagging reference set: a fixture written by pandas through
PyTables in the real files' layout (806 columns; h5dump -H shows the compound /table/table of
index, float32[804] and int64[2] blocks), read back exactly; other block layouts pandas may
choose, Python 2's pickled column names; bad tables refused with one line.

Usage: test-cli-top-tagging.py JUNIPR_EXECUTABLE     (exits 77 without pandas/PyTables)
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import pandas as pd
    import tables  # noqa: F401  (pandas writes HDF5 tables through PyTables)
except ImportError as e:
    print(f"skip: {e} — the top-tagging fixture needs python3-pandas and python3-tables")
    sys.exit(77)

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jet_fixtures as fx  # noqa: E402
from clitest import Checker, leftovers, run  # noqa: E402

c = Checker("cli-top-tagging")
JX = sys.argv[1]


def same_jets(got, expected):
    return len(got) == len(expected) and all(
        a.shape == b.shape and np.array_equal(a, b) for a, b in zip(got, expected))


def refused(tmp, name, needles):
    out = os.path.join(tmp, name + ".out.h5")
    code, so, se = run(JX, ["import", os.path.join(tmp, name), "-o", out])
    c.check(code == 1 and len(se.strip().splitlines()) == 1 and name in se
            and all(n in se for n in needles),
            f"{name}: one line naming the file and {needles}: {se.strip()!r}")
    c.check(not os.path.exists(out) and not leftovers(tmp), f"{name}: no output left behind")


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "train.h5")
    expected, labels = fx.top_tagging(path, 200)

    # The layout pandas + PyTables write, as h5dump shows it (the real files look the same).
    if shutil.which("h5dump"):
        head = subprocess.run(["h5dump", "-H", "-d", "/table/table", path], capture_output=True,
                              text=True).stdout
        layout = re.findall(r'(H5T_\w+|H5T_ARRAY \{ \[\d+\] H5T_\w+ \}) "(\w+)"', head)
        c.check(layout == [("H5T_STD_I64LE", "index"),
                           ("H5T_ARRAY { [804] H5T_IEEE_F32LE }", "values_block_0"),
                           ("H5T_ARRAY { [2] H5T_STD_I64LE }", "values_block_1")],
                f"fixture: /table/table is index + float32[804] + int64[2]: {layout}")

    out = os.path.join(tmp, "top.h5")
    code, so, se = run(JX, ["import", path, "-o", out])
    if c.check(code == 0, f"import exits 0 ({se.strip()})"):
        jets, got_labels, attrs = fx.read_dataset(out)
        c.check(same_jets(jets, expected), "the constituents are the float32 values in the file, "
                "in pT order, padding dropped")
        c.check(np.array_equal(got_labels, labels), "is_signal_new becomes the label")
        c.check(attrs.get("import_format") == "top-tagging"
                and "is_signal_new" in attrs.get("import_labels", ""), f"source stored: {attrs}")
        padding = 200 * 200 - sum(len(j) for j in jets)
        c.check(f"{padding} padding rows dropped" in so, f"summary counts the padding: {so!r}")
        code, so, _ = run(JX, ["info", out])
        c.check("top-tagging" in so, "info shows the source format")

    code, so, se = run(JX, ["import", path, "--format", "top-tagging", "--max-jets", "17", "-o", out])
    c.check(code == 0 and len(fx.read_dataset(out)[0]) == 17, "--format top-tagging --max-jets 17")

    # Python 2's pandas pickled the names as S'...' strings; the table reads the same.
    py2 = os.path.join(tmp, "py2.h5")
    shutil.copy(path, py2)
    with h5py.File(py2, "r+") as f:
        f["table/table"].attrs["values_block_1_kind"] = np.bytes_(
            "(lp1\nS'ttv'\np2\naS'is_signal_new'\np3\na.")
    code, so, se = run(JX, ["import", py2, "-o", out])
    c.check(code == 0 and np.array_equal(fx.read_dataset(out)[1], labels),
            f"Python 2 pickled column names ({se.strip()})")

    # Other block layouts: one float block of all 806 columns, and a shuffled column order
    # with the label as a data column of its own.
    cols = fx.top_tagging_columns()
    df = pd.read_hdf(path, "table")
    one = os.path.join(tmp, "one-block.h5")
    df.astype(np.float32).to_hdf(one, key="table", format="table", mode="w")
    code, so, se = run(JX, ["import", one, "-o", out])
    c.check(code == 0 and same_jets(fx.read_dataset(out)[0], expected), "one float32 block of 806")
    mixed = os.path.join(tmp, "mixed.h5")
    order = ["is_signal_new"] + cols[::-1] + ["ttv"]
    df[order].to_hdf(mixed, key="table", format="table", mode="w", data_columns=["is_signal_new"])
    code, so, se = run(JX, ["import", mixed, "-o", out])
    c.check(code == 0 and same_jets(fx.read_dataset(out)[0], expected)
            and np.array_equal(fx.read_dataset(out)[1], labels),
            f"columns found by name in any order, the label as a data column ({se.strip()})")

    nolabel = os.path.join(tmp, "nolabel.h5")
    df.drop(columns=["is_signal_new"]).to_hdf(nolabel, key="table", format="table", mode="w")
    refused(tmp, "nolabel.h5", ["is_signal_new"])
    gap = os.path.join(tmp, "gap.h5")
    df.drop(columns=["PY_7"]).to_hdf(gap, key="table", format="table", mode="w")
    refused(tmp, "gap.h5", ["no column PY_7"])
    binary = os.path.join(tmp, "binary.h5")
    shutil.copy(path, binary)
    with h5py.File(binary, "r+") as f:
        f["table/table"].attrs["values_block_0_kind"] = np.bytes_(b"\x80\x04\x95junk")
    refused(tmp, "binary.h5", ["values_block_0_kind", "column names"])
    fixed = os.path.join(tmp, "fixed.h5")
    df.to_hdf(fixed, key="table", mode="w")  # pandas' "fixed" format: no /table/table
    refused(tmp, "fixed.h5", ["fixed.h5"])
c.done()
