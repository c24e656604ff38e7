#include "clinsight/model/imagepreprocessing.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace cs {

std::vector<float> networkInputPixels(const DisplayFrame &f, int size)
{
    std::vector<float> v(std::size_t(size) * std::size_t(size), 0.f);
    if (f.width <= 0 || f.height <= 0 || size <= 0) return v;
    cv::Mat src(f.height, f.width, f.channels == 3 ? CV_8UC3 : CV_8UC1, const_cast<std::uint8_t *>(f.pixels.data()));
    cv::Mat grey, scaled;
    if (f.channels == 3) cv::cvtColor(src, grey, cv::COLOR_RGB2GRAY);
    else grey = src;
    if (f.width == size && f.height == size) scaled = grey;
    else {
        const bool shrinking = f.width >= size && f.height >= size;
        cv::resize(grey, scaled, cv::Size(size, size), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) v[std::size_t(y) * std::size_t(size) + std::size_t(x)] = scaled.at<std::uint8_t>(y, x) / 255.f;
    return v;
}

} // namespace cs
