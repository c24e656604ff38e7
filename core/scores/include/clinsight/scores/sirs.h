#pragma once
// SIRS (Bone et al. 1992): temperature, heart rate, RR or PaCO2, WBC;
// positive at 2 or more. Pure function, reentrant.
#include "clinsight/scores/scoreresult.h"

namespace cs {

struct SirsInputs {
    std::optional<double> temperature, heartRate, respRate, paco2, wbc;
};
ScoreResult computeSirs(const SirsInputs &in);

} // namespace cs
