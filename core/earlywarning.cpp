#include "earlywarning.h"

#include <cmath>

namespace cs {

QString ScoreResult::completeness() const
{
    return QStringLiteral("%1/%2 components").arg(int(components.size()) - missingCount).arg(components.size());
}

namespace {

ScoreComponent component(const QString &name, std::optional<double> v, const QString &unit, int (*points)(double))
{
    ScoreComponent c;
    c.parameter = name;
    c.unit = unit;
    c.value = v;
    c.missing = !v.has_value();
    c.points = v ? points(*v) : 0;
    return c;
}

void total(ScoreResult &r)
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
double whole(double v) { return std::round(v); }

} // namespace

ScoreResult computeNews2(const News2Inputs &in)
{
    ScoreResult r;
    r.name = QStringLiteral("NEWS2");
    r.components.push_back(component(QStringLiteral("Respiration rate"), in.respRate, QStringLiteral("/min"), [](double x) {
        x = whole(x);
        return x <= 8 ? 3 : x <= 11 ? 1 : x <= 20 ? 0 : x <= 24 ? 2 : 3;
    }));
    {
        ScoreComponent c;
        c.parameter = in.scale == SpO2Scale::Scale1 ? QStringLiteral("SpO2 scale 1") : QStringLiteral("SpO2 scale 2");
        c.unit = QStringLiteral("%");
        c.value = in.spo2;
        c.missing = !in.spo2.has_value();
        if (in.spo2) {
            const double x = whole(*in.spo2);
            if (in.scale == SpO2Scale::Scale1) {
                c.points = x <= 91 ? 3 : x <= 93 ? 2 : x <= 95 ? 1 : 0;
            } else if (x <= 83) {
                c.points = 3;
            } else if (x <= 85) {
                c.points = 2;
            } else if (x <= 87) {
                c.points = 1;
            } else if (x <= 92) {
                c.points = 0;
            } else if (!in.onOxygen.has_value()) {
                // >= 93 on scale 2 scores 0 on air but 1-3 on oxygen: unknown without the oxygen status.
                c.missing = true;
            } else if (!*in.onOxygen) {
                c.points = 0;
            } else {
                c.points = x <= 94 ? 1 : x <= 96 ? 2 : 3;
            }
        }
        r.components.push_back(c);
    }
    {
        ScoreComponent c;
        c.parameter = QStringLiteral("Air or oxygen");
        c.missing = !in.onOxygen.has_value();
        if (in.onOxygen) { c.value = *in.onOxygen ? 1 : 0; c.points = *in.onOxygen ? 2 : 0; }
        c.unit = QStringLiteral("1 = oxygen");
        r.components.push_back(c);
    }
    r.components.push_back(component(QStringLiteral("Systolic blood pressure"), in.systolic, QStringLiteral("mmHg"), [](double x) {
        x = whole(x);
        return x <= 90 ? 3 : x <= 100 ? 2 : x <= 110 ? 1 : x <= 219 ? 0 : 3;
    }));
    r.components.push_back(component(QStringLiteral("Pulse"), in.pulse, QStringLiteral("/min"), [](double x) {
        x = whole(x);
        return x <= 40 ? 3 : x <= 50 ? 1 : x <= 90 ? 0 : x <= 110 ? 1 : x <= 130 ? 2 : 3;
    }));
    {
        std::optional<double> avpu;
        if (in.avpu) avpu = *in.avpu;
        r.components.push_back(component(QStringLiteral("Consciousness (ACVPU)"), avpu, QStringLiteral("0 = alert"),
                                         [](double x) { return x > 0 ? 3 : 0; }));
    }
    r.components.push_back(component(QStringLiteral("Temperature"), in.temperature, QStringLiteral("°C"), [](double x) {
        x = std::round(x * 10.0) / 10.0;
        return x <= 35.0 ? 3 : x <= 36.0 ? 1 : x <= 38.0 ? 0 : x <= 39.0 ? 1 : 2;
    }));
    total(r);
    bool anyThree = false;
    for (const auto &c : r.components) anyThree = anyThree || c.points == 3;
    if (r.points >= 7) r.band = QStringLiteral("high");
    else if (r.points >= 5) r.band = QStringLiteral("medium");
    else if (anyThree) r.band = QStringLiteral("low-medium");
    else r.band = QStringLiteral("low");
    r.alert = r.points >= 5 || anyThree;
    return r;
}

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

std::vector<HourlyScores> scoreTimeline(const VitalsTimeline &t, int hours, SpO2Scale scale, const ScoreStaleness &st)
{
    std::vector<HourlyScores> out;
    out.reserve(std::max(0, hours));
    auto val = [&t](const QString &v, double h, double age) -> std::optional<double> {
        auto s = t.latest(v, h, age);
        return s ? std::optional<double>(s->value) : std::nullopt;
    };
    for (int h = 0; h < hours; ++h) {
        const double end = h + 0.999999;  // values recorded within hour h count at hour h, none after
        News2Inputs n;
        n.scale = scale;
        n.respRate = val(var::RR, end, st.vitalsHours);
        n.spo2 = val(var::SpO2, end, st.vitalsHours);
        n.systolic = val(var::SBP, end, st.vitalsHours);
        n.pulse = val(var::HR, end, st.vitalsHours);
        n.temperature = val(var::Temp, end, st.vitalsHours);
        const auto onO2 = t.latest(var::OnO2, end, st.vitalsHours);
        const auto fio2 = t.latest(var::FiO2, end, st.vitalsHours);
        if (onO2 && (!fio2 || onO2->hours >= fio2->hours)) n.onOxygen = onO2->value > 0.5;
        else if (fio2) n.onOxygen = fio2->value > 0.215;
        const auto avpu = t.latest(var::AVPU, end, st.mentalHours);
        const auto gcs = t.latest(var::GCS, end, st.mentalHours);
        if (avpu && (!gcs || avpu->hours >= gcs->hours)) n.avpu = int(std::lround(avpu->value));
        else if (gcs) n.avpu = gcs->value >= 15 ? 0 : (gcs->value >= 13 ? 1 : (gcs->value >= 9 ? 2 : (gcs->value >= 4 ? 3 : 4)));
        HourlyScores hs;
        hs.hour = h;
        hs.news2 = computeNews2(n);
        QSofaInputs q;
        q.respRate = n.respRate;
        q.systolic = n.systolic;
        if (n.avpu) q.alteredMentation = *n.avpu > 0;
        hs.qsofa = computeQSofa(q);
        SirsInputs s;
        s.temperature = n.temperature;
        s.heartRate = n.pulse;
        s.respRate = n.respRate;
        s.paco2 = val(var::PaCO2, end, st.labsHours);
        s.wbc = val(var::WBC, end, st.labsHours);
        hs.sirs = computeSirs(s);
        out.push_back(std::move(hs));
    }
    return out;
}

} // namespace cs
