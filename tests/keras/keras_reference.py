"""An independent evaluation of the JUNIPR authors' tf.keras network, in numpy (float64),
written from the network's description (the issue asking for `junipr import-model`) and
DESIGN.md §3-4, not from junipr's C code. It reads the Keras file with h5py and a jet's
tree as keras-dump-trees writes it (lab-frame momenta of the root, and per step the mother
index, the mother and both daughters and the branching x = (z, θ, φ, δ)).

Relative momenta follow DESIGN §3 literally (e_z = the jet axis, e_x = (0,1,0) × e_z
normalized, or (1,0,0) × e_z when the axis is along y, e_y = e_z × e_x; θ = atan2(|(x, y)|, z),
φ = atan2(y, x) in [0, 2π)); a momentum along the axis within rounding (the jet itself, the
mother of the first branching) has φ = 0, as in the authors' converter (get_phiPJ returns 0
when the angle to the reference is below 1e-15).
"""

import json
import math

import h5py
import numpy as np

LN_MIN, LN_MAX = 1e-8, 1e8


def clog(v):
    return math.log(min(max(v, LN_MIN), LN_MAX))


# The authors' feature scaling (config.py: E_JET 500, E_SUB 1, R_JET pi/2, R_SUB 0.1).
def scale_momentum(E, theta, phi, m):
    e = (clog(E) - math.log(1.0)) / (math.log(500.0) - math.log(1.0))
    t = (clog(theta) - math.log(2e-4)) / (math.log(math.pi / 2) - math.log(2e-4))
    f = phi / (2 * math.pi)
    mm = (clog(m) - math.log(1.0)) / (math.log(500.0) - math.log(1.0))
    return [e, t, f, mm]


def scale_branching(z, theta, phi, delta):
    zs = (clog(z) - math.log(0.002)) / (math.log(0.5) - math.log(0.002))
    ts = (clog(theta) - math.log(0.05)) / (math.log(math.pi / 2) - math.log(0.05))
    fs = phi / (2 * math.pi)
    ds = (clog(delta) - math.log(2e-4)) / (math.log(math.pi / 4) - math.log(2e-4))
    return zs, ts, fs, ds


def bin_of(x, grid):
    return int(min(max(math.floor(grid * x), 0), grid - 1)) if x == x else 0


def _cross(a, b):
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def _norm(a):
    return math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2])


def frame(axis):
    """(e_x, e_y, e_z) of DESIGN §3 around the 3-momentum of axis = (E, px, py, pz)."""
    v = axis[1:]
    n = _norm(v)
    if not n > 0:
        return None
    ez = [v[0] / n, v[1] / n, v[2] / n]
    ex = _cross([0.0, 1.0, 0.0], ez)
    length = _norm(ex)
    if length < 1e-12:
        ex = _cross([1.0, 0.0, 0.0], ez)
        length = _norm(ex)
    ex = [c / length for c in ex]
    ey = _cross(ez, ex)
    return ex, ey, ez


def relative(p, fr):
    """(E, θ, φ, m) of p = (E, px, py, pz) in frame fr; m = 0 for m² ≤ 0."""
    E = p[0]
    m2 = E * E - (p[1] * p[1] + p[2] * p[2] + p[3] * p[3])
    m = math.sqrt(m2) if m2 > 0 else 0.0
    if fr is None:
        return E, 0.0, 0.0, m
    ex, ey, ez = fr
    v = p[1:]
    x = v[0] * ex[0] + v[1] * ex[1] + v[2] * ex[2]
    y = v[0] * ey[0] + v[1] * ey[1] + v[2] * ey[2]
    z = v[0] * ez[0] + v[1] * ez[1] + v[2] * ez[2]
    theta = math.atan2(math.sqrt(x * x + y * y), z)
    phi = 0.0 if math.sqrt(x * x + y * y) <= 1e-12 * abs(z) else math.atan2(y, x)
    if phi < 0:
        phi += 2 * math.pi
    if phi >= 2 * math.pi:
        phi = 0.0
    return E, theta, phi, m


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


class KerasJunipr:
    """The authors' network, weights from a Keras model file."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            cfg = json.loads(f.attrs["model_config"])
            layers = {layer["name"]: layer for layer in cfg["config"]["layers"]}
            self.cell = layers["RNN"]["class_name"]
            w = f["model_weights"]

            def get(layer, name):
                return np.array(w[layer][layer][name], dtype=np.float64)

            def dense(layer):
                return get(layer, "kernel:0"), get(layer, "bias:0")

            self.h_init = dense("h_init")
            self.c_init = dense("c_init") if self.cell == "LSTM" else None
            self.W = get("RNN", "kernel:0")
            self.U = get("RNN", "recurrent_kernel:0")
            self.b = get("RNN", "bias:0")
            self.end = (dense("end_hidden_layer"), dense("endings"))
            self.mother = (dense("mother_hidden_layer"), dense("mother_unweighted_output"))
            self.branch = [(dense(f"branch_{k}_hidden_layer"), dense(f"sparse_branchings_{k}"))
                           for k in "ztdp"]
        self.H = self.h_init[0].shape[1]
        self.M = self.mother[1][0].shape[1]
        self.G = self.branch[0][1][0].shape[1] - 1   # the last class is padding

    def step(self, h, c, x):
        """The recurrent cell on input x (the 8 scaled daughter features)."""
        H = self.H
        if self.cell == "SimpleRNN":
            return np.tanh(x @ self.W + h @ self.U + self.b), None
        if self.cell == "LSTM":
            z = x @ self.W + h @ self.U + self.b
            i, f = sigmoid(z[:H]), sigmoid(z[H:2 * H])
            g, o = np.tanh(z[2 * H:3 * H]), sigmoid(z[3 * H:])
            c = f * c + i * g
            return o * np.tanh(c), c
        # GRU, reset_after: bias rows = input bias, recurrent bias
        xg = x @ self.W + self.b[0]
        rg = h @ self.U + self.b[1]
        z = sigmoid(xg[:H] + rg[:H])
        r = sigmoid(xg[H:2 * H] + rg[H:2 * H])
        hh = np.tanh(xg[2 * H:] + r * rg[2 * H:])
        return z * h + (1 - z) * hh, None

    @staticmethod
    def _mlp(layers, v):
        (k1, b1), (k2, b2) = layers
        return np.maximum(v @ k1 + b1, 0.0) @ k2 + b2

    def log_prob(self, jet):
        """ln P_jet and per-step terms [(ln P_end, ln P_mother, ln P_z, ln P_θ, ln P_δ, ln P_φ)]
        of one jet of keras-dump-trees."""
        root = jet["root"]
        fr = frame(root)
        E, _, _, m = relative(root, fr)
        seed = np.array(scale_momentum(E, 0.0, 0.0, m))   # the jet's own axis: θ = φ = 0
        h = np.tanh(seed @ self.h_init[0] + self.h_init[1])
        c = np.tanh(seed @ self.c_init[0] + self.c_init[1]) if self.c_init else None
        n = jet["n"]
        steps = jet["steps"]
        terms = []
        total = 0.0
        for t in range(n):
            p_end = float(sigmoid(self._mlp(self.end, h))[0])
            if t == n - 1:
                terms.append((math.log(p_end), 0, 0, 0, 0, 0))
                total += math.log(p_end)
                break
            st = steps[t]
            mask = np.zeros(self.M)
            mask[:t + 1] = 1.0
            pm = softmax(self._mlp(self.mother, h)) * mask
            pm = pm / np.sum(pm)
            mother = np.array(scale_momentum(*relative(st["mother"], fr)))
            xs = scale_branching(*st["x"])            # (z', θ', φ', δ')
            order = [xs[0], xs[1], xs[3], xs[2]]      # heads z, θ, δ, φ
            parts = []
            for k in range(4):
                inp = np.concatenate([h, mother, np.array(order[:k])])
                pb = softmax(self._mlp(self.branch[k], inp))
                parts.append(math.log(pb[bin_of(order[k], self.G)]))
            row = (math.log(1.0 - p_end), math.log(pm[st["m"]])) + tuple(parts)
            terms.append(row)
            total += sum(row)
            d = np.array(scale_momentum(*relative(st["hard"], fr))
                         + scale_momentum(*relative(st["soft"], fr)))
            h, c = self.step(h, c, d)
        return total, terms


def read_trees(path):
    with open(path) as f:
        return [json.loads(line) for line in f]
