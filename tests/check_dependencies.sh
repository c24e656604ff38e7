#!/usr/bin/env bash
# The dependency rules of core (core/README.md), checked on the source tree:
#  1. core never includes QtGui/QtWidgets;
#  2. public headers (*/include/) never include LibTorch, DCMTK, OpenCV or OpenJPEG;
#  3. each heavy library is included only inside its subsystem's private sources:
#     LibTorch only by model/internal/torch_p.h, DCMTK/OpenJPEG only in dicom/src (dcmnet: pacs/src),
#     OpenCV only in imaging/src, model/src and training/src, libsodium only in security/src, SQLCipher only in storage/src,
#     libpng/libjpeg only in imaging/src;
#  4. a subsystem includes only the subsystems below it (the table below);
#  5. app/ and ui/ include no private header (*_p.h) of core.
# Usage: check_dependencies.sh ROOT      check the tree at ROOT
#        check_dependencies.sh --self-test ROOT   plant violations in a copy and require each to fail
set -u

declare -A allowed=(
  [foundation]=""
  [security]="foundation"
  [imaging]="foundation"
  [dicom]="imaging foundation"
  [pacs]="foundation"
  [vitals]="foundation"
  [scores]="vitals foundation"
  [storage]="security foundation"
  [model]="dicom imaging scores vitals security foundation"
  [training]="model dicom imaging vitals scores security foundation"
  [clinical]="pacs model dicom imaging vitals scores storage security foundation"
)

check() {
  local root=$1 fail=0 hits
  hits=$(grep -rnE '#include *<(QtGui|QtWidgets|QWidget|QImage|QPixmap|QPainter|QColor|QMainWindow|QLabel|QApplication|QGuiApplication)' "$root/core" || true)
  [ -n "$hits" ] && { echo "core includes GUI headers:"; echo "$hits"; fail=1; }
  hits=$(find "$root/core" -path '*/include/*' -name '*.h' -print0 | xargs -0 grep -nE '#include *[<"](torch/|ATen/|c10/|dcmtk/|opencv2/|openjpeg)' || true)
  [ -n "$hits" ] && { echo "public headers include heavy third-party headers:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"](torch/|ATen/|c10/)' "$root/core" "$root/app" "$root/ui" | grep -v "^$root/core/model/internal/torch_p.h:" || true)
  [ -n "$hits" ] && { echo "LibTorch included outside model/internal/torch_p.h:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"](torch_p|networks_p|gradcam_p|fitting_p)\.h' "$root/core" | grep -vE "^$root/core/(model|training)/" || true)
  [ -n "$hits" ] && { echo "LibTorch-bearing private headers used outside model/ and training/:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"](dcmtk/|openjpeg)' "$root/core" "$root/app" "$root/ui" | grep -vE "^$root/core/(dicom|pacs)/src/" || true)
  [ -n "$hits" ] && { echo "DCMTK/OpenJPEG included outside core/dicom/src and core/pacs/src:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"]xgboost/' "$root/core" "$root/app" "$root/ui" | grep -vE "^$root/core/training/src/" || true)
  [ -n "$hits" ] && { echo "XGBoost included outside training/src:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"]sodium' "$root/core" "$root/app" "$root/ui" | grep -vE "^$root/core/security/src/" || true)
  [ -n "$hits" ] && { echo "libsodium included outside core/security/src:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"](sqlcipher/|sqlite3\.h|QSql)' "$root/core" "$root/app" "$root/ui" | grep -vE "^$root/core/storage/src/" || true)
  [ -n "$hits" ] && { echo "SQLite/SQLCipher (or QtSql) included outside core/storage/src:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"](png|jpeglib)\.h' "$root/core" "$root/app" "$root/ui" | grep -vE "^$root/core/imaging/src/" || true)
  [ -n "$hits" ] && { echo "libpng/libjpeg included outside core/imaging/src:"; echo "$hits"; fail=1; }
  hits=$(grep -rnE '#include *[<"]opencv2/' "$root/core" "$root/app" "$root/ui" | grep -vE "^$root/core/(imaging|model|training)/src/" || true)
  [ -n "$hits" ] && { echo "OpenCV included outside imaging/model/training sources:"; echo "$hits"; fail=1; }
  local sub dir f used
  for dir in "$root"/core/*/; do
    sub=$(basename "$dir")
    if [ -z "${allowed[$sub]+set}" ]; then echo "core/$sub: a subsystem missing from the dependency table"; fail=1; continue; fi
    while IFS= read -r line; do
      f=${line%%:*}
      used=$(echo "$line" | sed -E 's|.*#include *[<"]clinsight/([a-z]+)/.*|\1|')
      [ "$used" = "$sub" ] && continue
      case " ${allowed[$sub]} " in *" $used "*) ;; *) echo "core/$sub may not use $used: $line"; fail=1 ;; esac
    done < <(grep -rnE '#include *[<"]clinsight/[a-z]+/' "$dir" || true)
  done
  hits=$(grep -rnE '#include *[<"][^">]*_p\.h' "$root/app" "$root/ui" || true)
  [ -n "$hits" ] && { echo "app/ui include private core headers:"; echo "$hits"; fail=1; }
  return $fail
}

if [ "${1:-}" = "--self-test" ]; then
  root=$2
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  check "$root" >/dev/null || { echo "self-test: the real tree must pass first"; check "$root"; exit 1; }
  plant() {  # plant FILE LINE: the check must fail on a copy holding LINE in FILE
    rm -rf "$tmp/t"; mkdir -p "$tmp/t"; cp -r "$root/core" "$root/app" "$root/ui" "$tmp/t/"
    mkdir -p "$(dirname "$tmp/t/$1")"; echo "$2" >>"$tmp/t/$1"
    if check "$tmp/t" >/dev/null; then echo "self-test FAILED: not detected: $2 in $1"; return 1; fi
  }
  ok=0
  plant core/storage/src/clinicalstore.cpp '#include "clinsight/clinical/assessment.h"' || ok=1
  plant core/scores/src/news2.cpp '#include "clinsight/model/hybridmodel.h"' || ok=1
  plant core/dicom/include/clinsight/dicom/dicom.h '#include <dcmtk/dcmdata/dctk.h>' || ok=1
  plant core/clinical/src/triage.cpp '#include <torch/torch.h>' || ok=1
  plant core/vitals/src/vitalsimport.cpp '#include <QImage>' || ok=1
  plant ui/riskpanel.cpp '#include "networks_p.h"' || ok=1
  plant core/storage/src/clinicalstore.cpp '#include <opencv2/core.hpp>' || ok=1
  plant core/model/src/bundlesignature.cpp '#include <sodium.h>' || ok=1
  plant core/security/src/signing.cpp '#include "clinsight/model/hybridmodel.h"' || ok=1
  [ $ok -eq 0 ] && echo "self-test ok: every planted violation was detected"
  exit $ok
fi

root=$1
if check "$root"; then
  echo "dependencies ok: $(grep -rlE '#include *"(torch_p|networks_p|gradcam_p|fitting_p)\.h"' "$root/core" --include=*.cpp | wc -l) LibTorch translation units"
  exit 0
fi
exit 1
