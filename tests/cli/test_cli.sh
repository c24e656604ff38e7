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
for c in dicom-info dicom-render dicom-seg vitals train predict-images predict-vitals evaluate triage explain-image explain-vitals bundle; do
  "$cli" $c --help >"$tmp/h" 2>&1 || { echo "FAILED: $c --help exit $?"; fail=1; }
  grep -qi "usage" "$tmp/h" || { echo "FAILED: $c --help prints no usage"; fail=1; }
done
"$cli" no-such-command >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAILED: unknown command should exit 2"; fail=1; }
# train refuses what it cannot do before any data is read: an unknown vitals layout, --image-from with --image-only
"$cli" train --images "$tmp" --vitals "$tmp" --out "$tmp/o" --vitals-layout transformer 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "vitals-layout 'transformer'" "$tmp/err" || { echo "FAILED: train --vitals-layout transformer (exit $rc)"; cat "$tmp/err"; fail=1; }
"$cli" train --images "$tmp" --vitals "$tmp" --out "$tmp/o" --vitals-objective auroc 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "vitals-objective 'auroc'" "$tmp/err" || { echo "FAILED: train --vitals-objective auroc (exit $rc)"; cat "$tmp/err"; fail=1; }
"$cli" train --images "$tmp" --vitals "$tmp" --out "$tmp/o" --vitals-ema 1 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "vitals-ema '1'" "$tmp/err" || { echo "FAILED: train --vitals-ema 1 (exit $rc)"; cat "$tmp/err"; fail=1; }
"$cli" train --images "$tmp" --vitals "$tmp" --out "$tmp/o" --vitals-input-dropout -0.2 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "vitals-input-dropout '-0.2'" "$tmp/err" || { echo "FAILED: train --vitals-input-dropout -0.2 (exit $rc)"; cat "$tmp/err"; fail=1; }
"$cli" train --images "$tmp" --vitals "$tmp" --out "$tmp/o" --image-from "$tmp" --image-only 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "exclude each other" "$tmp/err" || { echo "FAILED: train --image-from with --image-only (exit $rc)"; cat "$tmp/err"; fail=1; }

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
  # dicom-seg / dicom-render --seg on the corpus's liver segmentation (deflated frames): segments, areas, colour PNG
  liver="$data/dicom/pydicom-data/liver_deflate.dcm"
  "$cli" dicom-seg "$liver" --json >"$tmp/seg.json" || { echo "FAILED: dicom-seg"; fail=1; }
  grep -q '"label": "Liver"' "$tmp/seg.json" || { echo "FAILED: dicom-seg names no Liver segment"; fail=1; }
  grep -q '"areaPixels": 35645' "$tmp/seg.json" || { echo "FAILED: dicom-seg frame 2 area is not pydicom's 35645"; fail=1; }
  "$cli" dicom-render "$liver" --seg "$liver" --frame 1 --out "$tmp/seg.png" >"$tmp/seg.out" || { echo "FAILED: render segmentation alone"; fail=1; }
  grep -q "shown alone): 1 Liver" "$tmp/seg.out" || { echo "FAILED: render --seg did not say what it drew"; cat "$tmp/seg.out"; fail=1; }
  "$cli" dicom-render "$data/dicom/pydicom-testfiles/CT_small.dcm" --seg "$liver" --out "$tmp/x.png" 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] && grep -q "does not refer to" "$tmp/err" || { echo "FAILED: a segmentation of another patient drawn (exit $rc)"; cat "$tmp/err"; fail=1; }
  # bench series on a 40-slice CT made from CT_small.dcm (bench/make-ct-series.py): every slice rendered, memory reported
  if /usr/bin/python3 -c 'import pydicom, numpy' 2>/dev/null; then
    /usr/bin/python3 "$(dirname "$0")/../../bench/make-ct-series.py" "$data/dicom/pydicom-testfiles/CT_small.dcm" "$tmp/ct40" 40
    "$cli" bench series "$tmp/ct40" --cache-mb 4 >"$tmp/series.out" || { echo "FAILED: bench series"; cat "$tmp/series.out"; fail=1; }
    grep -q "40 slices of 512 x 512 (16-bit), ordered by position" "$tmp/series.out" || { echo "FAILED: bench series did not open the 40-slice series"; cat "$tmp/series.out"; fail=1; }
    grep -q "^scrolled 120 slices" "$tmp/series.out" || { echo "FAILED: bench series did not scroll every slice 3 times"; cat "$tmp/series.out"; fail=1; }
    grep -q "peak resident memory .* the raw pixel bytes" "$tmp/series.out" || { echo "FAILED: bench series reports no memory"; fail=1; }
  fi
  mkdir -p "$tmp/noimages"; cp "$data/dicom/pydicom-testfiles/rtplan.dcm" "$tmp/noimages/"
  "$cli" bench series "$tmp/noimages" 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] && grep -q "no DICOM image series" "$tmp/err" || { echo "FAILED: bench series on a folder without images (exit $rc)"; cat "$tmp/err"; fail=1; }
  "$cli" dicom-seg "$data/dicom/pydicom-testfiles/CT_small.dcm" 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] && grep -q "not a DICOM Segmentation" "$tmp/err" || { echo "FAILED: dicom-seg on a CT (exit $rc)"; cat "$tmp/err"; fail=1; }
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
# explain-image / explain-vitals (the explanation contract) on the demo inputs in the repository
demo=$(cd "$(dirname "$0")/../../resources/demo" && pwd)
chest="$demo/demo01-septic-pneumonia/chest.jpeg"; psv=$(ls "$demo"/demo01-septic-pneumonia/*.psv | head -1)
ct=$(ls "$demo"/demo04-ct-not-applicable/*.dcm 2>/dev/null | head -1)
"$cli" explain-image "$chest" --out-dir "$tmp/ex" >/dev/null 2>"$tmp/err" || { echo "FAILED: explain-image on the demo radiograph"; cat "$tmp/err"; fail=1; }
check /usr/bin/python3 - "$chest" "$tmp/ex/chest.cam.png" "$tmp/ex/chest.json" <<'EOF'
import json, struct, sys, zlib
jpeg, png, js = sys.argv[1:4]
b = open(jpeg, 'rb').read()
i = 2
while i < len(b):                      # the JPEG's own size, from its SOF marker
    marker, length = b[i + 1], struct.unpack('>H', b[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC1, 0xC2):
        h, w = struct.unpack('>HH', b[i + 5:i + 9]); break
    i += 2 + length
p = open(png, 'rb').read()
assert p[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pw, ph, depth, colour = struct.unpack('>IIBB', p[16:26])
assert (pw, ph) == (w, h), f'map {pw}x{ph}, frame {w}x{h}'
assert depth == 16 and colour == 0, f'want 16-bit grey, got depth {depth} colour type {colour}'
idat, k = b'', 8
while k < len(p):
    n = struct.unpack('>I', p[k:k + 4])[0]
    if p[k + 4:k + 8] == b'IDAT': idat += p[k + 8:k + 8 + n]
    k += 12 + n
raw = zlib.decompress(idat)
assert len(raw) == ph * (1 + 2 * pw), 'wrong pixel data length'
assert len(set(raw)) > 50, 'the map is (nearly) constant'
j = json.load(open(js))
assert 0 <= j['risk'] <= 1 and isinstance(j['alert'], bool) and isinstance(j['logit'], float), j
assert j['model']['version'] and len(j['model']['weights_sha256']) == 64, j['model']
assert (j['alert'] == (j['risk'] >= j['threshold'])), 'alert does not follow the threshold'
EOF
if [ -n "$ct" ]; then
  "$cli" explain-image "$chest" "$ct" --out-dir "$tmp/ex2" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] || { echo "FAILED: explain-image with a CT must exit 2, got $rc"; fail=1; }
  grep -q "$(basename "$ct").*does not apply" "$tmp/err" || { echo "FAILED: the CT's refusal does not name the file"; cat "$tmp/err"; fail=1; }
  [ -s "$tmp/ex2/chest.cam.png" ] || { echo "FAILED: the radiograph beside a refused CT was not explained"; fail=1; }
fi
"$cli" explain-image "$tmp/nothing.png" --out-dir "$tmp/ex3" 2>"$tmp/err"; [ $? -eq 2 ] || { echo "FAILED: explain-image of a missing file must exit 2"; fail=1; }
grep -q "nothing.png" "$tmp/err" || { echo "FAILED: missing file not named"; fail=1; }
"$cli" explain-vitals "$psv" --hour 5 --json >"$tmp/xv.json" || { echo "FAILED: explain-vitals"; fail=1; }
mkdir -p "$tmp/stay" && cp "$psv" "$tmp/stay/"
"$cli" predict-vitals "$tmp/stay" --out "$tmp/pv.csv" 2>/dev/null || { echo "FAILED: predict-vitals on the demo stay"; fail=1; }
check /usr/bin/python3 - "$tmp/xv.json" "$tmp/pv.csv" <<'EOF'
import csv, json, sys
j = json.load(open(sys.argv[1]))
assert j['hour'] == 5 and len(j['attention']) == 6, j
assert abs(sum(j['attention']) - 1) < 1e-4, sum(j['attention'])
row = [r for r in csv.DictReader(open(sys.argv[2])) if r['hour'] == '5'][0]
assert abs(float(row['risk']) - j['risk']) < 1e-5, (row, j['risk'])   # the hour explained is the hour scored
EOF
"$cli" explain-vitals "$psv" --hour 100000 2>"$tmp/err"; [ $? -eq 2 ] || { echo "FAILED: hour out of range must exit 2"; fail=1; }
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "$(basename "$psv").*out of range" "$tmp/err" || { echo "FAILED: out-of-range hour: want one line naming the file"; cat "$tmp/err"; fail=1; }
"$cli" explain-vitals "$psv" 2>/dev/null; [ $? -eq 2 ] || { echo "FAILED: explain-vitals without --hour must exit 2"; fail=1; }
# Model bundle signatures: the shipped bundle verifies; thresholds edited after signing (all set to 0.01)
# are refused by verify, predict-images and triage (exit 3, one line naming manifest.json); triage
# --scores-only still lists by NEWS2/qSOFA; a bundle signed by a key this installation does not trust is refused.
models=$(cd "$(dirname "$0")/../../models" && pwd)
"$cli" bundle verify "$models/clinsight-hybrid" >"$tmp/bv" || { echo "FAILED: the shipped bundle does not verify"; fail=1; }
grep -q "ClinSight project release key" "$tmp/bv" || { echo "FAILED: bundle verify names no signer"; cat "$tmp/bv"; fail=1; }
cp -r "$models/clinsight-hybrid" "$tmp/edited"
/usr/bin/python3 - "$tmp/edited/manifest.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for b in ("image", "vitals", "fusion"): m[b]["threshold"] = 0.01
json.dump(m, open(sys.argv[1], "w"), indent=4)
EOF
"$cli" bundle verify "$tmp/edited" 2>"$tmp/err" >/dev/null; rc=$?
[ $rc -eq 3 ] || { echo "FAILED: edited thresholds: bundle verify exit $rc, want 3"; fail=1; }
grep -q "manifest.json.*changed after the bundle was signed" "$tmp/err" || { echo "FAILED: edited thresholds not named"; cat "$tmp/err"; fail=1; }
"$cli" predict-images "$demo/demo01-septic-pneumonia" --out "$tmp/pe.csv" --model "$tmp/edited" 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || { echo "FAILED: predict-images with an edited bundle exit $rc, want 3"; cat "$tmp/err"; fail=1; }
"$cli" triage "$demo" --model "$tmp/edited" >"$tmp/tr" 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || { echo "FAILED: triage with an edited bundle exit $rc, want 3"; fail=1; }
grep -q "model bundle refused" "$tmp/err" || { echo "FAILED: triage does not say the bundle was refused"; cat "$tmp/err"; fail=1; }
[ ! -s "$tmp/tr" ] || { echo "FAILED: triage printed a worklist with a refused bundle"; fail=1; }
"$cli" triage "$demo" --model "$tmp/edited" --scores-only --json >"$tmp/tr.json" 2>/dev/null || { echo "FAILED: triage --scores-only"; fail=1; }
check /usr/bin/python3 - "$tmp/tr.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j['model'] is None and j['patients'], j.keys()
assert all(p['fusedRisk'] is None and p['imageRisk'] is None for p in j['patients'])
assert any(p['news2'] is not None for p in j['patients'])
EOF
"$cli" bundle keygen --signer "cli test" --out "$tmp/k" >/dev/null || { echo "FAILED: bundle keygen"; fail=1; }
[ "$(stat -c %a "$tmp/k.key")" = "600" ] || { echo "FAILED: secret key file is not 0600"; fail=1; }
"$cli" bundle keygen --signer "cli test" --out "$tmp/k" >/dev/null 2>&1 && { echo "FAILED: keygen overwrote a key"; fail=1; }
"$cli" bundle sign "$tmp/edited" --key "$tmp/k.key" >/dev/null || { echo "FAILED: bundle sign"; fail=1; }
"$cli" bundle verify "$tmp/edited" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] && grep -q "does not trust" "$tmp/err" || { echo "FAILED: a bundle signed by an untrusted key: exit $rc"; cat "$tmp/err"; fail=1; }
mkdir -p "$tmp/site-keys" && cp "$tmp/k.pub" "$tmp/site-keys/"
CLINSIGHT_TRUSTED_KEYS="$tmp/site-keys" "$cli" bundle verify "$tmp/edited" >/dev/null || { echo "FAILED: a site key in CLINSIGHT_TRUSTED_KEYS is not trusted"; fail=1; }
grep -q "Signed when it was trained by \*\*cli test\*\*" "$tmp/edited/MODEL_CARD.md" || { echo "FAILED: bundle sign did not name the signer in the card"; fail=1; }
printf 'a;b;c\n1;2;3\n' >"$tmp/semi.csv"
"$cli" vitals "$tmp/semi.csv" 2>"$tmp/err"; [ $? -eq 2 ] || { echo "FAILED: wrong delimiter must exit 2"; fail=1; }
[ $fail -eq 0 ] && echo "cli contract ok"
exit $fail
