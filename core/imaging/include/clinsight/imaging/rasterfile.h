#pragma once
// Plain raster files (PNG/JPEG) read and written without QtGui, so the
// headless CLI and training can use them. Pixels are 8-bit, row-major.
// libpng/libjpeg stay inside the .cpp. Reentrant.
#include "clinsight/foundation/error.h"
#include "clinsight/imaging/frame.h"

namespace cs {

Status writePng(const QString &path, const DisplayFrame &frame);
// A 16-bit grey PNG (values 0..65535, row-major width x height).
Status writePng16(const QString &path, int width, int height, const std::vector<std::uint16_t> &values);
// Reads an 8-bit PNG/JPEG keeping its colour: grey (channels 1) or RGB (channels 3).
Result<DisplayFrame> readRasterImage(const QString &path);
// Reads any PNG (any bit depth, colour type, transparency) or grey/colour JPEG
// as 8-bit grey (colour to grey by libpng's/libjpeg's luma, as OpenCV did).
Result<DisplayFrame> readGreyImage(const QString &path);
bool looksLikeRasterFile(const QString &path);
// OpenCV's version, for --version.
QString openCvVersion();

} // namespace cs
