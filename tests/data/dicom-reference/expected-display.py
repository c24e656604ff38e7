#!/usr/bin/python3
"""The displayed frame 0 of one DICOM file, computed from pydicom's decode, as a PNG.

    /usr/bin/python3 expected-display.py FILE OUT.png
Prints the pipeline used (window, voilut, minmax, float-window, palette, rgb). Exit 3 when pydicom cannot decode.
This is the PS3.3/PS3.4 display pipeline ClinSight applies (modality LUT or rescale, the file's first window
(LINEAR; float maps LINEAR_EXACT on the continuous values), else its first VOI LUT, else the frame's min/max;
MONOCHROME1 and INVERSE presentation inverted; overlay planes burned in white as DCMTK shows them; palettes
through their LUTs; colour converted from YBR to RGB and reduced to 8 bits), with two corrections pydicom 2.3
needs: signed samples it returns without sign extension (JPEG-LS through GDCM) are sign-extended, and colour
JPEG it returns still in YBR is converted. compare-corpus.py --pixels compares ClinSight against this.
"""
import sys
import warnings

warnings.filterwarnings('ignore')
import numpy as np
import pydicom
from PIL import Image
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space

f, out = sys.argv[1], sys.argv[2]
try:
    ds = pydicom.dcmread(f, force=True)
    a = ds.pixel_array
except Exception as e:  # noqa: BLE001 - any refusal is "pydicom cannot decode"
    print('undecodable: %s' % e)
    sys.exit(3)
n = int(ds.get('NumberOfFrames', 1) or 1)
spp = int(ds.get('SamplesPerPixel', 1))
x = a[0] if n > 1 else a
pi = str(ds.get('PhotometricInterpretation', ''))
native = str(ds.file_meta.get('TransferSyntaxUID', '')) in ('1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2',
                                                             '1.2.840.10008.1.2.1.99')


def first(v):
    return float(v[0]) if isinstance(v, pydicom.multival.MultiValue) else float(v)


def sign_extend(v, bits):
    v = v.astype(np.int64) & ((1 << bits) - 1)
    return np.where(v >= (1 << (bits - 1)), v - (1 << bits), v)


if pi == 'PALETTE COLOR':
    rgb = apply_color_lut(x, ds)
    bits = int(ds.RedPaletteColorLookupTableDescriptor[2])
    img = (rgb >> (bits - 8)).astype(np.uint8) if bits > 8 else rgb.astype(np.uint8)
    kind = 'palette'
elif spp == 3:
    kind = 'rgb'
    if pi in ('YBR_FULL', 'YBR_FULL_422'):   # YBR_ICT / YBR_RCT (JPEG 2000): the decoder returns RGB already
        x = convert_color_space(x, 'YBR_FULL', 'RGB')
        kind = 'rgb-from-ybr'   # conversions round differently: compared within 2 levels
    bs = int(ds.BitsStored)
    img = (x.astype(np.uint64) >> (bs - 8)).astype(np.uint8) if bs > 8 else x.astype(np.uint8)
else:
    bs = int(ds.get('BitsStored', 8))
    is_float = 'FloatPixelData' in ds or 'DoubleFloatPixelData' in ds
    v = x.astype(np.float64)
    if not is_float and int(ds.get('PixelRepresentation', 0)) == 1 and bs < 32:
        v = sign_extend(x, bs).astype(np.float64)
    if 'ModalityLUTSequence' in ds:
        m0 = ds.ModalityLUTSequence[0]
        desc = [int(d) for d in m0.LUTDescriptor]
        entries, firstv = desc[0] or 65536, desc[1]
        lut = np.frombuffer(m0.LUTData, dtype='<u2') if isinstance(m0.LUTData, bytes) else np.asarray(m0.LUTData)
        m = lut[np.clip(v - firstv, 0, entries - 1).astype(np.int64)].astype(np.float64)
    else:
        slope, intercept = ds.get('RescaleSlope'), ds.get('RescaleIntercept')
        for seq in ('SharedFunctionalGroupsSequence', 'PerFrameFunctionalGroupsSequence'):   # enhanced multi-frame
            if slope is None and seq in ds and 'PixelValueTransformationSequence' in ds[seq][0]:
                pvt = ds[seq][0].PixelValueTransformationSequence[0]
                slope, intercept = pvt.get('RescaleSlope'), pvt.get('RescaleIntercept')
        m = v * float(slope if slope is not None else 1) + float(intercept if intercept is not None else 0)
    wc, ww = ds.get('WindowCenter'), ds.get('WindowWidth')
    for seq in ('SharedFunctionalGroupsSequence', 'PerFrameFunctionalGroupsSequence'):
        if wc is None and seq in ds and 'FrameVOILUTSequence' in ds[seq][0]:
            voi = ds[seq][0].FrameVOILUTSequence[0]
            wc, ww = voi.get('WindowCenter'), voi.get('WindowWidth')
    if wc is not None and ww is not None and first(ww) > 0:
        c, w = first(wc), first(ww)
        if is_float:
            kind, y = 'float-window', ((m - c) / w + 0.5) * 255.0
        elif w <= 1:
            kind, y = 'window', np.where(m > c - 0.5, 255.0, 0.0)
        else:
            kind, y = 'window', ((m - (c - 0.5)) / (w - 1) + 0.5) * 255.0
    elif 'VOILUTSequence' in ds:
        lut0 = ds.VOILUTSequence[0]
        desc = [int(d) for d in lut0.LUTDescriptor]
        entries, firstv, bits = desc[0] or 65536, desc[1], desc[2]
        lut = np.frombuffer(lut0.LUTData, dtype='<u2') if isinstance(lut0.LUTData, bytes) else np.asarray(lut0.LUTData)
        kind, y = 'voilut', lut[np.clip(m - firstv, 0, entries - 1).astype(np.int64)] / float((1 << bits) - 1) * 255.0
    else:
        lo, hi = m.min(), m.max()
        kind, y = 'minmax', (m - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros(m.shape)
    img = np.clip(np.rint(y), 0, 255).astype(np.uint8)
    if pi == 'MONOCHROME1':
        img = 255 - img
    if str(ds.get('PresentationLUTShape', '')) == 'INVERSE':
        img = 255 - img
    for g in range(0x6000, 0x6020, 2):
        if (g, 0x3000) in ds:
            ov = ds.overlay_array(g)
            r0, c0 = (int(o) - 1 for o in ds[(g, 0x0050)].value)
            h, w_ = ov.shape
            img[max(r0, 0):r0 + h, max(c0, 0):c0 + w_][ov[max(-r0, 0):, max(-c0, 0):][:img.shape[0] - max(r0, 0), :img.shape[1] - max(c0, 0)] > 0] = 255
            kind += '+overlay'
Image.fromarray(img, 'RGB' if img.ndim == 3 else 'L').save(out)
print(kind)
