#pragma once
// The one feature builder used by training and at the bedside: an hourly
// grid with last value carried forward, a per-hour measured mask and the
// time since the last measurement, then normalised with statistics that are
// stored in the model bundle. Causal: row h uses only values recorded
// before the end of hour h.

#include "clinsight/vitals/vitalstimeline.h"

#include <QJsonObject>
#include <vector>

namespace cs {

struct HourlyGrid {
    int hours = 0;
    QStringList variables;
    std::vector<float> value;        // hours x variables; LOCF; NaN before the first measurement
    std::vector<std::uint8_t> measured; // 1 where measured within that hour
    std::vector<float> hoursSince;   // since last measurement; -1 before the first
    float at(int h, int v) const { return value[std::size_t(h) * variables.size() + v]; }
};

// hours < 0: one row per source row for hourly formats (PhysioNet 2019),
// otherwise up to the last sample's hour.
HourlyGrid buildHourlyGrid(const VitalsTimeline &t, const QStringList &variables, int hours = -1);

struct FeatureNormalization {
    QStringList variables;
    std::vector<double> mean, stdev;  // per variable, over measured hours of the training stays
    QStringList extraFeatures;        // per-hour columns the caller appends (the model: NEWS2/qSOFA components)
    QJsonObject toJson() const;
    static Result<FeatureNormalization> fromJson(const QJsonObject &o);
    int featureCount() const;
    QStringList featureNames() const;
};

// Vital signs whose short-window trends are features (those of them in the variables).
QStringList trendVariables();

// Fits mean/stdev of each variable over the measured values of the grids.
FeatureNormalization fitNormalization(const std::vector<HourlyGrid> &grids, const QStringList &variables);

// Model input, hours x featureCount(), row h from values recorded before the
// end of hour h only (causal):
// - per variable: z-scored carried value (0 before the first measurement,
//   clamped to +-6), measured this hour, min(hours since, 24)/24 (1 before the
//   first), log(1 + measurements so far)/log(241);
// - per trend variable: z change over 1, 3, 6 and 12 h (0 where either end is
//   missing), min, max and mean z over the last 6 h;
// - derived: shock index (HR/SBP - 0.7)/0.3; partial SOFA points/4 for
//   coagulation (platelets), liver (bilirubin), cardiovascular (MAP < 70; no
//   vasopressor data), renal (creatinine), respiration (SpO2/FiO2 for PaO2/FiO2),
//   and their sum/20 -- a part missing scores 0;
// - static/time: age/100, sex (1 male), min(hour, 240)/240, medical ICU,
//   surgical ICU, unit unknown, log(1 + hours in hospital before the ICU)/10;
// - then `extra` (hours x extraFeatures.size(), row-major), when given.
std::vector<float> modelFeatures(const HourlyGrid &g, const FeatureNormalization &n, const VitalsTimeline &t,
                                 const std::vector<float> *extra = nullptr);

// What modelFeatures() had to assume for this record, in words for the risk
// panel: "age not recorded: the model was given 60 years", "sex not recorded:
// ...". Empty when nothing was assumed.
QStringList modelInputNotes(const VitalsTimeline &t);

// Variables the default vitals branch reads: every PhysioNet 2019 vital sign
// and laboratory column.
QStringList defaultModelVariables();

} // namespace cs
