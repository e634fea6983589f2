"""Prints the accessibility tree of the demo window (a development aid, not a test)."""
import time
from jxgui import *


def run(app, win):
    wait_for("demo", lambda: log_has("demo-ready"), 120)
    time.sleep(3)
    dump(win)
    return 0
