// The hybrid model: a tiny real training run (loss decreases), bundle round
// trip and tamper refusal, causality, Grad-CAM, attention, and the committed
// bundle's reported metrics reproduced by evaluation.
#include "clinsight/clinical/assessment.h"
#include "clinsight/training/datasets.h"
#include "clinsight/training/evaluation.h"
#include "clinsight/imaging/rasterfile.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/training/training.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");
bool haveData() { return QDir(kData + "/cxr/pneumoniamnist/train").exists(); }

void copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QString &f : QDir(from).entryList(QDir::Files)) QFile::copy(from + '/' + f, to + '/' + f);
}
} // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void tinyTraining_decreasesLoss_andRoundTrips()
    {
        if (!haveData()) QSKIP("../shared/data is absent");
        QTemporaryDir dir;
        cs::TrainParams p;
        p.imagesTrainDir = kData + "/cxr/pneumoniamnist/train";
        p.imagesValDir = kData + "/cxr/pneumoniamnist/val";
        p.vitalsDir = kData + "/vitals/physionet2019/training_setB";
        p.outDir = dir.filePath("bundle");
        p.maxStays = 150;
        p.imageEpochs = 3;
        p.vitalsEpochs = 3;
        p.fusionEpochs = 5;
        p.fusionPairs = 1000;
        p.patience = 10;
        p.command = "tst_model";
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
        QVERIFY(none.error().message().contains("manifest"));
    }

    void committedBundle_loads()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message()));
        QVERIFY(!m->version().isEmpty());
        QVERIFY(m->manifest().contains("evaluation"));
    }

    void vitals_areCausal_andAttentionSumsToOne()
    {
        const QString path = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo/demo01-septic-pneumonia");
        const QStringList psv = QDir(path).entryList({"*.psv"});
        QVERIFY(!psv.isEmpty());
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        auto t = cs::importPhysioNet2019(path + '/' + psv.first());
        QVERIFY(t.ok());
        auto full = m->scoreVitals(t.value());
        QVERIFY(full.ok());
        QCOMPARE(full->hours, t->rowsRead);
        const int cut = full->hours / 2;
        // Change everything after hour `cut`: drop the rest and add absurd-but-plausible values.
        cs::VitalsTimeline changed = t->truncatedTo(cut + 1);
        for (int h = cut + 1; h < t->rowsRead; ++h) {
            changed.addRaw(cs::var::HR, h, 190, {}, "test");
            changed.addRaw(cs::var::SBP, h, 60, {}, "test");
        }
        changed.rowsRead = t->rowsRead;
        changed.labels.resize(size_t(t->rowsRead), 0);
        changed.finalize();
        auto other = m->scoreVitals(changed);
        QVERIFY(other.ok());
        for (int h = 0; h <= cut; ++h)
            QVERIFY2(std::abs(full->riskPerHour[h] - other->riskPerHour[h]) < 1e-6, qPrintable(QString::number(h)));
        bool differsLater = false;
        for (int h = cut + 1; h < full->hours; ++h) differsLater |= std::abs(full->riskPerHour[h] - other->riskPerHour[h]) > 1e-6;
        QVERIFY2(differsLater, "changing later rows must change later risks (else the test proves nothing)");
        double sum = 0;
        for (float a : full->attention) { QVERIFY(a >= 0); sum += a; }
        QCOMPARE(int(full->attention.size()), full->hours);
        QVERIFY(std::abs(sum - 1.0) < 1e-4);
    }

    void gradCam_alignedAndNonConstant()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        const QString dcm = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo/demo06-chest-cr/RG1_J2KI.dcm");
        auto src = cs::DicomImageSource::open(dcm);
        QVERIFY(src.ok());
        auto frame = src->render(0);
        QVERIFY(frame.ok());
        auto r = m->scoreImage(frame.value(), &src->info(), true);
        QVERIFY(r.ok());
        QVERIFY(r->applicable);
        QCOMPARE(r->camWidth, frame->width);
        QCOMPARE(r->camHeight, frame->height);
        QCOMPARE(r->gradCam.size(), size_t(frame->width) * frame->height);
        const auto [lo, hi] = std::minmax_element(r->gradCam.begin(), r->gradCam.end());
        QVERIFY(*hi > *lo);
        QVERIFY(*lo >= 0 && *hi <= 1.0001);
        QVERIFY(r->risk >= 0 && r->risk <= 1);
    }

    void notApplicable_imageStillScoresVitals()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        auto cohort = cs::readCohort(QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo"));
        QVERIFY(cohort.ok());
        const auto it = std::find_if(cohort->begin(), cohort->end(), [](const auto &p) { return p.id.contains("ct-not-applicable"); });
        QVERIFY(it != cohort->end());
        auto a = cs::assessPatient(&m.value(), *it, false);
        QVERIFY(a.ok());
        QVERIFY(a->image && !a->image->applicable);
        QVERIFY(a->image->notApplicableReason.contains("CT"));
        QVERIFY(a->vitalsRisk && a->vitalsRisk->applicable);
        QVERIFY(!a->fused.available);
    }

    void committedMetrics_reproducedByEvaluate()
    {
        if (!haveData()) QSKIP("../shared/data is absent");
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        const QJsonObject reported = m->manifest().value("evaluation").toObject();
        cs::EvaluationParams p;
        p.imagesDir = kData + "/cxr/pneumoniamnist/val";
        p.vitalsDir = kData + "/vitals/physionet2019/training_setB";
        p.maxStays = m->manifest().value("training").toObject().value("max_stays").toInt() > 0
                         ? reported.value("command").toString().section("--max-stays ", 1).toInt() : 0;
        p.bootstrap = 20;
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
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_hybridmodel.moc"
