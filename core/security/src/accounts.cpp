#include "clinsight/security/accounts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>
#include <sodium.h>

#include <algorithm>

namespace cs::security {

namespace {

const char kFormat[] = "clinsight-keyring";
constexpr int kFormatVersion = 1;
constexpr int kKeyBytes = 32;
// Argon2id: 3 passes over 64 MiB (above libsodium's "interactive" level); stored per account.
constexpr unsigned long long kOpsLimit = 3;
constexpr size_t kMemLimit = size_t(64) << 20;

bool sodiumReady()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

QString nowText() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); }

Error denied(const QString &file, const QString &field, const QString &reason)
{
    return makeError(Error::Code::Denied, file, field, reason);
}

struct Entry {
    QString user, fullName, createdBy;
    Role role = Role::Clinician;
    QString createdAt, lastSignIn, lockedUntil;
    int failed = 0;
    QByteArray salt, nonce, wrapped;
    unsigned long long ops = kOpsLimit;
    size_t mem = kMemLimit;
};

struct File {
    QString path;
    std::vector<Entry> entries;
    Entry *find(const QString &user)
    {
        for (Entry &e : entries)
            if (e.user == user) return &e;
        return nullptr;
    }
};

QByteArray associated(const Entry &e)
{
    return QStringLiteral("clinsight-keyring-v1\n%1\n%2\n%3").arg(e.user, roleName(e.role), e.fullName).toUtf8();
}

QByteArray derive(const QString &password, const Entry &e)
{
    QByteArray k(kKeyBytes, '\0');
    const QByteArray pw = password.toUtf8();
    if (crypto_pwhash(reinterpret_cast<unsigned char *>(k.data()), kKeyBytes, pw.constData(), pw.size(),
                      reinterpret_cast<const unsigned char *>(e.salt.constData()), e.ops, e.mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return {};
    return k;
}

// Wraps key for e under password (new salt and nonce).
bool wrap(Entry &e, const QString &password, const QByteArray &key)
{
    e.salt = QByteArray(crypto_pwhash_SALTBYTES, '\0');
    e.nonce = QByteArray(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, '\0');
    randombytes_buf(e.salt.data(), e.salt.size());
    randombytes_buf(e.nonce.data(), e.nonce.size());
    e.ops = kOpsLimit;
    e.mem = kMemLimit;
    QByteArray kek = derive(password, e);
    if (kek.isEmpty()) return false;
    const QByteArray ad = associated(e);
    e.wrapped = QByteArray(key.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(e.wrapped.data()), &len,
                                               reinterpret_cast<const unsigned char *>(key.constData()), key.size(),
                                               reinterpret_cast<const unsigned char *>(ad.constData()), ad.size(), nullptr,
                                               reinterpret_cast<const unsigned char *>(e.nonce.constData()),
                                               reinterpret_cast<const unsigned char *>(kek.constData()));
    sodium_memzero(kek.data(), kek.size());
    e.wrapped.resize(int(len));
    return true;
}

// The database key when password opens e's wrap; empty otherwise.
QByteArray unwrap(const Entry &e, const QString &password)
{
    QByteArray kek = derive(password, e);
    if (kek.isEmpty() || e.wrapped.size() != kKeyBytes + int(crypto_aead_xchacha20poly1305_ietf_ABYTES)) return {};
    const QByteArray ad = associated(e);
    QByteArray key(kKeyBytes, '\0');
    unsigned long long len = 0;
    const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char *>(key.data()), &len, nullptr, reinterpret_cast<const unsigned char *>(e.wrapped.constData()),
        e.wrapped.size(), reinterpret_cast<const unsigned char *>(ad.constData()), ad.size(),
        reinterpret_cast<const unsigned char *>(e.nonce.constData()), reinterpret_cast<const unsigned char *>(kek.constData()));
    sodium_memzero(kek.data(), kek.size());
    if (rc != 0 || len != kKeyBytes) return {};
    return key;
}

Result<File> readFile(const QString &path)
{
    File f;
    f.path = path;
    QFile in(path);
    if (!in.exists())
        return makeError(Error::Code::Io, path, {}, QStringLiteral("the database's keyring is missing: without it the database cannot be "
                                                                   "read. Restore it from backup, or recover with the administrator's recovery key"));
    if (!in.open(QIODevice::ReadOnly)) return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot read the keyring: %1").arg(in.errorString()));
    if (in.size() > (4 << 20)) return makeError(Error::Code::Format, path, {}, QStringLiteral("too large to be a ClinSight keyring"));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(Error::Code::Format, path, {}, QStringLiteral("not a ClinSight keyring (JSON: %1)").arg(pe.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return makeError(Error::Code::Format, path, QStringLiteral("format"), QStringLiteral("not a ClinSight keyring"));
    const int version = o.value(QStringLiteral("version")).toInt();
    if (version > kFormatVersion)
        return makeError(Error::Code::Unsupported, path, QStringLiteral("version"),
                         QStringLiteral("keyring version %1 is newer than this ClinSight (%2)").arg(version).arg(kFormatVersion));
    const QJsonArray accounts = o.value(QStringLiteral("accounts")).toArray();
    for (int i = 0; i < accounts.size(); ++i) {
        const QJsonObject a = accounts.at(i).toObject();
        const QString at = QStringLiteral("accounts[%1].").arg(i);
        Entry e;
        e.user = a.value(QStringLiteral("user")).toString();
        e.fullName = a.value(QStringLiteral("full_name")).toString();
        e.createdBy = a.value(QStringLiteral("created_by")).toString();
        e.createdAt = a.value(QStringLiteral("created_at")).toString();
        e.lastSignIn = a.value(QStringLiteral("last_sign_in")).toString();
        e.lockedUntil = a.value(QStringLiteral("locked_until")).toString();
        e.failed = a.value(QStringLiteral("failed_attempts")).toInt();
        const auto role = roleFromName(a.value(QStringLiteral("role")).toString());
        if (e.user.isEmpty()) return makeError(Error::Code::Format, path, at + QStringLiteral("user"), QStringLiteral("missing"));
        if (!role) return makeError(Error::Code::Format, path, at + QStringLiteral("role"), QStringLiteral("not a ClinSight role"));
        e.role = *role;
        e.salt = QByteArray::fromBase64(a.value(QStringLiteral("salt")).toString().toLatin1());
        e.nonce = QByteArray::fromBase64(a.value(QStringLiteral("nonce")).toString().toLatin1());
        e.wrapped = QByteArray::fromBase64(a.value(QStringLiteral("wrapped_key")).toString().toLatin1());
        e.ops = static_cast<unsigned long long>(a.value(QStringLiteral("argon2id_ops")).toDouble());
        e.mem = static_cast<size_t>(a.value(QStringLiteral("argon2id_mem")).toDouble());
        if (e.salt.size() != crypto_pwhash_SALTBYTES || e.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
            || e.ops < crypto_pwhash_OPSLIMIT_MIN || e.mem < crypto_pwhash_MEMLIMIT_MIN || e.mem > (size_t(4) << 30))
            return makeError(Error::Code::Format, path, at + QStringLiteral("salt/nonce/argon2id"), QStringLiteral("damaged key wrap"));
        f.entries.push_back(e);
    }
    return f;
}

Status writeFile(const File &f)
{
    QJsonArray accounts;
    for (const Entry &e : f.entries) {
        QJsonObject a{{QStringLiteral("user"), e.user}, {QStringLiteral("full_name"), e.fullName}, {QStringLiteral("role"), roleName(e.role)},
                      {QStringLiteral("created_at"), e.createdAt}, {QStringLiteral("created_by"), e.createdBy},
                      {QStringLiteral("last_sign_in"), e.lastSignIn}, {QStringLiteral("failed_attempts"), e.failed},
                      {QStringLiteral("locked_until"), e.lockedUntil}, {QStringLiteral("kdf"), QStringLiteral("argon2id13")},
                      {QStringLiteral("argon2id_ops"), double(e.ops)}, {QStringLiteral("argon2id_mem"), double(e.mem)},
                      {QStringLiteral("salt"), QString::fromLatin1(e.salt.toBase64())},
                      {QStringLiteral("nonce"), QString::fromLatin1(e.nonce.toBase64())},
                      {QStringLiteral("wrap"), QStringLiteral("xchacha20poly1305-ietf")},
                      {QStringLiteral("wrapped_key"), QString::fromLatin1(e.wrapped.toBase64())}};
        accounts.append(a);
    }
    const QJsonObject o{{QStringLiteral("format"), QLatin1String(kFormat)}, {QStringLiteral("version"), kFormatVersion},
                        {QStringLiteral("note"), QStringLiteral("The database key, wrapped once per account by its Argon2id password key. "
                                                                "Contains no patient data. Back it up with the database.")},
                        {QStringLiteral("accounts"), accounts}};
    QSaveFile out(f.path);
    if (!out.open(QIODevice::WriteOnly)) return makeError(Error::Code::Io, f.path, {}, QStringLiteral("cannot write the keyring: %1").arg(out.errorString()));
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    out.write(QJsonDocument(o).toJson(QJsonDocument::Indented));
    if (!out.commit()) return makeError(Error::Code::Io, f.path, {}, QStringLiteral("cannot write the keyring: %1").arg(out.errorString()));
    QFile::setPermissions(f.path, QFile::ReadOwner | QFile::WriteOwner);
    return Ok{};
}

// Read-modify-write of a keyring under its lock file.
template <class Fn>
auto locked(const QString &path, Fn fn) -> decltype(fn(std::declval<File &>()))
{
    QLockFile lock(path + QStringLiteral(".lock"));
    lock.setStaleLockTime(30000);
    if (!lock.tryLock(10000)) return makeError(Error::Code::Io, path, {}, QStringLiteral("the keyring is locked by another ClinSight process"));
    auto f = readFile(path);
    if (!f) return f.error();
    return fn(f.value());
}

// The folder of a file ClinSight is about to create; created owner-only when it is not there.
void ensureFolder(const QString &file)
{
    const QString folder = QFileInfo(file).absolutePath();
    if (QFileInfo::exists(folder)) return;
    QDir().mkpath(folder);
    QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

QDateTime parseTime(const QString &s) { return s.isEmpty() ? QDateTime() : QDateTime::fromString(s, Qt::ISODate); }

Status requireAdmin(const Session &admin)
{
    return admin.require(Permission::ManageAccounts);
}

bool isValidUserName(const QString &u)
{
    if (u.isEmpty() || u.size() > 64) return false;
    for (QChar c : u)
        if (!(c.isLetterOrNumber() || c == '.' || c == '-' || c == '_')) return false;
    return true;
}

// Checks password against the account, counting failures and locking; on success
// the database key. The file is written either way.
Result<QByteArray> attempt(File &f, const QString &user, const QString &password)
{
    Entry *e = f.find(user);
    // An unknown user costs one derivation too, so that timing does not tell which names exist.
    if (!e) {
        Entry dummy;
        dummy.salt = QByteArray(crypto_pwhash_SALTBYTES, '\0');
        derive(password, dummy);
        return denied(f.path, QStringLiteral("user"), QStringLiteral("wrong user name or password"));
    }
    const QDateTime until = parseTime(e->lockedUntil);
    if (until.isValid() && until > QDateTime::currentDateTimeUtc())
        return denied(f.path, QStringLiteral("account"),
                      QStringLiteral("the account '%1' is locked until %2 UTC after %3 failed sign-ins; an administrator can unlock it")
                          .arg(user, until.toString(QStringLiteral("yyyy-MM-dd HH:mm"))).arg(e->failed));
    QByteArray key = unwrap(*e, password);
    const KeyringPolicy pol = Keyring::policy();
    if (key.isEmpty()) {
        ++e->failed;
        QString reason = QStringLiteral("wrong user name or password");
        if (e->failed >= pol.maxFailures) {
            e->lockedUntil = QDateTime::currentDateTimeUtc().addSecs(60 * pol.lockoutMinutes).toString(Qt::ISODate);
            reason += QStringLiteral("; after %1 failed attempts the account is locked for %2 minutes").arg(e->failed).arg(pol.lockoutMinutes);
        } else {
            reason += QStringLiteral(" (%1 of %2 attempts before the account is locked)").arg(e->failed).arg(pol.maxFailures);
        }
        if (auto st = writeFile(f); !st) return st.error();
        return denied(f.path, QStringLiteral("password"), reason);
    }
    return key;
}

} // namespace

QString roleName(Role r)
{
    switch (r) {
    case Role::Clinician: return QStringLiteral("clinician");
    case Role::Radiologist: return QStringLiteral("radiologist");
    case Role::Administrator: return QStringLiteral("administrator");
    case Role::Auditor: return QStringLiteral("auditor");
    case Role::Demo: return QStringLiteral("demo");
    }
    return {};
}

std::optional<Role> roleFromName(const QString &name)
{
    for (Role r : {Role::Clinician, Role::Radiologist, Role::Administrator, Role::Auditor, Role::Demo})
        if (roleName(r) == name.trimmed().toLower()) return r;
    return std::nullopt;
}

bool roleAllows(Role r, Permission p)
{
    switch (p) {
    case Permission::ViewPatients:
    case Permission::DecideNotes: return r == Role::Clinician || r == Role::Radiologist || r == Role::Demo;
    case Permission::ReviewStudies: return r == Role::Radiologist || r == Role::Demo;
    case Permission::ManageAccounts:
    case Permission::ManagePacsNodes:
    case Permission::ManageModel:
    case Permission::ManageSettings: return r == Role::Administrator;
    case Permission::ReadAudit: return r == Role::Administrator || r == Role::Auditor || r == Role::Demo;
    }
    return false;
}

QString permissionName(Permission p)
{
    switch (p) {
    case Permission::ViewPatients: return QStringLiteral("view patients");
    case Permission::DecideNotes: return QStringLiteral("decide treatment notes");
    case Permission::ReviewStudies: return QStringLiteral("review studies");
    case Permission::ManageAccounts: return QStringLiteral("manage accounts");
    case Permission::ManagePacsNodes: return QStringLiteral("manage PACS nodes");
    case Permission::ManageModel: return QStringLiteral("manage the model bundle");
    case Permission::ManageSettings: return QStringLiteral("change settings");
    case Permission::ReadAudit: return QStringLiteral("read the audit log");
    }
    return {};
}

Status Session::require(Permission p) const
{
    if (databaseKey.isEmpty()) return denied(databasePath, QStringLiteral("user"), QStringLiteral("nobody is signed in"));
    if (!roleAllows(role, p))
        return denied(databasePath, QStringLiteral("role"),
                      QStringLiteral("%1 (%2) may not %3").arg(user, roleName(role), permissionName(p)));
    return Ok{};
}

QString Keyring::pathFor(const QString &databasePath) { return databasePath + QStringLiteral(".keyring"); }
bool Keyring::exists(const QString &databasePath) { return QFileInfo::exists(pathFor(databasePath)); }
KeyringPolicy Keyring::policy() { return {}; }

Status Keyring::checkPasswordPolicy(const QString &user, const QString &password)
{
    const KeyringPolicy pol = policy();
    if (password.size() < pol.minPasswordLength)
        return makeError(Error::Code::Invalid, {}, QStringLiteral("password"),
                         QStringLiteral("at least %1 characters").arg(pol.minPasswordLength));
    if (password.compare(user, Qt::CaseInsensitive) == 0 || password.contains(user, Qt::CaseInsensitive))
        return makeError(Error::Code::Invalid, {}, QStringLiteral("password"), QStringLiteral("must not contain the user name"));
    return Ok{};
}

Result<Session> Keyring::create(const QString &databasePath, const QString &user, const QString &fullName, const QString &password, Role role)
{
    if (!sodiumReady()) return makeError(Error::Code::Internal, {}, {}, QStringLiteral("libsodium failed to initialise"));
    const QString path = pathFor(databasePath);
    if (QFileInfo::exists(path))
        return makeError(Error::Code::Invalid, path, {}, QStringLiteral("this database already has a keyring; sign in instead"));
    if (!isValidUserName(user))
        return makeError(Error::Code::Invalid, path, QStringLiteral("user"), QStringLiteral("1-64 letters, digits, '.', '-' or '_'"));
    if (auto st = checkPasswordPolicy(user, password); !st) return st.error();
    ensureFolder(path);
    File f;
    f.path = path;
    Entry e;
    e.user = user;
    e.fullName = fullName.trimmed();
    e.role = role;
    e.createdAt = nowText();
    e.createdBy = QStringLiteral("(first start)");
    QByteArray key(kKeyBytes, '\0');
    randombytes_buf(key.data(), key.size());
    if (!wrap(e, password, key)) return makeError(Error::Code::Internal, path, {}, QStringLiteral("Argon2id failed (out of memory?)"));
    e.lastSignIn = nowText();
    f.entries.push_back(e);
    QLockFile lock(path + QStringLiteral(".lock"));
    if (!lock.tryLock(10000)) return makeError(Error::Code::Io, path, {}, QStringLiteral("the keyring is locked by another ClinSight process"));
    if (QFileInfo::exists(path))
        return makeError(Error::Code::Invalid, path, {}, QStringLiteral("this database already has a keyring; sign in instead"));
    if (auto st = writeFile(f); !st) return st.error();
    return Session{e.user, e.fullName, e.role, key, databasePath, 0};
}

Result<Session> Keyring::signIn(const QString &databasePath, const QString &user, const QString &password)
{
    if (!sodiumReady()) return makeError(Error::Code::Internal, {}, {}, QStringLiteral("libsodium failed to initialise"));
    return locked(pathFor(databasePath), [&](File &f) -> Result<Session> {
        auto key = attempt(f, user, password);
        if (!key) return key.error();
        Entry *e = f.find(user);
        Session s{e->user, e->fullName, e->role, key.value(), databasePath, e->failed};
        e->failed = 0;
        e->lockedUntil.clear();
        e->lastSignIn = nowText();
        if (auto st = writeFile(f); !st) return st.error();
        return s;
    });
}

Status Keyring::confirmPassword(const Session &s, const QString &password)
{
    if (!sodiumReady()) return makeError(Error::Code::Internal, {}, {}, QStringLiteral("libsodium failed to initialise"));
    return locked(pathFor(s.databasePath), [&](File &f) -> Status {
        auto key = attempt(f, s.user, password);
        if (!key) return key.error();
        if (key.value() != s.databaseKey) return denied(f.path, QStringLiteral("user"), QStringLiteral("the account was changed since sign-in"));
        Entry *e = f.find(s.user);
        if (e->failed == 0) return Ok{};
        e->failed = 0;
        return writeFile(f);
    });
}

Result<std::vector<AccountInfo>> Keyring::accounts(const QString &databasePath)
{
    auto f = readFile(pathFor(databasePath));
    if (!f) return f.error();
    std::vector<AccountInfo> out;
    for (const Entry &e : f->entries)
        out.push_back({e.user, e.fullName, e.createdBy, e.role, parseTime(e.createdAt), parseTime(e.lastSignIn), parseTime(e.lockedUntil), e.failed});
    return out;
}

Status Keyring::addAccount(const Session &admin, const QString &user, const QString &fullName, Role role, const QString &password)
{
    if (auto st = requireAdmin(admin); !st) return st;
    if (role == Role::Demo)
        return makeError(Error::Code::Invalid, pathFor(admin.databasePath), QStringLiteral("role"), QStringLiteral("the demo role is the demo's own"));
    if (!isValidUserName(user))
        return makeError(Error::Code::Invalid, pathFor(admin.databasePath), QStringLiteral("user"), QStringLiteral("1-64 letters, digits, '.', '-' or '_'"));
    if (auto st = checkPasswordPolicy(user, password); !st) return st;
    return locked(pathFor(admin.databasePath), [&](File &f) -> Status {
        if (f.find(user)) return makeError(Error::Code::Invalid, f.path, QStringLiteral("user"), QStringLiteral("'%1' exists already").arg(user));
        Entry e;
        e.user = user;
        e.fullName = fullName.trimmed();
        e.role = role;
        e.createdAt = nowText();
        e.createdBy = admin.user;
        if (!wrap(e, password, admin.databaseKey)) return makeError(Error::Code::Internal, f.path, {}, QStringLiteral("Argon2id failed"));
        f.entries.push_back(e);
        return writeFile(f);
    });
}

Status Keyring::resetPassword(const Session &admin, const QString &user, const QString &newPassword)
{
    if (auto st = requireAdmin(admin); !st) return st;
    if (auto st = checkPasswordPolicy(user, newPassword); !st) return st;
    return locked(pathFor(admin.databasePath), [&](File &f) -> Status {
        Entry *e = f.find(user);
        if (!e) return makeError(Error::Code::Invalid, f.path, QStringLiteral("user"), QStringLiteral("no account '%1'").arg(user));
        if (!wrap(*e, newPassword, admin.databaseKey)) return makeError(Error::Code::Internal, f.path, {}, QStringLiteral("Argon2id failed"));
        e->failed = 0;
        e->lockedUntil.clear();
        return writeFile(f);
    });
}

Status Keyring::changePassword(const Session &self, const QString &oldPassword, const QString &newPassword)
{
    if (auto st = checkPasswordPolicy(self.user, newPassword); !st) return st;
    return locked(pathFor(self.databasePath), [&](File &f) -> Status {
        auto key = attempt(f, self.user, oldPassword);
        if (!key) return key.error();
        Entry *e = f.find(self.user);
        if (!wrap(*e, newPassword, key.value())) return makeError(Error::Code::Internal, f.path, {}, QStringLiteral("Argon2id failed"));
        e->failed = 0;
        return writeFile(f);
    });
}

Status Keyring::removeAccount(const Session &admin, const QString &user)
{
    if (auto st = requireAdmin(admin); !st) return st;
    return locked(pathFor(admin.databasePath), [&](File &f) -> Status {
        if (!f.find(user)) return makeError(Error::Code::Invalid, f.path, QStringLiteral("user"), QStringLiteral("no account '%1'").arg(user));
        int admins = 0;
        for (const Entry &e : f.entries) admins += e.role == Role::Administrator && e.user != user;
        const Entry *target = f.find(user);
        if (target->role == Role::Administrator && admins == 0)
            return makeError(Error::Code::Invalid, f.path, QStringLiteral("user"), QStringLiteral("'%1' is the last administrator").arg(user));
        f.entries.erase(std::remove_if(f.entries.begin(), f.entries.end(), [&](const Entry &e) { return e.user == user; }), f.entries.end());
        return writeFile(f);
    });
}

Status Keyring::unlock(const Session &admin, const QString &user)
{
    if (auto st = requireAdmin(admin); !st) return st;
    return locked(pathFor(admin.databasePath), [&](File &f) -> Status {
        Entry *e = f.find(user);
        if (!e) return makeError(Error::Code::Invalid, f.path, QStringLiteral("user"), QStringLiteral("no account '%1'").arg(user));
        e->failed = 0;
        e->lockedUntil.clear();
        return writeFile(f);
    });
}

Status Keyring::writeRecoveryKey(const Session &admin, const QString &file)
{
    if (auto st = requireAdmin(admin); !st) return st;
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFile::ReadOwner | QFile::WriteOwner))
        return makeError(Error::Code::Io, file, {}, QStringLiteral("cannot create the recovery key file (it must not exist yet): %1").arg(out.errorString()));
    out.write("clinsight-database-recovery-key 1\n");
    out.write("database: " + QFileInfo(admin.databasePath).fileName().toUtf8() + "\n");
    out.write("key: " + admin.databaseKey.toHex() + "\n");
    return out.flush() ? Status(Ok{}) : Status(makeError(Error::Code::Io, file, {}, out.errorString()));
}

Result<QByteArray> Keyring::readRecoveryKey(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) return makeError(Error::Code::Io, file, {}, QStringLiteral("cannot read: %1").arg(in.errorString()));
    const QList<QByteArray> lines = in.read(4096).split('\n');
    if (lines.isEmpty() || lines.first().trimmed() != "clinsight-database-recovery-key 1")
        return makeError(Error::Code::Format, file, QStringLiteral("first line"), QStringLiteral("not a ClinSight recovery key file"));
    for (const QByteArray &l : lines)
        if (l.startsWith("key: ")) {
            const QByteArray key = QByteArray::fromHex(l.mid(5).trimmed());
            if (key.size() == kKeyBytes) return key;
        }
    return makeError(Error::Code::Format, file, QStringLiteral("key"), QStringLiteral("missing or not 32 bytes of hex"));
}

Result<Session> Keyring::recover(const QString &databasePath, const QByteArray &databaseKey, const QString &user,
                                 const QString &fullName, const QString &password)
{
    if (!sodiumReady()) return makeError(Error::Code::Internal, {}, {}, QStringLiteral("libsodium failed to initialise"));
    if (!isValidUserName(user))
        return makeError(Error::Code::Invalid, pathFor(databasePath), QStringLiteral("user"), QStringLiteral("1-64 letters, digits, '.', '-' or '_'"));
    if (auto st = checkPasswordPolicy(user, password); !st) return st.error();
    const QString path = pathFor(databasePath);
    File f;
    f.path = path;
    if (QFileInfo::exists(path)) {
        auto existing = readFile(path);
        if (!existing) return existing.error();
        f = existing.value();
    }
    f.entries.erase(std::remove_if(f.entries.begin(), f.entries.end(), [&](const Entry &e) { return e.user == user; }), f.entries.end());
    Entry e;
    e.user = user;
    e.fullName = fullName.trimmed();
    e.role = Role::Administrator;
    e.createdAt = nowText();
    e.createdBy = QStringLiteral("(recovery key)");
    if (!wrap(e, password, databaseKey)) return makeError(Error::Code::Internal, path, {}, QStringLiteral("Argon2id failed"));
    f.entries.push_back(e);
    if (auto st = writeFile(f); !st) return st.error();
    return Session{e.user, e.fullName, e.role, databaseKey, databasePath, 0};
}

QString Keyring::demoPasswordPath(const QString &databasePath) { return databasePath + QStringLiteral(".demo-password"); }

Result<Session> Keyring::demoSession(const QString &databasePath)
{
    const QString pwFile = demoPasswordPath(databasePath);
    if (!exists(databasePath)) {
        if (QFileInfo::exists(databasePath))
            return denied(databasePath, {}, QStringLiteral("a database without a keyring is not the demo's: sign in to it as its users"));
        QString password = randomPassword();
        while (password.contains(QLatin1String("demo"), Qt::CaseInsensitive)) password = randomPassword();
        ensureFolder(pwFile);
        QFile out(pwFile);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate, QFile::ReadOwner | QFile::WriteOwner) || out.write(password.toUtf8() + '\n') < 0)
            return makeError(Error::Code::Io, pwFile, {}, QStringLiteral("cannot write the demo password: %1").arg(out.errorString()));
        out.close();
        return create(databasePath, QStringLiteral("demo"), QStringLiteral("Demo user"), password, Role::Demo);
    }
    auto accounts = Keyring::accounts(databasePath);
    if (!accounts) return accounts.error();
    const bool isDemo = std::any_of(accounts->begin(), accounts->end(), [](const AccountInfo &a) { return a.role == Role::Demo; });
    if (!isDemo) return denied(pathFor(databasePath), {}, QStringLiteral("this is a clinical database, not the demo's: the demo never opens it"));
    auto password = readPasswordFile(pwFile);
    if (!password) return password.error();
    return signIn(databasePath, QStringLiteral("demo"), password.value());
}

Result<QString> Keyring::readPasswordFile(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) return makeError(Error::Code::Io, file, {}, QStringLiteral("cannot read the password file: %1").arg(in.errorString()));
    const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
    if (QFileInfo(file).isFile() && (in.permissions() & others))
        return makeError(Error::Code::Denied, file, {}, QStringLiteral("the password file is readable by others; make it owner-only (chmod 600)"));
    QByteArray line = in.readLine(4096);
    while (line.endsWith('\n') || line.endsWith('\r')) line.chop(1);
    if (line.isEmpty()) return makeError(Error::Code::Invalid, file, {}, QStringLiteral("the password file is empty"));
    return QString::fromUtf8(line);
}

QString randomPassword()
{
    sodiumReady();
    QByteArray b(32, '\0');
    randombytes_buf(b.data(), b.size());
    return QString::fromLatin1(b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace cs::security
