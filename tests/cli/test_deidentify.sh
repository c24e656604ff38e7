#!/usr/bin/env bash
# clinsight-cli deidentify: real radiographs (JPEG 2000) and the demo's patient folder. Exit 4 when only
# images that may show burned-in text were held back, 0 once confirmed; every DICOM output passes dciodvfy
# with no error its input did not have and names neither the patient nor the original UIDs; the mapping
# file is owner-only and is the only place the original names appear; junk input exits 2, named.
set -u
cli=$1; data=$2; root=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
RG1=$data/dicom/pydicom-data/RG1_J2KI.dcm; RG3=$data/dicom/pydicom-data/RG3_J2KR.dcm
for f in "$RG1" "$RG3"; do [ -f "$f" ] || { echo "SKIP: $f not present (../shared/data)"; exit 0; }; done
command -v dciodvfy >/dev/null && command -v dcmdump >/dev/null || { echo "FAILED: dciodvfy/dcmdump not installed (scripts/install-deps.sh)"; exit 1; }
demo="$root/resources/demo/demo01-septic-pneumonia"
"$cli" deidentify "$RG1" "$RG3" "$demo" --out "$tmp/a" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 4 ] && grep -q "refused: .*chest.jpeg" "$tmp/err" || { echo "FAILED: JPEG without confirmation: exit $rc, want 4"; cat "$tmp/err"; fail=1; }
umask 022
"$cli" deidentify "$RG1" "$RG3" "$demo" --out "$tmp/b" --confirm-burned-in --mapping "$tmp/map.csv" >"$tmp/out" 2>"$tmp/err" \
  || { echo "FAILED: confirmed export: exit $?"; cat "$tmp/err"; fail=1; }
[ "$(stat -c %a "$tmp/map.csv")" = "600" ] || { echo "FAILED: mapping file not 600"; fail=1; }
bad_modes=$(find "$tmp/b" \( -type f ! -perm 600 \) -o \( -type d ! -perm 700 \))
[ -z "$bad_modes" ] || { echo "FAILED: not owner-only: $bad_modes"; fail=1; }
[ "$(wc -l <"$tmp/map.csv")" -eq 4 ] || { echo "FAILED: mapping rows"; cat "$tmp/map.csv"; fail=1; }
for f in "$RG1" "$RG3"; do
  name=$(dcmdump +P PatientName "$f" | sed -E 's/.*\[(.*)\].*/\1/'); study=$(dcmdump +P StudyInstanceUID "$f" | sed -E 's/.*\[(.*)\].*/\1/')
  [ -n "$name" ] && grep -rlaF "$name" "$tmp/b" && { echo "FAILED: '$name' in the copy"; fail=1; }
  grep -rlaF "$study" "$tmp/b" && { echo "FAILED: original study UID $study in the copy"; fail=1; }
done
n=0
for o in $(cut -f2 "$tmp/out" | grep '\.dcm$'); do
  n=$((n + 1))
  dciodvfy "$o" 2>&1 | grep '^Error' | sort >"$tmp/after"
  # its input: the one with the same SOP class and rows (two radiographs of different sizes)
  rows=$(dcmdump +P Rows "$o" | awk '{print $3}')
  for f in "$RG1" "$RG3"; do [ "$(dcmdump +P Rows "$f" | awk '{print $3}')" = "$rows" ] && src=$f; done
  dciodvfy "$src" 2>&1 | grep '^Error' | sort >"$tmp/before"
  new=$(comm -13 "$tmp/before" "$tmp/after")
  [ -z "$new" ] || { echo "FAILED: dciodvfy errors added in $(basename "$o"):"; echo "$new"; fail=1; }
  dcmdump +P PatientIdentityRemoved "$o" | grep -q YES || { echo "FAILED: PatientIdentityRemoved"; fail=1; }
  [ "$(dcmdump +P TransferSyntaxUID "$o" | sed -E 's/.*=([A-Za-z0-9]+).*/\1/')" = "$(dcmdump +P TransferSyntaxUID "$src" | sed -E 's/.*=([A-Za-z0-9]+).*/\1/')" ] \
    || { echo "FAILED: transfer syntax changed"; fail=1; }
done
[ $n -eq 2 ] || { echo "FAILED: $n DICOM outputs, want 2"; cat "$tmp/out"; fail=1; }
grep -q "vitals.psv" "$tmp/out" && grep -q "patient.json" "$tmp/out" && grep -q "image-1.png" "$tmp/out" || { echo "FAILED: the demo patient's folder"; cat "$tmp/out"; fail=1; }
grep -rlaF "DEMO01" "$tmp/b" && { echo "FAILED: the demo's name in the copy"; fail=1; }
"$cli" deidentify "$demo" --out "$tmp/r" --confirm-burned-in --with-results >"$tmp/out" 2>"$tmp/err" || { echo "FAILED: --with-results"; cat "$tmp/err"; fail=1; }
res=$(grep results.json "$tmp/out" | cut -f2)
[ -f "$res" ] && /usr/bin/python3 - "$res" <<'PY' || { echo "FAILED: results.json"; cat "$res"; fail=1; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["patient"].startswith("CS-") and "not a diagnosis" in r["disclaimer"]
assert 0 <= r["image_branch"]["pneumonia_risk"] <= 1 and r["vitals_branch"]["sepsis_risk_per_hour"] and "points" in r["news2"]
assert r["model"]["name"] == "clinsight-hybrid"
PY
grep -qaF "DEMO01" "$res" && { echo "FAILED: the demo's name in results.json"; fail=1; }
printf 'not dicom' >"$tmp/junk.dcm"
"$cli" deidentify "$tmp/junk.dcm" --out "$tmp/c" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "junk.dcm" "$tmp/err" || { echo "FAILED: junk input: exit $rc"; cat "$tmp/err"; fail=1; }
"$cli" deidentify "$RG1" --out "$tmp/b" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "not empty" "$tmp/err" || { echo "FAILED: a non-empty output folder: exit $rc"; fail=1; }
[ $fail -eq 0 ] && echo "deidentify contract ok"
exit $fail
