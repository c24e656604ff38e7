#!/usr/bin/env bash
# Builds the .deb from this build tree, checks its Depends, unpacks it into a
# scratch root (dpkg -x: no root, no container) and runs the installed
# clinsight-cli --version and the headless worklist on the installed demo.
set -euo pipefail
build=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$build" && cpack -G DEB -B "$tmp/pkg" >/dev/null)
deb=$(ls "$tmp"/pkg/*.deb)
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for need in libsqlcipher0 libsodium23 libqt6core6 libqt6widgets6 libdcmtk libopenjp2 libopencv-core libqcustomplot libtorch; do
  echo "$depends" | grep -q "$need" || { echo "FAILED: Depends lacks $need"; exit 1; }
done
dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/clinsight ./usr/bin/clinsight-cli ./usr/share/clinsight/models/clinsight-hybrid/manifest.json \
         ./usr/share/clinsight/models/clinsight-hybrid/MODEL_CARD.md ./usr/share/clinsight/demo/ATTRIBUTION.md \
         ./usr/share/clinsight/rules/treatment-rules.json ./usr/share/applications/clinsight.desktop \
         ./usr/share/icons/hicolor/scalable/apps/clinsight.svg ./usr/share/doc/clinsight/DATA_LICENSES.md; do
  grep -q " $f\$" "$tmp/contents" || { echo "FAILED: package lacks $f"; exit 1; }
done
dpkg -x "$deb" "$tmp/root"
"$tmp/root/usr/bin/clinsight-cli" --version | tee "$tmp/version"
grep -q "LibTorch" "$tmp/version"
# No installed binary names the source or build tree, and the installed program
# takes its model, demo and rules from the installed share/, never from a source tree.
src=$(cd "$(dirname "$0")/../.." && pwd)
for b in "$tmp"/root/usr/bin/*; do
  if strings "$b" | grep -qF -e "$src" -e "$build"; then
    echo "FAILED: $(basename "$b") embeds a build-machine path:"; strings "$b" | grep -F -e "$src" -e "$build" | head -5; exit 1
  fi
done
for r in "Model bundle" "Demo cohort" "Treatment rules"; do
  line=$(grep "^$r: " "$tmp/version") || { echo "FAILED: --version does not say where the $r came from"; exit 1; }
  case "$line" in
    "$r: $tmp/root/usr/share/clinsight/"*"(installed)") ;;
    *) echo "FAILED: the installed program used another $r: $line"; exit 1 ;;
  esac
done
# The installed files alone: no source tree, no ../shared, no network.
cd "$tmp"
env -u CLINSIGHT_MODEL_DIR "$tmp/root/usr/bin/clinsight-cli" triage "$tmp/root/usr/share/clinsight/demo" --json >"$tmp/triage.json" 2>"$tmp/triage.err"
grep -q '"rank": 10' "$tmp/triage.json" || { echo "FAILED: triage did not list 10 patients"; cat "$tmp/triage.err"; exit 1; }
grep -q '"model": "clinsight-hybrid' "$tmp/triage.json" || { echo "FAILED: installed model not used"; cat "$tmp/triage.err"; exit 1; }
head -c 600 "$tmp/triage.json"; echo
# The installed GUI on the installed demo, offscreen.
QT_QPA_PLATFORM=offscreen CLINSIGHT_NO_DIALOGS=1 "$tmp/root/usr/bin/clinsight" --demo --database "$tmp/demo.sqlite" \
  --screenshot "$tmp/demo.png" 2>"$tmp/gui.err" || { echo "FAILED: installed clinsight --demo"; cat "$tmp/gui.err"; exit 1; }
[ -s "$tmp/demo.png" ] || { echo "FAILED: no screenshot from the installed GUI"; exit 1; }
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$tmp/root/usr/bin/clinsight" --help >/dev/null
echo "installer test ok"
