// Gradient-boosted trees (XGBoost 1.7, Debian's libxgboost) as a vitals
// baseline: trained on every training-split hour, saved beside the bundle.
#include "clinsight/training/baselines.h"

#include <xgboost/c_api.h>

#include <QDir>
#include <QThread>
#include <memory>

namespace cs {

namespace {
struct Handles {
    DMatrixHandle dm = nullptr;
    BoosterHandle booster = nullptr;
    ~Handles()
    {
        if (booster) XGBoosterFree(booster);
        if (dm) XGDMatrixFree(dm);
    }
};
std::vector<float> flat(const std::vector<std::vector<float>> &x)
{
    std::vector<float> v;
    v.reserve(x.size() * (x.empty() ? 0 : x[0].size()));
    for (const auto &r : x) v.insert(v.end(), r.begin(), r.end());
    return v;
}
Error xgbError(const QString &where) { return makeError(Error::Code::Internal, where, QStringLiteral("XGBoost"), QString::fromUtf8(XGBGetLastError())); }
} // namespace

Result<QJsonObject> trainGradientBoosting(const std::vector<std::vector<float>> &x, const std::vector<int> &y,
                                          const QString &dir, const QString &prefix, std::uint64_t seed, int rounds)
{
    if (x.empty()) return makeError(Error::Code::Invalid, dir, prefix, QStringLiteral("no rows"));
    const auto data = flat(x);
    std::vector<float> labels(y.begin(), y.end());
    double pos = 0;
    for (int v : y) pos += v;
    const double spw = pos > 0 ? (double(y.size()) - pos) / pos : 1.0;
    Handles h;
    const QString file = prefix + QStringLiteral("_gbt.json");
    if (XGDMatrixCreateFromMat(data.data(), x.size(), x[0].size(), std::numeric_limits<float>::quiet_NaN(), &h.dm)
        || XGDMatrixSetFloatInfo(h.dm, "label", labels.data(), labels.size()) || XGBoosterCreate(&h.dm, 1, &h.booster))
        return xgbError(dir);
    const std::pair<const char *, QByteArray> params[] = {
        {"objective", "binary:logistic"}, {"tree_method", "hist"}, {"max_depth", "6"}, {"eta", "0.05"},
        {"subsample", "0.8"}, {"colsample_bytree", "0.8"}, {"min_child_weight", "5"},
        {"scale_pos_weight", QByteArray::number(spw)}, {"seed", QByteArray::number(qulonglong(seed & 0x7fffffff))},
        {"nthread", QByteArray::number(std::max(1, QThread::idealThreadCount()))}, {"verbosity", "0"}};
    for (const auto &[k, v] : params)
        if (XGBoosterSetParam(h.booster, k, v.constData())) return xgbError(dir);
    for (int i = 0; i < rounds; ++i)
        if (XGBoosterUpdateOneIter(h.booster, i, h.dm)) return xgbError(dir);
    if (XGBoosterSaveModel(h.booster, QDir(dir).filePath(file).toUtf8().constData())) return xgbError(dir);
    return QJsonObject{{"gbt", file}, {"gbt_rows", int(x.size())}, {"gbt_rounds", rounds},
                       {"gbt_note", QStringLiteral("XGBoost 1.7 hist, depth 6, eta 0.05, %1 rounds, subsample 0.8, columns 0.8, "
                                                   "positives weighted %2x, every training-split hour").arg(rounds).arg(spw, 0, 'f', 1)}};
}

Result<std::vector<double>> scoreGradientBoosting(const QString &dir, const QJsonObject &settings,
                                                  const std::vector<std::vector<float>> &x)
{
    const QString path = QDir(dir).filePath(settings.value("gbt").toString());
    if (x.empty()) return std::vector<double>{};
    const auto data = flat(x);
    Handles h;
    if (XGBoosterCreate(nullptr, 0, &h.booster) || XGBoosterLoadModel(h.booster, path.toUtf8().constData()))
        return makeError(Error::Code::Format, path, QStringLiteral("XGBoost"), QString::fromUtf8(XGBGetLastError()));
    if (XGDMatrixCreateFromMat(data.data(), x.size(), x[0].size(), std::numeric_limits<float>::quiet_NaN(), &h.dm))
        return xgbError(path);
    bst_ulong n = 0;
    const float *out = nullptr;
    if (XGBoosterPredict(h.booster, h.dm, 0, 0, 0, &n, &out)) return xgbError(path);
    return std::vector<double>(out, out + n);
}

} // namespace cs
