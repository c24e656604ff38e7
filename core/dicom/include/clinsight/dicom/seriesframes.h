#pragma once
// The frames of one series (a CT or MR stack of single-frame files, or
// multi-frame instances) in display order, decoded on demand: a request opens
// the slice's file, decodes and renders the frame and releases the file, so a
// 500-slice CT is never held as a volume. A viewer renders through
// FrameRenderer::setSeries (off its thread, with its bounded cache of rendered
// frames); `clinsight-cli bench series` measures that path. Copies are cheap;
// frame() is const and reentrant.
#include "clinsight/dicom/dicom.h"

#include <utility>
#include <vector>

namespace cs {

class SeriesFrames {
public:
    explicit SeriesFrames(DicomSeriesInfo series);

    const DicomSeriesInfo &series() const { return m_series; }
    int count() const { return int(m_slices.size()); }
    // The instance and its frame shown at this index (clamped to 0 .. count()-1; an empty
    // instance and frame 0 for a series without frames).
    const DicomInstanceInfo &instanceAt(int index) const;
    int frameInInstance(int index) const;
    // Renders index (modality LUT, VOI, presentation LUT). Errors name the slice's file.
    Result<DisplayFrame> frame(int index, const VoiChoice &voi = {}) const;
    // Stored pixel bytes of the whole series (rows x columns x samples x bytes allocated x frames).
    qint64 rawPixelBytes() const;

private:
    DicomSeriesInfo m_series;
    std::vector<std::pair<int, int>> m_slices;   // (instance, frame) per index
};

} // namespace cs
