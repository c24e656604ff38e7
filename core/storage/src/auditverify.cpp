// Reading and verifying a database's audit chain without modifying the database.
#include "auditchain_p.h"

#include "clinsight/storage/auditchain.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSaveFile>
#include <optional>

namespace cs {

namespace {

// The database opened read-only: never migrated, never written, no audit key needed.
Result<sql::Database> openReadOnly(const QString &path, const QByteArray &key)
{
    if (!QFileInfo(path).isFile()) return makeError(Error::Code::Io, path, {}, QStringLiteral("database file not found"));
    return sql::Database::open(path, key, sql::Database::Mode::ReadOnly);
}

AuditVerification failed(AuditVerification v, qint64 entry, const QString &problem)
{
    v.intact = false;
    v.firstBadEntry = entry;
    v.problem = problem;
    return v;
}

} // namespace

Result<AuditVerification> verifyAuditLog(const QString &path, const QByteArray &key, const QString &publicKeyFile)
{
    AuditVerification v;
    auto db = openReadOnly(path, key);
    if (!db) {
        // A key that opened this database before and no longer does: the first page was changed.
        if (db.error().code == Error::Code::Integrity) return failed(v, 0, QStringLiteral("the file cannot be read: %1").arg(db.error().reason));
        return db.error();
    }
    // One snapshot for everything read below: the application keeps appending (each entry and its signed head in
    // one transaction), and a chain read before an append with a head read after it would look cut off.
    if (!db->readTransaction())
        return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot begin a read transaction: %1").arg(db->lastError().text()));
    sql::Query q(db.value());
    // SQLite's own check of every page: a damaged byte in the file's structure names its page.
    // SQLCipher checks each page's HMAC as it is read: a changed byte anywhere in a page in use fails here.
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")))
        return failed(v, 0, QStringLiteral("a page of the file fails its authentication check (a byte was changed, or the file is damaged): %1")
                                .arg(q.lastError().text()));
    QStringList pageProblems;
    while (q.next())
        for (const QString &line : q.value(0).toString().split('\n', Qt::SkipEmptyParts))
            if (!line.startsWith(QLatin1String("***"))) pageProblems << line.trimmed();
    if (!q.lastError().text().isEmpty())
        return failed(v, 0, QStringLiteral("a page of the file fails its authentication check (a byte was changed, or the file is damaged): %1")
                                .arg(q.lastError().text()));
    if (pageProblems != QStringList{QStringLiteral("ok")})
        return failed(v, 0, QStringLiteral("the file is damaged (SQLite integrity check): %1").arg(pageProblems.mid(0, 3).join(QStringLiteral("; "))));
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key='database_id'")) || !q.next())
        return failed(v, 0, QStringLiteral("no audit chain in this database (written before schema 4, or its id was removed)"));
    v.databaseId = q.value(0).toString();
    QString recordedKeyId;
    if (q.exec(QStringLiteral("SELECT value FROM meta WHERE key='audit_key_id'")) && q.next()) recordedKeyId = q.value(0).toString();
    v.publicKeyFile = publicKeyFile.isEmpty() ? auditchain::publicKeyPath(v.databaseId) : publicKeyFile;
    auto pub = security::readPublicKey(v.publicKeyFile);
    if (!pub)
        return failed(v, 0, QStringLiteral("cannot check the signed head: no audit public key (%1); pass the database's key with --public-key")
                                .arg(pub.error().message()));
    v.keyId = pub->keyId();
    if (!recordedKeyId.isEmpty() && recordedKeyId != v.keyId)
        return failed(v, 0, QStringLiteral("the database names audit key %1 but the key given is %2").arg(recordedKeyId, v.keyId));

    // The chain, oldest first: each entry's link to the one before it, then its own hash.
    if (!q.exec(QStringLiteral("SELECT id, at, user, action, patient_id, detail, prev_hash, entry_hash FROM audit_log ORDER BY id")))
        return failed(v, 0, QStringLiteral("audit_log unreadable: %1").arg(q.lastError().text()));
    QString prev = auditchain::genesis(v.databaseId);
    qint64 prevId = 0, lastId = 0;
    std::optional<AuditVerification> firstFailure;
    while (q.next()) {
        ++v.entries;
        if (firstFailure) continue;
        const qint64 id = q.value(0).toLongLong();
        if (q.value(6).toString() != prev) {
            firstFailure = failed(v, id, prevId == 0 ? QStringLiteral("entry %1 is not the first entry the chain began with: earlier entries were deleted or the entries reordered").arg(id)
                                                     : QStringLiteral("entry %1 does not follow entry %2: an entry between them was deleted or inserted, "
                                                                      "or the entries were reordered").arg(id).arg(prevId));
            continue;
        }
        const QString h = auditchain::entryHash(prev, id, q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                                                q.value(4).toString(), q.value(5).toString());
        if (h != q.value(7).toString()) {
            firstFailure = failed(v, id, QStringLiteral("entry %1 (%2, %3, '%4') was changed after it was written")
                                             .arg(id).arg(q.value(1).toString(), q.value(2).toString(), q.value(3).toString()));
            continue;
        }
        ++v.intactEntries;
        prev = h;
        prevId = lastId = id;
    }
    if (firstFailure) {
        firstFailure->entries = v.entries;
        return *firstFailure;
    }
    // The signed head: nothing cut from the end, nothing rewritten by someone without the key.
    if (!q.exec(QStringLiteral("SELECT entries, last_id, last_hash, signature FROM audit_head WHERE id=1")) || !q.next())
        return failed(v, 0, QStringLiteral("the signed head of the audit chain is missing"));
    const qint64 headEntries = q.value(0).toLongLong(), headLast = q.value(1).toLongLong();
    const QString headHash = q.value(2).toString();
    const QByteArray sig = QByteArray::fromBase64(q.value(3).toString().toLatin1());
    if (!security::verify(pub.value(), auditchain::headMessage(v.databaseId, headEntries, headLast, headHash), sig))
        return failed(v, 0, QStringLiteral("the head's signature does not verify under audit key %1: the head (or the whole chain) was rewritten without the key")
                                .arg(v.keyId));
    if (headEntries != v.entries || headLast != lastId || headHash != prev)
        return failed(v, headEntries > v.entries ? lastId + 1 : 0,
                      QStringLiteral("the signed head records %1 entries ending at entry %2, the log holds %3 ending at entry %4: "
                                     "%5")
                          .arg(headEntries).arg(headLast).arg(v.entries).arg(lastId)
                          .arg(headEntries > v.entries ? QStringLiteral("the newest entries were deleted")
                                                       : QStringLiteral("entries were rewritten or added without the key")));
    v.intact = true;
    return v;
}

Result<std::vector<AuditEntry>> readAuditEntries(const QString &path, const QByteArray &key)
{
    auto db = openReadOnly(path, key);
    if (!db) return db.error();
    sql::Query q(db.value());
    if (!q.exec(QStringLiteral("SELECT %1 FROM audit_log ORDER BY id").arg(QLatin1String(auditchain::kEntryColumns))))
        return makeError(Error::Code::Io, path, QStringLiteral("audit_log"), q.lastError().text());
    std::vector<AuditEntry> out;
    while (q.next())
        out.push_back(auditchain::entryFromRow(q));
    return out;
}

namespace {
QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
        return s;
    return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}
} // namespace

Status writeAuditCsv(const std::vector<AuditEntry> &entries, const QString &csvPath)
{
    QSaveFile f(csvPath);
    if (!f.open(QIODevice::WriteOnly)) return makeError(Error::Code::Io, csvPath, {}, QStringLiteral("cannot write: %1").arg(f.errorString()));
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);   // it names patients
    QString text = QStringLiteral("id,at_utc,user,action,patient_id,detail,entry_sha256\r\n");
    for (const auto &e : entries)
        text += QStringList{QString::number(e.id), e.at.toString(Qt::ISODateWithMs), csvField(e.user), csvField(e.action),
                            csvField(e.patientId), csvField(e.detail), e.entryHash}.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    f.write(text.toUtf8());
    if (!f.commit()) return makeError(Error::Code::Io, csvPath, {}, QStringLiteral("cannot write: %1").arg(f.errorString()));
    return Ok{};
}

} // namespace cs
