// A patient assessed end to end: branches that do not apply are reported and
// the others still scored.
#include "clinsight/clinical/assessment.h"
#include "clinsight/clinical/triage.h"
#include "clinsight/model/hybridmodel.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kData = QStringLiteral(CLINSIGHT_SHARED_DATA);
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");
[[maybe_unused]] bool haveData() { return QDir(kData + "/cxr/pneumoniamnist/train").exists(); }
} // namespace

class TestAssessment : public QObject {
    Q_OBJECT
private slots:
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

};

QTEST_GUILESS_MAIN(TestAssessment)
#include "tst_assessment.moc"
