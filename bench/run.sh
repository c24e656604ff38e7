#!/usr/bin/env bash
# ClinSight beside its peers, interleaved in one run, with the ratios:
#   bash bench/run.sh BUILD_DIR [DICOM_PATH]     (default DICOM_PATH: ../shared/data/dicom/pydicom-data)
# 1. inference: `clinsight-cli bench inference` and bench/peer_inference.py (Python-eager PyTorch,
#    Debian's python3-torch, same networks, same frame, same threads), three rounds each, alternating;
# 2. DICOM decode to the displayed frame: `clinsight-cli bench dicom` on 1 thread and on every core,
#    bench/peer_dicom.py (pydicom + GDCM, 1 thread) on the files pydicom reads, and DCMTK's dcmj2pnm
#    (JPEG codecs registered; +Fa -o: decode, no output; one process per file) on the files it reads,
#    ClinSight timed on exactly those files beside each; alternating rounds.
# The inference peer upsamples Grad-CAM to the full frame, as a researcher's script would; ClinSight
# samples it at the resolution it is shown (a 1000 x 1000 view), as the workstation does.
# 3. start-up: `clinsight --demo --startup-report` (window shown, first patient listed, worklist listed, first patient shown,
#    ms after the process started) and the total of `--demo --screenshot`.
# 4. memory: `clinsight-cli bench series` on a 500-slice CT (bench/make-ct-series.py) beside
#    bench/peer_series.py (pydicom loading the same volume), peak resident memory of each.
# 5. memory: `clinsight-cli triage` of a cohort of COHORT (default 60) full-size radiographs beside the same
#    triage of one of them, peak resident memory of each.
# ROUNDS=N (default 3) sets the rounds. Prints the load before and after; BENCHMARKS.md quotes this output.
# Asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?build folder}
dicom=${2:-../shared/data/dicom/pydicom-data}
cli="$build/app/clinsight-cli"
py=/usr/bin/python3
threads=$(nproc)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
image=resources/demo/demo06-chest-cr/RG1_J2KI.dcm
vitals=resources/demo/demo01-septic-pneumonia/p102582.psv
$py -c 'import torch, pydicom' 2>/dev/null || { echo "bench: needs python3-torch and python3-pydicom (apt-get install python3-torch python3-pydicom python3-gdcm python3-pil)" >&2; exit 2; }
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
"$cli" dicom-render "$image" --out "$tmp/frame.png" > /dev/null

# the peer runs the vitals layout of the bundle ClinSight runs
layout=$($py -c 'import json,sys; l=json.load(open(sys.argv[1]))["vitals"].get("layout",""); print("query" if "query" in l else "additive")' models/clinsight-hybrid/manifest.json)
med() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "== inference (${ROUNDS:-3} rounds, alternating)"
for r in $(seq "${ROUNDS:-3}"); do
  "$cli" bench inference --image "$image" --vitals "$vitals" --repeats 30 > "$tmp/cs$r.txt"
  $py bench/peer_inference.py --frame "$tmp/frame.png" --vitals-layout "$layout" --device cpu --threads "$threads" --repeats 30 2>/dev/null > "$tmp/py$r.txt"
done
cat "$tmp/cs1.txt" "$tmp/py1.txt"
csLat=$(grep -h '^per patient' "$tmp"/cs*.txt | sed -E 's/.*median ([0-9.]+) ms.*/\1/' | med)
pyLat=$(grep -h '^per patient' "$tmp"/py*.txt | sed -E 's/.*median ([0-9.]+) ms.*/\1/' | med)
csBatch=$(grep -h '^batch image' "$tmp"/cs*.txt | sed -E 's/.*: ([0-9.]+) images.*/\1/' | med)
pyBatch=$(grep -h '^batch image' "$tmp"/py*.txt | sed -E 's/.*: ([0-9.]+) images.*/\1/' | med)
echo "per patient: ClinSight $csLat ms, peer $pyLat ms (medians of ${ROUNDS:-3} rounds): ratio $(awk "BEGIN {printf \"%.2f\", $csLat / $pyLat}") (goal <= 0.5)"
echo "batch: ClinSight $csBatch images/s, peer $pyBatch images/s: ratio $(awk "BEGIN {printf \"%.2f\", $csBatch / $pyBatch}") (goal >= 2)"

echo "== DICOM decode ($dicom): each side timed on the files it and the peer both read"
$py bench/peer_dicom.py "$dicom" --list 2>/dev/null > "$tmp/files.txt"
$py bench/peer_dicom.py "$dicom" --readable 2>/dev/null > "$tmp/pyfiles.txt"
: > "$tmp/dcmfiles.txt"; : > "$tmp/dcmfail.txt"
while read -r f; do if dcmj2pnm +Fa -o "$f" > /dev/null 2>&1; then echo "$f" >> "$tmp/dcmfiles.txt"; else echo "$f" >> "$tmp/dcmfail.txt"; fi; done < "$tmp/files.txt"
for r in $(seq "${ROUNDS:-3}"); do
  "$cli" bench dicom "$dicom" --threads "$threads" --repeats 3 > "$tmp/csall$r.txt"
  xargs -a "$tmp/pyfiles.txt" -d '\n' "$cli" bench dicom --threads "$threads" --repeats 3 > "$tmp/csd$r.txt"
  $py bench/peer_dicom.py "$dicom" --repeats 3 2>/dev/null > "$tmp/pyd$r.txt"
  xargs -a "$tmp/dcmfiles.txt" -d '\n' "$cli" bench dicom --threads 1 --repeats 3 > "$tmp/dcmcs$r.txt"
  s=$(date +%s.%N)
  while read -r f; do dcmj2pnm +Fa -o "$f" > /dev/null 2>&1; done < "$tmp/dcmfiles.txt"
  echo "$(date +%s.%N) - $s" | awk '{print $1 - $3}' > "$tmp/dcmtime$r.txt"
  # dcmj2pnm's cost per process: the smallest file it reads, decoded 20 times (start-up, dictionary and
  # a tiny decode: an upper bound of the start-up, so the pure decode below is if anything underestimated)
  smallest=$(xargs -a "$tmp/dcmfiles.txt" -d '\n' ls -S | tail -1)
  s=$(date +%s.%N)
  for i in $(seq 20); do dcmj2pnm +Fa -o "$smallest" > /dev/null 2>&1 || true; done
  echo "$(date +%s.%N) - $s" | awk '{print ($1 - $3) / 20}' > "$tmp/dcmstart$r.txt"
done
echo "-- ClinSight, every image file of the folder:"; cat "$tmp/csall1.txt"
echo "-- ClinSight, the $(wc -l < "$tmp/pyfiles.txt") files pydicom reads:"; cat "$tmp/csd1.txt"; cat "$tmp/pyd1.txt"
cs1=$(grep -h '^reference' "$tmp"/csd*.txt | sed -E 's/.* ([0-9.]+) frames\/s.*/\1/' | med)
csN=$(grep -h '^parallel' "$tmp"/csd*.txt | sed -E 's/.* ([0-9.]+) frames\/s.*/\1/' | med)
pyFps=$(grep -h '^peer dicom' "$tmp"/pyd*.txt | sed -E 's/.* ([0-9.]+) frames\/s.*/\1/' | med)
csSec=$(grep -h '^reference' "$tmp"/dcmcs*.txt | sed -E 's/.*frames in ([0-9.]+) s.*/\1/' | med)
dcmSec=$(cat "$tmp"/dcmtime*.txt | med)
echo "dcmj2pnm +Fa -o: $(wc -l < "$tmp/dcmfiles.txt") of $(wc -l < "$tmp/files.txt") image files decoded in $dcmSec s (median of ${ROUNDS:-3} rounds; one process per file); cannot read: $(wc -l < "$tmp/dcmfail.txt")"
sed 's/^/  dcmj2pnm cannot read /' "$tmp/dcmfail.txt"
echo "decode, same files: ClinSight $cs1 frames/s on 1 thread, $csN on $threads, pydicom $pyFps (1 thread): ratio $(awk "BEGIN {printf \"%.2f\", $cs1 / $pyFps}") on 1 thread, $(awk "BEGIN {printf \"%.2f\", $csN / $pyFps}") on $threads (goal >= 2)"
dcmStart=$(cat "$tmp"/dcmstart*.txt | med)
dcmN=$(wc -l < "$tmp/dcmfiles.txt")
dcmPure=$(awk "BEGIN {v = $dcmSec - $dcmN * $dcmStart; printf \"%.4f\", (v > 0 ? v : 0)}")
echo "dcmj2pnm per process (the smallest file it reads, $(basename "$smallest"), 20 x ${ROUNDS:-3}): $dcmStart s; its pure decode estimated as $dcmSec - $dcmN x $dcmStart = $dcmPure s"
echo "decode, same files: ClinSight $csSec s (1 thread), dcmj2pnm $dcmSec s with its start-ups: ClinSight/dcmj2pnm time $(awk "BEGIN {printf \"%.2f\", $csSec / $dcmSec}"); against its pure decode $(awk "BEGIN {if ($dcmPure > 0) printf \"%.2f\", $csSec / $dcmPure; else print \"n/a\"}") (goal <= 1.5)"
echo "== start-up of the GUI on the demo (${ROUNDS:-3} rounds; offscreen platform, warm file cache)"
if [ -x "$build/app/clinsight" ]; then
  for r in $(seq "${ROUNDS:-3}"); do
    QT_QPA_PLATFORM=offscreen "$build/app/clinsight" --demo --startup-report 2> "$tmp/st$r.txt" > /dev/null || true
    s=$(date +%s.%N)
    QT_QPA_PLATFORM=offscreen "$build/app/clinsight" --demo --screenshot "$tmp/shot.png" > /dev/null 2>&1 || true
    echo "$(date +%s.%N) - $s" | awk '{print $1 - $3}' > "$tmp/shot$r.txt"
  done
  grep -h '^startup' "$tmp/st1.txt"
  listed=$(grep -h 'worklist listed' "$tmp"/st*.txt | sed -E 's/.* at ([0-9]+) ms/\1/' | med)
  first=$(grep -h 'first patient listed' "$tmp"/st*.txt | sed -E 's/.* at ([0-9]+) ms/\1/' | med)
  echo "start-up: first demo patient on the worklist $first ms, every patient scored and listed $listed ms after the process started (medians; goal <= 1500)"
  echo "start-up: --demo --screenshot total $(cat "$tmp"/shot*.txt | med) s (median; includes its 300 ms settle before the grab)"
else
  echo "  skipped: $build has no GUI (clinsight)"
fi
echo "== memory: a 500-slice CT series opened and scrolled (bench/make-ct-series.py from CT_small.dcm)"
ct=../shared/data/dicom/pydicom-testfiles/CT_small.dcm
if [ -f "$ct" ]; then
  $py bench/make-ct-series.py "$ct" "$tmp/ct500" 500
  "$cli" bench series "$tmp/ct500"
  $py bench/peer_series.py "$tmp/ct500"
else
  echo "  skipped: $ct is absent"
fi
echo "== memory: a worklist of full-size radiographs (clinsight-cli triage; every patient the 1841 x 1955 CR of demo06, 3.6 MB displayed, with demo01's vitals)"
n=${COHORT:-60}
cohort() { for i in $(seq "$1"); do d="$2/p$(printf %03d "$i")"; mkdir -p "$d"; ln -s "$PWD/$image" "$d/cr.dcm"; cp "$vitals" "$d/"; done; }
cohort 1 "$tmp/cohort1"; cohort "$n" "$tmp/cohortN"
for r in $(seq "${ROUNDS:-3}"); do
  /usr/bin/time -f %M -o "$tmp/rss1_$r.txt" "$cli" triage "$tmp/cohort1" > /dev/null 2>&1
  /usr/bin/time -f %M -o "$tmp/rssN_$r.txt" "$cli" triage "$tmp/cohortN" > /dev/null 2>&1
done
rss1=$(cat "$tmp"/rss1_*.txt | med); rssN=$(cat "$tmp"/rssN_*.txt | med)
echo "triage peak resident memory: 1 patient $(awk "BEGIN {printf \"%.1f\", $rss1 / 1024}") MiB, $n patients $(awk "BEGIN {printf \"%.1f\", $rssN / 1024}") MiB (medians of ${ROUNDS:-3}): +$(awk "BEGIN {printf \"%.1f\", ($rssN - $rss1) / 1024}") MiB for $((n - 1)) more patients, whose displayed frames are $(awk "BEGIN {printf \"%.1f\", ($n - 1) * 1841 * 1955 / 1048576}") MiB"
echo "machine after: $(uptime | sed 's/.*load/load/')"
