"""The demo as a first-time user meets it: every page, a training job started and cancelled,
the browser filtered."""
import os, time
from jxgui import *


def run(app, win):
    ready = wait_for("demo-ready in the app log", lambda: log_has("demo-ready"), 180)
    first = log_has("first-frame-ms")
    print("app:", first[0] if first else "no first-frame line", "|", ready[0])

    # The Tree page shows jet 0 of the quark sample with log10 P_t labels under model A.
    st = wait_for("tree of jet 0", lambda: (lambda d: d if d.startswith("tree: jet 0,") else None)(tree_state(win)), 60)
    print("tree page:", st, "|", tree_labels(win))
    wait_for("jet count", lambda: find(win, "label", name="2000 jets"), 60)
    screenshot("tree")

    # Select a jet: three times "Next jet".
    nxt = find(win, "push button", "Next jet")
    for k in (1, 2, 3, 4):
        click(nxt)
        wait_for("jet %d selected" % k, lambda: log_has("jet %d" % k), 20)
    st = wait_for("tree of jet 4", lambda: (lambda d: d if "jet 4," in d else None)(tree_state(win)), 30)
    labels = tree_labels(win)
    print("jet 4:", st, "|", labels)
    if "labels=logp" not in st:
        raise Fail("label mode should start at log P: " + st)
    shown = int(st.rsplit("shown=", 1)[1])
    values = [v for v in labels.split(":", 1)[1].split(",") if v.strip()]
    if shown > 0 and len(values) == 0:
        raise Fail("the canvas says %d labels are shown but the label lists none: %r" % (shown, labels))

    # Label mode: LR A vs B, then back.
    choose_in_dropdown(win, "Node labels", "Down")
    st = wait_for("labels=lr", lambda: (lambda d: d if "labels=lr" in d else None)(tree_state(win)), 20)
    print("LR mode:", st, "|", tree_labels(win))
    screenshot("tree-lr")
    choose_in_dropdown(win, "Node labels", "Up")
    st = wait_for("labels=logp again", lambda: (lambda d: d if "labels=logp" in d else None)(tree_state(win)), 20)
    print("back to log P:", st)

    # Image page.
    click(find(win, "page tab", "Image"))
    lab = wait_for("image of jet 4", lambda: find(win, "label", contains="jet 4:"), 30)
    print("image page:", lab.name)
    screenshot("image")

    # Shower page: step back and forth.
    click(find(win, "page tab", "Shower"))
    step = wait_for("shower step label", lambda: find(win, "label", contains="step "), 30)
    before = step.name
    click(find(win, "push button", "Previous step"))
    wait_for("step change", lambda: find(win, "label", contains="step ").name != before, 10)
    after = find(win, "label", contains="step ").name
    print("shower:", before, "->", after)
    screenshot("shower")
    click(find(win, "push button", "Next step"))
    wait_for("step back", lambda: find(win, "label", contains="step ").name == before, 10)

    click(find(win, "page tab", "Plots"))
    # The page computes its histograms in a worker; photograph the result, not the wait.
    try:
        wait_for("plots computed", lambda: not find(win, "label", contains="Computing"), 90)
    except Fail as e:
        print("plots page still computing:", e)
    screenshot("plots")
    click(find(win, "page tab", "Tree"))

    # A short training job: start it, watch progress advance, cancel it.
    click(find(win, "push button", "Train…"))
    dlg = wait_for("training dialog", lambda: [w for w in other_windows(app) if w.name == "Train a Model"], 20)[0]
    epochs = wait_for("epochs field", lambda: find(dlg, "spin button", "Epochs"), 10)
    try:
        epochs.queryValue().currentValue = 100000.0  # long enough to still run when cancelled on a fast machine
    except Exception as e:
        print("could not set Epochs through AT-SPI (%s); using the schedule's" % e)
    click(wait_for("Start", lambda: find(dlg, "push button", contains="Start"), 10))
    bar = wait_for("training progress bar",
                   lambda: find(win, "progress bar", desc="Train on"), 30)

    def pct():
        d = bar.description
        return float(d.rsplit(":", 1)[1].strip().rstrip("%"))
    p1 = wait_for("training progress > 0", lambda: pct() > 0 and pct(), 60)
    p2 = wait_for("training progress advancing", lambda: pct() > p1 and pct(), 60)
    print("training progress: %.0f%% -> %.0f%%" % (p1, p2))
    app_responds(win, "during training")
    screenshot("training")
    rss = rss_kib()
    click(find(win, "push button", contains="Cancel Train on"))
    done = wait_for("training cancelled", lambda: log_has("job-finished kind=3"), 60)
    if "state=4" not in done[0]:
        raise Fail("training did not end as cancelled: " + done[0])
    stall = log_has("stall job=train")
    print("responsiveness:", stall[0] if stall else "no stall line")
    wait_for("cancel toast", lambda: log_has("toast Train on"), 10)

    # Still usable: the browser moves on, and no file was left behind.
    click(nxt)
    wait_for("tree of jet 5", lambda: "jet 5," in tree_state(win), 30)
    data = os.path.join(os.environ["JX_GUI_WORK"], "data", "junipr-explorer")
    left = sorted(os.listdir(data)) if os.path.isdir(data) else []
    if any(".tmp" in f or f.startswith("model-") for f in left):
        raise Fail("files left after a cancelled training job: %r" % left)
    print("output directory after cancel:", left)

    # Filter the browser as a person would type it.
    entry = find(win, "entry", "Filter jets")
    try:
        entry.queryEditableText().setTextContents("n>10 mass<300")
        typed = True
    except Exception as e:
        print("cannot type into the filter through AT-SPI here (%s)" % e)
        typed = False
    if typed:
        lab = wait_for("filtered count", lambda: find(win, "label", contains=" of 2000 jets"), 30)
        print("filter 'n>10 mass<300':", lab.name)
        screenshot("filtered")
    print("memory: VmRSS %.1f MiB during training" % (rss / 1024.0))
    return 0
