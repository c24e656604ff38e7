#pragma once
// A coarse explanation map laid over a frame (Grad-CAM's 14 x 14 grid over a
// 1841 x 1955 radiograph), kept at the grid's own resolution and sampled only
// where and as finely as it is shown: the viewer samples the part of the frame
// on screen at screen resolution, the secondary capture and explain-image the
// whole frame at full resolution. The sampling is PyTorch's bilinear
// interpolate with align_corners=false (grid values at cell centres, clamped
// at the edges), so the full-resolution map is the one the network library
// would have produced. Reentrant; no Qt, no OpenCV.
#include <cstdint>
#include <vector>

namespace cs {

struct HeatmapGrid {
    std::vector<float> values;            // gridHeight x gridWidth, row-major, 0..1
    int gridWidth = 0, gridHeight = 0;
    int frameWidth = 0, frameHeight = 0;  // the frame the grid covers, edge to edge
    bool isNull() const;                  // no grid, no frame, or values of another size
};

// outWidth x outHeight values (row-major) at the centres of an even
// outWidth x outHeight division of the frame region x..x+width, y..y+height
// (frame pixels; the region may extend past the frame, where the edge values
// continue). Empty when the grid is null or a size is not positive.
std::vector<float> sampleHeatmap(const HeatmapGrid &grid, double x, double y, double width, double height,
                                 int outWidth, int outHeight);

// The whole frame at the frame's own size.
std::vector<float> heatmapOnFrame(const HeatmapGrid &grid);

// The workstation's heatmap colours (jet: blue, cyan, yellow, red), with an
// opacity that fades to transparent as the value goes to 0; v is clamped to 0..1.
struct HeatmapColour {
    float r, g, b, alpha;  // 0..1
};
inline HeatmapColour heatmapColour(float v)
{
    v = v < 0.f ? 0.f : (v > 1.f ? 1.f : v);
    auto ramp = [](float t) { return t < 0.f ? 0.f : (t > 1.f ? 1.f : t); };
    auto absf = [](float t) { return t < 0.f ? -t : t; };
    return {ramp(1.5f - absf(4 * v - 3)), ramp(1.5f - absf(4 * v - 2)), ramp(1.5f - absf(4 * v - 1)), ramp(3 * v)};
}

} // namespace cs
