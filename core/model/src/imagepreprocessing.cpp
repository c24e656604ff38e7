#include "clinsight/model/imagepreprocessing.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace cs {

std::vector<float> thumbnailPixels(const DisplayFrame &f, int size)
{
    cv::Mat src(f.height, f.width, f.channels == 3 ? CV_8UC3 : CV_8UC1, const_cast<std::uint8_t *>(f.pixels.data()));
    cv::Mat grey, small;
    if (f.channels == 3) cv::cvtColor(src, grey, cv::COLOR_RGB2GRAY);
    else grey = src;
    cv::resize(grey, small, cv::Size(size, size), 0, 0, f.width == size && f.height == size ? cv::INTER_NEAREST : cv::INTER_AREA);
    std::vector<float> v(std::size_t(size) * size);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) v[std::size_t(y) * size + x] = small.at<std::uint8_t>(y, x) / 255.f;
    return v;
}

} // namespace cs
