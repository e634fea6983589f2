"""`junipr generate --level hadron|parton` and `--cluster` end to end: hadron-level files hold
particles on the mass shells of γ, π±, K± and K⁰_L (checked here with numpy from the file, not
with the library), say their level and cluster parameters, and are reproducible; parton-level
files hold massless partons; bad values are one-line errors.

Usage: test-cli-hadron.py JUNIPR
"""

import os
import sys
import tempfile

import h5py
import numpy as np

import clitest

T = clitest.Checker("cli-hadron")
EXE = sys.argv[1]

# PDG masses (GeV) of the hadron-level final state: γ, π±, K±, K⁰_L.
FINAL_MASSES = np.array([0.0, 0.13957039, 0.493677, 0.497611])


def run(args):
    return clitest.run(EXE, args)


def attr(f, name):
    v = f.attrs[name]
    return v.decode() if isinstance(v, bytes) else v


def one_line_error(rc, err, needles, what):
    lines = [ln for ln in err.splitlines() if ln.strip()]
    T.check(rc == 1 and len(lines) == 1 and all(n in err for n in needles),
            f"{what}: rc {rc}, stderr {err!r}")


def generate(path, *extra):
    rc, out, err = run(["generate", "--process", "qq", "--jets", "300", "--seed", "3",
                        "--threads", "2", "-q", "-o", path] + list(extra))
    T.check(rc == 0 and err == "", f"generate {extra}: rc {rc}, stderr {err!r}")


def load(path):
    with h5py.File(path, "r") as f:
        attrs = {k: attr(f, k) for k in f.attrs}
        return f["jets/offsets"][()], f["jets/particles"][()], attrs


def masses(p):
    m2 = p[:, 0] ** 2 - (p[:, 1:] ** 2).sum(axis=1)
    return np.sqrt(np.clip(m2, 0, None)), m2


with tempfile.TemporaryDirectory() as tmp:
    had, had2, part, other = (os.path.join(tmp, n) for n in
                              ("had.h5", "had2.h5", "part.h5", "other.h5"))
    generate(had, "--level", "hadron")
    generate(had2, "--level", "hadron", "--threads", "1")
    generate(part, "--level", "parton")
    generate(other, "--level", "hadron", "--cluster", "2.5,2,1")
    oh, ph, ah = load(had)
    op, pp, ap = load(part)
    oo, po, ao = load(other)

    T.check(ah.get("level") == "hadron" and ap.get("level") == "parton",
            f"level attributes {ah.get('level')!r}, {ap.get('level')!r}")
    T.check(ah.get("cluster") == "1.43,2,1.5" and "hadronization" in ah,
            f"cluster attributes {ah.get('cluster')!r}")
    T.check("cluster" not in ap and "hadronization" not in ap, "parton file names no cluster model")
    T.check(ao.get("cluster") == "2.5,2,1", f"--cluster stored: {ao.get('cluster')!r}")

    # Every hadron-level particle sits on one of the final-state mass shells; some are massive.
    m, m2 = masses(ph)
    nearest = np.abs(m[:, None] - FINAL_MASSES[None, :]).min(axis=1)
    rel = np.abs(m2 - FINAL_MASSES[np.abs(m[:, None] - FINAL_MASSES[None, :]).argmin(axis=1)] ** 2)
    T.check(np.all(rel <= 1e-9 * ph[:, 0] ** 2), f"off-shell particles: worst {nearest.max():.3g} GeV")
    T.check(np.mean(m > 0.1) > 0.3 and np.mean(m < 1e-3) > 0.2,
            f"hadrons and photons: {np.mean(m > 0.1):.2f} massive, {np.mean(m < 1e-3):.2f} massless")
    # Partons are massless.
    mp, m2p = masses(pp)
    T.check(np.all(np.abs(m2p) <= 1e-7 * pp[:, 0] ** 2), "parton level particles massless")
    # Hadronisation multiplies the constituents of a jet.
    nh, np_ = np.diff(oh).mean(), np.diff(op).mean()
    T.check(nh > 3 * np_, f"particles per jet: hadron {nh:.1f}, parton {np_:.1f}")
    # Every jet's energy in the default window (the stored particles hold the subjets).
    e_jet = np.add.reduceat(ph[:, 0], oh[:-1].astype(np.int64))
    T.check(np.all(e_jet > 450), f"jet energies from {e_jet.min():.1f} GeV")
    # Same seed, other thread count: the same jets; other cluster parameters: other jets.
    oh2, ph2, _ = load(had2)
    T.check(np.array_equal(oh, oh2) and np.array_equal(ph, ph2), "threads change hadron-level jets")
    T.check(not np.array_equal(ph[:100], po[:100]), "--cluster changes nothing")

    rc, out, err = run(["generate", "--help"])
    T.check(rc == 0 and "--level" in out and "--cluster" in out, "help names --level, --cluster")

    bad = os.path.join(tmp, "bad.h5")
    rc, _, err = run(["generate", "--jets", "10", "--level", "quark", "-o", bad])
    one_line_error(rc, err, ["--level", "quark"], "--level quark")
    rc, _, err = run(["generate", "--jets", "10", "--level", "hadron", "--cluster", "1,2", "-o", bad])
    one_line_error(rc, err, ["--cluster"], "--cluster with two numbers")
    rc, _, err = run(["generate", "--jets", "10", "--level", "hadron", "--cluster", "0.1,2,1",
                      "-o", bad])
    one_line_error(rc, err, ["--cluster", "Cl_max"], "--cluster Cl_max out of range")
    T.check(not os.path.exists(bad), "a refused generate wrote no file")

T.done()
