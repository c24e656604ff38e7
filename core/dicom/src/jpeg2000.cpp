#include "jpeg2000_p.h"

#include <openjpeg.h>

#include <QString>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <cstring>

namespace cs::j2k {
namespace {

struct MemStream {
    const std::uint8_t *data;
    std::size_t size;
    std::size_t pos;
};

OPJ_SIZE_T readFn(void *buf, OPJ_SIZE_T n, void *user)
{
    auto *m = static_cast<MemStream *>(user);
    if (m->pos >= m->size)
        return OPJ_SIZE_T(-1);
    const std::size_t k = std::min<std::size_t>(n, m->size - m->pos);
    std::memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return k;
}
OPJ_OFF_T skipFn(OPJ_OFF_T n, void *user)
{
    auto *m = static_cast<MemStream *>(user);
    if (n < 0) {
        const std::size_t back = std::min<std::size_t>(std::size_t(-n), m->pos);
        m->pos -= back;
        return -OPJ_OFF_T(back);
    }
    const std::size_t k = std::min<std::size_t>(std::size_t(n), m->size - m->pos);
    m->pos += k;
    return OPJ_OFF_T(k);
}
OPJ_BOOL seekFn(OPJ_OFF_T n, void *user)
{
    auto *m = static_cast<MemStream *>(user);
    if (n < 0 || std::size_t(n) > m->size)
        return OPJ_FALSE;
    m->pos = std::size_t(n);
    return OPJ_TRUE;
}

void quiet(const char *, void *) {}
void keepError(const char *msg, void *user) { *static_cast<QString *>(user) = QString::fromUtf8(msg).trimmed(); }

} // namespace

const char *openJpegVersion() { return opj_version(); }

namespace {
std::atomic<int> g_threads{0};
std::atomic<int> g_decoding{0};   // JPEG 2000 frames being decoded right now, in any thread

// A set number, else the cores shared among the frames being decoded at once: two decodes
// (the viewer beside a scoring job, a folder decoded on every core) each get half, instead of
// each asking for every core (OpenJPEG makes its own pool per codec, i.e. per frame).
int decodeThreads()
{
    const int n = g_threads.load();
    return n > 0 ? n : std::max(1, QThread::idealThreadCount() / std::max(1, g_decoding.load()));
}

struct Decoding {
    Decoding() { g_decoding.fetch_add(1); }
    ~Decoding() { g_decoding.fetch_sub(1); }
};
} // namespace

void setThreads(int n) { g_threads.store(std::max(0, n)); }

Result<std::vector<std::uint8_t>> decodeFrame(const std::uint8_t *data, std::size_t size, const Target &t)
{
    if (!data || size < 12)
        return makeError(Error::Code::Format, {}, {}, QStringLiteral("JPEG 2000 fragment is empty or too short"));
    static const std::uint8_t jp2Sig[12] = {0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};
    const bool isJp2 = std::memcmp(data, jp2Sig, 12) == 0;

    MemStream ms{data, size, 0};
    opj_stream_t *stream = opj_stream_create(1 << 16, OPJ_TRUE);
    opj_stream_set_user_data(stream, &ms, nullptr);
    opj_stream_set_user_data_length(stream, size);
    opj_stream_set_read_function(stream, readFn);
    opj_stream_set_skip_function(stream, skipFn);
    opj_stream_set_seek_function(stream, seekFn);

    opj_codec_t *codec = opj_create_decompress(isJp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
    QString lastError;
    opj_set_error_handler(codec, keepError, &lastError);
    opj_set_warning_handler(codec, quiet, nullptr);
    opj_set_info_handler(codec, quiet, nullptr);
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    opj_image_t *img = nullptr;
    auto cleanup = [&] {
        if (img) opj_image_destroy(img);
        opj_destroy_codec(codec);
        opj_stream_destroy(stream);
    };
    auto fail = [&](const QString &what) {
        const QString reason = lastError.isEmpty() ? what : what + QStringLiteral(" (") + lastError + ')';
        cleanup();
        return makeError(Error::Code::Format, {}, {}, reason);
    };
    if (!opj_setup_decoder(codec, &params))
        return fail(QStringLiteral("OpenJPEG could not set up the decoder"));
    // Code-blocks decoded in parallel (identical output; OpenJPEG without threads ignores it).
    const Decoding counted;
    const int threads = decodeThreads();
    if (threads > 1) opj_codec_set_threads(codec, threads);
    if (!opj_read_header(stream, codec, &img))
        return fail(QStringLiteral("JPEG 2000 header unreadable"));
    if (!opj_decode(codec, stream, img) || !opj_end_decompress(codec, stream))
        return fail(QStringLiteral("JPEG 2000 codestream could not be decoded (truncated or corrupt)"));

    const int nc = int(img->numcomps);
    if (nc < t.samplesPerPixel)
        return fail(QStringLiteral("JPEG 2000 has %1 components, Samples per Pixel says %2").arg(nc).arg(t.samplesPerPixel));
    for (int c = 0; c < t.samplesPerPixel; ++c) {
        if (int(img->comps[c].w) != t.columns || int(img->comps[c].h) != t.rows)
            return fail(QStringLiteral("JPEG 2000 component %1 is %2 x %3, Rows/Columns say %4 x %5")
                            .arg(c).arg(img->comps[c].w).arg(img->comps[c].h).arg(t.columns).arg(t.rows));
    }
    const int bytes = t.bitsAllocated <= 8 ? 1 : (t.bitsAllocated <= 16 ? 2 : 4);
    const std::size_t n = std::size_t(t.rows) * t.columns;
    std::vector<std::uint8_t> out(n * t.samplesPerPixel * bytes);
    for (int c = 0; c < t.samplesPerPixel; ++c) {
        const OPJ_INT32 *src = img->comps[c].data;
        for (std::size_t p = 0; p < n; ++p) {
            const std::uint32_t v = std::uint32_t(src[p]);  // two's complement kept; DICOM masks to Bits Stored
            std::uint8_t *dst = out.data() + (p * t.samplesPerPixel + c) * bytes;
            for (int b = 0; b < bytes; ++b) dst[b] = std::uint8_t(v >> (8 * b));
        }
    }
    cleanup();
    return out;
}

} // namespace cs::j2k
