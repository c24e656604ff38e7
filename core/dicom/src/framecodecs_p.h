#pragma once
// Private: frame codecs DCMTK 3.6.7 lacks, used by dicomimagesource.cpp through
// decodeEncapsulatedInPlace (the decoded frames go back into DCMTK's pipeline):
//  - Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 A.4.11):
//    each frame's native bytes deflated (RFC 1951, no zlib wrapper);
//  - RLE Lossless (PS3.5 Annex G) of 1-bit data (segmentations): one segment
//    holding the frame's bits packed as in native encoding, DCMTK's RLE decoder
//    accepting only 8-bit multiples.
// Both return what decodeEncapsulatedInPlace expects: one byte per sample for
// 1-bit data (0 or 1), native little-endian samples otherwise.
#include "clinsight/dicom/dicom.h"

#include <cstdint>
#include <vector>

namespace cs::framecodecs {

inline constexpr const char *kDeflatedImageFrameUid = "1.2.840.10008.1.2.8.1";
inline constexpr const char *kRleLosslessUid = "1.2.840.10008.1.2.5";

Result<std::vector<std::uint8_t>> inflateFrame(const std::uint8_t *data, std::size_t size, const DicomInstanceInfo &info);
Result<std::vector<std::uint8_t>> decodeRleBitFrame(const std::uint8_t *data, std::size_t size, const DicomInstanceInfo &info);
// Bits of one frame, least significant bit first (native 1-bit order), to one byte per sample.
std::vector<std::uint8_t> unpackBits(const std::uint8_t *bits, std::size_t byteCount, std::size_t samples);

} // namespace cs::framecodecs
