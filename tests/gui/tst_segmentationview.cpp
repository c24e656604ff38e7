// The corpus's real liver segmentation (dcmqi) in the workstation, offscreen:
// over the CT slices it was derived from (written here: the corpus has the
// segmentation but not its CT) it is drawn in its recommended colour with a
// legend, follows each slice of the series as they are opened (the frame derived
// from that slice, by SOP Instance UID), is taken off an image of another
// patient, and is shown alone (its own frames, colour on black) when no image
// it belongs to is open. Overlays are computed off the GUI thread. The same
// slices opened as a series (File > Open DICOM series): the slider steps
// through them in position order, the corner says which slice and where, and
// the overlay follows each slice; a folder without images says so.
#include "workstation.h"
#include "segmentationlink.h"
#include "testsession.h"
#include "../common/ctslice.h"
#include "imageviewer.h"
#include "mainwindow.h"

#include <QDir>
#include <QLabel>
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
// Pixels of the segmentation's frame k (-1 when it cannot be read).
qint64 maskArea(const cs::Segmentation &seg, int k)
{
    auto m = seg.mask(k);
    if (!m) return -1;
    qint64 n = 0;
    for (auto v : m.value()) n += v;
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
        const qint64 area[3] = {maskArea(seg.value(), 0), maskArea(seg.value(), 1), maskArea(seg.value(), 2)};
        QVERIFY(area[0] > 0 && area[1] > 0 && area[2] > 0);

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

    void series_scrolled_overlayFollowsEachSlice()
    {
        if (!QFile::exists(kLiver)) QSKIP("../shared/data/dicom is absent");
        QTemporaryDir dir;
        auto seg = cs::Segmentation::open(kLiver);
        QVERIFY(seg.ok());
        const QString folder = dir.filePath("series");
        QDir().mkpath(folder);
        // Written in reverse order, named so that file order is not position order.
        for (int k = 2; k >= 0; --k) {
            const auto &f = seg->frames()[std::size_t(k)];
            testdata::writeCt(folder, QStringLiteral("s%1.dcm").arg(2 - k), f.sourceSopInstanceUid, seg->referencedSeriesUids().value(0),
                              seg->frameOfReferenceUid(), f.position);
        }
        // A second series of one slice in the same folder: the one with the most frames is offered first
        // (and taken without dialogs).
        testdata::writeCt(folder, "scout.dcm", "2.25.21", "2.25.22", seg->frameOfReferenceUid(), seg->frames()[0].position);
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        w.resize(1200, 800);
        w.show();
        QSignalSpy img(&ws, &Workstation::imageLoaded), shown(&ws, &Workstation::frameShown);
        ws.openSeries(folder);
        QVERIFY(img.wait(20000));
        QCOMPARE(img.last().first().toBool(), true);
        QVERIFY(ws.series().has_value());
        QCOMPARE(ws.series()->count(), 3);
        ui::ImageViewer *v = w.imageViewer();
        QVERIFY(v->hasImage());
        QVERIFY2(v->bottomLeftAnnotation().join('\n').contains("slice 1 of 3 (ordered by position)"), qPrintable(v->bottomLeftAnnotation().join('|')));
        bool sliderSaysSlice = false;
        for (auto *l : w.findChildren<QLabel *>()) sliderSaysSlice |= l->text() == QLatin1String("slice 1/3");
        QVERIFY2(sliderSaysSlice, "the frame slider of a series counts slices");
        // In position order: the segmentation's frames follow the slices it was derived from.
        double z[3];
        for (int k = 0; k < 3; ++k) z[k] = ws.series()->instanceAt(k).position[2];
        QVERIFY(z[0] < z[1] && z[1] < z[2]);

        SegmentationLink *link = ws.segmentation();
        QSignalSpy overlay(link, &SegmentationLink::overlayShown);
        ws.openSegmentation(kLiver);
        QTRY_VERIFY_WITH_TIMEOUT(!overlay.isEmpty(), 20000);
        QVERIFY(link->isDrawnOnImage());
        auto areaOfSlice = [&](int index) {
            const QString uid = ws.series()->instanceAt(index).sopInstanceUid;
            for (int k = 0; k < 3; ++k)
                if (seg->frames()[std::size_t(k)].sourceSopInstanceUid == uid) return maskArea(seg.value(), k);
            return qint64(-1);
        };
        QCOMPARE(painted(v->segmentationImage()), areaOfSlice(0));
        for (int index : {2, 1}) {
            overlay.clear();
            shown.clear();
            emit w.frameRequested(index);
            QVERIFY(shown.wait(20000));
            QCOMPARE(shown.last().first().toInt(), index);
            QTRY_VERIFY_WITH_TIMEOUT(!overlay.isEmpty(), 20000);
            QCOMPARE(painted(v->segmentationImage()), areaOfSlice(index));
            QVERIFY2(v->bottomLeftAnnotation().join('\n').contains(QStringLiteral("slice %1 of 3").arg(index + 1)), qPrintable(v->bottomLeftAnnotation().join('|')));
            QVERIFY(v->bottomLeftAnnotation().join('\n').contains(QStringLiteral("%1 mm").arg(z[index], 0, 'f', 1)));
        }
        QVERIFY(ws.renderer().renderedOffCallerThread());
        saveArtifact(w, "series-with-segmentation.png");

        // A folder holding no image: the series is not opened, and the shown one stays.
        const QString empty = dir.filePath("empty");
        QDir().mkpath(empty);
        img.clear();
        ws.openSeries(empty);
        QVERIFY(img.wait(20000));
        QCOMPARE(img.last().first().toBool(), false);
        QVERIFY(ws.series().has_value());
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
