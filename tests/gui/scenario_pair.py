"""A JUNIPR-binary pair (`junipr train-binary`) opened through the Open dialog becomes models A
(signal) and B (background): two library rows named after the file, and the Tree page's
likelihood-ratio labels come from the pair. The signal model has a hierarchical branch head,
so the log P labels also show that head's per-step scores in the app."""
import os
import subprocess

from jxgui import *


def cli(*args):
    subprocess.run([os.environ["JX_CLI"], *args, "-q"], check=True, timeout=300)


def run(app, win):
    work = os.environ["JX_GUI_WORK"]
    p = lambda name: os.path.join(work, name)
    cli("generate", "--process", "zz", "--jets", "120", "--seed", "5", "--threads", "1",
        "-o", p("z.h5"))
    cli("generate", "--process", "qq", "--jets", "120", "--seed", "6", "--threads", "1",
        "-o", p("q.h5"))
    tiny = ["--hidden", "8", "--dense", "8", "--schedule", "fast", "--epochs", "1",
            "--threads", "1", "--checkpoint", "none"]
    cli("train", p("z.h5"), "--branch", "hierarchical", "--granularity", "3x2", *tiny,
        "-o", p("z-model.h5"))
    cli("train", p("q.h5"), "--branch", "factorized", *tiny, "-o", p("q-model.h5"))
    cli("train-binary", "--signal-model", p("z-model.h5"), "--background-model", p("q-model.h5"),
        "--signal", p("z.h5"), "--background", p("q.h5"), "--epochs", "1", "--threads", "1",
        "--checkpoint", "none", "-o", p("pair.h5"))

    wait_for("the demo", lambda: log_has("demo-ready"), 180)
    open_through_dialog(app, win, p("pair.h5"))
    wait_for("pair.h5 opened", lambda: log_has("job-finished kind=0 state=2 title=Open pair.h5"), 60)
    for role in ("signal", "background"):
        wait_for("library row pair.h5 (%s)" % role,
                 lambda: find(win, "label", "pair.h5 (%s)" % role), 20)

    # Log P labels under model A = the pair's hierarchical signal model: numbers, not a
    # placeholder.
    click(find(win, "page tab", "Tree"))
    st = wait_for("tree with log P labels",
                  lambda: (lambda d: d if "labels=logp" in d else None)(tree_state(win)), 60)
    labels = tree_labels(win)
    print("log P:", st, "|", labels)
    if "none" in labels.split(":", 1)[1][:8] or "shown=0" in st:
        raise Fail("no log P labels under the pair's signal model: %s | %s" % (st, labels))
    screenshot("pair-tree-logp")

    # LR labels: A = signal, B = background of the pair.
    choose_in_dropdown(win, "Node labels", "Down")
    st = wait_for("labels=lr", lambda: (lambda d: d if "labels=lr" in d else None)(tree_state(win)), 20)
    labels = tree_labels(win)
    print("LR:", st, "|", labels)
    if "shown=0" in st or "choose a model" in labels:
        raise Fail("no LR labels from the pair: %s | %s" % (st, labels))
    screenshot("pair-tree-lr")
    return 0
