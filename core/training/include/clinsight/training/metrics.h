#pragma once
// Binary classification metrics as the seed papers report them, calibration
// (Platt scaling lives with the model, clinsight/model/calibration.h), threshold choice and bootstrap confidence intervals.
// Plain C++: used by training, evaluate and the model card alike.
#include "clinsight/model/calibration.h"

#include <QJsonObject>
#include <cstdint>
#include <vector>

namespace cs {

struct BinaryMetrics {
    int n = 0, positives = 0;
    double threshold = 0.5;
    int tp = 0, fp = 0, tn = 0, fn = 0;
    double sensitivity = 0, specificity = 0, precision = 0, f1 = 0, accuracy = 0, fdr = 0, auc = 0;
    double senPlusSpec = 0, precTimesF1 = 0, accMinusFdr = 0;   // composites of the first seed paper
    double ece = 0;                                             // expected calibration error, 10 bins
    double aucLow = 0, aucHigh = 0;                              // 95% bootstrap interval (0 when not computed)
    QJsonObject toJson() const;
};

double rocAuc(const std::vector<double> &score, const std::vector<int> &label);
double expectedCalibrationError(const std::vector<double> &prob, const std::vector<int> &label, int bins = 10);
BinaryMetrics computeMetrics(const std::vector<double> &prob, const std::vector<int> &label, double threshold);
// 95% interval of the AUC by bootstrap over groups (e.g. stays; pass empty for rows).
void bootstrapAuc(BinaryMetrics &m, const std::vector<double> &prob, const std::vector<int> &label,
                  const std::vector<int> &groups, int reps, std::uint64_t seed);

// Threshold maximising Youden's J (sensitivity + specificity - 1).
double youdenThreshold(const std::vector<double> &prob, const std::vector<int> &label);


} // namespace cs
