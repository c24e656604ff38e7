// Ed25519 keys and signatures: key files round-trip and are owner-only, a
// signature verifies only for its message and its key, damaged or foreign key
// files are refused with the file and the field named.
#include "clinsight/security/signing.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

class TestSigning : public QObject {
    Q_OBJECT
private slots:
    void keyFiles_roundTrip_secretIsOwnerOnly()
    {
        QTemporaryDir dir;
        auto key = cs::security::generateKey(QStringLiteral("Ward 7 AI team"));
        QVERIFY(key.ok());
        const QString sk = dir.filePath("k.key"), pk = dir.filePath("k.pub");
        QVERIFY(cs::security::writeSecretKey(key.value(), sk).ok());
        QVERIFY(cs::security::writePublicKey(key->publicKey(), pk).ok());
        QCOMPARE(QFile(sk).permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        auto sk2 = cs::security::readSecretKey(sk);
        auto pk2 = cs::security::readPublicKey(pk);
        QVERIFY2(sk2.ok(), qPrintable(sk2.ok() ? QString() : sk2.error().message()));
        QVERIFY(pk2.ok());
        QCOMPARE(sk2->bytes, key->bytes);
        QCOMPARE(pk2->bytes, key->publicKey().bytes);
        QCOMPARE(pk2->signer, QStringLiteral("Ward 7 AI team"));
        QCOMPARE(pk2->keyId().size(), 16);
        // Never overwritten.
        auto again = cs::security::writeSecretKey(key.value(), sk);
        QVERIFY(!again.ok());
        QVERIFY(again.error().message().contains("already exists"));
    }

    void signature_verifiesOnlyItsMessageAndKey()
    {
        auto a = cs::security::generateKey(QStringLiteral("a"));
        auto b = cs::security::generateKey(QStringLiteral("b"));
        QVERIFY(a.ok() && b.ok());
        const QByteArray msg = "threshold 0.42";
        const QByteArray sig = cs::security::sign(a.value(), msg);
        QCOMPARE(sig.size(), 64);
        QVERIFY(cs::security::verify(a->publicKey(), msg, sig));
        QVERIFY(!cs::security::verify(a->publicKey(), QByteArray("threshold 0.01"), sig));
        QVERIFY(!cs::security::verify(b->publicKey(), msg, sig));
        QByteArray flipped = sig;
        flipped[10] = char(flipped[10] ^ 1);
        QVERIFY(!cs::security::verify(a->publicKey(), msg, flipped));
        QVERIFY(!cs::security::verify(a->publicKey(), msg, sig.left(63)));
    }

    void badKeyFiles_areRefused_namingFileAndField()
    {
        QTemporaryDir dir;
        auto write = [&](const QString &name, const QByteArray &text) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(text);
            return dir.filePath(name);
        };
        auto key = cs::security::generateKey(QStringLiteral("x"));
        QVERIFY(key.ok());
        // A secret key whose two halves disagree (one byte of the seed changed).
        QByteArray damaged = key->bytes;
        damaged[3] = char(damaged[3] ^ 0x40);
        const QString bad = write("damaged.key", "clinsight-ed25519-secret 1\nsigner: x\nsecret: " + damaged.toBase64() + "\n");
        auto r = cs::security::readSecretKey(bad);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains("damaged.key"));
        QVERIFY(r.error().message().contains("secret"));
        // A public key whose key-id line does not match.
        const QString wrongId = write("wrong.pub", "clinsight-ed25519-public 1\nsigner: x\nkey-id: 0000000000000000\npublic: "
                                                       + key->publicKey().bytes.toBase64() + "\n");
        auto p = cs::security::readPublicKey(wrongId);
        QVERIFY(!p.ok());
        QVERIFY(p.error().message().contains("key-id"));
        // Not a key file; too short a key; a missing file.
        QVERIFY(!cs::security::readPublicKey(write("notes.pub", "hello\n")).ok());
        QVERIFY(!cs::security::readPublicKey(write("short.pub", "clinsight-ed25519-public 1\nsigner: x\npublic: AAAA\n")).ok());
        auto missing = cs::security::readSecretKey(dir.filePath("nowhere.key"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, cs::Error::Code::Io);
        // A trusted-keys folder skips (and reports) what does not parse.
        QVERIFY(cs::security::writePublicKey(key->publicKey(), dir.filePath("good.pub")).ok());
        const auto t = cs::security::readTrustedKeys({dir.path(), dir.filePath("absent")});
        QCOMPARE(int(t.keys.size()), 1);
        QVERIFY(t.find(key->publicKey().keyId()));
        QCOMPARE(t.problems.size(), 4);   // wrong.pub, notes.pub, short.pub, the absent folder
    }
};

QTEST_GUILESS_MAIN(TestSigning)
#include "tst_signing.moc"
