#include "clinsight/vitals/hourlyfeatures.h"
#include "clinsight/vitals/vitalsimport.h"

#include <QJsonArray>
#include <cmath>
#include <limits>

namespace cs {

QStringList defaultModelVariables()
{
    QStringList v;
    for (const auto &[column, variable] : physioNet2019Columns()) v << variable;
    return v;
}

QStringList trendVariables() { return {var::HR, var::SpO2, var::Temp, var::SBP, var::MAP, var::DBP, var::RR}; }

namespace {
constexpr int kPerVariable = 4, kPerTrend = 7, kDerived = 7, kStatic = 7;
constexpr int kDeltas[] = {1, 3, 6, 12};
constexpr int kWindow = 6;

QStringList presentTrends(const QStringList &variables)
{
    QStringList t;
    for (const QString &v : trendVariables()) if (variables.contains(v)) t << v;
    return t;
}
} // namespace

int FeatureNormalization::featureCount() const
{
    return int(variables.size()) * kPerVariable + int(presentTrends(variables).size()) * kPerTrend + kDerived + kStatic
           + int(extraFeatures.size());
}

HourlyGrid buildHourlyGrid(const VitalsTimeline &t, const QStringList &variables, int hours)
{
    HourlyGrid g;
    g.variables = variables;
    if (hours < 0)
        hours = std::max(t.coveredHours, !t.labels.empty() ? t.rowsRead : int(std::floor(t.durationHours())) + 1);
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
    for (const auto &v : variables)
        n << v + QStringLiteral("_z") << v + QStringLiteral("_measured") << v + QStringLiteral("_age") << v + QStringLiteral("_count");
    for (const auto &v : presentTrends(variables)) {
        for (int d : kDeltas) n << QStringLiteral("%1_delta_%2h").arg(v).arg(d);
        n << v + QStringLiteral("_min_6h") << v + QStringLiteral("_max_6h") << v + QStringLiteral("_mean_6h");
    }
    n << QStringLiteral("shock_index") << QStringLiteral("sofa_coagulation") << QStringLiteral("sofa_liver")
      << QStringLiteral("sofa_cardiovascular") << QStringLiteral("sofa_renal") << QStringLiteral("sofa_respiration_sf")
      << QStringLiteral("sofa_partial_total");
    n << QStringLiteral("age") << QStringLiteral("sex_male") << QStringLiteral("hour") << QStringLiteral("unit_medical")
      << QStringLiteral("unit_surgical") << QStringLiteral("unit_unknown") << QStringLiteral("hospital_hours_before_icu");
    n << extraFeatures;
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
            {QStringLiteral("extra_features"), QJsonArray::fromStringList(extraFeatures)},
            {QStringLiteral("feature_set"), QStringLiteral("clinsight-vitals-v2")},
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
    if (o.value(QLatin1String("feature_set")).toString() != QLatin1String("clinsight-vitals-v2"))
        return makeError(Error::Code::Format, {}, QStringLiteral("normalization.feature_set"),
                         QStringLiteral("'%1' is not the feature set this build computes (clinsight-vitals-v2); retrain the bundle")
                             .arg(o.value(QLatin1String("feature_set")).toString()));
    for (const auto &e : o.value(QLatin1String("extra_features")).toArray()) n.extraFeatures << e.toString();
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

namespace {
int sofaPoints(double x, std::initializer_list<double> cuts)   // ascending cuts: points = how many x reaches
{
    int p = 0;
    for (double c : cuts) p += x >= c ? 1 : 0;
    return p;
}
} // namespace

std::vector<float> modelFeatures(const HourlyGrid &g, const FeatureNormalization &n, const VitalsTimeline &t,
                                 const std::vector<float> *extra)
{
    const int F = n.featureCount();
    const std::size_t V = g.variables.size();
    const int E = int(n.extraFeatures.size());
    std::vector<float> f(std::size_t(g.hours) * std::size_t(F), 0.f);
    const float age = t.age ? float(*t.age / 100.0) : 0.6f;
    // Missing sex is given midway (0.5), never silently female; see modelInputNotes().
    const float sex = t.sex == QLatin1String("M") ? 1.f : t.sex == QLatin1String("F") ? 0.f : 0.5f;
    const float medical = t.careUnit == QLatin1String("medical ICU") ? 1.f : 0.f;
    const float surgical = t.careUnit == QLatin1String("surgical ICU") ? 1.f : 0.f;
    const float admission = t.hospitalAdmissionHours ? float(std::log1p(std::max(0.0, -*t.hospitalAdmissionHours)) / 10.0) : 0.f;
    auto z = [&](int h, std::size_t v) {
        const float x = g.value[std::size_t(h) * V + v];
        return std::isnan(x) ? x : std::clamp(float((x - n.mean[v]) / n.stdev[v]), -6.f, 6.f);
    };
    auto raw = [&](int h, const QString &name) {
        const int v = g.variables.indexOf(name);
        return v < 0 ? std::numeric_limits<float>::quiet_NaN() : g.value[std::size_t(h) * V + std::size_t(v)];
    };
    std::vector<std::size_t> trend;
    for (const QString &tv : presentTrends(g.variables)) trend.push_back(std::size_t(g.variables.indexOf(tv)));
    std::vector<int> count(V, 0);
    for (int h = 0; h < g.hours; ++h) {
        float *row = f.data() + std::size_t(h) * std::size_t(F);
        int c = 0;
        for (std::size_t v = 0; v < V; ++v) {
            const float zv = z(h, v);
            const float since = g.hoursSince[std::size_t(h) * V + v];
            count[v] += g.measured[std::size_t(h) * V + v];
            row[c++] = std::isnan(zv) ? 0.f : zv;
            row[c++] = g.measured[std::size_t(h) * V + v] ? 1.f : 0.f;
            row[c++] = since < 0 ? 1.f : std::min(since, 24.f) / 24.f;
            row[c++] = std::min(1.5f, float(std::log1p(count[v]) / std::log(241.0)));
        }
        for (std::size_t v : trend) {
            const float now = z(h, v);
            for (int d : kDeltas) {
                const float then = h - d >= 0 ? z(h - d, v) : std::numeric_limits<float>::quiet_NaN();
                row[c++] = std::isnan(now) || std::isnan(then) ? 0.f : now - then;
            }
            float mn = 0, mx = 0, sum = 0;
            int k = 0;
            for (int hh = std::max(0, h - kWindow + 1); hh <= h; ++hh) {
                const float x = z(hh, v);
                if (std::isnan(x)) continue;
                mn = k ? std::min(mn, x) : x;
                mx = k ? std::max(mx, x) : x;
                sum += x;
                ++k;
            }
            row[c++] = mn;
            row[c++] = mx;
            row[c++] = k ? sum / float(k) : 0.f;
        }
        const float hr = raw(h, var::HR), sbp = raw(h, var::SBP);
        row[c++] = !std::isnan(hr) && !std::isnan(sbp) && sbp > 0 ? std::clamp((hr / sbp - 0.7f) / 0.3f, -6.f, 6.f) : 0.f;
        const float plt = raw(h, QStringLiteral("Platelets")), bili = raw(h, QStringLiteral("Bilirubin_total"));
        const float map = raw(h, var::MAP), crea = raw(h, QStringLiteral("Creatinine"));
        const float spo2 = raw(h, var::SpO2), fio2 = raw(h, var::FiO2);
        int sofa[5] = {
            std::isnan(plt) ? 0 : 4 - sofaPoints(plt, {20, 50, 100, 150}),
            std::isnan(bili) ? 0 : sofaPoints(bili, {1.2, 2.0, 6.0, 12.0}),
            std::isnan(map) ? 0 : (map < 70 ? 1 : 0),
            std::isnan(crea) ? 0 : sofaPoints(crea, {1.2, 2.0, 3.5, 5.0}),
            // SpO2/FiO2 for PaO2/FiO2 (Rice et al. 2007: S/F 512, 357, 214, 89 ~ P/F 400, 300, 200, 100), SpO2 <= 97%
            std::isnan(spo2) || std::isnan(fio2) || fio2 <= 0 || spo2 > 97 ? 0 : 4 - sofaPoints(spo2 / fio2, {89, 214, 357, 512}),
        };
        int total = 0;
        for (int p : sofa) { row[c++] = float(p) / 4.f; total += p; }
        row[c++] = float(total) / 20.f;
        row[c++] = age;
        row[c++] = sex;
        row[c++] = std::min(float(h), 240.f) / 240.f;
        row[c++] = medical;
        row[c++] = surgical;
        row[c++] = medical == 0 && surgical == 0 ? 1.f : 0.f;
        row[c++] = admission;
        for (int e = 0; e < E; ++e)
            row[c++] = extra && extra->size() >= std::size_t(g.hours) * std::size_t(E) ? (*extra)[std::size_t(h) * std::size_t(E) + std::size_t(e)] : 0.f;
    }
    return f;
}

QStringList modelInputNotes(const VitalsTimeline &t)
{
    QStringList n;
    if (!t.age) n << QStringLiteral("age not recorded: the vitals model was given 60 years");
    if (t.sex != QLatin1String("M") && t.sex != QLatin1String("F"))
        n << QStringLiteral("sex not recorded: the vitals model was given 0.5, midway between female (0) and male (1)");
    if (t.careUnit.isEmpty()) n << QStringLiteral("ICU type (medical/surgical) not recorded: the vitals model was told 'unknown'");
    return n;
}

} // namespace cs
