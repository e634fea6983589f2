"""Drives junipr-explorer through AT-SPI as a person would: find widgets by role and the
name a person sees, click them, read labels back. Started by run.sh inside Xvfb."""
import os, subprocess, sys, time
import pyatspi

APP_NAMES = ("junipr-explorer", "Junipr Explorer")
OUT = os.environ.get("JX_GUI_OUT", "out")
LOG = os.environ.get("JX_GUI_APP_LOG")
PID = int(os.environ.get("JX_GUI_APP_PID", "0"))


class Fail(Exception):
    pass


def wait_for(what, fn, timeout=60.0, interval=0.2):
    """Poll fn until it returns something truthy (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while time.monotonic() < deadline:
        try:
            v = fn()
            if v:
                return v
        except Exception as e:  # the tree changes under us; try again
            last_exc = e
        time.sleep(interval)
    raise Fail("timed out after %.0f s waiting for %s%s" % (
        timeout, what, " (%s)" % last_exc if last_exc else ""))


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        a = desktop.getChildAtIndex(i)
        if a is not None and a.name in APP_NAMES:
            return a
    return None


# The jet browser's table has hundreds of cells; searches skip it (each look is a D-Bus call).
SKIP_ROLES = {"tree table", "table row", "table cell"}


def walk(node, depth=0, max_depth=60, skip=SKIP_ROLES):
    if node is None or depth > max_depth:
        return
    yield node
    try:
        if depth > 0 and node.getRoleName() in skip:
            return
        n = node.childCount
    except Exception:
        return
    for i in range(n):
        try:
            c = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(c, depth + 1, max_depth, skip)


def showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def find_all(root, role=None, name=None, contains=None, desc=None, first=False):
    """Nodes by role and accessible name (exact, or containing a string) or description."""
    out = []
    for n in walk(root):
        try:
            if role and n.getRoleName() != role:
                continue
            if name is not None and n.name != name:
                continue
            if contains is not None and contains not in (n.name or ""):
                continue
            if desc is not None and desc not in (n.description or ""):
                continue
            out.append(n)
            if first:
                break
        except Exception:
            continue
    return out


def find(root, role=None, name=None, contains=None, desc=None):
    r = find_all(root, role, name, contains, desc, first=True)
    return r[0] if r else None


def press(keysym_name):
    """A key press through the AT-SPI registry (XTest under Xvfb)."""
    code = {"Down": 0xff54, "Up": 0xff52, "Return": 0xff0d, "Escape": 0xff1b}[keysym_name]
    pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_SYM)
    time.sleep(0.15)


def click(node):
    act = node.queryAction()
    for i in range(act.nActions):
        if act.getName(i) in ("click", "activate", "press", "toggle"):
            act.doAction(i)
            return
    raise Fail("no click action on %s %r" % (node.getRoleName(), node.name))


def text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except Exception:
        return node.name or ""


def log_lines():
    with open(LOG) as f:
        return [l.strip() for l in f if l.startswith("jx-test: ")]


def log_has(prefix):
    return [l for l in log_lines() if l.startswith("jx-test: " + prefix)]


def screenshot(name):
    path = os.path.join(OUT, name + ".png")
    # The window (no window manager: top-left, default size), as a small 256-colour PNG.
    subprocess.run(["import", "-window", "root", "-crop", "1500x940+0+0", "+repage",
                    "-resize", "75%", "-colors", "256", "PNG8:" + path], check=True)
    print("screenshot", path)
    return path


def rss_kib():
    with open("/proc/%d/status" % PID) as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    return -1


def dump(root):
    for n in walk(root):
        try:
            acts = []
            try:
                a = n.queryAction()
                acts = [a.getName(i) for i in range(a.nActions)]
            except Exception:
                pass
            print("%-16s %-40r %-50r %s %s" % (n.getRoleName(), n.name, n.description,
                                                acts, "showing" if showing(n) else ""))
        except Exception as e:
            print("?", e)


def app_responds(win, what):
    """The main loop answers an AT-SPI query (a blocked loop would time out)."""
    t = time.monotonic()
    name = win.name
    dt = time.monotonic() - t
    print("app answered an AT-SPI query in %.0f ms (%s)" % (1000 * dt, what))
    return name


def scenario_dump(app, win):
    wait_for("demo", lambda: log_has("demo-ready"), 120)
    time.sleep(3)
    dump(win)
    return 0


def tree_state(win):
    canvas = find(win, "image", "Clustering tree")
    return canvas.description if canvas is not None else ""


def tree_labels(win):
    lab = find(win, "label", contains="labels: ")
    return lab.name if lab is not None else ""


def choose_in_dropdown(win, combo_name, key):
    """Open a GtkDropDown and move the selection with the keyboard, as a person would."""
    combo = wait_for("drop-down " + combo_name, lambda: find(win, "combo box", contains=combo_name))
    toggle = find(combo, "push button")
    click(toggle)
    time.sleep(0.5)
    press(key)
    press("Return")


def scenario_demo(app, win):
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


def open_through_dialog(app, win, path):
    """The Open button, then type the path into the file chooser, as a person would."""
    click(find(win, "push button", "Open"))
    wait_for("file chooser", lambda: other_windows(app), 20)
    time.sleep(1.0)
    # Typing a path starting with "/" opens the chooser's location entry.
    pyatspi.Registry.generateKeyboardEvent(0, path, pyatspi.KEY_STRING)
    time.sleep(0.5)
    press("Return")
    wait_for("file chooser closed", lambda: not other_windows(app), 20)


def other_windows(app):
    out = []
    for i in range(app.childCount):
        c = app.getChildAtIndex(i)
        # GTK 4.8 exposes dialogs with odd roles ("filler"): go by the title.
        if c is not None and c.name and c.name != "Junipr Explorer":
            out.append(c)
    return out


def toast_on_screen(win, text):
    return find(win, "label", contains=text)


def scenario_bad_files(app, win):
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
        open_through_dialog(app, win, path)
        line = wait_for("failure toast for " + expect,
                        lambda: [l for l in log_has("toast Open " + expect) if "failed" in l], 30)
        print("log:", line[0])
        lab = wait_for("the toast on screen", lambda: toast_on_screen(win, expect + " failed"), 20)
        print("on screen:", lab.name)
        if expect not in lab.name or len(lab.name) < 30:
            raise Fail("the message does not say what is wrong: %r" % lab.name)
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
    lab = wait_for("mismatch toast on screen", lambda: toast_on_screen(win, "different clusterings"), 20)
    screenshot("bad-file-clustering")
    wait_for("tree of jet 0", lambda: tree_state(win).startswith("tree: jet 0,"), 30)
    click(find(win, "push button", "Next jet"))
    st = wait_for("tree of jet 1", lambda: (lambda d: d if "jet 1," in d else None)(tree_state(win)), 30)
    print("still usable:", st)
    # Both models scored the data, each with its own clustering.
    wait_for("scores", lambda: len(log_has("job-finished kind=4 state=2")) >= 2, 60)
    return 0


SCENARIOS = {"dump": scenario_dump, "demo": scenario_demo, "bad-files": scenario_bad_files}


def main():
    test = sys.argv[1]
    t0 = int(os.environ["JX_GUI_LAUNCH_NS"]) / 1e9
    app = wait_for("the app on the accessibility bus", find_app, 90)
    win = wait_for("the main window", lambda: find(app, "frame"), 60)
    print("window visible after %.2f s (launch to AT-SPI frame)" % (time.time() - t0))
    return SCENARIOS[test](app, win)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        sys.exit(main())
    except Exception as e:
        print("FAIL:", e)
        try:
            screenshot("failure-" + sys.argv[1])
        except Exception:
            pass
        sys.exit(1)
