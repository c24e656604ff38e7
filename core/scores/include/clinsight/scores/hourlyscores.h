#pragma once
// NEWS2, qSOFA and SIRS at every hour of a vitals timeline, each from the
// values recorded before the end of that hour and no older than their
// staleness limit (carried forward). Reentrant.
#include "clinsight/scores/news2.h"
#include "clinsight/scores/qsofa.h"
#include "clinsight/scores/sirs.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <vector>

namespace cs {

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
