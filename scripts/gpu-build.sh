#!/usr/bin/env bash
# Builds the GUI-less ClinSight (clinsight-cli and the core tests) against a
# CUDA LibTorch on a machine that lacks Debian's Qt/DCMTK/OpenCV/OpenJPEG
# (e.g. the project's H100 machine: Ubuntu 24.04, CUDA 13, PyTorch 2.11 in a
# Python environment, no network). Two steps:
#
#   bash scripts/gpu-build.sh fetch [DEBS]   on a Debian 12 machine with network:
#        downloads the Debian packages the build needs, with their library
#        dependencies, into DEBS (default build-gpu/debs); nothing is installed.
#   bash scripts/gpu-build.sh build [DEBS]   on the GPU machine: unpacks them with
#        dpkg -x into build-gpu/sysroot (never into /), finds LibTorch
#        (TORCH_DIR, else the python3 that imports torch) and builds into
#        build-gpu/; prints how to run the tests with the right library path.
#
# A user with an NVIDIA card on Debian 12 needs neither step: install the
# packages (scripts/install-deps.sh), unpack LibTorch for CUDA from pytorch.org
# and configure with -DTorch_DIR=<libtorch>/share/cmake/Torch (README, "NVIDIA GPUs").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
step=${1:-}
debs=$(realpath -m "${2:-build-gpu/debs}")

# What a GUI-less build links (headers + CMake configs + libraries), Debian 12 names.
PACKAGES=(qt6-base-dev qt6-base-dev-tools libqt6core6 libqt6sql6 libqt6sql6-sqlite libqt6concurrent6 libqt6test6
          libdcmtk-dev libdcmtk17 libopenjp2-7-dev libopenjp2-7
          libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-ml-dev)

case "$step" in
fetch)
  mkdir -p "$debs"
  # The packages and the libraries they depend on, minus what every glibc system has.
  closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
              --no-enhances "${PACKAGES[@]}" | grep -E '^[a-z0-9]' | sort -u \
            | grep -vE '^(libc6|libgcc-s1|libstdc\+\+6|debconf|dpkg|perl-base|tar|gcc-12-base|libcrypt1|zlib1g|bash|coreutils)$')
  (cd "$debs" && apt-get download $closure)
  du -sh "$debs"
  echo "gpu-build: $(ls "$debs" | wc -l) packages in $debs; carry it to the GPU machine and run: bash scripts/gpu-build.sh build $debs"
  ;;
build)
  [ -d "$debs" ] || { echo "gpu-build: $debs missing: run 'gpu-build.sh fetch' on a Debian 12 machine first" >&2; exit 2; }
  sysroot="$root/build-gpu/sysroot"
  mkdir -p "$sysroot"
  for d in "$debs"/*.deb; do dpkg -x "$d" "$sysroot"; done
  torch_dir=${TORCH_DIR:-$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))' 2>/dev/null || true)}
  [ -n "$torch_dir" ] && [ -d "$torch_dir/share/cmake/Torch" ] \
    || { echo "gpu-build: no LibTorch found: set TORCH_DIR to a LibTorch (or torch package) folder" >&2; exit 2; }
  multiarch=x86_64-linux-gnu
  export LD_LIBRARY_PATH="$sysroot/usr/lib/$multiarch:$torch_dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export PATH="$sysroot/usr/lib/qt6/libexec:$sysroot/usr/lib/qt6/bin:$PATH"
  cmake -S . -B build-gpu/build -DCMAKE_BUILD_TYPE=Release -DCLINSIGHT_BUILD_GUI=OFF -DCLINSIGHT_BUILD_TESTS=ON \
        -DCMAKE_PREFIX_PATH="$torch_dir/share/cmake;$sysroot/usr/lib/$multiarch/cmake;$sysroot/usr" \
        -DCMAKE_FIND_ROOT_PATH="$sysroot" -DCMAKE_INCLUDE_PATH="$sysroot/usr/include;$sysroot/usr/include/$multiarch" \
        -DCMAKE_LIBRARY_PATH="$sysroot/usr/lib/$multiarch" -DQT_HOST_PATH="$sysroot/usr"
  cmake --build build-gpu/build -j"${CLINSIGHT_JOBS:-$(nproc)}" --target clinsight-cli tst_deviceparity tst_hybridmodel tst_training
  echo "gpu-build: built. Run with: LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  echo "  build-gpu/build/app/clinsight-cli --version            (CUDA: available)"
  echo "  build-gpu/build/tests/tst_deviceparity                 (CPU vs cuda:0 within 1e-4)"
  echo "  build-gpu/build/app/clinsight-cli bench inference --image F --vitals F"
  ;;
*)
  echo "usage: scripts/gpu-build.sh fetch|build [DEBS]" >&2
  exit 2
  ;;
esac
