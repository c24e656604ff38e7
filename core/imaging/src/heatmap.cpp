#include "clinsight/imaging/heatmap.h"

#include <algorithm>
#include <cmath>

namespace cs {

bool HeatmapGrid::isNull() const
{
    return gridWidth <= 0 || gridHeight <= 0 || frameWidth <= 0 || frameHeight <= 0
        || values.size() != std::size_t(gridWidth) * std::size_t(gridHeight);
}

namespace {

// For each output index along one axis: the two grid indices and the weight of the second.
struct Tap {
    int i0, i1;
    float w1;
};

std::vector<Tap> taps(int grid, int frame, double start, double extent, int out)
{
    std::vector<Tap> t(static_cast<std::size_t>(out));
    const double toGrid = double(grid) / double(frame);  // grid cells per frame pixel
    for (int o = 0; o < out; ++o) {
        // Continuous frame coordinate of the sample (pixel i covers [i, i+1)), then grid
        // coordinate with cell centres at integers, clamped below as PyTorch does.
        const double f = start + (o + 0.5) * extent / out;
        const double g = std::max(0.0, f * toGrid - 0.5);
        int i0 = std::min(int(g), grid - 1);
        const int i1 = std::min(i0 + 1, grid - 1);
        t[std::size_t(o)] = {i0, i1, float(std::min(1.0, g - i0))};
    }
    return t;
}

} // namespace

std::vector<float> sampleHeatmap(const HeatmapGrid &m, double x, double y, double width, double height, int outWidth, int outHeight)
{
    if (m.isNull() || outWidth <= 0 || outHeight <= 0 || !(width > 0) || !(height > 0)) return {};
    const auto tx = taps(m.gridWidth, m.frameWidth, x, width, outWidth);
    const auto ty = taps(m.gridHeight, m.frameHeight, y, height, outHeight);
    std::vector<float> out(std::size_t(outWidth) * std::size_t(outHeight));
    // Each output row blends two grid rows once, then samples across.
    std::vector<float> row(static_cast<std::size_t>(m.gridWidth));
    for (int oy = 0; oy < outHeight; ++oy) {
        const Tap &v = ty[std::size_t(oy)];
        const float *r0 = &m.values[std::size_t(v.i0) * std::size_t(m.gridWidth)];
        const float *r1 = &m.values[std::size_t(v.i1) * std::size_t(m.gridWidth)];
        for (int gx = 0; gx < m.gridWidth; ++gx) row[std::size_t(gx)] = r0[gx] + v.w1 * (r1[gx] - r0[gx]);
        float *o = &out[std::size_t(oy) * std::size_t(outWidth)];
        for (int ox = 0; ox < outWidth; ++ox) {
            const Tap &h = tx[std::size_t(ox)];
            o[ox] = row[std::size_t(h.i0)] + h.w1 * (row[std::size_t(h.i1)] - row[std::size_t(h.i0)]);
        }
    }
    return out;
}

std::vector<float> heatmapOnFrame(const HeatmapGrid &m)
{
    return sampleHeatmap(m, 0, 0, m.frameWidth, m.frameHeight, m.frameWidth, m.frameHeight);
}

} // namespace cs
