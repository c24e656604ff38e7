#pragma once
// Every CLINSIGHT_* environment variable ClinSight reads, in one place, so a
// reader (and IT staff) can see what the environment can change. Reads are
// cheap and reentrant; nothing here caches.
#include <QString>

namespace cs::env {

QString modelDirOverride();   // CLINSIGHT_MODEL_DIR: model bundle folder to load instead of the bundled one
QString databaseOverride();   // CLINSIGHT_DB: clinical database file instead of the per-user default
QString trustedKeysFolder();  // CLINSIGHT_TRUSTED_KEYS: a folder of extra *.pub keys trusted to sign model bundles (a site's own)
QString auditKeysFolderOverride(); // CLINSIGHT_KEYS_DIR: where each database's audit signing key lives (default <config>/ClinSight/audit-keys)
QString signingKeyFile();     // CLINSIGHT_SIGNING_KEY: secret key file that `train` signs the bundle with (never in the repository)
bool forceCpu();              // CLINSIGHT_FORCE_CPU: never use CUDA even when LibTorch has it
bool dcmtkLogging();          // CLINSIGHT_DCMTK_LOG: DCMTK's debug log on stderr
bool noDialogs();             // CLINSIGHT_NO_DIALOGS: GUI tests and screenshots: no modal dialogs
QString signInUser();         // CLINSIGHT_USER: the ClinSight account headless commands sign in as (--user overrides)
QString passwordFile();       // CLINSIGHT_PASSWORD_FILE: an owner-only file holding that account's password (--password-file overrides)
QString operatingSystemUser();// USER / USERNAME: who is signed in to the OS ("unknown" when neither is set)

} // namespace cs::env
