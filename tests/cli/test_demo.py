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
if len(rows) == 2:
    q, z = rows["quark jets (qq)"], rows["Z jets (ZZ -> 4q)"]
    T.check(q[0] == 300 and z[0] == 300, "300 jets per sample")
    # Z jets: mass near m_Z and two-prong (smaller tau21) compared with quark jets.
    T.check(70 < z[2] < 110, f"<m> of Z jets near 91 GeV: {z[2]}")
    T.check(z[3] < q[3], f"median tau21 lower for Z jets: {z[3]} vs {q[3]}")
    T.check(z[4] > q[4], f"<z1> larger for Z jets: {z[4]} vs {q[4]}")
    T.check(q[1] > 3 and z[1] > 3, "several subjets per jet")
    T.check(q[6] > 0 and z[6] > 0, "generation rates printed")
T.check(re.search(r"^\s+1\s+0\s+[\d.]+\s+0\.\d+", out, re.M) is not None, "example sequence starts at t = 1, m = 0")
rc2, out2, err2 = run(EXE, ["demo", "--jets", "300", "--seed", "5", "--threads", "1"])
strip = lambda s: [re.sub(r"\s+\d+$", "", line) for line in s.splitlines()]  # noqa: E731
T.check(rc2 == 0 and strip(out2) == strip(out), "demo is reproducible (apart from the rate column)")
T.done()
