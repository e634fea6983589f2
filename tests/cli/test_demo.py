"""`junipr demo` (the README's first command): runs, prints the per-sample table with sane
physics, and one declustering sequence. Usage: test_demo.py JUNIPR_EXE"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, run  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-demo")

rc, out, err = run(EXE, ["demo", "--jets", "300", "--seed", "5"])
# Off a terminal, work longer than a few seconds prints a plain progress line now and then
# (README: CLI conventions); a slow run (a sanitizer build: hadron-level generation is ~5x the
# parton level's work) gets some. Anything else on stderr is a failure.
noise = [l for l in err.splitlines() if not re.match(r"^junipr demo: [a-z ]+: \d+% \(\d+/\d+\)", l)]
T.check(rc == 0 and noise == [], f"demo: rc {rc}, stderr {err!r}")
rows = {}
for line in out.splitlines():
    m = re.match(r"^(quark jets \(qq\)|Z jets \(ZZ -> 4q\))\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                 r"\s+([\d.]+)\s+([\d.]+)%\s+(\d+)$", line)
    if m:
        rows[m.group(1)] = [float(x) for x in m.groups()[1:]]
T.check(len(rows) == 2, f"two sample rows in the table: {out!r}")

def near(what, ours, ref, sigma, allowance=0.0):
    """Within 4 sigma of the reference (sigma of a 300-jet sample, from the spread the
    reference implies), plus a stated allowance for a documented difference."""
    T.check(abs(ours - ref) <= 4 * sigma + allowance,
            f"{what}: {ours} vs {ref} (4 sigma = {4 * sigma:.3f}, allowance {allowance})")


N = 300
if len(rows) == 2:
    q, z = rows["quark jets (qq)"], rows["Z jets (ZZ -> 4q)"]
    T.check(q[0] == N and z[0] == N, "300 jets per sample")
    # The demo runs at hadron level (the generator's default since issue #14), so
    # docs/PHYSICS.md §6.1's parton-level numbers no longer apply to it; test-generator keeps
    # checking them at parton level.
    # PHYSICS: quark <n> against the paper's Pythia 8 quark jets, ~11 subjets (read off its
    # validation plot: +-0.5 allowed for the reading); sd 6.8 of our hadron-level jets.
    near("quark <n>", q[1], 11.0, 6.8 / N ** 0.5, 0.5)
    # REGRESSION PINS (why: the hadron-level defaults of docs/HADRONIZATION.md §4, measured with
    # junipr generate + observables on 20000 jets per sample, seeds 21 and 22): Z <n> 8.56
    # (sd 3.1), Z <m> 87.9 GeV (sd 10.1), quark <m> 93.3 GeV (sd 76), n <= 2 fractions 0.35 %
    # and 2.7 % (binomial). They catch a change of the shower or the hadronisation.
    near("Z <m> [GeV]", z[2], 87.9, 10.1 / N ** 0.5)
    near("Z <n>", z[1], 8.56, 3.1 / N ** 0.5)
    near("quark <m> [GeV]", q[2], 93.3, 76.0 / N ** 0.5)
    near("Z n <= 2 [%]", z[5], 0.35, 100 * (0.0035 * 0.9965 / N) ** 0.5 + 100 / N)
    near("quark n <= 2 [%]", q[5], 2.7, 100 * (0.027 * 0.973 / N) ** 0.5)
    # PHYSICS (shape): two-prong Z jets have the smaller tau21 and the harder first splitting.
    T.check(z[3] < q[3], f"median tau21 lower for Z jets: {z[3]} vs {q[3]}")
    T.check(z[4] > q[4], f"<z1> larger for Z jets: {z[4]} vs {q[4]}")
    T.check(q[6] > 0 and z[6] > 0, "generation rates printed")
T.check(re.search(r"^\s+1\s+0\s+[\d.]+\s+0\.\d+", out, re.M) is not None, "example sequence starts at t = 1, m = 0")
rc2, out2, err2 = run(EXE, ["demo", "--jets", "300", "--seed", "5", "--threads", "1"])
strip = lambda s: [re.sub(r"\s+\d+$", "", line) for line in s.splitlines()]  # noqa: E731
T.check(rc2 == 0 and strip(out2) == strip(out), "demo is reproducible (apart from the rate column)")
T.done()
