#!/usr/bin/env bash
# Builds the DICOM loader's libFuzzer target with clang and runs it for a
# bounded time (default 600 s) on a corpus seeded from ../shared/data/dicom.
# Usage: scripts/fuzz.sh [SECONDS] [DATA_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
seconds=${1:-600}
data=${2:-$root/../shared/data/dicom}
bash scripts/install-deps.sh
if ! command -v clang++-14 >/dev/null || ! dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev
fi
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLINSIGHT_BUILD_GUI=OFF \
  -DCLINSIGHT_BUILD_TESTS=OFF -DCLINSIGHT_BUILD_FUZZERS=ON >/dev/null
cmake --build build-fuzz --target fuzz_dicom -j"${CLINSIGHT_JOBS:-2}"
corpus=build-fuzz/corpus; mkdir -p "$corpus" build-fuzz/findings
find "$data" -type f -size -1024k -exec cp -n {} "$corpus"/ \; 2>/dev/null || true
echo "seed corpus: $(ls "$corpus" | wc -l) files" >&2
# Fork mode keeps going after a finding, so the run lasts the whole budget and records every crash.
build-fuzz/tests/fuzz/fuzz_dicom "$corpus" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
  -max_total_time="$seconds" -max_len=1048576 -rss_limit_mb=4096 -timeout=30 \
  -artifact_prefix=build-fuzz/findings/ -print_final_stats=1 >build-fuzz/fuzz.log 2>&1 || true
grep -E "^#[0-9]+: cov|INFO: fuzzed for|crash-|timeout-|oom-|stat::|Done" build-fuzz/fuzz.log | tail -30
echo "findings: $(ls build-fuzz/findings | wc -l) file(s) in build-fuzz/findings" >&2
