#include "clinsight/scores/sirs.h"

#include "scorecomponents_p.h"

namespace cs {

using namespace scoring;

ScoreResult computeSirs(const SirsInputs &in)
{
    ScoreResult r;
    r.name = QStringLiteral("SIRS");
    r.components.push_back(component(QStringLiteral("Temperature > 38 or < 36"), in.temperature, QStringLiteral("°C"),
                                     [](double x) { return (x > 38.0 || x < 36.0) ? 1 : 0; }));
    r.components.push_back(component(QStringLiteral("Heart rate > 90"), in.heartRate, QStringLiteral("/min"),
                                     [](double x) { return x > 90 ? 1 : 0; }));
    {
        // RR > 20 or PaCO2 < 32 mmHg: met by either; missing only if neither is known
        // and what is known does not meet it.
        ScoreComponent c;
        c.parameter = QStringLiteral("Respiratory rate > 20 or PaCO2 < 32");
        c.unit = QStringLiteral("/min");
        c.value = in.respRate;
        const bool met = (in.respRate && *in.respRate > 20) || (in.paco2 && *in.paco2 < 32);
        c.points = met ? 1 : 0;
        c.missing = !met && !in.respRate;  // a normal PaCO2 alone cannot rule out RR > 20
        r.components.push_back(c);
    }
    r.components.push_back(component(QStringLiteral("WBC > 12 or < 4"), in.wbc, QStringLiteral("10^9/L"),
                                     [](double x) { return (x > 12.0 || x < 4.0) ? 1 : 0; }));
    total(r);
    r.alert = r.points >= 2;
    r.band = r.alert ? QStringLiteral("positive") : QStringLiteral("negative");
    return r;
}

} // namespace cs
