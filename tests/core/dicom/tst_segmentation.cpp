// DICOM Segmentation on the corpus's real dcmqi liver segmentation in every
// encoding it ships (native, big endian, non-byte-aligned, deflated frames,
// RLE, JPEG 2000): masks against pydicom's decode (tests/data/dicom-reference/
// make-reference.py wrote them), segment descriptions and colours, overlays on
// the CT slices it was derived from (written here with DCMTK: the corpus has
// the segmentation but not its CT), matching by UID and by plane position, and
// malformed files refused with the file and the attribute named.
#include "clinsight/dicom/segmentation.h"
#include "clinsight/imaging/rasterfile.h"
#include "../../common/ctslice.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA "/dicom");
const QString kSeg = QStringLiteral(CLINSIGHT_SOURCE_DIR "/tests/data/dicom-reference/seg");
bool haveData() { return QFile::exists(kData + "/pydicom-data/liver.dcm"); }

struct RefFrame { QString png, source; int segment = 0; qint64 area = 0; };

// segments.tsv rows of one reference file (liver.dcm or liver_nonbyte_aligned.dcm).
std::vector<RefFrame> referenceFrames(const QString &file)
{
    std::vector<RefFrame> out;
    QFile tsv(kSeg + "/segments.tsv");
    if (!tsv.open(QIODevice::ReadOnly | QIODevice::Text)) return out;
    for (const QByteArray &line : tsv.readAll().split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (line.startsWith('#') || f.size() < 6 || QString::fromUtf8(f[0]) != file) continue;
        out.push_back({QString::fromUtf8(f[2]), QString::fromUtf8(f[4]), f[3].toInt(), f[5].toLongLong()});
    }
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString writeBytes(const QString &path, const QByteArray &b)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(b);
    return path;
}

// A copy of liver.dcm with the dataset edited by `edit`.
QString editedLiver(const QString &dir, const QString &name, const std::function<void(DcmDataset *)> &edit)
{
    DcmFileFormat ff;
    ff.loadFile((kData + "/pydicom-data/liver.dcm").toLocal8Bit().constData());
    edit(ff.getDataset());
    const QString path = dir + '/' + name;
    ff.saveFile(path.toLocal8Bit().constData(), EXS_LittleEndianExplicit);
    return path;
}

qint64 countAlpha(const cs::SegmentOverlay &o, int minAlpha = 1)
{
    qint64 n = 0;
    for (std::size_t k = 3; k < o.rgba.size(); k += 4) n += o.rgba[k] >= minAlpha ? 1 : 0;
    return n;
}

} // namespace

class TestSegmentation : public QObject {
    Q_OBJECT
private slots:
    void masks_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reference");
        for (const char *f : {"liver", "liver_expb", "liver_deflate", "liver_rle", "liver_j2k"})
            QTest::newRow(f) << QStringLiteral("pydicom-data/%1.dcm").arg(QLatin1String(f)) << QStringLiteral("pydicom-data/liver.dcm");
        for (const char *f : {"liver_nonbyte_aligned", "liver_nonbyte_aligned_deflate", "liver_nonbyte_aligned_rle", "liver_nonbyte_aligned_j2k"})
            QTest::newRow(f) << QStringLiteral("pydicom-data/%1.dcm").arg(QLatin1String(f)) << QStringLiteral("pydicom-data/liver_nonbyte_aligned.dcm");
        QTest::newRow("liver_1frame") << QStringLiteral("pydicom-testfiles/liver_1frame.dcm") << QStringLiteral("pydicom-data/liver.dcm");
        QTest::newRow("liver_expb_1frame") << QStringLiteral("pydicom-testfiles/liver_expb_1frame.dcm") << QStringLiteral("pydicom-data/liver.dcm");
    }
    // Every frame's membership equals pydicom's decode pixel for pixel, with its segment and source image.
    void masks()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        QFETCH(QString, file);
        QFETCH(QString, reference);
        const auto ref = referenceFrames(reference);
        QCOMPARE(int(ref.size()), 3);
        auto seg = cs::Segmentation::open(kData + '/' + file);
        QVERIFY2(seg.ok(), qPrintable(seg.ok() ? QString() : seg.error().message()));
        QCOMPARE(seg->segmentationType(), QStringLiteral("BINARY"));
        QVERIFY(seg->frames().size() == 3 || (file.contains("1frame") && seg->frames().size() == 1));
        // pydicom's one-frame cut of liver.dcm kept all three per-frame items: read, and said.
        QCOMPARE(seg->note().isEmpty(), !file.contains("1frame"));
        for (int k = 0; k < int(seg->frames().size()); ++k) {
            auto expected = cs::readRasterImage(kSeg + '/' + ref[std::size_t(k)].png);
            QVERIFY2(expected.ok(), qPrintable(expected.ok() ? QString() : expected.error().message()));
            auto m = seg->mask(k);
            QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message()));
            QCOMPARE(int(m->size()), expected->width * expected->height);
            qint64 area = 0, differ = 0;
            for (std::size_t i = 0; i < m->size(); ++i) {
                area += m.value()[i];
                differ += (m.value()[i] ? 255 : 0) != expected->pixels[i] ? 1 : 0;
            }
            QCOMPARE(differ, qint64(0));
            QCOMPARE(area, ref[std::size_t(k)].area);
            QCOMPARE(seg->frames()[std::size_t(k)].segment, ref[std::size_t(k)].segment);
            QCOMPARE(seg->frames()[std::size_t(k)].sourceSopInstanceUid, ref[std::size_t(k)].source);
            QVERIFY(seg->frames()[std::size_t(k)].hasPosition);
        }
    }

    void segmentDescription()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        auto seg = cs::Segmentation::open(kData + "/pydicom-data/liver.dcm");
        QVERIFY(seg.ok());
        QCOMPARE(int(seg->segments().size()), 1);
        const cs::SegmentDescription &s = seg->segments()[0];
        QCOMPARE(s.number, 1);
        QCOMPARE(s.label, QStringLiteral("Liver"));
        QCOMPARE(s.category, QStringLiteral("Tissue"));
        QCOMPARE(s.type, QStringLiteral("Liver"));
        QCOMPARE(s.algorithmType, QStringLiteral("SEMIAUTOMATIC"));
        QCOMPARE(s.algorithmName, QStringLiteral("SlicerEditor"));
        QVERIFY(s.recommendedColour);
        // dcmqi wrote 3D Slicer's liver colour (221, 130, 101) as CIELab 41661\41167\40792.
        QCOMPARE(int(s.rgb[0]), 221);
        QCOMPARE(int(s.rgb[1]), 130);
        QCOMPARE(int(s.rgb[2]), 101);
        QCOMPARE(s.displayName(), QStringLiteral("1 Liver (Tissue)"));
        QCOMPARE(seg->contentLabel(), QStringLiteral("Iowa QIN segmentation result"));
        QCOMPARE(seg->referencedSeriesUids(), QStringList{QStringLiteral("1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1")});
        QCOMPARE(seg->frameOfReferenceUid(), QStringLiteral("1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1"));
        // The CIELab conversion's ends: white and black.
        const auto white = cs::dicomLabToRgb(65535, 32896, 32896), black = cs::dicomLabToRgb(0, 32896, 32896);
        for (int c = 0; c < 3; ++c) {
            QVERIFY2(white[std::size_t(c)] >= 254, qPrintable(QString::number(white[std::size_t(c)])));
            QCOMPARE(int(black[std::size_t(c)]), 0);
        }
    }

    // On the CT slices it was derived from: each slice gets the frame derived from it, by UID;
    // a re-exported slice (new UID, same frame of reference and plane) by position; a slice
    // between planes gets nothing; another patient's image is refused, as is another grid.
    void overlayOnReferencedSeries()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        QTemporaryDir dir;
        auto seg = cs::Segmentation::open(kData + "/pydicom-data/liver_deflate.dcm");
        QVERIFY(seg.ok());
        const QString series = seg->referencedSeriesUids().value(0), forUid = seg->frameOfReferenceUid();
        const auto ref = referenceFrames(QStringLiteral("pydicom-data/liver.dcm"));
        for (int k = 0; k < 3; ++k) {
            const auto &f = seg->frames()[std::size_t(k)];
            const QString ct = testdata::writeCt(dir.path(), QStringLiteral("ct%1.dcm").arg(k), f.sourceSopInstanceUid, series, forUid, f.position);
            auto img = cs::DicomImageSource::open(ct);
            QVERIFY2(img.ok(), qPrintable(img.ok() ? QString() : img.error().message()));
            QVERIFY(seg->refersTo(img->info()));
            auto o = seg->overlayFor(img->info(), 0);
            QVERIFY2(o.ok(), qPrintable(o.ok() ? QString() : o.error().message()));
            QCOMPARE(o->matchedBy, QStringLiteral("SOP Instance UID"));
            QCOMPARE(o->frames, std::vector<int>{k});
            QCOMPARE(o->segments, std::vector<int>{1});
            QCOMPARE(countAlpha(o.value()), ref[std::size_t(k)].area);   // exactly the segmented pixels
            const qint64 outline = countAlpha(o.value(), 255);
            QVERIFY2(outline > 100 && outline < ref[std::size_t(k)].area / 4, qPrintable(QString::number(outline)));
            // Blended onto the rendered CT: segment pixels tinted towards the liver colour, the rest unchanged.
            auto shown = img->render(0);
            QVERIFY(shown.ok());
            auto mixed = cs::compositeOverlay(shown.value(), o.value());
            QVERIFY(mixed.ok());
            QCOMPARE(mixed->channels, 3);
            auto mask = seg->mask(k);
            QVERIFY(mask.ok());
            int inside = 0, outside = 0;
            for (std::size_t i = 0; i < mask->size(); ++i) {
                const std::uint8_t g = shown->pixels[i], r = mixed->pixels[i * 3], b = mixed->pixels[i * 3 + 2];
                if (!mask.value()[i]) { outside += (r == g && b == g) ? 1 : 0; continue; }
                inside += (r > b) ? 1 : 0;   // liver is red-brown: red above blue once blended
            }
            QCOMPARE(qint64(outside), qint64(mask->size()) - ref[std::size_t(k)].area);
            QCOMPARE(qint64(inside), ref[std::size_t(k)].area);
        }
        const auto &f1 = seg->frames()[1];
        auto reexported = cs::DicomImageSource::open(testdata::writeCt(dir.path(), "re.dcm", "2.25.1234567", "2.25.7654321", forUid, f1.position));
        QVERIFY(reexported.ok());
        auto byPos = seg->overlayFor(reexported->info(), 0);
        QVERIFY2(byPos.ok(), qPrintable(byPos.ok() ? QString() : byPos.error().message()));
        QCOMPARE(byPos->matchedBy, QStringLiteral("plane position"));
        QCOMPARE(byPos->frames, std::vector<int>{1});
        QCOMPARE(countAlpha(byPos.value()), ref[1].area);
        auto between = cs::DicomImageSource::open(
            testdata::writeCt(dir.path(), "between.dcm", "2.25.1234568", "2.25.7654321", forUid, {{f1.position[0], f1.position[1], f1.position[2] + 0.5}}));
        QVERIFY(between.ok());
        auto none = seg->overlayFor(between->info(), 0);
        QVERIFY(none.ok());
        QVERIFY(none->empty());
        QCOMPARE(countAlpha(none.value()), qint64(0));
        auto other = cs::DicomImageSource::open(testdata::writeCt(dir.path(), "other.dcm", "2.25.1", "2.25.2", "2.25.3", f1.position));
        QVERIFY(other.ok());
        QVERIFY(!seg->refersTo(other->info()));
        auto refused = seg->overlayFor(other->info(), 0);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, cs::Error::Code::NotApplicable);
        QVERIFY2(refused.error().message().contains(other->info().path), qPrintable(refused.error().message()));
        auto small = cs::DicomImageSource::open(testdata::writeCt(dir.path(), "small.dcm", "2.25.4", series, forUid, f1.position, 256));
        QVERIFY(small.ok());
        auto grid = seg->overlayFor(small->info(), 0);
        QVERIFY(!grid.ok());
        QVERIFY2(grid.error().message().contains("resampling"), qPrintable(grid.error().message()));
    }

    void shownAlone()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        auto seg = cs::Segmentation::open(kData + "/pydicom-data/liver_rle.dcm");
        QVERIFY(seg.ok());
        auto o = seg->overlayOfFrame(2);
        QVERIFY(o.ok());
        QCOMPARE(o->matchedBy, QStringLiteral("shown alone"));
        QCOMPARE(countAlpha(o.value()), referenceFrames(QStringLiteral("pydicom-data/liver.dcm"))[2].area);
        const cs::DisplayFrame f = cs::Segmentation::renderAlone(o.value());
        QCOMPARE(f.channels, 3);
        QCOMPARE(f.width, 512);
        QCOMPARE(int(f.pixels[0]), 0);   // corner: not liver, black
        QVERIFY(!seg->overlayOfFrame(3).ok());
    }

    // Malformed segmentations and frames: refused naming the file and the attribute, never a crash.
    void badInput()
    {
        if (!haveData()) QSKIP("../shared/data/dicom is absent");
        QTemporaryDir dir;
        auto notSeg = cs::Segmentation::open(kData + "/pydicom-testfiles/CT_small.dcm");
        QVERIFY(!notSeg.ok());
        QCOMPARE(notSeg.error().code, cs::Error::Code::NotApplicable);
        QVERIFY2(notSeg.error().message().contains("SOPClassUID"), qPrintable(notSeg.error().message()));

        struct Case { const char *name; std::function<void(DcmDataset *)> edit; const char *expect; };
        const Case cases[] = {
            {"nosegments.dcm", [](DcmDataset *ds) { ds->findAndDeleteElement(DCM_SegmentSequence); }, "SegmentSequence"},
            {"badtype.dcm", [](DcmDataset *ds) { ds->putAndInsertString(DCM_SegmentationType, "LABELMAP"); }, "SegmentationType"},
            {"badref.dcm", [](DcmDataset *ds) {
                 DcmItem *pf = nullptr, *id = nullptr;
                 ds->findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, pf, 1);
                 pf->findAndGetSequenceItem(DCM_SegmentIdentificationSequence, id, 0);
                 id->putAndInsertUint16(DCM_ReferencedSegmentNumber, 7);
             }, "frame 2 refers to segment 7"},
            {"fewframes.dcm", [](DcmDataset *ds) {
                 DcmSequenceOfItems *seq = nullptr;
                 ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, seq);
                 delete seq->remove(2ul);
             }, "PerFrameFunctionalGroupsSequence"},
        };
        for (const Case &c : cases) {
            const QString path = editedLiver(dir.path(), QLatin1String(c.name), c.edit);
            auto r = cs::Segmentation::open(path);
            QVERIFY2(!r.ok(), c.name);
            QVERIFY2(r.error().message().contains(path), qPrintable(r.error().message()));
            QVERIFY2(r.error().message().contains(QLatin1String(c.expect)), qPrintable(r.error().message()));
        }
        // A corrupt deflated frame and an RLE header with two segments for 1-bit data.
        QByteArray deflated = readAll(kData + "/pydicom-data/liver_deflate.dcm");
        const int at = deflated.indexOf(QByteArray::fromHex("ed9b3b6e5341"));
        QVERIFY(at > 0);
        for (int k = 4; k < 40; ++k) deflated[at + k] = char(0xff);
        const QString badDeflate = writeBytes(dir.path() + "/deflate.dcm", deflated);
        auto d = cs::Segmentation::open(badDeflate);
        QVERIFY(!d.ok());
        QVERIFY2(d.error().message().contains(badDeflate) && d.error().message().contains("Pixel Data"), qPrintable(d.error().message()));
        QByteArray rle = readAll(kData + "/pydicom-data/liver_rle.dcm");
        const int hdr = rle.indexOf(QByteArray::fromHex("0100000040000000"));
        QVERIFY(hdr > 0);
        rle[hdr] = 2;
        const QString badRle = writeBytes(dir.path() + "/rle.dcm", rle);
        auto r = cs::Segmentation::open(badRle);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().contains("declares 2 segments"), qPrintable(r.error().message()));
    }
};

QTEST_GUILESS_MAIN(TestSegmentation)
#include "tst_segmentation.moc"
