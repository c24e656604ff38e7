#pragma once
// The local clinical database (SQLite through QtSql) in the user's data
// folder: patients, studies, vitals sources, inference results (with model
// version and input hashes), treatment notes, review status, and an
// append-only audit log (UPDATE/DELETE refused by triggers). WAL mode,
// schema version with migrations, a transaction around every write.
// Thread contract: one ClinicalStore per thread (QtSql connections are).
#include "assessment.h"

#include <QDateTime>
#include <memory>

namespace cs {

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
};

struct StoredPatient {
    QString id, displayName, reviewStatus;
    QString folder;
};

class ClinicalStore {
public:
    static constexpr int kSchemaVersion = 2;
    static Result<ClinicalStore> open(const QString &path);
    static QString defaultPath();   // <AppDataLocation>/clinsight.sqlite
    QString path() const;
    int schemaVersion() const;

    Status upsertPatient(const PatientInputs &p);
    Status recordAssessment(const PatientAssessment &a, const QString &user);
    Result<std::vector<StoredPatient>> patients() const;
    Status setReviewStatus(const QString &patientId, const QString &status, const QString &user);
    Result<qint64> saveNote(const NoteRecord &n);
    Result<std::vector<NoteRecord>> notes(const QString &patientId) const;
    Status audit(const QString &user, const QString &action, const QString &patientId, const QString &detail);
    Result<std::vector<AuditEntry>> auditLog(const QString &patientId = {}) const;
    Result<int> inferenceCount(const QString &patientId) const;

    ClinicalStore(ClinicalStore &&) noexcept;
    ClinicalStore &operator=(ClinicalStore &&) noexcept;
    ~ClinicalStore();
    struct Impl;
private:
    explicit ClinicalStore(std::unique_ptr<Impl> d);
    std::unique_ptr<Impl> d;
};

QString currentUserName();

} // namespace cs
