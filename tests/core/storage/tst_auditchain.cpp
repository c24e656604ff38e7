// The audit log as a tamper-evident record: a real database written through
// the store, then changed behind its back the ways an insider could (an entry
// edited, deleted, reordered, the newest cut off, the whole chain rewritten
// with fresh hashes and another key, a byte of the file changed); verification
// names the first entry (or the page, or the head) that fails each time. The
// insider here holds the database key (SQLCipher): encryption keeps outsiders
// out, the chain catches insiders. Also: the database and its WAL are
// owner-only, and a missing audit key stops writes.
#include "clinsight/storage/auditchain.h"
#include "clinsight/storage/clinicalstore.h"
#include "auditchain_p.h"
#include "sqlcipher_p.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <atomic>
#include <QtTest>

namespace {

const QByteArray kKey = QByteArray::fromHex("6b2c0f1e9d8a7b6c5d4e3f201918171615141312111009080706050403020100");

// Runs statements on a database file directly, as an insider with the database key (not ClinSight) would.
void raw(const QString &path, const QStringList &statements)
{
    auto db = cs::sql::Database::open(path, kKey, cs::sql::Database::Mode::ReadWrite);
    QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().message()));
    for (const QString &s : statements) QVERIFY2(db->exec(s), qPrintable(s + ": " + db->lastError().text()));
}

QStringList rowValues(const QString &path, qint64 id)
{
    QStringList out;
    auto db = cs::sql::Database::open(path, kKey, cs::sql::Database::Mode::ReadOnly);
    if (!db) return out;
    cs::sql::Query q(db.value());
    q.exec(QStringLiteral("SELECT at, user, action, patient_id, detail, prev_hash, entry_hash FROM audit_log WHERE id=%1").arg(id));
    if (q.next())
        for (int i = 0; i < 7; ++i) out << q.value(i).toString();
    return out;
}

// Entry 3 edited, then every entry's link and hash recomputed; with forgeHead, the head
// re-signed for the new end with a key of the forger's own.
void rechainAfterEdit(const QString &path, bool forgeHead)
{
    raw(path, {"DROP TRIGGER audit_no_update", "UPDATE audit_log SET detail='nothing happened' WHERE id=3"});
    {
        auto db = cs::sql::Database::open(path, kKey, cs::sql::Database::Mode::ReadWrite);
        QVERIFY(db.ok());
        cs::sql::Query q(db.value());
        QVERIFY(q.exec("SELECT value FROM meta WHERE key='database_id'") && q.next());
        const QString databaseId = q.value(0).toString();
        q.finish();
        QVERIFY(q.exec("SELECT id, at, user, action, patient_id, detail FROM audit_log ORDER BY id"));
        QString prev = cs::auditchain::genesis(databaseId);
        QList<QStringList> updates;
        qint64 last = 0;
        while (q.next()) {
            last = q.value(0).toLongLong();
            const QString h = cs::auditchain::entryHash(prev, last, q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                                                        q.value(4).toString(), q.value(5).toString());
            updates << QStringList{QString::number(last), prev, h};
            prev = h;
        }
        q.finish();
        for (const auto &u : updates)
            QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET prev_hash='%1', entry_hash='%2' WHERE id=%3").arg(u[1], u[2], u[0])));
        if (forgeHead) {
            auto forger = cs::security::generateKey("forger");
            QVERIFY(forger.ok());
            const QByteArray sig = cs::security::sign(forger.value(), cs::auditchain::headMessage(databaseId, updates.size(), last, prev));
            QVERIFY(q.exec(QStringLiteral("UPDATE audit_head SET last_hash='%1', signature='%2'").arg(prev, QString::fromLatin1(sig.toBase64()))));
        }
    }
}

QString sqlText(const QString &s) { return "'" + QString(s).replace("'", "''") + "'"; }

} // namespace

class TestAuditChain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_original;
    int m_copies = 0;

    QString copy()
    {
        const QString c = m_dir.filePath(QStringLiteral("copy%1.sqlite").arg(++m_copies));
        if (!QFile::copy(m_original, c)) return {};
        return c;
    }
    // The store's own pinned key, for copies (whose database id is the original's).
    cs::AuditVerification verify(const QString &path)
    {
        auto v = cs::verifyAuditLog(path, kKey);
        if (!v) qWarning("%s", qPrintable(v.error().message()));
        return v ? v.value() : cs::AuditVerification{};
    }

private slots:
    void initTestCase()
    {
        qputenv("CLINSIGHT_KEYS_DIR", m_dir.filePath("keys").toUtf8());
        m_original = m_dir.filePath("clinsight.sqlite");
        auto s = cs::ClinicalStore::open(m_original, kKey);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        cs::PatientRecord p;
        p.id = "id:HOSP/123";
        p.displayName = "Jane Example";
        QVERIFY(s->upsertPatient(p).ok());
        for (int i = 1; i <= 5; ++i) QVERIFY(s->audit("dr.who", "opened", p.id, QStringLiteral("detail-marker-%1").arg(i)).ok());
        cs::NoteRecord n;
        n.patientId = p.id; n.ruleId = "r"; n.text = "fluids"; n.status = "accepted"; n.author = "dr.who";
        QVERIFY(s->saveNote(n).ok());
        QVERIFY(s->setReviewStatus(p.id, "reviewed", "dr.rad").ok());
        // The files are the owner's alone, WAL and shared memory included.
        for (const QString &f : {m_original, m_original + "-wal", m_original + "-shm"})
            if (QFile::exists(f))
                QCOMPARE(QFile::permissions(f) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                         QFile::Permissions());
    }

    void intact_countsEveryEntry()
    {
        auto v = verify(m_original);
        QVERIFY2(v.intact, qPrintable(v.problem));
        QCOMPARE(v.entries, qint64(7));
        QCOMPARE(v.intactEntries, qint64(7));
        // And writing on after a reopen keeps it intact.
        const QString c = copy();
        {
            auto s = cs::ClinicalStore::open(c, kKey);
            QVERIFY(s.ok());
            QVERIFY(s->audit("dr.who", "exported", {}, "pdf").ok());
        }
        QVERIFY2(verify(c).intact, qPrintable(verify(c).problem));
        QCOMPARE(verify(c).entries, qint64(8));
    }

    // The application verifies while its store keeps writing (the workstation's own "signed in", "opened" ...):
    // the check reads one snapshot, so an entry appended between its reading the chain and the signed head is
    // never mistaken for entries rewritten without the key (a false alarm of tampering).
    void verificationWhileWriting_readsOneSnapshot()
    {
        const QString c = copy();
        std::atomic<bool> done{false};
        std::atomic<int> written{0};
        QThread *writer = QThread::create([&] {
            auto s = cs::ClinicalStore::open(c, kKey);
            if (!s) { done = true; return; }
            for (int i = 0; i < 400 && !done; ++i)
                if (s->audit("dr.who", "opened", {}, QStringLiteral("concurrent-%1").arg(i)).ok()) ++written;
            done = true;
        });
        writer->start();
        int checks = 0;
        qint64 lastEntries = 0;
        QString firstProblem;
        while ((!done || checks < 3) && firstProblem.isEmpty()) {
            auto v = cs::verifyAuditLog(c, kKey);
            if (!v) firstProblem = v.error().message();
            else if (!v->intact) firstProblem = QStringLiteral("check %1 of %2 entries: %3").arg(checks).arg(v->entries).arg(v->problem);
            else if (v->entries < lastEntries) firstProblem = QStringLiteral("check %1 saw fewer entries than the one before").arg(checks);
            else lastEntries = v->entries;
            ++checks;
        }
        done = true;   // the writer stops early on a failure; it must not outlive what it writes to
        writer->wait();
        delete writer;
        QVERIFY2(firstProblem.isEmpty(), qPrintable(firstProblem));
        QCOMPARE(written.load(), 400);
        QCOMPARE(verify(c).entries, qint64(7 + 400));
        QVERIFY(checks > 3);
    }

    void editedEntry_isNamed()
    {
        const QString c = copy();
        raw(c, {"DROP TRIGGER audit_no_update", "UPDATE audit_log SET detail='nothing happened' WHERE id=3"});
        auto v = verify(c);
        QVERIFY(!v.intact);
        QCOMPARE(v.firstBadEntry, qint64(3));
        QCOMPARE(v.intactEntries, qint64(2));
        QVERIFY2(v.problem.contains("entry 3") && v.problem.contains("changed"), qPrintable(v.problem));
    }

    void deletedEntry_isNamed()
    {
        const QString c = copy();
        raw(c, {"DROP TRIGGER audit_no_delete", "DELETE FROM audit_log WHERE id=4"});
        auto v = verify(c);
        QVERIFY(!v.intact);
        QCOMPARE(v.firstBadEntry, qint64(5));
        QVERIFY2(v.problem.contains("entry 5 does not follow entry 3"), qPrintable(v.problem));
    }

    void newestEntriesCutOff_isDetected()
    {
        const QString c = copy();
        raw(c, {"DROP TRIGGER audit_no_delete", "DELETE FROM audit_log WHERE id>=6"});
        auto v = verify(c);
        QVERIFY(!v.intact);
        QVERIFY2(v.problem.contains("newest entries were deleted"), qPrintable(v.problem));
        QCOMPARE(v.firstBadEntry, qint64(6));
    }

    void reorderedEntries_areNamed()
    {
        const QString c = copy();
        const QStringList a = rowValues(c, 2), b = rowValues(c, 3);
        QCOMPARE(a.size(), 7);
        auto set = [](qint64 id, const QStringList &r) {
            return QStringLiteral("UPDATE audit_log SET at=%1, user=%2, action=%3, patient_id=%4, detail=%5, prev_hash=%6, entry_hash=%7 WHERE id=%8")
                .arg(sqlText(r[0]), sqlText(r[1]), sqlText(r[2]), sqlText(r[3]), sqlText(r[4]), sqlText(r[5]), sqlText(r[6])).arg(id);
        };
        raw(c, {"DROP TRIGGER audit_no_update", set(2, b), set(3, a)});
        auto v = verify(c);
        QVERIFY(!v.intact);
        QCOMPARE(v.firstBadEntry, qint64(2));
        QVERIFY2(v.problem.contains("reordered"), qPrintable(v.problem));
    }

    void wholeChainRewritten_isDetected()
    {
        // The insider edits entry 3 and recomputes every hash after it (no key needed for that) ...
        const QString headKept = copy(), headForged = copy();
        rechainAfterEdit(headKept, false);
        rechainAfterEdit(headForged, true);
        // ... the untouched signed head no longer matches the chain's end,
        auto kept = verify(headKept);
        QVERIFY(!kept.intact);
        QVERIFY2(kept.problem.contains("rewritten or added without the key"), qPrintable(kept.problem));
        // ... and a head re-signed with a key of their own does not verify under the database's key.
        auto forged = verify(headForged);
        QVERIFY(!forged.intact);
        QVERIFY2(forged.problem.contains("signature does not verify"), qPrintable(forged.problem));
    }

    void changedByteOfTheFile_isDetected()
    {
        // Every page carries an HMAC (SQLCipher): one byte changed anywhere in a page in use,
        // even by someone holding the key, makes that page unreadable and the check fails.
        const qint64 pageSize = 1024;   // SQLCipher 3's default
        for (qint64 page : {3, 5}) {
            const QString c = copy();
            {
                QFile f(c);
                QVERIFY(f.open(QIODevice::ReadWrite));
                QVERIFY(f.size() >= (page + 1) * pageSize);
                f.seek((page - 1) * pageSize + 200);
                char b = 0;
                f.getChar(&b);
                f.seek((page - 1) * pageSize + 200);
                f.putChar(char(b ^ 0x01));
            }
            auto v = verify(c);
            QVERIFY(!v.intact);
            qInfo("page %lld changed: %s", page, qPrintable(v.problem));
            QVERIFY2(v.problem.contains("authentication"), qPrintable(v.problem));
        }
        // The first page (the key check itself): the file no longer opens with its key.
        const QString d = copy();
        {
            QFile f(d);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(600);
            char b = 0;
            f.getChar(&b);
            f.seek(600);
            f.putChar(char(b ^ 0x55));   // changed whatever it was (writing 0x55 over a byte that was 0x55 changed nothing, 1 run in 256)
        }
        auto w = verify(d);
        QVERIFY(!w.intact);
        QVERIFY2(w.problem.contains("cannot be read"), qPrintable(w.problem));
        auto s = cs::ClinicalStore::open(d, kKey);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, cs::Error::Code::Integrity);
    }

    void missingKeys_stopWrites_andVerification()
    {
        const QString c = copy();
        QString databaseId;
        {
            auto v = verify(c);
            databaseId = v.databaseId;
        }
        const QString keyDir = m_dir.filePath("keys");
        QVERIFY(QFile::rename(keyDir + "/" + databaseId + ".key", keyDir + "/" + databaseId + ".key.away"));
        auto s = cs::ClinicalStore::open(c, kKey);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, cs::Error::Code::Integrity);
        QVERIFY2(s.error().message().contains("audit signing key"), qPrintable(s.error().message()));
        QVERIFY(verify(c).intact);   // reading needs the public key only
        QVERIFY(QFile::rename(keyDir + "/" + databaseId + ".key.away", keyDir + "/" + databaseId + ".key"));
        // An auditor given the wrong public key is told so; with none pinned, nothing is called intact.
        auto other = cs::security::generateKey("someone");
        QVERIFY(cs::security::writePublicKey(other->publicKey(), m_dir.filePath("other.pub")).ok());
        auto wrong = cs::verifyAuditLog(c, kKey, m_dir.filePath("other.pub"));
        QVERIFY(wrong.ok() && !wrong->intact);
        QVERIFY(wrong->problem.contains("names audit key"));
        auto none = cs::verifyAuditLog(c, kKey, m_dir.filePath("nowhere.pub"));
        QVERIFY(none.ok() && !none->intact);
        QVERIFY(!cs::verifyAuditLog(m_dir.filePath("no-such.sqlite"), kKey).ok());
    }
};

QTEST_GUILESS_MAIN(TestAuditChain)
#include "tst_auditchain.moc"
