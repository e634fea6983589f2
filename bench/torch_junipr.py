#!/usr/bin/python3
"""torch_junipr.py — the JUNIPR network in PyTorch, as a timing peer for bench-train.

Same network as src/core/jx-model.c (DESIGN.md §4) at the same sizes: H = 100 tanh RNN seeded
by Dense(4→H) of the jet, P_end (H→100→1, sigmoid), P_mother (H→100→M = 100, softmax over the
first t outputs), and the branch head, `joint` ([h; k_m] 104→100→G⁴ = 10⁴ softmax) or
`factorized` (four heads z, θ, δ, φ of [h; k_m; earlier coordinates] →100→G = 10 softmax).
Loss: mean over the batch of −ln P_jet (sum of the end, mother and branch cross-entropies of
every step of the jet). Training is Adam (lr 1e-4) at batch 100, evaluation is ln P_jet of
every jet (no gradient) at batch 100.

It is written to be fast, as a fair peer: every batch is laid out once, before timing, like a
packed sequence (jets sorted by length, rows ordered by (step, jet)); the RNN is torch's
nn.RNN over a PackedSequence, and every head is one matmul per layer over all steps of all
jets of the batch (the joint head's logits are one (rows, 10⁴) matrix). --threads N sets
torch.set_num_threads(N) and OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = N before torch loads.

Inputs: the jet lengths (particles per jet) come from a file written by
`bench-train --lengths FILE` (the same synthetic jets bench-train trains on), one per line;
the scaled features are uniform random numbers and the targets random valid classes (the
time does not depend on the values). Without a file, lengths are uniform in 20–60.

Usage: torch_junipr.py --branch joint|factorized --threads N --mode train|eval
                       [--lengths FILE] [--jets N] [--batch 100] [--epochs 1]
Prints one line: "torch <branch> <mode> threads=N jets=J wall=S cpu=S jets/s=R jets/cpu-s=R".
"""
import argparse
import os
import random
import sys
import time


def _threads_from_argv():
    """--threads N, read before torch is imported: Debian's torch does its matmuls with
    OpenBLAS, whose own thread pool ignores torch.set_num_threads (without this, a
    "1-thread" run used both cores)."""
    for i, a in enumerate(sys.argv):
        if a == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


os.environ["OPENBLAS_NUM_THREADS"] = _threads_from_argv()
os.environ["OMP_NUM_THREADS"] = _threads_from_argv()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.rnn import PackedSequence  # noqa: E402

H, D, M, G = 100, 100, 100, 10


class Junipr(nn.Module):
    def __init__(self, branch):
        super().__init__()
        self.branch = branch
        self.init = nn.Linear(4, H)
        self.rnn = nn.RNN(8, H, nonlinearity="tanh")
        self.end = nn.Sequential(nn.Linear(H, D), nn.ReLU(), nn.Linear(D, 1))
        self.mother = nn.Sequential(nn.Linear(H, D), nn.ReLU(), nn.Linear(D, M))
        if branch == "joint":
            self.heads = nn.ModuleList([nn.Sequential(nn.Linear(H + 4, D), nn.ReLU(),
                                                      nn.Linear(D, G ** 4))])
        else:
            self.heads = nn.ModuleList([nn.Sequential(nn.Linear(H + 4 + k, D), nn.ReLU(),
                                                      nn.Linear(D, G)) for k in range(4)])

    def forward(self, b):
        """Per-row log-probabilities: end (S,), mother (B,), branch (B,) — or their sums."""
        h1 = torch.tanh(self.init(b["seed"]))                       # (J, H)
        packed = PackedSequence(b["din"], b["batch_sizes"])
        out, _ = self.rnn(packed, h1.unsqueeze(0))                   # rows (t, jet), t ≥ 2
        hs = torch.cat([h1, out.data], 0)                            # all states (S, H)
        end_logit = self.end(hs).squeeze(1)
        lp_end = -F.binary_cross_entropy_with_logits(end_logit, b["end_y"], reduction="none")
        hb = hs.index_select(0, b["hrow"])                           # h_t of each branching
        ml = self.mother(hb).masked_fill(b["mother_mask"], float("-inf"))
        lp = -F.cross_entropy(ml, b["mother_target"], reduction="none")
        for k, head in enumerate(self.heads):
            u = torch.cat([hb, b["km"], b["xs"][:, :k]], 1)
            lp = lp - F.cross_entropy(head(u), b["target"][k], reduction="none")
        return lp_end, lp


def make_batch(lengths, branch, gen):
    """One batch laid out like a packed sequence (see the module comment)."""
    lengths = sorted(lengths, reverse=True)
    J, T = len(lengths), lengths[0]
    count = [sum(1 for n in lengths if n >= t) for t in range(T + 2)]
    start, row = [0] * (T + 2), 0
    for t in range(1, T + 2):
        start[t] = row
        row += count[t]
    S = sum(lengths)
    B = S - J
    end_y = torch.zeros(S)
    hrow, mother_t, jet_of_row = [], [], [0] * S
    for t in range(1, T + 1):
        for c in range(count[t]):
            r = start[t] + c
            jet_of_row[r] = c
            if lengths[c] == t:
                end_y[r] = 1.0
            else:
                hrow.append(r)
                mother_t.append(t)
    # Branching rows in (t, jet) order, i.e. the order of the packed RNN inputs.
    mother_t = torch.tensor(mother_t)
    batch = {
        "seed": torch.rand(J, 4, generator=gen),
        "din": torch.rand(B, 8, generator=gen),
        "batch_sizes": torch.tensor(count[2:T + 1], dtype=torch.int64),
        "end_y": end_y,
        "hrow": torch.tensor(hrow, dtype=torch.int64),
        "mother_mask": torch.arange(M).unsqueeze(0) >= mother_t.unsqueeze(1),
        "mother_target": (torch.rand(B, generator=gen) * mother_t).long(),
        "km": torch.rand(B, 4, generator=gen),
        "xs": torch.rand(B, 4, generator=gen),
        "jet_of_row": torch.tensor(jet_of_row, dtype=torch.int64),
        "jet_of_branch": torch.tensor([jet_of_row[r] for r in hrow], dtype=torch.int64),
        "J": J,
    }
    K = G ** 4 if branch == "joint" else G
    n_heads = 1 if branch == "joint" else 4
    batch["target"] = [torch.randint(0, K, (B,), generator=gen) for _ in range(n_heads)]
    return batch


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--branch", choices=["joint", "factorized"], default="joint")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--mode", choices=["train", "eval"], default="train")
    ap.add_argument("--lengths", help="file with one jet length per line (bench-train --lengths)")
    ap.add_argument("--jets", type=int, default=200, help="jets when no --lengths file")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=1)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    if a.lengths:
        with open(a.lengths) as f:
            lengths = [int(x) for x in f.read().split()]
    else:
        rnd = random.Random(1)
        lengths = [rnd.randint(20, 60) for _ in range(a.jets)]
    gen = torch.Generator().manual_seed(2)
    batches = [make_batch(lengths[i:i + a.batch], a.branch, gen)
               for i in range(0, len(lengths), a.batch)]
    model = Junipr(a.branch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)

    def train_step(b):
        opt.zero_grad(set_to_none=True)
        lp_end, lp = model(b)
        loss = -(lp_end.sum() + lp.sum()) / b["J"]
        loss.backward()
        opt.step()
        return loss.item()

    def eval_step(b):
        with torch.inference_mode():
            lp_end, lp = model(b)
            log_p = torch.zeros(b["J"], dtype=torch.float64)
            log_p.index_add_(0, b["jet_of_row"], lp_end.double())
            log_p.index_add_(0, b["jet_of_branch"], lp.double())
        return log_p

    step = train_step if a.mode == "train" else eval_step
    model.train(a.mode == "train")
    step(batches[0])   # warm-up: allocator, thread pool, OpenBLAS buffers
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.epochs):
        for b in batches:
            step(b)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    n = len(lengths) * a.epochs
    print(f"torch {a.branch} {a.mode} threads={a.threads} jets={n} wall={wall:.4f} cpu={cpu:.4f} "
          f"jets/s={n / wall:.2f} jets/cpu-s={n / cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
