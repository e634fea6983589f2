"""Other programs' jet files through the Open dialog, as a person would open them: the authors'
JuniprJets JSON, an EnergyFlow QG_jets.npz and a JetNet file are imported on opening and become
library datasets with all their jets (whose observables the app then computes)."""
import os
import subprocess
import sys

from jxgui import *

sys.path.insert(0, os.path.join(os.environ["JX_SOURCE_ROOT"], "tests", "cli"))
import jet_fixtures as fx  # noqa: E402


def run(app, win):
    work = os.environ["JX_GUI_WORK"]
    cli = os.environ["JX_CLI"]
    data = os.path.join(work, "quarks.h5")
    subprocess.run([cli, "generate", "--process", "qq", "--jets", "200", "--seed", "3", "-q",
                    "-o", data], check=True)
    json_path = os.path.join(work, "JuniprJets.json")
    subprocess.run([cli, "export", data, "-q", "-o", json_path], check=True)
    npz = os.path.join(work, "QG_jets.npz")
    fx.energyflow(npz, 150)
    jetnet = os.path.join(work, "t.hdf5")
    fx.jetnet(jetnet, 150)

    # The demo fills the library first; open the files into a settled window.
    wait_for("the demo", lambda: log_has("demo-ready"), 120)
    for path, n_jets in ((json_path, 200), (npz, 150), (jetnet, 150)):
        name = os.path.basename(path)
        open_through_dialog(app, win, path)
        wait_for(name + " imported",
                 lambda: log_has("job-finished kind=0 state=2 title=Open " + name), 60)
        # Its library row says how many jets were imported (the app read them, not a stub).
        row = wait_for(name + " in the library", lambda: find(win, "label", name), 20)
        count = "%d jets" % n_jets
        sub = wait_for(count + " under " + name,
                       lambda: find(row.parent, "label", contains=count), 20)
        print(name, "->", sub.name)
        wait_for("observables of " + name,
                 lambda: log_has("job-finished kind=2 state=2 title=Observables of " + name), 60)
    screenshot("open-formats")
    return 0
