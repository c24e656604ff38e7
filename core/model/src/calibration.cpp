#include "clinsight/model/hybridmodel.h"
#include "clinsight/model/calibration.h"

#include <algorithm>
#include <cmath>

namespace cs {

double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x)); }

double PlattScaling::apply(double logit) const { return sigmoid(a * logit + b); }

PlattScaling PlattScaling::fit(const std::vector<double> &x, const std::vector<int> &y)
{
    // Platt (1999): smoothed targets keep the fit finite even when the
    // validation logits separate the classes perfectly.
    double nPos = 0, nNeg = 0;
    for (int v : y) (v ? nPos : nNeg) += 1;
    const double tPos = (nPos + 1) / (nPos + 2), tNeg = 1 / (nNeg + 2);
    double a = 1, b = 0;
    for (int it = 0; it < 100; ++it) {
        double ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
        for (size_t i = 0; i < x.size(); ++i) {
            const double t = y[i] ? tPos : tNeg;
            const double p = sigmoid(a * x[i] + b), r = p - t, w = std::max(p * (1 - p), 1e-12);
            ga += r * x[i]; gb += r;
            haa += w * x[i] * x[i]; hab += w * x[i]; hbb += w;
        }
        const double det = haa * hbb - hab * hab;
        if (!(std::abs(det) > 1e-12)) break;
        double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
        // damped Newton step
        const double step = std::max(std::abs(da), std::abs(db));
        if (step > 5) { da *= 5 / step; db *= 5 / step; }
        a -= da; b -= db;
        if (std::abs(da) + std::abs(db) < 1e-10) break;
    }
    PlattScaling s;
    if (std::isfinite(a) && std::isfinite(b)) { s.a = a; s.b = b; }
    return s;
}

QString relativeToAlertLevel(double risk, double threshold)
{
    if (!(threshold > 0) || !std::isfinite(risk)) return {};
    const double r = risk / threshold;
    return QStringLiteral("%1x the alert level").arg(r, 0, 'f', r < 10 ? 1 : 0);
}

} // namespace cs
