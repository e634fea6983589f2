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
T.check(rc == 0 and err == "", f"demo: rc {rc}, stderr {err!r}")
rows = {}
for line in out.splitlines():
    m = re.match(r"^(quark jets \(qq\)|Z jets \(ZZ -> 4q\))\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                 r"\s+([\d.]+)\s+([\d.]+)%\s+(\d+)$", line)
    if m:
        rows[m.group(1)] = [float(x) for x in m.groups()[1:]]
T.check(len(rows) == 2, f"two sample rows in the table: {out!r}")

def near(what, ours, ref, sigma, allowance=0.0):
    """PHYSICS: within 4 sigma of the reference (sigma of a 300-jet sample, from the spread the
    reference implies), plus a stated allowance for a documented difference."""
    T.check(abs(ours - ref) <= 4 * sigma + allowance,
            f"{what}: {ours} vs {ref} (4 sigma = {4 * sigma:.3f}, allowance {allowance})")


N = 300
if len(rows) == 2:
    q, z = rows["quark jets (qq)"], rows["Z jets (ZZ -> 4q)"]
    T.check(q[0] == N and z[0] == N, "300 jets per sample")
    # PHYSICS against docs/PHYSICS.md §6.1 (numpy reference, E window, no mass window). The
    # spread of each observable is its quoted error times sqrt(jets): Z <m> 90.0 +- 0.05 at
    # 60000 jets (sd 12.2 GeV, a long low-mass tail: sigma 0.71 GeV here), <n> 4.18 +- 0.006
    # (sd 1.47, sigma 0.085); quark <m> 93.5 +- 0.2 at 109883 (sd 66 GeV, sigma 3.8), <n>
    # 5.13 +- 0.009 (sd 3.0, sigma 0.17); n <= 2 fractions 12.6 % and 18.3 % (binomial).
    # Quark jets carry the C shower's documented extra radiation (docs/PHYSICS.md §9.3:
    # +1.5 % in <n>, +2.5 % in <m>).
    near("Z <m> [GeV]", z[2], 90.0, 12.2 / N ** 0.5)
    near("Z <n>", z[1], 4.18, 1.47 / N ** 0.5)
    near("quark <m> [GeV]", q[2], 93.5, 66.0 / N ** 0.5, 0.025 * 93.5)
    near("quark <n>", q[1], 5.13, 3.0 / N ** 0.5, 0.015 * 5.13)
    near("Z n <= 2 [%]", z[5], 12.6, 100 * (0.126 * 0.874 / N) ** 0.5)
    near("quark n <= 2 [%]", q[5], 18.3, 100 * (0.183 * 0.817 / N) ** 0.5)
    # PHYSICS (shape): two-prong Z jets have the smaller tau21 and the harder first splitting.
    T.check(z[3] < q[3], f"median tau21 lower for Z jets: {z[3]} vs {q[3]}")
    T.check(z[4] > q[4], f"<z1> larger for Z jets: {z[4]} vs {q[4]}")
    T.check(q[6] > 0 and z[6] > 0, "generation rates printed")
T.check(re.search(r"^\s+1\s+0\s+[\d.]+\s+0\.\d+", out, re.M) is not None, "example sequence starts at t = 1, m = 0")
rc2, out2, err2 = run(EXE, ["demo", "--jets", "300", "--seed", "5", "--threads", "1"])
strip = lambda s: [re.sub(r"\s+\d+$", "", line) for line in s.splitlines()]  # noqa: E731
T.check(rc2 == 0 and strip(out2) == strip(out), "demo is reproducible (apart from the rate column)")
T.done()
