#include "clinsight/model/bundlesignature.h"

#include "bundle_p.h"

#include "clinsight/foundation/filehash.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace cs {

namespace {

const QString kPurpose = QStringLiteral("clinsight-model-bundle-signature");

Error integrity(const QString &file, const QString &field, const QString &reason)
{
    return makeError(Error::Code::Integrity, file, field, reason);
}

} // namespace

QString BundleSignature::summary() const
{
    if (!isSigned()) return QStringLiteral("not signed");
    const QDateTime at = QDateTime::fromString(signedAt, Qt::ISODate);
    return QStringLiteral("%1 (key %2)%3").arg(signer, keyId,
                                               at.isValid() ? QStringLiteral(", signed %1").arg(at.toString(QStringLiteral("yyyy-MM-dd"))) : QString());
}

Result<BundleSignature> verifyBundleSignature(const QString &dirIn, const security::TrustedKeys &trusted)
{
    const QString dir = QDir::cleanPath(dirIn);
    const QString sigPath = dir + '/' + kBundleSignatureFile;
    QFile f(sigPath);
    if (!f.exists())
        return integrity(dir, kBundleSignatureFile,
                         QStringLiteral("the model bundle is not signed: ClinSight uses only bundles signed by a key it trusts; refusing to load"));
    if (!f.open(QIODevice::ReadOnly) || f.size() > 65536)
        return integrity(sigPath, {}, QStringLiteral("unreadable signature file; refusing to load the bundle"));
    QJsonParseError perr;
    const QJsonObject outer = QJsonDocument::fromJson(f.readAll(), &perr).object();
    const QString statementText = outer.value(QLatin1String("statement")).toString();
    const QByteArray signature = QByteArray::fromBase64(outer.value(QLatin1String("signature")).toString().toLatin1());
    if (perr.error != QJsonParseError::NoError || statementText.isEmpty())
        return integrity(sigPath, QStringLiteral("statement"), QStringLiteral("malformed signature file; refusing to load the bundle"));
    const QJsonObject st = QJsonDocument::fromJson(statementText.toUtf8()).object();
    if (st.value(QLatin1String("purpose")).toString() != kPurpose)
        return integrity(sigPath, QStringLiteral("statement.purpose"), QStringLiteral("not a ClinSight model bundle signature; refusing to load"));
    BundleSignature s;
    s.keyId = st.value(QLatin1String("key_id")).toString();
    s.signer = st.value(QLatin1String("signer")).toString();
    s.signedAt = st.value(QLatin1String("signed_at")).toString();
    const security::PublicKey *key = trusted.find(s.keyId);
    if (!key) {
        QStringList known;
        for (const auto &k : trusted.keys) known << QStringLiteral("%1 (%2)").arg(k.signer, k.keyId());
        return integrity(sigPath, QStringLiteral("key_id"),
                         QStringLiteral("signed by key %1 ('%2'), which this installation does not trust (trusted: %3); refusing to load")
                             .arg(s.keyId, s.signer, known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", "))));
    }
    if (!security::verify(*key, statementText.toUtf8(), signature))
        return integrity(sigPath, QStringLiteral("signature"),
                         QStringLiteral("does not verify under the trusted key %1: the signature file was altered; refusing to load").arg(s.keyId));
    // The signer's name as the trusted key file gives it (the statement's copy is signed too, but the key file is ours).
    s.signer = key->signer;
    const std::pair<QString, QString> covered[] = {{bundle::kManifest, QStringLiteral("manifest_sha256")},
                                                   {bundle::kModelCard, QStringLiteral("model_card_sha256")}};
    for (const auto &[name, field] : covered) {
        const QString expected = st.value(field).toString();
        const QString actual = sha256OfFile(dir + '/' + name);
        if (actual.isEmpty()) return integrity(dir + '/' + name, {}, QStringLiteral("signed bundle file missing or unreadable; refusing to load"));
        if (actual != expected)
            return integrity(dir + '/' + name, QStringLiteral("SHA-256"),
                             QStringLiteral("changed after the bundle was signed by %1 (%2 signed, %3 now): "
                                            "thresholds, calibration, file hashes or the card may have been edited; refusing to load")
                                 .arg(s.signer, expected.left(12), actual.left(12)));
    }
    return s;
}

Result<BundleSignature> verifyBundleSignature(const QString &bundleDir)
{
    return verifyBundleSignature(bundleDir, security::readTrustedKeys(security::trustedKeyFolders()));
}

Result<BundleSignature> verifyBundle(const QString &bundleDir)
{
    auto s = bundle::readVerifiedBundle(bundleDir, true);
    if (!s) return s.error();
    return s->signature;
}

Result<BundleSignature> signBundle(const QString &dirIn, const security::SecretKey &key)
{
    const QString dir = QDir::cleanPath(dirIn);
    QFile mf(dir + '/' + bundle::kManifest);
    if (!mf.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, mf.fileName(), {}, QStringLiteral("model manifest not found or unreadable"));
    const QJsonObject manifest = QJsonDocument::fromJson(mf.readAll()).object();
    const QString manifestSha = sha256OfFile(dir + '/' + bundle::kManifest);
    const QString cardSha = sha256OfFile(dir + '/' + bundle::kModelCard);
    if (cardSha.isEmpty())
        return makeError(Error::Code::Io, dir + '/' + bundle::kModelCard, {}, QStringLiteral("a bundle is signed with its model card; the card is missing"));
    const security::PublicKey pub = key.publicKey();
    BundleSignature s{key.signer, pub.keyId(), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)};
    const QJsonObject st{{"purpose", kPurpose},
                         {"name", manifest.value(QLatin1String("name"))},
                         {"version", manifest.value(QLatin1String("version"))},
                         {"manifest_sha256", manifestSha},
                         {"model_card_sha256", cardSha},
                         {"signer", s.signer},
                         {"key_id", s.keyId},
                         {"signed_at", s.signedAt}};
    const QByteArray statement = QJsonDocument(st).toJson(QJsonDocument::Compact);
    const QByteArray sig = security::sign(key, statement);
    if (sig.isEmpty()) return makeError(Error::Code::Internal, {}, QStringLiteral("signature"), QStringLiteral("signing failed"));
    QSaveFile out(dir + '/' + kBundleSignatureFile);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io, out.fileName(), {}, QStringLiteral("cannot write: %1").arg(out.errorString()));
    const QJsonObject outer{{"statement", QString::fromUtf8(statement)},
                            {"signature", QString::fromLatin1(sig.toBase64())},
                            {"algorithm", QStringLiteral("Ed25519 over the UTF-8 bytes of 'statement'")}};
    out.write(QJsonDocument(outer).toJson(QJsonDocument::Indented));
    if (!out.commit()) return makeError(Error::Code::Io, out.fileName(), {}, QStringLiteral("cannot write: %1").arg(out.errorString()));
    return s;
}

} // namespace cs
