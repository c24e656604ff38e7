#include "sqlcipher_p.h"

#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>

#include <QFile>
#include <QFileInfo>
#include <cstdio>

namespace cs::sql {

namespace {
SqlError errorOf(sqlite3 *db, int rc)
{
    return {rc, db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc))};
}

QString keyPragma(const QString &schema, const QByteArray &key)
{
    return QStringLiteral("PRAGMA %1key = \"x'%2'\"").arg(schema.isEmpty() ? QString() : schema + '.', QString::fromLatin1(key.toHex()));
}
} // namespace

Database::~Database()
{
    if (m_db) sqlite3_close_v2(m_db);
}

Database::Database(Database &&o) noexcept : m_db(o.m_db), m_path(std::move(o.m_path)), m_error(std::move(o.m_error)) { o.m_db = nullptr; }

Database &Database::operator=(Database &&o) noexcept
{
    if (this != &o) {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = o.m_db;
        o.m_db = nullptr;
        m_path = std::move(o.m_path);
        m_error = std::move(o.m_error);
    }
    return *this;
}

bool Database::isPlainSqlite(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return false;
    return f.read(16) == QByteArray("SQLite format 3\0", 16);
}

Result<Database> Database::open(const QString &path, const QByteArray &key, Mode mode)
{
    if (!QFileInfo(path).isFile()) return makeError(Error::Code::Io, path, {}, QStringLiteral("database file not found"));
    Database d;
    d.m_path = path;
    const int flags = (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &d.m_db, flags, nullptr);
    if (rc != SQLITE_OK)
        return makeError(Error::Code::Io, path, QStringLiteral("open"), errorOf(d.m_db, rc).message);
    sqlite3_busy_timeout(d.m_db, 5000);
    if (!key.isEmpty() && !d.exec(keyPragma({}, key)))
        return makeError(Error::Code::Internal, path, QStringLiteral("key"), d.lastError().message);
    // The first read decrypts page 1 and checks its HMAC: a wrong key, a file that
    // is not a database and a damaged first page all fail here.
    Query q(d);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next()) {
        const SqlError e = q.lastError();
        if (e.code == SQLITE_NOTADB || e.code == SQLITE_CORRUPT)
            return makeError(Error::Code::Integrity, path, QStringLiteral("key"),
                             key.isEmpty() ? QStringLiteral("not a readable SQLite database (%1)").arg(e.message)
                                           : QStringLiteral("the database key does not open this file: it is not this keyring's database, "
                                                            "not a ClinSight database, or it is damaged (%1)").arg(e.message));
        if (e.code == SQLITE_BUSY || e.code == SQLITE_LOCKED)
            return makeError(Error::Code::Io, path, {}, QStringLiteral("the database is locked by another program: %1").arg(e.message));
        return makeError(Error::Code::Io, path, {}, e.message);
    }
    q.finish();
    if (mode == Mode::ReadWrite && sqlite3_db_readonly(d.m_db, "main") == 1)
        return makeError(Error::Code::Io, path, {}, QStringLiteral("the database is read-only (file permissions or a read-only medium); "
                                                                   "nothing can be saved to it"));
    d.exec(QStringLiteral("PRAGMA temp_store = MEMORY"));   // no sort or temporary table ever on disk
    return d;
}

Status Database::encryptInPlace(const QString &path, const QByteArray &key)
{
    const QString tmp = path + QStringLiteral(".encrypting");
    QFile::remove(tmp);
    {
        QFile t(tmp);   // owner-only before SQLite writes a byte to it
        if (!t.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner))
            return makeError(Error::Code::Io, tmp, {}, QStringLiteral("cannot create: %1").arg(t.errorString()));
    }
    {
        auto plain = open(path, {}, Mode::ReadWrite);
        if (!plain) { QFile::remove(tmp); return plain.error(); }
        Database &db = plain.value();
        Query v(db);
        int version = 0;
        if (v.exec(QStringLiteral("PRAGMA user_version")) && v.next()) version = v.value(0).toInt();
        v.finish();
        QString attach = QStringLiteral("ATTACH DATABASE '%1' AS encrypted KEY \"x'%2'\"")
                             .arg(QString(tmp).replace('\'', QStringLiteral("''")), QString::fromLatin1(key.toHex()));
        Query e(db);
        const bool ok = db.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) && db.exec(attach)
                        && e.exec(QStringLiteral("SELECT sqlcipher_export('encrypted')")) && (e.finish(), true)
                        && db.exec(QStringLiteral("PRAGMA encrypted.user_version = %1").arg(version))
                        && db.exec(QStringLiteral("DETACH DATABASE encrypted"));
        if (!ok) {
            const QString why = e.lastError().message.isEmpty() ? db.lastError().message : e.lastError().message;
            QFile::remove(tmp);
            return makeError(Error::Code::Io, path, QStringLiteral("encryption"), QStringLiteral("could not encrypt the database: %1").arg(why));
        }
        db.exec(QStringLiteral("PRAGMA journal_mode=DELETE"));   // the clear WAL goes with the clear file
    }
    if (std::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) != 0) {
        QFile::remove(tmp);
        return makeError(Error::Code::Io, path, QStringLiteral("encryption"), QStringLiteral("could not replace the database with its encrypted copy"));
    }
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    return Ok{};
}

bool Database::exec(const QString &sql)
{
    Query q(*this);
    const bool ok = q.exec(sql);
    m_error = q.lastError();
    if (ok) while (q.next()) {}
    return ok;
}

SqlError Database::lastError() const
{
    return m_error.message.isEmpty() && m_db ? errorOf(m_db, sqlite3_errcode(m_db)) : m_error;
}

Query::~Query() { finish(); }

void Query::finish()
{
    if (m_stmt) sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
    m_pendingRow = false;
    m_done = true;
}

bool Query::fail()
{
    m_error = errorOf(m_db->m_db, sqlite3_errcode(m_db->m_db));
    m_error.code = sqlite3_errcode(m_db->m_db);
    return false;
}

bool Query::prepare(const QString &sql)
{
    finish();
    m_binds.clear();
    m_error = {};
    if (!m_db->m_db) { m_error = {SQLITE_MISUSE, QStringLiteral("the database is not open")}; return false; }
    const QByteArray s = sql.toUtf8();
    if (sqlite3_prepare_v2(m_db->m_db, s.constData(), int(s.size()), &m_stmt, nullptr) != SQLITE_OK) {
        m_stmt = nullptr;
        return fail();
    }
    return true;
}

bool Query::exec()
{
    if (!m_stmt) {
        if (m_error.message.isEmpty()) m_error = {SQLITE_MISUSE, QStringLiteral("no statement prepared")};
        return false;
    }
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    for (int i = 0; i < int(m_binds.size()); ++i) {
        const QVariant &v = m_binds[i];
        int rc = SQLITE_OK;
        const int at = i + 1;
        if (v.isNull()) rc = sqlite3_bind_null(m_stmt, at);
        else switch (v.typeId()) {
        case QMetaType::Bool:
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::ULongLong: rc = sqlite3_bind_int64(m_stmt, at, v.toLongLong()); break;
        case QMetaType::Double:
        case QMetaType::Float: rc = sqlite3_bind_double(m_stmt, at, v.toDouble()); break;
        case QMetaType::QByteArray: {
            const QByteArray b = v.toByteArray();
            rc = sqlite3_bind_blob64(m_stmt, at, b.constData(), sqlite3_uint64(b.size()), SQLITE_TRANSIENT);
            break;
        }
        default: {
            const QString text = v.toString();
            if (text.isNull()) { rc = sqlite3_bind_null(m_stmt, at); break; }   // as QtSql did: a null QString is NULL
            const QByteArray t = text.toUtf8();
            rc = sqlite3_bind_text64(m_stmt, at, t.constData(), sqlite3_uint64(t.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
        }
        if (rc != SQLITE_OK) return fail();
    }
    m_error = {};
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) { m_pendingRow = true; m_done = false; return true; }
    m_pendingRow = false;
    m_done = true;
    if (rc == SQLITE_DONE) return true;
    m_error = errorOf(m_db->m_db, rc);
    m_error.code = rc & 0xff;
    if (m_error.message.isEmpty() || m_error.message == QLatin1String("not an error")) m_error.message = QString::fromUtf8(sqlite3_errstr(rc));
    return false;
}

bool Query::exec(const QString &sql) { return prepare(sql) && exec(); }

bool Query::next()
{
    if (m_pendingRow) { m_pendingRow = false; return true; }
    if (m_done || !m_stmt) return false;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    m_done = true;
    if (rc != SQLITE_DONE) { m_error = errorOf(m_db->m_db, rc); m_error.code = rc & 0xff; }
    return false;
}

QVariant Query::value(int column) const
{
    if (!m_stmt || column < 0 || column >= sqlite3_column_count(m_stmt)) return {};
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_INTEGER: return QVariant(qlonglong(sqlite3_column_int64(m_stmt, column)));
    case SQLITE_FLOAT: return QVariant(sqlite3_column_double(m_stmt, column));
    case SQLITE_BLOB: {
        const void *p = sqlite3_column_blob(m_stmt, column);
        return QVariant(QByteArray(static_cast<const char *>(p), sqlite3_column_bytes(m_stmt, column)));
    }
    case SQLITE_NULL: return {};
    default:
        return QVariant(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column)), sqlite3_column_bytes(m_stmt, column)));
    }
}

int Query::numRowsAffected() const { return sqlite3_changes(m_db->m_db); }

QVariant Query::lastInsertId() const { return QVariant(qlonglong(sqlite3_last_insert_rowid(m_db->m_db))); }

} // namespace cs::sql
