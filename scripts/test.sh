#!/usr/bin/env bash
# Installs what is missing, builds ClinSight with the GUI and without it, and
# runs every test of both builds. Used by CI (.ci/run) and by developers.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jobs="${CLINSIGHT_JOBS:-2}"

bash scripts/install-deps.sh

echo "== build with the GUI (build/)" >&2
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLINSIGHT_BUILD_GUI=ON -DCLINSIGHT_BUILD_TESTS=ON -DCLINSIGHT_WERROR=ON >/dev/null
cmake --build build -j"$jobs"

echo "== build without the GUI (build-nogui/): core, CLI and core tests, no QtGui" >&2
cmake -S . -B build-nogui -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLINSIGHT_BUILD_GUI=OFF -DCLINSIGHT_BUILD_TESTS=ON -DCLINSIGHT_WERROR=ON >/dev/null
cmake --build build-nogui -j"$jobs"
if ldd build-nogui/app/clinsight-cli | grep -qE 'libQt6(Gui|Widgets)'; then
  echo "FAILED: the GUI-off build links QtGui/QtWidgets" >&2
  exit 1
fi
echo "GUI-off build: clinsight-cli links no QtGui/QtWidgets" >&2

export QT_QPA_PLATFORM=offscreen
(cd build-nogui && ctest --output-on-failure --no-tests=error -j"$jobs")
cd build && ctest --output-on-failure --no-tests=error -j"$jobs"
