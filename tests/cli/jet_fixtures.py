"""Fixtures in the exact layouts of the public jet files, written the way their authors'
tools write them, and the momenta `junipr import` must recover from each, computed here with
numpy independently of junipr:

- top_tagging(): the top-tagging reference set, a pandas DataFrame saved with PyTables
  (`df.to_hdf(path, key="table", format="table")`): columns E_0, PX_0, PY_0, PZ_0, ...,
  E_199 ... PZ_199, truthE, truthPX, truthPY, truthPZ (float32), ttv, is_signal_new (int64);
  constituents pT-ordered and zero-padded.
- jetnet(): JetNet, h5py datasets particle_features [N, M, 4] = (eta_rel, phi_rel, pt_rel,
  mask) and jet_features [N, 4] = (pt, eta, mass, n_particles), float32.
- energyflow(): EnergyFlow's QG_jets.npz, `np.savez_compressed(X=X, y=y)`, X (n, M, 4) =
  (pt, y, phi, pid) float64 zero-padded, y float64 with quark = 1.
- junipr_json(): the authors' JuniprJets JSON as their FastJet converter writes it (6
  significant digits, their field order and spacing), from a reference re-implementation of
  their converter (ee_genkt clustering, FastJet history order) in numpy.

Used by tests/cli/test-cli-formats.py, test-cli-top-tagging.py and bench/bench-import.sh.
"""

import json
import math

import numpy as np

# PDG masses (GeV) by |id| — the same particle data junipr uses (facts, not its code).
PDG_MASS = {22: 0.0, 11: 0.000510999, 13: 0.105658, 211: 0.13957, 321: 0.493677,
            130: 0.497611, 2212: 0.938272, 2112: 0.939565}
QG_PIDS = [22, 211, -211, 321, -321, 130, 2212, -2212, 2112, -2112, 11, -11, 13, -13]


# ---- pp jets in (pt, eta, phi) -----------------------------------------------------------

def pp_jets(rng, n_jets, max_mult, min_mult=2):
    """Jets around random axes (|eta| < 2, pT 550-650 GeV): per jet (pt, eta, phi) of its
    particles (pt descending) and the axis (pt_J, eta_J, phi_J) they were drawn around."""
    jets = []
    for _ in range(n_jets):
        k = int(rng.integers(min_mult, max_mult + 1))
        pt_jet = rng.uniform(550, 650)
        eta_jet, phi_jet = rng.uniform(-2, 2), rng.uniform(-math.pi, math.pi)
        z = rng.dirichlet(np.full(k, 0.3))
        z = np.maximum(z, 1e-4)
        z /= z.sum()
        pt = np.sort(pt_jet * z)[::-1]
        eta = eta_jet + rng.normal(0, 0.15, k)
        phi = np.mod(phi_jet + rng.normal(0, 0.15, k) + math.pi, 2 * math.pi) - math.pi
        jets.append((np.stack([pt, eta, phi], axis=1), (pt_jet, eta_jet, phi_jet)))
    return jets


def massless_p4(pt, eta, phi):
    """(E, px, py, pz) of massless particles from pt, eta, phi (arrays)."""
    return np.stack([pt * np.cosh(eta), pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)],
                    axis=-1)


# ---- top-tagging reference set ------------------------------------------------------------

def top_tagging_columns(m=200):
    cols = []
    for i in range(m):
        cols += [f"E_{i}", f"PX_{i}", f"PY_{i}", f"PZ_{i}"]
    return cols + ["truthE", "truthPX", "truthPY", "truthPZ"]


def top_tagging(path, n_jets, seed=1, m=200, max_mult=120):
    """Writes the file; returns (jets, labels): jets as float64 arrays (k, 4) of the float32
    values stored, padding excluded, in file order."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    jets = pp_jets(rng, n_jets, min(max_mult, m))
    values = np.zeros((n_jets, 4 * m + 4), dtype=np.float32)
    labels = rng.integers(0, 2, n_jets)
    expected = []
    for i, (ptetaphi, axis) in enumerate(jets):
        p4 = massless_p4(ptetaphi[:, 0], ptetaphi[:, 1], ptetaphi[:, 2]).astype(np.float32)
        values[i, :4 * len(p4)] = p4.reshape(-1)
        expected.append(p4.astype(np.float64))
        if labels[i]:
            values[i, 4 * m:] = massless_p4(*axis)
    df = pd.DataFrame(values, columns=top_tagging_columns(m))
    df["ttv"] = np.zeros(n_jets, dtype=np.int64)
    df["is_signal_new"] = labels.astype(np.int64)
    df.to_hdf(path, key="table", format="table", mode="w")
    return expected, labels


# ---- JetNet ---------------------------------------------------------------------------------

def jetnet(path, n_jets, seed=2, m=30):
    """Writes the file; returns (expected, originals): the massless 4-vectors junipr must
    rebuild from the stored float32 values (jet axis at phi = 0), and the original particles
    (at the jet's true azimuth) they must equal up to a rotation about z."""
    import h5py

    rng = np.random.default_rng(seed)
    jets = pp_jets(rng, n_jets, m)
    pf = np.zeros((n_jets, m, 4), dtype=np.float32)
    jf = np.zeros((n_jets, 4), dtype=np.float32)
    originals = []
    for i, (p, (pt_jet, eta_jet, phi_jet)) in enumerate(jets):
        p4 = massless_p4(p[:, 0], p[:, 1], p[:, 2])
        total = p4.sum(axis=0)
        jet_pt = math.hypot(total[1], total[2])
        jet_eta = math.asinh(total[3] / jet_pt)
        jet_phi = math.atan2(total[2], total[1])
        mass = math.sqrt(max(total[0] ** 2 - total[1] ** 2 - total[2] ** 2 - total[3] ** 2, 0))
        k = len(p)
        pf[i, :k, 0] = p[:, 1] - jet_eta
        pf[i, :k, 1] = np.mod(p[:, 2] - jet_phi + math.pi, 2 * math.pi) - math.pi
        pf[i, :k, 2] = p[:, 0] / jet_pt
        pf[i, :k, 3] = 1
        jf[i] = (jet_pt, jet_eta, mass, k)
        originals.append((p4, jet_phi))
    with h5py.File(path, "w") as f:
        f.create_dataset("particle_features", data=pf)
        f.create_dataset("jet_features", data=jf)
    expected = []
    for i in range(n_jets):
        real = pf[i, :, 3] > 0.5
        v = pf[i, real].astype(np.float64)
        pt = v[:, 2] * np.float64(jf[i, 0])
        eta = v[:, 0] + np.float64(jf[i, 1])
        expected.append(massless_p4(pt, eta, v[:, 1]))
    return expected, originals


# ---- EnergyFlow quark/gluon ------------------------------------------------------------------

def energyflow(path, n_jets, seed=3, m=60, compressed=True):
    """Writes the .npz; returns (expected 4-vectors with PDG masses, labels)."""
    rng = np.random.default_rng(seed)
    jets = pp_jets(rng, n_jets, m)
    X = np.zeros((n_jets, m, 4), dtype=np.float64)
    y = rng.integers(0, 2, n_jets).astype(np.float64)
    expected = []
    for i, (p, _) in enumerate(jets):
        k = len(p)
        pid = rng.choice(QG_PIDS, k).astype(np.float64)
        X[i, :k, 0], X[i, :k, 1], X[i, :k, 2], X[i, :k, 3] = p[:, 0], p[:, 1], p[:, 2], pid
        mass = np.array([PDG_MASS[abs(int(q))] for q in pid])
        mt = np.sqrt(p[:, 0] ** 2 + mass ** 2)
        expected.append(np.stack([mt * np.cosh(p[:, 1]), p[:, 0] * np.cos(p[:, 2]),
                                  p[:, 0] * np.sin(p[:, 2]), mt * np.sinh(p[:, 1])], axis=1))
    (np.savez_compressed if compressed else np.savez)(path, X=X, y=y)
    return expected, y.astype(int)


# ---- the authors' JuniprJets JSON ------------------------------------------------------------

def frame(axis):
    """e_x, e_y, e_z around a direction: e_z = axis, e_x = y x e_z normalised (x x e_z when
    the axis is along y), e_y = e_z x e_x (DESIGN.md, the authors' get_phiPJ)."""
    ez = np.asarray(axis[1:4], dtype=float)
    ez = ez / np.linalg.norm(ez)
    ex = np.cross([0.0, 1.0, 0.0], ez)
    if np.linalg.norm(ex) < 1e-12:
        ex = np.cross([1.0, 0.0, 0.0], ez)
    ex /= np.linalg.norm(ex)
    return ex, np.cross(ez, ex), ez


def angle(a, b):
    """Opening angle of the 3-momenta of two 4-vectors (accurate at small angles)."""
    u, v = np.asarray(a[1:4], dtype=float), np.asarray(b[1:4], dtype=float)
    return math.atan2(np.linalg.norm(np.cross(u, v)), float(np.dot(u, v)))


def azimuth(p, axis):
    ex, ey, _ = frame(axis)
    q = np.asarray(p[1:4], dtype=float)
    return math.atan2(float(np.dot(q, ey)), float(np.dot(q, ex))) % (2 * math.pi)


def signed_mass(p):
    m2 = p[0] ** 2 - p[1] ** 2 - p[2] ** 2 - p[3] ** 2
    return math.sqrt(m2) if m2 >= 0 else -math.sqrt(-m2)


def _pp_distance(a, b, p_exp):
    """FastJet's genkt: min(pT_i^2p, pT_j^2p) (dy^2 + dphi^2) (the radius only scales it)."""
    def ptyphi(q):
        return (math.hypot(q[1], q[2]), 0.5 * math.log((q[0] + q[3]) / (q[0] - q[3])),
                math.atan2(q[2], q[1]))
    (pa, ya, fa), (pb, yb, fb) = ptyphi(a), ptyphi(b)
    dphi = math.remainder(fa - fb, 2 * math.pi)
    return min(pa ** (2 * p_exp), pb ** (2 * p_exp)) * ((ya - yb) ** 2 + dphi ** 2)


def ee_genkt_history(P, p_exp, metric="ee"):
    """Sequential recombination until one jet is left (a radius that merges everything), with
    d_ij = min(E_i^2p, E_j^2p) (1 - cos theta_ij) (ee) or FastJet's genkt distance (pp).
    Returns the pseudojets in FastJet's history order (inputs, then each merge's result) and
    the merges [(i, j, k)]."""
    cs = [np.asarray(q, dtype=float) for q in P]
    active = list(range(len(cs)))
    merges = []
    while len(active) > 1:
        best = None
        for a in range(len(active)):
            for b in range(a + 1, len(active)):
                i, j = active[a], active[b]
                if metric == "pp":
                    d = _pp_distance(cs[i], cs[j], p_exp)
                else:
                    ei, ej = cs[i][0] ** (2 * p_exp), cs[j][0] ** (2 * p_exp)
                    d = min(ei, ej) * (1 - math.cos(angle(cs[i], cs[j])))
                if best is None or d < best[0]:
                    best = (d, i, j)
        _, i, j = best
        cs.append(cs[i] + cs[j])
        k = len(cs) - 1
        active = [x for x in active if x not in (i, j)] + [k]
        merges.append((i, j, k))
    return cs, merges


def junipr_jet(P, label, p_exp=0, metric="ee"):
    """The authors' JuniprJet (fastjet/CS_to_JuniprJet.cc, JuniprJet.cc) of one jet: every
    field, as a dict of Python numbers."""
    cs, merges = ee_genkt_history(P, p_exp, metric)
    root = cs[-1]
    rel = []
    for q in cs:
        if q is root:
            rel.append([q[0], 0.0, 0.0, signed_mass(q)])
        else:
            rel.append([q[0], angle(q, root), azimuth(q, root), signed_mass(q)])
    state = [len(cs) - 1]
    states, mothers, order, daughters, branchings = [list(state)], [], [], [], []
    for i, j, k in reversed(merges):
        order.append(state.index(k))
        mothers.append(k)
        state = [x for x in state if x != k] + [i, j]
        state.sort(key=lambda x: (-cs[x][0], x))
        states.append(list(state))
        hard, soft = (i, j) if cs[i][0] > cs[j][0] else (j, i)
        daughters.append([hard, soft])
        mother = cs[k]
        branchings.append([cs[soft][0] / mother[0], angle(cs[soft], mother),
                           azimuth(cs[soft], mother), angle(cs[hard], mother)])
    n = len(P)
    return {
        "label": int(label), "multiplicity": n, "n_branchings": n - 1,
        "seed_momentum": [root[0], 0.0, 0.0, signed_mass(root)],
        "CSJets": rel, "CS_ID_intermediate_states": states,
        "mothers_id_energy_order": order, "CS_ID_mothers": mothers,
        "CS_ID_daughters": daughters, "branchings": branchings,
        "mother_momenta": [rel[k] for k in mothers],
        "daughter_momenta": [[rel[a], rel[b]] for a, b in daughters],
    }


def _g(x):
    """A number as C++ ostream prints it by default (6 significant digits)."""
    return "%g" % x


def _vec(v):
    return "[ " + " , ".join(_g(x) for x in v) + " ]"


def _ints(v):
    return "[ " + " , ".join(str(int(x)) for x in v) + " ]"


def write_authors_json(path, jets):
    """Writes jets (dicts from junipr_jet) the way JuniprJet::write_to_json prints them,
    wrapped in {"JuniprJets": [...]}."""
    out = ["{\"JuniprJets\" : ["]
    for idx, d in enumerate(jets):
        s = "{\n\t\"label\" : %d,\n\t\"multiplicity\" : %d,\n\t\"n_branchings\" : %d,\n\t" % (
            d["label"], d["multiplicity"], d["n_branchings"])
        s += "\"seed_momentum\" :" + _vec(d["seed_momentum"]) + ",\n\t"
        s += "\"CSJets\" : [\n\t\t" + ",\n\t\t".join(_vec(v) for v in d["CSJets"]) + "],\n\t"
        s += "\"CS_ID_intermediate_states\": [\n\t\t" + ",\n\t\t".join(
            _ints(v) for v in d["CS_ID_intermediate_states"]) + "],\n\t"
        s += "\"mothers_id_energy_order\": " + _ints(d["mothers_id_energy_order"]) + ",\n\t"
        s += "\"CS_ID_mothers\": " + _ints(d["CS_ID_mothers"]) + ",\n\t"
        s += "\"CS_ID_daughters\": [\n\t\t" + ",\n\t\t".join(
            _ints(v) for v in d["CS_ID_daughters"]) + "],\n\t"
        s += "\"branchings\" : [\n\t\t" + ",\n\t\t".join(
            _vec(v) for v in d["branchings"]) + "],\n\t"
        s += "\"mother_momenta\" : [\n\t\t" + ",\n\t\t".join(
            _vec(v) for v in d["mother_momenta"]) + "],\n\t"
        s += "\"daughter_momenta\" : [\n\t\t" + ",\n\t\t".join(
            "[" + _vec(a) + " , " + _vec(b) + " ]" for a, b in d["daughter_momenta"]) + "]"
        s += "\n}" + ("," if idx + 1 < len(jets) else "")
        out.append(s)
    out.append("]}\n")
    with open(path, "w") as f:
        f.write("\n".join(out))


def ee_jets(rng, n_jets, max_mult, min_mult=2):
    """e+e--style jets (E, px, py, pz) around random axes: massless particles plus a few pions,
    E 0.5-200 GeV, angles up to ~0.5 rad."""
    jets = []
    for _ in range(n_jets):
        k = int(rng.integers(min_mult, max_mult + 1))
        c = rng.uniform(-1, 1)
        f = rng.uniform(0, 2 * math.pi)
        axis = [1.0, math.sqrt(1 - c * c) * math.cos(f), math.sqrt(1 - c * c) * math.sin(f), c]
        ex, ey, ez = frame(axis)
        P = []
        for _ in range(k):
            E = math.exp(rng.uniform(math.log(0.5), math.log(200)))
            th = math.exp(rng.uniform(math.log(1e-3), math.log(0.5)))
            ph = rng.uniform(0, 2 * math.pi)
            m = 0.13957 if rng.uniform() < 0.3 else 0.0
            p = math.sqrt(E * E - m * m)
            d = math.sin(th) * math.cos(ph) * ex + math.sin(th) * math.sin(ph) * ey + math.cos(th) * ez
            P.append([E, *(p * d)])
        jets.append(np.array(P))
    return jets


def junipr_json(path, n_jets, seed=4, max_mult=12, p_exp=0):
    """Writes an authors'-style JSON of random e+e- jets clustered with ee_genkt (p_exp 0: C/A).
    Returns (jets as (n, 4) arrays in the lab frame, the JuniprJet dicts, labels)."""
    rng = np.random.default_rng(seed)
    jets = ee_jets(rng, n_jets, max_mult)
    labels = rng.integers(0, 2, n_jets)
    dicts = [junipr_jet(P, lab, p_exp) for P, lab in zip(jets, labels)]
    write_authors_json(path, dicts)
    return jets, dicts, labels


def rotate_to_jet_frame(P):
    """The particles in the jet's frame (e_x, e_y, e_z = axis) — where junipr rebuilds a jet
    whose file gives momenta only relative to its axis."""
    total = np.sum(P, axis=0)
    ex, ey, ez = frame(total)
    q = P[:, 1:4]
    return np.stack([P[:, 0], q @ ex, q @ ey, q @ ez], axis=1)


def load_json(path):
    with open(path) as f:
        return json.load(f)["JuniprJets"]


def read_dataset(path):
    """A junipr dataset file as (list of (n, 4) particle arrays, labels or None, attributes)."""
    import h5py

    with h5py.File(path, "r") as f:
        off = f["jets/offsets"][:]
        p = f["jets/particles"][:]
        labels = f["jets/label"][:] if "label" in f["jets"] else None
        attrs = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()}
    return [p[off[i]:off[i + 1]] for i in range(len(off) - 1)], labels, attrs
