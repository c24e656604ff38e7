// The workstation offscreen on the bundled demo: the worklist fills, a
// patient is scored with the overlay and attention band drawn, a note is
// signed by a clinician (a wrong password saves nothing, the right one saves it)
// and read back after reopening the encrypted database; window/level
// and zoom change the rendered pixels; the event loop stays responsive
// during scoring (latency logged, not asserted).
#include "workstation.h"
#include "testsession.h"
#include "multiframe.h"
#include "viewertoolbar.h"
#include "clinsight/foundation/resources.h"
#include "imageviewer.h"
#include "mainwindow.h"
#include "notespanel.h"
#include "riskpanel.h"
#include "vitalsplot.h"
#include "worklistview.h"

#include "clinsight/storage/clinicalstore.h"

#include <QDir>
#include "sessionguard.h"
#include "sessionwidgets.h"
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QElapsedTimer>
#include <QSet>
#include <QPushButton>
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

// The longest gap between turns of the event loop, seen by a 5 ms timer, from construction to stop().
struct EventLoopGaps {
    QElapsedTimer clock;
    QTimer tick;
    qint64 last = 0, worst = 0;
    EventLoopGaps()
    {
        tick.setInterval(5);
        QObject::connect(&tick, &QTimer::timeout, [this] { const qint64 now = clock.elapsed(); worst = std::max(worst, now - last); last = now; });
        clock.start();
        tick.start();
    }
    void stop() { tick.stop(); }
};

class TestWorkstation : public QObject {
    Q_OBJECT
private slots:
    void demo_scoreNoteAndReopen()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("clinsight.sqlite");
        const cs::security::Session session = testsession::as(db, cs::security::Role::Clinician);
        QString patient, key;
        {
            ui::MainWindow w;
            Workstation ws(&w, session);
            QVERIFY(w.sessionBanner().isEmpty());   // a clinical session: no demo banner
            w.resize(1500, 950);
            w.show();
            QSignalSpy ready(&ws, &Workstation::ready);
            QVERIFY2(!ws.isReady(), "the window comes first: model and database open in the background");
            QVERIFY(ready.wait(60000));
            QVERIFY2(ws.model() != nullptr, "the bundled model must load");
            QSignalSpy cohort(&ws, &Workstation::cohortLoaded), shown(&ws, &Workstation::patientShown), saved(&ws, &Workstation::noteSaved);
            // Listed as scored: each patient appears (most urgent first so far) before the import ends.
            struct Listing { int listed, rows, finished; };
            std::vector<Listing> listings;
            connect(&ws, &Workstation::patientListed, &ws, [&](const QString &, int listed) {
                listings.push_back({listed, w.worklist()->visibleRowCount(), int(cohort.count())});
            });
            ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
            QVERIFY(cohort.wait(120000));
            QCOMPARE(cohort.first().first().toBool(), true);
            QVERIFY(w.worklist()->visibleRowCount() >= 10);
            QCOMPARE(int(listings.size()), w.worklist()->visibleRowCount());
            for (size_t i = 0; i < listings.size(); ++i) {
                QCOMPARE(listings[i].listed, int(i) + 1);
                QCOMPARE(listings[i].rows, int(i) + 1);     // on the worklist at once ...
                QCOMPARE(listings[i].finished, 0);          // ... while the import was still running
            }
            patient = w.worklist()->patientAt(0);  // most urgent first

            // Event-loop latency while the patient is scored (Grad-CAM included) on a worker thread.
            EventLoopGaps gaps;
            w.worklist()->selectPatient(patient);
            QVERIFY(shown.wait(60000));
            gaps.stop();
            qInfo("event-loop latency during scoring: worst gap %lld ms over %lld ms", gaps.worst, gaps.clock.elapsed());
            QCOMPARE(shown.first().first().toBool(), true);
            QVERIFY(ws.current().has_value());
            QCOMPARE(ws.current()->inputs.id, patient);
            key = ws.current()->identity.key();

            // Overlay and attention band drawn.
            QVERIFY(w.imageViewer()->hasImage());
            QVERIFY2(w.imageViewer()->hasOverlay(), "the top demo patient has a chest image: Grad-CAM overlay expected");
            QVERIFY(w.vitalsPlot()->hasAttentionBand());
            QVERIFY2(w.vitalsPlot()->hasImageMarker(), "the demo's patient.json places the image on the timeline");
            QVERIFY(w.riskPanel()->text().contains("not a diagnosis"));
            QVERIFY(w.riskPanel()->text().contains("NEWS2"));
            // Each explanation says how far it was measured to be faithful, linked to the card.
            const QString measured = ws.model()->thresholds().imageExplanationFaithfulness;
            QVERIFY2(!measured.isEmpty(), "the shipped bundle records the Grad-CAM deletion test");
            QCOMPARE(w.imageViewer()->overlayCaption(), measured);
            QVERIFY(w.vitalsPlot()->attentionFaithfulness().contains(ws.model()->thresholds().attentionFaithfulness.toHtmlEscaped()));
            QVERIFY(w.vitalsPlot()->attentionFaithfulness().contains("href"));
            // "What if": the most-attended hours hidden, re-scored as a job; the GUI keeps running meanwhile.
            QSignalSpy whatIf(&ws, &Workstation::whatIfShown);
            QVERIFY(w.vitalsPlot()->whatIfButton()->isEnabled());
            w.vitalsPlot()->whatIfButton()->click();
            QVERIFY2(!w.vitalsPlot()->whatIfButton()->isEnabled(), "disabled while the job runs");
            QVERIFY(whatIf.wait(60000));
            QVERIFY2(w.vitalsPlot()->whatIfResult().contains("Without hours"), qPrintable(w.vitalsPlot()->whatIfResult()));
            QVERIFY(w.vitalsPlot()->whatIfButton()->isEnabled());
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
            // Signing asks the password again; a wrong one saves nothing and says so.
            QTRY_VERIFY(ws.guard()->pendingPrompt() != nullptr);
            QPointer<ui::PasswordPrompt> prompt = ws.guard()->pendingPrompt();
            prompt->submit(QStringLiteral("not my password"));
            QTRY_VERIFY_WITH_TIMEOUT(prompt->findChild<QLabel *>("message")->text().contains("wrong user name or password"), 10000);
            QCOMPARE(saved.count(), 0);
            QVERIFY(!w.notesPanel()->savedText().contains("escalated per NEWS2"));
            prompt->submit(QString::fromLatin1(testsession::kUserPassword));
            QVERIFY(saved.count() == 1 || saved.wait(10000));
            QCOMPARE(saved.first().first().toBool(), true);
            QVERIFY(w.notesPanel()->savedText().contains("escalated per NEWS2"));
        }
        // Reopen the database: the note is there, with author and model version.
        auto store = cs::ClinicalStore::open(db, session.databaseKey);
        QVERIFY(store.ok());
        auto notes = store->notes(key);
        QVERIFY(notes.ok());
        QCOMPARE(int(notes->size()), 1);
        QCOMPARE(notes->front().status, QStringLiteral("edited"));
        QCOMPARE(notes->front().author, QStringLiteral("user"));   // the signed-in account, not the OS login
        QVERIFY(notes->front().modelVersion.contains("clinsight-hybrid"));
        auto log = store->auditLog(key);
        QVERIFY(log.ok() && log->size() >= 3);  // scored, opened, note
        QVERIFY(std::any_of(log->begin(), log->end(), [](const cs::AuditEntry &e) { return e.action == QLatin1String("scored"); }));
    }

    void windowLevel_changesPixels()
    {
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        w.resize(1200, 800);
        w.show();
        QSignalSpy img(&ws, &Workstation::imageLoaded), frame(&ws, &Workstation::frameShown);
        ws.openImage(cs::resourcePath(cs::Resource::DemoCohort) + "/demo04-ct-not-applicable/CT_small.dcm");
        QVERIFY(img.wait(20000));
        QCOMPARE(img.first().first().toBool(), true);
        const QImage before = viewerPixels(w);
        emit w.windowChangeRequested(-600, 1500);  // lung window, through the same path as the preset menu
        QVERIFY(frame.wait(20000));
        QTRY_VERIFY(viewerPixels(w) != before);
        QVERIFY(ws.renderer().renderedOffCallerThread());
    }

    // A large multi-frame study in cine: frames are rendered off the GUI thread,
    // requests that arrive faster than frames render are coalesced, a second
    // loop comes from the bounded cache, and the event loop keeps turning.
    void cine_largeMultiFrame_eventLoopStaysResponsive()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("cine.dcm");
        const int frames = 40;
        QVERIFY(testdata::writeMultiFrame(path, frames, 1024, 1024));   // 80 MiB of pixels
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        w.resize(1200, 800);
        w.show();
        QSignalSpy img(&ws, &Workstation::imageLoaded), shown(&ws, &Workstation::frameShown);
        ws.openImage(path);
        QVERIFY(img.wait(30000));
        QCOMPARE(img.first().first().toBool(), true);

        // Event-loop gaps while cine plays half a loop.
        EventLoopGaps gaps;
        QSet<int> seen;
        connect(&ws, &Workstation::frameShown, [&](int f) { seen.insert(f); });
        w.viewerToolbar()->setCinePlaying(true);
        QVERIFY(w.viewerToolbar()->isCinePlaying());
        QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= frames / 2, 60000);
        gaps.stop();
        qInfo("cine: %lld distinct frames shown, worst event-loop gap %lld ms over %lld ms", qint64(seen.size()), gaps.worst,
              gaps.clock.elapsed());
        QVERIFY(ws.renderer().renderedOffCallerThread());
        QVERIFY2(gaps.worst < 250, qPrintable(QStringLiteral("the GUI thread stalled for %1 ms during cine").arg(gaps.worst)));
        w.viewerToolbar()->setCinePlaying(false);

        // Requests faster than renders: only the latest pending one is rendered.
        const auto before = ws.renderer().stats();
        for (int f = 0; f < frames; ++f) emit w.frameRequested(f);
        QTRY_VERIFY_WITH_TIMEOUT(ws.renderer().stats().requested - before.requested == frames
                                     && shown.count() > 0 && shown.last().first().toInt() == frames - 1, 30000);
        const auto after = ws.renderer().stats();
        QVERIFY2(after.rendered - before.rendered + after.fromCache - before.fromCache < frames,
                 "every request was rendered: nothing coalesced");
        QVERIFY(after.dropped > before.dropped);

        // The cache is bounded and serves revisits.
        QVERIFY(after.cachedBytes <= qint64(256) << 20);
        const int rendered = after.rendered;
        emit w.frameRequested(frames - 1);
        QTRY_VERIFY(ws.renderer().stats().fromCache > after.fromCache);
        QCOMPARE(ws.renderer().stats().rendered, rendered);
    }

    void cancel_stopsImport_andLatestPatientWins()
    {
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        QSignalSpy ready(&ws, &Workstation::ready), cohort(&ws, &Workstation::cohortLoaded);
        QVERIFY(ready.wait(60000));
        ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
        ws.cancelAll();
        QVERIFY(cohort.wait(60000));
        QCOMPARE(cohort.first().first().toBool(), false);   // cancelled: nothing imported
        QCOMPARE(w.worklist()->visibleRowCount(), 0);

        // A second import replaces the first: only the latest is shown.
        ws.openCohort(dir.path());                                       // an empty folder: fails ...
        ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));      // ... superseded by this one
        QTRY_VERIFY_WITH_TIMEOUT(cohort.count() >= 3, 120000);
        QCOMPARE(cohort.last().first().toBool(), true);
        QVERIFY(w.worklist()->visibleRowCount() >= 10);

        // Asking for two patients in a row shows the second only.
        QSignalSpy shown(&ws, &Workstation::patientShown);
        const QString first = w.worklist()->patientAt(0), second = w.worklist()->patientAt(1);
        ws.selectPatient(first);
        ws.selectPatient(second);
        QVERIFY(shown.wait(60000));
        QCOMPARE(ws.current()->inputs.id, second);
        QTest::qWait(0);
        QCOMPARE(shown.count(), 1);
    }

    void identityConflict_blocksWithWarning()
    {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("cohort/p"));
        QVERIFY(QFile::copy(cs::resourcePath(cs::Resource::DemoCohort) + "/demo06-chest-cr/RG1_J2KI.dcm", dir.filePath("cohort/p/cr.dcm")));
        QFile csv(dir.filePath("cohort/p/vitals.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("patient_id,time,variable,value,unit\nSOMEONE-ELSE,2024-03-01T08:00:00Z,HR,120,/min\n"
                  "SOMEONE-ELSE,2024-03-01T09:00:00Z,HR,125,/min\n");
        csv.close();
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        QSignalSpy cohort(&ws, &Workstation::cohortLoaded), shown(&ws, &Workstation::patientShown);
        ws.openCohort(dir.filePath("cohort"));
        QVERIFY(cohort.wait(120000));
        ws.selectPatient("p");
        QVERIFY(shown.wait(60000));
        QVERIFY2(w.identityWarning().contains("SOMEONE-ELSE"), qPrintable(w.identityWarning()));
        QVERIFY(w.riskPanel()->text().contains("IDENTITY CONFLICT"));
        QVERIFY(!ws.current()->fused.available);
    }

    // A bundle edited after signing (every threshold 0.01): the red banner stays over the image,
    // no model risk is shown, and the patient is still listed by NEWS2/qSOFA.
    void editedBundle_blockingBanner_scoresOnly()
    {
        QTemporaryDir dir;
        const QString bundle = dir.filePath("edited");
        QDir().mkpath(bundle);
        const QString shipped = cs::resourcePath(cs::Resource::ModelBundle);
        for (const QString &f : QDir(shipped).entryList(QDir::Files)) QVERIFY(QFile::copy(shipped + '/' + f, bundle + '/' + f));
        {
            QFile m(bundle + "/manifest.json");
            QVERIFY(m.open(QIODevice::ReadOnly));
            QByteArray text = m.readAll();
            m.close();
            text.replace("\"threshold\": 0.", "\"threshold\": 0.01, \"was\": 0.");
            QVERIFY(m.open(QIODevice::WriteOnly | QIODevice::Truncate));
            m.write(text);
        }
        qputenv("CLINSIGHT_MODEL_DIR", bundle.toUtf8());
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        QSignalSpy ready(&ws, &Workstation::ready), shown(&ws, &Workstation::patientShown);
        QVERIFY(ready.wait(60000));
        qunsetenv("CLINSIGHT_MODEL_DIR");
        QVERIFY(ws.model() == nullptr);
        QVERIFY2(w.modelRefusedBanner().contains("MODEL REFUSED"), qPrintable(w.modelRefusedBanner()));
        QVERIFY2(w.modelRefusedBanner().contains("manifest.json"), qPrintable(w.modelRefusedBanner()));
        QVERIFY(w.windowTitle().contains("MODEL REFUSED"));
        saveArtifact(w, "model-refused.png");
        QSignalSpy cohort(&ws, &Workstation::cohortLoaded);
        ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
        QVERIFY(cohort.wait(120000));
        ws.selectPatient(w.worklist()->patientAt(0));
        QVERIFY(shown.wait(60000));
        QVERIFY(!ws.current()->fused.available);
        QVERIFY(!(ws.current()->image && ws.current()->image->applicable));
        QVERIFY(w.riskPanel()->text().contains("none loaded"));
        QVERIFY(!w.modelRefusedBanner().isEmpty());   // still there after the patient is shown
    }

    void tamperedAuditLog_shownInStatusBar()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("db.sqlite");
        const cs::security::Session session = testsession::demo(db);
        {
            auto s = cs::ClinicalStore::open(db, session.databaseKey);
            QVERIFY(s.ok());
            QVERIFY(s->audit("dr.who", "opened", "p1", "x").ok());
            QVERIFY(s->audit("dr.who", "opened", "p1", "y").ok());
        }
        // An insider with the key (the sqlcipher shell, the recovery key) edits entry 1.
        QProcess shell;
        shell.start("sqlcipher", {db, QStringLiteral("PRAGMA key=\"x'%1'\"; DROP TRIGGER audit_no_update; "
                                                     "UPDATE audit_log SET user='nobody' WHERE id=1;").arg(QString::fromLatin1(session.databaseKey.toHex()))});
        QVERIFY2(shell.waitForFinished(30000) && shell.exitCode() == 0, shell.readAllStandardError().constData());
        ui::MainWindow w;
        Workstation ws(&w, session);
        QSignalSpy checked(&ws, &Workstation::auditChecked);
        QVERIFY(checked.wait(30000));
        QCOMPARE(checked.first().first().toBool(), false);
        QVERIFY2(w.auditStatus().contains("NOT INTACT") && w.auditStatus().contains("entry 1"), qPrintable(w.auditStatus()));
    }

    void signedBundle_signerInRiskPanel()
    {
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("db.sqlite")));
        QSignalSpy ready(&ws, &Workstation::ready), cohort(&ws, &Workstation::cohortLoaded), shown(&ws, &Workstation::patientShown);
        QVERIFY(ready.wait(60000));
        QVERIFY(w.modelRefusedBanner().isEmpty());
        ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
        QVERIFY(cohort.wait(120000));
        ws.selectPatient(w.worklist()->patientAt(0));
        QVERIFY(shown.wait(60000));
        QVERIFY2(w.riskPanel()->text().contains("signed by ClinSight project release key"), qPrintable(w.riskPanel()->text()));
        // The record was checked when the database opened.
        QTRY_VERIFY_WITH_TIMEOUT(w.auditStatus().startsWith("Audit log intact"), 30000);
    }
};

QTEST_MAIN(TestWorkstation)
#include "tst_workstation.moc"
