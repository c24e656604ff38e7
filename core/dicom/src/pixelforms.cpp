#include "pixelforms_p.h"
#include "dicom_p.h"

#include <charls/charls.h>   // types and prototypes only: the library is loaded at run time (see charLs())
#include <dlfcn.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <type_traits>

namespace cs::pixelforms {

using dicomdetail::tagName;

namespace {
// The first item of a functional-group macro: per-frame group of frame 1 first, then the shared group.
DcmItem *functionalGroup(DcmDataset *ds, const DcmTagKey &macro)
{
    for (const DcmTagKey &groups : {DCM_PerFrameFunctionalGroupsSequence, DCM_SharedFunctionalGroupsSequence}) {
        DcmItem *g = nullptr;
        if (ds->findAndGetSequenceItem(groups, g, 0).good() && g) {
            DcmItem *m = nullptr;
            if (g->findAndGetSequenceItem(macro, m, 0).good() && m) return m;
        }
    }
    DcmItem *m = nullptr;
    if (ds->findAndGetSequenceItem(macro, m, 0).good() && m) return m;   // top-level (legacy objects)
    return nullptr;
}
QString number(double v) { return QString::number(v, 'g', 10); }
} // namespace

Status hoistFunctionalGroups(DicomInstanceInfo &info, DcmDataset *ds)
{
    // Rescale: shared group, else the per-frame groups when every frame says the same.
    if (!ds->tagExists(DCM_RescaleSlope) && !ds->tagExists(DCM_RescaleIntercept) && !ds->tagExists(DCM_ModalityLUTSequence)) {
        std::vector<std::pair<Float64, Float64>> seen;
        auto read = [&seen](DcmItem *group) {
            DcmItem *pvt = nullptr;
            if (!group || group->findAndGetSequenceItem(DCM_PixelValueTransformationSequence, pvt, 0).bad() || !pvt) return false;
            Float64 slope = 1, intercept = 0;   // (DCMTK's getters write 0 when absent)
            if (pvt->findAndGetFloat64(DCM_RescaleSlope, slope).bad() || slope == 0) slope = 1;
            if (pvt->findAndGetFloat64(DCM_RescaleIntercept, intercept).bad()) intercept = 0;
            seen.emplace_back(slope, intercept);
            return true;
        };
        DcmItem *shared = nullptr;
        ds->findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
        if (!read(shared)) {
            DcmSequenceOfItems *perFrame = nullptr;
            if (ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame).good() && perFrame)
                for (unsigned long k = 0; k < perFrame->card(); ++k) read(perFrame->getItem(k));
        }
        const bool same = !seen.empty() && std::all_of(seen.begin(), seen.end(), [&](const auto &v) { return v == seen.front(); });
        if (same && (seen.front().first != 1 || seen.front().second != 0)) {
            ds->putAndInsertString(DCM_RescaleSlope, number(seen.front().first).toLatin1().constData());
            ds->putAndInsertString(DCM_RescaleIntercept, number(seen.front().second).toLatin1().constData());
        } else if (!same && !seen.empty()) {
            info.pixelNote = QStringLiteral("the frames' Pixel Value Transformation differs between frames: stored values shown, not modality values");
        }
    }
    // Window: the first frame's Frame VOI LUT as the file's default window(s).
    if (!ds->tagExists(DCM_WindowCenter) && !ds->tagExists(DCM_VOILUTSequence)) {
        if (DcmItem *voi = functionalGroup(ds, DCM_FrameVOILUTSequence)) {
            const int n = std::min(dicomdetail::vm(voi, DCM_WindowCenter), dicomdetail::vm(voi, DCM_WindowWidth));
            for (int k = 0; k < n; ++k) {
                Float64 c = 0, w = 0;
                voi->findAndGetFloat64(DCM_WindowCenter, c, unsigned(k));
                voi->findAndGetFloat64(DCM_WindowWidth, w, unsigned(k));
                if (w > 0) info.windows.push_back(VoiWindow{c, w, QStringLiteral("Frame VOI %1").arg(k + 1), false});
            }
            if (!info.windows.isEmpty()) {
                OFString c, w;
                voi->findAndGetOFStringArray(DCM_WindowCenter, c);
                voi->findAndGetOFStringArray(DCM_WindowWidth, w);
                ds->putAndInsertString(DCM_WindowCenter, c.c_str());
                ds->putAndInsertString(DCM_WindowWidth, w.c_str());
                OFString fn;
                if (voi->findAndGetOFString(DCM_VOILUTFunction, fn).good() && !fn.empty()) {
                    ds->putAndInsertString(DCM_VOILUTFunction, fn.c_str());
                    info.voiLutFunction = QString::fromLatin1(fn.c_str()).trimmed();
                }
            }
        }
    }
    return Ok{};
}

Status floatToRescaled16(DicomInstanceInfo &info, DcmDataset *ds)
{
    const bool dbl = info.floatBits == 64;
    const DcmTagKey tag = dbl ? DCM_DoubleFloatPixelData : DCM_FloatPixelData;
    const std::size_t n = std::size_t(info.rows) * info.columns * info.frames * info.samplesPerPixel;
    std::vector<double> v(n);
    if (dbl) {
        const Float64 *p = nullptr;
        unsigned long count = 0;
        if (ds->findAndGetFloat64Array(tag, p, &count).bad() || !p || count < n)
            return makeError(Error::Code::Format, info.path, tagName(tag), QStringLiteral("%1 values, %2 needed").arg(count).arg(n));
        std::copy(p, p + n, v.begin());
    } else {
        const Float32 *p = nullptr;
        unsigned long count = 0;
        if (ds->findAndGetFloat32Array(tag, p, &count).bad() || !p || count < n)
            return makeError(Error::Code::Format, info.path, tagName(tag), QStringLiteral("%1 values, %2 needed").arg(count).arg(n));
        std::copy(p, p + n, v.begin());
    }
    // Real World Value Mapping (first item) where present: value = stored * slope + intercept.
    double slope = 1, intercept = 0;
    if (DcmItem *rw = functionalGroup(ds, DCM_RealWorldValueMappingSequence)) {
        Float64 s = 1, i = 0;
        if (rw->findAndGetFloat64(DCM_RealWorldValueSlope, s).good() && s != 0) slope = s;
        if (rw->findAndGetFloat64(DCM_RealWorldValueIntercept, i).good()) intercept = i;
    }
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double &x : v) {
        if (!std::isfinite(x)) continue;
        x = x * slope + intercept;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    if (!std::isfinite(lo))
        return makeError(Error::Code::Format, info.path, tagName(tag), QStringLiteral("no finite value"));
    const double step = hi > lo ? (hi - lo) / 65535.0 : 1.0;
    std::pair<double, double> frameVoi{0, 0};
    if (DcmItem *voi = functionalGroup(ds, DCM_FrameVOILUTSequence)) {
        Float64 center = 0, width = 0;
        if (voi->findAndGetFloat64(DCM_WindowCenter, center).good() && voi->findAndGetFloat64(DCM_WindowWidth, width).good() && width > 0)
            frameVoi = {center, width};
    } else {
        Float64 center = 0, width = 0;
        if (ds->findAndGetFloat64(DCM_WindowCenter, center).good() && ds->findAndGetFloat64(DCM_WindowWidth, width).good() && width > 0)
            frameVoi = {center, width};
    }
    std::vector<Uint16> q(n);
    for (std::size_t k = 0; k < n; ++k)
        q[k] = std::isfinite(v[k]) ? Uint16(std::lround((v[k] - lo) / step)) : 0;   // NaN/Inf shown as the lowest value
    ds->findAndDeleteElement(tag);
    OFCondition c = ds->putAndInsertUint16Array(DCM_PixelData, q.data(), Uint32(q.size()));
    if (c.bad()) return makeError(Error::Code::Internal, info.path, tagName(DCM_PixelData), QString::fromLatin1(c.text()));
    ds->putAndInsertUint16(DCM_BitsAllocated, 16);
    ds->putAndInsertUint16(DCM_BitsStored, 16);
    ds->putAndInsertUint16(DCM_HighBit, 15);
    ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
    // DCMTK keeps modality values as integers, so a rescale to the real range (0..1 in a
    // parametric map) would collapse it: the 16-bit steps stay the modality values and
    // windows are converted into them (real = stored x step + lowest value).
    ds->findAndDeleteElement(DCM_RescaleSlope);
    ds->findAndDeleteElement(DCM_RescaleIntercept);
    for (const DcmTagKey &groups : {DCM_SharedFunctionalGroupsSequence, DCM_PerFrameFunctionalGroupsSequence}) {
        DcmSequenceOfItems *seq = nullptr;
        if (ds->findAndGetSequence(groups, seq).bad() || !seq) continue;
        for (unsigned long k = 0; k < seq->card(); ++k) {
            seq->getItem(k)->findAndDeleteElement(DCM_PixelValueTransformationSequence);
            seq->getItem(k)->findAndDeleteElement(DCM_FrameVOILUTSequence, OFFalse, OFFalse);
        }
    }
    info.bitsAllocated = info.bitsStored = 16;
    info.highBit = 15;
    info.pixelRepresentation = 0;
    // The frame's VOI window (functional groups, real-world units) as the file's default window,
    // applied as LINEAR_EXACT (centre and width on the continuous values: the LINEAR function's
    // half-step corrections are for integers, and a width of 1 over a 0..1 map would make it a threshold).
    ds->findAndDeleteElement(DCM_WindowCenter);
    ds->findAndDeleteElement(DCM_WindowWidth);
    info.windows.clear();
    if (frameVoi.second > 0) {
        const double c = (frameVoi.first - lo) / step + 0.5, w = std::max(1.0, frameVoi.second / step + 1.0);
        ds->putAndInsertString(DCM_WindowCenter, number(c).toLatin1().constData());
        ds->putAndInsertString(DCM_WindowWidth, number(w).toLatin1().constData());
        ds->findAndDeleteElement(DCM_VOILUTFunction);
        info.voiLutFunction.clear();
        info.windows.push_back(VoiWindow{c, w, QStringLiteral("Frame VOI %1 / %2").arg(frameVoi.first, 0, 'g', 4).arg(frameVoi.second, 0, 'g', 4), false});
    }
    info.pixelNote = QStringLiteral("%1-bit floating-point values%2 shown in 16-bit steps: value = step x %3 + %4")
                         .arg(info.floatBits).arg(slope != 1 || intercept != 0 ? QStringLiteral(" (real-world value mapping applied)") : QString())
                         .arg(step, 0, 'g', 6).arg(lo, 0, 'g', 6);
    info.floatBits = 0;
    return Ok{};
}

Status narrow32To16(DicomInstanceInfo &info, DcmDataset *ds)
{
    const std::size_t n = std::size_t(info.rows) * info.columns * info.frames * info.samplesPerPixel;
    // Pixel Data is OW: DCMTK hands 16-bit words in local order; a 32-bit sample is two of them,
    // the low word first in a little-endian file, the high word first in a big-endian one.
    const Uint16 *w = nullptr;
    unsigned long words = 0;
    if (ds->findAndGetUint16Array(DCM_PixelData, w, &words).bad() || !w || words < 2 * n)
        return makeError(Error::Code::Format, info.path, tagName(DCM_PixelData), QStringLiteral("%1 32-bit samples, %2 needed").arg(words / 2).arg(n));
    const bool bigEndian = DcmXfer(ds->getOriginalXfer()).isBigEndian();
    std::vector<Uint32> samples(n);
    for (std::size_t k = 0; k < n; ++k)
        samples[k] = bigEndian ? (Uint32(w[2 * k]) << 16) | w[2 * k + 1] : (Uint32(w[2 * k + 1]) << 16) | w[2 * k];
    const Uint32 *p = samples.data();
    const bool sign = info.pixelRepresentation == 1;
    const Uint32 mask = info.bitsStored >= 32 ? 0xFFFFFFFFu : ((1u << info.bitsStored) - 1u);
    std::vector<std::int64_t> v(n);
    std::int64_t lo = 0, hi = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const Uint32 x = p[k] & mask;
        std::int64_t s = x;
        if (sign && info.bitsStored < 32 && (x >> (info.bitsStored - 1)) & 1u) s -= std::int64_t(1) << info.bitsStored;
        else if (sign && info.bitsStored == 32) s = std::int32_t(x);
        v[k] = s;
        lo = k ? std::min(lo, s) : s;
        hi = k ? std::max(hi, s) : s;
    }
    // Colour keeps the top 16 stored bits (intensity is relative to the stored range). Greyscale keeps the
    // 16 most significant bits the data use (an RT dose in 21 of 32 bits keeps 16 levels of detail, not 8),
    // and the rescale slope below returns the modality values.
    int shift = std::max(0, info.bitsStored - 16);
    if (info.samplesPerPixel == 1) {
        shift = 0;
        while (sign ? ((lo >> shift) < -32768 || (hi >> shift) > 32767) : ((hi >> shift) > 65535)) ++shift;
    }
    std::vector<Uint16> q(n);
    for (std::size_t k = 0; k < n; ++k) q[k] = sign ? Uint16(std::int16_t(v[k] >> shift)) : Uint16(v[k] >> shift);
    OFCondition c = ds->putAndInsertUint16Array(DCM_PixelData, q.data(), Uint32(q.size()));
    if (c.bad()) return makeError(Error::Code::Internal, info.path, tagName(DCM_PixelData), QString::fromLatin1(c.text()));
    const int stored = std::min(info.bitsStored, 16);
    ds->putAndInsertUint16(DCM_BitsAllocated, 16);
    ds->putAndInsertUint16(DCM_BitsStored, Uint16(stored));
    ds->putAndInsertUint16(DCM_HighBit, Uint16(stored - 1));
    if (shift > 0 && info.samplesPerPixel == 1) {
        // (DCMTK's getters write 0 when the attribute is absent: an RT dose has neither)
        Float64 slope = 1, intercept = 0;
        if (ds->findAndGetFloat64(DCM_RescaleSlope, slope).bad() || slope == 0) slope = 1;
        if (ds->findAndGetFloat64(DCM_RescaleIntercept, intercept).bad()) intercept = 0;
        ds->putAndInsertString(DCM_RescaleSlope, number(slope * std::ldexp(1.0, shift)).toLatin1().constData());
        ds->putAndInsertString(DCM_RescaleIntercept, number(intercept).toLatin1().constData());   // DCMTK rescales only with both
    }
    info.pixelNote = shift > 0 ? QStringLiteral("32-bit samples shown by their %1 most significant bits in use").arg(stored) : QString();
    info.bitsAllocated = 16;
    info.bitsStored = stored;
    info.highBit = stored - 1;
    return Ok{};
}

Result<std::vector<std::uint16_t>> expandSegmentedLut(const std::vector<std::uint16_t> &seg, int entries)
{
    std::vector<std::uint16_t> out;
    out.reserve(std::size_t(entries));
    // Segments are read from [from, to); an indirect segment re-reads earlier ones (depth-limited).
    std::function<Status(std::size_t, std::size_t, int, int)> run = [&](std::size_t from, std::size_t to, int maxSegments, int depth) -> Status {
        if (depth > 4) return makeError(Error::Code::Format, {}, {}, QStringLiteral("indirect segments nested too deep"));
        std::size_t i = from;
        for (int s = 0; i < to && (maxSegments < 0 || s < maxSegments); ++s) {
            if (i + 2 > to) return makeError(Error::Code::Format, {}, {}, QStringLiteral("segment header cut short at word %1").arg(i));
            const int op = seg[i], len = seg[i + 1];
            i += 2;
            if (op == 0) {                              // discrete: len values
                if (i + std::size_t(len) > to) return makeError(Error::Code::Format, {}, {}, QStringLiteral("discrete segment runs past the data"));
                out.insert(out.end(), seg.begin() + std::ptrdiff_t(i), seg.begin() + std::ptrdiff_t(i + std::size_t(len)));
                i += std::size_t(len);
            } else if (op == 1) {                       // linear: from the last value to y1 in len steps
                if (out.empty()) return makeError(Error::Code::Format, {}, {}, QStringLiteral("linear segment with no previous value"));
                if (i >= to) return makeError(Error::Code::Format, {}, {}, QStringLiteral("linear segment without its end value"));
                const double y0 = out.back(), y1 = seg[i++];
                for (int k = 1; k <= len; ++k) out.push_back(std::uint16_t(std::lround(y0 + (y1 - y0) * k / len)));
            } else if (op == 2) {                       // indirect: len segments copied from a byte... word offset
                if (i + 2 > to) return makeError(Error::Code::Format, {}, {}, QStringLiteral("indirect segment without its offset"));
                const std::size_t offset = std::size_t(seg[i]) | (std::size_t(seg[i + 1]) << 16);
                i += 2;
                if (offset >= seg.size()) return makeError(Error::Code::Format, {}, {}, QStringLiteral("indirect offset %1 outside the data").arg(offset));
                if (auto st = run(offset, seg.size(), len, depth + 1); !st) return st;
            } else {
                return makeError(Error::Code::Format, {}, {}, QStringLiteral("unknown segment opcode %1 at word %2").arg(op).arg(i - 2));
            }
            if (out.size() > std::size_t(entries) * 2 + 65536) return makeError(Error::Code::Format, {}, {}, QStringLiteral("segments expand far beyond the descriptor's entries"));
        }
        return Ok{};
    };
    if (auto st = run(0, seg.size(), -1, 0); !st) return st.error();
    if (int(out.size()) < entries)
        return makeError(Error::Code::Format, {}, {}, QStringLiteral("segments give %1 entries, the descriptor says %2").arg(out.size()).arg(entries));
    out.resize(std::size_t(entries));
    return out;
}

Status expandSegmentedPalettes(DicomInstanceInfo &info, DcmDataset *ds)
{
    const std::pair<DcmTagKey, std::pair<DcmTagKey, DcmTagKey>> colours[] = {
        {DCM_SegmentedRedPaletteColorLookupTableData, {DCM_RedPaletteColorLookupTableDescriptor, DCM_RedPaletteColorLookupTableData}},
        {DCM_SegmentedGreenPaletteColorLookupTableData, {DCM_GreenPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableData}},
        {DCM_SegmentedBluePaletteColorLookupTableData, {DCM_BluePaletteColorLookupTableDescriptor, DCM_BluePaletteColorLookupTableData}}};
    bool any = false;
    for (const auto &[segTag, plain] : colours) {
        if (!ds->tagExists(segTag)) continue;
        Uint16 entries = 0, bits = 0;   // the descriptor must be complete; the expanded LUT keeps its bit depth
        if (ds->findAndGetUint16(plain.first, entries, 0).bad() || ds->findAndGetUint16(plain.first, bits, 2).bad())
            return makeError(Error::Code::Format, info.path, tagName(plain.first), QStringLiteral("missing or incomplete"));
        const Uint16 *p = nullptr;
        unsigned long count = 0;
        if (ds->findAndGetUint16Array(segTag, p, &count).bad() || !p || count == 0)
            return makeError(Error::Code::Format, info.path, tagName(segTag), QStringLiteral("unreadable"));
        auto lut = expandSegmentedLut(std::vector<std::uint16_t>(p, p + count), entries == 0 ? 65536 : entries);
        if (!lut) return makeError(Error::Code::Format, info.path, tagName(segTag), lut.error().reason);
        OFCondition c = ds->putAndInsertUint16Array(plain.second, lut->data(), Uint32(lut->size()));
        if (c.bad()) return makeError(Error::Code::Internal, info.path, tagName(plain.second), QString::fromLatin1(c.text()));
        ds->findAndDeleteElement(segTag);
        any = true;
    }
    if (any) info.pixelNote = QStringLiteral("segmented palette colour LUTs expanded");
    return Ok{};
}

namespace {
// CharLS is loaded privately (RTLD_LOCAL) at first use instead of linked: DCMTK's JPEG-LS codec
// carries its own older CharLS with the same exported names, and a linked libcharls.so.2 would
// interpose them (DCMTK, whose copy is libdcmtkcharls, then calls the wrong JpegLsReadHeader and crashes).
struct CharLs {
    void *lib = nullptr;
    decltype(&charls_jpegls_decoder_create) create = nullptr;
    decltype(&charls_jpegls_decoder_destroy) destroy = nullptr;
    decltype(&charls_jpegls_decoder_set_source_buffer) setSource = nullptr;
    decltype(&charls_jpegls_decoder_read_header) readHeader = nullptr;
    decltype(&charls_jpegls_decoder_get_frame_info) frameInfo = nullptr;
    decltype(&charls_jpegls_decoder_get_interleave_mode) interleave = nullptr;
    decltype(&charls_jpegls_decoder_get_destination_size) destinationSize = nullptr;
    decltype(&charls_jpegls_decoder_decode_to_buffer) decode = nullptr;
    decltype(&charls_get_error_message) message = nullptr;
    decltype(&charls_get_version_string) version = nullptr;
    bool ok() const { return create && destroy && setSource && readHeader && frameInfo && interleave && destinationSize && decode && message && version; }
};
const CharLs &charLs()
{
    static const CharLs c = [] {
        CharLs l;
        l.lib = dlopen("libcharls.so.2", RTLD_NOW | RTLD_LOCAL);
        if (!l.lib) return l;
        auto sym = [&l](auto &fn, const char *name) { fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(l.lib, name)); };
        sym(l.create, "charls_jpegls_decoder_create");
        sym(l.destroy, "charls_jpegls_decoder_destroy");
        sym(l.setSource, "charls_jpegls_decoder_set_source_buffer");
        sym(l.readHeader, "charls_jpegls_decoder_read_header");
        sym(l.frameInfo, "charls_jpegls_decoder_get_frame_info");
        sym(l.interleave, "charls_jpegls_decoder_get_interleave_mode");
        sym(l.destinationSize, "charls_jpegls_decoder_get_destination_size");
        sym(l.decode, "charls_jpegls_decoder_decode_to_buffer");
        sym(l.message, "charls_get_error_message");
        sym(l.version, "charls_get_version_string");
        return l;
    }();
    return c;
}
} // namespace

Result<std::vector<std::uint8_t>> decodeJpegLsFrame(const std::uint8_t *data, std::size_t size, const DicomInstanceInfo &info, bool *planar)
{
    const CharLs &c = charLs();
    if (!c.ok())
        return makeError(Error::Code::Unsupported, {}, {}, QStringLiteral("JPEG-LS: CharLS (libcharls.so.2) is not installed: %1")
                                                                   .arg(QString::fromLocal8Bit(dlerror() ? dlerror() : "symbols missing")));
    std::unique_ptr<charls_jpegls_decoder, void (*)(const charls_jpegls_decoder *)> dec(c.create(), c.destroy);
    if (!dec) return makeError(Error::Code::Internal, {}, {}, QStringLiteral("JPEG-LS: CharLS decoder not created"));
    auto failed = [&c](charls_jpegls_errc e) {
        return makeError(Error::Code::Format, {}, {}, QStringLiteral("JPEG-LS (CharLS): %1").arg(QString::fromUtf8(c.message(e))));
    };
    charls_jpegls_errc e = c.setSource(dec.get(), data, size);
    if (e == charls::jpegls_errc::success) e = c.readHeader(dec.get());
    charls_frame_info f{};
    if (e == charls::jpegls_errc::success) e = c.frameInfo(dec.get(), &f);
    if (e != charls::jpegls_errc::success) return failed(e);
    if (int(f.width) != info.columns || int(f.height) != info.rows || f.component_count != info.samplesPerPixel)
        return makeError(Error::Code::Format, {}, {},
                         QStringLiteral("JPEG-LS stream is %1 x %2 with %3 component(s), the DICOM header says %4 x %5 with %6")
                             .arg(f.width).arg(f.height).arg(f.component_count).arg(info.columns).arg(info.rows).arg(info.samplesPerPixel));
    if ((f.bits_per_sample > 8) != (info.bitsAllocated > 8))
        return makeError(Error::Code::Format, {}, {}, QStringLiteral("JPEG-LS stream has %1 bits per sample, Bits Allocated is %2")
                                                          .arg(f.bits_per_sample).arg(info.bitsAllocated));
    charls_interleave_mode mode = charls::interleave_mode::none;
    size_t bytes = 0;
    e = c.interleave(dec.get(), &mode);
    if (e == charls::jpegls_errc::success) e = c.destinationSize(dec.get(), 0, &bytes);
    if (e != charls::jpegls_errc::success) return failed(e);
    std::vector<std::uint8_t> out(bytes);
    e = c.decode(dec.get(), out.data(), out.size(), 0);
    if (e != charls::jpegls_errc::success) return failed(e);
    if (planar) *planar = f.component_count > 1 && mode == charls::interleave_mode::none;
    return out;
}

const char *charlsVersion()
{
    const CharLs &c = charLs();
    return c.ok() ? c.version() : "not installed";
}

} // namespace cs::pixelforms
