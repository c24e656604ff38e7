#include "clinsight/dicom/framerenderer.h"

#include <QMetaObject>
#include <QPointer>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <list>
#include <mutex>

namespace cs {

namespace {

struct Key {
    quint64 generation = 0;
    int frame = 0;
    VoiChoice::Kind kind = VoiChoice::Kind::FileDefault;
    double center = 0, width = 0;
    bool operator==(const Key &o) const
    {
        return generation == o.generation && frame == o.frame && kind == o.kind
               && (kind != VoiChoice::Kind::Custom || (center == o.center && width == o.width));
    }
};

struct Pending {
    Key key;
    VoiChoice voi;
    QPointer<QObject> receiver;
    FrameRenderer::Reply reply;
};

qint64 bytesOf(const DisplayFrame &f) { return qint64(f.pixels.size()) + qint64(sizeof(DisplayFrame)); }

} // namespace

struct FrameRenderer::Impl {
    mutable std::mutex mutex;
    std::optional<DicomImageSource> source;
    std::optional<SeriesFrames> series;
    quint64 generation = 0;
    std::optional<Pending> pending;
    bool running = false;
    std::list<std::pair<Key, DisplayFrame>> cache;   // front: most recently used
    qint64 cacheBytes = 0, cacheLimit = 0;
    Stats stats;
    QThread *callerThread = nullptr;
    bool offCaller = false;

    // Under mutex: what was rendered or asked for belongs to the previous image.
    void replaced()
    {
        ++generation;
        if (pending) ++stats.dropped;
        pending.reset();
        cache.clear();
        cacheBytes = 0;
    }
    // Under mutex.
    const DisplayFrame *cached(const Key &k)
    {
        for (auto it = cache.begin(); it != cache.end(); ++it)
            if (it->first == k) {
                cache.splice(cache.begin(), cache, it);
                return &cache.front().second;
            }
        return nullptr;
    }
    void remember(const Key &k, const DisplayFrame &f)
    {
        if (bytesOf(f) > cacheLimit) return;
        cache.emplace_front(k, f);
        cacheBytes += bytesOf(f);
        while (cacheBytes > cacheLimit && !cache.empty()) {
            cacheBytes -= bytesOf(cache.back().second);
            cache.pop_back();
        }
    }
    static void deliver(const Pending &p, const Result<DisplayFrame> &r)
    {
        if (!p.receiver || !p.reply) return;
        QMetaObject::invokeMethod(p.receiver.data(), [reply = p.reply, frame = p.key.frame, r] { reply(frame, r); }, Qt::QueuedConnection);
    }
    // The worker: renders the latest pending request until none is left.
    static void work(const std::shared_ptr<Impl> &d)
    {
        for (;;) {
            Pending p;
            std::optional<DicomImageSource> src;
            std::optional<SeriesFrames> series;
            {
                std::lock_guard<std::mutex> lock(d->mutex);
                if (!d->pending || (!d->source && !d->series)) { d->pending.reset(); d->running = false; return; }
                p = std::move(*d->pending);
                d->pending.reset();
                src = d->source;   // copies share decoded data; this copy is used by this thread only
                series = d->series;
            }
            Result<DisplayFrame> r = series ? series->frame(p.key.frame, p.voi) : src->render(p.key.frame, p.voi);
            {
                std::lock_guard<std::mutex> lock(d->mutex);
                if (p.key.generation != d->generation) continue;   // the image was replaced meanwhile
                ++d->stats.rendered;
                d->offCaller = QThread::currentThread() != d->callerThread;
                if (r) d->remember(p.key, r.value());
            }
            deliver(p, r);
        }
    }
};

FrameRenderer::FrameRenderer(qint64 cacheBytes) : d(std::make_shared<Impl>())
{
    d->cacheLimit = cacheBytes;
    d->callerThread = QThread::currentThread();
    m_pool.setMaxThreadCount(1);
}

FrameRenderer::~FrameRenderer()
{
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->pending.reset();
        ++d->generation;
    }
    m_pool.waitForDone();
}

void FrameRenderer::setSource(std::optional<DicomImageSource> source)
{
    std::lock_guard<std::mutex> lock(d->mutex);
    d->source = std::move(source);
    d->series.reset();
    d->replaced();
}

void FrameRenderer::setSeries(std::optional<SeriesFrames> series)
{
    std::lock_guard<std::mutex> lock(d->mutex);
    d->series = std::move(series);
    d->source.reset();
    d->replaced();
}

void FrameRenderer::request(int frame, const VoiChoice &voi, QObject *receiver, Reply reply)
{
    std::lock_guard<std::mutex> lock(d->mutex);
    ++d->stats.requested;
    Pending p{Key{d->generation, frame, voi.kind, voi.center, voi.width}, voi, receiver, std::move(reply)};
    if (d->pending) { ++d->stats.dropped; d->pending.reset(); }   // superseded: latest wins
    if (const DisplayFrame *hit = d->cached(p.key)) {
        ++d->stats.fromCache;
        Impl::deliver(p, Result<DisplayFrame>(*hit));
        return;
    }
    d->pending = std::move(p);
    if (!d->running) {
        d->running = true;
        (void)QtConcurrent::run(&m_pool, [d = d] { Impl::work(d); });
    }
}

FrameRenderer::Stats FrameRenderer::stats() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    Stats s = d->stats;
    s.cachedBytes = d->cacheBytes;
    return s;
}

bool FrameRenderer::renderedOffCallerThread() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->offCaller;
}

} // namespace cs
