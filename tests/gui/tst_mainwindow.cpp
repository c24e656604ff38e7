// The first real window, offscreen: opens a real DICOM file and a real .psv,
// grabs the window to a PNG in the build tree and checks the image area is
// not blank and the heart-rate track was plotted.
#include "workstation.h"
#include "testsession.h"
#include "imageviewer.h"
#include "mainwindow.h"
#include "vitalsplot.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void opensDicomAndVitals()
    {
        const QString data = QStringLiteral(CLINSIGHT_SHARED_DATA);
        if (!QDir(data).exists()) QSKIP("../shared/data is absent: the GUI test needs a real DICOM file and a real .psv");
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));   // never the user's database
        w.resize(1400, 900);
        w.show();
        QSignalSpy img(&ws, &Workstation::imageLoaded), vit(&ws, &Workstation::vitalsLoaded);
        ws.openImage(data + "/dicom/pydicom-testfiles/CT_small.dcm");
        ws.openVitals(data + "/vitals/physionet2019/training_setB/p100002.psv");
        QVERIFY(img.wait(30000) || img.count() == 1);
        QVERIFY(vit.count() == 1 || vit.wait(30000));
        QCOMPARE(img.first().first().toBool(), true);
        QCOMPARE(vit.first().first().toBool(), true);
        QVERIFY(w.imageViewer()->hasImage());
        QVERIFY(w.vitalsPlot()->pointCount("HR") > 10);
        QTest::qWait(100);

        const QImage shot = w.grab().toImage();
        QDir().mkpath(QStringLiteral(CLINSIGHT_ARTIFACT_DIR));
        QVERIFY(shot.save(QStringLiteral(CLINSIGHT_ARTIFACT_DIR "/mainwindow.png")));
        // The image area must show the CT, not a blank or uniform panel.
        const QRect area = w.imageViewer()->imageRectOnScreen().toRect().translated(w.imageViewer()->mapTo(&w, QPoint(0, 0)));
        QVERIFY(area.width() > 100 && area.height() > 100);
        QSet<int> greys;
        for (int y = area.top() + 20; y < area.bottom() - 20; y += 3)
            for (int x = area.left() + 20; x < area.right() - 20; x += 3)
                greys.insert(qGray(shot.pixel(x, y)));
        QVERIFY2(greys.size() > 50, qPrintable(QStringLiteral("only %1 grey levels in the image area").arg(greys.size())));
    }

    void badFile_showsErrorKeepsWindow()
    {
        ui::MainWindow w;
        QTemporaryDir dir;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        QSignalSpy img(&ws, &Workstation::imageLoaded);
        ws.openImage(QStringLiteral("/nonexistent/file.dcm"));
        QVERIFY(img.wait(10000));
        QCOMPARE(img.first().first().toBool(), false);
        QVERIFY(!w.imageViewer()->hasImage());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
