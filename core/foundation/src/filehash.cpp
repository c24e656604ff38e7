#include "clinsight/foundation/filehash.h"

#include <QCryptographicHash>
#include <QFile>

namespace cs {

QString sha256OfFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!h.addData(&f)) return {};
    return QString::fromLatin1(h.result().toHex());
}

} // namespace cs
