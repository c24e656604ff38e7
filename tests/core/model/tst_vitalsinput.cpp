// The vitals branch's one input builder: causal (a record cut at hour h gives
// the same first h rows; SepsisLabel is never read), every feature named,
// trends and scores where they belong.
#include "clinsight/model/vitalsinput.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDir>
#include <QtTest>
#include <cmath>

namespace {
const QString kStays = QStringLiteral(CLINSIGHT_SHARED_DATA) + "/vitals/physionet2019/training_setB";

cs::FeatureNormalization norm()
{
    cs::FeatureNormalization n;
    n.variables = cs::defaultModelVariables();
    n.mean.assign(size_t(n.variables.size()), 50.0);
    n.stdev.assign(size_t(n.variables.size()), 10.0);
    n.extraFeatures = cs::scoreFeatureNames();
    return n;
}
} // namespace

class TestVitalsInput : public QObject {
    Q_OBJECT
private slots:
    void causal_andBlindToSepsisLabel()
    {
        QStringList files = QDir(kStays).entryList({"*.psv"}, QDir::Files, QDir::Name);
        if (files.isEmpty()) QSKIP("../shared/data is absent");
        const cs::FeatureNormalization n = norm();
        const int F = n.featureCount();
        QCOMPARE(int(n.featureNames().size()), F);
        int checked = 0;
        for (const QString &f : files.mid(0, 40)) {
            auto t = cs::importVitals(QDir(kStays).filePath(f));
            QVERIFY(t.ok());
            const cs::VitalsInput full = cs::vitalsModelInput(t.value(), n);
            QCOMPARE(full.features.size(), size_t(full.hours) * size_t(F));
            for (float v : full.features) QVERIFY(std::isfinite(v));
            for (int h : {1, full.hours / 3, full.hours / 2, full.hours - 1}) {
                if (h <= 0 || h >= full.hours) continue;
                const cs::VitalsInput part = cs::vitalsModelInput(t->truncatedTo(h), n, h);
                QCOMPARE(part.hours, h);
                for (size_t i = 0; i < size_t(h) * size_t(F); ++i)
                    QVERIFY2(part.features[i] == full.features[i],
                             qPrintable(QStringLiteral("%1: feature %2 of hour %3 changed when later hours were removed")
                                            .arg(f, n.featureNames()[int(i % size_t(F))]).arg(i / size_t(F))));
                ++checked;
            }
            cs::VitalsTimeline blinded = t.value();
            for (int &l : blinded.labels) l = l == 1 ? 0 : 1;   // every label flipped
            QVERIFY(cs::vitalsModelInput(blinded, n).features == full.features);
        }
        QVERIFY(checked > 40);
    }
    void trendsAndScores_whereTheyBelong()
    {
        cs::VitalsTimeline t;
        for (int h = 0; h < 8; ++h) {
            t.addRaw(cs::var::HR, h, 40 + 5 * h, {}, "test");    // HR rises 5/h (z -1 ... 2.5)
            t.addRaw(cs::var::RR, h, 30, {}, "test");            // RR 30: NEWS2 3 points, qSOFA 1
        }
        t.finalize();
        const cs::FeatureNormalization n = norm();
        const cs::VitalsInput in = cs::vitalsModelInput(t, n);
        QCOMPARE(in.hours, 8);
        const QStringList names = n.featureNames();
        auto at = [&](int h, const QString &name) { return in.features[size_t(h) * size_t(names.size()) + size_t(names.indexOf(name))]; };
        QCOMPARE(at(7, "HR_delta_1h"), 0.5f);    // +5 / sd 10
        QCOMPARE(at(7, "HR_delta_3h"), 1.5f);
        QCOMPARE(at(2, "HR_delta_3h"), 0.0f);    // no value 3 h before hour 2
        QCOMPARE(at(7, "HR_max_6h"), at(7, "HR_z"));
        QCOMPARE(at(0, "HR_count"), float(std::log1p(1) / std::log(241.0)));
        QCOMPARE(at(7, "news2_component1_points"), 1.0f);   // respiration rate 30 -> 3 points / 3
        QVERIFY(at(7, "qsofa_total") > 0.f);
        QCOMPARE(at(7, "unit_unknown"), 1.0f);
    }
};

QTEST_GUILESS_MAIN(TestVitalsInput)
#include "tst_vitalsinput.moc"
