// A series decoded on demand (seriesframes.h): slices in position order
// whatever order the files were written in, each frame the same as rendering
// its file directly, a damaged slice fails naming its file while the others
// still show; through FrameRenderer (the viewer's path): rendered off the
// caller's thread, the cache bounded in bytes (revisits within it cost no
// render, older slices are rendered again), a window change renders anew.
#include "../../common/ctslice.h"

#include "clinsight/dicom/framerenderer.h"
#include "clinsight/dicom/seriesframes.h"
#include "clinsight/foundation/job.h"

#include <QEventLoop>
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
    void positionOrder_sameAsDirectRender()
    {
        QTemporaryDir dir;
        const auto info = writeSeries(dir.path());
        const cs::SeriesFrames s(info);
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
        }
    }

    void imageSeries_mostFramesFirst()
    {
        QTemporaryDir dir;
        writeSeries(dir.path());
        testdata::writeCt(dir.path(), "scout.dcm", "1.2.826.0.1.3680043.8.498.78.1", "1.2.826.0.1.3680043.8.498.78.2",
                          "1.2.826.0.1.3680043.8.498.77.101", {0, 0, 0}, kSize);
        cs::JobControl c;
        const auto found = cs::imageSeries(cs::scanDicom({dir.path()}, c));
        QCOMPARE(int(found.size()), 2);
        QCOMPARE(found[0].frameCount(), kSlices);
        QCOMPARE(found[1].frameCount(), 1);
        QCOMPARE(found[1].seriesUid, QStringLiteral("1.2.826.0.1.3680043.8.498.78.2"));
        QVERIFY(cs::imageSeries(cs::DicomScan{}).empty());
        const cs::SeriesFrames none{cs::DicomSeriesInfo{}};
        QCOMPARE(none.count(), 0);
        QVERIFY(none.instanceAt(0).path.isEmpty());
        QVERIFY(!none.frame(0).ok());
    }

    void throughRenderer_boundedCache_windowRendersAnew()
    {
        QTemporaryDir dir;
        const cs::SeriesFrames s(writeSeries(dir.path()));
        const qint64 frameBytes = qint64(kSize) * kSize + qint64(sizeof(cs::DisplayFrame));   // as the renderer counts
        cs::FrameRenderer r(3 * frameBytes);
        r.setSeries(s);
        QObject receiver;
        std::vector<std::uint8_t> last;
        auto show = [&](int i, const cs::VoiChoice &voi = {}) {
            QEventLoop loop;
            bool ok = false;
            r.request(i, voi, &receiver, [&](int frame, const cs::Result<cs::DisplayFrame> &f) {
                ok = f.ok() && frame == i;
                if (f) last = f->pixels;
                loop.quit();
            });
            loop.exec();
            return ok;
        };
        for (int i = 0; i < kSlices; ++i) QVERIFY(show(i));
        QVERIFY(r.renderedOffCallerThread());
        QCOMPARE(r.stats().rendered, kSlices);
        QCOMPARE(r.stats().cachedBytes, 3 * frameBytes);
        for (int i = kSlices - 1; i >= kSlices - 3; --i) QVERIFY(show(i));   // the last three are held
        QCOMPARE(r.stats().fromCache, 3);
        QCOMPARE(r.stats().rendered, kSlices);
        QVERIFY(show(0));   // dropped long ago: rendered again
        QCOMPARE(r.stats().rendered, kSlices + 1);
        const auto soft = last;
        QVERIFY(show(0, cs::VoiChoice::custom(400, 1800)));   // another window, other grey levels
        QCOMPARE(r.stats().rendered, kSlices + 2);
        QVERIFY(last != soft);
        QVERIFY(!show(kSlices));   // past the last slice: an error, not a frame
    }

    void outOfRange_andDamagedSlice_nameTheProblem()
    {
        QTemporaryDir dir;
        const auto info = writeSeries(dir.path());
        const cs::SeriesFrames s(info);
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
    }
};

QTEST_GUILESS_MAIN(TestSeriesFrames)
#include "tst_seriesframes.moc"
