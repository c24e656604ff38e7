#pragma once
// Hourly sepsis alerts judged as a ward lives with them: the PhysioNet/CinC
// 2019 utility (Reyna et al., Crit Care Med 2020; the challenge's own
// definition: reward from 12 h before to 3 h after the predicted onset, the
// onset being 6 h after the first SepsisLabel = 1 hour, peak 6 h before it,
// -0.05 per false alarm hour, up to -2 per late miss), the threshold that
// maximises it, and the consequences of an operating point. Calibration's
// reliability table. Plain C++.
#include <QJsonArray>
#include <QJsonObject>
#include <vector>

namespace cs {

// One stay's hourly labels (SepsisLabel 0/1) and scores.
struct StaySeries {
    std::vector<int> label;
    std::vector<double> score;
};

struct UtilitySums { double observed = 0, best = 0, inaction = 0; double normalized() const; };
// Utility of alerting where score >= threshold, summed over stays.
UtilitySums physionetUtility(const std::vector<StaySeries> &stays, double threshold);
// Threshold (among the scores' quantiles) with the highest normalised utility.
double utilityOptimalThreshold(const std::vector<StaySeries> &stays, double *bestUtility = nullptr);

// A training objective that is the utility itself: per hour, the target is 1
// where alerting gains utility over staying silent (U(alert) - U(silent) > 0:
// from 12 h before the onset to 3 h after it, i.e. 6 h before the first
// SepsisLabel = 1 hour to 9 h after it) and the weight is |that gain| in units of
// one false-alarm hour (0.05): a false-alarm hour weighs 1, an hour of the
// labelled window 20 (6 h before onset) to 40 (3 h after, where a miss costs 2),
// the hours 12-6 h before onset rise from 0 to 20, hours the utility ignores
// (later than 3 h after onset) weigh 0.
struct UtilityTargets { std::vector<float> target, weight; };
UtilityTargets utilityTrainingTargets(const std::vector<int> &label);

// Consequences of alerting at score >= threshold.
struct OperatingPoint {
    double threshold = 0;
    double normalizedUtility = 0;
    double hourSensitivity = 0, hourPpv = 0;   // over hours (SepsisLabel as truth)
    double staySensitivity = 0;                // septic stays alerted no later than 3 h after onset
    double alertsPer100PatientDays = 0;        // alerts = a new alert after an hour without one
    double medianWarningHours = 0;             // onset - first alert, detected septic stays alerted before onset
    int stays = 0, septicStays = 0, patientDays = 0;
    QJsonObject toJson() const;
};
OperatingPoint operatingPoint(const std::vector<StaySeries> &stays, double threshold);

// Reliability table of probabilities: bins of width 1/bins, each with its count,
// mean predicted and observed frequency.
QJsonArray reliabilityTable(const std::vector<double> &prob, const std::vector<int> &label, int bins = 10);

} // namespace cs
