#pragma once
// Private: JPEG 2000 / HTJ2K codestream decoding through OpenJPEG (DCMTK has
// no JPEG 2000 codec). Output is native little-endian, colour-by-pixel.
#include "clinsight/foundation/error.h"
#include <cstdint>
#include <vector>

namespace cs::j2k {

struct Target {
    int rows = 0, columns = 0, samplesPerPixel = 1, bitsAllocated = 16;
};

// Decodes one frame; the error reason says what OpenJPEG or the geometry check found.
Result<std::vector<std::uint8_t>> decodeFrame(const std::uint8_t *data, std::size_t size, const Target &t);

// OpenJPEG's version string.
const char *openJpegVersion();

// Threads for one frame's code-blocks (setJpeg2000DecodeThreads in dicom.h); 0: every core,
// shared among the frames being decoded at once.
void setThreads(int n);

} // namespace cs::j2k
