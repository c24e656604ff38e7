#pragma once
// Private: the model bundle on disk, shared by the runtime (reading) and
// training (writing). No LibTorch here: reading and verifying a bundle's
// manifest is plain Qt, so it costs no torch compile.
#include "clinsight/foundation/error.h"
#include "clinsight/model/bundlesignature.h"
#include "clinsight/model/calibration.h"
#include "clinsight/model/hybridmodel.h"
#include "clinsight/model/vitalslayout.h"
#include "clinsight/vitals/hourlyfeatures.h"

#include <QJsonObject>
#include <QString>
#include <vector>

namespace cs::bundle {

inline const QString kManifest = QStringLiteral("manifest.json");
inline const QString kWeights = QStringLiteral("weights.pt");
inline const QString kModelCard = QStringLiteral("MODEL_CARD.md");
constexpr int kFormat = 1;
constexpr int kDefaultVitalsHidden = 64;  // bundles without "vitals.hidden" in their manifest

// Everything the runtime needs from a manifest, checked.
struct Settings {
    QString dir, manifestPath;
    QJsonObject manifest;
    FeatureNormalization norm;
    PlattScaling imageCal, vitalsCal, fusedCal;
    ModelThresholds thresholds;
    double pixelMean = 0.5, pixelStd = 0.25;
    int vitalsHidden = kDefaultVitalsHidden;
    VitalsLayout vitalsLayout = VitalsLayout::Additive;   // vitals.layout (absent: the first layout)
    std::vector<float> imageFeatureMean, vitalsFeatureMean;  // training means of the branch features
    BundleSignature signature;   // empty when the signature was not required
};

// Verifies the bundle's signature under a trusted key (when required), reads
// manifest.json, refuses an unknown format, verifies the SHA-256 of every
// listed file (modified or truncated bundles are refused) and parses the
// settings. Errors name the file and the manifest field.
Result<Settings> readVerifiedBundle(const QString &dir, bool requireSignature);

} // namespace cs::bundle
