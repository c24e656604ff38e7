#!/usr/bin/env bash
# The hospital side against a real PACS: Orthanc (Debian's orthanc + orthanc-dicomweb)
# started here on 127.0.0.1 with a temporary configuration and free ports, stopped at
# the end. The corpus' radiographs (a chest CR, a tibia CR, a CT) are pushed to it; then
# echo, find, retrieve (C-MOVE, C-GET, WADO-RS), triage with results stored through DIMSE
# and DICOMweb, the SRs and captures read back through Orthanc's REST API and checked
# (content, dciodvfy), the listener fed good and bad objects, and peers that fail.
set -u
cli=$1; data=$2; here=$(cd "$(dirname "$0")" && pwd)
RG1=$data/dicom/pydicom-data/RG1_J2KI.dcm; RG3=$data/dicom/pydicom-data/RG3_J2KR.dcm; CT=$data/dicom/pydicom-testfiles/CT_small.dcm
for f in "$RG1" "$RG3" "$CT"; do [ -f "$f" ] || { echo "SKIP: $f not present (../shared/data)"; exit 0; }; done
for t in Orthanc curl dciodvfy dsrdump dcmodify storescu; do command -v $t >/dev/null || { echo "FAILED: $t not installed (scripts/install-deps.sh)"; exit 1; }; done
tmp=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi; }
py=/usr/bin/python3
. "$here/orthanc.sh"
start_orthanc "$tmp" || { echo "FAILED: Orthanc"; exit 1; }
pids+=($opid)
for f in "$RG1" "$RG3" "$CT"; do curl -sf -X POST --data-binary @"$f" $rest/instances >/dev/null || { echo "FAILED: push $f"; exit 1; }; done
# same_dataset A B: the data sets (everything after the file meta group) are byte-identical.
same_dataset() { $py - "$1" "$2" <<'PY'
import struct, sys
def body(p):
    b = open(p, 'rb').read()
    assert b[128:132] == b'DICM' and b[132:136] == b'\x02\x00\x00\x00'
    return b[144 + struct.unpack('<I', b[140:144])[0]:]
sys.exit(body(sys.argv[1]) != body(sys.argv[2]))
PY
}
uid() { dcmdump -q +P 0020,000d "$1" | sed -E 's/.*\[([^]]*)\].*/\1/'; }
U1=$(uid "$RG1"); U3=$(uid "$RG3")

# echo, find
check "echo DIMSE" "$cli" pacs echo --pacs $pacs
check "echo DICOMweb" "$cli" pacs echo --dicomweb $web
"$cli" pacs find --pacs $pacs --modality CR,DX --json >"$tmp/find.json" 2>"$tmp/err"
check "C-FIND lists the two CR studies and not the CT" $py -c "import json,sys; s=json.load(open(sys.argv[1]))['studies']; u=sorted(x['studyUid'] for x in s); sys.exit(u!=sorted([sys.argv[2],sys.argv[3]]))" "$tmp/find.json" $U1 $U3
"$cli" pacs find --dicomweb $web --patient-id 9RG1 --json >"$tmp/qido.json"
check "QIDO-RS finds RG1 by patient id" $py -c "import json,sys; s=json.load(open(sys.argv[1]))['studies']; sys.exit(not(len(s)==1 and s[0]['studyUid']==sys.argv[2] and s[0]['patientName']=='CompressedSamples^RG1'))" "$tmp/qido.json" $U1
"$cli" pacs find --pacs $pacs --study-date 20040801-20041231 --json >"$tmp/date.json"
check "date range Aug-Dec 2004: the two CRs (2004-08-26), not the CT (2004-01-19)" $py -c "import json,sys; s=json.load(open(sys.argv[1]))['studies']; u=sorted(x['studyUid'] for x in s); sys.exit(u!=sorted([sys.argv[2],sys.argv[3]]))" "$tmp/date.json" $U1 $U3

# retrieve: three ways, each byte-identical to what was pushed (transfer syntax kept)
for how in "move --pacs $pacs --port $ourport" "get --pacs $pacs" "web --dicomweb $web"; do
  set -- $how; m=$1; shift
  args=("$@"); [ $m = get ] && args+=(--method get)
  "$cli" pacs retrieve "${args[@]}" --study $U1 --to "$tmp/ret-$m" 2>"$tmp/err" >/dev/null
  check "retrieve ($m) complete, data set byte-identical (transfer syntax kept)" same_dataset "$RG1" "$tmp/ret-$m/$U1/"*.dcm
done

# triage with results stored back, through DIMSE then DICOMweb
"$cli" pacs triage --pacs $pacs --port $ourport --modality CR,DX,CT --to "$tmp/tri" --store-results --json >"$tmp/tri.json" 2>"$tmp/err"
check "DIMSE triage exits 0" test $? -eq 0
check "worklist: RG1 scored and stored, RG3 and CT not applicable, no failure" $py - "$tmp/tri.json" $U1 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))['studies']
by = {x['study']['studyUid']: x for x in s}
r1 = by[sys.argv[2]]
ok = r1['status'] == 'SR+SC stored' and r1['applicable'] and len(r1['resultInstances']) == 2
ok = ok and sum(1 for x in s if x['status'] == 'not applicable') == 2 and all(x['failure'] is None for x in s)
ok = ok and s[0]['study']['studyUid'] == sys.argv[2]      # the scored study first
sys.exit(not ok)
PY
risk=$($py -c "import json,sys; s=json.load(open(sys.argv[1]))['studies']; print('%.2f' % (100*[x for x in s if x['applicable']][0]['imageRisk']))" "$tmp/tri.json")

# Read the results back from the PACS (REST), check them with dciodvfy and their content.
readback() {  # readback MODALITY OUT: the instances of that modality in study U1
  curl -sf -X POST $rest/tools/find -d "{\"Level\":\"Instance\",\"Query\":{\"StudyInstanceUID\":\"$U1\",\"Modality\":\"$1\"}}" \
    | $py -c "import json,sys; [print(i) for i in json.load(sys.stdin)]" >"$tmp/ids"
  n=0; while read -r id; do n=$((n+1)); curl -sf $rest/instances/$id/file -o "$2.$n.dcm"; done <"$tmp/ids"; echo $n
}
nsr=$(readback SR "$tmp/sr"); nsc=$(readback OT "$tmp/sc")
check "one SR and one SC in the source study on the PACS" test "$nsr" = 1 -a "$nsc" = 1
dciodvfy "$tmp/sr.1.dcm" >"$tmp/sr.vfy" 2>&1; dciodvfy "$tmp/sc.1.dcm" >"$tmp/sc.vfy" 2>&1
check "dciodvfy: SR without error" bash -c "! grep -q '^Error' '$tmp/sr.vfy'"
check "dciodvfy: SC without error" bash -c "! grep -q '^Error' '$tmp/sc.vfy'"
grep '^Error' "$tmp/sr.vfy" "$tmp/sc.vfy"
dsrdump "$tmp/sr.1.dcm" >"$tmp/sr.txt" 2>/dev/null
check "SR: pneumonia risk (image branch) = the worklist's risk, in %" grep -q "\"Pneumonia risk (image branch)\")=\"$risk\" (%,UCUM" "$tmp/sr.txt"
check "SR: the risk is inferred from the scored CR image" grep -q "inferred from IMAGE" "$tmp/sr.txt"
check "SR: threshold, alert flag, model name/version/weights, disclaimer" bash -c "grep -q 'Alert level (image branch)' '$tmp/sr.txt' && grep -q 'Above alert level (image branch)' '$tmp/sr.txt' && grep -q 'Algorithm Name' '$tmp/sr.txt' && grep -q 'Algorithm Version' '$tmp/sr.txt' && grep -q 'Model weights SHA-256' '$tmp/sr.txt' && dcmdump +P 0040,a160 '$tmp/sr.1.dcm' | grep -q 'For research and decision support - not a diagnosis'"
weights=$($py -c "import json; print(json.load(open('$here/../../models/clinsight-hybrid/manifest.json'))['files']['weights.pt'])")
check "SR: the weights SHA-256 is the shipped bundle's" bash -c "dcmdump +P 0040,a160 '$tmp/sr.1.dcm' | grep -q $weights"
check "SC: DERIVED\\SECONDARY, burned-in annotation, RGB, references the source" bash -c "dcmdump '$tmp/sc.1.dcm' | grep -q 'DERIVED\\\\SECONDARY' && dcmdump +P 0028,0301 '$tmp/sc.1.dcm' | grep -q YES && dcmdump +P 0028,0004 '$tmp/sc.1.dcm' | grep -q RGB && dcmdump +P 0008,1155 '$tmp/sc.1.dcm' | grep -q $(dcmdump -q +P 0008,0018 "$RG1" | sed -E 's/.*\[([^]]*)\].*/\1/')"
check "SR/SC in the source study, same patient" bash -c "for f in '$tmp/sr.1.dcm' '$tmp/sc.1.dcm'; do dcmdump +P 0020,000d \$f | grep -q $U1 && dcmdump +P 0010,0020 \$f | grep -q 9RG1 || exit 1; done"

# Series level: the source study now holds the CR, our SR and our capture.
for how in "--pacs $pacs" "--dicomweb $web"; do
  "$cli" pacs find $how --study $U1 --json >"$tmp/series.json" 2>"$tmp/err"
  check "series-level find ($how): CR, SR and OT series" $py -c "import json,sys; s=json.load(open(sys.argv[1]))['series']; sys.exit(sorted(x['modality'] for x in s)!=['CR','OT','SR'])" "$tmp/series.json"
done
"$cli" pacs triage --dicomweb $web --to "$tmp/triweb" --store-results --json >"$tmp/triweb.json" 2>"$tmp/err"
check "DICOMweb triage: RG1 scored (not our own SC), stored by STOW-RS" $py -c "import json,sys; s=json.load(open(sys.argv[1]))['studies']; r=[x for x in s if x['study']['studyUid']==sys.argv[2]][0]; sys.exit(not(r['status']=='SR+SC stored' and abs(100*r['imageRisk']-float(sys.argv[3]))<0.01))" "$tmp/triweb.json" $U1 $risk
check "two SRs in the study after the DICOMweb run" test "$(readback SR "$tmp/sr2")" = 2

# Bad network and bad peers: the node and the step named, exit 1, nothing half-kept.
expect_fail() {  # expect_fail WHAT PATTERN COMMAND...
  local what=$1 pat=$2; shift 2
  "$@" >"$tmp/o" 2>"$tmp/e"; local rc=$?
  if [ $rc -eq 1 ] && grep -qE "$pat" "$tmp/e"; then echo "ok: $what"; else echo "FAILED: $what (exit $rc)"; cat "$tmp/e"; fail=1; fi
}
closed=$(freeport)
expect_fail "unreachable host" "PACS ORTHANC@127.0.0.1:$closed: C-ECHO: .*refused" "$cli" pacs echo --pacs ORTHANC@127.0.0.1:$closed
expect_fail "wrong AE title" "C-ECHO: association rejected" "$cli" pacs echo --pacs WRONGAE@127.0.0.1:$dport
expect_fail "C-MOVE to an AE title the PACS does not know" "C-MOVE" "$cli" pacs retrieve --pacs $pacs --aet STRANGER --port $ourport --study $U1 --to "$tmp/stranger"
check "  ... and nothing kept" bash -c "[ -z \"\$(ls -A '$tmp/stranger' 2>/dev/null)\" ]"
expect_fail "a study the PACS does not have" "C-MOVE" "$cli" pacs retrieve --pacs $pacs --port $ourport --study 1.2.3.4.5 --to "$tmp/none"
$py "$here/badpeer.py" silent "$tmp/p.silent" & pids+=($!)
$py "$here/badpeer.py" badjson "$tmp/p.json" & pids+=($!)
$py "$here/badpeer.py" truncated "$tmp/p.trunc" "$RG1" & pids+=($!)
for f in silent json trunc; do for i in $(seq 1 50); do [ -s "$tmp/p.$f" ] && break; sleep 0.1; done; done
expect_fail "a PACS that never answers (timeout)" "C-ECHO" "$cli" pacs echo --pacs ORTHANC@127.0.0.1:$(cat "$tmp/p.silent") --timeout 2
expect_fail "a DICOMweb server that never answers (timeout)" "QIDO-RS" "$cli" pacs find --dicomweb http://127.0.0.1:$(cat "$tmp/p.silent")/dicom-web --timeout 2
expect_fail "malformed DICOMweb JSON" "DICOMweb .*QIDO-RS: malformed JSON" "$cli" pacs find --dicomweb http://127.0.0.1:$(cat "$tmp/p.json")/dicom-web
mkdir -p "$tmp/keep/$U1"; echo earlier >"$tmp/keep/$U1/earlier.dcm"
expect_fail "a peer that drops mid-transfer (WADO-RS)" "WADO-RS" "$cli" pacs retrieve --dicomweb http://127.0.0.1:$(cat "$tmp/p.trunc")/dicom-web --study $U1 --to "$tmp/keep" --timeout 5
check "  ... the earlier copy of the study is kept and no partial folder is left" bash -c "[ \"\$(ls -A '$tmp/keep')\" = '$U1' ] && [ -f '$tmp/keep/$U1/earlier.dcm' ]"

# The listener: studies pushed arrive, are scored and listed; junk and broken objects are
# refused with a reason and the listener keeps serving.
lport=$ourport   # the port Orthanc knows as the modality "clinsight": the PACS pushes to us
pushstudy() { curl -sf -X POST $rest/modalities/clinsight/store -d "$(curl -sf -X POST $rest/tools/lookup -d "$1" | $py -c 'import json,sys; print(json.load(sys.stdin)[0]["ID"])')" >/dev/null; }
"$cli" listen --aet CLINSIGHT --port $lport --store "$tmp/inbox" --triage --seconds 40 >"$tmp/listen.out" 2>"$tmp/listen.err" & lpid=$!; pids+=($lpid)
for i in $(seq 1 100); do grep -q "^listen: CLINSIGHT on port" "$tmp/listen.err" 2>/dev/null && break; sleep 0.2; done
check "listener answers C-ECHO" echoscu -aec CLINSIGHT 127.0.0.1 $lport
$py -c "import socket,os,sys; s=socket.create_connection(('127.0.0.1',int(sys.argv[1]))); s.sendall(os.urandom(4096)); s.close()" $lport
cp "$CT" "$tmp/nostudy.dcm"; dcmodify -q -nb -ea "(0020,000d)" "$tmp/nostudy.dcm"
storescu -aec CLINSIGHT 127.0.0.1 $lport "$tmp/nostudy.dcm" >/dev/null 2>&1
check "an object without a Study Instance UID is refused" bash -c "sleep 1; grep -q 'refused .*Study Instance UID' '$tmp/listen.err'"
check "the PACS pushes a study after the junk (listener kept serving)" pushstudy $U1
for i in $(seq 1 100); do grep -q "9RG1" "$tmp/listen.out" 2>/dev/null && break; sleep 0.3; done
check "  ... stored as STORE/<StudyUID>/<SOPInstanceUID>.dcm, byte-identical data set" same_dataset "$RG1" "$tmp/inbox/$U1/$(dcmdump -q +P 0008,0018 "$RG1" | sed -E 's/.*\[([^]]*)\].*/\1/').dcm"
check "  ... scored with no click: on the printed worklist" grep -q "9RG1" "$tmp/listen.out"
pushstudy $(uid "$CT")
for i in $(seq 1 100); do grep -q '^worklist (2 studies' "$tmp/listen.out" && break; sleep 0.3; done
check "  ... a second study joins the worklist, the chest CR still first" bash -c "tail -2 '$tmp/listen.out' | head -1 | grep -q 9RG1 && tail -1 '$tmp/listen.out' | grep -q 'not applicable'"
check "wrong called AE title refused by the listener" bash -c "! echoscu -aec NOTUS 127.0.0.1 $lport 2>/dev/null"
check "  ... while the right one is still answered" echoscu -aec CLINSIGHT 127.0.0.1 $lport
kill $lpid 2>/dev/null; wait $lpid 2>/dev/null
[ $fail -eq 0 ] && echo "pacs tests passed" || { echo "--- orthanc log tail"; tail -20 "$tmp/orthanc.log"; echo "--- listener"; cat "$tmp/listen.err" "$tmp/listen.out"; }
exit $fail
