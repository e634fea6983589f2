"""Layout at any size (#16 item 1): with the window fitted to the screen (1600x1000, or
1024x700 for 'layout@1024x700'), on every page -- Tree, Image, Shower (a data jet and a shower
sampled from model A), Plots, Lund and any page added later -- every showing button, drop-down and drawing
area lies inside the window (AT-SPI extents), with the sidebar shown and hidden (the toggle;
F9 is checked too). A screenshot of each state goes to
tests/gui/out/layout-WxH-<page>-<sidebar state>.png."""
import time
from jxgui import *


def page_tabs(win):
    """The view switcher's pages in their order, by name, the copy with a size (see
    GUI-TESTING.md)."""
    tabs = {}
    for t in find_all(win, "page tab"):
        try:
            if t.name and extents(t)[2] > 0 and t.name not in tabs:
                tabs[t.name] = t
        except Exception:
            continue
    return tabs


def on_screen(node):
    try:
        return extents(node)[2] > 0 and extents(node)[3] > 0
    except Exception:
        return False


def settle(win, what):
    """Wait until the page's workers have drawn: no "Computing" label, two equal looks at the
    widget positions in a row."""
    def computing():
        return [l for l in find_all(win, "label", contains="Computing") if on_screen(l)]
    try:
        wait_for(what + " computed", lambda: not computing(), 90)
    except Fail as e:
        raise Fail("%s: still computing (%s)" % (what, e))
    last = [None]

    def same():
        now = sorted((r, n, e) for r, n, e in outside_window(win))
        stable = now == last[0]
        last[0] = now
        return stable or None
    wait_for(what + " layout stable", same, 20, 0.5)


def check_page(win, size, label, failures):
    settle(win, label)
    bad = outside_window(win)
    shot = screenshot("layout-%s-%s" % (size, label))
    if bad:
        for role, name, e in bad:
            print("  outside the window on %s: %s %r at %r" % (label, role, name, e))
        failures.append((label, bad, shot))
    else:
        print("  %s: every button, drop-down and drawing area inside the window" % label)


def shower_source(win):
    """Where the Shower page's shower comes from, as its canvas describes it ("source=...",
    e.g. "sample 1 of quark-model.h5"); "" before it has drawn."""
    for c in find_all(win, "image", "Shower"):
        try:
            d = c.description or ""
            if extents(c)[2] > 0 and "source=" in d:
                return d.split("source=", 1)[1]
        except Exception:
            continue
    return ""


def sidebar_shown(toggle):
    st = toggle.getState()
    return st.contains(pyatspi.STATE_PRESSED) or st.contains(pyatspi.STATE_CHECKED)


def window_fits(win):
    wx, wy, ww, wh = extents(win)
    print("window %dx%d at (%d, %d) on a %dx%d screen" % (ww, wh, wx, wy, SCREEN_W, SCREEN_H))
    if ww > SCREEN_W or wh > SCREEN_H:
        raise Fail("the window is %dx%d, larger than the %dx%d screen: some widget has a "
                   "minimum size that forces it larger" % (ww, wh, SCREEN_W, SCREEN_H))


def run(app, win):
    size = "%dx%d" % (SCREEN_W, SCREEN_H)
    wait_for("demo-ready in the app log", lambda: log_has("demo-ready"), 180)
    fit_window_to_screen()
    # The frame's extents leave out the 5 px resize border on each side.
    wait_for("the window fitted to the screen",
             lambda: extents(win)[2] >= SCREEN_W - 12 and extents(win)[3] >= SCREEN_H - 12 or None, 10)
    window_fits(win)
    wait_for("tree of jet 0", lambda: tree_state(win).startswith("tree: jet 0,"), 60)

    failures = []
    tabs = page_tabs(win)
    print("pages:", sorted(tabs))
    for need in ("Tree", "Image", "Shower", "Plots"):
        if need not in tabs:
            raise Fail("no %s page tab on screen (pages: %r)" % (need, sorted(tabs)))

    toggle = wait_for("sidebar toggle", lambda: find(win, "push button", "Show sidebar"), 10)
    # Both states of the sidebar, starting from the one the window chose for its size (at
    # 1024x700 it is folded away over the pages and shows on demand).
    for visit in (0, 1):
        if visit == 1:
            before = sidebar_shown(toggle)
            click(toggle)
            wait_for("sidebar toggled", lambda: sidebar_shown(toggle) != before or None, 10)
        state = "sidebar" if sidebar_shown(toggle) else "no-sidebar"
        print("--", state)
        for name in list(page_tabs(win)):
            click(page_tabs(win)[name])
            label = "%s-%s" % (name.lower(), state)
            check_page(win, size, label, failures)
            if name == "Shower":
                choose_in_dropdown(win, "Shower source", "Down")
                wait_for("a sampled shower", lambda: "sample" in shower_source(win), 60)
                check_page(win, size, label + "-sampled", failures)
                # Other pages after the sampled mode was chosen (#16: every page became wider
                # than the window).
                click(page_tabs(win)["Tree"])
                check_page(win, size, "tree-after-sampled-" + state, failures)
                click(page_tabs(win)["Shower"])
                choose_in_dropdown(win, "Shower source", "Up")
                wait_for("a data shower", lambda: "sample" not in shower_source(win), 30)
        window_fits(win)

    # F9 toggles the sidebar too.
    before = sidebar_shown(toggle)
    pyatspi.Registry.generateKeyboardEvent(0xffc6, None, pyatspi.KEY_SYM)  # F9
    wait_for("sidebar toggled by F9", lambda: sidebar_shown(toggle) != before or None, 10)
    print("F9:", log_has("sidebar shown=")[-1])

    if failures:
        raise Fail("%d page state(s) with widgets outside the %s window: %s" % (
            len(failures), size, "; ".join("%s (%d: %s)" % (l, len(b), ", ".join(
                "%s %r" % (r, n) for r, n, _ in b[:4])) for l, b, _ in failures)))
    return 0
