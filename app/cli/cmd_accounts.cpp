// clinsight-cli accounts: the local accounts of a clinical database (its keyring),
// managed by its administrator; every change is written to the database's audit log.
#include "cli.h"
#include "signin.h"

#include "clinsight/foundation/environment.h"
#include "clinsight/storage/clinicalstore.h"

namespace cli {

namespace {

using cs::security::Keyring;
using cs::security::Role;
using cs::security::Session;

const QCommandLineOption kDatabaseOpt(QStringLiteral("database"), QStringLiteral("The clinical database file (default: $CLINSIGHT_DB, else the user's)."),
                                      QStringLiteral("FILE"));
const QCommandLineOption kNameOpt(QStringLiteral("name"), QStringLiteral("The account to create or change."), QStringLiteral("NAME"));
const QCommandLineOption kFullNameOpt(QStringLiteral("full-name"), QStringLiteral("The person's name, as the record shows it."), QStringLiteral("TEXT"));
const QCommandLineOption kRoleOpt(QStringLiteral("role"), QStringLiteral("clinician, radiologist, administrator or auditor."), QStringLiteral("ROLE"));
const QCommandLineOption kNewPasswordOpt(QStringLiteral("new-password-file"), QStringLiteral("Owner-only file with the new account's password."),
                                         QStringLiteral("FILE"));
const QCommandLineOption kOutOpt(QStringLiteral("out"), QStringLiteral("File to write (must not exist)."), QStringLiteral("FILE"));
const QCommandLineOption kRecoveryOpt(QStringLiteral("recovery-key"), QStringLiteral("The database's recovery key file."), QStringLiteral("FILE"));

QString databaseOf(const QCommandLineParser &p) { return p.isSet(kDatabaseOpt) ? p.value(kDatabaseOpt) : cs::ClinicalStore::defaultPath(); }

// Writes one audit entry as the session's user (the store is opened with its key).
int recorded(const Session &s, const QString &action, const QString &detail)
{
    auto store = cs::ClinicalStore::open(s.databasePath, s.databaseKey);
    if (!store) return fail(store.error());
    if (auto st = store->audit(s.user, action, {}, detail); !st) return fail(st.error());
    return kExitOk;
}

cs::Result<QString> newPassword(const QCommandLineParser &p)
{
    if (!p.isSet(kNewPasswordOpt))
        return cs::makeError(cs::Error::Code::Invalid, {}, QStringLiteral("--new-password-file"), QStringLiteral("required"));
    return Keyring::readPasswordFile(p.value(kNewPasswordOpt));
}

int init(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({kDatabaseOpt, kFullNameOpt});
    addSignInOptions(p);
    int code = 0;
    if (!parse(p, args, QStringLiteral("First start: creates the database's keyring (a new random database key) and its\n"
                                       "administrator, --user with the password in --password-file. A database written\n"
                                       "unencrypted by an earlier ClinSight is encrypted in place."), code, 0, 0))
        return code;
    const QString db = databaseOf(p);
    if (!p.isSet(userOption()) || !p.isSet(passwordFileOption()))
        return failText(QStringLiteral("accounts init: --user NAME and --password-file FILE are required"));
    auto password = Keyring::readPasswordFile(p.value(passwordFileOption()));
    if (!password) return fail(password.error());
    auto s = Keyring::create(db, p.value(userOption()), p.value(kFullNameOpt), password.value(), Role::Administrator);
    if (!s) return fail(s.error());
    if (int rc = recorded(s.value(), QStringLiteral("account created"),
                          QStringLiteral("%1 (administrator), first start of this database's keyring").arg(s->user)); rc != kExitOk)
        return rc;
    out() << "keyring created: " << Keyring::pathFor(db) << "; administrator " << s->user << "\n";
    return kExitOk;
}

int manage(const QString &sub, const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({kDatabaseOpt, kNameOpt, kFullNameOpt, kRoleOpt, kNewPasswordOpt, kOutOpt, kRecoveryOpt});
    addSignInOptions(p);
    int code = 0;
    if (!parse(p, args, QStringLiteral("accounts %1 (see accounts --help)").arg(sub), code, 0, 0)) return code;
    const QString db = databaseOf(p);
    const QString name = p.value(kNameOpt);
    auto needName = [&]() { return name.isEmpty() ? failText(QStringLiteral("accounts %1: --name NAME is required").arg(sub)) : kExitOk; };

    if (sub == QLatin1String("recover")) {
        // No sign-in: the recovery key itself is the credential.
        if (int rc = needName(); rc != kExitOk) return rc;
        if (!p.isSet(kRecoveryOpt)) return failText(QStringLiteral("accounts recover: --recovery-key FILE is required"));
        auto key = Keyring::readRecoveryKey(p.value(kRecoveryOpt));
        if (!key) return fail(key.error());
        if (auto store = cs::ClinicalStore::open(db, key.value()); !store) return fail(store.error());   // the key opens this database
        auto pw = newPassword(p);
        if (!pw) return fail(pw.error());
        auto s = Keyring::recover(db, key.value(), name, p.value(kFullNameOpt), pw.value());
        if (!s) return fail(s.error());
        if (int rc = recorded(s.value(), QStringLiteral("account recovered"), QStringLiteral("%1 (administrator) from the recovery key").arg(name)); rc != kExitOk)
            return rc;
        out() << "administrator " << name << " recovered\n";
        return kExitOk;
    }
    if (sub == QLatin1String("list")) {
        auto s = signIn(p, db);
        if (!s) return fail(s.error());
        if (!s->can(cs::security::Permission::ManageAccounts) && !s->can(cs::security::Permission::ReadAudit))
            return fail(s->require(cs::security::Permission::ManageAccounts).error());
        auto list = Keyring::accounts(db);
        if (!list) return fail(list.error());
        for (const auto &a : list.value())
            out() << a.user << "\t" << cs::security::roleName(a.role) << "\t" << (a.fullName.isEmpty() ? QStringLiteral("-") : a.fullName) << "\t"
                  << "last sign-in " << (a.lastSignIn.isValid() ? a.lastSignIn.toString(Qt::ISODate) : QStringLiteral("never"))
                  << (a.locked() ? QStringLiteral("\tLOCKED until %1").arg(a.lockedUntil.toString(Qt::ISODate)) : QString())
                  << (a.failedAttempts ? QStringLiteral("\t%1 failed attempts").arg(a.failedAttempts) : QString()) << "\n";
        return kExitOk;
    }
    if (sub == QLatin1String("passwd")) {
        auto s = signIn(p, db);
        if (!s) return fail(s.error());
        auto pw = Keyring::readPasswordFile(p.isSet(passwordFileOption()) ? p.value(passwordFileOption()) : cs::env::passwordFile());
        auto np = newPassword(p);
        if (!pw || !np) return fail(!pw ? pw.error() : np.error());
        if (auto st = Keyring::changePassword(s.value(), pw.value(), np.value()); !st) return fail(st.error());
        return recorded(s.value(), QStringLiteral("password changed"), s->user);
    }
    auto s = signInFor(p, db, cs::security::Permission::ManageAccounts);
    if (!s) return fail(s.error());
    if (sub == QLatin1String("recovery-key")) {
        if (!p.isSet(kOutOpt)) return failText(QStringLiteral("accounts recovery-key: --out FILE is required"));
        if (auto st = Keyring::writeRecoveryKey(s.value(), p.value(kOutOpt)); !st) return fail(st.error());
        out() << "recovery key written to " << p.value(kOutOpt) << ": keep it offline (it opens the database without any password)\n";
        return recorded(s.value(), QStringLiteral("recovery key written"), QStringLiteral("by %1").arg(s->user));
    }
    if (int rc = needName(); rc != kExitOk) return rc;
    if (sub == QLatin1String("add")) {
        const auto role = cs::security::roleFromName(p.value(kRoleOpt));
        if (!role || *role == Role::Demo)
            return failText(QStringLiteral("accounts add: --role must be clinician, radiologist, administrator or auditor"));
        auto pw = newPassword(p);
        if (!pw) return fail(pw.error());
        if (auto st = Keyring::addAccount(s.value(), name, p.value(kFullNameOpt), *role, pw.value()); !st) return fail(st.error());
        out() << "account " << name << " (" << cs::security::roleName(*role) << ") added\n";
        return recorded(s.value(), QStringLiteral("account created"), QStringLiteral("%1 (%2)").arg(name, cs::security::roleName(*role)));
    }
    if (sub == QLatin1String("reset-password")) {
        auto pw = newPassword(p);
        if (!pw) return fail(pw.error());
        if (auto st = Keyring::resetPassword(s.value(), name, pw.value()); !st) return fail(st.error());
        return recorded(s.value(), QStringLiteral("password reset"), name);
    }
    if (sub == QLatin1String("unlock")) {
        if (auto st = Keyring::unlock(s.value(), name); !st) return fail(st.error());
        return recorded(s.value(), QStringLiteral("account unlocked"), name);
    }
    if (sub == QLatin1String("remove")) {
        if (auto st = Keyring::removeAccount(s.value(), name); !st) return fail(st.error());
        return recorded(s.value(), QStringLiteral("account removed"), name);
    }
    return failText(QStringLiteral("accounts: unknown subcommand '%1' (see accounts --help)").arg(sub));
}

} // namespace

int accounts(const QStringList &args)
{
    const QString sub = args.value(1);
    if (sub == QLatin1String("init")) return init(args.mid(1));
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out() << "Usage: clinsight-cli accounts SUBCOMMAND --database F --user NAME --password-file FILE [options]\n"
                 "  init                                   first start: the keyring and its administrator (--user, --password-file)\n"
                 "  list                                   accounts, roles, last sign-in, lockouts (administrator, auditor)\n"
                 "  add --name N --role R --new-password-file F [--full-name T]   (administrator)\n"
                 "  reset-password --name N --new-password-file F                  (administrator; also unlocks)\n"
                 "  unlock --name N | remove --name N                              (administrator)\n"
                 "  passwd --new-password-file F           change your own password\n"
                 "  recovery-key --out F                   the raw database key for the hospital's safe (administrator)\n"
                 "  recover --recovery-key F --name N --new-password-file F        a new administrator from the recovery key\n"
                 "Roles: clinician (views, decides notes), radiologist (also reviews studies), administrator (accounts,\n"
                 "PACS nodes, model bundle, settings, audit log), auditor (read-only: the audit log).\n"
                 "Exit 4: wrong password, locked account or a role without the right.\n";
        return kExitOk;
    }
    return manage(sub, args.mid(1));
}

} // namespace cli
