#include "clinsight/imaging/rasterfile.h"

// PNG and JPEG through libpng and libjpeg(-turbo) directly. OpenCV's
// imgcodecs module did this before; it drags ~140 shared libraries (GDAL,
// codecs for video and HDR) into every ClinSight binary for two formats. The
// decoders are configured exactly as OpenCV 4.6 configured the same libraries,
// so the pixels are the same (scripts/check-raster-decode.py compares them).
#include <opencv2/core/version.hpp>

#include <jpeglib.h>
#include <png.h>

#include <QFile>
#include <QFileInfo>

#include <csetjmp>
#include <cstdio>
#include <memory>

namespace cs {

QString openCvVersion() { return QStringLiteral(CV_VERSION); }

namespace {

struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr openFile(const QString &path, const char *mode) { return FilePtr(std::fopen(QFile::encodeName(path).constData(), mode)); }

enum class Want { Unchanged, Grey };

// ---- JPEG ----------------------------------------------------------------

struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    char warning[JMSG_LENGTH_MAX];
};

void jpegErrorExit(j_common_ptr cinfo)
{
    auto *e = reinterpret_cast<JpegError *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->jump, 1);
}
// libjpeg goes on after corrupt or missing data (a truncated file decodes
// with grey rows at the end); ClinSight refuses such a file instead of showing it.
void jpegWarning(j_common_ptr cinfo, int level)
{
    auto *e = reinterpret_cast<JpegError *>(cinfo->err);
    if (level < 0 && e->warning[0] == 0) (*cinfo->err->format_message)(cinfo, e->warning);
}

// Decodes into out (width/height/channels/pixels). Returns an empty string on
// success, else the reason. No C++ object with a destructor lives between the
// setjmp and a longjmp (out is the caller's; its buffer is resized before).
QString decodeJpeg(std::FILE *f, Want want, DisplayFrame &out)
{
    jpeg_decompress_struct cinfo;
    JpegError err;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpegErrorExit;
    err.mgr.emit_message = jpegWarning;
    err.message[0] = 0;
    err.warning[0] = 0;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return QString::fromLatin1(err.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, f);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.num_components == 4) {
        jpeg_destroy_decompress(&cinfo);
        return QStringLiteral("CMYK JPEG images are not supported");
    }
    // As OpenCV: colour output for colour files unless grey is asked for,
    // libjpeg's own YCbCr->grey (the Y channel) otherwise.
    const bool colour = want == Want::Unchanged && cinfo.num_components > 1;
    cinfo.out_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    out.width = int(cinfo.output_width);
    out.height = int(cinfo.output_height);
    out.channels = colour ? 3 : 1;
    const std::size_t row = std::size_t(out.width) * std::size_t(out.channels);
    out.pixels.resize(row * std::size_t(out.height));
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW p = out.pixels.data() + row * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &p, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    if (err.warning[0]) return QStringLiteral("corrupt or truncated JPEG data (%1)").arg(QString::fromLatin1(err.warning));
    return {};
}

// ---- PNG -----------------------------------------------------------------

struct PngError {
    std::jmp_buf jump;
    char message[256];
};

void pngErrorFn(png_structp png, png_const_charp msg)
{
    auto *e = static_cast<PngError *>(png_get_error_ptr(png));
    std::snprintf(e->message, sizeof e->message, "%s", msg);
    std::longjmp(e->jump, 1);
}
void pngWarningFn(png_structp, png_const_charp) {}

// The transforms are OpenCV 4.6's (grfmt_png.cpp) for IMREAD_UNCHANGED and
// IMREAD_GRAYSCALE, so the same libpng produces the same bytes.
QString decodePng(std::FILE *f, Want want, DisplayFrame &out, std::vector<png_bytep> &rows)
{
    PngError err;
    err.message[0] = 0;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &err, pngErrorFn, pngWarningFn);
    if (!png) return QStringLiteral("out of memory");
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(err.jump)) {
        png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
        return QString::fromLatin1(err.message);
    }
    png_init_io(png, f);
    png_read_info(png, info);
    const int colourType = png_get_color_type(png, info);
    const int depth = png_get_bit_depth(png, info);
    png_bytep trans = nullptr;
    int numTrans = 0;
    png_color_16p transColour = nullptr;
    png_get_tRNS(png, info, &trans, &numTrans, &transColour);
    // What OpenCV's IMREAD_UNCHANGED would give: channels and depth.
    int channels = 1;
    if (colourType == PNG_COLOR_TYPE_RGB || colourType == PNG_COLOR_TYPE_PALETTE) channels = numTrans > 0 ? 4 : 3;
    else if (colourType == PNG_COLOR_TYPE_GRAY_ALPHA || colourType == PNG_COLOR_TYPE_RGB_ALPHA) channels = 4;
    if (want == Want::Unchanged && (depth == 16 || channels == 4)) {
        png_destroy_read_struct(&png, &info, nullptr);
        return QStringLiteral("not an 8-bit grey or RGB PNG image (%1-bit, %2)")
            .arg(depth).arg(channels == 4 ? QStringLiteral("with transparency") : QStringLiteral("no transparency"));
    }
    const bool colour = want == Want::Unchanged && channels == 3;
    if (depth == 16) png_set_strip_16(png);
    png_set_strip_alpha(png);
    if (colourType == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if ((colourType & PNG_COLOR_MASK_COLOR) == 0 && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (!colour) png_set_rgb_to_gray(png, 1, 0.299, 0.587);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    out.width = int(png_get_image_width(png, info));
    out.height = int(png_get_image_height(png, info));
    out.channels = colour ? 3 : 1;
    const std::size_t row = std::size_t(out.width) * std::size_t(out.channels);
    if (png_get_rowbytes(png, info) != row) {
        png_destroy_read_struct(&png, &info, nullptr);
        return QStringLiteral("unexpected PNG row layout");
    }
    out.pixels.resize(row * std::size_t(out.height));
    rows.resize(std::size_t(out.height));
    for (int r = 0; r < out.height; ++r) rows[std::size_t(r)] = out.pixels.data() + row * std::size_t(r);
    png_read_image(png, rows.data());
    png_read_end(png, nullptr);
    png_destroy_read_struct(&png, &info, nullptr);
    return {};
}

Result<DisplayFrame> readWith(const QString &path, Want want)
{
    if (!QFileInfo::exists(path))
        return makeError(Error::Code::Io, path, {}, QStringLiteral("file does not exist"));
    FilePtr f = openFile(path, "rb");
    if (!f) return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot be opened for reading"));
    unsigned char magic[8] = {};
    const std::size_t n = std::fread(magic, 1, sizeof magic, f.get());
    std::rewind(f.get());
    DisplayFrame frame;
    QString why;
    if (n >= 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF) {
        why = decodeJpeg(f.get(), want, frame);
    } else if (n == 8 && png_sig_cmp(magic, 0, 8) == 0) {
        std::vector<png_bytep> rows;
        why = decodePng(f.get(), want, frame, rows);
    } else {
        return makeError(Error::Code::Format, path, {}, QStringLiteral("not a readable PNG/JPEG image"));
    }
    if (!why.isEmpty()) return makeError(Error::Code::Format, path, {}, why);
    if (frame.width <= 0 || frame.height <= 0)
        return makeError(Error::Code::Format, path, {}, QStringLiteral("image has no pixels"));
    return frame;
}

// 8-bit grey/RGB or 16-bit grey rows to a PNG file (fast compression: these
// are renders and maps, written often and read once).
Status writePngRows(const QString &path, int width, int height, int colourType, int depth, const std::uint8_t *data,
                    std::size_t rowBytes)
{
    FilePtr f = openFile(path, "wb");
    if (!f) return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot be opened for writing"));
    PngError err;
    err.message[0] = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, pngErrorFn, pngWarningFn);
    if (!png) return makeError(Error::Code::Io, path, {}, QStringLiteral("out of memory"));
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(err.jump)) {
        png_destroy_write_struct(&png, info ? &info : nullptr);
        return makeError(Error::Code::Io, path, {}, QStringLiteral("could not write the PNG file: %1").arg(QString::fromLatin1(err.message)));
    }
    png_init_io(png, f.get());
    png_set_compression_level(png, 1);
    png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), depth, colourType, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (depth == 16) png_set_swap(png); // our values are host (little-endian) order
    for (int r = 0; r < height; ++r)
        png_write_row(png, const_cast<png_bytep>(data + rowBytes * std::size_t(r)));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (std::fflush(f.get()) != 0 || std::ferror(f.get()))
        return makeError(Error::Code::Io, path, {}, QStringLiteral("could not write the PNG file (disk full?)"));
    return Ok{};
}

} // namespace

Status writePng(const QString &path, const DisplayFrame &f)
{
    if (f.width <= 0 || f.height <= 0 || (f.channels != 1 && f.channels != 3)
        || f.pixels.size() != std::size_t(f.width) * f.height * f.channels)
        return makeError(Error::Code::Invalid, path, {}, QStringLiteral("frame has no pixels"));
    return writePngRows(path, f.width, f.height, f.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, 8,
                        f.pixels.data(), std::size_t(f.width) * std::size_t(f.channels));
}

Status writePng16(const QString &path, int width, int height, const std::vector<std::uint16_t> &values)
{
    if (width <= 0 || height <= 0 || values.size() != std::size_t(width) * std::size_t(height))
        return makeError(Error::Code::Invalid, path, {}, QStringLiteral("map has no values"));
    return writePngRows(path, width, height, PNG_COLOR_TYPE_GRAY, 16, reinterpret_cast<const std::uint8_t *>(values.data()),
                        std::size_t(width) * 2);
}

bool looksLikeRasterFile(const QString &path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    return s == QLatin1String("png") || s == QLatin1String("jpg") || s == QLatin1String("jpeg");
}

Result<DisplayFrame> readRasterImage(const QString &path) { return readWith(path, Want::Unchanged); }
Result<DisplayFrame> readGreyImage(const QString &path) { return readWith(path, Want::Grey); }

} // namespace cs
