// The resource locator: an override wins for the model; a development build
// finds the source tree through the build tree's clinsight-dev.json; the
// environment reader sees what is set.
#include "clinsight/foundation/environment.h"
#include "clinsight/foundation/filehash.h"
#include "clinsight/foundation/resources.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

class TestResources : public QObject {
    Q_OBJECT
private slots:
    void developmentBuild_findsSourceTree()
    {
        qunsetenv("CLINSIGHT_MODEL_DIR");
        QCOMPARE(cs::developmentSourceDir(), QDir::cleanPath(QStringLiteral(CLINSIGHT_SOURCE_DIR)));
        const cs::ResourceLocation m = cs::locateResource(cs::Resource::ModelBundle);
        QVERIFY(m.found);
        QCOMPARE(m.path, QDir::cleanPath(QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid")));
        QCOMPARE(m.origin, QStringLiteral("development source tree"));
        QVERIFY(QFileInfo(cs::resourcePath(cs::Resource::TreatmentRules)).isFile());
        QVERIFY(QFileInfo::exists(cs::resourcePath(cs::Resource::DemoCohort) + "/ATTRIBUTION.md"));
    }
    void override_winsForModel()
    {
        QTemporaryDir dir;
        qputenv("CLINSIGHT_MODEL_DIR", dir.path().toUtf8());
        const cs::ResourceLocation m = cs::locateResource(cs::Resource::ModelBundle);
        qunsetenv("CLINSIGHT_MODEL_DIR");
        QCOMPARE(m.origin, QStringLiteral("override"));
        QCOMPARE(m.path, QDir::cleanPath(dir.path()));
        QVERIFY(!m.found);   // no manifest.json there
    }
    void environment_readsVariables()
    {
        qputenv("CLINSIGHT_DB", "/x/y.sqlite");
        QCOMPARE(cs::env::databaseOverride(), QStringLiteral("/x/y.sqlite"));
        qunsetenv("CLINSIGHT_DB");
        QVERIFY(cs::env::databaseOverride().isEmpty());
        qputenv("USER", "nurse1");
        QCOMPARE(cs::env::operatingSystemUser(), QStringLiteral("nurse1"));
    }
    void sha256_knownValueAndMissingFile()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath("abc"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc");
        f.close();
        QCOMPARE(cs::sha256OfFile(f.fileName()), QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QVERIFY(cs::sha256OfFile(dir.filePath("missing")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestResources)
#include "tst_resources.moc"
