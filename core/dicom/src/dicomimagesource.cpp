#include "dicom_p.h"
#include "framecodecs_p.h"
#include "jpeg2000_p.h"
#include "pixelforms_p.h"

#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimage/diregist.h>   // colour image support for DicomImage
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmimgle/dipixel.h>

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>
#include <functional>
#include <mutex>
#include <numeric>

namespace cs {

using namespace dicomdetail;

struct DicomImageSource::Impl {
    DicomInstanceInfo info;
    std::unique_ptr<DcmFileFormat> file;
    E_TransferSyntax xfer = EXS_Unknown;
    bool color = false;
    int width = 0, height = 0;
    mutable std::mutex mutex;                 // DicomImage and the dataset are not thread-safe
    mutable std::unique_ptr<DicomImage> cached;
    mutable int cachedFrame = -1;

    Result<DicomImage *> frameImage(int frame) const;
};

namespace {

// Splits the fragments of an encapsulated Pixel Data into one buffer per frame.
Result<std::vector<std::vector<std::uint8_t>>> framesOfEncapsulated(const QString &path, DcmDataset *ds, int frames)
{
    DcmElement *el = nullptr;
    if (ds->findAndGetElement(DCM_PixelData, el).bad() || !el)
        return makeError(Error::Code::Format, path, tagName(DCM_PixelData), QStringLiteral("missing"));
    auto *pd = dynamic_cast<DcmPixelData *>(el);
    E_TransferSyntax orig = EXS_Unknown;
    const DcmRepresentationParameter *rp = nullptr;
    DcmPixelSequence *seq = nullptr;
    if (!pd)
        return makeError(Error::Code::Format, path, tagName(DCM_PixelData), QStringLiteral("not encapsulated"));
    pd->getOriginalRepresentationKey(orig, rp);
    if (pd->getEncapsulatedRepresentation(orig, rp, seq).bad() || !seq)
        return makeError(Error::Code::Format, path, tagName(DCM_PixelData),
                         QStringLiteral("compressed transfer syntax but pixel data is not encapsulated"));
    std::vector<std::vector<std::uint8_t>> fragments;
    for (unsigned long k = 1; k < seq->card(); ++k) {   // item 0 is the Basic Offset Table
        DcmPixelItem *item = nullptr;
        if (seq->getItem(item, k).bad() || !item) continue;
        Uint8 *p = nullptr;
        item->getUint8Array(p);
        const Uint32 len = item->getLength();
        fragments.emplace_back(p, p + (p ? len : 0));
    }
    if (fragments.empty())
        return makeError(Error::Code::Format, path, tagName(DCM_PixelData), QStringLiteral("no compressed fragments"));
    std::vector<std::vector<std::uint8_t>> out;
    if (int(fragments.size()) == frames)
        return fragments;
    if (frames == 1) {
        out.emplace_back();
        for (auto &f : fragments) out[0].insert(out[0].end(), f.begin(), f.end());
        return out;
    }
    // Several fragments per frame: a frame starts at a JPEG 2000 SOC marker (or JP2 signature box).
    for (auto &f : fragments) {
        const bool starts = f.size() >= 4 && ((f[0] == 0xFF && f[1] == 0x4F && f[2] == 0xFF && f[3] == 0x51)
                                              || (f[0] == 0 && f[1] == 0 && f[2] == 0 && f[3] == 0x0C));
        if (starts || out.empty()) out.emplace_back();
        out.back().insert(out.back().end(), f.begin(), f.end());
    }
    if (int(out.size()) != frames)
        return makeError(Error::Code::Format, path, tagName(DCM_PixelData),
                         QStringLiteral("%1 compressed frames found, Number of Frames says %2").arg(out.size()).arg(frames));
    return out;
}

using FrameDecoder = std::function<Result<std::vector<std::uint8_t>>(const std::vector<std::uint8_t> &frame, bool *planar)>;

// Replaces encapsulated pixel data (JPEG 2000 through OpenJPEG, JPEG-LS that
// DCMTK refuses through CharLS) by its decoded native form so that DCMTK's
// pixel pipeline handles the rest.
Status decodeEncapsulatedInPlace(DicomInstanceInfo &info, DcmDataset *ds, const FrameDecoder &decode, bool fromJpeg2000)
{
    auto frames = framesOfEncapsulated(info.path, ds, info.frames);
    if (!frames)
        return frames.error();
    const std::size_t frameBytes = std::size_t(info.rows) * info.columns * info.samplesPerPixel * (info.bitsAllocated <= 8 ? 1 : info.bitsAllocated <= 16 ? 2 : 4);
    std::vector<std::uint8_t> all(frameBytes * frames->size());
    std::vector<int> idx(frames->size());
    std::iota(idx.begin(), idx.end(), 0);
    std::vector<QString> errors(frames->size());
    std::vector<char> planar(frames->size(), 0);
    // Its own pool: callers are jobs on the global pool, which a blocking map there could starve.
    static QThreadPool decodePool;
    QtConcurrent::blockingMap(&decodePool, idx, [&](int k) {
        bool pl = false;
        auto r = decode(frames.value()[k], &pl);
        if (!r) { errors[k] = r.error().reason; return; }
        if (r->size() < frameBytes) { errors[k] = QStringLiteral("decoded %1 bytes, a frame needs %2").arg(r->size()).arg(frameBytes); return; }
        planar[k] = pl;
        std::copy(r->begin(), r->begin() + std::ptrdiff_t(frameBytes), all.begin() + std::ptrdiff_t(frameBytes * k));
    });
    for (size_t k = 0; k < errors.size(); ++k)
        if (!errors[k].isEmpty())
            return makeError(Error::Code::Format, info.path, QStringLiteral("Pixel Data (7FE0,0010) frame %1").arg(k + 1), errors[k]);

    ds->findAndDeleteElement(DCM_PixelData);
    OFCondition c;
    if (info.bitsAllocated == 1) {
        // Native 1-bit data is a continuous little-endian bit stream across frames.
        std::vector<std::uint8_t> packed((all.size() + 7) / 8 + 1, 0);
        for (std::size_t k = 0; k < all.size(); ++k)
            if (all[k] & 1) packed[k / 8] |= std::uint8_t(1u << (k % 8));
        if (packed.size() % 2) packed.push_back(0);
        c = ds->putAndInsertUint8Array(DCM_PixelData, packed.data(), Uint32(packed.size()));
    } else if (info.bitsAllocated <= 8) {
        if (all.size() % 2) all.push_back(0);
        c = ds->putAndInsertUint8Array(DCM_PixelData, all.data(), Uint32(all.size()));
    } else if (info.bitsAllocated <= 16) {
        c = ds->putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16 *>(all.data()), Uint32(all.size() / 2));
    } else {
        return makeError(Error::Code::Unsupported, info.path, tagName(DCM_BitsAllocated),
                         QStringLiteral("32-bit compressed samples are not supported"));
    }
    if (c.bad())
        return makeError(Error::Code::Internal, info.path, tagName(DCM_PixelData), QString::fromLatin1(c.text()));
    // OpenJPEG applied the inverse component transform, so the pixels are now RGB.
    if (fromJpeg2000 && (info.photometric == QLatin1String("YBR_ICT") || info.photometric == QLatin1String("YBR_RCT"))) {
        ds->putAndInsertString(DCM_PhotometricInterpretation, "RGB");
    } else if (info.photometric == QLatin1String("YBR_FULL_422")) {
        ds->putAndInsertString(DCM_PhotometricInterpretation, "YBR_FULL");
    }
    if (info.samplesPerPixel > 1)
        ds->putAndInsertUint16(DCM_PlanarConfiguration, planar.empty() || !planar[0] ? 0 : 1);
    return Ok{};
}

Status decodeJpeg2000InPlace(DicomInstanceInfo &info, DcmDataset *ds)
{
    const j2k::Target t{info.rows, info.columns, info.samplesPerPixel, info.bitsAllocated};
    return decodeEncapsulatedInPlace(info, ds, [&t](const std::vector<std::uint8_t> &f, bool *) { return j2k::decodeFrame(f.data(), f.size(), t); },
                                     true);
}

bool isJpegLsSyntax(const QString &uid)
{
    return uid == QLatin1String("1.2.840.10008.1.2.4.80") || uid == QLatin1String("1.2.840.10008.1.2.4.81");
}

// What DCMTK refuses but is well-formed, made displayable (pixelforms_p.h).
Status normalisePixelForms(DicomInstanceInfo &info, DcmDataset *ds, E_TransferSyntax xfer)
{
    if (info.floatBits)
        return pixelforms::floatToRescaled16(info, ds);
    if (auto st = pixelforms::hoistFunctionalGroups(info, ds); !st) return st;
    if (!DcmXfer(xfer).isEncapsulated() && info.bitsAllocated == 32)
        if (auto st = pixelforms::narrow32To16(info, ds); !st) return st;
    return pixelforms::expandSegmentedPalettes(info, ds);
}

} // namespace

Result<DicomImage *> DicomImageSource::Impl::frameImage(int frame) const
{
    if (cached && cachedFrame == frame)
        return cached.get();
    cached.reset();
    cachedFrame = -1;
    // Partial access decodes only the requested frame; some encodings (deflate,
    // RLE with multi-fragment frames) need the whole pixel data decoded first.
    auto img = std::make_unique<DicomImage>(file->getDataset(), xfer, CIF_UsePartialAccessToPixelData,
                                            unsigned(frame), 1u);
    if (img->getStatus() != EIS_Normal)
        img = std::make_unique<DicomImage>(file->getDataset(), xfer, 0ul, unsigned(frame), 1u);
    if (img->getStatus() != EIS_Normal) {
        const QString why = QString::fromLatin1(DicomImage::getString(img->getStatus()));
        return makeError(Error::Code::Format, info.path, QStringLiteral("Pixel Data (7FE0,0010) frame %1").arg(frame + 1),
                         QStringLiteral("cannot decode: %1").arg(why));
    }
    cached = std::move(img);
    cachedFrame = frame;
    return cached.get();
}

DicomImageSource::DicomImageSource(std::shared_ptr<Impl> impl) : d(std::move(impl)) {}
DicomImageSource::~DicomImageSource() = default;

Result<DicomImageSource> DicomImageSource::open(const QString &path)
{
    try {
        auto ff = loadDicomFile(path, /*lazy=*/false);
        if (!ff)
            return ff.error();
        auto header = headerFromDataset(path, *ff.value());
        if (!header)
            return header.error();
        auto impl = std::make_shared<Impl>();
        impl->info = header.value();
        impl->file = std::move(ff.value());
        DcmDataset *ds = impl->file->getDataset();
        impl->xfer = ds->getOriginalXfer();
        if (auto st = normalisePixelForms(impl->info, ds, impl->xfer); !st)
            return st.error();
        const QString &ts = impl->info.transferSyntaxUid;
        const bool deflatedFrames = ts == QLatin1String(framecodecs::kDeflatedImageFrameUid);
        if (deflatedFrames || (ts == QLatin1String(framecodecs::kRleLosslessUid) && impl->info.bitsAllocated == 1)) {
            // Frame encodings DCMTK 3.6.7 does not decode (framecodecs_p.h): decoded here, shown by DCMTK.
            const DicomInstanceInfo &info = impl->info;
            auto st = decodeEncapsulatedInPlace(impl->info, ds, [&info, deflatedFrames](const std::vector<std::uint8_t> &f, bool *) {
                return deflatedFrames ? framecodecs::inflateFrame(f.data(), f.size(), info)
                                      : framecodecs::decodeRleBitFrame(f.data(), f.size(), info);
            }, false);
            if (!st)
                return st.error();
            impl->xfer = EXS_LittleEndianExplicit;
            impl->info.pixelNote = deflatedFrames ? QStringLiteral("Deflated Image Frame Compression decoded with zlib")
                                                  : QStringLiteral("1-bit RLE Lossless decoded by ClinSight");
        } else if (isJpeg2000Syntax(impl->info.transferSyntaxUid)) {
            auto st = decodeJpeg2000InPlace(impl->info, ds);
            if (!st)
                return st.error();
            impl->xfer = EXS_LittleEndianExplicit;
        } else if (impl->xfer == EXS_Unknown) {
            return makeError(Error::Code::Unsupported, path, QStringLiteral("TransferSyntaxUID (0002,0010)"),
                             QStringLiteral("%1 is not supported").arg(impl->info.transferSyntaxUid));
        }
        auto first = impl->frameImage(0);
        if (!first && isJpegLsSyntax(impl->info.transferSyntaxUid)) {
            // DCMTK's JPEG-LS codec refuses some valid streams (e.g. 7 bits stored): CharLS, the reference decoder.
            const DicomInstanceInfo &info = impl->info;
            auto st = decodeEncapsulatedInPlace(impl->info, ds, [&info](const std::vector<std::uint8_t> &f, bool *planar) {
                return pixelforms::decodeJpegLsFrame(f.data(), f.size(), info, planar);
            }, false);
            if (!st)
                return st.error();
            impl->xfer = EXS_LittleEndianExplicit;
            impl->info.pixelNote = QStringLiteral("JPEG-LS decoded by CharLS");
            first = impl->frameImage(0);
        }
        if (!first)
            return first.error();
        impl->color = !first.value()->isMonochrome();
        impl->width = int(first.value()->getWidth());
        impl->height = int(first.value()->getHeight());
        return DicomImageSource(std::move(impl));
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, path, {}, QString::fromUtf8(e.what()));
    }
}

const DicomInstanceInfo &DicomImageSource::info() const { return d->info; }
int DicomImageSource::frameCount() const { return d->info.frames; }
bool DicomImageSource::isColor() const { return d->color; }

Result<DisplayFrame> DicomImageSource::render(int frame, const VoiChoice &voi) const
{
    if (frame < 0 || frame >= d->info.frames)
        return makeError(Error::Code::Invalid, d->info.path, QStringLiteral("frame"),
                         QStringLiteral("frame %1 requested, the object has %2").arg(frame + 1).arg(d->info.frames));
    std::lock_guard<std::mutex> lock(d->mutex);
    auto imgR = d->frameImage(frame);
    if (!imgR)
        return imgR.error();
    DicomImage *img = imgR.value();
    DisplayFrame out;
    out.width = int(img->getWidth());
    out.height = int(img->getHeight());
    if (img->isMonochrome()) {
        out.channels = 1;
        if (d->info.voiLutFunction == QLatin1String("SIGMOID"))
            img->setVoiLutFunction(EFV_Sigmoid);
        else
            img->setVoiLutFunction(EFV_Linear);
        // Index of the first window (not LUT) preset and of the first LUT.
        int nWindows = 0;
        for (const auto &w : d->info.windows) if (!w.isLut) ++nWindows;
        bool ok = true;
        VoiWindow used;
        switch (voi.kind) {
        case VoiChoice::Kind::Custom:
            if (voi.width < 1)
                return makeError(Error::Code::Invalid, d->info.path, QStringLiteral("window"),
                                 QStringLiteral("width %1 must be at least 1").arg(voi.width));
            ok = img->setWindow(voi.center, voi.width) != 0;
            used.label = QStringLiteral("Custom");
            break;
        case VoiChoice::Kind::MinMax:
            ok = img->setMinMaxWindow(0) != 0;
            used.label = QStringLiteral("Min/max");
            break;
        case VoiChoice::Kind::FileDefault:
            if (nWindows > 0) {
                ok = img->setWindow(0) != 0;
                used.label = d->info.windows[0].label;
            } else if (!d->info.windows.isEmpty()) {
                ok = img->setVoiLut(0) != 0;
                used.label = d->info.windows[0].label;
                used.isLut = true;
            } else {
                ok = img->setMinMaxWindow(0) != 0;
                used.label = QStringLiteral("Min/max");
            }
            break;
        }
        if (!ok)
            return makeError(Error::Code::Format, d->info.path, QStringLiteral("VOI"),
                             QStringLiteral("the window or VOI LUT could not be applied"));
        if (d->info.presentationLutShape == QLatin1String("INVERSE"))
            img->setPresentationLutShape(ESP_Inverse);
        else if (d->info.presentationLutShape == QLatin1String("IDENTITY") && d->info.photometric == QLatin1String("MONOCHROME2"))
            img->setPresentationLutShape(ESP_Identity);
        if (!used.isLut) img->getWindow(used.center, used.width);
        out.window = used;
    } else {
        out.channels = 3;
    }
    const std::size_t n = std::size_t(out.width) * out.height * out.channels;
    const void *data = img->getOutputData(8, 0, 0);
    if (!data || img->getOutputDataSize(8) < n)
        return makeError(Error::Code::Format, d->info.path, QStringLiteral("Pixel Data (7FE0,0010) frame %1").arg(frame + 1),
                         QStringLiteral("cannot render: %1").arg(QString::fromLatin1(DicomImage::getString(img->getStatus()))));
    const auto *p = static_cast<const std::uint8_t *>(data);
    out.pixels.assign(p, p + n);
    img->deleteOutputData();
    return out;
}

Result<std::vector<float>> DicomImageSource::modalityValues(int frame) const
{
    if (frame < 0 || frame >= d->info.frames)
        return makeError(Error::Code::Invalid, d->info.path, QStringLiteral("frame"), QStringLiteral("out of range"));
    std::lock_guard<std::mutex> lock(d->mutex);
    auto imgR = d->frameImage(frame);
    if (!imgR)
        return imgR.error();
    const DiPixel *px = imgR.value()->getInterData();
    if (!px || !imgR.value()->isMonochrome())
        return makeError(Error::Code::NotApplicable, d->info.path, {}, QStringLiteral("modality values exist for greyscale images only"));
    const std::size_t n = std::size_t(d->width) * d->height;
    std::vector<float> v(n);
    const void *src = px->getData();
    auto conv = [&](auto *s) { for (std::size_t k = 0; k < n; ++k) v[k] = float(s[k]); };
    switch (px->getRepresentation()) {
    case EPR_Uint8: conv(static_cast<const Uint8 *>(src)); break;
    case EPR_Sint8: conv(static_cast<const Sint8 *>(src)); break;
    case EPR_Uint16: conv(static_cast<const Uint16 *>(src)); break;
    case EPR_Sint16: conv(static_cast<const Sint16 *>(src)); break;
    case EPR_Uint32: conv(static_cast<const Uint32 *>(src)); break;
    case EPR_Sint32: conv(static_cast<const Sint32 *>(src)); break;
    }
    return v;
}

} // namespace cs
