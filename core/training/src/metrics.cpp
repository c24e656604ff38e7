#include "clinsight/training/metrics.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <unordered_map>

namespace cs {

double rocAuc(const std::vector<double> &s, const std::vector<int> &y)
{
    // Mann-Whitney U with average ranks for ties.
    std::vector<size_t> idx(s.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return s[a] < s[b]; });
    double rankSumPos = 0;
    long long pos = 0;
    for (size_t i = 0; i < idx.size();) {
        size_t j = i;
        while (j < idx.size() && s[idx[j]] == s[idx[i]]) ++j;
        const double avgRank = (double(i) + double(j - 1)) / 2.0 + 1.0;
        for (size_t k = i; k < j; ++k)
            if (y[idx[k]]) { rankSumPos += avgRank; ++pos; }
        i = j;
    }
    const long long neg = (long long)s.size() - pos;
    if (pos == 0 || neg == 0) return 0.5;
    return (rankSumPos - double(pos) * (pos + 1) / 2.0) / (double(pos) * double(neg));
}

double expectedCalibrationError(const std::vector<double> &p, const std::vector<int> &y, int bins)
{
    std::vector<double> sumP(bins, 0), sumY(bins, 0), cnt(bins, 0);
    for (size_t i = 0; i < p.size(); ++i) {
        const int b = std::min(bins - 1, std::max(0, int(p[i] * bins)));
        sumP[b] += p[i]; sumY[b] += y[i]; cnt[b] += 1;
    }
    double ece = 0;
    for (int b = 0; b < bins; ++b)
        if (cnt[b] > 0) ece += cnt[b] / double(p.size()) * std::abs(sumP[b] / cnt[b] - sumY[b] / cnt[b]);
    return ece;
}

BinaryMetrics computeMetrics(const std::vector<double> &p, const std::vector<int> &y, double threshold)
{
    BinaryMetrics m;
    m.n = int(p.size());
    m.threshold = threshold;
    for (size_t i = 0; i < p.size(); ++i) {
        const bool pred = p[i] >= threshold;
        m.positives += y[i];
        if (pred && y[i]) ++m.tp;
        else if (pred && !y[i]) ++m.fp;
        else if (!pred && y[i]) ++m.fn;
        else ++m.tn;
    }
    auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
    m.sensitivity = ratio(m.tp, m.tp + m.fn);
    m.specificity = ratio(m.tn, m.tn + m.fp);
    m.precision = ratio(m.tp, m.tp + m.fp);
    m.f1 = ratio(2.0 * m.precision * m.sensitivity, m.precision + m.sensitivity);
    m.accuracy = ratio(m.tp + m.tn, m.n);
    m.fdr = ratio(m.fp, m.tp + m.fp);
    m.auc = rocAuc(p, y);
    m.senPlusSpec = m.sensitivity + m.specificity;
    m.precTimesF1 = m.precision * m.f1;
    m.accMinusFdr = m.accuracy - m.fdr;
    m.ece = expectedCalibrationError(p, y);
    return m;
}

void bootstrapAuc(BinaryMetrics &m, const std::vector<double> &p, const std::vector<int> &y,
                  const std::vector<int> &groups, int reps, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<std::vector<size_t>> members;
    if (groups.empty()) {
        members.resize(p.size());
        for (size_t i = 0; i < p.size(); ++i) members[i] = {i};
    } else {
        std::unordered_map<int, size_t> slot;
        for (size_t i = 0; i < p.size(); ++i) {
            auto [it, fresh] = slot.try_emplace(groups[i], members.size());
            if (fresh) members.emplace_back();
            members[it->second].push_back(i);
        }
    }
    std::uniform_int_distribution<size_t> pick(0, members.size() - 1);
    std::vector<double> aucs;
    for (int r = 0; r < reps; ++r) {
        std::vector<double> bp;
        std::vector<int> by;
        for (size_t k = 0; k < members.size(); ++k)
            for (size_t i : members[pick(rng)]) { bp.push_back(p[i]); by.push_back(y[i]); }
        aucs.push_back(rocAuc(bp, by));
    }
    std::sort(aucs.begin(), aucs.end());
    m.aucLow = aucs[size_t(0.025 * (aucs.size() - 1))];
    m.aucHigh = aucs[size_t(0.975 * (aucs.size() - 1))];
}

double youdenThreshold(const std::vector<double> &p, const std::vector<int> &y)
{
    std::vector<double> cand = p;
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    if (cand.size() > 400) {  // quantiles are enough
        std::vector<double> q;
        for (int k = 1; k < 400; ++k) q.push_back(cand[cand.size() * k / 400]);
        cand = q;
    }
    double best = 0.5, bestJ = -1;
    double pos = 0, neg = 0;
    for (int v : y) (v ? pos : neg) += 1;
    for (double t : cand) {
        double tp = 0, tn = 0;
        for (size_t i = 0; i < p.size(); ++i) {
            if (p[i] >= t && y[i]) ++tp;
            else if (p[i] < t && !y[i]) ++tn;
        }
        const double j = (pos > 0 ? tp / pos : 0) + (neg > 0 ? tn / neg : 0) - 1;
        if (j > bestJ) { bestJ = j; best = t; }
    }
    return best;
}

QJsonObject BinaryMetrics::toJson() const
{
    QJsonObject o{{"n", n}, {"positives", positives}, {"threshold", threshold},
                  {"tp", tp}, {"fp", fp}, {"tn", tn}, {"fn", fn},
                  {"sensitivity", sensitivity}, {"specificity", specificity}, {"precision", precision},
                  {"f1", f1}, {"accuracy", accuracy}, {"fdr", fdr}, {"auc", auc},
                  {"sen_plus_spec", senPlusSpec}, {"prec_times_f1", precTimesF1}, {"acc_minus_fdr", accMinusFdr},
                  {"ece", ece}};
    if (aucHigh > 0) o.insert("auc_ci95", QJsonArray{aucLow, aucHigh});
    return o;
}

} // namespace cs
