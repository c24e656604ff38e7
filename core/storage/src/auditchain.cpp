#include "auditchain_p.h"

#include "clinsight/storage/auditchain.h"
#include "clinsight/foundation/environment.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUuid>

namespace cs {

QString auditKeysFolder()
{
    const QString env = env::auditKeysFolderOverride();
    if (!env.isEmpty()) return QDir::cleanPath(QDir(env).absolutePath());
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    if (base.isEmpty()) base = QDir::homePath() + QStringLiteral("/.config");
    return base + QStringLiteral("/ClinSight/audit-keys");
}

namespace auditchain {

namespace {
// Length-prefixed fields: no choice of text in one field can imitate another's boundary.
void field(QCryptographicHash &h, const QString &s)
{
    const QByteArray b = s.toUtf8();
    h.addData(QByteArray::number(b.size()) + ':');
    h.addData(b);
    h.addData("\n");
}
} // namespace

QString genesis(const QString &databaseId)
{
    return QString::fromLatin1(QCryptographicHash::hash("clinsight-audit-genesis-v1:" + databaseId.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString entryHash(const QString &prev, qint64 id, const QString &at, const QString &user, const QString &action,
                  const QString &patientId, const QString &detail)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData("clinsight-audit-entry-v1\n");
    for (const QString &s : {prev, QString::number(id), at, user, action, patientId, detail}) field(h, s);
    return QString::fromLatin1(h.result().toHex());
}

QByteArray headMessage(const QString &databaseId, qint64 entries, qint64 lastId, const QString &lastHash)
{
    return QStringLiteral("clinsight-audit-head-v1|%1|%2|%3|%4").arg(databaseId).arg(entries).arg(lastId).arg(lastHash).toUtf8();
}

QString secretKeyPath(const QString &databaseId) { return auditKeysFolder() + '/' + databaseId + QStringLiteral(".key"); }
QString publicKeyPath(const QString &databaseId) { return auditKeysFolder() + '/' + databaseId + QStringLiteral(".pub"); }

namespace {
bool signHead(sql::Query &q, const Signer &s, qint64 entries, qint64 lastId, const QString &lastHash)
{
    const QByteArray sig = security::sign(s.key, headMessage(s.databaseId, entries, lastId, lastHash));
    if (sig.isEmpty()) return false;
    const QVariantList values{QVariant(entries), QVariant(lastId), QVariant(lastHash), QVariant(s.key.publicKey().keyId()),
                              QVariant(QString::fromLatin1(sig.toBase64())),
                              QVariant(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs))};
    q.prepare(QStringLiteral("UPDATE audit_head SET entries=?, last_id=?, last_hash=?, key_id=?, signature=?, signed_at=? WHERE id=1"));
    for (const QVariant &v : values) q.addBindValue(v);
    if (!q.exec()) return false;
    if (q.numRowsAffected() == 1) return true;
    q.prepare(QStringLiteral("INSERT INTO audit_head(entries, last_id, last_hash, key_id, signature, signed_at, id) VALUES(?,?,?,?,?,?,1)"));
    for (const QVariant &v : values) q.addBindValue(v);
    return q.exec();
}
} // namespace

bool append(sql::Query &q, const Signer &s, const QString &at, const QString &user, const QString &action,
            const QString &patientId, const QString &detail)
{
    if (!q.exec(QStringLiteral("SELECT entries, last_id, last_hash FROM audit_head WHERE id=1")) || !q.next()) return false;
    const qint64 entries = q.value(0).toLongLong(), lastId = q.value(1).toLongLong();
    const QString lastHash = q.value(2).toString();
    q.finish();
    const qint64 id = lastId + 1;
    const QString hash = entryHash(lastHash, id, at, user, action, patientId, detail);
    q.prepare(QStringLiteral("INSERT INTO audit_log(id, at, user, action, patient_id, detail, prev_hash, entry_hash) VALUES(?,?,?,?,?,?,?,?)"));
    for (const QVariant &v : {QVariant(id), QVariant(at), QVariant(user), QVariant(action), QVariant(patientId), QVariant(detail),
                              QVariant(lastHash), QVariant(hash)})
        q.addBindValue(v);
    if (!q.exec()) return false;
    return signHead(q, s, entries + 1, id, hash);
}

Status startChain(sql::Query &q, const QString &databasePath)
{
    Signer s;
    s.databaseId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto key = security::generateKey(QStringLiteral("ClinSight audit key of database %1").arg(s.databaseId));
    if (!key) return key.error();
    s.key = key.value();
    const QString folder = auditKeysFolder();
    if (!QDir().mkpath(folder))
        return makeError(Error::Code::Io, folder, {}, QStringLiteral("cannot create the audit-keys folder"));
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (auto st = security::writeSecretKey(s.key, secretKeyPath(s.databaseId)); !st) return st.error();
    if (auto st = security::writePublicKey(s.key.publicKey(), publicKeyPath(s.databaseId)); !st) return st.error();
    auto fail = [&](const QString &what) {
        return makeError(Error::Code::Io, databasePath, what, q.lastError().text());
    };
    q.prepare(QStringLiteral("INSERT INTO meta(key, value) VALUES('database_id', ?), ('audit_key_id', ?)"));
    q.addBindValue(s.databaseId);
    q.addBindValue(s.key.publicKey().keyId());
    if (!q.exec()) return fail(QStringLiteral("meta"));
    // Entries written before the chain existed are chained as they are now: from here on they cannot change unnoticed.
    if (!q.exec(QStringLiteral("SELECT id, at, user, action, patient_id, detail FROM audit_log ORDER BY id"))) return fail(QStringLiteral("audit_log"));
    struct Row { qint64 id; QString hash, prev; };
    std::vector<Row> rows;
    QString prev = genesis(s.databaseId);
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        const QString h = entryHash(prev, id, q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                                    q.value(4).toString(), q.value(5).toString());
        rows.push_back({id, h, prev});
        prev = h;
    }
    q.finish();
    for (const Row &r : rows) {
        q.prepare(QStringLiteral("UPDATE audit_log SET prev_hash=?, entry_hash=? WHERE id=?"));
        q.addBindValue(r.prev);
        q.addBindValue(r.hash);
        q.addBindValue(r.id);
        if (!q.exec()) return fail(QStringLiteral("audit_log"));
    }
    if (!signHead(q, s, qint64(rows.size()), rows.empty() ? 0 : rows.back().id, prev)) return fail(QStringLiteral("audit_head"));
    if (!rows.empty()
        && !append(q, s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs), QStringLiteral("clinsight"),
                   QStringLiteral("audit chain started"), {},
                   QStringLiteral("%1 earlier entries chained as found at the upgrade to schema 4").arg(rows.size())))
        return fail(QStringLiteral("audit_log"));
    return Ok{};
}

Result<Signer> loadSigner(sql::Query &q, const QString &databasePath)
{
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key='database_id'")) || !q.next())
        return makeError(Error::Code::Integrity, databasePath, QStringLiteral("meta.database_id"),
                         QStringLiteral("the database has no id: its audit chain cannot be continued"));
    Signer s;
    s.databaseId = q.value(0).toString();
    q.finish();
    const QString path = secretKeyPath(s.databaseId);
    auto key = security::readSecretKey(path);
    if (!key)
        return makeError(Error::Code::Integrity, databasePath, QStringLiteral("audit key"),
                         QStringLiteral("the audit signing key of this database (%1) is missing or unreadable: %2. ClinSight "
                                        "will not add unsigned entries to the record; restore the key from backup or ask the administrator")
                             .arg(path, key.error().reason));
    s.key = key.value();
    return s;
}

} // namespace auditchain
AuditEntry auditchain::entryFromRow(const sql::Query &q)
{
    return {q.value(0).toLongLong(), QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs), q.value(2).toString(),
            q.value(3).toString(), q.value(4).toString(), q.value(5).toString(), q.value(6).toString()};
}

} // namespace cs
