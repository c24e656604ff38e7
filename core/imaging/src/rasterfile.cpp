#include "clinsight/imaging/rasterfile.h"

#include <opencv2/core/version.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QFileInfo>

namespace cs {

QString openCvVersion() { return QStringLiteral(CV_VERSION); }

namespace {
// One write for both writers: OpenCV's encoder with its failures named.
Status writeMat(const QString &path, const cv::Mat &m)
{
    try {
        if (!cv::imwrite(path.toStdString(), m))
            return makeError(Error::Code::Io, path, {}, QStringLiteral("could not write the PNG file"));
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Io, path, {}, QString::fromStdString(e.msg));
    }
    return Ok{};
}
} // namespace

Status writePng(const QString &path, const DisplayFrame &f)
{
    if (f.width <= 0 || f.height <= 0 || f.pixels.size() != std::size_t(f.width) * f.height * f.channels)
        return makeError(Error::Code::Invalid, path, {}, QStringLiteral("frame has no pixels"));
    cv::Mat m(f.height, f.width, f.channels == 3 ? CV_8UC3 : CV_8UC1, const_cast<std::uint8_t *>(f.pixels.data()));
    cv::Mat bgr;
    if (f.channels == 3) cv::cvtColor(m, bgr, cv::COLOR_RGB2BGR);
    else bgr = m;
    return writeMat(path, bgr);
}

Status writePng16(const QString &path, int width, int height, const std::vector<std::uint16_t> &values)
{
    if (width <= 0 || height <= 0 || values.size() != std::size_t(width) * std::size_t(height))
        return makeError(Error::Code::Invalid, path, {}, QStringLiteral("map has no values"));
    return writeMat(path, cv::Mat(height, width, CV_16UC1, const_cast<std::uint16_t *>(values.data())));
}

bool looksLikeRasterFile(const QString &path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    return s == QLatin1String("png") || s == QLatin1String("jpg") || s == QLatin1String("jpeg");
}

namespace {
// One read for both readers: OpenCV's decode with its failures named, and the rows copied out.
Result<DisplayFrame> readWith(const QString &path, int flags)
{
    if (!QFileInfo::exists(path))
        return makeError(Error::Code::Io, path, {}, QStringLiteral("file does not exist"));
    cv::Mat m;
    try {
        m = cv::imread(path.toStdString(), flags);
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Format, path, {}, QString::fromStdString(e.msg));
    }
    if (m.empty())
        return makeError(Error::Code::Format, path, {}, QStringLiteral("not a readable PNG/JPEG image"));
    if (m.depth() != CV_8U || (m.channels() != 1 && m.channels() != 3))
        return makeError(Error::Code::Format, path, {}, QStringLiteral("not an 8-bit grey or RGB PNG/JPEG image"));
    if (m.channels() == 3) cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
    DisplayFrame f;
    f.width = m.cols;
    f.height = m.rows;
    f.channels = m.channels();
    const std::size_t row = std::size_t(m.cols) * std::size_t(f.channels);
    f.pixels.resize(row * std::size_t(m.rows));
    for (int r = 0; r < m.rows; ++r)
        std::copy(m.ptr<std::uint8_t>(r), m.ptr<std::uint8_t>(r) + row, f.pixels.begin() + std::ptrdiff_t(row) * r);
    return f;
}
} // namespace

Result<DisplayFrame> readRasterImage(const QString &path) { return readWith(path, cv::IMREAD_UNCHANGED); }
Result<DisplayFrame> readGreyImage(const QString &path) { return readWith(path, cv::IMREAD_GRAYSCALE); }

} // namespace cs
