#pragma once
// Signing in for headless commands that open a clinical database: --user NAME and
// --password-file FILE (an owner-only file, first line), else CLINSIGHT_USER and
// CLINSIGHT_PASSWORD_FILE. A password is never taken on the command line (it would
// show in the process list and the shell history).
#include "clinsight/security/accounts.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace cli {

const QCommandLineOption &userOption();
const QCommandLineOption &passwordFileOption();
void addSignInOptions(QCommandLineParser &p);
// Whether a user was named (option or environment).
bool signInRequested(const QCommandLineParser &p);
// Signs in to databasePath's keyring; errors name the option or the file at fault.
cs::Result<cs::security::Session> signIn(const QCommandLineParser &p, const QString &databasePath);
// Signs in and requires the permission: Denied naming user, role and what was refused.
cs::Result<cs::security::Session> signInFor(const QCommandLineParser &p, const QString &databasePath, cs::security::Permission need);

} // namespace cli
