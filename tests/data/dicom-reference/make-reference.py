#!/usr/bin/python3
"""Reference pixels for the DICOM edge cases ClinSight must display as pydicom decodes them.

Run once with Debian's python3-pydicom, python3-gdcm, python3-numpy and python3-pil:
    /usr/bin/python3 tests/data/dicom-reference/make-reference.py ../shared/data/dicom
Writes, beside this script, one PNG per case (the displayed 8-bit frame as the DICOM display pipeline defines
it, computed from pydicom's decode) and reference.tsv (file, frame, png, what the expected pixels are).
tst_dicomloader renders each file through ClinSight and compares.
Also seg/: each frame of the DICOM Segmentations pydicom decodes (liver.dcm, liver_nonbyte_aligned.dcm) as a
0/255 mask PNG, with seg/segments.tsv (file, frame, png, referenced segment, source SOP Instance UID, area);
tst_segmentation compares ClinSight's masks of every encoding of those segmentations (native, big endian,
deflated frames, RLE, JPEG 2000: pydicom 2.3 decodes only the first two) against them.
"""
import os
import sys

import numpy as np
import pydicom
from PIL import Image
from pydicom.pixel_data_handlers.util import apply_color_lut

here = os.path.dirname(os.path.abspath(__file__))
root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', '..', '..', '..', 'shared', 'data', 'dicom')


def frame_of(ds, k):
    a = ds.pixel_array
    n = int(ds.get('NumberOfFrames', 1) or 1)
    return a[k] if n > 1 else a


def linear_window(x, center, width):
    """PS3.3 C.11.2.1.2.1 linear VOI to 0..255."""
    y = ((x - (center - 0.5)) / (width - 1) + 0.5) * 255.0
    return np.clip(np.rint(y), 0, 255).astype(np.uint8)


def min_max(x):
    lo, hi = float(x.min()), float(x.max())
    return np.clip(np.rint((x - lo) / (hi - lo) * 255.0), 0, 255).astype(np.uint8) if hi > lo else np.zeros(x.shape, np.uint8)


def rgb_shift(ds, k):
    a = frame_of(ds, k).astype(np.uint64)
    return (a >> (int(ds.BitsStored) - 8)).astype(np.uint8)


def palette(ds, k):
    rgb = apply_color_lut(frame_of(ds, k), ds)
    bits = int(ds.RedPaletteColorLookupTableDescriptor[2])
    return (rgb >> (bits - 8)).astype(np.uint8) if bits > 8 else rgb.astype(np.uint8)


def float_map(ds, k):
    """Real-world values (the mapping is identity in these files) through the frame VOI window as LINEAR_EXACT
    (PS3.3 C.11.2.1.3.2): ClinSight applies a float map's window on the continuous values."""
    x = frame_of(ds, k).astype(np.float64)
    voi = ds.SharedFunctionalGroupsSequence[0].FrameVOILUTSequence[0]
    c, w = float(voi.WindowCenter), float(voi.WindowWidth)
    return np.clip(np.rint(((x - c) / w + 0.5) * 255.0), 0, 255).astype(np.uint8)


def grey_min_max(ds, k):
    return min_max(frame_of(ds, k).astype(np.float64))


def rgb8(ds, k):
    return frame_of(ds, k).astype(np.uint8)


cases = [
    ('pydicom-data/SC_rgb_32bit.dcm', [0], rgb_shift, '32-bit RGB: stored value >> (BitsStored - 8)'),
    ('pydicom-data/SC_rgb_32bit_2frame.dcm', [0, 1], rgb_shift, '32-bit RGB: stored value >> (BitsStored - 8)'),
    ('pydicom-data/SC_rgb_expb_32bit.dcm', [0], rgb_shift, '32-bit RGB big endian: stored value >> (BitsStored - 8)'),
    ('pydicom-data/SC_rgb_expb_32bit_2frame.dcm', [0, 1], rgb_shift, '32-bit RGB big endian: stored value >> (BitsStored - 8)'),
    ('pydicom-data/gdcm-US-ALOKA-16.dcm', [0], palette, 'segmented 16-bit palette: LUT entry >> 8'),
    ('pydicom-data/gdcm-US-ALOKA-16_big.dcm', [0], palette, 'segmented 16-bit palette, big endian: LUT entry >> 8'),
    ('pydicom-data/parametric_map_float.dcm', [0], float_map, '32-bit float: the Frame VOI LUT window as LINEAR_EXACT'),
    ('pydicom-data/parametric_map_double_float.dcm', [0], float_map, '64-bit float: the Frame VOI LUT window as LINEAR_EXACT'),
    ('pydicom-data/JLSL_08_07_0_1F.dcm', [0], grey_min_max, 'JPEG-LS, 7 bits stored, no window: min/max'),
    ('pydicom-testfiles/SC_rgb_jpeg.dcm', [0], rgb8, 'JPEG baseline RGB under an explicit-VR meta header, implicit-VR dataset'),
]

rows = ['# file\tframe\tpng\texpected']
for rel, frames, fn, what in cases:
    ds = pydicom.dcmread(os.path.join(root, rel))
    for k in frames:
        img = fn(ds, k)
        name = '%s.f%d.png' % (os.path.splitext(os.path.basename(rel))[0], k)
        Image.fromarray(img, 'RGB' if img.ndim == 3 else 'L').save(os.path.join(here, name), optimize=True)
        rows.append('\t'.join([rel, str(k), name, what]))
with open(os.path.join(here, 'reference.tsv'), 'w') as f:
    f.write('\n'.join(rows) + '\n')

segdir = os.path.join(here, 'seg')
os.makedirs(segdir, exist_ok=True)
segrows = ['# file\tframe\tpng\tsegment\tsource_sop_instance_uid\tarea_pixels']
for rel in ['pydicom-data/liver.dcm', 'pydicom-data/liver_nonbyte_aligned.dcm']:
    ds = pydicom.dcmread(os.path.join(root, rel))
    for k, fg in enumerate(ds.PerFrameFunctionalGroupsSequence):
        m = frame_of(ds, k).astype(np.uint8)
        name = '%s.f%d.png' % (os.path.splitext(os.path.basename(rel))[0], k)
        Image.fromarray(m * 255, 'L').save(os.path.join(segdir, name), optimize=True)
        seg = fg.SegmentIdentificationSequence[0].ReferencedSegmentNumber
        src = fg.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        segrows.append('\t'.join([rel, str(k), name, str(seg), src, str(int(m.sum()))]))
with open(os.path.join(segdir, 'segments.tsv'), 'w') as f:
    f.write('\n'.join(segrows) + '\n')
print('wrote %d references and %d segmentation masks (pydicom %s)' % (len(rows) - 1, len(segrows) - 1, pydicom.__version__))
