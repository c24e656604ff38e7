#include "clinsight/dicom/seriesframes.h"

#include <algorithm>

namespace cs {

namespace {
bool sameVoi(const VoiChoice &a, const VoiChoice &b)
{
    return a.kind == b.kind && (a.kind != VoiChoice::Kind::Custom || (a.center == b.center && a.width == b.width));
}
} // namespace

SeriesFrames::SeriesFrames(DicomSeriesInfo series, qint64 cacheBytes) : m_series(std::move(series)), m_limit(std::max<qint64>(0, cacheBytes))
{
    for (int i = 0; i < int(m_series.instances.size()); ++i)
        for (int f = 0; f < std::max(1, m_series.instances[size_t(i)].frames); ++f) m_slices.emplace_back(i, f);
}

const DicomInstanceInfo &SeriesFrames::instanceAt(int index) const
{
    return m_series.instances[size_t(m_slices[size_t(std::clamp(index, 0, count() - 1))].first)];
}

int SeriesFrames::frameInInstance(int index) const { return m_slices[size_t(std::clamp(index, 0, count() - 1))].second; }

qint64 SeriesFrames::rawPixelBytes() const
{
    qint64 n = 0;
    for (const auto &i : m_series.instances)
        n += qint64(i.rows) * i.columns * std::max(1, i.samplesPerPixel) * std::max(1, (i.floatBits ? i.floatBits : i.bitsAllocated) / 8)
             * std::max(1, i.frames);
    return n;
}

Result<DisplayFrame> SeriesFrames::frame(int index, const VoiChoice &voi)
{
    if (index < 0 || index >= count())
        return makeError(Error::Code::Invalid, {}, QStringLiteral("slice"),
                         QStringLiteral("slice %1 is outside the series (%2 slices)").arg(index + 1).arg(count()));
    for (auto it = m_cache.begin(); it != m_cache.end(); ++it)
        if (it->index == index && sameVoi(it->voi, voi)) {
            m_cache.splice(m_cache.begin(), m_cache, it);
            ++m_stats.fromCache;
            return m_cache.front().frame;
        }
    const auto [instance, f] = m_slices[size_t(index)];
    Result<DisplayFrame> rendered = [&]() -> Result<DisplayFrame> {
        auto src = DicomImageSource::open(m_series.instances[size_t(instance)].path);
        if (!src) return src.error();
        return src->render(f, voi);   // the file and its decoded pixels are released here
    }();
    if (!rendered) return rendered;
    ++m_stats.rendered;
    const qint64 bytes = qint64(rendered->pixels.size());
    if (bytes <= m_limit) {
        m_cache.push_front({index, voi, rendered.value()});
        m_cachedBytes += bytes;
        while (m_cachedBytes > m_limit && !m_cache.empty()) {
            m_cachedBytes -= qint64(m_cache.back().frame.pixels.size());
            m_cache.pop_back();
            ++m_stats.evicted;
        }
    }
    return rendered;
}

} // namespace cs
