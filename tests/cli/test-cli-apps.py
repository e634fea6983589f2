"""End-to-end test of `junipr sample`, `discriminate`, `reweight` and `validate` on small
generated samples and tiny trained models: files read back with h5py, internal consistency
(momentum sums, per-step LR sums, weights = exp(ln LR)), the direction of every likelihood
ratio against two separate `junipr eval` runs (ln P_target - ln P_source), a model against
itself (AUC 1/2, weights 1), determinism over threads, one-line user errors, no temporary
files left.
Usage: test-cli-apps.py JUNIPR_EXE"""

import csv
import os
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, leftovers, run  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-apps")
TINY = ["--schedule", "fast", "--branch", "factorized", "--hidden", "12", "--dense", "12",
        "--epochs", "1", "--threads", "2", "--skip-long", "--checkpoint", "none", "-q"]


def one_line_error(rc, err, *needles):
    lines = err.strip().splitlines()
    return rc == 1 and len(lines) == 1 and all(n in lines[0] for n in needles)


def eval_log_p(model, data, out):
    """ln P_jet of every jet of data under model, from its own `junipr eval` run (cached)."""
    if not os.path.exists(out):
        rc, _, err = run(EXE, ["eval", model, data, "-q", "-o", out])
        T.check(rc == 0, f"eval {os.path.basename(model)} {os.path.basename(data)}: {err!r}")
    with h5py.File(out, "r") as f:
        lp = f["jets/log_p"][:]
        lp[f["jets/status"][:] != 0] = np.nan
    return lp


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    with tempfile.TemporaryDirectory() as d:
        p = lambda name: os.path.join(d, name)  # noqa: E731
        for cmd in ["sample", "discriminate", "reweight", "validate"]:
            rc, out, err = run(EXE, [cmd, "--help"])
            T.check(rc == 0 and out.startswith(f"Usage: junipr {cmd}") and err == "",
                    f"{cmd} --help: {rc} {out[:40]!r} {err!r}")
        rc, out, err = run(EXE, ["--help"])
        T.check(all(c in out for c in ["sample", "discriminate", "reweight", "validate"]),
                "commands listed in junipr --help")

        for proc, seed, name in [("qq", "1", "q"), ("zz", "2", "z")]:
            rc, out, err = run(EXE, ["generate", "--process", proc, "--jets", "400", "--seed", seed,
                                     "-q", "-o", p(name + ".h5")])
            T.check(rc == 0, f"generate {proc}: {err!r}")
            rc, out, err = run(EXE, ["train", p(name + ".h5"), "-o", p(name + "m.h5"), "--seed", seed]
                               + TINY)
            T.check(rc == 0, f"train {name}: {err!r}")
        if T.failures:
            T.done()

        # ---- sample
        rc, out, err = run(EXE, ["sample", p("qm.h5"), "--jets", "200", "--seed", "5", "--threads",
                                 "1", "-o", p("s1.h5")])
        T.check(rc == 0 and "wrote" in out and "redrawn" in out, f"sample: {rc} {out!r} {err!r}")
        rc2, _, _ = run(EXE, ["sample", p("qm.h5"), "--jets", "200", "--seed", "5", "--threads",
                              "2", "-q", "-o", p("s2.h5")])
        with h5py.File(p("s1.h5"), "r") as f, h5py.File(p("s2.h5"), "r") as g:
            T.check(f.attrs["format"] in ("junipr-dataset", b"junipr-dataset"), "sample is a dataset")
            off = f["jets/offsets"][:]
            parts = f["jets/particles"][:]
            T.check(len(off) == 201, "200 jets")
            T.check(rc2 == 0 and np.array_equal(parts, g["jets/particles"][:]),
                    "same seed, other thread count: same jets")
            s = f["sample"]
            so = s["step_offsets"][:]
            T.check(np.array_equal(np.diff(so), np.diff(off) - 1), "one step per branching")
            T.check(s["branching"].shape == (so[-1], 4) and s["mother_index"].shape == (so[-1],),
                    "per-step arrays")
            seed = s["seed"][:]
            sums = np.add.reduceat(parts, off[:-1].astype(np.int64), axis=0)
            T.check(np.allclose(sums, seed, rtol=1e-9, atol=1e-7), "particles sum to the seed")
            T.check(np.allclose(seed[:, 0], 500) and np.allclose(
                np.sqrt(seed[:, 0] ** 2 - (seed[:, 1:] ** 2).sum(1)), 91.2, atol=1e-6),
                "default seed: E = 500, m = 91.2")
            br = s["branching"][:]
            T.check(np.all((br[:, 0] > 0) & (br[:, 0] <= 0.5)) and np.all(br[:, 1] > 0),
                    "z in (0, 1/2], theta > 0")
            # mother index within the state: at step t (1-based) there are t candidates
            t = np.concatenate([np.arange(1, n + 1) for n in np.diff(so)]) if so[-1] else []
            T.check(np.all(s["mother_index"][:] < t) and np.all(s["mother_index"][:] >= 0),
                    "mother index < t")
            T.check(int(s.attrs["total_redrawn"]) == int(s["n_redrawn"][:].sum()),
                    "redraw count consistent")
            T.check(np.all(np.isfinite(s["log_p"][:])) and np.all(s["log_p"][:] < 0), "ln P_jet < 0")
        rc, out, err = run(EXE, ["sample", p("qm.h5"), "--jets", "50", "--seeds-from", p("q.h5"),
                                 "--cell", "linear", "--max-length", "4", "-q", "-o", p("s3.h5")])
        T.check(rc == 0, f"sample --seeds-from --cell linear: {err!r}")
        with h5py.File(p("s3.h5"), "r") as f:
            T.check(np.diff(f["jets/offsets"][:]).max() <= 4, "--max-length 4")
            T.check(np.all(f["sample/seed"][:, 0] > 300), "seeds are the data's jets")
        rc, out, err = run(EXE, ["eval", p("qm.h5"), p("s1.h5"), "-q", "-o", p("es.h5")])
        T.check(rc == 0, f"sampled jets can be evaluated: {err!r}")

        # ---- discriminate
        rc, out, err = run(EXE, ["discriminate", "--signal-model", p("zm.h5"), "--background-model",
                                 p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"),
                                 "-o", p("roc.csv"), "--scores", p("lr.h5"), "--roc-points", "50"])
        T.check(rc == 0 and "junipr" in out and "tau21_mult" in out, f"discriminate: {out!r} {err!r}")
        rows = read_csv(p("roc.csv"))
        methods = ["junipr", "tau21_mult", "mass", "multiplicity", "tau21"]
        for m in methods:
            auc = [r for r in rows if r["method"] == m and r["kind"] == "auc"]
            rej = [r for r in rows if r["method"] == m and r["kind"] == "rejection"]
            roc = [r for r in rows if r["method"] == m and r["kind"] == "roc"]
            T.check(len(auc) == 1 and 0 <= float(auc[0]["value"]) <= 1, f"{m}: one AUC in [0, 1]")
            T.check([r["signal_eff"] for r in rej] == ["0.30", "0.50", "0.70"], f"{m}: 3 rejections")
            es = [float(r["signal_eff"]) for r in roc]
            eb = [float(r["background_eff"]) for r in roc]
            T.check(2 <= len(roc) <= 50 and es[0] == 0 and es[-1] == 1 and eb[-1] == 1
                    and all(np.diff(es) >= 0) and all(np.diff(eb) >= 0),
                    f"{m}: monotone ROC from (0,0) to (1,1), ≤ 50 points")
        with h5py.File(p("lr.h5"), "r") as f:
            lp, lpb, llr = f["jets/log_p"][:], f["jets/log_p_b"][:], f["jets/log_lr"][:]
            lab = f["jets/label"][:]
            T.check(len(lp) == 800 and lab.sum() == 400 and lab[:400].all(), "signal first, labels")
            ok = np.isfinite(llr)
            T.check(ok.sum() > 700 and np.allclose(llr[ok], (lp - lpb)[ok]), "ln LR = ln P_A - ln P_B")
            so = f["steps/offsets"][:]
            slr = f["steps/log_lr"][:]
            per_jet = np.add.reduceat(slr, so[:-1].astype(np.int64)) if len(slr) else []
            T.check(np.allclose(per_jet[ok], llr[ok], atol=1e-6), "per-step ln LR sums to the jet's")
            T.check(np.array_equal(f["jets/test"][:400], np.arange(400) % 2), "test halves = odd jets")
        # The direction: ln P_A is the signal model's own evaluation, ln P_B the background
        # model's (two separate `junipr eval` runs), signal jets first.
        lp_z = np.concatenate([eval_log_p(p("zm.h5"), p(x + ".h5"), p("ez-" + x + ".h5")) for x in "zq"])
        lp_q = np.concatenate([eval_log_p(p("qm.h5"), p(x + ".h5"), p("eq-" + x + ".h5")) for x in "zq"])
        # (discriminate scores per step, eval 32 jets per GEMM: float activations summed in
        # another order differ by ~1e-6; a swap changes ln LR by O(1))
        fin = np.isfinite(lp_z) & np.isfinite(lp_q)
        T.check(np.array_equal(fin, ok) and np.allclose(llr[ok], (lp_z - lp_q)[ok], rtol=0, atol=1e-5),
                "discriminate: ln LR = ln P(signal model) - ln P(background model) of separate evals")
        T.check(np.allclose(lp[fin], lp_z[fin], rtol=0, atol=1e-5)
                and np.allclose(lpb[fin], lp_q[fin], rtol=0, atol=1e-5),
                "discriminate: log_p is the signal model's, log_p_b the background model's")
        # a model against itself: ln LR = 0 for every jet, AUC exactly 1/2
        rc, out, err = run(EXE, ["discriminate", "--signal-model", p("qm.h5"), "--background-model",
                                 p("qm.h5"), "--signal", p("z.h5"), "--background", p("q.h5"),
                                 "-q", "-o", p("self.csv")])
        auc = [r for r in read_csv(p("self.csv")) if r["method"] == "junipr" and r["kind"] == "auc"]
        T.check(rc == 0 and float(auc[0]["value"]) == 0.5, f"self-discrimination AUC = 1/2: {auc}")

        # ---- reweight
        rc, out, err = run(EXE, ["reweight", "--target-model", p("qm.h5"), "--source-model",
                                 p("qm.h5"), p("q.h5"), "-o", p("w1.h5")])
        with h5py.File(p("w1.h5"), "r") as f:
            w = f["jets/weight"][:]
            T.check(rc == 0 and np.all(w[f["jets/discarded"][:] == 0] == 1), "self weights are 1")
            T.check(abs(float(f.attrs["ess"]) - (f["jets/discarded"][:] == 0).sum()) < 1e-6,
                    "self ESS = N")
        rc, out, err = run(EXE, ["reweight", "--target-model", p("zm.h5"), "--source-model",
                                 p("qm.h5"), p("q.h5"), "--clip", "2", "-o", p("w2.h5"),
                                 "--hist", p("h.csv"), "--bins", "10"])
        T.check(rc == 0 and "effective sample size" in out, f"reweight: {out!r} {err!r}")
        with h5py.File(p("w2.h5"), "r") as f:
            raw, w, dis = f["jets/weight_raw"][:], f["jets/weight"][:], f["jets/discarded"][:]
            llr = f["jets/log_lr"][:]
            fin = np.isfinite(llr)
            T.check(np.allclose(raw[fin], np.exp(llr[fin])), "raw weight = exp(ln LR)")
            # The direction: w = P_target/P_source from two separate evaluations of DATA, so
            # swapping --target-model and --source-model (every weight inverted) fails here.
            lp_t = eval_log_p(p("zm.h5"), p("q.h5"), p("ez-q.h5"))
            lp_s = eval_log_p(p("qm.h5"), p("q.h5"), p("eq-q.h5"))
            both = np.isfinite(lp_t) & np.isfinite(lp_s)
            T.check(np.array_equal(both, fin) and np.allclose(llr[fin], (lp_t - lp_s)[fin], rtol=0, atol=1e-9)
                    and np.allclose(raw[fin], np.exp(lp_t - lp_s)[fin], rtol=1e-12, atol=0),
                    "reweight: ln w = ln P_target - ln P_source of separate evals")
            T.check(np.array_equal(f["jets/log_p"][:][fin], lp_t[fin])
                    and np.array_equal(f["jets/log_p_source"][:][fin], lp_s[fin]),
                    "reweight: log_p is the target model's, log_p_source the source model's")
            T.check(np.array_equal(dis == 1, fin & (raw > 2)) and np.all(w[dis != 0] == 0)
                    and np.array_equal(w[dis == 0], raw[dis == 0]), "clip at 2 discards, keeps the rest")
            T.check(int(f.attrs["n_clipped"]) == int((dis == 1).sum()), "n_clipped attribute")
            kept = w[dis == 0]
            T.check(abs(float(f.attrs["ess"]) - kept.sum() ** 2 / (kept ** 2).sum()) < 1e-6, "ESS")
        hist = read_csv(p("h.csv"))
        mass = [r for r in hist if r["observable"] == "mass"]
        T.check(len(mass) == 10 and abs(sum(float(r["sum_w"]) for r in mass) - w.sum()) < 1e-6
                * max(1, w.sum()), "weighted mass histogram holds every weight")

        # observables --weights carries the same weights, jet by jet, as its last column
        rc, out, err = run(EXE, ["observables", p("q.h5"), "--weights", p("w2.h5"), "-o",
                                 p("obs-w.csv"), "-q"])
        rows = read_csv(p("obs-w.csv")) if rc == 0 else []
        T.check(rc == 0 and len(rows) == len(w)
                and all(float(r["weight"]) == w[int(r["jet"])] for r in rows),
                f"observables --weights: weight column equals jets/weight ({err!r})")
        rc, out, err = run(EXE, ["observables", p("q.h5"), "--weights", p("q.h5"), "-o",
                                 p("obs-bad.csv"), "-q"])
        T.check(rc == 1 and "expected a junipr-scores" in err and not os.path.exists(p("obs-bad.csv")),
                f"observables --weights DATASET is refused: {err!r}")

        mult = [r for r in hist if r["observable"] == "n"]
        T.check(len(mult) >= 2 and all(float(r["hi"]) - float(r["lo"]) == 1.0 for r in mult)
                and float(mult[0]["lo"]) % 1 == 0.5, "multiplicity histogram: one bin per value")

        # ---- validate
        rc, out, err = run(EXE, ["validate", p("qm.h5"), p("q.h5"), "-o", p("val.csv"),
                                 "--t-late", "4", "--angle-bins", "8"])
        T.check(rc == 0 and "chi2/ndf" in out, f"validate: {out!r} {err!r}")
        val = read_csv(p("val.csv"))
        curves = sorted(set(r["curve"] for r in val))
        T.check(curves == sorted(["end_vs_length", "end_vs_angle", "mother_vs_index",
                                  "mother_vs_angle", "z_t1", "theta_t1", "z_tlate", "theta_tlate"]),
                f"curves {curves}")
        e1 = [r for r in val if r["curve"] == "end_vs_length" and r["bin"] == "0"][0]
        T.check(int(e1["count"]) > 350, "every jet has a first state")
        T.check(len([r for r in val if r["curve"] == "mother_vs_index"]) == 4, "t-late 4: 4 candidates")

        # ---- user errors: one line, exit 1
        rc, out, err = run(EXE, ["sample", p("qm.h5"), "-o", p("x.h5")])
        T.check(one_line_error(rc, err, "--jets"), f"sample without --jets: {err!r}")
        rc, out, err = run(EXE, ["sample", p("nope.h5"), "--jets", "3", "-o", p("x.h5")])
        T.check(one_line_error(rc, err, "nope.h5"), f"missing model: {err!r}")
        rc, out, err = run(EXE, ["sample", p("qm.h5"), "--jets", "3", "--cell", "cubic", "-o", p("x.h5")])
        T.check(one_line_error(rc, err, "--cell"), f"bad --cell: {err!r}")
        rc, out, err = run(EXE, ["sample", p("q.h5"), "--jets", "3", "-o", p("x.h5")])
        T.check(one_line_error(rc, err, "q.h5"), f"a dataset as model: {err!r}")
        rc, out, err = run(EXE, ["discriminate", "--signal-model", p("zm.h5"), "--signal", p("z.h5"),
                                 "--background", p("q.h5"), "-o", p("r.csv")])
        T.check(one_line_error(rc, err, "--background-model"), f"discriminate missing model: {err!r}")
        rc, out, err = run(EXE, ["validate", p("qm.h5"), p("q.h5"), "-o", p("r.txt")])
        T.check(one_line_error(rc, err, ".csv") and not os.path.exists(p("r.txt")),
                f"validate -o r.txt: {err!r}")
        rc, out, err = run(EXE, ["reweight", "--target-model", p("zm.h5"), "--source-model",
                                 p("qm.h5"), p("q.h5"), "--clip", "-1", "-o", p("w.h5")])
        T.check(one_line_error(rc, err, "--clip"), f"negative clip: {err!r}")
        T.check(not os.path.exists(p("x.h5")) and not os.path.exists(p("r.csv")), "no output on errors")
        T.check(leftovers(d) == [], f"no temporary files left: {leftovers(d)}")
    T.done()


main()
