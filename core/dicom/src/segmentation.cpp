#include "clinsight/dicom/segmentation.h"

#include "dicom_p.h"

#include <algorithm>
#include <cmath>

namespace cs {

using namespace dicomdetail;

struct Segmentation::Impl {
    DicomImageSource pixels;
    QString type, fractionalType, frameOfReference, contentLabel, note;
    int maxFractional = 1;
    QStringList referencedSeries, referencedInstances;
    std::vector<SegmentDescription> segments;
    std::vector<SegmentationFrame> frames;
    explicit Impl(DicomImageSource s) : pixels(std::move(s)) {}
    const SegmentDescription *find(int number) const
    {
        for (const auto &s : segments)
            if (s.number == number) return &s;
        return nullptr;
    }
};

namespace {

// Distinct colours for segments without a recommended one (colour-blind-safe order first).
constexpr std::array<std::array<std::uint8_t, 3>, 8> kPalette{{{{230, 159, 0}}, {{86, 180, 233}}, {{0, 158, 115}}, {{240, 228, 66}},
                                                               {{0, 114, 178}}, {{213, 94, 0}}, {{204, 121, 167}}, {{255, 255, 255}}}};

DcmItem *firstItem(DcmItem *parent, const DcmTagKey &seq)
{
    DcmItem *item = nullptr;
    if (parent && parent->findAndGetSequenceItem(seq, item, 0).good()) return item;
    return nullptr;
}

QString codeMeaning(DcmItem *parent, const DcmTagKey &seq)
{
    DcmItem *code = firstItem(parent, seq);
    return code ? str(code, DCM_CodeMeaning) : QString();
}

// The functional group `seq` of one frame: its per-frame item, else the shared one.
DcmItem *group(DcmItem *perFrame, DcmItem *shared, const DcmTagKey &seq)
{
    if (DcmItem *g = firstItem(perFrame, seq)) return g;
    return firstItem(shared, seq);
}

Error fail(const QString &path, const DcmTagKey &tag, const QString &why)
{
    return makeError(Error::Code::Format, path, tagName(tag), why);
}

bool sameOrientation(const std::array<double, 6> &a, const std::array<double, 6> &b)
{
    for (int k = 0; k < 6; ++k)
        if (std::abs(a[k] - b[k]) > 1e-3) return false;
    return true;
}

} // namespace

QString SegmentDescription::displayName() const
{
    QString s = QString::number(number) + QLatin1Char(' ') + (label.isEmpty() ? QStringLiteral("(no label)") : label);
    QStringList codes;
    if (!category.isEmpty()) codes << category;
    if (!type.isEmpty() && type != label) codes << type;
    if (!codes.isEmpty()) s += QStringLiteral(" (%1)").arg(codes.join(QStringLiteral(" / ")));
    return s;
}

std::array<std::uint8_t, 3> dicomLabToRgb(std::uint16_t l16, std::uint16_t a16, std::uint16_t b16)
{
    const double L = l16 * 100.0 / 65535.0, a = a16 * 255.0 / 65535.0 - 128.0, b = b16 * 255.0 / 65535.0 - 128.0;
    const double fy = (L + 16.0) / 116.0, fx = fy + a / 500.0, fz = fy - b / 200.0;
    auto finv = [](double t) { return t * t * t > 216.0 / 24389.0 ? t * t * t : (116.0 * t - 16.0) / (24389.0 / 27.0); };
    // D65 reference white, as the tools that write segmentations convert (dcmqi / 3D Slicer, highdicom):
    // the liver of the corpus's dcmqi file reads back as Slicer's liver colour exactly (tst_segmentation).
    const double X = 0.95047 * finv(fx), Y = finv(fy), Z = 1.08883 * finv(fz);
    const double lin[3] = {3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z, -0.9692660 * X + 1.8760108 * Y + 0.0415560 * Z,
                           0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z};
    std::array<std::uint8_t, 3> rgb{};
    for (int k = 0; k < 3; ++k) {
        const double c = std::clamp(lin[k], 0.0, 1.0);
        const double g = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
        rgb[k] = std::uint8_t(std::lround(std::clamp(g, 0.0, 1.0) * 255.0));
    }
    return rgb;
}

Segmentation::Segmentation(std::shared_ptr<const Impl> impl) : d(std::move(impl)) {}

bool Segmentation::isSegmentation(const DicomInstanceInfo &info)
{
    return info.sopClassUid == QLatin1String(kSegmentationStorageUid);
}

Result<Segmentation> Segmentation::open(const QString &path)
{
    try {
        auto ff = loadDicomFile(path, /*lazy=*/true);
        if (!ff) return ff.error();
        DcmDataset *ds = ff.value()->getDataset();
        const QString sopClass = str(ds, DCM_SOPClassUID);
        if (sopClass != QLatin1String(kSegmentationStorageUid))
            return makeError(Error::Code::NotApplicable, path, tagName(DCM_SOPClassUID),
                             QStringLiteral("%1 is not a DICOM Segmentation (Segmentation Storage is %2)")
                                 .arg(sopClass.isEmpty() ? QStringLiteral("(missing)") : sopClass, QLatin1String(kSegmentationStorageUid)));
        const QString type = str(ds, DCM_SegmentationType);
        if (type != QLatin1String("BINARY") && type != QLatin1String("FRACTIONAL"))
            return fail(path, DCM_SegmentationType,
                        QStringLiteral("'%1' is not BINARY or FRACTIONAL").arg(type.isEmpty() ? QStringLiteral("(missing)") : type));
        auto src = DicomImageSource::open(path);
        if (!src) return src.error();
        auto impl = std::make_shared<Impl>(src.value());
        const DicomInstanceInfo &info = impl->pixels.info();
        impl->type = type;
        if (type == QLatin1String("BINARY") && (info.bitsAllocated != 1 || info.samplesPerPixel != 1))
            return fail(path, DCM_BitsAllocated, QStringLiteral("a BINARY segmentation has 1-bit single-sample frames, this one %1 bits x %2 samples")
                                                     .arg(info.bitsAllocated).arg(info.samplesPerPixel));
        if (type == QLatin1String("FRACTIONAL")) {
            if (info.bitsAllocated != 8 || info.samplesPerPixel != 1)
                return fail(path, DCM_BitsAllocated, QStringLiteral("a FRACTIONAL segmentation has 8-bit single-sample frames, this one %1 bits x %2 samples")
                                                         .arg(info.bitsAllocated).arg(info.samplesPerPixel));
            impl->fractionalType = str(ds, DCM_SegmentationFractionalType);
            impl->maxFractional = intValue(ds, DCM_MaximumFractionalValue, 0);
            if (impl->maxFractional < 1 || impl->maxFractional > 255)
                return fail(path, DCM_MaximumFractionalValue, QStringLiteral("must be 1..255, is %1").arg(impl->maxFractional));
        }
        impl->frameOfReference = str(ds, DCM_FrameOfReferenceUID);
        const QString label = str(ds, DCM_ContentLabel), description = str(ds, DCM_ContentDescription);
        impl->contentLabel = description.isEmpty() ? label : description;

        // What was segmented.
        DcmSequenceOfItems *segSeq = nullptr;
        if (ds->findAndGetSequence(DCM_SegmentSequence, segSeq).bad() || !segSeq || segSeq->card() == 0)
            return fail(path, DCM_SegmentSequence, QStringLiteral("missing or empty: the file names no segment"));
        for (unsigned long k = 0; k < segSeq->card(); ++k) {
            DcmItem *it = segSeq->getItem(k);
            SegmentDescription s;
            s.number = intValue(it, DCM_SegmentNumber, 0);
            if (s.number < 1)
                return fail(path, DCM_SegmentNumber, QStringLiteral("item %1 of the Segment Sequence has no Segment Number >= 1").arg(k + 1));
            for (const auto &other : impl->segments)
                if (other.number == s.number)
                    return fail(path, DCM_SegmentNumber, QStringLiteral("segment %1 is described twice").arg(s.number));
            s.label = str(it, DCM_SegmentLabel);
            s.description = str(it, DCM_SegmentDescription);
            s.category = codeMeaning(it, DCM_SegmentedPropertyCategoryCodeSequence);
            s.type = codeMeaning(it, DCM_SegmentedPropertyTypeCodeSequence);
            s.algorithmType = str(it, DCM_SegmentAlgorithmType);
            s.algorithmName = str(it, DCM_SegmentAlgorithmName);
            Uint16 lab[3];
            if (vm(it, DCM_RecommendedDisplayCIELabValue) == 3 && it->findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[0], 0).good()
                && it->findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[1], 1).good()
                && it->findAndGetUint16(DCM_RecommendedDisplayCIELabValue, lab[2], 2).good()) {
                s.rgb = dicomLabToRgb(lab[0], lab[1], lab[2]);
                s.recommendedColour = true;
            } else {
                s.rgb = kPalette[std::size_t(s.number - 1) % kPalette.size()];
            }
            impl->segments.push_back(s);
        }
        std::sort(impl->segments.begin(), impl->segments.end(), [](const auto &a, const auto &b) { return a.number < b.number; });

        // Where it was segmented.
        DcmSequenceOfItems *refSeries = nullptr;
        if (ds->findAndGetSequence(DCM_ReferencedSeriesSequence, refSeries).good() && refSeries) {
            for (unsigned long k = 0; k < refSeries->card(); ++k) {
                DcmItem *it = refSeries->getItem(k);
                const QString uid = str(it, DCM_SeriesInstanceUID);
                if (!uid.isEmpty()) impl->referencedSeries << uid;
                DcmSequenceOfItems *inst = nullptr;
                if (it->findAndGetSequence(DCM_ReferencedInstanceSequence, inst).good() && inst)
                    for (unsigned long j = 0; j < inst->card(); ++j) impl->referencedInstances << str(inst->getItem(j), DCM_ReferencedSOPInstanceUID);
            }
        }
        DcmItem *shared = firstItem(ds, DCM_SharedFunctionalGroupsSequence);
        DcmSequenceOfItems *perFrame = nullptr;
        ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame);
        const int nFrames = info.frames;
        if (!perFrame || int(perFrame->card()) < nFrames)
            return fail(path, DCM_PerFrameFunctionalGroupsSequence,
                        QStringLiteral("%1 items, Number of Frames is %2: which segment each frame shows is unknown")
                            .arg(perFrame ? int(perFrame->card()) : 0).arg(nFrames));
        if (int(perFrame->card()) > nFrames)   // items are in frame order: the first ones describe the frames present
            impl->note = QStringLiteral("Per-frame Functional Groups Sequence has %1 items for %2 frames: the items after frame %2 were ignored")
                             .arg(perFrame->card()).arg(nFrames);
        for (int k = 0; k < nFrames; ++k) {
            DcmItem *pf = perFrame->getItem(unsigned(k));
            SegmentationFrame f;
            DcmItem *ident = group(pf, shared, DCM_SegmentIdentificationSequence);
            f.segment = ident ? intValue(ident, DCM_ReferencedSegmentNumber, 0) : 0;
            if (!impl->find(f.segment))
                return fail(path, DCM_ReferencedSegmentNumber,
                            QStringLiteral("frame %1 refers to segment %2, which the Segment Sequence does not describe").arg(k + 1).arg(f.segment));
            if (DcmItem *deriv = group(pf, shared, DCM_DerivationImageSequence))
                if (DcmItem *source = firstItem(deriv, DCM_SourceImageSequence)) {
                    f.sourceSopInstanceUid = str(source, DCM_ReferencedSOPInstanceUID);
                    f.sourceFrame = intValue(source, DCM_ReferencedFrameNumber, 0);
                }
            if (DcmItem *pos = group(pf, shared, DCM_PlanePositionSequence); pos && vm(pos, DCM_ImagePositionPatient) == 3) {
                f.hasPosition = true;
                for (int j = 0; j < 3; ++j) pos->findAndGetFloat64(DCM_ImagePositionPatient, f.position[std::size_t(j)], unsigned(j));
            }
            if (DcmItem *ori = group(pf, shared, DCM_PlaneOrientationSequence); ori && vm(ori, DCM_ImageOrientationPatient) == 6) {
                f.hasOrientation = true;
                for (int j = 0; j < 6; ++j) ori->findAndGetFloat64(DCM_ImageOrientationPatient, f.orientation[std::size_t(j)], unsigned(j));
            }
            impl->frames.push_back(f);
        }
        return Segmentation(std::move(impl));
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, path, {}, QString::fromUtf8(e.what()));
    }
}


const DicomInstanceInfo &Segmentation::info() const { return d->pixels.info(); }
QString Segmentation::segmentationType() const { return d->type; }
QString Segmentation::fractionalType() const { return d->fractionalType; }
int Segmentation::maximumFractionalValue() const { return d->maxFractional; }
QString Segmentation::frameOfReferenceUid() const { return d->frameOfReference; }
QStringList Segmentation::referencedSeriesUids() const { return d->referencedSeries; }
QString Segmentation::contentLabel() const { return d->contentLabel; }
QString Segmentation::note() const { return d->note; }
const std::vector<SegmentDescription> &Segmentation::segments() const { return d->segments; }
const std::vector<SegmentationFrame> &Segmentation::frames() const { return d->frames; }
const SegmentDescription *Segmentation::segment(int number) const { return d->find(number); }

bool Segmentation::refersTo(const DicomInstanceInfo &image) const
{
    if (image.sopInstanceUid == info().sopInstanceUid) return false;
    if (!image.sopInstanceUid.isEmpty()) {
        if (d->referencedInstances.contains(image.sopInstanceUid)) return true;
        for (const auto &f : d->frames)
            if (f.sourceSopInstanceUid == image.sopInstanceUid) return true;
    }
    if (!image.seriesUid.isEmpty() && d->referencedSeries.contains(image.seriesUid)) return true;
    return !d->frameOfReference.isEmpty() && d->frameOfReference == image.frameOfReferenceUid;
}

Result<std::vector<std::uint8_t>> Segmentation::mask(int frame) const
{
    auto values = d->pixels.modalityValues(frame);
    if (!values) return values.error();
    std::vector<std::uint8_t> m(values->size());
    if (d->type == QLatin1String("BINARY")) {
        for (std::size_t k = 0; k < m.size(); ++k) m[k] = values.value()[k] > 0.5f ? 1 : 0;
    } else {
        const float scale = 255.0f / float(d->maxFractional);
        for (std::size_t k = 0; k < m.size(); ++k)
            m[k] = std::uint8_t(std::lround(std::clamp(values.value()[k], 0.0f, float(d->maxFractional)) * scale));
    }
    return m;
}

namespace {

// Paints one segment's mask into rgba: the area at fill alpha (scaled by the
// fraction for FRACTIONAL), the outline (member pixels with a 4-neighbour
// outside, or on the border) opaque. Returns whether anything was painted.
bool paint(std::vector<std::uint8_t> &rgba, const std::vector<std::uint8_t> &mask, int w, int h, bool binary,
           const std::array<std::uint8_t, 3> &rgb)
{
    constexpr int kFillAlpha = 96;
    auto in = [&](int x, int y) { return mask[std::size_t(y) * w + x] >= (binary ? 1 : 128); };
    bool any = false;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::uint8_t v = mask[std::size_t(y) * w + x];
            if (v == 0) continue;
            any = true;
            const bool member = in(x, y);
            const bool edge = member && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !in(x - 1, y) || !in(x + 1, y) || !in(x, y - 1) || !in(x, y + 1));
            const int alpha = edge ? 255 : binary ? kFillAlpha : kFillAlpha * v / 255;
            std::uint8_t *p = &rgba[(std::size_t(y) * w + x) * 4];
            if (alpha < p[3] && !edge) continue;   // an outline already drawn here stays visible
            p[0] = rgb[0]; p[1] = rgb[1]; p[2] = rgb[2]; p[3] = std::uint8_t(alpha);
        }
    return any;
}

} // namespace

Result<SegmentOverlay> Segmentation::overlayOfFrame(int frame) const
{
    if (frame < 0 || frame >= int(d->frames.size()))
        return makeError(Error::Code::Invalid, info().path, QStringLiteral("frame"),
                         QStringLiteral("frame %1 requested, the segmentation has %2").arg(frame + 1).arg(d->frames.size()));
    auto m = mask(frame);
    if (!m) return m.error();
    SegmentOverlay o;
    o.width = info().columns;
    o.height = info().rows;
    o.rgba.assign(std::size_t(o.width) * o.height * 4, 0);
    o.matchedBy = QStringLiteral("shown alone");
    o.frames.push_back(frame);
    const int number = d->frames[std::size_t(frame)].segment;
    if (paint(o.rgba, m.value(), o.width, o.height, d->type == QLatin1String("BINARY"), d->find(number)->rgb)) o.segments.push_back(number);
    return o;
}

DisplayFrame Segmentation::renderAlone(const SegmentOverlay &overlay)
{
    DisplayFrame black;
    black.width = overlay.width;
    black.height = overlay.height;
    black.pixels.assign(std::size_t(black.width) * black.height, 0);
    black.window.label = QStringLiteral("Segmentation");
    return compositeOverlay(black, overlay).value();   // same grid by construction
}

Result<SegmentOverlay> Segmentation::overlayFor(const DicomInstanceInfo &image, int imageFrame) const
{
    const QString &path = info().path;
    if (!refersTo(image))
        return makeError(Error::Code::NotApplicable, path, tagName(DCM_ReferencedSeriesSequence),
                         QStringLiteral("the segmentation does not refer to %1 (neither its instance, its series nor its frame of reference)")
                             .arg(image.path));
    if (image.rows != info().rows || image.columns != info().columns)
        return makeError(Error::Code::NotApplicable, path, tagName(DCM_Rows),
                         QStringLiteral("the segmentation's grid is %1 x %2, the image's %3 x %4 (resampling is not supported)")
                             .arg(info().columns).arg(info().rows).arg(image.columns).arg(image.rows));
    SegmentOverlay o;
    o.width = image.columns;
    o.height = image.rows;
    o.rgba.assign(std::size_t(o.width) * o.height * 4, 0);
    // By reference first: the frame derived from this instance (and frame, for multi-frame images).
    for (std::size_t k = 0; k < d->frames.size(); ++k) {
        const auto &f = d->frames[k];
        if (f.sourceSopInstanceUid.isEmpty() || f.sourceSopInstanceUid != image.sopInstanceUid) continue;
        if (f.sourceFrame > 0 ? f.sourceFrame != imageFrame + 1 : image.frames > 1) continue;
        o.frames.push_back(int(k));
    }
    if (!o.frames.empty()) {
        o.matchedBy = QStringLiteral("SOP Instance UID");
    } else if (!d->frameOfReference.isEmpty() && d->frameOfReference == image.frameOfReferenceUid && image.hasPosition && image.frames == 1) {
        // Else by geometry in the shared frame of reference: same plane, same orientation.
        const double tol = std::max(0.01, image.sliceThickness > 0 ? image.sliceThickness * 0.05 : 0.05);
        for (std::size_t k = 0; k < d->frames.size(); ++k) {
            const auto &f = d->frames[k];
            if (!f.hasPosition) continue;
            if (f.hasOrientation && image.hasOrientation && !sameOrientation(f.orientation, image.orientation)) continue;
            double dist2 = 0;
            for (int j = 0; j < 3; ++j) dist2 += (f.position[std::size_t(j)] - image.position[std::size_t(j)]) * (f.position[std::size_t(j)] - image.position[std::size_t(j)]);
            if (std::sqrt(dist2) <= tol) o.frames.push_back(int(k));
        }
        o.matchedBy = QStringLiteral("plane position");
    }
    const bool binary = d->type == QLatin1String("BINARY");
    for (int k : o.frames) {
        auto m = mask(k);
        if (!m) return m.error();
        const int number = d->frames[std::size_t(k)].segment;
        if (paint(o.rgba, m.value(), o.width, o.height, binary, d->find(number)->rgb) && !std::count(o.segments.begin(), o.segments.end(), number))
            o.segments.push_back(number);
    }
    std::sort(o.segments.begin(), o.segments.end());
    return o;
}

Result<DisplayFrame> compositeOverlay(const DisplayFrame &frame, const SegmentOverlay &overlay, double opacity)
{
    if (frame.width != overlay.width || frame.height != overlay.height || overlay.rgba.size() != std::size_t(overlay.width) * overlay.height * 4)
        return makeError(Error::Code::Invalid, {}, QStringLiteral("overlay"),
                         QStringLiteral("overlay %1 x %2 on a frame of %3 x %4").arg(overlay.width).arg(overlay.height).arg(frame.width).arg(frame.height));
    DisplayFrame out;
    out.width = frame.width;
    out.height = frame.height;
    out.channels = 3;
    out.window = frame.window;
    const std::size_t n = std::size_t(frame.width) * frame.height;
    out.pixels.resize(n * 3);
    const double o = std::clamp(opacity, 0.0, 1.0);
    for (std::size_t k = 0; k < n; ++k) {
        const double a = overlay.rgba[k * 4 + 3] / 255.0 * o;
        for (int c = 0; c < 3; ++c) {
            const double base = frame.channels == 1 ? frame.pixels[k] : frame.pixels[k * 3 + std::size_t(c)];
            out.pixels[k * 3 + std::size_t(c)] = std::uint8_t(std::lround(base * (1 - a) + overlay.rgba[k * 4 + std::size_t(c)] * a));
        }
    }
    return out;
}

} // namespace cs
