#!/usr/bin/python3
"""Every file of the DICOM corpus pydicom (with GDCM, Pillow) decodes, rendered by ClinSight and compared.

    /usr/bin/python3 tests/data/dicom-reference/compare-corpus.py BUILD/app/clinsight-cli ../shared/data/dicom [--pixels]
Each file is decoded by pydicom in its own process (GDCM crashes on some malformed files), twice: a decode
whose pixels differ between runs is uninitialised memory, not a decode, and is listed as such. Prints one line per
file pydicom decodes that `clinsight-cli dicom-render` refuses. With --pixels, ClinSight's displayed frame 0 is
also compared with expected-display.py's (the same display pipeline on pydicom's decode): at most 1 level
apart in every pixel (2 where colour was converted from YBR: the two conversions round differently). Where pydicom 2.3 misreads a big-endian file (palette and 8-bit RGB byte order), the
file is compared with its little-endian twin's expected display instead, and the line says so.
Exit 1 when any file is not rendered or does not match.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
cli, root = sys.argv[1], sys.argv[2]
pixels = '--pixels' in sys.argv[3:]
if not os.path.isdir(root):
    print('SKIP: %s is absent' % root)
    sys.exit(77)   # CTest SKIP_RETURN_CODE
import pydicom  # noqa: E402,F401 - the peer itself: missing it is a failure, not a pass over zero files
probe = ('import sys, warnings; warnings.filterwarnings("ignore"); import pydicom; '
         'import hashlib; ds = pydicom.dcmread(sys.argv[1], force=True); a = ds.pixel_array; '
         'print(hashlib.sha256(a.tobytes()).hexdigest())')
# Big-endian files pydicom 2.3 decodes with the wrong byte order, and the little-endian file holding the same image.
twins = {
    'pydicom-data/OBXXXX1A_expb.dcm': 'pydicom-data/OBXXXX1A.dcm',
    'pydicom-data/OBXXXX1A_expb_2frame.dcm': 'pydicom-data/OBXXXX1A_2frame.dcm',
    'pydicom-testfiles/SC_rgb_small_odd_big_endian.dcm': 'pydicom-testfiles/SC_rgb_small_odd.dcm',
}
tmp = tempfile.mkdtemp()
out, expected = os.path.join(tmp, 'frame.png'), os.path.join(tmp, 'expected.png')


def expected_display(path):
    p = subprocess.run([sys.executable, os.path.join(here, 'expected-display.py'), path, expected], capture_output=True, text=True,
                       timeout=120)
    return (np.asarray(Image.open(expected)).astype(int), p.stdout.strip()) if p.returncode == 0 else (None, p.stdout.strip())


missing, unstable, mismatched, via_twin = [], [], [], []
decoded = matched = 0
for dirpath, _, names in sorted(os.walk(root)):
    for n in sorted(names):
        f = os.path.join(dirpath, n)
        rel = os.path.relpath(f, root)
        try:
            p = subprocess.run([sys.executable, '-c', probe, f], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            continue
        if p.returncode != 0:
            continue
        again = subprocess.run([sys.executable, '-c', probe, f], capture_output=True, text=True, timeout=60)
        if again.stdout != p.stdout:
            # GDCM returns its buffer even when OpenJPEG refused the stream: different pixels on every run
            unstable.append(rel)
            continue
        decoded += 1
        r = subprocess.run([cli, 'dicom-render', f, '--out', out], capture_output=True, text=True)
        if r.returncode != 0:
            missing.append('%s: %s' % (rel, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'exit %d' % r.returncode))
            continue
        if not pixels:
            continue
        got = np.asarray(Image.open(out)).astype(int)
        exp, how = expected_display(f)
        tolerance = 2 if how == 'rgb-from-ybr' else 1
        ok = exp is not None and exp.shape == got.shape and np.abs(exp - got).max() <= tolerance
        if not ok and rel in twins:
            texp, thow = expected_display(os.path.join(root, twins[rel]))
            if texp is not None and texp.shape == got.shape and np.abs(texp - got).max() <= 1:
                via_twin.append('%s: matches %s (pydicom misreads the big-endian file)' % (rel, twins[rel]))
                ok = True
        if ok:
            matched += 1
        else:
            detail = 'no expected display (%s)' % how if exp is None else (
                'shape %s vs %s' % (exp.shape, got.shape) if exp.shape != got.shape else
                '%s: max difference %d, %.2f%% of pixels > 1' % (how, np.abs(exp - got).max(), 100.0 * (np.abs(exp - got) > 1).mean()))
            mismatched.append('%s: %s' % (rel, detail))
for m in missing:
    print('not rendered: ' + m)
for m in mismatched:
    print('pixels differ: ' + m)
for m in via_twin:
    print('twin: ' + m)
for u in unstable:
    print('%s: pydicom returns different pixels on every run (uninitialised memory, not a decode)' % u)
print('%d files pydicom decodes, %d of them not rendered by ClinSight' % (decoded, len(missing))
      + (', %d rendered with matching pixels, %d not' % (matched, len(mismatched)) if pixels else ''))
sys.exit(1 if missing or mismatched or decoded == 0 else 0)
