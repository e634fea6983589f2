"""No endless loops (issue #15 item 5): `generate` with settings no jet passes stops with one
clear line -- at once when the windows cannot be reached at all, after a stated number of
jets tried in a row without one accepted otherwise (10^6 by default, --max-dry-tries) --
and shows the acceptance in its progress; absurd kernel knobs are refused; `sample` asks
for no more memory than the machine has, shows progress and stops on Ctrl-C with one line.
Usage: test-cli-endless.py JUNIPR_EXE"""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, interrupt_when_busy, leftovers, run  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
T = Checker("cli-endless")


def one_line(rc, err, *needles):
    """exit 1 and one line (besides progress lines) holding every needle."""
    lines = [ln for ln in err.strip().splitlines() if "generating jets:" not in ln]
    return rc == 1 and len(lines) == 1 and all(n in lines[0] for n in needles)


def timed(args, timeout=300):
    t0 = time.time()
    rc, out, err = run(EXE, args, timeout=timeout)
    return rc, out, err, time.time() - t0


def main():
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "g.h5")
        # Windows that nothing can reach: refused before any event.
        for extra, needle in [(["--energy-window", "2000,3000"], "--energy-window"),
                              (["--sqrt-s", "50"], "--energy-window"),
                              (["--mass-window", "1500,1600"], "--mass-window"),
                              (["--esub", "5000"], "--esub"),
                              (["--no-mec", "--kernel", "1e6,1,0,1,1,0,1,0"], "--kernel"),
                              (["--no-mec", "--kernel", "1,1,1e300,1,1,0,1,0"], "--kernel")]:
            rc, o, err, secs = timed(["generate", "--jets", "10", "-o", out] + extra)
            T.check(one_line(rc, err, needle) and secs < 30 and not os.path.exists(out),
                    f"generate {' '.join(extra)}: exit {rc} after {secs:.1f} s: {err!r}")
        # Reachable in principle, never in practice: the dry-run guard, the same for any
        # thread count (counted in event order).
        msgs = []
        for threads in ("1", "2"):
            rc, o, err, secs = timed(["generate", "--jets", "10", "--energy-window", "900,950",
                                      "--max-dry-tries", "20000", "--threads", threads,
                                      "-o", out])
            T.check(one_line(rc, err, "20000 tries in a row", "acceptance is evidently zero",
                             "--energy-window 900,950")
                    and not os.path.exists(out),
                    f"generate with a window the shower does not reach: {rc} {err!r}")
            msgs.append(err.strip().splitlines()[-1])
        T.check(msgs[0] == msgs[1], f"the guard stops at the same point on 1 and 2 threads: {msgs}")
        rc, o, err = run(EXE, ["generate", "--help"])
        T.check("--max-dry-tries" in o and "1000000" in o, "--max-dry-tries in generate --help")
        rc, o, err = run(EXE, ["generate", "--jets", "50", "--mass-window", "90.7,91.7",
                               "--process", "zz", "--max-dry-tries", "0", "-q", "-o", out])
        T.check(rc == 0, f"--max-dry-tries 0 turns the guard off: {err!r}")

        # The acceptance in the progress line (plain lines when stderr is not a terminal).
        rc, o, err, secs = timed(["generate", "--jets", "20000", "--process", "zz",
                                  "--mass-window", "90.7,91.7", "--threads", "1", "-o", out])
        progress = [ln for ln in err.splitlines() if "generating jets" in ln]
        if secs > 1.5:
            T.check(rc == 0 and progress and all("acceptance" in ln for ln in progress),
                    f"progress shows the acceptance: {err!r}")
        else:
            print(f"note: generation took {secs:.1f} s, too fast for a progress line")

        # sample: a request that cannot fit in memory is refused at once.
        model = os.path.join(ROOT, "data", "models", "quark-model.h5")
        rc, o, err, secs = timed(["sample", model, "--jets", "4294967296", "-o", out])
        T.check(one_line(rc, err, "--jets 4294967296", "GB of memory") and secs < 10,
                f"sample of 2^32 jets: {rc} {err!r}")
        # A long sample shows progress and stops on Ctrl-C with one line, no file.
        out = os.path.join(d, "sampled.h5")
        rc, err = interrupt_when_busy(EXE, ["sample", model, "--jets", "10000000", "--threads",
                                            "1", "-o", out], marker="sampling jets:")
        lines = err.strip().splitlines()
        after = [ln for ln in lines if "sampling jets:" not in ln]
        T.check(any("sampling jets:" in ln for ln in lines), f"sample shows progress: {err!r}")
        T.check(rc == 130 and len(after) == 1 and "cancelled" in after[0],
                f"sample stops on Ctrl-C with one line: {rc} {err!r}")
        T.check(not os.path.exists(out) and leftovers(d) == [],
                f"no output after Ctrl-C: {os.listdir(d)}")
    T.done()


if __name__ == "__main__":
    main()
