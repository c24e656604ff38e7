#!/usr/bin/python3
"""Writes a CT series of N 512 x 512 slices for `clinsight-cli bench series`
and bench/peer_series.py, made from the real CT slice CT_small.dcm of the
pydicom test corpus (128 x 128, 16-bit): each slice is that image enlarged
4x (each pixel a 4 x 4 block) and shifted by the slice's index so slices
differ, with its own SOP Instance UID, Instance Number and Image Position
(1 mm apart); one new study and series. Uncompressed explicit VR little
endian, as a CT arrives from most scanners' PACS exports.

  /usr/bin/python3 bench/make-ct-series.py CT_small.dcm OUT_DIR [N=500]
Needs python3-pydicom and python3-numpy."""
import os
import sys

import numpy as np
import pydicom
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def main():
    src, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    base = pydicom.dcmread(src)
    big = np.kron(base.pixel_array, np.ones((4, 4), dtype=base.pixel_array.dtype))
    os.makedirs(out, exist_ok=True)
    study, series = generate_uid(), generate_uid()
    for i in range(n):
        ds = base.copy()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.SeriesDescription = f'bench series, {n} slices from CT_small.dcm'
        ds.InstanceNumber = i + 1
        ds.ImagePositionPatient = [-128.0, -128.0, float(i)]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.SliceThickness = 1.0
        ds.SliceLocation = float(i)
        ds.PixelSpacing = [0.5, 0.5]
        px = np.roll(big, (i % 64) - 32, axis=1)
        ds.Rows, ds.Columns = px.shape
        ds.PixelData = px.tobytes()
        ds.save_as(os.path.join(out, f'slice{i:04d}.dcm'), write_like_original=False)


if __name__ == '__main__':
    main()
