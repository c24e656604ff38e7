#include "clinsight/imaging/saliencycapture.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cs {

Result<DisplayFrame> composeSaliencyCapture(const DisplayFrame &frame, const HeatmapGrid &map, const QStringList &caption, double opacity)
{
    if (frame.width <= 0 || frame.height <= 0 || (frame.channels != 1 && frame.channels != 3)
        || frame.pixels.size() != size_t(frame.width) * size_t(frame.height) * size_t(frame.channels))
        return makeError(Error::Code::Invalid, {}, QStringLiteral("frame"), QStringLiteral("empty or inconsistent frame"));
    if (map.isNull() || map.frameWidth != frame.width || map.frameHeight != frame.height)
        return makeError(Error::Code::Invalid, {}, QStringLiteral("Grad-CAM"), QStringLiteral("map missing or laid over a frame of another size"));
    const cv::Mat src(frame.height, frame.width, frame.channels == 1 ? CV_8UC1 : CV_8UC3, const_cast<std::uint8_t *>(frame.pixels.data()));
    cv::Mat rgb;
    if (frame.channels == 1) cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
    else rgb = src.clone();
    const std::vector<float> full = heatmapOnFrame(map);
    const float op = float(std::clamp(opacity, 0.0, 1.0));
    for (int y = 0; y < rgb.rows; ++y) {
        auto *px = rgb.ptr<cv::Vec3b>(y);
        const float *m = &full[size_t(y) * size_t(rgb.cols)];
        for (int x = 0; x < rgb.cols; ++x) {
            const HeatmapColour h = heatmapColour(m[x]);
            const float a = op * h.alpha;
            const float c[3] = {h.r * 255, h.g * 255, h.b * 255};
            for (int k = 0; k < 3; ++k) px[x][k] = cv::saturate_cast<std::uint8_t>(px[x][k] * (1 - a) + c[k] * a);
        }
    }
    // Caption band below the image, so no text covers anatomy.
    const double scale = std::max(0.4, rgb.cols / 1400.0);
    const int thickness = std::max(1, int(std::lround(scale * 1.6)));
    int baseline = 0;
    const int lineHeight = cv::getTextSize("Ag", cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline).height + baseline + int(8 * scale);
    const int band = lineHeight * int(caption.size()) + int(12 * scale);
    cv::Mat out(rgb.rows + band, rgb.cols, CV_8UC3, cv::Scalar(0, 0, 0));
    rgb.copyTo(out(cv::Rect(0, 0, rgb.cols, rgb.rows)));
    int y = rgb.rows + lineHeight;
    for (const QString &line : caption) {
        QByteArray ascii = line.toLatin1();
        for (char &ch : ascii) if (ch < 0x20 || ch > 0x7e) ch = '?';
        cv::putText(out, ascii.constData(), cv::Point(int(8 * scale), y - baseline), cv::FONT_HERSHEY_SIMPLEX, scale,
                    cv::Scalar(255, 255, 255), thickness, cv::LINE_AA);
        y += lineHeight;
    }
    DisplayFrame f;
    f.width = out.cols;
    f.height = out.rows;
    f.channels = 3;
    f.pixels.assign(out.data, out.data + size_t(out.total()) * 3);
    return f;
}

} // namespace cs
