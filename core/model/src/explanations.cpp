// The faithfulness tests that need no LibTorch (explanations.h): attention
// perturbation, the vitals explanation at one hour, the workstation's "what
// if", rank statistics and the sentences the workstation shows.
#include "clinsight/model/explanations.h"
#include "clinsight/model/hybridmodel.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace cs {

QString patchFillName(PatchFill f)
{
    switch (f) {
    case PatchFill::Blurred: return QStringLiteral("blurred copy of the image");
    case PatchFill::MeanGrey: return QStringLiteral("training mean grey");
    case PatchFill::Darkest: return QStringLiteral("the image's darkest value");
    }
    return {};
}

bool AttentionCheck::attendedMovedMore() const
{
    return std::abs(attendedBlankedRisk - risk) > std::abs(randomBlankedRisk - risk);
}

std::vector<int> mostAttendedHours(const std::vector<float> &attention, int k)
{
    std::vector<int> idx(attention.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return attention[size_t(a)] > attention[size_t(b)]; });
    idx.resize(std::min(idx.size(), size_t(std::max(0, k))));
    return idx;
}

double curveArea(const std::vector<double> &y)
{
    if (y.size() < 2) return y.empty() ? 0.0 : y.front();
    double a = 0;
    for (size_t i = 1; i < y.size(); ++i) a += 0.5 * (y[i - 1] + y[i]);
    return a / double(y.size() - 1);
}

namespace {
std::vector<double> averageRanks(const std::vector<float> &v)
{
    std::vector<size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
        for (size_t k = i; k <= j; ++k) r[idx[k]] = 0.5 * double(i + j);
        i = j + 1;
    }
    return r;
}
} // namespace

double spearmanCorrelation(const std::vector<float> &a, const std::vector<float> &b)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (a.size() != b.size() || a.size() < 2) return nan;
    const auto ra = averageRanks(a), rb = averageRanks(b);
    const double n = double(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n, mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    if (saa <= 0 || sbb <= 0) return nan;
    return sab / std::sqrt(saa * sbb);
}

namespace {
// The record as it stood at the end of `hour`, keeping that hour even when nothing was charted in it.
VitalsTimeline upToHour(const VitalsTimeline &t, int hour)
{
    VitalsTimeline cut = t.truncatedTo(hour + 1);
    cut.coveredHours = hour + 1;
    return cut;
}
QString recordName(const VitalsTimeline &t) { return t.sourceFile.isEmpty() ? t.patientId : t.sourceFile; }
} // namespace

Result<VitalsExplanation> explainVitalsAt(const HybridModel &model, const VitalsTimeline &t, int hour)
{
    auto full = model.scoreVitals(t);
    if (!full) return full.error();
    if (!full->applicable)
        return makeError(Error::Code::Invalid, recordName(t), {}, full->notApplicableReason);
    if (hour < 0 || hour >= full->hours)
        return makeError(Error::Code::Invalid, recordName(t), QStringLiteral("hour"),
                         QStringLiteral("hour %1 is out of range: the record has hours 0..%2").arg(hour).arg(full->hours - 1));
    auto cut = model.scoreVitals(upToHour(t, hour));
    if (!cut) return cut.error();
    if (!cut->applicable || cut->hours != hour + 1)
        return makeError(Error::Code::Internal, recordName(t), {}, QStringLiteral("the record cut after hour %1 did not score %2 hours").arg(hour).arg(hour + 1));
    VitalsExplanation e;
    e.hour = hour;
    e.risk = cut->riskPerHour.back();
    e.alert = cut->alertPerHour.back() != 0;
    e.attention = cut->attention;
    return e;
}

Result<AttentionCheck> checkAttention(const HybridModel &model, const VitalsTimeline &t, int hour, std::uint64_t seed)
{
    if (hour + 1 <= kBlankedHours)
        return makeError(Error::Code::Invalid, recordName(t), QStringLiteral("hour"),
                         QStringLiteral("hour %1: blanking %2 of %3 hours leaves nothing to compare").arg(hour).arg(kBlankedHours).arg(hour + 1));
    auto ex = explainVitalsAt(model, t, hour);
    if (!ex) return ex.error();
    AttentionCheck c;
    c.hour = hour;
    c.risk = ex->risk;
    c.attendedHours = mostAttendedHours(ex->attention, kBlankedHours);
    std::vector<int> all(size_t(hour) + 1);
    std::iota(all.begin(), all.end(), 0);
    std::mt19937_64 rng(seed);
    std::shuffle(all.begin(), all.end(), rng);
    c.randomHours.assign(all.begin(), all.begin() + kBlankedHours);
    const VitalsTimeline cut = upToHour(t, hour);
    auto r = model.scoreVitalsBatch({cut.withHoursBlanked(c.attendedHours), cut.withHoursBlanked(c.randomHours)});
    if (!r) return r.error();
    for (const auto &v : r.value())
        if (!v.applicable || v.hours != hour + 1)
            return makeError(Error::Code::Internal, recordName(t), {}, QStringLiteral("a blanked copy did not keep its %1 hours").arg(hour + 1));
    c.attendedBlankedRisk = r.value()[0].riskPerHour.back();
    c.randomBlankedRisk = r.value()[1].riskPerHour.back();
    return c;
}

Result<WhatIfBlanked> rescoreWithoutMostAttended(const HybridModel &model, const VitalsTimeline &t, int hours)
{
    auto before = model.scoreVitals(t);
    if (!before) return before.error();
    if (!before->applicable) return makeError(Error::Code::Invalid, recordName(t), {}, before->notApplicableReason);
    WhatIfBlanked w;
    w.blankedHours = mostAttendedHours(before->attention, hours);
    auto after = model.scoreVitals(t.withHoursBlanked(w.blankedHours));
    if (!after) return after.error();
    if (!after->applicable || after->hours != before->hours)
        return makeError(Error::Code::Internal, recordName(t), {}, QStringLiteral("the blanked record did not keep its %1 hours").arg(before->hours));
    w.riskBefore = before->riskPerHour.back();
    w.riskAfter = after->riskPerHour.back();
    w.alertBefore = before->alertPerHour.back() != 0;
    w.alertAfter = after->alertPerHour.back() != 0;
    std::sort(w.blankedHours.begin(), w.blankedHours.end());
    return w;
}

ExplanationFaithfulness explanationFaithfulness(const QJsonObject &manifest)
{
    ExplanationFaithfulness f;
    const QJsonObject ev = manifest.value(QLatin1String("evaluation")).toObject();
    const QJsonObject img = ev.value(QLatin1String("image")).toObject().value(QLatin1String("faithfulness")).toObject();
    if (img.value(QLatin1String("explained")).toInt() > 0)
        f.imageLine = QStringLiteral("Measured faithfulness: on %1 held-out pneumonia radiographs the model flagged, hiding the "
                                     "highlighted %2% lowered the risk more than hiding a random %2% in %3% (model card).")
                          .arg(img.value(QLatin1String("explained")).toInt())
                          .arg(int(std::lround(100 * img.value(QLatin1String("hidden_fraction")).toDouble(kHiddenFraction))))
                          .arg(int(std::lround(100 * img.value(QLatin1String("salient_beats_random")).toDouble())));
    const QJsonObject vit = ev.value(QLatin1String("vitals")).toObject().value(QLatin1String("faithfulness")).toObject();
    if (vit.value(QLatin1String("stays")).toInt() > 0)
        f.attentionLine = QStringLiteral("Measured faithfulness: on %1 held-out septic stays, blanking the %2 most-attended hours "
                                         "moved the risk more than blanking %2 random hours in %3% (model card).")
                              .arg(vit.value(QLatin1String("stays")).toInt())
                              .arg(vit.value(QLatin1String("blanked_hours")).toInt(kBlankedHours))
                              .arg(int(std::lround(100 * vit.value(QLatin1String("attended_moved_more")).toDouble())));
    return f;
}

} // namespace cs
