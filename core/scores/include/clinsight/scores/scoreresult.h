#pragma once
// One early-warning score's result, component by component. A component
// whose input is missing is reported missing and scores nothing; the score is
// then marked partial. Never is a missing input scored normal.
#include <QString>
#include <optional>
#include <vector>

namespace cs {

struct ScoreComponent {
    QString parameter;          // "Respiration rate"
    std::optional<double> value;
    QString unit;
    int points = 0;
    bool missing = true;
};

struct ScoreResult {
    QString name;               // "NEWS2", "qSOFA", "SIRS"
    int points = 0;             // sum over components present
    bool partial = false;       // at least one component missing
    int missingCount = 0;
    std::vector<ScoreComponent> components;
    QString band;               // NEWS2: low / low-medium / medium / high; qSOFA/SIRS: positive / negative
    bool alert = false;         // NEWS2 >= 5 or any single 3; qSOFA >= 2; SIRS >= 2
    QString completeness() const; // "6/7 components"
};

} // namespace cs
