#!/usr/bin/env bash
# bench pacs: studies/s for find + retrieve + score + store against a local Orthanc,
# beside Orthanc's own C-MOVE of the same studies to DCMTK's storescp (the transfer
# alone), interleaved in one run:
#   bash bench/pacs.sh BUILD_DIR [STUDIES] [ROUNDS]     (defaults 12 studies, 3 rounds)
# The studies are copies of the corpus' chest CR (RG1_J2KI.dcm, JPEG 2000) with new
# Study/Series/SOP Instance UIDs (dcmodify -gst -gse -gin). ClinSight: `clinsight-cli pacs
# triage --store-results` (C-FIND, C-MOVE to its own SCP, image branch + Grad-CAM, SR and
# secondary capture C-STOREd back); the results of a round are deleted before the next.
# Peer: movescu asks Orthanc to C-MOVE each study to storescp. Prints medians and the ratio;
# asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build folder}; n=${2:-12}; rounds=${3:-3}
cli="$build/app/clinsight-cli"
src=../shared/data/dicom/pydicom-data/RG1_J2KI.dcm
tmp=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
. tests/pacs/orthanc.sh
peerport=$(freeport)
start_orthanc "$tmp" ", \"peer\": [\"PEERSCP\", \"127.0.0.1\", $peerport]"
pids+=($opid)
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
for i in $(seq 1 "$n"); do
  cp "$src" "$tmp/s$i.dcm"; dcmodify -q -nb -gst -gse -gin -i "(0010,0020)=BENCH$i" "$tmp/s$i.dcm"
  curl -sf -X POST --data-binary @"$tmp/s$i.dcm" "$rest/instances" >/dev/null
done
uids=$(for i in $(seq 1 "$n"); do dcmdump -q +P 0020,000d "$tmp/s$i.dcm" | sed -E 's/.*\[([^]]*)\].*/\1/'; done)
mkdir -p "$tmp/peer"; storescp -od "$tmp/peer" -aet PEERSCP +xa "$peerport" & pids+=($!)
sleep 0.5
now() { date +%s.%N; }
med() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
cleanresults() {
  curl -sf -X POST "$rest/tools/find" -d '{"Level":"Series","Query":{"Modality":"SR\\OT"}}' | /usr/bin/python3 -c "import json,sys; [print(i) for i in json.load(sys.stdin)]" \
    | while read -r id; do curl -sf -X DELETE "$rest/series/$id" >/dev/null; done
}
: >"$tmp/cs.txt"; : >"$tmp/peer.txt"
for r in $(seq "$rounds"); do
  cleanresults
  t0=$(now)
  "$cli" pacs triage --pacs "$pacs" --port "$ourport" --modality CR --to "$tmp/tri$r" --store-results --json >"$tmp/tri$r.json" 2>/dev/null
  t1=$(now)
  scored=$(/usr/bin/python3 -c "import json,sys; print(sum(1 for s in json.load(open(sys.argv[1]))['studies'] if s['status']=='SR+SC stored'))" "$tmp/tri$r.json")
  [ "$scored" = "$n" ] || { echo "bench pacs: round $r stored results for $scored of $n studies" >&2; exit 1; }
  awk "BEGIN {print $n / ($t1 - $t0)}" >>"$tmp/cs.txt"
  rm -rf "$tmp/peer"/*
  t0=$(now)
  for u in $uids; do movescu -aet CLINSIGHT -aec ORTHANC -aem PEERSCP -S -k QueryRetrieveLevel=STUDY -k StudyInstanceUID="$u" 127.0.0.1 "$dport" >>"$tmp/movescu.log" 2>&1; done
  t1=$(now)
  got=$(find "$tmp/peer" -type f | wc -l)
  [ "$got" -ge "$n" ] || { echo "bench pacs: storescp received $got of $n" >&2; tail -5 "$tmp/movescu.log" "$tmp/orthanc.log" >&2; exit 1; }
  awk "BEGIN {print $n / ($t1 - $t0)}" >>"$tmp/peer.txt"
  echo "round $r: ClinSight $(tail -1 "$tmp/cs.txt") studies/s (find+retrieve+score+store), Orthanc C-MOVE to storescp $(tail -1 "$tmp/peer.txt") studies/s"
done
cs=$(med <"$tmp/cs.txt"); peer=$(med <"$tmp/peer.txt")
echo "pacs: ClinSight $cs studies/s, transfer alone $peer studies/s (medians of $rounds rounds, $n studies each): ClinSight at $(awk "BEGIN {printf \"%.2f\", $cs / $peer}")x the transfer's rate"
echo "load after: $(uptime | sed 's/.*load/load/')"
