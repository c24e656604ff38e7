#include "clinsight/foundation/filehash.h"
#include "clinsight/foundation/protectedfile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <algorithm>

namespace cs {

QString sha256OfFile(const QString &path)
{
    if (isProtectedFile(path)) {   // the content, not its encryption (which differs on every write)
        auto content = readFileContent(path);
        return content ? QString::fromLatin1(QCryptographicHash::hash(content.value(), QCryptographicHash::Sha256).toHex()) : QString();
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!h.addData(&f)) return {};
    return QString::fromLatin1(h.result().toHex());
}

QString sha256OfFileList(const QString &dir, QStringList names, QString *failedName)
{
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
    QCryptographicHash all(QCryptographicHash::Sha256);
    for (const QString &n : names) {
        const QString h = sha256OfFile(QDir(dir).filePath(n));
        if (h.isEmpty()) {
            if (failedName) *failedName = QDir(dir).filePath(n);
            return {};
        }
        all.addData((h + QStringLiteral("  ") + n + '\n').toUtf8());
    }
    return QString::fromLatin1(all.result().toHex());
}

} // namespace cs
