#include "clinsight/dicom/seriesframes.h"

#include <algorithm>

namespace cs {

SeriesFrames::SeriesFrames(DicomSeriesInfo series) : m_series(std::move(series))
{
    for (int i = 0; i < int(m_series.instances.size()); ++i)
        for (int f = 0; f < std::max(1, m_series.instances[size_t(i)].frames); ++f) m_slices.emplace_back(i, f);
}

const DicomInstanceInfo &SeriesFrames::instanceAt(int index) const
{
    static const DicomInstanceInfo none;
    if (m_slices.empty()) return none;
    return m_series.instances[size_t(m_slices[size_t(std::clamp(index, 0, count() - 1))].first)];
}

int SeriesFrames::frameInInstance(int index) const
{
    return m_slices.empty() ? 0 : m_slices[size_t(std::clamp(index, 0, count() - 1))].second;
}

qint64 SeriesFrames::rawPixelBytes() const
{
    qint64 n = 0;
    for (const auto &i : m_series.instances)
        n += qint64(i.rows) * i.columns * std::max(1, i.samplesPerPixel) * std::max(1, (i.floatBits ? i.floatBits : i.bitsAllocated) / 8)
             * std::max(1, i.frames);
    return n;
}

Result<DisplayFrame> SeriesFrames::frame(int index, const VoiChoice &voi) const
{
    if (index < 0 || index >= count())
        return makeError(Error::Code::Invalid, {}, QStringLiteral("slice"),
                         QStringLiteral("slice %1 is outside the series (%2 slices)").arg(index + 1).arg(count()));
    const auto [instance, f] = m_slices[size_t(index)];
    auto src = DicomImageSource::open(m_series.instances[size_t(instance)].path);
    if (!src) return src.error();
    return src->render(f, voi);   // the file and its decoded pixels are released on return
}

} // namespace cs
