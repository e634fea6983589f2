"""One bad jet never kills a command (issue 16, item 4). A dataset of generated quark jets with
jets that cannot seed a shower or be clustered mixed in: a single massless particle whose m²
rounds below 0 (as in the demo's quark jets: m² = -3e-11 GeV²), one whose m² rounds above 0,
only soft particles (nothing above E_sub), and a NaN. `sample --seeds-from`, `discriminate`
and `reweight --hist` succeed, leave those jets out and say how many on one line; the seeds
written are exactly the subjet sums of the jets that can split.
Usage: test_bad_jets.py JUNIPR_EXE"""

import os
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, massless, run, write_dataset  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "models")
T = Checker("cli-bad-jets")


def rounded_massless(px, py, pz, sign):
    """(E, px, py, pz) with E = |p| moved by ulps until E² - p² has the given sign."""
    e = np.sqrt(px * px + py * py + pz * pz)
    while (e * e - (px * px + py * py + pz * pz) >= 0) if sign < 0 else (e * e - (px * px + py * py + pz * pz) <= 0):
        e = np.nextafter(e, 0.0 if sign < 0 else np.inf)
    return (float(e), px, py, pz)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        p = lambda name: os.path.join(tmp, name)  # noqa: E731
        rc, _, err = run(EXE, ["generate", "--process", "qq", "--jets", "60", "--seed", "3",
                               "-o", p("q.h5"), "-q"])
        T.check(rc == 0, f"generate: {err!r}")
        with h5py.File(p("q.h5"), "r") as f:
            off, parts = f["jets/offsets"][:], f["jets/particles"][:]
        jets = [[tuple(r) for r in parts[off[i]:off[i + 1]]] for i in range(len(off) - 1)]
        neg = rounded_massless(448.89386677, 105.49762918, -190.75988226, -1)
        pos = rounded_massless(-364.24343761, 182.71864005, 286.21911617, +1)
        T.check(neg[0] ** 2 - (neg[1] ** 2 + neg[2] ** 2 + neg[3] ** 2) < 0, "m² rounds below 0")
        bad = [[neg], [pos], [massless(0.4, 0.1, 0.1), massless(0.3, 0.2, 0.2)],
               [(float("nan"), 0.0, 0.0, 1.0)]]
        # the bad jets at 5, 17, 30, 41
        for k, at in enumerate([5, 17, 30, 41]):
            jets.insert(at, bad[k])
        write_dataset(p("mixed.h5"), jets)
        # generated jets of one particle cannot seed either (the generator keeps subjets only)
        single = sum(1 for j in jets if len(j) == 1 and j not in bad)

        model = os.path.join(MODELS, "quark-model.h5")
        rc, out, err = run(EXE, ["sample", model, "--jets", "40", "--seeds-from", p("mixed.h5"),
                                 "--seed", "2", "--threads", "2", "-o", p("s.h5"), "-q"])
        T.check(rc == 0 and os.path.exists(p("s.h5")), f"sample with bad seeds succeeds: {err!r}")
        lines = [l for l in err.splitlines() if "cannot seed" in l]
        T.check(len(lines) == 1, f"one summary line: {err!r}")
        T.check(lines and f"{4 + single} jets cannot seed a shower" in lines[0]
                and f"{2 + single} massless" in lines[0] and "1 nothing above E_sub" in lines[0]
                and "1 bad momenta" in lines[0], f"counted by reason ({single} generated one-particle jets): {lines}")
        with h5py.File(p("s.h5"), "r") as f:
            seeds = f["sample/seed"][:]
        m2 = seeds[:, 0] ** 2 - (seeds[:, 1:] ** 2).sum(axis=1)
        T.check(np.all(m2 > 1e-9 * seeds[:, 0] ** 2), "every seed has a mass")

        # discriminate and reweight keep going and say what they left out
        rc, out, err = run(EXE, ["discriminate", "--signal-model", os.path.join(MODELS, "z-model.h5"),
                                 "--background-model", model, "--signal", p("mixed.h5"),
                                 "--background", p("q.h5"), "-o", p("roc.csv")])
        T.check(rc == 0 and "skipped for the observables: 2 signal and 0 background jets" in out,
                f"discriminate: {rc} {out!r} {err!r}")
        rc, out, err = run(EXE, ["reweight", "--target-model", os.path.join(MODELS, "z-model.h5"),
                                 "--source-model", model, p("mixed.h5"), "-o", p("w.h5"),
                                 "--hist", p("h.csv")])
        T.check(rc == 0 and "skipped in the histograms: 2 jets" in out, f"reweight: {rc} {out!r} {err!r}")
    T.done()


if __name__ == "__main__":
    main()
