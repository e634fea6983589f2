#!/usr/bin/python3
"""Import rates (jets/s) and peak memory of `junipr import` per format, each against a Python
peer reading the same file in the same run (the way its users read it), and the export rate.

    bench/bench-import.py BUILD_DIR [N_JETS [WORK_DIR]]      defaults: 100000 jets, /tmp

Fixtures are written once into WORK_DIR/jx-bench-import-N/ by tests/cli/jet_fixtures.py
(the real files' layouts) and kept for re-runs:
  top-tagging  train.h5       pandas/PyTables, 200 constituents (806 columns), ~60 used
  jetnet       t150.hdf5      particle_features [N, 150, 4], jet_features [N, 4]
  energyflow   QG_jets.npz    X (N, 139, 4) float64 compressed, as energyflow's QG_jets.npz
  junipr-json  ours.json      `junipr export` of N generated quark jets (17 digits)
               authors.json   the same with 6 significant digits, as the authors' C++ prints
Peers: pandas.read_hdf (top-tagging); h5py reading both arrays + numpy's vectorised rebuild
(JetNet); np.load + the rebuild with PDG masses (EnergyFlow); json.load, which the authors'
create_TFRecord calls (JSON; on the first N/10 jets only: it holds the whole file as Python
objects, ~10x its size). Every run is a child process; its peak RSS is GNU time's %M.
Not a test: numbers depend on the machine and its load — compare the ratios.
"""

import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "cli"))


def measure(argv):
    """Wall seconds and peak RSS (MiB) of one child process, through GNU time (a child forked
    from this big Python process would inherit its RSS high-water mark); fails loudly."""
    report = os.path.join("/tmp", f"jx-bench-import-time-{os.getpid()}")
    t0 = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report, *argv],
                          capture_output=True, text=True)
    dt = time.monotonic() - t0
    if proc.returncode != 0:
        sys.exit(f"bench-import: {' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    with open(report) as f:
        rss_kib = int(f.read().split()[-1])
    os.remove(report)
    return dt, rss_kib / 1024.0, proc.stdout


PEERS = {
    "top-tagging": """
import pandas as pd, numpy as np
df = pd.read_hdf(PATH, "table")
v = df.to_numpy(np.float64)
print(len(df))
""",
    "jetnet": """
import h5py, numpy as np
with h5py.File(PATH, "r") as f:
    pf = f["particle_features"][:].astype(np.float64); jf = f["jet_features"][:].astype(np.float64)
pt = pf[:, :, 2] * jf[:, :1]; eta = pf[:, :, 0] + jf[:, 1:2]; phi = pf[:, :, 1]
p4 = np.stack([pt * np.cosh(eta), pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)], -1)
p4 = p4[pf[:, :, 3] > 0.5]
print(len(jf))
""",
    "energyflow": """
import numpy as np
d = np.load(PATH); X = d["X"]; y = d["y"]
mass = np.zeros_like(X[:, :, 3])
for pid, m in {22: 0.0, 11: 0.000510999, 13: 0.105658, 211: 0.13957, 321: 0.493677,
               130: 0.497611, 2212: 0.938272, 2112: 0.939565}.items():
    mass[np.abs(X[:, :, 3]) == pid] = m
mt = np.sqrt(X[:, :, 0] ** 2 + mass ** 2)
p4 = np.stack([mt * np.cosh(X[:, :, 1]), X[:, :, 0] * np.cos(X[:, :, 2]),
               X[:, :, 0] * np.sin(X[:, :, 2]), mt * np.sinh(X[:, :, 1])], -1)
p4 = p4[X[:, :, 0] > 0]
print(len(X))
""",
    "junipr-json": """
import json
with open(PATH) as f:
    jets = json.load(f)["JuniprJets"]
print(len(jets))
""",
}


def head_json(src, dst, n):
    """The first n jets of a JuniprJets file we wrote (one jet object per '{' ... '}' block)."""
    with open(src) as f, open(dst, "w") as g:
        g.write(f.readline())
        count = 0
        for line in f:
            if line.startswith("}"):
                count += 1
                if count == n:
                    g.write("}\n]}\n")
                    return
            g.write(line)


NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")


def six_digits(src, dst):
    """Our 17-digit export printed the way the authors' C++ prints: 6 significant digits."""
    with open(src) as f, open(dst, "w") as g:
        for line in f:
            g.write(NUMBER.sub(lambda m: "%g" % float(m.group()), line))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    work = os.path.join(sys.argv[3] if len(sys.argv) > 3 else "/tmp", f"jx-bench-import-{n}")
    os.makedirs(work, exist_ok=True)
    jx = os.path.join(build, "src", "cli", "junipr")
    import jet_fixtures as fx

    files = {
        "top-tagging": os.path.join(work, "train.h5"),
        "jetnet": os.path.join(work, "t150.hdf5"),
        "energyflow": os.path.join(work, "QG_jets.npz"),
        "junipr-json": os.path.join(work, "ours.json"),
        "junipr-json (6 digits)": os.path.join(work, "authors.json"),
    }
    t0 = time.monotonic()
    if not os.path.exists(files["top-tagging"]):
        fx.top_tagging(files["top-tagging"], n)
    if not os.path.exists(files["jetnet"]):
        fx.jetnet(files["jetnet"], n, m=150)
    if not os.path.exists(files["energyflow"]):
        fx.energyflow(files["energyflow"], n, m=139)
    quarks = os.path.join(work, "quarks.h5")
    if not os.path.exists(quarks):
        subprocess.run([jx, "generate", "--process", "qq", "--jets", str(n), "--seed", "1", "-q",
                        "-o", quarks], check=True)
    export = None
    if not os.path.exists(files["junipr-json"]):
        export = measure([jx, "export", quarks, "-q", "-o", files["junipr-json"]])
    if not os.path.exists(files["junipr-json (6 digits)"]):
        six_digits(files["junipr-json"], files["junipr-json (6 digits)"])
    head = os.path.join(work, f"head-{n // 10}.json")
    if not os.path.exists(head):
        head_json(files["junipr-json"], head, n // 10)
    print(f"fixtures ready in {work} ({time.monotonic() - t0:.0f} s)")

    out = os.path.join(work, "out.h5")
    print(f"\n{'format':24} {'file MB':>8} {'ours jets/s':>12} {'RSS MB':>7} {'dataset MB':>10}"
          f" {'peer jets/s':>12} {'peer RSS':>9} {'ours/peer':>9}")
    for fmt, path in files.items():
        dt, rss, _ = measure([jx, "import", path, "-q", "-o", out])
        with subprocess.Popen([sys.executable, "-c", "import h5py,sys; f=h5py.File(sys.argv[1]);"
                               "print(f['jets/particles'].shape[0])", out],
                              stdout=subprocess.PIPE) as p:
            particles = int(p.stdout.read())
        peer_key = "junipr-json" if fmt.startswith("junipr-json") else fmt
        peer_path = head if peer_key == "junipr-json" else path
        peer_n = n // 10 if peer_key == "junipr-json" else n
        pdt, prss, _ = measure([sys.executable, "-c", PEERS[peer_key].replace("PATH", repr(peer_path))])
        ours, peer = n / dt, peer_n / pdt
        print(f"{fmt:24} {os.path.getsize(path) / 1e6:8.0f} {ours:12.0f} {rss:7.0f} "
              f"{particles * 32 / 1e6:10.0f} {peer:12.0f} {prss:9.0f} {ours / peer:9.2f}")
    if export is not None:
        print(f"\nexport --format junipr-json of {n} generated quark jets: {n / export[0]:.0f} jets/s, "
              f"RSS {export[1]:.0f} MB, {os.path.getsize(files['junipr-json']) / 1e6:.0f} MB written")
    os.remove(out)


if __name__ == "__main__":
    main()
