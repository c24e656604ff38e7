#pragma once
// The frames of one series (a CT or MR stack of single-frame files, or
// multi-frame instances) in display order, decoded on demand: a request opens
// the slice's file, decodes and renders the frame and releases the file; only
// rendered 8-bit frames are kept, in a cache bounded in bytes (least recently
// used out). A 500-slice CT is scrolled in the cache bound plus one file's
// decode, not in its whole volume (`clinsight-cli bench series`). Not
// thread-safe: one thread at a time (a viewer wraps it in its own job).
#include "clinsight/dicom/dicom.h"

#include <list>
#include <utility>
#include <vector>

namespace cs {

class SeriesFrames {
public:
    explicit SeriesFrames(DicomSeriesInfo series, qint64 cacheBytes = qint64(64) << 20);

    const DicomSeriesInfo &series() const { return m_series; }
    int count() const { return int(m_slices.size()); }
    // The instance and its frame shown at this index (0 .. count()-1).
    const DicomInstanceInfo &instanceAt(int index) const;
    int frameInInstance(int index) const;
    // Renders index (modality LUT, VOI, presentation LUT), from the cache when it holds it.
    // Errors name the slice's file.
    Result<DisplayFrame> frame(int index, const VoiChoice &voi = {});

    // Stored pixel bytes of the whole series (rows x columns x samples x bytes allocated x frames).
    qint64 rawPixelBytes() const;
    qint64 cachedBytes() const { return m_cachedBytes; }
    qint64 cacheLimit() const { return m_limit; }
    struct Stats { int rendered = 0, fromCache = 0, evicted = 0; };
    Stats stats() const { return m_stats; }

private:
    struct Entry {
        int index;
        VoiChoice voi;
        DisplayFrame frame;
    };
    DicomSeriesInfo m_series;
    std::vector<std::pair<int, int>> m_slices;   // (instance, frame) per index
    std::list<Entry> m_cache;                    // most recently used first
    qint64 m_limit, m_cachedBytes = 0;
    Stats m_stats;
};

} // namespace cs
