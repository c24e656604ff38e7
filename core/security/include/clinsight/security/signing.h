#pragma once
// Ed25519 signatures (libsodium) for what must not change unnoticed: model
// bundles (signed at training time) and the audit log's chain head. Keys are
// plain values; a secret key file is written owner-only (0600) and is never
// part of the repository or of an installed package. Reentrant.
//
// Key files are text, one "name: value" per line, so IT staff can read who a
// key belongs to:
//   clinsight-ed25519-public 1 | clinsight-ed25519-secret 1
//   signer: ClinSight release
//   key-id: 3f2a9c0e1b7d4a55        (first 16 hex digits of SHA-256 of the public key)
//   public: <base64, 32 bytes>      | secret: <base64, 64 bytes>
#include "clinsight/foundation/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace cs::security {

struct PublicKey {
    QByteArray bytes;   // 32 bytes
    QString signer;     // who holds the secret key, in words
    QString keyId() const;
};

struct SecretKey {
    QByteArray bytes;   // 64 bytes (seed and public key, libsodium's layout)
    QString signer;
    PublicKey publicKey() const;
};

// First 16 hex digits of the SHA-256 of a 32-byte public key.
QString keyIdOf(const QByteArray &publicKey);

Result<SecretKey> generateKey(const QString &signer);
// Refuses to overwrite an existing file; the secret key file is created 0600.
Status writeSecretKey(const SecretKey &key, const QString &path);
Status writePublicKey(const PublicKey &key, const QString &path);
Result<SecretKey> readSecretKey(const QString &path);
Result<PublicKey> readPublicKey(const QString &path);

// A 64-byte detached signature of message.
QByteArray sign(const SecretKey &key, const QByteArray &message);
bool verify(const PublicKey &key, const QByteArray &message, const QByteArray &signature);

// The public keys this installation trusts to sign model bundles: every *.pub
// in the shipped trusted-keys folder (Resource::TrustedKeys) and in the folder
// named by CLINSIGHT_TRUSTED_KEYS (a site's own keys, set by its IT staff).
// A key file that does not parse is reported in problems and not trusted.
struct TrustedKeys {
    std::vector<PublicKey> keys;
    QStringList folders;    // where they were read from
    QStringList problems;   // "FILE: reason"
    const PublicKey *find(const QString &keyId) const;
};
TrustedKeys readTrustedKeys(const QStringList &folders);
QStringList trustedKeyFolders();

} // namespace cs::security
