#include "clinsight/imaging/saliencycapture.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cs {

Result<DisplayFrame> composeSaliencyCapture(const DisplayFrame &frame, const std::vector<float> &map, int camWidth, int camHeight,
                                            const QStringList &caption, double opacity)
{
    if (frame.width <= 0 || frame.height <= 0 || (frame.channels != 1 && frame.channels != 3)
        || frame.pixels.size() != size_t(frame.width) * size_t(frame.height) * size_t(frame.channels))
        return makeError(Error::Code::Invalid, {}, QStringLiteral("frame"), QStringLiteral("empty or inconsistent frame"));
    if (camWidth <= 0 || camHeight <= 0 || map.size() != size_t(camWidth) * size_t(camHeight))
        return makeError(Error::Code::Invalid, {}, QStringLiteral("Grad-CAM"), QStringLiteral("map size does not match its grid"));
    const cv::Mat src(frame.height, frame.width, frame.channels == 1 ? CV_8UC1 : CV_8UC3, const_cast<std::uint8_t *>(frame.pixels.data()));
    cv::Mat rgb;
    if (frame.channels == 1) cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
    else rgb = src.clone();
    cv::Mat cam(camHeight, camWidth, CV_32FC1, const_cast<float *>(map.data()));
    cv::Mat camFull;
    if (camWidth != frame.width || camHeight != frame.height) cv::resize(cam, camFull, rgb.size(), 0, 0, cv::INTER_LINEAR);
    else camFull = cam;
    const float op = float(std::clamp(opacity, 0.0, 1.0));
    for (int y = 0; y < rgb.rows; ++y) {
        auto *px = rgb.ptr<cv::Vec3b>(y);
        const float *m = camFull.ptr<float>(y);
        for (int x = 0; x < rgb.cols; ++x) {
            const float v = std::clamp(m[x], 0.f, 1.f);
            const float r = std::clamp(1.5f - std::abs(4 * v - 3), 0.f, 1.f), g = std::clamp(1.5f - std::abs(4 * v - 2), 0.f, 1.f),
                        b = std::clamp(1.5f - std::abs(4 * v - 1), 0.f, 1.f);
            const float a = op * std::min(1.f, v * 3);
            const float c[3] = {r * 255, g * 255, b * 255};
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
