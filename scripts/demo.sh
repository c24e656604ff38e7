#!/usr/bin/env bash
# Installs what is missing, builds, and runs ClinSight on its bundled demo:
# the GUI when a display exists, else the headless worklist in the terminal.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Only the two programs; build progress goes to stderr so stdout is the worklist.
cmake --build build -j"${CLINSIGHT_JOBS:-2}" --target clinsight clinsight-cli >&2
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/clinsight --demo "$@"
else
  exec build/app/clinsight-cli triage "$root/resources/demo" "$@"
fi
