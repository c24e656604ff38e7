#include "clinsight/scores/qsofa.h"

#include "scorecomponents_p.h"

namespace cs {

using namespace scoring;

ScoreResult computeQSofa(const QSofaInputs &in)
{
    ScoreResult r;
    r.name = QStringLiteral("qSOFA");
    r.components.push_back(component(QStringLiteral("Respiratory rate >= 22"), in.respRate, QStringLiteral("/min"),
                                     [](double x) { return whole(x) >= 22 ? 1 : 0; }));
    r.components.push_back(component(QStringLiteral("Systolic BP <= 100"), in.systolic, QStringLiteral("mmHg"),
                                     [](double x) { return whole(x) <= 100 ? 1 : 0; }));
    std::optional<double> mental;
    if (in.alteredMentation) mental = *in.alteredMentation ? 1 : 0;
    r.components.push_back(component(QStringLiteral("Altered mentation"), mental, QStringLiteral("1 = altered"),
                                     [](double x) { return x > 0 ? 1 : 0; }));
    total(r);
    r.alert = r.points >= 2;
    r.band = r.alert ? QStringLiteral("positive") : QStringLiteral("negative");
    return r;
}

} // namespace cs
