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
