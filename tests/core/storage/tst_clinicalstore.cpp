// The local database: encrypted at rest (no name, identifier, note or path in
// any file it writes), migrations (an unencrypted database of an earlier
// ClinSight encrypted in place, nothing lost), notes saved and read back after
// reopening, append-only audit log, refusal of newer schemas, nothing
// half-saved; bad inputs (wrong key, a file that is not a database, a truncated,
// read-only or locked database) get a clear error and lose nothing.
#include "clinsight/storage/clinicalstore.h"
#include "clinsight/storage/clinicalstoreworker.h"
#include "clinsight/storage/auditchain.h"

#include "sqlcipher_p.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>

namespace {
const QByteArray kKey = QByteArray::fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

// Statements on the file as someone holding the key (or, with an empty key, on a clear SQLite file).
bool raw(const QString &path, const QStringList &statements, const QByteArray &key = kKey, QString *error = nullptr)
{
    if (!QFile::exists(path)) { QFile f(path); f.open(QIODevice::WriteOnly); }
    auto db = cs::sql::Database::open(path, key, cs::sql::Database::Mode::ReadWrite);
    if (!db) { if (error) *error = db.error().message(); return false; }
    for (const QString &s : statements)
        if (!db->exec(s)) { if (error) *error = db->lastError().text(); return false; }
    return true;
}

// Every file in dir whose bytes contain needle (UTF-8).
QStringList filesContaining(const QString &dir, const QString &needle)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle.toUtf8())) out << f.fileName();
    }
    return out;
}
} // namespace

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
            auto s = cs::ClinicalStore::open(path, kKey);
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
        auto s = cs::ClinicalStore::open(path, kKey);
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
        auto s = cs::ClinicalStore::open(path, kKey);
        QVERIFY(s.ok());
        QVERIFY(s->audit("u", "opened", "p", "x").ok());
        QString why;
        QVERIFY(!raw(path, {"UPDATE audit_log SET user='mallory'"}, kKey, &why));
        QVERIFY2(why.contains("append-only"), qPrintable(why));
        QVERIFY(!raw(path, {"DELETE FROM audit_log"}));
        QCOMPARE(int(s->auditLog()->size()), 1);
    }

    void migratesVersion1To4_chainsOldEntries_andRefusesNewer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("old.sqlite");
        // A version-1 database as the first release wrote it (no review_status), in clear.
        QVERIFY(raw(path, {"CREATE TABLE patients(id TEXT PRIMARY KEY, display_name TEXT, folder TEXT, created_at TEXT NOT NULL)",
                           "CREATE TABLE notes(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL, rule_id TEXT, suggestion TEXT, text TEXT NOT NULL,"
                           " guideline TEXT, status TEXT NOT NULL, author TEXT NOT NULL, saved_at TEXT NOT NULL, model_version TEXT, rules_version TEXT)",
                           "CREATE TABLE inference_results(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL)",
                           "CREATE TABLE audit_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, patient_id TEXT, detail TEXT)",
                           "INSERT INTO patients VALUES('old', 'Old Patientname', '/home/dr/cohort/old', '2020-01-01')",
                           "INSERT INTO audit_log(at, user, action, patient_id, detail) VALUES('2020-01-01T10:00:00.000Z', 'dr.a', 'scored', 'old', 'm')",
                           "INSERT INTO audit_log(at, user, action, patient_id, detail) VALUES('2020-01-02T10:00:00.000Z', 'dr.b', 'review', 'old', 'reviewed')",
                           "PRAGMA user_version=1"}, {}));
        QVERIFY(cs::sql::Database::isPlainSqlite(path));
        QVERIFY(!filesContaining(dir.path(), "Old Patientname").isEmpty());
        {
            auto s = cs::ClinicalStore::open(path, kKey);
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
        // Encrypted in place: the clear copy is gone, no file holds the name or the path.
        QVERIFY(!cs::sql::Database::isPlainSqlite(path));
        QCOMPARE(filesContaining(dir.path(), "Old Patientname"), QStringList());
        QCOMPARE(filesContaining(dir.path(), "/home/dr/cohort"), QStringList());
        auto v = cs::verifyAuditLog(path, kKey);
        QVERIFY(v.ok());
        QVERIFY2(v->intact, qPrintable(v->problem));
        QCOMPARE(v->intactEntries, qint64(3));
        QVERIFY(raw(path, {"PRAGMA user_version=9"}));
        auto newer = cs::ClinicalStore::open(path, kKey);
        QVERIFY(!newer.ok());
        QVERIFY(newer.error().message().contains("newer"));
    }

    void files_revealNoPatientData()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("e.sqlite");
        auto s = cs::ClinicalStore::open(path, kKey);
        QVERIFY(s.ok());
        cs::InferenceRecord r;
        r.patient = {"id:ST-MARY/HOSP-4711", "Jane Q. Marker", "/data/cohorts/jane-marker", "HOSP-4711", "ST-MARY", "PatientID"};
        cs::StudyRecord st;
        st.path = "/data/cohorts/jane-marker/chest.dcm";
        st.studyUid = "1.2.3";
        r.study = st;
        r.news2 = 5;
        QVERIFY(s->recordInference(r, "dr.who").ok());
        cs::NoteRecord n;
        n.patientId = r.patient.id; n.ruleId = "r"; n.text = "Marker note: start antibiotics"; n.status = "edited"; n.author = "dr.who";
        QVERIFY(s->saveNote(n).ok());
        // While it is open (WAL and shared memory present) and after it closes.
        for (int pass = 0; pass < 2; ++pass) {
            for (const QString secret : {"Jane Q. Marker", "HOSP-4711", "jane-marker", "Marker note", "/data/cohorts"})
                QVERIFY2(filesContaining(dir.path(), secret).isEmpty(), qPrintable(secret + " found in " + filesContaining(dir.path(), secret).join(", ")));
            if (pass == 0) s = cs::makeError(cs::Error::Code::Io, {}, {}, "closed");
        }
        // Owner-only, every file it wrote.
        QDirIterator it(dir.path(), QDir::Files);
        while (it.hasNext()) {
            const QString f = it.next();
            QCOMPARE(QFile::permissions(f) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther), QFile::Permissions());
        }
    }

    void badInputs_clearErrors_nothingLost()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("g.sqlite");
        {
            auto s = cs::ClinicalStore::open(path, kKey);
            QVERIFY(s.ok());
            QVERIFY(s->audit("dr.who", "kept", "p", "must survive").ok());
        }
        // The wrong key: refused, and the file is untouched.
        const QByteArray before = [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        auto wrong = cs::ClinicalStore::open(path, QByteArray(32, '\x01'));
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, cs::Error::Code::Integrity);
        QVERIFY2(wrong.error().message().contains(path) && wrong.error().message().contains("key"), qPrintable(wrong.error().message()));
        QVERIFY(!cs::ClinicalStore::open(path, {}).ok());   // no key at all: never opened in clear
        { QFile f(path); f.open(QIODevice::ReadOnly); QCOMPARE(f.readAll(), before); }
        // A file that is not a database at all.
        const QString junk = dir.filePath("junk.sqlite");
        { QFile f(junk); f.open(QIODevice::WriteOnly); f.write(QByteArray(5000, 'x')); }
        auto j = cs::ClinicalStore::open(junk, kKey);
        QVERIFY(!j.ok());
        QVERIFY2(j.error().message().contains("junk.sqlite"), qPrintable(j.error().message()));
        // Truncated: a copy cut after its first pages.
        const QString cut = dir.filePath("cut.sqlite");
        QVERIFY(QFile::copy(path, cut));
        { QFile f(cut); f.open(QIODevice::ReadWrite); f.resize(1024 + 512); }
        auto c = cs::ClinicalStore::open(cut, kKey);
        QVERIFY(!c.ok());
        qInfo("truncated: %s", qPrintable(c.error().message()));
        auto cv = cs::verifyAuditLog(cut, kKey);
        QVERIFY(!cv.ok() || !cv->intact);
        // Read-only: a clear refusal to write, the entries still readable.
        QFile::setPermissions(path, QFile::ReadOwner);
        if (QFileInfo(path).isWritable()) QSKIP("running as a user who can write read-only files (root)");
        auto ro = cs::ClinicalStore::open(path, kKey);
        QVERIFY(!ro.ok());
        QVERIFY2(ro.error().message().contains("read-only"), qPrintable(ro.error().message()));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    void lockedDatabase_clearError_nothingLost()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("l.sqlite");
        auto s = cs::ClinicalStore::open(path, kKey);
        QVERIFY(s.ok());
        QVERIFY(s->audit("dr.who", "first", "p", {}).ok());
        // Another program holds a write transaction on it.
        auto other = cs::sql::Database::open(path, kKey, cs::sql::Database::Mode::ReadWrite);
        QVERIFY(other.ok());
        QVERIFY(other->exec("BEGIN IMMEDIATE"));
        auto st = s->audit("dr.who", "second", "p", {});
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message().contains("locked"), qPrintable(st.error().message()));
        QVERIFY(other->exec("ROLLBACK"));
        QVERIFY(s->audit("dr.who", "third", "p", {}).ok());
        auto log = s->auditLog();
        QCOMPARE(int(log->size()), 2);
        QCOMPARE(log->front().action, QStringLiteral("first"));
    }

    void invalidNote_savesNothing()
    {
        QTemporaryDir dir;
        auto s = cs::ClinicalStore::open(dir.filePath("c.sqlite"), kKey);
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
    void inference_isOneTransaction()
    {
        QTemporaryDir dir;
        auto s = cs::ClinicalStore::open(dir.filePath("i.sqlite"), kKey);
        QVERIFY(s.ok());
        cs::InferenceRecord good;
        good.patient.id = "id:/A1";
        good.patient.displayName = "A";
        good.news2 = 3;
        cs::InferenceRecord bad = good;
        bad.patient.id = QString();          // NULL patient: the row is refused by the schema
        auto st = s->recordInference(bad, "tester");
        QVERIFY(!st.ok());
        QVERIFY(s->patients()->empty());     // nothing of the refused record stays
        QVERIFY(s->auditLog()->empty());
        QVERIFY(s->recordInference(good, "tester").ok());
        QVERIFY(s->recordInference(good, "tester").ok());
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
            worker.open(path, kKey, &receiver, [&](cs::Status st) { opened = st.ok(); });
            QTRY_VERIFY(opened);
            for (int i = 0; i < 200; ++i)
                worker.run<cs::Status>([i](cs::ClinicalStore &s) { return s.audit("tester", "test", QStringLiteral("p%1").arg(i), {}); },
                                       &receiver, {});
        }   // destroyed at once, with most writes still queued: they must all land
        auto s = cs::ClinicalStore::open(path, kKey);
        QVERIFY(s.ok());
        QCOMPARE(int(s->auditLog()->size()), 200);
    }
};

QTEST_GUILESS_MAIN(TestClinicalStore)
#include "tst_clinicalstore.moc"
