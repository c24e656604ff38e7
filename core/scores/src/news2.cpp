#include "clinsight/scores/news2.h"

#include "scorecomponents_p.h"

namespace cs {

using namespace scoring;

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

} // namespace cs
