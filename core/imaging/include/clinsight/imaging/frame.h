#pragma once
// Value types of a displayed image, shared by DICOM decoding, raster files,
// the model's preprocessing and the viewer: plain data, copied across threads.
#include <QString>
#include <cstdint>
#include <vector>

namespace cs {

// One VOI transform a file offers or the user chose.
struct VoiWindow {
    double center = 0;
    double width = 0;
    QString label;         // "WINDOW1" from Window Center & Width Explanation, "VOI LUT 1", ...
    bool isLut = false;    // from the VOI LUT Sequence rather than a window
};

// One displayed frame: 8-bit grey (channels 1) or RGB (channels 3), row-major.
struct DisplayFrame {
    int width = 0, height = 0, channels = 1;
    std::vector<std::uint8_t> pixels;
    VoiWindow window;            // window applied (grey only)
};

} // namespace cs
