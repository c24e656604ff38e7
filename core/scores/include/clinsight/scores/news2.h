#pragma once
// NEWS2 (Royal College of Physicians 2017): respiration rate, SpO2 (scale 1,
// or scale 2 for a prescribed target of 88-92%), air/oxygen, systolic BP,
// pulse, consciousness (ACVPU), temperature. Pure function, reentrant.
#include "clinsight/scores/scoreresult.h"

namespace cs {

enum class SpO2Scale { Scale1, Scale2 };

struct News2Inputs {
    std::optional<double> respRate, spo2, systolic, pulse, temperature;
    std::optional<bool> onOxygen;
    std::optional<int> avpu;    // 0 Alert, 1 new Confusion, 2 Voice, 3 Pain, 4 Unresponsive
    SpO2Scale scale = SpO2Scale::Scale1;
};
ScoreResult computeNews2(const News2Inputs &in);

} // namespace cs
