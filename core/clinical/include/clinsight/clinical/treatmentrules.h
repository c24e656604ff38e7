#pragma once
// Suggested treatment notes from a versioned rules file (resources/rules/
// treatment-rules.json): each rule has a condition on the patient's actual
// findings, a text with the findings filled in, and the guideline it cites.
// The clinician edits, accepts or rejects each suggestion; ClinicalStore
// saves the decision.
#include "clinsight/clinical/assessment.h"

#include <QJsonArray>

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

private:
    QString m_version, m_disclaimer, m_path;
    QJsonArray m_rules;
};

// CURB-65 from the recorded data: "2 of 5 criteria met (RR >= 30, age >= 65); urea not recorded".
QString curb65Summary(const PatientAssessment &a);

} // namespace cs
