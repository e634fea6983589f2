"""The GUI tests' toolkit: find junipr-explorer's widgets through AT-SPI by role and the name a
person sees, click them, read labels back, take screenshots. Scenarios live in
scenario_<name>.py, each with a run(app, win) function; driver.py starts one."""
import glob, os, subprocess, sys, time
import pyatspi

APP_NAMES = ("junipr-explorer", "Junipr Explorer")
OUT = os.environ.get("JX_GUI_OUT", "out")
LOG = os.environ.get("JX_GUI_APP_LOG")
PID = int(os.environ.get("JX_GUI_APP_PID", "0"))
# The virtual screen run.sh started (JX_GUI_SCREEN=WxH, default 1600x1000).
SCREEN_W, SCREEN_H = (int(v) for v in os.environ.get("JX_GUI_SCREEN", "1600x1000").split("x"))


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
    code = {"Down": 0xff54, "Up": 0xff52, "Return": 0xff0d, "Escape": 0xff1b,
            "Home": 0xff50}[keysym_name]
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


def demo_sample(stem):
    """The app's cached demo sample, STEM-vN.h5 (N is the app's DEMO_VERSION, which changes when
    the demo's jets do: 2 since they are hadron level)."""
    cache = os.path.join(os.environ["JX_GUI_WORK"], "cache", "junipr-explorer")
    files = glob.glob(os.path.join(cache, stem + "-v*.h5"))
    if len(files) != 1:
        raise Fail("the demo's %s sample in %s: %r" % (stem, cache, files))
    return files[0]


def log_has(prefix):
    return [l for l in log_lines() if l.startswith("jx-test: " + prefix)]


def screenshot(name):
    path = os.path.join(OUT, name + ".png")
    # The whole screen (no window manager: the window sits top-left), as a small 256-colour PNG.
    subprocess.run(["import", "-window", "root", "-resize", "75%", "-colors", "256",
                    "PNG8:" + path], check=True)
    print("screenshot", path)
    return path


def rss_kib():
    with open("/proc/%d/status" % PID) as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    raise Fail("no VmRSS line for the app (pid %d)" % PID)


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


# How long the main loop may take to answer an AT-SPI query while a job runs. Measured in the
# demo scenario under the shared machine's load (2 cores, load average 11-13): 8-198 ms; a
# loop blocked by work answers after the work (seconds), or the query times out.
RESPONSE_BOUND_MS = 1000


def app_responds(win, what, probes=5, bound_ms=RESPONSE_BOUND_MS):
    """The main loop answers AT-SPI queries within bound_ms: `probes` extents queries (a D-Bus
    round trip to the app's main loop each; the accessible name would come from the cache),
    0.2 s apart. Raises Fail when one errors or is slow; returns the slowest in ms."""
    worst = 0.0
    for i in range(probes):
        t = time.monotonic()
        try:
            win.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        except Exception as e:
            raise Fail("the app did not answer an AT-SPI query (%s): %s" % (what, e))
        worst = max(worst, 1000 * (time.monotonic() - t))
        if i + 1 < probes:
            time.sleep(0.2)
    print("app answered %d AT-SPI queries in at most %.0f ms (%s; bound %d ms)"
          % (probes, worst, what, bound_ms))
    if worst > bound_ms:
        raise Fail("the app took %.0f ms to answer an AT-SPI query %s (bound %d ms)"
                   % (worst, what, bound_ms))
    return worst


def tree_state(win):
    canvas = find(win, "image", "Clustering tree")
    return canvas.description if canvas is not None else ""


def tree_labels(win):
    lab = find(win, "label", contains="labels: ")
    return lab.name if lab is not None else ""


def open_dropdown(toggle, what, tries=3):
    """Click a GtkDropDown's button and wait until its list is open (the button is PRESSED
    while it is). Keys pressed before that go to the window instead: Down moves the focus on
    and Return activates whatever has it (once the headerbar's maximize button, gui-shower)."""
    is_open = lambda: toggle.getState().contains(pyatspi.STATE_PRESSED)
    for _ in range(tries):
        if not is_open():
            click(toggle)
        try:
            wait_for("the list of " + what + " open", is_open, 5)
            time.sleep(0.2)
            return
        except Fail:
            pass
    raise Fail("the list of %s does not open" % what)


def choose_in_dropdown(win, combo_name, key):
    """Open a GtkDropDown and move the selection with the keyboard, as a person would."""
    combo = wait_for("drop-down " + combo_name, lambda: find(win, "combo box", contains=combo_name))
    toggle = find(combo, "push button")
    open_dropdown(toggle, combo_name)
    press(key)
    press("Return")


def select_in_dropdown(win, combo_name, item, index, tries=3):
    """Choose `item`, the index-th entry (from 0) of a GtkDropDown's list, with the keyboard
    as a person would: open, Home, Down × index, Return; then check the button shows it, and
    again if not (on a loaded machine the list may open late). Home first because where the
    list puts its focus on opening changes with the room the window leaves it; a click is no
    option: GTK 4.8 gives a popover's rows coordinates in the popover's own surface."""
    combo = wait_for("drop-down " + combo_name, lambda: find(win, "combo box", contains=combo_name))
    toggle = find(combo, "push button")
    shown = lambda: find(toggle, "label", item)  # the button shows the chosen item
    for _ in range(tries):
        if shown() is not None:
            return
        open_dropdown(toggle, combo_name)
        press("Home")
        for _ in range(index):
            press("Down")
        press("Return")
        try:
            wait_for("%s shows '%s'" % (combo_name, item), shown, 5)
            return
        except Fail:
            press("Escape")
    raise Fail("could not choose '%s' in %s" % (item, combo_name))


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




def extents(node):
    """(x, y, w, h) of a widget in window coordinates; w, h > 0 when it is on screen (GTK 4.8
    does not keep STATE_SHOWING, see ../shared/GUI-TESTING.md)."""
    e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return (e.x, e.y, e.width, e.height)


def outside_window(win, roles=("push button", "toggle button", "combo box", "drawing area", "image",
                               "scroll pane")):
    """Widgets of the given roles that are on screen but not wholly inside the window (and the
    screen): the clipping check of the layout tests. Returns [(role, name, extents)].
    Skipped as not on screen: widgets of size 0, pages of a stack that are not the visible one
    (GTK 4.8 keeps their last extents; Component.contains() at their centre is false), and
    rows scrolled out of their scroll pane's view (the pane itself is checked)."""
    wx, wy, ww, wh = extents(win)
    ww, wh = min(ww, SCREEN_W - max(wx, 0)), min(wh, SCREEN_H - max(wy, 0))
    bad = []

    def visit(node, clip, depth):
        try:
            role = node.getRoleName()
            x, y, w, h = extents(node)
        except Exception:
            return
        if depth > 0 and role in SKIP_ROLES:
            return
        if w > 0 and h > 0 and depth > 0:
            try:
                if not node.queryComponent().contains(x + w // 2, y + h // 2, pyatspi.WINDOW_COORDS):
                    return  # a hidden stack page with stale extents
            except Exception:
                pass
            if clip is not None and (x >= clip[0] + clip[2] or y >= clip[1] + clip[3]
                                     or x + w <= clip[0] or y + h <= clip[1]):
                return  # scrolled out of view
            if role in roles and (x < 0 or y < 0 or x + w > ww + 1 or y + h > wh + 1):
                bad.append((role, node.name, (x, y, w, h)))
            if role == "scroll pane":
                clip = (x, y, w, h)
        try:
            n = node.childCount
        except Exception:
            return
        for i in range(n):
            try:
                visit(node.getChildAtIndex(i), clip, depth + 1)
            except Exception:
                continue

    visit(win, None, 0)
    return bad


def fit_window_to_screen():
    """Resize the main window to the whole virtual screen (xdotool; there is no window manager),
    as a user with a screen of that size would have it; returns the window's new size."""
    # Every match: GTK's hidden 1x1 leader window has the same name and is found first.
    subprocess.run(["xdotool", "search", "--sync", "--name", "^Junipr Explorer$",
                    "windowsize", "%@", str(SCREEN_W), str(SCREEN_H)], check=True, timeout=30)
    time.sleep(0.5)
    return SCREEN_W, SCREEN_H


def log_fields(line):
    """The key=value fields of a jx-test log line as a dict of strings."""
    return dict(f.split("=", 1) for f in line.split() if "=" in f)


def cli_stderr_line(args):
    """The one error line `junipr ARGS` prints for a bad input (the app must say the same)."""
    proc = subprocess.run([os.environ["JX_CLI"]] + list(args), capture_output=True, text=True,
                          timeout=120)
    lines = proc.stderr.strip().splitlines()
    if proc.returncode != 1 or len(lines) != 1:
        raise Fail("junipr %s: expected one error line, got rc %d %r"
                   % (" ".join(args), proc.returncode, proc.stderr))
    return lines[0]


def mouse_click(node):
    """A real pointer click in the middle of a widget (xdotool; for widgets AT-SPI cannot
    activate, like AdwComboRow)."""
    x, y, w, h = screen_extents(node)
    subprocess.run(["xdotool", "mousemove", "--sync", str(x + w // 2), str(y + h // 2),
                    "click", "1"], check=True, timeout=30)
    time.sleep(0.3)


def open_menu_item(app, win, button_name, item_name):
    """Open a menu button of the window (e.g. "New job") and choose one of its items."""
    outer = wait_for("menu button " + button_name, lambda: find(win, "push button", button_name), 10)
    inner = [n for n in find_all(outer, "push button", button_name) if n is not outer]
    click(inner[0] if inner else outer)
    click(wait_for("menu item " + item_name, lambda: find(app, "menu item", item_name), 10))


def combo_row_choice(row):
    """The text an AdwComboRow shows as its current choice."""
    names = [l.name for l in find_all(row, "label") if l.name and l.name != row.name]
    return names[-1] if names else ""


def choose_in_combo_row(dlg, row_name, text, tries=8):
    """Pick the entry showing text in an AdwComboRow as a person would: open its list with the
    pointer, move with the arrow keys, Return; repeat until the row shows it."""
    row = wait_for("combo row " + row_name, lambda: find(dlg, "combo box", row_name), 10)
    for k in range(tries):
        if combo_row_choice(row) == text:
            return
        mouse_click(row)
        time.sleep(0.5)
        press("Down" if k < tries // 2 else "Up")
        press("Return")
        time.sleep(0.5)
    raise Fail("could not choose %r in %s (shows %r)" % (text, row_name, combo_row_choice(row)))


def show_sidebar(win):
    """Reveal the sidebar (library and jobs) if it is hidden: at 1024x700 it is folded away over
    the pages, and a person opens it to reach a job's cancel button."""
    toggle = wait_for("sidebar toggle", lambda: find(win, "push button", "Show sidebar"), 10)
    st = toggle.getState()
    if not (st.contains(pyatspi.STATE_PRESSED) or st.contains(pyatspi.STATE_CHECKED)):
        click(toggle)
        wait_for("sidebar shown", lambda: toggle.getState().contains(pyatspi.STATE_PRESSED)
                 or toggle.getState().contains(pyatspi.STATE_CHECKED), 10)
        time.sleep(0.5)  # the reveal animation


def park_pointer():
    """Move the pointer to the screen's bottom-right corner, so no tooltip covers a screenshot."""
    subprocess.run(["xdotool", "mousemove", "--sync", str(SCREEN_W - 1), str(SCREEN_H - 1)],
                   check=True, timeout=30)


# ---- Tree page helpers (scenario_tree.py) ----------------------------------------------------

def number(text):
    """A number as the app prints it (typeset minus allowed), or None."""
    try:
        return float(text.strip().replace("\u2212", "-"))
    except (ValueError, AttributeError):
        return None


def key(combo):
    """A key press with modifiers, e.g. 'ctrl+equal', through XTest (xdotool)."""
    subprocess.run(["xdotool", "key", "--clearmodifiers", combo], check=True, timeout=10)
    time.sleep(0.15)


def press_keysym(keysym):
    """A key press by keysym (e.g. 0xff53 Right) through the AT-SPI registry."""
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    time.sleep(0.15)


def move_pointer(x, y):
    """Move the pointer to screen point (x, y) (xdotool)."""
    subprocess.run(["xdotool", "mousemove", str(int(round(x))), str(int(round(y)))], check=True,
                   timeout=10)
    time.sleep(0.2)


def toplevel_of(node):
    """The window (frame or dialog) a widget is in."""
    top = node
    while top.parent is not None and top.parent.getRoleName() != "application":
        top = top.parent
    return top


def window_origin(top):
    """Screen point of a toplevel's (0, 0) in AT-SPI's window coordinates. GTK 4 reports
    extents relative to the toplevel widget, while its X window is larger by the invisible
    resize border of client-side decorations (5 px on each side under Xvfb): the X window of
    the app whose size exceeds the toplevel's by the same even margin on both axes, at its
    X position plus that margin. (0, 0) when none matches (no border, or no xdotool)."""
    _, _, w, h = extents(top)
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", os.environ["JX_GUI_APP_PID"]],
                         capture_output=True, text=True, timeout=10).stdout.split()
    for wid in ids:
        g = dict(kv.split("=", 1) for kv in subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", wid], capture_output=True, text=True,
            timeout=10).stdout.split())
        dx, dy = int(g["WIDTH"]) - w, int(g["HEIGHT"]) - h
        if dx == dy and 0 <= dx <= 80 and dx % 2 == 0:
            return int(g["X"]) + dx // 2, int(g["Y"]) + dy // 2
    return 0, 0


def screen_extents(node):
    """Extents on the screen: GTK 4 reports window coordinates only (see window_origin)."""
    x, y, w, h = extents(node)
    ox, oy = window_origin(toplevel_of(node))
    return x + ox, y + oy, w, h


def desc_field(desc, name):
    """'NAME=…' of an accessible description made of ', '- or ' '-separated fields."""
    for part in desc.replace(", ", " ").split(" "):
        if part.startswith(name + "="):
            return part[len(name) + 1:]
    return None


def browser_row(win, jet):
    """The jet browser's cells of jet (its index in the first column) as texts, or None when
    the row is not on screen. The table's rows are skipped by walk(); this goes into it."""
    table = find(win, "tree table", "Jets")
    if table is None:
        return None
    for lst in find_all(table, "list"):
        for i in range(lst.childCount):
            row = lst.getChildAtIndex(i)
            if row is None or row.getRoleName() != "table row":
                continue
            cells = []
            for k in range(row.childCount):
                c = row.getChildAtIndex(k)
                cells.append(c.getChildAtIndex(0).name if c is not None and c.childCount else "")
            if cells and cells[0] == str(jet):
                return cells
    return None


def browser_headers(win):
    """The jet browser's column titles, left to right (the first row of its table)."""
    table = find(win, "tree table", "Jets")
    if table is None or table.childCount == 0:
        return []
    header = table.getChildAtIndex(0)
    out = []
    for k in range(header.childCount):
        names = [n.name for n in walk(header.getChildAtIndex(k), skip=set())
                 if n.getRoleName() == "label" and n.name]
        out.append(names[0] if names else "")
    return out


def click_at(x, y):
    """A primary-button click at screen point (x, y) (xdotool): what a mouse does."""
    move_pointer(x, y)
    subprocess.run(["xdotool", "click", "1"], check=True, timeout=10)
    time.sleep(0.2)
