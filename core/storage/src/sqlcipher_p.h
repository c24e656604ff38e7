#pragma once
// Private: SQLCipher (an encrypted SQLite, libsqlcipher) behind the store. A
// small QtSql-shaped wrapper so the store's code reads like SQL with bound
// values: Database owns one connection, Query one prepared statement. Debian 12's
// SQLCipher 3.4 is SQLite 3.15: no UPSERT, no RETURNING, no window functions. Not
// copyable; one thread at a time per Database (as QtSql connections are).
#include "clinsight/foundation/error.h"

#include <QByteArray>
#include <QString>
#include <QVariant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace cs::sql {

struct SqlError {
    int code = 0;
    QString message;
    QString text() const { return message; }
};

class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };
    Database() = default;
    ~Database();
    Database(Database &&o) noexcept;
    Database &operator=(Database &&o) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens path (an existing file) with the 32-byte key and checks that the key
    // opens it: a wrong key, a file that is not a database or a damaged first page
    // is an error naming the file. An empty key opens an unencrypted SQLite file.
    static Result<Database> open(const QString &path, const QByteArray &key, Mode mode);

    // "SQLite format 3": an unencrypted database (written before ClinSight encrypted them, or any SQLite file).
    static bool isPlainSqlite(const QString &path);
    // Rewrites an unencrypted database as an encrypted one with key, in place (through a
    // temporary file renamed over it); the schema version is kept.
    static Status encryptInPlace(const QString &path, const QByteArray &key);

    bool exec(const QString &sql);
    bool transaction() { return exec(QStringLiteral("BEGIN IMMEDIATE")); }
    // A read transaction: every statement until commit() reads the one snapshot taken by the first of them.
    bool readTransaction() { return exec(QStringLiteral("BEGIN DEFERRED")); }
    bool commit() { return exec(QStringLiteral("COMMIT")); }
    bool rollback() { return exec(QStringLiteral("ROLLBACK")); }
    SqlError lastError() const;
    sqlite3 *handle() const { return m_db; }
    QString path() const { return m_path; }

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
    SqlError m_error;
    friend class Query;
};

class Query {
public:
    explicit Query(Database &db) : m_db(&db) {}
    ~Query();
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;

    bool prepare(const QString &sql);
    void addBindValue(const QVariant &v) { m_binds.push_back(v); }
    bool exec();                      // the prepared statement with the values bound since prepare
    bool exec(const QString &sql);    // prepare + exec
    bool next();                      // the next result row
    QVariant value(int column) const;
    void finish();
    SqlError lastError() const { return m_error; }
    QVariant lastInsertId() const;
    int numRowsAffected() const;      // rows the last INSERT/UPDATE/DELETE changed

private:
    bool fail();
    Database *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    std::vector<QVariant> m_binds;
    bool m_pendingRow = false, m_done = true;
    SqlError m_error;
};

} // namespace cs::sql
