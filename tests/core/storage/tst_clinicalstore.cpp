// The local database: migrations, notes saved and read back after reopening,
// append-only audit log, refusal of newer schemas, nothing half-saved.
#include "clinsight/storage/clinicalstore.h"
#include "clinsight/storage/clinicalstoreworker.h"
#include "clinsight/storage/auditchain.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

class TestClinicalStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_keys;
private slots:
    void initTestCase()
    {
        // Audit keys of this test's databases go to a folder of its own.
        qputenv("CLINSIGHT_KEYS_DIR", m_keys.path().toUtf8());
    }

    void notes_surviveReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("a.sqlite");
        {
            auto s = cs::ClinicalStore::open(path);
            QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
            QCOMPARE(s->schemaVersion(), cs::ClinicalStore::kSchemaVersion);
            cs::PatientRecord p;
            p.id = "p1";
            p.displayName = "Patient 1";
            QVERIFY(s->upsertPatient(p).ok());
            cs::NoteRecord n;
            n.patientId = "p1"; n.ruleId = "news2-high"; n.suggestion = "s"; n.text = "edited text"; n.status = "edited";
            n.author = "dr.who"; n.modelVersion = "m 1";
            auto id = s->saveNote(n);
            QVERIFY(id.ok());
            QVERIFY(s->setReviewStatus("p1", "reviewed", "dr.who").ok());
        }
        auto s = cs::ClinicalStore::open(path);
        QVERIFY(s.ok());
        auto notes = s->notes("p1");
        QVERIFY(notes.ok());
        QCOMPARE(int(notes->size()), 1);
        QCOMPARE(notes->front().text, QStringLiteral("edited text"));
        QCOMPARE(notes->front().author, QStringLiteral("dr.who"));
        QVERIFY(notes->front().savedAt.isValid());
        auto patients = s->patients();
        QVERIFY(patients.ok());
        QCOMPARE(patients->front().reviewStatus, QStringLiteral("reviewed"));
        auto log = s->auditLog("p1");
        QVERIFY(log.ok());
        QCOMPARE(int(log->size()), 2);  // note edited, review
    }

    void auditLog_isAppendOnly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("b.sqlite");
        auto s = cs::ClinicalStore::open(path);
        QVERIFY(s.ok());
        QVERIFY(s->audit("u", "opened", "p", "x").ok());
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "raw");
        db.setDatabaseName(path);
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(!q.exec("UPDATE audit_log SET user='mallory'"));
            QVERIFY(q.lastError().text().contains("append-only"));
            QVERIFY(!q.exec("DELETE FROM audit_log"));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase("raw");
        QCOMPARE(int(s->auditLog()->size()), 1);
    }

    void migratesVersion1To4_chainsOldEntries_andRefusesNewer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("old.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "v1");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            // A version-1 database as the first release wrote it (no review_status).
            QVERIFY(q.exec("CREATE TABLE patients(id TEXT PRIMARY KEY, display_name TEXT, folder TEXT, created_at TEXT NOT NULL)"));
            QVERIFY(q.exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL, rule_id TEXT, suggestion TEXT, text TEXT NOT NULL,"
                           " guideline TEXT, status TEXT NOT NULL, author TEXT NOT NULL, saved_at TEXT NOT NULL, model_version TEXT, rules_version TEXT)"));
            QVERIFY(q.exec("CREATE TABLE inference_results(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL)"));
            QVERIFY(q.exec("CREATE TABLE audit_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, patient_id TEXT, detail TEXT)"));
            QVERIFY(q.exec("INSERT INTO patients VALUES('old', 'Old patient', '', '2020-01-01')"));
            QVERIFY(q.exec("INSERT INTO audit_log(at, user, action, patient_id, detail) VALUES('2020-01-01T10:00:00.000Z', 'dr.a', 'scored', 'old', 'm')"));
            QVERIFY(q.exec("INSERT INTO audit_log(at, user, action, patient_id, detail) VALUES('2020-01-02T10:00:00.000Z', 'dr.b', 'review', 'old', 'reviewed')"));
            QVERIFY(q.exec("PRAGMA user_version=1"));
            db.close();
        }
        QSqlDatabase::removeDatabase("v1");
        {
            auto s = cs::ClinicalStore::open(path);
            QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
            QCOMPARE(s->schemaVersion(), 4);
            auto p = s->patients();
            QVERIFY(p.ok());
            QCOMPARE(p->front().id, QStringLiteral("old"));       // nothing already saved is lost
            QCOMPARE(p->front().reviewStatus, QStringLiteral("unreviewed"));
            // keyed by the folder name before schema 3, and it says so
            QVERIFY2(p->front().identityBasis.contains("before schema 3"), qPrintable(p->front().identityBasis));
            // The two old entries chained as found, and the start of the chain recorded.
            auto log = s->auditLog();
            QVERIFY(log.ok());
            QCOMPARE(int(log->size()), 3);
            QCOMPARE(log->back().action, QStringLiteral("audit chain started"));
        }
        auto v = cs::verifyAuditLog(path);
        QVERIFY(v.ok());
        QVERIFY2(v->intact, qPrintable(v->problem));
        QCOMPARE(v->intactEntries, qint64(3));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "v9");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("PRAGMA user_version=9"));
            db.close();
        }
        QSqlDatabase::removeDatabase("v9");
        auto newer = cs::ClinicalStore::open(path);
        QVERIFY(!newer.ok());
        QVERIFY(newer.error().message().contains("newer"));
    }

    void invalidNote_savesNothing()
    {
        QTemporaryDir dir;
        auto s = cs::ClinicalStore::open(dir.filePath("c.sqlite"));
        QVERIFY(s.ok());
        cs::NoteRecord n;
        n.patientId = "p";
        n.text = "x";
        n.status = "accepted";
        auto r = s->saveNote(n);  // no author
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains("author"));
        n.author = "a";
        n.status = "maybe";        // not an allowed status: the CHECK constraint refuses, the transaction rolls back
        QVERIFY(!s->saveNote(n).ok());
        QCOMPARE(int(s->notes("p")->size()), 0);
        QCOMPARE(int(s->auditLog("p")->size()), 0);
    }
    void import_isOneTransaction()
    {
        QTemporaryDir dir;
        auto s = cs::ClinicalStore::open(dir.filePath("i.sqlite"));
        QVERIFY(s.ok());
        cs::InferenceRecord good;
        good.patient.id = "id:/A1";
        good.patient.displayName = "A";
        good.news2 = 3;
        cs::InferenceRecord bad = good;
        bad.patient.id = QString();          // NULL patient: the row is refused by the schema
        auto st = s->recordImport({good, bad}, "tester");
        QVERIFY(!st.ok());
        QVERIFY(s->patients()->empty());     // nothing of the failed import stays
        QVERIFY(s->auditLog()->empty());
        QVERIFY(s->recordImport({good, good}, "tester").ok());
        QCOMPARE(int(s->patients()->size()), 1);
        QCOMPARE(int(s->auditLog()->size()), 2);
    }
    void worker_finishesQueuedWritesBeforeClosing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("w.sqlite");
        QObject receiver;
        {
            cs::ClinicalStoreWorker worker;
            bool opened = false;
            worker.open(path, &receiver, [&](cs::Status st) { opened = st.ok(); });
            QTRY_VERIFY(opened);
            for (int i = 0; i < 200; ++i)
                worker.run<cs::Status>([i](cs::ClinicalStore &s) { return s.audit("tester", "test", QStringLiteral("p%1").arg(i), {}); },
                                       &receiver, {});
        }   // destroyed at once, with most writes still queued: they must all land
        auto s = cs::ClinicalStore::open(path);
        QVERIFY(s.ok());
        QCOMPARE(int(s->auditLog()->size()), 200);
    }
};

QTEST_GUILESS_MAIN(TestClinicalStore)
#include "tst_clinicalstore.moc"
