#include "clinsight/storage/clinicalstore.h"

#include "clinsight/foundation/environment.h"
#include "auditchain_p.h"
#include "sqlcipher_p.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace cs {

struct ClinicalStore::Impl {
    QString path;
    int version = 0;
    auditchain::Signer signer;
    mutable sql::Database db;
};

namespace {

Error sqlError(const QString &path, const QString &what, const sql::SqlError &e)
{
    return makeError(Error::Code::Io, path, what, e.text().isEmpty() ? QStringLiteral("database error") : e.text());
}

// A migration step that is code, not SQL: the audit chain's start (keys, hashes, signed head).
const QString kStartChain = QStringLiteral("@start-audit-chain");

// Each migration takes the schema from version i to i+1: a list of statements.
const QList<QStringList> &migrations()
{
    static const QList<QStringList> m = {
        {   // 0 -> 1
            QStringLiteral("CREATE TABLE patients(id TEXT PRIMARY KEY, display_name TEXT, folder TEXT, created_at TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE studies(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), path TEXT NOT NULL,"
                           " study_uid TEXT, series_uid TEXT, sop_instance_uid TEXT, modality TEXT, body_part TEXT, study_date TEXT,"
                           " rows INTEGER, columns INTEGER, frames INTEGER, sha256 TEXT, UNIQUE(patient_id, path))"),
            QStringLiteral("CREATE TABLE vitals_sources(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), path TEXT NOT NULL,"
                           " format TEXT, sha256 TEXT, rows INTEGER, samples INTEGER, excluded INTEGER, UNIQUE(patient_id, path))"),
            QStringLiteral("CREATE TABLE inference_results(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), created_at TEXT NOT NULL,"
                           " user TEXT, model_name TEXT, model_version TEXT, image_sha256 TEXT, vitals_sha256 TEXT, image_risk REAL, vitals_risk REAL,"
                           " fused_risk REAL, image_share REAL, vitals_share REAL, news2 INTEGER, news2_partial INTEGER, qsofa INTEGER, flagged INTEGER,"
                           " notes TEXT)"),
            QStringLiteral("CREATE TABLE notes(id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patients(id), rule_id TEXT, suggestion TEXT,"
                           " text TEXT NOT NULL, guideline TEXT, status TEXT NOT NULL CHECK(status IN ('accepted','rejected','edited')),"
                           " author TEXT NOT NULL, saved_at TEXT NOT NULL, model_version TEXT, rules_version TEXT)"),
            QStringLiteral("CREATE TABLE audit_log(id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,"
                           " patient_id TEXT, detail TEXT)"),
            QStringLiteral("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"),
            QStringLiteral("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"),
        },
        {   // 1 -> 2: review status per patient, indexes
            QStringLiteral("ALTER TABLE patients ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed'"),
            QStringLiteral("CREATE INDEX notes_patient ON notes(patient_id)"),
            QStringLiteral("CREATE INDEX inference_patient ON inference_results(patient_id)"),
        },
        {   // 2 -> 3: patient identity apart from the display name. Rows from before were keyed by the
            // cohort folder's name; they keep their key and say so.
            QStringLiteral("ALTER TABLE patients ADD COLUMN hospital_id TEXT"),
            QStringLiteral("ALTER TABLE patients ADD COLUMN issuer TEXT"),
            QStringLiteral("ALTER TABLE patients ADD COLUMN identity_basis TEXT"),
            QStringLiteral("UPDATE patients SET identity_basis='cohort folder name (recorded before schema 3)'"),
        },
        {   // 3 -> 4: the audit log becomes a hash chain with a signed head (auditchain.h).
            QStringLiteral("DROP TRIGGER IF EXISTS audit_no_update"),
            QStringLiteral("ALTER TABLE audit_log ADD COLUMN prev_hash TEXT"),
            QStringLiteral("ALTER TABLE audit_log ADD COLUMN entry_hash TEXT"),
            QStringLiteral("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE audit_head(id INTEGER PRIMARY KEY CHECK(id=1), entries INTEGER NOT NULL, last_id INTEGER NOT NULL,"
                           " last_hash TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL, signed_at TEXT NOT NULL)"),
            kStartChain,
            QStringLiteral("CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"),
            QStringLiteral("CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'the audit head is kept'); END"),
        },
    };
    return m;
}

QString now() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

} // namespace

ClinicalStore::ClinicalStore(std::unique_ptr<Impl> d) : d(std::move(d)) {}
ClinicalStore::~ClinicalStore() = default;
ClinicalStore::ClinicalStore(ClinicalStore &&) noexcept = default;
ClinicalStore &ClinicalStore::operator=(ClinicalStore &&) noexcept = default;

QString ClinicalStore::defaultPath()
{
    const QString env = env::databaseOverride();
    if (!env.isEmpty()) return env;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty()) dir = QDir::homePath() + QStringLiteral("/.local/share/ClinSight");
    return dir + QStringLiteral("/clinsight.sqlite");
}

QString ClinicalStore::demoPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty()) dir = QDir::homePath() + QStringLiteral("/.local/share/ClinSight");
    return dir + QStringLiteral("/demo/clinsight-demo.sqlite");
}

QString ClinicalStore::path() const { return d->path; }
int ClinicalStore::schemaVersion() const { return d->version; }

Result<ClinicalStore> ClinicalStore::open(const QString &path, const QByteArray &key)
{
    if (key.size() != 32)
        return makeError(Error::Code::Denied, path, QStringLiteral("key"), QStringLiteral("no database key: sign in first"));
    const QString folder = QFileInfo(path).absolutePath();
    if (!QFileInfo::exists(folder)) {   // a folder ClinSight creates is the user's alone
        QDir().mkpath(folder);
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    // Owner-only from the first byte (SQLite gives its -wal and -shm files the database's mode);
    // an existing database readable by others is tightened.
    const QFile::Permissions ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
    if (!QFileInfo::exists(path)) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly))
            return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot create the database: %1").arg(f.errorString()));
    } else if ((QFile::permissions(path) & ~(ownerOnly | QFile::ReadUser | QFile::WriteUser)) != QFile::Permissions()) {
        QFile::setPermissions(path, ownerOnly);
    }
    // A database written before ClinSight encrypted its databases is encrypted in place first.
    if (sql::Database::isPlainSqlite(path))
        if (auto st = sql::Database::encryptInPlace(path, key); !st) return st.error();
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    auto opened = sql::Database::open(path, key, sql::Database::Mode::ReadWrite);
    if (!opened) return opened.error();
    impl->db = std::move(opened.value());
    sql::Database &db = impl->db;
    {
        sql::Query q(db);
        if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
            return sqlError(path, QStringLiteral("user_version"), q.lastError());
        int version = q.value(0).toInt();
        q.finish();
        if (version > kSchemaVersion)
            return makeError(Error::Code::Unsupported, path, QStringLiteral("schema version"),
                             QStringLiteral("database schema %1 is newer than this ClinSight (%2); refusing to modify it").arg(version).arg(kSchemaVersion));
        if (!db.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !db.exec(QStringLiteral("PRAGMA foreign_keys=ON")))
            return sqlError(path, QStringLiteral("PRAGMA"), db.lastError());
        while (version < kSchemaVersion) {
            if (!db.transaction()) return sqlError(path, QStringLiteral("migration"), db.lastError());
            for (const QString &stmt : migrations()[version]) {
                sql::Query m(db);
                if (stmt == kStartChain) {
                    if (auto st = auditchain::startChain(m, path); !st) {
                        m.finish();
                        db.rollback();
                        return st.error();
                    }
                    continue;
                }
                if (!m.exec(stmt)) {
                    const sql::SqlError e = m.lastError();
                    m.finish();
                    db.rollback();
                    return sqlError(path, QStringLiteral("migration %1->%2").arg(version).arg(version + 1), e);
                }
            }
            if (!db.exec(QStringLiteral("PRAGMA user_version=%1").arg(version + 1)) || !db.commit()) {
                const sql::SqlError e = db.lastError();
                db.rollback();
                return sqlError(path, QStringLiteral("migration"), e);
            }
            ++version;
        }
        impl->version = version;
        // The key that signs the audit chain's head; without it nothing is written (never an unsigned record).
        sql::Query k(db);
        auto signer = auditchain::loadSigner(k, path);
        if (!signer) return signer.error();
        impl->signer = signer.value();
    }
    return ClinicalStore(std::move(impl));
}

namespace {
// Runs fn inside a transaction; rolls back on any failure so nothing half-written stays.
template <class Fn>
Status inTransaction(sql::Database &db, const QString &path, const QString &what, Fn fn)
{
    if (!db.transaction()) return sqlError(path, what, db.lastError());
    sql::Query q(db);
    if (!fn(q)) {
        const sql::SqlError e = q.lastError();
        db.rollback();
        return sqlError(path, what, e);
    }
    q.finish();
    if (!db.commit()) {
        const sql::SqlError e = db.lastError();
        db.rollback();
        return sqlError(path, what, e);
    }
    return Ok{};
}
} // namespace

namespace {

bool upsertPatientRow(sql::Query &q, const PatientRecord &p)
{
    q.prepare(QStringLiteral("UPDATE patients SET display_name=?, folder=?, hospital_id=?, issuer=?, identity_basis=? WHERE id=?"));
    for (const QVariant &v : {QVariant(p.displayName), QVariant(p.folder), QVariant(p.hospitalId), QVariant(p.issuer),
                              QVariant(p.identityBasis), QVariant(p.id)})
        q.addBindValue(v);
    if (!q.exec()) return false;
    if (q.numRowsAffected() == 1) return true;
    q.prepare(QStringLiteral("INSERT INTO patients(display_name, folder, hospital_id, issuer, identity_basis, id, created_at) VALUES(?,?,?,?,?,?,?)"));
    for (const QVariant &v : {QVariant(p.displayName), QVariant(p.folder), QVariant(p.hospitalId), QVariant(p.issuer),
                              QVariant(p.identityBasis), QVariant(p.id), QVariant(now())})
        q.addBindValue(v);
    return q.exec();
}

bool inferenceRows(sql::Query &q, const auditchain::Signer &signer, const InferenceRecord &r, const QString &user)
{
    const PatientRecord &p = r.patient;
    if (!upsertPatientRow(q, p)) return false;
    if (r.study) {
        const StudyRecord &i = *r.study;
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO studies(patient_id, path, study_uid, series_uid, sop_instance_uid, modality,"
                                 " body_part, study_date, rows, columns, frames, sha256) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
        for (const QVariant &v : {QVariant(p.id), QVariant(i.path), QVariant(i.studyUid), QVariant(i.seriesUid),
                                  QVariant(i.sopInstanceUid), QVariant(i.modality), QVariant(i.bodyPart), QVariant(i.studyDate),
                                  QVariant(i.rows), QVariant(i.columns), QVariant(i.frames), QVariant(i.sha256)})
            q.addBindValue(v);
        if (!q.exec()) return false;
    }
    if (r.vitals) {
        const VitalsSourceRecord &v = *r.vitals;
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO vitals_sources(patient_id, path, format, sha256, rows, samples, excluded)"
                                 " VALUES(?,?,?,?,?,?,?)"));
        for (const QVariant &x : {QVariant(p.id), QVariant(v.path), QVariant(v.format), QVariant(v.sha256), QVariant(v.rows),
                                  QVariant(v.samples), QVariant(v.excluded)})
            q.addBindValue(x);
        if (!q.exec()) return false;
    }
    q.prepare(QStringLiteral("INSERT INTO inference_results(patient_id, created_at, user, model_name, model_version, image_sha256,"
                             " vitals_sha256, image_risk, vitals_risk, fused_risk, image_share, vitals_share, news2, news2_partial,"
                             " qsofa, flagged, notes) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    auto opt = [](const auto &o) { return o ? QVariant(*o) : QVariant(); };
    for (const QVariant &v : {QVariant(p.id), QVariant(now()), QVariant(user), QVariant(r.modelName), QVariant(r.modelVersion),
                              QVariant(r.imageSha256), QVariant(r.vitalsSha256), opt(r.imageRisk), opt(r.vitalsRisk),
                              opt(r.fusedRisk), opt(r.imageShare), opt(r.vitalsShare), opt(r.news2), opt(r.news2Partial),
                              opt(r.qsofa), QVariant(r.flagged), QVariant(r.notes)})
        q.addBindValue(v);
    if (!q.exec()) return false;
    return auditchain::append(q, signer, now(), user, QStringLiteral("scored"), p.id, QStringLiteral("model %1 %2").arg(r.modelName, r.modelVersion));
}

} // namespace

Status ClinicalStore::upsertPatient(const PatientRecord &p)
{
    return inTransaction(d->db, d->path, QStringLiteral("patients"), [&](sql::Query &q) { return upsertPatientRow(q, p); });
}

Status ClinicalStore::recordInference(const InferenceRecord &r, const QString &user)
{
    return inTransaction(d->db, d->path, QStringLiteral("inference_results"), [&](sql::Query &q) { return inferenceRows(q, d->signer, r, user); });
}

Result<std::vector<StoredPatient>> ClinicalStore::patients() const
{
    sql::Query q(d->db);
    if (!q.exec(QStringLiteral("SELECT id, display_name, review_status, folder, identity_basis FROM patients ORDER BY id")))
        return sqlError(d->path, QStringLiteral("patients"), q.lastError());
    std::vector<StoredPatient> out;
    while (q.next()) out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(), q.value(4).toString()});
    return out;
}

Status ClinicalStore::setReviewStatus(const QString &patientId, const QString &status, const QString &user)
{
    return inTransaction(d->db, d->path, QStringLiteral("review_status"), [&](sql::Query &q) {
        q.prepare(QStringLiteral("UPDATE patients SET review_status=? WHERE id=?"));
        q.addBindValue(status); q.addBindValue(patientId);
        if (!q.exec()) return false;
        return auditchain::append(q, d->signer, now(), user, QStringLiteral("review"), patientId, status);
    });
}

Result<qint64> ClinicalStore::saveNote(const NoteRecord &n)
{
    if (n.text.trimmed().isEmpty() && n.status != QLatin1String("rejected"))
        return makeError(Error::Code::Invalid, d->path, QStringLiteral("note text"), QStringLiteral("empty"));
    if (n.author.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, d->path, QStringLiteral("author"), QStringLiteral("a saved note needs its author"));
    qint64 id = 0;
    auto st = inTransaction(d->db, d->path, QStringLiteral("notes"), [&](sql::Query &q) {
        q.prepare(QStringLiteral("INSERT INTO notes(patient_id, rule_id, suggestion, text, guideline, status, author, saved_at,"
                                 " model_version, rules_version) VALUES(?,?,?,?,?,?,?,?,?,?)"));
        for (const QVariant &v : {QVariant(n.patientId), QVariant(n.ruleId), QVariant(n.suggestion), QVariant(n.text), QVariant(n.guideline),
                                  QVariant(n.status), QVariant(n.author), QVariant(now()), QVariant(n.modelVersion), QVariant(n.rulesVersion)})
            q.addBindValue(v);
        if (!q.exec()) return false;
        id = q.lastInsertId().toLongLong();
        return auditchain::append(q, d->signer, now(), n.author, QStringLiteral("note ") + n.status, n.patientId,
                                  QStringLiteral("note %1 rule %2").arg(id).arg(n.ruleId));
    });
    if (!st) return st.error();
    return id;
}

Result<std::vector<NoteRecord>> ClinicalStore::notes(const QString &patientId) const
{
    sql::Query q(d->db);
    q.prepare(QStringLiteral("SELECT id, patient_id, rule_id, suggestion, text, guideline, status, author, saved_at, model_version,"
                             " rules_version FROM notes WHERE patient_id=? ORDER BY id"));
    q.addBindValue(patientId);
    if (!q.exec()) return sqlError(d->path, QStringLiteral("notes"), q.lastError());
    std::vector<NoteRecord> out;
    while (q.next()) {
        NoteRecord n;
        n.id = q.value(0).toLongLong(); n.patientId = q.value(1).toString(); n.ruleId = q.value(2).toString();
        n.suggestion = q.value(3).toString(); n.text = q.value(4).toString(); n.guideline = q.value(5).toString();
        n.status = q.value(6).toString(); n.author = q.value(7).toString();
        n.savedAt = QDateTime::fromString(q.value(8).toString(), Qt::ISODateWithMs);
        n.modelVersion = q.value(9).toString(); n.rulesVersion = q.value(10).toString();
        out.push_back(n);
    }
    return out;
}

Status ClinicalStore::audit(const QString &user, const QString &action, const QString &patientId, const QString &detail)
{
    return inTransaction(d->db, d->path, QStringLiteral("audit_log"), [&](sql::Query &q) {
        return auditchain::append(q, d->signer, now(), user, action, patientId, detail);
    });
}

Result<std::vector<AuditEntry>> ClinicalStore::auditLog(const QString &patientId) const
{
    sql::Query q(d->db);
    if (patientId.isEmpty()) q.prepare(QStringLiteral("SELECT %1 FROM audit_log ORDER BY id").arg(QLatin1String(auditchain::kEntryColumns)));
    else {
        q.prepare(QStringLiteral("SELECT %1 FROM audit_log WHERE patient_id=? ORDER BY id").arg(QLatin1String(auditchain::kEntryColumns)));
        q.addBindValue(patientId);
    }
    if (!q.exec()) return sqlError(d->path, QStringLiteral("audit_log"), q.lastError());
    std::vector<AuditEntry> out;
    while (q.next())
        out.push_back(auditchain::entryFromRow(q));
    return out;
}

} // namespace cs
