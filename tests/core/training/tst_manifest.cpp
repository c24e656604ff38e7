// The manifest as a pure function: provenance from the training parameters
// (never a hard-coded data set), thresholds and calibration as chosen, files
// and their hashes as listed. Needs no LibTorch and no files.
#include "clinsight/training/manifest.h"
#include "clinsight/training/modelcard.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

namespace {
cs::ManifestInputs sample()
{
    cs::ManifestInputs in;
    in.params.imagesDir = QStringLiteral("images/train");
    in.params.vitalsDir = QStringLiteral("stays");
    in.params.imagesName = QStringLiteral("site-x/films");
    in.params.vitalsName = QStringLiteral("site-x/icu");
    in.params.imagesSource = QStringLiteral("Site X chest films 2019-2024, internal licence");
    in.params.vitalsSource = QStringLiteral("Site X ICU vitals 2019-2024, internal licence");
    in.params.seed = 99;
    in.params.vitalsHidden = 32;
    in.params.command = QStringLiteral("clinsight-cli train ...");
    in.params.commit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
    in.version = QStringLiteral("0.1.0-0123456");
    in.created = QStringLiteral("2026-11-24T00:00:00Z");
    in.files = QJsonObject{{"weights.pt", "ab"}};
    in.imageSize = 28;
    in.imagesDigest = QStringLiteral("abc123");
    in.pixelMean = 0.4;
    in.pixelStd = 0.2;
    in.imageCal.a = 1.5;
    in.imageCal.b = -0.25;
    in.imageThreshold = 0.31;
    in.vitalsThreshold = 0.02;
    in.fusedThreshold = 0.6;
    in.vitalsFeatures = 64;
    in.imageFeatureMean = {0.5, 1.5};
    in.trainStays = 700; in.validationStays = 150; in.testStays = 150;
    return in;
}
} // namespace

class TestManifest : public QObject {
    Q_OBJECT
private slots:
    void provenance_comesFromParameters()
    {
        const QJsonObject m = cs::buildManifest(sample());
        const QString text = QString::fromUtf8(QJsonDocument(m).toJson());
        // The .psv label format may be named; data set names, citations and licences only from the parameters.
        for (const char *name : {"PneumoniaMNIST", "MedMNIST", "Kermany", "Reyna", "training set B", "CC BY"})
            QVERIFY2(!text.contains(QLatin1String(name)), name);
        QCOMPARE(m["image"]["data"]["source"].toString(), QStringLiteral("Site X chest films 2019-2024, internal licence"));
        QCOMPARE(m["vitals"]["data"]["source"].toString(), QStringLiteral("Site X ICU vitals 2019-2024, internal licence"));
        QCOMPARE(m["licences"].toArray().size(), 2);
        QCOMPARE(m["training"]["seed"].toDouble(), 99.0);
        QCOMPARE(m["training"]["commit"].toString(), sample().params.commit);
        QCOMPARE(m["vitals"]["data"]["test_stays"].toInt(), 150);
        // data by name and digest, never by the folder it was read from
        QCOMPARE(m["image"]["data"]["name"].toString(), QStringLiteral("site-x/films"));
        QCOMPARE(m["vitals"]["data"]["name"].toString(), QStringLiteral("site-x/icu"));
        QCOMPARE(m["image"]["data"]["sha256_of_file_list"].toString(), QStringLiteral("abc123"));
        QVERIFY(!text.contains(QLatin1String("images/train")));
        QVERIFY(!text.contains(QLatin1String("\"stays\"")));
    }
    void choices_recordedAsMade()
    {
        const QJsonObject m = cs::buildManifest(sample());
        QCOMPARE(m["format"].toInt(), 1);
        QCOMPARE(m["version"].toString(), QStringLiteral("0.1.0-0123456"));
        QCOMPARE(m["image"]["threshold"].toDouble(), 0.31);
        QCOMPARE(m["image"]["calibration"]["a"].toDouble(), 1.5);
        QCOMPARE(m["image"]["calibration"]["b"].toDouble(), -0.25);
        QCOMPARE(m["image"]["input"]["mean"].toDouble(), 0.4);
        QVERIFY(m["image"]["input"]["preprocessing"].toString().contains("28x28"));
        QCOMPARE(m["vitals"]["hidden"].toInt(), 32);
        QCOMPARE(m["vitals"]["threshold"].toDouble(), 0.02);
        QCOMPARE(m["fusion"]["threshold"].toDouble(), 0.6);
        QCOMPARE(m["fusion"]["image_feature_mean"].toArray(), (QJsonArray{0.5, 1.5}));
        QCOMPARE(m["files"]["weights.pt"].toString(), QStringLiteral("ab"));
        QVERIFY(m["intended_use"].toString().contains("not a diagnosis"));
        // the fusion's input sizes are the branches' (the image feature was once written as a fixed 64-d)
        QVERIFY(m["fusion"]["architecture"].toString().contains(QStringLiteral("image %1-d, vitals 64-d").arg(sample().imageFeatures)));
    }
    void vitalsObjective_recordedAsTrained()
    {
        cs::ManifestInputs in = sample();
        in.vitalsPosWeight = 17.5;
        const QJsonObject l = cs::buildManifest(in);   // the default: SepsisLabel with class weighting
        QVERIFY(l["training"]["vitals_objective"].toString().startsWith(QLatin1String("label:")));
        QVERIFY(l["training"]["vitals_objective"].toString().contains(QLatin1String("17.5")));
        QCOMPARE(l["training"]["vitals_pos_weight"].toDouble(), 17.5);
        in.params.vitalsUtilityObjective = true;
        const QJsonObject u = cs::buildManifest(in);   // the utility's own targets and weights
        QVERIFY(u["training"]["vitals_objective"].toString().startsWith(QLatin1String("utility:")));
        QVERIFY(u["training"]["vitals_pos_weight"].isNull());   // no class weight was used
        in.params.vitalsEmaDecay = 0.998;
        const QJsonObject e = cs::buildManifest(in);
        QVERIFY(e["training"]["optimizer"].toString().contains(QLatin1String("moving average (decay 0.998")));
        QVERIFY(cs::modelCardMarkdown(e).contains(QLatin1String("moving average (decay 0.998")));   // and the card says so
        in.params.vitalsEmaDecay = 0;
        const QJsonObject r = cs::buildManifest(in);
        QVERIFY(!r["training"]["optimizer"].toString().contains(QLatin1String("moving average")));
        QVERIFY(!r["training"]["optimizer"].toString().contains(QLatin1String("zeroed")));
        in.params.vitalsInputDropout = 0.1;
        const QJsonObject d = cs::buildManifest(in);
        QVERIFY(d["training"]["optimizer"].toString().contains(QLatin1String("zeroed with probability 0.1")));
    }
};

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
