"""Shared helpers for the `junipr` end-to-end tests: run the executable, collect failures,
write small datasets with h5py the way another program would."""

import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import h5py
import numpy as np


# A tiny model for tests that need one, not its physics: one epoch of the fast schedule,
# factorized heads of width 6, one thread. Add "--checkpoint", "none" when none is wanted.
TINY_TRAIN = ["--schedule", "fast", "--branch", "factorized", "--hidden", "6", "--dense", "6",
              "--epochs", "1", "--threads", "1", "--skip-long", "-q"]


class Checker:
    """Counts checks; every failure prints one line; exit status says whether any failed."""

    def __init__(self, name):
        self.name = name
        self.checks = 0
        self.failures = 0

    def check(self, cond, what):
        self.checks += 1
        if not cond:
            self.failures += 1
            print(f"FAIL: {what}", file=sys.stderr)
        return cond

    def done(self):
        print(f"{self.name}: {self.checks} checks, {self.failures} failed")
        sys.exit(1 if self.failures or self.checks == 0 else 0)


def run(exe, args, cwd=None, timeout=300, env=None):
    """Runs junipr with args; returns (exit code, stdout, stderr) as text."""
    proc = subprocess.run([exe] + list(args), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)
    return proc.returncode, proc.stdout, proc.stderr


def write_dataset(path, jets, kind="junipr-dataset", labels=None, weights=None):
    """Writes jets (a list of lists of (E, px, py, pz)) in the dataset layout of DESIGN.md §5."""
    offsets = np.zeros(len(jets) + 1, dtype=np.uint64)
    for i, jet in enumerate(jets):
        offsets[i + 1] = offsets[i] + len(jet)
    parts = [p for jet in jets for p in jet]
    particles = np.array(parts, dtype=np.float64).reshape(-1, 4)
    with h5py.File(path, "w") as f:
        if kind is not None:
            f.attrs["format"] = kind
            f.attrs["version"] = np.int32(1)
        g = f.create_group("jets")
        g.create_dataset("offsets", data=offsets)
        g.create_dataset("particles", data=particles)
        if labels is not None:
            g.create_dataset("label", data=np.asarray(labels, dtype=np.int32))
        if weights is not None:
            g.create_dataset("weight", data=np.asarray(weights, dtype=np.float64))


def massless(E, theta, phi):
    """A massless 4-vector of energy E at polar angle theta, azimuth phi to the z axis."""
    s = np.sin(theta)
    return (E, E * s * np.cos(phi), E * s * np.sin(phi), E * np.cos(theta))


def leftovers(directory):
    """Temporary files an atomic write could leave behind."""
    return [n for n in os.listdir(directory) if ".tmp-" in n]


def interrupt_when_busy(exe, args, cwd=None, marker="% (", timeout=120):
    """Runs junipr and sends it one SIGINT (Ctrl-C) once a stderr line holds `marker` (a
    progress line: the command is then at work, with Ctrl-C handled), or after `timeout` s.
    Returns (exit code, stderr); a command that ends first is not interrupted."""
    proc = subprocess.Popen([exe] + list(args), cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, errors="replace")
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr))
    reader.start()
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None and not any(marker in ln for ln in lines):
        time.sleep(0.05)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    reader.join()
    return proc.returncode, "".join(lines)


def has_render(exe):
    """Whether this junipr has the drawing layer (render, validate's PDF report)."""
    return subprocess.run([exe, "render", "--help"], capture_output=True).returncode == 0


def two_classes(exe, T, p, jets):
    """Z and quark datasets z.h5 and q.h5 of `jets` jets, a tiny model of each (zm.h5, qm.h5)
    and their ROC table roc.csv, at p(NAME); each step checked with T."""
    tiny = TINY_TRAIN + ["--checkpoint", "none"]
    for args in (
            ["generate", "--process", "qq", "--jets", str(jets), "--seed", "1", "-q", "-o", p("q.h5")],
            ["generate", "--process", "zz", "--jets", str(jets), "--seed", "2", "-q", "-o", p("z.h5")],
            ["train", p("q.h5"), "-o", p("qm.h5"), "--seed", "1"] + tiny,
            ["train", p("z.h5"), "-o", p("zm.h5"), "--seed", "2"] + tiny,
            ["discriminate", "--signal-model", p("zm.h5"), "--background-model", p("qm.h5"),
             "--signal", p("z.h5"), "--background", p("q.h5"), "-q", "-o", p("roc.csv")]):
        rc, out, err = run(exe, args)
        T.check(rc == 0, f"setup {args[0]}: {err!r}")


def other_programs_files(exe, T, p, jets, particles):
    """Other programs' files at p(NAME), in their real layouts (jet_fixtures.py): a padded
    [N, M, 4] array with labels (array.h5, /X and /y), the authors' JSON exported from z.h5 (authors.json), JetNet (q150.hdf5), EnergyFlow (qg.npz), the
    authors' Keras demo model (keras.h5) and, when pandas/PyTables can write it, top-tagging
    (top.h5)."""
    import jet_fixtures

    # A zero-padded [N, M, 4] array (E, px, py, pz) with labels, for import --format array.
    rng = np.random.default_rng(7)
    arr = np.zeros((jets, particles, 4))
    for i in range(jets):
        for k in range(1 + i % particles):
            arr[i, k] = massless(rng.uniform(1, 50), rng.uniform(0.1, 0.3), rng.uniform(0, 6))
    with h5py.File(p("array.h5"), "w") as f:
        f.create_dataset("X", data=arr)
        f.create_dataset("y", data=np.arange(jets, dtype=np.int32) % 2)

    rc, out, err = run(exe, ["export", p("z.h5"), "--max-jets", str(jets), "-q", "-o",
                             p("authors.json")])
    T.check(rc == 0, f"setup export: {err!r}")
    jet_fixtures.jetnet(p("q150.hdf5"), jets, m=particles)
    jet_fixtures.energyflow(p("qg.npz"), jets, m=particles)
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
    shutil.copy(os.path.join(data, "Junipr_demo_model.h5"), p("keras.h5"))
    try:
        jet_fixtures.top_tagging(p("top.h5"), jets, m=particles, max_mult=particles)
    except ImportError as e:
        print(f"note: no top-tagging file ({e})")


def random_jets(n_jets, seed, scale=1.0, long_jet=False):
    """Jets of 3-10 massless particles, ~500 GeV in all, around the z axis."""
    rng = np.random.default_rng(seed)
    jets = []
    for j in range(n_jets):
        n = 20 if (long_jet and j == n_jets - 1) else int(rng.integers(3, 11))
        w = rng.exponential(size=n)
        E = 500.0 * scale * w / w.sum()
        theta = np.exp(rng.uniform(math.log(1e-3), math.log(0.8), size=n))
        phi = rng.uniform(0, 2 * math.pi, size=n)
        jets.append([massless(E[i], theta[i], phi[i]) for i in range(n)])
    return jets


def weights(path):
    """A model file's weights: {layer/tensor name: array}."""
    out = {}
    with h5py.File(path, "r") as f:
        f["weights"].visititems(lambda name, obj: out.__setitem__(name, obj[()])
                                if isinstance(obj, h5py.Dataset) else None)
    return out
