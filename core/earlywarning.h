#pragma once
// Early-warning scores clinicians already use, computed per hour:
//  - NEWS2 (Royal College of Physicians 2017): RR, SpO2 (scale 1, or scale 2
//    for target 88-92%), air/oxygen, SBP, pulse, consciousness, temperature.
//  - qSOFA (Singer et al. 2016): RR >= 22, SBP <= 100, altered mentation.
//  - SIRS (Bone et al. 1992): temperature, heart rate, RR/PaCO2, WBC.
// A component whose input is missing is reported missing and scores nothing;
// the score is then marked partial. Never is a missing input scored normal.

#include "vitals.h"

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

enum class SpO2Scale { Scale1, Scale2 };

struct News2Inputs {
    std::optional<double> respRate, spo2, systolic, pulse, temperature;
    std::optional<bool> onOxygen;
    std::optional<int> avpu;    // 0 Alert, 1 new Confusion, 2 Voice, 3 Pain, 4 Unresponsive
    SpO2Scale scale = SpO2Scale::Scale1;
};
ScoreResult computeNews2(const News2Inputs &in);

struct QSofaInputs {
    std::optional<double> respRate, systolic;
    std::optional<bool> alteredMentation;
};
ScoreResult computeQSofa(const QSofaInputs &in);

struct SirsInputs {
    std::optional<double> temperature, heartRate, respRate, paco2, wbc;
};
ScoreResult computeSirs(const SirsInputs &in);

struct HourlyScores {
    int hour = 0;
    ScoreResult news2, qsofa, sirs;
};

// How old a value may be and still count at an hour (carried forward).
struct ScoreStaleness {
    double vitalsHours = 6;     // HR, BP, RR, SpO2, temperature, FiO2/oxygen
    double mentalHours = 12;    // AVPU, GCS
    double labsHours = 24;      // WBC, PaCO2
};

// Scores at hours 0..hours-1, each using only values recorded before the end of that hour.
std::vector<HourlyScores> scoreTimeline(const VitalsTimeline &t, int hours, SpO2Scale scale = SpO2Scale::Scale1,
                                        const ScoreStaleness &staleness = {});

} // namespace cs
