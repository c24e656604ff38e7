#pragma once
// The audit log as a tamper-evident record. Every entry carries the SHA-256 of
// its content chained to the entry before it (the first to a hash of the
// database's own id), and the chain's head (entry count, last id, last hash)
// is signed with the database's Ed25519 audit key after every append. The
// secret key lives apart from the database, owner-only, in the audit-keys
// folder (CLINSIGHT_KEYS_DIR, else <config>/ClinSight/audit-keys/<database id>.key);
// the public key is pinned beside it (.pub), and an auditor can name one.
//
// verifyAuditLog() reads a database without modifying it and reports the first
// entry that fails: edited (its hash), deleted, inserted or reordered (the links
// and ids), the newest entries cut off or the whole chain rewritten (the signed
// head), and a damaged file (SQLite's own page check). Reentrant.
#include "clinsight/foundation/error.h"
#include "clinsight/storage/clinicalstore.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace cs {

struct AuditVerification {
    bool intact = false;
    qint64 entries = 0;        // entries in the log
    qint64 intactEntries = 0;  // entries before the first that fails
    qint64 firstBadEntry = 0;  // id of the first entry that fails (0: none, or the failure is not an entry's)
    QString problem;           // what failed, for a person; empty when intact
    QString databaseId, keyId, publicKeyFile;
};

// key: the database key (a signed-in session's). publicKeyFile: the audit key to
// check the head against; empty = the one pinned in the audit-keys folder for this
// database. Errors: the file is missing or locked (a failed check, including a
// page whose authentication fails, is a Verification, not an Error).
Result<AuditVerification> verifyAuditLog(const QString &databasePath, const QByteArray &key, const QString &publicKeyFile = {});

// Every audit entry, oldest first, read without opening the database for writing
// (no migration, no audit key needed): for an auditor's export of a copied database.
Result<std::vector<AuditEntry>> readAuditEntries(const QString &databasePath, const QByteArray &key);

// The entries as CSV (RFC 4180, UTF-8, CRLF): id, at_utc, user, action, patient_id,
// detail, entry_sha256. Written atomically (temporary file + rename).
Status writeAuditCsv(const std::vector<AuditEntry> &entries, const QString &csvPath);

// Where a database's audit keys live.
QString auditKeysFolder();

} // namespace cs
