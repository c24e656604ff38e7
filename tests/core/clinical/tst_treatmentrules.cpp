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
        // Anything this ClinSight does not know is refused, never silently ignored.
        const QByteArray ages = "\"input_max_age_hours\": {\"lactate\": 6, \"map\": 1, \"blood_pressure\": 4, \"respiratory_rate\": 4, \"consciousness\": 12, \"urea\": 24}";
        auto withRule = [&](const QByteArray &name, const QByteArray &rule, const QByteArray &top = {}) {
            return cs::TreatmentRules::load(write(name, "{\"version\": \"1\", " + ages + top + ", \"rules\": [" + rule + "]}"));
        };
        const QByteArray ok = "{\"id\": \"x\", \"text\": \"t {news2}\", \"guideline\": \"g\", \"when\": {\"news2_min\": 1}}";
        QVERIFY2(withRule("ok.json", ok).ok(), "a well-formed file loads");
        r = withRule("cond.json", "{\"id\": \"x\", \"text\": \"t\", \"guideline\": \"g\", \"when\": {\"moon_phase\": 1}}");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().contains("rules[0].when.moon_phase"), qPrintable(r.error().message()));
        r = withRule("nested.json", "{\"id\": \"x\", \"text\": \"t\", \"guideline\": \"g\", \"when\": {\"any_of\": [{\"qsofa_min\": 2}, {\"lactate_min\": 2}]}}");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().contains("any_of[1].lactate_min"), qPrintable(r.error().message()));
        r = withRule("rulekey.json", "{\"id\": \"x\", \"text\": \"t\", \"guideline\": \"g\", \"priority\": 1}");
        QVERIFY(!r.ok() && r.error().message().contains("priority"));
        r = withRule("placeholder.json", "{\"id\": \"x\", \"text\": \"t {troponin}\", \"guideline\": \"g\"}");
        QVERIFY(!r.ok() && r.error().message().contains("{troponin}"));
        r = withRule("input.json", "{\"id\": \"x\", \"text\": \"t\", \"guideline\": \"g\", \"max_age_hours\": {\"troponin\": 3}}");
        QVERIFY(!r.ok() && r.error().message().contains("max_age_hours.troponin"));
        r = withRule("top.json", ok, ", \"colour\": \"red\"");
        QVERIFY(!r.ok() && r.error().message().contains("colour"));
        r = cs::TreatmentRules::load(write("noages.json", "{\"version\": \"1\", \"rules\": [" + ok + "]}"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().contains("input_max_age_hours.lactate"), qPrintable(r.error().message()));
    }

    void staleInputs_namedAndNotUsed()
    {
        auto rules = cs::TreatmentRules::load(kRules);
        QVERIFY(rules.ok());
        QCOMPARE(rules->maxAgeHours("lactate"), 6.0);
        cs::News2Inputs in;
        in.respRate = 24; in.systolic = 95; in.avpu = 1;       // qSOFA 3: the sepsis rule fires
        cs::PatientAssessment a = withNews2(in);
        a.scores.back().hour = 31;                             // judged at the end of hour 31
        a.vitals = cs::VitalsTimeline{};
        a.vitals->addRaw(cs::var::Lactate, 0.2, 3.4, {}, "t");  // three days ago in spirit: 31 h before the end
        a.vitals->addRaw(cs::var::MAP, 31.5, 62, {}, "t");      // half an hour ago
        a.vitals->finalize();
        auto s = rules->suggest(a);
        QVERIFY(ids(s).contains("sepsis-hour-1"));
        const QString text = s[size_t(ids(s).indexOf("sepsis-hour-1"))].text;
        QVERIFY2(text.contains("lactate 32 h old, not used"), qPrintable(text));
        QVERIFY2(!text.contains("3.4"), "a stale lactate must not be quoted as the last value");
        QVERIFY2(text.contains("62 mmHg"), qPrintable(text));

        // A rule may allow an older value (per-rule max_age_hours).
        QTemporaryDir d;
        QFile f(d.filePath("rules.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"version\": \"t\", \"input_max_age_hours\": {\"lactate\": 6, \"map\": 1, \"blood_pressure\": 4, "
                "\"respiratory_rate\": 4, \"consciousness\": 12, \"urea\": 24}, \"rules\": [{\"id\": \"lac\", "
                "\"text\": \"last lactate {lactate}\", \"guideline\": \"g\", \"when\": {\"qsofa_min\": 2}, \"max_age_hours\": {\"lactate\": 48}}]}");
        f.close();
        auto relaxed = cs::TreatmentRules::load(f.fileName());
        QVERIFY2(relaxed.ok(), qPrintable(relaxed.ok() ? QString() : relaxed.error().message()));
        s = relaxed->suggest(a);
        QCOMPARE(int(s.size()), 1);
        QVERIFY2(s[0].text.contains("3.4 mmol/L"), qPrintable(s[0].text));
    }

    void curb65_staleInputsNamed()
    {
        cs::PatientAssessment a;
        a.vitals = cs::VitalsTimeline{};
        a.vitals->age = 80;
        a.vitals->addRaw(QStringLiteral("BUN"), 0, 40, {}, "t");   // urea 14 mmol/L, but 40 h old
        a.vitals->addRaw(cs::var::RR, 39.5, 32, {}, "t");
        a.vitals->addRaw(cs::var::SBP, 40, 120, {}, "t");
        a.vitals->finalize();
        const QString s = cs::curb65Summary(a);
        QVERIFY2(s.startsWith("2 of 5 criteria met (RR >= 30, age >= 65)"), qPrintable(s));
        QVERIFY2(s.contains("urea 40 h old, not used"), qPrintable(s));
    }
};

QTEST_GUILESS_MAIN(TestTreatmentRules)
#include "tst_treatmentrules.moc"
