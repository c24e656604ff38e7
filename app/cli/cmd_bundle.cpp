// clinsight-cli bundle keygen|sign|verify: who vouches for a model bundle.
#include "cli.h"
#include "clinsight/model/bundlesignature.h"
#include "clinsight/security/signing.h"
#include "clinsight/training/evaluation.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace cli {

namespace {

int keygen(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption signerO(QStringLiteral("signer"), QStringLiteral("Who holds the key, in words (\"Hospital X clinical AI team\")."), QStringLiteral("NAME"));
    const QCommandLineOption outO(QStringLiteral("out"), QStringLiteral("Writes PREFIX.key (secret, owner-only) and PREFIX.pub."), QStringLiteral("PREFIX"));
    p.addOptions({signerO, outO});
    int code = 0;
    if (!parse(p, args, QStringLiteral("Creates an Ed25519 signing key pair for model bundles. Keep PREFIX.key off shared\n"
                                       "drives and out of any repository; give PREFIX.pub to the ClinSight installations\n"
                                       "that should trust your bundles (their CLINSIGHT_TRUSTED_KEYS folder)."), code, 0, 0))
        return code;
    if (!p.isSet(signerO) || !p.isSet(outO)) return failText(QStringLiteral("bundle keygen: --signer NAME and --out PREFIX are required"));
    auto key = cs::security::generateKey(p.value(signerO));
    if (!key) return fail(key.error());
    const QString prefix = p.value(outO);
    if (QFile::exists(prefix + QStringLiteral(".pub")))
        return failText(QStringLiteral("%1.pub: already exists; refusing to overwrite a key").arg(prefix));
    if (auto st = cs::security::writeSecretKey(key.value(), prefix + QStringLiteral(".key")); !st) return fail(st.error());
    if (auto st = cs::security::writePublicKey(key->publicKey(), prefix + QStringLiteral(".pub")); !st) return fail(st.error());
    out() << "key " << key->publicKey().keyId() << " for '" << key->signer << "': " << prefix << ".key (secret), " << prefix << ".pub\n";
    return kExitOk;
}

int sign(const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption keyO(QStringLiteral("key"), QStringLiteral("Secret key file (bundle keygen)."), QStringLiteral("FILE"));
    p.addOption(keyO);
    int code = 0;
    if (!parse(p, args, QStringLiteral("Signs a model bundle as it is now: records the signer in the manifest, regenerates\n"
                                       "MODEL_CARD.md and writes SIGNATURE.json. Check the bundle before you vouch for it."), code, 1, 1))
        return code;
    if (!p.isSet(keyO)) return failText(QStringLiteral("bundle sign: --key FILE is required"));
    const QString dir = p.positionalArguments().first();
    auto key = cs::security::readSecretKey(p.value(keyO));
    if (!key) return fail(key.error());
    QFile mf(QDir(dir).filePath(QStringLiteral("manifest.json")));
    if (!mf.open(QIODevice::ReadOnly)) return failText(QStringLiteral("%1: model manifest not found or unreadable").arg(mf.fileName()));
    const QJsonObject manifest = QJsonDocument::fromJson(mf.readAll()).object();
    if (manifest.isEmpty()) return failText(QStringLiteral("%1: not a JSON object").arg(mf.fileName()));
    auto m = cs::writeManifestCardAndSignature(dir, manifest, &key.value());
    if (!m) return fail(m.error());
    out() << "signed " << QDir::cleanPath(dir) << " as '" << key->signer << "' (key " << key->publicKey().keyId() << ")\n";
    return kExitOk;
}

int verify(const QStringList &args)
{
    QCommandLineParser p;
    int code = 0;
    if (!parse(p, args, QStringLiteral("Checks a model bundle as ClinSight does before loading it: the signature under a\n"
                                       "trusted key, the manifest's and the card's SHA-256, and every weights file's SHA-256.\n"
                                       "Exit 0 when it would load, 3 when it would be refused."), code, 1, 1))
        return code;
    const QString dir = p.positionalArguments().first();
    const auto trusted = cs::security::readTrustedKeys(cs::security::trustedKeyFolders());
    for (const QString &problem : trusted.problems) err() << "clinsight-cli: trusted key not used: " << problem << "\n";
    auto sig = cs::verifyBundle(dir);
    if (!sig) return fail(sig.error());
    out() << "verified: " << QDir::cleanPath(dir) << " signed by " << sig->summary() << "; manifest, card and every listed file intact\n";
    return kExitOk;
}

} // namespace

int bundle(const QStringList &args)
{
    const QString sub = args.value(1);
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("keygen")) return keygen(rest);
    if (sub == QLatin1String("sign")) return sign(rest);
    if (sub == QLatin1String("verify")) return verify(rest);
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out() << "Usage: clinsight-cli bundle keygen|sign|verify [options]\n"
                 "  keygen --signer NAME --out PREFIX   an Ed25519 key pair for signing bundles\n"
                 "  sign DIR --key FILE                 sign a bundle (records the signer, regenerates the card)\n"
                 "  verify DIR                          check a bundle as loading does (exit 3 when refused)\n";
        return kExitOk;
    }
    return failText(QStringLiteral("bundle: expected keygen, sign or verify (see bundle --help)"));
}

} // namespace cli
