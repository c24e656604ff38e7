# Sourced by the PACS test and benchmark: start_orthanc DIR [EXTRA_MODALITIES_JSON]
# starts Debian's Orthanc with the DICOMweb plugin on free 127.0.0.1 ports (retried:
# Orthanc refuses to start on a used port) and sets dport, hport, ourport (the port of
# the modality "clinsight" = AE CLINSIGHT that Orthanc sends to), opid, rest, web, pacs.
# Ports below the kernel's ephemeral range: one the kernel may hand to an outgoing connection
# could be taken before our storage SCP listens on it (much later than it is chosen).
freeport() { /usr/bin/python3 - <<'PY'
import random, socket
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
for _ in range(200 if low > 4000 else 0):
    port = random.randrange(max(1025, low - 12000), low)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        print(port)
        break
    except OSError:
        pass
    finally:
        s.close()
else:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
PY
}
start_orthanc() {
  local dir=$1 extra=${2:-} plugin=/usr/share/orthanc/plugins/libOrthancDicomWeb.so attempt i
  command -v Orthanc >/dev/null || { echo "Orthanc not installed (scripts/install-deps.sh)"; return 1; }
  [ -f $plugin ] || { echo "orthanc-dicomweb not installed (scripts/install-deps.sh)"; return 1; }
  for attempt in 1 2 3; do
    dport=$(freeport); hport=$(freeport); ourport=$(freeport)
    rm -rf "$dir/orthanc"; mkdir -p "$dir/orthanc"
    cat >"$dir/orthanc.json" <<JSON
{ "Name": "ClinSightTestPACS", "StorageDirectory": "$dir/orthanc", "IndexDirectory": "$dir/orthanc",
  "DicomAet": "ORTHANC", "DicomPort": $dport, "HttpPort": $hport, "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "DicomCheckCalledAet": true, "HttpsCACertificates": "",
  "DicomModalities": { "clinsight": ["CLINSIGHT", "127.0.0.1", $ourport] $extra },
  "Plugins": ["$plugin"], "DicomWeb": { "Enable": true, "Root": "/dicom-web/" } }
JSON
    Orthanc "$dir/orthanc.json" >"$dir/orthanc.log" 2>&1 & opid=$!
    for i in $(seq 1 50); do curl -sf "http://127.0.0.1:$hport/system" >/dev/null && break; kill -0 $opid 2>/dev/null || break; sleep 0.2; done
    if curl -sf "http://127.0.0.1:$hport/system" >/dev/null; then
      rest=http://127.0.0.1:$hport; web=$rest/dicom-web; pacs=ORTHANC@127.0.0.1:$dport
      return 0
    fi
    kill $opid 2>/dev/null; wait $opid 2>/dev/null; opid=
  done
  echo "Orthanc did not start:"; cat "$dir/orthanc.log"; return 1
}
