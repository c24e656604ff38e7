#include "clinsight/security/signing.h"

#include "clinsight/foundation/environment.h"
#include "clinsight/foundation/resources.h"

#include <QDir>
#include <QFileInfo>

namespace cs::security {

const PublicKey *TrustedKeys::find(const QString &keyId) const
{
    for (const PublicKey &k : keys)
        if (k.keyId() == keyId) return &k;
    return nullptr;
}

QStringList trustedKeyFolders()
{
    QStringList folders;
    const ResourceLocation shipped = locateResource(Resource::TrustedKeys);
    if (shipped.found) folders << shipped.path;
    const QString site = env::trustedKeysFolder();
    if (!site.isEmpty()) folders << QDir::cleanPath(QDir(site).absolutePath());
    return folders;
}

TrustedKeys readTrustedKeys(const QStringList &folders)
{
    TrustedKeys t;
    for (const QString &folder : folders) {
        if (!QFileInfo(folder).isDir()) {
            t.problems << QStringLiteral("%1: trusted-keys folder does not exist").arg(folder);
            continue;
        }
        t.folders << folder;
        const QStringList files = QDir(folder).entryList({QStringLiteral("*.pub")}, QDir::Files, QDir::Name);
        for (const QString &name : files) {
            auto k = readPublicKey(QDir(folder).filePath(name));
            if (k) {
                if (!t.find(k->keyId())) t.keys.push_back(k.value());
            } else {
                t.problems << k.error().message();
            }
        }
    }
    return t;
}

} // namespace cs::security
