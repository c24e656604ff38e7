#pragma once
// Classic baselines on the same features and split as the model: logistic
// regression, SVM (RBF) and random forest from OpenCV's ml module. Trained on
// a class-balanced subsample of the training split, saved beside the bundle
// as YAML and listed (with SHA-256) in its manifest.
#include "clinsight/foundation/error.h"

#include <QJsonObject>
#include <QStringList>
#include <cstdint>
#include <map>
#include <vector>

namespace cs {

// Image baselines see the network input pixels at 28 x 28 (784 features).
constexpr int kBaselineImageSize = 28;

struct BaselineScores {
    QString name;                 // "logistic regression", "SVM (RBF)", "random forest"
    std::vector<double> score;    // higher = more likely positive
    double threshold = 0.5;       // alert at score >= threshold
};

// Writes <dir>/<prefix>_lr.yml, _svm.yml, _rf.yml; returns the file names and their settings.
Result<QJsonObject> trainBaselines(const std::vector<std::vector<float>> &x, const std::vector<int> &y,
                                   const QString &dir, const QString &prefix, int maxPerClass, std::uint64_t seed);
// Gradient-boosted trees (XGBoost) on every row given (no class subsample:
// positives are weighted instead): writes <dir>/<prefix>_gbt.json; its
// settings ("gbt", ...) merge into the baselines' settings, and
// scoreBaselines() then scores it too.
Result<QJsonObject> trainGradientBoosting(const std::vector<std::vector<float>> &x, const std::vector<int> &y,
                                          const QString &dir, const QString &prefix, std::uint64_t seed, int rounds = 300);
Result<std::vector<double>> scoreGradientBoosting(const QString &dir, const QJsonObject &settings,
                                                  const std::vector<std::vector<float>> &x);
Result<std::vector<BaselineScores>> scoreBaselines(const QString &dir, const QJsonObject &settings,
                                                   const std::vector<std::vector<float>> &x);

} // namespace cs
