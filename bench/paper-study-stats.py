#!/usr/bin/env python3
"""Statistics of bench/paper-study.sh that the junipr CLI does not print directly.

    python3 bench/paper-study-stats.py WORKDIR > WORKDIR/results.md

Reads the files paper-study.sh leaves in WORKDIR (observable CSVs, ROC table, reweighting
scores, validation tables, cluster --json lines, sample files) and prints a markdown summary.
Needs only python3, h5py and numpy.

Distances between two samples A and B of one observable:
  KS       max |F_A(x) - F_B(x)| of the (weighted) empirical CDFs
  chi2/ndf sum over bins of (a_i - b_i)^2 / (s_a,i^2 + s_b,i^2) for unit-normalized histograms
           (s = sqrt(sum w^2) / sum w per bin), over bins where either is non-empty; ndf = bins - 1.
           Bins: one per integer for the multiplicity, else 30 uniform bins between the 0.5 % and
           99.5 % quantiles of A and B together (outside values go to the end bins).

Sect. 5 direction statistic: along a jet's declustering sequence take consecutive steps t, t+1
that both split the hardest momentum (mother index 0 — for anti-kt the core that emits every
particle) and the azimuths phi_t, phi_t+1 of the emitted (soft) daughters around that mother.
C = <cos(phi_t+1 - phi_t)> over all such pairs: 0 when the directions of consecutive emissions
are independent, > 0 when an emission tends to follow the previous one's direction.
"""

import csv
import json
import math
import os
import sys

import h5py
import numpy as np


def read_csv (path):
  with open (path) as f:
    rows = list (csv.DictReader (f))
  if not rows:
    return {}
  cols = {}
  for k in rows[0]:
    try:
      cols[k] = np.array ([float (r[k]) if r[k] != "" else math.nan for r in rows])
    except ValueError:
      cols[k] = [r[k] for r in rows]
  return cols


def ks (a, b, wa=None, wb=None):
  wa = np.ones_like (a) if wa is None else wa
  wb = np.ones_like (b) if wb is None else wb
  xs = np.union1d (a, b)
  def cdf (v, w):
    o = np.argsort (v)
    v, w = v[o], np.cumsum (w[o])
    i = np.searchsorted (v, xs, side='right')
    c = np.where (i > 0, w[np.maximum (i - 1, 0)], 0.0)
    return c / w[-1]
  return float (np.max (np.abs (cdf (a, wa) - cdf (b, wb))))


def chi2ndf (a, b, wa=None, wb=None, integer=False):
  wa = np.ones_like (a) if wa is None else wa
  wb = np.ones_like (b) if wb is None else wb
  if integer:
    lo, hi = min (a.min (), b.min ()), max (a.max (), b.max ())
    edges = np.arange (lo - 0.5, hi + 1.5)
  else:
    both = np.concatenate ([a, b])
    lo, hi = np.quantile (both, 0.005), np.quantile (both, 0.995)
    if hi <= lo:
      hi = lo + 1e-9
    edges = np.linspace (lo, hi, 31)
  def hist (v, w):
    v = np.clip (v, edges[0], edges[-1])
    h, _ = np.histogram (v, edges, weights=w)
    h2, _ = np.histogram (v, edges, weights=w * w)
    s = w.sum ()
    return h / s, np.sqrt (h2) / s
  ha, ea = hist (a, wa)
  hb, eb = hist (b, wb)
  use = (ha > 0) | (hb > 0)
  var = ea[use] ** 2 + eb[use] ** 2
  var = np.where (var > 0, var, np.inf)
  chi2 = float (np.sum ((ha[use] - hb[use]) ** 2 / var))
  ndf = int (use.sum ()) - 1
  return chi2 / max (ndf, 1), ndf


def fmt (x, d=3):
  if x is None or (isinstance (x, float) and not math.isfinite (x)):
    return "–"
  return f"{x:.{d}f}"


def commands (work):
  out = {}
  path = os.path.join (work, "commands.tsv")
  if os.path.exists (path):
    with open (path) as f:
      for r in csv.DictReader (f, delimiter='\t'):
        # show the command as one would type it, whatever binary path the run used
        c = r["command"].split (" ", 1)
        c[0] = "junipr" if c[0].endswith ("/junipr") else c[0]
        out[r["step"]] = (r["seconds"], " ".join (c))
  return out


def cmd_ref (cmds, *steps):
  parts = []
  for s in steps:
    if s in cmds:
      parts.append (f"`{s}` ({cmds[s][0]} s)")
  return ", ".join (parts)


def direction_pairs (seqs, e_min=None):
  """seqs: iterable of (mothers, phis, soft energies) per jet -> array of cos(dphi).

  Without e_min: steps t, t+1 that both split the hardest momentum. With e_min: the emissions
  off the hardest momentum whose soft daughter has E >= e_min, consecutive in that list (the
  data's subjets are never below E_sub; sampled sequences are, and those steps are skipped)."""
  out = []
  for mothers, phis, esoft in seqs:
    if e_min is None:
      for t in range (len (mothers) - 1):
        if mothers[t] == 0 and mothers[t + 1] == 0:
          out.append (math.cos (phis[t + 1] - phis[t]))
    else:
      keep = [phis[t] for t in range (len (mothers)) if mothers[t] == 0 and esoft[t] >= e_min]
      for a, b in zip (keep, keep[1:]):
        out.append (math.cos (b - a))
  return np.array (out)


def seqs_from_json (path):
  with open (path) as f:
    for line in f:
      line = line.strip ()
      if not line.startswith ("{"):
        continue
      j = json.loads (line)
      st = j.get ("steps", [])
      yield ([s["mother"] for s in st], [s["phi"] for s in st],
             [s["z"] * s["E_mother"] for s in st])


def seqs_from_sample (path):
  with h5py.File (path, "r") as f:
    off = f["sample/step_offsets"][:]
    mom = f["sample/mother_index"][:]
    br = f["sample/branching"][:]
    seed_e = f["sample/seed"][:, 0]
  for i in range (len (off) - 1):
    a, b = int (off[i]), int (off[i + 1])
    # replay the energies: the state is energy-ordered, the mother is its m-th entry
    state = [float (seed_e[i])]
    esoft = []
    for t in range (a, b):
      em = state.pop (int (mom[t]))
      z = float (br[t, 0])
      esoft.append (z * em)
      state.extend ((z * em, (1.0 - z) * em))
      state.sort (reverse=True)
    yield list (mom[a:b]), list (br[a:b, 2]), esoft


def stat_line (c):
  if len (c) == 0:
    return "–", "–", 0
  se = c.std (ddof=1) / math.sqrt (len (c)) if len (c) > 1 else float ("nan")
  dphi = np.arccos (np.clip (c, -1, 1))
  return f"{c.mean ():+.3f} ± {se:.3f}", f"{dphi.mean ():.3f}", len (c)


def main ():
  if len (sys.argv) != 2:
    sys.exit ("usage: paper-study-stats.py WORKDIR")
  work = sys.argv[1]
  P = lambda *p: os.path.join (work, *p)
  cmds = commands (work)
  out = []
  w = out.append

  w ("# JUNIPR paper study at reduced scale: results\n")
  if os.path.exists (P ("parameters.txt")):
    w ("```\n" + open (P ("parameters.txt")).read ().strip () + "\n```\n")

  # ---- discrimination ----
  if os.path.exists (P ("roc.csv")):
    r = read_csv (P ("roc.csv"))
    w ("## Z vs quark (mass window), test halves (paper Fig. 12)\n")
    w ("| method | AUC | 1/ε_B at ε_S=0.3 | at 0.5 | at 0.7 |")
    w ("|---|---|---|---|---|")
    methods = []
    for m in r["method"]:
      if m not in methods:
        methods.append (m)
    for m in methods:
      auc = rej = None
      rj = {}
      for i, mm in enumerate (r["method"]):
        if mm != m:
          continue
        if r["kind"][i] == "auc":
          auc = r["value"][i]
        elif r["kind"][i] == "rejection":
          rj[round (r["signal_eff"][i], 2)] = r["rejection"][i]
      w (f"| {m} | {fmt (auc)} | {fmt (rj.get (0.3), 1)} | {fmt (rj.get (0.5), 1)} | {fmt (rj.get (0.7), 1)} |")
    w ("\nCommand: " + cmd_ref (cmds, "discriminate") + "\n")

  # ---- sampling closure ----
  rows = []
  soft = []
  for m, d in (("qhi-fac", "qhi"), ("qhi-joint", "qhi"), ("z-fac", "z"),
               ("qhi-printer-global", "qhi"), ("qhi-printer-local", "qhi"),
               ("qhi-antikt-global", "qhi"), ("qhi-antikt-local", "qhi")):
    dp = P (f"{d}-test.csv")
    for suffix, what in (("", "subjet step"), ("-raw", "as drawn")):
      sp = P (f"sampled-{m}{suffix}.csv")
      if not (os.path.exists (sp) and os.path.exists (dp)):
        continue
      s, t = read_csv (sp), read_csv (dp)
      cells = []
      for o in ("mass", "n", "tau21"):
        k = ks (s[o], t[o])
        c, ndf = chi2ndf (s[o], t[o], integer=(o == "n"))
        cells.append (f"{k:.3f} / {c:.1f}")
      rows.append (f"| {m} | {what} | {len (s['n'])} vs {len (t['n'])} | " + " | ".join (cells)
                   + f" | {s['n'].mean ():.1f} vs {t['n'].mean ():.1f} |")
    hp = P (f"sampled-{m}.h5")
    if os.path.exists (hp):
      with h5py.File (hp, "r") as f:
        e = f["jets/particles"][:, 0]
        st = np.bincount (f["sample/status"][:], minlength=3)
        red = f["sample"].attrs.get ("total_redrawn", 0)
        nj = len (f["sample/status"])
      soft.append (f"| {m} | {(e < 1.0).mean ():.3f} | {len (e) / nj:.1f} | {st[0]} / {st[1]} / {st[2]} "
                   f"| {int (red) / nj:.1f} |")
  if rows:
    w ("## Sampling closure: sampled vs held-out jets (KS distance / χ²/ndf)\n")
    w ("Sampled jets are seeded with the held-out jets' momenta (`--seeds-from`) and compared with "
       "those jets' observables (computed on their subjets). 'subjet step': the sampled particles "
       "go through the same subjet step (C/A R_sub = 0.1, E >= 1 GeV) before the observables; "
       "'as drawn': observables of the sampled particles themselves (`--esub 0 --rsub 0`).\n")
    w ("| model | sampled jets | jets | mass | multiplicity n | τ21 | mean n sampled vs data |")
    w ("|---|---|---|---|---|---|---|")
    out.extend (rows)
    if soft:
      w ("\nSampled particles below E_sub = 1 GeV (the data's subjets never are), mean particles per "
         "sampled jet, jet status (0 ended / 1 truncated at the maximum length / 2 stuck after "
         "too many redraws) and redrawn branchings (negative mass²) per jet:\n")
      w ("| model | fraction E < 1 GeV | particles per jet | status 0/1/2 | redraws per jet |")
      w ("|---|---|---|---|---|")
      out.extend (soft)
    w ("\nCommands: " + cmd_ref (cmds, "sample-qhi-fac", "sample-qhi-joint", "sample-z-fac") + "\n")

  # ---- reweighting closure ----
  if os.path.exists (P ("rw.h5")) and os.path.exists (P ("qlo-test.csv")):
    src, tgt = read_csv (P ("qlo-test.csv")), read_csv (P ("qhi-test.csv"))
    with h5py.File (P ("rw.h5"), "r") as f:
      wt = f["jets/weight"][:]
      ess = f.attrs.get ("ess", None)
      nclip = f.attrs.get ("n_clipped", None)
    ws = wt[src["jet"].astype (int)]
    w ("## Reweighting closure: αs = 0.11 jets reweighted to 0.1365 (paper Fig. 18)\n")
    w (f"Effective sample size {fmt (float (ess) if ess is not None else None, 0)} of {len (ws)} jets; "
       f"{nclip} weights above the clip discarded.\n")
    w ("| observable | KS before | KS after | χ²/ndf before | χ²/ndf after | ndf |")
    w ("|---|---|---|---|---|---|")
    for o in ("tau21", "tau32", "psi_0.05", "psi_0.1", "psi_0.2", "mass", "n"):
      if o not in src:
        continue
      a, b = src[o], tgt[o]
      k0, k1 = ks (a, b), ks (a, b, wa=ws)
      c0, ndf = chi2ndf (a, b, integer=(o == "n"))
      c1, _ = chi2ndf (a, b, wa=ws, integer=(o == "n"))
      w (f"| {o} | {k0:.3f} | {k1:.3f} | {c0:.2f} | {c1:.2f} | {ndf} |")
    w ("\n(psi_r: energy fraction within angle r of the axis, the integrated jet shape.) Command: "
       + cmd_ref (cmds, "reweight") + "\n")

  # ---- validation ----
  vals = {}
  curves = []
  for m in ("z-fac", "qw-fac", "qhi-fac", "qlo-fac", "qhi-joint"):
    p = P (f"validate-{m}.csv")
    if not os.path.exists (p):
      continue
    r = read_csv (p)
    vals[m] = {}
    for i, c in enumerate (r["curve"]):
      if c not in vals[m]:
        vals[m][c] = (r["chi2"][i], r["ndf"][i])
        if c not in curves:
          curves.append (c)
  if vals:
    w ("## Validation χ²/ndf on held-out jets (paper Figs. 7–9)\n")
    w ("| curve | " + " | ".join (vals) + " |")
    w ("|---|" + "---|" * len (vals))
    for c in curves:
      cells = []
      for m in vals:
        if c in vals[m]:
          chi2, ndf = vals[m][c]
          cells.append (f"{chi2 / max (ndf, 1):.2f} ({int (ndf)})")
        else:
          cells.append ("–")
      w (f"| {c} | " + " | ".join (cells) + " |")
    w ("\nχ²/ndf (ndf). Commands: " + cmd_ref (cmds, *[f"validate-{m}" for m in vals]) + "\n")

  # ---- Sect. 5 ----
  rows = []
  for alg in ("printer", "antikt"):
    dj = P (f"qhi-test-{alg}.jsonl")
    if not os.path.exists (dj):
      continue
    def both (seqs):
      seqs = list (seqs)
      m, d, n = stat_line (direction_pairs (seqs))
      m1, d1, n1 = stat_line (direction_pairs (seqs, e_min=1.0))
      return f"{m} | {d} | {n} | {m1} | {n1}"
    rows.append (f"| {alg} | data (qhi-test, clustered) | {both (seqs_from_json (dj))} |")
    for loc in ("global", "local"):
      name = f"qhi-{alg}-{loc}"
      sp = P (f"sampled-{name}.h5")
      if os.path.exists (sp):
        rows.append (f"| {alg} | {loc} model, sampled sequence | {both (seqs_from_sample (sp))} |")
      jp = P (f"sampled-{name}.jsonl")
      if os.path.exists (jp):
        rows.append (f"| {alg} | {loc} model, sampled jets re-clustered | {both (seqs_from_json (jp))} |")
  if rows:
    w ("## Sect. 5: correlation between consecutive emission directions\n")
    w ("C = ⟨cos(φ_{t+1} − φ_t)⟩ over consecutive steps that both split the hardest momentum "
       "(0 = independent directions); ⟨Δφ⟩ in rad (π/2 = 1.571 when independent). "
       "C(E ≥ 1 GeV): the same over the emissions off the hardest momentum whose soft daughter "
       "has E ≥ E_sub = 1 GeV, consecutive among themselves (sampled sequences hold many softer "
       "emissions the data never has; their energies are replayed from the stored seed and z).\n")
    w ("| clustering | jets | C ± stat. error | ⟨Δφ⟩ | pairs | C(E ≥ 1 GeV) | pairs |")
    w ("|---|---|---|---|---|---|---|")
    out.extend (rows)
    losses = []
    for alg in ("printer", "antikt"):
      for loc in ("global", "local"):
        p = P (f"qhi-{alg}-{loc}.h5")
        if os.path.exists (p):
          with h5py.File (p, "r") as f:
            vl = None
            for k in ("history/val_loss", "history/validation_loss", "training/val_loss"):
              if k in f:
                vl = float (f[k][-1])
                break
          losses.append (f"{alg}-{loc}: {fmt (vl, 2)}")
    if losses:
      w ("\nFinal validation loss (mean −ln P_jet): " + "; ".join (losses) + "\n")
    w ("Commands: " + cmd_ref (cmds, "train-qhi-antikt-local", "sample-qhi-antikt-local",
                                "cluster-qhi-test-antikt") + " (and the same for the others)\n")

  # ---- wall times ----
  if cmds:
    w ("## Wall time per step\n")
    w ("| step | s | command |")
    w ("|---|---|---|")
    for s, (sec, c) in cmds.items ():
      w (f"| {s} | {sec} | `{c}` |")
  print ("\n".join (out))


if __name__ == "__main__":
  main ()
