#!/usr/bin/env bash
# clinsight-cli report (GUI build): a demo patient's PDF holds the disclaimer, both branches' risks
# beside their alert levels, NEWS2/qSOFA, the model's identity and says why notes are absent;
# a folder that is not a patient's exits 2 and writes nothing.
set -u
cli=$1; root=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
command -v pdftotext >/dev/null || { echo "FAILED: pdftotext not installed (scripts/install-deps.sh)"; exit 1; }
"$cli" report "$root/resources/demo/demo01-septic-pneumonia" --out "$tmp/r.pdf" --database "$tmp/none.sqlite" >/dev/null 2>"$tmp/err" \
  || { echo "FAILED: report exit $?"; cat "$tmp/err"; exit 1; }
[ "$(head -c 4 "$tmp/r.pdf")" = "%PDF" ] || { echo "FAILED: not a PDF"; fail=1; }
[ "$(stat -c %a "$tmp/r.pdf")" = "600" ] || { echo "FAILED: the report is $(stat -c %a "$tmp/r.pdf"), want 600 (it names the patient)"; fail=1; }
pdftotext -layout "$tmp/r.pdf" "$tmp/r.txt"
for want in "NOT A DIAGNOSIS" "Pneumonia risk (image branch)" "alert level" "Sepsis risk (vitals branch" "Fused risk" "NEWS2" "qSOFA" \
            "Grad-CAM of the image branch" "clinsight-hybrid" "Notes not included: no clinical database"; do
  grep -qF "$want" "$tmp/r.txt" || { echo "FAILED: the report lacks '$want'"; fail=1; }
done
weights=$(/usr/bin/python3 -c "import json; print(json.load(open('$root/models/clinsight-hybrid/manifest.json'))['files']['weights.pt'])")
tr -d ' \n' <"$tmp/r.txt" | grep -q "weightsSHA-256$weights" || { echo "FAILED: the weights SHA-256 is not the shipped bundle's"; fail=1; }
"$cli" report "$root/resources" --out "$tmp/bad.pdf" >/dev/null 2>"$tmp/err2"; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/bad.pdf" ] || { echo "FAILED: a folder that is not a patient's: exit $rc"; cat "$tmp/err2"; fail=1; }
[ $fail -eq 0 ] && echo "report tests passed"
exit $fail
