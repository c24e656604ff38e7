// The corpus's real liver segmentation (dcmqi) in the workstation, offscreen:
// over the CT slices it was derived from (written here: the corpus has the
// segmentation but not its CT) it is drawn in its recommended colour with a
// legend, follows each slice of the series as they are opened (the frame derived
// from that slice, by SOP Instance UID), is taken off an image of another
// patient, and is shown alone (its own frames, colour on black) when no image
// it belongs to is open. Overlays are computed off the GUI thread.
#include "workstation.h"
#include "segmentationlink.h"
#include "testsession.h"
#include "../common/ctslice.h"
#include "imageviewer.h"
#include "mainwindow.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace {
const QString kLiver = QStringLiteral(CLINSIGHT_SHARED_DATA "/dicom/pydicom-data/liver_deflate.dcm");

void saveArtifact(QWidget &w, const QString &name)
{
    QDir().mkpath(QStringLiteral(CLINSIGHT_ARTIFACT_DIR));
    w.grab().save(QStringLiteral(CLINSIGHT_ARTIFACT_DIR "/") + name);
}

// Pixels of the overlay image with any alpha.
qint64 painted(const QImage &rgba)
{
    qint64 n = 0;
    for (int y = 0; y < rgba.height(); ++y)
        for (int x = 0; x < rgba.width(); ++x) n += qAlpha(rgba.pixel(x, y)) > 0 ? 1 : 0;
    return n;
}
} // namespace

class TestSegmentationView : public QObject {
    Q_OBJECT
private slots:
    void overlayFollowsSeries_andAlone()
    {
        if (!QFile::exists(kLiver)) QSKIP("../shared/data/dicom is absent");
        QTemporaryDir dir;
        auto seg = cs::Segmentation::open(kLiver);
        QVERIFY(seg.ok());
        QStringList slices;
        for (int k = 0; k < 3; ++k) {
            const auto &f = seg->frames()[std::size_t(k)];
            slices << testdata::writeCt(dir.path(), QStringLiteral("ct%1.dcm").arg(k), f.sourceSopInstanceUid, seg->referencedSeriesUids().value(0),
                                        seg->frameOfReferenceUid(), f.position);
        }
        qint64 area[3];
        for (int k = 0; k < 3; ++k) {
            auto m = seg->mask(k);
            QVERIFY(m.ok());
            area[k] = 0;
            for (auto v : m.value()) area[k] += v;
        }

        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        w.resize(1200, 800);
        w.show();
        SegmentationLink *link = ws.segmentation();
        QSignalSpy img(&ws, &Workstation::imageLoaded), opened(link, &SegmentationLink::opened), overlay(link, &SegmentationLink::overlayShown);

        // Slice 2 open, then the segmentation: drawn over it, the frame derived from slice 2.
        ws.openImage(slices[1]);
        QVERIFY(img.wait(20000));
        ws.openSegmentation(kLiver);
        QVERIFY(opened.wait(20000));
        QCOMPARE(opened.first().first().toBool(), true);
        QTRY_VERIFY_WITH_TIMEOUT(!overlay.isEmpty(), 20000);
        QCOMPARE(overlay.last().at(1).toInt(), 1);
        QVERIFY(link->isDrawnOnImage());
        QVERIFY(!link->isAlone());
        ui::ImageViewer *v = w.imageViewer();
        QVERIFY(v->hasSegmentation());
        QVERIFY2(v->segmentationTitle().contains("Iowa QIN segmentation result") && v->segmentationTitle().contains("SOP Instance UID"),
                 qPrintable(v->segmentationTitle()));
        QCOMPARE(v->segmentationLegend().size(), 1);
        QCOMPARE(v->segmentationLegend().first().text, QStringLiteral("1 Liver (Tissue)"));
        QCOMPARE(v->segmentationLegend().first().colour, QColor(221, 130, 101));
        QCOMPARE(painted(v->segmentationImage()), area[1]);
        saveArtifact(w, "segmentation-on-ct.png");

        // The next slice of the series: the overlay follows (the frame derived from slice 3).
        overlay.clear();
        ws.openImage(slices[2]);
        QTRY_VERIFY_WITH_TIMEOUT(!overlay.isEmpty(), 20000);
        QCOMPARE(painted(v->segmentationImage()), area[2]);

        // Segments toggle: hidden, and back.
        v->setSegmentationVisible(false);
        QVERIFY(!v->segmentationVisible());
        v->setSegmentationVisible(true);

        // An image of another patient and frame of reference: no overlay drawn there.
        const QString other = testdata::writeCt(dir.path(), "other.dcm", "2.25.11", "2.25.12", "2.25.13", seg->frames()[0].position);
        img.clear();
        ws.openImage(other);
        QVERIFY(img.wait(20000));
        QTRY_VERIFY(!v->hasSegmentation());
        QVERIFY(!link->isDrawnOnImage());

        // Opened with Open DICOM image while that unrelated image is shown: the segmentation alone.
        QSignalSpy alone(link, &SegmentationLink::aloneFrameShown);
        ws.openImage(kLiver);
        QVERIFY(alone.wait(20000));
        QVERIFY(link->isAlone());
        QVERIFY(v->hasSegmentation());
        QVERIFY2(v->segmentationTitle().contains("shown alone"), qPrintable(v->segmentationTitle()));
        QVERIFY(v->segmentationImage().isNull());   // the colours are the frame itself
        const QImage first = v->grab().toImage();
        // Stepping through the segmentation's frames: another frame, another liver outline on screen.
        alone.clear();
        emit w.frameRequested(2);
        QVERIFY(alone.wait(20000));
        QCOMPARE(alone.last().first().toInt(), 2);
        QTRY_VERIFY(v->grab().toImage() != first);
        saveArtifact(w, "segmentation-alone.png");

        // Back to a slice it belongs to: drawn there again.
        overlay.clear();
        ws.openImage(slices[0]);
        QTRY_VERIFY_WITH_TIMEOUT(!overlay.isEmpty(), 20000);
        QVERIFY(!link->isAlone());
        QCOMPARE(painted(v->segmentationImage()), area[0]);
    }

    void unreadableSegmentation_saysWhy()
    {
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        QSignalSpy opened(ws.segmentation(), &SegmentationLink::opened);
        ws.openSegmentation(dir.filePath("missing.dcm"));
        QVERIFY(opened.wait(20000));
        QCOMPARE(opened.first().first().toBool(), false);
        QVERIFY(!w.imageViewer()->hasSegmentation());
    }
};

QTEST_MAIN(TestSegmentationView)
#include "tst_segmentationview.moc"
