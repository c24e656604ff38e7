// NEWS2 (RCP 2017), qSOFA and SIRS at every band boundary, hand-computed.
#include "clinsight/scores/hourlyscores.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QtTest>

namespace {
int componentPoints(const cs::ScoreResult &r, const QString &prefix)
{
    for (const auto &c : r.components)
        if (c.parameter.startsWith(prefix)) return c.missing ? -1 : c.points;
    return -99;
}
cs::News2Inputs only() { return {}; }
} // namespace

class TestEarlyWarning : public QObject {
    Q_OBJECT
private slots:
    void news2_respRate_data()
    {
        QTest::addColumn<double>("value"); QTest::addColumn<int>("points");
        const std::pair<double, int> t[] = {{4, 3}, {8, 3}, {9, 1}, {11, 1}, {12, 0}, {20, 0}, {21, 2}, {24, 2}, {25, 3}, {40, 3}};
        for (auto [v, p] : t) QTest::newRow(qPrintable(QString::number(v))) << v << p;
    }
    void news2_respRate()
    {
        QFETCH(double, value); QFETCH(int, points);
        auto in = only(); in.respRate = value;
        QCOMPARE(componentPoints(cs::computeNews2(in), "Respiration"), points);
    }
    void news2_spo2Scale1_data()
    {
        QTest::addColumn<double>("value"); QTest::addColumn<int>("points");
        const std::pair<double, int> t[] = {{85, 3}, {91, 3}, {92, 2}, {93, 2}, {94, 1}, {95, 1}, {96, 0}, {100, 0}};
        for (auto [v, p] : t) QTest::newRow(qPrintable(QString::number(v))) << v << p;
    }
    void news2_spo2Scale1()
    {
        QFETCH(double, value); QFETCH(int, points);
        auto in = only(); in.spo2 = value;
        QCOMPARE(componentPoints(cs::computeNews2(in), "SpO2 scale 1"), points);
    }
    void news2_spo2Scale2_data()
    {
        QTest::addColumn<double>("value"); QTest::addColumn<int>("onOxygen"); QTest::addColumn<int>("points");
        // onOxygen: 0 air, 1 oxygen, -1 unknown
        const std::tuple<double, int, int> t[] = {
            {83, 1, 3}, {84, 1, 2}, {85, 0, 2}, {86, 1, 1}, {87, 0, 1}, {88, 1, 0}, {92, 1, 0}, {92, -1, 0},
            {93, 0, 0}, {100, 0, 0}, {93, 1, 1}, {94, 1, 1}, {95, 1, 2}, {96, 1, 2}, {97, 1, 3}, {100, 1, 3}, {95, -1, -1}};
        for (auto [v, o, p] : t) QTest::newRow(qPrintable(QStringLiteral("%1 o2=%2").arg(v).arg(o))) << v << o << p;
    }
    void news2_spo2Scale2()
    {
        QFETCH(double, value); QFETCH(int, onOxygen); QFETCH(int, points);
        auto in = only(); in.spo2 = value; in.scale = cs::SpO2Scale::Scale2;
        if (onOxygen >= 0) in.onOxygen = onOxygen == 1;
        QCOMPARE(componentPoints(cs::computeNews2(in), "SpO2 scale 2"), points);
    }
    void news2_airOrOxygen()
    {
        auto in = only();
        QCOMPARE(componentPoints(cs::computeNews2(in), "Air"), -1);
        in.onOxygen = false; QCOMPARE(componentPoints(cs::computeNews2(in), "Air"), 0);
        in.onOxygen = true; QCOMPARE(componentPoints(cs::computeNews2(in), "Air"), 2);
    }
    void news2_systolic_data()
    {
        QTest::addColumn<double>("value"); QTest::addColumn<int>("points");
        const std::pair<double, int> t[] = {{70, 3}, {90, 3}, {91, 2}, {100, 2}, {101, 1}, {110, 1}, {111, 0}, {219, 0}, {220, 3}};
        for (auto [v, p] : t) QTest::newRow(qPrintable(QString::number(v))) << v << p;
    }
    void news2_systolic()
    {
        QFETCH(double, value); QFETCH(int, points);
        auto in = only(); in.systolic = value;
        QCOMPARE(componentPoints(cs::computeNews2(in), "Systolic"), points);
    }
    void news2_pulse_data()
    {
        QTest::addColumn<double>("value"); QTest::addColumn<int>("points");
        const std::pair<double, int> t[] = {{30, 3}, {40, 3}, {41, 1}, {50, 1}, {51, 0}, {90, 0}, {90.4, 0}, {91, 1}, {110, 1}, {111, 2}, {130, 2}, {131, 3}};
        for (auto [v, p] : t) QTest::newRow(qPrintable(QString::number(v))) << v << p;
    }
    void news2_pulse()
    {
        QFETCH(double, value); QFETCH(int, points);
        auto in = only(); in.pulse = value;
        QCOMPARE(componentPoints(cs::computeNews2(in), "Pulse"), points);
    }
    void news2_consciousness()
    {
        auto in = only();
        QCOMPARE(componentPoints(cs::computeNews2(in), "Consciousness"), -1);
        for (int avpu = 0; avpu <= 4; ++avpu) {
            in.avpu = avpu;
            QCOMPARE(componentPoints(cs::computeNews2(in), "Consciousness"), avpu == 0 ? 0 : 3);
        }
    }
    void news2_temperature_data()
    {
        QTest::addColumn<double>("value"); QTest::addColumn<int>("points");
        const std::pair<double, int> t[] = {{34.0, 3}, {35.0, 3}, {35.1, 1}, {36.0, 1}, {36.1, 0}, {38.0, 0}, {38.1, 1}, {39.0, 1}, {39.1, 2}, {41, 2}};
        for (auto [v, p] : t) QTest::newRow(qPrintable(QString::number(v))) << v << p;
    }
    void news2_temperature()
    {
        QFETCH(double, value); QFETCH(int, points);
        auto in = only(); in.temperature = value;
        QCOMPARE(componentPoints(cs::computeNews2(in), "Temperature"), points);
    }
    void news2_totalsAndBands()
    {
        cs::News2Inputs in;
        in.respRate = 16; in.spo2 = 97; in.onOxygen = false; in.systolic = 125; in.pulse = 75; in.avpu = 0; in.temperature = 37.0;
        auto r = cs::computeNews2(in);
        QCOMPARE(r.points, 0); QVERIFY(!r.partial); QCOMPARE(r.band, QStringLiteral("low")); QVERIFY(!r.alert);
        in.avpu = 2;  // a single 3 -> low-medium, urgent review
        r = cs::computeNews2(in);
        QCOMPARE(r.points, 3); QCOMPARE(r.band, QStringLiteral("low-medium")); QVERIFY(r.alert);
        in.avpu = 0; in.respRate = 22; in.pulse = 115; in.onOxygen = true;  // 2 + 2 + 2 = 6 -> medium
        r = cs::computeNews2(in);
        QCOMPARE(r.points, 6); QCOMPARE(r.band, QStringLiteral("medium"));
        in.systolic = 95;  // + 2 = 8 -> high
        r = cs::computeNews2(in);
        QCOMPARE(r.points, 8); QCOMPARE(r.band, QStringLiteral("high"));
    }
    void news2_partial_neverScoresMissingAsNormal()
    {
        cs::News2Inputs in;
        in.pulse = 135;
        auto r = cs::computeNews2(in);
        QCOMPARE(r.points, 3);
        QVERIFY(r.partial);
        QCOMPARE(r.missingCount, 6);
        QCOMPARE(r.completeness(), QStringLiteral("1/7 components"));
    }
    void qsofa_boundaries()
    {
        cs::QSofaInputs q;
        auto r = cs::computeQSofa(q);
        QCOMPARE(r.points, 0); QVERIFY(r.partial); QCOMPARE(r.missingCount, 3);
        q.respRate = 21; q.systolic = 101; q.alteredMentation = false;
        r = cs::computeQSofa(q); QCOMPARE(r.points, 0); QVERIFY(!r.partial); QVERIFY(!r.alert);
        q.respRate = 22; r = cs::computeQSofa(q); QCOMPARE(r.points, 1);
        q.systolic = 100; r = cs::computeQSofa(q); QCOMPARE(r.points, 2); QVERIFY(r.alert);
        q.alteredMentation = true; r = cs::computeQSofa(q); QCOMPARE(r.points, 3);
        q.alteredMentation.reset(); r = cs::computeQSofa(q); QCOMPARE(r.points, 2); QVERIFY(r.partial);
    }
    void sirs_boundaries()
    {
        cs::SirsInputs s;
        s.temperature = 38.0; s.heartRate = 90; s.respRate = 20; s.wbc = 12;
        auto r = cs::computeSirs(s); QCOMPARE(r.points, 0); QVERIFY(!r.partial);
        s.temperature = 38.1; r = cs::computeSirs(s); QCOMPARE(r.points, 1);
        s.temperature = 35.9; r = cs::computeSirs(s); QCOMPARE(r.points, 1);
        s.heartRate = 91; r = cs::computeSirs(s); QCOMPARE(r.points, 2); QVERIFY(r.alert);
        s.respRate = 21; r = cs::computeSirs(s); QCOMPARE(r.points, 3);
        s.respRate = 18; s.paco2 = 31; r = cs::computeSirs(s); QCOMPARE(r.points, 3);  // PaCO2 < 32 meets the criterion
        s.wbc = 3.9; r = cs::computeSirs(s); QCOMPARE(r.points, 4);
        s.wbc.reset(); r = cs::computeSirs(s); QCOMPARE(r.points, 3); QVERIFY(r.partial);
        cs::SirsInputs none; r = cs::computeSirs(none); QCOMPARE(r.missingCount, 4);
    }
    void fhirBundle_news2PerHour()
    {
        auto r = cs::importVitals(QStringLiteral(CLINSIGHT_SOURCE_DIR "/tests/data/fhir_bundle.json"));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        // NEWS2 at hour 0: RR 26 (3), SpO2 91 (3), SBP 90 (3), HR 118 (2); temp not until hour 1, O2 & ACVPU unknown.
        const auto s = cs::scoreTimeline(r.value(), 2);
        QCOMPARE(s[0].news2.points, 11);
        QVERIFY(s[0].news2.partial);
        QCOMPARE(s[0].news2.missingCount, 3);
        QCOMPARE(s[1].news2.points, 12);  // + temperature 39.0 (1)
        QCOMPARE(s[1].news2.missingCount, 2);
    }
};

QTEST_GUILESS_MAIN(TestEarlyWarning)
#include "tst_scores.moc"
