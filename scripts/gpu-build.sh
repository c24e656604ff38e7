#!/usr/bin/env bash
# Builds the GUI-less ClinSight (clinsight-cli and the core tests) against a
# CUDA LibTorch on a machine that lacks Debian's Qt/DCMTK/OpenCV/OpenJPEG
# (e.g. the project's H100 machine: Ubuntu 24.04, CUDA 13, PyTorch 2.11 in a
# Python environment, no network). Two steps:
#
#   bash scripts/gpu-build.sh pack [TARBALL]    on Debian 12 with scripts/install-deps.sh done:
#        packs the headers, CMake files and libraries a GUI-less build needs
#        (the -dev packages below and the shared libraries they load, glibc and
#        libstdc++ excepted) into TARBALL (default build-gpu/sysroot.tar.xz,
#        about 35 MB); nothing is downloaded. It checks that every library a packed
#        file needs is packed.
#   bash scripts/gpu-build.sh build [TARBALL]   on the GPU machine: unpacks it into
#        build-gpu/sysroot (never into /), points its CMake files there, finds
#        LibTorch (TORCH_DIR, else the python3 that imports torch) and builds
#        into build-gpu/build. Then `source build-gpu/env.sh` sets the library
#        and plugin paths for running what it built.
#
# A user with an NVIDIA card on Debian 12 needs neither step: install the
# packages (scripts/install-deps.sh), unpack LibTorch for CUDA from pytorch.org
# and configure with -DTorch_DIR=<libtorch>/share/cmake/Torch (README, "NVIDIA GPUs").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
step=${1:-}
tarball=$(realpath -m "${2:-build-gpu/sysroot.tar.xz}")
multiarch=x86_64-linux-gnu

# What a GUI-less build compiles and links against (Debian 12 names).
DEV_PACKAGES=(qt6-base-dev qt6-base-dev-tools libdcmtk-dev libdcmtk17 libopenjp2-7-dev libcharls-dev
              libopencv-core-dev libopencv-imgproc-dev libopencv-ml-dev libxgboost-dev libsodium-dev libsqlcipher-dev libsqlcipher0 libssl3
              libpng-dev libjpeg62-turbo-dev zlib1g-dev pkgconf libpkgconf3 qmake6 qmake6-bin
              libqt6core6 libqt6network6 libqt6concurrent6 libqt6test6 libnsl-dev libnsl2)
# Qt modules the GUI-less build uses; the other modules' headers stay behind.
QT_MODULES='QtCore|QtNetwork|QtConcurrent|QtTest'

case "$step" in
pack)
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  # 1. the packages' own files, minus static libraries, documentation and unused Qt modules
  dpkg -L "${DEV_PACKAGES[@]}" | sort -u | while read -r f; do
    [ -f "$f" ] || [ -L "$f" ] || continue
    case "$f" in
      *.a|/usr/share/doc/*|/usr/share/man/*|/usr/share/lintian/*) continue ;;
      /usr/include/$multiarch/qt6/Qt*) echo "$f" | grep -qE "/qt6/($QT_MODULES)(/|$)" || continue ;;
      /usr/lib/$multiarch/libQt6*) echo "$f" | grep -qE "/libQt6(${QT_MODULES//Qt/})\\." || continue ;;
    esac
    echo "$f"
  done > "$stage/files"
  tar -C / -cf - -T "$stage/files" 2>/dev/null | tar -C "$stage" -xf -
  mkdir -p "$stage/root" && mv "$stage/usr" "$stage/root/"
  # 2. every shared library those libraries and tools load (ldd is transitive), resolved here
  libdir="$stage/root/usr/lib/$multiarch"
  grep -E '\.so(\.|$)|/bin/|/libexec/' "$stage/files" | while read -r f; do ldd "$f" 2>/dev/null || true; done \
    | awk '$3 ~ /^\// {print $3}' | sort -u > "$stage/needed"
  while read -r lib; do
    base=$(basename "$lib")
    case "$base" in
      libc.so*|libm.so*|libdl.so*|librt.so*|libpthread.so*|ld-linux*|libstdc++.so*|libgcc_s.so*|libgomp.so*) continue ;;
    esac
    # the file under its real name (CMake targets name libQt6Core.so.6.4.2) and the SONAME as a link
    real=$(readlink -f "$lib")
    [ -e "$libdir/$(basename "$real")" ] || cp "$real" "$libdir/$(basename "$real")"
    [ -e "$libdir/$base" ] || ln -s "$(basename "$real")" "$libdir/$base"
  done < "$stage/needed"
  # A link-time name (libX.so) as a link to the packed library of the same SONAME, else the file itself.
  linkname() {
    local l=$1 host=$2 real soname dir
    dir=$(dirname "$l")
    real=$(readlink -f "$host")
    soname=$(objdump -p "$real" 2>/dev/null | awk '/SONAME/ {print $2}')
    rm -f "$l"
    if [ -n "$soname" ]; then
      # the library under its real name, its SONAME (what binaries load) and the link-time name
      [ -e "$dir/$(basename "$real")" ] || cp "$real" "$dir/$(basename "$real")"
      [ -e "$dir/$soname" ] || ln -s "$(basename "$real")" "$dir/$soname"
      [ "$(basename "$l")" = "$soname" ] || ln -s "$soname" "$l"
    else
      cp -L "$host" "$l"
    fi
  }
  # 3. symbolic links of -dev packages into runtime packages not packed, and the
  #    link-time names that DCMTK's CMake targets name with absolute paths
  find "$stage/root" -type l | while read -r l; do
    case "$(readlink "$l")" in /*) linkname "$l" "${l#"$stage/root"}" ;; *) [ -e "$l" ] || linkname "$l" "${l#"$stage/root"}" ;; esac
  done
  for so in $(grep -rhoE "/usr/lib/$multiarch/lib[^;\" )]*\.so" "$stage/root/usr/lib/$multiarch/cmake/dcmtk" | sort -u); do
    [ -e "$stage/root$so" ] || linkname "$stage/root$so" "$so"
  done
  # Self-check: every library any packed ELF file needs is packed (or is glibc/libstdc++).
  missing=$(find "$stage/root" -type f \( -name '*.so*' -o -perm -u+x \) -print0 | xargs -0 -r objdump -p 2>/dev/null \
            | awk '/NEEDED/ {print $2}' | sort -u | while read -r n; do
                case "$n" in libc.so*|libm.so*|libdl.so*|librt.so*|libpthread.so*|ld-linux*|libstdc++.so*|libgcc_s.so*|libgomp.so*) continue ;; esac
                [ -e "$libdir/$n" ] || echo "$n"; done || true)
  [ -z "$missing" ] || { echo "gpu-build: packed files need libraries that were not packed: $missing" >&2; exit 1; }
  mkdir -p "$(dirname "$tarball")"
  tar -C "$stage/root" -cf - usr | xz -T0 -6 > "$tarball"
  echo "gpu-build: $(wc -l < "$stage/files") package files and $(wc -l < "$stage/needed") libraries in $tarball ($(du -h "$tarball" | cut -f1))"
  ;;
build)
  [ -f "$tarball" ] || { echo "gpu-build: $tarball missing: run 'gpu-build.sh pack' on Debian 12 first" >&2; exit 2; }
  sysroot="$root/build-gpu/sysroot"
  rm -rf "$sysroot" && mkdir -p "$sysroot"
  tar -C "$sysroot" -xJf "$tarball"
  # The packages' CMake files name /usr: point them at the sysroot (pkg-config
  # files are read with PKG_CONFIG_SYSROOT_DIR instead).
  find "$sysroot/usr/lib/$multiarch/cmake" -type f -name '*.cmake' -print0 \
    | xargs -0 sed -i -E -e "s#(^|[^A-Za-z0-9_/])/usr/(lib|include|share|bin)#\1$sysroot/usr/\2#g" -e "s#\"/usr\"#\"$sysroot/usr\"#g"
  torch_dir=${TORCH_DIR:-$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))' 2>/dev/null || true)}
  [ -n "$torch_dir" ] && [ -d "$torch_dir/share/cmake/Torch" ] \
    || { echo "gpu-build: no LibTorch found: set TORCH_DIR to a LibTorch (or torch package) folder" >&2; exit 2; }
  cat > "$root/build-gpu/env.sh" <<ENV
export LD_LIBRARY_PATH="$sysroot/usr/lib/$multiarch:$torch_dir/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export QT_PLUGIN_PATH="$sysroot/usr/lib/$multiarch/qt6/plugins"
export PKG_CONFIG_LIBDIR="$sysroot/usr/lib/$multiarch/pkgconfig:$sysroot/usr/share/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$sysroot"
export DCMDICTPATH="$sysroot/usr/share/libdcmtk17/dicom.dic:$sysroot/usr/share/libdcmtk17/private.dic"
export PATH="$sysroot/usr/lib/qt6/libexec:$sysroot/usr/bin:\$PATH"
ENV
  # shellcheck disable=SC1091
  source "$root/build-gpu/env.sh"
  cmake -S . -B build-gpu/build -DCMAKE_BUILD_TYPE=Release -DCLINSIGHT_BUILD_GUI=OFF \
        -DCMAKE_PREFIX_PATH="$torch_dir/share/cmake;$sysroot/usr" -DCMAKE_SYSTEM_IGNORE_PREFIX_PATH=/usr \
        -DPKG_CONFIG_EXECUTABLE="$sysroot/usr/bin/pkg-config" \
        -DCMAKE_C_FLAGS="-isystem $sysroot/usr/include/$multiarch" -DCMAKE_CXX_FLAGS="-isystem $sysroot/usr/include/$multiarch" \
        -DCMAKE_EXE_LINKER_FLAGS="-L$sysroot/usr/lib/$multiarch -Wl,-rpath-link,$sysroot/usr/lib/$multiarch" \
        ${CLINSIGHT_SHARED_DATA:+-DCLINSIGHT_SHARED_DATA="$CLINSIGHT_SHARED_DATA"}
  cmake --build build-gpu/build -j"${CLINSIGHT_JOBS:-$(nproc)}" ${CLINSIGHT_BUILD_TARGETS:+--target $CLINSIGHT_BUILD_TARGETS} -- -k
  echo "gpu-build: built into build-gpu/build. Run things after: source build-gpu/env.sh"
  echo "  build-gpu/build/app/clinsight-cli --version            (says CUDA available and the device)"
  echo "  (cd build-gpu/build && ctest -R '^core\\.')             (core tests; tst_deviceparity compares CPU and cuda:0)"
  ;;
*)
  echo "usage: scripts/gpu-build.sh pack|build [TARBALL]" >&2
  exit 2
  ;;
esac
