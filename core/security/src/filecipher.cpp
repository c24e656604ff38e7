#include "clinsight/security/filecipher.h"

#include <sodium.h>

namespace cs::security {

namespace {

const QByteArray kMagic(kProtectedFileMagic, int(sizeof(kProtectedFileMagic) - 1));

class SodiumFileCipher : public FileCipher {
public:
    explicit SodiumFileCipher(const QByteArray &databaseKey) : m_key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0')
    {
        static const char context[] = "clinsight-files-v1";
        crypto_generichash(reinterpret_cast<unsigned char *>(m_key.data()), m_key.size(), reinterpret_cast<const unsigned char *>(context),
                           sizeof(context) - 1, reinterpret_cast<const unsigned char *>(databaseKey.constData()), databaseKey.size());
    }
    ~SodiumFileCipher() override { sodium_memzero(m_key.data(), m_key.size()); }

    Result<QByteArray> seal(const QByteArray &plain) const override
    {
        QByteArray nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, '\0');
        randombytes_buf(nonce.data(), nonce.size());
        QByteArray out = kMagic + nonce;
        const int head = out.size();
        out.resize(head + plain.size() + int(crypto_aead_xchacha20poly1305_ietf_ABYTES));
        unsigned long long len = 0;
        crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char *>(out.data() + head), &len,
                                                   reinterpret_cast<const unsigned char *>(plain.constData()), plain.size(),
                                                   reinterpret_cast<const unsigned char *>(kMagic.constData()), kMagic.size(), nullptr,
                                                   reinterpret_cast<const unsigned char *>(nonce.constData()),
                                                   reinterpret_cast<const unsigned char *>(m_key.constData()));
        out.resize(head + int(len));
        return out;
    }

    Result<QByteArray> open(const QByteArray &sealed, const QString &path) const override
    {
        const int head = kMagic.size() + int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
        if (!sealed.startsWith(kMagic) || sealed.size() < head + int(crypto_aead_xchacha20poly1305_ietf_ABYTES))
            return makeError(Error::Code::Integrity, path, {}, QStringLiteral("an encrypted ClinSight file, truncated"));
        QByteArray plain(sealed.size() - head - int(crypto_aead_xchacha20poly1305_ietf_ABYTES), '\0');
        unsigned long long len = 0;
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                reinterpret_cast<unsigned char *>(plain.data()), &len, nullptr, reinterpret_cast<const unsigned char *>(sealed.constData() + head),
                sealed.size() - head, reinterpret_cast<const unsigned char *>(kMagic.constData()), kMagic.size(),
                reinterpret_cast<const unsigned char *>(sealed.constData() + kMagic.size()),
                reinterpret_cast<const unsigned char *>(m_key.constData())) != 0)
            return makeError(Error::Code::Integrity, path, {},
                             QStringLiteral("an encrypted ClinSight file that does not open with this database's key: changed, damaged, "
                                            "or written by another database"));
        plain.resize(int(len));
        return plain;
    }

private:
    QByteArray m_key;
};

} // namespace

std::shared_ptr<const FileCipher> makeFileCipher(const QByteArray &databaseKey)
{
    if (sodium_init() < 0 || databaseKey.size() != 32) return nullptr;
    return std::make_shared<SodiumFileCipher>(databaseKey);
}

} // namespace cs::security
