#pragma once
// Plain raster files (PNG/JPEG) read and written without QtGui, so the
// headless CLI and training can use them. Pixels are 8-bit, row-major.
#include "dicom.h"
#include "error.h"

namespace cs {

Status writePng(const QString &path, const DisplayFrame &frame);
// Reads any raster OpenCV can decode as 8-bit grey.
Result<DisplayFrame> readGreyImage(const QString &path);
// Any image ClinSight accepts: DICOM (first frame, file's default window) or a raster file.
Result<DisplayFrame> readDisplayImage(const QString &path);
bool looksLikeRasterFile(const QString &path);
// Grey frame resized to size x size (area interpolation), values 0..1, row-major:
// the pixel features of the baselines.
std::vector<float> thumbnailPixels(const DisplayFrame &frame, int size);

} // namespace cs
