#pragma once
// Private: building score components and totals, shared by NEWS2, qSOFA and SIRS.
#include "clinsight/scores/scoreresult.h"

#include <cmath>

namespace cs::scoring {

inline ScoreComponent component(const QString &name, std::optional<double> v, const QString &unit, int (*points)(double))
{
    ScoreComponent c;
    c.parameter = name;
    c.unit = unit;
    c.value = v;
    c.missing = !v.has_value();
    c.points = v ? points(*v) : 0;
    return c;
}

inline void total(ScoreResult &r)
{
    r.points = 0;
    r.missingCount = 0;
    for (const auto &c : r.components) {
        r.points += c.points;
        r.missingCount += c.missing ? 1 : 0;
    }
    r.partial = r.missingCount > 0;
}

// Charted values are integers for these parameters and one decimal for
// temperature (RCP 2017 chart); round before banding so 90.4 bpm scores as 90.
inline double whole(double v) { return std::round(v); }

} // namespace cs::scoring
