"""Drives junipr-explorer through AT-SPI as a person would. Started by run.sh inside Xvfb:
driver.py NAME runs scenario_NAME.py's run(app, win) (NAME with '-' read as '_')."""
import importlib, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jxgui import Fail, find, find_app, screenshot, wait_for  # noqa: E402


def main():
    test = sys.argv[1]
    scenario = importlib.import_module("scenario_" + test.replace("-", "_"))
    t0 = int(os.environ["JX_GUI_LAUNCH_NS"]) / 1e9
    app = wait_for("the app on the accessibility bus", find_app, 90)
    win = wait_for("the main window", lambda: find(app, "frame"), 60)
    print("window visible after %.2f s (launch to AT-SPI frame)" % (time.time() - t0))
    return scenario.run(app, win)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:
        print("FAIL:", e)
        try:
            screenshot("failure-" + sys.argv[1])
        except Exception:
            pass
        sys.exit(1)
