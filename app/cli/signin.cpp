#include "signin.h"

#include "clinsight/foundation/environment.h"

namespace cli {

const QCommandLineOption &userOption()
{
    static const QCommandLineOption o(QStringLiteral("user"), QStringLiteral("ClinSight account to sign in as (default: $CLINSIGHT_USER)."),
                                      QStringLiteral("NAME"));
    return o;
}

const QCommandLineOption &passwordFileOption()
{
    static const QCommandLineOption o(QStringLiteral("password-file"),
                                      QStringLiteral("Owner-only file whose first line is the account's password (default: $CLINSIGHT_PASSWORD_FILE)."),
                                      QStringLiteral("FILE"));
    return o;
}

void addSignInOptions(QCommandLineParser &p) { p.addOptions({userOption(), passwordFileOption()}); }

namespace {
QString userOf(const QCommandLineParser &p) { return p.isSet(userOption()) ? p.value(userOption()) : cs::env::signInUser(); }
} // namespace

bool signInRequested(const QCommandLineParser &p) { return !userOf(p).isEmpty(); }

cs::Result<cs::security::Session> signIn(const QCommandLineParser &p, const QString &databasePath)
{
    using cs::security::Keyring;
    const QString user = userOf(p);
    const QString file = p.isSet(passwordFileOption()) ? p.value(passwordFileOption()) : cs::env::passwordFile();
    if (user.isEmpty())
        return cs::makeError(cs::Error::Code::Denied, databasePath, QStringLiteral("--user"),
                             QStringLiteral("this database is encrypted: sign in with --user NAME and --password-file FILE "
                                            "(or CLINSIGHT_USER and CLINSIGHT_PASSWORD_FILE)"));
    if (file.isEmpty())
        return cs::makeError(cs::Error::Code::Denied, databasePath, QStringLiteral("--password-file"),
                             QStringLiteral("no password: give --password-file FILE (or CLINSIGHT_PASSWORD_FILE)"));
    auto password = Keyring::readPasswordFile(file);
    if (!password) return password.error();
    return Keyring::signIn(databasePath, user, password.value());
}

cs::Result<cs::security::Session> signInFor(const QCommandLineParser &p, const QString &databasePath, cs::security::Permission need)
{
    auto s = signIn(p, databasePath);
    if (!s) return s.error();
    if (auto st = s->require(need); !st) return st.error();
    return s;
}

} // namespace cli
