"""A small reader of JuniprJets JSON that does with each jet what the authors' Python code
does (junipr/tfrecord/writer_utils.py, get_sequence_example_object): it takes the fields that
code uses and builds the same model inputs from them (feature-scaled seed, daughter and mother
momenta, endings, mothers, branchings and their 10-bin indices), checking on the way that
every field has the shape and the consistency that code silently relies on.

    problems = check_jet(jet_dict)   # [] when the authors' code can read the jet

The scaling constants are those of the authors' demo model (junipr/config.py, issue 10):
E' = ln E / ln 500 (m the same), theta' = (ln theta - ln 2e-4) / (ln(pi/2) - ln 2e-4),
phi' = phi / 2pi, z' = (ln z - ln 0.002) / (ln 0.5 - ln 0.002), branch theta' = (ln theta -
ln 0.05) / (ln(pi/2) - ln 0.05), delta' = (ln delta - ln 2e-4) / (ln(pi/4) - ln 2e-4);
logarithms of arguments clipped to [1e-8, 1e8].
"""

import math

import numpy as np

EPS, INF = 1e-8, 1e8


def _ln(x):
    return np.log(np.clip(np.asarray(x, dtype=float), EPS, INF))


def shift_mom(mom):
    e, theta, phi, mass = mom
    return np.array([
        _ln(e) / math.log(500.0),
        (_ln(theta) - math.log(2e-4)) / (math.log(math.pi / 2) - math.log(2e-4)),
        phi / (2 * math.pi),
        _ln(mass) / math.log(500.0)])


def shift_branch(branch):
    z, theta, phi, delta = branch
    return np.array([
        (_ln(z) - math.log(0.002)) / (math.log(0.5) - math.log(0.002)),
        (_ln(theta) - math.log(0.05)) / (math.log(math.pi / 2) - math.log(0.05)),
        phi / (2 * math.pi),
        (_ln(delta) - math.log(2e-4)) / (math.log(math.pi / 4) - math.log(2e-4))])


def model_inputs(d, granularity=10):
    """The arrays the authors' TFRecord writer makes of one jet (dense, not serialized)."""
    nb = d["n_branchings"]
    mothers = d["mothers_id_energy_order"]
    shifted = np.array([shift_branch(b) for b in d["branchings"]]).reshape(-1, 4)
    return {
        "seed_momentum": shift_mom(d["seed_momentum"]),
        "endings": np.eye(nb + 1)[nb],
        "mothers": [(t, m) for t, m in enumerate(mothers)],
        "mothers_dense_shape": [len(mothers) + 1, max(mothers) + 1],
        "branchings": np.vstack([shifted, [[-99] * 4]]),
        "sparse_branchings": np.vstack([
            np.clip(shifted * granularity, 0, granularity - 1).astype(np.int32),
            [[granularity] * 4]]),
        "mother_momenta": np.vstack([np.array([shift_mom(m) for m in d["mother_momenta"]])
                                     .reshape(-1, 4), [[-1] * 4]]),
        "daughter_momenta": np.array([np.concatenate([shift_mom(a), shift_mom(b)])
                                      for a, b in d["daughter_momenta"]]).reshape(-1, 8),
    }


def check_jet(d, tol=1e-9):
    """Problems that would stop or mislead the authors' code, as text; [] if none."""
    bad = []
    need = ["label", "multiplicity", "n_branchings", "seed_momentum", "CSJets",
            "CS_ID_intermediate_states", "mothers_id_energy_order", "CS_ID_mothers",
            "CS_ID_daughters", "branchings", "mother_momenta", "daughter_momenta"]
    missing = [k for k in need if k not in d]
    if missing:
        return [f"missing fields {missing}"]
    n, nb = d["multiplicity"], d["n_branchings"]
    if nb != n - 1:
        bad.append(f"n_branchings {nb} != multiplicity - 1")
    cs = np.asarray(d["CSJets"], dtype=float)
    if cs.shape != (2 * n - 1, 4):
        return bad + [f"CSJets has shape {cs.shape}, expected ({2 * n - 1}, 4)"]
    lengths = {"mothers_id_energy_order": nb, "CS_ID_mothers": nb, "CS_ID_daughters": nb,
               "branchings": nb, "mother_momenta": nb, "daughter_momenta": nb,
               "CS_ID_intermediate_states": n}
    for k, want in lengths.items():
        if len(d[k]) != want:
            bad.append(f"{k} has {len(d[k])} entries, expected {want}")
    if bad:
        return bad
    seed = np.asarray(d["seed_momentum"], dtype=float)
    if not (seed[1] == 0 and seed[2] == 0 and np.allclose(seed, cs[-1], rtol=tol, atol=tol)):
        bad.append("seed_momentum is not [E, 0, 0, m] of the last CSJets entry (the jet)")
    if abs(cs[:n, 0].sum() - seed[0]) > 1e-6 * seed[0]:
        bad.append("the first n CSJets (final particles) do not add up to the jet energy")
    states = d["CS_ID_intermediate_states"]
    for t in range(nb):
        st, m, k = states[t], d["mothers_id_energy_order"][t], d["CS_ID_mothers"][t]
        if len(st) != t + 1 or not 0 <= m <= t or st[m] != k:
            bad.append(f"step {t}: mother {m} of state {st} is not CSJets index {k}")
            continue
        energies = cs[st, 0]
        if np.any(np.diff(energies) > 0):
            bad.append(f"step {t}: intermediate state not energy-ordered")
        hard, soft = d["CS_ID_daughters"][t]
        if sorted(states[t + 1]) != sorted([x for x in st if x != k] + [hard, soft]):
            bad.append(f"step {t}: the next state is not this one with the mother split")
        if cs[hard, 0] < cs[soft, 0] or abs(cs[hard, 0] + cs[soft, 0] - cs[k, 0]) > tol * cs[k, 0]:
            bad.append(f"step {t}: daughters not [harder, softer] or energies do not add up")
        if not np.allclose(d["mother_momenta"][t], cs[k], rtol=tol, atol=tol):
            bad.append(f"step {t}: mother_momenta differs from CSJets[{k}]")
        if not np.allclose(d["daughter_momenta"][t], [cs[hard], cs[soft]], rtol=tol, atol=tol):
            bad.append(f"step {t}: daughter_momenta differ from CSJets[{hard}, {soft}]")
        z, theta, phi, delta = d["branchings"][t]
        if abs(z - cs[soft, 0] / cs[k, 0]) > tol or not (0 < z <= 0.5 + tol):
            bad.append(f"step {t}: z = {z} is not E_soft / E_mother <= 1/2")
        if not (0 <= theta <= math.pi and 0 <= delta <= math.pi and 0 <= phi < 2 * math.pi):
            bad.append(f"step {t}: branching angles out of range")
    if nb > 0:
        x = model_inputs(d)
        for k, v in x.items():
            if isinstance(v, np.ndarray) and not np.all(np.isfinite(v)):
                bad.append(f"model input {k} not finite")
    return bad
