#pragma once
// Private: the audit chain's hashing, head signing and key files, shared by the
// store (appending) and the verifier (reading).
#include "clinsight/foundation/error.h"
#include "clinsight/security/signing.h"
#include "clinsight/storage/clinicalstore.h"

#include "sqlcipher_p.h"
#include <QString>

namespace cs::auditchain {

QString genesis(const QString &databaseId);
QString entryHash(const QString &prev, qint64 id, const QString &at, const QString &user, const QString &action,
                  const QString &patientId, const QString &detail);
QByteArray headMessage(const QString &databaseId, qint64 entries, qint64 lastId, const QString &lastHash);
QString secretKeyPath(const QString &databaseId);
QString publicKeyPath(const QString &databaseId);

// Who appends: the database's id and its audit secret key.
struct Signer {
    QString databaseId;
    security::SecretKey key;
};

// Appends one entry inside the caller's open transaction and re-signs the head.
bool append(sql::Query &q, const Signer &s, const QString &at, const QString &user, const QString &action,
            const QString &patientId, const QString &detail);

// Schema 3 -> 4, inside the migration's transaction: a database id, a new audit key
// (files written owner-only), every existing entry chained in id order, the signed head.
Status startChain(sql::Query &q, const QString &databasePath);

// The store's signer: the database id from meta and the secret key from the keys folder.
Result<Signer> loadSigner(sql::Query &q, const QString &databasePath);

// The columns an AuditEntry is read from, in the order entryFromRow expects them.
inline constexpr const char *kEntryColumns = "id, at, user, action, patient_id, detail, entry_hash";
// One row selected with kEntryColumns.
AuditEntry entryFromRow(const sql::Query &q);

} // namespace cs::auditchain
