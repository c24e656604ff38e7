// Training: a tiny real training run (loss decreases), bundle round trip and
// tamper refusal, and the committed bundle's reported metrics reproduced by evaluation.
#include "clinsight/model/hybridmodel.h"
#include "clinsight/training/evaluation.h"
#include "clinsight/training/training.h"
#include "clinsight/foundation/filehash.h"
#include "clinsight/security/signing.h"
#include "clinsight/imaging/rasterfile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");
[[maybe_unused]] bool haveData() { return QDir(kData + "/cxr/kermany224/train").exists(); }

// The shared data at a size that trains in about a minute.
cs::TrainParams smallRun(const QString &outDir)
{
    cs::TrainParams p;
    p.imagesDir = kData + "/cxr/kermany224/train";
    p.maxImages = 240;
    p.vitalsDir = kData + "/vitals/physionet2019/training_setB";
    p.outDir = outDir;
    p.maxStays = 150;
    p.maxExplained = 3;   // the Grad-CAM test on a few true positives: the stage runs, in seconds
    return p;
}

void copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QString &f : QDir(from).entryList(QDir::Files)) QFile::copy(from + '/' + f, to + '/' + f);
}
} // namespace

class TestTraining : public QObject {
    Q_OBJECT
private slots:
    void tinyTraining_decreasesLoss_andRoundTrips()
    {
        if (!haveData()) QSKIP("../shared/data is absent");
        QTemporaryDir dir;
        cs::TrainParams p = smallRun(dir.filePath("bundle"));
        p.imageEpochs = 3;
        p.vitalsEpochs = 3;
        p.fusionEpochs = 5;
        p.fusionPairs = 1000;
        p.patience = 10;
        p.command = "tst_model";
        // Signed at the end with a key made for this test, which this process alone trusts.
        const QString keys = dir.filePath("keys");
        QVERIFY(QDir().mkpath(keys));
        auto key = cs::security::generateKey(QStringLiteral("tst_training key"));
        QVERIFY(key.ok());
        QVERIFY(cs::security::writeSecretKey(key.value(), dir.filePath("test.key")).ok());
        QVERIFY(cs::security::writePublicKey(key->publicKey(), keys + "/test.pub").ok());
        qputenv("CLINSIGHT_TRUSTED_KEYS", keys.toUtf8());
        p.signingKeyPath = dir.filePath("test.key");
        cs::JobControl c;
        auto r = cs::trainHybridModel(p, c);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        QVERIFY(r->imageLoss.size() >= 2);
        QVERIFY2(r->imageLoss.back() < r->imageLoss.front(), "image loss did not decrease");
        QVERIFY2(r->vitalsLoss.back() < r->vitalsLoss.front(), "vitals loss did not decrease");
        QVERIFY(r->fusionLoss.back() < r->fusionLoss.front());

        auto m = cs::HybridModel::load(p.outDir);
        QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message()));
        QVERIFY(QFile::exists(m->modelCardPath()));
        QCOMPARE(m->signature().keyId, key->publicKey().keyId());
        QCOMPARE(m->signature().signer, QStringLiteral("tst_training key"));
        // The last stage put the explanations to the test and the card says so.
        const QJsonObject ev = m->manifest().value("evaluation").toObject();
        const QJsonObject fi = ev.value("image").toObject().value("faithfulness").toObject();
        QVERIFY(fi.contains("explained") && fi.value("explained").toInt() <= 3);   // a tiny model may flag few
        QVERIFY(fi.value("other_fills").toArray().size() == 2);
        QVERIFY(ev.value("vitals").toObject().value("faithfulness").toObject().contains("stays"));
        QVERIFY(ev.value("command").toString().contains("--max-explained 3"));
        {
            QFile card(m->modelCardPath());
            QVERIFY(card.open(QIODevice::ReadOnly));
            const QByteArray text = card.readAll();
            QVERIFY(text.contains("Explanations: how far to trust them"));
            QVERIFY(text.contains("Signed when it was trained by **tst_training key**"));
        }

        // Tampered weights: one byte changed.
        const QString tampered = dir.filePath("tampered");
        copyDir(p.outDir, tampered);
        {
            QFile w(tampered + "/weights.pt");
            QVERIFY(w.open(QIODevice::ReadWrite));
            w.seek(w.size() / 2);
            char b;
            w.getChar(&b);
            w.seek(w.size() / 2);
            w.putChar(char(b ^ 0x5a));
        }
        auto t = cs::HybridModel::load(tampered);
        QVERIFY(!t.ok());
        QVERIFY2(t.error().message().contains("SHA-256"), qPrintable(t.error().message()));
        QVERIFY(t.error().message().contains("weights.pt"));
        // Truncated weights.
        const QString truncated = dir.filePath("truncated");
        copyDir(p.outDir, truncated);
        QVERIFY(QFile::resize(truncated + "/weights.pt", QFileInfo(truncated + "/weights.pt").size() / 3));
        QVERIFY(!cs::HybridModel::load(truncated).ok());
        // Missing manifest.
        auto none = cs::HybridModel::load(dir.filePath("nowhere"));
        QVERIFY(!none.ok());
        QVERIFY2(none.error().message().contains("not found"), qPrintable(none.error().message()));
        QCOMPARE(m->manifest().value("vitals").toObject().value("layout").toString(), QStringLiteral("lstm-query-attention-context-v2"));

        // --image-from: a second bundle reuses this one's image branch (same images, seed and split; the signature
        // checked) and trains the other vitals layout: the image risk is the same to the bit, the record says whence.
        {
            cs::TrainParams q = p;
            q.outDir = dir.filePath("reused");
            q.imageFromBundle = p.outDir;
            q.vitalsLayout = cs::VitalsLayout::Additive;
            q.vitalsEpochs = 1;
            cs::JobControl c2;
            auto r2 = cs::trainHybridModel(q, c2);
            QVERIFY2(r2.ok(), qPrintable(r2.ok() ? QString() : r2.error().message()));
            QVERIFY(r2->imageLoss.empty());   // not trained
            auto m2 = cs::HybridModel::load(q.outDir);
            QVERIFY2(m2.ok(), qPrintable(m2.ok() ? QString() : m2.error().message()));
            const QJsonObject reused = m2->manifest().value("image").toObject().value("training").toObject().value("reused_from_bundle").toObject();
            QCOMPARE(reused.value("version").toString(), m->version());
            QCOMPARE(reused.value("weights_sha256").toString(), m->manifest().value("files").toObject().value("weights.pt").toString());
            QVERIFY(reused.value("signature").toString().contains("tst_training key"));
            QCOMPARE(m2->manifest().value("vitals").toObject().value("layout").toString(), QStringLiteral("lstm-additive-attention-v1"));
            QCOMPARE(m2->manifest().value("training").toObject().value("image_epochs_run").toInt(),
                     m->manifest().value("training").toObject().value("image_epochs_run").toInt());
            const QString film = kData + "/cxr/kermany224/train/" +
                                 QDir(kData + "/cxr/kermany224/train").entryList({"*.png", "*.jpeg", "*.jpg"}, QDir::Files, QDir::Name).value(0);
            auto frame = cs::readRasterImage(film);
            QVERIFY2(frame.ok(), qPrintable(film));
            auto a = m->scoreImage(frame.value(), nullptr, false), b = m2->scoreImage(frame.value(), nullptr, false);
            QVERIFY2(a.ok() && b.ok(), qPrintable(film));
            QCOMPARE(a->logit, b->logit);
            QCOMPARE(a->risk, b->risk);
            // Another seed splits other patients into validation and test: refused, naming the field.
            q.seed = p.seed + 1;
            q.outDir = dir.filePath("other-seed");
            cs::JobControl c3;
            auto r3 = cs::trainHybridModel(q, c3);
            QVERIFY(!r3.ok());
            QVERIFY2(r3.error().message().contains("training.seed"), qPrintable(r3.error().message()));
        }
        qunsetenv("CLINSIGHT_TRUSTED_KEYS");
        {   // a bundle no trusted key vouches for lends nothing
            cs::TrainParams q = p;
            q.outDir = dir.filePath("untrusted-source");
            q.imageFromBundle = p.outDir;
            cs::JobControl c4;
            auto r4 = cs::trainHybridModel(q, c4);
            QVERIFY(!r4.ok());
            QCOMPARE(r4.error().code, cs::Error::Code::Integrity);
        }
        // The same bundle where only this test's key vouches for it: refused by the installation.
        auto untrusted = cs::HybridModel::load(p.outDir);
        QVERIFY(!untrusted.ok());
        QCOMPARE(untrusted.error().code, cs::Error::Code::Integrity);
        QVERIFY2(untrusted.error().message().contains("does not trust"), qPrintable(untrusted.error().message()));
    }

    void imageBranch_deterministic_andResumable()
    {
        if (!haveData()) QSKIP("../shared/data is absent");
        QTemporaryDir dir;
        auto run = [&](const QString &out, bool resume, int epochs) {
            cs::TrainParams p = smallRun(dir.filePath(out));
            p.maxImages = 120;
            p.imageEpochs = epochs;
            p.imageOnly = true;
            p.resume = resume;
            cs::JobControl c;
            return cs::trainHybridModel(p, c);
        };
        auto a = run("a", false, 1), b = run("b", false, 1);
        QVERIFY(a.ok() && b.ok());
        const QString wa = dir.filePath("a/checkpoints/image.pt"), wb = dir.filePath("b/checkpoints/image.pt");
        QVERIFY(!cs::sha256OfFile(wa).isEmpty());
        QCOMPARE(cs::sha256OfFile(wa), cs::sha256OfFile(wb));   // same seed, same weights
        // --resume with the same settings and data: the checkpoint is reused, not retrained
        const QString before = cs::sha256OfFile(wa);
        auto r = run("a", true, 1);
        QVERIFY(r.ok());
        QCOMPARE(r->imageLoss, a->imageLoss);
        QCOMPARE(cs::sha256OfFile(wa), before);
        // other settings: the checkpoint does not stand for them, the branch is trained again
        auto other = run("a", true, 2);
        QVERIFY(other.ok());
        QCOMPARE(int(other->imageLoss.size()), 2);
    }

    void committedMetrics_reproducedByEvaluate()
    {
        if (!haveData()) QSKIP("../shared/data is absent");
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        const QJsonObject reported = m->manifest().value("evaluation").toObject();
        cs::EvaluationParams p;
        p.imagesDir = kData + "/cxr/kermany224/train";   // recognised by its digest: its held-out test patients
        p.vitalsDir = kData + "/vitals/physionet2019/training_setB";
        p.maxStays = m->manifest().value("training").toObject().value("max_stays").toInt() > 0
                         ? reported.value("command").toString().section("--max-stays ", 1).toInt() : 0;
        p.bootstrap = 20;
        p.maxExplained = 4;   // the full Grad-CAM test (every true positive, three fills) takes half an hour on 2 cores
        cs::JobControl c;
        auto ev = cs::evaluateModel(m.value(), p, c);
        QVERIFY2(ev.ok(), qPrintable(ev.ok() ? QString() : ev.error().message()));
        for (const char *branch : {"image", "vitals", "hybrid"}) {
            const QJsonObject a = reported.value(branch).toObject().value("model").toObject();
            const QJsonObject b = ev->value(branch).toObject().value("model").toObject();
            for (const char *k : {"auc", "sensitivity", "specificity", "accuracy"}) {
                const double x = a.value(k).toDouble(-1), y = b.value(k).toDouble(-2);
                qInfo("%s %s: reported %.4f, reproduced %.4f", branch, k, x, y);
                QVERIFY2(std::abs(x - y) < 0.005, qPrintable(QStringLiteral("%1 %2").arg(branch, k)));
            }
        }
        // The explanations' tests: attention in full (exactly the reported numbers), Grad-CAM on a sample.
        const QJsonObject fa = reported.value("vitals").toObject().value("faithfulness").toObject();
        const QJsonObject fb = ev->value("vitals").toObject().value("faithfulness").toObject();
        QVERIFY2(fa.value("stays").toInt() > 20, "the bundle records the attention test on its septic test stays");
        QCOMPARE(fb.value("stays").toInt(), fa.value("stays").toInt());
        for (const char *k : {"attended_moved_more", "mean_abs_change_attended", "mean_abs_change_random"})
            QVERIFY2(std::abs(fa.value(k).toDouble(-1) - fb.value(k).toDouble(-2)) < 1e-6, k);
        const QJsonObject ia = reported.value("image").toObject().value("faithfulness").toObject();
        const QJsonObject ib = ev->value("image").toObject().value("faithfulness").toObject();
        QVERIFY2(ia.value("explained").toInt() > 100, "the bundle records the Grad-CAM test on its true positives");
        QCOMPARE(ib.value("explained").toInt(), 4);
        for (const char *k : {"salient_beats_random", "deletion_auc", "insertion_auc"}) {
            const double v = ib.value(k).toDouble(-1);
            QVERIFY2(v >= 0 && v <= 1, k);
        }
    }
    void training_cancelledMidStage()
    {
        if (!haveData()) QSKIP("../shared/data is absent");
        QTemporaryDir dir;
        cs::TrainParams p = smallRun(dir.filePath("bundle"));
        p.imageEpochs = 40;
        cs::JobControl c;
        QStringList stages;
        // Cancel as soon as the images are loaded: the image epochs must stop, not run to 40.
        c.setProgressCallback([&](qint64 done, qint64, const QString &what) {
            if (!what.isEmpty()) stages << what;
            if (done == 1) c.requestCancel();
        });
        auto r = cs::trainHybridModel(p, c);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, cs::Error::Code::Cancelled);
        QCOMPARE(stages, QStringList{"images loaded"});          // no later stage reached
        QVERIFY(!QFile::exists(p.outDir + "/weights.pt"));      // nothing half-written
    }
    void evaluation_cancelledMidStage()
    {
        if (!haveData()) QSKIP("../shared/data is absent");
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        cs::EvaluationParams ep;
        ep.imagesDir = kData + "/cxr/kermany224/train";
        ep.maxImages = 100;
        ep.vitalsDir = kData + "/vitals/physionet2019/training_setB";
        ep.maxStays = 200;
        ep.bootstrap = 20;
        cs::JobControl c;
        QStringList stages;
        c.setProgressCallback([&](qint64 done, qint64, const QString &what) {
            if (!what.isEmpty()) stages << what;
            if (done == 1) c.requestCancel();
        });
        auto r = cs::evaluateModel(m.value(), ep, c);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, cs::Error::Code::Cancelled);
        QCOMPARE(stages, QStringList{"image branch measured"});
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "tst_training.moc"
