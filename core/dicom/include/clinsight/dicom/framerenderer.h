#pragma once
// Renders the frames of one DICOM image, or the slices of one series, off the
// caller's thread, for a viewer
// that must stay smooth during cine and window/level drags:
//  - requests coalesce: while one frame renders, only the latest request waits
//    (older ones are dropped, never rendered);
//  - rendered frames are kept in a bounded cache (least recently used dropped
//    first), so a cine loop or a revisited window costs no second render;
//  - the reply runs on the receiver's thread (its event loop); replies for a
//    source that has since been replaced are dropped.
// Use from one thread (the GUI's). The destructor waits for the frame in
// progress, at most one render.
#include "clinsight/dicom/dicom.h"
#include "clinsight/dicom/seriesframes.h"

#include <QObject>
#include <QThreadPool>
#include <functional>
#include <memory>
#include <optional>

namespace cs {

class FrameRenderer {
public:
    using Reply = std::function<void(int frame, const Result<DisplayFrame> &)>;
    explicit FrameRenderer(qint64 cacheBytes = qint64(256) << 20);
    ~FrameRenderer();
    FrameRenderer(const FrameRenderer &) = delete;
    FrameRenderer &operator=(const FrameRenderer &) = delete;

    // The image to render from (none: clears). Drops the pending request and the cache.
    void setSource(std::optional<DicomImageSource> source);
    // Or a series: frame k is its slice k, decoded on demand (replaces any image source).
    void setSeries(std::optional<SeriesFrames> series);
    void request(int frame, const VoiChoice &voi, QObject *receiver, Reply reply);

    struct Stats { int requested = 0, rendered = 0, fromCache = 0, dropped = 0; qint64 cachedBytes = 0; };
    Stats stats() const;
    // Whether the last render ran on a thread other than the caller's (for tests).
    bool renderedOffCallerThread() const;

    struct Impl;
private:
    std::shared_ptr<Impl> d;
    QThreadPool m_pool;
};

} // namespace cs
