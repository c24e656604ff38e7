#!/usr/bin/python3
"""Peer of `clinsight-cli bench dicom`: pydicom (with GDCM and Pillow handlers,
Debian 12's python3-pydicom/python3-gdcm/python3-pil) decoding every frame of
every DICOM image under PATH to the displayed 8-bit frame, one thread, as a
researcher's script would: pixel_array, modality LUT, the file's first VOI
window (else the frame's min/max), scaled to 0..255.

  /usr/bin/python3 bench/peer_dicom.py PATH [--repeats 5]
Prints frames, median seconds, frames/s and MB/s, and names every image file
it cannot read with the reason.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut


def image_files(root):
    if os.path.isfile(root):
        return [root]
    out = []
    for d, _, names in os.walk(root):
        for n in sorted(names):
            out.append(os.path.join(d, n))
    return sorted(out)


def display(ds, arr):
    frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
    spp = int(getattr(ds, 'SamplesPerPixel', 1) or 1)
    if frames == 1:
        arr = arr[np.newaxis]
    out = []
    for f in arr:
        if spp == 1:
            v = apply_modality_lut(f, ds)
            if 'WindowCenter' in ds:
                v = apply_voi_lut(v, ds, index=0)
            v = v.astype(np.float32)
            lo, hi = float(v.min()), float(v.max())
            v = (v - lo) * (255.0 / (hi - lo) if hi > lo else 0.0)
            if getattr(ds, 'PhotometricInterpretation', '') == 'MONOCHROME1':
                v = 255 - v
            out.append(v.astype(np.uint8))
        else:
            out.append(np.ascontiguousarray(f).astype(np.uint8))
    return out


def once(files):
    frames, nbytes, failed = 0, 0, {}
    t0 = time.perf_counter()
    for path in files:
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue  # not DICOM: not an image to count
        if 'PixelData' not in ds and 'FloatPixelData' not in ds and 'DoubleFloatPixelData' not in ds:
            continue
        try:
            for f in display(ds, ds.pixel_array):
                frames += 1
                nbytes += f.nbytes
        except Exception as e:  # noqa: BLE001 - every reason is reported
            failed[path] = (type(e).__name__ + ': ' + str(e)).splitlines()[0][:160]
    return time.perf_counter() - t0, frames, nbytes, failed


def main():
    warnings.filterwarnings('ignore')
    ap = argparse.ArgumentParser()
    ap.add_argument('path')
    ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--list', action='store_true', help='only print the DICOM image files (those with pixel data)')
    ap.add_argument('--readable', action='store_true', help='only print the image files pydicom decodes (the files both sides are timed on)')
    ap.add_argument('--one', action='store_true', help='decode PATH (one file) once; used to find files that crash the decoder')
    a = ap.parse_args()
    if a.one:
        once([a.path])
        return
    files = image_files(a.path)
    # GDCM aborts the whole process on some files: find them first, one process per file,
    # and leave them out of the timing (they are named below).
    crashed = {}
    for path in files:
        r = subprocess.run([sys.executable, os.path.abspath(__file__), path, '--one'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        if r.returncode < 0 or r.returncode > 1:
            crashed[path] = f'the decoder crashed the process (exit {r.returncode})'
    files = [f for f in files if f not in crashed]
    if a.list:
        for path in files:
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=False, specific_tags=['PixelData', 'FloatPixelData', 'DoubleFloatPixelData'])
            except Exception:
                continue
            if any(t in ds for t in ('PixelData', 'FloatPixelData', 'DoubleFloatPixelData')):
                print(path)
        return
    if a.readable:
        _, _, _, failed = once(files)
        for path in files:
            try:
                ds = pydicom.dcmread(path, specific_tags=['PixelData', 'FloatPixelData', 'DoubleFloatPixelData'])
            except Exception:
                continue
            if path not in failed and any(t in ds for t in ('PixelData', 'FloatPixelData', 'DoubleFloatPixelData')):
                print(path)
        return
    once(files)  # warm-up: file cache, handler imports
    runs = [once(files) for _ in range(max(1, a.repeats))]
    runs.sort(key=lambda r: r[0])
    s, frames, nbytes, failed = runs[len(runs) // 2]
    print(f'peer dicom: pydicom {pydicom.__version__}, 1 thread, median of {len(runs)}: '
          f'{frames} frames in {s:.4f} s  {frames / s:.1f} frames/s  {nbytes / 1e6 / s:.1f} MB/s decoded')
    for path, why in sorted({**failed, **crashed}.items()):
        print(f'  pydicom cannot read {os.path.relpath(path, a.path) if os.path.isdir(a.path) else path}: {why}')


if __name__ == '__main__':
    main()
