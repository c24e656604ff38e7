#!/usr/bin/env bash
# The layer rule: core never includes QtGui/QtWidgets; core's public headers
# (everything but *_p.h) never include LibTorch, DCMTK or OpenCV.
set -u
root=$1
fail=0
gui=$(grep -rnE '#include *<(QtGui|QtWidgets|QWidget|QImage|QPixmap|QPainter|QColor|QMainWindow|QLabel|QApplication|QGuiApplication)' "$root/core" || true)
if [ -n "$gui" ]; then echo "core includes GUI headers:"; echo "$gui"; fail=1; fi
heavy=$(find "$root/core" -name '*.h' ! -name '*_p.h' -print0 | xargs -0 grep -nE '#include *[<"](torch/|ATen/|c10/|dcmtk/|opencv2/|openjpeg)' || true)
if [ -n "$heavy" ]; then echo "public core headers include heavy third-party headers:"; echo "$heavy"; fail=1; fi
torchTUs=$(grep -rlE '#include *[<"](torch/|ATen/)' "$root/core" "$root/app" "$root/ui" 2>/dev/null | wc -l)
echo "translation units and private headers including LibTorch: $torchTUs"
[ $fail -eq 0 ] && echo "layers ok"
exit $fail
