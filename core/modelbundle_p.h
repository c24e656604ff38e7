#pragma once
// Private: bundle file layout shared by the runtime (loading) and training (writing).
#include <QString>

namespace cs::bundle {
inline const QString kManifest = QStringLiteral("manifest.json");
inline const QString kWeights = QStringLiteral("weights.pt");
inline const QString kModelCard = QStringLiteral("MODEL_CARD.md");
constexpr int kFormat = 1;
}
