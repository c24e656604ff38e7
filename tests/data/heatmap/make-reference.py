#!/usr/bin/env python3
"""Reference values for tst_heatmap: PyTorch's bilinear interpolate
(align_corners=False) of small grids to frame sizes, as the Grad-CAM map was
upsampled before the map was sampled lazily (core/imaging/heatmap.h).
  /usr/bin/python3 tests/data/heatmap/make-reference.py > tests/data/heatmap/bilinear-reference.json
Needs python3-torch (Debian); run once, the JSON is committed."""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(14)
cases = []
for gw, gh, fw, fh in [(3, 2, 7, 5), (4, 4, 37, 23), (14, 14, 45, 31), (5, 3, 4, 2)]:
    grid = [round(float(v), 7) for v in torch.rand(gh * gw)]   # as written to the JSON
    up = F.interpolate(torch.tensor(grid).view(1, 1, gh, gw), size=(fh, fw), mode='bilinear', align_corners=False)
    cases.append({'grid_width': gw, 'grid_height': gh, 'frame_width': fw, 'frame_height': fh,
                  'grid': grid, 'frame': [round(float(v), 8) for v in up.flatten()]})
print(json.dumps({'torch': torch.__version__, 'cases': cases}))
