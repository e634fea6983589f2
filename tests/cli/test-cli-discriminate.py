"""Long physics validation (-Dlong_tests=true, ~1-2 min): `junipr discriminate` separates
boosted Z jets from quark jets in the paper's mass window (90.7-91.7 GeV) better than the
(tau21, n) likelihood-ratio baseline, by a margin — the paper's Sect. 5 result, with models
trained here on 4000 jets per class and tested on 2000 others. The JUNIPR AUC is recomputed
from the per-jet ln LR of --scores (Mann-Whitney in numpy, an independent count).
Usage: test-cli-discriminate.py JUNIPR_EXE"""

import csv
import os
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, run  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-discriminate")
WINDOW = ["--mass-window", "90.7,91.7"]


def auc_mann_whitney(sig, bkg):
    """P(s > b) + P(s = b)/2 over all pairs, by ranks."""
    both = np.concatenate([sig, bkg])
    order = np.argsort(both, kind="mergesort")
    ranks = np.empty(len(both))
    sorted_vals = both[order]
    i = 0
    while i < len(both):  # average ranks over ties
        j = i
        while j + 1 < len(both) and sorted_vals[j + 1] == sorted_vals[i]:
            j += 1
        ranks[order[i:j + 1]] = 0.5 * (i + j) + 1
        i = j + 1
    r_sig = ranks[:len(sig)].sum()
    return (r_sig - len(sig) * (len(sig) + 1) / 2) / (len(sig) * len(bkg))


def auc_sigma(auc, n_sig, n_bkg):
    """Hanley-McNeil standard error of an AUC."""
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    return np.sqrt((auc * (1 - auc) + (n_sig - 1) * (q1 - auc * auc)
                    + (n_bkg - 1) * (q2 - auc * auc)) / (n_sig * n_bkg))


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        for proc, n, seed, name in [("qq", 4000, 21, "qtrain"), ("zz", 4000, 22, "ztrain"),
                                    ("qq", 2000, 23, "qtest"), ("zz", 2000, 24, "ztest")]:
            rc, _, err = run(EXE, ["generate", "--process", proc, "--jets", str(n), "--seed", str(seed)]
                             + WINDOW + ["-q", "-o", p(name + ".h5")], timeout=1200)
            T.check(rc == 0, f"generate {name}: {err!r}")
        for x in "qz":
            rc, _, err = run(EXE, ["train", p(x + "train.h5"), "-o", p(x + "m.h5"), "--schedule", "fast",
                                   "--branch", "factorized", "--hidden", "32", "--dense", "48",
                                   "--seed", "1", "--checkpoint", "none", "-q"], timeout=1200)
            T.check(rc == 0, f"train {x}: {err!r}")
        if T.failures:
            T.done()
        rc, out, err = run(EXE, ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                                 p("qm.h5"), "--signal", p("ztest.h5"), "--background", p("qtest.h5"),
                                 "-o", p("roc.csv"), "--scores", p("lr.h5")])
        print(out)
        if not T.check(rc == 0, f"discriminate: {err!r}"):
            T.done()
        with open(p("roc.csv"), newline="") as f:
            auc = {r["method"]: float(r["value"]) for r in csv.DictReader(f) if r["kind"] == "auc"}
        with h5py.File(p("lr.h5"), "r") as f:
            llr, lab, test = f["jets/log_lr"][:], f["jets/label"][:], f["jets/test"][:] == 1
        sig = llr[test & (lab == 1) & np.isfinite(llr)]
        bkg = llr[test & (lab == 0) & np.isfinite(llr)]
        mine = auc_mann_whitney(sig, bkg)
        T.check(len(sig) > 900 and len(bkg) > 900 and abs(mine - auc["junipr"]) < 1e-6,
                f"JUNIPR AUC {auc['junipr']} = the Mann-Whitney count on the scores' test halves "
                f"{mine} ({len(sig)} signal, {len(bkg)} background)")
        # PHYSICS (the paper, Sect. 5): JUNIPR above the (tau21, n) baseline. The margin is 4σ of
        # the difference (Hanley-McNeil errors, taken as independent: ~0.013 at 1000 + 1000
        # jets), at least 0.05; measured when written: 0.874 against 0.733.
        sj = auc_sigma(auc["junipr"], len(sig), len(bkg))
        sb = auc_sigma(auc["tau21_mult"], len(sig), len(bkg))
        margin = max(0.05, 4 * np.hypot(sj, sb))
        print(f"AUC junipr {auc['junipr']:.4f} ± {sj:.4f}, tau21_mult {auc['tau21_mult']:.4f} ± {sb:.4f}, "
              f"margin {margin:.3f}")
        T.check(auc["junipr"] - auc["tau21_mult"] > margin,
                f"JUNIPR AUC {auc['junipr']:.4f} above the (tau21, n) baseline {auc['tau21_mult']:.4f} "
                f"by more than {margin:.3f}")
        # The baseline itself separates (PHYSICS.md §6.2: tau21 and n tell Z from quark jets).
        T.check(auc["tau21_mult"] > 0.5 + 4 * sb, f"(tau21, n) baseline AUC {auc['tau21_mult']:.4f}")
    T.done()


main()
