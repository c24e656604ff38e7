#!/usr/bin/env bash
# Builds the Debian package of ClinSight into build/packages/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${CLINSIGHT_JOBS:-2}"
(cd build && cpack -G DEB -B "$root/build/packages")
ls -1 "$root"/build/packages/*.deb
