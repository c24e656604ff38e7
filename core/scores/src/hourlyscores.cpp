#include "clinsight/scores/hourlyscores.h"

#include <algorithm>
#include <cmath>

namespace cs {

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
