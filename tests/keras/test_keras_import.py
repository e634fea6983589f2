"""`junipr import-model`: the authors' tf.keras JUNIPR models become junipr models that give
the Keras network's numbers. Checked against keras_reference.py (numpy, written from the
network's description) on the authors' demo model and on Keras-layout LSTM and GRU files
written here with h5py (random weights, other sizes), on jets of the built-in generator and
hand-made edge cases: ln P_jet and every per-step term within 1e-4. Then the imported model
samples, discriminates and is described by `info`; bad Keras files give one clear line.

Usage: test_keras_import.py JUNIPR KERAS_DUMP_TREES DATA_DIR draw|nodraw
"""

import json
import math
import os
import shutil
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clitest  # noqa: E402
from keras_reference import KerasJunipr, read_trees  # noqa: E402

TOL = 1e-4
T = clitest.Checker("keras-import")
EXE, DUMP, DATA, DRAW = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "draw"


def run(args):
    return clitest.run(EXE, args)


# ---------------------------------------------------------------------------------------
# Keras-layout fixtures

def keras_layer(name, cls, **config):
    config = dict(config, name=name, trainable=True, dtype="float32")
    return {"name": name, "class_name": cls, "config": config, "inbound_nodes": []}


def write_keras(path, cell, H, De, Dm, Db, M, G, seed, scale=1.0, skip=None, config_edit=None):
    """A model.save file of the authors' network layout (Keras 2.2.4-tf style) with random
    weights: /model_weights/<layer>/<layer>/{kernel:0, recurrent_kernel:0, bias:0}, the
    weight_names attributes and model_config."""
    rng = np.random.default_rng(seed)
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[cell]
    rnn_cfg = dict(units=H, activation="tanh", use_bias=True, return_sequences=True)
    if cell != "SimpleRNN":
        rnn_cfg["recurrent_activation"] = "sigmoid"
    if cell == "GRU":
        rnn_cfg["reset_after"] = True
    layers = [keras_layer("seed_momentum", "InputLayer", batch_input_shape=[None, 4]),
              keras_layer("h_init", "Dense", units=H, activation="tanh", use_bias=True),
              keras_layer("RNN", cell, **rnn_cfg)]
    weights = {"h_init": [("kernel:0", (4, H)), ("bias:0", (H,))],
               "RNN": [("kernel:0", (8, gates * H)), ("recurrent_kernel:0", (H, gates * H)),
                       ("bias:0", (2, 3 * H) if cell == "GRU" else (gates * H,))]}
    if cell == "LSTM":
        layers.append(keras_layer("c_init", "Dense", units=H, activation="tanh", use_bias=True))
        weights["c_init"] = [("kernel:0", (4, H)), ("bias:0", (H,))]

    def dense(name, n_in, n_out, activation):
        layers.append(keras_layer(name, "Dense", units=n_out, activation=activation,
                                  use_bias=True))
        weights[name] = [("kernel:0", (n_in, n_out)), ("bias:0", (n_out,))]

    dense("end_hidden_layer", H, De, "relu")
    dense("endings", De, 1, "sigmoid")
    dense("mother_hidden_layer", H, Dm, "relu")
    dense("mother_unweighted_output", Dm, M, "softmax")
    for k, name in enumerate("ztdp"):
        dense(f"branch_{name}_hidden_layer", H + 4 + k, Db, "relu")
        dense(f"sparse_branchings_{name}", Db, G + 1, "softmax")
    layers.append(keras_layer("mothers", "Activation", activation="normalize_layer"))
    config = {"class_name": "Model", "config": {"name": f"JUNIPR_{cell}", "layers": layers}}
    if config_edit is not None:
        config_edit(config)
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.2.4-tf"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = np.array([n.encode() for n in weights], dtype="S30")
        for layer, ws in weights.items():
            if layer == skip:
                continue
            g = mw.create_group(layer)
            g.attrs["weight_names"] = np.array([f"{layer}/{n}".encode() for n, _ in ws],
                                               dtype="S40")
            inner = g.create_group(layer)
            for n, shape in ws:
                fan = shape[0] if len(shape) > 1 else 1
                values = rng.normal(0.0, scale / math.sqrt(fan), size=shape)
                inner.create_dataset(n, data=values.astype(np.float32))


# ---------------------------------------------------------------------------------------
# data

def massless(E, theta, phi, axis_y=False):
    s = math.sin(theta)
    v = (E * s * math.cos(phi), E * s * math.sin(phi), E * math.cos(theta))
    if axis_y:   # the jet along +y: the frame's (1, 0, 0) fallback
        v = (v[0], v[2], -v[1])
    return (E, v[0], v[1], v[2])


def edge_jets():
    """Hand-made jets for a model without subjet step (--esub 0 --rsub 0)."""
    jets = [[massless(480.0, 0.0, 0.0)],                                  # one particle
            [massless(300.0, 0.01, 0.5), massless(200.0, 0.02, 3.5)],     # two
            # collinear pair (θ = 0 between them: ln clipped) and a soft wide one
            [massless(250.0, 0.05, 1.0), massless(150.0, 0.05, 1.0), massless(0.5, 1.2, 4.0)],
            # along the y axis
            [massless(260.0, 0.03, 0.2, True), massless(220.0, 0.04, 2.2, True),
             massless(20.0, 0.3, 5.0, True)],
            # a massive particle and a very soft one (E below 1e-8 GeV: clipped)
            [(300.0, 10.0, 5.0, 290.0), massless(199.0, 0.1, 0.3), massless(5e-9, 0.2, 0.1)],
            # equal energies
            [massless(125.0, 0.02 * (i + 1), 1.3 * i) for i in range(4)]]
    # 99 particles: near the maximum multiplicity M = 100
    rng = np.random.default_rng(7)
    jets.append([massless(float(rng.uniform(1, 10)), float(rng.uniform(0.001, 0.5)),
                          float(rng.uniform(0, 2 * math.pi))) for _ in range(99)])
    return jets


def compare(keras_path, model_path, data_path, tmp, what):
    """junipr eval --per-step of model_path against the numpy reference of keras_path."""
    scores = os.path.join(tmp, "scores.h5")
    trees = os.path.join(tmp, "trees.jsonl")
    rc, _, err = run(["eval", model_path, data_path, "--per-step", "-q", "-o", scores])
    if not T.check(rc == 0, f"{what}: eval failed: {err.strip()}"):
        return 0, math.inf
    rc = clitest.subprocess.run([DUMP, model_path, data_path, trees]).returncode
    T.check(rc == 0, f"{what}: keras-dump-trees failed")
    ref = KerasJunipr(keras_path)
    with h5py.File(scores, "r") as f:
        log_p = f["jets/log_p"][:]
        off = f["steps/offsets"][:]
        steps = np.stack([f["steps/log_end"][:], f["steps/log_mother"][:]], axis=1)
        parts = f["steps/log_branch_parts"][:]
    worst, n = 0.0, 0
    for jet in read_trees(trees):
        i = jet["jet"]
        if jet["n"] == 0 or not np.isfinite(log_p[i]):
            T.check(jet["n"] == 0 or jet["n"] > ref.M, f"{what}: jet {i} not scored")
            continue
        total, terms = ref.log_prob(jet)
        worst = max(worst, abs(total - log_p[i]))
        for t, row in enumerate(terms):
            k = int(off[i]) + t
            ours = (steps[k, 0], steps[k, 1], parts[k, 0], parts[k, 1], parts[k, 2], parts[k, 3])
            worst = max(worst, max(abs(a - b) for a, b in zip(row, ours)))
        n += 1
    T.check(n > 0 and worst <= TOL, f"{what}: {n} jets, max |Δ ln P| = {worst:.3g} > {TOL}")
    print(f"{what}: {n} jets, max |delta ln P| (jet and per-step terms) vs numpy = {worst:.2e}")
    return n, worst


def bad_file_checks(tmp):
    """Each broken Keras file: exit 1, one line naming the file and what is wrong."""
    def expect(path, needle, what):
        rc, out, err = run(["import-model", path, "-o", os.path.join(tmp, "bad-out.h5")])
        lines = [ln for ln in err.splitlines() if ln.strip()]
        T.check(rc == 1 and len(lines) == 1 and needle in err and path in err,
                f"{what}: rc {rc}, stderr {err!r} (wanted one line with {needle!r})")
        T.check(not os.path.exists(os.path.join(tmp, "bad-out.h5")), f"{what}: output written")

    p = os.path.join(tmp, "missing-layer.h5")
    write_keras(p, "SimpleRNN", 5, 5, 5, 5, 100, 10, 1, skip="endings")
    expect(p, "endings", "missing layer")

    p = os.path.join(tmp, "wrong-shape.h5")
    write_keras(p, "LSTM", 5, 5, 5, 5, 100, 10, 1)
    with h5py.File(p, "a") as f:
        del f["model_weights/RNN/RNN/recurrent_kernel:0"]
        f["model_weights/RNN/RNN"].create_dataset("recurrent_kernel:0",
                                                  data=np.zeros((5, 15), np.float32))
    expect(p, "recurrent_kernel:0", "wrong shape")

    def edit_rnn(key, value):
        """A model_config edit setting the RNN layer's key (class_name or a config entry)."""
        def edit(cfg):
            for layer in cfg["config"]["layers"]:
                if layer["name"] == "RNN":
                    (layer if key == "class_name" else layer["config"])[key] = value
        return edit

    for name, cell, key, value, needle in (
            ("unknown-cell", "LSTM", "class_name", "ConvLSTM2D", "ConvLSTM2D"),
            ("tf1-gru", "GRU", "reset_after", False, "reset_after"),
            ("hard-sigmoid", "LSTM", "recurrent_activation", "hard_sigmoid", "hard_sigmoid")):
        p = os.path.join(tmp, name + ".h5")
        write_keras(p, cell, 5, 5, 5, 5, 100, 10, 1, config_edit=edit_rnn(key, value))
        expect(p, needle, name)

    p = os.path.join(tmp, "weights-only.h5")
    write_keras(p, "SimpleRNN", 5, 5, 5, 5, 100, 10, 1)
    with h5py.File(p, "a") as f:
        del f.attrs["model_config"]
    expect(p, "model_config", "no model_config")

    p = os.path.join(tmp, "not-hdf5.h5")
    with open(p, "w") as f:
        f.write("not a Keras file\n")
    expect(p, "HDF5", "not HDF5")

    p = os.path.join(tmp, "dataset.h5")
    clitest.write_dataset(p, [[massless(100.0, 0.1, 0.1)]])
    expect(p, "model_config", "a junipr dataset")


def main():
    tmp = tempfile.mkdtemp(prefix="jx-keras-")
    try:
        demo = os.path.join(DATA, "Junipr_demo_model.h5")
        q = os.path.join(tmp, "q.h5")
        z = os.path.join(tmp, "z.h5")
        for proc, path, seed in (("qq", q, 11), ("zz", z, 12)):
            rc, _, err = run(["generate", "--process", proc, "--jets", "400", "--seed", str(seed),
                              "-q", "-o", path])
            T.check(rc == 0, f"generate {proc}: {err}")
        edges = os.path.join(tmp, "edges.h5")
        clitest.write_dataset(edges, edge_jets())

        # The demo model, with both metrics (the trees differ; the network must not).
        imported = os.path.join(tmp, "demo.h5")
        rc, out, err = run(["import-model", demo, "-o", imported])
        T.check(rc == 0 and "SimpleRNN" in out and "hidden 10" in out, f"import-model: {err}")
        compare(demo, imported, q, tmp, "demo model, quark jets, pp clustering")
        imported_ee = os.path.join(tmp, "demo-ee.h5")
        rc, _, err = run(["import-model", demo, "--metric", "ee", "--algorithm", "kt",
                          "-q", "-o", imported_ee])
        T.check(rc == 0, f"import-model --metric ee: {err}")
        compare(demo, imported_ee, z, tmp, "demo model, Z jets, ee kt clustering")
        imported_raw = os.path.join(tmp, "demo-raw.h5")
        rc, _, err = run(["import-model", demo, "--esub", "0", "--rsub", "0", "--metric", "ee",
                          "-q", "-o", imported_raw])
        T.check(rc == 0, f"import-model --esub 0: {err}")
        compare(demo, imported_raw, edges, tmp, "demo model, hand-made edge cases")

        # Keras-layout LSTM and GRU files: other sizes, read from the file.
        for cell, sizes in (("LSTM", (7, 5, 6, 8, 100, 8)), ("GRU", (6, 9, 4, 5, 100, 10)),
                            ("SimpleRNN", (12, 3, 11, 6, 100, 6))):
            kpath = os.path.join(tmp, f"keras-{cell}.h5")
            write_keras(kpath, cell, *sizes, seed=len(cell), scale=1.5)
            mpath = os.path.join(tmp, f"imported-{cell}.h5")
            rc, out, err = run(["import-model", kpath, "--metric", "ee", "-q", "-o", mpath])
            T.check(rc == 0, f"import-model {cell}: {err}")
            compare(kpath, mpath, q, tmp, f"{cell} fixture (H={sizes[0]}, G={sizes[5]}), quarks")
            compare(kpath, mpath, edges, tmp, f"{cell} fixture, edge cases")
            with h5py.File(mpath, "r") as f:
                cell_attr = f.attrs["recurrent"]
                cell_attr = cell_attr.decode() if isinstance(cell_attr, bytes) else str(cell_attr)
                T.check(cell_attr == {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "rnn"}[cell],
                        f"{cell}: recurrent attribute {cell_attr!r}")
                T.check(f.attrs["version"] == 2 and f.attrs["branch_padding"] == 1,
                        f"{cell}: version/padding")

        # Like any other model: info, sample, discriminate, render.
        rc, out, _ = run(["info", imported])
        T.check(rc == 0 and "imported from" in out and demo in out and "Keras 2.2.4-tf" in out
                and "pp metric" in out and "padding" in out, f"info: {out}")
        sampled = os.path.join(tmp, "sampled.h5")
        rc, out, err = run(["sample", imported, "--jets", "50", "--seed", "3", "-q",
                            "-o", sampled])
        T.check(rc == 0, f"sample: {err}")
        with h5py.File(sampled, "r") as f:
            T.check(len(f["jets/offsets"]) == 51, "sample: 50 jets")
        lstm = os.path.join(tmp, "imported-LSTM.h5")
        rc, out, err = run(["discriminate", "--signal-model", imported, "--background-model",
                            lstm, "--signal", z, "--background", q, "-q",
                            "-o", os.path.join(tmp, "roc.csv")])
        T.check(rc == 0 and os.path.exists(os.path.join(tmp, "roc.csv")),
                f"discriminate: {err}")
        if DRAW:
            png = os.path.join(tmp, "tree.png")
            rc, out, err = run(["render", "tree", q, "--jet", "1", "--model", imported,
                                "-q", "-o", png])
            T.check(rc == 0 and os.path.getsize(png) > 1000, f"render tree: {err}")

        bad_file_checks(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    T.done()


main()
