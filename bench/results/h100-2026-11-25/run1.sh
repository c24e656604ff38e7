#!/usr/bin/env bash
# Device call 1: build with CUDA LibTorch, core tests, parity, benchmarks beside the Python peer.
set -o pipefail
cd "$(dirname "$0")/.."
export CLINSIGHT_SHARED_DATA=$PWD/build-gpu/data CLINSIGHT_JOBS=16 QT_QPA_PLATFORM=offscreen
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee $OUT/gpu.txt
uptime | tee -a $OUT/gpu.txt
T0=$(date +%s)
V=build-gpu/data/vitals/physionet2019/training_setB; mkdir -p $V && tar -C $V -xJf build-gpu/data/stays4000.tar.xz
bash scripts/gpu-build.sh build > $OUT/build.log 2>&1; rc=$?
echo "build rc=$rc in $(( $(date +%s) - T0 )) s" | tee -a $OUT/gpu.txt
if [ $rc -ne 0 ]; then
  grep -E "error|Error" $OUT/build.log | head -60
  T=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
  tar -C $T -cJf $OUT/torch-include.tar.xz include/torch/csrc/api/include include/ATen/core include/c10/core 2>/dev/null
  tail -30 $OUT/build.log
  exit 1
fi
source build-gpu/env.sh
B=build-gpu/build
$B/app/clinsight-cli --version 2>&1 | tee $OUT/version.txt
(cd $B && ctest -R '^core\.' -j6 --timeout 300 --output-on-failure > $OUT/ctest.log 2>&1; tail -45 $OUT/ctest.log)
grep -E "default device|largest|PASS|FAIL" $B/Testing/Temporary/LastTest.log | grep -iE "device|largest|FAIL" | head
$B/tests/tst_deviceparity > $OUT/parity.log 2>&1; grep -E "default device|largest|Totals|FAIL" $OUT/parity.log
for i in 1 2 3; do
  $B/app/clinsight-cli bench inference --image resources/demo/demo06-chest-cr/RG1_J2KI.dcm --vitals resources/demo/demo01-septic-pneumonia/p102582.psv --repeats 30
  python3 bench/peer_inference.py --frame build-gpu/data/rg1.png --hours 32 --repeats 30
done 2>&1 | tee $OUT/bench.log
TIMEFORMAT='predict-vitals 4000 stays: %R s wall'
for i in 1 2 3; do time $B/app/clinsight-cli predict-vitals $V --out "$(mktemp)" > /dev/null; done 2>&1 | tee -a $OUT/bench.log
CLINSIGHT_FORCE_CPU=1 $B/app/clinsight-cli bench inference --image resources/demo/demo06-chest-cr/RG1_J2KI.dcm --vitals resources/demo/demo01-septic-pneumonia/p102582.psv --repeats 10 2>&1 | tee -a $OUT/bench.log
echo "total $(( $(date +%s) - T0 )) s"
