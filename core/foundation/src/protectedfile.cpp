#include "clinsight/foundation/protectedfile.h"

#include <QFile>
#include <QMutex>
#include <QSaveFile>

namespace cs {

namespace {
QMutex g_lock;
std::shared_ptr<const FileCipher> g_cipher;
const QByteArray kMagic(kProtectedFileMagic, int(sizeof(kProtectedFileMagic) - 1));
} // namespace

void installFileCipher(std::shared_ptr<const FileCipher> cipher)
{
    QMutexLocker l(&g_lock);
    g_cipher = std::move(cipher);
}

std::shared_ptr<const FileCipher> installedFileCipher()
{
    QMutexLocker l(&g_lock);
    return g_cipher;
}

bool isProtectedFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.read(kMagic.size()) == kMagic;
}

Result<QByteArray> readFileContent(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot read: %1").arg(f.errorString()));
    QByteArray bytes = f.readAll();
    if (!bytes.startsWith(kMagic)) return bytes;
    const auto cipher = installedFileCipher();
    if (!cipher)
        return makeError(Error::Code::Denied, path, {}, QStringLiteral("the file is encrypted by ClinSight: sign in to the workstation that wrote it to read it"));
    return cipher->open(bytes, path);
}

Status protectFile(const QString &path)
{
    const auto cipher = installedFileCipher();
    if (!cipher) return Ok{};
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot read: %1").arg(in.errorString()));
    const QByteArray plain = in.readAll();
    in.close();
    if (plain.startsWith(kMagic)) return Ok{};
    auto sealed = cipher->seal(plain);
    QSaveFile out(path);
    if (!sealed || !out.open(QIODevice::WriteOnly)) {
        QFile::remove(path);
        return sealed ? makeError(Error::Code::Io, path, {}, QStringLiteral("cannot encrypt: %1").arg(out.errorString())) : sealed.error();
    }
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    out.write(sealed.value());
    if (!out.commit()) {
        QFile::remove(path);
        return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot encrypt: %1").arg(out.errorString()));
    }
    return Ok{};
}

} // namespace cs
