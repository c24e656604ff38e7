// The first real window, offscreen: opens a real DICOM file and a real .psv,
// grabs the window to a PNG in the build tree and checks the image area is
// not blank and the heart-rate track was plotted.
#include "workstation.h"
#include "testsession.h"
#include "imageviewer.h"
#include "mainwindow.h"
#include "vitalsplot.h"

#include <QDir>
#include <QInputDialog>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QComboBox>
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

    // Rows are set again each time an import scores one more patient: the patient the radiologist
    // selected stays selected wherever it moves, and is not announced (re-opened) again.
    void worklistRefresh_keepsSelection_withoutReopening()
    {
        ui::MainWindow w;
        auto *list = w.worklist();
        auto row = [](const char *id, double priority) {
            ui::WorklistRow r;
            r.patientId = QString::fromLatin1(id);
            r.priority = priority;
            return r;
        };
        list->setRows({row("a", 3), row("b", 2)});
        QSignalSpy chosen(list, &ui::WorklistView::patientSelected);
        list->selectPatient("b");
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(list->patientAt(1), QStringLiteral("b"));
        list->setRows({row("c", 9), row("a", 3), row("b", 2)});   // a more urgent patient arrives on top
        QCOMPARE(list->patientAt(0), QStringLiteral("c"));
        QCOMPARE(chosen.count(), 1);                               // nothing re-opened
        list->setRows({row("c", 9), row("a", 3), row("b", 2), row("d", 1)});
        QCOMPARE(chosen.count(), 1);
        list->selectPatient("b");                                  // b is still the current row: no change, no signal
        QCOMPARE(chosen.count(), 1);
        list->selectPatient("a");                                  // choosing another is still a real choice
        QCOMPARE(chosen.count(), 2);
        QCOMPARE(chosen.last().first().toString(), QStringLiteral("a"));
    }

    // An import adds one row per patient scored: each lands where the urgency order puts it, a
    // patient scored again replaces its row, and the selection stays without being re-announced.
    void worklistAddRow_placesByUrgency_keepsSelection()
    {
        ui::MainWindow w;
        auto *list = w.worklist();
        auto row = [](const char *id, double priority, const char *modality = "CR", bool flagged = false) {
            ui::WorklistRow r;
            r.patientId = QString::fromLatin1(id);
            r.priority = priority;
            r.modality = QString::fromLatin1(modality);
            r.flagged = flagged;
            return r;
        };
        auto order = [list] {
            QStringList ids;
            for (int i = 0; i < list->visibleRowCount(); ++i) ids << list->patientAt(i);
            return ids.join(',');
        };
        QSignalSpy chosen(list, &ui::WorklistView::patientSelected);
        list->addRow(row("a", 0.3));
        list->addRow(row("b", 0.2));
        QCOMPARE(order(), QStringLiteral("a,b"));
        QCOMPARE(chosen.count(), 0);                              // adding is not choosing
        list->selectPatient("b");
        QCOMPARE(chosen.count(), 1);
        list->addRow(row("c", 0.9, "DX"));                        // more urgent: on top
        list->addRow(row("d", 0.1, "DX", /*flagged=*/true));      // flagged outranks any unflagged risk
        QCOMPARE(order(), QStringLiteral("d,c,a,b"));
        QCOMPARE(chosen.count(), 1);
        list->addRow(row("a", 0.05));                             // a scored again: one row, moved down
        QCOMPARE(order(), QStringLiteral("d,c,b,a"));
        QCOMPARE(chosen.count(), 1);
        list->selectPatient("b");                                 // still the current row: no change, no signal
        QCOMPARE(chosen.count(), 1);
        list->addRow(row("b", 0.5));                              // the selected patient replaced: still selected
        QCOMPARE(order(), QStringLiteral("d,c,b,a"));
        QCOMPARE(chosen.count(), 1);
        list->selectPatient("b");
        QCOMPARE(chosen.count(), 1);
        // the modality filter offers the modalities added
        auto *modality = list->findChild<QComboBox *>();
        QVERIFY(modality);
        QCOMPARE(modality->count(), 3);                           // all, CR, DX
        modality->setCurrentIndex(modality->findText("DX"));
        QCOMPARE(order(), QStringLiteral("d,c"));
        modality->setCurrentIndex(0);
        // equal urgency: higher NEWS2 first, then patient id, as the core orders the finished list
        auto scored = [&row](const char *id, int news2) { auto r = row(id, 0.0); r.news2 = news2; return r; };
        list->setRows({});
        list->addRow(scored("q", 3));
        list->addRow(scored("p", 3));
        list->addRow(scored("r", 7));
        list->addRow(scored("s", 1));
        QCOMPARE(order(), QStringLiteral("r,p,q,s"));
    }

    // The real dialog (the other tests run with CLINSIGHT_NO_DIALOGS, which takes the preferred item):
    // it offers the preferred item first, answers the index of the item chosen, and -1 when cancelled.
    void chooseOne_dialogAnswersTheChosenIndex()
    {
        const QByteArray was = qgetenv("CLINSIGHT_NO_DIALOGS");
        qunsetenv("CLINSIGHT_NO_DIALOGS");
        const auto restore = qScopeGuard([was] { if (!was.isNull()) qputenv("CLINSIGHT_NO_DIALOGS", was); });   // even when a check fails
        ui::MainWindow w;
        w.show();
        const QStringList items{"1. CT 120 slices", "2. CT 3 slices", "3. SR"};
        std::vector<int> answers;
        auto ask = [&] { w.chooseOne("Open DICOM series", "Which one?", items, 1, [&](int i) { answers.push_back(i); }); };
        ask();
        auto dialog = [&w] { return w.findChild<QInputDialog *>(); };
        QTRY_VERIFY(dialog() && dialog()->isVisible());
        QVERIFY(answers.empty());                       // asked, not answered: the window keeps running
        QCOMPARE(dialog()->textValue(), items[1]);      // the preferred item is offered first
        dialog()->setTextValue(items[2]);
        dialog()->accept();
        QTRY_COMPARE(int(answers.size()), 1);
        QCOMPARE(answers[0], 2);
        QTRY_VERIFY(!dialog());                         // closed and deleted
        ask();
        QTRY_VERIFY(dialog() && dialog()->isVisible());
        dialog()->reject();
        QTRY_COMPARE(int(answers.size()), 2);
        QCOMPARE(answers[1], -1);
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
