#include "clinsight/training/alerting.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cs {

namespace {
constexpr double kEarly = -12, kOptimal = -6, kLate = 3, kMaxTp = 1, kMinFn = -2, kFp = -0.05, kTn = 0;

struct Onset { bool septic; double tSepsis; };
Onset onsetOf(const std::vector<int> &label)
{
    const auto first = std::find(label.begin(), label.end(), 1);
    const bool septic = first != label.end();
    return {septic, septic ? double(first - label.begin()) - kOptimal : std::numeric_limits<double>::infinity()};
}

// The challenge's utility of one hour's binary prediction (evaluate_sepsis_score.py, compute_prediction_utility).
double hourUtility(const Onset &o, int t, bool pred)
{
    if (!(t <= o.tSepsis + kLate)) return 0.0;
    const double m1 = kMaxTp / (kOptimal - kEarly), b1 = -m1 * kEarly;
    const double m2 = -kMaxTp / (kLate - kOptimal), b2 = -m2 * kLate;
    const double m3 = kMinFn / (kLate - kOptimal), b3 = -m3 * kOptimal;
    const double dt = t - o.tSepsis;
    if (o.septic && pred) return t <= o.tSepsis + kOptimal ? std::max(m1 * dt + b1, kFp) : m2 * dt + b2;
    if (!o.septic && pred) return kFp;
    if (o.septic) return t <= o.tSepsis + kOptimal ? 0.0 : m3 * dt + b3;
    return kTn;
}

double stayUtility(const std::vector<int> &label, const std::vector<char> &pred)
{
    const Onset o = onsetOf(label);
    double u = 0;
    for (int t = 0; t < int(label.size()); ++t) u += hourUtility(o, t, pred[size_t(t)] != 0);
    return u;
}
} // namespace

UtilityTargets utilityTrainingTargets(const std::vector<int> &label)
{
    const Onset o = onsetOf(label);
    UtilityTargets r;
    for (int t = 0; t < int(label.size()); ++t) {
        const double gain = hourUtility(o, t, true) - hourUtility(o, t, false);
        r.target.push_back(gain > 0 ? 1.f : 0.f);
        r.weight.push_back(float(std::abs(gain) / -kFp));
    }
    return r;
}

double UtilitySums::normalized() const
{
    return best - inaction != 0 ? (observed - inaction) / (best - inaction) : 0.0;
}

UtilitySums physionetUtility(const std::vector<StaySeries> &stays, double threshold)
{
    UtilitySums u;
    for (const auto &s : stays) {
        const size_t n = s.label.size();
        std::vector<char> pred(n, 0), none(n, 0), best(n, 0);
        for (size_t t = 0; t < n && t < s.score.size(); ++t) pred[t] = s.score[t] >= threshold;
        const auto first = std::find(s.label.begin(), s.label.end(), 1);
        if (first != s.label.end()) {
            const long tSepsis = long(first - s.label.begin()) - long(kOptimal);
            for (long t = std::max(0L, tSepsis + long(kEarly)); t < std::min(long(n), tSepsis + long(kLate) + 1); ++t) best[size_t(t)] = 1;
        }
        u.observed += stayUtility(s.label, pred);
        u.best += stayUtility(s.label, best);
        u.inaction += stayUtility(s.label, none);
    }
    return u;
}

double utilityOptimalThreshold(const std::vector<StaySeries> &stays, double *bestUtility)
{
    std::vector<double> all;
    for (const auto &s : stays) all.insert(all.end(), s.score.begin(), s.score.end());
    if (all.empty()) return 0.5;
    std::sort(all.begin(), all.end());
    double bestT = all.back(), bestU = -std::numeric_limits<double>::infinity();
    // 400 candidates on the quantiles of the scores (alerting on 0.25% ... 100% of hours)
    for (int q = 1; q <= 400; ++q) {
        const double t = all[std::min(all.size() - 1, size_t(double(all.size()) * (1.0 - q / 400.0)))];
        const double u = physionetUtility(stays, t).normalized();
        if (u > bestU) { bestU = u; bestT = t; }
    }
    if (bestUtility) *bestUtility = bestU;
    return bestT;
}

OperatingPoint operatingPoint(const std::vector<StaySeries> &stays, double threshold)
{
    OperatingPoint o;
    o.threshold = threshold;
    o.normalizedUtility = physionetUtility(stays, threshold).normalized();
    double tp = 0, fp = 0, pos = 0, hours = 0, alerts = 0, detected = 0;
    std::vector<double> warnings;
    for (const auto &s : stays) {
        const size_t n = std::min(s.label.size(), s.score.size());
        hours += double(n);
        bool prev = false;
        for (size_t t = 0; t < n; ++t) {
            const bool a = s.score[t] >= threshold;
            if (a && !prev) ++alerts;
            prev = a;
            if (s.label[t] == 1) { ++pos; if (a) ++tp; }
            else if (a) ++fp;
        }
        const auto first = std::find(s.label.begin(), s.label.begin() + long(n), 1);
        if (first == s.label.begin() + long(n)) continue;
        ++o.septicStays;
        const long onset = long(first - s.label.begin()) - long(kOptimal);   // clinical onset: 6 h after the first label
        long alertAt = -1;
        for (size_t t = 0; t < n && long(t) <= onset + long(kLate); ++t)
            if (s.score[t] >= threshold) { alertAt = long(t); break; }
        if (alertAt >= 0) {
            ++detected;
            if (alertAt <= onset) warnings.push_back(double(onset - alertAt));
        }
    }
    o.stays = int(stays.size());
    o.patientDays = int(std::lround(hours / 24.0));
    o.hourSensitivity = pos > 0 ? tp / pos : 0;
    o.hourPpv = tp + fp > 0 ? tp / (tp + fp) : 0;
    o.staySensitivity = o.septicStays > 0 ? detected / o.septicStays : 0;
    o.alertsPer100PatientDays = hours > 0 ? alerts / (hours / 24.0) * 100.0 : 0;
    if (!warnings.empty()) {
        std::sort(warnings.begin(), warnings.end());
        const size_t m = warnings.size() / 2;
        o.medianWarningHours = warnings.size() % 2 ? warnings[m] : (warnings[m - 1] + warnings[m]) / 2;
    }
    return o;
}

QJsonObject OperatingPoint::toJson() const
{
    return {{"threshold", threshold}, {"normalized_utility", normalizedUtility}, {"hour_sensitivity", hourSensitivity},
            {"hour_ppv", hourPpv}, {"stay_sensitivity", staySensitivity},
            {"alerts_per_100_patient_days", alertsPer100PatientDays}, {"median_warning_hours", medianWarningHours},
            {"stays", stays}, {"septic_stays", septicStays}, {"patient_days", patientDays}};
}

QJsonArray reliabilityTable(const std::vector<double> &prob, const std::vector<int> &label, int bins)
{
    std::vector<double> cnt(size_t(bins), 0), sp(size_t(bins), 0), sy(size_t(bins), 0);
    for (size_t i = 0; i < prob.size() && i < label.size(); ++i) {
        const int b = std::clamp(int(prob[i] * bins), 0, bins - 1);
        cnt[size_t(b)] += 1;
        sp[size_t(b)] += prob[i];
        sy[size_t(b)] += label[i];
    }
    QJsonArray t;
    for (int b = 0; b < bins; ++b) {
        if (cnt[size_t(b)] == 0) continue;
        t.append(QJsonObject{{"from", double(b) / bins}, {"to", double(b + 1) / bins}, {"n", cnt[size_t(b)]},
                             {"mean_predicted", sp[size_t(b)] / cnt[size_t(b)]}, {"observed", sy[size_t(b)] / cnt[size_t(b)]}});
    }
    return t;
}

} // namespace cs
