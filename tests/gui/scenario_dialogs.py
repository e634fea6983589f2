"""Job dialogs (#16 item 3) through the real window: a value outside the CLI's range is refused
as it is typed (the message beside the field, read through AT-SPI, and Start insensitive),
checks across fields too (the coupling at the shower cutoff), Start and the output name stay in
view on a small screen, the generator's level is hadrons by default (as the CLI's), and the values
are remembered when the dialog is opened again."""
import time
from jxgui import *


def dialog(app, title):
    return wait_for("the %s dialog" % title,
                    lambda: [w for w in other_windows(app) if w.name == title], 20)[0]


def field(dlg, title):
    return wait_for("field " + title, lambda: find(dlg, "spin button", title), 10)


def type_into(node, text):
    """Replace the text as a person typing would (EditableText; each change is checked)."""
    node.queryEditableText().setTextContents(text)


def sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def message_of(node):
    """What the field says about its value: its accessible description (the same text is the
    row's subtitle on screen)."""
    return node.description or ""


def inside(dlg, node, what):
    dx, dy, dw, dh = extents(dlg)
    x, y, w, h = extents(node)
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > dw + 1 or y + h > dh + 1 \
            or x + w > SCREEN_W or y + h > SCREEN_H:
        raise Fail("%s is not in view: %r in a %dx%d dialog on a %dx%d screen" % (
            what, (x, y, w, h), dw, dh, SCREEN_W, SCREEN_H))


def run(app, win):
    wait_for("demo-ready in the app log", lambda: log_has("demo-ready"), 180)
    fit_window_to_screen()
    park_pointer()

    # Generate: αs(m_Z) = 0.3 is outside the CLI's 0.05 – 0.20.
    click(find(win, "push button", "Generate…"))
    dlg = dialog(app, "Generate Jets")
    start = wait_for("Start", lambda: find(dlg, "push button", "Start"), 10)
    inside(dlg, start, "Start")
    inside(dlg, wait_for("output name", lambda: find(dlg, "text", "Output name")
                         or find(dlg, "entry", "Output name"), 10), "the output name")
    if not sensitive(start):
        raise Fail("Start is insensitive with the default values")
    # The level, as junipr generate --level: hadrons unless asked otherwise (#14 item 1).
    level = wait_for("the Level row", lambda: find(dlg, "combo box", "Level"), 10)
    if combo_row_choice(level) != "Hadrons":
        raise Fail("the Generate dialog's level is not hadrons by default: %r" % combo_row_choice(level))
    alpha = field(dlg, "αs(m_Z)")
    type_into(alpha, "0.3")
    msg = wait_for("the αs message", lambda: "outside" in message_of(alpha) and message_of(alpha), 10)
    print("αs 0.3:", msg)
    if "0.05" not in msg or "0.2" not in msg:
        raise Fail("the message does not give the allowed range: %r" % msg)
    if "--alpha-s" in msg:
        raise Fail("a command-line message in the dialog: %r" % msg)
    on_screen = wait_for("the message on screen", lambda: find(dlg, "label", msg), 10)
    inside(dlg, on_screen, "the αs message")
    wait_for("Start insensitive", lambda: not sensitive(start), 10)
    screenshot("dialog-generate-alpha-refused")

    type_into(alpha, "abc")
    wait_for("not a number", lambda: "not a number" in message_of(alpha), 10)
    type_into(alpha, "0.12")
    wait_for("Start sensitive again", lambda: sensitive(start), 10)
    print("αs 0.12:", repr(message_of(alpha)))

    # A check across fields, from the generator itself: αs(m_Z) = 0.2 with a 0.3 GeV cutoff
    # puts the coupling at the cutoff above 2 (each alone is in range).
    pt_min = field(dlg, "Shower cutoff p_T,min [GeV]")
    type_into(alpha, "0.2")
    type_into(pt_min, "0.3")
    msg = wait_for("the cross-field message", lambda: [m for m in (message_of(alpha), message_of(pt_min))
                                                       if "raise" in m], 10)[0]
    print("αs 0.2 with p_T,min 0.3:", msg)
    if "--" in msg:
        raise Fail("a command-line option in the dialog's message: %r" % msg)
    wait_for("Start insensitive", lambda: not sensitive(start), 10)
    screenshot("dialog-generate-coupling-refused")
    type_into(pt_min, "1")
    type_into(alpha, "0.12")
    wait_for("Start sensitive again", lambda: sensitive(start), 10)
    type_into(field(dlg, "√s [GeV]"), "150")
    type_into(field(dlg, "Jets"), "777")
    choose_in_combo_row(dlg, "Level", "Partons")
    wait_for("Start sensitive at parton level", lambda: sensitive(start), 10)
    click(find(dlg, "push button", "Cancel"))
    wait_for("the dialog closed", lambda: not [w for w in other_windows(app) if w.name == "Generate Jets"], 10)

    # Opened again: the values it was left with.
    click(find(win, "push button", "Generate…"))
    dlg = dialog(app, "Generate Jets")
    alpha, jets, sqrt_s = field(dlg, "αs(m_Z)"), field(dlg, "Jets"), field(dlg, "√s [GeV]")
    level = wait_for("the Level row", lambda: find(dlg, "combo box", "Level"), 10)
    got = (text_of(alpha), text_of(jets), text_of(sqrt_s), combo_row_choice(level))
    print("reopened:", got)
    if float(got[0]) != 0.12 or float(got[1]) != 777 or float(got[2]) != 150 \
            or got[3] != "Partons":
        raise Fail("the dialog forgot its values: αs, jets, √s, level = %r (left at 0.12, 777, 150, "
                   "partons)" % (got,))
    screenshot("dialog-generate-remembered")
    click(find(dlg, "push button", "Cancel"))
    wait_for("the dialog closed", lambda: not [w for w in other_windows(app) if w.name == "Generate Jets"], 10)

    # Train: the output name and Start in view; a hidden size of 5000 is refused (CLI: 1 – 4096).
    click(find(win, "push button", "Train…"))
    dlg = dialog(app, "Train a Model")
    start = wait_for("Start", lambda: find(dlg, "push button", "Start"), 10)
    inside(dlg, start, "Start of the Train dialog")
    hidden = field(dlg, "Hidden size")
    type_into(hidden, "5000")
    wait_for("hidden 5000 refused", lambda: "4096" in message_of(hidden), 10)
    wait_for("Start insensitive", lambda: not sensitive(start), 10)
    print("hidden 5000:", message_of(hidden))
    type_into(hidden, "64")
    wait_for("Start sensitive", lambda: sensitive(start), 10)
    screenshot("dialog-train")
    click(find(dlg, "push button", "Cancel"))
    click(find(win, "push button", "Train…"))
    dlg = dialog(app, "Train a Model")
    if float(text_of(field(dlg, "Hidden size"))) != 64:
        raise Fail("the Train dialog forgot its hidden size: %r" % text_of(field(dlg, "Hidden size")))
    click(find(dlg, "push button", "Cancel"))
    return 0
