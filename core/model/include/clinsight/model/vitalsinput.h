#pragma once
// The vitals branch's input: the one causal feature builder that training,
// evaluation and the bedside all call. The hourly grid and per-variable,
// trend, SOFA and static features of vitals/hourlyfeatures.h, then the
// NEWS2 and qSOFA component points of scores/ at each hour. Row h uses only
// what was recorded before the end of hour h. Reentrant.
#include "clinsight/vitals/hourlyfeatures.h"
#include "clinsight/vitals/vitalstimeline.h"

#include <vector>

namespace cs {

// Names of the score columns appended to the vitals features (FeatureNormalization::extraFeatures).
QStringList scoreFeatureNames();

struct VitalsInput {
    int hours = 0;
    std::vector<float> features;   // hours x n.featureCount()
};

// hours < 0: as buildHourlyGrid (one row per PhysioNet row, else to the last sample).
VitalsInput vitalsModelInput(const VitalsTimeline &t, const FeatureNormalization &n, int hours = -1);

} // namespace cs
