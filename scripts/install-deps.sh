#!/usr/bin/env bash
# Installs the exact Debian 12 packages ClinSight builds, tests and runs with.
# Idempotent: packages already present are not touched, and apt is not even
# consulted when nothing is missing. Root uses apt-get directly, others sudo.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config ca-certificates
  # Qt 6: Core, Gui, Widgets, Test, Concurrent, Network, PrintSupport (all in qt6-base-dev)
  qt6-base-dev qt6-base-dev-tools libgl-dev
  # QCustomPlot for Qt 6 (CMake package QCustomPlotQt6)
  libqcustomplot-dev libqcustomplot2.1-qt6
  # LibTorch 1.13 (CPU)
  libtorch-dev
  # DCMTK with its JPEG/JPEG-LS/RLE codecs, OpenJPEG for JPEG 2000 / HTJ2K
  libdcmtk-dev dcmtk libopenjp2-7-dev
  # CharLS: JPEG-LS streams DCMTK's codec refuses (e.g. 7 bits stored)
  libcharls-dev
  # OpenCV: image processing, ml (baselines); PNG/JPEG files through libpng and libjpeg-turbo
  libopencv-core-dev libopencv-imgproc-dev libopencv-ml-dev libpng-dev libjpeg62-turbo-dev zlib1g-dev
  libxgboost-dev
  # libsodium: Ed25519 signatures of model bundles and of the audit log's head
  libsodium-dev
  # SQLCipher: the clinical database encrypted at rest; its shell lets the tests tamper as an insider with the key
  libsqlcipher-dev sqlcipher
  # packaging (dpkg-shlibdeps computes the .deb's Depends; CPack finds ELF files with `file`)
  dpkg-dev file
  # the PACS in tests and demos (Orthanc + DICOMweb plugin), dciodvfy for every object we write, curl for Orthanc's REST API
  orthanc orthanc-dicomweb dicom3tools curl
  # pydicom with GDCM and Pillow: the peer every DICOM file ClinSight renders is compared with (dicom.corpus_vs_pydicom)
  python3-pydicom python3-gdcm python3-numpy python3-pil
  # pdftotext: the PDF report's test reads its text
  poppler-utils
  # a font for offscreen rendering (screenshots, GUI tests)
  fonts-dejavu-core fontconfig
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Orthanc's package starts a system-wide PACS on 4242/8042 when installed; the tests start
# their own on free ports, so services are not started during this install (policy-rc.d),
# and the file is removed again if it was ours.
policy=/usr/sbin/policy-rc.d; ours=0
if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' | $SUDO tee $policy >/dev/null && $SUDO chmod 755 $policy && ours=1; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" || { [ $ours = 1 ] && $SUDO rm -f $policy; exit 1; }
[ $ours = 1 ] && $SUDO rm -f $policy
true
