#!/usr/bin/python3
# Regenerates the raster test files of tests/core/imaging/tst_rasterfile.cpp
# with Pillow (python3-pil), an independent PNG/JPEG implementation:
#   /usr/bin/python3 tests/data/raster/make.py
# *.expected.png hold Pillow's own decode of each input, for the test to compare.
import os
import numpy as np
from PIL import Image

os.chdir(os.path.dirname(os.path.abspath(__file__)))
rng = np.random.default_rng(20261125)
rgb = rng.integers(0, 256, (37, 53, 3), dtype=np.uint8)
grey = rgb[:, :, 1].copy()

Image.fromarray(rgb).save('rgb.jpg', quality=90)
Image.fromarray(rgb).save('progressive.jpg', quality=90, progressive=True)
Image.fromarray(grey).save('grey.jpg', quality=90)
Image.fromarray(rgb).convert('P').save('palette.png')
Image.fromarray(rgb).convert('P').save('palette_transparent.png', transparency=3)
Image.fromarray(grey).convert('1').save('bilevel.png')
Image.fromarray(grey).save('grey.png')
Image.fromarray(grey.astype(np.uint16) * 257).save('grey16.png')
Image.fromarray(grey).convert('LA').save('grey_alpha.png')
with open('rgb.jpg', 'rb') as f:
    data = f.read()
with open('truncated.jpg', 'wb') as f:
    f.write(data[: len(data) // 2])

# Pillow's decodes. For grey output of a colour JPEG, draft('L') makes
# libjpeg itself emit luma, the rule the reader follows.
Image.open('rgb.jpg').convert('RGB').save('rgb.jpg.expected.png')
Image.open('progressive.jpg').convert('RGB').save('progressive.jpg.expected.png')
Image.open('grey.jpg').save('grey.jpg.expected.png')
im = Image.open('rgb.jpg'); im.draft('L', im.size); im.convert('L').save('rgb.jpg.grey.expected.png')
Image.open('palette.png').convert('RGB').save('palette.png.expected.png')
Image.open('bilevel.png').convert('L').save('bilevel.png.expected.png')
