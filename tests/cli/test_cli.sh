#!/usr/bin/env bash
# The CLI contract: --help/--version answer, every subcommand has --help,
# dicom-render writes a PNG or exits 2 with a one-line reason.
set -u
cli=$1; data=${2:-}
fail=0
check() { if ! "$@"; then echo "FAILED: $*"; fail=1; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

check "$cli" --help >/dev/null
"$cli" --version >"$tmp/v"; check grep -q "LibTorch" "$tmp/v"; check grep -q "CUDA" "$tmp/v"; check grep -q "DCMTK" "$tmp/v"
for c in dicom-info dicom-render vitals train predict-images predict-vitals evaluate triage; do
  "$cli" $c --help >"$tmp/h" 2>&1 || { echo "FAILED: $c --help exit $?"; fail=1; }
  grep -qi "usage" "$tmp/h" || { echo "FAILED: $c --help prints no usage"; fail=1; }
done
"$cli" no-such-command >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAILED: unknown command should exit 2"; fail=1; }

echo "not dicom" >"$tmp/bad.dcm"
"$cli" dicom-render "$tmp/bad.dcm" --out "$tmp/x.png" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || { echo "FAILED: bad input exit $rc, want 2"; fail=1; }
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAILED: want one-line reason, got:"; cat "$tmp/err"; fail=1; }
grep -q "bad.dcm" "$tmp/err" || { echo "FAILED: reason does not name the file"; fail=1; }

if [ -d "$data/dicom" ]; then
  "$cli" dicom-render "$data/dicom/pydicom-testfiles/CT_small.dcm" --out "$tmp/ct.png" || { echo "FAILED: render CT_small"; fail=1; }
  [ -s "$tmp/ct.png" ] || { echo "FAILED: no PNG written"; fail=1; }
  "$cli" dicom-render "$data/dicom/pydicom-testfiles/rtplan.dcm" --out "$tmp/rt.png" 2>/dev/null; [ $? -eq 2 ] || { echo "FAILED: RT plan must exit 2"; fail=1; }
  "$cli" dicom-info --json "$data/dicom/pydicom-testfiles/dicomdirtests/DICOMDIR" >"$tmp/dd.json" || { echo "FAILED: dicom-info DICOMDIR"; fail=1; }
  grep -q '"patients"' "$tmp/dd.json" || { echo "FAILED: dicom-info JSON has no patients"; fail=1; }
  "$cli" vitals "$data/vitals/physionet2019/training_setB/p100002.psv" --json >"$tmp/v.json" || { echo "FAILED: vitals psv"; fail=1; }
  grep -q '"news2"' "$tmp/v.json" || { echo "FAILED: vitals JSON has no NEWS2"; fail=1; }
  # predict-images reads JPEG, PNG and DICOM (a chest CR); one scored row each
  mkdir -p "$tmp/imgs"
  cp "$data/cxr/kermany224/train/person1000_bacteria_2931.jpeg" "$tmp/imgs/a.jpeg"
  cp "$data/dicom/pydicom-data/RG1_J2KI.dcm" "$tmp/imgs/c.dcm"
  "$cli" dicom-render "$tmp/imgs/c.dcm" --out "$tmp/imgs/b.png" >/dev/null || { echo "FAILED: render RG1 to PNG"; fail=1; }
  "$cli" predict-images "$tmp/imgs" --out "$tmp/pi.csv" || { echo "FAILED: predict-images"; fail=1; }
  for f in a.jpeg b.png c.dcm; do
    grep -Eq "^\"?[^,]*$f\"?,(0|1)\.[0-9]+,(0|1)$" "$tmp/pi.csv" || { echo "FAILED: predict-images gave no risk for $f"; cat "$tmp/pi.csv"; fail=1; }
  done
else
  echo "SKIP data checks: $data absent"
fi
printf 'a;b;c\n1;2;3\n' >"$tmp/semi.csv"
"$cli" vitals "$tmp/semi.csv" 2>"$tmp/err"; [ $? -eq 2 ] || { echo "FAILED: wrong delimiter must exit 2"; fail=1; }
[ $fail -eq 0 ] && echo "cli contract ok"
exit $fail
