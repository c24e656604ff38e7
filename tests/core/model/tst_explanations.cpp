// Explanations and their faithfulness tests (explanations.h): rank statistics
// by hand, the vitals explanation at one hour equals the hourly risk scored
// on the whole record (causality), attention checks blank the hours they
// name, Grad-CAM deletion/insertion curves are internally consistent on a
// real radiograph, and the workstation's sentences come from the manifest.
#include "clinsight/model/explanations.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/model/scorableimage.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QDir>
#include <QtTest>
#include <cmath>
#include <numeric>

namespace {
const QString kBundle = QStringLiteral(CLINSIGHT_SOURCE_DIR "/models/clinsight-hybrid");
const QString kDemo = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/demo/demo01-septic-pneumonia");
QString demoFile(const QString &pattern)
{
    const QStringList f = QDir(kDemo).entryList({pattern});
    return f.isEmpty() ? QString() : kDemo + '/' + f.first();
}
} // namespace

class TestExplanations : public QObject {
    Q_OBJECT
private slots:
    void rankStatistics_byHand()
    {
        QCOMPARE(cs::mostAttendedHours({0.1f, 0.5f, 0.2f, 0.5f}, 3), (std::vector<int>{1, 3, 2}));
        QCOMPARE(cs::mostAttendedHours({0.3f}, 3), (std::vector<int>{0}));
        QCOMPARE(cs::curveArea({1.0, 0.0}), 0.5);
        QCOMPARE(cs::curveArea({1.0, 1.0, 0.0}), 0.75);   // (1 + 0.5) / 2
        QCOMPARE(cs::spearmanCorrelation({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
        QCOMPARE(cs::spearmanCorrelation({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
        // ties take average ranks: a = 1, 2.5, 2.5, 4 against 1..4 -> r = 4.5 / sqrt(4.5 * 5)
        QVERIFY(std::abs(cs::spearmanCorrelation({1, 2, 2, 3}, {1, 2, 3, 4}) - 4.5 / std::sqrt(4.5 * 5.0)) < 1e-12);
        QVERIFY(std::isnan(cs::spearmanCorrelation({0, 0, 0}, {1, 2, 3})));   // a flat map has no ranks
    }

    void blankedHours_removeTheirValues_keepTheRecordsLength()
    {
        cs::VitalsTimeline t;
        for (int h = 0; h < 6; ++h) t.addRaw(cs::var::HR, h + 0.5, 80 + h, {}, "test");
        t.finalize();
        const cs::VitalsTimeline b = t.withHoursBlanked({1, 5});
        QCOMPARE(b.sampleCount(cs::var::HR), 4);
        for (const auto &s : b.series.at(cs::var::HR)) QVERIFY(int(s.hours) != 1 && int(s.hours) != 5);
        QCOMPARE(b.coveredHours, 6);   // the blanked last hour still exists
    }

    void vitalsExplanation_matchesTheHourlyRisk_andRefusesOutOfRange()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message()));
        auto t = cs::importVitals(demoFile("*.psv"));
        QVERIFY(t.ok());
        auto full = m->scoreVitals(t.value());
        QVERIFY(full.ok() && full->hours > 10);
        for (int hour : {4, full->hours / 2, full->hours - 1}) {
            auto e = cs::explainVitalsAt(m.value(), t.value(), hour);
            QVERIFY2(e.ok(), qPrintable(e.ok() ? QString() : e.error().message()));
            QCOMPARE(int(e->attention.size()), hour + 1);
            QVERIFY(std::abs(std::accumulate(e->attention.begin(), e->attention.end(), 0.0) - 1.0) < 1e-4);
            QVERIFY2(std::abs(e->risk - full->riskPerHour[size_t(hour)]) < 1e-6, qPrintable(QString::number(hour)));
        }
        auto bad = cs::explainVitalsAt(m.value(), t.value(), full->hours);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message().contains(t->sourceFile));
        QVERIFY(bad.error().message().contains(QStringLiteral("out of range")));
        QVERIFY(!cs::explainVitalsAt(m.value(), t.value(), -1).ok());
    }

    void attentionCheck_blanksTheMostAttendedHours()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        auto t = cs::importVitals(demoFile("*.psv"));
        QVERIFY(t.ok());
        const int hour = 20;
        auto e = cs::explainVitalsAt(m.value(), t.value(), hour);
        QVERIFY(e.ok());
        auto c = cs::checkAttention(m.value(), t.value(), hour, 7);
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message()));
        QCOMPARE(c->attendedHours, cs::mostAttendedHours(e->attention, cs::kBlankedHours));
        QCOMPARE(int(c->randomHours.size()), cs::kBlankedHours);
        for (int h : c->randomHours) QVERIFY(h >= 0 && h <= hour);
        QVERIFY(std::abs(c->risk - e->risk) < 1e-9);
        // blanking changes the input: at least one of the two copies scores differently
        QVERIFY(std::abs(c->attendedBlankedRisk - c->risk) > 1e-9 || std::abs(c->randomBlankedRisk - c->risk) > 1e-9);
        // the same seed draws the same hours
        auto again = cs::checkAttention(m.value(), t.value(), hour, 7);
        QVERIFY(again.ok());
        QCOMPARE(again->randomHours, c->randomHours);
        QVERIFY(!cs::checkAttention(m.value(), t.value(), 2, 7).ok());   // 3 of 3 hours: nothing to compare

        auto w = cs::rescoreWithoutMostAttended(m.value(), t.value());
        QVERIFY(w.ok());
        auto full = m->scoreVitals(t.value());
        QVERIFY(std::abs(w->riskBefore - full->riskPerHour.back()) < 1e-9);
        QCOMPARE(int(w->blankedHours.size()), cs::kBlankedHours);
        QVERIFY(std::is_sorted(w->blankedHours.begin(), w->blankedHours.end()));
    }

    void imageCheck_curvesAreConsistent_onARealRadiograph()
    {
        auto m = cs::HybridModel::load(kBundle);
        QVERIFY(m.ok());
        auto img = cs::loadScorableImage(demoFile("*.jpeg").isEmpty() ? demoFile("*.dcm") : demoFile("*.jpeg"));
        QVERIFY(img.ok());
        auto plain = m->scoreImage(img->frame, nullptr, false);
        QVERIFY(plain.ok());
        for (cs::PatchFill fill : {cs::PatchFill::Blurred, cs::PatchFill::MeanGrey, cs::PatchFill::Darkest}) {
            auto c = m->checkImageExplanation(img->frame, 11, fill, 10);
            QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message()));
            QCOMPARE(c->gridWidth, 14);
            QCOMPARE(c->gridHeight, 14);
            for (const auto *curve : {&c->deletion, &c->insertion, &c->randomDeletion, &c->randomInsertion})
                QCOMPARE(int(curve->size()), 11);
            QVERIFY(std::abs(c->risk - plain->risk) < 1e-5);
            // nothing hidden / everything revealed is the image itself; everything hidden is one image for all four curves
            QVERIFY(std::abs(c->deletion.front() - c->risk) < 1e-4);
            QVERIFY(std::abs(c->randomDeletion.front() - c->risk) < 1e-4);
            QVERIFY(std::abs(c->insertion.back() - c->risk) < 1e-4);
            QVERIFY(std::abs(c->deletion.back() - c->insertion.front()) < 1e-6);
            QVERIFY(std::abs(c->randomDeletion.back() - c->deletion.back()) < 1e-6);
            // 20% of 196 cells = 39 = round(2/10 * 196): the single test is the curves' second step
            QVERIFY(std::abs(c->salientHiddenRisk - c->deletion[2]) < 1e-6);
            QVERIFY(std::abs(c->randomHiddenRisk - c->randomDeletion[2]) < 1e-6);
            QCOMPARE(c->salientLoweredMore(), c->salientHiddenLogit < c->randomHiddenLogit);
            QVERIFY(std::isnan(c->randomizationRankCorrelation) || std::abs(c->randomizationRankCorrelation) <= 1.0);
            QVERIFY(c->deletionAuc >= 0 && c->deletionAuc <= 1 && c->insertionAuc >= 0 && c->insertionAuc <= 1);
        }
        // another seed: another random order, the same Grad-CAM order
        auto a = m->checkImageExplanation(img->frame, 1), b = m->checkImageExplanation(img->frame, 2);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->deletion, b->deletion);
        QVERIFY(a->randomDeletion != b->randomDeletion);
    }

    void sentences_comeFromTheManifest()
    {
        QJsonObject man;
        QCOMPARE(cs::explanationFaithfulness(man).imageLine, QString());
        man.insert("evaluation", QJsonObject{{"image", QJsonObject{{"faithfulness", QJsonObject{{"explained", 412}, {"hidden_fraction", 0.2},
                                                                                                  {"salient_beats_random", 0.871}}}}},
                                             {"vitals", QJsonObject{{"faithfulness", QJsonObject{{"stays", 97}, {"blanked_hours", 3},
                                                                                                   {"attended_moved_more", 0.742}}}}}});
        const auto f = cs::explanationFaithfulness(man);
        QVERIFY2(f.imageLine.contains("412") && f.imageLine.contains("87%") && f.imageLine.contains("20%"), qPrintable(f.imageLine));
        QVERIFY2(f.attentionLine.contains("97") && f.attentionLine.contains("74%") && f.attentionLine.contains("3 most-attended"),
                 qPrintable(f.attentionLine));
    }
};

QTEST_GUILESS_MAIN(TestExplanations)
#include "tst_explanations.moc"
