#!/bin/bash
# GUI test runner: starts junipr-explorer in a private Xvfb display and D-Bus session (so the
# AT-SPI bus is ours), runs the Python driver against it, keeps screenshots in $JX_GUI_OUT.
#   run.sh TEST            (from meson: re-executes itself under xvfb-run + dbus-run-session)
# Exit 77 = skipped (sanitizer build, or the display/accessibility tools are missing).
set -u
test_name=${1:?usage: run.sh SCENARIO [WxH]   (SCENARIO: see scenario_*.py)}
# The screen size: the second argument, or JX_GUI_SCREEN, default 1600x1000.
export JX_GUI_SCREEN=${2:-${JX_GUI_SCREEN:-1600x1000}}
here=$(cd "$(dirname "$0")" && pwd)

if [ "${JX_SANITIZED:-0}" = 1 ]; then
  echo "skipped: GUI tests do not run in the sanitizer build (GTK's allocations look like leaks)"
  exit 77
fi

if [ -z "${JX_GUI_INNER:-}" ]; then
  for tool in xvfb-run dbus-run-session import xdotool; do
    command -v "$tool" > /dev/null || { echo "skipped: $tool not installed"; exit 77; }
  done
  /usr/bin/python3 -c 'import pyatspi' 2> /dev/null \
    || { echo "skipped: /usr/bin/python3 has no pyatspi (apt install python3-pyatspi)"; exit 77; }
  export JX_GUI_INNER=1
  # A free display searched from a number of our own (the widget tests search from 210-290):
  # two 'xvfb-run -a' starting at once both take :99 and one app opens the other's server.
  exec timeout -k 10 600 xvfb-run -a -n $((300 + RANDOM % 600)) -s "-screen 0 ${JX_GUI_SCREEN}x24" \
    dbus-run-session -- bash "$0" "$@"
fi

: "${JX_EXPLORER:?set JX_EXPLORER to the junipr-explorer binary}"
out=${JX_GUI_OUT:-$here/out}
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/jx-gui-$test_name.XXXXXX")

# A fresh user: empty cache (the demo samples are generated on first use), data dir for job
# outputs, settings in memory.
export XDG_CACHE_HOME=$work/cache XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
export GSETTINGS_BACKEND=memory
export GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=atspi NO_AT_BRIDGE=0
export JX_GUI_WORK=$work JX_GUI_OUT=$out
export JX_GUI_LAUNCH_NS=$(date +%s%N)

app_args=(--test-mode)
[ -n "${JX_GUI_APP_ARGS:-}" ] && read -r -a extra <<< "$JX_GUI_APP_ARGS" && app_args+=("${extra[@]}")
[ "$test_name" = bad-files ] && app_args+=(--no-demo)
"$JX_EXPLORER" "${app_args[@]}" > "$work/app.log" 2> "$work/app.err" &
app_pid=$!
export JX_GUI_APP_PID=$app_pid JX_GUI_APP_LOG=$work/app.log

/usr/bin/python3 "$here/driver.py" "$test_name"
rc=$?

if kill -0 "$app_pid" 2> /dev/null; then
  kill "$app_pid"
  for _ in $(seq 1 50); do kill -0 "$app_pid" 2> /dev/null || break; sleep 0.1; done
  kill -9 "$app_pid" 2> /dev/null
fi
wait "$app_pid" 2> /dev/null
if [ $rc -ne 0 ]; then
  echo "--- app stdout"; tail -n 40 "$work/app.log"
  echo "--- app stderr"; grep -v 'fd limit\|Activating service\|Successfully activated' "$work/app.err" | tail -n 40
fi
# GTK criticals are failures even when the driver was happy.
if grep -q 'CRITICAL\|-WARNING \*\*' "$work/app.err"; then
  echo "GTK/GLib warnings on stderr:"; grep 'CRITICAL\|WARNING' "$work/app.err" | head -n 20
  [ $rc -eq 0 ] && rc=1
fi
rm -rf "$work"
exit $rc
