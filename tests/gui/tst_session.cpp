// Who uses the workstation, offscreen: the demo is bannered; a clinician's screen
// locks after its idle time, hides patient data and unlocks only with the right
// password (each attempt recorded); a clinician may not save PACS nodes or read
// the audit log; an auditor may not open patients but sees the log with its
// verification state and exports it to CSV; a cancelled signature saves nothing.
#include "workstation.h"
#include "testsession.h"
#include "hospitallink.h"
#include "mainwindow.h"
#include "notespanel.h"
#include "pacspanel.h"
#include "sessionguard.h"
#include "sessionwidgets.h"
#include "signinflow.h"

#include "clinsight/foundation/resources.h"
#include "clinsight/storage/clinicalstore.h"

#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <optional>

using cs::security::Role;

namespace {
std::vector<cs::AuditEntry> entries(const cs::security::Session &s)
{
    auto store = cs::ClinicalStore::open(s.databasePath, s.databaseKey);
    if (!store) return {};
    auto log = store->auditLog();
    return log ? log.value() : std::vector<cs::AuditEntry>{};
}
bool hasAction(const std::vector<cs::AuditEntry> &log, const QString &action, const QString &user)
{
    return std::any_of(log.begin(), log.end(), [&](const cs::AuditEntry &e) { return e.action == action && e.user == user; });
}
} // namespace

class TestSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;
private slots:
    void initTestCase()
    {
        // Settings (PACS nodes) and audit keys of its own: other GUI tests may run at the same time.
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
    }

    void signIn_firstStartCreatesTheAdministrator_thenPasswordsAreChecked()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("first.sqlite");
        QWidget parent;
        std::optional<cs::security::Session> got;
        // First start: no keyring, the dialog creates the administrator.
        auto *first = SignInFlow::interactive(&parent, db, [&](cs::security::Session s) { got = s; });
        QVERIFY(first->dialog()->windowTitle().contains("create the administrator"));
        first->dialog()->submit("ada", "correct horse battery 1", "Ada Administrator");
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QCOMPARE(got->role, Role::Administrator);
        QCOMPARE(got->fullName, QStringLiteral("Ada Administrator"));
        QVERIFY(cs::security::Keyring::exists(db));
        // Then: sign in; a wrong password keeps the dialog with the reason, the right one signs in.
        got.reset();
        auto *again = SignInFlow::interactive(&parent, db, [&](cs::security::Session s) { got = s; });
        QPointer<ui::SignInDialog> dlg = again->dialog();
        QVERIFY(dlg->windowTitle().contains("sign in"));
        dlg->submit("ada", "not the password");
        QTRY_VERIFY_WITH_TIMEOUT(dlg->findChild<QLabel *>("message")->text().contains("wrong user name or password"), 10000);
        QVERIFY(!got.has_value());
        QVERIFY(dlg->isVisible());
        dlg->submit("ada", "correct horse battery 1");
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QCOMPARE(got->user, QStringLiteral("ada"));
        QTRY_VERIFY(!dlg);   // closed and gone once signed in
        // Cancel: the application is told (it quits).
        auto *cancel = SignInFlow::interactive(&parent, db, [](cs::security::Session) {});
        QSignalSpy cancelled(cancel, &SignInFlow::cancelled);
        cancel->dialog()->reject();
        QCOMPARE(cancelled.count(), 1);
    }

    void demo_isBannered_andNeverLocks()
    {
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("demo.sqlite")));
        QVERIFY2(w.sessionBanner().startsWith("DEMO"), qPrintable(w.sessionBanner()));
        QVERIFY(w.windowTitle().contains("DEMO"));
        QCOMPARE(ws.guard()->idleLockInterval(), 0);
        ws.guard()->lock();
        QVERIFY(!ws.guard()->isLocked());
    }

    void clinician_idleLock_unlockNeedsThePassword()
    {
        QTemporaryDir dir;
        const auto session = testsession::as(dir.filePath("c.sqlite"), Role::Clinician);
        {
            ui::MainWindow w;
            w.resize(1200, 800);
            w.show();
            Workstation ws(&w, session);
            QSignalSpy ready(&ws, &Workstation::ready);
            QVERIFY(ready.wait(60000));
            QVERIFY(w.sessionBanner().isEmpty());
            QSignalSpy locked(ws.guard(), &SessionGuard::lockedChanged);
            ws.guard()->setIdleLockInterval(300);   // the setting is minutes; the test cannot wait that long
            QVERIFY(locked.wait(5000));
            QCOMPARE(locked.first().first().toBool(), true);
            QVERIFY(ws.guard()->isLocked());
            QVERIFY(w.lockOverlay()->isVisible());
            QCOMPARE(w.lockOverlay()->geometry(), w.rect());   // the whole window, patient data hidden
            w.lockOverlay()->submit(QStringLiteral("not the password"));
            QTRY_VERIFY_WITH_TIMEOUT(w.lockOverlay()->findChildren<QLabel *>().last()->text().contains("wrong"), 10000);
            QVERIFY(ws.guard()->isLocked());
            w.lockOverlay()->submit(QString::fromLatin1(testsession::kUserPassword));
            QVERIFY(locked.wait(10000));
            QCOMPARE(locked.last().first().toBool(), false);
            QVERIFY(!w.lockOverlay()->isVisible());
            // Roles: a clinician decides notes but neither saves PACS nodes nor reads the audit log.
            std::vector<cs::PacsNode> nodes(1);
            nodes[0].name = "Radiology PACS";
            nodes[0].calledAeTitle = "ORTHANC";
            nodes[0].host = "127.0.0.1";
            nodes[0].port = 4242;
            cs::savePacsNodes({});
            emit w.pacsPanel()->saveNodesRequested(nodes);
            QVERIFY(cs::loadPacsNodes().empty());
            ws.guard()->showAuditLog();
            QVERIFY(!w.findChild<ui::AuditLogDialog *>() || !w.findChild<ui::AuditLogDialog *>()->isVisible());
            QTest::qWait(500);   // let the audit writes land
        }
        const auto log = entries(session);
        QVERIFY(hasAction(log, "signed in", "user"));
        QVERIFY(hasAction(log, "screen locked", "user"));
        QVERIFY(hasAction(log, "unlock refused", "user"));
        QVERIFY(hasAction(log, "screen unlocked", "user"));
    }

    void auditor_seesTheVerifiedLog_notPatients()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath("a.sqlite");
        testsession::as(db, Role::Clinician);   // the keyring, with a clinician ...
        auto admin = testsession::as(db, Role::Administrator);
        QVERIFY(cs::security::Keyring::addAccount(admin, "otto", "Otto Auditor", Role::Auditor, "auditor password 1").ok());
        auto auditor = cs::security::Keyring::signIn(db, "otto", "auditor password 1");
        QVERIFY(auditor.ok());
        const QString csv = dir.filePath("audit.csv");
        {
            ui::MainWindow w;
            Workstation ws(&w, auditor.value());
            QSignalSpy ready(&ws, &Workstation::ready), cohort(&ws, &Workstation::cohortLoaded);
            QVERIFY(ready.wait(60000));
            ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
            QVERIFY(cohort.count() == 1 || cohort.wait(5000));
            QCOMPARE(cohort.first().first().toBool(), false);   // refused: an auditor reads the record, not patients
            QSignalSpy shown(ws.guard(), &SessionGuard::auditLogShown), exported(ws.guard(), &SessionGuard::auditExported);
            ws.guard()->showAuditLog();
            QVERIFY(shown.wait(30000));
            QCOMPARE(shown.first().first().toBool(), true);
            auto *dlg = w.findChild<ui::AuditLogDialog *>();
            QVERIFY(dlg && dlg->isVisible());
            QVERIFY2(dlg->verificationText().startsWith("Intact"), qPrintable(dlg->verificationText()));
            QTRY_VERIFY(dlg->rowCount() >= 2);
            emit dlg->exportRequested(csv);
            QVERIFY(exported.wait(30000));
            QCOMPARE(exported.first().first().toBool(), true);
        }
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("id,at_utc,user,action,patient_id,detail,entry_sha256"));
        QVERIFY(text.contains(",otto,signed in,"));
        QCOMPARE(QFile::permissions(csv) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QVERIFY(hasAction(entries(auditor.value()), "audit log exported", "otto"));
    }

    void cancelledSignature_savesNothing_andTheNoteCanBeDecidedAgain()
    {
        QTemporaryDir dir;
        const auto session = testsession::as(dir.filePath("n.sqlite"), Role::Radiologist);
        ui::MainWindow w;
        Workstation ws(&w, session);
        QSignalSpy ready(&ws, &Workstation::ready), cohort(&ws, &Workstation::cohortLoaded), shown(&ws, &Workstation::patientShown),
            saved(&ws, &Workstation::noteSaved);
        QVERIFY(ready.wait(60000));
        ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
        QVERIFY(cohort.wait(120000));
        ws.selectPatient(w.worklist()->patientAt(0));
        QVERIFY(shown.wait(60000));
        QVERIFY(w.notesPanel()->suggestionCount() > 0);
        w.notesPanel()->decide(0, QStringLiteral("Cancelled note"), true);
        QTRY_VERIFY(ws.guard()->pendingPrompt() != nullptr);
        ws.guard()->pendingPrompt()->reject();
        QVERIFY(saved.count() == 1 || saved.wait(5000));
        QCOMPARE(saved.first().first().toBool(), false);
        QVERIFY(!w.notesPanel()->savedText().contains("Cancelled note"));
        // Decided again, signed this time.
        w.notesPanel()->decide(0, QStringLiteral("Signed note"), true);
        QTRY_VERIFY(ws.guard()->pendingPrompt() != nullptr);
        ws.guard()->pendingPrompt()->submit(QString::fromLatin1(testsession::kUserPassword));
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.last().first().toBool(), true);
        QVERIFY(w.notesPanel()->savedText().contains("Signed note"));
    }

    void deidentifiedCopy_ofTheShownPatient()
    {
        QTemporaryDir dir;
        ui::MainWindow w;
        Workstation ws(&w, testsession::demo(dir.filePath("d.sqlite")));
        QSignalSpy ready(&ws, &Workstation::ready), cohort(&ws, &Workstation::cohortLoaded), shown(&ws, &Workstation::patientShown),
            exported(&ws, &Workstation::deidentifiedExported);
        QVERIFY(ready.wait(60000));
        ws.openCohort(cs::resourcePath(cs::Resource::DemoCohort));
        QVERIFY(cohort.wait(120000));
        ws.selectPatient(w.worklist()->patientAt(0));   // DEMO01: a JPEG radiograph, PhysioNet vitals, patient.json
        QVERIFY(shown.wait(60000));
        const QString name = ws.current()->inputs.displayName;
        // Not confirmed (no dialogs here: the answer is no): the JPEG, which records no annotation flag, stays out.
        ws.exportDeidentified(dir.filePath("copy"));
        QVERIFY(exported.wait(30000));
        QCOMPARE(exported.first().at(0).toInt(), 3);   // vitals.psv, patient.json, results.json
        QCOMPARE(exported.first().at(1).toInt(), 1);
        ws.exportDeidentified(dir.filePath("copy-confirmed"), true);
        QVERIFY(exported.wait(30000));
        QCOMPARE(exported.last().at(0).toInt(), 4);
        QCOMPARE(exported.last().at(1).toInt(), 0);
        QDirIterator it(dir.filePath("copy-confirmed"), QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            ++files;
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray b = f.readAll();
            QVERIFY2(!b.contains(name.toUtf8()) && !b.contains("septic-pneumonia") && !b.contains("p102582"), qPrintable(f.fileName()));
        }
        QCOMPARE(files, 4);
        QDirIterator results(dir.filePath("copy-confirmed"), {"results.json"}, QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(results.hasNext());
        QFile rf(results.next());
        QVERIFY(rf.open(QIODevice::ReadOnly));
        const QByteArray rj = rf.readAll();
        QVERIFY2(rj.contains("\"patient\": \"CS-") && rj.contains("pneumonia_risk") && rj.contains("not a diagnosis"), rj.constData());
        QTest::qWait(300);
        QVERIFY(hasAction(entries(ws.guard()->session()), "de-identified export", "demo"));
    }
};

QTEST_MAIN(TestSession)
#include "tst_session.moc"
