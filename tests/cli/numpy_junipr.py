"""An independent evaluation of a JUNIPR model file with numpy: the subjet step, the clustering
tree, the feature scaling and the network, written from the project's specification (DESIGN.md
§3 "Physics" and §4 "The JUNIPR network", PHYSICS.md §3 for the subjets), not from the C code.
It reads the model's sizes from the file and refuses, naming them, attributes, groups and
weight tensors it does not know: a new field of the model format must be taught here before
the comparison with `junipr eval` can pass.

    model = Model("m.h5");  steps = model.per_step(particles)   # [(end, mother, branch, parts)]
"""

import h5py
import numpy as np

# Attributes of a model file (DESIGN.md §5) and what the forward pass needs of them.
KNOWN_ATTRS = {
    "format", "version", "branch", "local", "hidden", "dense", "grid", "max_mult", "n_params",
    "scaling_e_jet", "scaling_e_sub", "scaling_r_jet", "scaling_r_sub",
    "clustering_algorithm", "clustering_esub", "clustering_rsub",
    # version 2: the reference does the e+e- metric and the tanh RNN (others are refused),
    # heads of their own widths and padding classes in the branch softmax
    "clustering_metric", "recurrent", "dense_end", "dense_mother", "dense_branch",
    "branch_padding",
    "created", "dataset", "seed", "imported_from", "imported_detail",   # provenance only
}
KNOWN_GROUPS = {"weights", "history", "sampling"}   # history, sampling: not used by the pass
HEADS = ("z", "theta", "delta", "phi")              # factorized heads, in their order
# Exponent p of the generalized kt distance min(E_i^2p, E_j^2p)(1 - cos θ_ij).
TREE_P = {"ca": 0, "kt": 1, "antikt": -1}


class UnknownField(Exception):
    """The model file has something this reference does not know how to evaluate."""


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


class Model:
    def __init__(self, path):
        with h5py.File(path, "r") as f:
            attrs = {k: f.attrs[k] for k in f.attrs}
            unknown = sorted(set(attrs) - KNOWN_ATTRS)
            if unknown:
                raise UnknownField(f"{path}: attributes {unknown} are not known to the numpy "
                                   "reference (tests/cli/numpy_junipr.py)")
            groups = sorted(set(f) - KNOWN_GROUPS)
            if groups:
                raise UnknownField(f"{path}: groups {groups} are not known to the numpy reference")
            if text(attrs["format"]) != "junipr-model" or int(attrs["version"]) not in (1, 2):
                raise UnknownField(f"{path}: format {attrs['format']!r} version {attrs['version']}")
            self.w = {}
            for layer in f["weights"]:
                g = f["weights"][layer]
                for t in g:
                    self.w[f"{layer}/{t}"] = g[t][:].astype(np.float64)
        self.branch = text(attrs["branch"])
        self.local = bool(int(attrs["local"]))
        self.algorithm = text(attrs["clustering_algorithm"])
        self.esub, self.rsub = float(attrs["clustering_esub"]), float(attrs["clustering_rsub"])
        self.e_jet, self.e_sub = float(attrs["scaling_e_jet"]), float(attrs["scaling_e_sub"])
        self.r_jet, self.r_sub = float(attrs["scaling_r_jet"]), float(attrs["scaling_r_sub"])
        if self.branch not in ("joint", "factorized"):
            raise UnknownField(f"{path}: branch head kind {self.branch!r}")
        for key, known in (("clustering_metric", "ee"), ("recurrent", "rnn")):
            if key in attrs and text(attrs[key]) != known:
                raise UnknownField(f"{path}: {key} = {text(attrs[key])!r}: the numpy reference "
                                   f"does {known!r} only")
        self.padding = int(attrs.get("branch_padding", 0))
        if self.algorithm not in TREE_P:
            raise UnknownField(f"{path}: clustering {self.algorithm!r} (the reference does "
                               f"{sorted(TREE_P)})")
        # Sizes from the weights themselves, checked against the attributes.
        self.H = self.w["init/kernel"].shape[1]
        self.M = self.w["mother_out/kernel"].shape[1]
        self.G = int(attrs["grid"])
        layers = ["init", "end_hidden", "end_out", "mother_hidden", "mother_out"]
        if self.branch == "joint":
            layers += ["branch_hidden", "branch_out"]
        else:
            layers += [f"branch_{h}_{s}" for h in HEADS for s in ("hidden", "out")]
        want = {f"{l}/{t}" for l in layers for t in ("kernel", "bias")}
        want |= {"rnn/kernel", "rnn/recurrent_kernel", "rnn/bias"}
        if set(self.w) != want:
            raise UnknownField(f"{path}: weight tensors {sorted(set(self.w) - want)} unknown, "
                               f"{sorted(want - set(self.w))} missing")
        sizes = {"hidden": self.H, "max_mult": self.M,
                 "n_params": sum(v.size for v in self.w.values())}
        for k, v in sizes.items():
            if int(attrs[k]) != v:
                raise UnknownField(f"{path}: attribute {k} = {attrs[k]}, the weights say {v}")
        # Each head's hidden width (its own, or `dense`) and inputs; branch outputs G⁴ (joint)
        # or G cells, then the padding classes.
        width = lambda key: int(attrs.get(key, 0)) or int(attrs["dense"])  # noqa: E731
        h_in = 0 if self.local else self.H
        heads = {"end": (self.H, width("dense_end"), 1), "mother": (self.H, width("dense_mother"), self.M)}
        cells = self.G ** 4 if self.branch == "joint" else self.G
        for k, head in enumerate(["branch"] if self.branch == "joint" else [f"branch_{h}" for h in HEADS]):
            heads[head] = (h_in + 4 + (k if self.branch == "factorized" else 0), width("dense_branch"),
                           cells + self.padding)
        for head, (n_in, n_hidden, n_out) in heads.items():
            for layer, shape in ((head + "_hidden", (n_in, n_hidden)), (head + "_out", (n_hidden, n_out))):
                if self.w[layer + "/kernel"].shape != shape:
                    raise UnknownField(f"{path}: {layer}/kernel has shape "
                                       f"{self.w[layer + '/kernel'].shape}, expected {shape}")

    # ---- clustering (DESIGN.md §3, PHYSICS.md §3) --------------------------------------

    def subjets(self, parts):
        """Inclusive e+e- C/A at R_sub (merge the closest pair while θ < R_sub), E ≥ E_sub."""
        objs = [np.array(p, dtype=np.float64) for p in parts]
        while self.rsub > 0 and len(objs) > 1:
            best, pair = None, None
            for i in range(len(objs)):
                for j in range(i + 1, len(objs)):
                    d = 1 - cos_angle(objs[i], objs[j])
                    if best is None or d < best:
                        best, pair = d, (i, j)
            if angle(objs[pair[0]], objs[pair[1]]) >= self.rsub:
                break
            i, j = pair
            objs[i] = objs[i] + objs[j]
            del objs[j]
        return [o for o in objs if self.esub <= 0 or o[0] >= self.esub]

    def tree(self, leaves):
        """Exclusive clustering to one object; returns the merges in order as (a, b) node ids
        and the node momenta (leaves first, each merge appends its sum)."""
        p = TREE_P[self.algorithm]
        nodes = [np.asarray(x) for x in leaves]
        alive = list(range(len(nodes)))
        merges = []
        while len(alive) > 1:
            best, pair = None, None
            for ia in range(len(alive)):
                for ib in range(ia + 1, len(alive)):
                    a, b = nodes[alive[ia]], nodes[alive[ib]]
                    d = min(a[0] ** (2 * p), b[0] ** (2 * p)) * (1 - cos_angle(a, b))
                    if best is None or d < best:
                        best, pair = d, (alive[ia], alive[ib])
            nodes.append(nodes[pair[0]] + nodes[pair[1]])
            merges.append(pair)
            alive = [x for x in alive if x not in pair] + [len(nodes) - 1]
        return merges, nodes

    def declustering(self, leaves):
        """The JUNIPR sequence from the root: per step the mother index in the energy-ordered
        state, and the mother and daughter momenta (harder daughter first)."""
        merges, nodes = self.tree(leaves)
        state = [len(nodes) - 1]
        steps = []
        for t in range(len(merges)):
            a, b = merges[len(merges) - 1 - t]
            mother = len(nodes) - 1 - t
            # energy descending, ties by lower index first
            state.sort(key=lambda k: (-nodes[k][0], k))
            m_idx = state.index(mother)
            hard, soft = (a, b) if nodes[a][0] >= nodes[b][0] else (b, a)
            steps.append((m_idx, nodes[mother], nodes[hard], nodes[soft]))
            state.remove(mother)
            state += [a, b]
        return nodes[-1], steps

    # ---- features (DESIGN.md §4) ---------------------------------------------------------

    def scale_momentum(self, p, jet):
        E = p[0]
        th = angle(p, jet) if p is not jet else 0.0
        ph = azimuth(p, jet) if p is not jet else 0.0
        return np.array([
            (ln(E) - ln(self.e_sub)) / (ln(self.e_jet) - ln(self.e_sub)),
            (ln(th) - ln(self.e_sub * self.r_sub / self.e_jet))
            / (ln(self.r_jet) - ln(self.e_sub * self.r_sub / self.e_jet)),
            ph / (2 * np.pi),
            (ln(mass(p)) - ln(self.e_sub)) / (ln(self.e_jet) - ln(self.e_sub))])

    def scale_branching(self, mother, hard, soft):
        z, th, de = soft[0] / mother[0], angle(soft, mother), angle(hard, mother)
        ph = azimuth(soft, mother)
        lo_th = ln(self.e_sub * self.r_sub / self.e_jet)
        return {"z": (ln(z) - ln(self.e_sub / self.e_jet)) / (ln(0.5) - ln(self.e_sub / self.e_jet)),
                "theta": (ln(th) - ln(self.r_sub / 2)) / (ln(self.r_jet) - ln(self.r_sub / 2)),
                "phi": ph / (2 * np.pi),
                "delta": (ln(de) - lo_th) / (ln(self.r_jet / 2) - lo_th)}

    def bin(self, x):
        return int(min(max(np.floor(x * self.G), 0), self.G - 1))

    # ---- network (DESIGN.md §4) ------------------------------------------------------------

    def dense(self, layer, x, relu=False):
        y = x @ self.w[layer + "/kernel"] + self.w[layer + "/bias"]
        return np.maximum(y, 0) if relu else y

    def head(self, name, x):
        return self.dense(name + "_out", self.dense(name + "_hidden", x, relu=True))

    def per_step(self, particles):
        """[(ln P_end, ln P_mother, ln P_branch, (z, θ, δ, φ parts or zeros))] for t = 1..n
        (a branch softmax runs over the cells and the padding classes after them),
        or None when no subjet survives or n > M (the jets `junipr eval` does not score)."""
        leaves = self.subjets(particles)
        if not leaves or len(leaves) > self.M:
            return None
        jet, steps = self.declustering(leaves)
        h = np.tanh(self.dense("init", self.scale_momentum(jet, jet)))
        out = []
        for t, (m_idx, mother, hard, soft) in enumerate(steps, start=1):
            l_end = self.head("end", h)[0]
            lp_end = -np.logaddexp(0, l_end)                     # ln(1 − σ)
            logits = self.head("mother", h)[:t]
            lp_mother = logits[m_idx] - np.logaddexp.reduce(logits)
            km = self.scale_momentum(mother, jet)
            x = self.scale_branching(mother, hard, soft)
            base = km if self.local else np.concatenate([h, km])
            if self.branch == "joint":
                cell = ((self.bin(x["z"]) * self.G + self.bin(x["theta"])) * self.G
                        + self.bin(x["phi"])) * self.G + self.bin(x["delta"])
                lg = self.head("branch", base)
                parts = (0.0, 0.0, 0.0, 0.0)
                lp_branch = lg[cell] - np.logaddexp.reduce(lg)
            else:
                parts = []
                for k, name in enumerate(HEADS):
                    prev = np.array([x[HEADS[j]] for j in range(k)])
                    lg = self.head("branch_" + name, np.concatenate([base, prev]))
                    parts.append(lg[self.bin(x[name])] - np.logaddexp.reduce(lg))
                lp_branch = sum(parts)
            out.append((lp_end, lp_mother, lp_branch, tuple(parts)))
            d = np.concatenate([self.scale_momentum(hard, jet), self.scale_momentum(soft, jet)])
            h = np.tanh(d @ self.w["rnn/kernel"] + h @ self.w["rnn/recurrent_kernel"]
                        + self.w["rnn/bias"])
        out.append((-np.logaddexp(0, -self.head("end", h)[0]), 0.0, 0.0, (0.0, 0.0, 0.0, 0.0)))
        return out


# ---- kinematics -------------------------------------------------------------------------

def ln(x):
    """ln with its argument clipped to [1e-8, 1e8] (DESIGN.md §4)."""
    return np.log(min(max(x, 1e-8), 1e8))


def mass(p):
    return np.sqrt(max(p[0] ** 2 - p[1] ** 2 - p[2] ** 2 - p[3] ** 2, 0.0))


def cos_angle(a, b):
    return np.dot(a[1:], b[1:]) / (np.linalg.norm(a[1:]) * np.linalg.norm(b[1:]))


def angle(a, b):
    """Opening angle of two 3-momenta, accurate for small angles."""
    return np.arctan2(np.linalg.norm(np.cross(a[1:], b[1:])), np.dot(a[1:], b[1:]))


def azimuth(p, n):
    """φ of p around n in [0, 2π): e_z = n, e_x = normalize((0,1,0) × e_z) (or (1,0,0) × e_z
    when n ∥ y), e_y = e_z × e_x (DESIGN.md §3)."""
    ez = n[1:] / np.linalg.norm(n[1:])
    ex = np.cross([0.0, 1.0, 0.0], ez)
    if np.linalg.norm(ex) < 1e-12:
        ex = np.cross([1.0, 0.0, 0.0], ez)
    ex /= np.linalg.norm(ex)
    ey = np.cross(ez, ex)
    return np.arctan2(np.dot(p[1:], ey), np.dot(p[1:], ex)) % (2 * np.pi)
