"""Shared helpers for the `junipr` end-to-end tests: run the executable, collect failures,
write small datasets with h5py the way another program would."""

import math
import os
import subprocess
import sys

import h5py
import numpy as np


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
