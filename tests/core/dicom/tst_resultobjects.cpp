// The SR and secondary capture ClinSight sends back, written from a real CR's header:
// content read back item by item, UIDs, the source referenced, bad records refused.
#include "clinsight/dicom/resultobjects.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

class TstResultObjects : public QObject {
    Q_OBJECT
    QString rg1() const { return QStringLiteral(CLINSIGHT_SHARED_DATA "/dicom/pydicom-data/RG1_J2KI.dcm"); }
private slots:
    void newDicomUid_isUniqueAndValid()
    {
        const QString a = cs::newDicomUid(), b = cs::newDicomUid();
        QVERIFY(a != b);
        QVERIFY(a.size() <= 64);
        QVERIFY(QRegularExpression(QStringLiteral("^2\\.25\\.[1-9][0-9]*$")).match(a).hasMatch());
    }
    void writeResultSr_realSource_readsBack()
    {
        if (!QFile::exists(rg1())) QSKIP("../shared/data not present");
        auto src = cs::readDicomHeader(rg1());
        QVERIFY(src.ok());
        cs::ResultDocument d;
        d.source = src.value();
        d.modelName = QStringLiteral("clinsight-hybrid");
        d.modelVersion = QStringLiteral("0.1.0");
        d.weightsSha256 = QString(64, QLatin1Char('a'));
        d.image = {0.8312, 0.6, true};
        d.vitals = cs::ResultRisk{0.1, 0.2, false};
        d.news2 = 7;
        d.news2Partial = true;
        d.flagged = true;
        QTemporaryDir dir;
        auto w = cs::writeResultSr(d, dir.filePath(QStringLiteral("r.sr.dcm")));
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message()));
        QCOMPARE(w->studyUid, src->studyUid);
        QVERIFY(w->seriesUid != src->seriesUid);
        auto lines = cs::readSrContent(w->path);
        QVERIFY(lines.ok());
        const QString all = lines->join(QLatin1Char('\n'));
        QVERIFY2(lines->contains(QStringLiteral("Pneumonia risk (image branch) = 83.12 %")), qPrintable(all));
        QVERIFY(lines->contains(QStringLiteral("Source image = ") + src->sopInstanceUid));
        QVERIFY(lines->contains(QStringLiteral("Alert level (image branch) = 60.00 %")));
        QVERIFY(lines->contains(QStringLiteral("Above alert level (image branch) = Yes")));
        QVERIFY(lines->contains(QStringLiteral("Sepsis risk (vitals branch) = 10.00 %")));
        QVERIFY(lines->contains(QStringLiteral("NEWS2 score = 7 {score}")));
        QVERIFY(all.contains(QStringLiteral("NEWS2 is partial")));
        QVERIFY(lines->contains(QStringLiteral("Disclaimer = For research and decision support - not a diagnosis")));
        QVERIFY(!all.contains(QStringLiteral("Fused risk")));   // not available: not reported
        auto h = cs::readDicomHeader(w->path);   // an SR carries no image: refused as such by the image reader
        QVERIFY(!h.ok() && h.error().code == cs::Error::Code::Unsupported);
    }
    void writeSecondaryCapture_rgb_isAReadableDerivedImage()
    {
        if (!QFile::exists(rg1())) QSKIP("../shared/data not present");
        auto src = cs::readDicomHeader(rg1());
        QVERIFY(src.ok());
        cs::SecondaryCaptureDocument d;
        d.source = src.value();
        d.rgb.width = 40; d.rgb.height = 30; d.rgb.channels = 3;
        d.rgb.pixels.resize(40 * 30 * 3);
        for (size_t i = 0; i < d.rgb.pixels.size(); ++i) d.rgb.pixels[i] = std::uint8_t(i % 251);
        QTemporaryDir dir;
        auto w = cs::writeSecondaryCapture(d, dir.filePath(QStringLiteral("c.dcm")));
        QVERIFY(w.ok());
        auto back = cs::DicomImageSource::open(w->path);
        QVERIFY(back.ok());
        QCOMPARE(back->info().studyUid, src->studyUid);
        QCOMPARE(back->info().photometric, QStringLiteral("RGB"));
        QCOMPARE(back->info().seriesDescription.left(10), QStringLiteral("ClinSight "));
        auto f = back->render(0);
        QVERIFY(f.ok());
        QCOMPARE(f->channels, 3);
        QVERIFY(f->pixels == d.rgb.pixels);   // the capture's pixels, unchanged
    }
    void badRecords_areRefused()
    {
        cs::ResultDocument d;   // no source UIDs
        QTemporaryDir dir;
        auto w = cs::writeResultSr(d, dir.filePath(QStringLiteral("x.dcm")));
        QVERIFY(!w.ok());
        QCOMPARE(w.error().field, QStringLiteral("source image"));
        cs::SecondaryCaptureDocument sc;
        sc.source.studyUid = sc.source.sopInstanceUid = sc.source.sopClassUid = QStringLiteral("1.2.3");
        sc.rgb.width = 2; sc.rgb.height = 2; sc.rgb.channels = 1; sc.rgb.pixels.resize(4);
        QVERIFY(!cs::writeSecondaryCapture(sc, dir.filePath(QStringLiteral("y.dcm"))).ok());   // grey is not a capture
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("y.dcm"))));
    }
};

QTEST_GUILESS_MAIN(TstResultObjects)
#include "tst_resultobjects.moc"
