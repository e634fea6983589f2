"""Help (#16 item 6): Help → What Is JUNIPR? shows the factorisation drawn on a tree and
explains P_end, P_mother, P_branch and models A and B; the tour of the demo has five steps whose
buttons show the place in the main window; About finds the app's icon (run from the build
tree); the window's own controls have tooltips; no accessible name carries a mnemonic
underscore."""
import re, time
from jxgui import *


def help_window(app):
    return wait_for("the Help window", lambda: [w for w in other_windows(app) if w.name == "Help"], 20)[0]


def tab(win, name):
    return wait_for("tab " + name, lambda: [t for t in find_all(win, "page tab", name) if extents(t)[2] > 0][0], 10)


def step_label(helpw):
    """The step the carousel shows: the one whose label lies in the window (the others sit
    beside it, outside)."""
    width = extents(helpw)[2]
    labs = [l for l in find_all(helpw, "label") if re.match(r"Step \d of 5$", l.name or "")]
    shown = [l for l in labs if extents(l)[2] > 0 and 0 <= extents(l)[0] < width]
    return shown[0].name if len(shown) == 1 else ""


def run(app, win):
    wait_for("demo-ready in the app log", lambda: log_has("demo-ready"), 180)
    fit_window_to_screen()

    # The window's own controls explain themselves (tooltips are their descriptions).
    for name in ("Show sidebar", "Open", "New job", "Main menu", "Help", "Generate…", "Train…"):
        node = wait_for(name, lambda: find(win, "push button", name), 10)
        if not (node.description or "").strip():
            raise Fail("%r has no tooltip" % name)
        print("%-12s %s" % (name, node.description))

    # What is JUNIPR?
    open_menu_item(app, win, "Help", "What Is JUNIPR?")
    helpw = help_window(app)
    figure = wait_for("the factorisation figure",
                      lambda: find(helpw, None, "The factorisation of P_jet"), 10)
    x, y, w, h = extents(figure)
    hx, hy, hw, hh = extents(helpw)
    print("figure %r at %r in a %dx%d window: %s" % (figure.getRoleName(), (x, y, w, h), hw, hh,
                                                    figure.description))
    if w < 400 or h < 200 or x < 0 or x + w > hw:
        raise Fail("the factorisation figure is not shown whole: %r" % ((x, y, w, h),))
    texts = " ".join(l.name or "" for l in find_all(helpw, "label"))
    for needed in ("P_end", "P_mother", "P_branch", "Models A and B", "likelihood ratio",
                   "arXiv:1804.09720"):
        if needed not in texts:
            raise Fail("What is JUNIPR? does not explain %r" % needed)
    screenshot("help-junipr")

    # The tour: five steps; the buttons show the pages in the main window.
    click(tab(helpw, "Tour of the Demo"))
    seen = []
    for k in range(5):
        label = wait_for("a step shown", lambda: step_label(helpw), 10)
        seen.append(label)
        if k == 2:
            click(wait_for("Show the Tree Page", lambda: find(helpw, "push button", "Show the Tree Page"), 10))
            wait_for("the Tree page shown", lambda: log_has("page tree"), 10)
        if k == 4:
            click(wait_for("Show the Plots Page", lambda: find(helpw, "push button", "Show the Plots Page"), 10))
            wait_for("the Plots page shown", lambda: log_has("page plots"), 10)
            screenshot("help-tour-step5")
        if k < 4:
            click(find(helpw, "push button", "Next step"))
            wait_for("the next step", lambda: step_label(helpw) not in ("", label) or None, 10)
    print("tour:", seen)
    if seen != ["Step %d of 5" % i for i in range(1, 6)]:
        raise Fail("the tour's steps: %r" % seen)
    if find(helpw, "push button", "Next step").getState().contains(pyatspi.STATE_SENSITIVE):
        raise Fail("Next is still sensitive on the last step")

    # About finds the app's icon although the app runs from the build tree.
    open_menu_item(app, win, "Help", "About Junipr Explorer")
    line = wait_for("the About window", lambda: log_has("about icon="), 10)[0]
    print(line)
    if not line.endswith("found=1"):
        raise Fail("About has no icon: " + line)
    time.sleep(1)
    screenshot("help-about")

    # No mnemonic underscores in accessible names, on any page.
    bad = []
    for page in ("Tree", "Image", "Shower", "Plots"):
        click(tab(win, page))
        time.sleep(0.5)
        for n in walk(win):
            try:
                if n.getRoleName() in ("push button", "check box", "toggle button", "combo box",
                                       "radio button", "menu item") \
                        and re.search(r"(^|\s)_[A-Za-z]", n.name or ""):
                    bad.append((page, n.getRoleName(), n.name))
            except Exception:
                continue
    if bad:
        raise Fail("accessible names with mnemonic underscores: %r" % sorted(set(bad)))
    return 0
