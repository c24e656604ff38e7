#include "clinsight/vitals/hourlyfeatures.h"

#include <QJsonArray>
#include <cmath>
#include <limits>

namespace cs {

QStringList defaultModelVariables()
{
    return {var::HR, var::SpO2, var::Temp, var::SBP, var::MAP, var::DBP, var::RR, var::FiO2, var::Lactate,
            var::WBC, QStringLiteral("Creatinine"), QStringLiteral("Platelets"), QStringLiteral("Bilirubin_total"),
            QStringLiteral("BUN"), QStringLiteral("HCO3"), QStringLiteral("pH"), var::PaCO2, QStringLiteral("Glucose"),
            QStringLiteral("Hgb"), QStringLiteral("Potassium")};
}

HourlyGrid buildHourlyGrid(const VitalsTimeline &t, const QStringList &variables, int hours)
{
    HourlyGrid g;
    g.variables = variables;
    if (hours < 0)
        hours = !t.labels.empty() ? t.rowsRead : int(std::floor(t.durationHours())) + 1;
    g.hours = std::max(hours, 0);
    const std::size_t V = variables.size();
    g.value.assign(std::size_t(g.hours) * V, std::numeric_limits<float>::quiet_NaN());
    g.measured.assign(std::size_t(g.hours) * V, 0);
    g.hoursSince.assign(std::size_t(g.hours) * V, -1.f);
    for (std::size_t v = 0; v < V; ++v) {
        auto it = t.series.find(variables[int(v)]);
        if (it == t.series.end()) continue;
        const auto &s = it->second;
        std::size_t k = 0;
        float last = std::numeric_limits<float>::quiet_NaN();
        double lastTime = -1;
        for (int h = 0; h < g.hours; ++h) {
            // every value recorded before the end of hour h (time < h+1)
            while (k < s.size() && s[k].hours < h + 1) {
                last = float(s[k].value);
                lastTime = s[k].hours;
                g.measured[h * V + v] = 1;
                ++k;
            }
            g.value[h * V + v] = last;
            if (lastTime >= 0) g.hoursSince[h * V + v] = float(std::max(0.0, h + 1 - lastTime - 1));
        }
    }
    return g;
}

QStringList FeatureNormalization::featureNames() const
{
    QStringList n;
    for (const auto &v : variables) n << v + QStringLiteral("_z") << v + QStringLiteral("_measured") << v + QStringLiteral("_age");
    n << QStringLiteral("age") << QStringLiteral("sex_male") << QStringLiteral("hour");
    return n;
}

QJsonObject FeatureNormalization::toJson() const
{
    QJsonArray vars, m, s;
    for (int i = 0; i < variables.size(); ++i) {
        vars.append(variables[i]);
        m.append(mean[i]);
        s.append(stdev[i]);
    }
    return {{QStringLiteral("variables"), vars}, {QStringLiteral("mean"), m}, {QStringLiteral("std"), s},
            {QStringLiteral("features"), QJsonArray::fromStringList(featureNames())}};
}

Result<FeatureNormalization> FeatureNormalization::fromJson(const QJsonObject &o)
{
    FeatureNormalization n;
    const QJsonArray vars = o.value(QLatin1String("variables")).toArray();
    const QJsonArray m = o.value(QLatin1String("mean")).toArray(), s = o.value(QLatin1String("std")).toArray();
    if (vars.isEmpty() || vars.size() != m.size() || vars.size() != s.size())
        return makeError(Error::Code::Format, {}, QStringLiteral("normalization"),
                         QStringLiteral("variables, mean and std must be non-empty and of equal length"));
    for (int i = 0; i < vars.size(); ++i) {
        n.variables << vars[i].toString();
        n.mean.push_back(m[i].toDouble());
        const double sd = s[i].toDouble();
        if (!(sd > 0))
            return makeError(Error::Code::Invalid, {}, QStringLiteral("normalization.std[%1]").arg(i), QStringLiteral("must be > 0"));
        n.stdev.push_back(sd);
    }
    return n;
}

FeatureNormalization fitNormalization(const std::vector<HourlyGrid> &grids, const QStringList &variables)
{
    FeatureNormalization n;
    n.variables = variables;
    const std::size_t V = variables.size();
    std::vector<double> sum(V, 0), sq(V, 0), cnt(V, 0);
    for (const auto &g : grids)
        for (int h = 0; h < g.hours; ++h)
            for (std::size_t v = 0; v < V; ++v)
                if (g.measured[h * V + v]) {
                    const double x = g.value[h * V + v];
                    sum[v] += x; sq[v] += x * x; cnt[v] += 1;
                }
    for (std::size_t v = 0; v < V; ++v) {
        const double mu = cnt[v] > 0 ? sum[v] / cnt[v] : 0;
        const double var = cnt[v] > 1 ? std::max(0.0, sq[v] / cnt[v] - mu * mu) : 1.0;
        n.mean.push_back(mu);
        n.stdev.push_back(std::sqrt(var) > 1e-6 ? std::sqrt(var) : 1.0);
    }
    return n;
}

std::vector<float> modelFeatures(const HourlyGrid &g, const FeatureNormalization &n, const VitalsTimeline &t)
{
    const int F = n.featureCount();
    const std::size_t V = g.variables.size();
    std::vector<float> f(std::size_t(g.hours) * F, 0.f);
    const float age = t.age ? float(*t.age / 100.0) : 0.6f;
    // Missing sex is given midway (0.5), never silently female; see modelInputNotes().
    const float sex = t.sex == QLatin1String("M") ? 1.f : t.sex == QLatin1String("F") ? 0.f : 0.5f;
    for (int h = 0; h < g.hours; ++h) {
        float *row = f.data() + std::size_t(h) * F;
        for (std::size_t v = 0; v < V; ++v) {
            const float x = g.value[h * V + v];
            const float since = g.hoursSince[h * V + v];
            if (!std::isnan(x)) {
                float z = float((x - n.mean[v]) / n.stdev[v]);
                row[3 * v] = std::clamp(z, -6.f, 6.f);
            }
            row[3 * v + 1] = g.measured[h * V + v] ? 1.f : 0.f;
            row[3 * v + 2] = since < 0 ? 1.f : std::min(since, 24.f) / 24.f;
        }
        row[3 * V] = age;
        row[3 * V + 1] = sex;
        row[3 * V + 2] = std::min(float(h), 240.f) / 240.f;
    }
    return f;
}

QStringList modelInputNotes(const VitalsTimeline &t)
{
    QStringList n;
    if (!t.age) n << QStringLiteral("age not recorded: the vitals model was given 60 years");
    if (t.sex != QLatin1String("M") && t.sex != QLatin1String("F"))
        n << QStringLiteral("sex not recorded: the vitals model was given 0.5, midway between female (0) and male (1)");
    return n;
}

} // namespace cs
