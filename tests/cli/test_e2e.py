"""End-to-end test of the `junipr` tool: generate -> info -> cluster --json -> observables,
import of files written here, determinism across thread counts, Ctrl-C cancellation.
Usage: test_e2e.py JUNIPR_EXE"""

import csv
import json
import math
import os
import pty
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, leftovers, massless, run, write_dataset  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-e2e")
COMMANDS = ["demo", "generate", "import", "info", "cluster", "observables"]
STEP_KEYS = ["mother", "E_mother", "z", "theta", "phi", "delta"]
OBS_COLUMNS = ["jet", "n", "E", "mass", "tau1", "tau2", "tau3", "tau21", "tau32", "width",
               "psi_0.05", "psi_0.1", "psi_0.2", "psi_0.3", "psi_0.4", "z1", "theta1", "delta1"]


def help_and_version():
    rc, out, err = run(EXE, ["--help"])
    T.check(rc == 0 and all(c in out for c in COMMANDS), f"junipr --help lists commands: {rc} {out!r}")
    rc, out, err = run(EXE, ["--version"])
    T.check(rc == 0 and out.startswith("junipr ") and len(out.split()) == 2, f"--version: {out!r}")
    for cmd in COMMANDS:
        rc, out, err = run(EXE, [cmd, "--help"])
        T.check(rc == 0 and out.startswith(f"Usage: junipr {cmd}") and "--help" in out and err == "",
                f"junipr {cmd} --help: rc {rc}, {out[:60]!r}, stderr {err!r}")
    rc, out, err = run(EXE, [])
    T.check(rc == 1 and "Usage" in err, "junipr without a command is a usage error")


def parse_json_lines(text, what):
    jets = []
    for k, line in enumerate(text.splitlines()):
        try:
            jets.append(json.loads(line))
        except json.JSONDecodeError as e:
            T.check(False, f"{what}: line {k + 1} is not JSON: {e}: {line[:80]!r}")
            return []
    return jets


def check_tree_json(jets, first_index, what):
    """Keys, types and ranges of every object `cluster --json` printed."""
    ok = True
    for k, j in enumerate(jets):
        ok &= T.check(list(j.keys()) == ["jet", "n", "steps"], f"{what}: keys {list(j.keys())}")
        ok &= T.check(j["jet"] == first_index + k, f"{what}: jet index {j['jet']} at line {k}")
        ok &= T.check(isinstance(j["n"], int) and j["n"] >= 1, f"{what}: n = {j['n']!r}")
        steps = j["steps"]
        ok &= T.check(isinstance(steps, list) and len(steps) == j["n"] - 1,
                      f"{what}: jet {j['jet']} has {len(steps)} steps for n = {j['n']}")
        for t, s in enumerate(steps, start=1):
            ok &= T.check(list(s.keys()) == STEP_KEYS, f"{what}: step keys {list(s.keys())}")
            ok &= T.check(isinstance(s["mother"], int) and 0 <= s["mother"] < t,
                          f"{what}: jet {j['jet']} step {t}: mother {s['mother']}")
            # "%.17g" prints integral values without a point: JSON numbers, int or float.
            for key in STEP_KEYS[1:]:
                ok &= T.check(type(s[key]) in (int, float) and math.isfinite(s[key]),
                              f"{what}: {key} = {s[key]!r} is not a finite number")
            ok &= T.check(0 < s["z"] <= 0.5, f"{what}: jet {j['jet']} step {t}: z = {s['z']}")
            ok &= T.check(0 <= s["theta"] <= math.pi and 0 <= s["delta"] <= math.pi,
                          f"{what}: angles {s['theta']}, {s['delta']}")
            ok &= T.check(0 <= s["phi"] < 2 * math.pi, f"{what}: phi = {s['phi']}")
            ok &= T.check(s["E_mother"] > 0, f"{what}: E_mother = {s['E_mother']}")
        if not ok:
            return


def same_content(a, b):
    """Every dataset and attribute of two HDF5 files equal (values and dtypes)."""
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        if names_a != names_b or dict(fa.attrs) != dict(fb.attrs):
            return False
        for n in names_a:
            x, y = fa[n], fb[n]
            if isinstance(x, h5py.Dataset):
                if x.dtype != y.dtype or not np.array_equal(x[()], y[()]):
                    return False
            if {k: str(v) for k, v in x.attrs.items()} != {k: str(v) for k, v in y.attrs.items()}:
                return False
    return True


def info_fields(text):
    """The "  key   value" lines of `junipr info` as a dict (continuation lines dropped)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^  (\S.*?)\s{2,}(\S.*)$", line)
        if m and not line.startswith("   "):
            out[m.group(1)] = m.group(2)
    return out


def dataset_info_expected(path):
    """What `junipr info` must print for a dataset, computed here from the file with h5py."""
    with h5py.File(path, "r") as f:
        off = f["jets/offsets"][:].astype(np.int64)
        lab = f["jets/label"][:] if "label" in f["jets"] else None
        w = f["jets/weight"][:] if "weight" in f["jets"] else None
    sizes = np.diff(off)
    want = {"jets": str(len(sizes)), "particles": str(off[-1]),
            "particles per jet": f"mean {sizes.mean():.2f}, min {sizes.min()}, max {sizes.max()}",
            "labels": "no" if lab is None else
            f"yes ({int((lab == 0).sum())} with label 0, {int((lab != 0).sum())} other)",
            "weights": "no" if w is None else
            f"yes (sum {w.sum():g}, min {w.min():g}, max {w.max():g})"}
    return want


def check_info(path, what):
    """`junipr info` on a dataset prints exactly the counts the file holds."""
    rc, o, err = run(EXE, ["info", path])
    got, want = info_fields(o), dataset_info_expected(path)
    T.check(rc == 0 and o.startswith(f"{path}: junipr dataset\n")
            and all(got.get(k) == v for k, v in want.items()),
            f"info on {what}: want {want}, got {got} ({err!r})")


def object_times(path):
    """True if the file's objects carry modification times."""
    with h5py.File(path, "r") as f:
        return h5py.h5g.get_objinfo(f["jets/particles"].id).mtime != 0


def generate_and_inspect(tmp):
    q1, q2, q3 = (os.path.join(tmp, f) for f in ("q1.h5", "q2.h5", "q3.h5"))
    base = ["generate", "--process", "qq", "--jets", "150", "--seed", "7", "-q"]
    rc, out, err = run(EXE, base + ["--threads", "1", "-o", q1])
    T.check(rc == 0 and err == "", f"generate qq: rc {rc}, stderr {err!r}")
    rc, out, err = run(EXE, base + ["--threads", "2", "-o", q2])
    T.check(rc == 0, f"generate qq --threads 2: rc {rc}, stderr {err!r}")
    T.check(same_content(q1, q2), "same seed, --threads 1 vs 2: identical datasets and attributes")
    # HDF5 stamps each object with its creation time unless the writer turns that off
    # (H5Pset_obj_track_times); the bytes would then differ across a second boundary.
    T.check(not object_times(q1), "dataset objects carry no HDF5 timestamps")
    same = open(q1, "rb").read() == open(q2, "rb").read()
    T.check(same, "same seed, --threads 1 vs 2: identical output bytes")
    rc, out, err = run(EXE, base[:-3] + ["--seed", "8", "-q", "-o", q3])
    with h5py.File(q1, "r") as f1, h5py.File(q3, "r") as f3:
        T.check(not np.array_equal(f1["jets/particles"][:10], f3["jets/particles"][:10]),
                "another seed gives other jets")
    T.check(leftovers(tmp) == [], f"no temporary files left: {leftovers(tmp)}")

    # Not quiet: the summary names the acceptance and the rate.
    z = os.path.join(tmp, "z.h5")
    rc, out, err = run(EXE, ["generate", "--process", "zz", "--jets", "40", "--seed", "3",
                             "--mass-window", "85,97", "-o", z])
    T.check(rc == 0 and "accepted" in out and "jets/s" in out, f"generate zz summary: {out!r} {err!r}")

    with h5py.File(q1, "r") as f:
        T.check(f.attrs["format"] in ("junipr-dataset", b"junipr-dataset"), "format attribute")
        off = f["jets/offsets"][:]
        p = f["jets/particles"][:]
        T.check(len(off) == 151 and off[0] == 0 and off[-1] == len(p), f"offsets: {len(off)}")
        # The windows apply to the subjet sum; the stored partons carry a little more.
        e = np.array([p[off[i]:off[i + 1], 0].sum() for i in range(150)])
        T.check(np.all((e > 450) & (e < 560)), f"jet energies near the window: {e.min()}..{e.max()}")
    zcsv = os.path.join(tmp, "z.csv")
    rc, out, err = run(EXE, ["observables", z, "-q", "-o", zcsv])
    with open(zcsv) as f:
        rows = list(csv.DictReader(f))
    T.check(rc == 0 and len(rows) == 40, f"observables of the Z sample: {rc} {err!r}")
    for r in rows:
        T.check(85 < float(r["mass"]) < 97 and 450 < float(r["E"]) < 550,
                f"Z jet {r['jet']}: m {r['mass']}, E {r['E']} in the windows")

    check_info(q1, "the generated file")
    T.check(dataset_info_expected(q1)["jets"] == "150", "150 jets generated")
    return q1, p_counts(q1)


def p_counts(path):
    with h5py.File(path, "r") as f:
        return np.diff(f["jets/offsets"][:]).tolist()


def cluster_checks(tmp, q1, counts):
    rc, out, err = run(EXE, ["cluster", q1, "--json"])
    T.check(rc == 0 and err == "", f"cluster --json: rc {rc} stderr {err!r}")
    jets = parse_json_lines(out, "cluster --json")
    T.check(len(jets) == 150, f"one line per jet: {len(jets)}")
    check_tree_json(jets, 0, "cluster --json")
    # Generated jets are stored as partons; the subjet step merges and drops some.
    T.check(all(j["n"] <= c for j, c in zip(jets, counts)) and sum(j["n"] for j in jets) < sum(counts),
            "subjets are fewer than the stored partons")
    with h5py.File(q1, "r") as f:
        off = f["jets/offsets"][:]
        p = f["jets/particles"][:]
    for j in jets[:20]:
        if j["steps"]:
            e = p[off[j["jet"]]:off[j["jet"] + 1], 0].sum()
            T.check(0.97 * e < j["steps"][0]["E_mother"] <= e * (1 + 1e-12),
                    f"first mother is the jet minus soft subjets: {j['steps'][0]['E_mother']} vs {e}")

    lines = out.splitlines()
    rc, sub, err = run(EXE, ["cluster", q1, "--json", "--jets", "5:8"])
    T.check(rc == 0 and sub.splitlines() == lines[5:8], "--jets 5:8 selects jets 5, 6, 7")
    rc, sub, err = run(EXE, ["cluster", q1, "--json", "--jets", "148:"])
    T.check(rc == 0 and sub.splitlines() == lines[148:], "--jets 148: selects the last two")
    rc, sub, err = run(EXE, ["cluster", q1, "--json", "--jets", ":2"])
    T.check(rc == 0 and sub.splitlines() == lines[:2], "--jets :2")
    rc, sub, err = run(EXE, ["cluster", q1, "--json", "--jets", "9"])
    T.check(rc == 0 and sub.splitlines() == lines[9:10], "--jets 9 selects one jet")
    rc, sub, err = run(EXE, ["cluster", q1, "--json", "--jets", "140:1000"])
    T.check(rc == 0 and sub.splitlines() == lines[140:], "--jets beyond the end is clipped")

    out_file = os.path.join(tmp, "trees.jsonl")
    rc, o, err = run(EXE, ["cluster", q1, "--json", "-o", out_file])
    T.check(rc == 0 and o == "" and open(out_file).read() == out, "cluster -o FILE writes the same")

    for algo in ["kt", "antikt", "printer"]:
        rc, o, err = run(EXE, ["cluster", q1, "--json", "--algorithm", algo, "--jets", "0:30"])
        js = parse_json_lines(o, f"cluster --algorithm {algo}")
        T.check(rc == 0 and len(js) == 30, f"--algorithm {algo}: rc {rc} {err!r}")
        check_tree_json(js, 0, f"--algorithm {algo}")
        T.check([j["n"] for j in js] == [j["n"] for j in jets[:30]], f"{algo}: same n as C/A")
        T.check(o.splitlines() != lines[:30], f"{algo} trees differ from C/A trees")

    # Harder subjet cuts shrink the trees.
    rc, o, err = run(EXE, ["cluster", q1, "--json", "--esub", "10", "--rsub", "0.2", "--skip-bad"])
    js = parse_json_lines(o, "cluster --esub 10")
    T.check(rc == 0 and len(js) > 100 and all(a["n"] <= jets[a["jet"]]["n"] for a in js)
            and sum(a["n"] for a in js) < sum(jets[a["jet"]]["n"] for a in js),
            "--esub 10 --rsub 0.2 gives fewer subjets")

    rc, o, err = run(EXE, ["cluster", q1])
    T.check(rc == 0 and "jets clustered" in o and "150 of 150" in o, f"cluster summary: {o!r}")
    return jets


def observables_checks(tmp, q1, jets):
    out_csv = os.path.join(tmp, "obs.csv")
    rc, out, err = run(EXE, ["observables", q1, "-o", out_csv, "-q"])
    T.check(rc == 0 and err == "", f"observables: rc {rc}, stderr {err!r}")
    with open(out_csv, newline="") as f:
        rows = list(csv.reader(f))
    T.check(rows[0] == OBS_COLUMNS, f"CSV header {rows[0]}")
    data = [dict(zip(rows[0], map(float, r))) for r in rows[1:]]
    T.check(len(data) == 150, f"one row per jet: {len(data)}")
    T.check([int(r["jet"]) for r in data] == list(range(150)), "jet column 0..149")
    for r, j in zip(data, jets):
        T.check(int(r["n"]) == j["n"], f"jet {j['jet']}: CSV n {r['n']} vs tree n {j['n']}")
        T.check(450 < r["E"] < 550 and r["mass"] >= 0, f"jet {j['jet']}: E {r['E']}, m {r['mass']}")
        psi = [r[c] for c in OBS_COLUMNS if c.startswith("psi_")]
        T.check(all(0 <= a <= b <= 1 + 1e-12 for a, b in zip(psi, psi[1:])),
                f"jet {j['jet']}: psi not increasing in r: {psi}")
        T.check(r["tau2"] <= r["tau1"] + 1e-12 and r["tau3"] <= r["tau2"] + 1e-12,
                f"jet {j['jet']}: tau_N decrease with N")
        if j["steps"]:
            s = j["steps"][0]
            T.check(abs(r["E"] - s["E_mother"]) < 1e-9 * r["E"], f"jet {j['jet']}: E = first E_mother")
            T.check(abs(r["z1"] - s["z"]) < 1e-9 and abs(r["theta1"] - s["theta"]) < 1e-9
                    and abs(r["delta1"] - s["delta"]) < 1e-9,
                    f"jet {j['jet']}: CSV first splitting equals the C/A root branching")
    rc, out, err = run(EXE, ["observables", q1, "--jets", "3:5", "-o", "-"])
    rows2 = list(csv.reader(out.splitlines()))
    T.check(rc == 0 and rows2[0] == OBS_COLUMNS and rows2[1:] == rows[4:6], "observables --jets 3:5 -o -")


def import_checks(tmp):
    # The public JUNIPR code's text format: J <i> / N <n> / n lines "px py pz E".
    jets = [
        [massless(300.0, 0.05, 0.3), massless(150.0, 0.2, 2.0), massless(50.0, 0.3, 4.0)],
        [massless(500.0, 0.0, 0.0)],  # a one-particle jet is valid
        [massless(200.0, 1.0, 1.0), massless(200.0, 1.1, 1.2)],
    ]
    text = os.path.join(tmp, "jets.txt")
    with open(text, "w") as f:
        for i, jet in enumerate(jets):
            f.write(f"J {i}\nN {len(jet)}\n")
            for E, px, py, pz in jet:
                f.write(f"{px!r} {py!r} {pz!r} {E!r}\n")
    out = os.path.join(tmp, "imported.h5")
    rc, o, err = run(EXE, ["import", text, "--format", "text", "-o", out])
    T.check(rc == 0, f"import text: rc {rc}, {err!r}")
    if rc != 0:
        return
    with h5py.File(out, "r") as f:
        off = f["jets/offsets"][:]
        p = f["jets/particles"][:]
    T.check(off.tolist() == [0, 3, 4, 6], f"imported offsets {off.tolist()}")
    want = np.array([q for jet in jets for q in jet])
    T.check(p.shape == want.shape and np.allclose(p, want, rtol=1e-15, atol=1e-12),
            "imported particles are (E, px, py, pz)")
    check_info(out, "the imported file")
    T.check(dataset_info_expected(out) == {
        "jets": "3", "particles": "6", "particles per jet": "mean 2.00, min 1, max 3",
        "labels": "no", "weights": "no"}, "the imported file: 3 jets of 3, 1 and 2 particles")
    rc, o, err = run(EXE, ["cluster", out, "--json", "--esub", "0", "--rsub", "0"])
    js = parse_json_lines(o, "cluster of the imported file")
    T.check(rc == 0 and [j["n"] for j in js] == [3, 1, 2], f"imported trees: {o!r} {err!r}")
    check_tree_json(js, 0, "imported")
    T.check(len(js) == 3 and js[1]["steps"] == [] and '"steps": []' in o.splitlines()[1],
            "a one-particle jet has \"steps\": []")
    # Auto-detected format (no --format) gives the same file content.
    out2 = os.path.join(tmp, "imported2.h5")
    rc, o, err = run(EXE, ["import", text, "-o", out2])
    with h5py.File(out2, "r") as f:
        T.check(rc == 0 and np.array_equal(f["jets/particles"][:], p), "import detects text")

    # Zero-padded [N, M, 4] arrays from another HDF5 file, columns in another order.
    arr = np.zeros((3, 4, 4))
    for i, jet in enumerate(jets):
        for k, (E, px, py, pz) in enumerate(jet):
            arr[i, k] = (px, py, pz, E)
    src = os.path.join(tmp, "arrays.h5")
    with h5py.File(src, "w") as f:
        f.create_dataset("X", data=arr)
    out3 = os.path.join(tmp, "imported3.h5")
    rc, o, err = run(EXE, ["import", src, "--format", "array", "--dataset", "X",
                           "--columns", "px,py,pz,E", "-o", out3])
    T.check(rc == 0, f"import array: rc {rc}, {err!r}")
    if rc == 0:
        with h5py.File(out3, "r") as f:
            T.check(f["jets/offsets"][:].tolist() == [0, 3, 4, 6]
                    and np.allclose(f["jets/particles"][:], want), "array import drops padding")
    hepmc_checks(tmp)
    T.check(leftovers(tmp) == [], f"no temporary files: {leftovers(tmp)}")


def hepmc_checks(tmp):
    """Two HepMC3 events: final-state particles split into Durham hemispheres, the
    neutrino dropped, the harder hemisphere first."""
    lines = ["HepMC::Version 3.02.02", "HepMC::Asciiv3-START_EVENT_LISTING"]
    for ev in range(2):
        lines += [f"E {ev} 1 7", "U GEV MM",
                  "P 1 0 11 0 0 500 500 0 4", "P 2 0 -11 0 0 -500 500 0 4", "V -1 0 [1,2]"]
        parts = [(1, 30.0 + ev, 0.0, 300.0), (1, -20.0, 10.0, 150.0),      # +z hemisphere
                 (-1, 5.0, -40.0, -400.0), (21, 0.0, 0.0, -20.0),          # -z hemisphere
                 (12, 3.0, 0.0, 40.0)]                                     # a neutrino
        for k, (pid, px, py, pz) in enumerate(parts):
            e = math.sqrt(px * px + py * py + pz * pz)
            lines.append(f"P {k + 3} -1 {pid} {px!r} {py!r} {pz!r} {e!r} 0 1")
    lines.append("HepMC::Asciiv3-END_EVENT_LISTING")
    src = os.path.join(tmp, "events.hepmc")
    with open(src, "w") as f:
        f.write("\n".join(lines) + "\n")
    out = os.path.join(tmp, "hemi.h5")
    rc, o, err = run(EXE, ["import", src, "--format", "hepmc3", "-o", out])
    T.check(rc == 0 and "2 events" in o, f"import hepmc3: rc {rc}, {o!r} {err!r}")
    if rc == 0:
        with h5py.File(out, "r") as f:
            off = f["jets/offsets"][:]
            p = f["jets/particles"][:]
        T.check(off.tolist() == [0, 2, 4, 6, 8], f"two hemisphere jets of two particles: {off}")
        T.check(np.all(p[0:2, 3] > 0) and np.all(p[2:4, 3] < 0), "harder (+z, 454 GeV) hemisphere first")
    out2 = os.path.join(tmp, "events.h5")
    rc, o, err = run(EXE, ["import", src, "--no-hemispheres", "-q", "-o", out2])
    if T.check(rc == 0, f"import hepmc3 --no-hemispheres: {err!r}"):
        with h5py.File(out2, "r") as f:
            T.check(f["jets/offsets"][:].tolist() == [0, 4, 8], "one jet per event, no neutrino")


def hand_made_checks(tmp):
    """A file written by h5py with a one-particle jet and labels/weights."""
    path = os.path.join(tmp, "hand.h5")
    write_dataset(path, [[massless(480.0, 0.01, 1.0)],
                         [massless(250.0, 0.1, 0.0), massless(250.0, 0.1, math.pi)]],
                  labels=[1, 0], weights=[0.5, 2.0])
    rc, o, err = run(EXE, ["cluster", path, "--json"])
    js = parse_json_lines(o, "hand-made")
    T.check(rc == 0 and len(js) == 2 and js[0] == {"jet": 0, "n": 1, "steps": []},
            f"one-particle jet: {o!r} {err!r}")
    if len(js) == 2 and js[1]["steps"]:
        s = js[1]["steps"][0]
        T.check(s["mother"] == 0 and abs(s["z"] - 0.5) < 1e-12 and abs(s["theta"] - 0.1) < 1e-9
                and abs(s["delta"] - 0.1) < 1e-9 and abs(s["E_mother"] - 500) < 1e-9,
                f"symmetric splitting: {s}")
    check_info(path, "labels and weights")
    got = info_fields(run(EXE, ["info", path])[1])
    T.check(got.get("labels") == "yes (1 with label 0, 1 other)"
            and got.get("weights") == "yes (sum 2.5, min 0.5, max 2)", f"info labels/weights: {got}")


def info_model_and_scores(tmp, q1):
    """`info` dispatches on the file kind: a tiny model from `junipr train`, its scores."""
    model = os.path.join(tmp, "m.h5")
    rc, o, err = run(EXE, ["train", q1, "-o", model, "--branch", "factorized", "--hidden", "4",
                           "--dense", "8", "--epochs", "1", "--checkpoint", "none", "-q"])
    if not T.check(rc == 0, f"train a tiny model for info: {err!r}"):
        return
    rc, o, err = run(EXE, ["info", model])
    got = info_fields(o)
    with h5py.File(model, "r") as f:
        n_params = sum(f["weights"][g][t].size for g in f["weights"] for t in f["weights"][g])
    want = {"branch head": "factorized",
            "sizes": "hidden 4, dense 8, grid 10 bins, max multiplicity 100",
            "parameters": str(n_params),
            "feature scaling": "E_jet 500 GeV, E_sub 1 GeV, R_jet 1.5708, R_sub 0.1",
            "recurrent cell": "rnn (tanh, the paper's)",
            "clustering": "C/A trees, e+e- metric, subjets R_sub = 0.1, E_sub = 1 GeV",
            "trained on": q1}
    T.check(rc == 0 and o.startswith(f"{model}: junipr model\n")
            and all(got.get(k) == v for k, v in want.items())
            and "training history (1 epoch;" in o, f"info on a model: want {want}, got {got} {err!r}")
    rates = re.search(r"massless splits +t = 1, 2, 3, >=4: ([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9.]+)", o)
    T.check(rates is not None and all(0 <= float(x) <= 1 for x in rates.groups()),
            f"info shows the measured massless-split rates: {o!r}")
    scores = os.path.join(tmp, "s.h5")
    rc, o, err = run(EXE, ["eval", model, q1, "-o", scores, "-q"])
    if not T.check(rc == 0, f"eval for info: {err!r}"):
        return
    rc, o, err = run(EXE, ["info", scores])
    got = info_fields(o)
    with h5py.File(scores, "r") as f:
        st, lp = f["jets/status"][:], f["jets/log_p"][:]
    ok = lp[st == 0]
    want = {"jets": "150", "per-step terms": "no",
            "status": f"{(st == 0).sum()} scored, {(st == 1).sum()} without subjets or invalid, "
                      f"{(st == 2).sum()} above max multiplicity"}
    lnp = re.match(r"mean (\S+), min (\S+), max (\S+)$", got.get("ln P_jet", ""))
    T.check(rc == 0 and o.startswith(f"{scores}: junipr scores\n")
            and all(got.get(k) == v for k, v in want.items()) and (st == 0).sum() == 150
            and lnp is not None and abs(float(lnp.group(1)) - ok.mean()) < 1e-5 * abs(ok.mean())
            and lnp.group(2) == f"{ok.min():g}" and lnp.group(3) == f"{ok.max():g}",
            f"info on scores: want {want} and ln P_jet of the file, got {got} {err!r}")


def cancel_check(tmp):
    """Ctrl-C during a long generation: exit 130, one line, no output, no temporary file."""
    out = os.path.join(tmp, "big.h5")
    proc = subprocess.Popen([EXE, "generate", "--jets", "20000000", "--threads", "1", "-o", out],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The first plain progress line (after ~1 s) shows the handler is installed.
    first = proc.stderr.readline()
    T.check(re.search(r"generat.*: \d+% \(", first) is not None, f"a progress line: {first!r}")
    proc.send_signal(signal.SIGINT)
    try:
        o, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        o, err = proc.communicate()
        T.check(False, "generate did not stop within 30 s of SIGINT")
    lines = [line for line in err.splitlines() if not re.search(r": \d+% \(", line)]
    T.check(proc.returncode == 130, f"cancelled generate exits 130: {proc.returncode}")
    T.check(len(lines) == 1 and "cancelled" in lines[0], f"one 'cancelled' line: {err!r}")
    T.check(not os.path.exists(out) and leftovers(tmp) == [], "no output after Ctrl-C")


def tty_progress_check(tmp):
    """On a terminal: a redrawn bar with percentage and ETA; Ctrl-C clears it and leaves one
    'cancelled' line."""
    out = os.path.join(tmp, "tty.h5")
    master, slave = pty.openpty()
    proc = subprocess.Popen([EXE, "generate", "--jets", "20000000", "--threads", "1", "-o", out],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)

    def read_some(timeout):
        ready, _, _ = select.select([master], [], [], timeout)
        try:
            return os.read(master, 4096) if ready else b""
        except OSError:  # EIO: the child closed the terminal
            return None

    seen = b""
    deadline = time.monotonic() + 60
    while seen.count(b"ETA") < 2 and time.monotonic() < deadline:
        chunk = read_some(1.0)
        if chunk is None:
            break
        seen += chunk
    proc.send_signal(signal.SIGINT)
    rest = b""
    while time.monotonic() < deadline + 30:
        chunk = read_some(1.0)
        if chunk is None or (chunk == b"" and proc.poll() is not None):
            break
        rest += chunk
    proc.wait(timeout=30)
    os.close(master)
    T.check(re.search(rb"\r\x1b\[K\S.* \[[#-]{24}\] +\d+%  \d+/20000000  ETA ", seen) is not None,
            f"progress bar with ETA on a terminal: {seen[:200]!r}")
    T.check(b"\n" not in seen, f"the bar is redrawn in place (no newlines): {seen[:200]!r}")
    T.check(rest.replace(b"\r\n", b"\n").endswith(b"\r\x1b[Kjunipr generate: cancelled (Ctrl-C): no output was written\n"),
            f"Ctrl-C clears the bar, then one line: {rest[-200:]!r}")
    T.check(proc.returncode == 130 and not os.path.exists(out) and leftovers(tmp) == [],
            f"cancelled on a terminal: exit {proc.returncode}, no output")


def main():
    help_and_version()
    with tempfile.TemporaryDirectory() as tmp:
        q1, counts = generate_and_inspect(tmp)
        jets = cluster_checks(tmp, q1, counts)
        observables_checks(tmp, q1, jets)
        import_checks(tmp)
        hand_made_checks(tmp)
        info_model_and_scores(tmp, q1)
        cancel_check(tmp)
        tty_progress_check(tmp)
    T.done()


main()
