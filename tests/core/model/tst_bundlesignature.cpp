// Model bundle signatures: the shipped bundle verifies under the shipped key;
// a copy re-signed with a test key loads only where that key is trusted; every
// kind of edit after signing (thresholds, card, signature, weights) and an
// unsigned bundle are refused with Error::Code::Integrity naming what changed.
#include "clinsight/model/bundlesignature.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/security/signing.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");

void copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QString &f : QDir(from).entryList(QDir::Files)) QVERIFY(QFile::copy(from + '/' + f, to + '/' + f));
}

// Every threshold set to 0.01, as the issue tried: more patients flagged, silently.
void lowerThresholds(const QString &dir)
{
    QFile f(dir + "/manifest.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject m = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    for (const char *branch : {"image", "vitals", "fusion"}) {
        QJsonObject b = m.value(branch).toObject();
        b.insert("threshold", 0.01);
        m.insert(branch, b);
    }
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QJsonDocument(m).toJson(QJsonDocument::Indented));
}
} // namespace

class TestBundleSignature : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    cs::security::SecretKey m_key;
    cs::security::TrustedKeys m_trusted;
    QString m_signed;   // a copy of the shipped bundle signed with this test's key

    QString freshCopy(const QString &name)
    {
        const QString d = m_dir.filePath(name);
        copyDir(m_signed, d);
        return d;
    }

private slots:
    void initTestCase()
    {
        auto k = cs::security::generateKey(QStringLiteral("tst_bundlesignature"));
        QVERIFY(k.ok());
        m_key = k.value();
        m_trusted.keys.push_back(m_key.publicKey());
        m_signed = m_dir.filePath("signed");
        copyDir(kBundle, m_signed);
        auto s = cs::signBundle(m_signed, m_key);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
    }

    void shippedBundle_verifiesUnderShippedKey()
    {
        auto s = cs::verifyBundleSignature(kBundle);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        QCOMPARE(s->signer, QStringLiteral("ClinSight project release key 2026-12"));
        QCOMPARE(s->keyId, QStringLiteral("ae951ff395b326a1"));
        // The first release key was rotated out, not distrusted: the bundles it signed still verify (docs/integrity.md).
        QStringList trustedIds;
        for (const auto &k : cs::security::readTrustedKeys(cs::security::trustedKeyFolders()).keys) trustedIds << k.keyId();
        QVERIFY2(trustedIds.contains("ae951ff395b326a1") && trustedIds.contains("3ef52874e92cfbe6"), qPrintable(trustedIds.join(',')));
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        QCOMPARE(m->signature().keyId, s->keyId);
        QVERIFY(m->signature().summary().contains("ClinSight project release key"));
    }

    void signedCopy_verifiesOnlyWhereItsKeyIsTrusted()
    {
        auto s = cs::verifyBundleSignature(m_signed, m_trusted);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message()));
        QCOMPARE(s->keyId, m_key.publicKey().keyId());
        // The installation does not trust this test's key.
        auto refused = cs::verifyBundleSignature(m_signed);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, cs::Error::Code::Integrity);
        QVERIFY2(refused.error().message().contains("does not trust"), qPrintable(refused.error().message()));
        QVERIFY(!cs::HybridModel::load(m_signed).ok());
    }

    void thresholdsEdited_areRefused()
    {
        const QString d = freshCopy("thresholds");
        lowerThresholds(d);
        auto s = cs::verifyBundleSignature(d, m_trusted);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, cs::Error::Code::Integrity);
        QVERIFY(s.error().message().contains("manifest.json"));
        QVERIFY(s.error().message().contains("changed after the bundle was signed"));
        // The same edit to the shipped bundle's copy: HybridModel refuses it too.
        const QString shipped = m_dir.filePath("shipped-thresholds");
        copyDir(kBundle, shipped);
        lowerThresholds(shipped);
        auto m = cs::HybridModel::load(shipped);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().code, cs::Error::Code::Integrity);
        QVERIFY(m.error().message().contains("manifest.json"));
    }

    void cardEdited_isRefused()
    {
        const QString d = freshCopy("card");
        QFile card(d + "/MODEL_CARD.md");
        QVERIFY(card.open(QIODevice::Append));
        card.write("\nValidated for paediatric use.\n");
        card.close();
        auto s = cs::verifyBundleSignature(d, m_trusted);
        QVERIFY(!s.ok());
        QVERIFY(s.error().message().contains("MODEL_CARD.md"));
    }

    void signatureAltered_orMissing_isRefused()
    {
        const QString d = freshCopy("altered");
        QFile f(d + "/SIGNATURE.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        f.close();
        // One field of the signed statement changed (its date): the signature no longer verifies.
        QString st = o.value("statement").toString();
        st.replace(QStringLiteral("\"signed_at\":\"2"), QStringLiteral("\"signed_at\":\"1"));
        o.insert("statement", st);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(o).toJson());
        f.close();
        auto s = cs::verifyBundleSignature(d, m_trusted);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message().contains("does not verify"), qPrintable(s.error().message()));

        const QString u = freshCopy("unsigned");
        QVERIFY(QFile::remove(u + "/SIGNATURE.json"));
        auto none = cs::verifyBundleSignature(u, m_trusted);
        QVERIFY(!none.ok());
        QVERIFY(none.error().message().contains("not signed"));
        QVERIFY(!cs::HybridModel::load(u).ok());
        // The training program may still evaluate its own unsigned output.
        QVERIFY(cs::HybridModel::load(u, cs::HybridModel::Device::Cpu, cs::HybridModel::Signature::UnsignedTrainingOutput).ok());
    }

    void resigningWithAnotherKey_isNotTrustedHere()
    {
        const QString d = freshCopy("resigned");
        lowerThresholds(d);
        auto other = cs::security::generateKey(QStringLiteral("someone else"));
        QVERIFY(other.ok());
        QVERIFY(cs::signBundle(d, other.value()).ok());
        auto s = cs::verifyBundleSignature(d, m_trusted);
        QVERIFY(!s.ok());
        QVERIFY(s.error().message().contains("someone else"));
    }
};

QTEST_GUILESS_MAIN(TestBundleSignature)
#include "tst_bundlesignature.moc"
