#!/usr/bin/env bash
# Device call 2: the reproducible-numerics fix, checked: parity and explanation tests on cuda:0.
set -o pipefail
cd "$(dirname "$0")/.."
export CLINSIGHT_SHARED_DATA=$PWD/build-gpu/data CLINSIGHT_JOBS=16 QT_QPA_PLATFORM=offscreen
export CLINSIGHT_BUILD_TARGETS="tst_deviceparity tst_explanations"
V=build-gpu/data/vitals/physionet2019/training_setB; mkdir -p $V && tar -C $V -xJf build-gpu/data/stays4000.tar.xz
T0=$(date +%s)
bash scripts/gpu-build.sh build > $OUT/build.log 2>&1 || { tail -30 $OUT/build.log; exit 1; }
echo "build $(( $(date +%s) - T0 )) s"
source build-gpu/env.sh
build-gpu/build/tests/tst_deviceparity 2>&1 | tee $OUT/parity.log | grep -E "device|largest|PASS|FAIL|Totals"
build-gpu/build/tests/tst_explanations 2>&1 | tee $OUT/explanations.log | grep -E "FAIL|Totals"
