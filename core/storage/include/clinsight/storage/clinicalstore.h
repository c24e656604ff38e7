#pragma once
// The local clinical database (SQLCipher: SQLite encrypted page by page,
// with each page's HMAC checked on read; docs/security.md) in the user's data
// folder: patients, studies, vitals sources, inference results (with model
// version and input hashes), treatment notes, review status, and an
// append-only audit log (UPDATE/DELETE refused by triggers) that is a hash
// chain with a signed head, so that even dropping the triggers is detected
// (auditchain.h). The file is created owner-only (0600). WAL mode, schema
// version with migrations, a transaction around every write. open() fails,
// rather than write an unsigned record, when the database's audit key is missing.
// Storage takes plain records and knows nothing of the model or the
// clinical objects above it (clinsight/clinical/storagerecords.h converts).
// The database key comes from the database's keyring (clinsight/security/accounts.h):
// a signed-in session. A database written unencrypted by an earlier ClinSight is
// encrypted in place the first time it is opened with a key.
// Thread contract: one ClinicalStore per thread.
#include "clinsight/foundation/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace cs {

// A patient as identified (see clinsight/clinical/patientidentity.h): id is the
// stable key ("id:<issuer>/<identifier>" or "folder:<import folder>"), kept apart
// from the name the worklist shows.
struct PatientRecord {
    QString id, displayName, folder;
    QString hospitalId, issuer, identityBasis;
};

struct StudyRecord {
    QString path, studyUid, seriesUid, sopInstanceUid, modality, bodyPart, studyDate;
    int rows = 0, columns = 0, frames = 0;
    QString sha256;
};

struct VitalsSourceRecord {
    QString path, format, sha256;
    int rows = 0, samples = 0, excluded = 0;
};

// One scoring of one patient: what was read (with content hashes), which
// model, and what it and the early-warning scores said.
struct InferenceRecord {
    PatientRecord patient;
    std::optional<StudyRecord> study;
    std::optional<VitalsSourceRecord> vitals;
    QString modelName, modelVersion, imageSha256, vitalsSha256;
    std::optional<double> imageRisk, vitalsRisk, fusedRisk, imageShare, vitalsShare;
    std::optional<int> news2, qsofa;
    std::optional<bool> news2Partial;
    bool flagged = false;
    QString notes;
};

struct NoteRecord {
    qint64 id = 0;
    QString patientId;
    QString ruleId;
    QString suggestion;       // as the rules produced it
    QString text;             // as the clinician left it
    QString guideline;
    QString status;           // "accepted", "rejected", "edited"
    QString author;
    QDateTime savedAt;
    QString modelVersion, rulesVersion;
};

struct AuditEntry {
    qint64 id = 0;
    QDateTime at;
    QString user, action, patientId, detail;
    QString entryHash;   // SHA-256 chaining it to the entry before (auditchain.h)
};

struct StoredPatient {
    QString id, displayName, reviewStatus;
    QString folder;
    QString identityBasis;
};

class ClinicalStore {
public:
    static constexpr int kSchemaVersion = 4;
    // key: the 32-byte database key (Session::databaseKey). Errors: Denied without a
    // key, Integrity for a key that does not open the file (or a damaged file),
    // Unsupported for a newer schema, Io for a locked or read-only file.
    static Result<ClinicalStore> open(const QString &path, const QByteArray &key);
    static QString defaultPath();   // $CLINSIGHT_DB, else <AppDataLocation>/clinsight.sqlite
    static QString demoPath();      // the demo's own: <AppDataLocation>/demo/clinsight-demo.sqlite
    QString path() const;
    int schemaVersion() const;

    Status upsertPatient(const PatientRecord &p);
    // One patient's scoring in one transaction: the patient upserted and the scoring recorded (audited), or nothing.
    Status recordInference(const InferenceRecord &r, const QString &user);
    Result<std::vector<StoredPatient>> patients() const;
    Status setReviewStatus(const QString &patientId, const QString &status, const QString &user);
    Result<qint64> saveNote(const NoteRecord &n);
    Result<std::vector<NoteRecord>> notes(const QString &patientId) const;
    Status audit(const QString &user, const QString &action, const QString &patientId, const QString &detail);
    Result<std::vector<AuditEntry>> auditLog(const QString &patientId = {}) const;

    ClinicalStore(ClinicalStore &&) noexcept;
    ClinicalStore &operator=(ClinicalStore &&) noexcept;
    ~ClinicalStore();
    struct Impl;
private:
    explicit ClinicalStore(std::unique_ptr<Impl> d);
    std::unique_ptr<Impl> d;
};


} // namespace cs
