#pragma once
// MODEL_CARD.md written from a bundle's manifest, for a clinician to read:
// intended use, data, performance with confidence intervals, limitations.
#include "clinsight/foundation/error.h"
#include <QJsonObject>

namespace cs {
QString modelCardMarkdown(const QJsonObject &manifest);
Status writeModelCard(const QString &bundleDir, const QJsonObject &manifest);
}
