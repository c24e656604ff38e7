#pragma once
// Local accounts, roles and the key of the clinical database (docs/security.md).
//
// Each clinical database has one random 256-bit database key (SQLCipher). It
// is never stored in clear: the database's keyring (DATABASE.keyring, beside
// it, owner-only) holds it once per account, wrapped (XChaCha20-Poly1305) by a
// key derived from that account's password with Argon2id; the account's name,
// full name and role are the wrap's associated data, so editing a role in the
// file makes the account unusable rather than more powerful. A password is
// right exactly when its wrap opens: no password hash to steal beside the key.
//
// Failed sign-ins are counted per account; after KeyringPolicy::maxFailures in
// a row the account is locked for lockoutMinutes (an administrator can unlock
// it sooner). The count lives in the keyring and is an online control only:
// an offline attacker is slowed by Argon2id, not by the counter.
//
// Recovery: the administrator resets a user's password (the key is re-wrapped
// from the administrator's session), and can write the raw key to a recovery
// file for the hospital's safe; recover() makes a new administrator from it.
//
// Reentrant; the keyring file is updated under a lock file, atomically.
#include "clinsight/foundation/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <optional>
#include <vector>

namespace cs::security {

// clinician: views patients, decides notes · radiologist: also reviews studies ·
// administrator: accounts, PACS nodes, model bundle, settings, the audit log ·
// auditor: read-only, the audit log · demo: the bundled demo's user on the demo's
// own database (clinician + radiologist + the audit log's view; never on a clinical database).
enum class Role { Clinician, Radiologist, Administrator, Auditor, Demo };
QString roleName(Role r);
std::optional<Role> roleFromName(const QString &name);

enum class Permission { ViewPatients, DecideNotes, ReviewStudies, ManageAccounts, ManagePacsNodes, ManageModel, ManageSettings, ReadAudit };
bool roleAllows(Role r, Permission p);
QString permissionName(Permission p);

struct Session {
    QString user, fullName;
    Role role = Role::Clinician;
    QByteArray databaseKey;   // 32 bytes; empty when not signed in
    QString databasePath;
    int failedBefore = 0;     // failed attempts since this account's last sign-in
    bool can(Permission p) const { return !databaseKey.isEmpty() && roleAllows(role, p); }
    // Error::Code::Denied naming the user, the role and what was refused.
    Status require(Permission p) const;
};

struct AccountInfo {
    QString user, fullName, createdBy;
    Role role = Role::Clinician;
    QDateTime createdAt, lastSignIn, lockedUntil;
    int failedAttempts = 0;
    bool locked() const { return lockedUntil.isValid() && lockedUntil > QDateTime::currentDateTimeUtc(); }
};

struct KeyringPolicy {
    int maxFailures = 5;
    int lockoutMinutes = 15;
    int minPasswordLength = 10;
};

class Keyring {
public:
    static QString pathFor(const QString &databasePath);   // DATABASE + ".keyring"
    static bool exists(const QString &databasePath);
    static KeyringPolicy policy();

    // The first start: a new database key and its first account (the administrator,
    // or the demo user). Refuses when a keyring is already there.
    static Result<Session> create(const QString &databasePath, const QString &user, const QString &fullName,
                                  const QString &password, Role role = Role::Administrator);
    static Result<Session> signIn(const QString &databasePath, const QString &user, const QString &password);
    // Re-authentication of the signed-in user (to sign a note, to unlock the screen):
    // counts toward the lockout like a sign-in.
    static Status confirmPassword(const Session &s, const QString &password);

    static Result<std::vector<AccountInfo>> accounts(const QString &databasePath);
    static Status addAccount(const Session &admin, const QString &user, const QString &fullName, Role role, const QString &password);
    static Status resetPassword(const Session &admin, const QString &user, const QString &newPassword);   // also unlocks
    static Status changePassword(const Session &self, const QString &oldPassword, const QString &newPassword);
    static Status removeAccount(const Session &admin, const QString &user);
    static Status unlock(const Session &admin, const QString &user);

    // The raw database key, hex, in an owner-only file that must not exist yet.
    static Status writeRecoveryKey(const Session &admin, const QString &file);
    static Result<QByteArray> readRecoveryKey(const QString &file);
    // A new administrator (or a new password for an existing one) from the recovery key.
    // The caller checks first that the key opens the database.
    static Result<Session> recover(const QString &databasePath, const QByteArray &databaseKey, const QString &user,
                                   const QString &fullName, const QString &password);

    // The bundled demo's session on its own database: the demo account is created on
    // first use with a random password kept owner-only in DATABASE.demo-password
    // (the demo's data are public; this only keeps its file format the real one).
    // Refuses a database whose keyring has no demo account (a clinical database).
    static Result<Session> demoSession(const QString &databasePath);
    static QString demoPasswordPath(const QString &databasePath);

    // A password read from a file (first line, trailing newline dropped); the file
    // must be owner-only. For headless commands (--password-file).
    static Result<QString> readPasswordFile(const QString &file);
    static Status checkPasswordPolicy(const QString &user, const QString &password);
};

// A random password (base64url, 32 bytes of entropy): the demo user's.
QString randomPassword();

} // namespace cs::security
