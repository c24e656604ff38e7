#pragma once
// Private: pixel data DCMTK's display pipeline refuses, brought into a form it
// takes without changing what the pixels mean (dicomimagesource.cpp calls
// these before building a DicomImage):
//  - Float / Double Float Pixel Data (parametric maps): real-world values
//    (the Real World Value Mapping applied where present) quantised to 16 bits
//    with a Rescale Slope/Intercept that returns them, and the frame VOI window
//    (functional groups) as the default window;
//  - 32-bit integer samples: the 16 most significant stored bits, the rescale
//    slope multiplied back so modality values are unchanged;
//  - segmented palette colour LUTs (PS3.3 C.7.9.2): expanded to plain LUTs;
//  - JPEG-LS that DCMTK's codec refuses (e.g. 7 bits stored): decoded with CharLS;
//  - enhanced multi-frame rescale and window (functional groups) made top-level attributes.
#include "clinsight/dicom/dicom.h"
#include "clinsight/foundation/error.h"

#include <cstdint>
#include <functional>
#include <vector>

class DcmDataset;

namespace cs::pixelforms {

// Enhanced multi-frame objects keep rescale and window in functional groups, which DCMTK 3.6.7's
// display pipeline does not read: the shared (or, when every frame agrees, per-frame) Pixel Value
// Transformation becomes the Rescale Slope/Intercept, the first frame's Frame VOI LUT the default window.
Status hoistFunctionalGroups(DicomInstanceInfo &info, DcmDataset *ds);
Status floatToRescaled16(DicomInstanceInfo &info, DcmDataset *ds);
Status narrow32To16(DicomInstanceInfo &info, DcmDataset *ds);
Status expandSegmentedPalettes(DicomInstanceInfo &info, DcmDataset *ds);
// Expands one segmented LUT (16-bit words) to `entries` values; an error names what is malformed.
Result<std::vector<std::uint16_t>> expandSegmentedLut(const std::vector<std::uint16_t> &segments, int entries);

// Decodes one JPEG-LS frame with CharLS to native little-endian samples,
// colour-by-pixel; planar is set when the stream was not interleaved.
Result<std::vector<std::uint8_t>> decodeJpegLsFrame(const std::uint8_t *data, std::size_t size, const DicomInstanceInfo &info,
                                                    bool *planar);
const char *charlsVersion();

} // namespace cs::pixelforms
