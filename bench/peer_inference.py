#!/usr/bin/env python3
"""Python-eager peer of ClinSight's inference (`clinsight-cli bench inference`).

The same networks as core/model/internal/networks_p.h (224 px residual CNN with
Grad-CAM on its last 14x14 activation, LSTM with causal attention in either
layout (--vitals-layout), fusion MLP), written the way a researcher would in eager PyTorch, doing the
same work per patient on the same device:
  full displayed frame (8-bit grey) -> area resize to 224 -> normalise -> CNN
  forward + backward for Grad-CAM -> map upsampled (bilinear) to the full frame
  and copied to the host; T hours x F features -> LSTM + attention; fusion.
The vitals features are given precomputed (ClinSight builds them from the
timeline inside its timing), so the peer does slightly less work there.
Weights are random (timing only; the shapes are ClinSight's).

  python3 bench/peer_inference.py --frame FRAME.png --hours 32 --features 226 \
      --hidden 128 --repeats 30 [--device cuda|cpu] [--threads N]
Prints the same lines as `clinsight-cli bench inference`.
"""
import argparse
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(i, o, k, s):
    return nn.Conv2d(i, o, k, stride=s, padding=k // 2, bias=False)


class ResBlock(nn.Module):
    def __init__(self, i, o, s):
        super().__init__()
        self.conv1, self.bn1 = conv(i, o, 3, s), nn.BatchNorm2d(o)
        self.conv2, self.bn2 = conv(o, o, 3, 1), nn.BatchNorm2d(o)
        self.proj = None
        if i != o or s != 1:
            self.proj, self.projBn = conv(i, o, 1, s), nn.BatchNorm2d(o)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (self.projBn(self.proj(x)) if self.proj is not None else x))


class ImageNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem, self.stemBn = conv(1, 24, 7, 2), nn.BatchNorm2d(24)
        self.layer1, self.layer2 = ResBlock(24, 32, 1), ResBlock(32, 64, 2)
        self.layer3, self.layer4 = ResBlock(64, 128, 2), ResBlock(128, 128, 1)
        self.dropout, self.head = nn.Dropout(0.3), nn.Linear(128, 1)

    def forward(self, x):
        a = F.max_pool2d(F.relu(self.stemBn(self.stem(x))), 3, 2, 1)
        a = self.layer4(self.layer3(self.layer2(self.layer1(a))))
        feature = a.mean((2, 3))
        return feature, self.head(self.dropout(feature)).squeeze(1), a


class VitalsNet(nn.Module):
    """layout 'query' (lstm-query-attention-context-v2, the shipped one) or 'additive' (v1)."""

    def __init__(self, f, h, layout='query'):
        super().__init__()
        self.layout = layout
        self.lstm = nn.LSTM(f, h, batch_first=True)
        if layout == 'additive':
            self.attnW, self.attnV = nn.Linear(h, 32), nn.Linear(32, 1, bias=False)
        else:
            self.attnQ, self.attnK = nn.Linear(h, 32, bias=False), nn.Linear(h, 32, bias=False)
            self.recency = nn.Parameter(torch.full((1,), float(np.log(np.expm1(0.25)))))
        self.dropout, self.head = nn.Dropout(0.3), nn.Linear(2 * h if layout == 'additive' else h, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        T = h.size(1)
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        if self.layout == 'additive':
            e = self.attnV(torch.tanh(self.attnW(h))).squeeze(2)
            scores = e.unsqueeze(1).expand(e.size(0), T, T)
        else:
            pos = torch.arange(T, dtype=torch.float32, device=x.device)
            distance = (pos.unsqueeze(1) - pos.unsqueeze(0)).clamp_min(0)
            scores = torch.bmm(self.attnQ(h), self.attnK(h).transpose(1, 2)) / 32 ** 0.5 - F.softplus(self.recency) * distance
        a = torch.softmax(scores.masked_fill(mask, -1e9), 2)
        context = torch.bmm(a, h)
        feature = torch.cat([context, h], 2)
        head_in = feature if self.layout == 'additive' else context
        return feature, self.head(self.dropout(head_in)).squeeze(2), a


class FusionNet(nn.Module):
    def __init__(self, vf):
        super().__init__()
        self.fc1, self.fc2, self.dropout = nn.Linear(128 + vf, 32), nn.Linear(32, 1), nn.Dropout(0.3)

    def forward(self, i, v):
        return self.fc2(self.dropout(F.relu(self.fc1(torch.cat([i, v], 1))))).squeeze(1)


def sync(dev):
    if dev.type == 'cuda':
        torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--frame', required=True, help='8-bit grey PNG of the displayed frame')
    ap.add_argument('--hours', type=int, default=32)
    ap.add_argument('--features', type=int, default=226)
    ap.add_argument('--hidden', type=int, default=128)
    ap.add_argument('--vitals-layout', choices=['query', 'additive'], default='query')
    ap.add_argument('--repeats', type=int, default=30)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--threads', type=int, default=0)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    from PIL import Image
    frame = np.array(Image.open(a.frame).convert('L'))  # writable: torch.from_numpy shares it
    dev = torch.device(a.device)
    torch.manual_seed(0)
    img, vit, fus = ImageNet().to(dev).eval(), VitalsNet(a.features, a.hidden, a.vitals_layout).to(dev).eval(), FusionNet(2 * a.hidden).to(dev).eval()
    feats = torch.randn(1, a.hours, a.features)
    H, W = frame.shape

    def patient():
        x = torch.from_numpy(frame).to(dev).float().div_(255).view(1, 1, H, W)
        x = F.interpolate(x, size=(224, 224), mode='area')
        x = (x - 0.5) / 0.25
        feature, logit, last = img(x)
        last.retain_grad()
        img.zero_grad()
        logit.sum().backward()
        w = last.grad.mean((2, 3), keepdim=True)
        cam = F.relu((w * last).sum(1, keepdim=True)).detach()
        cam = cam / cam.max().clamp_min(1e-12)
        full = F.interpolate(cam, size=(H, W), mode='bilinear', align_corners=False).cpu()
        with torch.no_grad():
            vf, vl, att = vit(feats.to(dev))
            risk = torch.sigmoid(fus(feature.detach(), vf[:, -1]))
            out = (torch.sigmoid(vl).cpu(), att[0, -1].cpu(), risk.cpu(), torch.sigmoid(logit).detach().cpu())
        return full, out

    times, image_times = [], []
    for i in range(a.repeats + 2):
        sync(dev)
        t0 = time.perf_counter()
        patient()
        sync(dev)
        if i >= 2:
            times.append((time.perf_counter() - t0) * 1e3)
    batch = np.stack([frame] * a.batch)
    runs = []
    with torch.no_grad():
        for i in range(5 + 1):
            sync(dev)
            t0 = time.perf_counter()
            x = torch.from_numpy(batch).to(dev).float().div_(255).unsqueeze(1)
            x = (F.interpolate(x, size=(224, 224), mode='area') - 0.5) / 0.25
            torch.sigmoid(img(x)[1]).cpu()
            sync(dev)
            if i >= 1:
                runs.append(time.perf_counter() - t0)
    med = statistics.median(times)
    p95 = sorted(times)[max(0, int(round(0.95 * len(times))) - 1)]
    print(f'peer inference: PyTorch {torch.__version__} eager, device {dev}, threads {torch.get_num_threads()}')
    print(f'per patient (image+Grad-CAM, {a.hours} h vitals+attention, fusion): median {med:.2f} ms, p95 {p95:.2f} ms (n={a.repeats})')
    print(f'batch image throughput: {a.batch / statistics.median(runs):.0f} images/s ({a.batch} per batch, median of 5)')


if __name__ == '__main__':
    main()
