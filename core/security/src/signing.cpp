#include "clinsight/security/signing.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <sodium.h>

namespace cs::security {

namespace {

const char kPublicMagic[] = "clinsight-ed25519-public 1";
const char kSecretMagic[] = "clinsight-ed25519-secret 1";

bool sodiumReady()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

Error keyError(const QString &path, const QString &field, const QString &reason)
{
    return makeError(Error::Code::Format, path, field, reason);
}

// "name: value" lines after a magic first line.
struct KeyFile { QString magic; QString signer, keyId, value; };

Result<KeyFile> readKeyFile(const QString &path, const char *magic, const char *valueName)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, path, {}, QStringLiteral("key file missing or unreadable: %1").arg(f.errorString()));
    if (f.size() > 4096) return keyError(path, {}, QStringLiteral("too large to be a ClinSight key file"));
    const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    if (lines.isEmpty() || lines.first().trimmed() != QLatin1String(magic))
        return keyError(path, QStringLiteral("first line"), QStringLiteral("not a '%1' key file").arg(QLatin1String(magic)));
    KeyFile k;
    k.magic = lines.first().trimmed();
    for (const QString &line : lines.mid(1)) {
        const int colon = line.indexOf(':');
        if (colon < 0) return keyError(path, line.left(30), QStringLiteral("expected 'name: value'"));
        const QString name = line.left(colon).trimmed(), value = line.mid(colon + 1).trimmed();
        if (name == QLatin1String("signer")) k.signer = value;
        else if (name == QLatin1String("key-id")) k.keyId = value;
        else if (name == QLatin1String(valueName)) k.value = value;
    }
    if (k.signer.isEmpty()) return keyError(path, QStringLiteral("signer"), QStringLiteral("missing"));
    if (k.value.isEmpty()) return keyError(path, QLatin1String(valueName), QStringLiteral("missing"));
    return k;
}

Status writeKeyFile(const QString &path, const QString &text, bool secret)
{
    if (QFileInfo::exists(path))
        return makeError(Error::Code::Invalid, path, {}, QStringLiteral("already exists; refusing to overwrite a key"));
    QFile f(path);
    // Created owner-only before a byte is written, so the secret is never readable by others.
    const QFile::Permissions perms = secret ? (QFile::ReadOwner | QFile::WriteOwner)
                                            : (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly, perms))
        return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot create: %1").arg(f.errorString()));
    const QByteArray bytes = text.toUtf8();
    if (f.write(bytes) != bytes.size() || !f.flush()) {
        f.close();
        QFile::remove(path);
        return makeError(Error::Code::Io, path, {}, QStringLiteral("cannot write: %1").arg(f.errorString()));
    }
    return Ok{};
}

} // namespace

QString keyIdOf(const QByteArray &publicKey)
{
    return QString::fromLatin1(QCryptographicHash::hash(publicKey, QCryptographicHash::Sha256).toHex().left(16));
}

QString PublicKey::keyId() const { return keyIdOf(bytes); }

PublicKey SecretKey::publicKey() const
{
    PublicKey p;
    p.signer = signer;
    if (bytes.size() == crypto_sign_SECRETKEYBYTES) {
        p.bytes.resize(crypto_sign_PUBLICKEYBYTES);
        crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char *>(p.bytes.data()),
                                     reinterpret_cast<const unsigned char *>(bytes.constData()));
    }
    return p;
}

Result<SecretKey> generateKey(const QString &signer)
{
    if (!sodiumReady()) return makeError(Error::Code::Internal, {}, QStringLiteral("libsodium"), QStringLiteral("could not be initialised"));
    if (signer.trimmed().isEmpty() || signer.contains('\n'))
        return makeError(Error::Code::Invalid, {}, QStringLiteral("signer"), QStringLiteral("a key needs a one-line signer name"));
    SecretKey k;
    k.signer = signer.trimmed();
    QByteArray pk(crypto_sign_PUBLICKEYBYTES, '\0');
    k.bytes.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(reinterpret_cast<unsigned char *>(pk.data()), reinterpret_cast<unsigned char *>(k.bytes.data()));
    return k;
}

Status writeSecretKey(const SecretKey &key, const QString &path)
{
    const PublicKey pub = key.publicKey();
    return writeKeyFile(path, QStringLiteral("%1\nsigner: %2\nkey-id: %3\nsecret: %4\n")
                                  .arg(QLatin1String(kSecretMagic), key.signer, pub.keyId(), QString::fromLatin1(key.bytes.toBase64())),
                        true);
}

Status writePublicKey(const PublicKey &key, const QString &path)
{
    return writeKeyFile(path, QStringLiteral("%1\nsigner: %2\nkey-id: %3\npublic: %4\n")
                                  .arg(QLatin1String(kPublicMagic), key.signer, key.keyId(), QString::fromLatin1(key.bytes.toBase64())),
                        false);
}

Result<SecretKey> readSecretKey(const QString &path)
{
    if (!sodiumReady()) return makeError(Error::Code::Internal, {}, QStringLiteral("libsodium"), QStringLiteral("could not be initialised"));
    auto f = readKeyFile(path, kSecretMagic, "secret");
    if (!f) return f.error();
    SecretKey k;
    k.signer = f->signer;
    k.bytes = QByteArray::fromBase64(f->value.toLatin1());
    if (k.bytes.size() != crypto_sign_SECRETKEYBYTES)
        return keyError(path, QStringLiteral("secret"), QStringLiteral("not a %1-byte Ed25519 secret key").arg(crypto_sign_SECRETKEYBYTES));
    // The seed must reproduce the public half stored beside it: a damaged key is refused, not used.
    QByteArray pk(crypto_sign_PUBLICKEYBYTES, '\0'), sk(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char *>(pk.data()), reinterpret_cast<unsigned char *>(sk.data()),
                             reinterpret_cast<const unsigned char *>(k.bytes.constData()));
    if (sk != k.bytes) return keyError(path, QStringLiteral("secret"), QStringLiteral("damaged: its two halves do not match"));
    if (!f->keyId.isEmpty() && f->keyId != keyIdOf(pk))
        return keyError(path, QStringLiteral("key-id"), QStringLiteral("does not match the key"));
    return k;
}

Result<PublicKey> readPublicKey(const QString &path)
{
    auto f = readKeyFile(path, kPublicMagic, "public");
    if (!f) return f.error();
    PublicKey k;
    k.signer = f->signer;
    k.bytes = QByteArray::fromBase64(f->value.toLatin1());
    if (k.bytes.size() != crypto_sign_PUBLICKEYBYTES)
        return keyError(path, QStringLiteral("public"), QStringLiteral("not a %1-byte Ed25519 public key").arg(crypto_sign_PUBLICKEYBYTES));
    if (!f->keyId.isEmpty() && f->keyId != k.keyId())
        return keyError(path, QStringLiteral("key-id"), QStringLiteral("%1 does not match the key (%2)").arg(f->keyId, k.keyId()));
    return k;
}

QByteArray sign(const SecretKey &key, const QByteArray &message)
{
    if (!sodiumReady() || key.bytes.size() != crypto_sign_SECRETKEYBYTES) return {};
    QByteArray sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char *>(sig.data()), nullptr,
                         reinterpret_cast<const unsigned char *>(message.constData()), quint64(message.size()),
                         reinterpret_cast<const unsigned char *>(key.bytes.constData()));
    return sig;
}

bool verify(const PublicKey &key, const QByteArray &message, const QByteArray &signature)
{
    if (!sodiumReady() || key.bytes.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char *>(signature.constData()),
                                       reinterpret_cast<const unsigned char *>(message.constData()), quint64(message.size()),
                                       reinterpret_cast<const unsigned char *>(key.bytes.constData())) == 0;
}

} // namespace cs::security
