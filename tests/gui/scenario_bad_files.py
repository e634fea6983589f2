"""Bad files through the Open dialog: clear toasts, the app stays usable; models of different
clusterings are reported."""
import os, subprocess, time
from jxgui import *


def run(app, win):
    work = os.environ["JX_GUI_WORK"]
    cli = os.environ["JX_CLI"]
    src = os.environ["JX_SOURCE_ROOT"]
    good = os.path.join(work, "good.h5")
    subprocess.run([cli, "generate", "--process", "qq", "--jets", "300", "--seed", "5", "-o", good],
                   check=True, stdout=subprocess.DEVNULL)
    # A corrupt HDF5 file: a real dataset cut in half.
    corrupt = os.path.join(work, "corrupt.h5")
    with open(good, "rb") as f:
        blob = f.read()
    with open(corrupt, "wb") as f:
        f.write(blob[: len(blob) // 2])
    text = os.path.join(work, "notes.h5")
    with open(text, "w") as f:
        f.write("not an HDF5 file\n")
    # A model trained on kt trees, next to the C/A demo model.
    kt = os.path.join(work, "kt-model.h5")
    subprocess.run([cli, "train", good, "--algorithm", "kt", "--branch", "factorized", "--hidden", "4",
                    "--dense", "4", "--schedule", "fast", "--epochs", "1", "--threads", "1",
                    "--checkpoint", "none", "-q", "-o", kt], check=True)

    for path, expect in ((corrupt, "corrupt.h5"), (text, "notes.h5")):
        # The app says exactly what the library says about the file (as `junipr info` does).
        why = cli_stderr_line(["info", path])
        if not why.startswith("junipr info: " + path + ": "):
            raise Fail("junipr info should name the file: %r" % why)
        want = "Open %s failed: %s" % (expect, why[len("junipr info: "):])
        open_through_dialog(app, win, path)
        line = wait_for("failure toast for " + expect,
                        lambda: [l for l in log_has("toast Open " + expect) if "failed" in l], 30)
        print("log:", line[0])
        if line[0] != "jx-test: toast " + want:
            raise Fail("the toast should be %r: %r" % (want, line[0]))
        lab = wait_for("the toast on screen", lambda: toast_on_screen(win, expect + " failed"), 20)
        print("on screen:", lab.name)
        if lab.name != want:
            raise Fail("the toast on screen should be %r: %r" % (want, lab.name))
        screenshot("bad-file-" + expect.replace(".h5", ""))

    # Still usable: a good dataset and two models with different clusterings.
    open_through_dialog(app, win, good)
    wait_for("good dataset loaded", lambda: log_has("job-finished kind=0 state=2 title=Open good.h5"), 30)
    open_through_dialog(app, win, os.path.join(src, "data", "models", "quark-model.h5"))
    wait_for("model A", lambda: log_has("job-finished kind=0 state=2 title=Open quark-model.h5"), 30)
    open_through_dialog(app, win, kt)
    wait_for("model B", lambda: log_has("job-finished kind=0 state=2 title=Open kt-model.h5"), 30)
    line = wait_for("clustering mismatch message", lambda: log_has("toast Models A and B use different"), 20)
    print("log:", line[0])
    want = ("Models A and B use different clusterings (ca vs kt): the per-jet log LR is shown, "
            "the per-node LR is not; pick models trained on the same clustering")
    if line[0] != "jx-test: toast " + want:
        raise Fail("the mismatch toast should name both clusterings (ca vs kt): %r" % line[0])
    lab = wait_for("mismatch toast on screen", lambda: toast_on_screen(win, "different clusterings"), 20)
    if lab.name != want:
        raise Fail("the mismatch toast on screen: %r" % lab.name)
    screenshot("bad-file-clustering")
    wait_for("tree of jet 0", lambda: tree_state(win).startswith("tree: jet 0,"), 30)
    click(find(win, "push button", "Next jet"))
    st = wait_for("tree of jet 1", lambda: (lambda d: d if "jet 1," in d else None)(tree_state(win)), 30)
    print("still usable:", st)
    # Both models scored the data, each with its own clustering.
    scored = wait_for("scores", lambda: (lambda l: l if len(l) >= 2 else None)(
        log_has("job-finished kind=4 state=2")), 60)
    print("scored:", scored)
    return 0
