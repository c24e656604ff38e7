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
    QJsonObject toJson() const;
    static Result<FeatureNormalization> fromJson(const QJsonObject &o);
    int featureCount() const { return int(variables.size()) * 3 + 3; }
    QStringList featureNames() const;
};

// Fits mean/stdev of each variable over the measured values of the grids.
FeatureNormalization fitNormalization(const std::vector<HourlyGrid> &grids, const QStringList &variables);

// Model input, hours x featureCount(): per variable the z-scored carried
// value (0 before the first measurement), the measured mask, and
// min(hours since, 24)/24 (1 before the first measurement); then three
// static/time columns: age/100, sex (1 male), min(hour, 240)/240.
std::vector<float> modelFeatures(const HourlyGrid &g, const FeatureNormalization &n, const VitalsTimeline &t);

// What modelFeatures() had to assume for this record, in words for the risk
// panel: "age not recorded: the model was given 60 years", "sex not recorded:
// ...". Empty when nothing was assumed.
QStringList modelInputNotes(const VitalsTimeline &t);

// Variables the default vitals branch reads (PhysioNet 2019 vitals and the
// labs that NEWS2/SIRS/sepsis guidelines use).
QStringList defaultModelVariables();

} // namespace cs
