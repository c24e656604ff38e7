#pragma once
// Turning a network's logit into a calibrated probability: Platt scaling,
// fitted by training on validation data and applied by the runtime.
// Plain C++, reentrant.
#include <vector>

namespace cs {

double sigmoid(double x);

// p = sigmoid(a * logit + b), fitted by Newton's method on (logit, label).
struct PlattScaling {
    double a = 1.0, b = 0.0;
    double apply(double logit) const;
    static PlattScaling fit(const std::vector<double> &logits, const std::vector<int> &labels);
};

} // namespace cs
