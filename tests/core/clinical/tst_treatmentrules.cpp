// Suggested notes from the versioned rules file, on constructed findings
// and on a real demo patient; malformed rules files are errors.
#include "clinsight/clinical/treatmentrules.h"

#include <QTemporaryDir>
#include <QFile>
#include <QtTest>

namespace {
const QString kRules = QStringLiteral(CLINSIGHT_SOURCE_DIR "/resources/rules/treatment-rules.json");

cs::PatientAssessment withNews2(const cs::News2Inputs &in)
{
    cs::PatientAssessment a;
    cs::HourlyScores h;
    h.news2 = cs::computeNews2(in);
    cs::QSofaInputs q;
    q.respRate = in.respRate;
    q.systolic = in.systolic;
    if (in.avpu) q.alteredMentation = *in.avpu > 0;
    h.qsofa = cs::computeQSofa(q);
    a.scores.push_back(h);
    return a;
}
QStringList ids(const std::vector<cs::Suggestion> &s)
{
    QStringList l;
    for (const auto &x : s) l << x.ruleId;
    return l;
}
} // namespace

class TestTreatmentRules : public QObject {
    Q_OBJECT
private slots:
    void bands_fireTheRightRule()
    {
        auto rules = cs::TreatmentRules::load(kRules);
        QVERIFY2(rules.ok(), qPrintable(rules.ok() ? QString() : rules.error().message()));
        QVERIFY(!rules->version().isEmpty());
        cs::News2Inputs in;
        in.respRate = 16; in.spo2 = 97; in.onOxygen = false; in.systolic = 125; in.pulse = 75; in.avpu = 0; in.temperature = 37.0;
        QVERIFY(rules->suggest(withNews2(in)).empty());            // NEWS2 0, complete: nothing to suggest
        in.pulse = 95;                                              // 1
        QCOMPARE(ids(rules->suggest(withNews2(in))), QStringList{"news2-low"});
        in.avpu = 2;                                                // 1 + 3 single red
        QCOMPARE(ids(rules->suggest(withNews2(in))), QStringList{"news2-single-red"});
        in.avpu = 0; in.respRate = 22; in.pulse = 115; in.onOxygen = true;  // 6 medium; qSOFA RR>=22 only
        QCOMPARE(ids(rules->suggest(withNews2(in))), QStringList{"news2-medium"});
        in.systolic = 95;                                           // 8 high; qSOFA 2 -> sepsis bundle
        const auto s = rules->suggest(withNews2(in));
        QCOMPARE(ids(s), (QStringList{"news2-high", "sepsis-hour-1"}));
        QVERIFY(s[0].text.contains("NEWS2 8"));
        QVERIFY(s[0].guideline.contains("Royal College of Physicians"));
        QVERIFY(s[1].text.contains("qSOFA 2"));
        QVERIFY(s[1].guideline.contains("Surviving Sepsis"));
        in.temperature.reset();                                     // partial
        QVERIFY(ids(rules->suggest(withNews2(in))).contains("news2-partial"));
    }

    void pneumonia_suggestsCurb65FromRecordedData()
    {
        auto rules = cs::TreatmentRules::load(kRules);
        QVERIFY(rules.ok());
        cs::PatientAssessment a;
        a.image = cs::ImageRisk{};
        a.image->applicable = true;
        a.image->alert = true;
        a.image->risk = 0.91;
        a.vitals = cs::VitalsTimeline{};
        a.vitals->age = 70;
        a.vitals->addRaw(cs::var::RR, 0, 31, {}, "t");
        a.vitals->addRaw(cs::var::SBP, 0, 120, {}, "t");
        a.vitals->addRaw(cs::var::DBP, 0, 58, {}, "t");
        a.vitals->finalize();
        const auto s = rules->suggest(a);
        QCOMPARE(ids(s), QStringList{"pneumonia-curb65"});
        QVERIFY2(s[0].text.contains("3 of 5 criteria met"), qPrintable(s[0].text));
        QVERIFY(s[0].text.contains("not recorded: confusion, urea"));
        QVERIFY(s[0].text.contains("91%"));
    }

    void malformedRules_areErrors()
    {
        QTemporaryDir d;
        auto write = [&](const QString &name, const QByteArray &c) {
            QFile f(d.filePath(name)); f.open(QIODevice::WriteOnly); f.write(c); return d.filePath(name);
        };
        QVERIFY(!cs::TreatmentRules::load(d.filePath("none.json")).ok());
        auto r = cs::TreatmentRules::load(write("bad.json", "{\"version\": "));
        QVERIFY(!r.ok());
        r = cs::TreatmentRules::load(write("nover.json", "{\"rules\": []}"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains("version"));
        r = cs::TreatmentRules::load(write("nocite.json", "{\"version\": \"1\", \"rules\": [{\"id\": \"x\", \"text\": \"t\"}]}"));
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains("guideline"));
        // An unknown condition never fires.
        r = cs::TreatmentRules::load(write("unknown.json", "{\"version\": \"1\", \"rules\": [{\"id\": \"x\", \"text\": \"t\", \"guideline\": \"g\", \"when\": {\"moon_phase\": 1}}]}"));
        QVERIFY(r.ok());
        cs::News2Inputs in;
        in.pulse = 140;
        QVERIFY(r->suggest(withNews2(in)).empty());
    }
};

QTEST_GUILESS_MAIN(TestTreatmentRules)
#include "tst_treatmentrules.moc"
