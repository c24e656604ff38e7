// A series decoded on demand (seriesframes.h): slices in position order
// whatever order the files were written in, each frame the same as rendering
// its file directly, the rendered-frame cache bounded in bytes (revisits within
// it cost no render, older slices are rendered again), a window change renders
// anew, and a damaged slice fails naming its file while the others still show.
#include "../../common/ctslice.h"

#include "clinsight/dicom/seriesframes.h"
#include "clinsight/foundation/job.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {
constexpr int kSize = 64, kSlices = 12;

cs::DicomSeriesInfo writeSeries(const QString &dir)
{
    // written out of order: 7, 2, 11, 0, ...
    for (int k = 0; k < kSlices; ++k) {
        const int z = (k * 7) % kSlices;
        testdata::writeCt(dir, QStringLiteral("f%1.dcm").arg(k), QStringLiteral("1.2.826.0.1.3680043.8.498.77.%1").arg(z + 1),
                          QStringLiteral("1.2.826.0.1.3680043.8.498.77.100"), QStringLiteral("1.2.826.0.1.3680043.8.498.77.101"),
                          {0, 0, 2.5 * z}, kSize);
    }
    cs::JobControl c;
    const auto scan = cs::scanDicom({dir}, c);
    if (scan.patients.size() != 1 || scan.patients[0].studies.size() != 1 || scan.patients[0].studies[0].series.size() != 1)
        qFatal("expected one series");
    return scan.patients[0].studies[0].series[0];
}
} // namespace

class TestSeriesFrames : public QObject {
    Q_OBJECT
private slots:
    void positionOrder_sameAsDirectRender_boundedCache()
    {
        QTemporaryDir dir;
        const auto info = writeSeries(dir.path());
        const qint64 frameBytes = qint64(kSize) * kSize;   // rendered 8-bit grey
        cs::SeriesFrames s(info, 3 * frameBytes);
        QCOMPARE(s.count(), kSlices);
        QVERIFY(info.orderedByPosition);
        QCOMPARE(s.rawPixelBytes(), qint64(kSlices) * kSize * kSize * 2);
        for (int i = 0; i < kSlices; ++i) {
            QCOMPARE(s.instanceAt(i).position[2], 2.5 * i);
            QCOMPARE(s.frameInInstance(i), 0);
            auto f = s.frame(i);
            QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().message()));
            auto direct = cs::DicomImageSource::open(s.instanceAt(i).path);
            QVERIFY(direct.ok());
            auto d = direct->render(0);
            QVERIFY(d.ok());
            QCOMPARE(f->width, kSize);
            QVERIFY(f->pixels == d->pixels);
            QVERIFY(s.cachedBytes() <= s.cacheLimit());
        }
        QCOMPARE(s.stats().rendered, kSlices);
        QCOMPARE(s.stats().fromCache, 0);
        QCOMPARE(s.cachedBytes(), 3 * frameBytes);
        QCOMPARE(s.stats().evicted, kSlices - 3);
        // The last three are held; the first was dropped and is rendered again.
        for (int i = kSlices - 1; i >= kSlices - 3; --i) QVERIFY(s.frame(i).ok());
        QCOMPARE(s.stats().fromCache, 3);
        QCOMPARE(s.stats().rendered, kSlices);
        QVERIFY(s.frame(0).ok());
        QCOMPARE(s.stats().rendered, kSlices + 1);
        // Another window is another rendering, with other grey levels.
        const auto soft = s.frame(0);
        const auto bone = s.frame(0, cs::VoiChoice::custom(400, 1800));
        QVERIFY(soft.ok() && bone.ok());
        QCOMPARE(s.stats().rendered, kSlices + 2);
        QVERIFY(soft->pixels != bone->pixels);
    }

    void outOfRange_andDamagedSlice_nameTheProblem()
    {
        QTemporaryDir dir;
        const auto info = writeSeries(dir.path());
        cs::SeriesFrames s(info, 0);   // no cache: every request renders
        auto bad = s.frame(kSlices);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message().contains(QLatin1String("outside the series")));
        QVERIFY(!s.frame(-1).ok());
        // Slice 5's file is cut to its first 300 bytes after the scan.
        const QString victim = s.instanceAt(5).path;
        {
            QFile f(victim);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(300));
        }
        auto broken = s.frame(5);
        QVERIFY(!broken.ok());
        QVERIFY2(broken.error().message().contains(victim), qPrintable(broken.error().message()));
        QVERIFY(s.frame(4).ok());
        QVERIFY(s.frame(6).ok());
        QCOMPARE(s.cachedBytes(), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestSeriesFrames)
#include "tst_seriesframes.moc"
