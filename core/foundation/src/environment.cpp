#include "clinsight/foundation/environment.h"

#include <QtGlobal>

namespace cs::env {

QString modelDirOverride() { return qEnvironmentVariable("CLINSIGHT_MODEL_DIR"); }
QString databaseOverride() { return qEnvironmentVariable("CLINSIGHT_DB"); }
QString trustedKeysFolder() { return qEnvironmentVariable("CLINSIGHT_TRUSTED_KEYS"); }
QString auditKeysFolderOverride() { return qEnvironmentVariable("CLINSIGHT_KEYS_DIR"); }
QString signingKeyFile() { return qEnvironmentVariable("CLINSIGHT_SIGNING_KEY"); }
bool forceCpu() { return qEnvironmentVariableIsSet("CLINSIGHT_FORCE_CPU"); }
bool dcmtkLogging() { return qEnvironmentVariableIsSet("CLINSIGHT_DCMTK_LOG"); }
bool noDialogs() { return qEnvironmentVariableIsSet("CLINSIGHT_NO_DIALOGS"); }
QString signInUser() { return qEnvironmentVariable("CLINSIGHT_USER"); }
QString passwordFile() { return qEnvironmentVariable("CLINSIGHT_PASSWORD_FILE"); }

QString operatingSystemUser()
{
    QString u = qEnvironmentVariable("USER");
    if (u.isEmpty()) u = qEnvironmentVariable("USERNAME");
    return u.isEmpty() ? QStringLiteral("unknown") : u;
}

} // namespace cs::env
