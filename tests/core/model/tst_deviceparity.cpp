// CPU and the default device (cuda:0 in a CUDA build) give the same answers:
// risks within 1e-4 and Grad-CAM maps within 1e-3 on the demo cohort, on 500
// radiographs and on 500 stays. In a CPU-only build both runs are on the CPU
// and the test still checks that scoring is repeatable.
#include "clinsight/clinical/triage.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/training/datasets.h"

#include <QDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");
const QString kDemo = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo");
constexpr double kRiskTolerance = 1e-4;
} // namespace

class TestDeviceParity : public QObject {
    Q_OBJECT
    std::optional<cs::HybridModel> def, cpu;
private slots:
    void initTestCase()
    {
        auto a = cs::HybridModel::load(kBundle);
        auto b = cs::HybridModel::load(kBundle, cs::HybridModel::Device::Cpu);
        QVERIFY(a.ok() && b.ok());
        def = a.value();
        cpu = b.value();
        QCOMPARE(cpu->device(), QStringLiteral("cpu"));
        qInfo("default device: %s", qPrintable(def->device()));
    }
    void demo_sameRisksAndMaps()
    {
        auto cohort = cs::readCohort(kDemo);
        QVERIFY(cohort.ok());
        int compared = 0;
        for (const auto &in : cohort.value()) {
            auto x = cs::assessPatient(&*def, in, true), y = cs::assessPatient(&*cpu, in, true);
            QVERIFY(x.ok() && y.ok());
            if (x->image && x->image->applicable) {
                QVERIFY2(std::abs(x->image->risk - y->image->risk) < kRiskTolerance, qPrintable(in.id));
                const auto &gx = x->image->gradCam.values, &gy = y->image->gradCam.values;
                QCOMPARE(gx.size(), gy.size());
                float worst = 0;
                for (size_t i = 0; i < gx.size(); ++i) worst = std::max(worst, std::abs(gx[i] - gy[i]));
                QVERIFY2(worst < 1e-3f, qPrintable(QStringLiteral("%1: Grad-CAM differs by %2").arg(in.id).arg(worst)));
                ++compared;
            }
            if (x->vitalsRisk && x->vitalsRisk->applicable)
                for (size_t h = 0; h < x->vitalsRisk->riskPerHour.size(); ++h)
                    QVERIFY(std::abs(x->vitalsRisk->riskPerHour[h] - y->vitalsRisk->riskPerHour[h]) < kRiskTolerance);
            QCOMPARE(x->fused.available, y->fused.available);
            if (x->fused.available) QVERIFY(std::abs(x->fused.risk - y->fused.risk) < kRiskTolerance);
        }
        QVERIFY(compared > 0);
    }
    void radiographs500_sameRisks()
    {
        const QString dir = kData + "/cxr/kermany224/train";
        if (!QDir(dir).exists()) QSKIP("../shared/data is absent");
        cs::JobControl c;
        auto imgs = cs::loadLabelledImages(dir, c, 500);
        QVERIFY(imgs.ok());
        std::vector<cs::DisplayFrame> frames(imgs->frames.begin(), imgs->frames.begin() + std::min<size_t>(500, imgs->frames.size()));
        auto a = def->scoreImages(frames), b = cpu->scoreImages(frames);
        QVERIFY(a.ok() && b.ok());
        double worst = 0;
        for (size_t i = 0; i < frames.size(); ++i) worst = std::max(worst, std::abs(a.value()[i] - b.value()[i]));
        qInfo("500 radiographs: largest risk difference %.2e", worst);
        QVERIFY(worst < kRiskTolerance);
    }
    void stays500_sameRisks()
    {
        const QString dir = kData + "/vitals/physionet2019/training_setB";
        if (!QDir(dir).exists()) QSKIP("../shared/data is absent");
        cs::JobControl c;
        auto stays = cs::loadStays(dir, cs::psvFilesIn(dir).mid(0, 500), c);
        QVERIFY(stays.ok());
        auto a = def->scoreVitalsBatch(stays.value()), b = cpu->scoreVitalsBatch(stays.value());
        QVERIFY(a.ok() && b.ok());
        double worst = 0;
        for (size_t s = 0; s < a->size(); ++s)
            for (size_t h = 0; h < a.value()[s].riskPerHour.size(); ++h)
                worst = std::max(worst, std::abs(a.value()[s].riskPerHour[h] - b.value()[s].riskPerHour[h]));
        qInfo("500 stays: largest hourly risk difference %.2e", worst);
        QVERIFY(worst < kRiskTolerance);
    }
};

QTEST_GUILESS_MAIN(TestDeviceParity)
#include "tst_deviceparity.moc"
