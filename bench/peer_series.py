#!/usr/bin/python3
"""Peer of `clinsight-cli bench series`: pydicom loading a series as a
researcher's script does -- every file read, sorted by Image Position along
the slice normal, the pixel arrays stacked into one volume with the modality
rescale applied -- then scrolled: each slice windowed to 8 bits (the file's
window, then 400/1800), forward, back and forward again.

  /usr/bin/python3 bench/peer_series.py DIR
Prints the median time per slice and peak resident memory against the raw
pixel bytes of the series."""
import os
import resource
import statistics
import sys
import time

import numpy as np
import pydicom


def window(v, c, w):
    return (np.clip((v - (c - 0.5)) / (w - 1) + 0.5, 0, 1) * 255).astype(np.uint8)


def main():
    d = sys.argv[1]
    files = [os.path.join(d, f) for f in sorted(os.listdir(d))]
    t0 = time.perf_counter()
    ds = [pydicom.dcmread(f) for f in files]
    ds.sort(key=lambda x: float(x.ImagePositionPatient[2]))
    vol = np.stack([x.pixel_array.astype(np.float32) * float(getattr(x, 'RescaleSlope', 1)) + float(getattr(x, 'RescaleIntercept', 0)) for x in ds])
    load = time.perf_counter() - t0
    raw = sum(int(x.Rows) * int(x.Columns) * int(x.BitsAllocated) // 8 for x in ds)
    def first(v, default):
        return float(v[0] if isinstance(v, pydicom.multival.MultiValue) else v) if v is not None else default
    c0 = first(ds[0].get('WindowCenter'), 40.0)
    w0 = first(ds[0].get('WindowWidth'), 400.0)
    ms = []
    n = len(ds)
    for order, (c, w) in ((range(n), (c0, w0)), (range(n - 1, -1, -1), (c0, w0)), (range(n), (400.0, 1800.0))):
        for i in order:
            t = time.perf_counter()
            window(vol[i], c, w)
            ms.append((time.perf_counter() - t) * 1e3)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    rawMiB = raw / 1048576.0
    print(f'peer series: pydicom {pydicom.__version__}, {n} slices loaded into one volume in {load:.2f} s; '
          f'scrolled {len(ms)} slices: median {statistics.median(ms):.2f} ms per slice')
    print(f'peer series: raw pixel bytes {rawMiB:.1f} MiB; peak resident memory {peak:.1f} MiB = {peak / rawMiB:.2f}x the raw pixel bytes')


if __name__ == '__main__':
    main()
