#include "clinsight/model/vitalsinput.h"

#include "clinsight/scores/hourlyscores.h"

namespace cs {

namespace {
// NEWS2 (7 components) and qSOFA (3) in the order the scores report them.
constexpr int kNews2Components = 7, kQsofaComponents = 3;
} // namespace

QStringList scoreFeatureNames()
{
    QStringList n;
    for (int i = 0; i < kNews2Components; ++i) n << QStringLiteral("news2_component%1_points").arg(i + 1);
    n << QStringLiteral("news2_total") << QStringLiteral("news2_missing_components");
    for (int i = 0; i < kQsofaComponents; ++i) n << QStringLiteral("qsofa_component%1_points").arg(i + 1);
    n << QStringLiteral("qsofa_total");
    return n;
}

VitalsInput vitalsModelInput(const VitalsTimeline &t, const FeatureNormalization &n, int hours)
{
    const HourlyGrid g = buildHourlyGrid(t, n.variables, hours);
    VitalsInput in;
    in.hours = g.hours;
    std::vector<float> extra;
    const int E = int(n.extraFeatures.size());
    if (E > 0 && g.hours > 0) {
        // Only the columns the bundle was trained with, by name (a bundle without them has none).
        const QStringList names = scoreFeatureNames();
        extra.assign(std::size_t(g.hours) * std::size_t(E), 0.f);
        const auto scores = scoreTimeline(t, g.hours);
        for (int h = 0; h < g.hours && h < int(scores.size()); ++h) {
            std::vector<float> row;
            const auto &nw = scores[std::size_t(h)].news2;
            const auto &qs = scores[std::size_t(h)].qsofa;
            for (int i = 0; i < kNews2Components; ++i)
                row.push_back(i < int(nw.components.size()) ? float(nw.components[std::size_t(i)].points) / 3.f : 0.f);
            row.push_back(float(nw.points) / 20.f);
            row.push_back(float(nw.missingCount) / float(kNews2Components));
            for (int i = 0; i < kQsofaComponents; ++i)
                row.push_back(i < int(qs.components.size()) ? float(qs.components[std::size_t(i)].points) : 0.f);
            row.push_back(float(qs.points) / 3.f);
            for (int e = 0; e < E; ++e) {
                const int k = names.indexOf(n.extraFeatures[e]);
                extra[std::size_t(h) * std::size_t(E) + std::size_t(e)] = k >= 0 ? row[std::size_t(k)] : 0.f;
            }
        }
    }
    in.features = modelFeatures(g, n, t, &extra);
    return in;
}

} // namespace cs
