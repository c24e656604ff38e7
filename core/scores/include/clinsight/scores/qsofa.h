#pragma once
// qSOFA (Singer et al. 2016, Sepsis-3): RR >= 22, SBP <= 100, altered
// mentation; positive at 2 or more. Pure function, reentrant.
#include "clinsight/scores/scoreresult.h"

namespace cs {

struct QSofaInputs {
    std::optional<double> respRate, systolic;
    std::optional<bool> alteredMentation;
};
ScoreResult computeQSofa(const QSofaInputs &in);

} // namespace cs
