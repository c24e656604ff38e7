#pragma once
// DICOM Segmentation objects (SEG, PS3.3 A.51 / C.8.20): what was segmented,
// where each frame belongs, and the overlay a viewer draws.
//  - segments: number, label, the coded category and type (code meanings),
//    algorithm, and the colour to show (Recommended Display CIELab Value
//    converted to sRGB with a D65 white, as dcmqi / 3D Slicer / highdicom write
//    it; a fixed palette when the file recommends none);
//  - frames: each frame's segment (Segment Identification), the image it was
//    derived from (Derivation Image / Source Image Sequence: SOP Instance UID
//    and frame number) and its plane position, from the per-frame functional
//    groups with the shared groups as fallback;
//  - overlays: on one frame of a referenced image (matched by SOP Instance UID
//    and frame number, else by Frame of Reference UID + plane position and
//    orientation), or on a SEG frame's own grid when it is shown alone.
// BINARY and FRACTIONAL segmentations (PROBABILITY / OCCUPANCY) are read;
// their frames decode through DicomImageSource (native, deflated frames, RLE,
// JPEG 2000 ...). Thread contract as DicomImageSource: one thread at a time per
// object, copies share the decoded data.
#include "clinsight/dicom/dicom.h"

#include <QStringList>
#include <array>
#include <cstdint>
#include <vector>

namespace cs {

inline constexpr const char *kSegmentationStorageUid = "1.2.840.10008.5.1.4.1.1.66.4";

struct SegmentDescription {
    int number = 0;                          // Segment Number (0062,0004)
    QString label, description;              // Segment Label / Description
    QString category, type;                  // code meanings of the Segmented Property Category / Type
    QString algorithmType, algorithmName;    // AUTOMATIC / SEMIAUTOMATIC / MANUAL, and which
    std::array<std::uint8_t, 3> rgb{{0, 0, 0}};
    bool recommendedColour = false;          // rgb from the file's CIELab value (else ClinSight's palette)
    QString displayName() const;             // "1 Liver (Tissue / Liver)"
};

struct SegmentationFrame {
    int segment = 0;                         // Referenced Segment Number
    QString sourceSopInstanceUid;            // empty when the frame names no source image
    int sourceFrame = 0;                     // Referenced Frame Number (1-based), 0 when not given
    bool hasPosition = false;
    std::array<double, 3> position{{0, 0, 0}};
    bool hasOrientation = false;
    std::array<double, 6> orientation{{1, 0, 0, 0, 1, 0}};
};

// An overlay to draw on one displayed frame: straight-alpha RGBA on the frame's
// grid (each segment's area filled translucently, its outline opaque).
struct SegmentOverlay {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
    std::vector<int> segments;               // segment numbers drawn (area not empty), ascending
    std::vector<int> frames;                 // 0-based SEG frames drawn
    QString matchedBy;                       // "SOP Instance UID", "plane position" or "shown alone"
    bool empty() const { return segments.empty(); }
};

class Segmentation {
public:
    // Errors name the file and the attribute; NotApplicable when the file is an
    // image but not a segmentation.
    static Result<Segmentation> open(const QString &path);
    static bool isSegmentation(const DicomInstanceInfo &info);

    const DicomInstanceInfo &info() const;
    QString segmentationType() const;        // BINARY or FRACTIONAL
    QString fractionalType() const;          // PROBABILITY / OCCUPANCY (FRACTIONAL only)
    int maximumFractionalValue() const;
    QString frameOfReferenceUid() const;
    QStringList referencedSeriesUids() const;
    QString contentLabel() const;            // Content Label / Description, for the legend's title
    QString note() const;                    // what was inconsistent but readable (shown to the user); empty if nothing
    const std::vector<SegmentDescription> &segments() const;
    const std::vector<SegmentationFrame> &frames() const;
    const SegmentDescription *segment(int number) const;

    // Whether this segmentation belongs to the image: a frame derived from it,
    // its series listed in the Referenced Series Sequence, or the same Frame of Reference.
    bool refersTo(const DicomInstanceInfo &image) const;
    // Membership of one frame (0-based): 0/1 for BINARY, 0..255 (the fraction) for FRACTIONAL.
    Result<std::vector<std::uint8_t>> mask(int frame) const;
    // Every segment on frame imageFrame (0-based) of image. An overlay with no
    // segments when nothing was segmented there; NotApplicable when the
    // segmentation does not belong to the image or its grid differs.
    Result<SegmentOverlay> overlayFor(const DicomInstanceInfo &image, int imageFrame) const;
    // SEG frame `frame` on its own grid (the segmentation shown without its images).
    Result<SegmentOverlay> overlayOfFrame(int frame) const;
    // An overlayOfFrame() on black, for showing the segmentation without its images.
    static DisplayFrame renderAlone(const SegmentOverlay &overlay);

    struct Impl;
private:
    explicit Segmentation(std::shared_ptr<const Impl> d);
    std::shared_ptr<const Impl> d;
};

// The frame with the overlay blended in (straight alpha over the frame's pixels;
// grey frames become RGB). Invalid when the grids differ.
Result<DisplayFrame> compositeOverlay(const DisplayFrame &frame, const SegmentOverlay &overlay, double opacity = 1.0);

// sRGB (0..255) of a DICOM CIELab triplet (PS3.3 C.10.7.1.1: L 0..100, a and b -128..127, scaled to 0..65535).
std::array<std::uint8_t, 3> dicomLabToRgb(std::uint16_t l, std::uint16_t a, std::uint16_t b);

} // namespace cs
