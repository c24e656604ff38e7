// The workstation offscreen on the bundled demo: the worklist fills, a
// patient is scored with the overlay and attention band drawn, a note is
// accepted, saved and read back after reopening the database; window/level
// and zoom change the rendered pixels; the event loop stays responsive
// during scoring (latency logged, not asserted).
#include "workstation.h"
#include "clinsight/foundation/resources.h"
#include "imageviewer.h"
#include "mainwindow.h"
#include "notespanel.h"
#include "riskpanel.h"
#include "vitalsplot.h"
#include "worklistview.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

namespace {
void saveArtifact(QWidget &w, const QString &name)
{
    QDir().mkpath(QStringLiteral(CLINSIGHT_ARTIFACT_DIR));
    w.grab().save(QStringLiteral(CLINSIGHT_ARTIFACT_DIR "/") + name);
}
QImage viewerPixels(ui::MainWindow &w) { return w.imageViewer()->grab().toImage(); }
} // namespace

class TestWorkstation : public QObject {
    Q_OBJECT
private slots:
    void demo_scoreNoteAndReopen()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("clinsight.sqlite");
        QString patient;
        {
            ui::MainWindow w;
            Workstation ws(&w, db);
            w.resize(1500, 950);
            w.show();
            QVERIFY2(ws.model().has_value(), "the bundled model must load");
            QSignalSpy cohort(&ws, &Workstation::cohortLoaded), shown(&ws, &Workstation::patientShown), saved(&ws, &Workstation::noteSaved);
            ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
            QVERIFY(cohort.wait(120000));
            QCOMPARE(cohort.first().first().toBool(), true);
            QVERIFY(w.worklist()->visibleRowCount() >= 10);
            patient = w.worklist()->patientAt(0);  // most urgent first

            // Event-loop latency while the patient is scored (Grad-CAM included) on a worker thread.
            QElapsedTimer clock;
            qint64 last = 0, worst = 0;
            QTimer tick;
            tick.setInterval(5);
            connect(&tick, &QTimer::timeout, [&] { const qint64 now = clock.elapsed(); worst = std::max(worst, now - last); last = now; });
            clock.start();
            tick.start();
            w.worklist()->selectPatient(patient);
            QVERIFY(shown.wait(60000));
            tick.stop();
            qInfo("event-loop latency during scoring: worst gap %lld ms over %lld ms", worst, clock.elapsed());
            QCOMPARE(shown.first().first().toBool(), true);
            QVERIFY(ws.current().has_value());
            QCOMPARE(ws.current()->inputs.id, patient);

            // Overlay and attention band drawn.
            QVERIFY(w.imageViewer()->hasImage());
            QVERIFY2(w.imageViewer()->hasOverlay(), "the top demo patient has a chest image: Grad-CAM overlay expected");
            QVERIFY(w.vitalsPlot()->hasAttentionBand());
            QVERIFY2(w.vitalsPlot()->hasImageMarker(), "the demo's patient.json places the image on the timeline");
            QVERIFY(w.riskPanel()->text().contains("not a diagnosis"));
            QVERIFY(w.riskPanel()->text().contains("NEWS2"));
            QTest::qWait(200);
            saveArtifact(w, "workstation.png");

            // Overlay toggle changes the pixels.
            const QImage withOverlay = viewerPixels(w);
            w.imageViewer()->setOverlayVisible(false);
            QVERIFY(viewerPixels(w) != withOverlay);
            w.imageViewer()->setOverlayVisible(true);

            // Zoom changes the rendered pixels.
            const QImage before = viewerPixels(w);
            w.imageViewer()->setZoom(w.imageViewer()->zoom() * 3);
            QVERIFY(viewerPixels(w) != before);
            w.imageViewer()->fitToWindow();

            // Accept the first suggested note.
            QVERIFY(w.notesPanel()->suggestionCount() > 0);
            w.notesPanel()->decide(0, QStringLiteral("Reviewed at bedside; escalated per NEWS2."), true);
            QVERIFY(saved.count() == 1 || saved.wait(5000));
            QCOMPARE(saved.first().first().toBool(), true);
            QVERIFY(w.notesPanel()->savedText().contains("escalated per NEWS2"));
        }
        // Reopen the database: the note is there, with author and model version.
        auto store = cs::ClinicalStore::open(db);
        QVERIFY(store.ok());
        auto notes = store->notes(patient);
        QVERIFY(notes.ok());
        QCOMPARE(int(notes->size()), 1);
        QCOMPARE(notes->front().status, QStringLiteral("edited"));
        QVERIFY(!notes->front().author.isEmpty());
        QVERIFY(notes->front().modelVersion.contains("clinsight-hybrid"));
        auto log = store->auditLog(patient);
        QVERIFY(log.ok() && log->size() >= 3);  // scored, opened, note
        QVERIFY(std::any_of(log->begin(), log->end(), [](const cs::AuditEntry &e) { return e.action == QLatin1String("scored"); }));
    }

    void windowLevel_changesPixels()
    {
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, dir.filePath("db.sqlite"));
        w.resize(1200, 800);
        w.show();
        QSignalSpy img(&ws, &Workstation::imageLoaded);
        ws.openImage(cs::resourcePath(cs::Resource::DemoCohort) + "/demo04-ct-not-applicable/CT_small.dcm");
        QVERIFY(img.wait(20000));
        QCOMPARE(img.first().first().toBool(), true);
        QTest::qWait(50);
        const QImage before = viewerPixels(w);
        emit w.windowChangeRequested(-600, 1500);  // lung window, through the same path as the preset menu
        QTest::qWait(50);
        QVERIFY(viewerPixels(w) != before);
    }
};

QTEST_MAIN(TestWorkstation)
#include "tst_workstation.moc"
