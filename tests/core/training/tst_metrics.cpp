// Metrics, calibration and thresholds against values worked out by hand.
#include "clinsight/model/calibration.h"
#include "clinsight/training/alerting.h"
#include "clinsight/training/metrics.h"

#include <QtTest>
#include <cmath>

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void physionetUtility_handComputed()
    {
        // A: not septic, 10 h. B: 30 h, SepsisLabel 1 from hour 20, so onset t = 26; reward window 14..29.
        cs::StaySeries a{std::vector<int>(10, 0), std::vector<double>(10, 1.0)};
        std::vector<int> lb(30, 0);
        for (int t = 20; t < 30; ++t) lb[size_t(t)] = 1;
        cs::StaySeries b{lb, std::vector<double>(30, 1.0)};
        const cs::UtilitySums all = cs::physionetUtility({a, b}, 0.5);
        // alert every hour: A 10 x -0.05; B 14 x -0.05 before the window, then 21/6 + 36/9 inside it
        QVERIFY(std::abs(all.observed - (-0.5 - 0.7 + 3.5 + 4.0)) < 1e-9);
        QVERIFY(std::abs(all.best - 7.5) < 1e-9);
        QVERIFY(std::abs(all.inaction - (-10.0)) < 1e-9);   // late misses -2/9 ... -2 over hours 21..29
        QVERIFY(std::abs(all.normalized() - 16.3 / 17.5) < 1e-9);
        QCOMPARE(cs::physionetUtility({a, b}, 2.0).normalized(), 0.0);   // never alerting
        // the best alerting pattern scores 1, and the optimal threshold finds it
        std::vector<double> sb(30, 0.1);
        for (int t = 14; t < 30; ++t) sb[size_t(t)] = 0.9;
        cs::StaySeries bestB{lb, sb};
        cs::StaySeries quietA{std::vector<int>(10, 0), std::vector<double>(10, 0.1)};
        QVERIFY(std::abs(cs::physionetUtility({quietA, bestB}, 0.5).normalized() - 1.0) < 1e-9);
        double u = 0;
        const double t = cs::utilityOptimalThreshold({quietA, bestB}, &u);
        QVERIFY(t > 0.1 && t <= 0.9);
        QVERIFY(std::abs(u - 1.0) < 1e-9);
    }
    void utilityTrainingTargets_areTheUtilityGainOfAlerting()
    {
        // 35 h, SepsisLabel 1 from hour 20 (onset t = 26): hours after 29 are beyond the utility's reach.
        std::vector<int> lb(35, 0);
        for (int t = 20; t < 35; ++t) lb[size_t(t)] = 1;
        const cs::UtilityTargets u = cs::utilityTrainingTargets(lb);
        QCOMPARE(u.target.size(), size_t(35));
        QCOMPARE(u.weight.size(), size_t(35));
        auto near = [](float a, double b) { return std::abs(double(a) - b) < 1e-5; };
        QCOMPARE(u.target[13], 0.f); QVERIFY(near(u.weight[13], 1.0));    // 13 h before onset: a false alarm
        QCOMPARE(u.target[14], 0.f); QVERIFY(near(u.weight[14], 0.0));    // 12 h before: alerting gains nothing
        QCOMPARE(u.target[17], 1.f); QVERIFY(near(u.weight[17], 10.0));   // 9 h before: half the peak reward
        QCOMPARE(u.target[20], 1.f); QVERIFY(near(u.weight[20], 20.0));   // first labelled hour: the peak, 1 / 0.05
        QCOMPARE(u.target[29], 1.f); QVERIFY(near(u.weight[29], 40.0));   // 3 h after onset: a miss costs 2
        for (int t = 30; t < 35; ++t) QVERIFY(near(u.weight[size_t(t)], 0.0));
        const cs::UtilityTargets quiet = cs::utilityTrainingTargets(std::vector<int>(12, 0));
        for (size_t t = 0; t < 12; ++t) { QCOMPARE(quiet.target[t], 0.f); QVERIFY(near(quiet.weight[t], 1.0)); }
        // For any alert pattern, utility(alerts) - utility(silence) = sum over alerted hours of +-0.05 x weight.
        std::vector<double> score(35);
        double predicted = 0;
        for (int t = 0; t < 35; ++t) {
            score[size_t(t)] = (t * 7) % 3 == 0 ? 1.0 : 0.0;
            if (score[size_t(t)] > 0.5) predicted += (u.target[size_t(t)] > 0.5 ? 0.05 : -0.05) * u.weight[size_t(t)];
        }
        const cs::UtilitySums sums = cs::physionetUtility({cs::StaySeries{lb, score}}, 0.5);
        QVERIFY(std::abs((sums.observed - sums.inaction) - predicted) < 1e-5);
    }

    void operatingPoint_countsAlertsAndWarning()
    {
        std::vector<int> lb(30, 0);
        for (int t = 20; t < 30; ++t) lb[size_t(t)] = 1;   // onset at 26
        std::vector<double> sb(30, 0.0);
        for (int t = 16; t < 30; ++t) sb[size_t(t)] = 1.0;  // alert from hour 16: 10 h before onset
        std::vector<double> sa(18, 0.0);
        sa[3] = sa[4] = sa[10] = 1.0;                        // two alerts in a quiet stay
        const cs::OperatingPoint o = cs::operatingPoint({{std::vector<int>(18, 0), sa}, {lb, sb}}, 0.5);
        QCOMPARE(o.stays, 2);
        QCOMPARE(o.septicStays, 1);
        QCOMPARE(o.staySensitivity, 1.0);
        QCOMPARE(o.medianWarningHours, 10.0);
        QVERIFY(std::abs(o.alertsPer100PatientDays - 3.0 / 2.0 * 100.0) < 1e-9);   // 3 alerts in 48 h
        QVERIFY(std::abs(o.hourSensitivity - 1.0) < 1e-9);
        QVERIFY(std::abs(o.hourPpv - 10.0 / 17.0) < 1e-9);
        const QJsonArray rel = cs::reliabilityTable({0.05, 0.05, 0.95, 0.95}, {0, 1, 1, 1}, 10);
        QCOMPARE(rel.size(), 2);
        QCOMPARE(rel[0].toObject().value("observed").toDouble(), 0.5);
        QCOMPARE(rel[1].toObject().value("n").toDouble(), 2.0);
    }
    void rocAuc_knownValues()
    {
        // sklearn's documented example: 0.75
        QCOMPARE(cs::rocAuc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);
        // ties count one half: pos {0.5, 0.9} vs neg {0.5, 0.5} -> (0.5 + 0.5 + 1 + 1) / 4
        QCOMPARE(cs::rocAuc({0.5, 0.5, 0.5, 0.9}, {0, 1, 0, 1}), 0.75);
        QCOMPARE(cs::rocAuc({0.3, 0.3, 0.3, 0.3}, {0, 1, 0, 1}), 0.5);
        QCOMPARE(cs::rocAuc({0.9, 0.8, 0.1}, {0, 0, 1}), 0.0);
        // one class only: undefined, reported as chance
        QCOMPARE(cs::rocAuc({0.2, 0.7}, {1, 1}), 0.5);
    }
    void ece_knownValues()
    {
        // one per bin: (0.05 + 0.15 + 0.05 + 0.15) / 4
        QVERIFY(std::abs(cs::expectedCalibrationError({0.05, 0.15, 0.95, 0.85}, {0, 0, 1, 1}) - 0.1) < 1e-12);
        // one bin holding four: |0.3 - 1/4|
        QVERIFY(std::abs(cs::expectedCalibrationError({0.3, 0.3, 0.3, 0.3}, {1, 0, 0, 0}) - 0.05) < 1e-12);
        QCOMPARE(cs::expectedCalibrationError({0.0, 1.0}, {0, 1}), 0.0);
    }
    void confusionMetrics_atThreshold()
    {
        const std::vector<double> p{0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9};
        const std::vector<int> y{0, 0, 0, 1, 0, 1, 1, 1};
        const cs::BinaryMetrics m = cs::computeMetrics(p, y, 0.5);
        QCOMPARE(m.tp, 3); QCOMPARE(m.fp, 1); QCOMPARE(m.tn, 3); QCOMPARE(m.fn, 1);
        QCOMPARE(m.sensitivity, 0.75); QCOMPARE(m.specificity, 0.75); QCOMPARE(m.precision, 0.75);
        QCOMPARE(m.f1, 0.75); QCOMPARE(m.accuracy, 0.75); QCOMPARE(m.fdr, 0.25);
        QCOMPARE(m.senPlusSpec, 1.5); QCOMPARE(m.accMinusFdr, 0.5);
        QCOMPARE(m.auc, 15.0 / 16.0);   // 15 of 16 positive-negative pairs ordered
    }
    void youden_picksFirstBestThreshold()
    {
        // J = 0.75 at 0.4 (4/4 sensitivity, 3/4 specificity), equal at 0.6 and 0.7; the lowest wins.
        QCOMPARE(cs::youdenThreshold({0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9}, {0, 0, 0, 1, 0, 1, 1, 1}), 0.4);
        QCOMPARE(cs::youdenThreshold({0.2, 0.4, 0.6, 0.8}, {0, 0, 1, 1}), 0.6);
    }
    void platt_recoversKnownScaling()
    {
        // Labels drawn exactly in proportion to sigmoid(2x + 0.5): the fit returns a = 2, b = 0.5.
        std::vector<double> x;
        std::vector<int> y;
        for (int i = 0; i <= 400; ++i) {
            const double l = -4.0 + 8.0 * i / 400.0;
            const int n = 200, pos = int(std::lround(n * cs::sigmoid(2 * l + 0.5)));
            for (int k = 0; k < n; ++k) { x.push_back(l); y.push_back(k < pos ? 1 : 0); }
        }
        const cs::PlattScaling p = cs::PlattScaling::fit(x, y);
        QVERIFY2(std::abs(p.a - 2.0) < 0.02, qPrintable(QString::number(p.a)));
        QVERIFY2(std::abs(p.b - 0.5) < 0.02, qPrintable(QString::number(p.b)));
        QVERIFY(std::abs(p.apply(0.0) - cs::sigmoid(p.b)) < 1e-12);
    }
    void platt_separableDataStaysFinite()
    {
        const cs::PlattScaling p = cs::PlattScaling::fit({-3, -2, -1, 1, 2, 3}, {0, 0, 0, 1, 1, 1});
        QVERIFY(std::isfinite(p.a) && std::isfinite(p.b));
        QVERIFY(p.a > 0);
        QVERIFY(p.apply(3) < 1.0 && p.apply(-3) > 0.0);   // smoothed targets: never certain
    }
    void sigmoid_stableAtExtremes()
    {
        QCOMPARE(cs::sigmoid(0), 0.5);
        QVERIFY(cs::sigmoid(-800) >= 0 && cs::sigmoid(-800) < 1e-300);
        QCOMPARE(cs::sigmoid(800), 1.0);
    }
    void bootstrap_groupsResampledTogether()
    {
        // 10 stays of 50 identical hours each: 10 units to resample, not 500.
        std::vector<double> p;
        std::vector<int> y, groups, none;
        for (int g = 0; g < 10; ++g)
            for (int h = 0; h < 50; ++h) {
                p.push_back(0.1 * g + 0.01 * (h % 3));
                y.push_back(g % 3 == 0 || g == 7 ? 1 : 0);
                groups.push_back(g);
            }
        cs::BinaryMetrics byStay = cs::computeMetrics(p, y, 0.5), byRow = byStay;
        cs::bootstrapAuc(byStay, p, y, groups, 400, 7);
        cs::bootstrapAuc(byRow, p, y, none, 400, 7);
        QVERIFY(byStay.aucLow <= byStay.auc && byStay.auc <= byStay.aucHigh);
        QVERIFY(byRow.aucLow <= byRow.auc && byRow.auc <= byRow.aucHigh);
        QVERIFY2(byStay.aucHigh - byStay.aucLow > 2 * (byRow.aucHigh - byRow.aucLow),
                 qPrintable(QStringLiteral("stay CI %1-%2, row CI %3-%4").arg(byStay.aucLow).arg(byStay.aucHigh)
                                .arg(byRow.aucLow).arg(byRow.aucHigh)));
        // one group per row is the row bootstrap, draw for draw
        std::vector<int> own(p.size());
        for (size_t i = 0; i < own.size(); ++i) own[i] = int(i);
        cs::BinaryMetrics byOwn = cs::computeMetrics(p, y, 0.5);
        cs::bootstrapAuc(byOwn, p, y, own, 400, 7);
        QCOMPARE(byOwn.aucLow, byRow.aucLow);
        QCOMPARE(byOwn.aucHigh, byRow.aucHigh);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
