#include "clinsight/model/imagepreprocessing.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdint>

namespace cs {

namespace {

// Exact area (box) reduction of a grey image to size x size: each output pixel is
// the mean of the source area it covers, partial pixels weighted by the part
// covered, rounded to the nearest grey level (ties to even). All in integers: in
// units of 1/size source pixel, output cell k of an axis of n pixels covers
// [k n, (k+1) n) and source pixel i covers [i size, (i+1) size), so every overlap
// is a whole number. One pass over the source (rows weighted into column sums),
// no threads of its own: callers reduce several frames in parallel.
std::vector<std::uint8_t> areaReduce(const std::uint8_t *src, int w, int h, std::size_t stride, int size)
{
    struct Tap {
        int first;
        std::vector<std::uint32_t> weights;   // of source pixels first, first+1, ...
    };
    auto taps = [size](int n) {
        std::vector<Tap> t(static_cast<std::size_t>(size));
        for (int k = 0; k < size; ++k) {
            const std::int64_t a = std::int64_t(k) * n, b = std::int64_t(k + 1) * n;
            const int first = int(a / size), last = int((b - 1) / size);
            t[std::size_t(k)].first = first;
            for (int i = first; i <= last; ++i)
                t[std::size_t(k)].weights.push_back(std::uint32_t(std::min<std::int64_t>(b, std::int64_t(i + 1) * size)
                                                                  - std::max<std::int64_t>(a, std::int64_t(i) * size)));
        }
        return t;
    };
    const std::vector<Tap> tx = taps(w), ty = taps(h);
    const std::uint64_t area = std::uint64_t(w) * std::uint64_t(h);   // sum of all weights of one output pixel
    std::vector<std::uint8_t> out(std::size_t(size) * std::size_t(size));
    std::vector<std::uint32_t> col(static_cast<std::size_t>(w));   // <= 255 x h: the row weights sum to h
    for (int oy = 0; oy < size; ++oy) {
        std::fill(col.begin(), col.end(), 0u);
        const Tap &v = ty[std::size_t(oy)];
        for (std::size_t r = 0; r < v.weights.size(); ++r) {
            const std::uint8_t *row = src + std::size_t(v.first + int(r)) * stride;
            const std::uint32_t wy = v.weights[r];
            for (int x = 0; x < w; ++x) col[std::size_t(x)] += wy * row[x];
        }
        for (int ox = 0; ox < size; ++ox) {
            const Tap &t = tx[std::size_t(ox)];
            std::uint64_t sum = 0;
            for (std::size_t i = 0; i < t.weights.size(); ++i) sum += std::uint64_t(t.weights[i]) * col[std::size_t(t.first) + i];
            std::uint64_t q = sum / area;
            const std::uint64_t rem = sum % area;
            if (2 * rem > area || (2 * rem == area && (q & 1))) ++q;
            out[std::size_t(oy) * std::size_t(size) + std::size_t(ox)] = std::uint8_t(std::min<std::uint64_t>(q, 255));
        }
    }
    return out;
}

} // namespace

std::vector<float> networkInputPixels(const DisplayFrame &f, int size)
{
    std::vector<float> v(std::size_t(size) * std::size_t(size), 0.f);
    if (f.width <= 0 || f.height <= 0 || size <= 0) return v;
    cv::Mat src(f.height, f.width, f.channels == 3 ? CV_8UC3 : CV_8UC1, const_cast<std::uint8_t *>(f.pixels.data()));
    cv::Mat grey;
    if (f.channels == 3) cv::cvtColor(src, grey, cv::COLOR_RGB2GRAY);
    else grey = src;
    const bool shrinking = f.width >= size && f.height >= size;
    if (shrinking) {
        // Includes the same size (every weight whole: an exact copy).
        const auto px = areaReduce(grey.ptr<std::uint8_t>(0), grey.cols, grey.rows, grey.step[0], size);
        for (std::size_t i = 0; i < px.size(); ++i) v[i] = px[i] / 255.f;
        return v;
    }
    cv::Mat scaled;
    cv::resize(grey, scaled, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) v[std::size_t(y) * std::size_t(size) + std::size_t(x)] = scaled.at<std::uint8_t>(y, x) / 255.f;
    return v;
}

} // namespace cs
