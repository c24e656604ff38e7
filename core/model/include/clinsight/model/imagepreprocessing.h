#pragma once
// The image branch's pixels, computed the same way for training and at the
// bedside from a displayed frame (modality LUT, VOI and presentation LUT
// already applied by the DICOM pipeline, or a raster file's grey values).
// OpenCV stays inside the .cpp. Reentrant.
#include "clinsight/imaging/frame.h"

#include <vector>

namespace cs {

// Grey frame resized to size x size (area interpolation; aspect ratio not
// kept), values 0..1, row-major. Also the pixel features of the baselines.
std::vector<float> thumbnailPixels(const DisplayFrame &frame, int size);

} // namespace cs
