"""Table-driven bad-input test of the `junipr` tool. Every row: the command line, the input it
gets (made here), and what must happen: exit status 1, exactly one line on stderr of the form
"junipr <cmd>: ..." containing the expected words, and no output file and no *.tmp-* file
left behind. Usage: test_bad_input.py JUNIPR_EXE"""

import math
import os
import shutil
import stat
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import Checker, leftovers, massless, run, write_dataset  # noqa: E402

EXE = os.path.abspath(sys.argv[1])
T = Checker("cli-bad-input")

GOOD_JETS = [[massless(300.0, 0.05, 0.3), massless(150.0, 0.2, 2.0), massless(50.0, 0.3, 4.0)],
             [massless(500.0, 0.0, 0.0)],
             [massless(200.0, 1.0, 1.0), massless(200.0, 1.1, 1.2)]]


# ---- inputs ---------------------------------------------------------------------------

def good_h5(path):
    write_dataset(path, GOOD_JETS)


def with_particle(value):
    """A dataset whose jet 1, particle 0 is replaced by value."""
    def make(path):
        jets = [list(j) for j in GOOD_JETS]
        jets[1] = [value]
        write_dataset(path, jets)
    return make


def empty_jet_h5(path):
    write_dataset(path, [GOOD_JETS[0], [], GOOD_JETS[2]])


def soft_jet_h5(path):
    """Jet 1 has only particles below the default E_sub = 1 GeV."""
    write_dataset(path, [GOOD_JETS[0], [massless(0.4, 0.1, 0.1), massless(0.3, 0.2, 0.2)],
                         GOOD_JETS[2]])


def long_jet_h5(path):
    """Jet 0 has 6 well separated hard particles: more than a model with M = 4 takes."""
    write_dataset(path, [[massless(80.0, 0.3 * k, 1.0 * k) for k in range(6)]] + GOOD_JETS)


def big_h5(path):
    """A few hundred kB so truncation and corruption hit the data, not just the header."""
    rng = np.random.default_rng(1)
    jets = [[massless(e, t, f) for e, t, f in zip(rng.uniform(1, 50, 40), rng.uniform(0, 0.5, 40),
                                                 rng.uniform(0, 6.28, 40))] for _ in range(300)]
    write_dataset(path, jets)


def truncated_h5(path):
    big_h5(path)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size * 6 // 10)


def corrupt_h5(path):
    """Valid HDF5 signature, garbage everywhere after the superblock."""
    big_h5(path)
    size = os.path.getsize(path)
    rng = np.random.default_rng(2)
    with open(path, "r+b") as f:
        f.seek(48)
        f.write(rng.integers(0, 256, size - 48, dtype=np.uint8).tobytes())


def model_h5(path):
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "junipr-model"
        f.attrs["version"] = np.int32(1)
        f.create_group("weights")


def plain_h5(path):
    with h5py.File(path, "w") as f:
        f.create_dataset("x", data=np.arange(10.0))


def text_file(content):
    def make(path):
        with open(path, "w") as f:
            f.write(content)
    return make


GOOD_TEXT = "J 0\nN 2\n10.0 0.0 0.0 10.0\n0.0 5.0 0.0 5.0\n"


def parent_is_file(path):
    good_h5(path)
    with open(os.path.join(os.path.dirname(path), "afile"), "w") as f:
        f.write("x")


# ---- the table --------------------------------------------------------------------------
# Text-import errors name the file and line as FILE:LINE (the jet's J line for a bad particle).
# args: {in} = the input made by setup, {out} = the output path that must not appear,
# {tmp} = the row's directory. words: all must appear in the error line (case-insensitive).

ROWS = [
    # physics of the particles
    ("NaN momentum", ["cluster", "{in}", "--json", "-o", "{out}"], with_particle((float("nan"), 0, 0, 1)),
     ["jet 1", "particle 0", "finite"]),
    ("Inf momentum", ["observables", "{in}", "-o", "{out}"], with_particle((float("inf"), 0, 0, 1)),
     ["jet 1", "finite"]),
    ("negative energy", ["cluster", "{in}", "--json", "-o", "{out}"], with_particle((-5.0, 0, 0, -5.0)),
     ["jet 1", "negative energy"]),
    ("E below |p|", ["observables", "{in}", "-o", "{out}"], with_particle((1.0, 0, 0, 3.0)),
     ["jet 1", "energy below momentum"]),
    ("empty jet", ["cluster", "{in}", "--json", "-o", "{out}"], empty_jet_h5, ["jet 1", "no particles"]),
    ("no subjet above E_sub", ["cluster", "{in}", "--json", "-o", "{out}"], soft_jet_h5,
     ["jet 1", "--skip-bad"]),
    ("no subjet above E_sub (observables)", ["observables", "{in}", "-o", "{out}"], soft_jet_h5,
     ["jet 1", "e_sub"]),
    ("NaN in text import", ["import", "{in}", "--format", "text", "-o", "{out}"],
     text_file("J 0\nN 2\n10.0 0.0 0.0 10.0\n0.0 nan 0.0 5.0\n"),
     ["in.txt:1:", "jet 0", "particle 1", "finite"]),
    ("negative energy in text import", ["import", "{in}", "--format", "text", "-o", "{out}"],
     text_file("J 0\nN 2\n10.0 0.0 0.0 10.0\n0.0 5.0 0.0 -5.0\n"),
     ["in.txt:1:", "particle 1", "negative energy"]),
    ("E below |p| in text import", ["import", "{in}", "--format", "text", "-o", "{out}"],
     text_file("J 0\nN 2\n10.0 0.0 0.0 10.0\n0.0 5.0 0.0 1.0\n"),
     ["in.txt:1:", "particle 1", "energy below momentum"]),
    ("malformed text line", ["import", "{in}", "--format", "text", "-o", "{out}"],
     text_file("J 0\nN 2\n10.0 0.0 0.0 10.0\n0.0 5.0 zero 5.0\n"), ["in.txt:4:", "'zero'"]),
    ("text jet shorter than N", ["import", "{in}", "--format", "text", "-o", "{out}"],
     text_file("J 0\nN 3\n10.0 0.0 0.0 10.0\n0.0 5.0 0.0 5.0\nJ 1\nN 1\n1 0 0 1\n"),
     ["in.txt:5:", "N 3"]),
    ("empty jet in text", ["import", "{in}", "--format", "text", "-o", "{out}"],
     text_file("J 0\nN 0\nJ 1\nN 1\n1 0 0 1\n"), ["in.txt:1:", "jet 0", "no particles"]),
    ("jet longer than the model's maximum", ["train", "{in}", "--max-mult", "4", "--hidden", "4",
                                             "--dense", "8", "--branch", "factorized", "--epochs", "1",
                                             "--checkpoint", "none", "-o", "{out}"],
     long_jet_h5, ["jet 0", "6 particles", "maximum multiplicity", "--skip-long"]),
    # files that are not what they claim
    ("truncated HDF5", ["cluster", "{in}", "--json", "-o", "{out}"], truncated_h5, ["in.h5"]),
    ("truncated HDF5 (info)", ["info", "{in}"], truncated_h5, ["in.h5"]),
    ("corrupt HDF5", ["observables", "{in}", "-o", "{out}"], corrupt_h5, ["in.h5"]),
    ("model file given as dataset", ["cluster", "{in}", "--json", "-o", "{out}"], model_h5,
     ["junipr-model", "not a dataset"]),
    ("HDF5 without format", ["observables", "{in}", "-o", "{out}"], plain_h5, ["in.h5"]),
    ("text file given as dataset", ["info", "{in}"], text_file(GOOD_TEXT), ["in.h5"]),
    ("missing input", ["cluster", "{tmp}/nope.h5", "--json", "-o", "{out}"], None, ["file not found", "nope.h5"]),
    ("missing import input", ["import", "{tmp}/nope.txt", "-o", "{out}"], None, ["file not found"]),
    ("input is a directory", ["info", "{tmp}"], None, ["directory"]),
    # command lines
    ("--jets abc", ["generate", "--jets", "abc", "-o", "{out}"], None, ["--jets", "abc"]),
    ("--jets -5", ["generate", "--jets", "-5", "-o", "{out}"], None, ["--jets", "-5"]),
    ("--jets 0", ["generate", "--jets", "0", "-o", "{out}"], None, ["--jets", "range"]),
    ("--alpha-s too large", ["generate", "--jets", "10", "--alpha-s", "0.5", "-o", "{out}"], None,
     ["--alpha-s", "range"]),
    ("--alpha-s nan", ["generate", "--jets", "10", "--alpha-s", "nan", "-o", "{out}"], None, ["--alpha-s"]),
    ("--sqrt-s 1e3x", ["generate", "--jets", "10", "--sqrt-s", "1e3x", "-o", "{out}"], None, ["--sqrt-s"]),
    ("unknown process", ["generate", "--process", "ww", "--jets", "10", "-o", "{out}"], None,
     ["process", "ww"]),
    ("empty mass window", ["generate", "--jets", "10", "--mass-window", "92,91", "-o", "{out}"], None,
     ["--mass-window"]),
    ("bad energy window", ["generate", "--jets", "10", "--energy-window", "450", "-o", "{out}"], None,
     ["--energy-window"]),
    ("kernel with 7 numbers", ["generate", "--jets", "10", "--kernel", "1,1,0,1,1,0,1", "-o", "{out}"], None,
     ["--kernel"]),
    ("--threads 0", ["generate", "--jets", "10", "--threads", "0", "-o", "{out}"], None, ["--threads"]),
    ("missing --jets", ["generate", "-o", "{out}"], None, ["--jets"]),
    ("missing -o", ["generate", "--jets", "10"], None, ["no output file", "-o"]),
    ("missing value", ["generate", "-o", "{out}", "--jets"], None, ["--jets", "needs a value"]),
    ("unknown option", ["generate", "--jets", "10", "--frobnicate", "-o", "{out}"], good_h5,
     ["unknown option", "--frobnicate"]),
    ("unknown algorithm", ["cluster", "{in}", "--algorithm", "siscone", "-o", "{out}"], good_h5,
     ["algorithm", "siscone"]),
    ("--esub negative", ["cluster", "{in}", "--esub", "-1", "-o", "{out}"], good_h5, ["--esub"]),
    ("--jets 5:2", ["cluster", "{in}", "--jets", "5:2", "-o", "{out}"], good_h5, ["--jets", "5:2"]),
    ("--jets a:b", ["cluster", "{in}", "--jets", "a:b", "-o", "{out}"], good_h5, ["--jets", "a:b"]),
    ("--jets beyond the file", ["cluster", "{in}", "--jets", "10:", "-o", "{out}"], good_h5,
     ["jet 10", "3 jets"]),
    ("two inputs", ["cluster", "{in}", "{in}", "-o", "{out}"], good_h5, ["unexpected argument"]),
    ("no input", ["observables", "-o", "{out}"], None, ["missing", "DATA.h5"]),
    ("observables without -o", ["observables", "{in}"], good_h5, ["no output file", "-o"]),
    ("unknown import format", ["import", "{in}", "--format", "root", "-o", "{out}"], text_file(GOOD_TEXT),
     ["--format", "root"]),
    ("unknown command", ["frobnicate"], None, ["unknown command", "frobnicate"]),
    ("demo --jets x", ["demo", "--jets", "x"], None, ["--jets"]),
    # outputs that cannot be written
    ("output directory missing", ["generate", "--jets", "10", "-o", "{tmp}/no/such/dir/out.h5"], None,
     ["does not exist", "no/such/dir"]),
    ("output parent is a file", ["observables", "{in}", "-o", "{tmp}/afile/out.csv"], parent_is_file,
     ["afile"]),
    ("output is a directory", ["import", "{in}", "-o", "{tmp}"], text_file(GOOD_TEXT), ["directory"]),
    ("output in /proc", ["generate", "--jets", "10", "-o", "/proc/junipr-test-out.h5"], None,
     ["cannot create files", "/proc"]),
    ("output directory read-only", ["generate", "--jets", "10", "-o", "{tmp}/ro/out.h5"], "readonly",
     ["not writable"]),
]


def unprivileged():
    """The command prefix that runs a program as the user `nobody` (util-linux setpriv), for the
    rows root would pass anyway; fails the test, rather than skipping the row, when there is none."""
    import pwd
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        nobody = None
    if nobody is None or not os.access(setpriv, os.X_OK):
        T.check(False, "running as root, and no user 'nobody' or no setpriv (util-linux) to run "
                "the read-only row unprivileged")
        return []
    return [setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]


def run_row(name, args, setup, words):
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.h5" if "import" not in args else "in.txt")
        out = os.path.join(tmp, "out.h5")
        as_user = []
        if setup == "readonly":
            os.mkdir(os.path.join(tmp, "ro"))
            os.chmod(os.path.join(tmp, "ro"), stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP
                     | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
            if os.geteuid() == 0:
                # Root writes anywhere: run this row as an unprivileged user (CI runs as root).
                os.chmod(tmp, 0o755)
                as_user = unprivileged()
        elif setup is not None:
            setup(inp)
        before = set(os.listdir(tmp))
        argv = [a.format(tmp=tmp, out=out) if a != "{in}" else inp for a in args]
        rc, o, err = run(as_user[0], as_user[1:] + [EXE] + argv) if as_user else run(EXE, argv)
        lines = err.splitlines()
        cmd = args[0] if args[0] != "frobnicate" else None
        prefix = f"junipr {cmd}: " if cmd else "junipr: "
        T.check(rc == 1, f"[{name}] exit status {rc}, want 1 (stderr {err!r})")
        T.check(len(lines) == 1, f"[{name}] want exactly one stderr line, got {lines!r}")
        if lines:
            line = lines[0]
            T.check(line.startswith(prefix), f"[{name}] line starts with {prefix!r}: {line!r}")
            missing = [w for w in words if w.lower() not in line.lower()]
            T.check(not missing, f"[{name}] words {missing} not in {line!r}")
        T.check(not os.path.exists(out), f"[{name}] output file left behind")
        T.check(leftovers(tmp) == [], f"[{name}] temporary files left: {leftovers(tmp)}")
        T.check(set(os.listdir(tmp)) == before, f"[{name}] new files: {set(os.listdir(tmp)) - before}")
        if setup == "readonly":
            os.chmod(os.path.join(tmp, "ro"), stat.S_IRWXU)


def skip_bad_rows():
    """--skip-bad turns the per-jet errors into a count, the good jets still come out."""
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.h5")
        jets = [list(j) for j in GOOD_JETS]
        jets.insert(1, [(float("nan"), 0, 0, 1)])
        jets.insert(2, [massless(0.3, 0.1, 0.1)])
        write_dataset(inp, jets)
        rc, o, err = run(EXE, ["cluster", inp, "--json", "--skip-bad"])
        got = [line.split(",")[0] for line in o.splitlines()]
        T.check(rc == 0 and got == ['{"jet": 0', '{"jet": 3', '{"jet": 4'],
                f"cluster --skip-bad keeps the good jets with their indices: {got} {err!r}")
        T.check("skipped 2 jets" in err, f"cluster --skip-bad counts: {err!r}")
        out = os.path.join(tmp, "o.csv")
        rc, o, err = run(EXE, ["observables", inp, "--skip-bad", "-o", out, "-q"])
        T.check(rc == 0 and [line.split(",")[0] for line in open(out)] == ["jet", "0", "3", "4"],
                f"observables --skip-bad: {err!r}")


def main():
    names = set()
    for name, args, setup, words in ROWS:
        T.check(name not in names, f"duplicate row name {name}")
        names.add(name)
        run_row(name, args, setup, words)
    skip_bad_rows()
    T.done()


main()
