#pragma once
// The image branch's pixels, computed the same way for training and at the
// bedside from a displayed frame (modality LUT, VOI and presentation LUT --
// so MONOCHROME1 -- already applied by the DICOM pipeline, or a raster
// file's grey values). OpenCV stays inside the .cpp. Reentrant.
#include "clinsight/imaging/frame.h"

#include <vector>

namespace cs {

// Grey frame (RGB by ITU-R BT.601 luma) resized to size x size, values 0..1,
// row-major. The aspect ratio is NOT kept: the training radiographs (Kermany
// 224 px) were distributed stretched to a square from originals of varied
// aspect, so a bedside film is stretched the same way to show the network the
// geometry it learned. When shrinking, the exact area mean (partial pixels
// weighted by the part covered, integer arithmetic, rounded to a grey level,
// ties to even: the grey levels of OpenCV's INTER_AREA, which it replaced,
// tested at whole and fractional factors, in under a third of its time and
// without its internal thread pool, which serialised frames reduced in parallel);
// bilinear when enlarging; an exact copy at the same size. Also the pixel
// features of the baselines (at a smaller size).
std::vector<float> networkInputPixels(const DisplayFrame &frame, int size);

} // namespace cs
