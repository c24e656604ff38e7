#!/usr/bin/python3
"""Which files of the DICOM corpus pydicom (with GDCM, Pillow) decodes and ClinSight does not render.

    /usr/bin/python3 tests/data/dicom-reference/compare-corpus.py BUILD/app/clinsight-cli ../shared/data/dicom
Each file is decoded by pydicom in its own process (GDCM crashes on some malformed files), twice: a decode
whose pixels differ between runs is uninitialised memory, not a decode, and is listed as such. Prints one line per
file pydicom decodes that `clinsight-cli dicom-render` refuses, and a count. Exit 1 when there is any.
"""
import os
import subprocess
import sys
import tempfile

cli, root = sys.argv[1], sys.argv[2]
probe = ('import sys, warnings; warnings.filterwarnings("ignore"); import pydicom; '
         'import hashlib; ds = pydicom.dcmread(sys.argv[1], force=True); a = ds.pixel_array; '
         'print(hashlib.sha256(a.tobytes()).hexdigest())')
missing = []
unstable = []
decoded = 0
out = os.path.join(tempfile.mkdtemp(), 'frame.png')
for dirpath, _, names in sorted(os.walk(root)):
    for n in sorted(names):
        f = os.path.join(dirpath, n)
        try:
            p = subprocess.run([sys.executable, '-c', probe, f], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            continue
        if p.returncode != 0:
            continue
        again = subprocess.run([sys.executable, '-c', probe, f], capture_output=True, text=True, timeout=60)
        if again.stdout != p.stdout:
            # GDCM returns its buffer even when OpenJPEG refused the stream: different pixels on every run
            unstable.append(os.path.relpath(f, root))
            continue
        decoded += 1
        r = subprocess.run([cli, 'dicom-render', f, '--out', out], capture_output=True, text=True)
        if r.returncode != 0:
            missing.append('%s: %s' % (os.path.relpath(f, root), r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'exit %d' % r.returncode))
for m in missing:
    print(m)
for u in unstable:
    print('%s: pydicom returns different pixels on every run (uninitialised memory, not a decode)' % u)
print('%d files pydicom decodes, %d of them not rendered by ClinSight' % (decoded, len(missing)))
sys.exit(1 if missing else 0)
