"""Screenshots of the demo window as it opens (a development aid, not a test)."""
import time
from jxgui import *


def run(app, win):
    wait_for("demo", lambda: log_has("demo-ready"), 180)
    fit_window_to_screen()
    time.sleep(3)
    screenshot("shot-demo")
    return 0
