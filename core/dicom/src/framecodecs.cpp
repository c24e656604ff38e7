#include "framecodecs_p.h"

#include <zlib.h>

namespace cs::framecodecs {

namespace {

std::size_t samplesOf(const DicomInstanceInfo &info)
{
    return std::size_t(info.rows) * std::size_t(info.columns) * std::size_t(std::max(1, info.samplesPerPixel));
}

// Bytes one frame occupies on its own (frames of an encapsulated syntax start on a byte).
std::size_t frameBytes(const DicomInstanceInfo &info)
{
    const std::size_t n = samplesOf(info);
    if (info.bitsAllocated == 1) return (n + 7) / 8;
    return n * std::size_t((info.bitsAllocated + 7) / 8);
}

Error frameError(const DicomInstanceInfo &info, const QString &why)
{
    return makeError(Error::Code::Format, info.path, QStringLiteral("Pixel Data (7FE0,0010)"), why);
}

} // namespace

std::vector<std::uint8_t> unpackBits(const std::uint8_t *bits, std::size_t byteCount, std::size_t samples)
{
    std::vector<std::uint8_t> out(samples, 0);
    for (std::size_t k = 0; k < samples && k / 8 < byteCount; ++k)
        out[k] = (bits[k / 8] >> (k % 8)) & 1u;
    return out;
}

Result<std::vector<std::uint8_t>> inflateFrame(const std::uint8_t *data, std::size_t size, const DicomInstanceInfo &info)
{
    const std::size_t need = frameBytes(info);
    if (need == 0 || std::int64_t(need) > kMaxDecodedBytes)
        return frameError(info, QStringLiteral("frame size %1 bytes is out of range").arg(need));
    std::vector<std::uint8_t> out(need);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)   // raw deflate (RFC 1951)
        return frameError(info, QStringLiteral("zlib could not start"));
    z.next_in = const_cast<Bytef *>(data);
    z.avail_in = uInt(size);
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const std::size_t got = out.size() - z.avail_out;
    const QString msg = z.msg ? QString::fromLatin1(z.msg) : QString();
    inflateEnd(&z);
    if (rc == Z_BUF_ERROR && z.avail_out == 0)
        return frameError(info, QStringLiteral("deflated frame holds more than the %1 bytes one frame has").arg(need));
    if (rc != Z_STREAM_END)
        return frameError(info, QStringLiteral("deflated frame is corrupt (%1)").arg(msg.isEmpty() ? QStringLiteral("zlib code %1").arg(rc) : msg));
    if (got != need)
        return frameError(info, QStringLiteral("deflated frame has %1 bytes, one frame needs %2").arg(got).arg(need));
    if (info.bitsAllocated == 1)
        return unpackBits(out.data(), out.size(), samplesOf(info));
    return out;
}

Result<std::vector<std::uint8_t>> decodeRleBitFrame(const std::uint8_t *data, std::size_t size, const DicomInstanceInfo &info)
{
    if (info.bitsAllocated != 1 || info.samplesPerPixel != 1)
        return frameError(info, QStringLiteral("RLE 1-bit decoding applies to 1-bit single-sample data only"));
    if (size < 64)
        return frameError(info, QStringLiteral("RLE header needs 64 bytes, the frame has %1").arg(size));
    auto u32 = [data](std::size_t at) {
        return std::uint32_t(data[at]) | std::uint32_t(data[at + 1]) << 8 | std::uint32_t(data[at + 2]) << 16 | std::uint32_t(data[at + 3]) << 24;
    };
    const std::uint32_t segments = u32(0);
    if (segments != 1)
        return frameError(info, QStringLiteral("RLE header declares %1 segments, 1-bit data has 1").arg(segments));
    const std::uint32_t start = u32(4);
    if (start < 64 || start >= size)
        return frameError(info, QStringLiteral("RLE segment offset %1 is outside the frame (%2 bytes)").arg(start).arg(size));
    const std::size_t need = frameBytes(info);
    std::vector<std::uint8_t> bits;
    bits.reserve(need);
    std::size_t i = start;
    while (i < size && bits.size() < need) {   // PackBits (PS3.5 G.3.1)
        const int n = std::int8_t(data[i++]);
        if (n >= 0) {
            const std::size_t count = std::size_t(n) + 1;
            if (i + count > size)
                return frameError(info, QStringLiteral("RLE literal run at byte %1 runs past the frame").arg(i - 1));
            bits.insert(bits.end(), data + i, data + i + count);
            i += count;
        } else if (n != -128) {
            if (i >= size)
                return frameError(info, QStringLiteral("RLE replicate run at byte %1 has no value").arg(i - 1));
            bits.insert(bits.end(), std::size_t(1 - n), data[i++]);
        }
    }
    if (bits.size() < need)
        return frameError(info, QStringLiteral("RLE segment decodes to %1 bytes, one frame needs %2").arg(bits.size()).arg(need));
    return unpackBits(bits.data(), need, samplesOf(info));
}

} // namespace cs::framecodecs
