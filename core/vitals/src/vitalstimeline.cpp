#include "clinsight/vitals/vitalstimeline.h"

#include <algorithm>
#include <cmath>

namespace cs {

QString canonicalUnit(const QString &v)
{
    if (v == var::HR || v == var::RR) return QStringLiteral("/min");
    if (v == var::SBP || v == var::DBP || v == var::MAP || v == var::EtCO2 || v == var::PaCO2) return QStringLiteral("mmHg");
    if (v == var::SpO2) return QStringLiteral("%");
    if (v == var::Temp) return QStringLiteral("°C");
    if (v == var::FiO2) return QStringLiteral("fraction");
    if (v == var::GCS) return QStringLiteral("points");
    if (v == var::WBC) return QStringLiteral("10^9/L");
    if (v == var::Lactate) return QStringLiteral("mmol/L");
    return {};
}

std::optional<std::pair<double, double>> plausibleRange(const QString &v)
{
    if (v == var::HR) return std::pair{20.0, 300.0};
    if (v == var::SBP) return std::pair{40.0, 300.0};
    if (v == var::DBP) return std::pair{10.0, 200.0};
    if (v == var::MAP) return std::pair{20.0, 250.0};
    if (v == var::SpO2) return std::pair{50.0, 100.0};
    if (v == var::RR) return std::pair{1.0, 80.0};
    if (v == var::Temp) return std::pair{25.0, 45.0};
    if (v == var::EtCO2) return std::pair{0.0, 150.0};
    if (v == var::FiO2) return std::pair{0.21, 1.0};
    if (v == var::OnO2) return std::pair{0.0, 1.0};
    if (v == var::AVPU) return std::pair{0.0, 4.0};
    if (v == var::GCS) return std::pair{3.0, 15.0};
    if (v == var::WBC) return std::pair{0.0, 500.0};
    if (v == var::PaCO2) return std::pair{5.0, 200.0};
    if (v == var::Lactate) return std::pair{0.0, 40.0};
    return std::nullopt;
}

Result<double> toCanonicalUnit(const QString &v, double x, const QString &unitIn)
{
    const QString u = unitIn.trimmed().toLower();
    auto bad = [&] {
        return makeError(Error::Code::Invalid, {}, QStringLiteral("unit"),
                         QStringLiteral("unknown unit '%1' for %2").arg(unitIn, v));
    };
    if (u.isEmpty()) return x;
    if (v == var::HR || v == var::RR) {
        static const QStringList ok = {"/min", "1/min", "bpm", "beats/min", "{beats}/min", "breaths/min", "{breaths}/min", "min-1"};
        return ok.contains(u) ? Result<double>(x) : bad();
    }
    if (v == var::SBP || v == var::DBP || v == var::MAP || v == var::EtCO2 || v == var::PaCO2) {
        if (u == "mmhg" || u == "mm[hg]" || u == "mm hg") return x;
        if (u == "kpa") return x * 7.50062;
        return bad();
    }
    if (v == var::SpO2) return u == "%" ? Result<double>(x) : bad();
    if (v == var::Temp) {
        if (u == "cel" || u == "°c" || u == "c" || u == "degc" || u == "[degc]") return x;
        if (u == "[degf]" || u == "°f" || u == "f" || u == "degf") return (x - 32.0) * 5.0 / 9.0;
        return bad();
    }
    if (v == var::FiO2) {
        if (u == "1" || u == "fraction" || u == "{fraction}") return x;
        if (u == "%") return x / 100.0;
        return bad();
    }
    if (v == var::GCS) return (u == "{score}" || u == "points" || u == "1") ? Result<double>(x) : bad();
    if (v == var::WBC) return (u == "10*9/l" || u == "10^9/l" || u == "10*3/ul" || u == "k/ul" || u == "10^3/ul") ? Result<double>(x) : bad();
    if (v == var::Lactate) {
        if (u == "mmol/l") return x;
        if (u == "mg/dl") return x / 9.008;
        return bad();
    }
    return x; // other labs: kept in the unit given
}

void VitalsTimeline::addExcluded(const QString &variable, double hours, const QString &raw, const QString &unit,
                                 const QString &source, const QString &reason)
{
    excluded.push_back({variable, hours, raw, unit, source, reason});
}

void VitalsTimeline::addRaw(const QString &variable, double hours, double value, const QString &unit, const QString &source)
{
    const QString raw = QString::number(value);
    if (!std::isfinite(value) || !std::isfinite(hours)) {
        addExcluded(variable, hours, raw, unit, source, QStringLiteral("not a finite number"));
        return;
    }
    double v = value;
    if (variable == var::FiO2 && unit.isEmpty() && v > 1.0 && v <= 100.0) {
        v /= 100.0;  // FiO2 recorded as a percentage
        cleaningLog << QStringLiteral("%1: FiO2 %2 read as %3 (percent to fraction)").arg(source, raw).arg(v);
    }
    auto conv = toCanonicalUnit(variable, v, unit);
    if (!conv) {
        addExcluded(variable, hours, raw, unit, source, conv.error().reason);
        return;
    }
    if (conv.value() != v)
        cleaningLog << QStringLiteral("%1: %2 %3 %4 converted to %5 %6").arg(source, variable, raw, unit)
                           .arg(conv.value(), 0, 'f', 2).arg(canonicalUnit(variable));
    v = conv.value();
    if (const auto range = plausibleRange(variable); range && (v < range->first || v > range->second)) {
        addExcluded(variable, hours, raw, unit, source,
                    QStringLiteral("implausible: %1 %2 %3 outside %4-%5").arg(variable).arg(v, 0, 'g', 5)
                        .arg(canonicalUnit(variable)).arg(range->first).arg(range->second));
        return;
    }
    if (hours < 0) {
        addExcluded(variable, hours, raw, unit, source, QStringLiteral("time before the start of the record"));
        return;
    }
    series[variable].push_back({hours, v, source});
}

void VitalsTimeline::finalize()
{
    for (auto &[name, s] : series) {
        if (!std::is_sorted(s.begin(), s.end(), [](const auto &a, const auto &b) { return a.hours < b.hours; }))
            cleaningLog << QStringLiteral("%1: values out of time order were sorted").arg(name);
        std::stable_sort(s.begin(), s.end(), [](const auto &a, const auto &b) { return a.hours < b.hours; });
        std::vector<VitalSample> merged;
        for (size_t i = 0; i < s.size();) {
            size_t j = i;
            double sum = 0;
            while (j < s.size() && s[j].hours == s[i].hours) sum += s[j++].value;
            VitalSample m = s[i];
            if (j - i > 1) {
                m.value = sum / double(j - i);
                cleaningLog << QStringLiteral("%1 at %2 h: %3 values at the same time merged to their mean %4")
                                   .arg(name).arg(s[i].hours, 0, 'f', 2).arg(j - i).arg(m.value, 0, 'g', 5);
            }
            merged.push_back(m);
            i = j;
        }
        s = std::move(merged);
    }
}

VitalsTimeline VitalsTimeline::truncatedTo(int hours) const
{
    VitalsTimeline t = *this;
    for (auto &[k, s] : t.series)
        s.erase(std::remove_if(s.begin(), s.end(), [hours](const VitalSample &x) { return x.hours >= hours; }), s.end());
    if (int(t.labels.size()) > hours) t.labels.resize(std::size_t(hours));
    t.rowsRead = std::min(t.rowsRead, hours);
    t.coveredHours = std::min(t.coveredHours, hours);
    return t;
}

VitalsTimeline VitalsTimeline::withHoursBlanked(const std::vector<int> &hours) const
{
    VitalsTimeline t = *this;
    t.coveredHours = std::max(coveredHours, !labels.empty() ? rowsRead : int(std::floor(durationHours())) + 1);
    for (auto &[k, s] : t.series)
        s.erase(std::remove_if(s.begin(), s.end(), [&hours](const VitalSample &x) {
                    return std::find(hours.begin(), hours.end(), int(std::floor(x.hours))) != hours.end();
                }), s.end());
    return t;
}

double VitalsTimeline::durationHours() const
{
    double d = 0;
    for (const auto &[n, s] : series)
        if (!s.empty()) d = std::max(d, s.back().hours);
    return d;
}

int VitalsTimeline::sampleCount() const
{
    int n = 0;
    for (const auto &[k, s] : series) n += int(s.size());
    return n;
}

int VitalsTimeline::sampleCount(const QString &variable) const
{
    auto it = series.find(variable);
    return it == series.end() ? 0 : int(it->second.size());
}

std::optional<VitalSample> VitalsTimeline::latest(const QString &variable, double hours, double maxAgeHours) const
{
    auto it = series.find(variable);
    if (it == series.end()) return std::nullopt;
    const auto &s = it->second;
    auto pos = std::upper_bound(s.begin(), s.end(), hours, [](double h, const VitalSample &x) { return h < x.hours; });
    if (pos == s.begin()) return std::nullopt;
    --pos;
    if (hours - pos->hours > maxAgeHours) return std::nullopt;
    return *pos;
}

} // namespace cs
