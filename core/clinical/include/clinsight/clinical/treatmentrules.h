#pragma once
// Suggested treatment notes from a versioned rules file (resources/rules/
// treatment-rules.json): each rule has a condition on the patient's actual
// findings, a text with the findings filled in, and the guideline it cites.
// Every input a text reads has a maximum age (file defaults, per-rule
// overrides); an older value is named as stale and not used. A file with a
// key, condition, placeholder or input this ClinSight does not know is refused.
// The clinician edits, accepts or rejects each suggestion; ClinicalStore
// saves the decision.
#include "clinsight/clinical/assessment.h"

#include <QJsonArray>
#include <map>

namespace cs {

struct Suggestion {
    QString ruleId;
    QString text;        // findings filled in
    QString guideline;
};

class TreatmentRules {
public:
    static Result<TreatmentRules> load(const QString &path);
    QString version() const { return m_version; }
    QString disclaimer() const { return m_disclaimer; }
    std::vector<Suggestion> suggest(const PatientAssessment &a) const;
    // ClinSight's guideline-derived maximum ages of the limited inputs ("lactate",
    // "map", ...); the rules file must give each input its own.
    static const std::map<QString, double> &guidelineMaxAges();
    double maxAgeHours(const QString &input) const { return m_defaultMaxAge.at(input); }

private:
    QString m_version, m_disclaimer, m_path;
    QJsonArray m_rules;
    std::map<QString, double> m_defaultMaxAge;               // input -> hours
    std::vector<std::map<QString, double>> m_ruleMaxAge;     // per-rule overrides
};

// CURB-65 from the recorded data: "2 of 5 criteria met (RR >= 30, age >= 65); not recorded: urea",
// each input used only within its maximum age (older ones named: "urea 40 h old, not used").
QString curb65Summary(const PatientAssessment &a, const std::map<QString, double> &maxAgeHours);
QString curb65Summary(const PatientAssessment &a);   // with the guideline defaults

} // namespace cs
