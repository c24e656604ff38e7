#include "dicom_p.h"
#include "clinsight/foundation/protectedfile.h"
#include "jpeg2000_p.h"

#include "clinsight/foundation/environment.h"

#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <QFile>
#include <QFileInfo>
#include <functional>
#include <mutex>

namespace cs {

QString dcmtkVersion() { return QStringLiteral(OFFIS_DCMTK_VERSION_STRING); }
QString openJpegVersion() { return QString::fromLatin1(j2k::openJpegVersion()); }
void setJpeg2000DecodeThreads(int n) { j2k::setThreads(n); }

void ensureDicomCodecsRegistered()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // A dataset encoded in implicit VR under a meta header that says explicit (seen in the
        // wild, e.g. SC_rgb_jpeg.dcm) is read as what it is, as pydicom and GDCM do.
        dcmAutoDetectDatasetXfer.set(OFTrue);          // uncompressed datasets
        dcmAcceptUnexpectedImplicitEncoding.set(OFTrue); // compressed ones: an element with no valid VR is re-read as implicit
        // DCMTK's own log lines go nowhere: errors reach the user as Error values.
        OFLog::configure(env::dcmtkLogging() ? OFLogger::DEBUG_LOG_LEVEL : OFLogger::OFF_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();      // JPEG baseline/extended/lossless
        DJLSDecoderRegistration::registerCodecs();    // JPEG-LS
        DcmRLEDecoderRegistration::registerCodecs();  // RLE
    });
}

QString transferSyntaxName(const QString &uid)
{
    static const struct { const char *uid; const char *name; } extra[] = {
        {"1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"},
        {"1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"},
        {"1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"},
        {"1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression"},
    };
    for (const auto &e : extra)
        if (uid == QLatin1String(e.uid))
            return QString::fromLatin1(e.name);
    DcmXfer x(uid.toLatin1().constData());
    if (x.getXfer() == EXS_Unknown)
        return QStringLiteral("unknown transfer syntax");
    return QString::fromLatin1(x.getXferName());
}

namespace dicomdetail {

QString str(DcmItem *item, const DcmTagKey &tag)
{
    OFString s;
    if (item->findAndGetOFStringArray(tag, s).good())
        return QString::fromUtf8(s.c_str()).trimmed();
    return {};
}

int intValue(DcmItem *item, const DcmTagKey &tag, int fallback)
{
    Sint32 v = 0;
    if (item->findAndGetSint32(tag, v).good())
        return int(v);
    Uint16 u = 0;
    if (item->findAndGetUint16(tag, u).good())
        return int(u);
    const QString s = str(item, tag);
    bool ok = false;
    const int i = s.toInt(&ok);
    return ok ? i : fallback;
}

int vm(DcmItem *item, const DcmTagKey &tag)
{
    DcmElement *el = nullptr;
    if (item->findAndGetElement(tag, el).good() && el)
        return int(el->getVM());
    return 0;
}

QString tagName(const DcmTagKey &tag)
{
    DcmTag t(tag);
    return QStringLiteral("%1 %2").arg(QString::fromLatin1(t.getTagName()),
                                       QString::fromLatin1(tag.toString().c_str()));
}

QString transferSyntaxUidOf(DcmFileFormat &ff)
{
    OFString uid;
    if (ff.getMetaInfo() && ff.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, uid).good() && !uid.empty())
        return QString::fromLatin1(uid.c_str()).trimmed();
    DcmXfer x(ff.getDataset()->getOriginalXfer());
    return QString::fromLatin1(x.getXferID());
}

bool isJpeg2000Syntax(const QString &uid)
{
    return uid == QLatin1String("1.2.840.10008.1.2.4.90") || uid == QLatin1String("1.2.840.10008.1.2.4.91")
        || uid == QLatin1String("1.2.840.10008.1.2.4.201") || uid == QLatin1String("1.2.840.10008.1.2.4.202")
        || uid == QLatin1String("1.2.840.10008.1.2.4.203");
}

// Part 10 files carry "DICM" at byte 128; files without preamble (which
// DCMTK also reads) start with a group 0002..0028 element in either byte order.
static bool looksLikeDicom(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return true;  // let DCMTK report the I/O error
    const QByteArray head = f.read(132);
    if (head.size() >= 132 && head.mid(128, 4) == "DICM")
        return true;
    if (head.size() < 8)
        return false;
    const auto b = reinterpret_cast<const unsigned char *>(head.constData());
    const unsigned le = b[0] | (b[1] << 8), be = (b[0] << 8) | b[1];
    auto plausible = [](unsigned g) { return g >= 0x0002 && g <= 0x0028 && g % 2 == 0; };
    return plausible(le) || plausible(be);
}

Result<std::unique_ptr<DcmFileFormat>> loadDicomFile(const QString &path, bool lazy)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return makeError(Error::Code::Io, path, {}, QStringLiteral("file does not exist"));
    if (!fi.isFile() || !fi.isReadable())
        return makeError(Error::Code::Io, path, {}, QStringLiteral("not a readable file"));
    if (fi.size() == 0)
        return makeError(Error::Code::Format, path, {}, QStringLiteral("file is empty"));
    // Encrypted at rest by ClinSight (protectedfile.h): decrypted in memory, never to disk.
    const bool isProtected = isProtectedFile(path);
    QByteArray content;
    if (isProtected) {
        auto clear = readFileContent(path);
        if (!clear) return clear.error();
        content = clear.value();
        if (content.size() < 132 || content.mid(128, 4) != "DICM")
            return makeError(Error::Code::Format, path, {}, QStringLiteral("not a DICOM file (encrypted content without the 'DICM' marker)"));
    } else if (!looksLikeDicom(path)) {
        return makeError(Error::Code::Format, path, {},
                         QStringLiteral("not a DICOM file (no 'DICM' marker at byte 128 and no data element at the start)"));
    }
    ensureDicomCodecsRegistered();
    auto ff = std::make_unique<DcmFileFormat>();
    const Uint32 maxLen = lazy ? 4096 : DCM_MaxReadLength;
    OFCondition c;
    try {
        if (isProtected) {
            DcmInputBufferStream in;
            in.setBuffer(content.constData(), offile_off_t(content.size()));
            in.setEos();
            ff->transferInit();
            c = ff->read(in, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
            ff->transferEnd();
        } else {
            c = ff->loadFile(OFFilename(path.toLocal8Bit().constData()), EXS_Unknown, EGL_noChange, maxLen, ERM_autoDetect);
        }
    } catch (const std::exception &e) {
        // DCMTK throws from some malformed values (found by the fuzzer, see docs/fuzzing.md).
        return makeError(Error::Code::Format, path, {}, QStringLiteral("not readable as DICOM: malformed data (%1)").arg(QString::fromUtf8(e.what())));
    } catch (...) {
        return makeError(Error::Code::Format, path, {}, QStringLiteral("not readable as DICOM: malformed data"));
    }
    if (c.bad()) {
        QString reason = QString::fromLatin1(c.text());
        if (c == EC_StreamNotifyClient || reason.contains(QLatin1String("premature end"), Qt::CaseInsensitive))
            reason = QStringLiteral("file is truncated (%1)").arg(reason);
        return makeError(Error::Code::Format, path, {}, QStringLiteral("not readable as DICOM: %1").arg(reason));
    }
    return ff;
}

static QString isoDateTime(const QString &date, const QString &time)
{
    if (date.size() < 8)
        return {};
    QString iso = date.left(4) + '-' + date.mid(4, 2) + '-' + date.mid(6, 2);
    if (time.size() >= 4)
        iso += 'T' + time.left(2) + ':' + time.mid(2, 2) + ':' + (time.size() >= 6 ? time.mid(4, 2) : QStringLiteral("00"));
    return iso;
}

static QString sopClassDescription(const QString &uid)
{
    const char *name = dcmFindNameOfUID(uid.toLatin1().constData(), nullptr);
    return name ? QString::fromLatin1(name) : uid;
}

Result<DicomInstanceInfo> headerFromDataset(const QString &path, DcmFileFormat &ff)
{
    DcmDataset *ds = ff.getDataset();
    DicomInstanceInfo i;
    i.path = path;
    i.patientId = str(ds, DCM_PatientID);
    i.issuerOfPatientId = str(ds, DCM_IssuerOfPatientID);
    i.patientName = str(ds, DCM_PatientName);
    i.patientSex = str(ds, DCM_PatientSex);
    i.patientBirthDate = str(ds, DCM_PatientBirthDate);
    i.studyUid = str(ds, DCM_StudyInstanceUID);
    i.studyDate = str(ds, DCM_StudyDate);
    i.studyTime = str(ds, DCM_StudyTime);
    i.studyDescription = str(ds, DCM_StudyDescription);
    i.accessionNumber = str(ds, DCM_AccessionNumber);
    i.seriesUid = str(ds, DCM_SeriesInstanceUID);
    i.seriesDescription = str(ds, DCM_SeriesDescription);
    i.seriesNumber = intValue(ds, DCM_SeriesNumber);
    i.modality = str(ds, DCM_Modality);
    i.bodyPart = str(ds, DCM_BodyPartExamined);
    i.sopClassUid = str(ds, DCM_SOPClassUID);
    i.sopInstanceUid = str(ds, DCM_SOPInstanceUID);
    i.instanceNumber = intValue(ds, DCM_InstanceNumber);
    i.transferSyntaxUid = transferSyntaxUidOf(ff);
    i.transferSyntaxName = transferSyntaxName(i.transferSyntaxUid);
    for (auto [d, t] : {std::pair{DCM_AcquisitionDate, DCM_AcquisitionTime}, std::pair{DCM_ContentDate, DCM_ContentTime},
                        std::pair{DCM_SeriesDate, DCM_SeriesTime}, std::pair{DCM_StudyDate, DCM_StudyTime}}) {
        i.acquisitionDateTime = isoDateTime(str(ds, d), str(ds, t));
        if (!i.acquisitionDateTime.isEmpty())
            break;
    }

    i.hasPixelData = ds->tagExists(DCM_PixelData);
    if (!i.hasPixelData && (ds->tagExists(DCM_FloatPixelData) || ds->tagExists(DCM_DoubleFloatPixelData))) {
        i.hasPixelData = true;   // parametric maps: shown through pixelforms::floatToRescaled16
        i.floatBits = ds->tagExists(DCM_DoubleFloatPixelData) ? 64 : 32;
    }
    if (!i.hasPixelData) {
        const QString what = i.sopClassUid.isEmpty() ? QStringLiteral("no SOP Class UID") : sopClassDescription(i.sopClassUid);
        return makeError(Error::Code::Unsupported, path, tagName(DCM_PixelData),
                         QStringLiteral("no image in this object (%1, modality %2)")
                             .arg(what, i.modality.isEmpty() ? QStringLiteral("?") : i.modality));
    }

    i.rows = intValue(ds, DCM_Rows);
    i.columns = intValue(ds, DCM_Columns);
    i.samplesPerPixel = intValue(ds, DCM_SamplesPerPixel, 1);
    i.bitsAllocated = intValue(ds, DCM_BitsAllocated);
    i.bitsStored = intValue(ds, DCM_BitsStored, i.bitsAllocated);
    i.highBit = intValue(ds, DCM_HighBit, i.bitsStored - 1);
    i.pixelRepresentation = intValue(ds, DCM_PixelRepresentation);
    i.planarConfiguration = intValue(ds, DCM_PlanarConfiguration);
    i.photometric = str(ds, DCM_PhotometricInterpretation);
    i.frames = std::max(1, intValue(ds, DCM_NumberOfFrames, 1));

    if (i.rows <= 0)
        return makeError(Error::Code::Format, path, tagName(DCM_Rows), QStringLiteral("missing or zero"));
    if (i.columns <= 0)
        return makeError(Error::Code::Format, path, tagName(DCM_Columns), QStringLiteral("missing or zero"));
    if (i.floatBits && i.bitsAllocated != i.floatBits)
        return makeError(Error::Code::Format, path, tagName(DCM_BitsAllocated),
                         QStringLiteral("value %1, but the pixel data are %2-bit floating point").arg(i.bitsAllocated).arg(i.floatBits));
    if (i.bitsAllocated <= 0 || i.bitsAllocated > (i.floatBits ? 64 : 32) || (i.bitsAllocated != 1 && i.bitsAllocated % 8 != 0))
        return makeError(Error::Code::Format, path, tagName(DCM_BitsAllocated),
                         QStringLiteral("value %1 is not 1, 8, 16 or 32").arg(i.bitsAllocated));
    if (i.bitsStored <= 0 || i.bitsStored > i.bitsAllocated)
        return makeError(Error::Code::Format, path, tagName(DCM_BitsStored),
                         QStringLiteral("value %1 does not fit Bits Allocated %2").arg(i.bitsStored).arg(i.bitsAllocated));
    if (i.samplesPerPixel != 1 && i.samplesPerPixel != 3)
        return makeError(Error::Code::Unsupported, path, tagName(DCM_SamplesPerPixel),
                         QStringLiteral("value %1 (only 1 or 3 supported)").arg(i.samplesPerPixel));
    if (i.photometric.isEmpty())
        return makeError(Error::Code::Format, path, tagName(DCM_PhotometricInterpretation), QStringLiteral("missing"));
    const std::int64_t bytes = std::int64_t(i.rows) * i.columns * i.frames * i.samplesPerPixel * std::max(1, i.bitsAllocated / 8);
    if (bytes > kMaxDecodedBytes)
        return makeError(Error::Code::Unsupported, path, tagName(DCM_Rows),
                         QStringLiteral("image of %1 x %2 x %3 frames needs %4 MiB decoded, above the %5 MiB limit")
                             .arg(i.columns).arg(i.rows).arg(i.frames).arg(bytes >> 20).arg(kMaxDecodedBytes >> 20));

    // Native pixel data must be as long as the attributes promise.
    DcmElement *pd = nullptr;
    const bool native = i.transferSyntaxUid == QLatin1String("1.2.840.10008.1.2")
        || i.transferSyntaxUid == QLatin1String("1.2.840.10008.1.2.1")
        || i.transferSyntaxUid == QLatin1String("1.2.840.10008.1.2.1.99")
        || i.transferSyntaxUid == QLatin1String("1.2.840.10008.1.2.2");
    if (native && ds->findAndGetElement(DCM_PixelData, pd).good() && pd && pd->getLength() != DCM_UndefinedLength) {
        // YBR_FULL_422 stores two luminance and one pair of chroma samples per two pixels.
        const int samples = i.photometric == QLatin1String("YBR_FULL_422") ? 2 : i.samplesPerPixel;
        const std::int64_t expected = (std::int64_t(i.rows) * i.columns * i.frames * samples * i.bitsAllocated + 7) / 8;
        if (std::int64_t(pd->getLength()) < expected)
            return makeError(Error::Code::Format, path, tagName(DCM_PixelData),
                             QStringLiteral("%1 bytes, but %2 x %3 x %4 frames x %5 samples x %6 bits needs %7 (truncated)")
                                 .arg(pd->getLength()).arg(i.columns).arg(i.rows).arg(i.frames).arg(samples)
                                 .arg(i.bitsAllocated).arg(expected));
    }

    i.frameOfReferenceUid = str(ds, DCM_FrameOfReferenceUID);
    if (vm(ds, DCM_ImagePositionPatient) == 3) {
        i.hasPosition = true;
        for (int k = 0; k < 3; ++k) ds->findAndGetFloat64(DCM_ImagePositionPatient, i.position[k], k);
    }
    if (vm(ds, DCM_ImageOrientationPatient) == 6) {
        i.hasOrientation = true;
        for (int k = 0; k < 6; ++k) ds->findAndGetFloat64(DCM_ImageOrientationPatient, i.orientation[k], k);
    }
    for (const DcmTagKey &spacingTag : {DCM_PixelSpacing, DCM_ImagerPixelSpacing}) {
        if (vm(ds, spacingTag) == 2) {
            Float64 r = 0, c = 0;
            ds->findAndGetFloat64(spacingTag, r, 0);
            ds->findAndGetFloat64(spacingTag, c, 1);
            if (r > 0 && c > 0) {
                i.hasPixelSpacing = true;
                i.pixelSpacingRow = r;
                i.pixelSpacingCol = c;
                break;
            }
        }
    }
    Float64 thick = 0;
    if (ds->findAndGetFloat64(DCM_SliceThickness, thick).good())
        i.sliceThickness = thick;

    const int nWin = std::min(vm(ds, DCM_WindowCenter), vm(ds, DCM_WindowWidth));
    for (int k = 0; k < nWin; ++k) {
        VoiWindow w;
        ds->findAndGetFloat64(DCM_WindowCenter, w.center, k);
        ds->findAndGetFloat64(DCM_WindowWidth, w.width, k);
        OFString expl;
        if (ds->findAndGetOFString(DCM_WindowCenterWidthExplanation, expl, k).good() && !expl.empty())
            w.label = QString::fromLatin1(expl.c_str()).trimmed();
        else
            w.label = QStringLiteral("File window %1").arg(k + 1);
        if (w.width > 0)
            i.windows.push_back(w);
    }
    DcmSequenceOfItems *voiSeq = nullptr;
    if (ds->findAndGetSequence(DCM_VOILUTSequence, voiSeq).good() && voiSeq) {
        for (unsigned long k = 0; k < voiSeq->card(); ++k) {
            VoiWindow w;
            w.isLut = true;
            w.label = str(voiSeq->getItem(k), DCM_LUTExplanation);
            if (w.label.isEmpty())
                w.label = QStringLiteral("VOI LUT %1").arg(k + 1);
            i.windows.push_back(w);
        }
    }
    i.voiLutFunction = str(ds, DCM_VOILUTFunction);
    i.presentationLutShape = str(ds, DCM_PresentationLUTShape);
    return i;
}

} // namespace dicomdetail

Result<std::vector<DicomTagRow>> dicomTags(const QString &path)
{
    auto ff = dicomdetail::loadDicomFile(path, /*lazy=*/true);
    if (!ff)
        return ff.error();
    std::vector<DicomTagRow> rows;
    std::function<void(DcmItem *, int)> walk = [&](DcmItem *item, int depth) {
        for (unsigned long i = 0; i < item->card() && rows.size() < 20000; ++i) {
            DcmElement *el = item->getElement(i);
            DcmTag tag = el->getTag();
            DicomTagRow r;
            r.depth = depth;
            r.tag = QString::fromLatin1(tag.toString().c_str());
            r.name = QString::fromLatin1(tag.getTagName());
            r.vr = QString::fromLatin1(tag.getVRName());
            if (el->ident() == EVR_SQ) {
                auto *sq = static_cast<DcmSequenceOfItems *>(el);
                r.value = QStringLiteral("(sequence, %1 item(s))").arg(sq->card());
                rows.push_back(r);
                for (unsigned long k = 0; k < sq->card(); ++k) walk(sq->getItem(k), depth + 1);
                continue;
            }
            if (tag == DCM_PixelData || el->getLength() > 4096) {
                r.value = QStringLiteral("(%1 bytes)").arg(el->getLength());
            } else {
                OFString v;
                el->getOFStringArray(v);
                r.value = QString::fromUtf8(v.c_str());
                if (r.value.size() > 200) r.value = r.value.left(200) + QStringLiteral("...");
            }
            rows.push_back(r);
        }
    };
    try {
        walk(ff.value()->getMetaInfo(), 0);
        walk(ff.value()->getDataset(), 0);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Format, path, {}, QStringLiteral("malformed data: %1").arg(QString::fromUtf8(e.what())));
    }
    return rows;
}

Result<DicomInstanceInfo> readDicomHeader(const QString &path)
{
    auto ff = dicomdetail::loadDicomFile(path, /*lazy=*/true);
    if (!ff)
        return ff.error();
    try {
        return dicomdetail::headerFromDataset(path, *ff.value());
    } catch (const std::exception &e) {
        return makeError(Error::Code::Internal, path, {}, QString::fromUtf8(e.what()));
    }
}

} // namespace cs
